"""The 好差评 metrics of the metric registry (`zhengwu.domain.metrics.REVIEW_METRICS`) and their providers.

Each provider computes one figure of `zhengwu.reviews.selectors.review_stats` (the same aggregates,
`Figures` and its rates) for many units at once: one query over the period's reviews grouped by
department and region path (plus one over the finished cases for 主动评价率, whose denominator they
are), folded into the units in Python — a department its own reviews and cases, a region its subtree's.
Bad reviews count as due as of the period's end or today, whichever is earlier. Windows and staff are
not covered here (None): the 好差评 statistics page has them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db.models import Q

from zhengwu.common import clock
from zhengwu.domain.metrics import REVIEW_METRICS, Metric, Period
from zhengwu.reviews.models import Review
from zhengwu.reviews.selectors import COUNT_FIELDS, Figures, _review_aggregates

# metric code → the `Figures` attribute it reads.
FIGURES = {
    "reviews_count": "reviews",
    "reviews_active_rate": "active_rate",
    "reviews_good_rate": "good_rate",
    "reviews_bad": "bad",
    "reviews_rectified_rate": "rectified_rate",
    "reviews_callback_rate": "callback_rate",
}


def _scope(units: Sequence) -> Q | None:
    departments = [u.pk for u in units if u.kind == "department"]
    regions = [u for u in units if u.kind == "region"]
    if not departments and not regions:
        return None
    q = Q(department_id__in=departments)
    for unit in regions:
        q |= Q(region__path__startswith=unit.path)
    return q


def _fold(figures: dict[str, Figures], units: Sequence, department_id, path: str, counts: dict) -> None:
    for unit in units:
        if (unit.kind == "department" and unit.pk == department_id) or (
            unit.kind == "region" and path.startswith(unit.path)
        ):
            fig = figures[unit.key]
            for name, value in counts.items():
                setattr(fig, name, getattr(fig, name) + value)


def unit_figures(units: Sequence, period: Period, *, finished: bool = False) -> dict[str, Figures]:
    """{unit key: Figures} of region and department units: one query over the reviews, one more over
    the metric rollups when `finished` (the finished cases, denominator of 主动评价率)."""
    figures = {u.key: Figures(key=u.key, name=u.name) for u in units if u.kind in ("department", "region")}
    scope = _scope(units)
    if scope is None:
        return figures
    as_of = min(period.end, clock.today())
    aggregates = {name: agg for name, agg in _review_aggregates(as_of).items() if name in COUNT_FIELDS}
    rows = (
        Review.objects.filter(scope, reviewed_on__range=(period.start, period.end))
        .values("department_id", "region__path")
        .annotate(**aggregates)
        .order_by()
    )
    for row in rows:
        counts = {name: row[name] for name in aggregates}
        _fold(figures, units, row["department_id"], row["region__path"] or "", counts)
    if finished:
        # The denominator comes from the metric rollups (`finished`, by the handling department), as on
        # the statistics page, so it costs the same whatever the number of cases.
        from zhengwu.metrics.selectors import unit_counts

        counted = unit_counts([u for u in units if u.kind in ("department", "region")], period)
        for key, fig in figures.items():
            fig.finished += counted.get(key, {}).get("finished", 0)
    return figures


def _provider(code: str) -> Callable[[Sequence, Period], dict[str, Decimal | None]]:
    attr = FIGURES[code]

    def provide(units: Sequence, period: Period) -> dict[str, Decimal | None]:
        figures = unit_figures(units, period, finished=attr == "active_rate")
        out: dict[str, Decimal | None] = {u.key: None for u in units}
        for key, fig in figures.items():
            value = getattr(fig, attr)
            out[key] = Decimal(value) if isinstance(value, int) else value
        return out

    provide.__name__ = f"provide_{code}"
    return provide


def providers() -> list[tuple[Metric, Callable[[Sequence, Period], dict[str, Decimal | None]]]]:
    """(metric, provider) for every 好差评 metric, for `ReviewsConfig.ready`."""
    return [(metric, _provider(metric.code)) for metric in REVIEW_METRICS]
