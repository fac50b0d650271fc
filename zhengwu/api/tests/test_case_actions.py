"""`POST /api/v1/cases/{number}/actions/{action}/`: every transition through the API, and its errors."""

from __future__ import annotations

import pytest

from zhengwu.api.cases import ACTION_VIEWS
from zhengwu.cases import services
from zhengwu.cases.models import Case, CaseEvent
from zhengwu.cases.tests.factories import accepted_case, at, make_case, make_citizen
from zhengwu.catalog.tests.factories import default_children, make_item
from zhengwu.common import clock
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def act(api, case, action, body=None):
    return api.post(f"/api/v1/cases/{case.number}/actions/{action}/", body or {}, format="json")


def ok(response) -> dict:
    assert response.status_code == 200, response.json()
    return response.json()


def material_ids(case) -> list[int]:
    return list(case.materials.order_by("sort_order", "id").values_list("pk", flat=True))


def test_every_action_of_the_brief_has_its_own_endpoint():
    assert set(ACTION_VIEWS) == {
        "accept",
        "accept_with_deficiency",
        "refuse_intake",
        "request_supplement",
        "supplement",
        "decide_on_spot",
        "step_pass",
        "step_return",
        "step_transfer",
        "step_claim",
        "step_opinion",
        "pause",
        "resume",
        "extend",
        "supply_deferred",
        "grant",
        "deny",
        "issue_certificate",
        "deliver",
        "withdraw",
        "terminate",
        "archive",
        "submit",
        "materials_check",
    }


def test_the_whole_journey_from_the_window_to_the_archive_through_the_api(heshan, as_user):
    case = make_case(heshan)
    clerk, approver = as_user(heshan.clerk), as_user(heshan.approver)
    checks = [{"material_id": pk, "status": "received"} for pk in material_ids(case)]
    body = ok(act(clerk, case, "materials_check", {"checks": checks}))
    assert {m["status"] for m in body["materials"]} == {"received"}
    body = ok(act(clerk, case, "accept", {"comment": "材料齐全"}))
    assert (body["status"], body["accepted_on"], body["promised_due"]) == (
        "in_review",
        "2026-06-01",
        "2026-06-08",
    )
    assert "step_pass" in {
        a["action"] for a in ok(approver.get(f"/api/v1/cases/{case.number}/"))["allowed_actions"]
    }
    with clock.frozen(at("2026-06-02")):
        body = ok(act(approver, case, "step_pass", {"comment": "审查通过"}))
    assert body["status"] == "pending_decision"
    with clock.frozen(at("2026-06-03")):
        body = ok(act(approver, case, "grant", {}))
    assert (body["status"], body["decided_on"]) == ("granted", "2026-06-03")
    with clock.frozen(at("2026-06-04")):
        body = ok(act(clerk, case, "issue_certificate", {"valid_years": 5}))
    assert body["status"] == "certified"
    assert body["certificate"]["valid_until"] == "2031-06-03"
    with clock.frozen(at("2026-06-05")):
        body = ok(act(clerk, case, "deliver", {"mode": "mail", "address": "赫山区金山南路1号"}))
        assert (body["status"], body["delivery_mode_label"]) == ("delivered", "邮寄送达")
        body = ok(act(clerk, case, "archive"))
    assert body["status_label"] == "已归档"
    assert body["allowed_actions"] == []
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions[-6:] == ["accept", "step_pass", "grant", "issue_certificate", "deliver", "archive"]


def test_a_supplement_notice_lists_every_material_then_the_supplied_case_is_accepted(heshan, as_user):
    case = make_case(heshan)
    clerk = as_user(heshan.clerk)
    first, second = material_ids(case)
    body = ok(
        act(
            clerk,
            case,
            "request_supplement",
            {"items": [{"material_id": first, "note": "缺法定代表人签字"}, {"material_id": second}]},
        )
    )
    assert body["status"] == "supplement_requested"
    assert [(m["status"], m["note"]) for m in body["materials"]] == [
        ("faulty", "缺法定代表人签字"),
        ("missing", "未提交"),
    ]
    assert ok(act(clerk, case, "supplement", {"comment": "申请人已补正"}))["status"] == "supplemented"
    ok(
        act(
            clerk,
            case,
            "materials_check",
            {"checks": [{"material_id": pk, "status": "received"} for pk in (first, second)]},
        )
    )
    assert ok(act(clerk, case, "accept"))["status"] == "in_review"


