"""Rate limits that hold across every server process: one fixed-window counter with an atomic increment.

The counter lives where all workers see it (SECURITY.md §5 "Rate limits", test row 24):

- Redis, when `ZHENGWU_REDIS_URL` is set: `INCR` + `EXPIRE NX` in one MULTI/EXEC;
- otherwise the `common_ratecounter` table: one row per (scope, period, identity), bumped with a single
  `INSERT … ON CONFLICT (name) DO UPDATE SET hits = CASE WHEN slot = new slot THEN hits + 1 ELSE 1 END
  … RETURNING hits` statement, which SQLite (≥ 3.35) and PostgreSQL both run atomically.

Never Django's cache: LocMem counts per process, so three workers would let three times the limit through.

`allow()` keeps its old signature (login, progress query, 12345 forms call it); `check()` also says how
long to wait; `SharedRateThrottle` makes DRF throttles count in the same place; `too_many()` is the 429
page for HTML views. The current time comes from `common.clock`, so frozen tests get exact windows.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from rest_framework.throttling import BaseThrottle

from zhengwu.common import clock

_KEY_MAX = 200
_RATE = re.compile(r"^(\d+)/(s|sec|second|m|min|minute|h|hour|d|day)$")
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Decision:
    allowed: bool
    hits: int
    limit: int
    retry_after: int  # seconds until the window ends (≥ 1)


def counter_key(scope: str, ident: str, period: int) -> str:
    key = f"{scope}:{period}:{ident}"
    if len(key) <= _KEY_MAX:
        return key
    return f"{scope[:60]}:{period}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"


def check(scope: str, ident: str, *, limit: int, period: int = 60) -> Decision:
    """Count one hit for `ident` in the current window of `period` seconds and decide on it."""
    now = clock.now().timestamp()
    window = int(now // period)
    retry_after = max(1, math.ceil((window + 1) * period - now))
    key = counter_key(scope, ident, period)
    hits = _redis_hit(key, window, period) if _redis_url() else _sql_hit(key, window, period)
    return Decision(allowed=hits <= limit, hits=hits, limit=limit, retry_after=retry_after)


def allow(scope: str, ident: str, *, limit: int, period: int = 60) -> bool:
    """Count one hit for `ident` in the current window; False once `limit` hits were counted."""
    return check(scope, ident, limit=limit, period=period).allowed


def client_ip(request: Any) -> str:
    """The address a limit keys on: REMOTE_ADDR, or the one a trusted proxy put in X-Forwarded-For
    (`REST_FRAMEWORK["NUM_PROXIES"]`, default 0 = never trust the header)."""
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "REST_FRAMEWORK", {}).get("NUM_PROXIES") or 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [part.strip() for part in forwarded.split(",") if part.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return remote


def too_many_message(retry_after: int) -> str:
    return f"操作过于频繁，请 {retry_after} 秒后再试。"


def too_many(retry_after: int, message: str = "") -> HttpResponse:
    """A plain 429 answer for HTML views, with `Retry-After`."""
    response = HttpResponse(
        message or too_many_message(retry_after), status=429, content_type="text/plain; charset=utf-8"
    )
    response["Retry-After"] = str(retry_after)
    return response


def purge(*, older_than_seconds: int = 86400) -> int:
    """Delete SQL counters whose window ended more than `older_than_seconds` ago; return how many."""
    from zhengwu.common.models import RateCounter

    cutoff = clock.now().timestamp() - older_than_seconds
    return RateCounter.objects.filter(slot_end__lt=int(cutoff)).delete()[0]


# ---------------------------------------------------------------------------------------------
# DRF


def parse_rate(rate: str) -> tuple[int, int]:
    """ "10/min" → (10, 60)."""
    match = _RATE.match(rate.strip())
    if not match:
        raise ValueError(f"invalid rate: {rate!r}")
    return int(match.group(1)), _PERIODS[match.group(2)[0]]


class SharedRateThrottle(BaseThrottle):
    """A DRF throttle on the shared counter. Subclasses set `scope`, `rate` ("30/min") and `key`:
    "ip" (the client address) or "user" (the signed-in account; an anonymous request is not counted
    by such a throttle), and may limit it to some methods (`methods = ("POST",)`)."""

    scope = ""
    rate = ""
    rate_setting = ""  # a setting that, when present, replaces `rate`
    key = "ip"
    methods: tuple[str, ...] = ()

    def get_rate(self) -> str:
        return str(getattr(settings, self.rate_setting, "") or self.rate) if self.rate_setting else self.rate

    def __init__(self) -> None:
        self.decision: Decision | None = None

    def ident(self, request: Any) -> str:
        user = getattr(request, "user", None)
        if self.key == "user" and user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"ip:{client_ip(request)}"

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.methods and request.method not in self.methods:
            return True
        user = getattr(request, "user", None)
        if self.key == "user" and (user is None or not user.is_authenticated):
            return True
        limit, period = parse_rate(self.get_rate())
        self.decision = check(self.scope, self.ident(request), limit=limit, period=period)
        return self.decision.allowed

    def wait(self) -> float | None:
        return float(self.decision.retry_after) if self.decision else None


# ---------------------------------------------------------------------------------------------
# Backends


def _redis_url() -> str:
    return str(getattr(settings, "REDIS_URL", "") or "")


_redis_client: Any = None
_redis_owner: tuple[int, str] | None = None


def _redis() -> Any:
    """One client per process (a forked worker makes its own) and per URL."""
    global _redis_client, _redis_owner
    owner = (os.getpid(), _redis_url())
    if _redis_client is None or _redis_owner != owner:
        import redis

        _redis_client = redis.Redis.from_url(owner[1], socket_timeout=2, socket_connect_timeout=2)
        _redis_owner = owner
    return _redis_client


def _redis_hit(key: str, window: int, period: int) -> int:
    name = f"zhengwu:ratelimit:{key}:{window}"
    pipe = _redis().pipeline(transaction=True)
    pipe.incr(name)
    pipe.expire(name, period + 5, nx=True)
    hits, _ = pipe.execute()
    return int(hits)


def _sql_hit(key: str, window: int, period: int) -> int:
    from zhengwu.common.models import RateCounter

    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    name, slot, slot_end, hits = q("name"), q("slot"), q("slot_end"), q("hits")
    sql = (
        f"INSERT INTO {table} ({name}, {slot}, {slot_end}, {hits}) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({name}) DO UPDATE SET "
        f"{hits} = CASE WHEN {table}.{slot} = excluded.{slot} THEN {table}.{hits} + 1 ELSE 1 END, "
        f"{slot} = excluded.{slot}, {slot_end} = excluded.{slot_end} "
        f"RETURNING {hits}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, window, (window + 1) * period])
        row = cursor.fetchone()
    return int(row[0])


# ---------------------------------------------------------------------------------------------
# Submissions (cases, reviews, 12345): one budget per account and one per address, shared by the
# portal forms and the API, so switching between them does not double the allowance. The rates are
# settings (ZHENGWU_SUBMIT_RATE_ACCOUNT / _IP): 10 a minute per signed-in account, 60 a minute per client
# address (a service hall's NAT shares one).

SUBMIT_RATE_ACCOUNT = "10/min"
SUBMIT_RATE_IP = "60/min"


def _submit_rate(kind: str) -> tuple[int, int]:
    default = SUBMIT_RATE_ACCOUNT if kind == "account" else SUBMIT_RATE_IP
    return parse_rate(str(getattr(settings, f"ZHENGWU_SUBMIT_RATE_{kind.upper()}", "") or default))


def submission_check(request: Any, scope: str) -> Decision:
    """Count one submission of `scope` for the request's account and address; the stricter verdict."""
    decisions = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        limit, period = _submit_rate("account")
        decisions.append(check(f"{scope}:account", f"user:{user.pk}", limit=limit, period=period))
    limit, period = _submit_rate("ip")
    decisions.append(check(f"{scope}:ip", f"ip:{client_ip(request)}", limit=limit, period=period))
    refused = [decision for decision in decisions if not decision.allowed]
    if refused:
        return max(refused, key=lambda decision: decision.retry_after)
    return decisions[0]


def submission_throttles(scope: str) -> list[type[SharedRateThrottle]]:
    """DRF throttle classes for a submission endpoint: POST only, per account and per address, on the
    same counters as `submission_check(request, scope)`."""
    name = scope.title().replace("_", "")
    account = type(
        f"{name}AccountThrottle",
        (SharedRateThrottle,),
        {
            "scope": f"{scope}:account",
            "rate": SUBMIT_RATE_ACCOUNT,
            "rate_setting": "ZHENGWU_SUBMIT_RATE_ACCOUNT",
            "key": "user",
            "methods": ("POST",),
        },
    )
    address = type(
        f"{name}AddressThrottle",
        (SharedRateThrottle,),
        {
            "scope": f"{scope}:ip",
            "rate": SUBMIT_RATE_IP,
            "rate_setting": "ZHENGWU_SUBMIT_RATE_IP",
            "key": "ip",
            "methods": ("POST",),
        },
    )
    return [account, address]
