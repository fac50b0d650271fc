"""The audited reveal of a case's personal data ("查看完整信息", DOMAIN.md §11).

Pages, API and exports show ID numbers and phones masked. The full value of one field of one case is
given only by `case_pii_reveal`, to a holder of the `view_full_pii` permission, with a reason; every
attempt, allowed or denied, writes a `pii.reveal` audit event (field and reason, never the value).

`view_full_pii` is held by the roles that handle the applicant in person and must reach them
(window clerks, approvers, department heads) for cases whose department or receiving department lies
in their data scope. The three administrators (三员), supervisors and assessors never hold it, whatever
else they hold: they work with masked data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from zhengwu.audit.services import record
from zhengwu.cases.models import Case
from zhengwu.cases.services import staff_can_act_on, staff_received
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.organization.choices import ADMIN_ROLES, ApplicantKind, Role

VIEW_FULL_PII = "view_full_pii"
VIEW_FULL_PII_ROLES = frozenset({Role.WINDOW_CLERK, Role.APPROVER, Role.DEPT_HEAD})
REASON_MAX_LENGTH = 200


@dataclass(frozen=True)
class RevealableField:
    label: str
    read: Callable[[Case], str]
    applies: Callable[[Case], bool] = lambda case: True


REVEALABLE: dict[str, RevealableField] = {
    "applicant_id_number": RevealableField(
        "申请人证件号码",
        lambda case: case.applicant.id_number,
        # A legal person's USCC is public and shown in full already.
        lambda case: case.applicant.kind == ApplicantKind.PERSON,
    ),
    "applicant_phone": RevealableField(
        "申请人电话", lambda case: case.applicant.phone, lambda case: bool(case.applicant.phone)
    ),
    "contact_phone": RevealableField(
        "联系电话", lambda case: case.contact_phone, lambda case: bool(case.contact_phone)
    ),
    "agent_id_number": RevealableField(
        "代办人证件号码", lambda case: case.agent_id_number, lambda case: bool(case.agent_id_number)
    ),
    "agent_phone": RevealableField(
        "代办人电话", lambda case: case.agent_phone, lambda case: bool(case.agent_phone)
    ),
}


def can_view_full_pii(user, case: Case, *, in_scope: bool | None = None) -> bool:
    """Whether `user` holds `view_full_pii` for `case` (see the module docstring). `in_scope`: the
    caller's `staff_can_act_on(user, case)` when it has it already (saves a query)."""
    if not getattr(user, "is_authenticated", False) or user.applicant_id:
        return False
    if user.has_role(*ADMIN_ROLES) or not user.has_role(*VIEW_FULL_PII_ROLES):
        return False
    if in_scope is None:
        in_scope = staff_can_act_on(user, case)
    return in_scope or staff_received(user, case)


def revealable_fields(case: Case) -> list[tuple[str, str]]:
    """(code, Chinese label) of the fields of `case` that have a value to reveal."""
    return [(code, field.label) for code, field in REVEALABLE.items() if field.applies(case)]


def _denied(*, case: Case, user, request, field: str, reason: str) -> None:
    with transaction.atomic():  # the denial is kept although the request fails
        record(
            "pii.reveal",
            request=request,
            actor=user,
            obj=case,
            result="denied",
            detail={"field": field, "reason": reason, "case": case.number},
        )


def case_pii_reveal_not_found(*, user, number: str, field: str, request=None) -> None:
    """Audit a reveal asked for a case the user may not see (answered 404 like a missing one)."""
    with transaction.atomic():
        record(
            "pii.reveal",
            request=request,
            actor=user,
            object_type="cases.Case",
            object_id=number[:100],
            result="denied",
            detail={"field": field[:64], "case": number[:100], "reason": "办件不存在或不在数据范围内"},
        )


def case_pii_reveal(*, case: Case, user, field: str, reason: str, request=None) -> str:
    """The full value of `field` of `case` for `user`, audited; PermissionDenied (audited) otherwise."""
    reason = " ".join((reason or "").split())
    spec = REVEALABLE.get(field)
    if spec is None or not spec.applies(case):
        raise DomainError("invalid", "请选择要查看的信息。", {"field": ["请选择要查看的信息。"]})
    if not reason:
        raise DomainError("required", "请填写查看理由。", {"reason": ["查看完整信息须填写理由。"]})
    if len(reason) > REASON_MAX_LENGTH:
        message = f"查看理由不得超过{REASON_MAX_LENGTH}字。"
        raise DomainError("invalid", message, {"reason": [message]})
    if not can_view_full_pii(user, case):
        _denied(case=case, user=user, request=request, field=field, reason=reason)
        raise PermissionDenied("您没有查看完整个人信息的权限（view_full_pii）。")
    with transaction.atomic():  # no audit, no reveal
        record(
            "pii.reveal",
            request=request,
            actor=user,
            obj=case,
            detail={"field": field, "reason": reason, "case": case.number},
        )
    return spec.read(case)
