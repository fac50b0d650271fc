"""Budget project performance (预算项目绩效, DOMAIN §9): execution rate, spending-plan deviation, indicator
scoring and the year-end self-evaluation (绩效自评) with its grade.

**Execution (预算执行率).** rate = spent / adjusted budget (a fraction; None for a zero budget); its score
is `execution_points` (law, 财预〔2020〕10号: 10) × min(1, rate). default: a rate below 90 % needs an
explanation (`execution_needs_explanation`).

**Spending plan (资金支出计划).** A plan is a list of checkpoints (date, cumulative planned %); seed 002
uses 25/50/75/100 % at the end of March, June, October and December (`default_checkpoints`). default:
the plan at a date is the percentage of the latest checkpoint on or before it (0 before the first).
default: the execution warning is yellow when the cumulative actual % is more than 10 points below the
plan, red when more than 20 below (thresholds are arguments).

**Indicators (三级指标).** Operators `=`, `≥`, `≤`, `>`, `<` and `qualitative`. With P the indicator's
points, a = actual and t = target:

- positive (`≥`, `>`): P × min(1, a / t) (full P when t ≤ 0);
- reverse (`≤`, `<`): P × min(1, t / a) (full P when a ≤ 0) — as in the provincial forms;
- equality (`=`), default: P × min(a / t, t / a) (full P when both are 0, else 0 when either is);
- qualitative (law): the reviewer picks a tier and a share within it: 达成年度指标 80–100 %, 部分达成并具有
  一定效果 60–80 %, 未达成且效果较差 0–60 % of P. A qualitative indicator without a tier is an error, never
  a silent score.

default: a positive indicator whose actual is at least 1.2 × its target is *flagged* for the reviewer
(a target set too low), never reduced automatically.

**Points.** law: 预算执行率 10, 产出 50, 效益 30, 满意度 10 (`DEFAULT_BLOCK_POINTS`, keyed by the 一级
indicator name; adjustable per project). default: a block's points are split equally among its
applicable level-3 indicators unless weights are set (then every indicator of that block must carry
one). Indicators marked not applicable (不适用) are dropped; the maximum A = execution points + Σ points
of the applicable indicators, and when A differs from the scale (100) the raw total is re-scaled:
total = raw × 100 / A.

**Grade (等级).** 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60.

**Rounding.** Arithmetic is exact; each indicator score, the execution score and the total are quantized
to 0.01 ROUND_HALF_UP; the rate is reported as a percentage with two decimals.

Pure Python: no Django, no database, no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

CENT: Final = Decimal("0.01")
ZERO: Final = Decimal(0)
ONE: Final = Decimal(1)
HUNDRED: Final = Decimal(100)
SCALE: Final = HUNDRED
EXECUTION_POINTS: Final = Decimal(10)
EXPLAIN_BELOW: Final = Decimal("0.9")
OVERSHOOT: Final = Decimal("1.2")
YELLOW_POINTS: Final = Decimal(10)
RED_POINTS: Final = Decimal(20)

OUTPUT: Final = "产出指标"
BENEFIT: Final = "效益指标"
SATISFACTION: Final = "满意度指标"
DEFAULT_BLOCK_POINTS: Final[Mapping[str, Decimal]] = {
    OUTPUT: Decimal(50),
    BENEFIT: Decimal(30),
    SATISFACTION: Decimal(10),
}
# Default second levels per first level (the tree itself is data: a project may add roots such as 成本指标).
DEFAULT_TREE: Final[Mapping[str, tuple[str, ...]]] = {
    OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    SATISFACTION: ("服务对象满意度指标",),
}


class BudgetError(ValueError):
    """A broken input, with a Chinese message."""


class Operator(StrEnum):
    EQ = "="
    GE = "≥"
    LE = "≤"
    GT = ">"
    LT = "<"
    QUALITATIVE = "qualitative"

    @property
    def reverse(self) -> bool:
        return self in (Operator.LE, Operator.LT)


class Tier(StrEnum):
    ACHIEVED = "达成年度指标"
    PARTIAL = "部分达成并具有一定效果"
    FAILED = "未达成且效果较差"


TIER_SHARES: Final[Mapping[Tier, tuple[Decimal, Decimal]]] = {
    Tier.ACHIEVED: (Decimal("0.8"), ONE),
    Tier.PARTIAL: (Decimal("0.6"), Decimal("0.8")),
    Tier.FAILED: (ZERO, Decimal("0.6")),
}


class Grade(StrEnum):
    EXCELLENT = "优"
    GOOD = "良"
    FAIR = "中"
    POOR = "差"


class Alert(StrEnum):  # 预警
    NONE = ""
    YELLOW = "yellow"
    RED = "red"


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# -- execution and plan ----------------------------------------------------------------------------


def execution_rate(spent: Decimal, budget: Decimal) -> Decimal | None:
    """spent / adjusted budget as an exact fraction; None when the budget is 0."""
    if budget <= 0:
        return None
    return spent / budget


def execution_score(rate: Decimal | None, points: Decimal = EXECUTION_POINTS) -> Decimal:
    """points × min(1, rate), 0.01; a project without budget scores 0."""
    if rate is None:
        return ZERO
    return q(points * min(ONE, max(ZERO, rate)))


def execution_needs_explanation(rate: Decimal | None) -> bool:
    return rate is not None and rate < EXPLAIN_BELOW


def percent(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else q(rate * HUNDRED)


def default_checkpoints(year: int) -> list[tuple[dt.date, Decimal]]:
    """Seed 002's plan: cumulative 25/50/75/100 % by the end of March, June, October and December."""
    return [
        (dt.date(year, 3, 31), Decimal(25)),
        (dt.date(year, 6, 30), Decimal(50)),
        (dt.date(year, 10, 31), Decimal(75)),
        (dt.date(year, 12, 31), Decimal(100)),
    ]


