"""Reads of bundles (一件事): the public list and detail, and a bundle case with its derived state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from zhengwu.bundles.choices import BundleStatus
from zhengwu.bundles.models import (
    Bundle,
    BundleCase,
    BundleCaseChild,
    BundleMember,
    BundleOption,
    BundleQuestion,
)
from zhengwu.cases.choices import ClockKind, ClockStatus
from zhengwu.cases.models import Case
from zhengwu.cases.selectors import case_list
from zhengwu.common import clock
from zhengwu.common.errors import NotFound
from zhengwu.domain import bundle_rules as br
from zhengwu.domain import deadlines as dl
from zhengwu.workdays.selectors import work_calendar


def _members() -> Prefetch:
    return Prefetch(
        "members",
        queryset=BundleMember.objects.select_related(
            "item", "item__department", "item__region", "item__current_version"
        ).order_by("stage", "order", "id"),
    )


def _questions() -> Prefetch:
    return Prefetch(
        "questions",
        queryset=BundleQuestion.objects.prefetch_related(
            Prefetch("options", queryset=BundleOption.objects.order_by("sort_order", "id"))
        ).order_by("sort_order", "id"),
    )


def bundle_list(*, region_code: str | None = None) -> QuerySet[Bundle]:
    """Active bundles with their region and members (three queries whatever the count)."""
    qs = Bundle.objects.filter(active=True).select_related("region").prefetch_related(_members(), "stages")
    if region_code:
        qs = qs.filter(region__code=region_code)
    return qs


def bundle_get(code: str) -> Bundle:
    """An active bundle with its members (and their items' current versions) and questions."""
    bundle = (
        Bundle.objects.filter(code=code, active=True)
        .select_related("region")
        .prefetch_related(_members(), _questions(), "stages")
        .first()
    )
    if bundle is None:
        raise NotFound("一件事不存在或已停用。")
    return bundle


def _children() -> Prefetch:
    return Prefetch(
        "children",
        queryset=BundleCaseChild.objects.select_related("member", "case", "case__item", "case__department")
        .prefetch_related("case__clocks")
        .order_by("stage", "member__order", "id"),
    )


def child_due(case: Case) -> dt.date | None:
    """When a child case is due: its promised (else statutory) date; in intake, the intake deadline."""
    if case.promised_due or case.statutory_due:
        return case.promised_due or case.statutory_due
    for row in case.clocks.all():
        if row.kind in (ClockKind.INTAKE, ClockKind.IMMEDIATE) and row.status != ClockStatus.STOPPED:
            return row.due_date
    return None


def bundle_case_queryset() -> QuerySet[BundleCase]:
    return BundleCase.objects.select_related("bundle", "bundle__region", "applicant").prefetch_related(
        _children(),
        Prefetch("members", queryset=BundleMember.objects.select_related("item")),
        "bundle__stages",
    )


def bundle_case_list_for_applicant(*, user) -> QuerySet[BundleCase]:
    """A citizen's own bundle cases; staff see none here."""
    if not user.is_authenticated or not user.applicant_id:
        return BundleCase.objects.none()
    return bundle_case_queryset().filter(applicant_id=user.applicant_id)


def bundle_case_list_for_staff(*, user, kind: str = "", search: str = "") -> QuerySet[BundleCase]:
    """Bundle cases with at least one child case in the staff member's scope (handled or received
    there), newest first; optionally of one bundle kind or matching a number or bundle name."""
    if not user.is_authenticated or user.applicant_id:
        return BundleCase.objects.none()
    in_scope = BundleCaseChild.objects.filter(case__in=case_list(user=user).values("pk")).values(
        "bundle_case_id"
    )
    qs = bundle_case_queryset().filter(pk__in=in_scope).order_by("-submitted_at", "-id")
    if kind:
        qs = qs.filter(bundle__kind=kind)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(bundle__name__icontains=search))
    return qs


def bundle_case_get(*, user, number: str) -> BundleCase:
    """A bundle case the person may see: an applicant their own; staff one with a child in their scope."""
    if getattr(user, "applicant_id", None):
        base = bundle_case_list_for_applicant(user=user)
    elif user.is_authenticated:
        base = bundle_case_list_for_staff(user=user)
    else:
        base = BundleCase.objects.none()
    bundle_case = base.filter(number=number).first()
    if bundle_case is None:
        raise NotFound("一件事办件不存在或不在您的数据范围内。")
    return bundle_case


@dataclass(frozen=True)
class BundleCaseState:
    """The derived state of a bundle case: its status, due date and the members not started yet."""

    status: str
    status_label: str
    due: dt.date | None
    children: list[BundleCaseChild]
    pending: list[BundleMember]  # selected members of later stages without a case yet
    timing: br.BundleTiming

    @property
    def finished(self) -> bool:
        return self.status in (BundleStatus.FINISHED, BundleStatus.PARTLY_FINISHED)


def stage_names(bundle: Bundle) -> dict[int, tuple[str, int | None]]:
    """{stage number: (name, time target)} of a bundle's named stages (prefetched `stages`)."""
    return {stage.number: (stage.name, stage.time_target) for stage in bundle.stages.all()}


def bundle_case_state(bundle_case: BundleCase, *, today: dt.date | None = None) -> BundleCaseState:
    """Derive status, due date and the time used against the bundle's targets from the children (uses
    the prefetched rows when there are any)."""
    children = list(bundle_case.children.all())
    started = {child.member_id for child in children}
    pending = [m for m in bundle_case.members.all() if m.pk not in started]
    cases: list[Case] = [child.case for child in children]
    status = br.bundle_status([case.status for case in cases], pending_members=len(pending))
    due = br.bundle_due(child_due(case) for case in cases)
    return BundleCaseState(
        status=status.value,
        status_label=BundleStatus(status.value).label,
        due=due,
        children=children,
        pending=sorted(pending, key=lambda m: (m.stage, m.order, m.pk)),
        timing=_timing(bundle_case, children, status, today or clock.today()),
    )


def _timing(
    bundle_case: BundleCase, children: list[BundleCaseChild], status: br.BundleStatus, today: dt.date
) -> br.BundleTiming:
    calendar = work_calendar(region=bundle_case.bundle.region)
    names = stage_names(bundle_case.bundle)
    numbers = sorted({m.stage for m in bundle_case.members.all()} | {child.stage for child in children})
    return br.bundle_timing(
        [
            br.ChildTiming(
                child.stage,
                child.case.received_on,
                child.case.finished_at.astimezone(clock.LOCAL_TZ).date() if child.case.finished_at else None,
            )
            for child in children
        ],
        submitted=bundle_case.submitted_at.astimezone(clock.LOCAL_TZ).date(),
        today=today,
        finished=status in (br.BundleStatus.FINISHED, br.BundleStatus.PARTLY_FINISHED),
        target=bundle_case.bundle.time_target,
        stages=[(n, names.get(n, (f"第{n}阶段", None))[0], names.get(n, ("", None))[1]) for n in numbers],
        count=lambda a, b: dl.workdays_between(calendar, a, b),
        add=lambda a, n: dl.add_workdays(calendar, a, n)[0],
    )
