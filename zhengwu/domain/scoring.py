"""Assessment (考核) scoring (DOMAIN §8): a declarative scheme applied to each unit's facts, every point traced.

A **scheme** is data, versioned and frozen per period (`zhengwu/assessment/schemes/*.yaml`): a scale
(满分, e.g. 100), the unit types it tells apart (市直部门 / 县区), categories whose points may differ by
unit type, the items of each category, and the rules that score each item. Scheme-level *extras*
(加减分项目) hold the bonuses, the deductions taken off the total and the veto. `parse_scheme` checks a
scheme completely and raises `SchemeError` with every problem, in Chinese, naming its place.

A unit's **facts** (`UnitFacts`) are what the integration layer gathers for the period: occurrences
of the counted fact keys (`counts`, each with an opaque evidence ref such as a case number), measured
values (`values`, rates as fractions 0–1, external subscores as points), and the manual entries that
one person entered with evidence and another approved (`manual`). The vocabulary of fact keys is
fixed: `FACT_KEYS` (key → what it means and what its refs are), `VALUE_FACT_KEYS` (the measured ones;
every other key is counted) and `MANUAL` ("manual").

**Rule kinds** (`RuleKind`; P = the item's points for the unit's type × the rule's `share`):

- `per_occurrence`: `per` × n (negative: a deduction, positive: a gain); n from a count fact or from
  manual `deduction` entries (`count` occurrences each).
- `range_judgement`: each manual `judgement` entry gives points the evaluator chose in [min, max],
  with reason and evidence; a value outside is rejected.
- `per_missing`: `per` (negative) × missing elements; from a count fact or manual `missing` entries.
- `rate`: P × min(1, actual / target); with `direction: lower` (smaller is better)
  P × min(1, target / actual), full P when actual is 0.
- `threshold` (alias `banded`): full P when the target is met (≥, or ≤ with `direction: lower`); below it
  the first band of `bands` the value reaches gives its share of P (none reached: 0), or with `linear`
  `points` are lost per `step` short of the target, proportionally ("≥70 % full marks, 0.5 points off per
  percentage point below" = target 0.70, step 0.01, points 0.5), never below 0; with neither, 0.
- `tiered`: one manual `tier` entry names a tier; its share of P (default tiers 好 1, 较好 0.8, 一般 0.6,
  差 0). A tiered item with no tier entry is an error, not a silent full or empty score.
- `bonus`: `per` × n, or each manual `bonus` entry's points within [min, max]; extras only. The sum of
  all bonuses is capped by the scheme's `bonus_cap`.
- `veto`: any occurrence or manual `veto` entry disqualifies the unit: it is still scored, listed
  apart, unranked and never recommended.
- `external_subscore`: an imported score `v` out of `out_of` (another rule set, e.g. the 12345 考评细则)
  scaled to the item: P × v / out_of, held within [0, P].

**Scoring an item.** An item starts at its points; each rule adds adjustments (negative or positive);
the result is held within the item's `floor` (扣完为止: `floor: 0`) and `cap` (default: its points),
and the difference a floor or cap makes is itself an adjustment, so score = points + Σ adjustments
always holds in the published trace. Categories are the sum of their items, held within their own
optional floor and cap. An extras item starts at 0.

**N/A (不参评).** An item is N/A for a unit when one of its rules reads a value fact that the unit's
`values` omits or gives as None, or a count fact that `values` explicitly gives as None ("no data",
e.g. a unit that had no hotline tickets). An N/A item scores nothing and its points leave the unit's
assessed maximum A = Σ points (for the unit's type) of its applicable category items. With C = Σ category
scores and S = the scale, when A < S the unit's category part is C × S / A (a `rescale` adjustment on
the unit). Extras are absolute points and are never rescaled. A unit with A = 0 cannot be rated: it is
listed apart, unranked. Manual entries for an item that is N/A for that unit are an error.

**Total.** base = rescaled category part + extras deductions, held at or above the scheme's
`total_floor` (default 0: 扣完为止 on the total); bonus = Σ bonuses, held at or below `bonus_cap`;
total = base + bonus (so bonuses may lift it above the scale), held at or below `total_cap` if set.

**Rounding.** Intermediate arithmetic is exact (Decimal, 28 significant digits); each adjustment, each
item and category score, the rescaled category part, base, bonus and total are quantized to 0.01
ROUND_HALF_UP (四舍五入保留两位小数). For the rules that award a share of the points (rate, threshold,
tiered, external_subscore) it is the points *awarded* that are rounded, and the adjustment is their
difference from the item's points: 7.385 of 8 is 7.39, an adjustment of −0.61 (rounding the −0.615
itself would round the score down).

**Ranking.** Rated, non-vetoed units by descending total; equal totals share a rank and the next rank
skips (1, 2, 2, 4); ties are listed by unit code. Vetoed and unrated units follow, unranked. The
recommendation list is every ranked unit whose rank ≤ top N (so a tie at place N is recommended
whole).

Pure Python: no Django, no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from enum import StrEnum
from typing import Any, Final

import yaml

# -- vocabulary ------------------------------------------------------------------------------------

CENT: Final = Decimal("0.01")
ZERO: Final = Decimal(0)
ONE: Final = Decimal(1)

ROUNDING_NOTE: Final = (
    "中间结果不舍入；每条加减分（按比例计分的规则为其所得分）、每项及每类得分、折算后的分数、基础分、加分和总分"
    "均四舍五入保留两位小数（ROUND_HALF_UP）。Intermediate results exact; each adjustment (for rules that award "
    "a share of the points: the points awarded), item, category, rescaled part, base, bonus and total quantized "
    "to 0.01 ROUND_HALF_UP."
)
NA_NOTE: Final = (
    "某项数据缺失（无数据）时该项不参评，其分值从该单位的应得分中扣除，其余各项得分之和按“满分 ÷ 参评分值”"
    "等比例折算为满分制；加减分项目不折算。An item without data is N/A; the unit's remaining category "
    "points are rescaled to the full scale; extras are not rescaled."
)

MANUAL: Final = "manual"

FACT_KEYS: Final[Mapping[str, str]] = {
    # counted facts: each occurrence carries one opaque evidence ref
    "cards.red": "红牌数（§5.1 R1–R3，已作废的不计）；证据为办件编号",
    "cards.yellow": "黄牌数（§5.1 Y1–Y5，已作废的不计）；证据为办件编号",
    "cases.overdue": "超期件数（法定时限超期，已办结或未办结）；证据为办件编号",
    "reviews.bad": "差评件数（2 分或 1 分，申诉成立的不计）；证据为评价编号",
    "reviews.bad_unrectified": "差评整改不到位件数（超过整改期限未整改或整改未通过）；证据为评价编号",
    "hotline.overdue": "12345 工单超期办结件数；证据为工单编号",
    "hotline.reopened": "12345 工单重办件数；证据为工单编号",
    "catalog.inconsistent": "线上线下要素不一致或填写错误的事项数（§2.7 校验）；证据为事项编码",
    # measured values: rates are fractions 0–1, subscores are points
    "catalog.depth3_share": "网上办理深度Ⅲ级及以上事项占已发布事项的比例（0–1）",
    "catalog.depth4_share": "全程网办（Ⅳ级）事项占已发布事项的比例（0–1）",
    "cases.ontime_rate": "按时办结率（0–1，§5.2）",
    "cases.speedup_rate": "实际提速率（0–1，§5.2）",
    "cases.online_finish_rate": "网上办结率（0–1，§5.2）",
    "reviews.active_rate": "主动评价率（0–1，§6）",
    "reviews.good_rate": "好评率（0–1，§6）",
    "reviews.rectified_rate": "差评整改率（0–1，§6）",
    "hotline.answer_rate": "12345 接通率（0–1，§7）",
    "hotline.ontime_rate": "12345 按时办结率（0–1，§7）",
    "hotline.satisfaction_rate": "12345 满意率（0–1，§7）",
    "hotline.subscore": "12345 热线考评得分（按其考评细则计得，满分见规则的 out_of）",
    # entered by a person with evidence and approved by another
    MANUAL: "人工录入：一人录入并附佐证，另一人审核通过后交给引擎",
}

VALUE_FACT_KEYS: Final = frozenset(
    {
        "catalog.depth3_share",
        "catalog.depth4_share",
        "cases.ontime_rate",
        "cases.speedup_rate",
        "cases.online_finish_rate",
        "reviews.active_rate",
        "reviews.good_rate",
        "reviews.rectified_rate",
        "hotline.answer_rate",
        "hotline.ontime_rate",
        "hotline.satisfaction_rate",
        "hotline.subscore",
    }
)
COUNT_FACT_KEYS: Final = frozenset(FACT_KEYS) - VALUE_FACT_KEYS - {MANUAL}


class RuleKind(StrEnum):
    PER_OCCURRENCE = "per_occurrence"
    RANGE_JUDGEMENT = "range_judgement"
    PER_MISSING = "per_missing"
    RATE = "rate"
    THRESHOLD = "threshold"
    TIERED = "tiered"
    BONUS = "bonus"
    VETO = "veto"
    EXTERNAL_SUBSCORE = "external_subscore"


RULE_KIND_LABELS: Final[Mapping[RuleKind, str]] = {
    RuleKind.PER_OCCURRENCE: "按次扣分",
    RuleKind.RANGE_JUDGEMENT: "幅度内酌定",
    RuleKind.PER_MISSING: "按缺项扣分",
    RuleKind.RATE: "按比率计分",
    RuleKind.THRESHOLD: "达标计分",
    RuleKind.TIERED: "等次计分",
    RuleKind.BONUS: "加分",
    RuleKind.VETO: "一票否决",
    RuleKind.EXTERNAL_SUBSCORE: "外部细则得分折算",
}
RULE_KIND_ALIASES: Final[Mapping[str, RuleKind]] = {"banded": RuleKind.THRESHOLD}

# Rules that award a share of the item's points (the others add or take points from it).
AWARD_KINDS: Final = frozenset(
    {RuleKind.RATE, RuleKind.THRESHOLD, RuleKind.TIERED, RuleKind.EXTERNAL_SUBSCORE}
)


class Direction(StrEnum):
    HIGHER = "higher"  # bigger is better
    LOWER = "lower"  # smaller is better


class ManualKind(StrEnum):
    DEDUCTION = "deduction"
    BONUS = "bonus"
    JUDGEMENT = "judgement"
    TIER = "tier"
    VETO = "veto"
    MISSING = "missing"


MANUAL_KIND_LABELS: Final[Mapping[ManualKind, str]] = {
    ManualKind.DEDUCTION: "扣分",
    ManualKind.BONUS: "加分",
    ManualKind.JUDGEMENT: "酌定分值",
    ManualKind.TIER: "等次评定",
    ManualKind.VETO: "否决",
    ManualKind.MISSING: "缺项",
}
# The rule kind each kind of manual entry feeds.
MANUAL_FEEDS: Final[Mapping[ManualKind, RuleKind]] = {
    ManualKind.DEDUCTION: RuleKind.PER_OCCURRENCE,
    ManualKind.BONUS: RuleKind.BONUS,
    ManualKind.JUDGEMENT: RuleKind.RANGE_JUDGEMENT,
    ManualKind.TIER: RuleKind.TIERED,
    ManualKind.VETO: RuleKind.VETO,
    ManualKind.MISSING: RuleKind.PER_MISSING,
}

DEFAULT_TIERS: Final[tuple[tuple[str, Decimal], ...]] = (
    ("好", Decimal("1")),
    ("较好", Decimal("0.8")),
    ("一般", Decimal("0.6")),
    ("差", Decimal("0")),
)

# What each rule kind may read: "count" facts, "value" facts, or manual entries.
_SOURCES: Final[Mapping[RuleKind, frozenset[str]]] = {
    RuleKind.PER_OCCURRENCE: frozenset({"count", "manual"}),
    RuleKind.RANGE_JUDGEMENT: frozenset({"manual"}),
    RuleKind.PER_MISSING: frozenset({"count", "manual"}),
    RuleKind.RATE: frozenset({"value"}),
    RuleKind.THRESHOLD: frozenset({"value"}),
    RuleKind.TIERED: frozenset({"manual"}),
    RuleKind.BONUS: frozenset({"count", "manual"}),
    RuleKind.VETO: frozenset({"count", "manual"}),
    RuleKind.EXTERNAL_SUBSCORE: frozenset({"value"}),
}
_SOURCE_LABELS: Final = {"count": "计数类数据项", "value": "数值类数据项", "manual": "人工录入（manual）"}

# The fields each rule kind uses, beyond code, kind, source and label.
_KIND_FIELDS: Final[Mapping[RuleKind, frozenset[str]]] = {
    RuleKind.PER_OCCURRENCE: frozenset({"per", "cap"}),
    RuleKind.RANGE_JUDGEMENT: frozenset({"min", "max", "cap"}),
    RuleKind.PER_MISSING: frozenset({"per", "cap"}),
    RuleKind.RATE: frozenset({"target", "direction", "share"}),
    RuleKind.THRESHOLD: frozenset({"target", "direction", "bands", "linear", "share"}),
    RuleKind.TIERED: frozenset({"tiers", "share"}),
    RuleKind.BONUS: frozenset({"per", "min", "max", "cap"}),
    RuleKind.VETO: frozenset(),
    RuleKind.EXTERNAL_SUBSCORE: frozenset({"out_of", "share"}),
}


def fact_kind(key: str) -> str:
    """ "count", "value" or "manual" for a key of the vocabulary; "" for an unknown key."""
    if key == MANUAL:
        return "manual"
    if key in VALUE_FACT_KEYS:
        return "value"
    return "count" if key in COUNT_FACT_KEYS else ""


def quantize(value: Decimal) -> Decimal:
    """0.01 ROUND_HALF_UP, and never a negative zero."""
    result = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return result if result != 0 else Decimal("0.00")


def format_points(value: Decimal) -> str:
    """A score as published: two decimals ("93.50")."""
    return f"{quantize(value):.2f}"


# -- the scheme ------------------------------------------------------------------------------------


class SchemeError(ValueError):
    """A malformed scheme. `messages` lists every problem found, in Chinese, each naming its place."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages: tuple[str, ...] = tuple(messages)
        super().__init__("考核方案有误：\n" + "\n".join(self.messages))


