"""`zhengwu workdays` at the end of the representable dates (found by fuzzing: SECURITY.md row 15):
one Chinese line and status 2, like every other refusal, instead of an OverflowError traceback."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
@pytest.mark.parametrize("args", [("add", "9999-12-31", "5"), ("explain", "9999-12-31", "1")])
def test_counting_from_9999_12_31_is_refused_with_one_chinese_line(args):
    with pytest.raises(CommandError) as refused:
        call_command("workdays", *args)
    assert str(refused.value) == (
        "从 9999-12-31 起算的期限超出可计算的日期范围（0001-01-01 至 9999-12-31），请核对起算日和期限天数。"
    )
    assert refused.value.returncode == 2