def planned_percent(checkpoints: Sequence[tuple[dt.date, Decimal]], day: dt.date) -> Decimal:
    """The cumulative planned % at `day`: that of the latest checkpoint on or before it, 0 before the first."""
    planned = ZERO
    for when, pct in sorted(checkpoints):
        if when <= day:
            planned = pct
    return planned


def check_plan(checkpoints: Sequence[tuple[dt.date, Decimal]]) -> None:
    """A plan's percentages lie in 0–100 and never decrease over time; dates are distinct."""
    ordered = sorted(checkpoints)
    if len({when for when, _ in ordered}) != len(ordered):
        raise BudgetError("资金支出计划的节点日期重复。")
    previous = ZERO
    for when, pct in ordered:
        if not ZERO <= pct <= HUNDRED:
            raise BudgetError(f"{when.isoformat()} 的计划支出比例 {pct}% 应在 0–100 之间。")
        if pct < previous:
            raise BudgetError(f"{when.isoformat()} 的累计计划支出比例 {pct}% 低于上一节点的 {previous}%。")
        previous = pct


def plan_warning(
    planned_pct: Decimal,
    actual_pct: Decimal | None,
    *,
    yellow: Decimal = YELLOW_POINTS,
    red: Decimal = RED_POINTS,
) -> Alert:
    """Yellow when the actual cumulative % is more than `yellow` points below plan, red beyond `red`."""
    gap = planned_pct - (actual_pct or ZERO)
    if gap > red:
        return Alert.RED
    if gap > yellow:
        return Alert.YELLOW
    return Alert.NONE


# -- indicators ------------------------------------------------------------------------------------


def attained(operator: Operator, target: Decimal, actual: Decimal) -> bool:
    """Whether a quantitative actual meets its target."""
    return {
        Operator.EQ: actual == target,
        Operator.GE: actual >= target,
        Operator.LE: actual <= target,
        Operator.GT: actual > target,
        Operator.LT: actual < target,
    }[operator]


