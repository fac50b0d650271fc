"""Keep the daily rollups in step with each change, inside the change's transaction.

Each receiver turns one change into counter deltas following `sources.SOURCES` exactly (same dates,
same attributions), and `counts_add` applies them with one guarded `UPDATE … SET value = value + d`
per row, inserting the row when it is new. The rollup is therefore exact at every commit; a crash
between the change and its deltas is impossible, since both commit or roll back together.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F

from zhengwu.cases.models import Card, Case
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.domain.hall_figures import decided_on_the_spot
from zhengwu.domain.metrics import Counter
from zhengwu.metrics.models import DailyCount, Grain, MonthlyCount
from zhengwu.metrics.sources import ACCEPT_ACTIONS, DECISION_ACTIONS, on_time
from zhengwu.organization.models import Department, User, Window

C = Counter
Delta = tuple[str, int, dt.date, str, int]  # grain, object id, day, counter, delta


def _regions(deltas: list[Delta]) -> dict[tuple[str, int], int | None]:
    """The region each (grain, object) belongs to, in at most three queries."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for grain, object_id, *_ in deltas:
        wanted[grain].add(object_id)
    out: dict[tuple[str, int], int | None] = {}
    if wanted.get(Grain.DEPARTMENT):
        for pk, region in Department.objects.filter(pk__in=wanted[Grain.DEPARTMENT]).values_list(
            "pk", "region_id"
        ):
            out[(Grain.DEPARTMENT, pk)] = region
    if wanted.get(Grain.WINDOW):
        rows = Window.objects.filter(pk__in=wanted[Grain.WINDOW]).values_list(
            "pk", "hall__department__region_id"
        )
        for pk, region in rows:
            out[(Grain.WINDOW, pk)] = region
    if wanted.get(Grain.STAFF):
        for pk, region in User.objects.filter(pk__in=wanted[Grain.STAFF]).values_list(
            "pk", "department__region_id"
        ):
            out[(Grain.STAFF, pk)] = region
    for object_id in wanted.get(Grain.REGION, ()):
        out[(Grain.REGION, object_id)] = object_id
    return out


def counts_add(deltas: Iterable[Delta]) -> None:
    """Add the deltas to the daily rows (summing deltas of the same row first). Objects without a
    region (a staff account outside any department) are not counted, as the rebuild skips them."""
    summed: dict[tuple[str, int, dt.date, str], int] = defaultdict(int)
    for grain, object_id, day, counter, delta in deltas:
        if object_id is not None and day is not None and delta:
            summed[(grain, object_id, day, counter)] += delta
    items = [(key, delta) for key, delta in summed.items() if delta]
    if not items:
        return
    regions = _regions([(*key, delta) for key, delta in items])
    for (grain, object_id, day, counter), delta in items:
        region = regions.get((grain, object_id))
        if region is None:
            continue
        key = {"grain": grain, "object_id": object_id, "counter": counter}
        _add(DailyCount, {**key, "day": day}, region, delta)
        _add(MonthlyCount, {**key, "month": day.replace(day=1)}, region, delta)


def _add(model, match: dict, region: int, delta: int) -> None:
    """value += delta on the row, inserting it when it is new (a concurrent insert is retried as an add)."""
    if model.objects.filter(**match).update(value=F("value") + delta):
        return
    try:
        with transaction.atomic():
            model.objects.create(region_id=region, value=delta, **match)
    except IntegrityError:  # another transaction inserted the row first: add to it
        model.objects.filter(**match).update(value=F("value") + delta)


def _local(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL_TZ).date()


def _staff(actor: User | None) -> int | None:
    return actor.pk if actor is not None and not actor.applicant_id else None


