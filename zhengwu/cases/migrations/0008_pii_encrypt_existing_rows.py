"""Encrypt the agents' ID numbers and phones and the contact phones already stored in plaintext, and
drop the copy of the contact phone from the application form JSON (`Case.contact_phone` holds it).

Reversible while the data keys are configured: the reverse writes the plaintext back (the form JSON
keeps no phone copy; `Case.contact_phone` is the value).
"""

from django.db import migrations

from zhengwu.common.pii import migrate_decrypt, migrate_encrypt

COLUMNS = {"agent_id_number": None, "agent_phone": None, "contact_phone": None}
FORM_PHONE = "联系电话"


def encrypt(apps, schema_editor):
    migrate_encrypt(apps, schema_editor, "cases.Case", COLUMNS)
    Case = apps.get_model("cases", "Case")
    changed = []
    for case in Case.objects.only("pk", "form_data", "contact_phone").iterator(chunk_size=2000):
        if isinstance(case.form_data, dict) and FORM_PHONE in case.form_data:
            phone = str(case.form_data.pop(FORM_PHONE) or "").strip()
            if phone and not case.contact_phone:
                case.contact_phone = phone
            changed.append(case)
    Case.objects.bulk_update(changed, ["form_data", "contact_phone"], batch_size=500)


def decrypt(apps, schema_editor):
    migrate_decrypt(apps, schema_editor, "cases.Case", COLUMNS)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_pii_encrypted_columns"),
    ]

    operations = [migrations.RunPython(encrypt, decrypt)]
