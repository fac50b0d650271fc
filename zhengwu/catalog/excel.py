"""Excel import and export of the service-item catalogue (the template: docs/catalog-template.md).

The workbook has a sheet "事项" with one row per item version, five child sheets ("设定依据",
"申请材料", "办理环节", "收费项目", "常见问题") keyed by 实施编码 + 版本号 + 序号, and a "说明" sheet.
Every column is defined once, in `SHEETS`; that one table drives the export, the import, the blank
template, the 说明 sheet and the column reference in the documentation, so they cannot drift apart.

The import validates the whole file before it writes anything. Every bad cell becomes a
`CellError` naming its sheet, row and column; any error rejects the file whole
(`CatalogImportError`) and the database is left untouched. A valid file is written in one
transaction through the catalogue services (`item_create`, `item_version_start_change`,
`item_version_update`, `item_version_publish`), so an import obeys the same rules as the workbench.
Only an item's lifecycle status and its successor links, which the services tie to an approving
document the workbook does not carry, are restored here directly and journalled as 导入.

What a round trip does not carry: uploaded files (审批结果样本, 空白表格, 示例样表), who published a
version, and characters an .xlsx file cannot hold (control characters are dropped on export).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import QuerySet
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhengwu.catalog import choices as c
from zhengwu.catalog import services
from zhengwu.catalog.models import ItemOperation, ItemType, ItemVersion, ServiceItem
from zhengwu.catalog.selectors import export_queryset
from zhengwu.common import clock
from zhengwu.common.errors import DomainError
from zhengwu.domain.catalog_rules import (
    FIELD_LABELS,
    ItemFacts,
    LegalBasisFacts,
    StepFacts,
    Violation,
    check_item,
)
from zhengwu.organization.models import Department, Region
from zhengwu.organization.selectors import department_scope_q, sees_everything

ITEM_SHEET = "事项"
GUIDE_SHEET = "说明"
EXCEL_MAX_TEXT = 32767  # characters an Excel cell holds
PROGRESS_EVERY = 100

# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------

TEXT, INTEGER, BOOLEAN, CHOICE, MULTI_CHOICE, CODES, DATE, DATETIME = (
    "text",
    "integer",
    "boolean",
    "choice",
    "multi_choice",
    "codes",
    "date",
    "datetime",
)
YES, NO = "是", "否"
LIST_SEPARATOR = "、"
_SPLIT = re.compile(r"[、,，;；\s]+")
_INTEGER = re.compile(r"[+-]?\d+")


class _Problem(Exception):
    """A cell value a column cannot accept; the message is Chinese and names no cell."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: how a value is written to a cell, read back, and documented."""

    key: str  # model field name, or a pseudo field of the sheet (region_code, number, ...)
    header: str  # the Chinese header: the model field's verbose_name where there is one
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[Any, str], ...] = ()
    default: Any = ""  # what an empty cell means in an optional column
    min_value: int | None = None
    max_value: int | None = None
    strip: bool = False  # codes and names are trimmed; free text is kept exactly as written
    allowed: str = ""  # documents the allowed values where the kind cannot say it
    note: str = ""

    # -- to a cell ----------------------------------------------------------------------------
    def _label(self, value: Any) -> str | None:
        labels = dict(self.choices)
        if value in labels:
            return labels[value]
        return None if value in ("", None) else str(value)

    def to_cell(self, value: Any) -> Any:
        if value is None:
            return None
        if self.kind == INTEGER:
            return int(value)
        if self.kind == BOOLEAN:
            return YES if value else NO
        if self.kind == CHOICE:
            return self._label(value)
        if self.kind == MULTI_CHOICE:
            return LIST_SEPARATOR.join(self._label(v) or "" for v in value) or None
        if self.kind == CODES:
            return LIST_SEPARATOR.join(value) or None
        if self.kind == DATE:
            return value.isoformat()
        if self.kind == DATETIME:
            local = value.astimezone(clock.LOCAL_TZ)
            return local.strftime("%Y-%m-%d %H:%M:%S.%f" if local.microsecond else "%Y-%m-%d %H:%M:%S")
        return str(value) or None

    # -- from a cell --------------------------------------------------------------------------
    def blank(self) -> Any:
        if self.kind in (MULTI_CHOICE, CODES):
            return []
        return self.default

    def parse(self, raw: Any) -> Any:
        """The model value of a cell, or `_Problem` with the Chinese reason."""
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if self.required:
                raise _Problem("不能为空")
            return self.blank()
        return getattr(self, f"_parse_{self.kind}")(raw)

    def _parse_text(self, raw: Any) -> str:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        text = raw if isinstance(raw, str) else str(raw)
        if self.strip:
            text = text.strip()
        if self.max_length is not None and len(text) > self.max_length:
            raise _Problem(f"不得超过{self.max_length}个字符（现有{len(text)}个）")
        return text

    def _parse_integer(self, raw: Any) -> int:
        if isinstance(raw, bool):
            raise _Problem("应为整数")
        if isinstance(raw, int):
            number = raw
        elif isinstance(raw, float) and raw.is_integer():
            number = int(raw)
        elif isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
            number = int(raw.strip())
        else:
            raise _Problem("应为整数")
        if self.min_value is not None and number < self.min_value:
            raise _Problem(f"不得小于{self.min_value}")
        if self.max_value is not None and number > self.max_value:
            raise _Problem(f"不得大于{self.max_value}")
        return number

    def _parse_boolean(self, raw: Any) -> bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip()
        if text in (YES, NO):
            return text == YES
        raise _Problem(f"应为“{YES}”或“{NO}”")

    def _labels(self) -> str:
        return LIST_SEPARATOR.join(label for _value, label in self.choices)

    def _parse_choice(self, raw: Any) -> Any:
        text = str(raw).strip()
        by_label = {label: value for value, label in self.choices}
        if text not in by_label:
            raise _Problem(f"“{text}”不是可选值；可选：{self._labels()}")
        return by_label[text]

    def _parse_multi_choice(self, raw: Any) -> list[Any]:
        by_label = {label: value for value, label in self.choices}
        parts = [part for part in _SPLIT.split(str(raw)) if part]
        unknown = [part for part in parts if part not in by_label]
        if unknown:
            names = LIST_SEPARATOR.join(f"“{part}”" for part in unknown)
            raise _Problem(f"{names}不是可选值；可选：{self._labels()}，多个以“{LIST_SEPARATOR}”分隔")
        return list(dict.fromkeys(by_label[part] for part in parts))

    def _parse_codes(self, raw: Any) -> list[str]:
        codes = list(dict.fromkeys(part for part in _SPLIT.split(str(raw)) if part))
        too_long = [code for code in codes if len(code) > 64]
        if too_long:
            raise _Problem(f"实施编码不得超过64个字符：{too_long[0]}")
        return codes

    def _parse_date(self, raw: Any) -> dt.date:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw).strip())
        except ValueError:
            raise _Problem("应为日期，格式 YYYY-MM-DD，例如 2026-09-30") from None

    def _parse_datetime(self, raw: Any) -> dt.datetime:
        if isinstance(raw, dt.datetime):
            value = raw
        elif isinstance(raw, dt.date):
            value = dt.datetime.combine(raw, dt.time())
        else:
            try:
                value = dt.datetime.fromisoformat(str(raw).strip())
            except ValueError:
                raise _Problem("应为日期时间，格式 YYYY-MM-DD HH:MM:SS，例如 2026-09-30 14:30:00") from None
        return value.replace(tzinfo=clock.LOCAL_TZ) if value.tzinfo is None else value

    # -- documentation ------------------------------------------------------------------------
    def format_text(self) -> str:
        if self.allowed:
            return self.allowed
        if self.kind == TEXT:
            return f"文本，不超过{self.max_length}个字符" if self.max_length else "文本"
        if self.kind == INTEGER:
            if self.min_value is not None and self.max_value is not None and self.max_value < _SMALL_MAX:
                return f"整数，{self.min_value}～{self.max_value}"
            return f"整数，不小于{self.min_value}" if self.min_value is not None else "整数"
        if self.kind == BOOLEAN:
            return f"{YES}、{NO}"
        if self.kind == CHOICE:
            return f"以下之一：{self._labels()}"
        if self.kind == MULTI_CHOICE:
            return f"可填多个，以“{LIST_SEPARATOR}”分隔：{self._labels()}"
        if self.kind == CODES:
            return f"实施编码，可填多个，以“{LIST_SEPARATOR}”分隔"
        if self.kind == DATE:
            return "日期，如 2026-09-30"
        return "日期时间（北京时间），如 2026-09-30 14:30:00"

    def blank_text(self) -> str:
        if self.required:
            return "不允许"
        shown = None if self.kind in (MULTI_CHOICE, CODES) else self.to_cell(self.default)
        return f"按“{shown}”" if shown not in (None, "") else "空"


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Column, ...]
    child_key: str = ""  # the services' name of the child rows (materials, steps, ...)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(column.key for column in self.columns)


