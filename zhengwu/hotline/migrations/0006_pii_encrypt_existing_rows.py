"""Encrypt the callers' phones already stored in plaintext and fill their blind index.

Reversible while the data keys are configured: the reverse writes the plaintext back.
"""

from django.db import migrations

from zhengwu.common.pii import PHONE, migrate_decrypt, migrate_encrypt

COLUMNS = {"caller_phone": ("caller_phone_index", PHONE)}


def encrypt(apps, schema_editor):
    migrate_encrypt(apps, schema_editor, "hotline.Ticket", COLUMNS)


def decrypt(apps, schema_editor):
    migrate_decrypt(apps, schema_editor, "hotline.Ticket", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("hotline", "0005_pii_encrypted_columns"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
