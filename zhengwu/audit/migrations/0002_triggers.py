"""Append-only protection of the audit log by database triggers (zhengwu/audit/triggers.py), and the one
row of AuditPurgeCutoff with no cutoff."""

from django.db import migrations


def forwards(apps, schema_editor):
    from zhengwu.audit import triggers

    schema_editor.execute("INSERT INTO audit_auditpurgecutoff (id, cutoff) VALUES (1, NULL)")
    triggers.install(schema_editor.connection)


def backwards(apps, schema_editor):
    from zhengwu.audit import triggers

    triggers.drop(schema_editor.connection)
    schema_editor.execute("DELETE FROM audit_auditpurgecutoff")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
