"""Who may do what in assessments (DOMAIN §8, SECURITY §1 least privilege).

- view schemes and results, upload a scheme, run an assessment: 考核员, 监管员, 系统管理员 (and a superuser);
- enter a manual entry, approve or reject one, publish a run: 考核员 or 监管员 (and a superuser); an entry
  is approved by somebody other than the person who entered it (two-person rule).

Units, entries and runs are further limited to the viewer's data scope by the selectors.
"""

from __future__ import annotations

from zhengwu.common.errors import PermissionDenied
from zhengwu.organization.choices import Role

VIEW_ROLES = (Role.ASSESSOR, Role.SUPERVISOR, Role.SYSTEM_ADMIN)
ENTRY_ROLES = (Role.ASSESSOR, Role.SUPERVISOR)
PUBLISH_ROLES = (Role.ASSESSOR, Role.SUPERVISOR)


def _is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and not getattr(user, "applicant_id", None))


def can_view(user) -> bool:
    return _is_staff(user) and (user.is_superuser or user.has_role(*VIEW_ROLES))


def can_enter(user) -> bool:
    return _is_staff(user) and (user.is_superuser or user.has_role(*ENTRY_ROLES))


def can_publish(user) -> bool:
    return _is_staff(user) and (user.is_superuser or user.has_role(*PUBLISH_ROLES))


def require_view(user) -> None:
    if not can_view(user):
        raise PermissionDenied("仅考核员、监管员或系统管理员可以使用考核功能。")


def require_enter(user) -> None:
    if not can_enter(user):
        raise PermissionDenied("仅考核员或监管员可以录入或审核考核加减分。")


def require_publish(user) -> None:
    if not can_publish(user):
        raise PermissionDenied("仅考核员或监管员可以发布考核结果。")
