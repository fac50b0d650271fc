"""Identifier validation: 居民身份证号码 (GB 11643) and 统一社会信用代码 (GB 32100).

Pure domain code (DOMAIN.md §10): no Django, no other zhengwu package. Both validators are thin,
policy-carrying wrappers around python-stdnum (``stdnum.cn.ric`` and ``stdnum.cn.uscc``):

* an address code unknown to stdnum's bundled region list is a *warning*, never a rejection
  (abolished counties stay on old cards);
* USCCs whose 登记管理部门 is ``A``, ``N`` or ``Y`` are accepted although ``stdnum.cn.uscc.validate``
  rejects them (it requires the first 8 characters to be digits);
* the inner GB 11714 organisation-code check and the 机构类别 table only warn.

Errors are raised as :class:`InvalidIdentifier` with a Chinese ``message`` for display and a stable
English ``code`` for programs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

__all__ = [
    "MIN_BIRTH_DATE",
    "USCC_ALPHABET",
    "USCC_AUTHORITIES",
    "USCC_CATEGORIES",
    "IdentifierCheck",
    "IdentifierErrorCode",
    "InvalidIdentifier",
    "gb11714_check_digit",
    "id_number_birth_date",
    "id_number_sex",
    "validate_id_number",
    "validate_uscc",
]

IdentifierErrorCode = Literal["checksum", "birth_date", "length", "format", "authority"]

#: Birth dates before this are treated as impossible (guards against typos such as year 0199).
MIN_BIRTH_DATE = date(1850, 1, 1)

#: GB 32100 character set; the value of a character is its index.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: GB 32100-2015 表2: 登记管理部门代码 (position 1).
USCC_AUTHORITIES: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}

#: GB 32100-2015 表2: 机构类别代码 (position 2) per 登记管理部门. Registration authorities may add
#: categories, so a code missing here is only a warning.
USCC_CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {"1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他"},
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}

_USCC_FORBIDDEN_LETTERS = frozenset("IOSVZ")
_GB11714_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

_MSG_ID_LENGTH = "身份证号码应为18位"
_MSG_ID_FORMAT = "身份证号码应为18位（前17位为数字，末位为数字或X）"
_MSG_ID_CHECKSUM = "身份证号码校验位错误"
_MSG_BIRTH_DATE = "出生日期无效"
_MSG_USCC_LENGTH = "统一社会信用代码应为18位"
_MSG_USCC_FORBIDDEN = "统一社会信用代码含非法字符 I/O/S/V/Z"
_MSG_USCC_ALPHABET = "统一社会信用代码只能由数字和大写字母（不含 I/O/S/V/Z）组成"
_MSG_USCC_REGION = "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字"
_MSG_USCC_CHECKSUM = "统一社会信用代码校验位错误"


@dataclass(frozen=True)
class IdentifierCheck:
    """An accepted identifier: the normalised value plus non-blocking warnings (Chinese)."""

    value: str
    warnings: tuple[str, ...] = ()


class InvalidIdentifier(ValueError):
    """An identifier was rejected. ``message`` is Chinese, ``code`` a stable English key."""

    def __init__(self, message: str, code: IdentifierErrorCode) -> None:
        super().__init__(message)
        self.message = message
        self.code: IdentifierErrorCode = code

    def __repr__(self) -> str:
        return f"InvalidIdentifier({self.message!r}, code={self.code!r})"


# ---------------------------------------------------------------------------------------------
# 居民身份证号码 (GB 11643-1999)
# ---------------------------------------------------------------------------------------------


def _normalise_id_number(raw: str) -> str:
    """Remove all whitespace (including U+3000) and upper-case a trailing ``x``."""
    return ric.compact("".join(raw.split()))


def _upgrade_legacy_15(value: str) -> str:
    """15-digit card (YYMMDD, no check) → 18 digits: insert ``19`` before the year, append check."""
    body = value[:6] + "19" + value[6:]
    # stdnum's calc_check_digit expects the check position to be present; it ignores its content.
    return body + ric.calc_check_digit(body + "0")


def _id_birth_date(value: str) -> date:
    try:
        return ric.get_birth_date(value)
    except (InvalidComponent, ValueError):
        raise InvalidIdentifier(_MSG_BIRTH_DATE, "birth_date") from None


def validate_id_number(raw: str, *, today: date, allow_legacy_15: bool = False) -> IdentifierCheck:
    """Validate a 居民身份证号码 and return its normalised 18-character form.

    Rejections (:class:`InvalidIdentifier`): wrong length (``length``), non-digits (``format``),
    wrong check character (``checksum``), impossible or future birth date (``birth_date``).
    A 15-digit legacy number is upgraded to 18 digits only when ``allow_legacy_15`` (imports).
    An address code unknown for the birth year is returned as a warning.
    """
    value = _normalise_id_number(raw)
    warnings: list[str] = []

    if len(value) == 15 and value.isascii() and value.isdigit():
        if not allow_legacy_15:
            raise InvalidIdentifier(_MSG_ID_LENGTH, "length")
        legacy = value
        value = _upgrade_legacy_15(value)
        warnings.append(f"15位旧身份证号码 {legacy} 已升位为18位")

    if len(value) != 18:
        raise InvalidIdentifier(_MSG_ID_LENGTH, "length")
    body, check = value[:17], value[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        raise InvalidIdentifier(_MSG_ID_FORMAT, "format")
    if check != ric.calc_check_digit(value):
        raise InvalidIdentifier(_MSG_ID_CHECKSUM, "checksum")
    birth = _id_birth_date(value)
    if birth > today or birth < MIN_BIRTH_DATE:
        raise InvalidIdentifier(_MSG_BIRTH_DATE, "birth_date")

    # Everything stdnum checks except the birth place has passed above, so an InvalidComponent
    # here can only mean "address code unknown (for the birth year)": a warning by policy.
    # python-stdnum 2.2 raises KeyError('county') instead when the province part of the code is
    # known but the county part is not (e.g. 430999); that is the same case.
    try:
        ric.validate(value)
    except (InvalidComponent, KeyError):
        warnings.append(f"地址码 {value[:6]} 不在行政区划表中（可能为已撤销的县级区划），请核对")
    except InvalidChecksum:  # pragma: no cover - guarded above
        raise InvalidIdentifier(_MSG_ID_CHECKSUM, "checksum") from None
    except InvalidLength:  # pragma: no cover - guarded above
        raise InvalidIdentifier(_MSG_ID_LENGTH, "length") from None
    except ValidationError:  # pragma: no cover - guarded above
        raise InvalidIdentifier(_MSG_ID_FORMAT, "format") from None

    return IdentifierCheck(value=value, warnings=tuple(warnings))


def _structural_id_number(value: str) -> str:
    """Normalise and upgrade (15 → 18) without checking the check character."""
    value = _normalise_id_number(value)
    if len(value) == 15 and value.isascii() and value.isdigit():
        value = _upgrade_legacy_15(value)
    if len(value) != 18:
        raise InvalidIdentifier(_MSG_ID_LENGTH, "length")
    if not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in "0123456789X":
        raise InvalidIdentifier(_MSG_ID_FORMAT, "format")
    return value


def id_number_birth_date(value: str) -> date:
    """Birth date encoded in an ID number (18 digits, or a legacy 15-digit one read as 19YY).

    Meant for values that already passed :func:`validate_id_number`; the check character is not
    re-verified. Raises :class:`InvalidIdentifier` if the value cannot carry a date.
    """
    return _id_birth_date(_structural_id_number(value))


def id_number_sex(value: str) -> Literal["male", "female"]:
    """Sex encoded by the sequence code's last digit (17th character): odd = male, even = female."""
    digit = int(_structural_id_number(value)[16])
    return "male" if digit % 2 == 1 else "female"