class FactsError(ValueError):
    """Facts the scheme cannot score (unknown unit type, entry out of range, missing tier, …): every
    problem found, in Chinese, each naming the unit and the item."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages: tuple[str, ...] = tuple(messages)
        super().__init__("考核数据有误：\n" + "\n".join(self.messages))


@dataclass(frozen=True)
class Band:
    """Below a threshold's target: a value reaching `bound` (≥ it, or ≤ it with direction lower) scores
    `share` of the rule's points."""

    bound: Decimal
    share: Decimal


@dataclass(frozen=True)
class Rule:
    """One scoring rule of an item; which fields apply depends on `kind` (see the module docstring)."""

    code: str
    kind: RuleKind
    source: str
    label: str = ""
    per: Decimal | None = None
    min: Decimal | None = None
    max: Decimal | None = None
    cap: Decimal | None = None
    """The largest number of points this rule's adjustments may add up to, in magnitude."""
    target: Decimal | None = None
    direction: Direction = Direction.HIGHER
    bands: tuple[Band, ...] = ()
    step: Decimal | None = None
    step_points: Decimal | None = None
    tiers: tuple[tuple[str, Decimal], ...] = ()
    out_of: Decimal | None = None
    share: Decimal = ONE

    @property
    def is_award(self) -> bool:
        return self.kind in AWARD_KINDS

    def tier_share(self, tier: str) -> Decimal | None:
        return dict(self.tiers).get(tier)