_MULTI_CHOICES = {"delivery_modes": c.DeliveryMode.choices}
_POSITIVE = (models.PositiveIntegerField, models.PositiveSmallIntegerField, models.PositiveBigIntegerField)
_SMALL = (models.SmallIntegerField, models.PositiveSmallIntegerField)
_SMALL_MAX, _INTEGER_MAX = 32767, 2147483647  # what every supported database stores


def _field_column(model: type[models.Model], name: str, **overrides: Any) -> Column:
    """A column described by a model field: header, kind, length, choices, range and blank value."""
    f = model._meta.get_field(name)
    spec: dict[str, Any] = {
        "key": name,
        "header": str(f.verbose_name),
        "required": not f.blank and not f.has_default(),
        "max_length": getattr(f, "max_length", None),
    }
    if f.null:
        spec["default"] = None
    elif f.blank and not isinstance(f, models.BooleanField):
        spec["default"] = [] if isinstance(f, models.JSONField) else ""
    elif f.has_default():
        spec["default"] = f.get_default()
    if isinstance(f, models.JSONField):
        spec.update(kind=MULTI_CHOICE, choices=tuple(_MULTI_CHOICES[name]), max_length=None)
    elif f.choices:
        spec.update(kind=CHOICE, choices=tuple((value, str(label)) for value, label in f.flatchoices))
    elif isinstance(f, models.BooleanField):
        spec["kind"] = BOOLEAN
    elif isinstance(f, models.IntegerField):
        spec["kind"] = INTEGER
        spec["min_value"] = 0 if isinstance(f, _POSITIVE) else None
        spec["max_value"] = _SMALL_MAX if isinstance(f, _SMALL) else _INTEGER_MAX
        for validator in f._validators:  # the field's own, not the database's range
            if isinstance(validator, MinValueValidator):
                spec["min_value"] = validator.limit_value
            elif isinstance(validator, MaxValueValidator):
                spec["max_value"] = validator.limit_value
    elif isinstance(f, models.DateTimeField):
        spec["kind"] = DATETIME
    elif isinstance(f, models.DateField):
        spec["kind"] = DATE
    spec.update(overrides)
    return Column(**spec)


_ELEMENT_NOTES = {
    "implementing_nature": "如：法定机关、授权组织、受委托组织",
    "legal_limit": "留空表示无法定时限",
    "promised_limit": "即办件填 0 或留空，承诺时限单位填“即办”",
    "online_depth": "三级在线申办最多跑一次；四级全程网办的到办事现场次数须为 0",
    "onsite_visits": "0 表示零跑动；不为 0 时须填写必须现场办理原因",
    "delivery_modes": "发布时至少填一种",
    "charges_fee": "收费的须填写收费依据、至少一个收费项目，并支持网上支付",
    "approving_document": "批准该版本的文件（文号）",
}

# The version elements a workbook carries: every element a caller may set, but uploaded files.
ELEMENT_KEYS = tuple(
    name
    for name in services.VERSION_FIELDS
    if not isinstance(ItemVersion._meta.get_field(name), models.FileField)
)

_ITEM_TYPE_NOTE = (
    "系统“事项类型”字典中的名称（默认有：行政许可、行政确认、行政给付、行政奖励、行政裁决、行政备案、"
    "其他行政权力、公共服务、行政处罚、行政强制、行政征收、行政检查）"
)