def test_a_supplement_notice_must_name_materials_of_this_case(heshan, as_user):
    case = make_case(heshan)
    other = make_case(heshan)
    clerk = as_user(heshan.clerk)
    empty = act(clerk, case, "request_supplement", {"items": []})
    assert empty.status_code == 400 and "items" in empty.json()["fields"]
    foreign = act(clerk, case, "request_supplement", {"items": [{"material_id": material_ids(other)[0]}]})
    assert foreign.status_code == 400
    assert foreign.json()["message"] == "补正材料不属于该办件。"
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_refusing_intake_needs_a_reason(heshan, as_user):
    case = make_case(heshan)
    clerk = as_user(heshan.clerk)
    missing = act(clerk, case, "refuse_intake")
    assert missing.status_code == 400
    assert missing.json()["fields"] == {"reason": ["该字段是必填项。"]}
    body = ok(act(clerk, case, "refuse_intake", {"reason": "不属于本机关职权范围"}))
    assert (body["status"], body["refusal_reason"]) == ("not_accepted", "不属于本机关职权范围")


def test_a_deficiency_acceptance_holds_the_certificate_until_the_deferred_material_arrives(heshan, as_user):
    children = default_children()
    children["materials"][1]["necessity"] = "deferrable"
    case = make_case(heshan, **children)
    clerk, approver = as_user(heshan.clerk), as_user(heshan.approver)
    first, deferred = material_ids(case)
    ok(
        act(
            clerk,
            case,
            "materials_check",
            {
                "checks": [
                    {"material_id": first, "status": "received"},
                    {"material_id": deferred, "status": "deferred"},
                ]
            },
        )
    )
    body = ok(act(clerk, case, "accept_with_deficiency", {"comment": "营业执照容缺后补"}))
    assert body["deficiency_mode"] is True
    assert "deficiency" in {clk["kind"] for clk in body["clocks"]}
    ok(act(approver, case, "step_pass"))
    ok(act(approver, case, "grant", {"reason": "符合条件"}))
    held = act(clerk, case, "issue_certificate")
    assert held.status_code == 400 and held.json()["code"] == "deficiency_outstanding"
    body = ok(act(clerk, case, "supply_deferred", {"material_ids": [deferred]}))
    assert {m["status"] for m in body["materials"]} == {"received"}
    assert ok(act(clerk, case, "issue_certificate"))["status"] == "certified"


def test_an_immediate_item_is_decided_on_the_spot(heshan, as_user):
    case = make_case(
        heshan,
        elements={"case_kind": "immediate", "promised_limit": 0, "promised_limit_unit": "immediate"},
    )
    clerk = as_user(heshan.clerk)
    ok(
        act(
            clerk,
            case,
            "materials_check",
            {"checks": [{"material_id": pk, "status": "received"} for pk in material_ids(case)]},
        )
    )
    body = ok(act(clerk, case, "decide_on_spot", {"comment": "当场办结"}))
    assert (body["status"], body["decided_on"]) == ("granted", "2026-06-01")


def test_deciding_on_the_spot_is_refused_for_a_promised_item(heshan, as_user):
    response = act(as_user(heshan.clerk), make_case(heshan), "decide_on_spot")
    assert response.status_code == 400
    assert response.json()["message"] == "只有即办件可以当场办结。"


def test_pause_resume_and_the_one_extension(heshan, as_user):
    case = accepted_case(heshan, elements={"promised_limit": 15})
    approver, head = as_user(heshan.approver), as_user(heshan.head)
    with clock.frozen(at("2026-06-08")):
        body = ok(
            act(
                approver,
                case,
                "pause",
                {"reason_code": "expert_review", "reason": "组织专家评审", "expected_days": 15},
            )
        )
    assert body["paused"] is True
    with clock.frozen(at("2026-06-26")):
        body = ok(act(approver, case, "resume", {"comment": "评审结论已出"}))
    assert body["paused"] is False
    assert body["statutory_due"] == "2026-07-17"
    too_long = act(head, case, "extend", {"days": 30, "reason": "情况复杂"})
    assert too_long.status_code == 400 and "days" in too_long.json()["fields"]
    with clock.frozen(at("2026-07-15")):
        body = ok(act(head, case, "extend", {"days": 10, "reason": "情况复杂"}))
    assert body["statutory_due"] == "2026-07-31"
    again = act(head, case, "extend", {"days": 1, "reason": "再延"})
    assert again.status_code == 400 and again.json()["code"] == "already_extended"


