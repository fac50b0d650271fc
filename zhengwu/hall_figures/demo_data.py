"""Demo hall traffic for `zhengwu demo`: a year of queue tickets and appointments in every demo hall,
with the patterns a hall manager knows (issue 8).

- Working days only (each hall's region calendar; outside its data, Mon–Fri). Mondays are the
  busiest (×1.35, Friday ×0.85), the first working day after a break of three days or more (a
  holiday, not a plain weekend) ×1.5; the city hall sees about twice a county's traffic.
- Issue times cluster in a morning peak 9–11 and an afternoon peak 14–16 (the hall is open
  8:30–12:00 and 13:30–17:00 for numbers).
- Each window runs its own queue: appointment, elderly and disabled numbers are called first, then
  by issue time; a window calls the next number when it is free. Waits are therefore *simulated*, not
  drawn: they grow at the peaks and on busy windows by themselves. Service times are log-normal around
  each window's typical length (企业开办 ≈ 14 min, 社保医保 ≈ 7 min …).
- About 2.5 % of numbers are abandoned before the call (cancelled), 2 % are called and never come
  (no-show, the window loses two minutes of recalls); ~12 % are appointment check-ins. Appointments
  also come with no-shows (~7 %) and cancellations (~9 %), so 预约履约率 and 爽约率 have values.
- Window cases of the demo (`channel = window`) are linked to a served number of their window and
  day — the one whose service started nearest the case's receipt time, so the clerk's "open the
  linked case" has real data. Window-days with more cases than drawn numbers get extra numbers.
- One window group per window (A, B, … in window order) is created for each hall that has none,
  routing the window's departments, so the kiosk and window console work on the demo halls too.

Rows go in with COPY on PostgreSQL, `executemany` elsewhere (in one transaction; ticket ids are
allocated here and the id sequences reset after; deterministic seed). No `QueueEvent` journal and no
sequence rows are written for past days (numbers restart per day, so today's do not collide).
Idempotent: nothing is generated when any queue ticket exists.
"""

from __future__ import annotations

import datetime as dt
import heapq
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from zhengwu.appointments.models import Appointment
from zhengwu.cases.demo_data import DEFAULT_CASES, InsertSink
from zhengwu.cases.models import Case
from zhengwu.catalog.models import ServiceItem
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.pii import PHONE, blind_index
from zhengwu.domain.queueing import format_number
from zhengwu.organization.models import ServiceHall, User, Window
from zhengwu.queueing.models import QueueTicket, WindowGroup
from zhengwu.workdays.selectors import work_calendar

SEED = 20_26_8
CITY_DAILY = 90  # numbers a working day in the city hall (a county: 30–50)
WEEKDAY_FACTOR = (1.35, 1.1, 1.0, 0.95, 0.85, 0.5, 0.5)
AFTER_BREAK_FACTOR = 1.5
# (hour, weight): issue times, in half-open hours; the first hour of each session starts at :30.
HOUR_WEIGHTS = ((8, 0.5), (9, 1.6), (10, 1.7), (11, 0.8), (13, 0.5), (14, 1.4), (15, 1.3), (16, 0.6))
# Per window number: share of the traffic and typical service minutes.
WINDOW_TRAFFIC = {"1": 1.3, "2": 0.6, "3": 1.2, "4": 1.0, "5": 1.1, "6": 0.9, "7": 1.2, "8": 0.5}
SERVICE_MINUTES = {"1": 14, "2": 18, "3": 9, "4": 16, "5": 8, "6": 10, "7": 7, "8": 12}
PRIORITY_RANK = {"appointment": 0, "elderly": 1, "disabled": 1, "normal": 2}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "霞",
)
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass
class HallDemoResult:
    groups: int = 0
    tickets: int = 0
    appointments: int = 0
    linked: int = 0
    halls: int = 0
    skipped: bool = False
    seconds: float = 0.0

    def detail(self) -> str:
        if self.skipped:
            return "已有排队记录，跳过"
        return (
            f"{self.halls} 个大厅：排队号 {self.tickets:,} 张（关联窗口办件 {self.linked:,} 件），"
            f"预约 {self.appointments:,} 个，新建窗口组 {self.groups} 个，用时 {self.seconds:.1f} 秒"
        )


