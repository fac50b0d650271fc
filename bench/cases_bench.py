"""Case intake and progress queries over HTTP on PostgreSQL, against the same work done by raw SQL.

    python -m bench.cases_bench                         # 20,000 demo cases, 2,000 requests of each kind
    python -m bench.cases_bench --cases 1000000         # the full run (generation takes minutes)
    python -m bench                                     # every benchmark; this one with its defaults

Steps, each timed and printed:

1. drop and create the database `zhengwu_bench` (or `--db zhengwu_bench_…`, never another one) on
   ZHENGWU_BENCH_PG (default postgres://postgres@127.0.0.1:5432), `zhengwu migrate`,
   `zhengwu demo --cases 0`;
2. generate the demo cases with `zhengwu.cases.demo_data` — the generator of `zhengwu demo` — writing
   through PostgreSQL COPY with foreign-key triggers off for the load (session_replication_role =
   replica; the generator's rows are consistent by construction), one worker process per CPU;
3. start `zhengwu runserver --noreload` (threaded; production settings: ZHENGWU_DEBUG=0, and
   ZHENGWU_DB_CONN_MAX_AGE=0 because runserver's thread per request would otherwise leave one open
   PostgreSQL connection per finished request) on a free port of 127.0.0.1 and wait for it;
4. (a) case intake: `POST /api/v1/cases/` as a window clerk (token auth), a new applicant each time;
   baseline: the rows that intake writes (sequence, case, materials, two events, intake clock)
   inserted with psycopg in one transaction per case;
   (b) progress: `GET /api/v1/progress/?number=&query_code=` for random existing cases, and the portal
   page `/progress/?number=&query_code=`; baseline: the two SELECTs of `cases.selectors.case_progress`
   with psycopg.
   Requests go through urllib from `--threads` threads; each kind is bounded by `--requests` and
   `--seconds`. Figures: requests/s, p50 and p99 latency, and the ratio to the raw-SQL baseline.

The progress API allows 30 queries a minute per client address; DRF identifies the client by
X-Forwarded-For when no proxy count is configured, so the bench sends each query from a different
address, as thousands of citizens behind the hall's proxy would arrive. Nothing here runs in the test
suite; the server and the database are local, and the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DB_NAME = "zhengwu_bench"
SERVER = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent
ZHENGWU = Path(sys.executable).with_name("zhengwu")
CLERK = "heshan_clerk1"
REGION = "430903000000"  # 赫山区


@dataclass
class Figures:
    label: str
    latencies: list[float]
    failures: int
    seconds: float
    errors: Counter[str]

    @property
    def done(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def say(text: str) -> None:
    print(text, flush=True)


def drive(label: str, calls: Sequence[Callable[[], bool | str]], threads: int, limit: float) -> Figures:
    """Run the calls from `threads` threads; stop taking new ones after `limit` seconds."""
    latencies: list[float] = []
    failures = 0
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    started = time.perf_counter()
    cursor = iter(calls)

    def worker() -> None:
        nonlocal failures
        while time.perf_counter() - started < limit:
            with lock:
                call = next(cursor, None)
            if call is None:
                return
            begin = time.perf_counter()
            try:  # a call returns True, or what went wrong
                outcome = call()
                ok, why = outcome is True, str(outcome)
            except Exception as error:  # a failed request is counted, not fatal
                ok, why = False, f"{type(error).__name__} {getattr(error, 'message', '')}".strip()
            elapsed = time.perf_counter() - begin
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    failures += 1
                    errors[why] += 1

    with ThreadPoolExecutor(threads) as pool:
        for _ in range(threads):
            pool.submit(worker)
    return Figures(label, latencies, failures, time.perf_counter() - started, errors)


# -- the database --------------------------------------------------------------------------------


def recreate_database(server: str, name: str) -> None:
    import psycopg

    if not re.fullmatch(rf"{DB_NAME}[a-z0-9_]*", name):  # never drop anything else
        raise SystemExit(f"数据库名必须以 {DB_NAME} 开头：{name}")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


class CopySink:
    """Writes the generator's rows with COPY; foreign-key triggers are off for the load (bench only)."""

    def __init__(self) -> None:
        from zhengwu.cases.demo_data import InsertSink

        self._converter = InsertSink().converter

    def converter(self, field: Any) -> Callable[[Any], Any] | None:
        return self._converter(field)

    def write(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        from django.db import connection

        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            with cursor.cursor.copy(
                f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)


def generate(count: int, certificates: int) -> None:
    from django.db import connection

    from zhengwu.cases.demo_data import demo_cases_generate
    from zhengwu.common import clock

    started = time.perf_counter()
    result = demo_cases_generate(
        count=count, today=clock.today(), certificates=certificates, progress=say, sink=CopySink(), reset=True
    )
    say(result.summary())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"生成 {count:,} 件并 ANALYZE：{time.perf_counter() - started:.1f} 秒")


