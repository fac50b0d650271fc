"""Working-day arithmetic: `WorkCalendar.add_workdays` against a day-by-day loop (the baseline).

Prints the time per call of each and the ratio, for limits of 5, 20, 45 and 250 working days over the
2004–2026 calendar. No assertion: the figures are read, not tested.
"""

from __future__ import annotations

import datetime as dt
import random
import timeit

from chinese_calendar.constants import holidays, workdays

from zhengwu.domain.calendar import WorkCalendar


def naive_add(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    day = start
    while n:
        day += dt.timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def main() -> None:
    calendar = WorkCalendar.build(holidays, workdays, dt.date(2004, 1, 1), dt.date(2026, 12, 31))
    rng = random.Random(42)
    starts = [dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(0, 7000)) for _ in range(500)]
    print("工作日计算基准（每次调用耗时，微秒）")
    print(f"{'期限(工作日)':>12} {'add_workdays':>14} {'逐日循环':>10} {'倍数':>8}")
    for n in (5, 20, 45, 250):
        for start in starts:  # both agree before we time them
            assert calendar.add_workdays(start, n) == naive_add(calendar, start, n)
        fast = timeit.timeit(lambda n=n: [calendar.add_workdays(s, n) for s in starts], number=20) / (
            20 * len(starts)
        )
        slow = timeit.timeit(lambda n=n: [naive_add(calendar, s, n) for s in starts], number=3) / (
            3 * len(starts)
        )
        print(f"{n:>12} {fast * 1e6:>14.2f} {slow * 1e6:>10.2f} {slow / fast:>7.1f}x")
    early = [s for s in starts if s <= dt.date(2018, 1, 1)][:100]
    count = timeit.timeit(
        lambda: [calendar.workdays_between(s, s + dt.timedelta(days=3000)) for s in early], number=20
    ) / (20 * len(early))
    print(f"workdays_between 跨度 3000 天：{count * 1e6:.2f} 微秒/次")


if __name__ == "__main__":
    main()
