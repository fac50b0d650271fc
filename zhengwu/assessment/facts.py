"""The facts an assessment scores (`scoring.UnitFacts`), gathered from live data for each unit and period.

Where each fact key of `scoring.FACT_KEYS` comes from:

| fact key | source | evidence refs |
|---|---|---|
| `cards.red` | red cards (R1–R3) issued in the period, not voided: the total from the metric rollups | the case numbers of the first 100 |
| `cards.yellow` | yellow cards (Y1–Y5) issued in the period, not voided: the total from the rollups | the case numbers of the first 100 |
| `cases.overdue` | cases with an R1 card (statutory clock overran) issued in the period, not voided: the rollups | the first 100 case numbers |
| `catalog.depth3_share` | metric `depth3_share` ÷ 100 (网办深度 ≥ Ⅲ, catalogue snapshot at the period's end) | the metric |
| `catalog.depth4_share` | metric `depth4_share` ÷ 100 | the metric |
| `cases.ontime_rate` | metric `on_time_rate` ÷ 100 (按时办结率) | the metric |
| `cases.speedup_rate` | metric `actual_speedup` ÷ 100 (实际提速率 Σ(L − A)/ΣL) | the metric |
| `cases.online_finish_rate` | metric `online_rate` ÷ 100: 网上申报率 (online receipts ÷ receipts), the closest figure we keep to 网上办结率 | the metric |
| `reviews.bad` | non-voided bad reviews (2 or 1) dated in the period (`reviews.selectors.review_facts`) | the review number of each |
| `reviews.bad_unrectified` | those bad reviews due by the period's end and not fed back by their due date | the review numbers |
| `reviews.active_rate`, `reviews.good_rate`, `reviews.rectified_rate` | 主动评价率, 好评率, 差评整改率 of `reviews.selectors` ÷ 100 (as of the period's end; None without a denominator). A unit without any review in the period gets None for every `reviews.*` fact (N/A, not full marks) | the figure |
| `hotline.ontime_rate`, `hotline.satisfaction_rate` | 12345 按时办结率, 满意率 of `hotline.selectors.ticket_kpis` ÷ 100 (a region: tickets of its subtree; a department: tickets dispatched to it; None without a denominator). A unit without any ticket in the period gets None for every `hotline.*` fact (N/A) | the figure with numerator/denominator |
| `hotline.overdue` | tickets whose finish clock fell due in the period and were replied late or not at all (`finish_overdue`), merged duplicates excluded (`hotline.selectors.hotline_facts`) | the ticket number of each |
| `hotline.reopened` | 重办 (reopen) events dated in the period, one per reopening | the ticket numbers |
| `hotline.answer_rate`, `hotline.subscore`, `catalog.inconsistent` | **no data yet**: call records (接通率) are not imported, the hotline's own 考评细则 and the catalogue consistency check are not built. These facts are given as None, so every item that reads them is N/A (不参评) and the unit's other category points are rescaled to the full scale (DOMAIN §8.1). | — |
| `manual` | approved `ManualEntry` rows of the scheme code, period and unit | `佐证#<file id> <file name>` per evidence file |

Metrics are percentages with two decimals (`zhengwu.domain.metrics`); the engine wants fractions 0–1,
hence the division by 100. A metric without a denominator in the period (no finished case, no
published item) is None: no data, N/A.

A card belongs to a unit through its responsible department (`Card.department`): a region unit takes
the departments of its subtree, a department unit itself. Cards are dated by `issued_on`.

Unit types: a region unit is typed by the scheme's county-level type (a functional zone such as
益阳高新区 by the scheme's zone type when it has one), a department unit by the scheme's department type,
found by reading the codes and names of the scheme's `unit_types` (`scheme_unit_type`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from zhengwu.assessment.choices import EntryStatus
from zhengwu.assessment.models import ManualEntry as ManualEntryRow
from zhengwu.cases.models import Card
from zhengwu.common.errors import DomainError
from zhengwu.domain import metrics as dm
from zhengwu.domain import scoring
from zhengwu.domain.metrics import Period
from zhengwu.hotline.selectors import HOTLINE_FACTS, hotline_facts
from zhengwu.metrics.selectors import Unit, paths_q, unit_counts, unit_metrics
from zhengwu.organization.models import Department
from zhengwu.reviews.selectors import REVIEW_FACTS, review_facts

HUNDRED = Decimal(100)

# Value facts read from the metric rollups: fact key → metric code (a percentage, divided by 100).
METRIC_FACTS: Mapping[str, str] = {
    "catalog.depth3_share": "depth3_share",
    "catalog.depth4_share": "depth4_share",
    "cases.ontime_rate": "on_time_rate",
    "cases.speedup_rate": "actual_speedup",
    "cases.online_finish_rate": "online_rate",
}
# Counted facts read from the cards.
CARD_FACTS = frozenset({"cards.red", "cards.yellow", "cases.overdue"})
# Facts of modules not built yet: no data, so the items reading them are N/A.
NO_DATA_PREFIXES: tuple[str, ...] = ()
NO_DATA_KEYS = frozenset({"catalog.inconsistent", "hotline.answer_rate", "hotline.subscore"})

SOURCE_NOTES: Mapping[str, str] = {
    "cards.red": "期间内亮出且未撤销的红牌（R1–R3），按责任部门归属单位；依据为办件编号",
    "cards.yellow": "期间内亮出且未撤销的黄牌（Y1–Y5），按责任部门归属单位；依据为办件编号",
    "cases.overdue": "期间内亮出 R1 红牌（法定时限超期）且未撤销的办件；依据为办件编号",
    "catalog.depth3_share": "效能指标“网办深度三级及以上事项占比”÷100（期末目录快照）",
    "catalog.depth4_share": "效能指标“全程网办事项占比”÷100（期末目录快照）",
    "cases.ontime_rate": "效能指标“按时办结率”÷100",
    "cases.speedup_rate": "效能指标“实际提速率”÷100",
    "cases.online_finish_rate": "效能指标“网上申报率”÷100（系统暂以网上申报率代网上办结率）",
    "reviews.bad": "期间内未作废的差评（2 分、1 分），按被评部门归属单位；依据为评价编号",
    "reviews.bad_unrectified": "期间内差评中期末前到期且未按期整改反馈的；依据为评价编号",
    "reviews.active_rate": "好差评“主动评价率”÷100（评价数÷办结件数）",
    "reviews.good_rate": "好差评“好评率”÷100",
    "reviews.rectified_rate": "好差评“差评整改率”÷100",
    "hotline.ontime_rate": "12345“按时办结率”÷100（办结时限在期间内的工单，含已批准的延期）",
    "hotline.satisfaction_rate": "12345“满意率”÷100（期间内回访中满意、基本满意的比例）",
    "hotline.overdue": "办结时限在期间内、超期答复或至今未答复的12345工单（并单除外）；依据为工单编号",
    "hotline.reopened": "期间内经中心确认重办的12345工单（每次重办计一次）；依据为工单编号",
    scoring.MANUAL: "本方案、本期间、本单位已审核通过的人工录入（待审核和已退回的不计）；依据为佐证材料",
}
NO_DATA_NOTE = "该模块尚未上线，暂无数据：读取该数据项的考核项不参评，其分值按满分折算"

# How the unit types of a scheme are recognised: (type codes, words in the type's name).
_COUNTY_HINTS = (("county", "district"), ("区县", "县区", "县（市", "县市", "县级"))
_ZONE_HINTS = (("zone", "park"), ("管委会", "功能区", "园区", "高新区"))
_DEPARTMENT_HINTS = (("city_dept", "dept", "department"), ("部门",))

ZONE = "功能区"


def is_no_data(key: str) -> bool:
    return key in NO_DATA_KEYS or key.startswith(NO_DATA_PREFIXES)


def scheme_sources(scheme: scoring.Scheme) -> list[str]:
    """The fact keys the scheme's rules read, in scheme order."""
    seen: dict[str, None] = {}
    for _category, item in scheme.items():
        for rule in item.rules:
            seen.setdefault(rule.source, None)
    return list(seen)


