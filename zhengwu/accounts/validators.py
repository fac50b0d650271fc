"""Django password validators for the profiles of `zhengwu.domain.passwords` (AUTH_PASSWORD_VALIDATORS).

`ProfilePasswordValidator` applies the active profile (ZHENGWU_PASSWORD_PROFILE) with the account's
username, phone and ID number; `PasswordHistoryValidator` refuses the last passwords again (等保 profile)
and, through Django's `password_changed` hook, records each new password hash and its time.
"""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhengwu.accounts.policy import is_staff_account, password_profile
from zhengwu.domain.passwords import password_problems

CHINESE_LIST = Path(__file__).resolve().parent / "data" / "common_passwords_zh.txt"


def _read_list(path: Path) -> set[str]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        return {line.strip().lower() for line in lines if line.strip() and not line.startswith("#")}


@functools.cache
def common_passwords(extra_file: str = "") -> frozenset[str]:
    """Django's list of 20,000 passwords from breach corpora, our Chinese list, and (optionally) a
    further offline breached-password list named by ZHENGWU_BREACHED_PASSWORDS_FILE."""
    words = set(CommonPasswordValidator().passwords) | _read_list(CHINESE_LIST)
    if extra_file:
        words |= _read_list(Path(extra_file))
    return frozenset(words)


def _personal(user) -> tuple[str, list[str], list[str]]:
    if user is None:
        return "", [], []
    applicant = getattr(user, "applicant", None) if getattr(user, "applicant_id", None) else None
    ids = [applicant.id_number] if applicant is not None and applicant.id_number else []
    phones = [p for p in {getattr(user, "phone", ""), applicant.phone if applicant else ""} if p]
    return user.get_username() or "", ids, phones


class ProfilePasswordValidator:
    """The length, composition, common-password and personal-data rules of the active profile."""

    def validate(self, password: str, user=None) -> None:
        username, ids, phones = _personal(user)
        problems = password_problems(
            password,
            profile=password_profile(),
            # Without an account (no context) the stricter staff minimum applies.
            staff=user is None or is_staff_account(user),
            common=common_passwords(getattr(settings, "ZHENGWU_BREACHED_PASSWORDS_FILE", "")),
            username=username,
            id_numbers=ids,
            phones=phones,
        )
        if problems:
            raise ValidationError([ValidationError(p.message, code=p.code) for p in problems])

    def get_help_text(self) -> str:
        profile = password_profile()
        if profile.min_classes:
            return (
                f"至少 {profile.min_length} 位（工作人员 {profile.min_length_staff} 位），包含大写字母、小写字母、"
                "数字、符号中的至少三类；不得使用常见密码、键盘序列、日期，不得包含用户名、证件号码或手机号码。"
            )
        return f"至少 {profile.min_length} 位；不得使用常见密码、键盘序列、日期，不得包含用户名、证件号码或手机号码。"


class PasswordHistoryValidator:
    """The last `profile.history` passwords may not be used again; every new hash is remembered."""

    def validate(self, password: str, user=None) -> None:
        count = password_profile().history
        if not count or user is None or not user.pk:
            return
        from zhengwu.accounts.models import PasswordHistory

        recent = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count]
        if any(check_password(password, old) for old in recent):
            raise ValidationError(f"新密码不得与最近{count}次使用过的密码相同", code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or not user.pk:
            return
        from zhengwu.accounts.models import AccountSecurity, PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = max(password_profile().history, 1)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
        AccountSecurity.objects.update_or_create(user=user, defaults={"password_changed_at": timezone.now()})

    def get_help_text(self) -> str:
        count = password_profile().history
        return f"不得与最近{count}次使用过的密码相同。" if count else ""
