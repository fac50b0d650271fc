"""Read the material files of a citizen's form and check every one before anything is stored.

One `<input type=file name="file_<key>" multiple>` per material. `collect` reads them, runs each
through `common.uploads.inspect_upload`, and returns the files by key with the refusals by key, so a
view stores nothing when any file is refused and shows each message beside its material. The
service (`case_file_add`) checks each file again when it stores it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.datastructures import MultiValueDict

from zhengwu.common.errors import DomainError
from zhengwu.common.uploads import MB, SIZE_LIMITS, inspect_upload

MAX_FILES_PER_MATERIAL = 10


@dataclass(frozen=True)
class PendingFile:
    name: str
    data: bytes


def field_name(key: int) -> str:
    return f"file_{key}"


def _ceiling() -> int:
    configured = getattr(settings, "ZHENGWU_UPLOAD_MAX_BYTES", None)
    return int(configured) if configured is not None else max(SIZE_LIMITS.values())


def _read(upload: UploadedFile) -> bytes | None:
    """The bytes, or None when the file is larger than any kind may be (not read into memory)."""
    if upload.size is not None and upload.size > _ceiling():
        return None
    upload.seek(0)
    return upload.read()


def collect(
    files: MultiValueDict, keys: Iterable[int]
) -> tuple[dict[int, list[PendingFile]], dict[int, list[str]]]:
    """(files by key, Chinese refusals by key) for the inputs `file_<key>` of the given keys."""
    accepted: dict[int, list[PendingFile]] = {}
    refused: dict[int, list[str]] = {}
    for key in keys:
        uploads = [u for u in files.getlist(field_name(key)) if u is not None]
        if len(uploads) > MAX_FILES_PER_MATERIAL:
            refused[key] = [f"每项材料一次最多上传 {MAX_FILES_PER_MATERIAL} 个文件。"]
            continue
        for upload in uploads:
            name = upload.name or ""
            data = _read(upload)
            if data is None:
                limit = _ceiling() / MB
                refused.setdefault(key, []).append(f"文件“{name[:40]}”超过 {limit:g} MB 的上限，不予接收。")
                continue
            try:
                inspect_upload(name=name, data=data)
            except DomainError as error:
                refused.setdefault(key, []).append(error.message)
                continue
            accepted.setdefault(key, []).append(PendingFile(name=name, data=data))
    return accepted, refused
