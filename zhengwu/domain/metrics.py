"""The metric registry: every supervision metric defined once, as a formula over additive counters.

A *counter* is a number that adds up over days and units (cases received, working days used …), so a
metric for any unit and period is its formula applied to the sums of its counters: the daily rollups
can answer for a county, a month or a year without touching a case. Ratios are percentages with two
decimals (ROUND_HALF_UP); a ratio whose denominator is 0 is None ("—", no data), never 0 or 100.

Case counters are dated by the event that moves them (DOMAIN §5.2: "period = completion date in the
period unless stated"):

- received, received_online, cross_region_handled, cross_region_received — the receipt date;
- accepted (受理, incl. 容缺, deemed, 即办), refused_intake, supplement_requested — that event's date;
- finished (granted, denied or decided on the spot), finished_on_time, finished_immediate,
  used_days (Σ A), legal_days and legal_used_days (Σ L and Σ A over finished cases that have L),
  finished_with_legal — the decision date;
- cards_yellow, cards_red, overdue (R1: the statutory clock overran) — the card's issue date, voided
  cards excluded;
- window_received (received at a window: channel `window` with an intake window) and window_on_spot
  (of those, decided — granted, denied or decided on the spot — on the receipt date: 窗口现场审批) —
  the receipt date, so the ratio never exceeds 100 %;
- bundle_cases — the bundle's submission date; startup_finished / startup_days and
  construction_finished / construction_days — the finishing date of 企业开办 / 工程建设项目审批 bundles
  and their working days end to end.

Catalogue counters (published items, by depth, visits and limits) are a snapshot at the period's end.

Metrics of other modules (好差评, 12345) are *provided*: their formulas do not add up over days (a call-
back rate, a rectification rate due by a date), so the module computes them from its own tables for a
set of units and a period. Their definitions live here (`REVIEW_METRICS`, `HOTLINE_METRICS`, with
`provided=True` and no counters); each module registers them together with its provider function
(`zhengwu.metrics.providers.register_provider`) from its app's `ready()`. `compute` gives None for a
provided metric: its value comes only from the provider.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

HUNDRED: Final = Decimal(100)
CENT: Final = Decimal("0.01")


class Counter(StrEnum):
    RECEIVED = "received"
    RECEIVED_ONLINE = "received_online"
    ACCEPTED = "accepted"
    REFUSED_INTAKE = "refused_intake"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    FINISHED = "finished"
    FINISHED_ON_TIME = "finished_on_time"
    FINISHED_IMMEDIATE = "finished_immediate"
    USED_DAYS = "used_days"
    FINISHED_WITH_LEGAL = "finished_with_legal"
    LEGAL_DAYS = "legal_days"
    LEGAL_USED_DAYS = "legal_used_days"
    CARDS_YELLOW = "cards_yellow"
    CARDS_RED = "cards_red"
    OVERDUE = "overdue"
    CROSS_REGION_HANDLED = "cross_region_handled"
    CROSS_REGION_RECEIVED = "cross_region_received"
    BUNDLE_CASES = "bundle_cases"
    STARTUP_FINISHED = "startup_finished"
    STARTUP_DAYS = "startup_days"
    CONSTRUCTION_FINISHED = "construction_finished"
    CONSTRUCTION_DAYS = "construction_days"
    WINDOW_RECEIVED = "window_received"
    WINDOW_ON_SPOT = "window_on_spot"
    # catalogue snapshot
    ITEMS = "items"
    ITEMS_DEPTH3 = "items_depth3"
    ITEMS_DEPTH4 = "items_depth4"
    ITEMS_ZERO_VISIT = "items_zero_visit"
    ITEMS_ONE_VISIT = "items_one_visit"
    ITEMS_WITH_LEGAL = "items_with_legal"
    ITEMS_LEGAL_DAYS = "items_legal_days"
    ITEMS_PROMISED_DAYS = "items_promised_days"


CATALOG_COUNTERS: Final = frozenset(c for c in Counter if c.value.startswith("items"))


class Kind(StrEnum):
    COUNT = "count"  # the numerator itself
    RATIO = "ratio"  # numerator / denominator × 100 (%)
    MEAN = "mean"  # numerator / denominator (e.g. working days per case)
    SAVING = "saving"  # (denominator − numerator) / denominator × 100 (提速率)


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


@dataclass(frozen=True)
class Metric:
    code: str
    name: str
    kind: Kind
    numerator: str
    denominator: str | None = None
    unit: str = "件"
    direction: Direction = Direction.HIGHER
    doc: str = ""
    group: str = "办件"
    provided: bool = False  # computed by its module's provider, not from counters

    @property
    def counters(self) -> tuple[str, ...]:
        if self.provided:
            return ()
        return (self.numerator,) if self.denominator is None else (self.numerator, self.denominator)


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def compute(metric: Metric, counts: Mapping[str, int | Decimal]) -> Decimal | None:
    """The metric's value from summed counters (missing counters are 0); None when undefined (and
    always for a provided metric, which has no counters)."""
    if metric.provided:
        return None
    top = Decimal(counts.get(metric.numerator, 0))
    if metric.kind == Kind.COUNT:
        return top
    assert metric.denominator is not None
    bottom = Decimal(counts.get(metric.denominator, 0))
    if bottom == 0:
        return None
    if metric.kind == Kind.RATIO:
        return _q(top / bottom * HUNDRED)
    if metric.kind == Kind.SAVING:
        return _q((bottom - top) / bottom * HUNDRED)
    return _q(top / bottom)


C = Counter
_METRICS: list[Metric] = [
    Metric("received", "申报量", Kind.COUNT, C.RECEIVED, doc="收件（含网上申报提交）的办件数，按收件日期"),
    Metric(
        "accepted",
        "受理量",
        Kind.COUNT,
        C.ACCEPTED,
        doc="受理（含容缺受理、视为受理、即办）的办件数，按受理日期",
    ),
    Metric("finished", "办结量", Kind.COUNT, C.FINISHED, doc="作出准予或不予许可决定的办件数，按决定日期"),
    Metric(
        "acceptance_rate",
        "受理率",
        Kind.RATIO,
        C.ACCEPTED,
        "acceptance_decisions",
        unit="%",
        doc="受理量 ÷（受理量 + 不予受理量）",
    ),
    Metric(
        "finish_rate",
        "办结率",
        Kind.RATIO,
        C.FINISHED,
        C.ACCEPTED,
        unit="%",
        doc="办结量 ÷ 受理量（同一期间）",
    ),
    Metric(
        "on_time_rate",
        "按时办结率",
        Kind.RATIO,
        C.FINISHED_ON_TIME,
        C.FINISHED,
        unit="%",
        doc="在承诺（无承诺时为法定）办结日期内办结的件数 ÷ 办结量",
    ),
    Metric(
        "overdue",
        "超期件数",
        Kind.COUNT,
        C.OVERDUE,
        direction=Direction.LOWER,
        doc="法定时限超期（R1 红牌）的办件数，按超期日期，含已办结和未办结",
    ),
    Metric(
        "cards_yellow",
        "黄牌数",
        Kind.COUNT,
        C.CARDS_YELLOW,
        unit="张",
        direction=Direction.LOWER,
        doc="期间亮出的黄牌（不含撤销的）",
    ),
    Metric(
        "cards_red",
        "红牌数",
        Kind.COUNT,
        C.CARDS_RED,
        unit="张",
        direction=Direction.LOWER,
        doc="期间亮出的红牌（不含撤销的）",
    ),
    Metric(
        "promised_speedup",
        "承诺提速率",
        Kind.SAVING,
        C.ITEMS_PROMISED_DAYS,
        C.ITEMS_LEGAL_DAYS,
        unit="%",
        group="事项",
        doc="Σ(法定时限 − 承诺时限) ÷ Σ法定时限，已发布且法定、承诺时限均以工作日计的事项，期末快照",
    ),
    Metric(
        "actual_speedup",
        "实际提速率",
        Kind.SAVING,
        C.LEGAL_USED_DAYS,
        C.LEGAL_DAYS,
        unit="%",
        doc="Σ(L − A) ÷ ΣL，期间办结且有法定时限 L 的办件，A 为实际用时（工作日，暂停不计）",
    ),
    Metric(
        "mean_days",
        "平均办理时长",
        Kind.MEAN,
        C.USED_DAYS,
        C.FINISHED,
        unit="工作日",
        direction=Direction.LOWER,
        doc="期间办结办件的实际用时 A 的平均数（工作日，暂停不计，即办件为 0）",
    ),
    Metric(
        "immediate_share",
        "即办件占比",
        Kind.RATIO,
        C.FINISHED_IMMEDIATE,
        C.FINISHED,
        unit="%",
        doc="即办件办结量 ÷ 办结量",
    ),
    Metric(
        "online_rate",
        "网上申报率",
        Kind.RATIO,
        C.RECEIVED_ONLINE,
        C.RECEIVED,
        unit="%",
        doc="网上申报的申报量 ÷ 申报量",
    ),
    Metric(
        "depth3_share",
        "网办深度三级及以上事项占比",
        Kind.RATIO,
        C.ITEMS_DEPTH3,
        C.ITEMS,
        unit="%",
        group="事项",
        doc="已发布事项中网办深度 ≥ Ⅲ 级的占比，期末快照（益阳 2020 目标 ≥ 70%）",
    ),
    Metric(
        "depth4_share",
        "全程网办事项占比",
        Kind.RATIO,
        C.ITEMS_DEPTH4,
        C.ITEMS,
        unit="%",
        group="事项",
        doc="网办深度 Ⅳ 级事项占比，期末快照",
    ),
    Metric(
        "zero_visit_share",
        "零跑动事项占比",
        Kind.RATIO,
        C.ITEMS_ZERO_VISIT,
        C.ITEMS,
        unit="%",
        group="事项",
        doc="到现场次数为 0 的已发布事项占比，期末快照",
    ),
    Metric(
        "one_visit_share",
        "最多跑一次事项占比",
        Kind.RATIO,
        C.ITEMS_ONE_VISIT,
        C.ITEMS,
        unit="%",
        group="事项",
        doc="到现场次数不超过 1 的已发布事项占比，期末快照",
    ),
    Metric(
        "supplement_rate",
        "补正率",
        Kind.RATIO,
        C.SUPPLEMENT_REQUESTED,
        C.RECEIVED,
        unit="%",
        direction=Direction.LOWER,
        doc="一次性补正告知的次数 ÷ 申报量",
    ),
    Metric(
        "window_on_spot_rate",
        "窗口现场审批率",
        Kind.RATIO,
        C.WINDOW_ON_SPOT,
        C.WINDOW_RECEIVED,
        unit="%",
        doc=(
            "窗口收件（申报渠道为窗口受理、记有受理窗口）的办件中，在收件当日作出准予、不予许可或当场办结决定的"
            " ÷ 窗口收件的办件，均按收件日期；不予受理、撤回和尚未决定的办件只计入分母（ADR 0008）"
        ),
    ),
    Metric(
        "bundle_cases",
        "一件事办件量",
        Kind.COUNT,
        C.BUNDLE_CASES,
        group="一件事",
        doc="一件事申报数，按申报日期，计入一件事所属区划",
    ),
    Metric(
        "cross_region_handled",
        "跨域通办办理量",
        Kind.COUNT,
        C.CROSS_REGION_HANDLED,
        group="一件事",
        doc="外地窗口收件、本单位办理的办件数，按收件日期",
    ),
    Metric(
        "cross_region_received",
        "跨域通办收件量",
        Kind.COUNT,
        C.CROSS_REGION_RECEIVED,
        group="一件事",
        doc="本单位窗口为外地收件的办件数，按收件日期",
    ),
    Metric(
        "startup_mean_days",
        "企业开办平均用时",
        Kind.MEAN,
        C.STARTUP_DAYS,
        C.STARTUP_FINISHED,
        unit="工作日",
        direction=Direction.LOWER,
        group="一件事",
        doc="期间办结的企业开办一件事从申报到最后一个事项办结的工作日数的平均数",
    ),
    Metric(
        "construction_mean_days",
        "工程建设项目审批平均用时",
        Kind.MEAN,
        C.CONSTRUCTION_DAYS,
        C.CONSTRUCTION_FINISHED,
        unit="工作日",
        direction=Direction.LOWER,
        group="一件事",
        doc="期间办结的工程建设项目审批一件事全流程工作日数的平均数",
    ),
]

# A derived denominator: accepted + refused at intake (the decisions taken on acceptance).
DERIVED: Final[Mapping[str, tuple[str, ...]]] = {"acceptance_decisions": (C.ACCEPTED, C.REFUSED_INTAKE)}

METRICS: dict[str, Metric] = {m.code: m for m in _METRICS}


def register(metric: Metric) -> None:
    """Add a metric of another module (reviews, hotline). Codes are unique."""
    if metric.code in METRICS:
        raise ValueError(f"metric {metric.code} already registered")
    METRICS[metric.code] = metric


def with_derived(counts: Mapping[str, int | Decimal]) -> dict[str, int | Decimal]:
    """The counters plus the derived ones of `DERIVED`."""
    out = dict(counts)
    for name, parts in DERIVED.items():
        out[name] = sum((Decimal(counts.get(p, 0)) for p in parts), Decimal(0))
    return out


def evaluate(
    counts: Mapping[str, int | Decimal], codes: list[str] | None = None
) -> dict[str, Decimal | None]:
    """{metric code: value} for `codes` (every registered metric by default)."""
    full = with_derived(counts)
    return {code: compute(METRICS[code], full) for code in (codes or list(METRICS))}


# -- provided metrics (好差评, 12345) ----------------------------------------------------------------


def provided_metric(
    code: str,
    name: str,
    *,
    unit: str = "%",
    direction: Direction = Direction.HIGHER,
    group: str,
    doc: str,
) -> Metric:
    """A metric its module computes (a percentage with two decimals, or a count when `unit` is not %)."""
    kind = Kind.RATIO if unit == "%" else Kind.COUNT
    return Metric(code, name, kind, "", unit=unit, direction=direction, doc=doc, group=group, provided=True)


_REVIEWS = "好差评"
_HOTLINE = "12345"
_VOID = "撤销（申诉成立）的评价不计入分子和分母"

# DOMAIN §6; the module's figures are those of `zhengwu.reviews.selectors.review_stats`.
REVIEW_METRICS: Final[tuple[Metric, ...]] = (
    provided_metric(
        "reviews_count", "评价数", unit="条", group=_REVIEWS, doc=f"评价日期在期间内的评价数，{_VOID}"
    ),
    provided_metric(
        "reviews_active_rate",
        "主动评价率",
        group=_REVIEWS,
        doc=f"评价数 ÷ 期间办结（作出决定）的办件数；{_VOID}",
    ),
    provided_metric(
        "reviews_good_rate",
        "好评率",
        group=_REVIEWS,
        doc=f"评为 5、4、3 分（非常满意、满意、基本满意）的评价 ÷ 评价数；{_VOID}",
    ),
    provided_metric(
        "reviews_bad",
        "差评数",
        unit="条",
        direction=Direction.LOWER,
        group=_REVIEWS,
        doc=f"评为 2、1 分的评价数，按评价日期；{_VOID}",
    ),
    provided_metric(
        "reviews_rectified_rate",
        "差评整改率",
        group=_REVIEWS,
        doc="期间的差评中在整改期限（评价后 15 个工作日）内反馈的 ÷ 已到期（期限不晚于期末与今日中较早者）或已反馈的差评",
    ),
    provided_metric(
        "reviews_callback_rate",
        "实名差评回访率",
        group=_REVIEWS,
        doc="期间的实名差评中已回访的 ÷ 已办结（closed）的实名差评；匿名差评不能回访，不计入",
    ),
)

# DOMAIN §7; the module's figures are those of `zhengwu.hotline.selectors.ticket_kpis`. A region counts
# its subtree's tickets, a department the tickets dispatched to it.
HOTLINE_METRICS: Final[tuple[Metric, ...]] = (
    provided_metric(
        "hotline_tickets",
        "工单量",
        unit="件",
        group=_HOTLINE,
        doc="受理时间在期间内的12345工单数（含并单；拆单的子单计入各承办单位，区划只计来电人的主单）",
    ),
    provided_metric(
        "hotline_direct_rate",
        "直接办结率",
        group=_HOTLINE,
        doc="坐席直接答复办结的工单 ÷ 受理的工单（不含并单）",
    ),
    provided_metric(
        "hotline_sign_ontime_rate",
        "按时签收率",
        group=_HOTLINE,
        doc="首次派单在期间内、在签收时限内签收的工单 ÷ 首次派单在期间内的工单",
    ),
    provided_metric(
        "hotline_ontime_rate",
        "按时办结率",
        group=_HOTLINE,
        doc="办结时限（含批准的延期）在期间内且按时答复的工单 ÷ 办结时限在期间内的工单",
    ),
    provided_metric(
        "hotline_return_rate",
        "退单率",
        direction=Direction.LOWER,
        group=_HOTLINE,
        doc="首次派单在期间内、至少退单一次的工单 ÷ 首次派单在期间内的工单",
    ),
    provided_metric(
        "hotline_redo_rate",
        "重办率",
        direction=Direction.LOWER,
        group=_HOTLINE,
        doc="期间办结的派单工单中重办过的 ÷ 期间办结的派单工单（拆单只计主单）",
    ),
    provided_metric(
        "hotline_callback_rate",
        "回访率",
        group=_HOTLINE,
        doc="期间办结、来电人未谢绝回访的工单中已回访的 ÷ 期间办结、应回访的工单",
    ),
    provided_metric(
        "hotline_satisfaction_rate",
        "满意率",
        group=_HOTLINE,
        doc="期间的回访中“满意”和“基本满意” ÷ 期间的回访次数（重办前的不满意回访仍计入）",
    ),
    provided_metric(
        "hotline_resolution_rate", "解决率", group=_HOTLINE, doc="期间的回访中“已解决” ÷ 期间的回访次数"
    ),
)


# -- periods ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A closed date range with the label it was written as ("2026", "2026-Q3", "2026-09", a range)."""

    start: dt.date
    end: dt.date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


