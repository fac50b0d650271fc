"""Password policy: the two profiles of SECURITY.md §4 behind one setting (`ZHENGWU_PASSWORD_PROFILE`).

Pure domain code: no Django. `password_problems()` returns every rule a password breaks, each with a
stable English code and a Chinese message naming the rule, so a form can show all of them at once.

* ``dengbao`` (等保 practice, the default in China): at least 8 characters, 10 for staff and administrators;
  at least three of the four classes (upper case, lower case, digits, symbols); rotation every 90 days for
  staff and administrators; the last 5 passwords may not be used again.
* ``asvs`` (OWASP ASVS 5.0 6.2): at least 12 characters, no composition rule, no rotation.

Both reject common passwords (a list supplied by the caller: Django's English list and our Chinese list of
pinyin words), keyboard and alphabet runs (``qwerty``, ``1qaz2wsx``, ``abcdef``), digit runs and repeats
(``123456``, ``111111``), calendar dates (``19900101``) and passwords containing the username, the ID
number (or its last six characters) or the phone number. Both accept at least 64 characters (up to 128).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Iterable
from dataclasses import dataclass

__all__ = [
    "ASVS",
    "DENGBAO",
    "MAX_LENGTH",
    "PROFILES",
    "PasswordProblem",
    "Profile",
    "character_classes",
    "contains_date",
    "contains_digit_run",
    "get_profile",
    "is_keyboard_run",
    "password_problems",
    "rotation_due",
]

#: Longer passwords are refused only to bound the cost of hashing; ASVS asks for at least 64.
MAX_LENGTH = 128


@dataclass(frozen=True)
class Profile:
    """One password policy profile (SECURITY.md §4)."""

    name: str
    label: str
    min_length: int
    min_length_staff: int
    min_classes: int
    rotation_days: int | None
    history: int


DENGBAO = Profile(
    name="dengbao",
    label="等保2.0",
    min_length=8,
    min_length_staff=10,
    min_classes=3,
    rotation_days=90,
    history=5,
)
ASVS = Profile(
    name="asvs",
    label="OWASP ASVS 5.0",
    min_length=12,
    min_length_staff=12,
    min_classes=0,
    rotation_days=None,
    history=0,
)
PROFILES: dict[str, Profile] = {DENGBAO.name: DENGBAO, ASVS.name: ASVS}


def get_profile(name: str) -> Profile:
    """The profile called `name`; an unknown name is a configuration error, never a silent default."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"未知的密码策略：{name}（应为 {' 或 '.join(PROFILES)}）") from None


@dataclass(frozen=True)
class PasswordProblem:
    code: str
    message: str


CLASS_MESSAGE = "密码须包含大写字母、小写字母、数字、符号中的至少三类"
COMMON_MESSAGE = "密码过于常见（常用密码、拼音词、键盘序列或字母序列），请更换"
DIGIT_RUN_MESSAGE = "密码不得包含连续或重复的数字（如123456、111111）"
DATE_MESSAGE = "密码不得包含日期（如19900101）"
USERNAME_MESSAGE = "密码不得包含用户名"
ID_NUMBER_MESSAGE = "密码不得包含身份证号码"
PHONE_MESSAGE = "密码不得包含手机号码"


def character_classes(password: str) -> int:
    """How many of the four classes occur: ASCII upper case, lower case, digits, anything else."""
    upper = any("A" <= ch <= "Z" for ch in password)
    lower = any("a" <= ch <= "z" for ch in password)
    digit = any("0" <= ch <= "9" for ch in password)
    symbol = any(not ("A" <= ch <= "Z" or "a" <= ch <= "z" or "0" <= ch <= "9") for ch in password)
    return upper + lower + digit + symbol


# Keyboard walks along rows and columns of a US keyboard (what Chinese keyboards use), and the alphabet.
_RUNS = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/-['=]",
    "qazwsxedcrfvtgbyhnujmikolp",
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
)
_RUNS_BOTH_WAYS = _RUNS + tuple(run[::-1] for run in _RUNS)
# Shifted digits typed as part of a walk ("!QAZ@WSX") count as the digit under them.
_UNSHIFT = str.maketrans("!@#$%^&*()_+", "1234567890-=")
_TRAILING_DIGITS_AND_SYMBOLS = re.compile(r"[^a-z]+$")
_MIN_RUN = 4


def _normalise(password: str) -> str:
    return password.lower().translate(_UNSHIFT)


