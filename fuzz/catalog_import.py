"""Fuzz target: the catalogue Excel import (`zhengwu.catalog.excel`), the project's only file import.

(There is no CSV import: CSV appears only in exports — metrics, audit.) The target runs the part of
`import_catalog` that parses the file — `_Importer.read` (open the workbook, match headers, parse
every cell by its column) and `_Importer.group` (rows into items, versions and child rows) — and
raises `CatalogImportError` for any problem, as `import_catalog` does. The later steps look up item
types, departments and stored items in the database and are covered by the catalogue's own tests.

The first input byte picks the mode (its value modulo 3):

* 0: the rest is the uploaded file itself (seeds: real workbooks written with openpyxl);
* 1: the rest drives a workbook built cell by cell — typed values as openpyxl returns them (text,
  numbers incl. NaN and ±inf, booleans, dates, times, durations, error codes) or values fitting the
  column — so that mutations reach the cell parsers and the grouping rules;
* 2: the next byte names one XML part of a small hand-made workbook (`PACKAGE`: the sheet, the shared
  strings, the styles with date formats, the workbook, its relationships, the content types) and the
  rest replaces that part; the workbook is zipped around it, so mutations reach openpyxl's XML readers
  instead of dying on a ZIP checksum.

Only `CatalogImportError` (a `DomainError`) may escape.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

import atheris

from fuzz import engine

engine.django_setup()  # uninstrumented: Django and the apps it loads
with atheris.instrument_imports(include=["zhengwu", "openpyxl"]):
    from openpyxl.utils import get_column_letter

    from zhengwu.catalog import excel

warnings.filterwarnings("ignore", module="openpyxl")  # "no default style" and the like, once per input

NOW = dt.datetime(2026, 9, 30, 6, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 9, 30)
CODES = ("11000000000000001", "11000000000000002", "")
ERROR_VALUES = ("#N/A", "#DIV/0!", "#REF!", "#VALUE!")


class _Sheet:
    def __init__(self, rows: list[tuple[Any, ...]]):
        self.rows = rows

    def iter_rows(self, *, values_only: bool) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)


class _Workbook:
    """What `load_workbook(read_only=True, data_only=True)` gives the importer, built from fuzz data."""

    def __init__(self, sheets: dict[str, _Sheet]):
        self.sheets = sheets
        self.sheetnames = list(sheets)

    def __getitem__(self, name: str) -> _Sheet:
        return self.sheets[name]

    def close(self) -> None:
        pass


_load_workbook = excel.load_workbook


def _load(stream: Any, **options: Any) -> Any:
    return stream if isinstance(stream, _Workbook) else _load_workbook(stream, **options)


excel.load_workbook = _load


def _text(fdp: atheris.FuzzedDataProvider) -> str:
    return fdp.ConsumeBytes(fdp.ConsumeUInt(1) % 80).decode("utf-8", errors="replace")


def _fitting(fdp: atheris.FuzzedDataProvider, column: excel.Column) -> Any:
    """A value of the column's own kind, often acceptable: it lets rows get through to the grouping."""
    if column.key == "implementation_code":
        return CODES[fdp.ConsumeUInt(1) % len(CODES)]
    if column.choices:
        labels = [label for _value, label in column.choices]
        chosen = [labels[fdp.ConsumeUInt(1) % len(labels)] for _ in range(1 + fdp.ConsumeUInt(1) % 2)]
        return excel.LIST_SEPARATOR.join(chosen) if column.kind == excel.MULTI_CHOICE else chosen[0]
    if column.kind == excel.INTEGER:
        return fdp.ConsumeUInt(1) % 4
    if column.kind == excel.BOOLEAN:
        return (excel.YES, excel.NO, True, False)[fdp.ConsumeUInt(1) % 4]
    if column.kind in (excel.DATE, excel.DATETIME):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=fdp.ConsumeUInt(2) % 3000)
        return day.isoformat() if fdp.ConsumeBool() else dt.datetime.combine(day, dt.time(9, 30))
    if column.kind == excel.CODES:
        return "、".join(CODES[: fdp.ConsumeUInt(1) % 3])
    return _text(fdp)


def _cell(fdp: atheris.FuzzedDataProvider, column: excel.Column) -> Any:
    kind = fdp.ConsumeUInt(1) % 12
    if kind < 4:
        return _fitting(fdp, column)
    if kind == 4:
        return None
    if kind == 5:
        return _text(fdp)
    if kind == 6:
        return fdp.ConsumeInt(fdp.ConsumeUInt(1) % 17)
    if kind == 7:
        return fdp.ConsumeFloat()
    if kind == 8:
        return fdp.ConsumeBool()
    if kind == 9:
        moment = dt.datetime.min + dt.timedelta(seconds=fdp.ConsumeUInt(6) % 315537897600)
        return moment if fdp.ConsumeBool() else moment.time()
    if kind == 10:
        return dt.timedelta(seconds=fdp.ConsumeInt(4))
    return ERROR_VALUES[fdp.ConsumeUInt(1) % len(ERROR_VALUES)]


