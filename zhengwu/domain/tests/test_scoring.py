"""Scoring engine (DOMAIN §8.1): each rule kind, floors and caps, N/A rescaling, ranking, to_dict, compare."""

from __future__ import annotations

import json
import re
from decimal import Decimal as D
from typing import Any

import pytest

from zhengwu.domain.scoring import (
    FACT_KEYS,
    MANUAL,
    VALUE_FACT_KEYS,
    FactsError,
    ManualEntry,
    Occurrence,
    Scheme,
    UnitFacts,
    compare,
    evaluate,
    fact_kind,
    parse_scheme,
)

# -- building small schemes ------------------------------------------------------------------------


def rule(kind: str, source: str = MANUAL, **fields: Any) -> dict[str, Any]:
    return {"kind": kind, "source": source, **fields}


def item(code: str, *rules: dict[str, Any], points: Any = 10, **fields: Any) -> dict[str, Any]:
    return {"code": code, "name": f"考核项{code}", "points": points, "rules": list(rules), **fields}


def scheme(*items: dict[str, Any], extras: list[dict[str, Any]] | None = None, **top: Any) -> Scheme:
    """One category holding `items`; the scale is the sum of their points."""
    scale = sum(D(str(i["points"])) for i in items)
    data: dict[str, Any] = {
        "code": "test",
        "name": "测试方案",
        "version": "1",
        "scale": str(scale),
        "unit_types": {"county": "县区"},
        "categories": [{"code": "一", "name": "测试类别", "points": str(scale), "items": list(items)}],
        **top,
    }
    if extras is not None:
        data["extras"] = extras
    return parse_scheme(data)


def manual(item_code: str, kind: str, **fields: Any) -> ManualEntry:
    fields.setdefault("reason", "核查发现")
    fields.setdefault("evidence", ("EV-1",))
    if "points" in fields:
        fields["points"] = D(str(fields["points"]))
    return ManualEntry(item_code=item_code, kind=kind, **fields)


def unit(code: str = "a", *, unit_type: str = "county", **fields: Any) -> UnitFacts:
    return UnitFacts(unit=code, unit_type=unit_type, name=f"单位{code}", **fields)


def score_of(s: Scheme, facts: UnitFacts, item_code: str = "1") -> D | None:
    return evaluate(s, [facts]).unit(facts.unit).item(item_code).score


def occurrences(n: int, prefix: str = "CASE") -> list[Occurrence]:
    return [Occurrence(f"{prefix}-{i}") for i in range(1, n + 1)]


# -- the vocabulary --------------------------------------------------------------------------------


def test_every_fact_key_has_a_chinese_description_and_is_either_counted_measured_or_manual():
    assert MANUAL in FACT_KEYS
    for key, description in FACT_KEYS.items():
        assert re.search(r"[\u4e00-\u9fff]", description), key
        assert fact_kind(key) in {"count", "value", "manual"}
    assert VALUE_FACT_KEYS.issubset(FACT_KEYS)
    assert {"cards.red", "cases.overdue", "reviews.bad_unrectified"} <= {
        k for k in FACT_KEYS if fact_kind(k) == "count"
    }
    assert {"catalog.depth3_share", "hotline.subscore"} <= VALUE_FACT_KEYS


# -- each rule kind --------------------------------------------------------------------------------


def test_per_occurrence_deducts_per_counted_fact_and_keeps_each_ref_as_evidence():
    s = scheme(item("1", rule("per_occurrence", "cases.overdue", per=-0.5)))
    result = evaluate(s, [unit(counts={"cases.overdue": occurrences(3)})]).unit("a").item("1")
    assert result.score == D("8.50")
    (adjustment,) = result.adjustments
    assert (adjustment.points, adjustment.count) == (D("-1.50"), 3)
    assert adjustment.evidence == ("CASE-1", "CASE-2", "CASE-3")


def test_per_occurrence_counts_the_total_when_the_evidence_lists_only_a_sample():
    # 40 overdue cases, the first 2 listed as evidence: 10 − 0.2 × 40 = 2
    s = scheme(item("1", rule("per_occurrence", "cases.overdue", per=-0.2)))
    facts = unit(counts={"cases.overdue": occurrences(2)}, totals={"cases.overdue": 40})
    result = evaluate(s, [facts]).unit("a").item("1")
    assert result.score == D("2.00")  # 10 − 0.2 × 40
    (adjustment,) = result.adjustments
    assert (adjustment.points, adjustment.count, adjustment.evidence) == (
        D("-8.00"),
        40,
        ("CASE-1", "CASE-2"),
    )


