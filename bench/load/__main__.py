"""Load on two cores (SECURITY.md row 23): seed, start gunicorn, run Locust headless, judge the figures.

    python -m bench.load                                  # full: 50 users, 10 min, 100,000 demo cases
    python -m bench.load --scale ci                       # CI: 10 users, 30 s, 2,000 cases; gate on errors only
    python -m bench.load --users 50 --duration 2m --cases 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengwu python -m bench.load   # on PostgreSQL

Steps, each timed and printed:

1. a migrated temporary installation from `reliability/harness.py` (a SQLite file with the production
   options, or with `DATABASE_URL` naming PostgreSQL a temporary database on that server, dropped at
   the end);
2. `zhengwu demo --cases N` in it: the 益阳 organisation, staff, catalogue, N bulk cases (the generator
   of `zhengwu demo`, `zhengwu/cases/demo_data.py`), reviews, 12345 tickets, metric rollups and manual
   assessment entries; its progress is shown as it goes;
3. `python -m bench.load.seed prepare`: tokens and signed-in sessions for clerks, supervisors and the
   assessor, citizen accounts, one county scoring run per shipped scheme, request samples;
4. gunicorn with 3 sync workers (`harness.Server`, production settings, `ZHENGWU_NUM_PROXIES=1` so each
   simulated person's X-Forwarded-For address is its own);
5. `locust -f bench/load/locustfile.py --headless` with readers 70 %, clerks 20 %, citizens 10 %;
   progress every few seconds from its CSV; then a table per endpoint (count, failures, p50, p95) and
   per class, and a search of the server log for "database is locked", tracebacks and worker timeouts.

Exit status 0 only with no failed request, no "database is locked", no traceback or worker timeout in
the server log, and (full scale only) p95 within budget: pages < 800 ms, API < 500 ms, county scoring
(the ranking page of a run and a live run over the year's cases) < 2 s. At CI scale p95 is printed but not judged: CI shares two cores
with other jobs. Results (Locust CSV, the summary, the server log) are kept in `--out`
(default var/load/<time>-<database>/).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

from reliability import harness

ROOT = harness.ROOT
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SCALES = {
    # users, duration, cases, 12345 tickets, gate on p95, which demo
    "full": {
        "users": 50,
        "duration": "10m",
        "cases": 100_000,
        "tickets": 20_000,
        "timing": True,
        "demo": "full",
    },
    "ci": {"users": 10, "duration": "30s", "cases": 2_000, "tickets": 200, "timing": False, "demo": "lite"},
}
LOG_PROBLEMS = ("database is locked", "Traceback", "WORKER TIMEOUT")


def say(text: str = "") -> None:
    print(text, flush=True)


def seconds(text: str) -> int:
    """Locust's run-time syntax: 30s, 10m, 1h30m, or plain seconds."""
    total, number = 0, ""
    for ch in text.strip():
        if ch.isdigit():
            number += ch
        elif ch in "hms" and number:
            total += int(number) * {"h": 3600, "m": 60, "s": 1}[ch]
            number = ""
        else:
            raise argparse.ArgumentTypeError(f"时长格式应如 30s、10m、1h30m：{text}")
    return total + int(number or 0)


# -- seeding ------------------------------------------------------------------------------------------


def run_demo(site: harness.Site, cases: int, tickets: int, lite: bool) -> None:
    """`zhengwu demo` (or the reduced `bench.load.seed demo-lite`), its progress lines shown as they
    come (the account table at the end is not)."""
    command = (
        [sys.executable, "-m", "bench.load.seed", "demo-lite", str(cases)]
        if lite
        else [str(harness.BIN / "zhengwu"), "demo", "--cases", str(cases), "--tickets", str(tickets)]
    )
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=site.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    shown = True
    tail: list[str] = []
    try:
        for line in process.stdout:
            line = line.rstrip()
            tail = [*tail[-40:], line]
            if line.startswith("演示账号"):
                shown = False
            if shown and line:
                say(line if line.startswith("    ") else f"    {line}")
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.wait() != 0:
        raise RuntimeError("zhengwu demo failed:\n" + "\n".join(tail))