def data_notes(scheme: scoring.Scheme) -> list[dict[str, str]]:
    """For each fact key the scheme reads: what it means and where this run takes it from."""
    notes = []
    for key in scheme_sources(scheme):
        source = NO_DATA_NOTE if is_no_data(key) else SOURCE_NOTES.get(key, "")
        notes.append({"key": key, "meaning": scoring.FACT_KEYS.get(key, ""), "source": source})
    return notes


def _match(scheme: scoring.Scheme, hints: tuple[tuple[str, ...], tuple[str, ...]]) -> str | None:
    codes, words = hints
    for code in scheme.unit_types:
        if code.lower() in codes:
            return code
    for code, label in scheme.unit_types.items():
        if any(word in label for word in words):
            return code
    return None


def scheme_unit_type(scheme: scoring.Scheme, unit: Unit) -> str:
    """The scheme's unit type for a unit: county-level (zones apart when the scheme has a zone type)
    for a region, the department type for a department. DomainError when the scheme has none."""
    if unit.kind == "region":
        if unit.unit_type == ZONE:
            found = _match(scheme, _ZONE_HINTS) or _match(scheme, _COUNTY_HINTS)
        else:
            found = _match(scheme, _COUNTY_HINTS)
        if found is None and len(scheme.unit_types) == 1:
            found = next(iter(scheme.unit_types))
        what = "区县"
    elif unit.kind == "department":
        found = _match(scheme, _DEPARTMENT_HINTS)
        what = "部门"
    else:
        found, what = None, unit.kind
    if found is None:
        choices = "、".join(f"{k}（{v}）" for k, v in scheme.unit_types.items())
        raise DomainError(
            "unit_type_missing",
            f"方案“{scheme.name}”没有适用于{what}的单位类型（方案的单位类型：{choices}）。",
            {"units": [f"方案不考核{what}"]},
        )
    return found


