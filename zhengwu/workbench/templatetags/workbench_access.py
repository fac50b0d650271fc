"""`{% if request.user|may_open:"workbench:case_detail" %}`: link a screen only for roles that may open it."""

from __future__ import annotations

from django import template

from zhengwu.workbench.access import may_open as _may_open

register = template.Library()


@register.filter
def may_open(user, view_name: str) -> bool:
    """The middleware's function-level gate (roles only; the data scope is the view's business)."""
    return _may_open(user, view_name)


@register.filter
def has_role(user, role: str) -> bool:
    """`{% if user|has_role:"audit_admin" %}`: for links to one role's own screens."""
    return bool(getattr(user, "is_authenticated", False) and user.has_role(role))
