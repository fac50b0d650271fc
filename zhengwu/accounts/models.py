"""Account security state kept beside `organization.User`: password age and forced change, password
history, the sessions each account holds, API tokens, and client addresses throttled after many failures."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhengwu.common.models import TimeStampedModel


class AccountSecurity(TimeStampedModel):
    """One row per account once its password was set or issued: whether it must be changed at next
    sign-in (issued by an administrator) and when it was last changed (rotation, SECURITY.md §4)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="security"
    )
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "账号安全状态"
        ordering = ["user"]

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """A password hash the account used, so the last ones cannot be used again (等保 profile)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "历史密码"
        ordering = ["user", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A session an account signed in with, so that logout elsewhere, deactivation and the security
    administrator can end all of them whatever the session engine."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="login_sessions"
    )
    session_key = models.CharField("会话标识", max_length=64, unique=True)
    ip = models.CharField("登录地址", max_length=64, blank=True)
    created_at = models.DateTimeField("登录时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "登录会话"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(TimeStampedModel):
    """An API token: only the SHA-256 of the key is stored; it expires and can be revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="账号", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=64, blank=True)
    key_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    prefix = models.CharField("令牌前缀", max_length=8)
    expires_at = models.DateTimeField("到期时间")
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"
        ordering = ["user", "-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="apitoken_user_revoked")]

    def __str__(self) -> str:
        return f"{self.name or self.prefix}（{self.user}）"


class LoginThrottle(models.Model):
    """A client address refused at every sign-in form until `blocked_until`, after it failed too often
    over any usernames (credential stuffing, SECURITY.md §6 row 3)."""

    ip = models.CharField("客户端地址", max_length=64, unique=True)
    blocked_until = models.DateTimeField("限制至")

    class Meta:
        verbose_name = verbose_name_plural = "登录限制地址"
        ordering = ["-blocked_until"]

    def __str__(self) -> str:
        return self.ip
