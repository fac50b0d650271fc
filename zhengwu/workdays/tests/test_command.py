"""The `zhengwu workdays` contract: what it prints, and that a refusal is one Chinese line with status 2."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhengwu.common import clock
from zhengwu.organization.choices import RegionLevel
from zhengwu.organization.tests.factories import RegionFactory
from zhengwu.workdays.services import calendar_day_set

ZHENGWU = Path(sys.executable).with_name("zhengwu")
OUT_OF_RANGE = "2027-01-04 超出工作日历的有效范围（2004-01-01 至 2026-12-31），请先录入该年度的放假安排。"


def run(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestThroughCallCommand:
    def test_add_prints_the_due_date(self):
        assert run("add", "2026-09-30", "20") == "2026-11-03\n"

    def test_count_prints_the_number_of_working_days(self):
        assert run("count", "2026-09-30", "2026-11-03") == "20\n"

    def test_is_prints_whether_and_why_a_day_counts(self):
        assert run("is", "2026-02-14") == "工作日（调休上班）\n"
        assert run("is", "2026-02-16") == "非工作日（春节）\n"
        assert run("is", "2026-03-09") == "工作日\n"

    def test_explain_lists_day_zero_counted_and_skipped_days_and_the_due_date(self):
        lines = run("explain", "2026-02-10", "5").splitlines()
        assert lines[0] == "2026-02-10 周二  起算日（第 0 日，不计入）"
        assert "2026-02-14 周六  第 4 个工作日（调休上班）" in lines
        assert "2026-02-16 周一  跳过：春节" in lines
        assert lines[-2] == "2026-02-24 周二  第 5 个工作日"
        assert lines[-1] == "到期日：2026-02-24 周二（计入 5 个工作日，跳过 9 天）"

    def test_status_prints_the_coverage_and_the_expiry_warning(self):
        with clock.frozen(dt.datetime(2026, 11, 21, 9, 0)):
            assert run("status").splitlines() == [
                "工作日历覆盖 2004-01-01 至 2026-12-31（2004–2026 年）。",
                "工作日历数据将于 2026-12-31 到期（剩余 40 天），请录入 2027 年放假安排。",
            ]

    def test_status_prints_no_warning_long_before_expiry(self):
        with clock.frozen(dt.datetime(2026, 3, 1, 9, 0)):
            assert run("status") == "工作日历覆盖 2004-01-01 至 2026-12-31（2004–2026 年）。\n"

    def test_the_region_option_applies_that_regions_overlays(self, editor):
        guangxi = RegionFactory(code="450000000000", name="广西壮族自治区", level=RegionLevel.PROVINCE)
        calendar_day_set(
            date=dt.date(2026, 4, 20),
            kind="holiday",
            name="壮族三月三",
            source_document="自治区人民政府办公厅通知",
            region=guangxi,
            actor=editor,
            today=dt.date(2026, 1, 5),
        )
        assert run("is", "2026-04-20", "--region", "450000000000") == "非工作日（壮族三月三）\n"
        assert run("is", "2026-04-20") == "工作日\n"

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("add", "2026-02-30", "5"), "日期格式错误：2026-02-30（应为 YYYY-MM-DD，例如 2026-09-30）。"),
            (("add", "2026-09-30", "-3"), "工作日数不能为负数：-3。"),
            (("add", "2026-09-30", "五"), "天数必须是整数：五。"),
            (("is", "2027-01-04"), OUT_OF_RANGE),
            (("add", "2026-09-30", "5", "--region", "999999999999"), "区划代码不存在：999999999999。"),
        ],
    )
    def test_a_refused_request_raises_command_error_with_status_2(self, args, message):
        with pytest.raises(CommandError) as refused:
            run(*args)
        assert (str(refused.value), refused.value.returncode) == (message, 2)


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    """A migrated SQLite file the `zhengwu` script can open (the test database lives in this process only)."""
    var = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "ZHENGWU_VAR_DIR": str(var), "DATABASE_URL": f"sqlite:///{var / 'cli.sqlite3'}"}
    subprocess.run([str(ZHENGWU), "migrate", "-v", "0"], env=env, check=True, capture_output=True)
    return env


def shell(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ZHENGWU), "workdays", *args], env=env, capture_output=True, text=True, timeout=60
    )


def test_the_script_prints_the_due_date_and_exits_0(cli_env):
    result = shell(cli_env, "add", "2026-09-30", "20")
    assert (result.returncode, result.stdout, result.stderr) == (0, "2026-11-03\n", "")


def test_the_script_counts_and_classifies_days(cli_env):
    assert shell(cli_env, "count", "2026-09-30", "2026-11-03").stdout == "20\n"
    assert shell(cli_env, "is", "2026-02-14").stdout == "工作日（调休上班）\n"
    assert "2026-02-16 周一  跳过：春节" in shell(cli_env, "explain", "2026-02-10", "5").stdout
    assert shell(cli_env, "status").stdout.startswith("工作日历覆盖 2004-01-01 至 2026-12-31")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-9-31", "20"), "日期格式错误：2026-9-31（应为 YYYY-MM-DD，例如 2026-09-30）。"),
        (("add", "2026-09-30", "-3"), "工作日数不能为负数：-3。"),
        (("is", "2027-01-04"), OUT_OF_RANGE),
        (
            ("count", "2026-12-01", "2027-01-05"),
            "2027-01-01 超出工作日历的有效范围（2004-01-01 至 2026-12-31），请先录入该年度的放假安排。",
        ),
    ],
)
def test_the_script_refuses_with_one_chinese_line_on_stderr_and_status_2(cli_env, args, message):
    result = shell(cli_env, *args)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message + "\n")
