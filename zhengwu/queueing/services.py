"""The only write path of the hall queue: one service per action of `zhengwu.domain.queueing`.

Every change re-reads the ticket, asks the transition table, and moves it with a guarded
`UPDATE … WHERE id = ? AND status = ? AND version = ?` (compare-and-set). Zero rows means somebody
acted first: `Conflict` (HTTP 409). Calling the next number retries the pick on such a conflict, so of
two windows pressing 叫号 at once each gets a different ticket (docs/adr/0006-hall-queue.md).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.common.sequences import next_in_sequence
from zhengwu.domain import queueing as q
from zhengwu.organization.models import ServiceHall, User, Window
from zhengwu.queueing.choices import TicketAction, TicketPriority, TicketSource, TicketStatus
from zhengwu.queueing.models import QueueEvent, QueueSequence, QueueTicket, WindowGroup
from zhengwu.queueing.permissions import can_manage_hall, is_staff
from zhengwu.queueing.signals import ticket_finished

CALL_ATTEMPTS = 10
# Sources that may claim a priority class, and who may: appointments only through check-in or staff.
APPOINTMENT_SOURCES = (TicketSource.APPOINTMENT, TicketSource.STAFF)


class Conflict(DomainError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__("conflict", "该号已被其他窗口或他人处理，请刷新后重试。")


def ranks() -> dict[str, int]:
    return q.parse_order(settings.ZHENGWU_QUEUE_PRIORITY_ORDER)


def max_recalls() -> int:
    return int(settings.ZHENGWU_QUEUE_MAX_RECALLS)


def local_day(now: dt.datetime) -> dt.date:
    return now.astimezone(LOCAL_TZ).date()


def _invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid", message, {field: [message]})


def _event(
    ticket: QueueTicket,
    action: str,
    *,
    old: str,
    now: dt.datetime,
    actor: User | None = None,
    window: Window | None = None,
    data: dict | None = None,
) -> QueueEvent:
    return QueueEvent.objects.create(
        ticket=ticket,
        action=action,
        from_status=old,
        to_status=ticket.status,
        window=window if window is not None else ticket.window,
        actor=actor if is_staff(actor) else None,
        at=now,
        data=data or {},
    )


def _fresh(ticket: QueueTicket, version: int | None) -> QueueTicket:
    """The ticket as stored now; a caller's stale copy (`version` drawn on a page) conflicts."""
    fresh = QueueTicket.objects.select_related("hall", "group", "window").filter(pk=ticket.pk).first()
    if fresh is None:
        raise NotFound("排队号不存在。")
    if version is not None and fresh.version != version:
        raise Conflict()
    return fresh


def _target(ticket: QueueTicket, action: str) -> str:
    try:
        return q.next_status(ticket.status, action)
    except q.TransitionNotAllowed as refused:
        raise DomainError("transition_not_allowed", f"{ticket.number}：{refused}") from None


def _guarded_update(ticket: QueueTicket, *, to_status: str, now: dt.datetime, **fields) -> QueueTicket:
    """Compare-and-set on (status, version); the in-memory ticket follows the stored one."""
    updated = QueueTicket.objects.filter(pk=ticket.pk, status=ticket.status, version=ticket.version).update(
        status=to_status, version=F("version") + 1, updated_at=now, **fields
    )
    if not updated:
        raise Conflict()
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.status = to_status
    ticket.version += 1
    return ticket


def _require_window_staff(ticket: QueueTicket, staff: User) -> Window:
    """Only the staff of the window that called the ticket act on it at the window."""
    if not is_staff(staff) or not staff.window_id:
        raise PermissionDenied("您未被分配到窗口，不能处理排队号。")
    if ticket.window_id != staff.window_id:
        raise PermissionDenied(f"{ticket.number} 不是本窗口叫的号。")
    return staff.window


# -- issuing ------------------------------------------------------------------------------------


