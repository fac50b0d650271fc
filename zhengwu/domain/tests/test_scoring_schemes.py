"""The two shipped schemes (seed 000 山海关区 2020, seed 001 益阳市 2020) scored on hand-built units.

Every total below is worked out by hand in the comment above its fixture; the engine must agree to
the cent.
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from zhengwu.domain.scoring import (
    Evaluation,
    ManualEntry,
    Occurrence,
    Scheme,
    UnitFacts,
    evaluate,
    load_scheme_text,
    parse_scheme,
)

SCHEMES = Path(__file__).resolve().parents[2] / "assessment" / "schemes"


def load(name: str) -> Scheme:
    return load_scheme_text((SCHEMES / f"{name}.yaml").read_text(encoding="utf-8"))


def occurrences(prefix: str, n: int) -> list[Occurrence]:
    return [Occurrence(f"{prefix}-{i:03d}") for i in range(1, n + 1)]


def entry(item: str, kind: str, *, count: int = 1, points: str | None = None, tier: str = "", rule: str = ""):
    return ManualEntry(
        item_code=item,
        kind=kind,
        reason=f"{item} 项人工评定",
        evidence=(f"EV-{item}-{kind}",),
        points=None if points is None else D(points),
        tier=tier,
        count=count,
        rule=rule,
    )


def check_trace(evaluation: Evaluation) -> None:
    """Every applicable item's score is its points plus its adjustments."""
    for unit in evaluation.units:
        for item in unit.items:
            if not item.na:
                assert item.score == item.max + sum((a.points for a in item.adjustments), D(0)), (
                    unit.unit,
                    item.code,
                )


# -- seed 001: 益阳市 -------------------------------------------------------------------------------

# 赫山区 (区县): item 1: two late tasks −1.00 and a quality judgement −1.50 → 9 − 2.5 = 6.50;
# item 3: one −0.50 → 7.50; item 4: three inconsistent elements −1.50 and one complaint −0.50 →
# 9 − 2 = 7.00; item 6: judgements −1.00 and −0.50 → 6.50; item 7: two elements missing −2 → 6.00;
# item 8: three overdue cases −1.50 and one manual −0.50 → 7.00; item 10: two bad reviews not
# rectified −1.00 → 7.00; item 11: hotline 87.5/100 × 8 = 7.00; item 12: one red, two yellow cards
# −1.50 → 7.50; items 2, 5, 9 full (8 each).
# 6.5 + 8 + 7.5 + 7 + 8 + 6.5 + 6 + 7 + 8 + 7 + 7 + 7.5 = 86.00
HESHAN = UnitFacts(
    unit="heshan",
    unit_type="county",
    name="赫山区",
    counts={
        "cases.overdue": occurrences("SP2020", 3),
        "reviews.bad_unrectified": occurrences("PJ", 2),
        "cards.red": occurrences("HP", 1),
        "cards.yellow": occurrences("YP", 2),
    },
    values={"hotline.subscore": D("87.5")},
    manual=[
        entry("1", "deduction", count=2),
        entry("1", "judgement", points="-1.5"),
        entry("3", "deduction"),
        entry("4", "deduction", count=3, rule="4a"),
        entry("4", "deduction", rule="4c"),
        entry("6", "judgement", points="-1"),
        entry("6", "judgement", points="-0.5"),
        entry("7", "missing", count=2),
        entry("8", "deduction", rule="8a"),
    ],
)

# 南县 (区县): item 3: two −0.50 → 7.00; item 10: twenty bad reviews not rectified −10.00 on 8 points,
# 扣完为止 → 0.00 (a +2.00 floor adjustment); item 11: 92.3/100 × 8 = 7.384 → 7.38; the rest full.
# 9 + 8 + 7 + 9 + 8 + 8 + 8 + 9 + 8 + 0 + 7.38 + 9 = 90.38
NANXIAN = UnitFacts(
    unit="nanxian",
    unit_type="county",
    name="南县",
    counts={"reviews.bad_unrectified": occurrences("PJ", 20)},
    values={"hotline.subscore": D("92.3")},
    manual=[entry("3", "deduction", count=2)],
)

