"""Bundle rules (一件事): member selection, the deduplicated material list, the derived status and due date."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.domain import bundle_rules as br
from zhengwu.domain.bundle_rules import (
    BundleStatus,
    MaterialLine,
    MemberSpec,
    bundle_due,
    bundle_status,
    merge_materials,
    select_members,
    stage_succeeded,
    stages,
)

RESTAURANT = [
    MemberSpec("licence", "个体工商户设立登记", stage=1, order=1),
    MemberSpec("food", "食品经营许可", stage=2, order=2),
    MemberSpec("hygiene", "公共场所卫生许可", stage=2, order=3, condition="venue.public"),
    MemberSpec("sign", "户外招牌设置", stage=2, order=4, condition="sign.yes"),
]


def test_unconditional_members_always_apply_and_conditional_ones_only_when_their_option_is_chosen():
    chosen = select_members(RESTAURANT, {"venue": ["venue.public"], "sign": ["sign.no"]})
    assert [m.key for m in chosen] == ["licence", "food", "hygiene"]
    assert [m.key for m in select_members(RESTAURANT, {})] == ["licence", "food"]


def test_selected_members_come_by_stage_then_order_whatever_the_input_order():
    shuffled = list(reversed(RESTAURANT))
    chosen = select_members(shuffled, {"venue": ["venue.public"], "sign": ["sign.yes"]})
    assert [m.key for m in chosen] == ["licence", "food", "hygiene", "sign"]
    assert stages(chosen) == [1, 2]


def test_a_multiple_choice_answer_selects_every_member_it_names():
    members = [MemberSpec("a", condition="needs.a"), MemberSpec("b", condition="needs.b"), MemberSpec("c")]
    assert [m.key for m in select_members(members, {"needs": ["needs.a", "needs.b"]})] == ["a", "b", "c"]


def test_a_material_needed_by_several_items_is_listed_once_naming_every_item():
    merged = merge_materials(
        [
            (
                "个体工商户设立登记",
                [
                    MaterialLine("身份证明", "paper", "required"),
                    MaterialLine("场所证明", "paper", "required"),
                ],
            ),
            (
                "食品经营许可",
                [
                    MaterialLine("身份证明", "paper", "required"),
                    MaterialLine("食品安全管理制度", "paper", "required"),
                ],
            ),
            ("公共场所卫生许可", [MaterialLine(" 身份证明 ", "paper", "required")]),
        ]
    )
    assert [m.name for m in merged] == ["身份证明", "场所证明", "食品安全管理制度"]
    assert merged[0].items == ("个体工商户设立登记", "食品经营许可", "公共场所卫生许可")
    assert merged[0].shared and not merged[1].shared


def test_the_same_name_in_another_form_stays_a_separate_line():
    merged = merge_materials(
        [
            ("甲", [MaterialLine("营业执照", "paper", "required")]),
            ("乙", [MaterialLine("营业执照", "electronic", "required")]),
        ]
    )
    assert [(m.name, m.form) for m in merged] == [("营业执照", "paper"), ("营业执照", "electronic")]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("conditional", "required", "required"),
        ("required", "conditional", "required"),
        ("conditional", "deferrable", "deferrable"),
        ("deferrable", "required", "required"),
        ("conditional", "conditional", "conditional"),
    ],
)
def test_the_strictest_necessity_wins(first, second, expected):
    merged = merge_materials(
        [("甲", [MaterialLine("章程", "paper", first)]), ("乙", [MaterialLine("章程", "paper", second)])]
    )
    assert [m.necessity for m in merged] == [expected]


def test_the_largest_number_of_copies_wins_and_an_item_is_named_once():
    merged = merge_materials(
        [("甲", [MaterialLine("照片", "paper", "required", 1), MaterialLine("照片", "paper", "required", 2)])]
    )
    assert merged[0].copies == 2 and merged[0].items == ("甲",)


@pytest.mark.parametrize(
    ("statuses", "pending", "expected"),
    [
        ([], 0, BundleStatus.NOT_STARTED),
        (["submitted", "submitted"], 0, BundleStatus.AWAITING_INTAKE),
        (["in_review", "submitted"], 0, BundleStatus.AWAITING_INTAKE),
        (["in_review", "supplement_requested", "granted"], 0, BundleStatus.SUPPLEMENT_REQUESTED),
        (["in_review", "pending_decision", "granted"], 0, BundleStatus.IN_PROGRESS),
        (["granted", "delivered", "certified"], 0, BundleStatus.FINISHED),
        (["granted", "granted"], 2, BundleStatus.WAITING_NEXT_STAGE),
        (["granted", "denied"], 0, BundleStatus.PARTLY_FINISHED),
        (["granted", "denied"], 2, BundleStatus.PARTLY_FINISHED),
        (["withdrawn"], 0, BundleStatus.PARTLY_FINISHED),
    ],
)
def test_the_bundle_status_derives_from_its_children(statuses, pending, expected):
    assert bundle_status(statuses, pending_members=pending) == expected


def test_a_stage_succeeds_only_when_every_case_is_granted():
    assert stage_succeeded(["granted", "certified", "delivered"])
    assert not stage_succeeded(["granted", "in_review"])
    assert not stage_succeeded(["granted", "denied"])
    assert not stage_succeeded([])


def test_the_bundle_is_due_when_its_last_child_is():
    assert bundle_due([dt.date(2026, 6, 5), None, dt.date(2026, 6, 19), dt.date(2026, 6, 8)]) == dt.date(
        2026, 6, 19
    )
    assert bundle_due([None, None]) is None
    assert bundle_due([]) is None


# -- end-to-end timing ---------------------------------------------------------------------------------


def _weekdays(a: dt.date, b: dt.date) -> int:
    """Mon–Fri counting a < d ≤ b (a stand-in calendar without holidays for these tests)."""
    return sum(1 for n in range(1, (b - a).days + 1) if (a + dt.timedelta(days=n)).weekday() < 5)


def _add(a: dt.date, n: int) -> dt.date:
    day = a
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


MON = dt.date(2026, 6, 1)  # a Monday


def _timing(
    children: list[br.ChildTiming],
    *,
    finished: bool,
    today: dt.date,
    target: int | None = 3,
    stages: tuple[tuple[int, str, int | None], ...] = ((1, "办照", None), (2, "刻章领票", 1)),
) -> br.BundleTiming:
    return br.bundle_timing(
        children,
        submitted=MON,
        today=today,
        finished=finished,
        target=target,
        stages=stages,
        count=_weekdays,
        add=_add,
    )


def test_a_business_startup_finished_in_two_working_days_meets_its_three_day_target():
    children = [
        br.ChildTiming(1, MON, MON + dt.timedelta(days=1)),
        br.ChildTiming(2, MON + dt.timedelta(days=1), MON + dt.timedelta(days=2)),
    ]
    timing = _timing(children, finished=True, today=MON + dt.timedelta(days=9))
    assert (timing.used, timing.finished, timing.over, timing.remaining) == (
        2,
        MON + dt.timedelta(days=2),
        False,
        1,
    )
    assert timing.target_date == dt.date(2026, 6, 4)
    assert [(s.number, s.used, s.over) for s in timing.stages] == [(1, 1, False), (2, 1, False)]


def test_an_open_bundle_is_measured_up_to_today_and_can_run_over_its_target():
    children = [br.ChildTiming(1, MON, MON), br.ChildTiming(2, MON, None)]
    timing = _timing(children, finished=False, today=dt.date(2026, 6, 8))  # next Monday: 5 wd
    assert (timing.finished, timing.used, timing.over) == (None, 5, True)
    assert timing.stages[1].finished is None and timing.stages[1].used == 5 and timing.stages[1].over


def test_a_stage_not_started_has_no_time_and_a_weekend_does_not_count():
    children = [br.ChildTiming(1, dt.date(2026, 6, 5), None)]  # received on a Friday
    timing = _timing(children, finished=False, today=dt.date(2026, 6, 8))
    assert [(s.started, s.used) for s in timing.stages] == [(dt.date(2026, 6, 5), 1), (None, None)]


def test_a_bundle_without_a_target_has_no_target_date_and_is_never_over():
    timing = _timing([br.ChildTiming(1, MON, None)], finished=False, today=dt.date(2026, 7, 1), target=None)
    assert (timing.target, timing.target_date, timing.over, timing.remaining) == (None, None, False, None)
