"""Idempotency keys for API create operations (SECURITY.md §5 "Idempotency keys", test row 11).

A client sends `Idempotency-Key: <1–255 printable ASCII characters>` with a create operation. The key
belongs to the caller (`principal`: the account, or the client address when anonymous):

- no key → 400 `idempotency_key_missing`;
- first use → the row is claimed (`in_flight`) and committed, then the operation runs in a transaction
  that also stores its answer on the row, so "case created" and "answer stored" commit together;
- the same key again with the same request → the stored answer (same status and body) with
  `Idempotent-Replayed: true`; a request that arrives while the first is still running waits up to
  `ZHENGWU_IDEMPOTENCY_WAIT` seconds (default 10) for it, then gets 409 `idempotency_key_in_flight`;
- the same key with another method, path or body → 422 `idempotency_key_reused`.

Only a 2xx answer is stored. When the operation fails (4xx, 5xx or an exception) the claim is released,
so the client may correct the request and retry with the same key. A claim left behind by a crashed
process is taken over after `ZHENGWU_IDEMPOTENCY_STALE` seconds (default 300). Rows live 24 h
(`ZHENGWU_IDEMPOTENCY_TTL`); `zhengwu purge_idempotency` removes expired ones (expired rows are also
ignored and replaced on the next use of their key).

Use it on an APIView method: `@idempotent` under `@extend_schema(..., parameters=[IDEMPOTENCY_KEY])`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import re
import secrets
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.common.ratelimit import client_ip

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_POLL = 0.05

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    pattern=r"^[!-~]{1,255}$",  # = _KEY: a blank or spaced key is refused, so the schema says so
    description="幂等键（必填，1–255 个可见 ASCII 字符，建议用 UUID）：同一账号用同一个键重复提交只办理一次，"
    "重复请求返回第一次的结果；同一个键配不同的请求内容返回 422；第一次请求尚在处理返回 409。键保留 24 小时。",
)


class IdempotencyError(DomainError):
    def __init__(self, code: str, message: str, status_code: int):
        super().__init__(code, message, {HEADER: [message]})
        self.status_code = status_code


def _settings_seconds(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def principal_for(request: Request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"anon:{client_ip(request)}"


def fingerprint_for(request: Request) -> str:
    """SHA-256 over the method, the path and the parsed body with sorted keys (JSON key order and
    whitespace do not matter; any value does)."""
    data = request.data
    if hasattr(data, "lists"):  # QueryDict from a form or multipart body
        body: Any = {name: values for name, values in data.lists()}
    else:
        body = data
    canonical = json.dumps(
        [request.method, request.path, body], sort_keys=True, ensure_ascii=False, cls=JSONEncoder, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _key_from(request: Request) -> str:
    key = request.headers.get(HEADER, "")
    if not key:
        raise IdempotencyError(
            "idempotency_key_missing",
            f"缺少 {HEADER} 请求头：提交类操作须带幂等键（如一个 UUID），以免重复提交生成两份记录。",
            400,
        )
    if not _KEY.match(key):
        raise IdempotencyError(
            "idempotency_key_invalid", f"{HEADER} 须为 1–255 个可见 ASCII 字符（不含空格）。", 400
        )
    return key


def _replay(row: Any) -> Response:
    response = Response(json.loads(row.response_body), status=row.response_status)
    response[REPLAY_HEADER] = "true"
    return response


def _claim(*, principal: str, key: str, fingerprint: str, request: Any) -> tuple[Any, Any]:
    """Claim the key (returns (claimed row, None)) or find its completed earlier use (returns (None, row))."""
    from zhengwu.common.models import IdempotencyKey

    wait_until = time.monotonic() + _settings_seconds("ZHENGWU_IDEMPOTENCY_WAIT", 10)
    ttl = dt.timedelta(seconds=_settings_seconds("ZHENGWU_IDEMPOTENCY_TTL", 86400))
    stale = dt.timedelta(seconds=_settings_seconds("ZHENGWU_IDEMPOTENCY_STALE", 300))
    while True:
        now = clock.now()
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    principal=principal,
                    key=key,
                    fingerprint=fingerprint,
                    method=request.method or "",
                    path=request.path[:255],
                    expires_at=now + ttl,
                )
            return row, None
        except IntegrityError:
            pass
        row = IdempotencyKey.objects.filter(principal=principal, key=key).first()
        if row is None:  # released between our insert and our read: try again
            continue
        expired = row.expires_at <= now
        abandoned = row.state == IdempotencyKey.State.IN_FLIGHT and row.updated_at <= now - stale
        if expired or abandoned:
            IdempotencyKey.objects.filter(pk=row.pk, updated_at=row.updated_at).delete()
            continue
        if row.fingerprint != fingerprint:
            raise IdempotencyError(
                "idempotency_key_reused",
                f"该 {HEADER} 已用于另一份不同内容的请求，请为新的提交使用新的幂等键。",
                422,
            )
        if row.state == IdempotencyKey.State.DONE:
            return None, row
        if time.monotonic() >= wait_until:
            raise IdempotencyError(
                "idempotency_key_in_flight",
                f"使用该 {HEADER} 的请求正在处理中，请稍后重试。",
                409,
            )
        time.sleep(_POLL)


def _release(row: Any) -> None:
    from zhengwu.common.models import IdempotencyKey

    IdempotencyKey.objects.filter(pk=row.pk, state=IdempotencyKey.State.IN_FLIGHT).delete()


def idempotent(method: Callable[..., Response]) -> Callable[..., Response]:
    """Wrap an APIView handler (post) so it runs at most once per (caller, Idempotency-Key)."""
    from zhengwu.common.models import IdempotencyKey

    @functools.wraps(method)
    def wrapper(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = _key_from(request)
        fingerprint = fingerprint_for(request)
        row, earlier = _claim(
            principal=principal_for(request), key=key, fingerprint=fingerprint, request=request
        )
        if earlier is not None:
            return _replay(earlier)
        try:
            with transaction.atomic():
                response = method(self, request, *args, **kwargs)
                if not 200 <= response.status_code < 300:
                    raise _NotStored(response)
                body = json.dumps(response.data, cls=JSONEncoder, ensure_ascii=False)
                stored = IdempotencyKey.objects.filter(
                    pk=row.pk, state=IdempotencyKey.State.IN_FLIGHT
                ).update(
                    state=IdempotencyKey.State.DONE,
                    response_status=response.status_code,
                    response_body=body,
                    updated_at=clock.now(),
                )
                if stored != 1:  # our claim was taken over as abandoned: the new owner finishes
                    raise _TakenOver()
        except _NotStored as failed:
            _release(row)
            return failed.response
        except _TakenOver:
            raise IdempotencyError(
                "idempotency_key_in_flight", f"使用该 {HEADER} 的请求正在处理中，请稍后重试。", 409
            ) from None
        except BaseException:
            _release(row)
            raise
        return response

    return wrapper


class _NotStored(Exception):
    """Rolls back a non-2xx answer's writes and carries the answer out of the transaction."""

    def __init__(self, response: Response):
        super().__init__(response.status_code)
        self.response = response


