"""Scheme versions, manual entries (two-person rule), runs, publishing (frozen) and re-runs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from zhengwu.assessment import services
from zhengwu.assessment.models import Evaluation, EvidenceFile, ManualEntry, Scheme
from zhengwu.assessment.tests.conftest import approved_entry, card, evidence
from zhengwu.common import clock, filestore
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied

pytestmark = pytest.mark.django_db

BAD_SCHEME = """\
code: bad
name: 有误的方案
version: "1"
scale: 100
unit_types: {county: 县区}
categories:
  - name: 甲
    points: 90
    items:
      - code: "1"
        name: 办件
        points: 90
        rules:
          - kind: per_occurrence
            source: cards.blue
"""


def run(actor, scheme_code: str = "yiyang-2020", period: str = "2026", units: str = "region") -> Evaluation:
    services.schemes_ensure_shipped()
    return services.evaluation_run(
        scheme=Scheme.objects.get(code=scheme_code, active=True), period=period, unit_kind=units, actor=actor
    )


def total(evaluation: Evaluation, name: str) -> str:
    return next(u["total"] for u in evaluation.results["units"] if u["name"] == name)


# -- the seed-001 run over a small fixture -------------------------------------------------------------


def test_a_seed_001_run_gives_the_totals_worked_out_by_hand(heshan, ziyang, assessors, frozen):
    """赫山区 in 2026: one R1 red card and two yellow cards (a voided red one does not count), two late
    tasks entered by hand (item 1, −0.5 each), one element not disclosed (item 7, −1), and a pending
    entry that does not count yet.

    Items 10 (好差评) and 11 (12345) have no data: N/A, so the assessed points A = 100 − 8 − 8 = 84.
    item 1: 9 − 2 × 0.5 = 8.00; item 7: 8 − 1 = 7.00; item 8: one overdue case (the R1 card) −0.5 → 8.50;
    item 12: one red and two yellow cards −1.5 → 7.50; items 2–6 and 9 full (8, 8, 9, 8, 8, 8).
    C = 8 + 8 + 8 + 9 + 8 + 8 + 7 + 8.5 + 8 + 7.5 = 80.00; rescaled 80 × 100 / 84 = 95.238… → 95.24.
    资阳区 lost nothing: 84 × 100 / 84 = 100.00, first; 赫山区 second.
    """
    overdue = card(heshan, rule="R1", level="red", day="2026-04-10")
    card(heshan, rule="Y1", level="yellow", day="2026-02-03")
    card(heshan, rule="Y1", level="yellow", day="2026-09-30")
    card(heshan, rule="R2", level="red", day="2026-05-05", voided=True)
    approved_entry(
        assessors, heshan, item_code="1", kind="deduction", rule_code="1a", count=2, reason="两项任务逾期"
    )
    approved_entry(assessors, heshan, item_code="7", kind="missing", reason="未公开办事指南")
    services.manual_entry_create(
        scheme_code="yiyang-2020",
        period="2026",
        unit_kind="region",
        unit_id=heshan.region.pk,
        item_code="9",
        kind="deduction",
        reason="待审核",
        files=evidence(),
        actor=assessors.first,
    )

    evaluation = run(assessors.first)

    units = {u["name"]: u for u in evaluation.results["units"]}
    assert (units["资阳区"]["total"], units["资阳区"]["rank"]) == ("100.00", 1)
    assert (units["赫山区"]["total"], units["赫山区"]["rank"]) == ("95.24", 2)
    items = {i["item"]: i for i in units["赫山区"]["items"]}
    assert [items[c]["score"] for c in ("1", "7", "8", "9", "12")] == ["8.00", "7.00", "8.50", "8.00", "7.50"]
    assert items["10"]["na"] and items["11"]["na"]
    [overdue_deduction] = items["8"]["deductions"]
    assert overdue_deduction["points"] == "-0.50" and overdue_deduction["evidence"] == [overdue.case.number]
    assert evaluation.results["recommended"] == ["430902000000", "430903000000"]
    assert evaluation.rules["code"] == "yiyang-2020" and evaluation.scheme.version == "2020.1"
    assert evaluation.created_by == assessors.first and evaluation.status == "draft"


# -- schemes -------------------------------------------------------------------------------------------


def test_a_malformed_scheme_is_refused_with_chinese_messages_naming_the_place(assessors):
    with pytest.raises(DomainError) as refused:
        services.scheme_import(text=BAD_SCHEME, actor=assessors.first)
    messages = refused.value.fields["scheme"]
    assert "类别“甲” 第 1 项“办件” 第 1 条规则：数据项“cards.blue”不存在" in messages[0]
    assert any("各类别分值之和为 90，与满分 100 不符" in m for m in messages)
    assert not Scheme.objects.filter(code="bad").exists()


def test_a_new_version_of_a_scheme_becomes_the_active_one_and_the_old_one_is_kept(assessors):
    services.schemes_ensure_shipped()
    text = services.shipped_scheme_text("yiyang-2020").replace('version: "2020.1"', 'version: "2021.1"')

    newer = services.scheme_import(text=text, actor=assessors.first)

    assert (newer.version, newer.revision, newer.active, newer.created_by) == (
        "2021.1",
        2,
        True,
        assessors.first,
    )
    assert list(Scheme.objects.filter(code="yiyang-2020").values_list("version", "active")) == [
        ("2021.1", True),
        ("2020.1", False),
    ]
    assert services.scheme_import(text=text, actor=assessors.second) == newer  # the same text again: no-op


def test_a_changed_scheme_under_an_existing_version_is_refused(assessors):
    services.schemes_ensure_shipped()
    text = services.shipped_scheme_text("yiyang-2020").replace("top_n: 3", "top_n: 5")
    with pytest.raises(DomainError) as refused:
        services.scheme_import(text=text, actor=assessors.first)
    assert refused.value.code == "scheme_version_exists" and "请修改文件中的 version" in refused.value.message


def test_loading_the_shipped_schemes_twice_stores_each_once(db):
    services.schemes_ensure_shipped()
    services.schemes_ensure_shipped()
    assert sorted(Scheme.objects.values_list("code", "version", "is_shipped", "active")) == [
        ("shanhaiguan-2020", "2020.1", True, True),
        ("yiyang-2020", "2020.1", True, True),
    ]


# -- manual entries: the two-person rule ----------------------------------------------------------------


def test_an_entry_stores_its_evidence_privately_and_waits_for_approval(heshan, assessors):
    services.schemes_ensure_shipped()
    entry = services.manual_entry_create(
        scheme_code="yiyang-2020",
        period="2026",
        unit_kind="region",
        unit_id=heshan.region.pk,
        item_code="6",
        kind="judgement",
        points="-1.5",
        reason="大厅被市纪委通报",
        files=evidence("市纪委通报.pdf"),
        actor=assessors.first,
    )
    assert (entry.status, entry.rule_code, entry.points, entry.entered_by) == (
        "pending",
        "6a",
        Decimal("-1.50"),
        assessors.first,
    )
    stored = EvidenceFile.objects.get(entry=entry)
    assert stored.original_name == "市纪委通报.pdf" and filestore.exists(stored.storage_key)


def test_the_person_who_entered_an_entry_cannot_approve_it(heshan, assessors):
    services.schemes_ensure_shipped()
    entry = services.manual_entry_create(
        scheme_code="yiyang-2020",
        period="2026",
        unit_kind="region",
        unit_id=heshan.region.pk,
        item_code="7",
        kind="missing",
        reason="未公开",
        files=evidence(),
        actor=assessors.first,
    )
    with pytest.raises(DomainError) as refused:
        services.manual_entry_approve(entry=entry, actor=assessors.first, now=clock.now())
    assert refused.value.code == "two_person_rule"
    approved = services.manual_entry_approve(entry=entry, actor=assessors.supervisor, now=clock.now())
    assert (approved.status, approved.reviewed_by) == ("approved", assessors.supervisor)
    with pytest.raises(DomainError):  # reviewed once
        services.manual_entry_reject(entry=entry, actor=assessors.second, note="重复", now=clock.now())


def test_the_database_refuses_an_entry_reviewed_by_the_person_who_entered_it(heshan, assessors):
    entry = approved_entry(assessors, heshan, item_code="7", kind="missing")
    with pytest.raises(IntegrityError), transaction.atomic():
        ManualEntry.objects.filter(pk=entry.pk).update(reviewed_by=entry.entered_by)


def test_a_window_clerk_may_neither_enter_nor_approve(heshan, assessors):
    services.schemes_ensure_shipped()
    with pytest.raises(PermissionDenied):
        services.manual_entry_create(
            scheme_code="yiyang-2020",
            period="2026",
            unit_kind="region",
            unit_id=heshan.region.pk,
            item_code="7",
            kind="missing",
            reason="未公开",
            files=evidence(),
            actor=heshan.clerk,
        )


def test_an_entry_needs_a_reason_evidence_and_a_value_within_the_rules_range(heshan, assessors):
    services.schemes_ensure_shipped()
    with pytest.raises(DomainError) as refused:
        services.manual_entry_create(
            scheme_code="yiyang-2020",
            period="2026",
            unit_kind="region",
            unit_id=heshan.region.pk,
            item_code="6",
            kind="judgement",
            points="-3",
            reason=" ",
            files=[],
            actor=assessors.first,
        )
    fields = refused.value.fields
    assert fields["reason"] == ["请填写理由。"]
    assert fields["files"] == ["请上传至少一份佐证材料。"]
    assert fields["points"] == ["分值 -3 超出允许范围 [-1.5, -0.5]。"]


def test_an_item_with_two_manual_rules_of_a_kind_asks_which_one(heshan, assessors):
    services.schemes_ensure_shipped()
    with pytest.raises(DomainError) as refused:
        services.manual_entry_create(
            scheme_code="yiyang-2020",
            period="2026",
            unit_kind="region",
            unit_id=heshan.region.pk,
            item_code="4",
            kind="deduction",
            reason="要素不一致",
            files=evidence(),
            actor=assessors.first,
        )
    assert "4a" in refused.value.fields["rule_code"][0] and "4c" in refused.value.fields["rule_code"][0]


def test_a_county_assessor_cannot_enter_for_another_county(heshan, ziyang):
    services.schemes_ensure_shipped()
    with pytest.raises(NotFound):
        services.manual_entry_create(
            scheme_code="yiyang-2020",
            period="2026",
            unit_kind="region",
            unit_id=ziyang.region.pk,
            item_code="7",
            kind="missing",
            reason="未公开",
            files=evidence(),
            actor=heshan.assessor,
        )


# -- publishing and re-running ------------------------------------------------------------------------------


def test_a_published_run_refuses_every_change(heshan, ziyang, assessors, frozen):
    evaluation = run(assessors.first)

    published = services.evaluation_publish(evaluation=evaluation, actor=assessors.second, now=clock.now())

    assert (published.status, published.published_by, published.published_at) == (
        "published",
        assessors.second,
        clock.now(),
    )
    with pytest.raises(DomainError) as again:
        services.evaluation_publish(evaluation=published, actor=assessors.first, now=clock.now())
    assert again.value.code == "evaluation_frozen"
    published.results = {"units": []}
    with pytest.raises(DomainError) as edited:
        published.save()
    assert edited.value.code == "evaluation_frozen"
    assert Evaluation.objects.get(pk=published.pk).results["units"]


def test_a_rerun_after_a_correction_shows_what_changed_and_leaves_the_published_run_alone(
    heshan, ziyang, assessors, frozen
):
    first = services.evaluation_publish(
        evaluation=run(assessors.first), actor=assessors.second, now=clock.now()
    )
    # A correction: an element not disclosed (item 7, −1) approved after publication.
    approved_entry(assessors, heshan, item_code="7", kind="missing", reason="复核发现未公开要素")

    rerun = services.evaluation_rerun(evaluation=first, actor=assessors.first)

    assert rerun.previous == first and rerun.status == "draft"
    changes = {c["name"]: c for c in rerun.comparison}
    # 赫山区: 84 − 1 = 83 of 84 assessed points → 83 × 100 / 84 = 98.81; 资阳区 unchanged at 100.00.
    assert changes["赫山区"]["old_total"] == "100.00" and changes["赫山区"]["new_total"] == "98.81"
    assert changes["赫山区"]["delta"] == "-1.19" and changes["赫山区"]["changed"]
    assert changes["赫山区"]["old_rank"] == 1 and changes["赫山区"]["new_rank"] == 2
    assert changes["赫山区"]["items"] == [
        {"item": "7", "name": "推进基层政务公开标准化建设", "old": "8.00", "new": "7.00", "delta": "-1.00"}
    ]
    assert not changes["资阳区"]["changed"]
    assert total(Evaluation.objects.get(pk=first.pk), "赫山区") == "100.00"


def test_facts_the_scheme_cannot_score_are_refused_with_each_problem_named(heshan, assessors, frozen):
    with pytest.raises(DomainError) as refused:
        run(assessors.first, scheme_code="shanhaiguan-2020")
    assert refused.value.code == "assessment_facts"
    assert "单位“赫山区”考核项“1”：缺少等次评定（规则“1a”）" in refused.value.fields["facts"]


def test_the_demo_entries_let_both_shipped_schemes_score_the_counties_once(heshan, ziyang, assessors, frozen):
    from zhengwu.assessment.demo_data import demo_entries_generate

    first = demo_entries_generate(period="2026")
    again = demo_entries_generate(period="2026")

    # Six tiered items per county, two bonuses, two deductions; two 益阳 entries for two counties.
    assert first.entered == {"shanhaiguan-2020": 6 * 2 + 2 + 2, "yiyang-2020": 2}
    assert again.entered == {} and again.skipped == ["shanhaiguan-2020", "yiyang-2020"]
    assert not ManualEntry.objects.exclude(status="approved").exists()
    assert not ManualEntry.objects.filter(reviewed_by=assessors.first).exists()
    ranked = run(assessors.first, scheme_code="shanhaiguan-2020").results["units"]
    assert {u["name"] for u in ranked} == {"赫山区", "资阳区"} and all(u["rank"] for u in ranked)


def test_a_scheme_using_yaml_aliases_is_refused_before_it_is_expanded(assessors):
    text = "code: a\nlist: &x [1, 2]\nmore: [*x, *x]\n"
    with pytest.raises(DomainError) as refused:
        services.scheme_import(text=text, actor=assessors.first)
    assert refused.value.fields["scheme"] == [
        "第 2 行：考核方案不支持 YAML 锚点和别名（& 与 *），请直接写出内容。"
    ]
