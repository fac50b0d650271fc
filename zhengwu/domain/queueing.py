"""The hall queue (取号叫号) as pure rules: priority classes, call order, fairness, position, wait estimate.

Ordering. Every waiting ticket has a priority class and a `queued_at` moment (its issue time; kept on a
transfer, reset only when a window passes over it, see `skip_outcome`). The key is
`(rank of the class, queued_at, id)`: a lower rank is called first, then first come first served, the id
breaking ties of the same instant. Default ranks (`DEFAULT_ORDER`, configurable with
`ZHENGWU_QUEUE_PRIORITY_ORDER`, e.g. ``"appointment,elderly|disabled,normal"``):

    0 appointment (预约)   1 elderly 70+ (老年人) and disabled (残疾人) alike   2 normal (普通)

Fairness. Strict priority could starve normal tickets on a busy morning. After `max_streak` (default 3)
priority calls in a row in the same groups, the oldest normal ticket is called next if one waits; the
streak is counted on the tickets called most recently (newest first) up to the first normal one.
`max_streak = 0` turns the rule off. Positions and estimates use the plain key (no streak), so they are
an upper bound for normal tickets and can be one call too short for priority ones: an estimate, said so.

Wait estimate. ``wait = ceil(ahead × S / W / 60)`` minutes, where `ahead` is the number of tickets
called before this one by the key, `S` the average service time in seconds of the group's recent
finished tickets (`average_service_seconds`: the mean of the last samples, rounded half up; the default
when fewer than `min_samples` exist) and `W` the number of open windows of the group. No open window:
no estimate (None). The first in line (ahead = 0) waits 0 minutes: called as soon as a window is free.

Recalls and no-shows. A called ticket may be recalled `max_recalls` times (default 2). A skip (过号)
before that puts the ticket back at the end of its class (`queued_at` = now, the recalls it used are
kept); a skip after the last recall marks it a no-show (未到), which is final.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final


class Priority(StrEnum):
    APPOINTMENT = "appointment"
    ELDERLY = "elderly"
    DISABLED = "disabled"
    NORMAL = "normal"


PRIORITY_LABELS: Final[Mapping[Priority, str]] = {
    Priority.APPOINTMENT: "预约",
    Priority.ELDERLY: "老年人优先（70周岁以上）",
    Priority.DISABLED: "残疾人优先",
    Priority.NORMAL: "普通",
}


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


STATUS_LABELS: Final[Mapping[Status, str]] = {
    Status.WAITING: "等候中",
    Status.CALLED: "已叫号",
    Status.SERVING: "办理中",
    Status.DONE: "已办结",
    Status.NO_SHOW: "过号未到",
    Status.CANCELLED: "已取消",
}

OPEN: Final = frozenset({Status.WAITING, Status.CALLED, Status.SERVING})
FINAL: Final = frozenset({Status.DONE, Status.NO_SHOW, Status.CANCELLED})


class Action(StrEnum):
    CALL = "call"
    RECALL = "recall"
    SKIP = "skip"
    TRANSFER = "transfer"
    START = "start"
    FINISH = "finish"
    CANCEL = "cancel"


ACTION_LABELS: Final[Mapping[Action, str]] = {
    Action.CALL: "叫号",
    Action.RECALL: "重呼",
    Action.SKIP: "过号",
    Action.TRANSFER: "转窗口组",
    Action.START: "开始受理",
    Action.FINISH: "办结",
    Action.CANCEL: "取消",
}

# (status, action) → status after the action; SKIP's result depends on the recalls (see skip_outcome).
TRANSITIONS: Final[Mapping[tuple[Status, Action], Status]] = {
    (Status.WAITING, Action.CALL): Status.CALLED,
    (Status.CALLED, Action.RECALL): Status.CALLED,
    (Status.CALLED, Action.SKIP): Status.WAITING,
    (Status.WAITING, Action.TRANSFER): Status.WAITING,
    (Status.CALLED, Action.TRANSFER): Status.WAITING,
    (Status.CALLED, Action.START): Status.SERVING,
    (Status.CALLED, Action.FINISH): Status.DONE,
    (Status.SERVING, Action.FINISH): Status.DONE,
    (Status.WAITING, Action.CANCEL): Status.CANCELLED,
    (Status.CALLED, Action.CANCEL): Status.CANCELLED,
}


class TransitionNotAllowed(Exception):
    def __init__(self, status: str, action: str) -> None:
        label = STATUS_LABELS.get(Status(status), status) if status in Status._value2member_map_ else status
        verb = ACTION_LABELS.get(Action(action), action) if action in Action._value2member_map_ else action
        super().__init__(f"当前状态（{label}）不能执行“{verb}”。")
        self.status = status
        self.action = action


def next_status(status: str, action: str) -> Status:
    try:
        return TRANSITIONS[(Status(status), Action(action))]
    except (KeyError, ValueError):
        raise TransitionNotAllowed(status, action) from None


DEFAULT_ORDER: Final = "appointment,elderly|disabled,normal"
DEFAULT_MAX_STREAK: Final = 3
DEFAULT_MAX_RECALLS: Final = 2
DEFAULT_SERVICE_SECONDS: Final = 600
DEFAULT_MIN_SAMPLES: Final = 3


def parse_order(text: str) -> dict[str, int]:
    """Ranks from ``"a,b|c,d"``: commas separate ranks, ``|`` joins classes of equal rank.

    Every class must appear exactly once, or ValueError (a configuration error, in Chinese).
    """
    ranks: dict[str, int] = {}
    for rank, part in enumerate(p.strip() for p in text.split(",")):
        for name in (n.strip() for n in part.split("|")):
            if name not in Priority._value2member_map_:
                raise ValueError(f"取号优先顺序中有未知的类别：{name or '（空）'}。")
            if name in ranks:
                raise ValueError(f"取号优先顺序中类别重复：{name}。")
            ranks[name] = rank
    missing = [p.value for p in Priority if p.value not in ranks]
    if missing:
        raise ValueError(f"取号优先顺序缺少类别：{'、'.join(missing)}。")
    return ranks


@dataclass(frozen=True)
class Waiting:
    """A waiting ticket as the ordering sees it."""

    id: int
    priority: str
    queued_at: dt.datetime


def order_key(ticket: Waiting, ranks: Mapping[str, int]) -> tuple[int, dt.datetime, int]:
    return (ranks[ticket.priority], ticket.queued_at, ticket.id)


def ordered(waiting: Iterable[Waiting], ranks: Mapping[str, int]) -> list[Waiting]:
    return sorted(waiting, key=lambda t: order_key(t, ranks))


def is_priority(priority: str, ranks: Mapping[str, int]) -> bool:
    """Whether a class is served ahead of normal tickets (its rank is lower than normal's)."""
    return ranks[priority] < ranks[Priority.NORMAL]


def priority_streak(recent_called: Sequence[str], ranks: Mapping[str, int]) -> int:
    """How many of the latest calls (classes, newest first) were priority ones, up to the first normal."""
    streak = 0
    for priority in recent_called:
        if not is_priority(priority, ranks):
            break
        streak += 1
    return streak


def pick_next(
    waiting: Iterable[Waiting], ranks: Mapping[str, int], *, streak: int, max_streak: int
) -> Waiting | None:
    """The ticket to call: the first by the key, unless `streak` priority calls in a row reached
    `max_streak` and a normal ticket waits, which is then called (the oldest normal one)."""
    line = ordered(waiting, ranks)
    if not line:
        return None
    first = line[0]
    if max_streak > 0 and streak >= max_streak and is_priority(first.priority, ranks):
        for ticket in line:
            if not is_priority(ticket.priority, ranks):
                return ticket
    return first


def people_ahead(ticket_id: int, waiting: Iterable[Waiting], ranks: Mapping[str, int]) -> int:
    """How many waiting tickets come before `ticket_id` by the key (0: next to be called)."""
    line = ordered(waiting, ranks)
    for index, ticket in enumerate(line):
        if ticket.id == ticket_id:
            return index
    raise ValueError(f"号票 {ticket_id} 不在等候队列中。")


def average_service_seconds(
    durations: Sequence[float],
    *,
    default: int = DEFAULT_SERVICE_SECONDS,
    min_samples: int = DEFAULT_MIN_SAMPLES,
) -> int:
    """Mean of the service times in seconds, rounded half up; `default` below `min_samples` samples."""
    if len(durations) < max(min_samples, 1):
        return default
    mean = sum((Decimal(str(d)) for d in durations), Decimal(0)) / len(durations)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def estimated_wait_minutes(*, ahead: int, service_seconds: int, open_windows: int) -> int | None:
    """``ceil(ahead × S / W / 60)`` minutes; None when no window of the group is open."""
    if ahead < 0 or service_seconds < 0:
        raise ValueError("等候人数和服务时长不能为负数。")
    if open_windows <= 0:
        return None
    return math.ceil(ahead * service_seconds / open_windows / 60)


def recall_allowed(recall_count: int, max_recalls: int) -> bool:
    return recall_count < max_recalls


def skip_outcome(recall_count: int, max_recalls: int) -> Status:
    """WAITING (back at the end of its class) while recalls are left, NO_SHOW after the last one."""
    return Status.NO_SHOW if recall_count >= max_recalls else Status.WAITING


def format_number(prefix: str, sequence: int) -> str:
    """``A`` + 3 digits (``A007``); more digits past 999 (``A1000``)."""
    if sequence < 1:
        raise ValueError("号码序号须从 1 开始。")
    return f"{prefix}{sequence:03d}"