def test_a_pause_needs_a_legal_reason_code(heshan, as_user):
    case = accepted_case(heshan)
    response = act(
        as_user(heshan.approver),
        case,
        "pause",
        {"reason_code": "lunch", "reason": "午休", "expected_days": 1},
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["reason_code"]


def test_steps_are_claimed_transferred_and_returned(heshan, as_user):
    children = default_children()
    children["steps"] = [
        {"name": "初审", "limit": 1, "limit_unit": "working_day"},
        {"name": "复审", "limit": 1, "limit_unit": "working_day"},
    ]
    case = accepted_case(heshan, **children)
    colleague = UserFactory(department=heshan.department, roles=[Role.APPROVER], scope=[heshan.department])
    approver = as_user(heshan.approver)
    body = ok(act(approver, case, "step_claim"))
    assert body["assignee"] == str(heshan.approver)
    body = ok(act(approver, case, "step_transfer", {"to_user": colleague.username, "comment": "请协助"}))
    assert body["assignee"] == str(colleague)
    assert act(approver, case, "step_pass").status_code == 403  # the step is now the colleague's
    body = ok(act(as_user(colleague), case, "step_pass"))
    assert body["current_step"] == "复审"
    missing = act(approver, case, "step_return")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["comment"]
    body = ok(act(approver, case, "step_return", {"comment": "初审意见不完整"}))
    assert body["current_step"] == "初审"


def test_a_transfer_to_somebody_outside_the_scope_is_a_400(heshan, nanxian, as_user):
    case = accepted_case(heshan)
    response = act(as_user(heshan.approver), case, "step_transfer", {"to_user": nanxian.approver.username})
    assert response.status_code == 400
    assert response.json()["fields"] == {"to_user": ["接收人不存在或不在您的数据范围内。"]}


def test_a_joint_step_collects_each_departments_opinion(heshan, as_user):
    case = accepted_case(heshan)
    fire = DepartmentFactory(region=heshan.region, name="赫山区消防救援大队")
    inspector = UserFactory(department=fire, roles=[Role.APPROVER], scope=[heshan.region])
    services.step_joint_departments_set(case=case, actor=heshan.approver, department_ids=[fire.pk])
    approver = as_user(heshan.approver)
    waiting = act(approver, case, "step_pass")
    assert waiting.status_code == 400 and "赫山区消防救援大队" in waiting.json()["message"]
    missing = act(as_user(inspector), case, "step_opinion", {"agrees": True})
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["opinion"]
    body = ok(act(as_user(inspector), case, "step_opinion", {"agrees": True, "opinion": "消防设施符合要求"}))
    [step] = body["steps"]
    assert step["joint_departments"] == [{"id": fire.pk, "name": "赫山区消防救援大队"}]
    assert step["opinions"] == [
        {
            "department": {"id": fire.pk, "name": "赫山区消防救援大队"},
            "agrees": True,
            "opinion": "消防设施符合要求",
        }
    ]
    assert ok(act(approver, case, "step_pass"))["status"] == "pending_decision"


def test_a_denial_needs_reasons_and_is_delivered(heshan, as_user):
    case = accepted_case(heshan)
    approver = as_user(heshan.approver)
    ok(act(approver, case, "step_pass"))
    assert act(approver, case, "deny", {"reason": ""}).status_code == 400
    body = ok(act(approver, case, "deny", {"reason": "不符合法定条件；可依法申请行政复议或提起行政诉讼。"}))
    assert body["status"] == "denied"
    assert ok(act(as_user(heshan.clerk), case, "deliver", {"mode": "electronic"}))["status"] == "delivered"


def test_mail_delivery_needs_an_address(heshan, as_user):
    case = accepted_case(heshan)
    ok(act(as_user(heshan.approver), case, "step_pass"))
    ok(act(as_user(heshan.approver), case, "deny", {"reason": "不符合条件"}))
    response = act(as_user(heshan.clerk), case, "deliver", {"mode": "mail"})
    assert response.status_code == 400
    assert response.json()["fields"] == {"address": ["邮寄送达必须填写送达地址。"]}


def test_a_citizen_withdraws_their_own_application(heshan, as_user):
    citizen = make_citizen()
    case = services.case_create(
        item=make_item(department=heshan.department),
        applicant=citizen.applicant,
        channel="online",
        now=at("2026-06-01"),
        actor=citizen,
    )
    body = ok(act(as_user(citizen), case, "withdraw", {"reason": "不再需要"}))
    assert (body["status"], body["status_label"]) == ("withdrawn", "已撤回")


def test_a_case_under_review_is_terminated_with_a_reason(heshan, as_user):
    case = accepted_case(heshan)
    assert act(as_user(heshan.approver), case, "terminate").status_code == 400
    body = ok(act(as_user(heshan.approver), case, "terminate", {"reason": "申请人逾期未补正"}))
    assert body["status"] == "terminated"


def test_a_role_that_may_not_act_gets_a_403_with_the_reason(heshan, as_user):
    case = accepted_case(heshan)
    response = act(as_user(heshan.clerk), case, "step_pass")
    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "您的角色不能执行此操作。",
        "fields": {},
    }
    extension = act(as_user(heshan.approver), case, "extend", {"days": 5, "reason": "复杂"})
    assert extension.status_code == 403 and extension.json()["message"] == "延长期限须经部门负责人批准。"


