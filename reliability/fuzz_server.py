"""Row 14, the nightly CLI run: a live gunicorn with one account and one API token per role.

    python -m reliability.fuzz_server serve [--ready FILE] [--port N]
    python -m reliability.fuzz_server seed          # (child process, with the server's environment)

`serve` migrates a temporary installation (a SQLite file, or with `DATABASE_URL` naming PostgreSQL a
temporary database on that server), seeds it, starts gunicorn with 3 sync workers and production
settings (`reliability.harness.Server`), and prints one JSON line — also written to `--ready FILE` once
the server answers:

    {"url": "http://127.0.0.1:PORT", "schema": "http://127.0.0.1:PORT/api/schema/?format=json",
     "vendor": "sqlite", "tokens": {"citizen": "...", "window_clerk": "...", ...}, "log": "…/gunicorn.log"}

One setting differs from production: `ZHENGWU_API_DOCS=public`. Production shows `/api/schema/` to
signed-in staff only, and that check reads the session, not an API token, so no role could load the
schema it is to be tested against.

It then serves until SIGINT or SIGTERM, and removes the installation (drops the database) on the way
out. `reliability/api_fuzz_cli.sh` runs `schemathesis run --checks all` once per role against it.

`seed` makes, through `seed_world()` (which the in-process fuzz run uses too), a county with a
published item, one case received at the window and one accepted, a citizen account, a window clerk,
an approver, a supervisor and the three administrators, and an API token for each.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROLES = (
    "citizen",
    "window_clerk",
    "approver",
    "supervisor",
    "system_admin",
    "security_admin",
    "audit_admin",
)


def seed_world() -> dict[str, Any]:
    """The world of every row-14 run (in-process and CLI): {"tokens": {role: key}, "item": code}."""
    from zhengwu.accounts.services import token_create
    from zhengwu.cases.tests.factories import accepted_case, make_case, make_citizen, make_county
    from zhengwu.catalog.tests.factories import make_item
    from zhengwu.common import clock
    from zhengwu.organization.choices import Role
    from zhengwu.organization.tests.factories import UserFactory

    county = make_county()
    item = make_item(department=county.department)
    make_case(county, item=item, now=clock.now())
    accepted_case(county, item=item, day=clock.today().isoformat())
    users = {
        "citizen": make_citizen(),
        "window_clerk": county.clerk,
        "approver": county.approver,
        "supervisor": county.supervisor,
    }
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        users[role.value] = UserFactory(department=county.department, roles=[role], scope=[county.region])
    return {
        "tokens": {role: token_create(user=user)[1] for role, user in users.items()},
        "item": item.implementation_code,
    }


def seed() -> dict[str, Any]:
    import django

    django.setup()
    from django.db import transaction

    with transaction.atomic():
        return seed_world()


def _seed_site(site) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "reliability.fuzz_server", "seed"],
        cwd=Path(__file__).resolve().parent.parent,
        env=site.env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _stop(signum, frame) -> None:
    raise SystemExit(0)


def serve(ready: Path | None, port: int | None) -> None:
    from reliability import harness

    signal.signal(signal.SIGTERM, _stop)
    folder = Path(tempfile.mkdtemp(prefix="zhengwu-apifuzz-"))
    try:
        with harness.template(folder) as site:
            seeded = _seed_site(site)
            # Production shows /api/schema/ to signed-in staff only (ZHENGWU_API_DOCS=staff, checked by a
            # middleware on the session, before any API token is read): the fuzz server publishes it.
            site.env["ZHENGWU_API_DOCS"] = "public"
            with harness.Server(site, port=port) as server:
                answer = {
                    "url": server.url,
                    "schema": f"{server.url}/api/schema/?format=json",
                    "vendor": site.vendor,
                    "tokens": seeded["tokens"],
                    "log": str(server.log),
                }
                line = json.dumps(answer, ensure_ascii=False)
                print(line, flush=True)
                if ready is not None:
                    partial = ready.with_suffix(".partial")
                    partial.write_text(line + "\n")
                    os.replace(partial, ready)
                with contextlib.suppress(KeyboardInterrupt):
                    while server.process is not None and server.process.poll() is None:
                        time.sleep(1)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m reliability.fuzz_server")
    commands = parser.add_subparsers(dest="command", required=True)
    serving = commands.add_parser("serve", help="start gunicorn on a seeded temporary installation")
    serving.add_argument("--ready", type=Path, help="write the JSON line here once the server answers")
    serving.add_argument("--port", type=int, help="default: a free port")
    commands.add_parser("seed", help="(internal) seed the installation named by the environment")
    args = parser.parse_args(argv)
    if args.command == "seed":
        sys.stdout.write("\n" + json.dumps(seed(), ensure_ascii=False) + "\n")
    else:
        serve(args.ready, args.port)


if __name__ == "__main__":
    main(sys.argv[1:])
