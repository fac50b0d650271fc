"""三员: the audit log is read by the audit administrator alone (superusers and the other two administrators
included in the refusal); nobody edits or deletes it through the application."""

from __future__ import annotations

from zhengwu.organization.choices import Role


def can_view_audit(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.has_role(Role.AUDIT_ADMIN)
    )
