"""Signal receivers that write audit rows for events other apps announce. Connected in AuditConfig.ready().

- login ok / failed / logout: Django's auth signals; lockout: django-axes' `user_locked_out` if installed.
- case state changes: `cases.signals.case_transitioned`, sent inside the transition's transaction.
- catalogue lifecycle: every new `catalog.ItemOperation` journal row (created inside the operation's
  transaction).
- working-day calendar edits: every new `workdays.CalendarEdit` journal row (same).
- account deactivation: a user saved with `is_active` turned from true to false.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save

from zhengwu.audit.models import AuditResult
from zhengwu.audit.services import record


def on_login(sender, request, user, **kwargs) -> None:
    record("auth.login", request=request, actor=user, obj=user)


def on_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    record("auth.logout", request=request, actor=user, obj=user)


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """A refused sign-in: the account if the typed name stands for one (a citizen's mobile number is
    looked up by its blind index), and what was typed with a mobile number masked, never in full."""
    from zhengwu.accounts.identity import account_for, audit_label

    typed = str(
        (credentials or {}).get(get_user_model().USERNAME_FIELD) or (credentials or {}).get("username") or ""
    )
    known = account_for(typed) if typed else None
    label = audit_label(typed)
    record(
        "auth.login_failed",
        request=request,
        actor=None,
        role="",
        obj=known,
        object_type="" if known else "username",
        object_id="" if known else label[:100],
        result=AuditResult.FAILURE,
        detail={"username": label[:150]},
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes locked a username out. `username` is the lockout key (for a mobile number its blind
    index, `accounts.identity.lockout_key`); what was typed, if known, is shown masked."""
    from zhengwu.accounts.identity import account_for_lockout_key, audit_label

    key = str(username or "")
    typed = str((getattr(request, "axes_credentials", None) or {}).get("username") or key)
    known = account_for_lockout_key(key)
    label = audit_label(typed)
    record(
        "auth.locked",
        request=request,
        actor=None,
        obj=known,
        object_type="" if known else "username",
        object_id="" if known else label[:100],
        result=AuditResult.DENIED,
        detail={"username": label[:150]},
    )


def on_case_transitioned(
    sender, case, action, old_status, new_status, now=None, actor=None, **kwargs
) -> None:
    record(
        f"case.{action}",
        actor=actor,
        obj=case,
        object_id=getattr(case, "number", "") or str(case.pk),
        detail={"from": str(old_status), "to": str(new_status)},
    )


def on_item_operation(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    record(
        f"catalog.{instance.operation}",
        actor=instance.actor,
        obj=instance.item,
        object_id=getattr(instance.item, "code", "") or str(instance.item_id),
        detail={
            "operation_id": instance.pk,
            "version_id": instance.version_id,
            "approving_document": instance.approving_document,
            "note": instance.note,
        },
    )


def on_calendar_edit(sender, instance, created, raw=False, **kwargs) -> None:
    if not created or raw:
        return
    record(
        "calendar.change",
        actor=instance.actor,
        obj=instance,
        detail={
            "action": instance.action,
            "date": instance.date,
            "region_id": instance.region_id,
            "before": f"{instance.kind_before} {instance.name_before}".strip(),
            "after": f"{instance.kind_after} {instance.name_after}".strip(),
            "reason": instance.reason,
        },
    )


def before_user_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """Note a deactivation (only a save that writes is_active = false of an existing account costs a read)."""
    if raw or instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    was_active = sender.objects.filter(pk=instance.pk, is_active=True).exists()
    instance._audit_deactivated = was_active


def on_user_saved(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or not instance.__dict__.pop("_audit_deactivated", False):
        return
    record("user.deactivate", obj=instance, detail={"username": instance.get_username()})


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="audit-login")
    user_logged_out.connect(on_logout, dispatch_uid="audit-logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit-login-failed")
    try:
        from axes.signals import user_locked_out
    except Exception:  # django-axes not installed or not configured: nothing to listen to
        user_locked_out = None
    if user_locked_out is not None:
        user_locked_out.connect(on_locked_out, dispatch_uid="audit-locked-out")

    from zhengwu.cases.signals import case_transitioned
    from zhengwu.catalog.models import ItemOperation
    from zhengwu.workdays.models import CalendarEdit

    case_transitioned.connect(on_case_transitioned, dispatch_uid="audit-case-transitioned")
    post_save.connect(on_item_operation, sender=ItemOperation, dispatch_uid="audit-item-operation")
    post_save.connect(on_calendar_edit, sender=CalendarEdit, dispatch_uid="audit-calendar-edit")
    user_model = get_user_model()
    pre_save.connect(before_user_saved, sender=user_model, dispatch_uid="audit-user-deactivate-pre")
    post_save.connect(on_user_saved, sender=user_model, dispatch_uid="audit-user-deactivate")
