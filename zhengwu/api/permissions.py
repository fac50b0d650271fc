"""Permission classes shared by the API modules."""

from __future__ import annotations

from rest_framework import permissions


class IsStaff(permissions.BasePermission):
    """Staff accounts only: a citizen's 网上办事 account has an applicant and no scope."""

    message = "仅限工作人员使用。"

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and not request.user.applicant_id)


STAFF = [permissions.IsAuthenticated, IsStaff]
