"""The row formats of audit exports: JSON Lines with English keys (central collection, hashes included so a
collector can verify the chain) and CSV with Chinese headers (the viewer's download)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from zhengwu.audit.actions import label
from zhengwu.audit.models import AuditEvent

EXPORT_FIELDS = [
    "id",
    "at",
    "actor_id",
    "actor_username",
    "role",
    "ip",
    "action",
    "object_type",
    "object_id",
    "result",
    "detail",
    "prev_hash",
    "hash",
]
CSV_HEADERS = [
    "序号",
    "时间（UTC）",
    "操作人ID",
    "操作人账号",
    "角色",
    "IP 地址",
    "事件代码",
    "事件",
    "对象类型",
    "对象标识",
    "结果",
    "详情",
    "前一条哈希",
    "哈希",
]


def event_row(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "role": event.role,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "result": event.result,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def csv_values(event: AuditEvent) -> list[Any]:
    row = event_row(event)
    return [
        row["id"],
        row["at"],
        row["actor_id"] if row["actor_id"] is not None else "",
        row["actor_username"],
        row["role"],
        row["ip"],
        row["action"],
        label(event.action),
        row["object_type"],
        row["object_id"],
        event.get_result_display(),
        json.dumps(row["detail"], ensure_ascii=False, sort_keys=True),
        row["prev_hash"],
        row["hash"],
    ]
