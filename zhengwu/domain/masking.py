"""Default masking of personal data for display, APIs, exports, logs and notifications (DOMAIN.md §11).

Pure functions, no Django. Every function accepts ``None`` or an empty string and returns ``""``.
Legal-person names and USCCs are not personal data and have no masking function here.
"""

from __future__ import annotations

__all__ = [
    "ADDRESS_MASK",
    "mask_address",
    "mask_bank_account",
    "mask_id_number",
    "mask_name",
    "mask_phone",
]

#: What replaces everything after the county-level division of an address (fixed length, so the
#: mask does not reveal how long the hidden part was).
ADDRESS_MASK = "****"

_ID_VISIBLE_EACH_SIDE = 4  # 18 characters → 4 + 10 × * + 4
_ID_STANDARD_LENGTH = 18
_SHORT_VALUE_LENGTH = 8
_SHORT_VALUE_VISIBLE_TAIL = 2
_PHONE_VISIBLE_TAIL = 4
_BANK_VISIBLE_TAIL = 4


def _stars(count: int) -> str:
    return "*" * max(count, 0)


def _mask_short(value: str) -> str:
    """Values of 8 characters or fewer: everything but the last 2 (all of it when ≤ 2 long)."""
    if len(value) <= _SHORT_VALUE_VISIBLE_TAIL:
        return _stars(len(value))
    return _stars(len(value) - _SHORT_VALUE_VISIBLE_TAIL) + value[-_SHORT_VALUE_VISIBLE_TAIL:]


def mask_id_number(value: str | None) -> str:
    """``43090219900101002X`` → ``4309**********002X``.

    Whitespace is removed and ``x`` upper-cased first. For other lengths the visible head and tail
    shrink in proportion (``len × 4 // 18``, at least 1, at most 4 each, so never more than 8
    characters are shown); values of 8 characters or fewer show only their last 2.
    """
    if not value:
        return ""
    compact = "".join(value.split()).upper()
    if not compact:
        return ""
    if len(compact) <= _SHORT_VALUE_LENGTH:
        return _mask_short(compact)
    keep = max(1, min(_ID_VISIBLE_EACH_SIDE, len(compact) * _ID_VISIBLE_EACH_SIDE // _ID_STANDARD_LENGTH))
    return compact[:keep] + _stars(len(compact) - 2 * keep) + compact[-keep:]


def _mobile_digits(value: str) -> str | None:
    """The 11 digits of a mainland mobile number (optionally written with +86/0086/86), else None."""
    compact = "".join(ch for ch in value if ch not in " -()（）\u3000")
    if compact.startswith("+"):
        compact = compact[1:]
    if not (compact.isascii() and compact.isdigit()):
        return None
    for prefix in ("0086", "86"):
        if len(compact) == 11 + len(prefix) and compact.startswith(prefix + "1"):
            compact = compact[len(prefix) :]
            break
    if len(compact) == 11 and compact.startswith("1"):
        return compact
    return None


def mask_phone(value: str | None) -> str:
    """Mobile ``13812345678`` → ``138****5678``; any other number keeps only its last 4 digits.

    For a mobile number separators and a ``+86`` prefix are dropped. For other numbers every
    character except the last 4 digits (separators included) becomes ``*``, so
    ``0737-4221234`` → ``********1234``; a number with 4 digits or fewer is masked completely.
    """
    if not value:
        return ""
    text = value.strip()
    if not text:
        return ""
    mobile = _mobile_digits(text)
    if mobile is not None:
        return mobile[:3] + "****" + mobile[-4:]
    digits = "".join(ch for ch in text if ch.isdigit())
    if len(digits) <= _PHONE_VISIBLE_TAIL:
        return _stars(len(text))
    return _stars(len(text) - _PHONE_VISIBLE_TAIL) + digits[-_PHONE_VISIBLE_TAIL:]


def mask_name(value: str | None) -> str:
    """First character + one ``*`` per remaining character: ``张三`` → ``张*``, ``欧阳修文`` → ``欧***``.

    A one-character name is masked completely (``张`` → ``*``): showing it would show it all.
    """
    if not value:
        return ""
    name = value.strip()
    if not name:
        return ""
    if len(name) == 1:
        return "*"
    return name[0] + _stars(len(name) - 1)


def _county_end(address: str) -> int | None:
    """Index just after the county-level division (区/县/旗, or a 市 that follows a 市/州/盟/地区)."""
    prefecture_seen = False
    for i, ch in enumerate(address):
        before = address[: i + 1]
        if address.startswith("街道", i) or address.startswith("社区", i) or address.startswith("小区", i):
            return None  # reached the township/community part without a county
        if ch in "路号" or ch.isdigit():
            return None  # reached the street/house-number part
        if ch == "区":
            if before.endswith(("自治区", "特别行政区")):
                continue  # province level
            if before.endswith("地区"):
                prefecture_seen = True
                continue
            return i + 1
        if ch in "县旗":
            return i + 1
        if ch == "市":
            if prefecture_seen:
                return i + 1  # county-level city, e.g. 益阳市沅江市
            prefecture_seen = True
        elif ch in "州盟" and address[i + 1 : i + 2] != "市":
            prefecture_seen = True  # 自治州 / 盟 (广州市, 锡林浩特市 … are names, not levels)
    return None


def _prefecture_end(address: str) -> int | None:
    """Fallback for cities without counties (东莞市, 济源市 …): just after the first 市/州/盟."""
    for i, ch in enumerate(address):
        if ch in "路号" or ch.isdigit() or address.startswith("街道", i):
            return None
        if ch == "市" or (ch in "州盟" and address[i + 1 : i + 2] != "市"):
            return i + 1
    return None


def mask_address(value: str | None) -> str:
    """Keep the address down to the county/district, replace the rest with ``****``.

    ``湖南省益阳市赫山区龙岭街道金山南路1号`` → ``湖南省益阳市赫山区****``. The county-level part is
    the first 区, 县 or 旗 (not 自治区/特别行政区/地区), or a 市 following a 市/州/盟/地区. Without one
    the address is cut after its first 市/州/盟; with none of those everything is masked. The
    mask is always ``****``, whatever the length of the hidden part.
    """
    if not value:
        return ""
    address = value.strip()
    if not address:
        return ""
    end = _county_end(address)
    if end is None:
        end = _prefecture_end(address)
    if end is None:
        return ADDRESS_MASK
    return address[:end] + ADDRESS_MASK


def mask_bank_account(value: str | None) -> str:
    """Bank account / card number: only the last 4 characters stay, e.g. ``***************1234``.

    Spaces and hyphens are dropped first; an account of 4 characters or fewer is masked completely.
    """
    if not value:
        return ""
    compact = "".join(ch for ch in value if not ch.isspace() and ch != "-")
    if len(compact) <= _BANK_VISIBLE_TAIL:
        return _stars(len(compact))
    return _stars(len(compact) - _BANK_VISIBLE_TAIL) + compact[-_BANK_VISIBLE_TAIL:]
