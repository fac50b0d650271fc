"""The write paths of appointments: book, cancel, check in, the no-show sweep and the reminders.

Capacity: a booking takes its place with one `UPDATE slot_counter SET booked = booked + 1 WHERE id = ?
AND booked < capacity`. Zero rows updated means the slot is full, and the booking is refused; the
database evaluates the condition on the row it updates (PostgreSQL re-checks it after waiting for a
concurrent writer, SQLite serialises writers with `BEGIN IMMEDIATE`), so a slot is never overbooked.
Status changes are guarded the same way: `filter(pk=, status=old).update(...)`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import IntegrityError, transaction
from django.db.models import F

from zhengwu.appointments import selectors
from zhengwu.appointments.choices import Channel, Status
from zhengwu.appointments.models import Appointment, AppointmentSequence, BookingBlock, SlotCounter
from zhengwu.catalog.models import ServiceItem
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.errors import DomainError
from zhengwu.common.sequences import next_in_sequence
from zhengwu.domain import appointments as rules
from zhengwu.domain.calendar import CalendarNotAvailable
from zhengwu.domain.masking import mask_phone
from zhengwu.organization.models import ServiceHall
from zhengwu.workdays.selectors import work_calendar

log = logging.getLogger("zhengwu.appointments.sms")

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
NAME_MAX = 64
REMINDER_LOOKAHEAD_DAYS = 20  # a reminder day lies at most this far before its appointment


def _invalid(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: [message]})


def _aware(day: dt.date, moment: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, moment, tzinfo=LOCAL_TZ)


def _check_person(name: str, phone: str) -> tuple[str, str]:
    name = (name or "").strip()
    phone = re.sub(r"[\s-]", "", phone or "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if not name:
        raise _invalid("name", "请填写预约人姓名。")
    if len(name) > NAME_MAX:
        raise _invalid("name", f"预约人姓名不能超过{NAME_MAX}个字。")
    if not MOBILE.match(phone):
        raise _invalid("phone", "手机号码应为11位中国大陆手机号（以1开头）。")
    return name, phone


def _check_item(hall: ServiceHall, item: ServiceItem) -> int:
    """The item's daily quota, after checking that it can be booked at this hall."""
    if not ServiceItem.objects.filter(selectors.item_bookable_q(), pk=item.pk).exists():
        raise _invalid("item", "该事项不支持预约办理，或每天可预约办理量为0。", "item_not_bookable")
    if not selectors.hall_serves_item(hall, item):
        raise _invalid("hall", "该大厅不办理此事项的预约，请选择事项所在地的大厅。", "hall_not_serving")
    version = ServiceItem.objects.select_related("current_version").get(pk=item.pk).current_version
    assert version is not None  # item_bookable_q requires a published version
    return int(version.appointment_daily_quota or 0)


def _check_slot(
    hall: ServiceHall, item: ServiceItem, day: dt.date, slot_start: dt.time, quota: int, now: dt.datetime
) -> rules.Slot:
    try:
        dates = selectors.bookable_dates(hall, now=now)
    except CalendarNotAvailable:
        dates = ()
    if day not in dates:
        config = selectors.hall_settings(hall)
        raise _invalid(
            "date",
            f"预约日期须为今后{config.horizon_workdays}个工作日内的工作日"
            f"（当天预约须在{config.same_day_cutoff:%H:%M}前）。",
            "date_not_bookable",
        )
    config = selectors.hall_settings(hall)
    slot = next(
        (s for s in rules.day_slots(config.period_list, config.slot_minutes, quota) if s.start == slot_start),
        None,
    )
    if slot is None:
        raise _invalid("slot", "所选时段不存在，请从可预约时段中选择。", "slot_unknown")
    if _aware(day, slot.start) <= now:
        raise _invalid("slot", "所选时段已开始，请选择稍后的时段。", "slot_past")
    return slot


def _next_number(hall: ServiceHall, day: dt.date) -> str:
    prefix = f"YY-{hall.pk}"
    seq = next_in_sequence(AppointmentSequence, prefix=prefix, day=day)
    return f"{prefix}-{day:%Y%m%d}-{seq:04d}"


