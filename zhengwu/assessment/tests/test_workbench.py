"""The 考核 pages of the workbench: roles, scope, running, the evaluation page, the downloads, uploads
and manual entries with a second person's approval."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhengwu.assessment import services
from zhengwu.assessment.models import Evaluation, EvidenceFile, ManualEntry
from zhengwu.assessment.tests.conftest import approved_entry, card
from zhengwu.assessment.tests.test_services import BAD_SCHEME, run
from zhengwu.common.tests.test_uploads import make_pdf

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_visitors_are_sent_to_the_staff_login(client, db):
    response = client.get(reverse("workbench:assessment_home"))
    assert response.status_code == 302 and reverse("workbench:login") in response.url


def test_a_window_clerk_gets_403_on_every_assessment_page(client, heshan, assessors):
    evaluation = run(assessors.first)
    login(client, heshan.clerk)
    for url in (
        reverse("workbench:assessment_home"),
        reverse("workbench:assessment_schemes"),
        reverse("workbench:assessment_entries"),
        reverse("workbench:assessment_evaluation", args=[evaluation.pk]),
        reverse("workbench:assessment_scoresheet", args=[evaluation.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "考核功能仅供考核员、监管员和系统管理员使用" in response.content.decode()
    assert client.post(reverse("workbench:assessment_run"), {"scheme": "yiyang-2020"}).status_code == 403


def test_an_assessor_runs_a_scheme_and_lands_on_the_ranking(client, heshan, ziyang, assessors, frozen):
    card(heshan, rule="R1", level="red", day="2026-04-10")
    login(client, assessors.first)
    assert "计算考核结果" in client.get(reverse("workbench:assessment_home")).content.decode()

    response = client.post(
        reverse("workbench:assessment_run"), {"scheme": "yiyang-2020", "period": "2026", "units": "region"}
    )

    evaluation = Evaluation.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "workbench:assessment_evaluation", args=[evaluation.pk]
    )
    page = client.get(response.url).content.decode()
    for text in ("资阳区", "赫山区", "98.81", "推荐名单", "发布", "重新计算", "下载计分表", "打印"):
        assert text in page
    case_number = evaluation.results["units"][1]["items"][7]["deductions"][0]["evidence"][0]
    # The assessor sees the case number as evidence, without a link: case screens are not theirs.
    assert case_number in page and f'href="/workbench/cases/{case_number}/"' not in page
    assert 'id="assessment-chart-data"' in page and "<script>" not in page
    # A supervisor, who may open cases, follows the same evidence to the case.
    login(client, assessors.supervisor)
    assert f'href="/workbench/cases/{case_number}/"' in client.get(response.url).content.decode()


def test_a_county_assessor_ranks_only_their_county_and_cannot_open_a_city_wide_run(
    client, heshan, ziyang, assessors, frozen
):
    city_run = run(assessors.first)
    login(client, heshan.assessor)

    client.post(reverse("workbench:assessment_run"), {"scheme": "yiyang-2020", "period": "2026"})

    own = Evaluation.objects.exclude(pk=city_run.pk).get()
    assert [u["name"] for u in own.results["units"]] == ["赫山区"]
    assert client.get(reverse("workbench:assessment_evaluation", args=[city_run.pk])).status_code == 404
    assert client.get(reverse("workbench:assessment_scoresheet", args=[city_run.pk])).status_code == 404
    listed = client.get(reverse("workbench:assessment_home")).content.decode()
    assert f"#{own.pk}<" in listed and f"#{city_run.pk}<" not in listed


def test_the_evaluation_page_runs_a_fixed_number_of_queries(
    client, heshan, ziyang, assessors, frozen, django_assert_max_num_queries
):
    for day in ("2026-03-02", "2026-03-03", "2026-03-04"):
        card(heshan, rule="Y1", level="yellow", day=day)
    evaluation = run(assessors.first)
    login(client, assessors.first)
    url = reverse("workbench:assessment_evaluation", args=[evaluation.pk])
    # session + user + the run + roles + scope + the county-level regions in scope
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200


def test_publish_freezes_the_run_and_rerun_shows_the_differences(client, heshan, ziyang, assessors, frozen):
    evaluation = run(assessors.first)
    login(client, assessors.second)

    client.post(reverse("workbench:assessment_publish", args=[evaluation.pk]))
    again = client.post(reverse("workbench:assessment_publish", args=[evaluation.pk]))

    evaluation.refresh_from_db()
    assert evaluation.status == "published" and evaluation.published_by == assessors.second
    assert again.status_code == 400 and "考核结果已发布" in again.content.decode()
    approved_entry(assessors, heshan, item_code="7", kind="missing")
    response = client.post(reverse("workbench:assessment_rerun", args=[evaluation.pk]))
    rerun = Evaluation.objects.get(previous=evaluation)
    page = client.get(response.url).content.decode()
    assert "与上次计算" in page and "-1.19" in page and "推进基层政务公开标准化建设" in page
    assert rerun.status == "draft"


def test_the_scoresheet_downloads_as_an_excel_workbook(client, heshan, ziyang, assessors, frozen):
    evaluation = run(assessors.first)
    login(client, assessors.first)

    response = client.get(reverse("workbench:assessment_scoresheet", args=[evaluation.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][3]][:3] == ["排名", "单位", "单位类型"]
    assert book.sheetnames == ["考核计分表", "扣分明细", "考核方案"]


def test_the_printable_report_holds_the_ranking_the_details_and_the_rules(
    client, heshan, ziyang, assessors, frozen
):
    evaluation = run(assessors.first)
    login(client, assessors.first)
    page = client.get(reverse("workbench:assessment_print", args=[evaluation.pk])).content.decode()
    for text in (
        "一、排名",
        "二、各项得分",
        "三、加减分明细",
        "四、数据来源与规则",
        "草稿（未发布）",
        "assessment.css",
    ):
        assert text in page


def test_a_malformed_scheme_upload_lists_every_problem_in_chinese_with_its_place(client, assessors):
    login(client, assessors.first)
    response = client.post(reverse("workbench:assessment_schemes"), {"text": BAD_SCHEME})
    page = response.content.decode()
    assert response.status_code == 400
    assert "类别“甲” 第 1 项“办件” 第 1 条规则：数据项“cards.blue”不存在" in page
    assert "考核方案：各类别分值之和为 90，与满分 100 不符（县区）" in page


def test_a_scheme_upload_creates_a_version_and_its_page_shows_the_rules(client, assessors):
    login(client, assessors.first)
    services.schemes_ensure_shipped()
    text = services.shipped_scheme_text("shanhaiguan-2020").replace('version: "2020.1"', 'version: "2021.1"')
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = "shanhaiguan-2021.yaml"

    response = client.post(reverse("workbench:assessment_schemes"), {"file": upload})

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    for text in (
        "山海关区2020年深化行政审批制度改革考核",
        "2021.1",
        "市直部门",
        "县区",
        "等次计分",
        "现行版本",
    ):
        assert text in page


def test_a_manual_entry_is_entered_with_evidence_and_approved_by_a_second_person(client, heshan, assessors):
    login(client, assessors.first)
    form = client.get(reverse("workbench:assessment_entries"), {"scheme": "yiyang-2020"}).content.decode()
    assert (
        "6. 政务服务大厅建设管理 — 落实不到位、覆盖不全或被通报、曝光（酌定分值，分值 -1.5 至 -0.5）" in form
    )
    upload = io.BytesIO(make_pdf())
    upload.name = "暗访记录.pdf"

    response = client.post(
        reverse("workbench:assessment_entries"),
        {
            "scheme": "yiyang-2020",
            "period": "2026",
            "unit": f"region:{heshan.region.pk}",
            "rule": "6|6a",
            "points": "-1",
            "reason": "暗访发现大厅帮办缺位",
            "files": [upload],
        },
    )

    entry = ManualEntry.objects.get()
    assert response.status_code == 302
    assert (entry.kind, entry.rule_code, str(entry.points), entry.status) == (
        "judgement",
        "6a",
        "-1.00",
        "pending",
    )
    stored = EvidenceFile.objects.get(entry=entry)
    assert client.get(reverse("workbench:assessment_evidence", args=[stored.pk])).status_code == 200
    own = client.post(reverse("workbench:assessment_entry_review", args=[entry.pk]), {"decision": "approve"})
    assert own.status_code == 400 and "录入人不能审核自己录入的记录" in own.content.decode()

    login(client, assessors.supervisor)
    client.post(reverse("workbench:assessment_entry_review", args=[entry.pk]), {"decision": "approve"})

    entry.refresh_from_db()
    assert entry.status == "approved" and entry.reviewed_by == assessors.supervisor


def test_a_refused_evidence_file_stores_nothing(client, heshan, assessors):
    login(client, assessors.first)
    upload = io.BytesIO(b"MZ\x90\x00 not a pdf")
    upload.name = "通报.pdf"
    response = client.post(
        reverse("workbench:assessment_entries"),
        {
            "scheme": "yiyang-2020",
            "period": "2026",
            "unit": f"region:{heshan.region.pk}",
            "rule": "7|7a",
            "reason": "未公开",
            "files": [upload],
        },
    )
    assert response.status_code == 400 and "不予接收" in response.content.decode()
    assert not ManualEntry.objects.exists()


def test_a_county_assessor_sees_neither_another_countys_entries_nor_their_evidence(
    client, heshan, ziyang, assessors, frozen
):
    other = approved_entry(assessors, ziyang, item_code="7", kind="missing", reason="资阳区未公开要素")
    own = approved_entry(assessors, heshan, item_code="7", kind="missing", reason="赫山区未公开要素")
    login(client, heshan.assessor)

    page = client.get(reverse("workbench:assessment_entries")).content.decode()

    assert "赫山区未公开要素" in page and "资阳区未公开要素" not in page
    foreign = EvidenceFile.objects.get(entry=other)
    assert client.get(reverse("workbench:assessment_evidence", args=[foreign.pk])).status_code == 404
    mine = EvidenceFile.objects.get(entry=own)
    response = client.get(reverse("workbench:assessment_evidence", args=[mine.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert client.post(reverse("workbench:assessment_entry_review", args=[other.pk])).status_code == 404


def test_editing_a_scheme_starts_from_its_yaml_and_saves_a_new_version(client, assessors):
    login(client, assessors.first)
    services.schemes_ensure_shipped()
    form = client.get(reverse("workbench:assessment_schemes"), {"edit": "yiyang-2020"}).content.decode()
    assert "version:" in form and "yiyang-2020" in form
    text = services.shipped_scheme_text("yiyang-2020").replace('version: "2020.1"', 'version: "2020.2"')
    response = client.post(reverse("workbench:assessment_schemes"), {"text": text})
    assert response.status_code == 302 and "version=2020.2" in response.url