@dataclass(frozen=True)
class Item:
    """An indicator (考核要点). `points` by unit type (all zero for an extras item)."""

    code: str
    name: str
    points: Mapping[str, Decimal]
    rules: tuple[Rule, ...]
    floor: Decimal | None = None
    cap: Decimal | None = None
    """None: the item's points (a category item); no cap (an extras item)."""
    content: str = ""
    method: str = ""
    scoring: str = ""
    """计分方式 as the source document words it."""

    @property
    def is_bonus(self) -> bool:
        return any(r.kind == RuleKind.BONUS for r in self.rules)


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    points: Mapping[str, Decimal]
    items: tuple[Item, ...]
    floor: Decimal | None = None
    cap: Decimal | None = None

    @property
    def title(self) -> str:
        return f"（{self.code}）{self.name}" if self.code else self.name


@dataclass(frozen=True)
class Scheme:
    """A complete, checked assessment scheme (build it with `parse_scheme` or `load_scheme_text`)."""

    code: str
    name: str
    version: str
    scale: Decimal
    unit_types: Mapping[str, str]
    categories: tuple[Category, ...]
    extras: tuple[Item, ...] = ()
    bonus_cap: Decimal | None = None
    total_floor: Decimal | None = ZERO
    total_cap: Decimal | None = None
    top_n: int | None = None
    issuer: str = ""
    source: str = ""
    notes: str = ""
    rounding: str = ROUNDING_NOTE

    def items(self) -> Iterator[tuple[Category | None, Item]]:
        """Every item with its category (None for the extras), in scheme order."""
        for category in self.categories:
            for item in category.items:
                yield category, item
        for item in self.extras:
            yield None, item

    def item(self, code: str) -> Item | None:
        return next((item for _, item in self.items() if item.code == code), None)

    def to_dict(self) -> dict[str, Any]:
        """The rule set as plain data (numbers as strings), fit to publish with the results and to be
        read back by `parse_scheme`."""
        return {
            "code": self.code,
            "name": self.name,
            "version": self.version,
            "issuer": self.issuer,
            "source": self.source,
            "notes": self.notes,
            "scale": _num(self.scale),
            "unit_types": dict(self.unit_types),
            "total_floor": _opt_num(self.total_floor),
            "total_cap": _opt_num(self.total_cap),
            "bonus_cap": _opt_num(self.bonus_cap),
            "top_n": self.top_n,
            "rounding": self.rounding,
            "na_rule": NA_NOTE,
            "categories": [
                {
                    "code": c.code,
                    "name": c.name,
                    "points": {t: _num(p) for t, p in c.points.items()},
                    "floor": _opt_num(c.floor),
                    "cap": _opt_num(c.cap),
                    "items": [_item_dict(i, extra=False) for i in c.items],
                }
                for c in self.categories
            ],
            "extras": [_item_dict(i, extra=True) for i in self.extras],
        }


def _num(value: Decimal) -> str:
    """A scheme number as written by people: "100", "0.5", "-1.5" (no exponent, no trailing zeros)."""
    return "0" if value == 0 else format(value.normalize(), "f")


def _opt_num(value: Decimal | None) -> str | None:
    return None if value is None else _num(value)


def _item_dict(item: Item, *, extra: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"code": item.code, "name": item.name}
    if not extra:
        data["points"] = {t: _num(p) for t, p in item.points.items()}
    data.update(
        {
            "floor": _opt_num(item.floor),
            "cap": _opt_num(item.cap),
            "content": item.content,
            "method": item.method,
            "scoring": item.scoring,
            "rules": [_rule_dict(r) for r in item.rules],
        }
    )
    return data


def _rule_dict(rule: Rule) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": rule.code,
        "kind": str(rule.kind),
        "source": rule.source,
        "label": rule.label,
    }
    fields = _KIND_FIELDS[rule.kind]
    for name in ("per", "min", "max", "cap", "target", "out_of"):
        value = getattr(rule, name)
        if name in fields and value is not None:
            data[name] = _num(value)
    if "direction" in fields:
        data["direction"] = str(rule.direction)
    if rule.bands:
        bound = "at_least" if rule.direction == Direction.HIGHER else "at_most"
        data["bands"] = [{bound: _num(b.bound), "share": _num(b.share)} for b in rule.bands]
    if rule.step is not None and rule.step_points is not None:
        data["linear"] = {"step": _num(rule.step), "points": _num(rule.step_points)}
    if rule.kind == RuleKind.TIERED:
        data["tiers"] = {name: _num(share) for name, share in rule.tiers}
    if "share" in fields:
        data["share"] = _num(rule.share)
    return data


# -- parsing and checking a scheme -----------------------------------------------------------------

_SCHEME_KEYS: Final = frozenset(
    {
        "code",
        "name",
        "version",
        "issuer",
        "source",
        "notes",
        "scale",
        "unit_types",
        "categories",
        "extras",
        "bonus_cap",
        "total_floor",
        "total_cap",
        "top_n",
        "rounding",
        "na_rule",
    }
)
_CATEGORY_KEYS: Final = frozenset({"code", "name", "points", "items", "floor", "cap", "notes"})
_ITEM_KEYS: Final = frozenset(
    {"code", "name", "points", "rules", "floor", "cap", "content", "method", "scoring", "notes"}
)
_RULE_COMMON: Final = frozenset({"code", "kind", "source", "label"})
_RULE_KEYS: Final = _RULE_COMMON | frozenset().union(*_KIND_FIELDS.values())

_FIELD_LABELS: Final = {
    "code": "编码",
    "name": "名称",
    "version": "版本",
    "scale": "满分",
    "unit_types": "单位类型",
    "categories": "类别",
    "points": "分值",
    "items": "考核项",
    "rules": "计分规则",
    "kind": "规则类型",
    "source": "数据项",
    "per": "每次分值",
    "min": "下限",
    "max": "上限",
    "cap": "封顶",
    "floor": "保底",
    "target": "目标值",
    "out_of": "外部细则满分",
    "share": "占本项分值比例",
    "bonus_cap": "加分上限",
    "total_floor": "总分保底",
    "total_cap": "总分封顶",
    "top_n": "推荐名额",
}


