"""A fixed-window counter in the cache, for pages that have no DRF throttle (e.g. the progress query)."""

from __future__ import annotations

import time

from django.core.cache import cache


def allow(scope: str, ident: str, *, limit: int, period: int = 60) -> bool:
    """Count one hit for `ident` in the current window; False once `limit` hits were counted."""
    window = int(time.time() // period)
    key = f"ratelimit:{scope}:{ident}:{window}"
    cache.add(key, 0, period + 5)
    try:
        hits = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period + 5)
        hits = 1
    return hits <= limit
