from django.conf import settings
from django.db import models


class AppendOnly:
    """A journal row: written once, never changed ("<verbose name>不可修改。" on a second save)."""

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{self._meta.verbose_name}不可修改。")
        super().save(*args, **kwargs)


class TimeStampedModel(models.Model):
    """Adds created_at / updated_at (aware UTC) to every domain table."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class StoredFile(TimeStampedModel):
    """An uploaded file kept in the private, content-addressed store (`common.filestore`): what the
    upload check found (`common.uploads.inspect_upload`) and who uploaded it. Concrete models add the
    object the file belongs to; rows are made with `filestore.stored_fields(...)`."""

    storage_key = models.CharField("存储键", max_length=80)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=8)
    mime = models.CharField("MIME", max_length=100)
    size = models.PositiveIntegerField("大小")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name


class RateCounter(models.Model):
    """One fixed-window rate-limit counter shared by every server process (`common.ratelimit`), used
    when no Redis is configured. `name` is "<scope>:<period>:<identity>"; `slot` is the window number
    (unix time // period) and `slot_end` its end in unix seconds. Bumped only by one atomic upsert;
    rows of ended windows are deleted by `zhengwu purge_idempotency` (no created_at: a counter row is
    rewritten every window)."""

    name = models.CharField("计数键", max_length=255, unique=True)
    slot = models.BigIntegerField("窗口序号")
    slot_end = models.BigIntegerField("窗口结束（Unix 秒）", db_index=True)
    hits = models.PositiveIntegerField("次数", default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = "限流计数"
        verbose_name_plural = "限流计数"

    def __str__(self) -> str:
        return f"{self.name} = {self.hits}"


class IdempotencyKey(TimeStampedModel):
    """One `Idempotency-Key` an API client sent to a create operation (`common.idempotency`).

    `(principal, key)` is unique: `principal` is "user:<id>" for a signed-in account or "anon:<ip>".
    The row is claimed (`in_flight`) and committed before the operation runs; the operation's own
    transaction then stores the answer (`done`), so the case and its stored response commit together.
    A repeat gets the stored answer; `fingerprint` (SHA-256 of method, path and canonical body) tells a
    reuse with another body (422). Rows are kept until `expires_at` (24 h)."""

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", "处理中"
        DONE = "done", "已完成"

    principal = models.CharField("请求方", max_length=100)
    key = models.CharField("幂等键", max_length=255)
    fingerprint = models.CharField("请求摘要", max_length=64)
    method = models.CharField("方法", max_length=10)
    path = models.CharField("路径", max_length=255)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField("响应状态码", null=True, blank=True)
    response_body = models.TextField("响应内容", blank=True, default="")
    expires_at = models.DateTimeField("过期时间", db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "幂等键"
        verbose_name_plural = "幂等键"
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="common_idempotency_principal_key_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"
