"""Admin-site forms that mark a password set by an administrator as one to change at first sign-in."""

from __future__ import annotations

from django.contrib.auth.forms import AdminPasswordChangeForm

from zhengwu.accounts.services import password_issued


class IssuedPasswordChangeForm(AdminPasswordChangeForm):
    """An administrator resets someone's password: the owner must change it at the next sign-in."""

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit and user.has_usable_password():
            password_issued(user=user)
        return user
