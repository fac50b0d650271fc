"""Fuzz target: the upload sniffer (`zhengwu.common.uploads.inspect_upload`).

Input: one byte choosing the file name — one of `NAMES` (each allowed extension, a capitalised one,
an alias, a mismatching one) or, from 0xE0 up, a fuzzed name whose length is the next byte — then the
file's bytes. Only `DomainError("upload_refused")` may escape. An accepted file must be described
truthfully: an allowed kind with its MIME type, the size and SHA-256 of the bytes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

import atheris

from fuzz import engine

engine.django_setup()  # uninstrumented: Django and the apps it loads
with atheris.instrument_imports(include=["zhengwu", "filetype"]):
    from zhengwu.common.errors import DomainError
    from zhengwu.common.uploads import ALLOWED_KINDS, MIME_TYPES, inspect_upload
engine.instrument_loaded("zhengwu.common.uploads", "filetype")

NAMES = (
    "申请书.pdf",
    "身份证正面.jpg",
    "照片.JPEG",
    "截图.png",
    "电子证照.ofd",
    "申请表.docx",
    "材料清单.xlsx",
    "说明.txt",
    "a.pdf.exe",
)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    choice = fdp.ConsumeUInt(1)
    if choice >= 0xE0:
        name = fdp.ConsumeBytes(fdp.ConsumeUInt(1)).decode("utf-8", errors="replace")
    else:
        name = NAMES[choice % len(NAMES)]
    content = fdp.ConsumeBytes(fdp.remaining_bytes())
    try:
        info = inspect_upload(name=name, data=content)
    except DomainError as refused:
        assert refused.code == "upload_refused" and refused.message, refused
        return
    assert info.kind in ALLOWED_KINDS and info.mime == MIME_TYPES[info.kind], info
    assert info.size == len(content) and info.sha256 == hashlib.sha256(content).hexdigest()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return buffer.getvalue()


def seeds() -> list[bytes]:
    """Small files of every allowed kind that the sniffer accepts, made here rather than committed."""
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    )
    docx = _zip({"[Content_Types].xml": content_types, "word/document.xml": b"<w:document/>"})
    xlsx = _zip({"[Content_Types].xml": content_types, "xl/workbook.xml": b"<workbook/>"})
    ofd = _zip({"OFD.xml": b'<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"/>'})
    return [
        bytes([NAMES.index("申请表.docx")]) + docx,
        bytes([NAMES.index("材料清单.xlsx")]) + xlsx,
        bytes([NAMES.index("电子证照.ofd")]) + ofd,
        bytes([NAMES.index("材料清单.xlsx")]) + docx,  # a document under the wrong extension
    ]


if __name__ == "__main__":
    engine.main(test_one_input, seeds=seeds)
