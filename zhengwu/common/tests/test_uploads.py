"""Upload inspection (SECURITY.md §5 "Uploads", test row 17) over a corpus generated here, not committed."""

from __future__ import annotations

import hashlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from zhengwu.common import filestore
from zhengwu.common.errors import DomainError
from zhengwu.common.uploads import ALLOWED_KINDS_LABEL, MB, UploadInfo, inspect_upload

# --- corpus -------------------------------------------------------------------------------------------


def make_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))


def make_png(*extra_chunks: bytes) -> bytes:
    header = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    pixels = png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    return b"\x89PNG\r\n\x1a\n" + header + b"".join(extra_chunks) + pixels + png_chunk(b"IEND", b"")


def make_jpeg() -> bytes:
    """An 8×8 grey baseline JPEG: one Huffman code each for DC 0 and end-of-block."""

    def segment(marker: int, body: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body

    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, b"\x08" + struct.pack(">HH", 8, 8) + b"\x01\x01\x11\x00")
        + segment(0xC4, b"\x00\x01" + b"\x00" * 15 + b"\x00")
        + segment(0xC4, b"\x10\x01" + b"\x00" * 15 + b"\x00")
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"
        + b"\xff\xd9"
    )


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, body in entries.items():
            archive.writestr(name, body)
    return buffer.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Target="word/document.xml" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    b"</Relationships>"
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>\xe7\x94\xb3\xe8\xaf\xb7\xe4\xb9\xa6</w:t></w:r></w:p></w:body></w:document>"
)


def docx_parts() -> dict[str, bytes]:
    return {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": DOCUMENT}


def make_docx() -> bytes:
    return make_zip(docx_parts())


def make_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "办件编号"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_ofd() -> bytes:
    return make_zip(
        {
            "OFD.xml": b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" '
            b'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
            b"</ofd:DocBody></ofd:OFD>",
            "Doc_0/Document.xml": b'<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"/>',
        }
    )


def make_exe() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 48
        + b"This program cannot be run"
    )