@transaction.atomic
def appointment_book(
    *,
    hall: ServiceHall,
    item: ServiceItem,
    day: dt.date,
    slot_start: dt.time,
    name: str,
    phone: str,
    channel: str,
    actor,
    now: dt.datetime,
) -> Appointment:
    """Book one place. Online: `actor` is the citizen (blocked citizens are refused). At the hall:
    `actor` is the staff member booking for a walk-in or phone caller (the no-show block does not apply)."""
    if channel not in Channel.values:
        raise _invalid("channel", "预约渠道无效。")
    name, phone = _check_person(name, phone)
    quota = _check_item(hall, item)
    slot = _check_slot(hall, item, day, slot_start, quota, now)
    today = now.astimezone(LOCAL_TZ).date()
    citizen = actor if channel == Channel.ONLINE else None
    if channel == Channel.ONLINE:
        if actor is None or not getattr(actor, "applicant_id", None):
            raise DomainError("citizen_required", "网上预约须使用个人网上办事账号登录。")
        block = selectors.active_block(actor, today=today)
        if block is not None:
            raise DomainError(
                "booking_blocked",
                f"因{block.reason}，{block.blocked_until:%Y-%m-%d}前暂停网上预约，可到大厅现场办理。",
            )
    if (
        Appointment.objects.matching(phone=phone)
        .filter(item=item, date=day, status__in=[Status.BOOKED, Status.CHECKED_IN, Status.SERVED])
        .exists()
    ):
        raise _invalid("date", "同一人同一事项每天只能预约一次，您当天已有该事项的预约。", "already_booked")

    counter, _created = SlotCounter.objects.get_or_create(
        hall=hall,
        item=item,
        date=day,
        slot_start=slot.start,
        defaults={"slot_end": slot.end, "capacity": slot.capacity},
    )
    taken = SlotCounter.objects.filter(pk=counter.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1)
    if not taken:
        raise _invalid("slot", "该时段已约满，请选择其他时段。", "slot_full")
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                number=_next_number(hall, day),
                hall=hall,
                item=item,
                date=day,
                slot_start=slot.start,
                slot_end=slot.end,
                starts_at=_aware(day, slot.start),
                ends_at=_aware(day, slot.end),
                citizen=citizen,
                booked_by=actor if channel == Channel.HALL else None,
                name=name,
                phone=phone,
                channel=channel,
            )
    except IntegrityError:
        # Two bookings of the same person raced past the check above: the unique constraint decides.
        raise _invalid(
            "date", "同一人同一事项每天只能预约一次，您当天已有该事项的预约。", "already_booked"
        ) from None
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, actor, now: dt.datetime) -> Appointment:
    """Cancel before the slot starts; the place becomes free again."""
    if appointment.status != Status.BOOKED:
        raise DomainError(
            "not_cancellable", f"预约当前状态为“{appointment.get_status_display()}”，不能取消。"
        )
    if now >= appointment.starts_at:
        raise DomainError("too_late", "预约时段已开始，不能再取消。")
    changed = Appointment.objects.filter(pk=appointment.pk, status=Status.BOOKED).update(
        status=Status.CANCELLED, cancelled_at=now, updated_at=now
    )
    if not changed:
        raise DomainError("conflict", "该预约已被处理，请刷新后重试。")
    SlotCounter.objects.filter(
        hall=appointment.hall_id,
        item=appointment.item_id,
        date=appointment.date,
        slot_start=appointment.slot_start,
        booked__gt=0,
    ).update(booked=F("booked") - 1)
    appointment.refresh_from_db()
    return appointment


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, actor, now: dt.datetime) -> Appointment:
    """Check in at the hall within the check-in window: issues an appointment-priority queue number."""
    from zhengwu.queueing import services as queueing_services

    if appointment.status != Status.BOOKED:
        raise DomainError("not_checkable", f"预约当前状态为“{appointment.get_status_display()}”，不能签到。")
    config = selectors.hall_settings(appointment.hall)
    opens, closes = rules.check_in_window(
        appointment.starts_at,
        before_minutes=config.check_in_before_minutes,
        after_minutes=config.check_in_after_minutes,
    )
    if now < opens:
        raise DomainError(
            "too_early", f"签到时间为{opens.astimezone(LOCAL_TZ):%m月%d日 %H:%M}起，请稍后再来签到。"
        )
    if now > closes:
        raise DomainError(
            "too_late",
            f"已超过签到截止时间{closes.astimezone(LOCAL_TZ):%H:%M}，预约失效，请现场取号办理。",
        )
    changed = Appointment.objects.filter(pk=appointment.pk, status=Status.BOOKED).update(
        status=Status.CHECKED_IN, checked_in_at=now, updated_at=now
    )
    if not changed:
        raise DomainError("conflict", "该预约已签到或已被处理。")
    ticket = queueing_services.ticket_issue(
        hall=appointment.hall,
        item=appointment.item,
        priority="appointment",
        source="appointment",
        appointment_ref=appointment.number,
        now=now,
        actor=actor if getattr(actor, "pk", None) and not getattr(actor, "applicant_id", None) else None,
    )
    Appointment.objects.filter(pk=appointment.pk).update(queue_ticket=ticket)
    appointment.refresh_from_db()
    return appointment