ITEM_COLUMNS: tuple[Column, ...] = (
    _field_column(
        ServiceItem,
        "implementation_code",
        strip=True,
        note="事项的唯一标识；同一事项的每个版本各占一行",
    ),
    _field_column(ServiceItem, "base_code", strip=True),
    _field_column(ServiceItem, "handling_code", strip=True),
    _field_column(ServiceItem, "name", strip=True),
    Column("item_type", "事项类型", required=True, strip=True, allowed=_ITEM_TYPE_NOTE),
    Column(
        "department",
        "实施主体",
        required=True,
        max_length=128,
        strip=True,
        note="部门名称，须为“实施区划代码”所指区划下已登记的部门",
    ),
    Column(
        "region_code",
        "实施区划代码",
        required=True,
        max_length=32,
        strip=True,
        note="实施主体所属行政区划的区划代码（12位统计用区划代码，或系统内功能区代码）",
    ),
    _field_column(ServiceItem, "exercise_level"),
    _field_column(
        ServiceItem,
        "status",
        note="暂停办理的须填写暂停/取消原因；已取消的须填写原因和取消日期；已取消的事项不能恢复",
    ),
    _field_column(ServiceItem, "status_reason"),
    _field_column(ServiceItem, "resume_expected_on"),
    _field_column(ServiceItem, "cancelled_on"),
    _field_column(
        ItemVersion,
        "number",
        required=True,
        min_value=1,
        note="从 1 开始连续编号；已有事项的新版本须接续系统中的最高版本号",
    ),
    _field_column(
        ItemVersion,
        "status",
        key="version_status",
        note="已发布、已停用的版本在导入时按版本号顺序发布（后一版发布时前一版停用），须通过发布校验；"
        "草稿须是该事项的最新版本；系统中已发布、已停用的版本不可修改",
    ),
    _field_column(
        ItemVersion,
        "published_at",
        note="导入时发布该版本所记的发布时间，留空取导入时间；对系统中已发布的版本不起作用",
    ),
    *(_field_column(ItemVersion, name, note=_ELEMENT_NOTES.get(name, "")) for name in ELEMENT_KEYS),
    Column(
        "successors",
        "承继事项",
        kind=CODES,
        note="拆分、合并后承继本事项的事项的实施编码；须为本文件或系统中已有的事项",
    ),
)

# The columns of "事项" that describe the item rather than one of its versions.
ITEM_KEYS = (
    "implementation_code",
    "base_code",
    "handling_code",
    "name",
    "item_type",
    "department",
    "region_code",
    "exercise_level",
    "status",
    "status_reason",
    "resume_expected_on",
    "cancelled_on",
    "successors",
)
LIFECYCLE_KEYS = ("status", "status_reason", "resume_expected_on", "cancelled_on")
_SKIPPED_CHILD_FIELDS = {"id", "version", "sort_order", "created_at", "updated_at"}


def _child_columns(model: type[models.Model]) -> tuple[Column, ...]:
    return (
        Column(
            "implementation_code",
            "实施编码",
            required=True,
            max_length=64,
            strip=True,
            note="所属事项；实施编码与版本号须对应“事项”表中的一行",
        ),
        Column("number", "版本号", kind=INTEGER, required=True, min_value=1, max_value=_INTEGER_MAX),
        _field_column(model, "sort_order", required=True, note="同一版本内的排列顺序，不得重复"),
        *(
            _field_column(model, f.name)
            for f in model._meta.concrete_fields
            if f.name not in _SKIPPED_CHILD_FIELDS and not isinstance(f, models.FileField)
        ),
    )


CHILD_SHEETS: dict[str, SheetSpec] = {
    key: SheetSpec(str(model._meta.verbose_name), _child_columns(model), child_key=key)
    for key, model in services.CHILD_MODELS.items()
}
SHEETS: tuple[SheetSpec, ...] = (SheetSpec(ITEM_SHEET, ITEM_COLUMNS), *CHILD_SHEETS.values())
# The fields of each kind of child row the workbook carries (sort_order first).
CHILD_KEYS = {
    key: tuple(k for k in spec.keys if k not in ("implementation_code", "number"))
    for key, spec in CHILD_SHEETS.items()
}

RULES = (
    "“事项”表每行是一个事项的一个版本；同一事项各行的事项信息（实施编码至取消日期，以及承继事项）须一致。",
    "子表（设定依据、申请材料、办理环节、收费项目、常见问题）每行以“实施编码 + 版本号 + 序号”标识，"
    "须对应“事项”表中的一行；导入时，文件中出现的每个版本的子表内容整体替换为文件中的行（没有行即为空）。",
    "第一行是列名，须与模板一致，列的顺序可以调整；不认识的列、重复的列、缺少的列和缺少的工作表都会报错。",
    "选项列填写中文名称（如“承诺件”“工作日”），是否列填“是”或“否”，日期填 YYYY-MM-DD。",
    "文件中没有的事项和版本保持不变。新事项从第1版起；已有事项的新版本号须接续系统中的最高版本号。",
    "系统中的草稿按文件内容修改；已发布、已停用的版本须与系统中一致，要修改请以新版本号导入。",
    "任何单元格有误时整个文件不导入，并逐一列出出错的工作表、行和列；没有错误时在一个事务中全部写入。",
    "导出包含每个事项的全部版本（草稿、已发布、已停用），导出的文件可直接再导入，结果不变；"
    "上传的文件（审批结果样本、空白表格、示例样表）和发布人不随文件导出。",
)

# ---------------------------------------------------------------------------------------------
# Errors and reports
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellError:
    """One bad cell (or a missing sheet or column): where it is, and what is wrong, in Chinese."""

    sheet: str
    row: int | None
    column_letter: str
    column_header: str
    message: str

    @property
    def column(self) -> str:
        return self.column_letter

    @property
    def header(self) -> str:
        return self.column_header

    @property
    def ref(self) -> str:
        """Where the problem is: "事项!C5", "事项!1" for a missing column, "事项" for a missing sheet."""
        if not self.column_letter and not self.row:
            return self.sheet
        return f"{self.sheet}!{self.column_letter}{self.row or ''}"

    def __str__(self) -> str:
        if self.column_header:
            return f"{self.ref} {self.column_header}：{self.message}"
        return f"{self.ref} {self.message}"


_SHEET_ORDER = {
    name: index for index, name in enumerate(("文件", ITEM_SHEET, *(s.name for s in CHILD_SHEETS.values())))
}


def _error_order(error: CellError) -> tuple[Any, ...]:
    return (_SHEET_ORDER.get(error.sheet, 99), error.row or 0, len(error.column_letter), error.column_letter)


class CatalogImportError(DomainError):
    """A rejected workbook: `errors` lists every bad cell; `fields` is keyed like "事项!C5"."""

    def __init__(self, errors: Iterable[CellError]):
        self.errors = sorted(errors, key=_error_order)
        fields: dict[str, list[str]] = {}
        for error in self.errors:
            text = f"{error.column_header}：{error.message}" if error.column_header else error.message
            fields.setdefault(error.ref, []).append(text)
        super().__init__("import_failed", f"导入文件有 {len(self.errors)} 处错误，未导入任何数据。", fields)


@dataclass
class ImportReport:
    items_created: int = 0
    items_updated: int = 0
    items_unchanged: int = 0
    versions_created: int = 0
    versions_updated: int = 0
    versions_published: int = 0

    def __str__(self) -> str:
        return (
            f"新增事项 {self.items_created} 个，更新事项 {self.items_updated} 个，"
            f"未变化 {self.items_unchanged} 个；新增版本 {self.versions_created} 个，"
            f"修改草稿 {self.versions_updated} 个，发布版本 {self.versions_published} 个。"
        )