# 益阳高新区 (管委会): no hotline data → item 11 (8 points) N/A; A = 92. Item 5: four items −2.00 →
# 6.00; item 12: three yellow cards −1.50 → 7.50. C = 92 − 3.5 = 88.5; rescaled 88.5 × 100 / 92 =
# 96.1956… → 96.20
GAOXIN = UnitFacts(
    unit="gaoxin",
    unit_type="zone",
    name="益阳高新区",
    counts={"cards.yellow": occurrences("YP", 3)},
    values={"hotline.subscore": None},
    manual=[entry("5", "deduction", count=4)],
)

# 大通湖区 (管委会): falsified data → vetoed; scored 100 − 0.5 (item 2) = 99.50 but unranked.
DATONGHU = UnitFacts(
    unit="datonghu",
    unit_type="zone",
    name="大通湖区",
    values={"hotline.subscore": D(100)},
    manual=[entry("2", "deduction"), entry("veto", "veto")],
)

# 安化县 (区县): ten red cards −5 → item 12 4.00; ten overdue cases −5 → item 8 4.00; eight bad
# reviews −4 → item 10 4.00; hotline 100 → 8. 100 − 14 = 86.00, tied with 赫山区.
ANHUA = UnitFacts(
    unit="anhua",
    unit_type="county",
    name="安化县",
    counts={
        "cards.red": occurrences("HP", 10),
        "cases.overdue": occurrences("SP", 10),
        "reviews.bad_unrectified": occurrences("PJ", 8),
    },
    values={"hotline.subscore": D(100)},
)

YIYANG_UNITS = [HESHAN, NANXIAN, GAOXIN, DATONGHU, ANHUA]


@pytest.fixture(scope="module")
def yiyang() -> Evaluation:
    return evaluate(load("yiyang-2020"), YIYANG_UNITS, period="2020")


def test_yiyang_totals_match_the_hand_computation(yiyang):
    totals = {u.unit: u.total for u in yiyang.units}
    assert totals == {
        "heshan": D("86.00"),
        "nanxian": D("90.38"),
        "gaoxin": D("96.20"),
        "datonghu": D("99.50"),
        "anhua": D("86.00"),
    }


def test_yiyang_item_scores_of_heshan_match_the_hand_computation(yiyang):
    scores = {i.code: i.score for i in yiyang.unit("heshan").items if i.category}
    assert scores == {
        "1": D("6.50"),
        "2": D("8.00"),
        "3": D("7.50"),
        "4": D("7.00"),
        "5": D("8.00"),
        "6": D("6.50"),
        "7": D("6.00"),
        "8": D("7.00"),
        "9": D("8.00"),
        "10": D("7.00"),
        "11": D("7.00"),
        "12": D("7.50"),
    }


def test_yiyang_ranks_share_the_tied_third_place_and_list_the_vetoed_unit_apart(yiyang):
    assert [(u.unit, u.rank) for u in yiyang.units] == [
        ("gaoxin", 1),
        ("nanxian", 2),
        ("anhua", 3),
        ("heshan", 3),
        ("datonghu", None),
    ]
    assert [u.unit for u in yiyang.vetoed] == ["datonghu"]


def test_yiyang_recommends_the_top_three_places_including_both_tied_units_and_never_the_vetoed_one(yiyang):
    assert [u.unit for u in yiyang.recommended] == ["gaoxin", "nanxian", "anhua", "heshan"]


def test_yiyang_item_is_floored_at_zero_and_the_floor_is_in_the_trace(yiyang):
    item = yiyang.unit("nanxian").item("10")
    assert item.score == D("0.00")
    assert [(a.kind, a.points, a.count) for a in item.adjustments] == [
        ("per_occurrence", D("-10.00"), 20),
        ("floor", D("2.00"), 0),
    ]


def test_yiyang_unit_without_hotline_data_is_rescaled_from_92_to_100_points(yiyang):
    unit = yiyang.unit("gaoxin")
    assert unit.item("11").na and unit.item("11").score is None
    assert unit.assessed == D(92)
    assert [(a.kind, a.points) for a in unit.adjustments] == [("rescale", D("7.70"))]


def test_yiyang_deductions_carry_the_case_numbers_and_card_refs_as_evidence(yiyang):
    heshan = yiyang.unit("heshan")
    overdue = next(a for a in heshan.item("8").adjustments if a.rule == "8b")
    assert overdue.evidence == ("SP2020-001", "SP2020-002", "SP2020-003")
    assert overdue.points == D("-1.50")
    cards = {a.rule: a.evidence for a in heshan.item("12").adjustments}
    assert cards == {"12a": ("HP-001",), "12b": ("YP-001", "YP-002")}