def run_seed(site: harness.Site, citizens: int, sample: int, manifest: Path) -> dict[str, Any]:
    """`python -m bench.load.seed prepare` in the server's environment; it prints its own progress."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.load.seed", "prepare", str(citizens), str(sample), str(manifest)],
        cwd=ROOT,
        env=site.env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.load.seed failed ({done.returncode})")
    return json.loads(manifest.read_text(encoding="utf-8"))


def warm_up(url: str, manifest: dict[str, Any]) -> tuple[int, list[str]]:
    """Open each kind of page and API once per worker and then some, as a server in service is warm
    (templates compiled, modules imported, calendars cached); how many requests, and those not 200."""
    cookie = "__Host-sessionid"
    supervisor, assessor, clerk = manifest["supervisors"][0], manifest["assessor"], manifest["clerks"][0]
    number, code = manifest["progress"][0]
    item = manifest["portal_items"][0]
    targets: list[tuple[str, dict[str, str]]] = [
        ("/", {}),
        (f"/items/{item}/", {}),
        (f"/progress/?number={number}&query_code={code}", {}),
        (f"/api/v1/items/{item}/", {}),
        ("/api/v1/items/", {}),
        ("/workbench/dashboard/", {"Cookie": f"{cookie}={supervisor['session']}"}),
        (
            f"/api/v1/metrics/?period={manifest['year']}&metrics={manifest['metrics']}",
            {"Authorization": f"Token {supervisor['token']}"},
        ),
        ("/workbench/cases/", {"Cookie": f"{cookie}={clerk['session']}"}),
        ("/api/v1/cases/", {"Authorization": f"Token {clerk['token']}"}),
    ]
    if manifest["guided_items"]:
        targets.append((f"/guidance/{manifest['guided_items'][0]}/", {}))
    for run in manifest["evaluations"]:
        targets.append(
            (
                f"/workbench/assessment/evaluations/{run['evaluation']}/",
                {"Cookie": f"{cookie}={assessor['session']}"},
            )
        )
    count, refused = 0, []
    for _ in range(2 * harness.WORKERS):
        for path, headers in targets:
            status, _body = harness.request("GET", url + path, headers=headers, timeout=120)
            count += 1
            if status != 200:
                refused.append(f"{status} {path}")
    return count, refused


# -- Locust -------------------------------------------------------------------------------------------


def read_stats(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))
    except (FileNotFoundError, csv.Error):
        return []


def run_locust(url: str, args: argparse.Namespace, out: Path, manifest: Path, timing: bool) -> int:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "LOAD_MANIFEST": str(manifest),
        "LOAD_SUMMARY": str(out / "summary.json"),
        "LOAD_GATE_TIMING": "1" if timing else "0",
        "LOAD_WAIT": args.wait,
    }
    command = [
        str(harness.BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--only-summary",
        "-u",
        str(args.users),
        "-r",
        str(args.spawn_rate),
        "-t",
        f"{args.duration}s",
        "--stop-timeout",
        "30",
        "--host",
        url,
        "--csv",
        str(out / "locust"),
        "--loglevel",
        "WARNING",
    ]
    started = time.monotonic()
    with (out / "locust.log").open("wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            _follow(process, out, args.duration, started)
        except BaseException:  # interrupted: Locust goes too, then the server and the database
            process.terminate()
            process.wait(timeout=60)
            raise
    return process.returncode


def _follow(process: subprocess.Popen, out: Path, duration: int, started: float) -> None:
    """Print the running totals from Locust's CSV every 10 s (30 s for runs over two minutes)."""
    every = 10 if duration <= 120 else 30
    report = started + every
    while process.poll() is None:
        time.sleep(1)
        if time.monotonic() < report:
            continue
        report += every
        total = next((r for r in read_stats(out / "locust_stats.csv") if r["Name"] == "Aggregated"), None)
        if total:
            say(
                f"    {int(time.monotonic() - started):>5d} 秒：请求 {int(total['Request Count']):,}，"
                f"失败 {int(total['Failure Count'])}，"
                f"当前 {float(total['Requests/s']):.1f} 次/秒，p95 {total['95%']} ms"
            )


# -- the report ---------------------------------------------------------------------------------------


def _pad(text: str, width: int, right: bool = False) -> str:
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return (" " * (width - shown) + text) if right else (text + " " * (width - shown))


