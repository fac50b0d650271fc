"""The `zhengwu cases` contract: what it prints, that the sweep is safe twice, and refusals with status 2."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhengwu.cases.models import Card, Case
from zhengwu.cases.tests.factories import accepted_case
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.workdays.models import CalendarDay
from zhengwu.workdays.selectors import calendar_cache_invalidate

ZHENGWU = Path(sys.executable).with_name("zhengwu")
JUNE_20 = dt.datetime(2026, 6, 20, 9, 0)


def run(*args: str) -> str:
    out = StringIO()
    call_command("cases", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
class TestThroughCallCommand:
    def test_sweep_on_a_past_date_issues_the_due_cards_and_a_second_run_issues_none(self, county):
        # Accepted Mon 06-01: the promise (5 wd) was due 06-08, so on 06-10 the case is overdue.
        accepted_case(county, day="2026-06-01")
        with clock.frozen(JUNE_20):
            first = run("sweep", "--date", "2026-06-10")
            issued = Card.objects.count()
            second = run("sweep", "--date", "2026-06-10")
        assert first == f"红黄牌扫描（2026-06-10）：视为受理 0 件，新亮牌 {issued} 张，检查临期时限 2 个。\n"
        assert second == "红黄牌扫描（2026-06-10）：视为受理 0 件，新亮牌 0 张，检查临期时限 2 个。\n"
        assert ("Y1", dt.date(2026, 6, 10)) in set(Card.objects.values_list("rule", "issued_on"))
        assert Card.objects.count() == issued

    def test_sweep_without_a_date_runs_as_of_now(self, county):
        accepted_case(county, day="2026-06-01")
        with clock.frozen(dt.datetime(2026, 6, 10, 0, 30)):
            output = run("sweep")
        assert output.startswith(f"红黄牌扫描（2026-06-10）：视为受理 0 件，新亮牌 {Card.objects.count()} 张")
        assert Card.objects.filter(rule="Y1", issued_on=dt.date(2026, 6, 10)).exists()

    def test_reproject_reports_how_many_due_dates_moved_after_a_calendar_edit(self, county):
        accepted_case(county, day="2026-06-01")
        with clock.frozen(JUNE_20):
            assert run("reproject") == "已按当前工作日历重新推算未停止的时限：0 个到期日发生变化。\n"
            CalendarDay.objects.create(
                date=dt.date(2026, 6, 24), kind="holiday", name="测试假日", source_document="测试通知"
            )
            calendar_cache_invalidate()
            # The statutory clock (20 wd, due 06-30 with 端午 on 06-19) ends a working day later; the
            # promise and the step clock are already past due, and unchanged.
            assert run("reproject") == "已按当前工作日历重新推算未停止的时限：1 个到期日发生变化。\n"
        assert Case.objects.get().statutory_due == dt.date(2026, 7, 1)

    def test_demo_generates_once_and_reports_what_exists_the_second_time(self, county):
        make_item(department=county.department)
        with clock.frozen(dt.datetime(2026, 11, 30, 9, 0)):
            first = run("demo", "--cases", "30", "--certificates", "1")
            second = run("demo", "--cases", "30")
        assert "  赫山区：30 件" in first
        assert first.splitlines()[-1].startswith("演示办件：新增 30 件")
        assert second == "已有 30 件办件，未生成演示办件（加 --reset 可删除后重新生成）。\n"
        assert Case.objects.count() == 30

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (
                ("sweep", "--date", "2026-13-01"),
                "日期格式错误：2026-13-01（应为 YYYY-MM-DD，例如 2026-11-30）。",
            ),
            (("sweep", "--date", "2026-06-21"), "不能按未来的日期扫描：2026-06-21（今天是 2026-06-20）。"),
            (("demo", "--cases", "三万"), "办件数量必须是整数：三万。"),
            (("demo", "--cases", "-5"), "办件数量应在 0 到 10,000,000 之间：-5。"),
            (("demo", "--cases", "10"), "尚无已发布的事项，请先运行 zhengwu demo 生成组织机构和事项目录。"),
        ],
    )
    def test_a_refused_request_raises_command_error_with_status_2(self, args, message):
        with clock.frozen(JUNE_20), pytest.raises(CommandError) as refused:
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
        [str(ZHENGWU), "cases", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_script_sweeps_an_empty_database_twice_with_status_0(cli_env):
    for _ in range(2):
        result = shell(cli_env, "sweep")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("红黄牌扫描（") and "新亮牌 0 张" in result.stdout


def test_the_script_refuses_a_bad_date_with_one_chinese_line_on_stderr_and_status_2(cli_env):
    result = shell(cli_env, "sweep", "--date", "2026-02-30")
    message = "日期格式错误：2026-02-30（应为 YYYY-MM-DD，例如 2026-11-30）。\n"
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)
