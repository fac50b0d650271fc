"""Two approvers press 审查通过 on the same case at the same moment: exactly one wins, the other gets 409.

This runs against the live server (real HTTP, token authentication, the server's own threads and,
on PostgreSQL, its own database connections), on SQLite and on PostgreSQL:

    .venv/bin/pytest zhengwu/api/tests/test_case_concurrency.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengwu .venv/bin/pytest zhengwu/api/tests/test_case_concurrency.py

A barrier holds each request right after its view has loaded the case, so both services start from
the same version: the race is forced, not hoped for. On PostgreSQL the two transactions then really
run at once and the row lock plus the version guard decide. The in-memory SQLite test database is
one connection that the live server shares between its threads (pytest-django's `live_server`), so
there the two transactions are taken one after the other, as `BEGIN IMMEDIATE` does with a database
file; the loser still holds the stale version and must get the conflict.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from zhengwu.accounts.services import token_create
from zhengwu.cases import permissions, services
from zhengwu.cases.models import Case, CaseEvent
from zhengwu.cases.tests.factories import accepted_case, at, make_county
from zhengwu.common import clock
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# No proxy from the environment may sit between the test and its own live server.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.fixture
def reference_data():
    """live_server tests flush the database after each test, data-migration rows included: seed again."""
    from importlib import import_module

    from django.apps import apps

    from zhengwu.catalog.models import ItemType
    from zhengwu.workdays.models import CalendarYear

    seeds = {
        "zhengwu.catalog.migrations.0003_seed_item_types": ItemType,
        "zhengwu.workdays.migrations.0002_seed_official_calendar": CalendarYear,
    }
    for module, model in seeds.items():
        if not model.objects.exists():
            import_module(module).seed(apps, None)


def post(url: str, token: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_two_simultaneous_step_passes_one_wins_and_the_other_gets_409(
    live_server, reference_data, monkeypatch
):
    with clock.frozen(at("2026-06-02")):
        county = make_county()
        case = accepted_case(county, day="2026-06-01")
        second = UserFactory(department=county.department, roles=[Role.APPROVER], scope=[county.department])
        tokens = [token_create(user=user)[1] for user in (county.approver, second)]
        version = Case.objects.get(pk=case.pk).version

        barrier = threading.Barrier(2, timeout=20)
        loads = []
        lock = threading.Lock()
        load = permissions.case_get_for_user

        def load_together(user, number):
            fetched = load(user, number)
            with lock:
                loads.append(number)
                first_two = len(loads) <= 2
            if first_two:
                barrier.wait()  # both views hold version `version` before either service runs
            return fetched

        monkeypatch.setattr(permissions, "case_get_for_user", load_together)
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            step_pass, one_at_a_time = services.case_step_pass, threading.Lock()

            def serialised(**kwargs):
                with one_at_a_time:
                    return step_pass(**kwargs)

            monkeypatch.setattr(services, "case_step_pass", serialised)

        url = f"{live_server.url}/api/v1/cases/{case.number}/actions/step_pass/"
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = [pool.submit(post, url, token, {"comment": "审查通过"}) for token in tokens]
            results = sorted((future.result() for future in futures), key=lambda result: result[0])

    (ok_status, ok_body), (conflict_status, conflict_body) = results
    assert (ok_status, conflict_status) == (200, 409), results
    assert ok_body["status"] == "pending_decision"
    assert conflict_body["code"] == "conflict"
    assert "已被他人处理" in conflict_body["message"]
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.version) == ("pending_decision", version + 1)
    assert CaseEvent.objects.filter(case=case, action="step_pass").count() == 1