def test_per_occurrence_from_manual_entries_counts_each_entrys_occurrences():
    s = scheme(item("1", rule("per_occurrence", per=-0.5)))
    facts = unit(manual=[manual("1", "deduction", count=2), manual("1", "deduction", evidence=("EV-2",))])
    result = evaluate(s, [facts]).unit("a").item("1")
    assert result.score == D("8.50")
    assert [(a.points, a.evidence) for a in result.adjustments] == [
        (D("-1.00"), ("EV-1",)),
        (D("-0.50"), ("EV-2",)),
    ]


def test_a_unit_with_no_occurrences_keeps_the_full_points_and_no_adjustment():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1)))
    result = evaluate(s, [unit()]).unit("a").item("1")
    assert (result.score, result.adjustments) == (D("10.00"), ())


def test_range_judgement_takes_the_points_the_evaluator_chose_within_the_range():
    s = scheme(item("1", rule("range_judgement", min=-1.5, max=-0.5)))
    assert score_of(s, unit(manual=[manual("1", "judgement", points="-1.2")])) == D("8.80")


def test_range_judgement_outside_its_range_is_rejected_in_chinese():
    s = scheme(item("1", rule("range_judgement", min=-1.5, max=-0.5)))
    with pytest.raises(FactsError) as caught:
        evaluate(s, [unit(manual=[manual("1", "judgement", points="-2")])])
    assert caught.value.messages == (
        "单位“单位a”人工录入第 1 条（考核项“1”）：分值 -2 超出允许范围 [-1.5, -0.5]",
    )


def test_per_missing_deducts_per_missing_element():
    s = scheme(item("1", rule("per_missing", per=-1)))
    result = (
        evaluate(s, [unit(manual=[manual("1", "missing", count=3, reason="缺 3 项")])]).unit("a").item("1")
    )
    assert result.score == D("7.00")
    assert result.adjustments[0].count == 3


def test_rate_scores_points_times_actual_over_target_and_never_more_than_the_points():
    s = scheme(item("1", rule("rate", "catalog.depth3_share", target=0.7)))
    assert score_of(s, unit(values={"catalog.depth3_share": D("0.63")})) == D("9.00")  # 10 × 0.63 / 0.7
    assert score_of(s, unit(values={"catalog.depth3_share": D("0.95")})) == D("10.00")


def test_reverse_rate_scores_points_times_target_over_actual_and_full_points_at_zero():
    s = scheme(item("1", rule("rate", "cases.ontime_rate", target=0.05, direction="lower")))
    assert score_of(s, unit(values={"cases.ontime_rate": D("0.08")})) == D("6.25")  # 10 × 0.05 / 0.08
    assert score_of(s, unit(values={"cases.ontime_rate": D(0)})) == D("10.00")


def test_rate_adjustment_carries_the_value_refs_and_a_note_with_actual_and_target():
    s = scheme(item("1", rule("rate", "catalog.depth3_share", target=0.7)))
    facts = unit(values={"catalog.depth3_share": D("0.56")}, value_refs={"catalog.depth3_share": ["SNAP-9"]})
    (adjustment,) = evaluate(s, [facts]).unit("a").item("1").adjustments
    assert (adjustment.points, adjustment.evidence) == (D("-2.00"), ("SNAP-9",))
    assert adjustment.note == "按比率计分：实际 0.56，目标 0.7"


def test_threshold_gives_full_points_when_met_and_nothing_below_without_bands():
    s = scheme(item("1", rule("threshold", "reviews.rectified_rate", target=0.95)))
    assert score_of(s, unit(values={"reviews.rectified_rate": D("0.95")})) == D("10.00")
    assert score_of(s, unit(values={"reviews.rectified_rate": D("0.94")})) == D("0.00")


def test_threshold_below_target_scores_the_share_of_the_first_band_reached():
    bands = [{"at_least": 0.8, "share": 0.5}, {"at_least": 0.9, "share": 0.8}]
    s = scheme(item("1", rule("banded", "reviews.good_rate", target=0.95, bands=bands)))
    assert score_of(s, unit(values={"reviews.good_rate": D("0.92")})) == D("8.00")
    assert score_of(s, unit(values={"reviews.good_rate": D("0.85")})) == D("5.00")
    assert score_of(s, unit(values={"reviews.good_rate": D("0.79")})) == D("0.00")