class _TakenOver(Exception):
    """Our claim was deleted as abandoned while we ran: roll back and leave the key to its new owner."""


def purge() -> int:
    """Delete expired keys; return how many."""
    from zhengwu.common.models import IdempotencyKey

    return IdempotencyKey.objects.filter(expires_at__lte=clock.now()).delete()[0]


# ---------------------------------------------------------------------------------------------
# HTML forms: a one-time nonce, so a double-clicked submit files one case


_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def form_nonce() -> str:
    """A fresh nonce for a hidden `form_nonce` field of a submission form."""
    return secrets.token_urlsafe(18)


class FormOnce:
    """What `form_once` found: `replay` is the URL the first submission with this nonce led to."""

    def __init__(self, row: Any = None, replay: str | None = None):
        self.row = row
        self.replay = replay
        self.stored = False

    def done(self, url: str) -> None:
        """Record the result URL; call it inside the transaction that makes the submission."""
        from zhengwu.common.models import IdempotencyKey

        if self.row is None:
            return
        self.stored = (
            IdempotencyKey.objects.filter(pk=self.row.pk, state=IdempotencyKey.State.IN_FLIGHT).update(
                state=IdempotencyKey.State.DONE,
                response_status=303,
                response_body=url,
                updated_at=clock.now(),
            )
            == 1
        )


@contextlib.contextmanager
def form_once(request: Any, nonce: str) -> Iterator[FormOnce]:
    """Run a form submission at most once per nonce and account.

    Inside the block: if `once.replay` is set, the same form was already submitted (a double click or a
    re-post): redirect there instead of submitting. Otherwise submit, and call `once.done(url)` in the
    submission's transaction. A failed submission (an exception, or no `done`) frees the nonce so the
    corrected form can be sent again. A form without a valid nonce is submitted as before. A second
    click that arrives while the first is still running waits for it (`ZHENGWU_IDEMPOTENCY_WAIT`).
    """
    if not isinstance(nonce, str) or not _NONCE.match(nonce):
        yield FormOnce()
        return
    fingerprint = hashlib.sha256(f"form {request.path}".encode()).hexdigest()
    row, earlier = _claim(
        principal=principal_for(request), key=f"form:{nonce}", fingerprint=fingerprint, request=request
    )
    if earlier is not None:
        yield FormOnce(replay=earlier.response_body)
        return
    once = FormOnce(row=row)
    try:
        yield once
    except BaseException:
        _release(row)  # the submission's transaction rolled back, `done` with it
        raise
    if not once.stored:
        _release(row)
