"""Reads of cases, always through the caller's data scope (staff) or ownership (applicants)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from zhengwu.cases import choices as c
from zhengwu.cases.models import Card, Case, CaseEvent, CaseMaterial, Certificate, Clock
from zhengwu.common.errors import NotFound
from zhengwu.domain import deadlines as dl
from zhengwu.domain.case_flow import FINISHED
from zhengwu.domain.catalog_rules import material_key
from zhengwu.organization.models import Department
from zhengwu.organization.selectors import department_scope_q
from zhengwu.workdays.selectors import work_calendar

LIST_RELATED = ("item", "department", "region", "applicant", "current_step", "assignee")


def case_list(*, user) -> QuerySet[Case]:
    """Cases a staff member may see: those handled by the departments in their scope, and those their
    departments' windows received for another region (跨域通办). A citizen account sees none here."""
    if not user.is_authenticated or user.applicant_id:
        return Case.objects.none()
    scope = department_scope_q(user, prefix="department__")
    if scope:  # not a see-everything scope: add the cases received here for elsewhere
        received = Department.objects.filter(department_scope_q(user)).values("pk")
        scope |= Q(cross_region=True, intake_department__in=received)
    return Case.objects.select_related(*LIST_RELATED).filter(scope).exclude(status="draft")


def case_list_for_applicant(*, user) -> QuerySet[Case]:
    """A citizen's own cases (drafts included)."""
    if not user.is_authenticated or not user.applicant_id:
        return Case.objects.none()
    return Case.objects.select_related("item", "department").filter(applicant_id=user.applicant_id)


def case_queue(*, user, mine: bool) -> QuerySet[Case]:
    """Open cases waiting for this person (mine) or for their departments (department queue)."""
    qs = case_list(user=user).exclude(status__in=[s.value for s in FINISHED])
    if mine:
        return qs.filter(assignee=user)
    return qs


def case_detail_queryset() -> QuerySet[Case]:
    return Case.objects.select_related(
        *LIST_RELATED,
        "item_version",
        "window",
        "applicant_account",
        "certificate",
        "intake_department",
        "intake_region",
    ).prefetch_related(
        Prefetch(
            "materials", queryset=CaseMaterial.objects.select_related("certificate").prefetch_related("files")
        ),
        Prefetch("clocks", queryset=Clock.objects.select_related("step").prefetch_related("segments")),
        Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        "steps__assignee",
        "steps__opinions__department",
        "steps__joint_departments",
        "cards",
    )


def case_get(*, user, number: str) -> Case:
    """A case the person may see: staff within their scope, an applicant their own; else 404."""
    base = (
        case_list(user=user)
        if not getattr(user, "applicant_id", None)
        else case_list_for_applicant(user=user)
    )
    # Two indexed lookups: as one `pk IN (subquery)` the PostgreSQL planner hash-joins the whole table.
    pk = base.filter(number=number).values_list("pk", flat=True).first()
    case = case_detail_queryset().filter(pk=pk).first() if pk is not None else None
    if case is None:
        raise NotFound("办件不存在或不在您的数据范围内。")
    return case


def case_progress(*, number: str, query_code: str) -> Case:
    """Progress by case number and query code, without signing in (the same answer for any mismatch)."""
    number, query_code = (number or "").strip(), (query_code or "").strip().upper()
    case = (
        Case.objects.select_related("item", "department", "applicant")
        .prefetch_related(Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id")))
        .filter(number=number, query_code=query_code)
        .exclude(status="draft")
        .first()
        if number and query_code
        else None
    )
    if case is None:
        raise NotFound("办件编号或查询码不正确。")
    return case


def card_list(*, user, open_only: bool = False) -> QuerySet[Card]:
    """Cards of the departments in the user's scope (the warning board)."""
    if not user.is_authenticated or user.applicant_id:
        return Card.objects.none()
    qs = Card.objects.select_related("case", "case__item", "department", "clock", "handler").filter(
        department_scope_q(user, prefix="department__")
    )
    if open_only:
        qs = qs.filter(voided=False, closed_on__isnull=True)
    return qs


def case_events(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "actor__department").order_by("at", "id")


def certificate_list_for_holder(*, user) -> QuerySet[Certificate]:
    """The certificates held by a citizen's applicant (the 证照库 of 网上办事); staff see none here."""
    if not user.is_authenticated or not user.applicant_id:
        return Certificate.objects.none()
    return Certificate.objects.select_related("issuer", "case", "case__item").filter(
        holder_id=user.applicant_id
    )


def clock_label(clock: Clock, today: dt.date) -> str:
    """ "第 N 个工作日，剩余 M 个" style summary for a clock (used by pages and the API)."""
    if clock.status == c.ClockStatus.STOPPED:
        return f"已停止（{clock.stopped_on}）"
    if clock.status == c.ClockStatus.PAUSED:
        return "已暂停"
    prefix = "预计 " if clock.provisional else ""
    return f"{prefix}{clock.due_date} 到期"


def clock_explain(*, case: Case, clock: Clock, today: dt.date) -> dl.ClockExplanation:
    """The "计算说明" of a clock: every counted and skipped day, on the case's calendar and ledger."""
    segments = [
        dl.Segment(dl.SegmentKind(row.kind), row.start, row.end, row.days, row.reason)
        for row in clock.segments.all()
    ]
    return dl.explain(
        work_calendar(region=case.region),
        budget=clock.budget,
        start=clock.start_date,
        segments=segments,
        today=today,
    )


def certificates_held(*, applicant_id: int, today: dt.date) -> dict[str, Certificate]:
    """The applicant's valid electronic certificates (not revoked, not expired) by `material_key` of
    their title; of two with the same title the newer wins (免提交 looks materials up here)."""
    held: dict[str, Certificate] = {}
    rows = (
        Certificate.objects.filter(holder_id=applicant_id, revoked_on__isnull=True)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .order_by("-issued_on", "-id")
    )
    for certificate in rows:
        held.setdefault(material_key(certificate.title), certificate)
    return held