@dataclass
class _Ticket:
    issued: dt.datetime
    window: Window
    priority: str
    source: str
    fate: str  # done / no_show / cancelled
    item_id: int | None = None
    called: dt.datetime | None = None
    started: dt.datetime | None = None
    finished: dt.datetime | None = None
    case_id: int | None = None
    pk: int = 0
    appointment_ref: str = ""


TICKET_COLUMNS = (
    "id created_at updated_at hall_id group_id day number priority status source appointment_ref item_id"
    " issued_at queued_at called_at last_called_at serve_started_at finished_at window_id staff_id"
    " recall_count case_id token"
)
APPOINTMENT_COLUMNS = (
    "created_at updated_at number hall_id item_id date slot_start slot_end starts_at ends_at name phone"
    " phone_index channel status queue_ticket_id checked_in_at cancelled_at no_show_at"
)
SLOT_MINUTES = (9 * 60, 9 * 60 + 30, 10 * 60, 10 * 60 + 30, 14 * 60, 14 * 60 + 30, 15 * 60)


def _converter(sink: InsertSink, field: models.Field):
    """The sink's conversion, plus times for SQLite (which the cases tables do not have)."""
    if isinstance(field, models.TimeField) and connection.vendor == "sqlite":
        return connection.ops.adapt_timefield_value
    return sink.converter(field)


class _Rows:
    """Rows of one model for `executemany`: the columns named, then every other column at its default;
    values converted for the database by the cases demo's `InsertSink` (dates, datetimes, encrypted
    text), as `bulk_create` would, minus its per-value cost."""

    def __init__(self, model: type[models.Model], attnames: str, sink: InsertSink) -> None:
        names = attnames.split()
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        fields = [by_attname[name] for name in names]
        rest = [f for f in model._meta.concrete_fields if f.attname not in set(names) and f.attname != "id"]
        self.table = model._meta.db_table
        self.columns = [f.column for f in fields] + [f.column for f in rest]
        self.tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        self.convert = [(i, c) for i, f in enumerate(fields) if (c := _converter(sink, f)) is not None]
        self.rows: list[list] = []

    def add(self, *values) -> None:
        self.rows.append(list(values))

    def flush(self, sink: InsertSink) -> int:
        prepared = []
        for row in self.rows:
            for index, convert in self.convert:
                if row[index] is not None:
                    row[index] = convert(row[index])
            prepared.append((*row, *self.tail))
        if prepared and connection.vendor == "postgresql":
            quote = connection.ops.quote_name
            sql = f"COPY {quote(self.table)} ({', '.join(quote(c) for c in self.columns)}) FROM STDIN"
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for row in prepared:
                    copy.write_row(row)
        elif prepared:
            sink.write(self.table, self.columns, prepared)
        self.rows = []
        return len(prepared)


def _local(day: dt.date, minutes: float) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_TZ) + dt.timedelta(minutes=minutes)