@dataclass(frozen=True)
class UnitFactsBundle:
    """The facts of every unit, in the units' order, and the notes on where they came from."""

    facts: list[scoring.UnitFacts]
    notes: list[dict[str, str]]


# How many case numbers each counted card fact lists as its evidence; the count itself is the total.
EVIDENCE_LIMIT = 100
CARD_COUNTERS: Mapping[str, str] = {
    "cards.red": "cards_red",
    "cards.yellow": "cards_yellow",
    "cases.overdue": "overdue",
}
CARD_ROWS: Mapping[str, Q] = {
    "cards.red": Q(level="red"),
    "cards.yellow": Q(level="yellow"),
    "cases.overdue": Q(rule="R1"),
}


@dataclass(frozen=True)
class CardFacts:
    """The counted card facts of every unit: totals from the metric rollups, and the first
    `EVIDENCE_LIMIT` case numbers of each as evidence (drill-down lists them all)."""

    totals: dict[str, dict[str, int]]
    occurrences: dict[str, dict[str, list[scoring.Occurrence]]]


def _departments_of(units: Sequence[Unit]) -> dict[str, list[int]]:
    """{unit key: its department ids} (a region's subtree, or the department itself), in one query."""
    regions = [u for u in units if u.kind == "region"]
    rows = (
        list(Department.objects.filter(paths_q(u.path for u in regions)).values_list("pk", "region__path"))
        if regions
        else []
    )
    out: dict[str, list[int]] = {}
    for unit in units:
        if unit.kind == "department":
            out[unit.key] = [unit.pk]
        else:
            out[unit.key] = [pk for pk, path in rows if path.startswith(unit.path)]
    return out


def card_occurrences(units: Sequence[Unit], period: Period) -> CardFacts:
    """{unit key: {cards.red / cards.yellow / cases.overdue: …}}: the totals are the metric counters
    (`cards_red`, `cards_yellow`, `overdue` — the same non-voided cards, by responsible department and
    issue date), so their cost does not grow with the number of cards; the evidence is one bounded
    query per unit and fact, in issue order."""
    counts = unit_counts(units, period)
    totals = {
        u.key: {key: int(counts[u.key].get(counter, 0)) for key, counter in CARD_COUNTERS.items()}
        for u in units
    }
    occurrences: dict[str, dict[str, list[scoring.Occurrence]]] = {u.key: {} for u in units}
    base = Card.objects.filter(issued_on__range=(period.start, period.end), voided=False)
    departments = _departments_of(units)
    for unit in units:
        for key, where in CARD_ROWS.items():
            if not totals[unit.key][key]:
                occurrences[unit.key][key] = []
                continue
            rows = (
                base.filter(
                    where, department_id__in=departments[unit.key]
                )  # the (department, issued_on) index
                .values_list("rule", "case__number", "issued_on")
                .order_by("issued_on", "id")[:EVIDENCE_LIMIT]
            )
            occurrences[unit.key][key] = [
                scoring.Occurrence(number, f"{rule} {issued_on.isoformat()}")
                for rule, number, issued_on in rows
            ]
    return CardFacts(totals=totals, occurrences=occurrences)


