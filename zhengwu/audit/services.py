"""The write paths of the audit log: `record` appends one hash-chained row; `audit_purge` removes rows past
the retention and leaves a checkpoint.

    from zhengwu.audit.services import record
    record("role.change", request=request, obj=user, detail={"before": [...], "after": [...]})

`record` writes in the caller's transaction (no audit, no change): if the change rolls back, so does its
record, and if the record cannot be written the change fails with it. Appends are serialised — SQLite by
its IMMEDIATE transactions (settings), PostgreSQL by a transaction-scoped advisory lock — so every row's
`prev_hash` is the hash of the row before it, and its id is the previous id plus one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction

from zhengwu.audit.context import current_request
from zhengwu.audit.models import AuditEvent, AuditPurgeCutoff, AuditResult
from zhengwu.common import clock, ratelimit
from zhengwu.common.crypto import get_backend
from zhengwu.common.errors import DomainError
from zhengwu.domain.masking import mask_id_number, mask_phone

GENESIS = "0" * 64
DENIED_ACTION = "access.denied"
#: Retention floor in days: 网络安全法 Art. 21(3) keeps network logs at least six months.
LEGAL_RETENTION_DAYS = 180
#: pg_advisory_xact_lock key of the audit chain ("zwaudit" in ASCII).
_ADVISORY_LOCK = 0x7A77_6175_6469_74
_SECRET_KEYS = re.compile(r"pass(word)?|secret|token|otp|totp|key", re.IGNORECASE)
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_MAX = {
    "actor_username": 150,
    "role": 200,
    "ip": 45,
    "action": 64,
    "object_type": 100,
    "object_id": 100,
}


# -- what goes into a row ----------------------------------------------------------------------------


def _mask_text(text: str) -> str:
    text = text.replace("\x00", "")
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


def clean_detail(value: Any, *, _key: str = "") -> Any:
    """JSON-safe and masked: a full ID number or mobile number in any string is masked, a key that names a
    secret (password, token, key, OTP) keeps only "***", and values the database's JSON could rewrite
    (floats, decimals, dates) become strings, so the stored detail is exactly what was hashed."""
    if _key and _SECRET_KEYS.search(_key):
        return "***"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return _mask_text(value)
    if isinstance(value, dict):
        return {str(k)[:64]: clean_detail(v, _key=str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [clean_detail(v) for v in items]
    if isinstance(value, float | Decimal | dt.date | dt.datetime | dt.time):
        return _mask_text(value.isoformat() if hasattr(value, "isoformat") else str(value))
    return _mask_text(str(value))


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def row_content(event: AuditEvent) -> dict[str, Any]:
    """The hashed fields of a row, in their canonical form."""
    return {
        "id": event.id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "role": event.role,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "result": event.result,
        "detail": event.detail,
    }


def compute_hash(event: AuditEvent) -> str:
    """HMAC-SM3(audit key, prev_hash ‖ canonical_json(row)) through the crypto backend."""
    return get_backend().audit_mac(event.prev_hash.encode("ascii") + canonical_json(row_content(event)))


def client_ip(request) -> str:
    """The client's address as the rate limits see it (`common.ratelimit.client_ip`: never an address the
    client wrote itself), cut to the column's length."""
    if request is None:
        return ""
    return ratelimit.client_ip(request)[: _MAX["ip"]]


def role_of(actor) -> str:
    """The roles the actor holds at the moment, e.g. "approver,window_clerk"; "applicant" for a citizen."""
    if actor is None:
        return ""
    roles = sorted(str(r) for r in getattr(actor, "role_set", ()))
    if getattr(actor, "is_superuser", False):
        roles.append("superuser")
    if not roles and getattr(actor, "applicant_id", None):
        roles = ["applicant"]
    return ",".join(roles)


# -- writing ----------------------------------------------------------------------------------------------


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])
    # SQLite: the IMMEDIATE transaction (settings.DATABASES OPTIONS) already holds the write lock.


def _append(**fields: Any) -> AuditEvent:
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values("id", "hash").first()
        event = AuditEvent(
            id=(last["id"] + 1) if last else 1,
            at=clock.now().astimezone(dt.UTC),
            prev_hash=last["hash"] if last else GENESIS,
            **fields,
        )
        event.hash = compute_hash(event)
        event.save(force_insert=True)
    return event


