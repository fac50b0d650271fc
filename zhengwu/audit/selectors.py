"""Reads of the audit log: the viewer's filtered list, the export stream and the chain verification."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from zhengwu.audit.models import AuditEvent
from zhengwu.audit.services import GENESIS, compute_hash

PURGE_ACTION = "audit.purge"


def audit_event_list(
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    actor: str = "",
    action: str = "",
    object_text: str = "",
    result: str = "",
) -> QuerySet[AuditEvent]:
    """Newest first. `actor` matches the username snapshot, `action` an exact code or a family ("case"
    matches "case.accept"), `object_text` the object type or identifier."""
    qs = AuditEvent.objects.all()
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    if actor:
        qs = qs.filter(actor_username__icontains=actor)
    if action:
        qs = qs.filter(Q(action=action) | Q(action__startswith=action.rstrip(".") + "."))
    if object_text:
        qs = qs.filter(Q(object_id__icontains=object_text) | Q(object_type__icontains=object_text))
    if result:
        qs = qs.filter(result=result)
    return qs.order_by("-id")


def audit_event_stream(*, since: dt.datetime | None = None, batch: int = 2000) -> Iterator[AuditEvent]:
    """Oldest first, in id-keyed batches (constant memory over millions of rows)."""
    last_id = 0
    base = AuditEvent.objects.all()
    if since is not None:
        base = base.filter(at__gte=since)
    while True:
        rows = list(base.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


@dataclass(frozen=True)
class ChainBreak:
    """The first row where the chain fails: what was expected, what is stored, and why."""

    id: int
    at: dt.datetime | None
    reason: str
    expected: str
    stored: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_id: int | None
    last_id: int | None
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _start_of_chain(first: AuditEvent) -> ChainBreak | None:
    """The first remaining row links to the genesis value, or to the last row a purge removed."""
    if first.prev_hash == GENESIS and first.id == 1:
        return None
    checkpoint = (
        AuditEvent.objects.filter(action=PURGE_ACTION, object_id=str(first.id - 1)).order_by("-id").first()
    )
    expected = GENESIS
    if checkpoint is not None and isinstance(checkpoint.detail, dict):
        expected = str(checkpoint.detail.get("last_purged_hash", ""))
        if expected == first.prev_hash:
            return None
        reason = f"首条记录的前一条哈希与清理检查点 #{checkpoint.id} 记录的不一致"
    else:
        reason = "首条记录之前的记录缺失，且没有清理检查点"
    return ChainBreak(first.id, first.at, reason, expected, first.prev_hash)


def audit_chain_verify(*, progress: Callable[[int], None] | None = None, batch: int = 2000) -> ChainReport:
    """Walk the chain in id order and return the first broken row, if any: a missing row (gap in ids), a
    `prev_hash` that is not the previous row's hash, or a stored hash that is not the recomputed one."""
    checked = 0
    first_id: int | None = None
    previous: AuditEvent | None = None
    for event in audit_event_stream(batch=batch):
        if previous is None:
            first_id = event.id
            broken = _start_of_chain(event)
            if broken is not None:
                return ChainReport(checked, first_id, event.id, broken)
        else:
            if event.id != previous.id + 1:
                return ChainReport(
                    checked,
                    first_id,
                    event.id,
                    ChainBreak(
                        event.id,
                        event.at,
                        f"记录 #{previous.id + 1} 至 #{event.id - 1} 缺失",
                        f"#{previous.id + 1}",
                        f"#{event.id}",
                    ),
                )
            if event.prev_hash != previous.hash:
                return ChainReport(
                    checked,
                    first_id,
                    event.id,
                    ChainBreak(
                        event.id,
                        event.at,
                        f"前一条哈希与记录 #{previous.id} 的哈希不一致",
                        previous.hash,
                        event.prev_hash,
                    ),
                )
        expected = compute_hash(event)
        if expected != event.hash:
            return ChainReport(
                checked,
                first_id,
                event.id,
                ChainBreak(event.id, event.at, "记录内容与哈希不一致（记录被篡改）", expected, event.hash),
            )
        checked += 1
        previous = event
        if progress is not None and checked % 10000 == 0:
            progress(checked)
    return ChainReport(checked, first_id, previous.id if previous else None, None)