def _built(fdp: atheris.FuzzedDataProvider) -> _Workbook:
    sheets: dict[str, _Sheet] = {}
    for spec in excel.SHEETS:
        shape = fdp.ConsumeUInt(1)
        if shape % 16 == 0:
            continue  # the sheet is missing
        columns = list(spec.columns)
        if shape % 16 == 1 and columns:
            columns.pop(fdp.ConsumeUInt(1) % len(columns))  # a column is missing
        headers: list[Any] = [column.header for column in columns]
        if shape % 16 == 2:
            headers.append(headers[0] if headers else None)  # a duplicated column
        if shape % 16 == 3:
            headers.insert(fdp.ConsumeUInt(1) % (len(headers) + 1), _text(fdp))  # an unknown one
        rows: list[tuple[Any, ...]] = [tuple(headers)]
        for _ in range(fdp.ConsumeUInt(1) % 5):
            width = len(columns) - fdp.ConsumeUInt(1) % 3  # short rows happen
            rows.append(tuple(_cell(fdp, column) for column in columns[: max(width, 0)]))
        sheets[spec.name] = _Sheet(rows if shape % 16 != 4 else [])
    return _Workbook(sheets)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def _package() -> dict[str, bytes]:
    """A one-sheet workbook as Excel writes it: shared strings, a date, a date-time, a duration, a
    boolean, an error and a formula's cached text, with the headers of the "事项" sheet."""
    headers = [column.header for column in excel.ITEM_COLUMNS]
    strings = [*headers, CODES[0], "示例", "国家级", "已发布", "是"]
    shared = "".join(f"<si><t>{text}</t></si>" for text in strings)
    first = "".join(f'<c r="{get_column_letter(i + 1)}1" t="s"><v>{i}</v></c>' for i in range(len(headers)))
    column = {c.key: get_column_letter(i + 1) for i, c in enumerate(excel.ITEM_COLUMNS)}
    n = len(headers)
    second = (
        f'<c r="{column["implementation_code"]}2" t="s"><v>{n}</v></c>'
        f'<c r="{column["name"]}2" t="s"><v>{n + 1}</v></c>'
        f'<c r="{column["exercise_level"]}2" t="s"><v>{n + 2}</v></c>'
        f'<c r="{column["number"]}2"><v>1</v></c>'
        f'<c r="{column["version_status"]}2" t="s"><v>{n + 3}</v></c>'
        f'<c r="{column["resume_expected_on"]}2" s="1"><v>46295</v></c>'
        f'<c r="{column["published_at"]}2" s="2"><v>46295.604166666664</v></c>'
        f'<c r="{column["legal_limit"]}2" s="3"><v>1.5</v></c>'
        f'<c r="{column["online_available"]}2" t="b"><v>1</v></c>'
        f'<c r="{column["promised_limit"]}2" t="e"><v>#N/A</v></c>'
        f'<c r="{column["location"]}2" t="str"><f>A2&amp;"室"</f><v>1室</v></c>'
        f'<c r="{column["office_hours"]}2" t="inlineStr"><is><t>工作日</t></is></c>'
    )
    return {
        "[Content_Types].xml": (
            f'<Types xmlns="{_PKG}/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>'
        ).encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{_PKG}/relationships"><Relationship Id="rId1" '
            f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
            f'<sheet name="{excel.ITEM_SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ).encode(),
        "xl/styles.xml": (
            f'<styleSheet xmlns="{_MAIN}"><numFmts count="1">'
            '<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>'
            '<fonts count="1"><font><sz val="11"/></font></fonts>'
            '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
            '<cellXfs count="4"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="164" xfId="0" applyNumberFormat="1"/><xf numFmtId="46" xfId="0" applyNumberFormat="1"/>'
            '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ).encode(),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>'
        ).encode(),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{_MAIN}"><dimension ref="A1:{get_column_letter(n)}2"/><sheetData>'
            f'<row r="1">{first}</row><row r="2">{second}</row></sheetData></worksheet>'
        ).encode(),
    }


PACKAGE = _package()
PARTS = tuple(PACKAGE)


def _zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeUInt(1) % 3
    source: Any
    if mode == 1:
        source = _built(fdp)
    elif mode == 2:
        part = PARTS[fdp.ConsumeUInt(1) % len(PARTS)]
        source = io.BytesIO(_zipped({**PACKAGE, part: fdp.ConsumeBytes(fdp.remaining_bytes())}))
    else:
        source = io.BytesIO(fdp.ConsumeBytes(fdp.remaining_bytes()))
    importer = excel._Importer(actor=None, now=NOW, today=TODAY, progress=None)
    try:
        importer.read(source)
        importer.group()
        if importer.errors:
            raise excel.CatalogImportError(importer.errors)
    except excel.CatalogImportError as refused:
        assert refused.errors and all(str(error) for error in refused.errors)
        return


def _example(column: excel.Column) -> Any:
    if column.key == "implementation_code":
        return CODES[0]
    if column.key == "number":
        return 1
    if column.choices:
        return column.choices[0][1]
    if column.kind == excel.INTEGER:
        return column.min_value or 0
    if column.kind == excel.BOOLEAN:
        return excel.NO
    if column.kind == excel.DATE:
        return "2026-09-30"
    if column.kind == excel.DATETIME:
        return "2026-09-30 14:30:00"
    if column.kind == excel.CODES:
        return None
    return "示例"[: column.max_length or 2]


def seeds() -> list[bytes]:
    """Real workbooks (every sheet with its headers, empty and with one filled row each; the
    hand-made one) and each part of the hand-made one for the part-replacing mode."""
    from openpyxl import Workbook

    out = [b"\x00" + _zipped(PACKAGE)]
    out += [b"\x02" + bytes([index]) + PACKAGE[part] for index, part in enumerate(PARTS)]
    for filled in (False, True):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for spec in excel.SHEETS:
            sheet = workbook.create_sheet(spec.name)
            sheet.append([column.header for column in spec.columns])
            if filled:
                sheet.append([_example(column) for column in spec.columns])
        buffer = io.BytesIO()
        workbook.save(buffer)
        out.append(b"\x00" + buffer.getvalue())
    return out


if __name__ == "__main__":
    engine.main(test_one_input, seeds=seeds)
