"""The audited reveal of a 12345 caller's identity ("查看完整信息", DOMAIN.md §11).

Every page and API shows the caller masked (`selectors.caller_for`), the 12345 centre included. The centre
needs the full number to call back (回访), so its agents hold `view_full_pii` for the tickets of their
centre: window clerks, approvers and department heads acting for the centre (`access.acts_for_centre`).
Handling units never do (they see the caller masked, or not at all for a confidential ticket), nor do the
three administrators, supervisors or assessors. Every attempt writes a `pii.reveal` audit event.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from zhengwu.audit.services import record
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.hotline.access import acts_for_centre
from zhengwu.hotline.models import Ticket
from zhengwu.organization.choices import ADMIN_ROLES, Role

VIEW_FULL_PII_ROLES = frozenset({Role.WINDOW_CLERK, Role.APPROVER, Role.DEPT_HEAD})
REASON_MAX_LENGTH = 200

REVEALABLE: dict[str, tuple[str, Callable[[Ticket], str]]] = {
    "caller_phone": ("来电人电话", lambda ticket: ticket.caller_phone),
    "caller_name": ("来电人姓名", lambda ticket: ticket.caller_name),
}


def can_view_full_caller(user, ticket: Ticket) -> bool:
    """Whether `user` holds `view_full_pii` for `ticket` (see the module docstring)."""
    if not getattr(user, "is_authenticated", False) or user.applicant_id:
        return False
    if user.has_role(*ADMIN_ROLES) or not user.has_role(*VIEW_FULL_PII_ROLES):
        return False
    return acts_for_centre(user, ticket)


def revealable_fields(ticket: Ticket) -> list[tuple[str, str]]:
    return [(code, label) for code, (label, read) in REVEALABLE.items() if read(ticket)]


def ticket_pii_reveal(*, ticket: Ticket, user, field: str, reason: str, request=None) -> str:
    """The caller's full `field` for `user`, audited; PermissionDenied (audited) otherwise."""
    reason = " ".join((reason or "").split())
    spec = REVEALABLE.get(field)
    if spec is None or not spec[1](ticket):
        raise DomainError("invalid", "请选择要查看的信息。", {"field": ["请选择要查看的信息。"]})
    if not reason:
        raise DomainError("required", "请填写查看理由。", {"reason": ["查看完整信息须填写理由。"]})
    if len(reason) > REASON_MAX_LENGTH:
        message = f"查看理由不得超过{REASON_MAX_LENGTH}字。"
        raise DomainError("invalid", message, {"reason": [message]})
    allowed = can_view_full_caller(user, ticket)
    with transaction.atomic():  # no audit, no reveal; a denial is kept although the request fails
        record(
            "pii.reveal",
            request=request,
            actor=user,
            obj=ticket,
            result="success" if allowed else "denied",
            detail={"field": field, "reason": reason, "ticket": ticket.number},
        )
    if not allowed:
        raise PermissionDenied("您没有查看来电人完整信息的权限（view_full_pii）。")
    return spec[1](ticket)