def test_yiyang_veto_records_its_reason_and_evidence(yiyang):
    unit = yiyang.unit("datonghu")
    assert unit.vetoed and unit.rank is None and not unit.recommended
    assert "伪造篡改" in unit.veto_reason
    assert unit.veto_evidence == ("EV-veto-veto",)


def test_yiyang_every_item_score_equals_its_points_plus_its_adjustments(yiyang):
    check_trace(yiyang)


def test_yiyang_items_split_100_points_into_eight_items_of_8_and_four_of_9():
    scheme = load("yiyang-2020")
    points = {item.code: item.points["county"] for _, item in scheme.items() if item.points["county"]}
    assert sum(points.values()) == 100
    assert sorted(code for code, p in points.items() if p == 9) == ["1", "12", "4", "8"]
    assert all(item.floor == 0 for c, item in scheme.items() if c is not None)


def test_yiyang_half_point_steps_round_half_up_on_the_hotline_subscore():
    # 92.3125 / 100 × 8 = 7.385 exactly: ROUND_HALF_UP gives 7.39 (banker's rounding would give 7.38).
    unit = UnitFacts("x", "county", values={"hotline.subscore": D("92.3125")})
    result = evaluate(load("yiyang-2020"), [unit])
    assert result.unit("x").item("11").score == D("7.39")


# -- seed 000: 山海关区 -----------------------------------------------------------------------------

TIERS_ALL_GOOD = {code: "好" for code in "123456"}


def tiers(**overrides: str) -> list[ManualEntry]:
    chosen = {**TIERS_ALL_GOOD, **{k.removeprefix("c"): v for k, v in overrides.items()}}
    return [entry(code, "tier", tier=tier) for code, tier in chosen.items()]


# 市市场监管局 (市直部门): (一) 好 10; (二) 较好 30 × 0.8 = 24; (三) 好 10; (四) 一般 10 × 0.6 = 6;
# (五) 较好 20 × 0.8 = 16; (六) 好 10; (七) hotline 90/100 × 10 = 9. C = 85.
# One criticism notice −1 → base 84.00; bonuses +2 and +1.5 → 3.50; total 87.50.
MARKET = UnitFacts(
    unit="market",
    unit_type="city_dept",
    name="市市场监管局",
    values={"hotline.subscore": D(90)},
    manual=[
        *tiers(c2="较好", c4="一般", c5="较好"),
        entry("notice", "deduction"),
        entry("bonus", "bonus", points="2"),
        entry("bonus", "bonus", points="1.5"),
    ],
)

# 抚宁区 (县区): (一) 较好 8; (二) 好 25; (三) 较好 8; (四) 好 10; (五) 好 20; (六) 较好 15 × 0.8 = 12;
# (七) 95/100 × 10 = 9.5. C = 92.5. One poor rectification −2 → base 90.50.
# Bonuses 2 + 2 + 2 = 6, capped at 5 → total 95.50.
FUNING = UnitFacts(
    unit="funing",
    unit_type="county",
    name="抚宁区",
    values={"hotline.subscore": D(95)},
    manual=[
        *tiers(c1="较好", c3="较好", c6="较好"),
        entry("rectify", "deduction"),
        entry("bonus", "bonus", points="2"),
        entry("bonus", "bonus", points="2"),
        entry("bonus", "bonus", points="2"),
    ],
)

# 青龙县 (县区): no hotline data → (七) N/A, A = 90. (一) 好 10; (二) 一般 25 × 0.6 = 15; (三) 好 10;
# (四) 好 10; (五) 较好 16; (六) 好 15. C = 76 → 76 × 100 / 90 = 84.444… → 84.44.
# Two criticism notices −2 (not rescaled) → base 82.44; one bonus +1 → total 83.44.
QINGLONG = UnitFacts(
    unit="qinglong",
    unit_type="county",
    name="青龙县",
    values={"hotline.subscore": None},
    manual=[
        *tiers(c2="一般", c5="较好"),
        entry("notice", "deduction", count=2),
        entry("bonus", "bonus", points="1"),
    ],
)

# 市住建局 (市直部门): (二) 差 → 0 of 30; every other category full, hotline 100 → 10. C = 70.
# Three notices −3 and two poor rectifications −4 → base 63.00, no bonus → 63.00.
HOUSING = UnitFacts(
    unit="housing",
    unit_type="city_dept",
    name="市住建局",
    values={"hotline.subscore": D(100)},
    manual=[
        *tiers(c2="差"),
        entry("notice", "deduction", count=3),
        entry("rectify", "deduction", count=2),
    ],
)