def test_lower_is_better_threshold_uses_at_most_bands():
    bands = [{"at_most": 0.05, "share": 0.6}]
    s = scheme(item("1", rule("threshold", "cases.ontime_rate", target=0.02, direction="lower", bands=bands)))
    assert score_of(s, unit(values={"cases.ontime_rate": D("0.02")})) == D("10.00")
    assert score_of(s, unit(values={"cases.ontime_rate": D("0.04")})) == D("6.00")
    assert score_of(s, unit(values={"cases.ontime_rate": D("0.06")})) == D("0.00")


def test_linear_threshold_loses_half_a_point_per_percentage_point_below_seventy_percent():
    linear = {"step": 0.01, "points": 0.5}
    s = scheme(item("1", rule("threshold", "catalog.depth3_share", target=0.7, linear=linear)))
    assert score_of(s, unit(values={"catalog.depth3_share": D("0.72")})) == D("10.00")
    assert score_of(s, unit(values={"catalog.depth3_share": D("0.655")})) == D("7.75")  # 4.5 pp × 0.5
    assert score_of(s, unit(values={"catalog.depth3_share": D("0.40")})) == D(
        "0.00"
    )  # 15 points lost, held at 0


def test_tiered_scores_the_default_tier_shares():
    s = scheme(item("1", rule("tiered")))
    shares = {}
    for tier in ("好", "较好", "一般", "差"):
        shares[tier] = score_of(s, unit(manual=[manual("1", "tier", tier=tier)]))
    assert shares == {"好": D("10.00"), "较好": D("8.00"), "一般": D("6.00"), "差": D("0.00")}


def test_tiered_accepts_a_schemes_own_tiers():
    s = scheme(item("1", rule("tiered", tiers={"优秀": 1, "良好": 0.9, "合格": 0.7})))
    assert score_of(s, unit(manual=[manual("1", "tier", tier="良好")])) == D("9.00")


def test_tiered_item_without_a_tier_entry_is_an_error_not_a_silent_score():
    s = scheme(item("1", rule("tiered")))
    with pytest.raises(FactsError) as caught:
        evaluate(s, [unit()])
    assert caught.value.messages == ("单位“单位a”考核项“1”：缺少等次评定（规则“1.1”）",)


def test_an_unknown_tier_is_rejected_naming_the_allowed_tiers():
    s = scheme(item("1", rule("tiered")))
    with pytest.raises(FactsError) as caught:
        evaluate(s, [unit(manual=[manual("1", "tier", tier="优")])])
    assert caught.value.messages == (
        "单位“单位a”人工录入第 1 条（考核项“1”）：等次“优”不存在，可选：好、较好、一般、差",
    )


def test_external_subscore_is_scaled_to_the_items_points_and_held_within_them():
    s = scheme(item("1", rule("external_subscore", "hotline.subscore", out_of=100), points=8))
    assert score_of(s, unit(values={"hotline.subscore": D("87.5")})) == D("7.00")
    assert score_of(s, unit(values={"hotline.subscore": D("120")})) == D("8.00")
    assert score_of(s, unit(values={"hotline.subscore": D("-5")})) == D("0.00")


def test_award_rules_with_shares_split_the_items_points():
    s = scheme(
        item(
            "1",
            rule("rate", "hotline.answer_rate", target=1, share=0.5),
            rule("rate", "hotline.satisfaction_rate", target=1, share=0.5),
        )
    )
    facts = unit(values={"hotline.answer_rate": D("0.9"), "hotline.satisfaction_rate": D("0.6")})
    assert score_of(s, facts) == D("7.50")  # 5 × 0.9 + 5 × 0.6


def test_bonus_entries_add_the_chosen_points_apart_from_the_base():
    s = scheme(
        item("1", rule("per_occurrence", per=-1)),
        extras=[{"code": "b", "name": "加分", "rules": [rule("bonus", min=1, max=2)]}],
    )
    facts = unit(manual=[manual("b", "bonus", points=1.5), manual("1", "deduction")])
    result = evaluate(s, [facts]).unit("a")
    assert (result.base, result.bonus, result.total) == (D("9.00"), D("1.50"), D("10.50"))


