"""Test clients for the API: `KeyedAPIClient` sends a fresh `Idempotency-Key` with every POST that does
not bring its own, as a well-behaved API client does (create operations refuse a request without one).
Pass `HTTP_IDEMPOTENCY_KEY=...` to choose the key, or `HTTP_IDEMPOTENCY_KEY=""` to send none."""

from __future__ import annotations

import uuid
from typing import Any

from rest_framework.test import APIClient


class KeyedAPIClient(APIClient):
    def post(self, path: str, data: Any = None, format: str | None = None, *args: Any, **extra: Any) -> Any:
        extra.setdefault("HTTP_IDEMPOTENCY_KEY", str(uuid.uuid4()))
        if extra["HTTP_IDEMPOTENCY_KEY"] == "":
            del extra["HTTP_IDEMPOTENCY_KEY"]
        return super().post(path, data, format, *args, **extra)
