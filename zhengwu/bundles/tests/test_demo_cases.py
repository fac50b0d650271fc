"""The demo 一件事 cases are made through the services: a finished one has every stage granted and
delivered, a part-way one has its next stage accepted, an intake one waits at the window."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.bundles import demo_cases
from zhengwu.bundles.models import BundleCase
from zhengwu.bundles.selectors import bundle_case_queryset, bundle_case_state


@pytest.mark.django_db(transaction=True)  # each bundle case commits, so its next stage opens on commit
@pytest.mark.usefixtures("reference_data")  # an earlier transactional test's flush took the seeded rows
def test_demo_bundle_cases_reach_their_planned_points_and_a_second_run_makes_none(restaurant, monkeypatch):
    monkeypatch.setattr(demo_cases, "PLAN", (("restaurant", ("done", "stage:1", "intake")),))
    today = dt.date(2026, 6, 30)
    result = demo_cases.demo_bundle_cases(today=today)
    assert (result.bundle_cases, result.failed) == (3, 0)
    states = sorted(
        (bundle_case_state(bc, today=today) for bc in bundle_case_queryset()), key=lambda s: len(s.children)
    )
    intake, *rest = states
    assert intake.status == "awaiting_intake" and len(intake.children) == 1
    statuses = {s.status: {c.case.status for c in s.children} for s in rest}
    assert statuses["finished"] == {"delivered"}
    assert statuses["in_progress"] == {"delivered", "in_review"}
    assert demo_cases.demo_bundle_cases(today=today).bundle_cases == 0
    assert BundleCase.objects.count() == 3