def test_bonus_sum_is_capped_by_the_scheme_and_the_cap_is_traced():
    s = scheme(
        item("1", rule("per_occurrence", per=-1)),
        extras=[{"code": "b", "name": "加分", "rules": [rule("bonus", per=2)]}],
        bonus_cap=5,
    )
    result = evaluate(s, [unit(manual=[manual("b", "bonus", count=4)])]).unit("a")
    assert (result.bonus, result.total) == (D("5.00"), D("15.00"))
    assert [(a.kind, a.points) for a in result.adjustments] == [("bonus_cap", D("-3.00"))]


def test_bonus_outside_its_range_is_rejected():
    s = scheme(
        item("1", rule("tiered")),
        extras=[{"code": "b", "name": "加分", "rules": [rule("bonus", min=1, max=2)]}],
    )
    facts = unit(manual=[manual("1", "tier", tier="好"), manual("b", "bonus", points=3)])
    with pytest.raises(FactsError, match=r"分值 3 超出允许范围 \[1, 2\]"):
        evaluate(s, [facts])


def test_veto_lists_the_unit_apart_unranked_and_never_recommended():
    s = scheme(
        item("1", rule("per_occurrence", per=-1)),
        extras=[{"code": "v", "name": "数据真实性", "rules": [rule("veto", label="伪造数据")]}],
        top_n=2,
    )
    facts = [unit("a"), unit("b", manual=[manual("v", "veto", reason="篡改办件数据", evidence=("DC-7",))])]
    result = evaluate(s, facts)
    assert [(u.unit, u.rank, u.vetoed) for u in result.units] == [("a", 1, False), ("b", None, True)]
    assert [u.unit for u in result.recommended] == ["a"]
    vetoed = result.unit("b")
    assert (vetoed.total, vetoed.veto_reason, vetoed.veto_evidence) == (
        D("10.00"),
        "伪造数据：篡改办件数据",
        ("DC-7",),
    )


# -- floors and caps -------------------------------------------------------------------------------


def test_item_floor_stops_deductions_at_zero_and_traces_the_difference():
    s = scheme(
        item("1", rule("per_occurrence", "cards.red", per=-1), points=3, floor=0), item("2", rule("tiered"))
    )
    facts = unit(counts={"cards.red": occurrences(5)}, manual=[manual("2", "tier", tier="好")])
    result = evaluate(s, [facts]).unit("a")
    assert result.item("1").score == D("0.00")
    assert [(a.kind, a.points) for a in result.item("1").adjustments] == [
        ("per_occurrence", D("-5.00")),
        ("floor", D("2.00")),
    ]
    assert result.total == D("10.00")


def test_without_an_item_floor_an_items_deductions_eat_into_the_others():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1), points=3), item("2", rule("tiered")))
    facts = unit(counts={"cards.red": occurrences(5)}, manual=[manual("2", "tier", tier="好")])
    result = evaluate(s, [facts]).unit("a")
    assert (result.item("1").score, result.total) == (D("-2.00"), D("8.00"))


def test_total_is_floored_at_zero_by_default():
    s = scheme(
        item("1", rule("per_occurrence", per=-1), points=5),
        extras=[{"code": "d", "name": "通报批评", "rules": [rule("per_occurrence", per=-2)]}],
    )
    result = evaluate(s, [unit(manual=[manual("d", "deduction", count=4)])]).unit("a")
    assert (result.base, result.total) == (D("0.00"), D("0.00"))
    assert [(a.kind, a.points) for a in result.adjustments] == [("floor", D("3.00"))]


def test_a_rule_cap_limits_what_one_rule_can_deduct():
    s = scheme(item("1", rule("per_occurrence", "cards.yellow", per=-0.5, cap=2)))
    result = evaluate(s, [unit(counts={"cards.yellow": occurrences(6)})]).unit("a").item("1")
    assert result.score == D("8.00")
    assert [(a.kind, a.points) for a in result.adjustments] == [
        ("per_occurrence", D("-3.00")),
        ("cap", D("1.00")),
    ]


def test_an_item_cap_keeps_gains_within_its_points():
    s = scheme(item("1", rule("per_occurrence", per=1)))
    result = evaluate(s, [unit(manual=[manual("1", "deduction", count=2)])]).unit("a").item("1")
    assert result.score == D("10.00")
    assert result.adjustments[-1].kind == "cap"