def record(
    action: str,
    *,
    request=None,
    actor=None,
    role: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    result: str = "success",
    detail: dict | None = None,
) -> AuditEvent:
    """Append one audit row in the caller's transaction.

    `request` (default: the request being served, if any) gives the IP and, without `actor`, the signed-in
    user; `obj` gives `object_type` ("app_label.Model") and `object_id` (its pk); `role` defaults to the
    actor's current roles. `detail` is masked (`clean_detail`) before it is stored and hashed.
    """
    if result not in AuditResult.values:
        raise ValueError(f"审计结果无效：{result}（应为 success、failure 或 denied）。")
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or str(obj.pk)
    fields = {
        "actor": actor,
        "actor_username": actor.get_username() if actor is not None else "",
        "role": role or role_of(actor),
        "ip": client_ip(request),
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "result": result,
    }
    for name, limit in _MAX.items():
        fields[name] = _mask_text(str(fields[name]))[:limit]
    event = _append(**fields, detail=clean_detail(detail or {}))
    if action == DENIED_ACTION and request is not None:
        request._audit_denial_recorded = True  # AuditMiddleware then adds no second record for the 403
    return event


def record_export(
    request, what: str, *, obj: models.Model | None = None, rows: int | None = None, **detail
) -> AuditEvent:
    """One `export` event for a file handed out by a view: `what` names the export (e.g. "效能监督统计表")."""
    data: dict[str, Any] = {"what": what, "path": request.path if request is not None else "", **detail}
    if rows is not None:
        data["rows"] = rows
    return record("export", request=request, obj=obj, detail=data)


# -- purge --------------------------------------------------------------------------------------------------


def retention_days() -> int:
    return max(int(getattr(settings, "ZHENGWU_AUDIT_RETENTION_DAYS", 365)), LEGAL_RETENTION_DAYS)


def purge_limit(now: dt.datetime) -> dt.datetime:
    """The youngest instant the purge may reach: now minus the retention."""
    return now - dt.timedelta(days=retention_days())


def audit_purge(*, before: dt.datetime, actor=None, now: dt.datetime | None = None) -> AuditEvent | None:
    """Delete the oldest rows recorded before `before` and append an `audit.purge` checkpoint holding the
    last purged id and hash, so the chain still verifies from the first remaining row.

    Refuses a `before` later than now minus the retention (365 days by default, never under 180). Deletes
    the leading run of rows (by id) older than `before`, so the chain loses only its head. Returns the
    checkpoint, or None when nothing was old enough.
    """
    now = now or clock.now()
    limit = purge_limit(now)
    if before > limit:
        raise DomainError(
            "retention",
            f"审计记录须至少保留 {retention_days()} 天：只能清理 {limit.astimezone(clock.LOCAL_TZ):%Y-%m-%d %H:%M} "
            f"之前的记录（网络安全法第二十一条要求不少于六个月）。",
            {"before": ["清理时间点晚于保留期限。"]},
        )
    with transaction.atomic():
        _lock_chain()
        first_young = (
            AuditEvent.objects.filter(at__gte=before).order_by("id").values_list("id", flat=True).first()
        )
        doomed = AuditEvent.objects.filter(at__lt=before)
        if first_young is not None:
            doomed = doomed.filter(id__lt=first_young)
        last = doomed.order_by("-id").values("id", "hash", "at").first()
        if last is None:
            return None
        count = doomed.count()
        AuditPurgeCutoff.objects.update_or_create(id=1, defaults={"cutoff": before})
        # The DELETE trigger admits exactly these rows: older than the cutoff set just above.
        AuditEvent.objects.filter(id__lte=last["id"], at__lt=before).delete()
        AuditPurgeCutoff.objects.filter(id=1).update(cutoff=None)
        return record(
            "audit.purge",
            actor=actor,
            role="" if actor is not None else "cli",
            object_type=AuditEvent._meta.label,
            object_id=str(last["id"]),
            detail={
                "before": before.astimezone(dt.UTC).isoformat(),
                "purged": count,
                "last_purged_id": last["id"],
                "last_purged_hash": last["hash"],
                "last_purged_at": last["at"].astimezone(dt.UTC).isoformat(),
            },
        )
