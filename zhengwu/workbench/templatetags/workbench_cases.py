"""Display filters of the case pages (labels only; no rule lives here)."""

from __future__ import annotations

from typing import Any

from django import template

from zhengwu.domain.case_flow import STATUS_LABELS, Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """The Chinese label of a case status value ("in_review" → "审查中")."""
    try:
        return STATUS_LABELS[Status(value)]
    except ValueError:
        return value or ""


@register.filter
def listed_materials(data: Any) -> list[dict[str, str]]:
    """The materials a supplement notice listed, from an event's `data` (empty for other events)."""
    if not isinstance(data, dict):
        return []
    items = data.get("items")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
