"""Choke points: the only way an interface app fetches a hall, a window or a ticket for a person.

- Window staff operate the window they are assigned to (`User.window`) and see its hall's queue.
- Hall managers (部门负责人 and 监管员 whose data scope covers the hall's department) and the system
  administrator see every ticket of their halls; they may transfer and cancel, not call.
- Anybody else gets "not found": the existence of a ticket of another hall is not leaked.
- Citizens reach their own ticket only through its unguessable token; halls and boards are public
  (a board shows numbers only).
"""

from __future__ import annotations

from zhengwu.common.errors import NotFound, PermissionDenied
from zhengwu.organization.choices import Role
from zhengwu.organization.models import ServiceHall, Window
from zhengwu.organization.selectors import hall_list, sees_everything
from zhengwu.queueing.models import QueueTicket, WindowGroup

MANAGER_ROLES = (Role.DEPT_HEAD, Role.SUPERVISOR)


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and not user.applicant_id)


def managed_halls(user):
    """Halls whose whole queue the user may see and manage (may be empty)."""
    if not is_staff(user) or not (sees_everything(user) or user.has_role(*MANAGER_ROLES)):
        return ServiceHall.objects.none()
    return hall_list(user=user)


def can_manage_hall(user, hall: ServiceHall) -> bool:
    return managed_halls(user).filter(pk=hall.pk).exists()


def can_see_hall(user, hall: ServiceHall) -> bool:
    if not is_staff(user):
        return False
    if user.window_id and user.window.hall_id == hall.pk:
        return True
    return can_manage_hall(user, hall)


def operated_window(user) -> Window:
    """The window the staff member is assigned to; refused (403) without one."""
    if not is_staff(user):
        raise PermissionDenied("请以工作人员身份登录。")
    window = user.window if user.window_id else None
    if window is None or not window.is_active:
        raise PermissionDenied(
            "您未被分配到启用的窗口，不能叫号。请联系大厅管理员在“工作人员”中设置所在窗口。"
        )
    return window


def hall_get_public(hall_id: int) -> ServiceHall:
    hall = ServiceHall.objects.select_related("department").filter(pk=hall_id).first()
    if hall is None:
        raise NotFound("大厅不存在。")
    return hall


def hall_get_for_staff(user, hall_id: int) -> ServiceHall:
    hall = ServiceHall.objects.select_related("department").filter(pk=hall_id).first()
    if hall is None or not can_see_hall(user, hall):
        raise NotFound("大厅不存在或不在您的数据范围内。")
    return hall


def ticket_get_for_user(user, ticket_id: int) -> QueueTicket:
    """A ticket of a hall the staff member works in or manages; otherwise "not found"."""
    ticket = (
        QueueTicket.objects.select_related("hall", "group", "window", "item", "case")
        .filter(pk=ticket_id)
        .first()
    )
    if ticket is None or not can_see_hall(user, ticket.hall):
        raise NotFound("排队号不存在或不在您的数据范围内。")
    return ticket


def ticket_get_by_token(token: str) -> QueueTicket:
    ticket = (
        QueueTicket.objects.select_related("hall", "group", "window").filter(token=(token or "")[:32]).first()
    )
    if ticket is None or not token:
        raise NotFound("排队号不存在，请核对二维码或重新取号。")
    return ticket


def group_get_in_hall(hall: ServiceHall, code_or_id: str | int) -> WindowGroup:
    qs = WindowGroup.objects.filter(hall=hall, is_active=True)
    text = str(code_or_id).strip()
    group = qs.filter(pk=int(text)).first() if text.isdecimal() else qs.filter(code=text.upper()).first()
    if group is None:
        raise NotFound("本大厅没有该窗口组。")
    return group