def test_an_action_the_status_does_not_allow_is_a_400(heshan, as_user):
    response = act(as_user(heshan.approver), make_case(heshan), "grant")
    assert response.status_code == 400
    assert response.json()["code"] == "transition_not_allowed"


def test_another_countys_staff_get_404_for_every_action(heshan, nanxian, as_user):
    case = accepted_case(heshan)
    for user in (nanxian.clerk, nanxian.approver, nanxian.head):
        for action in ("step_pass", "pause", "extend", "withdraw", "archive"):
            response = act(as_user(user), case, action, {})
            assert response.status_code == 404, (user, action)
    assert act(as_user(make_citizen()), case, "withdraw").status_code == 404
    assert Case.objects.get(pk=case.pk).status == "in_review"


def test_an_unknown_action_is_a_404_and_a_get_is_a_405(heshan, as_user):
    case = accepted_case(heshan)
    api = as_user(heshan.approver)
    unknown = act(api, case, "approve_everything")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    status_change = act(api, case, "deem_accepted")  # the sweep's transition, never a person's
    assert status_change.status_code == 404
    assert api.get(f"/api/v1/cases/{case.number}/actions/step_pass/").status_code == 405


def test_a_stale_second_pass_is_a_409_conflict(heshan, as_user, monkeypatch):
    """The view loaded the case, somebody else acted, then the service ran: 409, nothing changed."""
    case = accepted_case(heshan)
    from zhengwu.cases import permissions

    real = permissions.case_get_for_user
    loaded = {}

    def load_then_lose_the_race(user, number):
        fetched = real(user, number)
        if not loaded:
            loaded["case"] = fetched
            services.case_step_pass(
                case=Case.objects.get(pk=fetched.pk), actor=heshan.head, now=at("2026-06-01")
            )
        return fetched

    monkeypatch.setattr(permissions, "case_get_for_user", load_then_lose_the_race)
    response = act(as_user(heshan.approver), case, "step_pass")
    assert response.status_code == 409
    assert response.json() == {
        "code": "conflict",
        "message": "该办件已被他人处理，请刷新页面后重试。",
        "fields": {},
    }
    assert CaseEvent.objects.filter(case=case, action="step_pass").count() == 1


def test_materials_check_refuses_an_unknown_status_and_a_foreign_material(heshan, as_user):
    case = make_case(heshan)
    other = make_case(heshan)
    clerk = as_user(heshan.clerk)
    bad = act(
        clerk, case, "materials_check", {"checks": [{"material_id": material_ids(case)[0], "status": "fine"}]}
    )
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"
    foreign = act(
        clerk,
        case,
        "materials_check",
        {"checks": [{"material_id": material_ids(other)[0], "status": "received"}]},
    )
    assert foreign.status_code == 400 and foreign.json()["message"] == "材料核验信息有误。"
