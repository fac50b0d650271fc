"""Locust users of SECURITY.md row 23: readers 70 %, clerks 20 %, citizens 10 % against live gunicorn.

Run by `python -m bench.load` (which seeds, starts the server and reads the results), or by hand
against a server seeded the same way:

    LOAD_MANIFEST=manifest.json locust -f bench/load/locustfile.py --headless -u 50 -r 10 -t 10m \
        --host http://127.0.0.1:8000 --csv var/load

Every request is named `<class> <METHOD> <path pattern>` so the statistics group per endpoint and per
class: `page` (HTML, p95 < 800 ms), `api` (JSON, p95 < 500 ms) and `scoring` (county scoring: the
ranking page of a run, and a live run over the year's cases by the API, p95 < 2 s). At the end the `quitting` hook merges the response-time histograms
of each class, writes them to `LOAD_SUMMARY` (JSON) and sets the exit code: non-zero on any failure,
or (with `LOAD_GATE_TIMING=1`) on a class over its p95 budget.

- Readers: the portal (item list and detail, guidance wizard, progress query), the same over the API,
  supervisors' and department heads' dashboard (`/workbench/dashboard/`) and metric table API, and the
  assessor's county scoring: the ranking page of a run (`/workbench/assessment/evaluations/<pk>/`), the
  run over the API, and now and then a new run (`POST /api/v1/assessment/evaluations/`, a draft).
- Clerks (window clerks, one demo account each, round robin): workbench case list and case detail,
  the case list and detail over the API with their token, window intake chained with the material
  check and 受理 (`POST /api/v1/cases/`, `…/actions/materials_check/`, `…/actions/accept/`), and 受理
  of citizens' online submissions taken from the queue.
- Citizens (their own 网上办事 accounts): a draft over the API, a small PDF for each of up to two
  materials, then 提交; and their case's detail.

Each simulated person sends its own `X-Forwarded-For` address (the server runs with
`ZHENGWU_NUM_PROXIES=1`, as behind the hall's reverse proxy), so per-address limits count per person.
A 409 `conflict` from two clerks taking the same online submission is the documented answer to a race
and counts as a success; any other unexpected status, a redirect from a workbench page (a lost
session) or a progress page without its case is a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task
from locust.stats import calculate_response_time_percentile
from stdnum.cn import ric

from reliability.harness import multipart, pdf_bytes

MANIFEST: dict[str, Any] = (
    json.loads(Path(os.environ["LOAD_MANIFEST"]).read_text(encoding="utf-8"))
    if os.environ.get("LOAD_MANIFEST")
    else {}
)
YEAR = MANIFEST.get("year", 2026)  # the period of the metric table: this year, as the dashboard's default
SESSION_COOKIE = os.environ.get("LOAD_SESSION_COOKIE", "__Host-sessionid")
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1,5").split(","))
PDF_SIZE = int(os.environ.get("LOAD_PDF_BYTES", str(30 * 1024)))
# p95 budgets in milliseconds per class of request (SECURITY.md row 23).
BUDGETS = {"page": 800, "api": 500, "scoring": 2000}

_addresses = itertools.count(1)
_turns: dict[str, itertools.count] = {}


def _next(pool: str, items: list[Any]) -> Any:
    """Hand out the accounts of a pool round robin, so simulated people share as few as possible."""
    counter = _turns.setdefault(pool, itertools.count())
    return items[next(counter) % len(items)]


def _id_number(rng: random.Random) -> str:
    body = f"430104{rng.randrange(1960, 2000)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    body += f"{rng.randrange(1000):03d}"
    return body + ric.calc_check_digit(body + "0")


class Person(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        n = next(_addresses)
        self.address = f"10.23.{n // 250 % 250}.{n % 250 + 1}"
        self.rng = random.Random()

    # -- requests -----------------------------------------------------------------------------------

    def page(self, path: str, name: str, *, session: str = "", marker: str = "", kind: str = "page") -> bool:
        """GET an HTML page: 200, no redirect (a redirect means the session was lost), marker in the body."""
        headers = {"X-Forwarded-For": self.address}
        if session:
            headers["Cookie"] = f"{SESSION_COOKIE}={session}"
        with self.client.get(
            path, name=f"{kind} GET {name}", headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return False
            if marker and marker not in (response.text or ""):
                response.failure(f"200 without {marker!r}")
                return False
            response.success()
            return True

    def api(
        self,
        method: str,
        path: str,
        name: str,
        *,
        token: str = "",
        json_body: Any = None,
        body: bytes | None = None,
        content_type: str = "",
        expect: tuple[int, ...] = (200,),
        idempotent: bool = False,
        conflict_ok: bool = False,
        kind: str = "api",
    ) -> Any:
        """One JSON request; its parsed body, or None when it failed (or lost a documented race)."""
        headers = {"X-Forwarded-For": self.address, "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        if idempotent:
            headers["Idempotency-Key"] = str(uuid.uuid4())
        if json_body is not None:
            body = json.dumps(json_body).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        with self.client.request(
            method, path, name=f"{kind} {method} {name}", data=body, headers=headers, catch_response=True
        ) as response:
            status = response.status_code
            if status in expect:
                response.success()
                try:
                    return response.json()
                except ValueError:
                    response.failure("not JSON")
                    return None
            if conflict_ok and status in (400, 409):
                response.success()  # somebody else took the case first: the documented answer
                return None
            response.failure(f"HTTP {status}: {(response.text or '')[:200]}")
            return None


class Reader(Person):
    """The public portal and API, supervisors' dashboards and the county ranking page."""

    weight = 70

    def on_start(self) -> None:
        super().on_start()
        self.supervisor = _next("supervisors", MANIFEST["supervisors"])
        self.assessor = MANIFEST["assessor"]

    def _item(self) -> str:
        return self.rng.choice(MANIFEST["portal_items"])

    @task(3)
    def portal_items(self) -> None:
        self.page("/", "/")

    @task(4)
    def portal_item(self) -> None:
        self.page(f"/items/{self._item()}/", "/items/[code]/")

    @task(2)
    def guidance(self) -> None:
        if MANIFEST["guided_items"]:
            self.page(f"/guidance/{self.rng.choice(MANIFEST['guided_items'])}/", "/guidance/[code]/")

    @task(2)
    def progress_page(self) -> None:
        number, code = self.rng.choice(MANIFEST["progress"])
        self.page(f"/progress/?number={number}&query_code={code}", "/progress/?number=", marker=number)

    @task(2)
    def api_items(self) -> None:
        self.api("GET", f"/api/v1/items/?page={self.rng.randrange(1, 6)}", "/api/v1/items/")

    @task(2)
    def api_item(self) -> None:
        self.api("GET", f"/api/v1/items/{self._item()}/", "/api/v1/items/[code]/")

    @task(1)
    def api_guidance(self) -> None:
        if MANIFEST["guided_items"]:
            code = self.rng.choice(MANIFEST["guided_items"])
            self.api("GET", f"/api/v1/items/{code}/guidance/", "/api/v1/items/[code]/guidance/")

    @task(2)
    def api_progress(self) -> None:
        number, code = self.rng.choice(MANIFEST["progress"])
        self.api("GET", f"/api/v1/progress/?number={number}&query_code={code}", "/api/v1/progress/")

    @task(3)
    def dashboard(self) -> None:
        metric = self.rng.choice(("on_time_rate", "received", "overdue", "online_rate"))
        self.page(
            f"/workbench/dashboard/?metric={metric}",
            "/workbench/dashboard/",
            session=self.supervisor["session"],
        )

    @task(1)
    def api_metrics(self) -> None:
        self.api(
            "GET",
            f"/api/v1/metrics/?period={YEAR}&metrics={MANIFEST['metrics']}",
            "/api/v1/metrics/",
            token=self.supervisor["token"],
        )

    @task(2)
    def ranking(self) -> None:
        if MANIFEST["evaluations"]:
            run = self.rng.choice(MANIFEST["evaluations"])
            self.page(
                f"/workbench/assessment/evaluations/{run['evaluation']}/",
                "/workbench/assessment/evaluations/[pk]/",
                session=self.assessor["session"],
                kind="scoring",
            )

    @task(1)
    def api_evaluation(self) -> None:
        if MANIFEST["evaluations"]:
            run = self.rng.choice(MANIFEST["evaluations"])
            self.api(
                "GET",
                f"/api/v1/assessment/evaluations/{run['evaluation']}/",
                "/api/v1/assessment/evaluations/[id]/",
                token=self.assessor["token"],
            )

    @task(1)
    def scoring_run(self) -> None:
        """An assessor scores the counties live (a draft run over this year's cases)."""
        if MANIFEST["evaluations"]:
            run = self.rng.choice(MANIFEST["evaluations"])
            self.api(
                "POST",
                "/api/v1/assessment/evaluations/",
                "/api/v1/assessment/evaluations/",
                token=self.assessor["token"],
                json_body={"scheme": run["scheme"], "period": str(YEAR), "units": "region"},
                expect=(201,),
                kind="scoring",
            )