def test_a_category_floor_holds_the_sum_of_its_items():
    data = scheme(item("1", rule("per_occurrence", "cards.red", per=-4), points=5)).to_dict()
    data["categories"][0]["floor"] = "0"
    s = parse_scheme(data)
    result = evaluate(s, [unit(counts={"cards.red": occurrences(2)})]).unit("a")
    assert (result.item("1").score, result.categories[0].score) == (D("-3.00"), D("0.00"))


def test_a_total_cap_holds_base_plus_bonus():
    s = scheme(
        item("1", rule("per_occurrence", per=-1)),
        extras=[{"code": "b", "name": "加分", "rules": [rule("bonus", per=2)]}],
        total_cap=11,
    )
    assert evaluate(s, [unit(manual=[manual("b", "bonus", count=3)])]).unit("a").total == D("11.00")


# -- unit types ------------------------------------------------------------------------------------


def two_type_scheme() -> Scheme:
    return parse_scheme(
        {
            "code": "t",
            "name": "按单位类型计分",
            "version": "1",
            "scale": 100,
            "unit_types": {"city_dept": "市直部门", "county": "县区"},
            "categories": [
                {
                    "code": "一",
                    "name": "改革",
                    "points": {"city_dept": 30, "county": 25},
                    "items": [
                        {
                            "code": "1",
                            "name": "改革",
                            "points": {"city_dept": 30, "county": 25},
                            "rules": [rule("tiered")],
                        }
                    ],
                },
                {
                    "code": "二",
                    "name": "交易监管",
                    "points": {"city_dept": 70, "county": 75},
                    "items": [
                        {
                            "code": "2",
                            "name": "交易监管",
                            "points": {"city_dept": 70, "county": 75},
                            "rules": [rule("tiered")],
                        }
                    ],
                },
            ],
        }
    )


def test_the_same_tier_is_worth_the_points_of_the_units_type():
    entries = [manual("1", "tier", tier="差"), manual("2", "tier", tier="好")]
    result = evaluate(
        two_type_scheme(), [unit("d", unit_type="city_dept", manual=entries), unit("c", manual=entries)]
    )
    assert (result.unit("d").total, result.unit("c").total) == (D("70.00"), D("75.00"))


def test_a_unit_of_a_type_the_scheme_does_not_know_is_rejected():
    with pytest.raises(
        FactsError, match="单位类型“township”不在本方案中，可选：city_dept（市直部门）、county（县区）"
    ):
        evaluate(two_type_scheme(), [unit(unit_type="township")])


# -- N/A rescaling ---------------------------------------------------------------------------------


def na_scheme() -> Scheme:
    return scheme(
        item("1", rule("per_occurrence", "cards.red", per=-1), points=60),
        item("2", rule("external_subscore", "hotline.subscore", out_of=100), points=40),
        extras=[{"code": "d", "name": "通报批评", "rules": [rule("per_occurrence", per=-1)]}],
    )


def test_an_item_whose_value_is_none_is_na_and_the_rest_is_rescaled_to_the_full_scale():
    # Item 2 N/A: A = 60. Item 1: 60 − 6 = 54 → 54 × 100 / 60 = 90.00.
    facts = unit(counts={"cards.red": occurrences(6)}, values={"hotline.subscore": None})
    result = evaluate(na_scheme(), [facts]).unit("a")
    assert result.item("2").na and result.item("2").score is None
    assert (result.assessed, result.total) == (D(60), D("90.00"))
    assert result.adjustments[0].kind == "rescale" and result.adjustments[0].points == D("36.00")


def test_an_omitted_value_is_na_like_a_none_value():
    assert evaluate(na_scheme(), [unit()]).unit("a").item("2").na


def test_a_count_fact_given_as_none_marks_its_item_na():
    # Item 1 N/A: A = 40. Item 2: 30 of 40 → 30 × 100 / 40 = 75.00.
    facts = unit(values={"cards.red": None, "hotline.subscore": D(75)})
    result = evaluate(na_scheme(), [facts]).unit("a")
    assert result.item("1").na and result.total == D("75.00")


def test_extras_deductions_are_taken_after_rescaling_and_are_not_scaled():
    facts = unit(counts={"cards.red": occurrences(6)}, manual=[manual("d", "deduction", count=2)])
    assert evaluate(na_scheme(), [facts]).unit("a").total == D("88.00")  # 90 − 2