class PeriodError(ValueError):
    pass


_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.|~|至)(\d{4}-\d{2}-\d{2})$")


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    """ "2026" (year), "2026-Q3" (quarter), "2026-09" (month) or "2026-01-01..2026-06-30" (range)."""
    value = (text or "").strip()
    try:
        if m := _YEAR.match(value):
            year = int(m.group(1))
            return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), value)
        if m := _QUARTER.match(value):
            year, quarter = int(m.group(1)), int(m.group(2))
            first = 3 * quarter - 2
            return Period(dt.date(year, first, 1), _month_end(year, first + 2), f"{year}-Q{quarter}")
        if m := _MONTH.match(value):
            year, month = int(m.group(1)), int(m.group(2))
            return Period(dt.date(year, month, 1), _month_end(year, month), f"{year}-{month:02d}")
        if m := _RANGE.match(value):
            start, end = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
            if end < start:
                raise PeriodError(f"期间“{value}”的结束日期早于开始日期。")
            return Period(start, end, value)
    except ValueError as bad:
        if isinstance(bad, PeriodError):
            raise
        raise PeriodError(f"期间“{value}”不是有效日期：{bad}") from None
    raise PeriodError(f"期间“{value}”格式无效，应为 2026、2026-Q3、2026-09 或 2026-01-01..2026-06-30。")
