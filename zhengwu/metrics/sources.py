"""Where each counter comes from: one definition used to compute a figure straight from the source
tables, to rebuild the daily rollups, and to list the records behind a figure (drill-down).

A `Source` names the model, the date that places a row in a day, the rows that count, what is added
(a count or a sum) and, per grain, the field that attributes a row to a unit. `recording.py` applies
the same definitions one change at a time; a test proves the three agree on random data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate

from zhengwu.bundles.choices import BundleKind
from zhengwu.bundles.models import BundleCase
from zhengwu.cases.models import Card, Case, CaseEvent
from zhengwu.catalog.choices import LimitUnit
from zhengwu.catalog.models import ItemVersion
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.domain.metrics import Counter, Period
from zhengwu.metrics.models import Grain

C = Counter

# Actions that accept a case (受理, 容缺受理, 视为受理, 即办) and that decide it.
ACCEPT_ACTIONS = ("accept", "accept_with_deficiency", "deem_accepted", "decide_on_spot")
DECISION_ACTIONS = ("grant", "deny", "decide_on_spot")

# Decided by the promised due date (by the statutory one when there is no promise; on time without either).
ON_TIME = (
    Q(promised_due__gte=F("decided_on"))
    | Q(promised_due__isnull=True, statutory_due__gte=F("decided_on"))
    | Q(promised_due__isnull=True, statutory_due__isnull=True)
)
STAFF_ACTOR = Q(actor__isnull=False, actor__applicant__isnull=True)


def on_time(case: Case) -> bool:
    """`ON_TIME` for one case in memory (the recorder's twin of the query)."""
    due = case.promised_due or case.statutory_due
    return due is None or case.decided_on <= due


@dataclass(frozen=True)
class Source:
    counter: str
    model: type[models.Model]
    date: str  # a DateField, or a DateTimeField counted on its local (Asia/Shanghai) date
    where: Q
    value: Any  # an aggregate expression
    grains: dict[str, str] = field(default_factory=dict)  # grain → the attributing field (FK name)
    datetime: bool = False

    def rows(self) -> models.QuerySet:
        return self.model._default_manager.filter(self.where)

    def day_expression(self) -> Any:
        return TruncDate(self.date, tzinfo=LOCAL_TZ) if self.datetime else F(self.date)

    def in_period(self, qs: models.QuerySet, period: Period) -> models.QuerySet:
        if not self.datetime:
            return qs.filter(**{f"{self.date}__range": (period.start, period.end)})
        start = dt.datetime.combine(period.start, dt.time(), tzinfo=LOCAL_TZ)
        end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)
        return qs.filter(**{f"{self.date}__gte": start, f"{self.date}__lt": end})


COUNT = Count("id")
DEPT = {Grain.DEPARTMENT: "department"}
DEPT_WINDOW = {Grain.DEPARTMENT: "department", Grain.WINDOW: "window"}
WITH_LEGAL = Q(legal_workdays__isnull=False)
USED = Sum(Coalesce("used_workdays", 0))
AT_WINDOW = Q(channel="window", window__isnull=False)