@dataclass(frozen=True)
class ExportSummary:
    items: int
    versions: int

    def __str__(self) -> str:
        return f"共导出事项 {self.items} 个、版本 {self.versions} 个。"


Progress = Callable[[int, int], None]

# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def _bold_row(sheet: Any, texts: Iterable[str]) -> list[WriteOnlyCell]:
    cells = []
    for text in texts:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cells.append(cell)
    return cells


class _SheetWriter:
    def __init__(self, workbook: Workbook, spec: SheetSpec):
        self.spec = spec
        self.sheet = workbook.create_sheet(spec.name)
        self.sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns, start=1):
            wide = column.kind == TEXT and not column.max_length
            width = 40 if wide else min(8 + 2 * len(column.header), 30)
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.append(_bold_row(self.sheet, (column.header for column in spec.columns)))

    def append(self, values: dict[str, Any]) -> None:
        self.sheet.append(
            [self._cell(column, column.to_cell(values[column.key])) for column in self.spec.columns]
        )

    def _cell(self, column: Column, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > EXCEL_MAX_TEXT:
            raise DomainError(
                "export_failed",
                f"“{column.header}”有内容超过 Excel 单元格上限（{EXCEL_MAX_TEXT} 个字符），无法导出：{value[:30]}…",
            )
        if value.startswith("=") or value in ERROR_CODES:
            cell = WriteOnlyCell(self.sheet, value=value)
            cell.data_type = "s"  # text, never a formula
            return cell
        return value


GUIDE_HEADER = ("工作表", "列", "列名", "必填", "格式与可选值", "留空时", "说明")


def guide_rows(item_type_labels: Sequence[str] = ()) -> list[tuple[str, ...]]:
    """(工作表, 列, 列名, 必填, 格式与可选值, 留空时, 说明) for every column, from the column table."""
    rows = []
    for spec in SHEETS:
        for index, column in enumerate(spec.columns, start=1):
            allowed = column.format_text()
            if column.key == "item_type" and item_type_labels:
                allowed = f"以下之一：{LIST_SEPARATOR.join(item_type_labels)}"
            required = YES if column.required else NO
            letter = get_column_letter(index)
            rows.append(
                (spec.name, letter, column.header, required, allowed, column.blank_text(), column.note)
            )
    return rows


def _write_guide(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(GUIDE_SHEET)
    for letter, width in zip("ABCDEFG", (10, 5, 18, 6, 60, 12, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(_bold_row(sheet, ["政务服务事项目录导入模板说明（详见 docs/catalog-template.md）"]))
    for number, rule in enumerate(RULES, start=1):
        sheet.append([f"{number}. {rule}"])
    sheet.append([])
    sheet.append(_bold_row(sheet, GUIDE_HEADER))
    labels = list(ItemType.objects.order_by("sort_order", "key").values_list("label", flat=True))
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in guide_rows(labels):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value or None)
            cell.alignment = wrap
            cells.append(cell)
        sheet.append(cells)


def _with_prefetch(items: QuerySet[ServiceItem] | None) -> QuerySet[ServiceItem]:
    if items is None:
        return export_queryset()
    if not items._prefetch_related_lookups:  # a bare queryset: read its rows the bounded way
        return export_queryset().filter(pk__in=items.values("pk"))
    return items


def _item_values(item: ServiceItem, successors: list[str]) -> dict[str, Any]:
    derived = ("item_type", "department", "region_code", "successors")
    values = {key: getattr(item, key) for key in ITEM_KEYS if key not in derived}
    values.update(
        item_type=item.item_type.label,
        department=item.department.name,
        region_code=item.department.region.code,
        successors=successors,
    )
    return values


def export_catalog(items_queryset: QuerySet[ServiceItem] | None, stream: IO[bytes]) -> ExportSummary:
    """Write every version of each item, with its child rows, as a workbook to `stream`.

    Pass `selectors.export_queryset(user=...)`, optionally filtered (None exports everything): the
    number of queries does not grow with the number of items. No items writes the blank template.
    """
    workbook = Workbook(write_only=True)
    writers = {spec.name: _SheetWriter(workbook, spec) for spec in SHEETS}
    try:
        items, versions = _write_items(writers, _with_prefetch(items_queryset))
    except BaseException:
        workbook.save(io.BytesIO())  # finish the half-written sheets so their temporary files go
        raise
    _write_guide(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stream.write(buffer.getvalue())
    return ExportSummary(items=items, versions=versions)


def _write_items(writers: dict[str, _SheetWriter], queryset: QuerySet[ServiceItem]) -> tuple[int, int]:
    items = versions = 0
    for item in queryset.iterator(chunk_size=500):
        items += 1
        item_values = _item_values(item, [s.implementation_code for s in item.successors.all()])
        for version in item.versions.all():
            versions += 1
            writers[ITEM_SHEET].append(
                {
                    **item_values,
                    "number": version.number,
                    "version_status": version.status,
                    "published_at": version.published_at,
                    **{key: getattr(version, key) for key in ELEMENT_KEYS},
                }
            )
            for key, spec in CHILD_SHEETS.items():
                for child in getattr(version, key).all():
                    writers[spec.name].append(
                        {
                            "implementation_code": item.implementation_code,
                            "number": version.number,
                            **{name: getattr(child, name) for name in CHILD_KEYS[key]},
                        }
                    )
    return items, versions


def write_template(stream: IO[bytes]) -> None:
    """The blank template: every sheet with its headers, and the 说明 sheet."""
    export_catalog(ServiceItem.objects.none(), stream)


def columns_markdown() -> str:
    """The column reference of docs/catalog-template.md, generated from the column table."""
    out = []
    for spec in SHEETS:
        out += [f"### 工作表“{spec.name}”", "", "| " + " | ".join(GUIDE_HEADER[1:]) + " |", "|---" * 6 + "|"]
        for sheet, *cells in guide_rows():
            if sheet == spec.name:
                out.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------------------------------------
# Import: reading and validating
# ---------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int  # the Excel row number
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # keys whose cell could not be read


@dataclass
class _Sheet:
    spec: SheetSpec
    letters: dict[str, str]
    rows: list[_Row]

    def error(self, row: _Row, key: str, message: str) -> CellError:
        header = self.spec.column(key).header
        return CellError(self.spec.name, row.number, self.letters.get(key, ""), header, message)


@dataclass
class _VersionPlan:
    row: _Row
    number: int
    status: str
    published_at: dt.datetime | None
    elements: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]
    children_ok: bool = True
    existing: ItemVersion | None = None
    write: bool = False  # create it, or update the draft, through the services
    publish: bool = False
    item_fields: dict[str, Any] = field(default_factory=dict)

    @property
    def readable(self) -> bool:
        return not self.row.bad and self.children_ok


@dataclass
class _ItemPlan:
    code: str
    first: _Row
    versions: list[_VersionPlan] = field(default_factory=list)
    existing: ServiceItem | None = None
    item_type: ItemType | None = None
    department: Department | None = None

    @property
    def values(self) -> dict[str, Any]:
        return self.first.values


def _stored_children(version: ItemVersion, key: str) -> list[dict[str, Any]]:
    rows = [{name: getattr(row, name) for name in CHILD_KEYS[key]} for row in getattr(version, key).all()]
    return sorted(rows, key=lambda row: row["sort_order"])


def _changed_elements(version: ItemVersion, plan: _VersionPlan) -> list[str]:
    return [key for key in ELEMENT_KEYS if getattr(version, key) != plan.elements[key]]


def _changed_children(version: ItemVersion, plan: _VersionPlan) -> list[str]:
    return [key for key in CHILD_SHEETS if _stored_children(version, key) != plan.children[key]]


class _Unreadable(Exception):
    """A sheet whose XML cannot be read past `row` (openpyxl parses a sheet only while it is read)."""

    def __init__(self, row: int):
        super().__init__(row)
        self.row = row


def _sheet_rows(worksheet: Any) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as values; `_Unreadable` for damaged XML, a number cell holding text, a shared
    string index out of range: whatever openpyxl raises while reading a row, the file is broken there."""
    rows = worksheet.iter_rows(values_only=True)
    number = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:  # openpyxl raises XML, zip, value, index and key errors
            raise _Unreadable(number) from error
        yield row
        number += 1


class _Importer:
    def __init__(self, *, actor: Any, now: dt.datetime, today: dt.date, progress: Progress | None):
        self.actor = actor
        self.now = now
        self.today = today
        self.progress = progress
        self.errors: list[CellError] = []
        self.items: dict[str, _ItemPlan] = {}
        self.sheets: dict[str, _Sheet] = {}

    # -- reading ------------------------------------------------------------------------------
    def read(self, stream: IO[bytes]) -> None:
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except Exception:  # openpyxl raises zip, XML and key errors for a file that is not xlsx
            self.errors.append(CellError("文件", None, "", "", "无法读取：不是有效的 Excel（.xlsx）文件"))
            return
        try:
            for spec in SHEETS:
                if spec.name not in workbook.sheetnames:
                    message = "缺少此工作表；没有数据时也请保留带列名的空表（可从模板复制）"
                    self.errors.append(CellError(spec.name, None, "", "", message))
                    continue
                try:
                    self.sheets[spec.name] = self._read_sheet(workbook[spec.name], spec)
                except _Unreadable as broken:
                    message = f"第{broken.row}行无法读取：文件已损坏或不是有效的 Excel（.xlsx）文件"
                    self.errors.append(CellError(spec.name, None, "", "", message))
        finally:
            workbook.close()

    def _read_sheet(self, worksheet: Any, spec: SheetSpec) -> _Sheet:
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()  # some programs store a wrong sheet size
        rows = _sheet_rows(worksheet)
        header = next(rows, None) or ()
        by_header = {column.header: column for column in spec.columns}
        positions: dict[str, int] = {}
        letters: dict[str, str] = {}
        for index, raw in enumerate(header):
            text = str(raw).strip() if raw is not None else ""
            if not text:
                continue
            letter = get_column_letter(index + 1)
            column = by_header.get(text)
            if column is None:
                self.errors.append(CellError(spec.name, 1, letter, text, "无法识别的列名，须与模板一致"))
            elif column.key in positions:
                self.errors.append(CellError(spec.name, 1, letter, text, "列名重复"))
            else:
                positions[column.key] = index
                letters[column.key] = letter
        for column in spec.columns:
            if column.key not in positions:
                self.errors.append(CellError(spec.name, 1, "", column.header, "缺少此列"))
        sheet = _Sheet(spec, letters, [])
        for number, cells in enumerate(rows, start=2):
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            row = _Row(number, {})
            for column in spec.columns:
                position = positions.get(column.key)
                if position is None:
                    row.values[column.key] = column.blank()
                    continue
                try:
                    row.values[column.key] = column.parse(cells[position] if position < len(cells) else None)
                except _Problem as problem:
                    row.values[column.key] = None
                    row.bad.add(column.key)
                    self.errors.append(sheet.error(row, column.key, str(problem)))
            sheet.rows.append(row)
        return sheet

    # -- grouping rows into items and versions ------------------------------------------------
    def group(self) -> None:
        sheet = self.sheets.get(ITEM_SHEET)
        if sheet is None:
            return
        seen: dict[tuple[str, int], _Row] = {}
        for row in sheet.rows:
            code, number = row.values["implementation_code"], row.values["number"]
            if not code:
                continue
            plan = self.items.get(code)
            if plan is None:
                plan = self.items[code] = _ItemPlan(code, row)
            else:
                for key in ITEM_KEYS:
                    if key in row.bad or key in plan.first.bad:
                        continue
                    if row.values[key] != plan.first.values[key]:
                        message = f"同一事项各行的事项信息须一致，与第{plan.first.number}行不同"
                        self.errors.append(sheet.error(row, key, message))
            if number is None:
                continue
            if (code, number) in seen:
                message = f"实施编码与版本号重复（与第{seen[code, number].number}行相同）"
                self.errors.append(sheet.error(row, "number", message))
                continue
            seen[code, number] = row
            plan.versions.append(
                _VersionPlan(
                    row=row,
                    number=number,
                    status=row.values["version_status"],
                    published_at=row.values["published_at"],
                    elements={key: row.values[key] for key in ELEMENT_KEYS},
                    children={key: [] for key in CHILD_SHEETS},
                )
            )
        for plan in self.items.values():
            plan.versions.sort(key=lambda version: version.number)
        self._group_children({(code, v.number): v for code, p in self.items.items() for v in p.versions})

    def _group_children(self, versions: dict[tuple[str, int], _VersionPlan]) -> None:
        for key, spec in CHILD_SHEETS.items():
            sheet = self.sheets.get(spec.name)
            if sheet is None:
                continue
            seen: dict[tuple[str, int, int], _Row] = {}
            for row in sheet.rows:
                code, number, order = (row.values[k] for k in ("implementation_code", "number", "sort_order"))
                if not code or number is None:
                    continue
                version = versions.get((code, number))
                if version is None:
                    if code in self.items:
                        message = f"“{ITEM_SHEET}”表中没有该事项的第{number}版"
                        self.errors.append(sheet.error(row, "number", message))
                    else:
                        message = f"“{ITEM_SHEET}”表中没有实施编码为 {code} 的事项"
                        self.errors.append(sheet.error(row, "implementation_code", message))
                    continue
                if row.bad:
                    version.children_ok = False
                if order is None:
                    continue
                if (code, number, order) in seen:
                    message = f"序号重复（与第{seen[code, number, order].number}行相同）"
                    self.errors.append(sheet.error(row, "sort_order", message))
                    version.children_ok = False
                    continue
                seen[code, number, order] = row
                version.children[key].append({name: row.values[name] for name in CHILD_KEYS[key]})
        for plan in self.items.values():
            for version in plan.versions:
                for rows in version.children.values():
                    rows.sort(key=lambda child: child["sort_order"])

    # -- item types and departments -----------------------------------------------------------
    def resolve(self) -> None:
        sheet = self.sheets.get(ITEM_SHEET)
        if sheet is None or not self.items:
            return
        plans = list(self.items.values())
        types: dict[str, list[ItemType]] = {}
        for item_type in ItemType.objects.filter(label__in={p.values["item_type"] for p in plans}):
            types.setdefault(item_type.label, []).append(item_type)
        region_codes = {p.values["region_code"] for p in plans if p.values["region_code"]}
        regions = {r.code: r for r in Region.objects.filter(code__in=region_codes)}
        departments = {
            (d.region.code, d.name): d
            for d in Department.objects.filter(
                region__code__in=region_codes, name__in={p.values["department"] for p in plans}
            ).select_related("region")
        }
        in_scope = self._departments_in_scope({d.pk for d in departments.values()})
        for plan in plans:
            row, label = plan.first, plan.values["item_type"]
            found = types.get(label, []) if label else []
            if len(found) == 1:
                plan.item_type = found[0]
            elif label and not found:
                known = LIST_SEPARATOR.join(ItemType.objects.values_list("label", flat=True))
                self.errors.append(
                    sheet.error(row, "item_type", f"“{label}”不是已有的事项类型；可选：{known}")
                )
            elif label:
                message = f"“{label}”对应多个事项类型，请先在事项类型字典中区分名称"
                self.errors.append(sheet.error(row, "item_type", message))
            code, name = plan.values["region_code"], plan.values["department"]
            if code and code not in regions:
                self.errors.append(sheet.error(row, "region_code", f"区划代码 {code} 不存在"))
            elif code and name:
                department = departments.get((code, name))
                if department is None:
                    message = f"区划 {code}（{regions[code].name}）下没有名为“{name}”的部门"
                    self.errors.append(sheet.error(row, "department", message))
                elif in_scope is not None and department.pk not in in_scope:
                    self.errors.append(sheet.error(row, "department", "该部门不在您的数据范围内"))
                else:
                    plan.department = department

    def _departments_in_scope(self, ids: set[int]) -> set[int] | None:
        """None when the actor may import for every department (the CLI, a system administrator)."""
        actor = self.actor
        if actor is None or not getattr(actor, "is_authenticated", False) or sees_everything(actor):
            return None
        return set(
            Department.objects.filter(department_scope_q(actor), pk__in=ids).values_list("pk", flat=True)
        )

    # -- against the database -----------------------------------------------------------------
    def check(self) -> None:
        sheet = self.sheets.get(ITEM_SHEET)
        if sheet is None or not self.items:
            return
        codes = list(self.items)
        for start in range(0, len(codes), 500):
            for item in export_queryset().filter(implementation_code__in=codes[start : start + 500]):
                self.items[item.implementation_code].existing = item
        in_scope = self._departments_in_scope(
            {p.existing.department_id for p in self.items.values() if p.existing is not None}
        )
        for plan in self.items.values():
            if (
                plan.existing is not None
                and in_scope is not None
                and plan.existing.department_id not in in_scope
            ):
                message = "系统中该事项的实施主体不在您的数据范围内"
                self.errors.append(sheet.error(plan.first, "implementation_code", message))
                continue
            if self._check_versions(sheet, plan):
                self._check_item_fields(sheet, plan)
                self._check_lifecycle(sheet, plan)
        self._check_successors(sheet)
        self._check_rules(sheet)

    def _check_versions(self, sheet: _Sheet, plan: _ItemPlan) -> bool:
        """Numbering, status changes and immutability of the versions; False if numbering is broken."""
        stored = {v.number: v for v in plan.existing.versions.all()} if plan.existing else {}
        start = max(stored, default=0) + 1
        new = [v for v in plan.versions if v.number not in stored]
        for offset, version in enumerate(new):
            if version.number != start + offset:
                where = f"系统中该事项最高为第{start - 1}版" if stored else "新事项从第1版开始"
                message = f"版本号不连续：应为第{start + offset}版（{where}）"
                self.errors.append(sheet.error(version.row, "number", message))
                return False
        for version in plan.versions:
            existing = version.existing = stored.get(version.number)
            if existing is None or existing.status == c.VersionStatus.DRAFT:
                version.publish = version.status != c.VersionStatus.DRAFT
                version.write = existing is None or (
                    version.readable
                    and bool(_changed_elements(existing, version) or _changed_children(existing, version))
                )
                continue
            shown = existing.get_status_display()
            if version.status == c.VersionStatus.DRAFT or (
                existing.status == c.VersionStatus.RETIRED and version.status != c.VersionStatus.RETIRED
            ):
                wanted = c.VersionStatus(version.status).label
                message = f"第{version.number}版{shown}，不能改为“{wanted}”"
                self.errors.append(sheet.error(version.row, "version_status", message))
            if not version.readable:
                continue
            immutable = f"第{version.number}版{shown}，不可修改；请以新版本号导入"
            for key in _changed_elements(existing, version):
                self.errors.append(sheet.error(version.row, key, immutable))
            for key in _changed_children(existing, version):
                message = f"{immutable}（{CHILD_SHEETS[key].name}与系统中不同）"
                self.errors.append(sheet.error(version.row, "number", message))
        self._check_status_order(sheet, plan, stored)
        return True

    def _check_status_order(self, sheet: _Sheet, plan: _ItemPlan, stored: dict[int, ItemVersion]) -> None:
        """In number order an item's versions read 已停用…, 已发布, 草稿 (the last two at most once)."""
        in_file = {v.number: v for v in plan.versions}
        numbers = sorted(set(stored) | set(in_file))
        final = {n: (in_file[n].status if n in in_file else stored[n].status) for n in numbers}
        live = (c.VersionStatus.PUBLISHED, c.VersionStatus.RETIRED)
        for n in numbers:  # publishing a later version from the file retires the stored one
            stored_published = n not in in_file and final[n] == c.VersionStatus.PUBLISHED
            if stored_published and any(final[m] in live for m in in_file if m > n):
                final[n] = c.VersionStatus.RETIRED
        for index, n in enumerate(numbers):
            later = numbers[index + 1 :]
            target = in_file.get(n) or next((in_file[m] for m in later if m in in_file), None)
            if target is None:
                continue
            message = ""
            if final[n] == c.VersionStatus.DRAFT and later:
                message = (
                    "草稿须是该事项的最新版本"
                    if n in in_file
                    else f"系统中已有第{n}版草稿，请在文件中一并填写第{n}版"
                )
            elif final[n] == c.VersionStatus.PUBLISHED:
                higher = next((m for m in later if final[m] in live), None)
                if higher is not None and higher in in_file:
                    message = f"同一事项只能有一个已发布版本，第{n}版应为“已停用”"
                elif higher is not None:
                    message = f"系统中第{higher}版已发布，不能再发布更早的第{n}版"
            elif final[n] == c.VersionStatus.RETIRED and not any(final[m] in live for m in later):
                message = "已停用的版本之后须有已发布的版本"
            if message:
                self.errors.append(sheet.error(target.row, "version_status", message))

    def _check_item_fields(self, sheet: _Sheet, plan: _ItemPlan) -> None:
        """A change of 事项名称, 编码, 类型, 实施主体 or 行使层级 rides on a draft or a new version."""
        if plan.existing is None or plan.item_type is None or plan.department is None:
            return
        wanted = {key: plan.values[key] for key in services.ITEM_FIELDS if key not in plan.first.bad}
        wanted.update(item_type=plan.item_type, department=plan.department)
        changes = {key: value for key, value in wanted.items() if getattr(plan.existing, key) != value}
        if not changes:
            return
        carrier = next(
            (v for v in plan.versions if v.existing is None or v.existing.status == c.VersionStatus.DRAFT),
            None,
        )
        if carrier is None:
            for key in changes:
                message = "与系统中不同；修改事项信息须同时导入该事项的草稿或新版本"
                self.errors.append(sheet.error(plan.first, key, message))
            return
        carrier.item_fields = changes
        carrier.write = True

    def _check_lifecycle(self, sheet: _Sheet, plan: _ItemPlan) -> None:
        values, row = plan.values, plan.first
        status = values["status"]
        if status is None:
            return
        reason = values["status_reason"]
        if status != c.LifecycleStatus.ACTIVE and reason is not None and not reason.strip():
            self.errors.append(sheet.error(row, "status_reason", "暂停办理或已取消的事项须填写原因"))
        cancelled_on = values["cancelled_on"]
        if status == c.LifecycleStatus.CANCELLED and "cancelled_on" not in row.bad and cancelled_on is None:
            self.errors.append(sheet.error(row, "cancelled_on", "已取消的事项须填写取消日期"))
        if plan.existing is None or plan.existing.status != c.LifecycleStatus.CANCELLED:
            return
        if status != c.LifecycleStatus.CANCELLED:
            self.errors.append(sheet.error(row, "status", "事项已取消，不能恢复"))
        for version in plan.versions:
            if version.write or version.publish:
                message = "事项已取消，不能新增、修改或发布版本"
                self.errors.append(sheet.error(version.row, "number", message))

    def _check_successors(self, sheet: _Sheet) -> None:
        wanted = {code for plan in self.items.values() for code in plan.values["successors"] or ()}
        stored = set(
            ServiceItem.objects.filter(implementation_code__in=wanted - set(self.items)).values_list(
                "implementation_code", flat=True
            )
        )
        for plan in self.items.values():
            for code in plan.values["successors"] or ():
                if code == plan.code:
                    self.errors.append(sheet.error(plan.first, "successors", "不能以本事项为承继事项"))
                elif code not in self.items and code not in stored:
                    self.errors.append(sheet.error(plan.first, "successors", f"承继事项 {code} 不存在"))

    def _check_rules(self, sheet: _Sheet) -> None:
        """The publish rules (DOMAIN §2.7) on every version the import will publish, before writing."""
        for plan in self.items.values():
            if plan.item_type is None or plan.first.bad:
                continue
            for version in plan.versions:
                if version.publish and version.readable:
                    violations = check_item(_facts(plan, version))
                    self.errors.extend(_violation_errors(sheet, version, violations))

    # -- writing ------------------------------------------------------------------------------
    def write(self, report: ImportReport) -> None:
        sheet = self.sheets[ITEM_SHEET]
        saved: dict[str, ServiceItem] = {}
        changed: set[str] = set()
        total = len(self.items)
        for done, plan in enumerate(self.items.values(), start=1):
            item, item_changed = self._write_item(sheet, plan, report)
            if item is not None:
                saved[plan.code] = item
            if item_changed:
                changed.add(plan.code)
            if self.progress and (done % PROGRESS_EVERY == 0 or done == total):
                self.progress(done, total)
        if self.errors:
            return
        changed |= self._write_successors(saved)
        for plan in self.items.values():
            if plan.existing is not None:
                if plan.code in changed:
                    report.items_updated += 1
                else:
                    report.items_unchanged += 1

    def _write_item(
        self, sheet: _Sheet, plan: _ItemPlan, report: ImportReport
    ) -> tuple[ServiceItem | None, bool]:
        item = plan.existing
        changed = False
        for version in plan.versions:
            if not (version.write or version.publish):
                continue
            try:
                if item is None:
                    item = services.item_create(
                        actor=self.actor,
                        implementation_code=plan.code,
                        base_code=plan.values["base_code"],
                        name=plan.values["name"],
                        item_type=plan.item_type,
                        department=plan.department,
                        exercise_level=plan.values["exercise_level"],
                        handling_code=plan.values["handling_code"],
                        elements=version.elements,
                        approving_document=version.elements["approving_document"],
                        **version.children,
                    )
                    stored = item.versions.get(number=1)
                    report.items_created += 1
                    report.versions_created += 1
                elif version.existing is None:
                    stored = services.item_version_start_change(
                        item=item, actor=self.actor, change_summary=version.elements["change_summary"]
                    )
                    if stored.number != version.number:  # guarded by _check_versions
                        raise DomainError("conflict", f"新版本号应为第{stored.number}版。")
                    services.item_version_update(
                        version=stored,
                        actor=self.actor,
                        elements=version.elements,
                        item_fields=version.item_fields,
                        **version.children,
                    )
                    report.versions_created += 1
                else:
                    stored = version.existing
                    if version.write:
                        services.item_version_update(
                            version=stored,
                            actor=self.actor,
                            elements=version.elements,
                            item_fields=version.item_fields,
                            **version.children,
                        )
                        report.versions_updated += 1
                if version.publish:
                    services.item_version_publish(
                        version=stored, actor=self.actor, now=version.published_at or self.now
                    )
                    report.versions_published += 1
            except DomainError as error:
                self.errors.extend(_service_errors(sheet, version, error))
                return None, False
            changed = True
        if item is None:
            return None, False
        return item, self._write_lifecycle(item, plan) or changed

    def _write_lifecycle(self, item: ServiceItem, plan: _ItemPlan) -> bool:
        """Restore 事项状态 with its reason and dates as the file has them, journalled as 导入."""
        item.refresh_from_db()
        wanted = {key: plan.values[key] for key in LIFECYCLE_KEYS}
        if all(getattr(item, key) == value for key, value in wanted.items()):
            return False
        before = item.get_status_display()
        updated = ServiceItem.objects.filter(pk=item.pk, status=item.status).update(
            **wanted, updated_at=clock.now()
        )
        if updated != 1:
            raise DomainError("conflict", f"事项 {item.implementation_code} 已被他人修改，请重试。")
        item.refresh_from_db()
        note = f"事项状态 {before} → {item.get_status_display()}"
        self._journal(item, f"{note}（{item.status_reason}）" if item.status_reason else note)
        return True

    def _write_successors(self, saved: dict[str, ServiceItem]) -> set[str]:
        """Set each item's 承继事项 as the file lists them; the codes of the items that changed."""
        wanted_codes = {code for plan in self.items.values() for code in plan.values["successors"]}
        lookup = {
            item.implementation_code: item
            for item in ServiceItem.objects.filter(implementation_code__in=wanted_codes - set(saved))
        }
        lookup.update(saved)
        changed = set()
        for plan in self.items.values():
            item, wanted = saved[plan.code], plan.values["successors"]
            if sorted(item.successors.values_list("implementation_code", flat=True)) == sorted(wanted):
                continue
            item.successors.set([lookup[code] for code in wanted])
            self._journal(item, "承继事项 " + (LIST_SEPARATOR.join(wanted) or "无"), related=wanted)
            changed.add(plan.code)
        return changed

    def _journal(self, item: ServiceItem, note: str, related: Iterable[str] = ()) -> None:
        ItemOperation.objects.create(
            item=item,
            operation=c.Operation.IMPORT,
            actor=self.actor if getattr(self.actor, "pk", None) else None,
            note=f"{self.today:%Y-%m-%d} Excel 导入：{note}"[:500],
            related_codes=list(related),
        )


def _facts(plan: _ItemPlan, version: _VersionPlan) -> ItemFacts:
    """The facts `services.version_facts` would read once the version is written."""
    e, kids = version.elements, version.children
    assert plan.item_type is not None
    return ItemFacts(
        name=plan.values["name"],
        item_type_key=plan.item_type.key,
        licensing=plan.item_type.key == "licensing",
        case_kind=e["case_kind"],
        legal_limit=e["legal_limit"],
        legal_limit_unit=e["legal_limit_unit"],
        promised_limit=e["promised_limit"],
        promised_limit_unit=e["promised_limit_unit"],
        onsite_visits=e["onsite_visits"],
        onsite_reason=e["onsite_reason"],
        online_depth=e["online_depth"],
        express_delivery=e["express_delivery"],
        charges_fee=e["charges_fee"],
        fee_basis=e["fee_basis"],
        fee_item_count=len(kids["fee_items"]),
        online_payment=e["online_payment"],
        acceptance_conditions=e["acceptance_conditions"],
        process_description=e["process_description"],
        location=e["location"],
        office_hours=e["office_hours"],
        consult_phone=e["consult_phone"],
        complaint_phone=e["complaint_phone"],
        delivery_modes=tuple(e["delivery_modes"]),
        material_count=len(kids["materials"]),
        steps=tuple(
            StepFacts(s["name"], s["limit"], s["limit_unit"], s["special_procedure"], s["counts_in_limit"])
            for s in kids["steps"]
        ),
        legal_bases=tuple(LegalBasisFacts(b["document"], b["article"]) for b in kids["legal_bases"]),
    )


def _field_error(sheet: _Sheet, version: _VersionPlan, name: str, message: str) -> CellError:
    """A message about a model field, on its column of the version's row (else on 版本状态)."""
    if name in sheet.spec.keys:
        return sheet.error(version.row, name, message)
    label = FIELD_LABELS.get(name) or (CHILD_SHEETS[name].name if name in CHILD_SHEETS else name)
    return sheet.error(version.row, "version_status", f"{label}：{message}")


def _violation_errors(sheet: _Sheet, version: _VersionPlan, violations: list[Violation]) -> list[CellError]:
    return [
        _field_error(sheet, version, v.field, f"第{version.number}版无法发布，{v.message}")
        for v in violations
    ]


def _service_errors(sheet: _Sheet, version: _VersionPlan, error: DomainError) -> list[CellError]:
    prefix = f"第{version.number}版无法发布，" if error.code == "validation_failed" else ""
    out = [
        _field_error(sheet, version, name, prefix + message)
        for name, messages in (error.fields or {}).items()
        for message in messages
    ]
    return out or [sheet.error(version.row, "number", error.message)]


# ---------------------------------------------------------------------------------------------
# Import: the entry point
# ---------------------------------------------------------------------------------------------


def import_catalog(
    stream: IO[bytes],
    *,
    actor: Any,
    today: dt.date | None = None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a catalogue workbook, all or nothing.

    Raises `CatalogImportError` listing every bad cell, having written nothing. Otherwise creates
    the new items, writes new versions and changed drafts, publishes the versions marked 已发布 or
    已停用 in number order (at their 发布时间, else `now`), and restores each item's status and
    successors, in one transaction. `today` is the local date of the import (journal notes);
    `progress(done, total)` is called every 100 items while writing.
    """
    importer = _Importer(actor=actor, now=now or clock.now(), today=today or clock.today(), progress=progress)
    importer.read(stream)
    importer.group()
    importer.resolve()
    importer.check()
    if importer.errors:
        raise CatalogImportError(importer.errors)
    report = ImportReport()
    with transaction.atomic():
        importer.write(report)
        if importer.errors:
            raise CatalogImportError(importer.errors)  # rolls back everything written so far
    return report
