"""Bundle services: one submission opens a child case per selected first-stage member, each with its own
intake clock; one acceptance accepts them all; a later stage starts only once the earlier one is granted."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.bundles.models import BundleCase
from zhengwu.bundles.selectors import bundle_case_state
from zhengwu.bundles.services import (
    bundle_case_accept_all,
    bundle_case_advance,
    bundle_case_submit,
    bundle_guidance,
)
from zhengwu.bundles.tests.factories import answer
from zhengwu.cases import services as case_services
from zhengwu.cases.models import Case, Clock
from zhengwu.cases.tests.factories import at, make_applicant, receive_all
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db


def submit(bundle, county, option="public", day="2026-06-01"):
    return bundle_case_submit(
        bundle=bundle,
        applicant=make_applicant(),
        answers=answer(bundle, option),
        channel="window",
        actor=county.clerk,
        now=at(day),
        form_data={"申请事项说明": "开一家面馆"},
    )


def children(bundle_case):
    return [
        child.case
        for child in bundle_case.children.select_related("case", "case__item").order_by("stage", "id")
    ]


def grant(case, county, day="2026-06-03"):
    case = case_services.case_step_pass(case=case, actor=county.approver, now=at(day))
    return case_services.case_grant(case=case, actor=county.approver, now=at(day, 11))


def test_guidance_selects_the_members_and_lists_a_shared_material_once(restaurant):
    public = bundle_guidance(bundle=restaurant, answers=answer(restaurant, "public"))
    assert [m.item.name for m in public.members] == ["个体工商户设立登记", "食品经营许可", "公共场所卫生许可"]
    names = [m.name for m in public.materials]
    assert names.count("身份证明") == 1
    assert public.materials[0].items == ("个体工商户设立登记", "食品经营许可", "公共场所卫生许可")
    private = bundle_guidance(bundle=restaurant, answers=answer(restaurant, "no"))
    assert [m.item.name for m in private.members] == ["个体工商户设立登记", "食品经营许可"]
    assert "卫生检测报告" not in [m.name for m in private.materials]


def test_bad_answers_name_the_question(restaurant):
    with pytest.raises(DomainError) as bad:
        bundle_guidance(bundle=restaurant, answers={"999999": [1]})
    assert "answers.999999" in bad.value.fields


def test_a_submission_opens_one_case_per_first_stage_member_with_its_own_intake_clock(restaurant, county):
    bundle_case = submit(restaurant, county)
    assert bundle_case.number == "YJS-430903-20260601-0001"
    cases = children(bundle_case)
    assert [c.item.name for c in cases] == ["个体工商户设立登记"]
    clock = Clock.objects.get(case=cases[0], kind="intake")
    assert clock.budget == 5 and clock.due_date == dt.date(2026, 6, 8)
    assert cases[0].status == "submitted" and cases[0].form_data == {"申请事项说明": "开一家面馆"}
    state = bundle_case_state(BundleCase.objects.get(pk=bundle_case.pk))
    assert state.status == "awaiting_intake" and state.due == dt.date(2026, 6, 8)
    assert [m.item.name for m in state.pending] == ["食品经营许可", "公共场所卫生许可"]


def test_an_incomplete_answer_set_creates_nothing(restaurant, county):
    with pytest.raises(DomainError) as incomplete:
        bundle_case_submit(
            bundle=restaurant,
            applicant=make_applicant(),
            answers={},
            channel="window",
            actor=county.clerk,
            now=at("2026-06-01"),
        )
    assert incomplete.value.code == "incomplete"
    assert not BundleCase.objects.exists() and not Case.objects.exists()


def test_accept_all_accepts_every_child_in_intake(restaurant, county):
    bundle_case = submit(restaurant, county)
    for case in children(bundle_case):
        receive_all(case, county)
    bundle_case = bundle_case_accept_all(bundle_case=bundle_case, actor=county.clerk, now=at("2026-06-02"))
    assert {c.status for c in children(bundle_case)} == {"in_review"}
    assert bundle_case_state(bundle_case).status == "in_progress"


def test_accept_all_with_materials_missing_names_the_child_and_accepts_none(restaurant, county):
    bundle_case = submit(restaurant, county)
    case = children(bundle_case)[0]
    with pytest.raises(DomainError) as refused:
        bundle_case_accept_all(bundle_case=bundle_case, actor=county.clerk, now=at("2026-06-02"))
    assert refused.value.code == "materials_incomplete"
    assert case.number in refused.value.message and "个体工商户设立登记" in refused.value.message
    assert Case.objects.get(pk=case.pk).status == "submitted"


def test_the_later_stage_starts_only_after_the_earlier_one_is_granted(restaurant, county):
    bundle_case = submit(restaurant, county)
    (licence,) = children(bundle_case)
    receive_all(licence, county)
    bundle_case_accept_all(bundle_case=bundle_case, actor=county.clerk, now=at("2026-06-02"))
    assert bundle_case_advance(bundle_case=bundle_case, now=at("2026-06-02", 15)) == []
    grant(Case.objects.get(pk=licence.pk), county)
    started = bundle_case_advance(bundle_case=bundle_case, now=at("2026-06-04"))
    assert sorted(c.item.name for c in started) == ["公共场所卫生许可", "食品经营许可"]
    for case in started:
        clock = Clock.objects.get(case=case, kind="intake")
        assert clock.start_date == dt.date(2026, 6, 4) and clock.due_date == dt.date(2026, 6, 11)
    assert bundle_case_advance(bundle_case=bundle_case, now=at("2026-06-05")) == []  # idempotent
    state = bundle_case_state(BundleCase.objects.get(pk=bundle_case.pk))
    assert state.status == "awaiting_intake" and not state.pending and len(state.children) == 3


def test_a_denied_first_stage_never_starts_the_next(restaurant, county):
    bundle_case = submit(restaurant, county, option="no")
    (licence,) = children(bundle_case)
    receive_all(licence, county)
    bundle_case_accept_all(bundle_case=bundle_case, actor=county.clerk, now=at("2026-06-02"))
    case = case_services.case_step_pass(
        case=Case.objects.get(pk=licence.pk), actor=county.approver, now=at("2026-06-03")
    )
    case_services.case_deny(
        case=case,
        actor=county.approver,
        now=at("2026-06-03", 11),
        reason="经营场所不符合要求。可依法申请行政复议或者提起行政诉讼。",
    )
    assert bundle_case_advance(bundle_case=bundle_case, now=at("2026-06-04")) == []
    assert bundle_case_state(BundleCase.objects.get(pk=bundle_case.pk)).status == "partly_finished"


def test_granting_the_last_case_of_a_stage_opens_the_next_stage_once_the_grant_commits(
    restaurant, county, django_capture_on_commit_callbacks
):
    bundle_case = submit(restaurant, county)
    (licence,) = children(bundle_case)
    receive_all(licence, county)
    bundle_case_accept_all(bundle_case=bundle_case, actor=county.clerk, now=at("2026-06-02"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        grant(Case.objects.get(pk=licence.pk), county)
    assert len([c for c in callbacks if "advance_on_grant" in c.__qualname__]) == 1
    assert [c.item.name for c in children(bundle_case)] == [
        "个体工商户设立登记",
        "食品经营许可",
        "公共场所卫生许可",
    ]


def test_a_case_outside_any_bundle_schedules_nothing_when_granted(county, django_capture_on_commit_callbacks):
    from zhengwu.cases.tests.factories import make_case

    case = receive_all(make_case(county), county)
    case = case_services.case_accept(case=case, actor=county.clerk, now=at("2026-06-02"))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        grant(case, county)
    assert not [c for c in callbacks if "advance_on_grant" in c.__qualname__]


def test_the_bundle_state_measures_working_days_against_the_time_target(restaurant, county):
    from zhengwu.bundles.models import BundleStage

    restaurant.time_target = 3
    restaurant.save(update_fields=["time_target"])
    BundleStage.objects.create(bundle=restaurant, number=1, name="办理营业执照", time_target=1)
    bundle_case = submit(restaurant, county)  # Monday 2026-06-01
    (licence,) = children(bundle_case)
    receive_all(licence, county)
    bundle_case_accept_all(bundle_case=bundle_case, actor=county.clerk, now=at("2026-06-02"))
    grant(Case.objects.get(pk=licence.pk), county)  # Wednesday 2026-06-03
    state = bundle_case_state(BundleCase.objects.get(pk=bundle_case.pk), today=dt.date(2026, 6, 5))
    timing = state.timing
    assert (timing.used, timing.target, timing.target_date, timing.over) == (4, 3, dt.date(2026, 6, 4), True)
    first, second = timing.stages
    assert (first.name, first.used, first.target, first.over) == ("办理营业执照", 2, 1, True)
    assert (second.name, second.started, second.used) == ("第2阶段", None, None)