def manual_entries(
    units: Sequence[Unit], period: Period, scheme_code: str
) -> dict[str, list[scoring.ManualEntry]]:
    """{unit key: the approved manual entries of that unit for the scheme and period}."""
    out: dict[str, list[scoring.ManualEntry]] = {u.key: [] for u in units}
    rows = (
        ManualEntryRow.objects.filter(
            scheme_code=scheme_code, period=period.label, status=EntryStatus.APPROVED
        )
        .filter(unit_kind__in={u.kind for u in units}, unit_id__in=[u.pk for u in units])
        .prefetch_related("files")
        .order_by("created_at", "id")
    )
    for row in rows:
        key = f"{row.unit_kind}:{row.unit_id}"
        if key not in out:
            continue
        out[key].append(
            scoring.ManualEntry(
                item_code=row.item_code,
                kind=row.kind,
                reason=row.reason,
                evidence=tuple(f.ref for f in row.files.all()),
                points=row.points,
                tier=row.tier,
                count=row.count,
                rule=row.rule_code,
            )
        )
    return out


def unit_facts(scheme: scoring.Scheme, units: Sequence[Unit], period: Period) -> UnitFactsBundle:
    """The facts of every unit for the scheme and period (only the fact keys the scheme reads)."""
    sources = scheme_sources(scheme)
    types = {unit.key: scheme_unit_type(scheme, unit) for unit in units}
    wanted_metrics = sorted({METRIC_FACTS[k] for k in sources if k in METRIC_FACTS})
    metric_values = unit_metrics(units, period, wanted_metrics) if wanted_metrics and units else {}
    cards = card_occurrences(units, period) if CARD_FACTS.intersection(sources) and units else None
    manual = manual_entries(units, period, scheme.code) if scoring.MANUAL in sources and units else {}
    reviews = review_facts(units, period) if REVIEW_FACTS.intersection(sources) and units else {}
    hotline = hotline_facts(units, period) if HOTLINE_FACTS.intersection(sources) and units else {}

    facts = []
    for unit in units:
        counts: dict[str, list[scoring.Occurrence]] = {}
        totals: dict[str, int] = {}
        values: dict[str, Decimal | None] = {}
        value_refs: dict[str, tuple[str, ...]] = {}
        for key in sources:
            if key == scoring.MANUAL:
                continue
            if is_no_data(key):
                values[key] = None
            elif key in CARD_FACTS:
                assert cards is not None
                counts[key] = cards.occurrences[unit.key][key]
                totals[key] = cards.totals[unit.key][key]
            elif key in REVIEW_FACTS:
                found = reviews[unit.key]
                if not found.has_data:
                    values[key] = None
                elif key in found.counts:
                    counts[key] = [scoring.Occurrence(ref, note) for ref, note in found.counts[key]]
                else:
                    values[key] = found.values[key]
            elif key in HOTLINE_FACTS:
                calls = hotline[unit.key]
                if not calls.has_data:
                    values[key] = None
                elif key in calls.counts:
                    counts[key] = [scoring.Occurrence(ref, note) for ref, note in calls.counts[key]]
                else:
                    values[key] = calls.values[key]
                    if key in calls.refs:
                        value_refs[key] = calls.refs[key]
            elif key in METRIC_FACTS:
                code = METRIC_FACTS[key]
                percent = metric_values[unit.key].get(code)
                values[key] = None if percent is None else percent / HUNDRED
                if percent is not None:
                    value_refs[key] = (f"{dm.METRICS[code].name} {percent}%（{period.label}）",)
        facts.append(
            scoring.UnitFacts(
                unit=unit.key,
                unit_type=types[unit.key],
                name=unit.name,
                counts=counts,
                values=values,
                manual=tuple(manual.get(unit.key, ())),
                value_refs=value_refs,
                totals=totals,
            )
        )
    return UnitFactsBundle(facts, data_notes(scheme))
