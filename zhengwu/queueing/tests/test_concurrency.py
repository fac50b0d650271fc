"""Two windows press 叫号 at the same moment: they never get the same ticket.

Runs on SQLite and on PostgreSQL:

    .venv/bin/pytest -p no:xdist zhengwu/queueing/tests/test_concurrency.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengwu_queue .venv/bin/pytest -p no:xdist \
        zhengwu/queueing/tests/test_concurrency.py

The first test forces the race deterministically: while window 1 holds its snapshot of the line (inside
`pick_next`), window 2 calls and takes the same first ticket. Window 1's compare-and-set then matches
no row, it reads the line again and takes the next ticket.

The others run the windows in real threads, each with its own database connection. On PostgreSQL the
transactions really overlap. pytest-django's SQLite test database is in memory with a shared cache,
where a second writer fails at once ("database table is locked") instead of waiting as it does on a
database file (`BEGIN IMMEDIATE` + `busy_timeout`, docs/adr/0002): there, a lock held around each
service call stands in for that wait.
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from zhengwu.queueing import services
from zhengwu.queueing.models import QueueEvent, QueueTicket
from zhengwu.queueing.tests.factories import at, issue, make_hall

pytestmark = pytest.mark.django_db(transaction=True)


def _writer_lock():
    return threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()


def _run_together(calls):
    barrier = threading.Barrier(len(calls), timeout=20)

    def run(fn):
        try:
            barrier.wait()  # start together
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return [f.result(timeout=120) for f in [pool.submit(run, fn) for fn in calls]]


def test_a_window_whose_pick_was_taken_meanwhile_retries_and_gets_the_next_ticket(monkeypatch):
    h = make_hall()
    first, second = issue(h, when=at(9, 0)), issue(h, when=at(9, 1))
    original = services.q.pick_next
    picks, taken_meanwhile = [], []

    def pick_then_race(*args, **kwargs):
        chosen = original(*args, **kwargs)
        picks.append(chosen.id)
        if len(picks) == 1:  # window 1 holds its snapshot; window 2 calls now
            taken_meanwhile.append(services.ticket_call_next(window=h.w2, staff=h.clerk2, now=at(10)))
        return chosen

    monkeypatch.setattr(services.q, "pick_next", pick_then_race)
    mine = services.ticket_call_next(window=h.w1, staff=h.clerk1, now=at(10))
    assert picks == [first.pk, first.pk, second.pk]  # w1, w2, then w1 again after its conflict
    assert taken_meanwhile[0].pk == first.pk and mine.pk == second.pk
    assert dict(QueueTicket.objects.values_list("pk", "window_id")) == {first.pk: h.w2.pk, second.pk: h.w1.pk}
    assert QueueEvent.objects.filter(action="call").count() == 2


def test_two_windows_calling_at_once_in_threads_get_different_tickets():
    h = make_hall()
    first, second = issue(h, when=at(9, 0)), issue(h, when=at(9, 1))
    lock = _writer_lock()

    def call(clerk):
        with lock:
            return services.ticket_call_next(window=clerk.window, staff=clerk, now=at(10))

    results = _run_together([lambda: call(h.clerk1), lambda: call(h.clerk2)])
    assert sorted(t.pk for t in results) == sorted([first.pk, second.pk])
    stored = dict(QueueTicket.objects.values_list("pk", "window_id"))
    assert stored == {results[0].pk: h.w1.pk, results[1].pk: h.w2.pk}


def test_many_calls_from_three_windows_hand_out_each_ticket_once():
    h = make_hall()
    tickets = [issue(h, when=at(9, m)) for m in range(6)] + [issue(h, group=h.b, when=at(9, 10))]

    lock = _writer_lock()

    def window_loop(clerk):
        taken = []
        for minute in range(10):
            with lock:
                ticket = services.ticket_call_next(window=clerk.window, staff=clerk, now=at(10, minute))
            if ticket is None:
                break
            taken.append(ticket.pk)
            with lock:
                services.ticket_finish(ticket=ticket, staff=clerk, now=at(10, minute))
        return taken

    results = _run_together([lambda c=c: window_loop(c) for c in (h.clerk1, h.clerk2, h.clerk3)])
    handed = [pk for taken in results for pk in taken]
    assert sorted(handed) == sorted(t.pk for t in tickets)
    assert results[2] == [tickets[-1].pk]  # window 3 serves group B only
