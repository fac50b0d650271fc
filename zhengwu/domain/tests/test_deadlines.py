"""Clock ledgers against the hand-worked examples of DOMAIN §4.3 (2026 calendar) and the card rules of §5.1."""

from __future__ import annotations

from datetime import date

from chinese_calendar.constants import holidays as package_holidays
from chinese_calendar.constants import workdays as package_workdays

from zhengwu.domain import deadlines as dl
from zhengwu.domain.calendar import HOLIDAY_NAMES_ZH, WorkCalendar
from zhengwu.domain.deadlines import Level, Segment, SegmentKind

CAL = WorkCalendar.build(
    {day: HOLIDAY_NAMES_ZH[name] for day, name in package_holidays.items()},
    {day: HOLIDAY_NAMES_ZH[name] for day, name in package_workdays.items()},
    date(2004, 1, 1),
    date(2026, 12, 31),
)


def d(text: str) -> date:
    return date.fromisoformat(text)


def due(budget: int, start: str, *segments: Segment) -> date | None:
    return dl.due_date(CAL, budget=budget, start=d(start), segments=list(segments))[0]


def test_example_a_promise_over_the_spring_festival_is_due_0224_with_a_reminder_on_the_make_up_saturday():
    assert due(5, "2026-02-10") == d("2026-02-24")
    assert dl.reminder_date(CAL, d("2026-02-24")) == d("2026-02-14")


def test_example_a_statutory_limit_from_0210_is_due_0316():
    assert due(20, "2026-02-10") == d("2026-03-16")


def test_example_b_clock_starting_the_day_the_supplement_completes_the_materials_is_due_0604():
    assert due(20, "2026-05-08") == d("2026-06-04")
    assert due(10, "2026-05-08") == d("2026-05-21")


def test_example_c_deemed_acceptance_counts_from_receipt_and_is_due_1022():
    assert due(5, "2026-09-18") == d("2026-09-24")
    assert due(20, "2026-09-18") == d("2026-10-22")


def test_example_d_expert_review_pause_moves_the_due_date_to_0717():
    review = Segment(SegmentKind.EXCLUDED, d("2026-06-08"), d("2026-06-26"), reason="专家评审")
    assert due(20, "2026-06-01") == d("2026-06-30")
    assert due(20, "2026-06-01", review) == d("2026-07-17")


def test_example_d_extension_of_10_after_the_pause_is_due_0731():
    review = Segment(SegmentKind.EXCLUDED, d("2026-06-08"), d("2026-06-26"))
    extension = Segment(SegmentKind.EXTENSION, d("2026-07-15"), days=10)
    assert due(20, "2026-06-01", review, extension) == d("2026-07-31")


def test_example_d_the_pause_holds_13_working_days_out_of_the_count():
    review = Segment(SegmentKind.EXCLUDED, d("2026-06-08"), d("2026-06-26"))
    consumed = dl.consumed_by(CAL, start=d("2026-06-01"), segments=[review], day=d("2026-06-30"))
    assert consumed == dl.workdays_between(CAL, d("2026-06-01"), d("2026-06-30")) - 13 == 7


def test_example_f_joint_handling_45_days_is_due_0508_and_plus_15_is_due_0528():
    assert due(45, "2026-03-02") == d("2026-05-08")
    assert due(45, "2026-03-02", Segment(SegmentKind.EXTENSION, d("2026-05-01"), days=15)) == d("2026-05-28")


def test_an_open_pause_leaves_the_due_date_undefined_and_reports_the_days_left():
    pause = Segment(SegmentKind.SUSPENDED, d("2026-06-08"))
    projection = dl.project(CAL, budget=20, start=d("2026-06-01"), segments=[pause], today=d("2026-06-30"))
    assert projection.due is None
    assert projection.paused
    assert projection.consumed == 5
    assert projection.remaining == 15


def test_a_pause_opened_after_the_due_date_does_not_move_it():
    late = Segment(SegmentKind.EXCLUDED, d("2026-07-06"), d("2026-07-10"))
    assert due(20, "2026-06-01", late) == d("2026-06-30")


