"""`python -m fuzz [--seconds N] [target ...]`: run the parser fuzz targets, one after another.

Each target runs in its own process under libFuzzer with

    -max_total_time=N -timeout=1 -rss_limit_mb=<its memory after start-up + 200> -keep_seed=1
    -artifact_prefix=var/fuzz/<target>/ var/fuzz/<target>/corpus fuzz/corpus/<target> var/fuzz/<target>/seeds

(the memory limit is added by `fuzz.engine`, which measures the baseline). The corpus grows in
`var/fuzz/<target>/corpus` from run to run; `fuzz/corpus/<target>` holds the committed seeds and
`var/fuzz/<target>/seeds` the generated ones (real workbooks and archives). A crash, a slow input
(> 1 s) or memory growth over 200 MB stops the target and leaves its input in `var/fuzz/<target>/`
(`crash-*`, `timeout-*`, `oom-*`); the full output is in `var/fuzz/<target>/last.log`.

Prints a progress line now and then and a summary table; exits 1 if any target failed.
Reproduce a failure with `.venv/bin/python -m fuzz.<target> var/fuzz/<target>/crash-…`.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fuzz import TARGETS
from fuzz.engine import BASELINE_MARK, GROWTH_MB, SEED_DIR_ENV

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "fuzz" / "corpus"
WORK = ROOT / "var" / "fuzz"
DEFAULT_SECONDS = int(os.environ.get("FUZZ_SECONDS", "600"))
# Inputs up to this size (libFuzzer's default, 4096, is too small for the workbooks).
MAX_LEN = {"catalog_import": 16384, "upload": 8192}
STARTUP_GRACE = 120  # seconds a target may take beyond -max_total_time before it counts as hung

_STATUS = re.compile(r"^#(\d+)\s+(\w+)\s+cov: (\d+).*?corp: (\d+)/\S+.*?exec/s: (\d+) rss: (\d+)Mb")
_STAT = re.compile(r"^stat::(\w+):\s+(\d+)")


@dataclass
class Run:
    target: str
    seconds: float = 0.0
    runs: int = 0
    exec_per_s: int = 0
    coverage: int = 0
    corpus: int = 0
    baseline_mb: int | None = None
    limit_mb: int | None = None
    peak_mb: int = 0
    outcome: str = "ok"
    detail: str = ""
    artifacts: list[Path] = field(default_factory=list)

    @property
    def growth_mb(self) -> int | None:
        return None if self.baseline_mb is None else self.peak_mb - self.baseline_mb


def _command(target: str, seconds: int, work: Path, extra: list[str]) -> list[str]:
    flags = [
        f"-max_total_time={seconds}",
        "-timeout=1",
        "-keep_seed=1",
        "-print_final_stats=1",
        f"-artifact_prefix={work}/",
    ]
    if target in MAX_LEN:
        flags.append(f"-max_len={MAX_LEN[target]}")
    folders = [work / "corpus", COMMITTED / target, work / "seeds"]
    return [sys.executable, "-m", f"fuzz.{target}", *flags, *extra, *(str(f) for f in folders if f.is_dir())]


def _pump(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_target(target: str, seconds: int, extra: list[str]) -> Run:
    work = WORK / target
    for folder in (work / "corpus", work / "seeds"):
        folder.mkdir(parents=True, exist_ok=True)
    before = {path.name for path in work.iterdir()}
    env = {**os.environ, SEED_DIR_ENV: str(work / "seeds"), "PYTHONPATH": str(ROOT)}
    command = _command(target, seconds, work, extra)
    result = Run(target)
    started = time.monotonic()
    every = max(5, seconds // 10)
    next_report = started + every
    exception = ""
    with (work / "last.log").open("w", encoding="utf-8") as log:
        log.write(" ".join(command) + "\n")
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=_pump, args=(process.stdout, lines), daemon=True).start()
        in_traceback = False
        while True:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                line = ""
            if line is None:
                break
            now = time.monotonic()
            if now - started > seconds + STARTUP_GRACE and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                result.outcome, result.detail = "hang", f"no end after {seconds + STARTUP_GRACE} s"
            if not line:
                continue
            log.write(line)
            text = line.rstrip("\n")
            if text.startswith(BASELINE_MARK):
                result.baseline_mb = int(re.search(r" rss_mb=(\d+)", text).group(1))
                result.limit_mb = int(re.search(r" rss_limit_mb=(\d+)", text).group(1))
            elif status := _STATUS.match(text):
                result.runs, result.coverage, result.corpus = (int(status[1]), int(status[3]), int(status[4]))
                result.exec_per_s, result.peak_mb = int(status[5]), max(result.peak_mb, int(status[6]))
            elif stat := _STAT.match(text):
                name, value = stat[1], int(stat[2])
                if name == "number_of_executed_units":
                    result.runs = value
                elif name == "average_exec_per_sec":
                    result.exec_per_s = value
                elif name == "peak_rss_mb":
                    result.peak_mb = max(result.peak_mb, value)
            if "=== Uncaught Python exception: ===" in text or "=== Timeout:" in text:
                in_traceback = True
            if in_traceback or "ERROR: libFuzzer" in text or "Test unit written to" in text:
                print(f"  [{target}] {text}", flush=True)
                if in_traceback and not exception and re.match(r"^\w[\w.]*(Error|Exception|Exit)\b", text):
                    exception = text
                if text.startswith(("SUMMARY:", "==")) or "Test unit written to" in text:
                    in_traceback = False
            if now >= next_report:
                next_report = now + every
                print(
                    f"  [{target}] {now - started:5.0f} s  runs {result.runs:,}  exec/s {result.exec_per_s:,}  "
                    f"cov {result.coverage}  corpus {result.corpus}  rss {result.peak_mb} MB",
                    flush=True,
                )
        returncode = process.wait()
    result.seconds = time.monotonic() - started
    output = (work / "last.log").read_text(encoding="utf-8", errors="replace")
    result.artifacts = sorted(
        path
        for path in work.iterdir()
        if path.name not in before and path.name.startswith(("crash-", "timeout-", "oom-"))
    )
    if result.outcome == "hang":
        pass
    elif "ERROR: libFuzzer: timeout" in output:
        result.outcome, result.detail = "timeout", "an input ran longer than 1 s"
    elif "ERROR: libFuzzer: out-of-memory" in output:
        result.outcome, result.detail = "oom", f"RSS over -rss_limit_mb={result.limit_mb}"
    elif "=== Uncaught Python exception: ===" in output:
        result.outcome, result.detail = "crash", exception or "uncaught exception"
    elif returncode != 0:
        result.outcome, result.detail = "error", f"exit status {returncode}; see {work / 'last.log'}"
    elif result.growth_mb is not None and result.growth_mb >= GROWTH_MB:
        result.outcome, result.detail = "oom", f"memory grew by {result.growth_mb} MB"
    return result


def _table(results: list[Run]) -> str:
    header = ("target", "seconds", "runs", "exec/s", "cov", "rss MB", "growth MB", "result")
    rows = [
        (
            r.target,
            f"{r.seconds:.0f}",
            f"{r.runs:,}",
            f"{r.exec_per_s:,}",
            str(r.coverage),
            str(r.peak_mb),
            "?" if r.growth_mb is None else f"{r.growth_mb:+d}",
            r.outcome + (f": {r.detail[:100]}" if r.detail else ""),
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]

    def line(row: tuple[str, ...]) -> str:
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)),
        ]
        return "  ".join([*cells, row[-1]])

    return "\n".join([line(header), line(tuple("-" * len(h) for h in header)), *(line(row) for row in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fuzz", description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="target", help=f"default: all ({', '.join(TARGETS)})")
    parser.add_argument(
        "--seconds", type=int, default=DEFAULT_SECONDS, help="per target (default %(default)s)"
    )
    parser.add_argument("--rss-limit-mb", type=int, help="absolute limit instead of start-up + 200 MB")
    parser.add_argument("--list", action="store_true", help="list the targets and exit")
    options = parser.parse_args(argv)
    if options.list:
        for name, what in TARGETS.items():
            print(f"{name:16} {what}")
        return 0
    unknown = [name for name in options.targets if name not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}; see --list")
    extra = [f"-rss_limit_mb={options.rss_limit_mb}"] if options.rss_limit_mb else []
    results = []
    for target in options.targets or list(TARGETS):
        print(f"fuzz: {target} — {TARGETS[target]} — {options.seconds} s", flush=True)
        result = run_target(target, options.seconds, extra)
        print(
            f"fuzz: {target} {result.outcome}: {result.runs:,} runs, {result.exec_per_s:,} exec/s"
            + (f" — {result.detail}" if result.detail else ""),
            flush=True,
        )
        results.append(result)
    print()
    print(_table(results))
    failed = [r for r in results if r.outcome != "ok"]
    for r in failed:
        for artifact in r.artifacts:
            python = os.path.relpath(sys.executable, ROOT)
            print(f"reproduce: {python} -m fuzz.{r.target} {artifact.relative_to(ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