def test_a_unit_with_every_item_na_is_unrated_and_unranked():
    s = scheme(item("1", rule("external_subscore", "hotline.subscore", out_of=100)))
    result = evaluate(s, [unit("a"), unit("b", values={"hotline.subscore": D(50)})])
    assert [(u.unit, u.rank, u.unrated) for u in result.units] == [("b", 1, False), ("a", None, True)]


def test_a_manual_entry_for_an_item_that_is_na_is_an_error():
    s = scheme(
        item("1", rule("external_subscore", "hotline.subscore", out_of=100), rule("per_occurrence", per=-1))
    )
    with pytest.raises(FactsError, match="该项无数据（不参评），不应有人工录入"):
        evaluate(s, [unit(manual=[manual("1", "deduction")])])


# -- ranking ---------------------------------------------------------------------------------------


def ranking_units(*deductions: int) -> list[UnitFacts]:
    return [unit(f"u{i}", counts={"cards.red": occurrences(n)}) for i, n in enumerate(deductions, start=1)]


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1)))
    result = evaluate(s, ranking_units(3, 1, 2, 1))
    assert [(u.unit, u.total, u.rank) for u in result.units] == [
        ("u2", D("9.00"), 1),
        ("u4", D("9.00"), 1),
        ("u3", D("8.00"), 3),
        ("u1", D("7.00"), 4),
    ]
    result = evaluate(s, ranking_units(0, 1, 1, 2))
    assert [u.rank for u in result.units] == [1, 2, 2, 4]


def test_top_n_recommends_every_unit_placed_within_it_and_the_argument_overrides_the_scheme():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1)), top_n=1)
    facts = ranking_units(0, 1, 1, 2)
    assert [u.unit for u in evaluate(s, facts).recommended] == ["u1"]
    assert [u.unit for u in evaluate(s, facts, top_n=2).recommended] == ["u1", "u2", "u3"]


def test_no_top_n_means_no_recommendation_list():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1)))
    assert evaluate(s, ranking_units(0, 1)).recommended == ()


# -- bad facts -------------------------------------------------------------------------------------


def test_bad_facts_are_all_reported_together():
    s = scheme(item("1", rule("per_occurrence", per=-1)), item("2", rule("per_occurrence", per=-1)))
    facts = [
        unit(
            "a",
            counts={"cards.blue": []},
            manual=[manual("9", "deduction"), manual("1", "deduction", evidence=())],
        ),
        unit("a"),
    ]
    with pytest.raises(FactsError) as caught:
        evaluate(s, facts)
    assert caught.value.messages == (
        "单位“单位a”：计数数据项“cards.blue”不在约定词表中",
        "单位“单位a”：单位编码“a”重复",
    )


def test_manual_entries_need_a_reason_evidence_and_an_existing_item():
    s = scheme(item("1", rule("per_occurrence", per=-1)))
    facts = unit(manual=[manual("9", "deduction"), manual("1", "deduction", evidence=(), reason="")])
    with pytest.raises(FactsError) as caught:
        evaluate(s, [facts])
    assert caught.value.messages == (
        "单位“单位a”人工录入第 1 条（考核项“9”）：考核项“9”不存在",
        "单位“单位a”人工录入第 2 条（考核项“1”）：须填写理由",
        "单位“单位a”人工录入第 2 条（考核项“1”）：须附佐证材料",
    )


def test_a_manual_entry_must_name_its_rule_when_the_item_has_several_of_its_kind():
    s = scheme(
        item("1", rule("per_occurrence", per=-0.5, code="a"), rule("per_occurrence", per=-1, code="b"))
    )
    with pytest.raises(FactsError, match="该项有多条可录入“扣分”的规则（a、b），须指明规则编码"):
        evaluate(s, [unit(manual=[manual("1", "deduction")])])
    assert score_of(s, unit(manual=[manual("1", "deduction", rule="b")])) == D("9.00")


def test_a_manual_entry_of_a_kind_the_item_has_no_rule_for_is_rejected():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1)))
    with pytest.raises(FactsError, match="该项没有可录入“扣分”的人工规则"):
        evaluate(s, [unit(manual=[manual("1", "deduction")])])


# -- rounding --------------------------------------------------------------------------------------


