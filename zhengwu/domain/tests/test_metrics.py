"""Metric formulas against hand-computed values, and period parsing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhengwu.domain import metrics as dm
from zhengwu.domain.hall_figures import HALL_METRICS


def test_a_ratio_is_a_percentage_with_two_decimals_rounded_half_up() -> None:
    # 2 of 3 finished on time: 66.666… → 66.67
    assert dm.evaluate({"finished": 3, "finished_on_time": 2}, ["on_time_rate"]) == {
        "on_time_rate": Decimal("66.67")
    }


def test_a_ratio_over_nothing_is_no_data_not_zero() -> None:
    assert dm.evaluate({}, ["on_time_rate", "received"]) == {"on_time_rate": None, "received": Decimal(0)}


def test_the_actual_speedup_is_the_saved_share_of_the_legal_days() -> None:
    # two cases with L = 20 and 10, A = 5 and 5: (30 − 10) / 30 = 66.67 %
    counts = {"legal_days": 30, "legal_used_days": 10}
    assert dm.evaluate(counts, ["actual_speedup"])["actual_speedup"] == Decimal("66.67")


def test_the_mean_time_is_working_days_per_finished_case() -> None:
    assert dm.evaluate({"used_days": 7, "finished": 4}, ["mean_days"])["mean_days"] == Decimal("1.75")


def test_the_acceptance_rate_counts_acceptances_against_every_intake_decision() -> None:
    # 9 accepted, 1 refused: 90 %
    assert dm.evaluate({"accepted": 9, "refused_intake": 1}, ["acceptance_rate"])[
        "acceptance_rate"
    ] == Decimal("90.00")


def test_the_promised_speedup_compares_promised_with_legal_limits_of_the_catalogue() -> None:
    # items with L = 20, P = 5 and L = 10, P = 10: (30 − 15) / 30 = 50 %
    counts = {"items_legal_days": 30, "items_promised_days": 15}
    assert dm.evaluate(counts, ["promised_speedup"])["promised_speedup"] == Decimal("50.00")


def test_every_registered_metric_names_known_counters() -> None:
    # Provided metrics (好差评, 12345, 大厅) have no counters: they are one of the domain's provided
    # definitions here, and zhengwu/metrics/tests/test_providers.py checks each has a provider.
    known = {c.value for c in dm.Counter} | set(dm.DERIVED)
    provided = {m.code: m for m in (*dm.REVIEW_METRICS, *dm.HOTLINE_METRICS, *HALL_METRICS)}
    for metric in dm.METRICS.values():
        if metric.provided:
            assert provided.get(metric.code) == metric and metric.counters == (), metric.code
        else:
            assert set(metric.counters) <= known, metric.code


def test_a_provided_metric_is_never_computed_from_counters() -> None:
    for metric in (*dm.REVIEW_METRICS, *dm.HOTLINE_METRICS):
        assert metric.provided and metric.counters == ()
        assert dm.compute(metric, {"received": 5, "": 3}) is None
    codes = [m.code for m in (*dm.REVIEW_METRICS, *dm.HOTLINE_METRICS)]
    assert len(set(codes)) == len(codes) and not set(codes) & {m.code for m in dm._METRICS}


def test_a_provided_metric_is_a_percentage_unless_it_counts() -> None:
    rate = dm.provided_metric("x_rate", "某率", group="12345", doc="…")
    count = dm.provided_metric("x_count", "某量", unit="件", group="12345", doc="…")
    assert (rate.kind, rate.unit, count.kind, count.unit) == (dm.Kind.RATIO, "%", dm.Kind.COUNT, "件")


def test_registering_a_metric_twice_is_refused() -> None:
    with pytest.raises(ValueError):
        dm.register(dm.Metric("received", "重复", dm.Kind.COUNT, "received"))


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026"),
        ("2026-q3", dt.date(2026, 7, 1), dt.date(2026, 9, 30), "2026-Q3"),
        ("2026-2", dt.date(2026, 2, 1), dt.date(2026, 2, 28), "2026-02"),
        ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "2026-12"),
        ("2026-01-05..2026-03-31", dt.date(2026, 1, 5), dt.date(2026, 3, 31), "2026-01-05..2026-03-31"),
    ],
)
def test_periods_are_years_quarters_months_or_ranges(
    text: str, start: dt.date, end: dt.date, label: str
) -> None:
    period = dm.parse_period(text)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize(
    "text", ["", "26", "2026-13", "2026-Q5", "2026-03-31..2026-01-01", "2026-02-30..2026-03-01"]
)
def test_a_bad_period_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(dm.PeriodError) as bad:
        dm.parse_period(text)
    assert "期间" in str(bad.value)
