"""Encrypted personal-data fields, blind indexes, the data migration helpers and key rotation."""

from __future__ import annotations

import base64
import datetime as dt
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from zhengwu.common import pii
from zhengwu.common.errors import DomainError
from zhengwu.hotline.models import Ticket
from zhengwu.organization.models import Applicant, User
from zhengwu.organization.services import applicant_register

pytestmark = pytest.mark.django_db

PERSON_ID = "11010519491231002X"
PHONE = "13812345678"
OLD_KEY = "old:" + "11" * 16
NEW_KEY = "new:" + "22" * 16


def _register(id_number: str = PERSON_ID, phone: str = PHONE, name: str = "张三") -> Applicant:
    return applicant_register(
        kind="person", name=name, id_number=id_number, today=dt.date(2026, 1, 5), phone=phone
    )


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _set_raw(table: str, column: str, pk: int, value: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, pk])


def test_id_number_and_phone_are_stored_as_tokens_naming_their_key_and_read_back_in_plaintext():
    applicant = _register()
    stored_id = _raw("organization_applicant", "id_number", applicant.pk)
    stored_phone = _raw("organization_applicant", "phone", applicant.pk)
    assert PERSON_ID not in stored_id and PHONE not in stored_phone
    assert pii.token_key_id(stored_id) == pii.current_key_id() != ""
    fresh = Applicant.objects.get(pk=applicant.pk)
    assert (fresh.id_number, fresh.phone) == (PERSON_ID, PHONE)


def test_the_same_value_encrypts_differently_each_time():
    assert pii.encrypt_text(PHONE, aad="x.Y.z") != pii.encrypt_text(PHONE, aad="x.Y.z")


def test_blind_index_finds_an_applicant_by_its_normalised_id_number():
    applicant = _register()
    assert list(Applicant.objects.by_id_number(" 11010519491231002x ")) == [applicant]
    assert not Applicant.objects.by_id_number("110105194912310038").exists()
    assert not Applicant.objects.by_id_number("").exists()


def test_phone_blind_index_ignores_separators_and_the_country_code():
    applicant = _register()
    assert list(Applicant.objects.by_phone("+86 138-1234-5678")) == [applicant]
    assert list(Applicant.objects.matching(phone="8613812345678")) == [applicant]


def test_blind_index_follows_a_changed_value_on_save():
    applicant = _register()
    applicant.phone = "13900001111"
    applicant.save(update_fields=["phone", "phone_index"])
    assert not Applicant.objects.by_phone(PHONE).exists()
    assert Applicant.objects.by_phone("13900001111").get() == applicant


def test_saving_an_encrypted_field_without_its_index_is_refused():
    applicant = _register()
    applicant.phone = "13900001111"
    with pytest.raises(ValueError, match="phone_index"):
        applicant.save(update_fields=["phone"])


def test_registering_the_same_id_number_again_finds_the_existing_applicant():
    first = _register()
    assert _register(id_number=PERSON_ID.lower()) == first
    assert Applicant.objects.count() == 1


def test_user_and_ticket_phones_have_blind_indexes_too():
    user = User.objects.create(username="clerk-pii", phone=PHONE)
    assert PHONE not in _raw("organization_user", "phone", user.pk)
    assert pii.filter_matching(User.objects.all(), phone=PHONE).get() == user
    assert Ticket._meta.get_field("caller_phone_index").source == "caller_phone"


def test_filtering_an_encrypted_field_by_value_is_refused_rather_than_matching_nothing():
    with pytest.raises(FieldError, match="盲索引"):
        Applicant.objects.filter(id_number=PERSON_ID).exists()
    with pytest.raises(FieldError):
        Applicant.objects.filter(phone__startswith="138").exists()
    _register(phone="")
    assert Applicant.objects.filter(phone="").count() == 1