def group_for_item(*, hall: ServiceHall, item) -> WindowGroup:
    """The active group of the hall the item routes to: one listing the item, else its department."""
    groups = WindowGroup.objects.filter(hall=hall, is_active=True).order_by("sort_order", "code")
    group = groups.filter(items=item).first() or groups.filter(departments=item.department_id).first()
    if group is None:
        raise _invalid("item", f"本大厅没有办理“{item.name}”的窗口组，请到咨询台询问。")
    return group


@transaction.atomic
def ticket_issue(
    *,
    hall: ServiceHall,
    group: WindowGroup | None = None,
    item=None,
    priority: str,
    source: str,
    appointment_ref: str = "",
    now: dt.datetime,
    actor: User | None = None,
) -> QueueTicket:
    """Take a number in `hall`: in `group`, or in the group `item` routes to.

    Appointment check-in (`source="appointment"`, `priority="appointment"`) passes `appointment_ref`.
    A kiosk or phone cannot claim the appointment class; elderly/disabled is self-declared and checked
    by the window (no ID number is collected).
    """
    if priority not in TicketPriority.values:
        raise _invalid("priority", "优先类别无效，请选择普通、老年人优先、残疾人优先或预约。")
    if source not in TicketSource.values:
        raise _invalid("source", "取号方式无效。")
    if priority == TicketPriority.APPOINTMENT and source not in APPOINTMENT_SOURCES:
        raise _invalid("priority", "预约号须在预约签到时领取。")
    if len(appointment_ref) > 64:
        raise _invalid("appointment_ref", "预约编号不得超过64个字符。")
    if group is None:
        if item is None:
            raise _invalid("group", "请选择办理业务（窗口组）或事项。")
        group = group_for_item(hall=hall, item=item)
    elif group.hall_id != hall.pk or not group.is_active:
        raise _invalid("group", "该窗口组不属于本大厅或已停用。")
    day = local_day(now)
    sequence = next_in_sequence(QueueSequence, prefix=f"{hall.pk}-{group.code}", day=day)
    ticket = QueueTicket.objects.create(
        hall=hall,
        group=group,
        day=day,
        number=q.format_number(group.code, sequence),
        priority=priority,
        status=TicketStatus.WAITING,
        source=source,
        appointment_ref=appointment_ref.strip(),
        item=item,
        issued_at=now,
        queued_at=now,
        token=secrets.token_urlsafe(18)[:24],
    )
    _event(ticket, TicketAction.ISSUE, old="", now=now, actor=actor, data={"source": source})
    return ticket


# -- calling ------------------------------------------------------------------------------------


def window_groups(window: Window) -> list[int]:
    return list(
        WindowGroup.objects.filter(windows=window, hall=window.hall_id, is_active=True).values_list(
            "pk", flat=True
        )
    )


def _require_operator(staff: User, window: Window) -> None:
    if not is_staff(staff) or staff.window_id != window.pk:
        raise PermissionDenied("只有该窗口的工作人员可以叫号。")
    if not window.is_active:
        raise PermissionDenied("该窗口已停用，不能叫号。")