class _Generator:
    def __init__(self, *, today: dt.date, scale: float, seed: int) -> None:
        self.today = today
        self.scale = scale
        self.rng = random.Random(seed)
        self.result = HallDemoResult()
        self.sink = InsertSink()
        self.ticket_rows = _Rows(QueueTicket, TICKET_COLUMNS, self.sink)
        self.appointment_rows = _Rows(Appointment, APPOINTMENT_COLUMNS, self.sink)
        self.next_ticket = (QueueTicket.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.seq = 0

    # -- setup ----------------------------------------------------------------------------------------
    def groups(self, hall: ServiceHall, windows: list[Window]) -> dict[int, WindowGroup]:
        """The window group of each window: the hall's own (first group listing the window), or one new
        group per window when the hall has none."""
        existing = list(WindowGroup.objects.filter(hall=hall).prefetch_related("windows"))
        if not existing:
            for index, window in enumerate(windows):
                group = WindowGroup.objects.create(
                    hall=hall, code=LETTERS[index % len(LETTERS)], name=window.name, sort_order=index
                )
                group.windows.set([window])
                group.departments.set(list(window.departments.all()))
                existing.append(group)
                self.result.groups += 1
            existing = list(WindowGroup.objects.filter(hall=hall).prefetch_related("windows"))
        by_window: dict[int, WindowGroup] = {}
        for group in existing:
            for window in group.windows.all():
                by_window.setdefault(window.pk, group)
        return by_window

    # -- one hall ---------------------------------------------------------------------------------------
    def hall(self, hall: ServiceHall) -> None:
        windows = sorted(
            Window.objects.filter(hall=hall, is_active=True).prefetch_related("departments"),
            key=lambda w: (len(w.number), w.number),
        )
        if not windows:
            return
        groups = self.groups(hall, windows)
        region = hall.department.region
        calendar = work_calendar(region=region)
        items: dict[int, list[int]] = defaultdict(list)
        for pk, department_id in ServiceItem.objects.filter(
            region=region, current_version__isnull=False
        ).values_list("pk", "department_id"):
            items[department_id].append(pk)
        window_items = {
            w.pk: [pk for d in w.departments.all() for pk in items.get(d.pk, [])] for w in windows
        }
        staff = dict(User.objects.filter(window__in=windows).values_list("window_id", "pk"))
        first = self.today - dt.timedelta(days=365)
        cases: dict[tuple[int, dt.date], list[tuple[int, dt.datetime, int]]] = defaultdict(list)
        rows = Case.objects.filter(
            window__in=windows, channel="window", received_at__isnull=False, received_on__gte=first
        ).values_list("pk", "window_id", "received_at", "item_id", "received_on")
        for pk, window_id, received_at, item_id, received_on in rows:
            if received_on < self.today:
                cases[(window_id, received_on)].append((pk, received_at, item_id))

        def workday(day: dt.date) -> bool:
            return calendar.is_workday(day) if calendar.covers(day) else day.weekday() < 5

        size = CITY_DAILY if region.level <= 2 else self.rng.randint(30, 50)
        weights = [WINDOW_TRAFFIC.get(w.number, 0.8) for w in windows]
        day, last_workday = first, None
        while day < self.today:
            if workday(day):
                factor = WEEKDAY_FACTOR[day.weekday()]
                if last_workday is not None and (day - last_workday).days > 3:
                    factor *= AFTER_BREAK_FACTOR
                expected = size * factor * self.scale * self.rng.uniform(0.85, 1.15)
                self.day(hall, day, windows, weights, groups, window_items, staff, cases, expected)
                last_workday = day
            day += dt.timedelta(days=1)
        self.result.halls += 1

    def day(self, hall, day, windows, weights, groups, window_items, staff, cases, expected) -> None:
        rng = self.rng
        count = int(expected) + (rng.random() < expected - int(expected))
        per_window: dict[int, list[_Ticket]] = {w.pk: [] for w in windows}
        by_pk = {w.pk: w for w in windows}
        chosen = rng.choices(windows, weights, k=count) if count else []
        extra: list[Window] = []
        drawn = Counter(w.pk for w in chosen)
        for window in windows:  # every window case of the day gets a served number
            missing = len(cases.get((window.pk, day), ())) - drawn[window.pk]
            if missing > 0:
                extra += [window] * missing
        hours = [h for h, _w in HOUR_WEIGHTS]
        hour_weights = [w for _h, w in HOUR_WEIGHTS]
        for number, window in enumerate(chosen + extra):
            hour = rng.choices(hours, hour_weights)[0]
            start = 30 if hour in (8, 13) else 0
            issued = _local(day, hour * 60 + rng.uniform(start, 60))
            draw = rng.random()
            priority, source = "normal", rng.choices(("kiosk", "phone", "staff"), (60, 36, 4))[0]
            if draw < 0.12:
                priority, source = "appointment", "appointment"
            elif draw < 0.18:
                priority = "elderly"
            elif draw < 0.19:
                priority = "disabled"
            fate = (
                rng.choices(("done", "no_show", "cancelled"), (95.5, 2.0, 2.5))[0]
                if number < count
                else "done"
            )
            candidates = window_items[window.pk]
            item_id = (
                rng.choice(candidates)
                if candidates and (rng.random() < 0.7 or source == "appointment")
                else None
            )
            if source == "appointment" and item_id is None:
                priority, source = "normal", "kiosk"
            per_window[window.pk].append(_Ticket(issued, window, priority, source, fate, item_id))
        numbers: dict[str, int] = defaultdict(int)
        made: list[_Ticket] = []
        for window_id, tickets in per_window.items():
            self.simulate(tickets, SERVICE_MINUTES.get(by_pk[window_id].number, 10))
            self.link(tickets, cases.get((window_id, day), []))
            made += tickets
        made = [t for t in sorted(made, key=lambda x: x.issued) if t.window.pk in groups]
        for ticket in made:
            ticket.pk = self.next_ticket
            self.next_ticket += 1
        # The day's bookings (behind the check-ins, plus no-shows and cancellations), numbered in slot order.
        bookings = [self.appointment(hall, t) for t in made if t.source == "appointment"]
        bookings += self.extra_appointments(hall, day, window_items, per_window)
        bookings.sort(key=lambda b: (b["starts_at"], b["seq"]))
        for index, booking in enumerate(bookings, start=1):
            booking["number"] = f"YY-{hall.pk}-{day:%Y%m%d}-{index:04d}"
            if booking["ticket"] is not None:
                booking["ticket"].appointment_ref = booking["number"]
        for ticket in made:
            group = groups[ticket.window.pk]
            numbers[group.code] += 1
            called = ticket.called if ticket.fate != "cancelled" else None
            last_called = called + dt.timedelta(minutes=2) if ticket.fate == "no_show" and called else called
            self.ticket_rows.add(
                ticket.pk,
                ticket.issued,
                ticket.finished or called or ticket.issued,
                hall.pk,
                group.pk,
                day,
                format_number(group.code, numbers[group.code]),
                ticket.priority,
                ticket.fate,  # the status: done / no_show / cancelled
                ticket.source,
                ticket.appointment_ref,
                ticket.item_id,
                ticket.issued,
                ticket.issued,
                called,
                last_called,
                ticket.started,
                ticket.finished,
                ticket.window.pk if called else None,
                staff.get(ticket.window.pk) if called else None,
                2 if ticket.fate == "no_show" else 0,
                ticket.case_id,
                f"demo{self.rng.getrandbits(80):020x}",
            )
        for booking in bookings:
            ticket = booking["ticket"]
            ends = booking["starts_at"] + dt.timedelta(minutes=30)
            local, local_end = booking["starts_at"].astimezone(LOCAL_TZ), ends.astimezone(LOCAL_TZ)
            self.appointment_rows.add(
                booking["created"],
                booking["created"],
                booking["number"],
                hall.pk,
                booking["item_id"],
                local.date(),
                local.time(),
                local_end.time(),
                booking["starts_at"],
                ends,
                booking["name"],
                booking["phone"],
                blind_index(PHONE, booking["phone"]),
                booking["channel"],
                booking["status"],
                ticket.pk if ticket is not None else None,
                ticket.issued if ticket is not None else None,
                booking.get("cancelled_at"),
                booking.get("no_show_at"),
            )
        if len(self.ticket_rows.rows) > 5000:
            self.flush()

    def simulate(self, tickets: list[_Ticket], typical: float) -> None:
        """One window's day: when free, call the best waiting number (priority class, then issue time)."""
        rng = self.rng
        arrivals = sorted(tickets, key=lambda x: x.issued)
        waiting: list[tuple[int, dt.datetime, int, _Ticket]] = []
        free = arrivals[0].issued if arrivals else None
        index = 0
        while index < len(arrivals) or waiting:
            if not waiting:
                free = max(free, arrivals[index].issued)
            while index < len(arrivals) and arrivals[index].issued <= free:
                ticket = arrivals[index]
                heapq.heappush(waiting, (PRIORITY_RANK[ticket.priority], ticket.issued, index, ticket))
                index += 1
            _rank, _issued, _i, ticket = heapq.heappop(waiting)
            if ticket.fate == "cancelled":
                continue  # gone before the call: takes none of the window's time
            ticket.called = free
            if ticket.fate == "no_show":
                free += dt.timedelta(minutes=2, seconds=rng.randint(0, 40))
                continue
            ticket.started = free + dt.timedelta(seconds=rng.randint(20, 90))
            minutes = min(max(typical * rng.lognormvariate(0, 0.45), 2), 60)
            ticket.finished = ticket.started + dt.timedelta(minutes=minutes)
            free = ticket.finished + dt.timedelta(seconds=rng.randint(5, 40))

    def link(self, tickets: list[_Ticket], cases: list[tuple[int, dt.datetime, int]]) -> None:
        """Give each window case of the day the served number that started nearest its receipt."""
        served = [t for t in tickets if t.fate == "done" and t.started is not None]
        for pk, received_at, item_id in sorted(cases, key=lambda c: c[1]):
            free = [t for t in served if t.case_id is None]
            if not free:
                return
            best = min(free, key=lambda t: abs((t.started - received_at).total_seconds()))
            best.case_id, best.item_id = pk, item_id
            self.result.linked += 1

    # -- appointments ---------------------------------------------------------------------------------
    def _booking(self, item_id: int, starts: dt.datetime, status: str, ticket: _Ticket | None) -> dict:
        name = self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.randint(1, 2)))
        phone = f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"
        self.seq += 1
        return {
            "seq": self.seq,
            "item_id": item_id,
            "starts_at": starts,
            "status": status,
            "ticket": ticket,
            "name": name,
            "phone": phone,
            "channel": self.rng.choices(("online", "hall"), (78, 22))[0],
            "created": starts - dt.timedelta(days=self.rng.randint(1, 7), hours=self.rng.randint(0, 8)),
        }

    def appointment(self, hall, ticket: _Ticket) -> dict:
        """The booking behind an appointment check-in: its slot starts within 15 minutes of the issue."""
        local = ticket.issued.astimezone(LOCAL_TZ)
        slot = local.replace(minute=0 if local.minute < 30 else 30, second=0, microsecond=0)
        if (local - slot) > dt.timedelta(minutes=15):
            slot += dt.timedelta(minutes=30)
        status = "served" if ticket.fate == "done" else "checked_in"
        return self._booking(ticket.item_id, slot, status, ticket)

    def extra_appointments(self, hall, day, window_items, per_window) -> list[dict]:
        """Bookings that did not turn into a number: no-shows (~7 %) and cancellations (~9 %)."""
        kept = sum(1 for tickets in per_window.values() for t in tickets if t.source == "appointment")
        out = []
        for status, share in (("no_show", 0.075), ("cancelled", 0.10)):
            expected = kept * share
            n = int(expected) + (self.rng.random() < expected - int(expected))
            for _ in range(n):
                window_id = self.rng.choice(list(per_window))
                if not window_items[window_id]:
                    continue
                starts = _local(day, self.rng.choice(SLOT_MINUTES))
                booking = self._booking(self.rng.choice(window_items[window_id]), starts, status, None)
                if status == "no_show":
                    booking["no_show_at"] = starts + dt.timedelta(hours=1)
                else:
                    booking["cancelled_at"] = starts - dt.timedelta(hours=self.rng.randint(2, 60))
                out.append(booking)
        return out

    # -- writing ----------------------------------------------------------------------------------------
    def flush(self) -> None:
        self.result.tickets += self.ticket_rows.flush(self.sink)
        self.result.appointments += self.appointment_rows.flush(self.sink)


