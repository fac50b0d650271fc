"""`zhengwu assess`: the JSON contract, the Excel 考核计分表, and refusals with exit status 2."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from zhengwu.assessment.models import Evaluation
from zhengwu.assessment.tests.conftest import card
from zhengwu.assessment.tests.test_services import BAD_SCHEME

pytestmark = pytest.mark.django_db


def assess(*args: str) -> str:
    out = io.StringIO()
    call_command("assess", *args, stdout=out)
    return out.getvalue()


def test_the_json_output_follows_the_contract(heshan, ziyang, frozen):
    overdue = card(heshan, rule="R1", level="red", day="2026-04-10")

    data = json.loads(assess("--scheme", "yiyang-2020", "--period", "2026", "--format", "json"))

    assert (data["scheme"], data["period"], data["version"]) == ("yiyang-2020", "2026", "2020.1")
    assert [(u["unit"], u["name"], u["unit_type"], u["rank"]) for u in data["units"]] == [
        ("430902000000", "资阳区", "county", 1),
        ("430903000000", "赫山区", "county", 2),
    ]
    heshan_unit = data["units"][1]
    # One R1 card: item 8 −0.5 (overdue case) and item 12 −0.5 (red card) → C = 83 of A = 84 → 98.81.
    assert heshan_unit["total"] == "98.81"
    item = next(i for i in heshan_unit["items"] if i["item"] == "8")
    assert (item["score"], item["max"]) == ("8.50", "9.00")
    assert item["deductions"][0]["rule"] == "8b"
    assert item["deductions"][0]["points"] == "-0.50"
    assert item["deductions"][0]["evidence"] == [overdue.case.number]
    assert data["rules"]["code"] == "yiyang-2020"  # the rule set is published with the results
    assert {n["key"] for n in data["data_notes"]} >= {"cards.red", "hotline.subscore"}
    assert not Evaluation.objects.exists()  # read only: no run saved


def test_the_table_lists_the_ranking_and_the_recommendation(heshan, ziyang, frozen):
    text = assess("--scheme", "yiyang-2020", "--period", "2026")
    assert "资阳区" in text and "赫山区" in text and "推荐名单" in text
    assert "hotline.subscore" in text  # the facts without data are named


def test_the_xlsx_output_is_a_scoresheet_whose_first_sheet_has_the_header_row(
    heshan, ziyang, frozen, tmp_path
):
    card(heshan, rule="Y1", level="yellow", day="2026-06-10")
    target = tmp_path / "计分表.xlsx"

    assess("--scheme", "yiyang-2020", "--period", "2026", "--format", "xlsx", "--output", str(target))

    book = load_workbook(target)
    first = book.worksheets[0]
    assert first.title == "考核计分表"
    assert "考核计分表（2026）" in first["A1"].value
    header = [c.value for c in first[3]]
    assert header[:3] == ["排名", "单位", "单位类型"]
    assert header[3] == "1. 持续深化“放管服”改革，纵深推进简政放权（9分）"
    assert header[-4:] == ["基础分", "加分", "总分", "备注"]
    assert [first.cell(row=r, column=2).value for r in (4, 5)] == ["资阳区", "赫山区"]
    assert first.freeze_panes == "C4"
    details = book["扣分明细"]
    assert [c.value for c in details[1]] == ["单位", "项目", "规则", "分值", "依据/证据", "说明"]
    rows = [[c.value for c in row] for row in details.iter_rows(min_row=2)]
    yellow = next(r for r in rows if r[0] == "赫山区" and r[2] == "12b 黄牌预警")
    assert yellow[3] == -0.5 and yellow[4].count("-") == 2  # one case number as evidence
    # Every unit's rescaling (items 10 and 11 N/A: 84 of 100 points assessed) is listed too.
    assert rows[0][:4] == ["资阳区", "（总分调整）", "rescale", 16]


def test_xlsx_without_an_output_file_is_refused(db):
    with pytest.raises(CommandError) as refused:
        assess("--scheme", "yiyang-2020", "--period", "2026", "--format", "xlsx")
    assert refused.value.returncode == 2 and "--output" in str(refused.value)


def test_a_malformed_scheme_file_is_refused_with_chinese_messages_naming_the_place(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_SCHEME, encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        assess("--scheme", str(path), "--period", "2026")
    assert refused.value.returncode == 2
    assert "类别“甲” 第 1 项“办件” 第 1 条规则：数据项“cards.blue”不存在" in str(refused.value)


def test_from_the_shell_a_malformed_scheme_exits_with_status_2_and_the_messages_on_stderr(tmp_path):
    """The scheme is checked before the database is touched, so the real command can run."""
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_SCHEME.replace("version:", "version :"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "zhengwu.cli", "assess", "--scheme", str(path), "--period", "2026"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "zhengwu.config.settings"},
    )
    assert result.returncode == 2
    assert "考核方案有误" in result.stderr and "缺少“per”（每次分值）" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_an_unknown_scheme_name_and_a_bad_period_are_refused(db):
    with pytest.raises(CommandError) as unknown:
        assess("--scheme", "nowhere-2020", "--period", "2026")
    assert unknown.value.returncode == 2 and "yiyang-2020" in str(unknown.value)
    with pytest.raises(CommandError) as bad_period:
        assess("--scheme", "yiyang-2020", "--period", "2026-13")
    assert bad_period.value.returncode == 2 and "期间" in str(bad_period.value)