def case_deltas(case: Case, action: str, now: dt.datetime, actor: User | None) -> list[Delta]:
    """The counter deltas of one case transition (see `sources.SOURCES`)."""
    out: list[Delta] = []
    dept, window, staff = case.department_id, case.window_id, _staff(actor)
    D, W, S = Grain.DEPARTMENT, Grain.WINDOW, Grain.STAFF
    if action == "submit":
        day = case.received_on
        out += [
            (D, dept, day, C.RECEIVED, 1),
            (W, window, day, C.RECEIVED, 1),
            (S, staff, _local(now), C.RECEIVED, 1),
        ]
        if case.channel == "online":
            out.append((D, dept, day, C.RECEIVED_ONLINE, 1))
        if case.channel == "window" and window is not None:
            out += [(D, dept, day, C.WINDOW_RECEIVED, 1), (W, window, day, C.WINDOW_RECEIVED, 1)]
        if case.cross_region:
            out += [
                (D, dept, day, C.CROSS_REGION_HANDLED, 1),
                (D, case.intake_department_id, day, C.CROSS_REGION_RECEIVED, 1),
            ]
    if action in ACCEPT_ACTIONS:
        day = case.accepted_on
        out += [
            (D, dept, day, C.ACCEPTED, 1),
            (W, window, day, C.ACCEPTED, 1),
            (S, staff, _local(now), C.ACCEPTED, 1),
        ]
    if action in DECISION_ACTIONS:
        day = case.decided_on
        timely = int(on_time(case))
        used = case.used_workdays or 0
        out += [
            (D, dept, day, C.FINISHED, 1),
            (W, window, day, C.FINISHED, 1),
            (S, staff, _local(now), C.FINISHED, 1),
            (D, dept, day, C.FINISHED_ON_TIME, timely),
            (W, window, day, C.FINISHED_ON_TIME, timely),
            (D, dept, day, C.FINISHED_IMMEDIATE, int(case.case_kind == "immediate")),
            (D, dept, day, C.USED_DAYS, used),
        ]
        if decided_on_the_spot(
            channel=case.channel,
            window_id=window,
            received_on=case.received_on,
            decided_on=case.decided_on,
        ):  # 窗口现场审批, dated by the receipt (= decision) day
            out += [
                (D, dept, case.received_on, C.WINDOW_ON_SPOT, 1),
                (W, window, case.received_on, C.WINDOW_ON_SPOT, 1),
            ]
        if case.legal_workdays is not None:
            out += [
                (D, dept, day, C.FINISHED_WITH_LEGAL, 1),
                (D, dept, day, C.LEGAL_DAYS, case.legal_workdays),
                (D, dept, day, C.LEGAL_USED_DAYS, used),
            ]
    if action == "refuse_intake":
        out.append((D, dept, _local(now), C.REFUSED_INTAKE, 1))
    if action == "request_supplement":
        out.append((D, dept, _local(now), C.SUPPLEMENT_REQUESTED, 1))
    return out


def card_deltas(card: Card, delta: int) -> list[Delta]:
    out: list[Delta] = []
    D = Grain.DEPARTMENT
    if card.level == "yellow":
        out.append((D, card.department_id, card.issued_on, C.CARDS_YELLOW, delta))
    if card.level == "red":
        out.append((D, card.department_id, card.issued_on, C.CARDS_RED, delta))
    if card.rule == "R1":
        out.append((D, card.department_id, card.issued_on, C.OVERDUE, delta))
    return out


# -- receivers -------------------------------------------------------------------------------------------


def on_case_transition(sender, case, action, now, actor=None, **kwargs) -> None:
    counts_add(case_deltas(case, action, now, actor))


def on_card(sender, card, delta, **kwargs) -> None:
    counts_add(card_deltas(card, delta))


def on_bundle_submitted(sender, bundle_case, **kwargs) -> None:
    region = bundle_case.bundle.region_id
    counts_add([(Grain.REGION, region, _local(bundle_case.submitted_at), C.BUNDLE_CASES, 1)])


def on_bundle_finished(sender, bundle_case, **kwargs) -> None:
    if not bundle_case.succeeded:
        return
    kind = bundle_case.bundle.kind
    names = {
        "business_startup": (C.STARTUP_FINISHED, C.STARTUP_DAYS),
        "construction": (C.CONSTRUCTION_FINISHED, C.CONSTRUCTION_DAYS),
    }
    if kind not in names:
        return
    finished, days = names[kind]
    region, day = bundle_case.bundle.region_id, bundle_case.finished_on
    counts_add(
        [
            (Grain.REGION, region, day, finished, 1),
            (Grain.REGION, region, day, days, bundle_case.used_workdays or 0),
        ]
    )