def test_two_pauses_both_stay_out_of_the_count():
    first = Segment(SegmentKind.EXCLUDED, d("2026-06-02"), d("2026-06-04"))  # 06-03, 06-04 held
    second = Segment(SegmentKind.SUSPENDED, d("2026-06-09"), d("2026-06-10"))  # 06-10 held
    assert due(20, "2026-06-01", first, second) == dl.add_workdays(CAL, d("2026-06-30"), 3)[0]


def test_a_due_date_beyond_the_calendar_data_is_laid_out_on_weekdays_and_flagged_provisional():
    when, provisional = dl.due_date(CAL, budget=20, start=d("2026-12-21"), segments=[])
    assert provisional
    # 12-22..12-31 give 8 working days; 12 more Mon–Fri days from 2027-01-01 (a Friday).
    assert when == d("2027-01-18")


def test_a_projection_counts_overdue_working_days_after_the_due_date():
    projection = dl.project(CAL, budget=5, start=d("2026-02-10"), segments=[], today=d("2026-03-02"))
    assert projection.due == d("2026-02-24")
    assert projection.overdue_days == 5  # 02-25, 02-26, 02-27, Sat 02-28 (make-up), 03-02


def test_explanation_lists_counted_days_and_names_the_pause_for_skipped_ones():
    review = Segment(SegmentKind.EXCLUDED, d("2026-06-08"), d("2026-06-26"), reason="专家评审")
    text = dl.explain(CAL, budget=20, start=d("2026-06-01"), segments=[review], today=d("2026-06-10"))
    assert text.due == d("2026-07-17")
    assert len(text.counted) == 20
    assert text.counted[-1].date == d("2026-07-17")
    held = [s for s in text.skipped if s.reason.startswith("特别程序")]
    assert len(held) == 13
    assert any(s.reason == "端午节" for s in text.skipped)


def promised_cards(today: str) -> list[str]:
    projection = dl.project(CAL, budget=5, start=d("2026-02-10"), segments=[], today=d(today))
    return [
        c.rule
        for c in dl.clock_cards(CAL, kind="promised", projection=projection, today=d(today), finished=False)
    ]


def test_the_reminder_is_due_from_the_working_day_before_the_promised_date():
    assert promised_cards("2026-02-13") == []
    assert promised_cards("2026-02-14") == ["N1"]
    assert promised_cards("2026-02-24") == ["N1"]


def test_a_yellow_card_is_due_the_day_after_the_promised_date():
    assert promised_cards("2026-02-25") == ["Y1"]


def test_a_red_card_is_due_the_day_after_the_statutory_date():
    projection = dl.project(CAL, budget=20, start=d("2026-02-10"), segments=[], today=d("2026-03-17"))
    cards = dl.clock_cards(
        CAL, kind="statutory", projection=projection, today=d("2026-03-17"), finished=False
    )
    assert [(c.rule, c.level) for c in cards] == [("R1", Level.RED)]


def test_no_card_is_due_while_the_clock_is_paused_or_finished():
    pause = Segment(SegmentKind.SUSPENDED, d("2026-02-11"))
    paused = dl.project(CAL, budget=5, start=d("2026-02-10"), segments=[pause], today=d("2026-03-30"))
    assert (
        dl.clock_cards(CAL, kind="promised", projection=paused, today=d("2026-03-30"), finished=False) == []
    )
    late = dl.project(CAL, budget=5, start=d("2026-02-10"), segments=[], today=d("2026-03-30"))
    assert dl.clock_cards(CAL, kind="promised", projection=late, today=d("2026-03-30"), finished=True) == []


def test_no_card_is_issued_on_a_provisional_due_date():
    projection = dl.project(CAL, budget=20, start=d("2026-12-21"), segments=[], today=d("2026-12-31"))
    assert (
        dl.clock_cards(CAL, kind="statutory", projection=projection, today=d("2026-12-31"), finished=False)
        == []
    )


def test_max_level_orders_none_reminder_yellow_red():
    assert dl.max_level(Level.YELLOW, Level.REMINDER) == Level.YELLOW
    assert dl.max_level(Level.RED, Level.YELLOW) == Level.RED
    assert dl.max_level() == Level.NONE