# -- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(ZHENGWU), "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/regions/", timeout=2):
                return process
        except (OSError, urllib.error.URLError):
            if process.poll() is not None:
                raise RuntimeError("服务未能启动") from None
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("服务 60 秒内未就绪")


def expect(wanted: int, status: int, body: bytes) -> bool | str:
    return True if status == wanted else f"HTTP {status}"


def request(
    url: str, *, data: dict | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# -- the workloads -------------------------------------------------------------------------------


def person_ids(n: int, rng: random.Random) -> list[str]:
    from stdnum.cn import ric

    seen: set[str] = set()
    while len(seen) < n:
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randrange(0, 40 * 365))
        body = f"430104{birth:%Y%m%d}{rng.randrange(1000):03d}"  # 岳麓区: none of the demo applicants
        seen.add(body + ric.calc_check_digit(body + "0"))
    return sorted(seen)


def intake_items() -> list[tuple[str, int]]:
    """赫山区's published items that are not 即办件 (implementation code, version id)."""
    from zhengwu.catalog.models import ServiceItem

    return list(
        ServiceItem.objects.filter(
            region__code=REGION, status="active", current_version__status="published"
        ).values_list("implementation_code", "current_version_id")
    )


def raw_intake(dsn: str, rows: list[tuple[Any, ...]], threads: int, limit: float) -> Figures:
    """The rows of one intake, by hand: sequence, case, materials, two events, the intake clock."""
    import psycopg

    local = threading.local()
    now = dt.datetime.now(dt.UTC)
    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()

    def connection() -> psycopg.Connection:
        if not hasattr(local, "conn"):
            local.conn = psycopg.connect(dsn)
        return local.conn

    def one(row: tuple[Any, ...]) -> Callable[[], bool]:
        item_id, version_id, department_id, region_id, applicant_id, materials = row

        def call() -> bool:
            conn = connection()
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(
                    "INSERT INTO cases_casesequence (prefix, day, last) VALUES ('999903', %s, 1) "
                    "ON CONFLICT (prefix, day) DO UPDATE SET last = cases_casesequence.last + 1 RETURNING last",
                    (today,),
                )
                (seq,) = cur.fetchone()
                cur.execute(
                    "INSERT INTO cases_case (created_at, updated_at, number, query_code, item_id, item_version_id,"
                    " department_id, region_id, applicant_id, agent_name, agent_id_number, agent_phone,"
                    " contact_phone, channel, case_kind, form_data, status, version, commitment_mode,"
                    " deficiency_mode, deemed_accepted, supplement_notice_late, received_on, received_at,"
                    " decision_reason, refusal_reason, delivery_mode, delivery_address, post_check_result,"
                    " due_provisional, paused, warning) VALUES (%s, %s, %s, 'RAWSQL', %s, %s, %s, %s, %s, '', '',"
                    " '', '', 'window', 'promised', '{}', 'submitted', 1, false, false, false, false, %s, %s,"
                    " '', '', '', '', '', false, false, 'none') RETURNING id",
                    (
                        now,
                        now,
                        f"999903-{today:%Y%m%d}-{seq:06d}",
                        item_id,
                        version_id,
                        department_id,
                        region_id,
                        applicant_id,
                        today,
                        now,
                    ),
                )
                (case_id,) = cur.fetchone()
                cur.executemany(
                    "INSERT INTO cases_casematerial (created_at, updated_at, case_id, material_id, name,"
                    " necessity, sort_order, status, note) VALUES (%s, %s, %s, %s, %s, %s, %s, 'pending', '')",
                    [(now, now, case_id, *material) for material in materials],
                )
                cur.executemany(
                    "INSERT INTO cases_caseevent (case_id, action, actor_name, actor_role, at, from_status,"
                    " to_status, comment, data) VALUES (%s, %s, '窗口', '窗口受理员', %s, %s, %s, '', '{}')",
                    [
                        (case_id, "save_draft", now, "", "draft"),
                        (case_id, "submit", now, "draft", "submitted"),
                    ],
                )
                cur.execute(
                    "INSERT INTO cases_clock (created_at, updated_at, case_id, kind, budget, start_date, status,"
                    " due_date, provisional, level) VALUES (%s, %s, %s, 'intake', 5, %s, 'running', %s, false,"
                    " 'none')",
                    (now, now, case_id, today, today + dt.timedelta(days=7)),
                )
            return True

        return call

    return drive("原始 SQL 写入同样的行", [one(row) for row in rows], threads, limit)


