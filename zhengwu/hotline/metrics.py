"""The 12345 metrics of the metric registry (`zhengwu.domain.metrics.HOTLINE_METRICS`) and their providers.

Each provider computes one KPI of `zhengwu.hotline.selectors.ticket_kpis` (same rows, same numerator
and denominator, same rounding) for many units at once: one query grouped by the ticket's department
and region path, folded into the units in Python — a department counts the tickets dispatched to it, a
region its subtree's tickets (a split appeal once, DOMAIN §7). `ticket_kpis` stays the per-unit
reference the providers are tested against. Windows and staff have no 12345 figures (None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhengwu.domain.hotline_flow import Status
from zhengwu.domain.metrics import HOTLINE_METRICS, Metric, Period
from zhengwu.hotline import choices as c
from zhengwu.hotline.models import Ticket, TicketEvent
from zhengwu.hotline.selectors import _local_bounds, _rate

ALL = Q(pk__isnull=False)
Rows = Callable[[dt.datetime, dt.datetime], QuerySet]


def _received(lo: dt.datetime, hi: dt.datetime) -> QuerySet:
    return Ticket.objects.filter(received_at__gte=lo, received_at__lt=hi)


def _dispatched(lo: dt.datetime, hi: dt.datetime) -> QuerySet:
    return Ticket.objects.exclude(status=Status.MERGED).filter(
        first_dispatched_at__gte=lo, first_dispatched_at__lt=hi
    )


def _due(lo: dt.datetime, hi: dt.datetime) -> QuerySet:
    return Ticket.objects.exclude(status=Status.MERGED).filter(finish_due_at__gte=lo, finish_due_at__lt=hi)


def _closed(lo: dt.datetime, hi: dt.datetime) -> QuerySet:
    split_parent = Exists(Ticket.objects.filter(split_parent=OuterRef("pk")))
    return (
        Ticket.objects.exclude(status=Status.MERGED)
        .filter(closed_at__gte=lo, closed_at__lt=hi, split_parent__isnull=True)
        .filter(Q(department__isnull=False) | split_parent)
    )


def _call_backs(lo: dt.datetime, hi: dt.datetime) -> QuerySet:
    return TicketEvent.objects.filter(action="call_back", at__gte=lo, at__lt=hi)


@dataclass(frozen=True)
class Kpi:
    """One KPI as rows over the period, a numerator and a denominator (filters on those rows)."""

    code: str
    rows: Rows
    numerator: Q = ALL
    denominator: Q = ALL
    via: str = ""  # "ticket__" when the rows are journal events
    appeal_once: bool = False  # a region leaves split children out (it counts the caller's appeal)
    count: bool = False  # the value is the denominator itself (a volume), not a rate

    def values(self, units: Sequence, period: Period) -> dict[str, Decimal | None]:
        departments = [u.pk for u in units if u.kind == "department"]
        regions = [u for u in units if u.kind == "region"]
        out: dict[str, Decimal | None] = {u.key: None for u in units}
        if not departments and not regions:
            return out
        v = self.via
        scope = Q(**{f"{v}department_id__in": departments})
        for unit in regions:
            scope |= Q(**{f"{v}region__path__startswith": unit.path})
        region_only = Q(**{f"{v}split_parent__isnull": True}) if self.appeal_once else ALL
        lo, hi = _local_bounds(period.start, period.end)
        rows = (
            self.rows(lo, hi)
            .filter(scope)
            .values_list(f"{v}department_id", f"{v}region__path")
            .annotate(
                n=Count("id", filter=self.numerator),
                d=Count("id", filter=self.denominator),
                rn=Count("id", filter=self.numerator & region_only),
                rd=Count("id", filter=self.denominator & region_only),
            )
            .order_by()
        )
        sums: dict[str, list[int]] = {u.key: [0, 0] for u in units if u.kind in ("department", "region")}
        for department_id, path, n, d, rn, rd in rows:
            if department_id in departments:
                total = sums[f"department:{department_id}"]
                total[0] += n
                total[1] += d
            for unit in regions:
                if path.startswith(unit.path):
                    sums[unit.key][0] += rn
                    sums[unit.key][1] += rd
        for key, (numerator, denominator) in sums.items():
            out[key] = Decimal(denominator) if self.count else _rate(numerator, denominator)
        return out


SATISFIED = Q(data__satisfaction__in=[c.Satisfaction.SATISFIED, c.Satisfaction.BASICALLY])
OWED = Q(call_back_declined=False)

# metric code → the KPI (its `ticket_kpis` counterpart in the comment).
KPIS: Mapping[str, Kpi] = {
    kpi.code: kpi
    for kpi in (
        Kpi("hotline_tickets", _received, appeal_once=True, count=True),  # received
        Kpi(  # direct
            "hotline_direct_rate",
            lambda lo, hi: _received(lo, hi).exclude(status=Status.MERGED),
            Q(status=Status.DIRECT),
            appeal_once=True,
        ),
        Kpi("hotline_sign_ontime_rate", _dispatched, Q(signed_at__isnull=False, sign_overdue=False)),
        Kpi("hotline_ontime_rate", _due, Q(replied_at__isnull=False, finish_overdue=False)),  # finish_ontime
        Kpi("hotline_return_rate", _dispatched, Q(return_count__gt=0)),  # returned
        Kpi("hotline_redo_rate", _closed, Q(redo_count__gt=0)),  # reopened
        Kpi("hotline_callback_rate", _closed, OWED & Q(called_back_at__isnull=False), OWED),  # called_back
        Kpi("hotline_satisfaction_rate", _call_backs, SATISFIED, via="ticket__"),  # satisfied
        Kpi("hotline_resolution_rate", _call_backs, Q(data__resolved=True), via="ticket__"),  # resolved
    )
}
# The `ticket_kpis` count behind each provided rate (for the reference tests and the docs).
KPI_CODES = {
    "hotline_direct_rate": "direct",
    "hotline_sign_ontime_rate": "sign_ontime",
    "hotline_ontime_rate": "finish_ontime",
    "hotline_return_rate": "returned",
    "hotline_redo_rate": "reopened",
    "hotline_callback_rate": "called_back",
    "hotline_satisfaction_rate": "satisfied",
    "hotline_resolution_rate": "resolved",
}


def providers() -> list[tuple[Metric, Callable[[Sequence, Period], dict[str, Decimal | None]]]]:
    """(metric, provider) for every 12345 metric, for `HotlineConfig.ready`."""
    return [(metric, KPIS[metric.code].values) for metric in HOTLINE_METRICS]
