"""Encrypt the ID numbers and phones already stored in plaintext and fill their blind indexes.

Reversible while the data keys are configured: the reverse writes the plaintext back.
"""

from django.db import migrations

from zhengwu.common.pii import ID_NUMBER, PHONE, migrate_decrypt, migrate_encrypt

COLUMNS = {
    "organization.Applicant": {"id_number": ("id_number_index", ID_NUMBER), "phone": ("phone_index", PHONE)},
    "organization.User": {"phone": ("phone_index", PHONE)},
}


def encrypt(apps, schema_editor):
    for label, columns in COLUMNS.items():
        migrate_encrypt(apps, schema_editor, label, columns)


def decrypt(apps, schema_editor):
    for label, columns in COLUMNS.items():
        migrate_decrypt(apps, schema_editor, label, columns)


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0003_pii_encrypted_columns"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