def count_scale(cases: int) -> float:
    """The traffic scale of a demo of `cases` cases: 1 for the default demo, proportionally less for a
    smaller one (the tests run a 600-case demo), at most 2."""
    return min(max(cases, 0) / DEFAULT_CASES, 2.0)


def demo_hall_generate(
    *,
    today: dt.date,
    scale: float = 1.0,
    seed: int = SEED,
    progress: Callable[[str], None] | None = None,
) -> HallDemoResult:
    """A year (ending yesterday) of queue tickets and appointments in every hall; `scale` multiplies the
    daily traffic (the demo passes cases / default cases, so a small demo stays small)."""
    started = time.monotonic()
    if QueueTicket.objects.exists():
        return HallDemoResult(skipped=True)
    generator = _Generator(today=today, scale=max(scale, 0.0), seed=seed)
    halls = list(
        ServiceHall.objects.select_related("department__region").order_by("department__region__path", "pk")
    )
    with transaction.atomic():
        for index, hall in enumerate(halls):
            generator.hall(hall)
            if progress is not None:
                progress(f"  大厅 {index + 1}/{len(halls)}：{hall.name}")
        generator.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), [QueueTicket, Appointment])
        with connection.cursor() as cursor:  # PostgreSQL: move the id sequences past the rows written
            for statement in statements:
                cursor.execute(statement)
    generator.result.seconds = time.monotonic() - started
    return generator.result