SHANHAIGUAN_UNITS = [MARKET, FUNING, QINGLONG, HOUSING]


@pytest.fixture(scope="module")
def shanhaiguan() -> Evaluation:
    return evaluate(load("shanhaiguan-2020"), SHANHAIGUAN_UNITS, period="2020")


def test_shanhaiguan_base_bonus_and_total_match_the_hand_computation(shanhaiguan):
    assert {u.unit: (u.base, u.bonus, u.total) for u in shanhaiguan.units} == {
        "market": (D("84.00"), D("3.50"), D("87.50")),
        "funing": (D("90.50"), D("5.00"), D("95.50")),
        "qinglong": (D("82.44"), D("1.00"), D("83.44")),
        "housing": (D("63.00"), D("0.00"), D("63.00")),
    }


def test_shanhaiguan_ranks_by_descending_total(shanhaiguan):
    assert [(u.unit, u.rank) for u in shanhaiguan.units] == [
        ("funing", 1),
        ("market", 2),
        ("qinglong", 3),
        ("housing", 4),
    ]
    assert shanhaiguan.recommended == ()


def test_shanhaiguan_category_points_follow_the_unit_type(shanhaiguan):
    market = {c.code: c.max for c in shanhaiguan.unit("market").categories}
    funing = {c.code: c.max for c in shanhaiguan.unit("funing").categories}
    assert (market["二"], market["六"]) == (D(30), D(10))
    assert (funing["二"], funing["六"]) == (D(25), D(15))
    assert sum(market.values()) == sum(funing.values()) == 100


def test_shanhaiguan_bonus_over_five_points_is_capped_and_the_cap_is_traced(shanhaiguan):
    funing = shanhaiguan.unit("funing")
    assert funing.item("bonus").score == D("6.00")
    assert [(a.kind, a.points) for a in funing.adjustments] == [("bonus_cap", D("-1"))]


def test_shanhaiguan_deductions_are_not_rescaled_when_an_item_is_na(shanhaiguan):
    qinglong = shanhaiguan.unit("qinglong")
    assert qinglong.item("7").na
    rescale = next(a for a in qinglong.adjustments if a.kind == "rescale")
    assert rescale.points == D("8.44")  # 84.44 − 76
    assert qinglong.item("notice").score == D("-2.00")


def test_shanhaiguan_bonus_may_lift_the_total_above_the_scale_to_105():
    star = UnitFacts(
        "star",
        "county",
        values={"hotline.subscore": D(100)},
        manual=[*tiers(), *(entry("bonus", "bonus", points="2") for _ in range(3))],
    )
    unit = evaluate(load("shanhaiguan-2020"), [star]).unit("star")
    assert (unit.base, unit.bonus, unit.total) == (D("100.00"), D("5.00"), D("105.00"))


def test_shanhaiguan_every_item_score_equals_its_points_plus_its_adjustments(shanhaiguan):
    check_trace(shanhaiguan)


def test_shanhaiguan_to_dict_is_json_with_two_place_strings(shanhaiguan):
    data = json.loads(json.dumps(shanhaiguan.to_dict()))
    assert (data["scheme"], data["version"], data["period"]) == ("shanhaiguan-2020", "2020.1", "2020")
    first = data["units"][0]
    assert (first["unit"], first["unit_type"], first["total"], first["rank"]) == (
        "funing",
        "county",
        "95.50",
        1,
    )
    assert first["items"][0] == {
        "item": "1",
        "name": "政务服务标准化建设落实情况",
        "category": "一",
        "score": "8.00",
        "max": "10.00",
        "na": False,
        "deductions": [
            {
                "rule": "1a",
                "kind": "tiered",
                "points": "-2.00",
                "evidence": ["EV-1-tier"],
                "count": 1,
                "note": "落实情况等次评定：评定为“较好”（80%）；1 项人工评定",
            }
        ],
    }


@pytest.mark.parametrize("name", ["yiyang-2020", "shanhaiguan-2020"])
def test_shipped_scheme_survives_a_round_trip_through_to_dict(name):
    scheme = load(name)
    again = parse_scheme(json.loads(json.dumps(scheme.to_dict(), ensure_ascii=False)))
    assert again == scheme
