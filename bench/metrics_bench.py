"""Dashboard, metrics and assessment response times as the number of cases grows, on PostgreSQL.

    python -m bench.metrics_bench                          # 30,000 and 1,000,000 real cases, 10,000,000 simulated
    python -m bench.metrics_bench --real 30000 --simulated 1000000,10000000 --repeat 10

For each scale:

- **real** N: the demo generator (`zhengwu.cases.demo_data`, as `zhengwu demo`) writes N cases with their
  clocks, events and cards through PostgreSQL COPY, then `metrics_rebuild` computes the rollups from them;
- **simulated** N: the rollup rows that N cases a year produce are written directly — every department
  that has items gets, on every working day, counts drawn around its share of N with the demo's rates
  (acceptance, decisions, on time, cards, days used) — without the N case rows. The pages below read only
  the rollups (and the catalogue), so this measures exactly what they would cost; drill-downs, which list
  cases, are not timed at simulated scales.

Then, in this process, with Django's test client signed in as the city supervisor: the dashboard by county,
by department and for a quarter with edge days; its Excel export; `metrics show --by department`; and an
assessment run of the shipped 益阳 2020 scheme (when the assessment app is installed). Figures: rollup rows,
p50 and max of `--repeat` runs, and the ratio of each p50 to the smallest scale's — flat means ≈ 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from bench.cases_bench import ROOT, SERVER, generate, recreate_database, say

DB = "zhengwu_bench_metrics"


def _zhengwu(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "zhengwu.cli", *args], env=env, cwd=ROOT, check=True)


def _timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    fn()  # warm: caches, the calendar, compiled templates
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs), max(runs)


# -- simulated rollups -------------------------------------------------------------------------------------


def simulate(cases: int, year: int, seed: int = 11) -> tuple[int, int]:
    """Replace the rollups with those `cases` cases a year would leave; returns (daily, monthly) rows."""
    from django.db import connection, transaction

    from zhengwu.metrics.models import DailyCount, Grain, MonthlyCount
    from zhengwu.organization.models import Department, User, Window
    from zhengwu.workdays.selectors import work_calendar

    rng = random.Random(seed)
    calendar = work_calendar()
    days = [
        dt.date(year, 1, 1) + dt.timedelta(days=n)
        for n in range(366)
        if (dt.date(year, 1, 1) + dt.timedelta(days=n)).year == year
        and calendar.is_workday(dt.date(year, 1, 1) + dt.timedelta(days=n))
    ]
    departments = list(
        Department.objects.filter(items__isnull=False).distinct().values_list("pk", "region_id")
    )
    weights = [rng.paretovariate(1.2) for _ in departments]
    total = sum(weights)
    windows = list(Window.objects.values_list("pk", "hall__department__region_id"))
    staff = [
        (pk, region)
        for pk, region in User.objects.filter(applicant__isnull=True).values_list(
            "pk", "department__region_id"
        )
        if region
    ]
    daily: dict[tuple[str, int, int, dt.date, str], int] = {}

    def add(grain: str, obj: int, region: int, day: dt.date, counter: str, value: int) -> None:
        if value > 0:
            key = (grain, obj, region, day, counter)
            daily[key] = daily.get(key, 0) + value

    def draw(mean: float) -> int:
        return (
            max(0, round(rng.gauss(mean, mean**0.5)))
            if mean > 30
            else sum(rng.random() < mean / 30 for _ in range(30))
        )

    for (dept, region), weight in zip(departments, weights, strict=True):
        per_day = cases * weight / total / len(days)
        for day in days:
            received = draw(per_day)
            if not received:
                continue
            finished = round(received * 0.95)
            on_time = round(finished * 0.965)
            used = round(finished * 2.0)
            legal = round(finished * 0.8)
            for counter, value in (
                ("received", received),
                ("received_online", round(received * 0.35)),
                ("accepted", round(received * 0.97)),
                ("refused_intake", round(received * 0.01)),
                ("supplement_requested", round(received * 0.08)),
                ("finished", finished),
                ("finished_on_time", on_time),
                ("finished_immediate", round(finished * 0.4)),
                ("used_days", used),
                ("finished_with_legal", legal),
                ("legal_days", legal * 15),
                ("legal_used_days", round(used * 0.8)),
                ("cards_yellow", draw(received * 0.03)),
                ("cards_red", draw(received * 0.012)),
                ("overdue", draw(received * 0.01)),
            ):
                add(Grain.DEPARTMENT, dept, region, day, counter, value)
    per_window = cases * 0.6 / max(len(windows), 1) / len(days)
    per_staff = cases * 0.6 / max(len(staff), 1) / len(days)
    for grain, objects, mean in ((Grain.WINDOW, windows, per_window), (Grain.STAFF, staff, per_staff)):
        for obj, region in objects:
            for day in days:
                received = draw(mean)
                add(grain, obj, region, day, "received", received)
                add(grain, obj, region, day, "accepted", round(received * 0.97))
                add(grain, obj, region, day, "finished", round(received * 0.95))
    monthly: dict[tuple[str, int, int, dt.date, str], int] = {}
    for (grain, obj, region, day, counter), value in daily.items():
        key = (grain, obj, region, day.replace(day=1), counter)
        monthly[key] = monthly.get(key, 0) + value
    with transaction.atomic(), connection.cursor() as cursor:
        DailyCount.objects.all().delete()
        MonthlyCount.objects.all().delete()
        for model, rows, date_column in ((DailyCount, daily, "day"), (MonthlyCount, monthly, "month")):
            table = model._meta.db_table
            with cursor.cursor.copy(
                f"COPY {table} (grain, object_id, region_id, {date_column}, counter, value) FROM STDIN"
            ) as copy:
                for (grain, obj, region, day, counter), value in rows.items():
                    copy.write_row((grain, obj, region, day, counter, value))
        cursor.execute("ANALYZE metrics_dailycount")
        cursor.execute("ANALYZE metrics_monthlycount")
    return len(daily), len(monthly)


# -- what is timed -----------------------------------------------------------------------------------------


def measure(year: int, repeat: int) -> dict[str, tuple[float, float]]:
    from django.core.management import call_command, get_commands
    from django.test import Client

    from zhengwu.organization.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="city_supervisor"))

    def get(url: str) -> Callable[[], object]:
        def call() -> object:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return call

    out: dict[str, tuple[float, float]] = {
        "看板：按县区（全年）": _timed(get(f"/workbench/dashboard/?period={year}"), repeat),
        "看板：按部门（全年）": _timed(
            get(f"/workbench/dashboard/?period={year}&by=department&metric=overdue"), repeat
        ),
        "看板：按窗口（季度加零散日）": _timed(
            get(f"/workbench/dashboard/?period={year}-02-10..{year}-06-20&by=window&metric=received"), repeat
        ),
        "看板导出 Excel：按部门": _timed(
            get(f"/workbench/dashboard/export.xlsx?period={year}&by=department"), repeat
        ),
        "zhengwu metrics show --by department": _timed(
            lambda: call_command(
                "metrics",
                "show",
                "--period",
                str(year),
                "--by",
                "department",
                "--format",
                "json",
                stdout=io.StringIO(),
            ),
            repeat,
        ),
    }
    if "assess" not in get_commands():  # the assessment app is not installed in this tree
        return out
    out["考核：益阳 2020 方案（县区）"] = _timed(
        lambda: call_command(
            "assess",
            "--scheme",
            "yiyang-2020",
            "--period",
            str(year),
            "--format",
            "json",
            stdout=io.StringIO(),
        ),
        repeat,
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", default="30000,1000000", help="真实生成的办件数量，逗号分隔")
    parser.add_argument("--simulated", default="10000000", help="按办件量模拟汇总行的规模，逗号分隔")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--db", default=DB)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="沿用上次生成的数据库（不重建、不生成办件）：按现有办件重建汇总后测量，再按 --simulated 模拟",
    )
    args = parser.parse_args(argv)
    real = [int(x) for x in args.real.split(",") if x]
    simulated = [int(x) for x in args.simulated.split(",") if x]
    server = os.environ.get("ZHENGWU_BENCH_PG", SERVER)
    if not args.reuse:
        recreate_database(server, args.db)
    env = {
        **os.environ,
        "DATABASE_URL": f"{server}/{args.db}",
        "ZHENGWU_VAR_DIR": tempfile.mkdtemp(prefix="zhengwu-bench-"),
        "ZHENGWU_DEBUG": "1",  # development keys for the certificates the generator signs
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "ZHENGWU_VAR_DIR", "ZHENGWU_DEBUG")})
    started = time.perf_counter()
    _zhengwu(env, "migrate", "-v0")
    if not args.reuse:
        _zhengwu(env, "demo", "--cases", "0", "--quiet")
    say(f"迁移与演示组织、目录：{time.perf_counter() - started:.1f} 秒")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengwu.config.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    from zhengwu.common import clock
    from zhengwu.metrics.models import DailyCount, MonthlyCount
    from zhengwu.metrics.services import metrics_rebuild

    year = clock.today().year
    results = []
    if args.reuse:
        from zhengwu.cases.models import Case

        real = [Case.objects.count()]
    for count in real:
        if not args.reuse:
            generate(count, certificates=200)
        started = time.perf_counter()
        metrics_rebuild()
        say(f"重建指标汇总（{count:,} 件）：{time.perf_counter() - started:.1f} 秒")
        rows = (DailyCount.objects.count(), MonthlyCount.objects.count())
        results.append((f"真实 {count:,} 件", rows, measure(year, args.repeat)))
    for count in simulated:
        started = time.perf_counter()
        rows = simulate(count, year)
        say(f"模拟 {count:,} 件的汇总行：{time.perf_counter() - started:.1f} 秒")
        results.append((f"模拟 {count:,} 件", rows, measure(year, args.repeat)))
    base = results[0][2]
    print()
    print(
        f"{'规模':<16} {'日汇总行':>10} {'月汇总行':>9}  {'操作':<34} {'p50 ms':>8} {'max ms':>8} {'p50 比基准':>9}"
    )
    for label, (daily, monthly), figures in results:
        for name, (p50, worst) in figures.items():
            ratio = p50 / base[name][0] if name in base and base[name][0] else float("nan")
            print(
                f"{label:<16} {daily:>10,} {monthly:>9,}  {name:<34} {p50:>8.1f} {worst:>8.1f} {ratio:>9.2f}"
            )


if __name__ == "__main__":
    main()
