"""Seeding and inspection of a harness's database, run in a child process with the server's environment.

    python -m reliability.dbtool seed N CLERKS     # N cases ready to accept; clerks', a citizen's tokens
    python -m reliability.dbtool accept-state < numbers.json
    python -m reliability.dbtool inspect-crash < acks.json

Each prints one JSON line on stdout. Data come from the test factories, so this needs the dev extra.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any


def _setup() -> None:
    import django

    django.setup()


def seed(count: int, clerks: int) -> dict[str, Any]:
    """A county with `clerks` window clerks, a published online item, a citizen account, and `count`
    window cases with every material received (ready to accept). Tokens for the clerks and the citizen."""
    from django.db import transaction

    from zhengwu.accounts.services import token_create
    from zhengwu.cases.tests.factories import (
        make_applicant,
        make_case,
        make_citizen,
        make_county,
        receive_all,
    )
    from zhengwu.catalog.tests.factories import make_item
    from zhengwu.common import clock
    from zhengwu.organization.choices import Role
    from zhengwu.organization.tests.factories import UserFactory

    with transaction.atomic():
        county = make_county()
        staff = [county.clerk] + [
            UserFactory(department=county.department, roles=[Role.WINDOW_CLERK], scope=[county.region])
            for _ in range(clerks - 1)
        ]
        tokens = [token_create(user=user)[1] for user in staff]
        item = make_item(department=county.department)
        applicant = make_applicant()
        citizen_token = token_create(user=make_citizen())[1]
    versions = {}
    for _ in range(count):
        with transaction.atomic():
            case = make_case(county, item=item, applicant=applicant, now=clock.now())
            receive_all(case, county, clock.now())
            versions[case.number] = case.version
    return {
        "tokens": tokens,
        "cases": list(versions),
        "versions": versions,
        "citizen_token": citizen_token,
        "item": item.implementation_code,
    }


def accept_state(numbers: list[str]) -> dict[str, Any]:
    from zhengwu.audit.models import AuditEvent
    from zhengwu.cases.models import Case, CaseEvent

    state = {}
    for case in Case.objects.filter(number__in=numbers):
        state[case.number] = {
            "status": case.status,
            "version": case.version,
            "accept_events": CaseEvent.objects.filter(case=case, action="accept").count(),
            "accept_audit": AuditEvent.objects.filter(action="case.accept", object_id=case.number).count(),
        }
    return state


def inspect_crash(acks: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare the client's acknowledgements with the database and the file store after the run."""
    from django.db import connection

    from zhengwu.cases.models import Case, MaterialFile
    from zhengwu.common import filestore
    from zhengwu.common.management.commands.sweep_files import referenced_keys

    problems: list[str] = []
    cases = {case.number: case for case in Case.objects.filter(number__in=[a["number"] for a in acks])}
    files = {f.pk: f for f in MaterialFile.objects.select_related("case_material__case")}
    for ack in acks:
        case = cases.get(ack["number"])
        if case is None:
            problems.append(f"acknowledged case {ack['number']} is missing")
            continue
        if ack.get("submitted") and case.status == "draft":
            problems.append(f"acknowledged submission of {ack['number']} lost: still a draft")
        if ack.get("file_id") is not None:
            row = files.get(ack["file_id"])
            if row is None or row.case_material.case.number != ack["number"]:
                problems.append(f"acknowledged file {ack['file_id']} of {ack['number']} is missing")
            elif row.sha256 != ack["sha256"]:
                problems.append(f"file {ack['file_id']} of {ack['number']} has another checksum")
    # No row, acknowledged or not, may point at a missing or damaged blob.
    for row in files.values():
        try:
            with filestore.open_blob(row.storage_key) as blob:
                digest = hashlib.sha256(blob.read()).hexdigest()
        except FileNotFoundError:
            problems.append(f"file row {row.pk} ({row.case_material.case.number}) has no blob")
            continue
        if digest != row.sha256:
            problems.append(f"file row {row.pk} ({row.case_material.case.number}): blob checksum differs")
    integrity = "n/a"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = ";".join(row[0] for row in cursor.fetchall())
        if integrity != "ok":
            problems.append(f"PRAGMA integrity_check: {integrity}")
    referenced = referenced_keys()
    return {
        "problems": problems,
        "integrity": integrity,
        "cases": Case.objects.count(),
        "files": len(files),
        "orphans": filestore.orphans(referenced),
        "temporaries": sum(1 for p in filestore.root().rglob(".tmp-*")) if filestore.root().is_dir() else 0,
    }


def main(argv: list[str]) -> None:
    _setup()
    command, args = argv[0], argv[1:]
    if command == "seed":
        answer = seed(int(args[0]), int(args[1]))
    elif command == "accept-state":
        answer = accept_state(json.load(sys.stdin))
    elif command == "inspect-crash":
        answer = inspect_crash(json.load(sys.stdin))
    else:
        raise SystemExit(f"unknown command {command}")
    sys.stdout.write("\n" + json.dumps(answer, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
