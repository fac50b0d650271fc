"""The 大厅 metrics of the metric registry (`zhengwu.domain.hall_figures.HALL_METRICS`) and their providers.

Each provider answers one figure for many units at once, with one grouped query per kind of unit
asked for (no query per unit):

- a region: the tickets and appointments of the halls in its subtree (grouped by the hall's region
  path, folded into the regions in Python);
- a department: the tickets and appointments of its items, and those without an item of the halls it
  runs (grouped by that department);
- a window: the tickets called to it; a staff member: the tickets they called. Appointments are not
  kept by a window or a person, so 预约履约率 and 爽约率 are None for those.

Waits and service times are summed by the database and turned into figures by the domain formulas
(`selectors.TicketFigures`), the same path the manager board takes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from django.db.models import QuerySet
from django.db.models.functions import Coalesce

from zhengwu.common import clock
from zhengwu.domain import hall_figures as hf
from zhengwu.domain.metrics import Metric, Period
from zhengwu.hall_figures import selectors as s

Provider = Callable[[Sequence, Period], dict[str, Decimal | None]]
REGION_PATH = "hall__department__region__path"
DEPARTMENT = Coalesce("item__department_id", "hall__department_id")


def _fold(units: Sequence, rows: list[tuple[str, int | str, object]], zero, add) -> dict[str, object]:
    """Fold (kind, group value, figures) rows into the units: a region takes its subtree's paths."""
    out: dict[str, object] = {}
    for unit in units:
        total = zero
        for kind, value, figures in rows:
            if kind != unit.kind:
                continue
            if (kind == "region" and str(value).startswith(unit.path)) or (
                kind != "region" and value == unit.pk
            ):
                total = add(total, figures)
        out[unit.key] = total
    return out


def _grouped(qs: QuerySet, units: Sequence, aggregates: dict, of, *, people: bool) -> list[tuple]:
    """One grouped query per kind of unit present: (kind, group value, figures)."""
    kinds = {u.kind for u in units}
    rows: list[tuple] = []
    if "region" in kinds:
        paths = [u.path for u in units if u.kind == "region"]
        scoped = qs.filter(s.metric_selectors.paths_q(paths, REGION_PATH))
        for row in scoped.values(REGION_PATH).annotate(**aggregates).order_by():
            rows.append(("region", row[REGION_PATH], of(row)))
    if "department" in kinds:
        wanted = [u.pk for u in units if u.kind == "department"]
        scoped = qs.annotate(unit_department=DEPARTMENT).filter(unit_department__in=wanted)
        for row in scoped.values("unit_department").annotate(**aggregates).order_by():
            rows.append(("department", row["unit_department"], of(row)))
    if people:
        for kind, attr in (("window", "window_id"), ("staff", "staff_id")):
            wanted = [u.pk for u in units if u.kind == kind]
            if wanted:
                for row in (
                    qs.filter(**{f"{attr}__in": wanted}).values(attr).annotate(**aggregates).order_by()
                ):
                    rows.append((kind, row[attr], of(row)))
    return rows


def ticket_figures(units: Sequence, period: Period) -> dict[str, s.TicketFigures]:
    """{unit key: TicketFigures} over the tickets issued in the period."""
    rows = _grouped(s.tickets_in(period), units, s.ticket_aggregates(), s.TicketFigures.of, people=True)
    return _fold(units, rows, s.TicketFigures(), lambda a, b: a + b)  # type: ignore[return-value]


def appointment_tallies(units: Sequence, period: Period) -> dict[str, hf.AppointmentTally | None]:
    """{unit key: AppointmentTally} over the appointments of the period (None for windows and staff)."""
    aggregates = s.appointment_aggregates(clock.now())
    rows = _grouped(s.appointments_in(period), units, aggregates, s.tally_of, people=False)
    folded = _fold(units, rows, hf.AppointmentTally(), lambda a, b: a + b)
    return {u.key: folded[u.key] if u.kind in ("region", "department") else None for u in units}  # type: ignore[misc]


_TICKET_FIGURES: dict[str, Callable[[s.TicketFigures], Decimal | None]] = {
    "hall_tickets": lambda f: Decimal(f.tickets),
    "hall_wait_mean": lambda f: f.wait.mean_minutes,
    "hall_wait_max": lambda f: f.wait.max_minutes,
    "hall_wait_within_rate": lambda f: f.wait.within_target_rate,
    "hall_service_mean": lambda f: f.service.mean_minutes,
}
_APPOINTMENT_FIGURES: dict[str, Callable[[hf.AppointmentTally], Decimal | None]] = {
    "hall_keeping_rate": lambda t: t.keeping_rate,
    "hall_no_show_rate": lambda t: t.no_show_rate,
}


def _provider(code: str) -> Provider:
    if code in _TICKET_FIGURES:
        figure = _TICKET_FIGURES[code]

        def from_tickets(units: Sequence, period: Period) -> dict[str, Decimal | None]:
            return {key: figure(value) for key, value in ticket_figures(units, period).items()}

        return from_tickets
    tally_figure = _APPOINTMENT_FIGURES[code]

    def from_appointments(units: Sequence, period: Period) -> dict[str, Decimal | None]:
        return {
            key: None if tally is None else tally_figure(tally)
            for key, tally in appointment_tallies(units, period).items()
        }

    return from_appointments


def providers() -> list[tuple[Metric, Provider]]:
    """(metric, provider) for every 大厅 metric, for `HallFiguresConfig.ready`."""
    return [(metric, _provider(metric.code)) for metric in hf.HALL_METRICS]
