"""The case pages of the workbench: lists, intake, the case page, its htmx actions, clocks, files, cards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengwu.cases import services
from zhengwu.cases.models import Card, Case
from zhengwu.cases.tests.factories import (
    accepted_case,
    at,
    make_applicant,
    make_case,
    make_citizen,
    make_county,
    receive_all,
)
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.tests.test_uploads import make_png
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def other():
    return make_county(code="430921000000", name="南县")


@pytest.fixture
def frozen():
    with clock.frozen(at("2026-06-02")):
        yield


def login(client, user):
    client.force_login(user)
    return client


def case_url(case, name="case_detail", *args):
    return reverse(f"workbench:{name}", args=[case.number, *args])


def action(client, case, name, data=None, **headers):
    case.refresh_from_db()
    payload = {"version": case.version, **(data or {})}
    return client.post(case_url(case, "case_action", name), payload, **{**HTMX, **headers})


# -- access --------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_staff_login(client, county):
    case = make_case(county)
    for url in (reverse("workbench:case_list"), case_url(case), reverse("workbench:card_board")):
        response = client.get(url)
        assert response.status_code == 302 and reverse("workbench:login") in response.url


def test_a_citizen_account_cannot_open_the_workbench(client, county):
    citizen = make_citizen()
    login(client, citizen)
    for url in (reverse("workbench:home"), reverse("workbench:case_list"), reverse("workbench:case_intake")):
        response = client.get(url)
        assert response.status_code == 403
        assert "仅供工作人员使用" in response.content.decode()


def test_a_clerk_of_another_county_sees_nothing_of_the_case(client, county, other, frozen):
    case = accepted_case(county)
    material = case.materials.first()
    stored = services.case_file_add(
        case=case,
        material=material,
        name="申请书.png",
        data=make_png(),
        actor=county.clerk,
        now=at("2026-06-01"),
    )
    clock_id = case.clocks.first().pk
    login(client, other.clerk)
    assert case.number not in client.get(reverse("workbench:case_list")).content.decode()
    assert client.get(case_url(case)).status_code == 404
    assert client.get(case_url(case, "clock_explain", clock_id)).status_code == 404
    assert client.get(case_url(case, "case_file", stored.pk)).status_code == 404
    assert action(client, case, "step_pass").status_code == 404
    assert client.post(case_url(case, "case_materials"), {}, **HTMX).status_code == 404
    case.refresh_from_db()
    assert case.status == "in_review" and case.current_step.status == "active"


# -- the list --------------------------------------------------------------------------------------


def test_the_list_shows_masked_applicants_due_dates_and_warnings(client, county, frozen):
    applicant = make_applicant(name="张三丰")
    accepted_case(county, applicant=applicant)
    paused = accepted_case(county, applicant=applicant)
    services.case_pause(
        case=paused,
        actor=county.approver,
        now=at("2026-06-02"),
        reason_code="expert_review",
        reason="专家评审",
        expected_days=5,
    )
    Case.objects.filter(pk=paused.pk).update(warning="yellow")
    page = login(client, county.clerk).get(reverse("workbench:case_list")).content.decode()
    assert "张**" in page and "张三丰" not in page
    assert "2026-06-08 / 2026-06-30" in page  # 5 and 20 working days from 06-01 (端午 06-19)
    assert "已暂停" in page
    assert 'class="badge level-yellow">黄牌' in page
    for tab in ("我的待办", "部门待办", "全部"):
        assert tab in page


def test_the_my_queue_tab_lists_only_the_cases_assigned_to_me(client, county, frozen):
    mine = accepted_case(county)
    theirs = accepted_case(county)
    services.case_step_claim(case=mine, actor=county.approver, now=at("2026-06-02"))
    login(client, county.approver)
    page = client.get(reverse("workbench:case_list"), {"queue": "mine"}).content.decode()
    assert mine.number in page and theirs.number not in page
    page = client.get(reverse("workbench:case_list"), {"queue": "department"}).content.decode()
    assert mine.number in page and theirs.number in page


def test_filtering_with_htmx_returns_only_the_rows(client, county, frozen):
    case = make_case(county)
    login(client, county.clerk)
    response = client.get(reverse("workbench:case_list"), {"status": "submitted"}, **HTMX)
    body = response.content.decode()
    assert case.number in body and "<html" not in body
    bad = client.get(reverse("workbench:case_list"), {"received_from": "昨天"}).content.decode()
    assert "有效的日期" in bad or "日期" in bad


def test_the_list_runs_a_fixed_number_of_queries(client, county, frozen, django_assert_max_num_queries):
    item = make_item(department=county.department)
    for _ in range(2):
        make_case(county, item=item)
    login(client, county.clerk)
    with django_assert_max_num_queries(9):
        client.get(reverse("workbench:case_list"))
    for _ in range(12):
        make_case(county, item=item)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("workbench:case_list"))
    assert response.content.decode().count('href="/workbench/cases/430903-') == 14


def test_the_case_page_runs_a_bounded_number_of_queries(
    client, county, frozen, django_assert_max_num_queries
):
    case = accepted_case(county)
    for day in ("2026-06-02", "2026-06-03"):
        case = services.case_pause(
            case=case,
            actor=county.approver,
            now=at(day),
            reason_code="hearing",
            reason="听证",
            expected_days=3,
        )
        case = services.case_resume(case=case, actor=county.approver, now=at(day))
    login(client, county.approver)
    with django_assert_max_num_queries(21):  # number lookup + detail by pk
        client.get(case_url(case))


# -- intake ----------------------------------------------------------------------------------------


def test_intake_finds_published_items_of_the_clerks_scope(client, county, other, frozen):
    make_item(department=county.department, name="食品经营许可")
    make_item(department=other.department, name="食品生产许可")
    make_item(department=county.department, name="药品零售许可", publish=False)
    login(client, county.clerk)
    body = client.get(reverse("workbench:case_intake"), {"q": "食品"}, **HTMX).content.decode()
    assert "食品经营许可" in body and "食品生产许可" not in body
    assert "药品零售许可" not in client.get(reverse("workbench:case_intake")).content.decode()


def test_intake_registers_the_applicant_and_opens_a_window_case(client, county, frozen):
    item = make_item(department=county.department, name="食品经营许可")
    login(client, county.clerk)
    url = reverse("workbench:case_intake")
    assert "申请人姓名/名称" in client.get(url, {"item": item.implementation_code}).content.decode()
    response = client.post(
        url,
        {
            "item": item.implementation_code,
            "kind": "person",
            "name": "王五",
            "id_number": "11010519491231002X",
            "phone": "13812345678",
            "agent_name": "赵六",
            "agent_id_number": "430903199001011238",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/workbench/cases/{case.number}/#materials")
    assert case.status == "submitted" and case.channel == "window"
    assert case.applicant.name == "王五" and case.agent_name == "赵六"
    assert case.materials.count() == 2
    page = client.get(response.url.split("#")[0]).content.decode()
    assert "已收件" in page and "王*" in page and "保存核验结果" in page


def test_intake_refuses_a_bad_id_number_in_chinese_and_creates_nothing(client, county, frozen):
    item = make_item(department=county.department)
    login(client, county.clerk)
    response = client.post(
        reverse("workbench:case_intake"),
        {
            "item": item.implementation_code,
            "kind": "person",
            "name": "王五",
            "id_number": "110105194912310021",
        },
    )
    assert response.status_code == 200
    assert "校验" in response.content.decode() or "无效" in response.content.decode()
    assert not Case.objects.exists()


def test_intake_asks_for_the_agents_name_and_required_fields(client, county, frozen):
    item = make_item(department=county.department)
    login(client, county.clerk)
    page = client.post(
        reverse("workbench:case_intake"),
        {"item": item.implementation_code, "kind": "person", "agent_phone": "13900000000"},
    ).content.decode()
    assert "该字段是必填项" in page and "须填写代办人姓名" in page
    assert not Case.objects.exists()


def test_intake_of_an_item_outside_the_scope_is_not_found(client, county, other, frozen):
    item = make_item(department=other.department)
    login(client, county.clerk)
    assert client.get(reverse("workbench:case_intake"), {"item": item.implementation_code}).status_code == 404


# -- the case page ---------------------------------------------------------------------------------


def test_the_case_page_shows_the_header_checklist_steps_clocks_and_timeline(client, county, frozen):
    case = accepted_case(county, applicant=make_applicant(name="张三"))
    page = login(client, county.approver).get(case_url(case)).content.decode()
    assert case.number in page and "审查中" in page and "张*" in page and "张三<" not in page
    assert "1101**********002X" in page
    for text in ("申请材料", "申请书", "审查环节", "办理时限", "法定时限", "承诺时限", "办理记录", "受理"):
        assert text in page
    assert 'id="clock-data"' in page and "echarts.min.js" in page
    assert ">审查通过</button>" in page  # the approver's actions …
    assert ">受理</button>" not in page  # … and only those
    supervisor_page = login(client, county.supervisor).get(case_url(case)).content.decode()
    assert "保存核验结果" not in supervisor_page and "没有可执行的操作" in supervisor_page


def test_the_clerk_ticks_the_material_checklist_with_htmx(client, county, frozen):
    case = make_case(county)
    first, second = case.materials.order_by("sort_order", "id")
    login(client, county.clerk)
    response = client.post(
        case_url(case, "case_materials"),
        {
            "version": case.version,
            f"status_{first.pk}": "received",
            f"remark_{first.pk}": "原件已核",
            f"status_{second.pk}": "faulty",
            f"remark_{second.pk}": "复印件不清晰",
        },
        **HTMX,
    )
    assert response.status_code == 200 and 'id="case-panel"' in response.content.decode()
    assert "材料核验结果已保存" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.note) == ("received", "原件已核")
    assert (second.status, second.note) == ("faulty", "复印件不清晰")


def test_a_bad_material_status_is_refused_in_chinese(client, county, frozen):
    case = make_case(county)
    material = case.materials.first()
    login(client, county.clerk)
    response = client.post(
        case_url(case, "case_materials"),
        {"version": case.version, f"status_{material.pk}": "deferred"},
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "材料核验信息有误" in body and "不是容缺可后补材料" in body
    material.refresh_from_db()
    assert material.status == "pending"


# -- actions with htmx -----------------------------------------------------------------------------


def test_the_window_journey_supplement_then_accept(client, county, frozen):
    case = make_case(county, now=at("2026-06-01"))
    first, second = case.materials.order_by("sort_order", "id")
    login(client, county.clerk)
    response = action(
        client, case, "request_supplement", {"material": [first.pk, second.pk], f"note_{first.pk}": "缺签字"}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "“一次性告知补正”已完成" in body
    case.refresh_from_db()
    assert case.status == "supplement_requested"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.note, second.status, second.note) == ("faulty", "缺签字", "missing", "未提交")
    assert "申请书：缺签字" in body  # the notice's list in the timeline
    assert action(client, case, "supplement").status_code == 200
    receive_all(case, county, at("2026-06-02"))
    response = action(client, case, "accept")
    assert response.status_code == 200 and "“受理”已完成" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "in_review" and case.accepted_on == dt.date(2026, 6, 2)


def test_from_review_to_delivery_through_the_action_forms(client, county, frozen):
    case = accepted_case(county)
    login(client, county.approver)
    assert action(client, case, "step_claim").status_code == 200
    case.refresh_from_db()
    assert case.assignee == county.approver
    assert action(client, case, "step_pass", {"comment": "材料齐全"}).status_code == 200
    case.refresh_from_db()
    assert case.status == "pending_decision"
    assert action(client, case, "grant", {"reason": ""}).status_code == 200
    case.refresh_from_db()
    assert case.status == "granted" and case.decision_reason == "符合法定条件，准予许可。"
    login(client, county.clerk)
    body = action(client, case, "issue_certificate").content.decode()
    assert "已制证" in body
    body = action(client, case, "deliver", {"mode": "mail", "address": ""}).content.decode()
    assert "邮寄送达必须填写送达地址" in body
    assert action(client, case, "deliver", {"mode": "electronic"}).status_code == 200
    case.refresh_from_db()
    assert case.status == "delivered" and case.delivery_mode == "electronic"
    events = [e.action for e in case.events.all()]
    assert events[-4:] == ["step_pass", "grant", "issue_certificate", "deliver"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("refuse_intake", {"reason": " "}, "不予受理必须写明理由"),
        ("request_supplement", {}, "一次性告知须列明需要补正的材料"),
        ("request_supplement", {"material": "abc"}, "所选材料无效"),
        ("accept", {}, "以下必要材料尚未核验收取"),
        ("withdraw", {"reason": "x" * 501}, "撤回原因不能超过 500 个字"),
    ],
)
def test_intake_actions_show_chinese_errors_inline(client, county, frozen, name, data, message):
    case = make_case(county)
    login(client, county.clerk)
    response = action(client, case, name, data)
    body = response.content.decode()
    assert response.status_code == 200 and message in body
    assert f'data-action="{name}"' in body and 'role="alert"' in body
    case.refresh_from_db()
    assert case.status == "submitted"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "pause",
            {"reason_code": "expert_review", "reason": "评审", "expected_days": "十五"},
            "预计所需时间应为整数",
        ),
        ("pause", {"reason_code": "nap", "reason": "评审", "expected_days": "5"}, "暂停事由无效"),
        (
            "pause",
            {"reason_code": "hearing", "reason": "听证", "expected_days": "0"},
            "预计所需时间应为 1–250 个工作日",
        ),
        ("step_return", {"comment": ""}, "退回必须写明原因"),
        ("step_transfer", {"to_user": ""}, "请填写接收人"),
        ("grant", {}, "您当前不能对该办件执行“准予许可”"),
    ],
)
def test_review_actions_show_chinese_errors_inline(client, county, frozen, name, data, message):
    case = accepted_case(county)
    login(client, county.approver)
    response = action(client, case, name, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Case.objects.get(pk=case.pk).paused


def test_an_extension_by_the_head_moves_the_statutory_due_date(client, county, frozen):
    case = accepted_case(county)
    login(client, county.head)
    assert (
        "不能超过"
        not in action(client, case, "extend", {"days": "10", "reason": "情况复杂"}).content.decode()
    )
    case.refresh_from_db()
    assert case.statutory_due == dt.date(2026, 7, 14)
    body = action(client, case, "extend", {"days": "10", "reason": "再延"}).content.decode()
    assert "法定期限只能延长一次" in body or "不能对该办件执行" in body


def test_a_transfer_hands_the_step_to_another_approver(client, county, frozen):
    colleague = UserFactory(department=county.department, roles=[Role.APPROVER], scope=[county.department])
    case = accepted_case(county)
    login(client, county.approver)
    assert str(colleague) in client.get(case_url(case)).content.decode()
    body = action(
        client, case, "step_transfer", {"to_user": colleague.pk, "comment": "请办理"}
    ).content.decode()
    assert f"已转办给 {colleague}" in body
    case.refresh_from_db()
    assert case.assignee == colleague


DEFERRABLE_MATERIALS = [
    {
        "name": "申请书",
        "material_type": "original",
        "form": "both",
        "necessity": "required",
        "paper_copies": 1,
    },
    {
        "name": "场所证明",
        "material_type": "copy",
        "form": "paper",
        "necessity": "deferrable",
        "paper_copies": 1,
    },
]


def test_deficiency_acceptance_then_the_deferred_material_arrives(client, county, frozen):
    case = make_case(county, materials=DEFERRABLE_MATERIALS)
    required, deferrable = case.materials.order_by("sort_order", "id")
    services.case_materials_check(
        case=case,
        actor=county.clerk,
        checks={required.pk: ("received", ""), deferrable.pk: ("deferred", "承诺5日内补交")},
        now=at("2026-06-02"),
    )
    login(client, county.clerk)
    assert (
        "“容缺受理”已完成"
        in action(client, case, "accept_with_deficiency", {"deficiency_days": "5"}).content.decode()
    )
    deferrable.refresh_from_db()
    assert deferrable.deferred_due == dt.date(2026, 6, 9)
    body = client.get(case_url(case)).content.decode()
    assert "容缺补齐期限 2026-06-09" in body
    assert (
        "“容缺材料补齐”已完成"
        in action(client, case, "supply_deferred", {"material": deferrable.pk}).content.decode()
    )
    deferrable.refresh_from_db()
    assert deferrable.status == "received"


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [
        ("refuse_intake", {"reason": "不属于本机关职权范围"}, "not_accepted"),
        ("withdraw", {"reason": "申请人书面撤回"}, "withdrawn"),
    ],
)
def test_an_intake_ends_by_refusal_or_withdrawal(client, county, frozen, name, data, status):
    case = make_case(county)
    login(client, county.clerk)
    assert action(client, case, name, data).status_code == 200
    case.refresh_from_db()
    assert case.status == status and case.finished_at is not None
    assert action(client, case, "archive").status_code == 200
    assert Case.objects.get(pk=case.pk).status == "archived"


def test_a_pause_and_its_resumption_through_the_forms(client, county, frozen):
    case = accepted_case(county)
    login(client, county.approver)
    body = action(
        client,
        case,
        "pause",
        {"reason_code": "expert_review", "reason": "组织专家评审", "expected_days": "5"},
    ).content.decode()
    assert "“特别程序/中止”已完成" in body and ">恢复计时</button>" in body
    assert Case.objects.get(pk=case.pk).paused
    assert action(client, case, "resume", {"comment": "评审结果已收到"}).status_code == 200
    assert not Case.objects.get(pk=case.pk).paused


def test_a_decision_can_be_returned_then_denied_with_reasons(client, county, frozen):
    case = accepted_case(county)
    services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    login(client, county.approver)
    assert action(client, case, "step_return", {"comment": "需补充现场核查"}).status_code == 200
    assert Case.objects.get(pk=case.pk).status == "in_review"
    services.case_step_pass(case=Case.objects.get(pk=case.pk), actor=county.approver, now=at("2026-06-02"))
    assert "不予许可必须说明理由" in action(client, case, "deny", {"reason": ""}).content.decode()
    assert (
        action(client, case, "deny", {"reason": "不符合法定条件；可依法申请复议或提起诉讼。"}).status_code
        == 200
    )
    assert Case.objects.get(pk=case.pk).status == "denied"


def test_a_joint_step_collects_an_opinion_from_the_other_department(client, county, frozen):
    from zhengwu.organization.tests.factories import DepartmentFactory

    fire = DepartmentFactory(region=county.region, name="赫山区消防救援大队")
    inspector = UserFactory(department=fire, roles=[Role.APPROVER], scope=[county.region])
    case = accepted_case(county)
    services.step_joint_departments_set(case=case, actor=county.approver, department_ids=[fire.pk])
    login(client, county.approver)
    assert ">会审意见</button>" not in client.get(case_url(case)).content.decode()
    login(client, inspector)
    assert "请选择同意或不同意" in action(client, case, "step_opinion", {"opinion": "同意"}).content.decode()
    body = action(
        client, case, "step_opinion", {"agrees": "1", "opinion": "消防条件符合要求"}
    ).content.decode()
    assert "赫山区消防救援大队：同意，消防条件符合要求" in body


def test_the_head_terminates_a_case_in_review(client, county, frozen):
    case = accepted_case(county)
    login(client, county.head)
    assert action(client, case, "terminate", {"reason": "申请人未按期补齐材料"}).status_code == 200
    assert Case.objects.get(pk=case.pk).status == "terminated"


def test_a_stale_form_is_refused_with_409_saying_someone_else_handled_it(client, county, frozen):
    case = accepted_case(county)
    stale_version = Case.objects.get(pk=case.pk).version
    services.case_step_pass(case=case, actor=county.head, now=at("2026-06-02"))
    login(client, county.approver)
    response = client.post(
        case_url(case, "case_action", "step_return"), {"version": stale_version, "comment": "退"}, **HTMX
    )
    assert response.status_code == 409
    assert "已被他人处理，请刷新" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "pending_decision"


def test_without_htmx_an_action_redirects_back_to_the_case_page(client, county, frozen):
    case = accepted_case(county)
    login(client, county.approver)
    response = client.post(case_url(case, "case_action", "step_pass"), {"version": case.version})
    assert response.status_code == 302 and response.url == case_url(case)
    assert "“审查通过”已完成" in client.get(response.url).content.decode()
    response = client.post(case_url(case, "case_action", "step_return"), {"comment": ""}, follow=True)
    assert "退回必须写明原因" in response.content.decode()


def test_an_unknown_action_is_not_found_and_get_is_not_allowed(client, county, frozen):
    case = accepted_case(county)
    login(client, county.approver)
    assert client.post(case_url(case, "case_action", "delete"), **HTMX).status_code == 404
    assert client.get(case_url(case, "case_action", "step_pass")).status_code == 405


# -- clocks and files ------------------------------------------------------------------------------


def test_the_explanation_lists_counted_and_skipped_days(client, county, frozen):
    case = accepted_case(county, day="2026-06-01")
    statutory = case.clocks.get(kind="statutory")
    page = login(client, county.approver).get(case_url(case, "clock_explain", statutory.pk)).content.decode()
    assert "计算说明" in page and "2026-06-30" in page
    assert "端午节" in page and "不计入" in page
    assert page.count('class="counted"') == 20


def test_the_explanation_shows_a_pause_as_skipped_days(client, county, frozen):
    case = accepted_case(county, day="2026-06-01")
    services.case_pause(
        case=case,
        actor=county.approver,
        now=at("2026-06-02"),
        reason_code="expert_review",
        reason="专家评审",
        expected_days=5,
    )
    promised = case.clocks.get(kind="promised")
    page = login(client, county.approver).get(case_url(case, "clock_explain", promised.pk)).content.decode()
    assert "暂停计时中" in page and "专家评审" in page


def test_a_material_file_downloads_as_an_attachment(client, county, frozen):
    case = make_case(county)
    material = case.materials.first()
    stored = services.case_file_add(
        case=case,
        material=material,
        name="申请书.png",
        data=make_png(),
        actor=county.clerk,
        now=at("2026-06-01"),
    )
    login(client, county.clerk)
    assert "申请书.png" in client.get(case_url(case)).content.decode()
    response = client.get(case_url(case, "case_file", stored.pk))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == make_png()
    assert client.get(case_url(case, "case_file", stored.pk + 99)).status_code == 404


# -- the warning board -----------------------------------------------------------------------------


@pytest.fixture
def carded(county):
    case = accepted_case(county, day="2026-02-10")
    services.cases_sweep(now=at("2026-02-25"))
    return case


def test_the_board_lists_open_cards_by_level(client, county, other, carded):
    with clock.frozen(at("2026-02-25")):
        page = login(client, county.clerk).get(reverse("workbench:card_board")).content.decode()
        assert carded.number in page and "超过承诺期限" in page and "2026-02-28" in page
        reds = client.get(reverse("workbench:card_board"), {"level": "red"}).content.decode()
        assert carded.number not in reds
        login(client, other.clerk)
        assert carded.number not in client.get(reverse("workbench:card_board")).content.decode()


def test_a_department_responds_to_a_yellow_card(client, county, carded):
    yellow = Card.objects.get(case=carded, rule="Y1")
    login(client, county.clerk)
    url = reverse("workbench:card_respond", args=[yellow.pk])
    assert "整改说明不能为空" in client.post(url, {"response": ""}, **HTMX).content.decode()
    body = client.post(url, {"response": "已督促办理"}, **HTMX).content.decode()
    assert "整改说明已提交" in body and f'id="card-{yellow.pk}"' in body
    yellow.refresh_from_db()
    assert yellow.response == "已督促办理"


def test_only_a_supervisor_voids_a_card(client, county, other, carded):
    yellow = Card.objects.get(case=carded, rule="Y1")
    url = reverse("workbench:card_void", args=[yellow.pk])
    with clock.frozen(at("2026-02-26")):
        board = login(client, county.clerk).get(reverse("workbench:card_board")).content.decode()
        assert url not in board
        assert "只有监管员可以撤销红黄牌" in client.post(url, {"reason": "申诉成立"}, **HTMX).content.decode()
        login(client, other.supervisor)
        assert client.post(url, {"reason": "申诉成立"}, **HTMX).status_code == 404
        login(client, county.supervisor)
        assert url in client.get(reverse("workbench:card_board")).content.decode()
        assert "撤销红黄牌必须写明理由" in client.post(url, {"reason": ""}, **HTMX).content.decode()
        assert "已撤销该红黄牌" in client.post(url, {"reason": "申诉成立"}, **HTMX).content.decode()
        board = client.get(reverse("workbench:card_board"), {"level": "yellow"}).content.decode()
        assert f'id="card-{yellow.pk}"' not in board
    yellow.refresh_from_db()
    assert yellow.voided and yellow.void_reason == "申诉成立"