def make_zip_bomb_docx() -> bytes:
    """A docx whose one body part expands to 101 MB of zeros (~100 KB compressed), written in 1 MB steps."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as part:
            chunk = bytes(MB)
            for _ in range(101):
                part.write(chunk)
    return buffer.getvalue()


# --- helpers ------------------------------------------------------------------------------------------

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def stored_files() -> list[Path]:
    return [path for path in Path(settings.ZHENGWU_PRIVATE_FILES).rglob("*") if path.is_file()]


def receive(name: str, data: bytes, **options) -> str:
    """What a view does with an upload: inspect first, store only what passed."""
    inspect_upload(name=name, data=data, **options)
    return filestore.store(data)


def refused(name: str, data: bytes, **options) -> str:
    with pytest.raises(DomainError) as caught:
        receive(name, data, **options)
    error = caught.value
    assert error.code == "upload_refused"
    assert error.fields == {"file": [error.message]}
    assert CHINESE.search(error.message)
    assert stored_files() == []
    return error.message


# --- accepted files -----------------------------------------------------------------------------------


def test_a_tiny_valid_pdf_is_accepted_and_described():
    data = make_pdf()
    info = inspect_upload(name="申请表.pdf", data=data)
    assert info == UploadInfo(
        kind="pdf",
        mime="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name="申请表.pdf",
    )


def test_a_png_is_accepted_as_png():
    assert inspect_upload(name="照片.png", data=make_png()).mime == "image/png"


def test_a_jpeg_named_jpeg_is_accepted_as_jpg():
    info = inspect_upload(name="身份证正面.JPEG", data=make_jpeg())
    assert (info.kind, info.mime) == ("jpg", "image/jpeg")


def test_a_docx_built_from_minimal_parts_is_accepted():
    info = inspect_upload(name="承诺书.docx", data=make_docx())
    assert info.mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_an_xlsx_written_by_openpyxl_is_accepted():
    assert inspect_upload(name="清单.xlsx", data=make_xlsx()).kind == "xlsx"


def test_an_ofd_archive_with_ofd_xml_is_accepted():
    info = inspect_upload(name="营业执照.ofd", data=make_ofd())
    assert (info.kind, info.mime) == ("ofd", "application/ofd")


def test_the_display_name_keeps_chinese_and_masks_characters_windows_forbids():
    info = inspect_upload(name="  关于“某某”的申请 (第1版)?.pdf ", data=make_pdf())
    assert info.original_name == "关于“某某”的申请 (第1版)_.pdf"


def test_a_file_accepted_and_stored_is_found_under_its_key():
    key = receive("申请表.pdf", make_pdf())
    assert filestore.open_blob(key).read() == make_pdf()


def test_the_allow_list_of_a_material_narrows_the_kinds():
    message = refused("a.pdf", make_pdf(), allowed=("jpg", "png"))
    assert message == "文件“a.pdf”的扩展名 pdf 不在允许范围内（支持 JPG、PNG），不予接收。"


def test_an_unknown_kind_in_the_allow_list_is_a_programming_error():
    with pytest.raises(ValueError, match="exe"):
        inspect_upload(name="a.pdf", data=make_pdf(), allowed=("pdf", "exe"))


def test_the_label_lists_every_allowed_kind():
    assert ALLOWED_KINDS_LABEL == "支持 PDF、JPG、PNG、OFD、DOCX、XLSX"


# --- refused files: each with a Chinese reason, and nothing stored ------------------------------------


def test_an_exe_renamed_pdf_is_refused_naming_its_real_type():
    assert refused("a.pdf", make_exe()) == "文件“a.pdf”的实际类型为 exe，与扩展名 pdf 不符，不予接收。"


def test_an_html_page_with_script_named_pdf_is_refused():
    data = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"
    assert "网页或脚本" in refused("a.pdf", data)


def test_an_svg_with_script_named_png_is_refused():
    data = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "网页或脚本" in refused("a.png", data)


def test_html_hiding_behind_a_pdf_header_is_refused():
    assert "网页或脚本" in refused("a.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>")


def test_utf16_html_is_refused():
    assert "网页或脚本" in refused("a.pdf", "<html><script>alert(1)</script>".encode("utf-16"))


def test_a_pdf_carrying_a_zip_archive_is_refused_as_a_polyglot():
    message = refused("a.pdf", make_pdf() + make_zip({"payload.js": b"alert(1)"}))
    assert message == "文件“a.pdf”同时带有 PDF 和 ZIP 两种文件结构，不予接收。"


def test_a_jpeg_carrying_a_zip_archive_is_refused_as_a_polyglot():
    assert "JPG 和 ZIP" in refused("a.jpg", make_jpeg() + make_zip({"a.txt": b"x"}))


def test_a_png_carrying_a_pdf_header_in_its_first_kilobyte_is_refused():
    data = make_png(png_chunk(b"tEXt", b"Comment\x00" + make_pdf()[:200]))
    assert "PNG 和 PDF" in refused("a.png", data)


def test_a_docx_carrying_a_pdf_header_in_its_first_kilobyte_is_refused():
    data = make_zip({"cover.pdf": make_pdf(), **docx_parts()}, compression=zipfile.ZIP_STORED)
    assert "DOCX 和 PDF" in refused("a.docx", data)


def test_a_zip_bomb_docx_is_refused_by_its_expanded_size():
    data = make_zip_bomb_docx()
    assert len(data) < 1 * MB
    assert "解压后共 101 MB，超过 100 MB 的上限" in refused("炸弹.docx", data)


def test_a_docx_with_more_than_a_thousand_entries_is_refused():
    entries = docx_parts() | {f"word/media/{n}.txt": b"" for n in range(1000)}
    assert "内含 1003 个条目，超过 1000 个的上限" in refused("a.docx", make_zip(entries))


def test_an_encrypted_docx_is_refused():
    data = bytearray(make_zip(docx_parts(), compression=zipfile.ZIP_STORED))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # zipfile cannot encrypt
        start = data.find(signature)
        while start != -1:
            data[start + flags_at] |= 0x1
            start = data.find(signature, start + 4)
    assert "已加密" in refused("a.docx", bytes(data))


def test_a_truncated_docx_is_refused_as_damaged():
    assert "压缩结构已损坏" in refused("a.docx", make_docx()[:-30])


def test_a_docx_with_an_entry_climbing_out_of_the_archive_is_refused():
    data = make_zip(docx_parts() | {"../../evil.sh": b"rm -rf /"})
    assert "路径异常" in refused("a.docx", data)


def test_a_docx_with_two_entries_of_the_same_name_is_refused():
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, body in [*docx_parts().items(), ("word/document.xml", b"<evil/>")]:
                archive.writestr(name, body)
    assert "重名" in refused("a.docx", buffer.getvalue())


def test_a_plain_zip_named_docx_is_refused_as_zip():
    message = refused("a.docx", make_zip({"readme.txt": b"hello"}))
    assert message == "文件“a.docx”的实际类型为 zip，与扩展名 docx 不符，不予接收。"


def test_a_docx_named_xlsx_is_refused_as_docx():
    assert "实际类型为 docx，与扩展名 xlsx 不符" in refused("a.xlsx", make_docx())


def test_an_archive_claiming_to_be_both_docx_and_ofd_is_refused():
    data = make_zip(docx_parts() | {"OFD.xml": b"<ofd:OFD/>"})
    assert "多种文档结构" in refused("a.docx", data)


def test_bytes_of_no_known_type_named_pdf_are_refused():
    assert "无法识别" in refused("a.pdf", b"just some text, nothing more")


def test_an_empty_file_is_refused():
    assert refused("a.pdf", b"") == "文件“a.pdf”是空文件，不予接收。"


def test_a_png_over_its_default_limit_of_ten_megabytes_is_refused():
    data = make_png() + bytes(10 * MB)
    assert "超过 PNG 文件 10 MB 的上限" in refused("a.png", data)


def test_a_pdf_of_nineteen_megabytes_is_within_its_default_limit():
    data = make_pdf() + b"%" + bytes(19 * MB)
    assert inspect_upload(name="a.pdf", data=data).size == len(data)


def test_max_bytes_overrides_the_limit_of_the_kind():
    assert "超过 PDF 文件 100 B 的上限" in refused("a.pdf", make_pdf(), max_bytes=100)


def test_the_setting_overrides_the_limits_of_every_kind(settings):
    settings.ZHENGWU_UPLOAD_MAX_BYTES = 2048
    assert "超过 JPG 文件 2 KB 的上限" in refused("a.jpg", make_jpeg() + bytes(4096))


def test_an_extension_outside_the_list_is_refused_with_the_supported_kinds():
    message = refused("a.gif", b"GIF89a" + bytes(20))
    assert message == f"文件“a.gif”的扩展名 gif 不在允许范围内（{ALLOWED_KINDS_LABEL}），不予接收。"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../../etc/passwd.pdf", "路径分隔符"),
        ("..\\..\\windows\\win.ini.pdf", "路径分隔符"),
        ("a..pdf", "“..”"),
        ("a\x00.pdf", "控制字符"),
        ("a\r\nContent-Type: text/html.pdf", "控制字符"),
        ("invoice\u202efdp.exe.pdf", "控制字符"),
        ("a" * 296 + ".pdf", "超过 200 个字符"),
        ("申请表", "缺少扩展名"),
        (".pdf", "缺少扩展名"),
        ("申请表.", "缺少扩展名"),
        ("   ", "文件名为空"),
    ],
    ids=[
        "traversal",
        "backslashes",
        "double-dot",
        "nul",
        "crlf",
        "rtl-override",
        "300-chars",
        "no-ext",
        "dot-only",
        "trailing-dot",
        "blank",
    ],
)
def test_a_dangerous_or_malformed_name_is_refused(name, reason):
    assert reason in refused(name, make_pdf())


def test_a_long_name_is_shortened_in_the_message():
    message = refused("申" * 300 + ".pdf", make_pdf())
    assert message == f"文件“{'申' * 37}…”的文件名超过 200 个字符，不予接收。"


@hypothesis_settings(max_examples=300, deadline=1000, database=None)
@given(
    name=st.sampled_from(["x.pdf", "x.docx", "x.xlsx", "x.ofd", "x.png", "x.jpg"]),
    prefix=st.sampled_from(
        [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"PK\x05\x06", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"]
    ),
    body=st.binary(max_size=4096),
)
def test_arbitrary_bytes_raise_nothing_but_a_domain_error(name, prefix, body):
    try:
        info = inspect_upload(name=name, data=prefix + body)
    except DomainError as error:
        assert error.code == "upload_refused"
    else:
        assert info.size == len(prefix + body)