def attainment(operator: Operator, target: Decimal, actual: Decimal) -> Decimal:
    """The share (0–1) of an indicator's points a quantitative actual earns, exact."""
    if operator == Operator.QUALITATIVE:
        raise BudgetError("定性指标按等次评分，没有完成比例。")
    if operator == Operator.EQ:
        if target == actual:
            return ONE
        if target == 0 or actual == 0:
            return ZERO
        return max(ZERO, min(actual / target, target / actual))
    if operator.reverse:
        return ONE if actual <= 0 else max(ZERO, min(ONE, target / actual))
    return ONE if target <= 0 else max(ZERO, min(ONE, actual / target))


def indicator_warning(
    operator: Operator, target: Decimal, actual: Decimal | None, *, red_below: Decimal = EXPLAIN_BELOW
) -> Alert:
    """Monitoring deviation of an indicator: none when met (or no actual yet, or qualitative), yellow when
    missed, red when the attainment share is below `red_below` (default 90 %)."""
    if actual is None or operator == Operator.QUALITATIVE or attained(operator, target, actual):
        return Alert.NONE
    return Alert.RED if attainment(operator, target, actual) < red_below else Alert.YELLOW


@dataclass(frozen=True)
class IndicatorScore:
    points: Decimal
    score: Decimal
    flagged: bool = False  # actual ≥ 1.2 × target: the target may have been set too low


def score_indicator(
    *,
    operator: Operator,
    points: Decimal,
    target: Decimal | None = None,
    actual: Decimal | None = None,
    tier: Tier | None = None,
    share: Decimal | None = None,
) -> IndicatorScore:
    """One applicable indicator's score: quantitative by formula, qualitative by tier and share."""
    if operator == Operator.QUALITATIVE:
        if tier is None or share is None:
            raise BudgetError("定性指标须选择评价等次并给出该等次内的得分比例。")
        low, high = TIER_SHARES[tier]
        if not low <= share <= high:
            raise BudgetError(f"等次“{tier.value}”的得分比例应在 {low * 100:.0f}%–{high * 100:.0f}% 之间。")
        return IndicatorScore(points, q(points * share))
    if target is None or actual is None:
        raise BudgetError("定量指标须有指标值和实际完成值。")
    flagged = not operator.reverse and operator != Operator.EQ and target > 0 and actual >= OVERSHOOT * target
    return IndicatorScore(points, q(points * attainment(operator, target, actual)), flagged)


# -- self-evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInput:
    key: str
    block: str  # the 一级 indicator name
    operator: Operator
    target: Decimal | None = None
    actual: Decimal | None = None
    weight: Decimal | None = None
    applicable: bool = True
    tier: Tier | None = None
    share: Decimal | None = None


@dataclass(frozen=True)
class IndicatorResult:
    key: str
    block: str
    applicable: bool
    points: Decimal
    score: Decimal
    flagged: bool = False


@dataclass(frozen=True)
class SelfEvaluation:
    execution_rate: Decimal | None
    execution_points: Decimal
    execution_score: Decimal
    indicators: tuple[IndicatorResult, ...]
    maximum: Decimal  # execution points + points of the applicable indicators
    raw: Decimal
    total: Decimal
    grade: Grade
    needs_explanation: bool
    notes: tuple[str, ...] = field(default_factory=tuple)

    def block_scores(self) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        for row in self.indicators:
            if row.applicable:
                out[row.block] = out.get(row.block, ZERO) + row.score
        return out


def grade(total: Decimal) -> Grade:
    if total >= 90:
        return Grade.EXCELLENT
    if total >= 80:
        return Grade.GOOD
    if total >= 60:
        return Grade.FAIR
    return Grade.POOR


