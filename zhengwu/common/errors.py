"""DomainError: the one exception a service raises for a broken rule or bad input.

`code` is a stable English identifier, `message` is Chinese and shown to people, `fields` maps a
field name to the Chinese messages about it. The API renders it as {"code", "message", "fields"}.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code = 400

    def __init__(self, code: str, message: str, fields: dict[str, list[str]] | None = None, **extra: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields or {}
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class NotFound(DomainError):
    status_code = 404

    def __init__(self, message: str = "对象不存在或无权访问。"):
        super().__init__("not_found", message)


class PermissionDenied(DomainError):
    status_code = 403

    def __init__(self, message: str = "没有执行此操作的权限。"):
        super().__init__("permission_denied", message)
