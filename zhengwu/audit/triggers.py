"""The database triggers that make the audit log append-only, on SQLite and PostgreSQL (SECURITY §5).

- UPDATE of an audit row: always refused.
- DELETE of an audit row: refused unless the row is older than `audit_auditpurgecutoff.cutoff`, which is
  NULL except inside `audit_purge`'s transaction. TRUNCATE (PostgreSQL): refused.
- The cutoff itself: never younger than 180 days before the database's own clock (网络安全法 Art. 21),
  and its row cannot be deleted.

Installed by migration 0002; `zhengwu flush` (tests) removes and reinstalls them around the wipe.
"""

from __future__ import annotations

EVENT = "audit_auditevent"
CUTOFF = "audit_auditpurgecutoff"
UPDATE_REFUSED = "审计记录只能追加，不得修改（audit_event is append-only: UPDATE refused）"
DELETE_REFUSED = "审计记录不得删除，只能由清理命令删除超过保留期限的记录（audit_event: DELETE refused）"
CUTOFF_REFUSED = "审计清理时间点不得晚于 180 天前（audit purge cutoff younger than 180 days refused）"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {EVENT}
    BEGIN SELECT RAISE(ABORT, '{UPDATE_REFUSED}'); END""",
    f"""CREATE TRIGGER audit_event_guard_delete BEFORE DELETE ON {EVENT}
    WHEN (SELECT cutoff FROM {CUTOFF} WHERE id = 1) IS NULL
      OR OLD."at" >= (SELECT cutoff FROM {CUTOFF} WHERE id = 1)
    BEGIN SELECT RAISE(ABORT, '{DELETE_REFUSED}'); END""",
    f"""CREATE TRIGGER audit_cutoff_floor_insert BEFORE INSERT ON {CUTOFF}
    WHEN NEW.cutoff IS NOT NULL AND NEW.cutoff > strftime('%Y-%m-%d %H:%M:%f', 'now', '-180 days')
    BEGIN SELECT RAISE(ABORT, '{CUTOFF_REFUSED}'); END""",
    f"""CREATE TRIGGER audit_cutoff_floor_update BEFORE UPDATE ON {CUTOFF}
    WHEN NEW.cutoff IS NOT NULL AND NEW.cutoff > strftime('%Y-%m-%d %H:%M:%f', 'now', '-180 days')
    BEGIN SELECT RAISE(ABORT, '{CUTOFF_REFUSED}'); END""",
    f"""CREATE TRIGGER audit_cutoff_no_delete BEFORE DELETE ON {CUTOFF}
    BEGIN SELECT RAISE(ABORT, '{DELETE_REFUSED}'); END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "audit_event_no_update",
        "audit_event_guard_delete",
        "audit_cutoff_floor_insert",
        "audit_cutoff_floor_update",
        "audit_cutoff_no_delete",
    )
]

POSTGRES_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_event_guard() RETURNS trigger LANGUAGE plpgsql AS $guard$
DECLARE
    limit_at timestamptz;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '{UPDATE_REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
    ELSIF TG_OP = 'DELETE' THEN
        SELECT cutoff INTO limit_at FROM {CUTOFF} WHERE id = 1;
        IF limit_at IS NULL OR OLD."at" >= limit_at THEN
            RAISE EXCEPTION '{DELETE_REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{DELETE_REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
END
$guard$""",
    f"""CREATE TRIGGER audit_event_guard BEFORE UPDATE OR DELETE ON {EVENT}
    FOR EACH ROW EXECUTE FUNCTION audit_event_guard()""",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {EVENT}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_guard()""",
    f"""CREATE OR REPLACE FUNCTION audit_cutoff_guard() RETURNS trigger LANGUAGE plpgsql AS $guard$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
        RAISE EXCEPTION '{DELETE_REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.cutoff IS NOT NULL AND NEW.cutoff > now() - interval '180 days' THEN
        RAISE EXCEPTION '{CUTOFF_REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$guard$""",
    f"""CREATE TRIGGER audit_cutoff_guard BEFORE INSERT OR UPDATE OR DELETE ON {CUTOFF}
    FOR EACH ROW EXECUTE FUNCTION audit_cutoff_guard()""",
    f"""CREATE TRIGGER audit_cutoff_no_truncate BEFORE TRUNCATE ON {CUTOFF}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_cutoff_guard()""",
]
POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_event_guard ON {EVENT}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {EVENT}",
    f"DROP TRIGGER IF EXISTS audit_cutoff_guard ON {CUTOFF}",
    f"DROP TRIGGER IF EXISTS audit_cutoff_no_truncate ON {CUTOFF}",
    "DROP FUNCTION IF EXISTS audit_event_guard()",
    "DROP FUNCTION IF EXISTS audit_cutoff_guard()",
]


def _statements(vendor: str, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_DROP
    raise NotImplementedError(f"审计日志的保护触发器只支持 SQLite 和 PostgreSQL，不支持 {vendor}。")


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, True):
            cursor.execute(sql)


def drop(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection.vendor, False):
            cursor.execute(sql)
