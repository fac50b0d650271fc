"""Signal receivers: stamp sessions at sign-in, forget them at sign-out, count failures per client address,
and end every session of an account that is deactivated. Connected in AccountsConfig.ready()."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from zhengwu.accounts import services
from zhengwu.accounts.sessions import stamp_login
from zhengwu.audit.services import client_ip


@receiver(user_logged_in, dispatch_uid="accounts_logged_in")
def on_logged_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    stamp_login(session, user)
    if session.session_key is None:
        session.save()
    services.session_remember(user=user, session_key=session.session_key, ip=client_ip(request))


@receiver(user_logged_out, dispatch_uid="accounts_logged_out")
def on_logged_out(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        services.session_forget(session_key=session.session_key)


@receiver(user_login_failed, dispatch_uid="accounts_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        services.login_failure_count(request=request)


@receiver(post_save, sender=get_user_model(), dispatch_uid="accounts_user_saved")
def on_user_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    """Deactivation ends every session at once (queryset.update() bypasses this: use the admin or a service)."""
    if created or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    services.user_sessions_delete(user=instance)