def indicator_points(
    indicators: Sequence[IndicatorInput], block_points: Mapping[str, Decimal] = DEFAULT_BLOCK_POINTS
) -> tuple[dict[str, Decimal], Decimal]:
    """({key: points} of the applicable indicators, their exact sum): their weights, or their block's points
    split equally (the sum then counts the block's points, not the split shares, so 50 / 3 × 3 is 50)."""
    out: dict[str, Decimal] = {}
    total = ZERO
    blocks: dict[str, list[IndicatorInput]] = {}
    for ind in indicators:
        if ind.applicable:
            blocks.setdefault(ind.block, []).append(ind)
    for block, rows in blocks.items():
        weighted = [r for r in rows if r.weight is not None]
        if weighted and len(weighted) != len(rows):
            raise BudgetError(f"“{block}”下的指标须全部设置分值，或全部不设（平均分配）。")
        if weighted:
            out.update({r.key: r.weight for r in rows if r.weight is not None})
            total += sum((r.weight for r in rows if r.weight is not None), ZERO)
            continue
        if block not in block_points:
            raise BudgetError(f"一级指标“{block}”没有分值：请设置其分值或各指标的分值。")
        each = block_points[block] / len(rows)
        out.update({r.key: each for r in rows})
        total += block_points[block]
    return out, total


def self_evaluate(
    *,
    spent: Decimal,
    budget: Decimal,
    indicators: Sequence[IndicatorInput],
    block_points: Mapping[str, Decimal] = DEFAULT_BLOCK_POINTS,
    execution_points: Decimal = EXECUTION_POINTS,
) -> SelfEvaluation:
    """The year-end self-evaluation: execution score, each indicator's score, N/A re-scaling, total and grade."""
    keys = [ind.key for ind in indicators]
    if len(set(keys)) != len(keys):
        raise BudgetError("指标编号重复。")
    points, indicator_total = indicator_points(indicators, block_points)
    rate = execution_rate(spent, budget)
    exec_score = execution_score(rate, execution_points)
    results = []
    for ind in indicators:
        if not ind.applicable:
            results.append(IndicatorResult(ind.key, ind.block, False, ZERO, ZERO))
            continue
        got = score_indicator(
            operator=ind.operator,
            points=points[ind.key],
            target=ind.target,
            actual=ind.actual,
            tier=ind.tier,
            share=ind.share,
        )
        results.append(IndicatorResult(ind.key, ind.block, True, q(got.points), got.score, got.flagged))
    maximum = execution_points + indicator_total
    raw = exec_score + sum((r.score for r in results), ZERO)
    notes = []
    if maximum <= 0:
        raise BudgetError("没有参评的分值，无法评分。")
    total = raw
    if maximum != SCALE:
        total = raw * SCALE / maximum
        notes.append(f"参评分值 {q(maximum)}，得分 {q(raw)} 按满分 100 折算。")
    total = q(total)
    return SelfEvaluation(
        execution_rate=rate,
        execution_points=execution_points,
        execution_score=exec_score,
        indicators=tuple(results),
        maximum=q(maximum),
        raw=q(raw),
        total=total,
        grade=grade(total),
        needs_explanation=execution_needs_explanation(rate),
        notes=tuple(notes),
    )


def parse_target(text: str) -> tuple[Operator, Decimal | None, str]:
    """ "≥95%" → (≥, 95, "%"); ">=95" works too; text without a number is qualitative."""
    value = text.strip().replace(">=", "≥").replace("<=", "≤").replace("＞", ">").replace("＜", "<")
    value = value.replace("＝", "=")
    operator = Operator.EQ
    for op in (Operator.GE, Operator.LE, Operator.GT, Operator.LT, Operator.EQ):
        if value.startswith(op.value):
            operator, value = op, value[len(op.value) :].strip()
            break
    number = ""
    while value and (value[0].isdigit() or value[0] in ".-"):
        number, value = number + value[0], value[1:]
    if not number:
        return Operator.QUALITATIVE, None, ""
    try:
        return operator, Decimal(number), value.strip()
    except ArithmeticError:
        raise BudgetError(f"指标值“{text}”无法解析。") from None