def print_table(rows: list[dict[str, Any]]) -> None:
    """One line per endpoint and the total: count, failures, p50, p95 and max in ms."""
    widths = (62, 8, 6, 8, 8, 8)
    header = ("请求", "次数", "失败", "p50 ms", "p95 ms", "max ms")
    say(
        _pad(header[0], widths[0])
        + "".join(_pad(h, w, True) for h, w in zip(header[1:], widths[1:], strict=True))
    )
    for row in rows:
        cells = [str(row[key]) for key in ("requests", "failures", "p50", "p95", "max")]
        say(
            _pad(row["name"], widths[0])
            + "".join(_pad(c, w, True) for c, w in zip(cells, widths[1:], strict=True))
        )


def loadavg() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except (OSError, IndexError):
        return "?"


def log_problems(log: Path) -> dict[str, int]:
    try:
        text = log.read_text(errors="replace")
    except FileNotFoundError:
        return dict.fromkeys(LOG_PROBLEMS, 0)
    return {needle: text.count(needle) for needle in LOG_PROBLEMS}


def verdict(summary: dict[str, Any], problems: dict[str, int], timing: bool) -> list[str]:
    reasons = []
    if summary.get("failures"):
        reasons.append(f"{summary['failures']} 次请求失败（失败率 {summary['fail_ratio']:.2%}）")
    for needle, count in problems.items():
        if count:
            reasons.append(f"服务日志中 “{needle}” 出现 {count} 次")
    for kind, figures in summary.get("classes", {}).items():
        budget = figures.get("budget")
        if timing and budget is not None and figures["p95"] > budget:
            reasons.append(f"{kind} 类 p95 {figures['p95']} ms 超过 {budget} ms")
    if not summary.get("requests"):
        reasons.append("没有完成任何请求")
    return reasons


# -- main ---------------------------------------------------------------------------------------------


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="full", help="full（默认）或 ci")
    parser.add_argument("--users", type=int, help="并发用户数（full 50，ci 10）")
    parser.add_argument("--spawn-rate", type=float, default=10, help="每秒启动用户数（默认 10）")
    parser.add_argument("--duration", type=seconds, help="运行时长，如 30s、10m（full 10m，ci 30s）")
    parser.add_argument("--cases", type=int, help="演示办件数（full 100000，ci 2000）")
    parser.add_argument("--tickets", type=int, help="12345 演示工单数（full 20000，ci 200）")
    parser.add_argument(
        "--demo",
        choices=("full", "lite"),
        help="full：zhengwu demo；lite：不含一件事、好差评、12345、排队（full 规模默认 full，ci 默认 lite）",
    )
    parser.add_argument("--wait", default="1,5", help="每个用户两次操作之间的思考时间（秒，默认 1,5）")
    parser.add_argument("--out", type=Path, help="结果目录（默认 var/load/<时间>-<数据库>/）")
    parser.add_argument(
        "--template",
        metavar="DATABASE_URL",
        help="复制这个已迁移的空库而不是重新迁移（reliability 测试会话的模板库，省去迁移时间）",
    )
    parser.add_argument("--keep", action="store_true", help="保留临时安装（数据库、文件）以便检查")
    args = parser.parse_args(argv)
    scale = SCALES[args.scale]
    args.users = args.users or scale["users"]
    args.duration = args.duration or seconds(scale["duration"])
    args.cases = scale["cases"] if args.cases is None else args.cases
    args.tickets = scale["tickets"] if args.tickets is None else args.tickets
    args.timing = scale["timing"]
    args.demo = args.demo or scale["demo"]
    return args