class Clerk(Person):
    """A window clerk: the workbench lists, window intake with 受理, and online submissions from the queue."""

    weight = 20

    def on_start(self) -> None:
        super().on_start()
        self.clerk = _next("clerks", MANIFEST["clerks"])
        self.cases: list[str] = list(self.clerk["cases"])

    def _case(self) -> str | None:
        return self.rng.choice(self.cases) if self.cases else None

    @task(3)
    def workbench_list(self) -> None:
        query = self.rng.choice(("", "?queue=mine", "?status=submitted", "?open=true"))
        self.page(f"/workbench/cases/{query}", "/workbench/cases/", session=self.clerk["session"])

    @task(3)
    def workbench_detail(self) -> None:
        number = self._case()
        if number:
            self.page(
                f"/workbench/cases/{number}/",
                "/workbench/cases/[number]/",
                session=self.clerk["session"],
                marker=number,
            )

    @task(2)
    def api_list(self) -> None:
        self.api("GET", "/api/v1/cases/?open=true", "/api/v1/cases/", token=self.clerk["token"])

    @task(2)
    def api_detail(self) -> None:
        number = self._case()
        if number:
            self.api("GET", f"/api/v1/cases/{number}/", "/api/v1/cases/[number]/", token=self.clerk["token"])

    def _check_and_accept(self, case: dict[str, Any], *, conflict_ok: bool = False) -> None:
        number, token = case["number"], self.clerk["token"]
        checks = [{"material_id": m["id"], "status": "received"} for m in case["materials"]]
        if checks:
            checked = self.api(
                "POST",
                f"/api/v1/cases/{number}/actions/materials_check/",
                "/api/v1/cases/[number]/actions/materials_check/",
                token=token,
                json_body={"checks": checks},
                conflict_ok=conflict_ok,
            )
            if checked is None:
                return
        accepted = self.api(
            "POST",
            f"/api/v1/cases/{number}/actions/accept/",
            "/api/v1/cases/[number]/actions/accept/",
            token=token,
            json_body={"comment": "材料齐全，予以受理。"},
            conflict_ok=conflict_ok,
        )
        if accepted is not None:
            self.cases.append(number)

    @task(2)
    def window_intake(self) -> None:
        """收件 at the window, every material received, 受理."""
        case = self.api(
            "POST",
            "/api/v1/cases/",
            "/api/v1/cases/ (window)",
            token=self.clerk["token"],
            json_body={
                "item": self.rng.choice(self.clerk["items"]),
                "channel": "window",
                "applicant": {
                    "kind": "person",
                    "name": "负载申请人",
                    "id_number": _id_number(self.rng),
                    "phone": f"137{self.rng.randrange(10**8):08d}",
                },
            },
            expect=(201,),
            idempotent=True,
        )
        if case is not None:
            self._check_and_accept(case)

    @task(1)
    def accept_online(self) -> None:
        """受理 of an online submission waiting in the clerk's scope (another clerk may take it first)."""
        listed = self.api(
            "GET",
            "/api/v1/cases/?status=submitted&channel=online",
            "/api/v1/cases/?status=submitted",
            token=self.clerk["token"],
        )
        rows = (listed or {}).get("results") or []
        if not rows:
            return
        number = self.rng.choice(rows)["number"]
        case = self.api(
            "GET", f"/api/v1/cases/{number}/", "/api/v1/cases/[number]/", token=self.clerk["token"]
        )
        if case is not None and "accept" in case.get("allowed_actions", []):
            self._check_and_accept(case, conflict_ok=True)