def is_keyboard_run(text: str) -> bool:
    """Whether `text` (any case) is one keyboard or alphabet walk of at least 4 keys, or one key repeated."""
    normal = _normalise(text)
    if len(normal) < _MIN_RUN:
        return False
    if len(set(normal)) == 1:
        return True
    return any(normal in run for run in _RUNS_BOTH_WAYS)


def _stem(password: str) -> str:
    """The password without the digits and symbols people append (``Woaini1314!`` → ``woaini``)."""
    return _TRAILING_DIGITS_AND_SYMBOLS.sub("", password.lower())


def _is_common(password: str, common: Container[str]) -> bool:
    lower = password.lower()
    stem = _stem(password)
    if lower in common or (len(stem) >= _MIN_RUN and stem in common):
        return True
    return is_keyboard_run(password) or (len(stem) >= _MIN_RUN and is_keyboard_run(stem))


_DIGIT_RUN_LENGTH = 6
_DIGITS = re.compile(r"\d+")
_ASCENDING = "01234567890"
_DESCENDING = "09876543210"


def contains_digit_run(password: str) -> bool:
    """Six or more digits in a row that ascend, descend (``123456``, ``654321``) or repeat (``111111``)."""
    for group in _DIGITS.findall(password):
        for start in range(len(group) - _DIGIT_RUN_LENGTH + 1):
            piece = group[start : start + _DIGIT_RUN_LENGTH]
            if len(set(piece)) == 1 or piece in _ASCENDING or piece in _DESCENDING:
                return True
    return False


_EIGHT_DIGITS = re.compile(r"(?=(\d{8}))")


def contains_date(password: str) -> bool:
    """A real calendar date written YYYYMMDD between 1900 and 2099 (birthdays, anniversaries)."""
    for (digits,) in (m.groups() for m in _EIGHT_DIGITS.finditer(password)):
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
        if 1900 <= year <= 2099:
            try:
                dt.date(year, month, day)
            except ValueError:
                continue
            return True
    return False


_MIN_USERNAME = 3
_ID_TAIL = 6


def _personal_problems(
    password: str, *, username: str, id_numbers: Iterable[str], phones: Iterable[str]
) -> list[PasswordProblem]:
    lower = password.lower()
    problems = []
    if len(username) >= _MIN_USERNAME and username.lower() in lower:
        problems.append(PasswordProblem("contains_username", USERNAME_MESSAGE))
    for id_number in id_numbers:
        id_number = id_number.strip().lower()
        if id_number and (id_number in lower or id_number[-_ID_TAIL:] in lower):
            problems.append(PasswordProblem("contains_id_number", ID_NUMBER_MESSAGE))
            break
    for phone in phones:
        phone = phone.strip()
        if len(phone) >= _MIN_USERNAME and phone in password:
            problems.append(PasswordProblem("contains_phone", PHONE_MESSAGE))
            break
    return problems


def password_problems(
    password: str,
    *,
    profile: Profile,
    staff: bool,
    common: Container[str] = frozenset(),
    username: str = "",
    id_numbers: Iterable[str] = (),
    phones: Iterable[str] = (),
) -> list[PasswordProblem]:
    """Every rule of `profile` that `password` breaks, in a fixed order; empty when it is acceptable.

    `staff` selects the staff/administrator minimum length; `common` holds lower-case common passwords.
    """
    problems: list[PasswordProblem] = []
    minimum = profile.min_length_staff if staff else profile.min_length
    if len(password) < minimum:
        problems.append(PasswordProblem("too_short", f"密码长度不得少于{minimum}位"))
    if len(password) > MAX_LENGTH:
        problems.append(PasswordProblem("too_long", f"密码长度不得超过{MAX_LENGTH}位"))
    if profile.min_classes and character_classes(password) < profile.min_classes:
        problems.append(PasswordProblem("too_few_classes", CLASS_MESSAGE))
    if _is_common(password, common):
        problems.append(PasswordProblem("common", COMMON_MESSAGE))
    if contains_digit_run(password):
        problems.append(PasswordProblem("digit_run", DIGIT_RUN_MESSAGE))
    if contains_date(password):
        problems.append(PasswordProblem("date", DATE_MESSAGE))
    problems.extend(_personal_problems(password, username=username, id_numbers=id_numbers, phones=phones))
    return problems


def rotation_due(*, profile: Profile, staff: bool, changed_at: dt.datetime) -> dt.datetime | None:
    """When a staff password must be changed again under `profile` (None: never); citizens never rotate."""
    if profile.rotation_days is None or not staff:
        return None
    return changed_at + dt.timedelta(days=profile.rotation_days)
