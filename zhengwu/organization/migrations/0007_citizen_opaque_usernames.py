"""Citizen accounts whose username is their mobile number get an opaque username; the number moves into
the encrypted `User.phone` (blind-indexed), through which citizens now sign in.

- Every account linked to an applicant whose username is a mainland mobile number gets
  ``"c" + 16 base32 characters``. The number becomes `User.phone`: it was the number the citizen
  registered and signs in with, so it also replaces a different number found there.
- django-axes rows keep usernames in plaintext: sign-ins (`AccessLog`, `AccessFailureLog`) are renamed to
  the new username, and failure counters (`AccessAttempt`) re-keyed on the number's blind index, as
  `zhengwu.accounts.identity.lockout_key` now keys them.
- Audit rows are never rewritten (append-only, hash chain); their usernames were masked when written.

Reversible while the keys are configured: the reverse gives the accounts their number back as username
(django-axes rows stay as they are). Needs ZHENGWU_BLIND_INDEX_KEY, like migration 0004.
"""

import base64
import re
import secrets

from django.db import migrations

from zhengwu.common.pii import PHONE, blind_index

_MOBILE = re.compile(r"^1[3-9][0-9]{9}\Z")
_OPAQUE = re.compile(r"^c[a-z2-7]{16}\Z")
_LOCKOUT_PREFIX = "mobile:"  # zhengwu.accounts.identity.LOCKOUT_MOBILE_PREFIX


def _new_username(taken) -> str:
    while True:
        name = "c" + base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()
        if not taken(name):
            return name


def forwards(apps, schema_editor):
    User = apps.get_model("organization", "User")
    AccessAttempt = apps.get_model("axes", "AccessAttempt")
    AccessLog = apps.get_model("axes", "AccessLog")
    AccessFailureLog = apps.get_model("axes", "AccessFailureLog")

    def taken(name):
        return User.objects.filter(username=name).exists()

    citizens = User.objects.filter(applicant__isnull=False).only("id", "username", "phone", "phone_index")
    for user in citizens.iterator(chunk_size=2000):
        number = user.username
        if not _MOBILE.match(number):
            continue
        user.username = _new_username(taken)
        user.phone = number
        user.save(update_fields=["username", "phone", "phone_index"])  # the index follows in pre_save
        AccessLog.objects.filter(username=number).update(username=user.username)
        AccessFailureLog.objects.filter(username=number).update(username=user.username)

    # Failure counters of typed numbers (known or not): keyed on the blind index from now on.
    for attempt in AccessAttempt.objects.filter(username__regex=r"^1[3-9][0-9]{9}$").iterator():
        key = _LOCKOUT_PREFIX + blind_index(PHONE, attempt.username)
        if AccessAttempt.objects.filter(
            username=key, ip_address=attempt.ip_address, user_agent=attempt.user_agent
        ).exists():
            attempt.delete()  # a counter under the new key exists already (unique together)
        else:
            AccessAttempt.objects.filter(pk=attempt.pk).update(username=key)
    AccessFailureLog.objects.filter(username__regex=r"^1[3-9][0-9]{9}$").delete()


def backwards(apps, schema_editor):
    User = apps.get_model("organization", "User")
    citizens = User.objects.filter(applicant__isnull=False).only("id", "username", "phone", "phone_index")
    for user in citizens.iterator(chunk_size=2000):
        if not _OPAQUE.match(user.username) or not _MOBILE.match(user.phone or ""):
            continue
        if User.objects.filter(username=user.phone).exclude(pk=user.pk).exists():
            continue  # the number is another account's username: leave this one opaque
        user.username = user.phone
        user.save(update_fields=["username"])


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0006_admin_role_unique"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
