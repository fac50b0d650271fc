"""Fuzz target: 居民身份证号码 validation (`zhengwu.domain.identifiers`).

Input: one flag byte (which function, legacy 15-digit upgrade on or off, which `today`), then the
text as a browser would send it (UTF-8, undecodable bytes replaced). Only `InvalidIdentifier` may
escape. An accepted number must come back as its 18-character normalised form, and its birth date and
sex must be readable without error.
"""

from __future__ import annotations

import datetime as dt

import atheris

from fuzz import engine

with atheris.instrument_imports(include=["zhengwu", "stdnum"]):
    from zhengwu.domain.identifiers import (
        InvalidIdentifier,
        id_number_birth_date,
        id_number_sex,
        validate_id_number,
    )

TODAYS = (dt.date(2026, 9, 30), dt.date(1950, 1, 1), dt.date(9999, 12, 31), dt.date(2000, 2, 29))


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    flags = fdp.ConsumeUInt(1)
    text = fdp.ConsumeBytes(fdp.remaining_bytes()).decode("utf-8", errors="replace")
    today = TODAYS[(flags >> 2) % len(TODAYS)]
    try:
        if flags & 0b11 == 1:
            id_number_birth_date(text)
            return
        if flags & 0b11 == 2:
            id_number_sex(text)
            return
        check = validate_id_number(text, today=today, allow_legacy_15=bool(flags & 0x80))
    except InvalidIdentifier:
        return
    value = check.value
    assert len(value) == 18 and value[:17].isascii() and value[:17].isdigit(), value
    assert id_number_birth_date(value) <= today
    assert id_number_sex(value) in ("male", "female")


if __name__ == "__main__":
    engine.main(test_one_input)
