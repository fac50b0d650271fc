"""Reads of the hall queue: positions and estimates, the hall board, the window console, hall lists.

Estimates follow `zhengwu.domain.queueing`: service time S is the mean of the group's last
`SERVICE_SAMPLES` finished tickets of the last `SERVICE_WINDOW_DAYS` days that were served (开始受理 →
办结); open windows W are the group's active windows that have a staff member assigned.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, QuerySet

from zhengwu.domain import queueing as q
from zhengwu.organization.models import ServiceHall, Window
from zhengwu.queueing.choices import TicketStatus
from zhengwu.queueing.models import QueueTicket, WindowGroup
from zhengwu.queueing.services import local_day, ranks, window_groups

SERVICE_SAMPLES = 20
SERVICE_WINDOW_DAYS = 30
BOARD_NEXT = 5
BOARD_RECENT = 8


def group_list(*, hall: ServiceHall) -> QuerySet[WindowGroup]:
    return WindowGroup.objects.filter(hall=hall, is_active=True).order_by("sort_order", "code")


def open_windows(group_ids: list[int]) -> dict[int, int]:
    """Active windows with a staff member assigned, per group."""
    rows = (
        Window.objects.filter(queue_groups__in=group_ids, is_active=True, staff__isnull=False)
        .values("queue_groups")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["queue_groups"]: row["n"] for row in rows}


def service_seconds(group_ids: list[int], now: dt.datetime) -> dict[int, int]:
    """S per group: the mean of its last served tickets, or the configured default."""
    since = now - dt.timedelta(days=SERVICE_WINDOW_DAYS)
    rows = (
        QueueTicket.objects.filter(
            group__in=group_ids,
            status=TicketStatus.DONE,
            serve_started_at__isnull=False,
            finished_at__gte=since,
        )
        .order_by("-finished_at")
        .values_list("group_id", "serve_started_at", "finished_at")[
            : SERVICE_SAMPLES * max(len(group_ids), 1)
        ]
    )
    samples: dict[int, list[float]] = defaultdict(list)
    for group_id, started, finished in rows:
        if len(samples[group_id]) < SERVICE_SAMPLES:
            samples[group_id].append((finished - started).total_seconds())
    default = int(settings.ZHENGWU_QUEUE_DEFAULT_SERVICE_SECONDS)
    return {gid: q.average_service_seconds(samples.get(gid, []), default=default) for gid in group_ids}


def _waiting(hall_id: int, day: dt.date, group_ids: list[int]) -> dict[int, list[q.Waiting]]:
    rows = QueueTicket.objects.filter(
        hall=hall_id, day=day, group__in=group_ids, status=TicketStatus.WAITING
    ).values_list("pk", "group_id", "priority", "queued_at")
    by_group: dict[int, list[q.Waiting]] = defaultdict(list)
    for pk, group_id, priority, queued_at in rows:
        by_group[group_id].append(q.Waiting(id=pk, priority=priority, queued_at=queued_at))
    return by_group


@dataclass
class Progress:
    """What a citizen sees on the phone: people ahead, the estimate, the window when called."""

    ticket: QueueTicket
    ahead: int | None = None
    wait_minutes: int | None = None
    open_windows: int = 0


def ticket_progress(ticket: QueueTicket, now: dt.datetime) -> Progress:
    progress = Progress(ticket=ticket)
    if ticket.status != TicketStatus.WAITING:
        return progress
    order = ranks()
    waiting = _waiting(ticket.hall_id, ticket.day, [ticket.group_id])[ticket.group_id]
    progress.ahead = q.people_ahead(ticket.pk, waiting, order)
    progress.open_windows = open_windows([ticket.group_id]).get(ticket.group_id, 0)
    progress.wait_minutes = q.estimated_wait_minutes(
        ahead=progress.ahead,
        service_seconds=service_seconds([ticket.group_id], now)[ticket.group_id],
        open_windows=progress.open_windows,
    )
    return progress


@dataclass
class BoardGroup:
    group: WindowGroup
    waiting: int
    next_numbers: list[str]
    wait_minutes: int | None


@dataclass
class BoardWindow:
    window: Window
    number: str = ""
    status: str = ""


@dataclass
class Board:
    hall: ServiceHall
    windows: list[BoardWindow] = field(default_factory=list)
    groups: list[BoardGroup] = field(default_factory=list)
    recent: list[QueueTicket] = field(default_factory=list)
    latest: QueueTicket | None = None


def hall_board(*, hall: ServiceHall, now: dt.datetime) -> Board:
    """The large screen: each window's current number, each group's next numbers, the latest calls.

    Numbers only, never a name. A fixed number of queries whatever the size of the hall.
    """
    day = local_day(now)
    order = ranks()
    groups = list(group_list(hall=hall))
    group_ids = [g.pk for g in groups]
    waiting = _waiting(hall.pk, day, group_ids)
    numbers = dict(
        QueueTicket.objects.filter(hall=hall, day=day, status=TicketStatus.WAITING).values_list(
            "pk", "number"
        )
    )
    windows_open = open_windows(group_ids)
    seconds = service_seconds(group_ids, now)
    board = Board(hall=hall)
    for group in groups:
        line = q.ordered(waiting.get(group.pk, []), order)
        board.groups.append(
            BoardGroup(
                group=group,
                waiting=len(line),
                next_numbers=[numbers[t.id] for t in line[:BOARD_NEXT]],
                wait_minutes=q.estimated_wait_minutes(
                    ahead=len(line),
                    service_seconds=seconds[group.pk],
                    open_windows=windows_open.get(group.pk, 0),
                ),
            )
        )
    current = {
        t.window_id: t
        for t in QueueTicket.objects.filter(
            hall=hall, day=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING], window__isnull=False
        ).order_by("last_called_at")
    }
    for window in (
        Window.objects.filter(hall=hall, is_active=True, queue_groups__isnull=False)
        .distinct()
        .order_by("number")
    ):
        ticket = current.get(window.pk)
        board.windows.append(
            BoardWindow(
                window=window, number=ticket.number if ticket else "", status=ticket.status if ticket else ""
            )
        )
    board.recent = list(
        QueueTicket.objects.filter(hall=hall, day=day, last_called_at__isnull=False, window__isnull=False)
        .select_related("window")
        .order_by("-last_called_at", "-pk")[:BOARD_RECENT]
    )
    board.latest = next((t for t in board.recent if t.status == TicketStatus.CALLED), None)
    return board


@dataclass
class Console:
    """The window console: the current ticket, the waiting line of the window's groups, transfer targets."""

    window: Window
    current: QueueTicket | None
    line: list[QueueTicket]
    groups: list[WindowGroup]
    transfer_groups: list[WindowGroup]
    finished: QueueTicket | None = None