def _apply_no_show_rule(user, day: dt.date) -> BookingBlock | None:
    rule = selectors.no_show_rule()
    last = BookingBlock.objects.filter(user=user).order_by("-blocked_from").first()
    if last is not None and last.blocked_until > day:
        return None  # already blocked over this day
    dates = list(
        Appointment.objects.filter(
            citizen=user,
            status=Status.NO_SHOW,
            date__gt=day - dt.timedelta(days=rule.within_days),
            date__lte=day,
        ).values_list("date", flat=True)
    )
    until = rules.no_show_block_until(
        dates, on=day, rule=rule, counted_after=last.blocked_from if last else None
    )
    if until is None:
        return None
    return BookingBlock.objects.create(
        user=user,
        blocked_from=day,
        blocked_until=until,
        no_shows=len(dates),
        reason=f"{rule.within_days}天内爽约{len(dates)}次",
    )


def appointments_mark_no_shows(*, now: dt.datetime, progress=None) -> int:
    """Mark every booked appointment whose slot ended the grace period ago as a no-show, and apply the
    block rule to its citizen; idempotent (each appointment is marked once)."""
    from django.conf import settings

    grace = dt.timedelta(minutes=settings.ZHENGWU_APPOINTMENT_NO_SHOW_GRACE_MINUTES)
    due = Appointment.objects.filter(status=Status.BOOKED, ends_at__lte=now - grace).order_by(
        "date", "slot_start", "pk"
    )
    count = 0
    for appointment in due.only("pk", "citizen_id", "date"):
        with transaction.atomic():
            changed = Appointment.objects.filter(pk=appointment.pk, status=Status.BOOKED).update(
                status=Status.NO_SHOW, no_show_at=now, updated_at=now
            )
            if not changed:
                continue
            count += 1
            if appointment.citizen_id:
                _apply_no_show_rule(appointment.citizen, appointment.date)
        if progress and count % 100 == 0:
            progress(f"已标记爽约 {count} 条……")
    return count


def _reminder_text(appointment: Appointment) -> str:
    return (
        f"【政务服务】提醒：您预约了{appointment.date:%m月%d日} {appointment.slot_label}"
        f"在{appointment.hall.name}办理“{appointment.item.name}”，预约号 {appointment.number}。"
        "请于预约时段开始前30分钟内到大厅签到取号；不能前往请提前取消。"
    )


def _send_sms(phone: str, text: str) -> None:
    """No SMS gateway here: the message is logged with the phone masked."""
    log.info("SMS to %s: %s", mask_phone(phone), text)


def appointments_send_reminders(*, today: dt.date, now: dt.datetime, progress=None) -> int:
    """Remind every booked appointment whose reminder day (the working day before it) has come; once
    each (guarded by `reminded_at`). Appointments booked after their reminder day are reminded on the
    next run before they start."""
    candidates = (
        Appointment.objects.filter(
            status=Status.BOOKED,
            reminded_at__isnull=True,
            date__gt=today,
            date__lte=today + dt.timedelta(days=REMINDER_LOOKAHEAD_DAYS),
        )
        .select_related("hall", "hall__department__region", "item")
        .order_by("date", "slot_start", "pk")
    )
    count = 0
    for appointment in candidates:
        try:
            day = rules.reminder_day(
                work_calendar(region=appointment.hall.department.region), appointment.date
            )
        except CalendarNotAvailable:
            continue
        if day > today:
            continue
        text = _reminder_text(appointment)
        changed = Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(
            reminded_at=now, updated_at=now
        )
        if changed:
            count += 1
            _send_sms(appointment.phone, text)
            if progress and count % 100 == 0:
                progress(f"已发送提醒 {count} 条……")
    return count


def appointment_mark_served(*, ticket, now: dt.datetime) -> int:
    """The queue finished the ticket an appointment's check-in issued: the appointment is served.
    Connected to `queueing.signals.ticket_finished` in `AppointmentsConfig.ready`."""
    return Appointment.objects.filter(queue_ticket=ticket, status=Status.CHECKED_IN).update(
        status=Status.SERVED, updated_at=now
    )
