"""Seed the official national schedules of 2004–2026 so that a fresh database can count working days.

The rows come from the `chinesecalendar` package (a transcription of the State Council's notices),
with its English holiday names replaced by the notices' Chinese ones. Every holiday it lists is kept,
weekend ones included: they do not change which days count, but they name the day in a "计算说明".
The years are fixed here, so a newer package that knows 2027 does not change what this migration does.
"""

from datetime import date

from django.db import migrations

FIRST_YEAR, LAST_YEAR = 2004, 2026
SPECIAL_NOTICES = {
    **dict.fromkeys(
        [date(2015, 9, 3), date(2015, 9, 4), date(2015, 9, 6)],
        "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知",
    ),
    **dict.fromkeys(
        [date(2020, 1, 31), date(2020, 2, 1), date(2020, 2, 2)], "国务院办公厅关于延长2020年春节假期的通知"
    ),
}


def year_notice(year):
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def seed(apps, schema_editor):
    from chinese_calendar.constants import holidays, workdays

    from zhengwu.domain.calendar import HOLIDAY_NAMES_ZH

    CalendarYear = apps.get_model("workdays", "CalendarYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear.objects.bulk_create(
        CalendarYear(year=year, source_document=year_notice(year), note="初始数据（chinesecalendar 转录）")
        for year in range(FIRST_YEAR, LAST_YEAR + 1)
    )
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=day,
            kind=kind,
            name=HOLIDAY_NAMES_ZH[name],
            source_document=SPECIAL_NOTICES.get(day, year_notice(day.year)),
        )
        for kind, entries in (("holiday", holidays), ("makeup_workday", workdays))
        for day, name in sorted(entries.items())
        if FIRST_YEAR <= day.year <= LAST_YEAR
    )


def unseed(apps, schema_editor):
    apps.get_model("workdays", "CalendarDay").objects.filter(
        region__isnull=True, date__year__gte=FIRST_YEAR, date__year__lte=LAST_YEAR
    ).delete()
    apps.get_model("workdays", "CalendarYear").objects.filter(year__gte=FIRST_YEAR, year__lte=LAST_YEAR).delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
