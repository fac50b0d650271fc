"""Move each certificate's holder ID number out of the signed content JSON into the encrypted
`holder_id_number` column. The signature still covers it: `Certificate.signed_content()` puts it back
before verification. Reversible (the reverse puts the value back into the JSON)."""

from django.db import migrations


def move_out(apps, schema_editor):
    Certificate = apps.get_model("cases", "Certificate")
    changed = []
    for certificate in Certificate.objects.only("pk", "content").iterator(chunk_size=2000):
        if isinstance(certificate.content, dict) and "holder_id" in certificate.content:
            certificate.holder_id_number = str(certificate.content.pop("holder_id") or "")
            changed.append(certificate)
    Certificate.objects.bulk_update(changed, ["content", "holder_id_number"], batch_size=500)


def move_back(apps, schema_editor):
    Certificate = apps.get_model("cases", "Certificate")
    changed = []
    for certificate in Certificate.objects.only("pk", "content", "holder_id_number").iterator(chunk_size=2000):
        if certificate.holder_id_number:
            certificate.content = {**certificate.content, "holder_id": certificate.holder_id_number}
            certificate.holder_id_number = ""
            changed.append(certificate)
    Certificate.objects.bulk_update(changed, ["content", "holder_id_number"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_certificate_holder_id_encrypted"),
    ]

    operations = [migrations.RunPython(move_out, move_back)]