def _interrupted(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")  # unwinds the `finally`s: Locust, gunicorn, the database


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    signal.signal(signal.SIGTERM, _interrupted)
    database = os.environ.get("DATABASE_URL", "")
    vendor = "postgresql" if database.startswith(("postgres://", "postgresql://")) else "sqlite"
    out = args.out or ROOT / "var" / "load" / f"{time.strftime('%Y%m%d-%H%M%S')}-{vendor}"
    out.mkdir(parents=True, exist_ok=True)
    say(
        f"负载测试（SECURITY.md 第 23 行，{args.scale}）：{vendor}，{args.users} 个用户，{args.duration} 秒，"
        f"{args.cases:,} 件演示办件，gunicorn {harness.WORKERS} 个同步进程；结果目录 {out}"
    )
    begun = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="zhengwu-load-"))
    try:
        step = time.monotonic()
        if args.template:
            say("[1/5] 临时安装：复制已迁移的模板库 …")
            source = harness.Site(folder=tmp, database_url=args.template)
            installation = harness.site(tmp, "load", source)
        else:
            say("[1/5] 临时安装：建库并迁移 …")
            installation = harness.template(tmp)
        with installation as site:
            say(f"      完成（{time.monotonic() - step:.1f} 秒）")
            site.env.update(
                {
                    "ZHENGWU_SIGNING_KEY": "0" + os.urandom(32).hex()[1:],  # demo certificates are signed
                    "ZHENGWU_NUM_PROXIES": "1",  # each simulated person sends its own X-Forwarded-For
                }
            )
            step = time.monotonic()
            if args.demo == "lite":
                say(f"[2/5] 演示数据（精简）：bench.load.seed demo-lite {args.cases} …")
            else:
                say(f"[2/5] 演示数据：zhengwu demo --cases {args.cases} --tickets {args.tickets} …")
            run_demo(site, args.cases, args.tickets, lite=args.demo == "lite")
            say(f"      完成（{time.monotonic() - step:.1f} 秒）")

            step = time.monotonic()
            say("[3/5] 负载账号、令牌、会话、考核计算和请求样本 …")
            citizens = max(2, args.users // 10 + 1)
            manifest = run_seed(site, citizens, sample=500, manifest=out / "manifest.json")
            say(f"      完成（{time.monotonic() - step:.1f} 秒；数据库中办件 {manifest['cases']:,} 件）")

            step = time.monotonic()
            say(f"[4/5] 启动 gunicorn（{harness.WORKERS} 个同步进程）…")
            server = harness.Server(site)
            server.start()
            say(f"      {server.url} 就绪（{time.monotonic() - step:.1f} 秒）")
            try:
                step = time.monotonic()
                warmed, refused = warm_up(server.url, manifest)
                say(f"      预热：{warmed} 个请求（{time.monotonic() - step:.1f} 秒，不计入结果）")
                for line in sorted(set(refused)):
                    say(f"      预热请求未得到 200：{line}")
                step = time.monotonic()
                say(
                    f"[5/5] Locust：{args.users} 个用户（读者 70 %，窗口 20 %，网上申报 10 %），"
                    f"每秒启动 {args.spawn_rate:g} 个，运行 {args.duration} 秒 …"
                )
                before = loadavg()
                code = run_locust(server.url, args, out, out / "manifest.json", args.timing)
                say(f"      完成（{time.monotonic() - step:.1f} 秒，Locust 退出码 {code}）")
                # Other work on the two cores shows here: judge p95 against a quiet machine's figures.
                say(f"      系统负载（1 分钟平均）：开始 {before}，结束 {loadavg()}")
            finally:
                server.stop()
                shutil.copyfile(server.log, out / "gunicorn.log")
            problems = log_problems(server.log)
            if args.keep:
                say(f"临时安装保留在 {site.folder}（PostgreSQL 数据库仍会删除）")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    say()
    try:
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        summary = {}
        say(
            f"Locust 没有写出汇总（退出码 {code}）：\n{(out / 'locust.log').read_text(errors='replace')[-3000:]}"
        )
    print_table(summary.get("endpoints", []))
    say()
    for kind, figures in summary.get("classes", {}).items():
        budget = f"，要求 < {figures['budget']} ms" if figures.get("budget") else ""
        say(
            f"{kind:<8} 请求 {figures['requests']:>7,}  失败 {figures['failures']:>4}  "
            f"p50 {figures['p50']:>5} ms  p95 {figures['p95']:>5} ms{budget}"
        )
    for error in summary.get("errors", [])[:10]:
        say(f"  失败 {error['occurrences']} 次：{error['name']} — {error['error'][:160]}")
    say("服务日志：" + "，".join(f"“{needle}” {count} 次" for needle, count in problems.items()))
    for run in manifest.get("evaluations", []):
        say(f"考核计算（种子数据阶段，进程内）：{run['scheme']} {run['units']} 个区县 {run['seconds']} 秒")
    reasons = verdict(summary, problems, args.timing)
    if code not in (0, 1):
        reasons.append(f"Locust 异常退出（{code}）")
    if not args.timing:
        say("（ci 规模：p95 只报告，不作判定）")
    say(f"总用时 {time.monotonic() - begun:.0f} 秒。")
    if reasons:
        say("不通过：" + "；".join(reasons))
        return 1
    say("通过：无失败请求，无 “database is locked”" + ("，p95 均在要求之内。" if args.timing else "。"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
