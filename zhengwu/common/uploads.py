"""Upload inspection for case materials: the first thing a view does with an uploaded file.

`inspect_upload` checks the name, the size, and the real type sniffed from the bytes (`filetype`, plus
a look inside docx/xlsx/ofd archives), refuses markup, polyglots and zip bombs, and returns an
`UploadInfo`. Every refusal is a `DomainError(code="upload_refused")` whose Chinese message names the
file and the rule. Nothing is written anywhere: store the bytes (`common.filestore.store`) only after
this returns. See SECURITY.md §5 "Uploads" and test row 17.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, NoReturn

import filetype
from django.conf import settings

from zhengwu.common.errors import DomainError

MB = 1024 * 1024

ALLOWED_KINDS: tuple[str, ...] = ("pdf", "jpg", "png", "ofd", "docx", "xlsx")
ALLOWED_KINDS_LABEL = "支持 PDF、JPG、PNG、OFD、DOCX、XLSX"

# Per-kind size limits; `max_bytes` or settings.ZHENGWU_UPLOAD_MAX_BYTES replaces them.
SIZE_LIMITS: dict[str, int] = {
    "pdf": 20 * MB,
    "jpg": 10 * MB,
    "png": 10 * MB,
    "ofd": 20 * MB,
    "docx": 10 * MB,
    "xlsx": 10 * MB,
}

MIME_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

MAX_NAME_LENGTH = 200
# Files one object (a case material, a 12345 ticket, a rectification, an evidence item) may hold.
MAX_FILES_PER_OBJECT = 10
ZIP_KINDS = frozenset({"docx", "xlsx", "ofd"})
ZIP_MAX_ENTRIES = 1000
ZIP_MAX_EXPANDED_BYTES = 100 * MB

# filetype names for what is, underneath, a ZIP archive; we look inside ourselves.
_ZIP_FAMILY = frozenset({"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"})
_ALIASES = {"jpeg": "jpg", "apng": "png"}
# Markup a browser would render or run; looked for in the first KiB whatever the claimed type.
_MARKUP = (b"<script", b"<svg", b"<html", b"<!doctype", b"<iframe", b"<body", b"<?php")
_HEAD = 1024
# A ZIP reader looks for its end record in the last 65,535 + 22 bytes.
_ZIP_EOCD = b"PK\x05\x06"
_ZIP_EOCD_WINDOW = 65535 + 22
_BAD_NAME_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_RESERVED_CHARS = re.compile(r'[<>:"|?*]')
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class UploadInfo:
    kind: str
    mime: str
    size: int
    sha256: str
    original_name: str


def inspect_upload(
    *,
    name: str,
    data: bytes,
    allowed: Iterable[str] = ALLOWED_KINDS,
    max_bytes: int | None = None,
) -> UploadInfo:
    """Check an uploaded file and describe it, or raise DomainError("upload_refused")."""
    kinds = _allowed_kinds(allowed)
    shown = _shown(name)
    display, ext = _check_name(name, shown)

    if ext not in kinds:
        label = "支持 " + "、".join(kind.upper() for kind in ALLOWED_KINDS if kind in kinds)
        _refuse(f"文件“{shown}”的扩展名 {ext} 不在允许范围内（{label}），不予接收。")
    size = len(data)
    if size == 0:
        _refuse(f"文件“{shown}”是空文件，不予接收。")
    limit = _size_limit(ext, max_bytes)
    if size > limit:
        _refuse(
            f"文件“{shown}”大小为 {_human(size)}，超过 {ext.upper()} 文件 {_human(limit)} 的上限，不予接收。"
        )

    head = data[:_HEAD].lower().replace(b"\x00", b"")
    for marker in _MARKUP:
        if marker in head:
            _refuse(f"文件“{shown}”含有网页或脚本内容（{marker.decode()}），不予接收。")

    sniffed = _sniff(data)
    if sniffed == "zip" and ext in ZIP_KINDS:
        sniffed = _zip_kind(data, shown)
    if sniffed is None:
        _refuse(f"文件“{shown}”的实际类型无法识别，与扩展名 {ext} 不符，不予接收。")
    if sniffed != ext:
        _refuse(f"文件“{shown}”的实际类型为 {sniffed}，与扩展名 {ext} 不符，不予接收。")

    if ext not in ZIP_KINDS and _ZIP_EOCD in data[-_ZIP_EOCD_WINDOW:]:
        _refuse(f"文件“{shown}”同时带有 {ext.upper()} 和 ZIP 两种文件结构，不予接收。")
    if ext != "pdf" and b"%PDF-" in data[:_HEAD]:
        _refuse(f"文件“{shown}”同时带有 {ext.upper()} 和 PDF 两种文件结构，不予接收。")

    return UploadInfo(
        kind=ext,
        mime=MIME_TYPES[ext],
        size=size,
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=display,
    )


def check_file_count(
    *, existing: int, adding: int = 1, limit: int = MAX_FILES_PER_OBJECT, what: str = ""
) -> None:
    """Refuse (DomainError "upload_refused") when `existing + adding` files would exceed `limit`."""
    if existing + adding > limit:
        owner = what or "每个对象"
        _refuse(f"{owner}最多上传 {limit} 个文件（已有 {existing} 个），不予接收。")


def validate_file_field(file: Any) -> None:
    """A model/form field validator running `inspect_upload` on a Django `File`: for FileFields that are
    still stored by Django's storage (e.g. catalogue templates uploaded in the admin). A file already in
    storage was checked when it came in and is not read again."""
    from django.core.exceptions import ValidationError

    if getattr(file, "_committed", False):
        return
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        inspect_upload(name=getattr(file, "name", "") or "", data=data)
    except DomainError as error:
        raise ValidationError(error.message, code="upload_refused") from None


def _refuse(message: str) -> NoReturn:
    raise DomainError(code="upload_refused", message=message, fields={"file": [message]})


def _allowed_kinds(allowed: Iterable[str]) -> frozenset[str]:
    if isinstance(allowed, str):
        allowed = (allowed,)
    kinds = frozenset(_ALIASES.get(kind.lower(), kind.lower()) for kind in allowed)
    unknown = kinds - set(ALLOWED_KINDS)
    if unknown:
        raise ValueError(f"unknown upload kinds: {sorted(unknown)}")
    return kinds


def _shown(name: str) -> str:
    """The name as it may appear in a message: control characters masked, long names shortened."""
    text = "".join("?" if unicodedata.category(ch) in _BAD_NAME_CATEGORIES else ch for ch in name)
    return text if len(text) <= 40 else text[:37] + "…"


def _check_name(name: str, shown: str) -> tuple[str, str]:
    """Return (display name, lower-case extension) or refuse the name."""
    display = unicodedata.normalize("NFC", name).strip()
    if not display:
        _refuse("文件名为空，不予接收。")
    if len(display) > MAX_NAME_LENGTH:
        _refuse(f"文件“{shown}”的文件名超过 {MAX_NAME_LENGTH} 个字符，不予接收。")
    if any(unicodedata.category(ch) in _BAD_NAME_CATEGORIES for ch in display):
        _refuse(f"文件“{shown}”的文件名含有控制字符，不予接收。")
    if "/" in display or "\\" in display:
        _refuse(f"文件“{shown}”的文件名含有路径分隔符，不予接收。")
    if ".." in display:
        _refuse(f"文件“{shown}”的文件名含有“..”，不予接收。")
    stem, dot, ext = display.rpartition(".")
    if not dot or not stem.strip() or not ext.strip():
        _refuse(f"文件“{shown}”缺少扩展名，不予接收。")
    ext = ext.strip().lower()
    return _RESERVED_CHARS.sub("_", display), _ALIASES.get(ext, ext)


def _size_limit(kind: str, max_bytes: int | None) -> int:
    if max_bytes is not None:
        return max_bytes
    configured = getattr(settings, "ZHENGWU_UPLOAD_MAX_BYTES", None)
    return int(configured) if configured is not None else SIZE_LIMITS[kind]


def _human(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} B"


def _sniff(data: bytes) -> str | None:
    guess = filetype.guess(data)
    if guess is None:
        return None
    ext = guess.extension.lower()
    if ext in _ZIP_FAMILY:
        return "zip"
    return _ALIASES.get(ext, ext)


def _zip_kind(data: bytes, shown: str) -> str:
    """Open a ZIP-based document and name it docx, xlsx or ofd ("zip" when it is none of them)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except Exception:  # zipfile raises many types on corrupt input; all mean the same to us
        _refuse(f"文件“{shown}”的压缩结构已损坏，无法读取，不予接收。")
    if len(entries) > ZIP_MAX_ENTRIES:
        _refuse(f"文件“{shown}”内含 {len(entries)} 个条目，超过 {ZIP_MAX_ENTRIES} 个的上限，不予接收。")
    if any(entry.flag_bits & 0x1 for entry in entries):
        _refuse(f"文件“{shown}”已加密，无法检查内容，不予接收。")
    expanded = sum(entry.file_size for entry in entries)
    if expanded > ZIP_MAX_EXPANDED_BYTES:
        _refuse(
            f"文件“{shown}”解压后共 {_human(expanded)}，超过 {_human(ZIP_MAX_EXPANDED_BYTES)} 的上限，不予接收。"
        )
    names = [entry.filename for entry in entries]
    if len(set(names)) != len(names):
        _refuse(f"文件“{shown}”内有重名的条目，不予接收。")
    for entry_name in names:
        path = PurePosixPath(entry_name.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or _DRIVE.match(entry_name):
            _refuse(f"文件“{shown}”内有路径异常的条目，不予接收。")

    found: set[str] = set()
    if "[Content_Types].xml" in names:
        if any(entry_name.startswith("word/") for entry_name in names):
            found.add("docx")
        if any(entry_name.startswith("xl/") for entry_name in names):
            found.add("xlsx")
    if "OFD.xml" in names:
        found.add("ofd")
    if len(found) > 1:
        _refuse(f"文件“{shown}”同时带有 {'、'.join(sorted(found))} 多种文档结构，不予接收。")
    return found.pop() if found else "zip"
