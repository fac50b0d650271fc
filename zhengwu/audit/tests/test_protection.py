"""Nobody changes or deletes an audit row: ORM, raw SQL, model save, admin site; the purge cutoff never
comes within 180 days, whatever the application asks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from zhengwu.audit import triggers
from zhengwu.audit.models import AuditEvent, AuditPurgeCutoff
from zhengwu.audit.services import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return record("config.change", object_type="setting", object_id="x", detail={"a": 1})


def _refused(operation) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        operation()


def test_queryset_update_is_refused_by_the_database(event):
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(result="failure"))
    assert AuditEvent.objects.get(pk=event.pk).result == "success"


def test_queryset_delete_is_refused_by_the_database(event):
    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_raw_sql_update_is_refused(event):
    def update():
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {triggers.EVENT} SET actor_username = 'someone' WHERE id = %s", [event.pk]
            )

    _refused(update)


def test_raw_sql_delete_is_refused(event):
    def delete():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {triggers.EVENT}")

    _refused(delete)
    assert AuditEvent.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_truncate_is_refused_on_postgresql(event):
    def truncate():
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {triggers.EVENT}")

    _refused(truncate)


def test_saving_an_existing_row_is_refused_by_the_model(event):
    event.result = "failure"
    with pytest.raises(ValueError, match="不可修改"):
        event.save()


def test_model_delete_is_refused(event):
    with pytest.raises(ValueError, match="不可删除"):
        event.delete()


def test_an_update_bypassing_the_model_save_is_refused_by_the_database(event):
    event.result = "failure"
    _refused(lambda: AuditEvent.objects.bulk_update([event], ["result"]))


def test_the_delete_trigger_refuses_a_young_row_even_with_an_old_cutoff(event):
    old_enough = timezone.now() - dt.timedelta(days=200)
    AuditPurgeCutoff.objects.filter(id=1).update(cutoff=old_enough)

    _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())


def test_the_database_refuses_a_cutoff_younger_than_180_days():
    _refused(
        lambda: AuditPurgeCutoff.objects.filter(id=1).update(cutoff=timezone.now() - dt.timedelta(days=30))
    )


def test_the_cutoff_row_cannot_be_deleted():
    _refused(lambda: AuditPurgeCutoff.objects.all().delete())


def test_the_admin_site_offers_no_audit_model():
    assert AuditEvent not in admin.site._registry
    assert AuditPurgeCutoff not in admin.site._registry


def test_flush_refuses_in_production(settings):
    from django.core.management import CommandError, call_command

    settings.ZHENGWU_AUDIT_ALLOW_FLUSH = False
    with pytest.raises(CommandError, match="审计日志"):
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_flush_in_development_empties_the_log_and_puts_the_protection_back():
    from django.core.management import call_command

    record("config.change")

    call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 0
    assert AuditPurgeCutoff.objects.filter(id=1, cutoff=None).exists()
    again = record("config.change")
    assert again.id == 1
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.all().delete()
