"""Red/yellow cards (DOMAIN §5.1) issued by the sweep: once each, never while paused, voided on appeal."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import services
from zhengwu.cases.models import Card, Case
from zhengwu.cases.tests.factories import accepted_case, at, make_case, make_county
from zhengwu.common.errors import DomainError, PermissionDenied

pytestmark = pytest.mark.django_db

NO_STEP_LIMIT = [{"name": "审查", "limit": None, "limit_unit": "working_day"}]


def example_a(county) -> Case:
    """DOMAIN §4.3 A: accepted Tue 02-10; promised 5 wd → 02-24, statutory 20 wd → 03-16."""
    return accepted_case(county, day="2026-02-10", steps=NO_STEP_LIMIT)


def sweep(day: str, hour: int = 1) -> dict[str, int]:
    return services.cases_sweep(now=at(day, hour))


def rules(case: Case) -> list[str]:
    return sorted(Card.objects.filter(case=case).values_list("rule", flat=True))


def warning(case: Case) -> str:
    return Case.objects.get(pk=case.pk).warning


# -- N1, Y1, R1 (example A) ---------------------------------------------------------------------------


def test_no_reminder_two_working_days_before_the_promised_due_date(county):
    case = example_a(county)
    sweep("2026-02-13")
    assert rules(case) == []


def test_the_reminder_comes_on_the_working_day_before_the_promised_due_date_example_a(county):
    case = example_a(county)
    sweep("2026-02-14")  # the make-up Saturday before the Spring Festival
    card = Card.objects.get(case=case)
    assert (card.rule, card.level, card.issued_on, card.due_date) == (
        "N1",
        "reminder",
        dt.date(2026, 2, 14),
        dt.date(2026, 2, 24),
    )
    assert card.rectify_due is None
    assert warning(case) == "reminder"


def test_the_reminder_is_issued_once_however_often_the_sweep_runs(county):
    case = example_a(county)
    first = sweep("2026-02-14")
    second = sweep("2026-02-14", 9)
    sweep("2026-02-24")
    assert (first["cards"], second["cards"]) == (1, 0)
    assert rules(case) == ["N1"]


def test_no_yellow_on_the_promised_due_date_itself(county):
    case = example_a(county)
    sweep("2026-02-24", 23)
    assert "Y1" not in rules(case)


def test_a_yellow_y1_the_day_after_the_promised_due_date_with_three_days_to_rectify(county):
    case = example_a(county)
    sweep("2026-02-25", 0)
    card = Card.objects.get(case=case, rule="Y1")
    assert (card.level, card.issued_on, card.rectify_due) == (
        "yellow",
        dt.date(2026, 2, 25),
        dt.date(2026, 2, 28),
    )
    assert card.department == county.department
    assert warning(case) == "yellow"


def test_a_red_r1_the_day_after_the_statutory_due_date(county):
    case = example_a(county)
    sweep("2026-03-16", 23)
    assert "R1" not in rules(case)
    sweep("2026-03-17", 0)
    card = Card.objects.get(case=case, rule="R1")
    assert (card.level, card.due_date) == ("red", dt.date(2026, 3, 16))
    assert warning(case) == "red"


def test_each_card_is_issued_exactly_once_when_the_sweep_runs_twice(county):
    case = example_a(county)
    for day in ("2026-02-14", "2026-02-25", "2026-03-01", "2026-03-17"):
        sweep(day)
        sweep(day, 2)
    assert rules(case) == ["N1", "R1", "R2", "Y1"]


def test_a_sweep_that_lost_the_race_for_a_card_issues_nothing_more(county):
    """Two sweeps at once: the unique key lets one insert win and the other skip quietly."""
    case = example_a(county)
    clock = case.clocks.get(kind="promised")
    Card.objects.create(
        case=case,
        clock=clock,
        key=f"{clock.pk}:Y1",
        rule="Y1",
        level="yellow",
        department=county.department,
        issued_on=dt.date(2026, 2, 25),
    )
    counts = sweep("2026-02-25")
    assert counts["cards"] == 0
    assert Card.objects.filter(case=case, rule="Y1").count() == 1


# -- Y2 step overrun ----------------------------------------------------------------------------------


def test_a_yellow_y2_when_a_step_overruns_its_limit(county):
    case = accepted_case(county, day="2026-06-01")  # 审查 3 wd → 06-04
    sweep("2026-06-04", 23)
    assert rules(case) == []
    sweep("2026-06-05")
    card = Card.objects.get(case=case, rule="Y2")
    assert card.clock.step.name == "审查"
    assert (card.level, card.due_date) == ("yellow", dt.date(2026, 6, 4))


def test_a_step_passed_in_time_gets_no_y2(county):
    case = accepted_case(county, day="2026-06-01")
    services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-04"))
    sweep("2026-06-05")
    assert "Y2" not in rules(case)


# -- R2: a yellow left without a response ---------------------------------------------------------------


def test_a_yellow_without_a_response_turns_red_after_three_working_days_example_a(county):
    case = example_a(county)
    sweep("2026-02-25")
    sweep("2026-02-28", 23)
    assert "R2" not in rules(case)
    sweep("2026-03-01")
    card = Card.objects.get(case=case, rule="R2")
    assert (card.level, card.issued_on, card.due_date) == ("red", dt.date(2026, 3, 1), dt.date(2026, 2, 28))
    assert warning(case) == "red"


def test_a_response_to_the_yellow_keeps_it_from_turning_red(county):
    case = example_a(county)
    sweep("2026-02-25")
    yellow = Card.objects.get(case=case, rule="Y1")
    services.card_respond(card=yellow, actor=county.head, response="已督促经办人加快办理，预计两日内办结。")
    sweep("2026-03-01")
    assert "R2" not in rules(case)


def test_a_response_must_have_text(county):
    case = example_a(county)
    sweep("2026-02-25")
    with pytest.raises(DomainError) as refused:
        services.card_respond(card=Card.objects.get(case=case, rule="Y1"), actor=county.head, response=" ")
    assert refused.value.code == "required"


def test_a_yellow_cured_by_finishing_the_case_does_not_turn_red(county):
    case = example_a(county)
    sweep("2026-02-25")
    case = services.case_step_pass(
        case=Case.objects.get(pk=case.pk), actor=county.approver, now=at("2026-02-26")
    )
    services.case_grant(case=case, actor=county.approver, now=at("2026-02-26"))
    sweep("2026-03-01")
    assert "R2" not in rules(case)


def test_a_y3_for_a_late_intake_turns_red_without_a_response(county):
    case = make_case(county, now=at("2026-09-18"))
    sweep("2026-09-25", 0)  # deemed accepted, Y3; day zero 09-25: 09-28, 09-29, 09-30
    assert Card.objects.get(case=case, rule="Y3").rectify_due == dt.date(2026, 9, 30)
    sweep("2026-09-30", 23)
    assert "R2" not in rules(case)
    sweep("2026-10-01")
    assert "R2" in rules(case)


# -- paused and finished cases -----------------------------------------------------------------------


def test_no_card_while_the_case_is_paused(county):
    case = example_a(county)
    services.case_pause(
        case=case,
        actor=county.approver,
        now=at("2026-02-12"),
        reason_code="inspection",
        reason="送检",
        expected_days=20,
    )
    sweep("2026-02-14")
    sweep("2026-02-25")
    sweep("2026-03-17")
    assert rules(case) == []


def test_cards_resume_with_the_clock(county):
    case = example_a(county)
    case = services.case_pause(
        case=case,
        actor=county.approver,
        now=at("2026-02-11"),
        reason_code="inspection",
        reason="送检",
        expected_days=5,
    )
    services.case_resume(case=case, actor=county.approver, now=at("2026-02-13"))
    case.refresh_from_db()
    # 02-11 counted, 02-12 and 02-13 held out: 4 of 5 days left from 02-13 → 02-14, 02-24, 02-25, 02-26
    assert case.promised_due == dt.date(2026, 2, 26)
    sweep("2026-02-26")
    assert rules(case) == ["N1"]
    sweep("2026-02-27")
    assert rules(case) == ["N1", "Y1"]


def test_a_finished_case_gets_no_card(county):
    case = example_a(county)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-02-11"))
    services.case_grant(case=case, actor=county.approver, now=at("2026-02-12"))
    sweep("2026-02-14")
    sweep("2026-03-17")
    assert rules(case) == []


# -- voiding on appeal ---------------------------------------------------------------------------------


def test_a_card_is_voided_only_once(county):
    case = example_a(county)
    sweep("2026-02-25")
    yellow = Card.objects.get(case=case, rule="Y1")
    services.card_void(card=yellow, actor=county.supervisor, reason="申诉成立", today=dt.date(2026, 2, 26))
    with pytest.raises(DomainError) as refused:
        services.card_void(
            card=yellow, actor=county.supervisor, reason="再次撤销", today=dt.date(2026, 2, 27)
        )
    assert refused.value.code == "already_voided"
    yellow.refresh_from_db()
    assert yellow.void_reason == "申诉成立"


def test_a_supervisor_voids_a_card_which_is_kept_and_flagged(county):
    case = example_a(county)
    sweep("2026-02-25")
    yellow = Card.objects.get(case=case, rule="Y1")
    services.card_void(
        card=yellow,
        actor=county.supervisor,
        reason="系统故障导致超期，经核实属实",
        today=dt.date(2026, 2, 26),
    )
    yellow.refresh_from_db()
    assert yellow.voided and yellow.void_reason == "系统故障导致超期，经核实属实"
    assert yellow.closed_on == dt.date(2026, 2, 26)
    assert Card.objects.filter(case=case, rule="Y1").exists()


def test_voiding_the_only_yellow_drops_the_case_warning(county):
    case = example_a(county)
    sweep("2026-02-14")
    sweep("2026-02-25")
    assert warning(case) == "yellow"
    yellow = Card.objects.get(case=case, rule="Y1")
    services.card_void(card=yellow, actor=county.supervisor, reason="申诉成立", today=dt.date(2026, 2, 26))
    assert warning(case) == "reminder"  # the N1 issued on 02-14 is still there


def test_the_case_warning_is_the_highest_level_of_the_cards_not_voided(county):
    case = example_a(county)
    sweep("2026-02-14")
    sweep("2026-02-25")
    services.card_respond(card=Card.objects.get(case=case, rule="Y1"), actor=county.head, response="已整改")
    sweep("2026-03-17")
    assert rules(case) == ["N1", "R1", "Y1"]
    assert warning(case) == "red"
    red = Card.objects.get(case=case, rule="R1")
    services.card_void(card=red, actor=county.supervisor, reason="申诉成立", today=dt.date(2026, 3, 18))
    assert warning(case) == "yellow"


def test_a_voided_yellow_does_not_turn_red(county):
    case = example_a(county)
    sweep("2026-02-25")
    yellow = Card.objects.get(case=case, rule="Y1")
    services.card_void(card=yellow, actor=county.supervisor, reason="申诉成立", today=dt.date(2026, 2, 26))
    sweep("2026-03-01")
    assert "R2" not in rules(case)


def test_only_a_supervisor_may_void_a_card(county):
    case = example_a(county)
    sweep("2026-02-25")
    with pytest.raises(PermissionDenied):
        services.card_void(
            card=Card.objects.get(case=case, rule="Y1"),
            actor=county.head,
            reason="申诉",
            today=dt.date(2026, 2, 26),
        )


def test_another_countys_supervisor_may_not_void_a_card(county):
    other = make_county(code="430921000000", name="南县")
    case = example_a(county)
    sweep("2026-02-25")
    yellow = Card.objects.get(case=case, rule="Y1")
    with pytest.raises(PermissionDenied):
        services.card_void(card=yellow, actor=other.supervisor, reason="申诉", today=dt.date(2026, 2, 26))
    yellow.refresh_from_db()
    assert not yellow.voided


def test_voiding_needs_a_reason(county):
    case = example_a(county)
    sweep("2026-02-25")
    with pytest.raises(DomainError) as refused:
        services.card_void(
            card=Card.objects.get(case=case, rule="Y1"),
            actor=county.supervisor,
            reason="",
            today=dt.date(2026, 2, 26),
        )
    assert refused.value.code == "required"
