"""The only entry point of the current time: tests freeze it with `clock.frozen(...)`."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils import timezone

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's local date in Asia/Shanghai, the date legal time limits are counted in."""
    return now().astimezone(LOCAL_TZ).date()


@contextlib.contextmanager
def frozen(at: dt.datetime) -> Iterator[None]:
    global _frozen
    if timezone.is_naive(at):
        at = at.replace(tzinfo=LOCAL_TZ)
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