def service_intake(payloads: list[dict], id_numbers: list[str], args: argparse.Namespace) -> Figures:
    """`services.case_create` as the endpoint calls it (applicant registered, window channel), in-process."""
    from django.db import connections

    from zhengwu.cases import services
    from zhengwu.catalog.models import ServiceItem
    from zhengwu.common import clock
    from zhengwu.organization.models import User
    from zhengwu.organization.services import applicant_register

    clerk = User.objects.get(username=CLERK)
    items = {item.implementation_code: item for item in ServiceItem.objects.filter(region__code=REGION)}

    def one(payload: dict, id_number: str) -> Callable[[], bool]:
        def call() -> bool:
            person = payload["applicant"]
            applicant = applicant_register(  # a new person, not one sent over HTTP
                kind=person["kind"],
                name=person["name"],
                id_number=id_number,
                phone=person["phone"],
                today=clock.today(),
            )
            services.case_create(
                item=items[payload["item"]],
                applicant=applicant,
                channel="window",
                now=clock.now(),
                actor=clerk,
            )
            return True

        return call

    calls = [one(p, n) for p, n in zip(payloads, id_numbers, strict=False)]
    figures = drive("services.case_create 进程内收件", calls, args.threads, args.seconds)
    connections.close_all()
    return figures


def raw_progress(dsn: str, pairs: list[tuple[str, str]], threads: int, limit: float) -> Figures:
    """The two SELECTs of `case_progress`: the case with item, department and applicant, then its events."""
    import psycopg

    local = threading.local()

    def one(number: str, code: str) -> Callable[[], bool]:
        def call() -> bool:
            if not hasattr(local, "conn"):
                local.conn = psycopg.connect(dsn, autocommit=True)
            with local.conn.cursor() as cur:
                cur.execute(
                    "SELECT c.*, i.*, d.*, a.* FROM cases_case c JOIN catalog_serviceitem i ON i.id = c.item_id"
                    " JOIN organization_department d ON d.id = c.department_id"
                    " JOIN organization_applicant a ON a.id = c.applicant_id"
                    " WHERE c.number = %s AND c.query_code = %s AND NOT c.status = 'draft'"
                    " ORDER BY c.received_at DESC, c.id DESC LIMIT 1",
                    (number, code),
                )
                row = cur.fetchone()
                if row is None:
                    return False
                cur.execute("SELECT * FROM cases_caseevent WHERE case_id = %s ORDER BY at, id", (row[0],))
                cur.fetchall()
            return True

        return call

    return drive("原始 SQL 同样的查询", [one(*pair) for pair in pairs], threads, limit)


