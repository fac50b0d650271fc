"""Row 23 at CI scale: the Locust load profile against live gunicorn meets no error and no lock.

Runs `python -m bench.load --scale ci` (10 users for 30 s over 2,000 demo cases in the reduced demo:
readers 70 %, clerks 20 %, citizens 10 %, gunicorn with 3 sync workers) on a copy of this session's
migrated template database, SQLite or, with `DATABASE_URL` naming PostgreSQL, a temporary PostgreSQL
database. The runner exits 0 only with no failed request and no "database is locked", traceback or
worker timeout in the server log; at this scale p95 is printed, not judged (CI shares two cores).
The full profile (50 users, 10 min, 100,000 cases, p95 judged) is `make load`; see docs/reliability.md.
"""

from __future__ import annotations

import subprocess
import sys

from reliability import harness


def test_load_profile_at_ci_scale_ends_without_a_failed_request_or_a_database_lock(template_site, tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load",
            "--scale",
            "ci",
            "--template",
            template_site.database_url,
            "--out",
            str(tmp_path / "load"),
        ],
        cwd=harness.ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(done.stdout)  # the runner's table, shown with -s or on failure
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-4000:]
