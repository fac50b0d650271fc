"""Reads of 12345 tickets, always through the caller's data scope, and the KPIs of DOMAIN §7.

A centre agent sees the tickets of the regions of their centre; a handling unit sees only the
tickets dispatched to a department in its scope (never the caller of a confidential ticket, and
the caller's phone only masked). The public sees a ticket's progress by number + query code and
the mayor's-mailbox letters whose writers agreed to publication.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhengwu.common.errors import NotFound
from zhengwu.domain.hotline_flow import Status
from zhengwu.domain.masking import mask_name, mask_phone
from zhengwu.hotline import choices as c
from zhengwu.hotline.access import acts_for_centre, centre_q, unit_q
from zhengwu.hotline.models import KnowledgeArticle, Ticket, TicketEvent, TicketFile
from zhengwu.organization.models import Department, Region

BOARD_FILTERS = ("overdue", "returned", "extension", "replied", "call_back")


def ticket_list(
    *, user, status: str = "", search: str = "", view: str = "", board: str = ""
) -> QuerySet[Ticket]:
    """Tickets the user may see: their centre's and those dispatched to their departments.

    `view="queue"` keeps only the tickets at the user's units; `board` is one of BOARD_FILTERS.
    """
    scope = unit_q(user) if view == "queue" else centre_q(user) | unit_q(user)
    qs = Ticket.objects.select_related("region", "department").filter(scope)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(title__icontains=search) | Q(topic__icontains=search))
    if board == "overdue":
        qs = qs.filter(Q(sign_overdue=True) | Q(finish_overdue=True)).exclude(status__in=[Status.MERGED])
    elif board == "returned":
        qs = qs.filter(status=Status.RETURNED)
    elif board == "extension":
        qs = qs.filter(extension_state=c.ExtensionState.REQUESTED)
    elif board == "replied":
        qs = qs.filter(status=Status.REPLIED)
    elif board == "call_back":
        qs = qs.filter(
            status__in=[Status.CLOSED, Status.MERGED],
            closed_at__isnull=False,
            call_back_declined=False,
            split_parent__isnull=True,  # split children are called back through their parent
        )
    return qs


def ticket_get_for_user(user, number: str) -> Ticket:
    """The one way an interface fetches a ticket on behalf of a staff member."""
    ticket = (
        ticket_list(user=user).select_related("parent", "split_parent", "item").filter(number=number).first()
        if user.is_authenticated
        else None
    )
    if ticket is None:
        raise NotFound("工单不存在或不在您的数据范围内。")
    return ticket


def ticket_file_get_for_user(user, number: str, file_id: int) -> TicketFile:
    """A file of a ticket the user may see (the centre's, or dispatched to their unit); else NotFound."""
    ticket = ticket_get_for_user(user, number)
    file = TicketFile.objects.filter(ticket=ticket, pk=file_id).first()
    if file is None:
        raise NotFound("附件不存在或不属于该工单。")
    return file


def caller_for(user, ticket: Ticket) -> dict[str, str]:
    """The caller as this person may see them: masked (DOMAIN §11), and hidden from the unit when the
    caller asked for confidentiality. The centre gets the full values only through the audited
    "查看完整信息" (`zhengwu.hotline.pii`)."""
    if ticket.confidential and not acts_for_centre(user, ticket):
        return {"name": "（保密）", "phone": "（保密）", "hidden": "来电人要求保密"}
    return {"name": mask_name(ticket.caller_name), "phone": mask_phone(ticket.caller_phone), "hidden": ""}


def ticket_progress(*, number: str, query_code: str) -> Ticket:
    """The public progress query: a wrong number or code is the same 404 (codes cannot be probed)."""
    ticket = Ticket.objects.select_related("department").filter(number=number.strip()).first()
    if ticket is None or ticket.query_code != (query_code or "").strip().upper():
        raise NotFound("工单编号或查询码不正确。")
    return ticket


def published_letters() -> QuerySet[Ticket]:
    """市长信箱 letters published on the portal: the writer agreed and the reply is in."""
    return (
        Ticket.objects.select_related("department", "region")
        .filter(channel=c.Channel.MAILBOX, publish_consent=True, replied_at__isnull=False)
        .exclude(status=Status.MERGED)
        .order_by("-replied_at")
    )


def knowledge_search(*, text: str, limit: int = 10) -> list[KnowledgeArticle]:
    """Articles whose title, keywords or answer contain every word of `text`."""
    qs = KnowledgeArticle.objects.filter(is_published=True)
    words = [w for w in (text or "").split() if w][:5]
    if not words:
        return []
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(keywords__icontains=word) | Q(answer__icontains=word))
    return list(qs[:limit])


