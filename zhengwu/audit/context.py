"""The request being served, so that `record()` called from a signal receiver still knows the IP and user."""

from __future__ import annotations

from contextvars import ContextVar

_current: ContextVar = ContextVar("zhengwu_audit_request", default=None)


def current_request():
    return _current.get()


def set_request(request):
    return _current.set(request)


def reset_request(token) -> None:
    _current.reset(token)
