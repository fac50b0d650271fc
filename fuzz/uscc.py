"""Fuzz target: 统一社会信用代码 validation (`zhengwu.domain.identifiers.validate_uscc`).

Input: the text as a browser would send it (UTF-8, undecodable bytes replaced). Only
`InvalidIdentifier` may escape. An accepted code must come back as 18 characters of the GB 32100
alphabet, and validating that normalised value again must give the same answer.
"""

from __future__ import annotations

import atheris

from fuzz import engine

with atheris.instrument_imports(include=["zhengwu", "stdnum"]):
    from zhengwu.domain.identifiers import USCC_ALPHABET, InvalidIdentifier, validate_uscc


def test_one_input(data: bytes) -> None:
    text = atheris.FuzzedDataProvider(data).ConsumeBytes(len(data)).decode("utf-8", errors="replace")
    try:
        check = validate_uscc(text)
    except InvalidIdentifier:
        return
    assert len(check.value) == 18 and all(ch in USCC_ALPHABET for ch in check.value), check.value
    assert validate_uscc(check.value) == check


if __name__ == "__main__":
    engine.main(test_one_input)
