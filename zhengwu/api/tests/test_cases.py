"""Case endpoints: list, intake, detail, timeline, clock explanation, progress, certificates, cards.

Actions are in test_case_actions.py, files in test_case_files.py, the two-request race in
test_case_concurrency.py.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from rest_framework.test import APIClient

from zhengwu.accounts.services import token_create
from zhengwu.cases import services
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import (
    PERSON_ID,
    accepted_case,
    at,
    make_applicant,
    make_case,
    make_citizen,
)
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


def detail_url(case) -> str:
    return f"{CASES}{case.number}/"


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.json()
    return {row["number"] for row in response.json()["results"]}


# ---------------------------------------------------------------------------------------------
# List


def test_a_clerk_lists_the_cases_of_their_county_and_never_another_countys(heshan, nanxian, as_user):
    mine = make_case(heshan)
    theirs = make_case(nanxian)
    assert numbers(as_user(heshan.clerk).get(CASES)) == {mine.number}
    assert numbers(as_user(nanxian.clerk).get(CASES)) == {theirs.number}


def test_the_list_row_has_status_item_applicant_with_a_masked_id_and_due_dates(heshan, as_user):
    case = accepted_case(heshan)
    body = as_user(heshan.clerk).get(CASES).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["number"] == case.number
    assert (row["status"], row["status_label"]) == ("in_review", "审查中")
    assert row["applicant"] == {
        "kind": "person",
        "kind_label": "自然人",
        "name": "张三",
        "id_number": "1101**********002X",
    }
    assert row["department"]["name"] == "赫山区市场监督管理局"
    assert row["channel_label"] == "窗口受理"
    assert row["promised_due"] == "2026-06-08"
    assert row["statutory_due"] is not None
    assert (row["warning"], row["warning_label"]) == ("none", "正常")
    assert row["current_step"] == "审查"
    assert PERSON_ID not in json.dumps(body)


def test_the_list_costs_the_same_five_queries_for_twenty_cases(heshan, django_assert_max_num_queries):
    item = make_item(department=heshan.department)
    applicant = make_applicant()
    for _ in range(20):
        make_case(heshan, item=item, applicant=applicant)
    api = APIClient()  # a real token: the count includes authentication and the scope
    api.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=heshan.clerk)[1]}")
    # token + user, the roles (sees everything?), the scope, the count, the page
    with django_assert_max_num_queries(5):
        response = api.get(CASES, {"page_size": 50})
    assert response.json()["count"] == 20
    assert len(response.json()["results"]) == 20


def test_the_list_filters_with_the_workbench_filterset_and_refuses_bad_values(heshan, as_user):
    submitted = make_case(heshan)
    reviewed = accepted_case(heshan)
    api = as_user(heshan.clerk)
    assert numbers(api.get(CASES, {"status": "in_review"})) == {reviewed.number}
    assert numbers(api.get(CASES, {"search": submitted.number})) == {submitted.number}
    assert numbers(api.get(CASES, {"queue": "department"})) == {submitted.number, reviewed.number}
    bad = api.get(CASES, {"status": "lost", "received_from": "yesterday"})
    assert bad.status_code == 400
    assert set(bad.json()["fields"]) == {"status", "received_from"}


def test_the_list_is_for_staff_only(heshan, as_user, api_client):
    assert api_client.get(CASES).status_code == 401
    citizen = as_user(make_citizen()).get(CASES)
    assert citizen.status_code == 403
    assert citizen.json()["message"] == "仅限工作人员使用。"


# ---------------------------------------------------------------------------------------------
# Intake


def intake_body(item, **overrides):
    body = {
        "item": item.implementation_code,
        "applicant": {
            "kind": "person",
            "name": "王五",
            "id_number": "430903199001011238",
            "phone": "13800001111",
        },
        "channel": "window",
        "form_data": {"经营场所": "赫山区金山南路1号"},
        "agent_name": "赵六",
        "agent_id_number": PERSON_ID,
        "agent_phone": "13900002222",
    }
    body.update(overrides)
    return body


def test_a_clerk_receives_an_application_at_the_window_and_the_intake_clock_starts(heshan, as_user):
    item = make_item(department=heshan.department, name="食品经营许可")
    response = as_user(heshan.clerk).post(CASES, intake_body(item), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"].startswith("430903-20260601-")
    assert (body["status"], body["received_on"]) == ("submitted", "2026-06-01")
    assert (body["case_kind"], body["case_kind_label"]) == ("promised", "承诺件")
    assert body["item"] == {"implementation_code": item.implementation_code, "name": "食品经营许可"}
    assert body["applicant"]["id_number"] == "4309**********1238"
    assert body["applicant"]["phone"] == "138****1111"
    assert body["agent"] == {"name": "赵六", "id_number": "1101**********002X", "phone": "139****2222"}
    assert body["form_data"] == {"经营场所": "赫山区金山南路1号"}
    assert [m["name"] for m in body["materials"]] == ["申请书", "营业执照"]
    [intake] = body["clocks"]
    assert (intake["kind"], intake["budget"], intake["due_date"]) == ("intake", 5, "2026-06-08")
    actions = {a["action"] for a in body["allowed_actions"]}
    assert {"accept", "request_supplement", "refuse_intake", "withdraw"} <= actions
    case = Case.objects.get(number=body["number"])
    assert case.applicant.name == "王五" and case.channel == "window"


def test_intake_with_an_invalid_id_number_is_a_400_naming_the_field_and_stores_nothing(heshan, as_user):
    item = make_item(department=heshan.department)
    body = intake_body(item, applicant={"kind": "person", "name": "王五", "id_number": "430903199001011230"})
    response = as_user(heshan.clerk).post(CASES, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_identifier"
    assert "id_number" in response.json()["fields"], response.json()
    assert not Case.objects.exists()


def test_intake_of_another_countys_item_is_a_404(heshan, nanxian, as_user):
    item = make_item(department=nanxian.department)
    response = as_user(heshan.clerk).post(CASES, intake_body(item), format="json")
    assert response.status_code == 404
    assert not Case.objects.exists()


def test_staff_intake_needs_an_applicant_and_a_channel_and_is_never_a_draft(heshan, as_user):
    item = make_item(department=heshan.department)
    api = as_user(heshan.clerk)
    for missing in ("applicant", "channel"):
        body = intake_body(item)
        del body[missing]
        response = api.post(CASES, body, format="json")
        assert response.status_code == 400 and missing in response.json()["fields"]
    draft = api.post(CASES, intake_body(item, draft=True), format="json")
    assert draft.status_code == 400 and "draft" in draft.json()["fields"]
    assert not Case.objects.exists()


def test_a_citizen_applies_online_for_themselves_and_may_save_a_draft_first(heshan, as_user):
    citizen = make_citizen()
    item = make_item(department=heshan.department)
    api = as_user(citizen)
    draft = api.post(CASES, {"item": item.implementation_code, "draft": True}, format="json")
    assert draft.status_code == 201, draft.json()
    body = draft.json()
    assert (body["status"], body["channel"]) == ("draft", "online")
    assert body["applicant"]["name"] == "李四"
    assert {a["action"] for a in body["allowed_actions"]} == {"submit", "withdraw"}
    submitted = api.post(f"{CASES}{body['number']}/actions/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    assert Case.objects.get(number=body["number"]).applicant_account == citizen


def test_a_citizen_cannot_apply_at_the_window_or_in_somebody_elses_name(heshan, as_user):
    item = make_item(department=heshan.department)
    api = as_user(make_citizen())
    window = api.post(CASES, {"item": item.implementation_code, "channel": "window"}, format="json")
    assert window.status_code == 400 and window.json()["fields"] == {
        "channel": ["网上办事账号只能网上申报。"]
    }
    other = api.post(CASES, intake_body(item, channel="online"), format="json")
    assert other.status_code == 400 and "applicant" in other.json()["fields"]
    assert not Case.objects.exists()


def test_a_request_body_cannot_set_status_department_assignee_or_due_dates(heshan, nanxian, as_user):
    item = make_item(department=heshan.department)
    smuggled = {
        "status": "granted",
        "department": nanxian.department.pk,
        "assignee": heshan.head.pk,
        "promised_due": "2030-01-01",
        "statutory_due": "2030-01-01",
    }
    response = as_user(heshan.clerk).post(CASES, intake_body(item, **smuggled), format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == set(smuggled)
    assert response.json()["fields"]["status"] == ["不允许设置该字段。"]
    assert not Case.objects.exists()


def test_an_action_body_cannot_set_case_columns_either_and_the_row_is_unchanged(heshan, nanxian, as_user):
    case = accepted_case(heshan)
    columns = ("status", "version", "department_id", "assignee_id", "promised_due", "statutory_due")
    before = Case.objects.values(*columns).get(pk=case.pk)
    response = as_user(heshan.approver).post(
        f"{detail_url(case)}actions/step_pass/",
        {
            "comment": "通过",
            "status": "granted",
            "department": nanxian.department.pk,
            "assignee": heshan.approver.pk,
            "promised_due": "2030-01-01",
            "statutory_due": "2030-01-01",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {
        "status",
        "department",
        "assignee",
        "promised_due",
        "statutory_due",
    }
    assert Case.objects.values(*columns).get(pk=case.pk) == before


# ---------------------------------------------------------------------------------------------
# Detail and data scope


def test_the_detail_has_materials_steps_clocks_with_segments_and_allowed_actions(heshan, as_user):
    case = accepted_case(heshan)
    services.case_pause(
        case=Case.objects.get(pk=case.pk),
        actor=heshan.approver,
        now=at("2026-06-02"),
        reason_code="expert_review",
        reason="组织专家评审",
        expected_days=5,
    )
    body = as_user(heshan.approver).get(detail_url(case)).json()
    assert body["status_label"] == "审查中"
    assert body["paused"] is True
    assert (body["accepted_on"], body["decided_on"]) == ("2026-06-01", None)
    assert body["promised_due"] is None and body["provisional"] is False  # undefined while paused
    assert [(m["name"], m["status"], m["files"]) for m in body["materials"]] == [
        ("申请书", "received", []),
        ("营业执照", "received", []),
    ]
    assert [(s["name"], s["status"], s["limit"]) for s in body["steps"]] == [("审查", "active", 3)]
    clocks = {clk["kind"]: clk for clk in body["clocks"]}
    assert set(clocks) == {"intake", "statutory", "promised", "step"}
    assert clocks["intake"]["status"] == "stopped"
    assert clocks["step"]["step"] == "审查"
    statutory = clocks["statutory"]
    assert (statutory["status"], statutory["due_date"]) == ("paused", None)
    [segment] = statutory["segments"]
    assert segment["kind"] == "excluded" and segment["kind_label"] == "特别程序（不计时）"
    assert (segment["reason_code"], segment["reason_code_label"]) == ("expert_review", "专家评审")
    assert (segment["start"], segment["end"], segment["expected_end"]) == ("2026-06-02", None, "2026-06-09")
    actions = {a["action"]: a["label"] for a in body["allowed_actions"]}
    assert actions["resume"] == "恢复计时" and "pause" not in actions
    assert body["certificate"] is None
    assert body["warning"] == "none"


def test_another_countys_clerk_gets_404_for_the_case_its_timeline_and_its_clocks(heshan, nanxian, as_user):
    case = accepted_case(heshan)
    api = as_user(nanxian.clerk)
    for url in ("", "timeline/", "clocks/statutory/explain/"):
        response = api.get(f"{detail_url(case)}{url}")
        assert response.status_code == 404, url
        assert response.json() == {
            "code": "not_found",
            "message": "办件不存在或不在您的数据范围内。",
            "fields": {},
        }
    assert numbers(api.get(CASES)) == set()


def test_a_citizen_sees_their_own_case_and_not_somebody_elses(heshan, as_user):
    citizen = make_citizen()
    own = services.case_create(
        item=make_item(department=heshan.department),
        applicant=citizen.applicant,
        channel="online",
        now=at("2026-06-01"),
        actor=citizen,
    )
    other = make_case(heshan)
    api = as_user(citizen)
    mine = api.get(detail_url(own))
    assert mine.status_code == 200 and mine.json()["applicant"]["name"] == "李四"
    assert api.get(detail_url(other)).status_code == 404
    assert api.get(f"{detail_url(other)}timeline/").status_code == 404


def test_an_unknown_case_number_is_a_404_and_anonymous_requests_are_a_401(heshan, as_user, api_client):
    assert as_user(heshan.clerk).get(f"{CASES}430903-20260601-999999/").status_code == 404
    case = make_case(heshan)
    assert api_client.get(detail_url(case)).status_code == 401


# ---------------------------------------------------------------------------------------------
# Timeline and the clock explanation


def test_the_timeline_lists_who_did_what_when_with_labels_and_statuses(heshan, as_user):
    case = accepted_case(heshan)
    events = as_user(heshan.clerk).get(f"{detail_url(case)}timeline/").json()
    assert [e["action"] for e in events] == ["save_draft", "submit", "materials_check", "accept"]
    accept = events[-1]
    assert accept["action_label"] == "受理"
    assert (accept["from_status"], accept["from_status_label"]) == ("submitted", "已申报")
    assert (accept["to_status"], accept["to_status_label"]) == ("in_review", "审查中")
    assert accept["actor_role"] == "窗口受理员"
    assert accept["actor_name"] == str(heshan.clerk)
    assert accept["at"].startswith("2026-06-01T")


def test_the_explanation_counts_five_working_days_and_skips_the_spring_festival(heshan, as_user):
    with clock.frozen(at("2026-02-10")):
        case = accepted_case(heshan, day="2026-02-10")
        body = as_user(heshan.clerk).get(f"{detail_url(case)}clocks/promised/explain/").json()
    assert (body["start"], body["budget"], body["due"]) == ("2026-02-10", 5, "2026-02-24")
    assert body["clock"]["kind_label"] == "承诺时限"
    assert [d["ordinal"] for d in body["counted"]] == [1, 2, 3, 4, 5]
    assert body["counted_days"] == 5
    assert body["counted"][-1]["date"] == "2026-02-24"
    skipped = {d["date"]: d["reason"] for d in body["skipped"]}
    assert skipped["2026-02-17"] == "春节"
    assert len(body["counted"]) + len(body["skipped"]) == (dt.date(2026, 2, 24) - dt.date(2026, 2, 10)).days


def test_the_explanation_of_a_paused_clock_lists_the_pause_as_skipped_days(heshan, as_user):
    case = accepted_case(heshan)
    services.case_pause(
        case=Case.objects.get(pk=case.pk),
        actor=heshan.approver,
        now=at("2026-06-02"),
        reason_code="testing",
        reason="送检",
        expected_days=5,
    )
    with clock.frozen(at("2026-06-05")):
        body = as_user(heshan.approver).get(f"{detail_url(case)}clocks/statutory/explain/").json()
    assert body["due"] is None
    assert [d["date"] for d in body["counted"]] == ["2026-06-02"]
    assert {d["date"]: d["reason"] for d in body["skipped"]} == {
        "2026-06-03": "特别程序（不计时）：送检",
        "2026-06-04": "特别程序（不计时）：送检",
        "2026-06-05": "特别程序（不计时）：送检",
    }


def test_explaining_a_clock_the_case_does_not_have_is_a_404(heshan, as_user):
    case = make_case(heshan)
    api = as_user(heshan.clerk)
    assert api.get(f"{detail_url(case)}clocks/statutory/explain/").status_code == 404
    assert api.get(f"{detail_url(case)}clocks/sundial/explain/").status_code == 404


# ---------------------------------------------------------------------------------------------
# Public: progress and certificate verification


def test_progress_by_number_and_query_code_shows_no_names_and_needs_no_login(heshan, api_client):
    case = accepted_case(heshan)
    response = api_client.get(
        "/api/v1/progress/", {"number": case.number, "query_code": case.query_code.lower()}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert set(body) == {
        "number",
        "status",
        "status_label",
        "item",
        "department",
        "received_on",
        "promised_due",
        "provisional",
        "timeline",
    }
    assert (body["status_label"], body["department"], body["promised_due"]) == (
        "审查中",
        "赫山区市场监督管理局",
        "2026-06-08",
    )
    assert [e["action_label"] for e in body["timeline"]] == ["保存草稿", "提交申请", "材料核验", "受理"]
    text = json.dumps(body, ensure_ascii=False)
    for secret in (str(heshan.clerk), "张三", PERSON_ID, "窗口受理员"):
        assert secret not in text


def test_progress_with_a_wrong_code_is_a_404_and_without_one_a_400(heshan, api_client):
    case = make_case(heshan)
    wrong = api_client.get("/api/v1/progress/", {"number": case.number, "query_code": "ZZZZZZ"})
    assert wrong.status_code == 404 and wrong.json()["message"] == "办件编号或查询码不正确。"
    missing = api_client.get("/api/v1/progress/", {"number": case.number})
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["query_code"]


def test_progress_queries_are_throttled_per_address(heshan, api_client):
    case = make_case(heshan)
    for _ in range(30):
        api_client.get("/api/v1/progress/", {"number": case.number, "query_code": "ZZZZZZ"})
    response = api_client.get("/api/v1/progress/", {"number": case.number, "query_code": case.query_code})
    assert response.status_code == 429


def test_a_certificate_is_verified_publicly_with_the_holders_id_masked(heshan, api_client, as_user):
    case = accepted_case(heshan)
    case = services.case_step_pass(case=case, actor=heshan.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=heshan.approver, now=at("2026-06-03"))
    certificate = services.case_issue_certificate(case=case, actor=heshan.clerk, now=at("2026-06-04"))
    response = api_client.get(f"/api/v1/certificates/verify/{certificate.verification_code}/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status_label"], body["is_valid"], body["signature_valid"]) == ("有效", True, True)
    assert body["issuer"] == "赫山区市场监督管理局"
    assert body["content"]["holder_id"] == "1101**********002X"
    assert PERSON_ID not in json.dumps(body)
    summary = as_user(heshan.clerk).get(detail_url(case)).json()["certificate"]
    assert summary["verification_code"] == certificate.verification_code
    assert summary["revoked_on"] is None


def test_an_unknown_verification_code_is_a_404(api_client, db):
    response = api_client.get("/api/v1/certificates/verify/NOSUCHCODE22/")
    assert response.status_code == 404
    assert response.json()["message"] == "未找到该核验码对应的证照，请核对后重试。"


# ---------------------------------------------------------------------------------------------
# Warning board


def test_the_warning_board_lists_the_cards_of_the_clerks_county_only(heshan, nanxian, as_user):
    with clock.frozen(at("2026-02-10")):
        case = accepted_case(heshan, day="2026-02-10")
    services.cases_sweep(now=at("2026-03-17"))
    body = as_user(heshan.clerk).get("/api/v1/cards/").json()
    rules = {row["rule"]: row for row in body["results"]}
    assert {"Y1", "R1"} <= set(rules)
    red = rules["R1"]
    assert (red["case"], red["level"], red["level_label"]) == (case.number, "red", "红牌")
    assert red["department"]["name"] == "赫山区市场监督管理局"
    assert red["clock"] in {"statutory", "promised"}
    assert as_user(heshan.clerk).get("/api/v1/cards/", {"open": "true"}).json()["count"] == body["count"]
    assert as_user(nanxian.clerk).get("/api/v1/cards/").json()["count"] == 0
    assert as_user(make_citizen()).get("/api/v1/cards/").status_code == 403


# ---------------------------------------------------------------------------------------------
# Schema


def test_every_case_operation_is_documented_and_each_action_is_its_own_operation(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{number}/",
        "/api/v1/cases/{number}/timeline/",
        "/api/v1/cases/{number}/clocks/{kind}/explain/",
        "/api/v1/cases/{number}/materials/{material_id}/files/",
        "/api/v1/cases/{number}/files/{file_id}/",
        "/api/v1/progress/",
        "/api/v1/certificates/verify/{code}/",
        "/api/v1/cards/",
    ):
        assert path in paths, path
    actions = {
        path.split("/")[-2]: item["post"]
        for path, item in paths.items()
        if path.startswith("/api/v1/cases/{number}/actions/")
    }
    assert len(actions) == 24
    assert actions["step_pass"]["operationId"] == "case_step_pass"
    assert actions["step_pass"]["summary"] == "审查通过"
    assert set(actions["pause"]["responses"]) >= {"200", "400", "403", "404", "409"}
    request = actions["pause"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][request.rsplit("/", 1)[-1]]
    assert set(component["properties"]) == {"reason_code", "reason", "expected_days"}
    assert len({op["operationId"] for op in actions.values()}) == 24
    create = schema["components"]["schemas"]["CaseCreateRequest"]["properties"]
    assert not {"status", "department", "assignee", "promised_due", "statutory_due"} & set(create)


def test_the_docs_page_lists_the_case_operations(client, db):
    page = client.get("/api/docs/").content.decode()
    for text in (
        "审查通过",
        "/api/v1/cases/{number}/actions/step_pass/",
        "上传材料文件",
        "电子证照核验",
        "已被他人处理",
    ):
        assert text in page, text


def test_a_window_receives_another_countys_cross_region_item_and_the_detail_names_both_units(
    heshan, nanxian, as_user
):
    from zhengwu.organization.choices import RegionLevel
    from zhengwu.organization.tests.factories import RegionFactory

    city = RegionFactory(code="430900000000", name="益阳市", level=RegionLevel.CITY)
    for county in (heshan, nanxian):
        county.region.parent = city
        county.region.save()
    item = make_item(
        department=nanxian.department, elements={"cross_region": True, "cross_region_scope": "全市通办"}
    )
    response = as_user(heshan.clerk).post(CASES, intake_body(item), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["cross_region"] is True
    assert body["intake_department"]["name"] == heshan.department.name
    assert body["department"]["name"] == nanxian.department.name
    assert {a["action"] for a in body["allowed_actions"]} == set()  # the handling department accepts
    handler = as_user(nanxian.clerk).get(f"{CASES}{body['number']}/").json()
    assert "accept" in {a["action"] for a in handler["allowed_actions"]}


def test_a_material_taken_from_the_certificate_library_carries_the_certificate_number(heshan, as_user):
    applicant = make_applicant()
    item = make_item(department=heshan.department, elements={"result_name": "营业执照"})
    case = accepted_case(heshan, item=item, applicant=applicant)
    case = services.case_step_pass(case=case, actor=heshan.approver, now=at("2026-06-01", 11))
    case = services.case_grant(case=case, actor=heshan.approver, now=at("2026-06-01", 12))
    certificate = services.case_issue_certificate(case=case, actor=heshan.clerk, now=at("2026-06-01", 14))
    second = make_case(heshan, applicant=applicant)
    body = as_user(heshan.clerk).get(detail_url(second)).json()
    held = {m["name"]: m["certificate_number"] for m in body["materials"]}
    assert held == {"申请书": None, "营业执照": certificate.number}
