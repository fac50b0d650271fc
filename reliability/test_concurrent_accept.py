"""Row 10: two to four clerks press 受理 on one case at the same moment; exactly one wins.

Against live gunicorn (3 sync workers) on a temporary SQLite file with the production options, or on a
temporary PostgreSQL database when `DATABASE_URL` names one. Each trial forks 2–4 client processes that
wait on one `multiprocessing.Barrier` and then POST `accept` with their own clerk's token, so the
requests reach the workers together. Per trial: exactly one 200, the others 409 "该件已被他人受理",
never a 5xx; afterwards each case has exactly one accept event in its journal and one `case.accept` row
in the audit log, and its version went up by exactly one. 200 trials; 20 with `RELIABILITY_SCALE=ci`.
"""

from __future__ import annotations

import json
import multiprocessing
import queue

import pytest

from reliability import harness

TRIALS = harness.scaled(full=200, ci=20)
MAX_CONTENDERS = 4


@pytest.fixture(scope="module")
def accept_server(template_site, tmp_path_factory):
    with harness.site(tmp_path_factory.mktemp("accept"), "accept", template_site) as installation:
        seeded = installation.tool("seed", str(TRIALS), str(MAX_CONTENDERS))
        with harness.Server(installation) as server:
            yield installation, server, seeded


def _contender(url: str, token: str, barrier, answers) -> None:
    try:
        barrier.wait(timeout=60)
        status, body = harness.request("POST", url, token=token, json_body={"comment": "受理"}, timeout=120)
    except Exception as failed:  # reported to the parent, which fails the test
        status, body = -1, repr(failed)
    answers.put((status, body))


def _race(url: str, tokens: list[str]) -> list[tuple[int, object]]:
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(tokens))
    answers = context.Queue()
    processes = [context.Process(target=_contender, args=(url, token, barrier, answers)) for token in tokens]
    for process in processes:
        process.start()
    results = []
    try:
        for _ in processes:
            results.append(answers.get(timeout=180))
    except queue.Empty:
        pytest.fail(f"a contender gave no answer; got {results}")
    for process in processes:
        process.join(timeout=30)
    return sorted(results, key=lambda result: result[0])


def test_of_two_to_four_clerks_accepting_one_case_at_once_exactly_one_wins_and_the_rest_get_409(
    accept_server,
):
    installation, server, seeded = accept_server
    failures = []
    for trial, number in enumerate(seeded["cases"]):
        contenders = 2 + trial % (MAX_CONTENDERS - 1)
        url = f"{server.url}/api/v1/cases/{number}/actions/accept/"
        results = _race(url, seeded["tokens"][:contenders])
        statuses = [status for status, _body in results]
        losers = [body for status, body in results if status != 200]
        if statuses.count(200) != 1 or any(status != 409 for status in statuses if status != 200):
            failures.append((number, statuses, losers))
            continue
        for body in losers:
            if not (
                isinstance(body, dict)
                and body.get("code") == "conflict"
                and "该件已被他人受理" in body["message"]
            ):
                failures.append((number, statuses, body))
    assert not failures, f"{len(failures)} of {TRIALS} trials went wrong: {failures[:5]}\n{server.log_tail()}"

    state = installation.tool("accept-state", stdin=json.dumps(seeded["cases"]))
    wrong = {
        number: state.get(number)
        for number, version in seeded["versions"].items()
        if state.get(number)
        != {"status": "in_review", "version": version + 1, "accept_events": 1, "accept_audit": 1}
    }
    assert not wrong, f"cases not accepted exactly once: {list(wrong.items())[:5]}"
    assert "Traceback" not in server.log_tail(1_000_000), server.log_tail()
