"""Damaged workbooks found by fuzzing (SECURITY.md row 15, fuzz/catalog_import.py).

openpyxl opens a workbook's sheets lazily in read-only mode: a sheet whose XML is broken fails only
while its rows are read, after `load_workbook` has succeeded. Such a file must be refused like any
other unreadable file (`CatalogImportError`, "文件已损坏"), never escape as a ValueError, IndexError
or ParseError (a 500 in the workbench, a traceback in `zhengwu catalog import`).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from zhengwu.catalog.excel import ITEM_SHEET, CatalogImportError, import_catalog, write_template

pytestmark = pytest.mark.django_db

ITEM_PART = "xl/worksheets/sheet1.xml"  # the first sheet written, "事项"


def damaged(change) -> bytes:
    """The blank template with the XML of the "事项" sheet passed through `change`.

    The sheet gets a `<dimension>` first, as Excel and WPS write it: openpyxl then reads no further
    when it opens the workbook, and the damage is met only while the rows are read.
    """
    template = io.BytesIO()
    write_template(template)
    source = zipfile.ZipFile(io.BytesIO(template.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == ITEM_PART:
                content = change(content.replace(b"<sheetData>", b'<dimension ref="A1:BI2"/><sheetData>', 1))
            archive.writestr(name, content)
    return out.getvalue()


def with_row(cell: bytes):
    return lambda xml: xml.replace(b"</sheetData>", b'<row r="2">' + cell + b"</row></sheetData>")


@pytest.mark.parametrize(
    ("change", "row"),
    [
        pytest.param(with_row(b'<c r="A2"><v>abc</v></c>'), 2, id="number-cell-holding-text"),
        pytest.param(with_row(b'<c r="A2" t="s"><v>99999</v></c>'), 2, id="shared-string-index-out-of-range"),
        pytest.param(
            lambda xml: xml.replace(b"</sheetData>", b'<row r="2"><c r="A2" t="inlineStr"><is><t>'),
            2,
            id="xml-ending-inside-a-cell",
        ),
    ],
)
def test_a_sheet_with_damaged_xml_is_refused_with_the_sheet_and_row_named(change, row):
    with pytest.raises(CatalogImportError) as rejected:
        import_catalog(io.BytesIO(damaged(change)), actor=None, today=dt.date(2026, 5, 6))
    messages = [str(error) for error in rejected.value.errors]
    assert f"{ITEM_SHEET} 第{row}行无法读取：文件已损坏或不是有效的 Excel（.xlsx）文件" in messages
