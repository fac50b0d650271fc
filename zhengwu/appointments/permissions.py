"""Choke points: the only way an interface app fetches an appointment or a hall on behalf of a person.
Someone else's appointment, or one of a hall outside the staff member's scope, is "not found"."""

from __future__ import annotations

from zhengwu.appointments import selectors
from zhengwu.appointments.models import Appointment
from zhengwu.common.errors import NotFound
from zhengwu.organization.models import ServiceHall

NOT_FOUND = "预约不存在或无权查看。"


def is_citizen(user) -> bool:
    return bool(user.is_authenticated and user.applicant_id)


def is_staff(user) -> bool:
    return bool(user.is_authenticated and not user.applicant_id)


def appointment_get_for_citizen(user, number: str) -> Appointment:
    if not is_citizen(user):
        raise NotFound(NOT_FOUND)
    appointment = selectors.appointment_list_for_citizen(user).filter(number=number).first()
    if appointment is None:
        raise NotFound(NOT_FOUND)
    return appointment


def appointment_get_for_staff(user, number: str) -> Appointment:
    if not is_staff(user):
        raise NotFound(NOT_FOUND)
    appointment = selectors.appointment_list_for_staff(user).filter(number=number).first()
    if appointment is None:
        raise NotFound(NOT_FOUND)
    return appointment


def hall_get_for_staff(user, hall_id: int) -> ServiceHall:
    if not is_staff(user):
        raise NotFound("大厅不存在或不在您的数据范围内。")
    hall = selectors.staff_hall_list(user).filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("大厅不存在或不在您的数据范围内。")
    return hall