def test_a_tampered_ciphertext_raises_when_the_row_is_read():
    applicant = _register()
    token = bytearray(base64.b64decode(_raw("organization_applicant", "id_number", applicant.pk)))
    token[-20] ^= 0x01
    _set_raw("organization_applicant", "id_number", applicant.pk, base64.b64encode(bytes(token)).decode())
    with pytest.raises(DomainError) as error:
        Applicant.objects.get(pk=applicant.pk)
    assert error.value.code == "decrypt_failed"


def test_a_ciphertext_copied_into_another_column_does_not_decrypt():
    applicant = _register()
    _set_raw(
        "organization_applicant",
        "phone",
        applicant.pk,
        _raw("organization_applicant", "id_number", applicant.pk),
    )
    with pytest.raises(DomainError):
        Applicant.objects.get(pk=applicant.pk)


def test_rotation_reencrypts_under_the_new_key_after_which_the_old_key_is_not_needed(settings):
    settings.ZHENGWU_CRYPTO_KEYS = OLD_KEY
    applicant = _register()
    old_token = _raw("organization_applicant", "id_number", applicant.pk)
    assert pii.token_key_id(old_token) == "old"

    settings.ZHENGWU_CRYPTO_KEYS = f"{NEW_KEY},{OLD_KEY}"
    out = []
    done = pii.rotate_keys(progress=out.append)
    assert done["organization.Applicant.id_number"] == 1 and done["organization.Applicant.phone"] == 1
    assert any("organization.Applicant.id_number：已重新加密 1/1" in line for line in out)
    assert pii.key_usage()["organization.Applicant.id_number"] == {"new": 1}

    settings.ZHENGWU_CRYPTO_KEYS = NEW_KEY  # the old key removed
    fresh = Applicant.objects.get(pk=applicant.pk)
    assert (fresh.id_number, fresh.phone) == (PERSON_ID, PHONE)
    with pytest.raises(DomainError):  # a token from before the rotation (a backup) needs the old key
        pii.decrypt_text(old_token, aad="organization.Applicant.id_number")


def test_rotate_keys_command_prints_progress_and_refuses_values_no_key_decrypts(settings, capsys):
    settings.ZHENGWU_CRYPTO_KEYS = OLD_KEY
    _register()
    settings.ZHENGWU_CRYPTO_KEYS = f"{NEW_KEY},{OLD_KEY}"
    call_command("pii", "rotate-keys")
    output = capsys.readouterr().out
    assert "当前密钥：new" in output and "organization.Applicant.id_number：已重新加密 1/1" in output

    settings.ZHENGWU_CRYPTO_KEYS = OLD_KEY  # re-encrypted under "new", which is now missing
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="无法用已配置的任何密钥解密"):
        call_command("pii", "rotate-keys", "--all")


def test_reindex_restores_lookups_after_the_blind_index_key_changes(settings):
    applicant = _register()
    settings.ZHENGWU_BLIND_INDEX_KEY = "33" * 16
    assert not Applicant.objects.by_id_number(PERSON_ID).exists()
    call_command("pii", "reindex")
    assert Applicant.objects.by_id_number(PERSON_ID).get() == applicant


def test_data_migration_encrypts_plaintext_rows_and_is_reversible():
    applicant = _register()
    columns = {"id_number": ("id_number_index", pii.ID_NUMBER), "phone": ("phone_index", pii.PHONE)}
    editor = SimpleNamespace(connection=connection)
    pii.migrate_decrypt(apps, editor, "organization.Applicant", columns)  # as before the migration
    assert _raw("organization_applicant", "id_number", applicant.pk) == PERSON_ID
    assert _raw("organization_applicant", "id_number_index", applicant.pk) == ""

    pii.migrate_encrypt(apps, editor, "organization.Applicant", columns)
    pii.migrate_encrypt(apps, editor, "organization.Applicant", columns)  # a re-run keeps the tokens
    assert PERSON_ID not in _raw("organization_applicant", "id_number", applicant.pk)
    assert Applicant.objects.by_id_number(PERSON_ID).get().phone == PHONE
