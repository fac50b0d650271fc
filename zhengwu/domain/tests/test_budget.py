"""Budget performance (DOMAIN §9): golden self-evaluations computed by hand, each indicator formula, plan
deviation and grades."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from zhengwu.domain.budget import (
    BENEFIT,
    OUTPUT,
    SATISFACTION,
    Alert,
    BudgetError,
    Grade,
    IndicatorInput,
    Operator,
    Tier,
    attainment,
    check_plan,
    default_checkpoints,
    execution_rate,
    execution_score,
    grade,
    indicator_warning,
    parse_target,
    plan_warning,
    planned_percent,
    score_indicator,
    self_evaluate,
)

GE = Operator.GE


def seed_002_indicators(**changes: IndicatorInput) -> list[IndicatorInput]:
    """The shared indicator set of seed 002 with actuals of a fixture year."""
    rows = {
        "受理率": IndicatorInput("受理率", OUTPUT, GE, D(95), D("97.5")),
        "办结率": IndicatorInput("办结率", OUTPUT, GE, D(95), D("90.25")),
        "自动化": IndicatorInput("自动化", OUTPUT, GE, D(90), D(90)),
        "成本": IndicatorInput("成本", OUTPUT, GE, D(90), D(72)),
        "保障": IndicatorInput("保障", BENEFIT, GE, D(95), D(95)),
        "服务水平": IndicatorInput("服务水平", BENEFIT, GE, D(95), D("85.5")),
        "满意度": IndicatorInput("满意度", SATISFACTION, GE, D(95), D(76)),
    }
    rows.update(changes)
    return list(rows.values())


def test_golden_self_evaluation_of_the_fixture_project_matches_the_hand_computation():
    # 执行率 = 331,920 / 368,800 = 90 % → 10 × 0.9 = 9.00
    # 产出 50 / 4 = 12.5 each: 受理率 97.5 ≥ 95 → 12.50; 办结率 12.5 × 90.25/95 = 11.875 → 11.88;
    #   自动化 90 ≥ 90 → 12.50; 成本 12.5 × 72/90 = 10.00
    # 效益 30 / 2 = 15 each: 保障 → 15.00; 服务水平 15 × 85.5/95 = 13.50
    # 满意度 10: 10 × 76/95 = 8.00
    # total = 9 + 12.5 + 11.88 + 12.5 + 10 + 15 + 13.5 + 8 = 92.38 → 优
    result = self_evaluate(spent=D("331920.00"), budget=D("368800.00"), indicators=seed_002_indicators())
    assert result.execution_rate == D("0.9")
    assert result.execution_score == D("9.00")
    assert [r.score for r in result.indicators] == [
        D("12.50"),
        D("11.88"),
        D("12.50"),
        D("10.00"),
        D("15.00"),
        D("13.50"),
        D("8.00"),
    ]
    assert result.block_scores() == {OUTPUT: D("46.88"), BENEFIT: D("28.50"), SATISFACTION: D("8.00")}
    assert result.maximum == D(100)
    assert result.total == D("92.38")
    assert result.grade == Grade.EXCELLENT
    assert not result.needs_explanation
    assert result.notes == ()


def test_positive_indicator_below_target_scores_points_times_actual_over_target():
    # 10 × 76 / 95 = 8.00
    assert score_indicator(operator=GE, points=D(10), target=D(95), actual=D(76)).score == D("8.00")
    # strict ">": 10 × 80/100 = 8.00
    assert score_indicator(operator=Operator.GT, points=D(10), target=D(100), actual=D(80)).score == D("8.00")


def test_reverse_indicator_scores_points_times_target_over_actual():
    # ≤ 5 days, actual 8: 10 × 5/8 = 6.25; met (4 ≤ 5): 10
    assert score_indicator(operator=Operator.LE, points=D(10), target=D(5), actual=D(8)).score == D("6.25")
    assert score_indicator(operator=Operator.LE, points=D(10), target=D(5), actual=D(4)).score == D("10.00")
    assert score_indicator(operator=Operator.LT, points=D(10), target=D(5), actual=D(0)).score == D("10.00")


def test_an_overshoot_is_capped_at_the_points_and_flagged_never_reduced():
    # 120 vs ≥ 95: capped at 10; 120 ≥ 1.2 × 95 = 114 → flagged for the reviewer
    got = score_indicator(operator=GE, points=D(10), target=D(95), actual=D(120))
    assert (got.score, got.flagged) == (D("10.00"), True)
    got = score_indicator(operator=GE, points=D(10), target=D(95), actual=D(113))
    assert (got.score, got.flagged) == (D("10.00"), False)


def test_equality_indicator_scores_the_smaller_ratio_both_ways():
    # = 100: actual 80 → 10 × 0.8; actual 125 → 10 × 100/125 = 8
    assert score_indicator(operator=Operator.EQ, points=D(10), target=D(100), actual=D(80)).score == D("8.00")
    assert score_indicator(operator=Operator.EQ, points=D(10), target=D(100), actual=D(125)).score == D(
        "8.00"
    )
    assert attainment(Operator.EQ, D(0), D(0)) == 1
    assert attainment(Operator.EQ, D(0), D(3)) == 0


def test_qualitative_indicator_scores_the_share_the_reviewer_picks_within_its_tier():
    # 部分达成 (60–80 %), reviewer picks 70 %: 15 × 0.7 = 10.50
    got = score_indicator(operator=Operator.QUALITATIVE, points=D(15), tier=Tier.PARTIAL, share=D("0.7"))
    assert got.score == D("10.50")
    assert (
        score_indicator(operator=Operator.QUALITATIVE, points=D(15), tier=Tier.ACHIEVED, share=D(1)).score
        == 15
    )
    with pytest.raises(BudgetError, match="60%–80%"):
        score_indicator(operator=Operator.QUALITATIVE, points=D(15), tier=Tier.PARTIAL, share=D("0.9"))
    with pytest.raises(BudgetError, match="等次"):
        score_indicator(operator=Operator.QUALITATIVE, points=D(15))


def test_not_applicable_indicator_in_an_equally_split_block_shares_its_points_with_the_rest():
    # 成本 N/A: 产出 50 / 3 = 16.666… each; 受理率 16.67, 办结率 16.666… × 0.95 = 15.833… → 15.83, 自动化 16.67
    # total = 9 + 16.67 + 15.83 + 16.67 + 15 + 13.5 + 8 = 94.67, maximum still 100: no re-scaling
    rows = seed_002_indicators(成本=IndicatorInput("成本", OUTPUT, GE, D(90), None, applicable=False))
    result = self_evaluate(spent=D("331920"), budget=D("368800"), indicators=rows)
    assert [r.score for r in result.indicators][:4] == [D("16.67"), D("15.83"), D("16.67"), D(0)]
    assert result.maximum == D(100)
    assert result.total == D("94.67")


def test_not_applicable_weighted_indicator_is_dropped_and_the_rest_rescaled_to_100():
    # weights 12.5 each for 产出, 成本 N/A → maximum = 10 + 37.5 + 30 + 10 = 87.5
    # raw = 9 + 12.5 + 11.88 + 12.5 + 15 + 13.5 + 8 = 82.38; total = 82.38 × 100 / 87.5 = 94.1486 → 94.15 优
    weighted = {
        key: IndicatorInput(key, OUTPUT, GE, D(t), D(a), weight=D("12.5"))
        for key, t, a in (("受理率", 95, "97.5"), ("办结率", 95, "90.25"), ("自动化", 90, 90))
    }
    rows = seed_002_indicators(
        **weighted, 成本=IndicatorInput("成本", OUTPUT, GE, D(90), None, weight=D("12.5"), applicable=False)
    )
    result = self_evaluate(spent=D("331920"), budget=D("368800"), indicators=rows)
    assert result.maximum == D("87.50")
    assert result.raw == D("82.38")
    assert result.total == D("94.15")
    assert result.grade == Grade.EXCELLENT
    assert "折算" in result.notes[0]


def test_a_block_mixing_weighted_and_unweighted_indicators_is_refused():
    rows = seed_002_indicators(受理率=IndicatorInput("受理率", OUTPUT, GE, D(95), D(97), weight=D(20)))
    with pytest.raises(BudgetError, match="全部设置分值"):
        self_evaluate(spent=D(1), budget=D(1), indicators=rows)


def test_low_execution_needs_an_explanation_and_scores_its_share():
    # 184,400 / 368,800 = 50 % → 5.00; < 90 % must be explained
    result = self_evaluate(spent=D("184400"), budget=D("368800"), indicators=seed_002_indicators())
    assert result.execution_score == D("5.00")
    assert result.needs_explanation
    # 92.38 − 9 + 5 = 88.38 → 良
    assert (result.total, result.grade) == (D("88.38"), Grade.GOOD)
    assert execution_rate(D(5), D(0)) is None
    assert execution_score(D("1.3")) == D("10.00")


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", "优"),
        ("90", "优"),
        ("89.99", "良"),
        ("80", "良"),
        ("79.99", "中"),
        ("60", "中"),
        ("59.99", "差"),
    ],
)
def test_grade_bands(total, expected):
    assert grade(D(total)) == expected


def test_spending_plan_and_deviation_warnings():
    plan = default_checkpoints(2026)
    assert [p for _, p in plan] == [25, 50, 75, 100]
    assert planned_percent(plan, dt.date(2026, 3, 30)) == 0
    assert planned_percent(plan, dt.date(2026, 7, 31)) == 50
    assert plan_warning(D(50), D(40)) == Alert.NONE  # 10 points below: not more than 10
    assert plan_warning(D(50), D(39)) == Alert.YELLOW
    assert plan_warning(D(50), D("29.99")) == Alert.RED
    assert plan_warning(D(50), D(45), yellow=D(3)) == Alert.YELLOW
    with pytest.raises(BudgetError, match="低于上一节点"):
        check_plan([(dt.date(2026, 3, 31), D(50)), (dt.date(2026, 6, 30), D(40))])


def test_indicator_monitoring_warning():
    assert indicator_warning(GE, D(95), D(96)) == Alert.NONE
    assert indicator_warning(GE, D(95), D(90)) == Alert.YELLOW  # 90/95 = 94.7 %
    assert indicator_warning(GE, D(95), D(80)) == Alert.RED  # 84.2 % < 90 %
    assert indicator_warning(GE, D(95), None) == Alert.NONE


def test_parse_target_reads_the_seed_notation():
    assert parse_target("≥95%") == (GE, D(95), "%")
    assert parse_target(">=90 %") == (GE, D(90), "%")
    assert parse_target("≤5天") == (Operator.LE, D(5), "天")
    assert parse_target("达到预期") == (Operator.QUALITATIVE, None, "")