def item_faq(*, item) -> QuerySet[Ticket]:
    """Answered online questions about an item (咨询 via its guide page) the centre published as FAQ."""
    return Ticket.objects.filter(
        item=item, category=c.Category.CONSULT, faq_published=True, replied_at__isnull=False
    ).order_by("-replied_at")


# -- KPIs ----------------------------------------------------------------------------------------


def _rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with two decimals, None when there is nothing to divide by."""
    if not denominator:
        return None
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Kpis:
    """DOMAIN §7 KPIs of a unit over a period, with each numerator and denominator."""

    received: int
    by_category: dict[str, int]
    by_topic: dict[str, int]
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def rate(self, code: str) -> Decimal | None:
        numerator, denominator = self.counts[code]
        return _rate(numerator, denominator)

    @property
    def rates(self) -> dict[str, Decimal | None]:
        return {code: self.rate(code) for code in self.counts}


KPI_LABELS = {
    "direct": "直接办结率",
    "sign_ontime": "按时签收率",
    "finish_ontime": "按时办结率",
    "returned": "退单率",
    "reopened": "重办率",
    "called_back": "回访率",
    "satisfied": "满意率",
    "resolved": "解决率",
}


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    from zhengwu.common.clock import LOCAL_TZ

    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=LOCAL_TZ),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=LOCAL_TZ),
    )


def ticket_kpis(
    *, start: dt.date, end: dt.date, department: Department | None = None, region: Region | None = None
) -> Kpis:
    """KPIs of a department (tickets dispatched to it) or a region subtree over [start, end] (local dates).

    直接办结率 = direct / received; 按时签收率 = signed by the sign-for due / dispatched; 按时办结率 =
    replied by the finish due (extensions included) / due in the period; 退单率 = returned at least
    once / dispatched; 重办率 = reopened / closed; 回访率 = called back / closed and due a call-back;
    满意率 = (满意 + 基本满意) / call-backs; 解决率 = resolved / call-backs. Merged duplicates count
    only in the volumes. 拆单: a region counts the caller's appeal (the parent) once in its volumes and
    closes/call-backs, while each child counts for its department (volume, sign-for, finish, return);
    children are never called back, so they are left out of the closed tickets.
    """
    lo, hi = _local_bounds(start, end)
    qs = Ticket.objects.all()
    if department is not None:
        qs = qs.filter(department=department)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    received = qs.filter(received_at__gte=lo, received_at__lt=hi)
    if department is None:
        received = received.filter(split_parent__isnull=True)
    by_category = dict(received.values_list("category").annotate(n=Count("id")).order_by("category"))
    by_topic = dict(received.exclude(topic="").values_list("topic").annotate(n=Count("id")).order_by("topic"))
    own = qs.exclude(status=Status.MERGED)
    dispatched = own.filter(first_dispatched_at__gte=lo, first_dispatched_at__lt=hi)
    due = own.filter(finish_due_at__gte=lo, finish_due_at__lt=hi)
    split_parent = Exists(Ticket.objects.filter(split_parent=OuterRef("pk")))
    closed = own.filter(closed_at__gte=lo, closed_at__lt=hi, split_parent__isnull=True).filter(
        Q(department__isnull=False) | split_parent
    )
    # Call-backs are journal rows: a reopened ticket's unsatisfied call-back still counts.
    called = TicketEvent.objects.filter(action="call_back", at__gte=lo, at__lt=hi, ticket__in=qs)
    agg = received.exclude(status=Status.MERGED).aggregate(
        total=Count("id"), direct=Count("id", filter=Q(status=Status.DIRECT))
    )
    d = dispatched.aggregate(
        total=Count("id"),
        signed=Count("id", filter=Q(signed_at__isnull=False, sign_overdue=False)),
        returned=Count("id", filter=Q(return_count__gt=0)),
    )
    f = due.aggregate(
        total=Count("id"),
        ontime=Count("id", filter=Q(replied_at__isnull=False, finish_overdue=False)),
    )
    cl = closed.aggregate(
        total=Count("id"),
        reopened=Count("id", filter=Q(redo_count__gt=0)),
        owed=Count("id", filter=Q(call_back_declined=False)),
        done=Count("id", filter=Q(call_back_declined=False, called_back_at__isnull=False)),
    )
    cb = called.aggregate(
        total=Count("id"),
        satisfied=Count(
            "id", filter=Q(data__satisfaction__in=[c.Satisfaction.SATISFIED, c.Satisfaction.BASICALLY])
        ),
        resolved=Count("id", filter=Q(data__resolved=True)),
    )
    counts = {
        "direct": (agg["direct"], agg["total"]),
        "sign_ontime": (d["signed"], d["total"]),
        "finish_ontime": (f["ontime"], f["total"]),
        "returned": (d["returned"], d["total"]),
        "reopened": (cl["reopened"], cl["total"]),
        "called_back": (cl["done"], cl["owed"]),
        "satisfied": (cb["satisfied"], cb["total"]),
        "resolved": (cb["resolved"], cb["total"]),
    }
    return Kpis(received=received.count(), by_category=by_category, by_topic=by_topic, counts=counts)


# -- assessment facts ----------------------------------------------------------------------------

HOTLINE_FACTS = frozenset(
    {"hotline.ontime_rate", "hotline.satisfaction_rate", "hotline.overdue", "hotline.reopened"}
)


@dataclass(frozen=True)
class HotlineFacts:
    """A unit's 12345 facts for the assessment engine: rates as fractions 0–1, counts as (ticket
    number, note) pairs. `has_data` is False when the unit had no ticket in the period at all."""

    has_data: bool
    values: dict[str, Decimal | None]
    counts: dict[str, list[tuple[str, str]]]
    refs: dict[str, tuple[str, ...]]


def hotline_facts(units, period) -> dict[str, HotlineFacts]:
    """{unit key: HotlineFacts} for `metrics.selectors.Unit`s (regions: their subtree; departments:
    the tickets dispatched to them) over `period` (local dates, `period.start`–`period.end`).

    hotline.ontime_rate = 按时办结率 and hotline.satisfaction_rate = 满意率 of `ticket_kpis` ÷ 100;
    hotline.overdue = tickets whose finish clock fell due in the period and that were replied late or
    not at all (`finish_overdue`); hotline.reopened = 重办 events dated in the period.
    """
    from zhengwu.common.clock import LOCAL_TZ

    lo, hi = _local_bounds(period.start, period.end)
    out: dict[str, HotlineFacts] = {}
    for unit in units:
        if unit.kind == "department":
            department, region = Department.objects.filter(pk=unit.pk).first(), None
            scope = Q(department_id=unit.pk)
            if department is None:
                out[unit.key] = HotlineFacts(False, {}, {}, {})
                continue
        else:
            department, region = None, Region.objects.filter(pk=unit.pk).first()
            if region is None:
                out[unit.key] = HotlineFacts(False, {}, {}, {})
                continue
            scope = Q(region__path__startswith=region.path)
        kpis = ticket_kpis(start=period.start, end=period.end, department=department, region=region)
        has_data = kpis.received > 0 or any(denominator for _n, denominator in kpis.counts.values())
        values: dict[str, Decimal | None] = {}
        refs: dict[str, tuple[str, ...]] = {}
        for key, code in (
            ("hotline.ontime_rate", "finish_ontime"),
            ("hotline.satisfaction_rate", "satisfied"),
        ):
            rate = kpis.rate(code)
            values[key] = None if rate is None else rate / Decimal(100)
            if rate is not None:
                numerator, denominator = kpis.counts[code]
                refs[key] = (f"12345{KPI_LABELS[code]} {rate}%（{numerator}/{denominator}，{period.label}）",)
        overdue = (
            Ticket.objects.filter(scope, finish_due_at__gte=lo, finish_due_at__lt=hi, finish_overdue=True)
            .exclude(status=Status.MERGED)
            .order_by("finish_due_at", "number")
            .values_list("number", "finish_due_at")
        )
        reopened = (
            TicketEvent.objects.filter(action="reopen", at__gte=lo, at__lt=hi)
            .filter(**{"ticket__in": Ticket.objects.filter(scope)})
            .order_by("at", "id")
            .values_list("ticket__number", "at")
        )
        counts = {
            "hotline.overdue": [
                (number, f"办结时限 {due.astimezone(LOCAL_TZ).date().isoformat()}") for number, due in overdue
            ],
            "hotline.reopened": [
                (number, f"重办 {at.astimezone(LOCAL_TZ).date().isoformat()}") for number, at in reopened
            ],
        }
        out[unit.key] = HotlineFacts(has_data, values, counts, refs)
    return out
