"""The calendar as stored: the seeded national data, coverage, regional overlays, the cache and the warning."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from chinese_calendar.constants import holidays as package_holidays
from chinese_calendar.constants import workdays as package_workdays

from zhengwu.domain.calendar import CalendarNotAvailable
from zhengwu.organization.choices import RegionLevel
from zhengwu.organization.tests.factories import RegionFactory
from zhengwu.workdays.choices import CalendarDayKind
from zhengwu.workdays.models import CalendarDay
from zhengwu.workdays.selectors import calendar_coverage, calendar_expiry_warning, work_calendar
from zhengwu.workdays.services import calendar_day_set, calendar_year_add

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 5)


def test_seeded_database_calendar_agrees_with_the_package_on_every_day_from_2004_to_2026():
    calendar = work_calendar()
    day, disagreements = date(2004, 1, 1), []
    while day <= date(2026, 12, 31):
        if calendar.is_workday(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


def test_seed_keeps_every_package_entry_with_its_chinese_name():
    assert CalendarDay.objects.filter(kind=CalendarDayKind.HOLIDAY).count() == len(package_holidays)
    assert CalendarDay.objects.filter(kind=CalendarDayKind.MAKEUP_WORKDAY).count() == len(package_workdays)
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).name == "春节"
    assert CalendarDay.objects.get(date=date(2015, 9, 3)).name == "抗战胜利纪念日"
    assert set(CalendarDay.objects.values_list("name", flat=True)) == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
        "抗战胜利纪念日",
    }


def test_seeded_calendar_is_valid_through_2026_12_31_and_refuses_2027():
    calendar = work_calendar()
    assert (calendar.valid_from, calendar.valid_through) == (date(2004, 1, 1), date(2026, 12, 31))
    with pytest.raises(CalendarNotAvailable, match="2027-01-04 超出工作日历的有效范围"):
        calendar.is_workday(date(2027, 1, 4))
    with pytest.raises(CalendarNotAvailable):
        calendar.add_workdays(date(2026, 12, 20), 20)


# A plausible 2027 schedule for the test, not the official notice (not yet published when written).
SCHEDULE_2027 = [
    (date(2027, 1, 1), CalendarDayKind.HOLIDAY, "元旦"),
    *[(date(2027, 2, 5) + timedelta(days=i), CalendarDayKind.HOLIDAY, "春节") for i in range(9)],
    (date(2027, 2, 20), CalendarDayKind.MAKEUP_WORKDAY, "春节"),
]


def test_adding_year_2027_and_its_schedule_extends_the_coverage(editor):
    calendar_year_add(year=2027, source_document="国务院办公厅关于2027年部分节假日安排的通知", actor=editor)
    for day, kind, name in SCHEDULE_2027:
        calendar_day_set(
            date=day,
            kind=kind,
            name=name,
            source_document="国务院办公厅关于2027年部分节假日安排的通知",
            actor=editor,
            today=TODAY,
        )
    calendar = work_calendar()
    assert calendar.valid_through == date(2027, 12, 31)
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert calendar.add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 15)
    assert calendar.day_status(date(2027, 2, 20)).label == "工作日（调休上班）"
    assert calendar.add_workdays(date(2026, 12, 20), 20) == date(2027, 1, 18)
    assert calendar_expiry_warning(today=date(2026, 11, 1)) is None


def test_coverage_is_the_run_of_consecutive_years_ending_at_the_latest(editor):
    calendar_year_add(year=2003, source_document="国务院办公厅关于2003年部分节假日安排的通知", actor=editor)
    coverage = calendar_coverage()
    assert (coverage.valid_from, coverage.valid_through) == (date(2003, 1, 1), date(2026, 12, 31))


@pytest.fixture
def regions():
    """广西 → 南宁 → 青秀区, and 湖南 beside it."""
    guangxi = RegionFactory(code="450000000000", name="广西壮族自治区", level=RegionLevel.PROVINCE)
    nanning = RegionFactory(code="450100000000", name="南宁市", level=RegionLevel.CITY, parent=guangxi)
    qingxiu = RegionFactory(code="450103000000", name="青秀区", level=RegionLevel.COUNTY, parent=nanning)
    liuzhou = RegionFactory(code="450200000000", name="柳州市", level=RegionLevel.CITY, parent=guangxi)
    hunan = RegionFactory(code="430000000000", name="湖南省", level=RegionLevel.PROVINCE)
    return {"guangxi": guangxi, "nanning": nanning, "qingxiu": qingxiu, "liuzhou": liuzhou, "hunan": hunan}


def set_day(editor, day, kind, region, name="壮族三月三"):
    calendar_day_set(
        date=day,
        kind=kind,
        name=name,
        source_document="广西壮族自治区人民政府办公厅通知",
        region=region,
        actor=editor,
        today=TODAY,
    )


def test_a_regional_overlay_applies_to_its_region_and_descendants_only(editor, regions):
    monday = date(2026, 4, 20)
    set_day(editor, monday, CalendarDayKind.HOLIDAY, regions["guangxi"])
    for name in ("guangxi", "nanning", "qingxiu", "liuzhou"):
        assert work_calendar(region=regions[name]).day_status(monday).label == "非工作日（壮族三月三）", name
    assert work_calendar(region=regions["hunan"]).is_workday(monday)
    assert work_calendar().is_workday(monday)
    assert work_calendar(region=regions["qingxiu"]).add_workdays(date(2026, 4, 17), 1) == date(2026, 4, 21)


def test_the_nearest_regions_overlay_wins(editor, regions):
    tuesday = date(2026, 4, 21)
    set_day(editor, tuesday, CalendarDayKind.HOLIDAY, regions["guangxi"])
    set_day(editor, tuesday, CalendarDayKind.MAKEUP_WORKDAY, regions["nanning"])
    assert work_calendar(region=regions["qingxiu"]).is_workday(tuesday)
    assert not work_calendar(region=regions["liuzhou"]).is_workday(tuesday)


def test_an_overlay_may_make_a_national_holiday_a_working_day_in_its_region(editor, regions):
    holiday = date(2026, 10, 7)  # the last day of the national 国庆 break
    set_day(editor, holiday, CalendarDayKind.MAKEUP_WORKDAY, regions["hunan"], name="国庆节")
    assert work_calendar(region=regions["hunan"]).add_workdays(date(2026, 10, 6), 1) == holiday
    assert work_calendar().add_workdays(date(2026, 10, 6), 1) == date(2026, 10, 8)


def test_a_built_calendar_is_served_from_the_cache(django_assert_num_queries):
    work_calendar()
    with django_assert_num_queries(0):
        work_calendar()


def test_a_calendar_edit_is_seen_by_the_next_read_during_and_after_the_transaction(
    editor, django_capture_on_commit_callbacks
):
    monday = date(2026, 7, 6)
    assert work_calendar().is_workday(monday)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_set(
            date=monday,
            kind=CalendarDayKind.HOLIDAY,
            name="临时调整",
            source_document="国务院办公厅通知",
            actor=editor,
            today=TODAY,
        )
        assert not work_calendar().is_workday(monday)
    assert not work_calendar().is_workday(monday)


def test_the_expiry_warning_appears_60_days_before_valid_through_and_not_61():
    assert calendar_expiry_warning(today=date(2026, 11, 1)) == (
        "工作日历数据将于 2026-12-31 到期（剩余 60 天），请录入 2027 年放假安排。"
    )
    assert calendar_expiry_warning(today=date(2026, 10, 31)) is None


def test_the_expiry_warning_follows_the_setting(settings):
    settings.ZHENGWU_CALENDAR_WARN_DAYS = 30
    assert calendar_expiry_warning(today=date(2026, 11, 1)) is None
    assert "剩余 30 天" in calendar_expiry_warning(today=date(2026, 12, 1))


def test_after_valid_through_the_warning_says_the_data_has_expired():
    assert calendar_expiry_warning(today=date(2027, 1, 1)) == (
        "工作日历数据已于 2026-12-31 到期，此后的期限无法计算，请尽快录入 2027 年放假安排。"
    )
