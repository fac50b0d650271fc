"""Citizen accounts: an opaque username, the mobile number only encrypted (SECURITY row 20), one account
per number, and the migration that converts the accounts made when the username was the number."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from zhengwu.accounts.identity import lockout_key
from zhengwu.common.errors import DomainError
from zhengwu.organization.models import User
from zhengwu.organization.selectors import citizen_get_by_phone
from zhengwu.organization.services import CITIZEN_USERNAME_RE, citizen_register
from zhengwu.organization.tests.factories import UserFactory

PHONE = "13912345678"
TODAY = dt.date(2026, 1, 5)


def _register(phone: str = PHONE, id_number: str = "430903199001011238", name: str = "李四") -> User:
    return citizen_register(
        phone=phone, password="Zw!citizen-2026", name=name, id_number=id_number, today=TODAY
    )


def _stored(user: User, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM organization_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_registered_citizens_username_is_an_opaque_id_not_the_phone():
    user = _register()
    assert user.username != PHONE and PHONE not in user.username
    assert CITIZEN_USERNAME_RE.match(user.username)
    assert (
        _register(phone="13912345679", id_number="11010519491231002X", name="张三").username != user.username
    )


@pytest.mark.django_db
def test_the_registered_number_is_stored_only_encrypted_and_found_by_its_blind_index():
    user = _register()
    assert User.objects.get(pk=user.pk).phone == PHONE
    assert PHONE not in _stored(user, "phone") and PHONE not in _stored(user, "username")
    assert citizen_get_by_phone(phone="+86 139 1234 5678") == user


@pytest.mark.django_db
def test_a_number_registers_once_and_the_database_refuses_a_second_citizen_with_it():
    user = _register()
    with pytest.raises(DomainError) as refused:
        _register(id_number="11010519491231002X", name="张三")
    assert refused.value.fields == {"phone": ["该手机号码已注册。"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="c" + "a" * 16, phone=PHONE, applicant=user.applicant)
    UserFactory(username="clerk_li", phone=PHONE)  # a staff account may share it: it signs in by username


@pytest.mark.django_db(transaction=True)  # the migration runs outside a test transaction, as in a deployment
def test_the_migration_gives_an_old_style_citizen_an_opaque_username_and_moves_the_number_into_phone():
    from axes.models import AccessAttempt, AccessLog

    before = [("organization", "0006_admin_role_unique")]
    target = [("organization", "0007_citizen_opaque_usernames")]
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        applicant = old.get_model("organization", "Applicant").objects.create(
            kind="person", name="李四", id_number="430903199001011238"
        )
        other = old.get_model("organization", "Applicant").objects.create(
            kind="person", name="张三", id_number="11010519491231002X"
        )
        users = old.get_model("organization", "User")
        missing = users.objects.create(username=PHONE, full_name="李四", applicant=applicant, phone="")
        differing = users.objects.create(
            username="13700001111", full_name="张三", applicant=other, phone="13800000000"
        )
        staff = users.objects.create(username="13600002222", full_name="王五")  # not a citizen: left alone
        seen = {"ip_address": "10.0.0.1", "user_agent": "test", "http_accept": "*/*", "path_info": "/"}
        AccessLog.objects.create(username=PHONE, attempt_time="2026-01-05T00:00:00Z", **seen)
        AccessAttempt.objects.create(
            username=PHONE, attempt_time="2026-01-05T00:00:00Z", failures_since_start=2, **seen
        )
        MigrationExecutor(connection).migrate(target)
    finally:
        MigrationExecutor(connection).migrate(latest)

    converted = User.objects.get(pk=missing.pk)
    assert CITIZEN_USERNAME_RE.match(converted.username)
    assert converted.phone == PHONE and citizen_get_by_phone(phone=PHONE) == converted
    assert PHONE not in _stored(converted, "phone")
    moved = User.objects.get(pk=differing.pk)
    assert CITIZEN_USERNAME_RE.match(moved.username) and moved.phone == "13700001111"  # the sign-in number
    assert User.objects.get(pk=staff.pk).username == "13600002222"
    assert list(AccessLog.objects.values_list("username", flat=True)) == [converted.username]
    assert list(AccessAttempt.objects.values_list("username", "failures_since_start")) == [
        (lockout_key(PHONE), 2)
    ]