def ticket_call_next(*, window: Window, staff: User, now: dt.datetime) -> QueueTicket | None:
    """Call the next waiting ticket of the window's groups (None: nobody waits).

    The pick is made from a snapshot, then taken with compare-and-set; when another window took it
    first, the snapshot is read again and the next ticket is tried.
    """
    _require_operator(staff, window)
    groups = window_groups(window)
    if not groups:
        raise DomainError("no_group", "本窗口未加入任何窗口组，不能叫号。请联系大厅管理员。")
    day = local_day(now)
    busy = (
        QueueTicket.objects.filter(
            window=window, day=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        )
        .only("number")
        .first()
    )
    if busy is not None:
        raise DomainError("window_busy", f"本窗口当前号 {busy.number} 尚未办结，请先办结、过号或转出。")
    order = ranks()
    for _attempt in range(CALL_ATTEMPTS):
        with transaction.atomic():
            mine = QueueTicket.objects.filter(hall=window.hall_id, day=day, group__in=groups)
            rows = list(
                mine.filter(status=TicketStatus.WAITING).values_list("pk", "priority", "queued_at", "version")
            )
            if not rows:
                return None
            max_streak = int(settings.ZHENGWU_QUEUE_MAX_STREAK)
            recent = (
                list(
                    mine.filter(called_at__isnull=False)
                    .order_by("-called_at", "-pk")
                    .values_list("priority", flat=True)[:max_streak]
                )
                if max_streak > 0
                else []
            )
            pick = q.pick_next(
                [q.Waiting(id=pk, priority=p, queued_at=at) for pk, p, at, _v in rows],
                order,
                streak=q.priority_streak(recent, order),
                max_streak=max_streak,
            )
            assert pick is not None  # rows is not empty
            version = next(v for pk, _p, _a, v in rows if pk == pick.id)
            taken = QueueTicket.objects.filter(
                pk=pick.id, status=TicketStatus.WAITING, version=version
            ).update(
                status=TicketStatus.CALLED,
                version=F("version") + 1,
                window=window,
                staff=staff,
                called_at=Coalesce(F("called_at"), Value(now)),
                last_called_at=now,
                updated_at=now,
            )
            if taken:
                ticket = QueueTicket.objects.select_related("group", "window", "item").get(pk=pick.id)
                _event(
                    ticket, TicketAction.CALL, old=TicketStatus.WAITING, now=now, actor=staff, window=window
                )
                return ticket
    raise Conflict()


@transaction.atomic
def ticket_recall(
    *, ticket: QueueTicket, staff: User, now: dt.datetime, version: int | None = None
) -> QueueTicket:
    """重呼: announce the called number again (at most `ZHENGWU_QUEUE_MAX_RECALLS` times)."""
    ticket = _fresh(ticket, version)
    _require_window_staff(ticket, staff)
    to = _target(ticket, TicketAction.RECALL)
    limit = max_recalls()
    if not q.recall_allowed(ticket.recall_count, limit):
        raise DomainError("recall_limit", f"{ticket.number} 已重呼 {ticket.recall_count} 次，请做过号处理。")
    old = ticket.status
    _guarded_update(ticket, to_status=to, now=now, recall_count=ticket.recall_count + 1, last_called_at=now)
    _event(ticket, TicketAction.RECALL, old=old, now=now, actor=staff, data={"recall": ticket.recall_count})
    return ticket


@transaction.atomic
def ticket_skip(
    *, ticket: QueueTicket, staff: User, now: dt.datetime, version: int | None = None
) -> QueueTicket:
    """过号: with recalls left the ticket goes back to the end of its class (queued again now, the
    recalls used are kept); after the last recall it is a no-show (未到), final."""
    ticket = _fresh(ticket, version)
    window = _require_window_staff(ticket, staff)
    _target(ticket, TicketAction.SKIP)
    old = ticket.status
    outcome = q.skip_outcome(ticket.recall_count, max_recalls())
    if outcome == q.Status.NO_SHOW:
        _guarded_update(ticket, to_status=TicketStatus.NO_SHOW, now=now, finished_at=now)
    else:
        _guarded_update(
            ticket, to_status=TicketStatus.WAITING, now=now, queued_at=now, window=None, staff=None
        )
    _event(
        ticket,
        TicketAction.SKIP,
        old=old,
        now=now,
        actor=staff,
        window=window,
        data={"outcome": outcome.value},
    )
    return ticket