class _Parser:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.unit_types: dict[str, str] = {}

    def error(self, place: str, message: str) -> None:
        self.errors.append(f"{place}：{message}")

    def mapping(self, place: str, value: object, what: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(place, f"{what}必须是键值对（映射）")
            return None
        return value

    def unknown_keys(self, place: str, data: Mapping[str, Any], allowed: frozenset[str]) -> None:
        for key in data:
            if key not in allowed:
                self.error(place, f"未知字段“{key}”，可用字段：{'、'.join(sorted(allowed))}")

    def text(self, place: str, data: Mapping[str, Any], key: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.error(place, f"缺少“{key}”（{_FIELD_LABELS.get(key, key)}）")
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(place, f"“{key}”（{_FIELD_LABELS.get(key, key)}）必须是文字")
            return ""
        return str(value).strip()

    def number(
        self, place: str, data: Mapping[str, Any], key: str, *, required: bool = False
    ) -> Decimal | None:
        if key not in data or data[key] is None:
            if required:
                self.error(place, f"缺少“{key}”（{_FIELD_LABELS.get(key, key)}）")
            return None
        return self.to_decimal(place, data[key], f"“{key}”（{_FIELD_LABELS.get(key, key)}）")

    def to_decimal(self, place: str, value: object, what: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
            self.error(place, f"{what}必须是数字")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.error(place, f"{what}必须是数字，而不是“{value}”")
            return None
        if not number.is_finite():
            self.error(place, f"{what}必须是有限的数字")
            return None
        return number

    def non_negative(self, place: str, data: Mapping[str, Any], key: str) -> Decimal | None:
        value = self.number(place, data, key)
        if value is not None and value < 0:
            self.error(place, f"“{key}”（{_FIELD_LABELS.get(key, key)}）不能为负数")
        return value

    def points(self, place: str, value: object) -> dict[str, Decimal]:
        """A number for every unit type, or {unit type: number}; each must be positive."""
        if value is None:
            self.error(place, "缺少“points”（分值）")
            return {}
        if isinstance(value, Mapping):
            result: dict[str, Decimal] = {}
            for unit_type, raw in value.items():
                if unit_type not in self.unit_types:
                    self.error(
                        place,
                        f"单位类型“{unit_type}”不存在，可选：{'、'.join(self.unit_types) or '（未定义单位类型）'}",
                    )
                    continue
                label = self.unit_types[unit_type]
                number = self.to_decimal(place, raw, f"{label}的分值")
                if number is not None:
                    if number <= 0:
                        self.error(place, f"{label}的分值必须为正数")
                    result[str(unit_type)] = number
            for unit_type, label in self.unit_types.items():
                if unit_type not in value:
                    self.error(place, f"缺少单位类型“{label}”（{unit_type}）的分值")
            return result
        number = self.to_decimal(place, value, "分值")
        if number is None:
            return {}
        if number <= 0:
            self.error(place, "分值必须为正数")
        return dict.fromkeys(self.unit_types, number)

    def floor_cap(self, place: str, data: Mapping[str, Any]) -> tuple[Decimal | None, Decimal | None]:
        floor = self.number(place, data, "floor")
        cap = self.number(place, data, "cap")
        if floor is not None and cap is not None and floor > cap:
            self.error(place, f"保底 {floor} 高于封顶 {cap}")
        return floor, cap

    # -- the parts --

    def scheme(self, data: Mapping[str, Any]) -> Scheme | None:
        here = "考核方案"
        self.unknown_keys(here, data, _SCHEME_KEYS)
        code = self.text(here, data, "code")
        name = self.text(here, data, "name")
        version = self.text(here, data, "version")
        scale = self.number(here, data, "scale", required=True)
        if scale is not None and scale <= 0:
            self.error(here, "满分必须为正数")
        self.read_unit_types(here, data.get("unit_types"))
        bonus_cap = self.non_negative(here, data, "bonus_cap")
        total_floor = self.number(here, data, "total_floor") if "total_floor" in data else ZERO
        total_cap = self.number(here, data, "total_cap")
        if total_floor is not None and total_cap is not None and total_floor > total_cap:
            self.error(here, f"总分保底 {total_floor} 高于总分封顶 {total_cap}")
        top_n = data.get("top_n")
        if top_n is not None and (isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1):
            self.error(here, "“top_n”（推荐名额）必须是正整数")
            top_n = None

        seen: dict[str, str] = {}
        categories = self.read_categories(data.get("categories"), seen)
        extras = self.read_extras(data.get("extras"), seen)

        if scale is not None and categories and self.unit_types:
            for unit_type, label in self.unit_types.items():
                total = sum((c.points.get(unit_type, ZERO) for c in categories), ZERO)
                if total != scale:
                    self.error(here, f"各类别分值之和为 {_num(total)}，与满分 {_num(scale)} 不符（{label}）")

        if self.errors or scale is None:
            return None
        return Scheme(
            code=code,
            name=name,
            version=version,
            scale=scale,
            unit_types=dict(self.unit_types),
            categories=tuple(categories),
            extras=tuple(extras),
            bonus_cap=bonus_cap,
            total_floor=total_floor,
            total_cap=total_cap,
            top_n=top_n,
            issuer=self.text(here, data, "issuer", required=False),
            source=self.text(here, data, "source", required=False),
            notes=self.text(here, data, "notes", required=False),
        )

    def read_unit_types(self, place: str, value: object) -> None:
        if value is None:
            self.error(place, "缺少“unit_types”（单位类型）")
            return
        types = self.mapping(place, value, "“unit_types”（单位类型）")
        if types is None:
            return
        if not types:
            self.error(place, "至少要定义一个单位类型")
        for key, label in types.items():
            if not isinstance(key, str) or not key or not isinstance(label, str) or not label.strip():
                self.error(place, f"单位类型“{key}”须有编码和中文名称")
                continue
            self.unit_types[key] = label.strip()

    def read_categories(self, value: object, seen: dict[str, str]) -> list[Category]:
        if value is None:
            self.error("考核方案", "缺少“categories”（类别）")
            return []
        if not isinstance(value, list) or not value:
            self.error("考核方案", "“categories”（类别）必须是非空列表")
            return []
        categories = []
        seen_categories: dict[str, str] = {}
        for i, raw in enumerate(value, start=1):
            data = self.mapping(f"第 {i} 个类别", raw, "类别")
            if data is None:
                continue
            code = self.text(f"第 {i} 个类别", data, "code") if "code" in data else ""
            name = self.text(f"第 {i} 个类别", data, "name")
            here = f"类别“（{code}）{name}”" if code else f"类别“{name or i}”"
            self.unknown_keys(here, data, _CATEGORY_KEYS)
            if code:
                if code in seen_categories:
                    self.error(here, f"类别编码“{code}”与{seen_categories[code]}重复")
                seen_categories.setdefault(code, here)
            points = self.points(here, data.get("points"))
            floor, cap = self.floor_cap(here, data)
            items = self.read_items(here, data.get("items"), seen, extra=False)
            if items and points:
                for unit_type, label in self.unit_types.items():
                    if unit_type not in points:
                        continue
                    total = sum((item.points.get(unit_type, ZERO) for item in items), ZERO)
                    if total != points[unit_type]:
                        self.error(
                            here,
                            f"各项分值之和为 {_num(total)}，与类别分值 {_num(points[unit_type])} 不符（{label}）",
                        )
            categories.append(Category(code, name, points, tuple(items), floor, cap))
        return categories

    def read_extras(self, value: object, seen: dict[str, str]) -> list[Item]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.error("考核方案", "“extras”（加减分项目）必须是列表")
            return []
        return self.read_items("加减分项目", value, seen, extra=True)

    def read_items(self, place: str, value: object, seen: dict[str, str], *, extra: bool) -> list[Item]:
        if not extra and (not isinstance(value, list) or not value):
            self.error(place, "“items”（考核项）必须是非空列表")
            return []
        assert isinstance(value, list)
        items = []
        for j, raw in enumerate(value, start=1):
            data = self.mapping(f"{place} 第 {j} 项", raw, "考核项")
            if data is None:
                continue
            name = data.get("name") if isinstance(data.get("name"), str) else ""
            here = f"{place} 第 {j} 项“{name}”" if name else f"{place} 第 {j} 项"
            self.unknown_keys(here, data, _ITEM_KEYS)
            code = self.text(here, data, "code")
            self.text(here, data, "name")
            if code:
                if code in seen:
                    self.error(here, f"编码“{code}”与{seen[code]}重复")
                seen.setdefault(code, here)
            if extra:
                if data.get("points") not in (None, 0):
                    self.error(here, "加减分项目不占分值，不能填写“points”")
                points = dict.fromkeys(self.unit_types, ZERO)
            else:
                points = self.points(here, data.get("points"))
            floor, cap = self.floor_cap(here, data)
            rules = self.read_rules(here, code, data.get("rules"), extra=extra)
            items.append(
                Item(
                    code=code,
                    name=str(name),
                    points=points,
                    rules=tuple(rules),
                    floor=floor,
                    cap=cap,
                    content=self.text(here, data, "content", required=False),
                    method=self.text(here, data, "method", required=False),
                    scoring=self.text(here, data, "scoring", required=False),
                )
            )
        return items

    def read_rules(self, place: str, item_code: str, value: object, *, extra: bool) -> list[Rule]:
        if not isinstance(value, list) or not value:
            self.error(place, "“rules”（计分规则）必须是非空列表")
            return []
        rules = []
        codes: set[str] = set()
        for k, raw in enumerate(value, start=1):
            here = f"{place} 第 {k} 条规则"
            data = self.mapping(here, raw, "计分规则")
            if data is None:
                continue
            rule = self.read_rule(here, data, default_code=f"{item_code}.{k}")
            if rule is None:
                continue
            if rule.code in codes:
                self.error(here, f"规则编码“{rule.code}”在本项中重复")
            codes.add(rule.code)
            rules.append(rule)
        shares = sum((r.share for r in rules if r.is_award), ZERO)
        if shares > 1:
            self.error(place, f"按比例计分的规则所占比例之和为 {_num(shares)}，不能超过 1")
        if extra:
            for rule in rules:
                if rule.is_award:
                    self.error(place, f"加减分项目不能使用规则类型“{rule.kind}”（它按本项分值计分）")
            kinds = {r.kind == RuleKind.BONUS for r in rules if r.kind != RuleKind.VETO}
            if len(kinds) > 1:
                self.error(place, "加分规则与扣分规则须分列为不同的加减分项目")
        else:
            for rule in rules:
                if rule.kind == RuleKind.BONUS:
                    self.error(place, "加分规则只能放在加减分项目（extras）中")
        return rules

    def read_rule(self, here: str, data: Mapping[str, Any], *, default_code: str) -> Rule | None:
        raw_kind = data.get("kind")
        if raw_kind is None:
            self.error(here, "缺少“kind”（规则类型）")
            return None
        kind_name = str(raw_kind)
        kind = RULE_KIND_ALIASES.get(kind_name)
        if kind is None:
            try:
                kind = RuleKind(kind_name)
            except ValueError:
                choices = "、".join([*RuleKind, *RULE_KIND_ALIASES])
                self.error(here, f"规则类型“{kind_name}”不存在，可选：{choices}")
                return None
        allowed = _RULE_COMMON | _KIND_FIELDS[kind]
        for key in data:
            if key not in allowed:
                if key in _RULE_KEYS:
                    self.error(here, f"规则类型“{kind}”不使用字段“{key}”")
                else:
                    self.error(here, f"未知字段“{key}”，可用字段：{'、'.join(sorted(allowed))}")
        code = self.text(here, data, "code", required=False) or default_code
        label = self.text(here, data, "label", required=False)
        source = self.text(here, data, "source")
        if source:
            found = fact_kind(source)
            if not found:
                self.error(here, f"数据项“{source}”不存在，可选：{'、'.join(FACT_KEYS)}")
            elif found not in _SOURCES[kind]:
                wanted = "或".join(_SOURCE_LABELS[s] for s in sorted(_SOURCES[kind]))
                self.error(here, f"规则类型“{kind}”须读取{wanted}，不能读取“{source}”")

        per = self.number(here, data, "per")
        low = self.number(here, data, "min")
        high = self.number(here, data, "max")
        cap = self.non_negative(here, data, "cap")
        target = self.number(here, data, "target")
        out_of = self.number(here, data, "out_of")
        share = self.number(here, data, "share")
        direction = Direction.HIGHER
        if "direction" in data:
            try:
                direction = Direction(str(data["direction"]))
            except ValueError:
                self.error(
                    here, f"方向“{data['direction']}”不存在，可选：higher（越大越好）、lower（越小越好）"
                )
        if low is not None and high is not None and low > high:
            self.error(here, f"下限 {_num(low)} 大于上限 {_num(high)}")
        if share is not None and not ZERO < share <= ONE:
            self.error(here, f"占本项分值比例 {_num(share)} 须大于 0 且不超过 1")

        if kind == RuleKind.PER_OCCURRENCE:
            if per is None:
                self.error(here, "缺少“per”（每次分值）")
            elif per == 0:
                self.error(here, "每次分值不能为 0")
        elif kind == RuleKind.PER_MISSING:
            if per is None:
                self.error(here, "缺少“per”（每缺一项的扣分，负数）")
            elif per >= 0:
                self.error(here, "每缺一项的分值必须为负数")
        elif kind == RuleKind.RANGE_JUDGEMENT:
            if low is None or high is None:
                self.error(here, "幅度内酌定须同时给出“min”（下限）和“max”（上限）")
        elif kind == RuleKind.BONUS:
            if per is not None and (low is not None or high is not None):
                self.error(here, "加分规则的“per”与“min/max”只能二选一")
            elif per is None and (low is None or high is None):
                self.error(here, "加分规则须给出“per”（每次加分）或“min”与“max”（每次加分幅度）")
            for value in (per, low):
                if value is not None and value <= 0:
                    self.error(here, "加分分值必须为正数")
        elif kind == RuleKind.RATE:
            if target is None or target <= 0:
                self.error(here, "按比率计分须给出正数“target”（目标值）")
        elif kind == RuleKind.EXTERNAL_SUBSCORE and (out_of is None or out_of <= 0):
            self.error(here, "外部细则得分折算须给出正数“out_of”（外部细则满分）")

        bands: list[Band] = []
        step = step_points = None
        if kind == RuleKind.THRESHOLD:
            if target is None:
                self.error(here, "达标计分须给出“target”（目标值）")
            bands = self.read_bands(here, data.get("bands"), direction)
            if "linear" in data:
                if bands:
                    self.error(here, "“bands”（分档）与“linear”（按差距扣分）只能二选一")
                linear = self.mapping(here, data["linear"], "“linear”")
                if linear is not None:
                    step = self.number(here, linear, "step", required=True)
                    step_points = self.number(here, linear, "points", required=True)
                    if (step is not None and step <= 0) or (step_points is not None and step_points <= 0):
                        self.error(here, "“linear”的 step 与 points 必须为正数")
        tiers: tuple[tuple[str, Decimal], ...] = ()
        if kind == RuleKind.TIERED:
            tiers = self.read_tiers(here, data.get("tiers"))
        return Rule(
            code=code,
            kind=kind,
            source=source,
            label=label,
            per=per,
            min=low,
            max=high,
            cap=cap,
            target=target,
            direction=direction,
            bands=tuple(bands),
            step=step,
            step_points=step_points,
            tiers=tiers,
            out_of=out_of,
            share=share if share is not None else ONE,
        )

    def read_bands(self, here: str, value: object, direction: Direction) -> list[Band]:
        if value is None:
            return []
        if not isinstance(value, list) or not value:
            self.error(here, "“bands”（分档）必须是非空列表")
            return []
        key = "at_least" if direction == Direction.HIGHER else "at_most"
        bands = []
        for n, raw in enumerate(value, start=1):
            place = f"{here} 第 {n} 档"
            data = self.mapping(place, raw, "分档")
            if data is None:
                continue
            self.unknown_keys(place, data, frozenset({key, "share"}))
            bound = self.number(place, data, key, required=True)
            share = self.number(place, data, "share", required=True)
            if share is not None and not ZERO <= share <= ONE:
                self.error(place, f"得分比例 {_num(share)} 须在 0 到 1 之间")
            if bound is not None and share is not None:
                bands.append(Band(bound, share))
        # The best band first: the first band a value reaches is the one it scores.
        bands.sort(key=lambda b: b.bound, reverse=direction == Direction.HIGHER)
        return bands

    def read_tiers(self, here: str, value: object) -> tuple[tuple[str, Decimal], ...]:
        if value is None:
            return DEFAULT_TIERS
        data = self.mapping(here, value, "“tiers”（等次）")
        if data is None:
            return ()
        if not data:
            self.error(here, "“tiers”（等次）不能为空")
        tiers = []
        for name, raw in data.items():
            share = self.to_decimal(here, raw, f"等次“{name}”的得分比例")
            if share is None:
                continue
            if not ZERO <= share <= ONE:
                self.error(here, f"等次“{name}”的得分比例 {_num(share)} 须在 0 到 1 之间")
            tiers.append((str(name), share))
        return tuple(tiers)


def parse_scheme(data: Mapping[str, Any]) -> Scheme:
    """Check `data` completely and build the scheme, or raise `SchemeError` listing every problem."""
    parser = _Parser()
    root = parser.mapping("考核方案", data, "考核方案")
    scheme = parser.scheme(root) if root is not None else None
    if parser.errors or scheme is None:
        raise SchemeError(parser.errors or ["考核方案无法解析"])
    return scheme


def load_scheme_text(text: str) -> Scheme:
    """A scheme from its YAML text (`yaml.safe_load`), checked as `parse_scheme` does."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark is not None else "某处"
        problem = getattr(exc, "problem", None) or str(exc)
        raise SchemeError([f"YAML 格式错误（{where}）：{problem}"]) from exc
    if not isinstance(data, Mapping):
        raise SchemeError(["考核方案：YAML 的顶层必须是键值对（映射）"])
    return parse_scheme(data)


# -- facts -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One occurrence of a counted fact: `ref` is the opaque evidence (a case number, a review id)."""

    ref: str
    note: str = ""


@dataclass(frozen=True)
class ManualEntry:
    """An approved manual entry for one item. `kind` says which rule it feeds (MANUAL_FEEDS); `rule`
    names the rule when the item has several of that kind. deduction / missing / a fixed-amount bonus:
    `count` occurrences; judgement / a ranged bonus: `points`; tier: `tier`. Reason and evidence are
    required."""

    item_code: str
    kind: ManualKind | str
    reason: str
    evidence: Sequence[str] = ()
    points: Decimal | None = None
    tier: str = ""
    count: int = 1
    rule: str = ""


@dataclass(frozen=True)
class UnitFacts:
    """Everything known about one assessed unit for the period. `value_refs` are the evidence of a
    measured value (e.g. the id of the metric snapshot it was read from). `totals` gives the full number
    of occurrences of a counted key when `counts` lists only some of them (the evidence shown, e.g. the
    first hundred case numbers of thousands): the points follow the total, the evidence the list."""

    unit: str
    unit_type: str
    name: str = ""
    counts: Mapping[str, Sequence[Occurrence]] = field(default_factory=dict)
    values: Mapping[str, Decimal | None] = field(default_factory=dict)
    manual: Sequence[ManualEntry] = ()
    value_refs: Mapping[str, Sequence[str]] = field(default_factory=dict)
    totals: Mapping[str, int] = field(default_factory=dict)


# -- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Adjustment:
    """Points gained (+) or lost (−) by one rule, with the evidence refs behind them. `kind` is the rule
    kind, or "floor" / "cap" / "bonus_cap" / "rescale" for the holding and rescaling steps."""

    rule: str
    kind: str
    points: Decimal
    evidence: tuple[str, ...] = ()
    count: int = 0
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "points": format_points(self.points),
            "evidence": list(self.evidence),
            "count": self.count,
            "note": self.note,
        }


@dataclass(frozen=True)
class ItemResult:
    code: str
    name: str
    category: str
    """The category's code; "" for an extras item."""
    score: Decimal | None
    """None when N/A."""
    max: Decimal
    na: bool
    adjustments: tuple[Adjustment, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.code,
            "name": self.name,
            "category": self.category,
            "score": None if self.score is None else format_points(self.score),
            "max": format_points(self.max),
            "na": self.na,
            "deductions": [a.to_dict() for a in self.adjustments],
        }


@dataclass(frozen=True)
class CategoryResult:
    code: str
    name: str
    score: Decimal
    max: Decimal
    """The category's full points for the unit's type."""
    assessed: Decimal
    """The points of its items that applied (not N/A)."""
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class UnitResult:
    unit: str
    name: str
    unit_type: str
    base: Decimal
    bonus: Decimal
    total: Decimal
    rank: int | None
    vetoed: bool
    veto_reason: str
    items: tuple[ItemResult, ...]
    categories: tuple[CategoryResult, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    """Unit-level steps: rescale, extras deductions' floor, bonus cap, total cap."""
    veto_evidence: tuple[str, ...] = ()
    assessed: Decimal = ZERO
    """A: the category points that applied to the unit."""
    unrated: bool = False
    """No category item applied (A = 0): listed apart, unranked."""
    recommended: bool = False

    @property
    def ranked(self) -> bool:
        return self.rank is not None

    def item(self, code: str) -> ItemResult:
        return next(i for i in self.items if i.code == code)


@dataclass(frozen=True)
class Evaluation:
    scheme: Scheme
    period: str
    units: tuple[UnitResult, ...]
    """Ranked units by rank, then the vetoed and unrated ones."""
    top_n: int | None = None

    @property
    def ranked(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.rank is not None)

    @property
    def unranked(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.rank is None)

    @property
    def vetoed(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.vetoed)

    @property
    def recommended(self) -> tuple[UnitResult, ...]:
        return tuple(u for u in self.units if u.recommended)

    def unit(self, code: str) -> UnitResult:
        return next(u for u in self.units if u.unit == code)

    def to_dict(self, *, include_scheme: bool = False) -> dict[str, Any]:
        """The published ranking: scheme code and version, period, and each unit's breakdown."""
        data: dict[str, Any] = {
            "scheme": self.scheme.code,
            "scheme_name": self.scheme.name,
            "version": self.scheme.version,
            "period": self.period,
            "scale": format_points(self.scheme.scale),
            "top_n": self.top_n,
            "recommended": [u.unit for u in self.recommended],
            "units": [
                {
                    "unit": u.unit,
                    "name": u.name,
                    "unit_type": u.unit_type,
                    "unit_type_label": self.scheme.unit_types.get(u.unit_type, u.unit_type),
                    "base": format_points(u.base),
                    "bonus": format_points(u.bonus),
                    "total": format_points(u.total),
                    "rank": u.rank,
                    "vetoed": u.vetoed,
                    "veto_reason": u.veto_reason,
                    "veto_evidence": list(u.veto_evidence),
                    "unrated": u.unrated,
                    "recommended": u.recommended,
                    "assessed": format_points(u.assessed),
                    "adjustments": [a.to_dict() for a in u.adjustments],
                    "categories": [
                        {
                            "category": c.code,
                            "name": c.name,
                            "score": format_points(c.score),
                            "max": format_points(c.max),
                            "assessed": format_points(c.assessed),
                            "deductions": [a.to_dict() for a in c.adjustments],
                        }
                        for c in u.categories
                    ],
                    "items": [i.to_dict() for i in u.items],
                }
                for u in self.units
            ],
        }
        if include_scheme:
            data["rules"] = self.scheme.to_dict()
        return data


# -- evaluating ------------------------------------------------------------------------------------


class _Entries:
    """The manual entries of one unit, checked and grouped by (item code, rule code)."""

    def __init__(self, scheme: Scheme, facts: UnitFacts, errors: list[str]) -> None:
        self.by_rule: dict[tuple[str, str], list[ManualEntry]] = {}
        self.rejected: set[tuple[str, str]] = set()
        who = f"单位“{facts.name or facts.unit}”"
        for n, entry in enumerate(facts.manual, start=1):
            here = f"{who}人工录入第 {n} 条（考核项“{entry.item_code}”）"
            item = scheme.item(entry.item_code)
            if item is None:
                errors.append(f"{here}：考核项“{entry.item_code}”不存在")
                continue
            try:
                kind = ManualKind(entry.kind)
            except ValueError:
                errors.append(f"{here}：录入类型“{entry.kind}”不存在，可选：{'、'.join(ManualKind)}")
                continue
            label = MANUAL_KIND_LABELS[kind]
            candidates = [r for r in item.rules if r.kind == MANUAL_FEEDS[kind] and r.source == MANUAL]
            if entry.rule:
                candidates = [r for r in candidates if r.code == entry.rule]
            if not candidates:
                named = f"编码为“{entry.rule}”的" if entry.rule else ""
                errors.append(f"{here}：该项没有{named}可录入“{label}”的人工规则")
                continue
            if len(candidates) > 1:
                codes = "、".join(r.code for r in candidates)
                errors.append(f"{here}：该项有多条可录入“{label}”的规则（{codes}），须指明规则编码")
                continue
            rule = candidates[0]
            before = len(errors)
            if not entry.reason.strip():
                errors.append(f"{here}：须填写理由")
            if not entry.evidence:
                errors.append(f"{here}：须附佐证材料")
            if entry.count < 1:
                errors.append(f"{here}：次数须为正整数")
            self.check_amount(here, kind, rule, entry, errors)
            if len(errors) == before:  # only entries that passed every check are scored
                self.by_rule.setdefault((item.code, rule.code), []).append(entry)
            else:
                self.rejected.add((item.code, rule.code))

    @staticmethod
    def check_amount(here: str, kind: ManualKind, rule: Rule, entry: ManualEntry, errors: list[str]) -> None:
        ranged = kind == ManualKind.JUDGEMENT or (kind == ManualKind.BONUS and rule.per is None)
        if ranged:
            assert rule.min is not None and rule.max is not None
            if entry.points is None:
                errors.append(f"{here}：须填写分值（{_num(rule.min)} 至 {_num(rule.max)}）")
            elif not rule.min <= entry.points <= rule.max:
                errors.append(
                    f"{here}：分值 {_num(entry.points)} 超出允许范围 [{_num(rule.min)}, {_num(rule.max)}]"
                )
            if entry.count != 1:
                errors.append(f"{here}：酌定分值每条只记一次，次数须为 1")
        elif kind == ManualKind.TIER:
            if rule.tier_share(entry.tier) is None:
                tiers = "、".join(name for name, _ in rule.tiers)
                errors.append(f"{here}：等次“{entry.tier}”不存在，可选：{tiers}")
        elif entry.points is not None and kind != ManualKind.VETO:
            errors.append(f"{here}：按次计分的分值由方案规定（每次 {_num(rule.per or ZERO)}），不应填写分值")


def _held(raw: Decimal, floor: Decimal | None, cap: Decimal | None) -> list[Adjustment]:
    """The adjustment that holds `raw` within [floor, cap] (none when it is inside)."""
    if floor is not None and raw < floor:
        return [Adjustment("floor", "floor", floor - raw, note=f"扣完为止（不低于 {_num(floor)} 分）")]
    if cap is not None and raw > cap:
        return [Adjustment("cap", "cap", cap - raw, note=f"封顶 {_num(cap)} 分")]
    return []


def _is_na(item: Item, facts: UnitFacts) -> bool:
    for rule in item.rules:
        kind = fact_kind(rule.source)
        if kind == "value" and facts.values.get(rule.source) is None:
            return True
        if kind == "count" and rule.source in facts.values and facts.values[rule.source] is None:
            return True
    return False


def _ratio(rule: Rule, value: Decimal) -> tuple[Decimal, str]:
    """The share of the rule's points that `value` earns, and a note saying how (a linear threshold
    is scored by `_award`: what it loses is counted in points, not as a share)."""
    if rule.kind == RuleKind.EXTERNAL_SUBSCORE:
        assert rule.out_of is not None
        return min(ONE, max(ZERO, value / rule.out_of)), f"外部细则得分 {_num(value)} / {_num(rule.out_of)}"
    target = rule.target
    assert target is not None
    higher = rule.direction == Direction.HIGHER
    if rule.kind == RuleKind.RATE:
        ratio = value / target if higher else (ONE if value == 0 else target / value)
        return min(ONE, max(ZERO, ratio)), f"实际 {_num(value)}，目标 {_num(target)}"
    met = value >= target if higher else value <= target
    note = f"实际 {_num(value)}，目标 {'≥' if higher else '≤'} {_num(target)}"
    if met:
        return ONE, note
    if rule.bands:
        for band in rule.bands:
            if (value >= band.bound) if higher else (value <= band.bound):
                return band.share, f"{note}，落入 {'≥' if higher else '≤'} {_num(band.bound)} 档"
        return ZERO, f"{note}，未达最低档"
    return ZERO, f"{note}，未达标"


def _award(rule: Rule, points: Decimal, value: Decimal) -> tuple[Decimal, str]:
    """The points a value rule awards out of `points` (its share of the item already applied)."""
    if rule.kind == RuleKind.THRESHOLD and rule.step is not None and rule.step_points is not None:
        assert rule.target is not None
        higher = rule.direction == Direction.HIGHER
        met = value >= rule.target if higher else value <= rule.target
        note = f"实际 {_num(value)}，目标 {'≥' if higher else '≤'} {_num(rule.target)}"
        if met:
            return points, note
        gap = (rule.target - value) if higher else (value - rule.target)
        lost = rule.step_points * gap / rule.step
        return max(ZERO, points - lost), f"{note}，每差 {_num(rule.step)} 扣 {_num(rule.step_points)} 分"
    ratio, note = _ratio(rule, value)
    return points * ratio, note


def _rule_adjustments(
    rule: Rule, points: Decimal, facts: UnitFacts, entries: Sequence[ManualEntry]
) -> list[Adjustment]:
    """The adjustments one rule makes to an item worth `points` for this unit (see the module docstring)."""
    adjustments: list[Adjustment] = []
    label = rule.label or RULE_KIND_LABELS[rule.kind]
    if rule.is_award:
        share_points = points * rule.share
        if rule.kind == RuleKind.TIERED:
            for entry in entries:
                tier_share = rule.tier_share(entry.tier)
                assert tier_share is not None
                delta = quantize(share_points * tier_share) - quantize(share_points)
                if delta:
                    adjustments.append(
                        Adjustment(
                            rule.code,
                            rule.kind,
                            delta,
                            tuple(entry.evidence),
                            1,
                            f"{label}：评定为“{entry.tier}”（{_num(tier_share * 100)}%）；{entry.reason}",
                        )
                    )
            return adjustments
        value = facts.values.get(rule.source)
        assert value is not None
        awarded, note = _award(rule, share_points, value)
        delta = quantize(awarded) - quantize(share_points)
        if delta:
            refs = tuple(facts.value_refs.get(rule.source, ()))
            adjustments.append(Adjustment(rule.code, rule.kind, delta, refs, 0, f"{label}：{note}"))
        return adjustments

    if rule.source != MANUAL:
        occurrences = list(facts.counts.get(rule.source, ()))
        n = max(facts.totals.get(rule.source, 0), len(occurrences))
        if n:
            refs = tuple(o.ref for o in occurrences)
            if rule.kind == RuleKind.VETO:
                adjustments.append(Adjustment(rule.code, rule.kind, ZERO, refs, n, label))
            else:
                assert rule.per is not None
                adjustments.append(Adjustment(rule.code, rule.kind, quantize(rule.per * n), refs, n, label))
    else:
        for entry in entries:
            if rule.kind == RuleKind.VETO:
                amount = ZERO
            elif entry.points is not None and rule.per is None:
                amount = entry.points
            else:
                assert rule.per is not None
                amount = rule.per * entry.count
            note = f"{label}：{entry.reason}" if rule.label else entry.reason
            adjustments.append(
                Adjustment(rule.code, rule.kind, quantize(amount), tuple(entry.evidence), entry.count, note)
            )
    if rule.cap is not None:
        total = sum((a.points for a in adjustments), ZERO)
        if abs(total) > rule.cap:
            excess = abs(total) - rule.cap
            adjustments.append(
                Adjustment(
                    rule.code,
                    "cap",
                    excess if total < 0 else -excess,
                    note=f"本规则累计不超过 {_num(rule.cap)} 分",
                )
            )
    return adjustments


def _score_item(
    item: Item, category: Category | None, facts: UnitFacts, entries: _Entries, errors: list[str]
) -> ItemResult:
    points = item.points.get(facts.unit_type, ZERO)
    cat = category.code if category is not None else ""
    who = f"单位“{facts.name or facts.unit}”考核项“{item.code}”"
    if _is_na(item, facts):
        if any(key[0] == item.code for key in entries.by_rule):
            errors.append(f"{who}：该项无数据（不参评），不应有人工录入")
        return ItemResult(item.code, item.name, cat, None, points, True)
    adjustments: list[Adjustment] = []
    for rule in item.rules:
        rule_entries = entries.by_rule.get((item.code, rule.code), [])
        if rule.kind == RuleKind.TIERED:
            if not rule_entries and (item.code, rule.code) not in entries.rejected:
                errors.append(f"{who}：缺少等次评定（规则“{rule.code}”）")
            elif len(rule_entries) > 1:
                errors.append(f"{who}：等次评定只能有一条（规则“{rule.code}”）")
                rule_entries = rule_entries[:1]
        adjustments.extend(_rule_adjustments(rule, points, facts, rule_entries))
    raw = points + sum((a.points for a in adjustments), ZERO)
    cap = item.cap if item.cap is not None else (points if category is not None else None)
    held = _held(raw, item.floor, cap)
    adjustments.extend(held)
    score = quantize(raw + sum((a.points for a in held), ZERO))
    return ItemResult(item.code, item.name, cat, score, points, False, tuple(adjustments))


def _score_unit(scheme: Scheme, facts: UnitFacts, errors: list[str]) -> UnitResult:
    entries = _Entries(scheme, facts, errors)
    items: list[ItemResult] = []
    categories: list[CategoryResult] = []
    for category in scheme.categories:
        results = [_score_item(item, category, facts, entries, errors) for item in category.items]
        items.extend(results)
        applied = [r for r in results if not r.na]
        raw = sum((r.score or ZERO for r in applied), ZERO)
        held = _held(raw, category.floor, category.cap)
        categories.append(
            CategoryResult(
                category.code,
                category.name,
                quantize(raw + sum((a.points for a in held), ZERO)),
                category.points.get(facts.unit_type, ZERO),
                sum((r.max for r in applied), ZERO),
                tuple(held),
            )
        )
    extras = [_score_item(item, None, facts, entries, errors) for item in scheme.extras]
    items.extend(extras)

    unit_adjustments: list[Adjustment] = []
    assessed = sum((c.assessed for c in categories), ZERO)
    part = sum((c.score for c in categories), ZERO)
    unrated = assessed == 0
    if not unrated and assessed != scheme.scale:
        rescaled = quantize(part * scheme.scale / assessed)
        unit_adjustments.append(
            Adjustment(
                "rescale",
                "rescale",
                rescaled - part,
                note=(
                    f"{_num(scheme.scale - assessed)} 分的指标不参评，参评的 {_num(assessed)} 分"
                    f"按 {_num(scheme.scale)}/{_num(assessed)} 折算"
                ),
            )
        )
        part = rescaled
    deductions = sum(
        (r.score or ZERO for r, i in zip(extras, scheme.extras, strict=True) if not i.is_bonus), ZERO
    )
    raw_base = part + deductions
    held = _held(raw_base, scheme.total_floor, None)
    unit_adjustments.extend(held)
    base = quantize(raw_base + sum((a.points for a in held), ZERO))

    raw_bonus = sum((r.score or ZERO for r, i in zip(extras, scheme.extras, strict=True) if i.is_bonus), ZERO)
    bonus = raw_bonus
    if scheme.bonus_cap is not None and raw_bonus > scheme.bonus_cap:
        unit_adjustments.append(
            Adjustment(
                "bonus_cap",
                "bonus_cap",
                scheme.bonus_cap - raw_bonus,
                note=f"加分最多 {_num(scheme.bonus_cap)} 分",
            )
        )
        bonus = scheme.bonus_cap
    bonus = quantize(bonus)
    total = base + bonus
    if scheme.total_cap is not None and total > scheme.total_cap:
        unit_adjustments.append(
            Adjustment("cap", "cap", scheme.total_cap - total, note=f"总分封顶 {_num(scheme.total_cap)} 分")
        )
        total = scheme.total_cap
    total = quantize(total)

    vetoes = [a for r in items for a in r.adjustments if a.kind == RuleKind.VETO]
    return UnitResult(
        unit=facts.unit,
        name=facts.name,
        unit_type=facts.unit_type,
        base=base,
        bonus=bonus,
        total=total,
        rank=None,
        vetoed=bool(vetoes),
        veto_reason="；".join(a.note for a in vetoes),
        items=tuple(items),
        categories=tuple(categories),
        adjustments=tuple(unit_adjustments),
        veto_evidence=tuple(ref for a in vetoes for ref in a.evidence),
        assessed=assessed,
        unrated=unrated,
    )


def _check_facts(scheme: Scheme, units: Sequence[UnitFacts], errors: list[str]) -> None:
    seen: set[str] = set()
    for facts in units:
        who = f"单位“{facts.name or facts.unit}”"
        if not facts.unit:
            errors.append(f"{who}：缺少单位编码")
        if facts.unit in seen:
            errors.append(f"{who}：单位编码“{facts.unit}”重复")
        seen.add(facts.unit)
        if facts.unit_type not in scheme.unit_types:
            choices = "、".join(f"{k}（{v}）" for k, v in scheme.unit_types.items())
            errors.append(f"{who}：单位类型“{facts.unit_type}”不在本方案中，可选：{choices}")
        for key in (*facts.counts, *facts.totals):
            if fact_kind(key) != "count":
                errors.append(f"{who}：计数数据项“{key}”不在约定词表中")
        for key in facts.values:
            if not fact_kind(key) or key == MANUAL:
                errors.append(f"{who}：数据项“{key}”不在约定词表中")


def evaluate(
    scheme: Scheme, units: Sequence[UnitFacts], *, period: str = "", top_n: int | None = None
) -> Evaluation:
    """Score every unit, rank them and mark the recommendation list (top N: the argument, else the
    scheme's). Raises `FactsError` listing every problem with the facts."""
    errors: list[str] = []
    _check_facts(scheme, units, errors)
    if errors:
        raise FactsError(errors)
    with localcontext() as context:
        context.prec = 28
        results = [_score_unit(scheme, facts, errors) for facts in units]
    if errors:
        raise FactsError(errors)

    limit = top_n if top_n is not None else scheme.top_n
    rankable = sorted(
        (r for r in results if not r.vetoed and not r.unrated), key=lambda r: (-r.total, r.unit)
    )
    others = sorted((r for r in results if r.vetoed or r.unrated), key=lambda r: (-r.total, r.unit))
    ranked: list[UnitResult] = []
    for position, result in enumerate(rankable, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].total == result.total else position
        recommended = limit is not None and rank is not None and rank <= limit
        ranked.append(replace(result, rank=rank, recommended=recommended))
    return Evaluation(scheme, period, (*ranked, *others), limit)


# -- comparing two runs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemChange:
    item: str
    name: str
    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        return None if self.old is None or self.new is None else self.new - self.old


@dataclass(frozen=True)
class UnitChange:
    """How one unit moved between two runs (None: absent from that run; rank None: unranked)."""

    unit: str
    name: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_rank: int | None
    new_rank: int | None
    old_vetoed: bool = False
    new_vetoed: bool = False
    items: tuple[ItemChange, ...] = ()
    """Only the items whose score (or N/A) changed."""

    @property
    def delta(self) -> Decimal | None:
        return None if self.old_total is None or self.new_total is None else self.new_total - self.old_total

    @property
    def changed(self) -> bool:
        return (
            self.old_total != self.new_total
            or self.old_rank != self.new_rank
            or self.old_vetoed != self.new_vetoed
            or bool(self.items)
        )

    def to_dict(self) -> dict[str, Any]:
        def fmt(value: Decimal | None) -> str | None:
            return None if value is None else format_points(value)

        return {
            "unit": self.unit,
            "name": self.name,
            "old_total": fmt(self.old_total),
            "new_total": fmt(self.new_total),
            "delta": fmt(self.delta),
            "old_rank": self.old_rank,
            "new_rank": self.new_rank,
            "old_vetoed": self.old_vetoed,
            "new_vetoed": self.new_vetoed,
            "items": [
                {"item": c.item, "name": c.name, "old": fmt(c.old), "new": fmt(c.new), "delta": fmt(c.delta)}
                for c in self.items
            ],
        }


def compare(old: Evaluation, new: Evaluation) -> tuple[UnitChange, ...]:
    """Per unit, what a re-run changed: total, rank, veto and the item scores that differ. Units in the
    new run's order, then those only in the old run."""
    before = {u.unit: u for u in old.units}
    after = {u.unit: u for u in new.units}
    changes = []
    for code in [*after, *(c for c in before if c not in after)]:
        a, b = before.get(code), after.get(code)
        old_items = {i.code: i for i in a.items} if a else {}
        new_items = {i.code: i for i in b.items} if b else {}
        items = []
        for item_code in [*new_items, *(c for c in old_items if c not in new_items)]:
            oi, ni = old_items.get(item_code), new_items.get(item_code)
            old_score = oi.score if oi else None
            new_score = ni.score if ni else None
            if old_score != new_score or (oi is None) != (ni is None) or (oi and ni and oi.na != ni.na):
                either = ni or oi
                items.append(ItemChange(item_code, either.name if either else "", old_score, new_score))
        unit = b or a
        changes.append(
            UnitChange(
                unit=code,
                name=unit.name if unit else "",
                old_total=a.total if a else None,
                new_total=b.total if b else None,
                old_rank=a.rank if a else None,
                new_rank=b.rank if b else None,
                old_vetoed=a.vetoed if a else False,
                new_vetoed=b.vetoed if b else False,
                items=tuple(items),
            )
        )
    return tuple(changes)
