"""Row 15: parser fuzzing with atheris — the `fuzz/` targets, run by their runner (`python -m fuzz`).

Every target (ID number, USCC, phone, upload sniffer, catalogue Excel import, working-day calculator)
runs for 600 s (`make reliability`) or 10 s (`RELIABILITY_SCALE=ci`) in its own process; the runner
exits non-zero when any of them lets an undocumented exception escape, spends more than 1 s on one
input or grows by 200 MB. Its summary table (and each failure's reproducer under `var/fuzz/`) is in
the assertion message. `make fuzz` is the nightly run (docs/reliability.md, "Row 15").

The parsers never touch the database, so the PostgreSQL pass of `make reliability` skips this test:
it runs once, on the SQLite pass.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from fuzz import TARGETS
from reliability import harness

pytest.importorskip("atheris", reason="atheris has wheels for x86_64 only (pyproject.toml)")

SECONDS = harness.scaled(full=600, ci=10)
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.mark.skipif(
    ON_POSTGRES, reason="the parsers never touch the database: fuzzed once, on the SQLite pass"
)
def test_every_parser_lets_only_its_documented_refusal_escape_within_1_s_and_200_mb():
    done = subprocess.run(
        [sys.executable, "-m", "fuzz", "--seconds", str(SECONDS)],
        cwd=harness.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=len(TARGETS) * (SECONDS + 150),
    )
    print(done.stdout)  # progress and the summary table, shown by pytest on failure or with -s
    tail = "\n".join(done.stdout.splitlines()[-(len(TARGETS) + 12) :])
    assert done.returncode == 0, f"parser fuzzing failed (docs/reliability.md, row 15):\n{tail}"
