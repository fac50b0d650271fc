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