@transaction.atomic
def ticket_transfer(
    *, ticket: QueueTicket, to_group: WindowGroup, actor: User, now: dt.datetime, version: int | None = None
) -> QueueTicket:
    """转窗口组: the ticket waits in another group of the same hall, keeping its number and its original
    queue time (it was already waiting that long; it does not go to the back). Recalls start again.

    The window that called it transfers it; a hall manager may transfer any waiting or called ticket.
    """
    ticket = _fresh(ticket, version)
    manager = can_manage_hall(actor, ticket.hall)
    if not manager:
        _require_window_staff(ticket, actor)
    if to_group.hall_id != ticket.hall_id or not to_group.is_active:
        raise _invalid("to_group", "只能转到本大厅启用的窗口组。")
    if to_group.pk == ticket.group_id:
        raise _invalid("to_group", "已在该窗口组，无需转出。")
    to = _target(ticket, TicketAction.TRANSFER)
    old, from_group, window = ticket.status, ticket.group, ticket.window
    _guarded_update(
        ticket,
        to_status=to,
        now=now,
        group=to_group,
        transferred_from=from_group,
        window=None,
        staff=None,
        recall_count=0,
    )
    _event(
        ticket,
        TicketAction.TRANSFER,
        old=old,
        now=now,
        actor=actor,
        window=window,
        data={"from": from_group.code, "to": to_group.code},
    )
    return ticket


@transaction.atomic
def ticket_start_serving(
    *, ticket: QueueTicket, staff: User, now: dt.datetime, version: int | None = None
) -> QueueTicket:
    """开始受理: the person is at the window; the service time starts now."""
    ticket = _fresh(ticket, version)
    _require_window_staff(ticket, staff)
    to = _target(ticket, TicketAction.START)
    old = ticket.status
    _guarded_update(ticket, to_status=to, now=now, serve_started_at=now)
    _event(ticket, TicketAction.START, old=old, now=now, actor=staff)
    return ticket


@transaction.atomic
def ticket_link_case(*, ticket: QueueTicket, case, staff: User, now: dt.datetime) -> QueueTicket:
    """Link the case opened at the window for this ticket (starting the service if not yet started)."""
    ticket = _fresh(ticket, None)
    _require_window_staff(ticket, staff)
    if ticket.status == TicketStatus.CALLED:
        ticket = ticket_start_serving(ticket=ticket, staff=staff, now=now)
    if ticket.status != TicketStatus.SERVING:
        raise DomainError("transition_not_allowed", f"{ticket.number} 不在办理中，不能关联办件。")
    if ticket.case_id and ticket.case_id != case.pk:
        raise DomainError("already_linked", f"{ticket.number} 已关联办件，不能再关联其他办件。")
    old = ticket.status
    _guarded_update(ticket, to_status=old, now=now, case=case)
    _event(ticket, TicketAction.LINK_CASE, old=old, now=now, actor=staff, data={"case": case.number})
    return ticket


@transaction.atomic
def ticket_finish(
    *, ticket: QueueTicket, staff: User, now: dt.datetime, version: int | None = None
) -> QueueTicket:
    """办结 at the window (also straight from 已叫号, e.g. a question answered on the spot)."""
    ticket = _fresh(ticket, version)
    _require_window_staff(ticket, staff)
    to = _target(ticket, TicketAction.FINISH)
    old = ticket.status
    _guarded_update(ticket, to_status=to, now=now, finished_at=now)
    _event(ticket, TicketAction.FINISH, old=old, now=now, actor=staff)
    ticket_finished.send(sender=QueueTicket, ticket=ticket, now=now)
    return ticket


@transaction.atomic
def ticket_cancel(
    *, ticket: QueueTicket, now: dt.datetime, actor: User | None = None, version: int | None = None
) -> QueueTicket:
    """取消: by the citizen holding the ticket's token (`actor` None), the window that called it, or a
    hall manager."""
    ticket = _fresh(ticket, version)
    if actor is not None and is_staff(actor) and not can_manage_hall(actor, ticket.hall):
        _require_window_staff(ticket, actor)
    to = _target(ticket, TicketAction.CANCEL)
    old = ticket.status
    _guarded_update(ticket, to_status=to, now=now, finished_at=now)
    _event(ticket, TicketAction.CANCEL, old=old, now=now, actor=actor)
    return ticket
