"""Turn the generated OpenAPI document into rows a server-side docs page can print.

No JavaScript and no CDN: the docs page (`/api/docs/`) is rendered from the same schema
`/api/schema/` serves, so the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

METHOD_ORDER = ("get", "post", "put", "patch", "delete")
LOCATION_LABELS = {"query": "查询参数", "path": "路径参数", "header": "请求头", "cookie": "Cookie"}
TYPE_LABELS = {
    "string": "字符串",
    "integer": "整数",
    "number": "数字",
    "boolean": "布尔",
    "array": "数组",
    "object": "对象",
}
FORMAT_LABELS = {"date": "日期", "date-time": "日期时间", "uri": "网址"}
MAX_DEPTH = 4
_CHOICE_LINE = re.compile(r"^\* `(?P<value>[^`]*)` - (?P<label>.*)$")


@dataclass
class FieldRow:
    name: str
    type: str
    description: str = ""
    required: bool = False
    nullable: bool = False
    choices: str = ""


@dataclass
class Response:
    status: str
    description: str
    fields: list[FieldRow] = field(default_factory=list)


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    requires_auth: bool
    parameters: list[FieldRow] = field(default_factory=list)
    body: list[FieldRow] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)


@dataclass
class Tag:
    name: str
    operations: list[Operation] = field(default_factory=list)


class _Resolver:
    def __init__(self, schema: dict[str, Any]):
        self.components = schema.get("components", {}).get("schemas", {})

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """Follow $ref and single-element allOf/oneOf wrappers, keeping the wrapper's own keys.

        An enum component's choice list survives as "x-choices" when the wrapper has its own
        description.
        """
        extra = {k: v for k, v in node.items() if k not in ("$ref", "allOf", "oneOf")}
        if "$ref" in node:
            target = self.resolve(self.components.get(self.ref_name(node), {}))
            if "enum" in target:
                extra.setdefault("x-choices", target.get("x-choices", target.get("description", "")))
            return {**target, **extra}
        for key in ("allOf", "oneOf"):
            parts = [
                p for p in node.get(key, []) if not (isinstance(p, dict) and p.get("enum") in ([""], [None]))
            ]
            if parts:
                merged: dict[str, Any] = {}
                for part in parts:
                    merged.update(self.resolve(part))
                if len(parts) < len(node[key]):
                    extra.setdefault("nullable", True)
                return {**merged, **extra}
        return node

    @staticmethod
    def ref_name(node: dict[str, Any]) -> str:
        """The component a node points to, through allOf/oneOf wrappers; "" for inline schemas."""
        if "$ref" in node:
            return node["$ref"].rsplit("/", 1)[-1]
        for key in ("allOf", "oneOf"):
            for part in node.get(key, []):
                if isinstance(part, dict) and "$ref" in part:
                    return part["$ref"].rsplit("/", 1)[-1]
        if node.get("type") == "array":
            return _Resolver.ref_name(node.get("items", {}))
        return ""

    def type_label(self, node: dict[str, Any]) -> str:
        kind = node.get("type", "object" if "properties" in node else "")
        if kind == "array":
            return "数组（" + self.type_label(self.resolve(node.get("items", {}))) + "）"
        label = FORMAT_LABELS.get(node.get("format", ""), TYPE_LABELS.get(kind, kind or "任意"))
        if "enum" in node:
            label = "枚举" + ("（整数）" if kind == "integer" else "")
        return label

    @staticmethod
    def choices(node: dict[str, Any]) -> str:
        text = node.get("x-choices", node.get("description", ""))
        lines = [_CHOICE_LINE.match(line.strip()) for line in text.splitlines()]
        pairs = [f"{m['value'] or '（空）'}={m['label']}" for m in lines if m]
        if not pairs and "enum" in node:
            pairs = [str(v) if v != "" else "（空）" for v in node["enum"]]
        return "；".join(pairs)

    @staticmethod
    def description(node: dict[str, Any]) -> str:
        text = node.get("description", "")
        return "\n".join(line for line in text.splitlines() if not _CHOICE_LINE.match(line.strip())).strip()

    def rows(
        self, node: dict[str, Any], prefix: str = "", depth: int = 0, seen: dict[str, str] | None = None
    ) -> list[FieldRow]:
        """One row per field, nested fields as `a.b` and `a[].b`; a structure met again in the same
        response is not repeated but referred to ("结构同 …")."""
        seen = {} if seen is None else seen
        node = self.resolve(node)
        if node.get("type") == "array":
            return self.rows(node.get("items", {}), prefix + "[]" if prefix else "[]", depth, seen)
        out: list[FieldRow] = []
        required = set(node.get("required", []))
        for name, child in node.get("properties", {}).items():
            resolved = self.resolve(child)
            full = f"{prefix}.{name}" if prefix else name
            row = FieldRow(
                name=full,
                type=self.type_label(resolved),
                description=self.description(resolved),
                required=name in required,
                nullable=bool(resolved.get("nullable")),
                choices=self.choices(resolved),
            )
            out.append(row)
            item = self.resolve(resolved.get("items", {})) if resolved.get("type") == "array" else resolved
            if not item.get("properties") or depth >= MAX_DEPTH:
                continue
            component = self.ref_name(child)
            if component and component in seen:
                row.description = f"{row.description}（结构同 {seen[component]}）".lstrip()
                continue
            if component:
                seen[component] = full
            suffix = "[]" if resolved.get("type") == "array" else ""
            out.extend(self.rows(item, full + suffix, depth + 1, seen))
        return out


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """The page's context: title, description, and operations grouped by tag in schema order."""
    resolver = _Resolver(schema)
    tags: dict[str, Tag] = {}
    global_security = schema.get("security")
    for path, item in schema.get("paths", {}).items():
        for method in METHOD_ORDER:
            op = item.get(method)
            if op is None:
                continue
            security = op.get("security", global_security) or []
            operation = Operation(
                method=method.upper(),
                path=path,
                summary=op.get("summary", ""),
                description=op.get("description", ""),
                anchor=op.get("operationId", f"{method}-{path}"),
                requires_auth=bool(security) and {} not in security,
            )
            for param in op.get("parameters", []):
                param_schema = resolver.resolve(param.get("schema", {}))
                operation.parameters.append(
                    FieldRow(
                        name=param["name"],
                        type=LOCATION_LABELS.get(param.get("in", ""), param.get("in", ""))
                        + " · "
                        + resolver.type_label(param_schema),
                        description=resolver.description(param),
                        required=bool(param.get("required")),
                        choices=resolver.choices(param) or resolver.choices(param_schema),
                    )
                )
            body = op.get("requestBody", {}).get("content", {})
            if body:
                media = body.get("application/json") or next(iter(body.values()))
                operation.body = resolver.rows(media.get("schema", {}))
            for status, response in op.get("responses", {}).items():
                content = response.get("content", {})
                media = content.get("application/json") or (next(iter(content.values())) if content else {})
                operation.responses.append(
                    Response(
                        status=status,
                        description=response.get("description") or ("成功" if status.startswith("2") else ""),
                        fields=resolver.rows(media["schema"]) if media.get("schema") else [],
                    )
                )
            for tag_name in op.get("tags", ["其他"])[:1]:
                tags.setdefault(tag_name, Tag(tag_name)).operations.append(operation)
    info = schema.get("info", {})
    return {
        "title": info.get("title", ""),
        "version": info.get("version", ""),
        "description": info.get("description", ""),
        "tags": list(tags.values()),
    }