SOURCES: tuple[Source, ...] = (
    Source(C.RECEIVED, Case, "received_on", Q(), COUNT, DEPT_WINDOW),
    Source(C.RECEIVED_ONLINE, Case, "received_on", Q(channel="online"), COUNT, DEPT),
    Source(C.CROSS_REGION_HANDLED, Case, "received_on", Q(cross_region=True), COUNT, DEPT),
    Source(
        C.CROSS_REGION_RECEIVED,
        Case,
        "received_on",
        Q(cross_region=True),
        COUNT,
        {Grain.DEPARTMENT: "intake_department"},
    ),
    Source(C.ACCEPTED, Case, "accepted_on", Q(), COUNT, DEPT_WINDOW),
    Source(C.FINISHED, Case, "decided_on", Q(), COUNT, DEPT_WINDOW),
    Source(C.FINISHED_ON_TIME, Case, "decided_on", ON_TIME, COUNT, DEPT_WINDOW),
    Source(C.FINISHED_IMMEDIATE, Case, "decided_on", Q(case_kind="immediate"), COUNT, DEPT),
    Source(C.USED_DAYS, Case, "decided_on", Q(), USED, DEPT),
    Source(C.FINISHED_WITH_LEGAL, Case, "decided_on", WITH_LEGAL, COUNT, DEPT),
    Source(C.LEGAL_DAYS, Case, "decided_on", WITH_LEGAL, Sum("legal_workdays"), DEPT),
    Source(C.LEGAL_USED_DAYS, Case, "decided_on", WITH_LEGAL, USED, DEPT),
    Source(
        C.REFUSED_INTAKE,
        CaseEvent,
        "at",
        Q(action="refuse_intake"),
        COUNT,
        {Grain.DEPARTMENT: "case__department"},
        datetime=True,
    ),
    Source(
        C.SUPPLEMENT_REQUESTED,
        CaseEvent,
        "at",
        Q(action="request_supplement"),
        COUNT,
        {Grain.DEPARTMENT: "case__department"},
        datetime=True,
    ),
    # 窗口现场审批率 (ADR 0008): window receipts, and those decided on their receipt day, by receipt date.
    Source(C.WINDOW_RECEIVED, Case, "received_on", AT_WINDOW, COUNT, DEPT_WINDOW),
    Source(
        C.WINDOW_ON_SPOT,
        Case,
        "received_on",
        AT_WINDOW & Q(decided_on=F("received_on")),
        COUNT,
        DEPT_WINDOW,
    ),
    Source(C.CARDS_YELLOW, Card, "issued_on", Q(level="yellow", voided=False), COUNT, DEPT),
    Source(C.CARDS_RED, Card, "issued_on", Q(level="red", voided=False), COUNT, DEPT),
    Source(C.OVERDUE, Card, "issued_on", Q(rule="R1", voided=False), COUNT, DEPT),
    Source(
        C.BUNDLE_CASES,
        BundleCase,
        "submitted_at",
        Q(),
        COUNT,
        {Grain.REGION: "bundle__region"},
        datetime=True,
    ),
    Source(
        C.STARTUP_FINISHED,
        BundleCase,
        "finished_on",
        Q(succeeded=True, bundle__kind=BundleKind.BUSINESS_STARTUP),
        COUNT,
        {Grain.REGION: "bundle__region"},
    ),
    Source(
        C.STARTUP_DAYS,
        BundleCase,
        "finished_on",
        Q(succeeded=True, bundle__kind=BundleKind.BUSINESS_STARTUP),
        Sum(Coalesce("used_workdays", 0)),
        {Grain.REGION: "bundle__region"},
    ),
    Source(
        C.CONSTRUCTION_FINISHED,
        BundleCase,
        "finished_on",
        Q(succeeded=True, bundle__kind=BundleKind.CONSTRUCTION),
        COUNT,
        {Grain.REGION: "bundle__region"},
    ),
    Source(
        C.CONSTRUCTION_DAYS,
        BundleCase,
        "finished_on",
        Q(succeeded=True, bundle__kind=BundleKind.CONSTRUCTION),
        Sum(Coalesce("used_workdays", 0)),
        {Grain.REGION: "bundle__region"},
    ),
    # Who received, accepted and decided (staff grain), from the journal.
    Source(
        C.RECEIVED,
        CaseEvent,
        "at",
        Q(action="submit") & STAFF_ACTOR,
        COUNT,
        {Grain.STAFF: "actor"},
        datetime=True,
    ),
    Source(
        C.ACCEPTED,
        CaseEvent,
        "at",
        Q(action__in=ACCEPT_ACTIONS) & STAFF_ACTOR,
        COUNT,
        {Grain.STAFF: "actor"},
        datetime=True,
    ),
    Source(
        C.FINISHED,
        CaseEvent,
        "at",
        Q(action__in=DECISION_ACTIONS) & STAFF_ACTOR,
        COUNT,
        {Grain.STAFF: "actor"},
        datetime=True,
    ),
)


def sources_for(grain: str) -> Iterator[Source]:
    return (s for s in SOURCES if grain in s.grains)


# -- the catalogue snapshot --------------------------------------------------------------------------


def versions_in_force(day: dt.date) -> models.QuerySet[ItemVersion]:
    """The item versions published on or before `day` and not retired by then (one per item)."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL_TZ)
    return ItemVersion.objects.filter(published_at__lt=end).filter(
        Q(retired_at__isnull=True) | Q(retired_at__gte=end)
    )


CATALOG_WD = LimitUnit.WORKING_DAY
_BOTH_LIMITS = Q(
    legal_limit__isnull=False,
    legal_limit_unit=CATALOG_WD,
    promised_limit__isnull=False,
    promised_limit_unit=CATALOG_WD,
)
CATALOG_AGGREGATES = {
    "items": Count("id"),
    "items_depth3": Count("id", filter=Q(online_depth__gte=3)),
    "items_depth4": Count("id", filter=Q(online_depth__gte=4)),
    "items_zero_visit": Count("id", filter=Q(onsite_visits=0)),
    "items_one_visit": Count("id", filter=Q(onsite_visits__lte=1)),
    "items_with_legal": Count("id", filter=_BOTH_LIMITS),
    "items_legal_days": Coalesce(Sum("legal_limit", filter=_BOTH_LIMITS), 0),
    "items_promised_days": Coalesce(Sum("promised_limit", filter=_BOTH_LIMITS), 0),
}


def catalog_counts_by_department(
    versions: models.QuerySet[ItemVersion],
) -> dict[tuple[int, str], dict[str, int]]:
    """The catalogue counters (DOMAIN §5.2 网办深度, 跑动次数, 提速) of a set of versions in force, per
    (department id, the department's region path), in one grouped query."""
    rows = (
        versions.values("item__department_id", "item__department__region__path")
        .annotate(**CATALOG_AGGREGATES)
        .order_by()
    )
    out = {}
    for row in rows:
        key = (row.pop("item__department_id"), row.pop("item__department__region__path"))
        out[key] = {name: int(value or 0) for name, value in row.items()}
    return out
