"""Every URL pattern of the project, for tests that walk the whole site (access matrix, IDOR)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def _walk(patterns, prefix: str = "", namespace: str = ""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or str(entry.pattern)
            view_name = f"{namespace}:{name}" if namespace else name
            converters = dict(getattr(entry.pattern, "converters", {}))
            groups = list(entry.pattern.regex.groupindex)
            yield view_name, prefix + str(entry.pattern), entry.name is not None, converters, groups


def resolver_urls() -> list[tuple[str, str, bool, dict[str, Any], list[str]]]:
    seen: dict[str, tuple] = {}
    for row in _walk(get_resolver().url_patterns):
        seen.setdefault(row[0], row)
    return list(seen.values())
