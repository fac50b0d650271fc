"""Provided metrics: figures a module computes from its own tables instead of from counter rollups.

A counter metric adds up over days and units, so the rollups answer it for any unit and period. The
好差评 and 12345 figures do not (a rectification is due by a date, a call-back rate depends on which
tickets closed), so each of those modules registers, from its app's `ready()`, a *provider* per metric:

    provider(units, period) -> {unit.key: Decimal | None}

computed for every unit in one go (one grouped query per provider and call, whatever the number of
units: no query per unit), with None for a unit kind it does not cover (windows, staff) or a ratio
over nothing. `metrics.selectors.unit_metrics` merges provider values for provider-backed codes, so
the dashboard, `zhengwu metrics show`, `GET /api/v1/metrics/` and the assessment facts read them like
any other metric. The metric's definition (`zhengwu.domain.metrics.REVIEW_METRICS` …) is registered
in the domain registry at the same time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from zhengwu.domain import metrics as dm
from zhengwu.domain.metrics import Period

if TYPE_CHECKING:
    from zhengwu.metrics.selectors import Unit

Provider = Callable[[Sequence["Unit"], Period], Mapping[str, Decimal | None]]

PROVIDERS: dict[str, Provider] = {}


def register_provider(metric: dm.Metric, provider: Provider) -> None:
    """Register a provided metric's definition and the function that computes it.

    Registering the same definition again (an app's `ready()` run twice) replaces the provider; a
    different metric under a code already taken, or a counter metric, is refused."""
    if not metric.provided:
        raise ValueError(f"metric {metric.code} is computed from counters, not by a provider")
    existing = dm.METRICS.get(metric.code)
    if existing is None:
        dm.register(metric)
    elif existing != metric:
        raise ValueError(f"metric {metric.code} already registered")
    PROVIDERS[metric.code] = provider


def is_provided(code: str) -> bool:
    return code in PROVIDERS


def provided_values(
    units: Sequence[Unit], period: Period, codes: Sequence[str]
) -> dict[str, dict[str, Decimal | None]]:
    """{unit key: {code: value}} for the provider-backed `codes`: each provider called once."""
    out: dict[str, dict[str, Decimal | None]] = {unit.key: {} for unit in units}
    if not units:
        return out
    for code in dict.fromkeys(codes):
        provider = PROVIDERS.get(code)
        if provider is None:
            continue
        values = provider(units, period)
        for unit in units:
            out[unit.key][code] = values.get(unit.key)
    return out