class Citizen(Person):
    """A citizen applying online: draft, upload, submit; then following the case."""

    weight = 10

    def on_start(self) -> None:
        super().on_start()
        self.account = _next("citizens", MANIFEST["citizens"])
        self.mine: list[str] = []

    @task(3)
    def apply(self) -> None:
        token = self.account["token"]
        case = self.api(
            "POST",
            "/api/v1/cases/",
            "/api/v1/cases/ (online draft)",
            token=token,
            json_body={"item": self.rng.choice(MANIFEST["online_items"]), "draft": True},
            expect=(201,),
            idempotent=True,
        )
        if case is None:
            return
        number = case["number"]
        for material in case["materials"][:2]:
            payload, content_type = multipart(
                "file", "申请材料.pdf", pdf_bytes(PDF_SIZE, uuid.uuid4().hex), "application/pdf"
            )
            uploaded = self.api(
                "POST",
                f"/api/v1/cases/{number}/materials/{material['id']}/files/",
                "/api/v1/cases/[number]/materials/[id]/files/",
                token=token,
                body=payload,
                content_type=content_type,
                expect=(201,),
                idempotent=True,
            )
            if uploaded is None:
                return
        submitted = self.api(
            "POST",
            f"/api/v1/cases/{number}/actions/submit/",
            "/api/v1/cases/[number]/actions/submit/",
            token=token,
            json_body={},
            idempotent=True,
        )
        if submitted is not None:
            self.mine.append(number)

    @task(2)
    def my_case(self) -> None:
        if self.mine:
            number = self.rng.choice(self.mine)
            self.api(
                "GET", f"/api/v1/cases/{number}/", "/api/v1/cases/[number]/", token=self.account["token"]
            )

    @task(1)
    def item_page(self) -> None:
        self.page(f"/items/{self.rng.choice(MANIFEST['online_items'])}/", "/items/[code]/")