def _pad(text: str, width: int, right: bool = False) -> str:
    """Pad to a display width (CJK characters take two columns)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return (" " * (width - shown) + text) if right else (text + " " * (width - shown))


def print_table(rows: list[tuple[Figures, Figures | None]]) -> None:
    header = ("成功", "失败", "次/秒", "p50 ms", "p99 ms", "原始SQL倍数")
    say(
        _pad("操作", 32)
        + "".join(_pad(h, w, right=True) for h, w in zip(header, (7, 6, 9, 9, 9, 13), strict=True))
    )
    for figures, baseline in rows:
        ratio = f"{baseline.rate / figures.rate:.1f}x" if baseline and figures.rate else ""
        cells = (
            str(figures.done),
            str(figures.failures),
            f"{figures.rate:.1f}",
            f"{figures.quantile(0.5):.1f}",
            f"{figures.quantile(0.99):.1f}",
            ratio,
        )
        say(
            _pad(figures.label, 32)
            + "".join(_pad(v, w, right=True) for v, w in zip(cells, (7, 6, 9, 9, 9, 13), strict=True))
        )


# -- main ----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000, help="演示办件数量（默认 20000）")
    parser.add_argument("--requests", type=int, default=2000, help="每种请求的次数（默认 2000）")
    parser.add_argument("--threads", type=int, default=8, help="并发线程数（默认 8）")
    parser.add_argument("--seconds", type=float, default=120, help="每种请求最长运行秒数（默认 120）")
    parser.add_argument("--certificates", type=int, default=200, help="签发电子证照的最近办件数（默认 200）")
    parser.add_argument("--reuse", action="store_true", help="沿用已生成的数据库")
    parser.add_argument("--db", default=DB_NAME, help=f"数据库名，须以 {DB_NAME} 开头（默认 {DB_NAME}）")
    args = parser.parse_args(sys.argv[1:] if argv is None and __name__ == "__main__" else argv or [])

    server = os.environ.get("ZHENGWU_BENCH_PG", SERVER).rstrip("/")
    dsn = f"{server}/{args.db}"
    try:
        import psycopg

        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except Exception as error:
        say(f"跳过：无法连接 PostgreSQL（{server}）：{error}")
        return
    var = Path(tempfile.mkdtemp(prefix="zhengwu-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "ZHENGWU_VAR_DIR": str(var),
        "ZHENGWU_DEBUG": "1",
        "ZHENGWU_DEMO_PASSWORD": "Bench@2026-pass",
    }
    say(
        f"办件基准：{args.cases:,} 件演示办件，PostgreSQL 数据库 {args.db}，每种请求 {args.requests} 次、{args.threads} 线程"
    )
    started = time.perf_counter()
    if not args.reuse:
        recreate_database(server, args.db)
    subprocess.run(
        [str(ZHENGWU), "migrate", "-v", "0"], env=env, check=True
    )  # --reuse: the schema may have moved on
    if not args.reuse:
        subprocess.run([str(ZHENGWU), "demo", "--cases", "0", "--quiet"], env=env, check=True)
        say(f"建库、迁移、组织机构和事项目录：{time.perf_counter() - started:.1f} 秒")

    os.environ.update({"DATABASE_URL": dsn, "ZHENGWU_VAR_DIR": str(var), "ZHENGWU_DEBUG": "1"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.config.settings")
    import django

    django.setup()
    from django.db import connections

    from zhengwu.cases.models import Case
    from zhengwu.catalog.models import Material, ServiceItem
    from zhengwu.organization.models import Applicant

    if not args.reuse:
        generate(args.cases, args.certificates)
    total = Case.objects.count()
    say(f"数据库中办件 {total:,} 件")

    rng = random.Random(7)
    items = intake_items()
    ids = person_ids(args.requests * 2, rng)
    payloads = [
        {
            "item": rng.choice(items)[0],
            "channel": "window",
            "applicant": {
                "kind": "person",
                "name": "测试申请人",
                "id_number": number,
                "phone": "13800000000",
            },
        }
        for number in ids[: args.requests]
    ]
    # Baseline rows: the same items, an existing applicant, each item's material checklist.
    checklists: dict[int, list[tuple[Any, ...]]] = {}
    for version_id, material_id, name, necessity, order in Material.objects.filter(
        version_id__in=[v for _, v in items]
    ).values_list("version_id", "id", "name", "necessity", "sort_order"):
        checklists.setdefault(version_id, []).append((material_id, name, necessity, order))

    item_rows = {
        code: (pk, version_id, department_id, region_id)
        for code, pk, version_id, department_id, region_id in ServiceItem.objects.filter(
            implementation_code__in=[code for code, _ in items]
        ).values_list("implementation_code", "pk", "current_version_id", "department_id", "region_id")
    }
    applicant_id = Applicant.objects.filter(kind="person").values_list("pk", flat=True).first()
    raw_rows = [
        (*item_rows[payload["item"]], applicant_id, checklists.get(item_rows[payload["item"]][1], []))
        for payload in payloads
    ]
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample_ids = rng.sample(range(1, top + 1), min(args.requests * 2, top))
    pairs = list(Case.objects.filter(pk__in=sample_ids).values_list("number", "query_code")[: args.requests])
    connections.close_all()

    port = free_port()
    server_env = {
        **env,
        "ZHENGWU_DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 50,
        "ZHENGWU_SSL_REDIRECT": "0",
        "ZHENGWU_HSTS_SECONDS": "0",
        "ZHENGWU_ALLOWED_HOSTS": "127.0.0.1",
        # runserver starts a thread per request; with persistent connections every finished thread
        # would keep its own until PostgreSQL refuses more ("too many clients"): close them per request.
        "ZHENGWU_DB_CONN_MAX_AGE": "0",
        # The bench stands in for a reverse proxy: X-Forwarded-For simulates 2,000 different citizens.
        "ZHENGWU_NUM_PROXIES": "1",
    }
    process = start_server(server_env, port)
    base = f"http://127.0.0.1:{port}"
    try:
        status, body = request(
            f"{base}/api/v1/auth/token/", data={"username": CLERK, "password": env["ZHENGWU_DEMO_PASSWORD"]}
        )
        token = json.loads(body)["token"] if status == 200 else ""
        auth = {"Authorization": f"Token {token}"}
        results: list[tuple[Figures, Figures | None]] = []

        probe_status, _ = request(f"{base}/api/v1/cases/", data={}, headers=auth)
        if token and probe_status in (400, 201):

            def intake(payload: dict) -> Callable[[], bool | str]:
                return lambda: expect(201, *request(f"{base}/api/v1/cases/", data=payload, headers=auth))

            for number in ids[args.requests : args.requests + 10]:  # warm up: connections, calendar cache
                request(
                    f"{base}/api/v1/cases/",
                    data={**payloads[0], "applicant": {**payloads[0]["applicant"], "id_number": number}},
                    headers=auth,
                )
            http = drive(
                "POST /api/v1/cases/ 收件", [intake(p) for p in payloads], args.threads, args.seconds
            )
            results.append((http, None))
        else:
            say(f"收件接口不可用（令牌 {'有' if token else '无'}，探测状态 {probe_status}），只在进程内测量")
        raw = raw_intake(dsn, raw_rows, args.threads, args.seconds)
        if results:
            results[-1] = (results[-1][0], raw)
        # The intake service alone, in this process: what the endpoint costs without HTTP and its response.
        results.append((service_intake(payloads, ids[args.requests + 10 :], args), raw))

        def progress(number: str, code: str, index: int) -> Callable[[], bool | str]:
            query = urllib.parse.urlencode({"number": number, "query_code": code})
            forwarded = {"X-Forwarded-For": f"10.{index // 65536 % 256}.{index // 256 % 256}.{index % 256}"}
            return lambda: expect(200, *request(f"{base}/api/v1/progress/?{query}", headers=forwarded))

        def page(number: str, code: str) -> Callable[[], bool | str]:
            query = urllib.parse.urlencode({"number": number, "query_code": code})

            def call() -> bool | str:
                status, body = request(f"{base}/progress/?{query}")
                if status == 200 and number.encode() not in body:
                    return "HTTP 200 without the case"
                return expect(200, status, body)

            return call

        for index, (number, code) in enumerate(pairs[:20]):  # warm up
            progress(number, code, 60000 + index)()
        raw = raw_progress(dsn, pairs, args.threads, args.seconds)
        api = drive(
            "GET /api/v1/progress/ 进度",
            [progress(n, q, i) for i, (n, q) in enumerate(pairs)],
            args.threads,
            args.seconds,
        )
        portal = drive(
            "GET /progress/ 门户进度页", [page(n, q) for n, q in pairs], args.threads, args.seconds
        )
        results += [(api, raw), (portal, raw)]
        say("")
        print_table(results)
        for figures, _ in results:
            if figures.errors:
                say(f"  {figures.label} 失败原因：{dict(figures.errors)}")
        for baseline in {id(b): b for _, b in results if b is not None}.values():
            if baseline is not None:
                say(
                    f"  基线 {baseline.label}：{baseline.rate:.1f} 次/秒，p50 {baseline.quantile(0.5):.1f} ms，"
                    f"p99 {baseline.quantile(0.99):.1f} ms"
                )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    say(f"总用时 {time.perf_counter() - started:.1f} 秒（数据库 {args.db} 保留，可加 --reuse 重复测量）")


if __name__ == "__main__":
    main()