# ---------------------------------------------------------------------------------------------
# 统一社会信用代码 (GB 32100-2015)
# ---------------------------------------------------------------------------------------------


def gb11714_check_digit(body: str) -> str:
    """GB 11714-1997 organisation-code check character for the first 8 characters of ``body``.

    Weights ``3 7 9 10 5 8 4 2``; digits count at face value, letters as ``A=10 … Z=35``;
    check = ``11 − Σ mod 11`` with 10 → ``X`` and 11 → ``0``.
    """
    total = sum(int(ch, 36) * weight for ch, weight in zip(body[:8], _GB11714_WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def validate_uscc(raw: str) -> IdentifierCheck:
    """Validate a 统一社会信用代码 and return its normalised (upper-case, no separators) form.

    Rejections (:class:`InvalidIdentifier`): wrong length (``length``), characters outside
    ``0123456789ABCDEFGHJKLMNPQRTUWXY`` or a non-numeric region code (``format``), a 登记管理部门
    not in GB 32100 表2 (``authority``), wrong check character (``checksum``). Codes starting with
    ``A``, ``N`` or ``Y`` are accepted. Warnings: a 机构类别 not listed for the authority, and an
    embedded 主体标识码 failing the GB 11714 organisation-code check.
    """
    value = uscc.compact("".join(raw.split()))

    if len(value) != 18:
        raise InvalidIdentifier(_MSG_USCC_LENGTH, "length")
    if any(ch in _USCC_FORBIDDEN_LETTERS for ch in value):
        raise InvalidIdentifier(_MSG_USCC_FORBIDDEN, "format")
    if any(ch not in USCC_ALPHABET for ch in value):
        raise InvalidIdentifier(_MSG_USCC_ALPHABET, "format")
    authority, category, region = value[0], value[1], value[2:8]
    if authority not in USCC_AUTHORITIES:
        raise InvalidIdentifier(f"登记管理部门代码 {authority} 无效", "authority")
    if not region.isdigit():
        raise InvalidIdentifier(_MSG_USCC_REGION, "format")
    if value[17] != uscc.calc_check_digit(value):
        raise InvalidIdentifier(_MSG_USCC_CHECKSUM, "checksum")

    if value[:8].isdigit():
        # stdnum can validate the whole code only when the first 8 characters are digits.
        try:
            uscc.validate(value)
        except InvalidChecksum:  # pragma: no cover - guarded above
            raise InvalidIdentifier(_MSG_USCC_CHECKSUM, "checksum") from None
        except ValidationError:  # pragma: no cover - guarded above
            raise InvalidIdentifier(_MSG_USCC_ALPHABET, "format") from None

    warnings: list[str] = []
    if category not in USCC_CATEGORIES[authority]:
        warnings.append(
            f"机构类别代码 {category} 不在登记管理部门“{USCC_AUTHORITIES[authority]}”的类别表中，请核对"
        )
    org_code = value[8:17]
    if org_code[8] != gb11714_check_digit(org_code):
        warnings.append(f"主体标识码 {org_code} 未通过组织机构代码（GB 11714）校验，请核对")
    return IdentifierCheck(value=value, warnings=tuple(warnings))