# -- the verdict ------------------------------------------------------------------------------------


def summary(environment) -> dict[str, Any]:
    """Requests, failures and p50/p95 per endpoint, and per class from the merged histograms of its
    endpoints; taken when Locust quits, so requests finished in the stop timeout count too."""
    classes: dict[str, dict[str, Any]] = {}
    for entry in environment.stats.entries.values():
        kind = entry.name.split(" ", 1)[0]
        merged = classes.setdefault(kind, {"requests": 0, "failures": 0, "times": {}})
        merged["requests"] += entry.num_requests
        merged["failures"] += entry.num_failures
        for ms, count in entry.response_times.items():
            merged["times"][ms] = merged["times"].get(ms, 0) + count
    out: dict[str, Any] = {}
    for kind, merged in sorted(classes.items()):
        total = sum(merged["times"].values())
        out[kind] = {
            "requests": merged["requests"],
            "failures": merged["failures"],
            "p50": calculate_response_time_percentile(merged["times"], total, 0.5) if total else 0,
            "p95": calculate_response_time_percentile(merged["times"], total, 0.95) if total else 0,
            "budget": BUDGETS.get(kind),
        }
    total = environment.stats.total
    endpoints = [
        {
            "name": name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5) if entry.num_requests else 0,
            "p95": entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
            "max": round(entry.max_response_time or 0),
        }
        for name, entry in [
            *((e.name, e) for e in sorted(environment.stats.entries.values(), key=lambda e: e.name)),
            ("合计", total),
        ]
    ]
    return {
        "classes": out,
        "endpoints": endpoints,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "fail_ratio": total.fail_ratio,
        "errors": [
            {"name": error.name, "error": str(error.error), "occurrences": error.occurrences}
            for error in environment.stats.errors.values()
        ],
    }


@events.quitting.add_listener
def _verdict(environment, **_kwargs) -> None:
    result = summary(environment)
    over = [
        kind
        for kind, figures in result["classes"].items()
        if figures["budget"] is not None and figures["p95"] > figures["budget"]
    ]
    gate_timing = os.environ.get("LOAD_GATE_TIMING", "1") == "1"
    result["over_budget"] = over
    result["gate_timing"] = gate_timing
    if os.environ.get("LOAD_SUMMARY"):
        Path(os.environ["LOAD_SUMMARY"]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    environment.process_exit_code = 1 if result["failures"] or (gate_timing and over) else 0