def test_rescaled_part_is_rounded_half_up_to_the_cent():
    # A = 60 (item 2 N/A); item 1: 60 − 0.5 × 1 = 59.5 → 59.5 × 100 / 60 = 99.1666… → 99.17.
    s = scheme(
        item("1", rule("per_occurrence", "cards.red", per=-0.5), points=60),
        item("2", rule("external_subscore", "hotline.subscore", out_of=100), points=40),
    )
    assert evaluate(s, [unit(counts={"cards.red": occurrences(1)})]).unit("a").total == D("99.17")


# -- publishing ------------------------------------------------------------------------------------


def test_to_dict_has_the_published_shape_with_two_place_strings():
    s = scheme(
        item("1", rule("per_occurrence", "cases.overdue", per=-0.5), points=60),
        item("2", rule("external_subscore", "hotline.subscore", out_of=100), points=40),
    )
    facts = [
        unit("a", counts={"cases.overdue": occurrences(1)}),
        unit("b", values={"hotline.subscore": D(80)}),
    ]
    data = json.loads(json.dumps(evaluate(s, facts, period="2026-Q1").to_dict()))
    assert {"scheme", "version", "period", "units"} <= set(data)
    assert (data["scheme"], data["version"], data["period"]) == ("test", "1", "2026-Q1")
    a = next(u for u in data["units"] if u["unit"] == "a")
    assert {"unit", "unit_type", "total", "rank", "items"} <= set(a)
    assert (a["unit_type"], a["total"], a["rank"]) == ("county", "99.17", 1)
    first, second = a["items"]
    assert {k: first[k] for k in ("item", "score", "max")} == {"item": "1", "score": "59.50", "max": "60.00"}
    assert first["deductions"] == [
        {
            "rule": "1.1",
            "kind": "per_occurrence",
            "points": "-0.50",
            "evidence": ["CASE-1"],
            "count": 1,
            "note": "按次扣分",
        }
    ]
    assert (second["score"], second["na"], second["deductions"]) == (None, True, [])
    for u in data["units"]:
        for key in ("base", "bonus", "total"):
            assert re.fullmatch(r"-?\d+\.\d\d", u[key])


def test_to_dict_can_carry_the_rule_set_it_was_scored_by():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1)))
    data = evaluate(s, [unit()]).to_dict(include_scheme=True)
    assert data["rules"]["code"] == "test"
    assert data["rules"]["categories"][0]["items"][0]["rules"][0] == {
        "code": "1.1",
        "kind": "per_occurrence",
        "source": "cards.red",
        "label": "",
        "per": "-1",
    }


# -- comparing runs --------------------------------------------------------------------------------


def test_compare_reports_what_a_correction_changed_per_unit():
    s = scheme(
        item("1", rule("per_occurrence", "cards.red", per=-1)),
        item("2", rule("per_occurrence", "cards.yellow", per=-0.5)),
    )
    before = evaluate(
        s, [unit("a", counts={"cards.red": occurrences(3)}), unit("b", counts={"cards.red": occurrences(1)})]
    )
    # A red card of unit a is voided on appeal: a moves from 17 to 18, b stays at 19.
    after = evaluate(
        s, [unit("a", counts={"cards.red": occurrences(2)}), unit("b", counts={"cards.red": occurrences(1)})]
    )
    changes = {c.unit: c for c in compare(before, after)}
    a = changes["a"]
    assert (a.old_total, a.new_total, a.delta, a.old_rank, a.new_rank) == (
        D("17.00"),
        D("18.00"),
        D("1.00"),
        2,
        2,
    )
    assert [(i.item, i.old, i.new, i.delta) for i in a.items] == [("1", D("7.00"), D("8.00"), D("1.00"))]
    assert a.changed and not changes["b"].changed
    assert a.to_dict()["items"] == [
        {"item": "1", "name": "考核项1", "old": "7.00", "new": "8.00", "delta": "1.00"}
    ]


def test_compare_shows_rank_changes_and_units_present_in_one_run_only():
    s = scheme(item("1", rule("per_occurrence", "cards.red", per=-1)))
    before = evaluate(s, [unit("a"), unit("b", counts={"cards.red": occurrences(1)})])
    after = evaluate(s, [unit("a", counts={"cards.red": occurrences(2)}), unit("c")])
    changes = {c.unit: c for c in compare(before, after)}
    assert (changes["a"].old_rank, changes["a"].new_rank) == (1, 2)
    assert (changes["b"].old_total, changes["b"].new_total, changes["b"].delta) == (D("9.00"), None, None)
    assert (changes["c"].old_total, changes["c"].new_total) == (None, D("10.00"))
