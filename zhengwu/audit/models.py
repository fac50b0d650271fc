"""The audit log (SECURITY.md §1 8.1.4.3, §5 "Audit log"): one append-only, hash-chained table.

Rows are written only by `zhengwu.audit.services.record` and removed only by `audit_purge`; database
triggers (migration 0002) refuse every UPDATE and every DELETE of a row younger than the cutoff that
only the purge sets, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditResult(models.TextChoices):
    SUCCESS = "success", "成功"
    FAILURE = "failure", "失败"
    DENIED = "denied", "拒绝"


class AuditEvent(models.Model):
    """One security event or change: who (actor, role, IP), did what (action) to what (object), with
    what result, when (UTC). `hash = HMAC-SM3(audit key, prev_hash ‖ canonical JSON of the row)`.

    `actor` carries no database constraint and is never cascaded: deleting an account leaves its
    records (and the username snapshot) untouched, since the triggers would refuse any change."""

    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_username = models.CharField("操作人账号", max_length=150, blank=True)
    role = models.CharField("角色", max_length=200, blank=True)
    ip = models.CharField("IP 地址", max_length=45, blank=True)
    action = models.CharField("事件", max_length=64, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象标识", max_length=100, blank=True)
    result = models.CharField("结果", max_length=8, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    detail = models.JSONField("详情", default=dict, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=128)
    hash = models.CharField("哈希", max_length=128)

    class Meta:
        verbose_name = verbose_name_plural = "审计记录"
        ordering = ["-id"]
        indexes = [models.Index(fields=["actor_username", "at"], name="audit_actor_at")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__in=["success", "failure", "denied"]), name="audit_event_result"
            ),
        ]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.actor_username}"

    def save(self, *args, **kwargs):
        """Insert only (ids are assigned by `record`, so `common.models.AppendOnly`'s pk test cannot apply)."""
        if not self._state.adding:
            raise ValueError("审计记录不可修改。")
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("审计记录不可删除：只能由 `zhengwu audit purge` 清理超过保留期限的记录。")


class AuditPurgeCutoff(models.Model):
    """The one row (id 1) holding the instant before which the DELETE trigger admits audit rows.

    NULL except inside `audit_purge`'s transaction; a trigger refuses any value younger than 180 days
    (网络安全法 Art. 21), whatever the application asks."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    cutoff = models.DateTimeField("可清理时间点", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计清理时间点"
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_purge_cutoff_single_row")]
        default_permissions = ()

    def __str__(self) -> str:
        return str(self.cutoff or "—")