def window_console(*, window: Window, now: dt.datetime) -> Console:
    day = local_day(now)
    order = ranks()
    hall_groups = list(group_list(hall=window.hall))
    mine_ids = set(window_groups(window))
    mine = [g for g in hall_groups if g.pk in mine_ids]
    current = (
        QueueTicket.objects.filter(
            window=window, day=day, status__in=[TicketStatus.CALLED, TicketStatus.SERVING]
        )
        .select_related("group", "item", "case")
        .first()
    )
    tickets = list(
        QueueTicket.objects.filter(
            hall=window.hall_id, day=day, status=TicketStatus.WAITING, group__in=[g.pk for g in mine]
        ).select_related("group", "item")
    )
    tickets.sort(
        key=lambda t: q.order_key(q.Waiting(id=t.pk, priority=t.priority, queued_at=t.queued_at), order)
    )
    finished = None
    if current is None:
        finished = (
            QueueTicket.objects.filter(window=window, day=day, status=TicketStatus.DONE)
            .select_related("case")
            .order_by("-finished_at")
            .first()
        )
    return Console(
        window=window,
        current=current,
        line=tickets,
        groups=mine,
        transfer_groups=[g for g in hall_groups if current is None or g.pk != current.group_id],
        finished=finished,
    )


def hall_tickets(*, hall: ServiceHall, day: dt.date) -> QuerySet[QueueTicket]:
    """All tickets of a hall on a day, for its managers."""
    return (
        QueueTicket.objects.filter(hall=hall, day=day)
        .select_related("group", "window", "case", "transferred_from")
        .order_by("issued_at", "pk")
    )
