"""The hash chain: every row links to the one before; verify names the first broken row; purge keeps the
chain verifiable and refuses anything inside the retention."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from zhengwu.audit import triggers
from zhengwu.audit.models import AuditEvent
from zhengwu.audit.selectors import audit_chain_verify
from zhengwu.audit.services import GENESIS, audit_purge, compute_hash, record
from zhengwu.common import clock
from zhengwu.common.errors import DomainError

pytestmark = pytest.mark.django_db


def _events(n: int) -> list[AuditEvent]:
    return [
        record("config.change", object_type="setting", object_id=f"S{i}", detail={"i": i}) for i in range(n)
    ]


def _tamper(sql: str, params: list) -> None:
    """A low-level edit past the triggers (dropped inside the test's transaction, restored by its rollback)."""
    triggers.drop(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    triggers.install(connection)


def test_each_row_links_to_the_hash_of_the_row_before_and_the_first_to_genesis():
    first, second, third = _events(3)

    assert first.prev_hash == GENESIS
    assert (second.prev_hash, third.prev_hash) == (first.hash, second.hash)
    assert [e.id for e in (first, second, third)] == [first.id, first.id + 1, first.id + 2]


def test_the_stored_hash_is_the_hmac_of_the_row_as_read_back_from_the_database():
    _events(2)

    for event in AuditEvent.objects.all():
        assert event.hash == compute_hash(event)
        assert len(event.hash) == 64


def test_an_untouched_chain_verifies():
    _events(5)

    report = audit_chain_verify()

    assert report.ok and report.checked == AuditEvent.objects.count()


def test_one_flipped_character_is_reported_at_exactly_that_row():
    events = _events(6)
    target = events[3]

    _tamper(f"UPDATE {triggers.EVENT} SET object_id = %s WHERE id = %s", ["S4", target.id])

    report = audit_chain_verify()
    assert report.broken is not None
    assert report.broken.id == target.id
    assert report.broken.stored == target.hash
    assert report.broken.expected != target.hash


def test_a_flipped_byte_in_the_detail_json_is_reported_at_that_row():
    events = _events(4)
    target = events[1]

    _tamper(f"UPDATE {triggers.EVENT} SET detail = %s WHERE id = %s", ['{"i": 7}', target.id])

    assert audit_chain_verify().broken.id == target.id


def test_a_deleted_row_in_the_middle_breaks_the_chain_at_the_next_row():
    events = _events(5)

    _tamper(f"DELETE FROM {triggers.EVENT} WHERE id = %s", [events[2].id])

    broken = audit_chain_verify().broken
    assert broken.id == events[3].id
    assert "缺失" in broken.reason


def test_verify_command_exits_1_naming_the_broken_row_and_0_when_intact():
    events = _events(3)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out, stderr=io.StringIO())
    assert "审计日志完整" in out.getvalue()

    _tamper(f"UPDATE {triggers.EVENT} SET ip = %s WHERE id = %s", ["10.0.0.9", events[1].id])

    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=io.StringIO())
    assert raised.value.returncode == 1
    assert f"#{events[1].id}" in str(raised.value)
    assert events[1].hash in str(raised.value)


def test_audit_verify_alias_command_reports_the_same_break():
    events = _events(2)
    _tamper(f"UPDATE {triggers.EVENT} SET action = %s WHERE id = %s", ["config.chang", events[0].id])

    with pytest.raises(CommandError, match=f"#{events[0].id}"):
        call_command("audit_verify", stdout=io.StringIO(), stderr=io.StringIO())


# -- purge ----------------------------------------------------------------------------------------------------


def _old_and_new(days_ago: int = 400) -> tuple[list[AuditEvent], list[AuditEvent]]:
    with time_machine.travel(clock.now() - dt.timedelta(days=days_ago), tick=False):
        old = _events(3)
    return old, _events(2)


def test_purge_refuses_a_date_inside_the_retention():
    _old_and_new()

    with pytest.raises(DomainError) as raised:
        audit_purge(before=clock.now() - dt.timedelta(days=100))
    assert raised.value.code == "retention"
    assert "365" in raised.value.message


def test_purge_refuses_under_180_days_even_when_retention_is_set_lower(settings):
    settings.ZHENGWU_AUDIT_RETENTION_DAYS = 30

    with pytest.raises(DomainError):
        audit_purge(before=clock.now() - dt.timedelta(days=179))


def test_purge_removes_old_rows_and_writes_a_checkpoint_so_the_chain_still_verifies():
    old, new = _old_and_new()

    checkpoint = audit_purge(before=clock.now() - dt.timedelta(days=370))

    assert not AuditEvent.objects.filter(id__in=[e.id for e in old]).exists()
    assert AuditEvent.objects.filter(id__in=[e.id for e in new]).count() == 2
    assert checkpoint.action == "audit.purge"
    assert checkpoint.detail["last_purged_id"] == old[-1].id
    assert checkpoint.detail["last_purged_hash"] == old[-1].hash
    assert checkpoint.detail["purged"] == 3
    report = audit_chain_verify()
    assert report.ok, report.broken


def test_purge_command_refuses_a_young_date_with_exit_status_2():
    _old_and_new()
    young = (clock.today() - dt.timedelta(days=30)).isoformat()

    with pytest.raises(CommandError) as raised:
        call_command("audit", "purge", "--before", young, stdout=io.StringIO())
    assert raised.value.returncode == 2


def test_purge_command_clears_old_rows_and_reports_the_checkpoint():
    old, _ = _old_and_new(500)
    before = (clock.today() - dt.timedelta(days=400)).isoformat()
    out = io.StringIO()

    call_command("audit", "purge", "--before", before, stdout=out)

    assert "已清理 3 条" in out.getvalue()
    assert not AuditEvent.objects.filter(id=old[0].id).exists()


def test_the_checkpoint_is_what_lets_a_purged_chain_verify():
    _, new = _old_and_new()
    checkpoint = audit_purge(before=clock.now() - dt.timedelta(days=370))

    _tamper(
        f"UPDATE {triggers.EVENT} SET detail = %s WHERE id = %s",
        [json.dumps({**checkpoint.detail, "last_purged_hash": "f" * 64}), checkpoint.id],
    )

    assert audit_chain_verify().broken.id == new[0].id


# -- export -----------------------------------------------------------------------------------------------------


def test_export_jsonl_holds_every_field_and_hash_and_is_itself_audited():
    events = _events(2)
    out = io.StringIO()

    call_command("audit", "export", "--format", "jsonl", stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == [e.id for e in events]
    assert lines[0]["hash"] == events[0].hash and lines[1]["prev_hash"] == events[0].hash
    assert set(lines[0]) >= {
        "at",
        "actor_username",
        "role",
        "ip",
        "action",
        "object_type",
        "object_id",
        "result",
    }
    exported = AuditEvent.objects.order_by("-id").first()
    assert exported.action == "export" and exported.detail["rows"] == 2


def test_export_csv_has_chinese_headers_and_since_filters(tmp_path):
    with time_machine.travel(clock.now() - dt.timedelta(days=10), tick=False):
        _events(1)
    _events(2)
    target = tmp_path / "audit.csv"

    call_command(
        "audit",
        "export",
        "--format",
        "csv",
        "--since",
        clock.today().isoformat(),
        "--output",
        str(target),
        stderr=io.StringIO(),
    )

    rows = target.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("序号,时间（UTC）,操作人ID")
    assert len(rows) == 3


def test_export_refuses_a_bad_date_in_chinese():
    with pytest.raises(CommandError, match="日期格式错误"):
        call_command("audit", "export", "--since", "2026-13-01", stdout=io.StringIO())
