"""Read the attachments of a ticket form (`<input type=file name="files" multiple>`) and check every one
before anything is written.

`collect` runs each file through `common.uploads.inspect_upload` and returns the accepted files with
the Chinese refusals, so a view writes nothing (neither the ticket nor any file) when one is refused.
`services.ticket_file_add` checks each file again when it stores it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from zhengwu.common.errors import DomainError
from zhengwu.common.uploads import MB, SIZE_LIMITS, inspect_upload
from zhengwu.hotline.services import MAX_FILES_PER_TICKET

ACCEPT = ".pdf,.jpg,.jpeg,.png,.ofd,.docx,.xlsx"


@dataclass(frozen=True)
class PendingFile:
    name: str
    data: bytes


def ceiling() -> int:
    """The largest upload any kind may be; a bigger one is refused without reading it into memory."""
    configured = getattr(settings, "ZHENGWU_UPLOAD_MAX_BYTES", None)
    return int(configured) if configured is not None else max(SIZE_LIMITS.values())


def too_big(upload: UploadedFile) -> str | None:
    """The refusal of a file larger than any kind may be, else None."""
    if upload.size is not None and upload.size > ceiling():
        return f"文件“{(upload.name or '')[:40]}”超过 {ceiling() / MB:g} MB 的上限，不予接收。"
    return None


def collect(
    uploads: Iterable[UploadedFile | None], *, already: int = 0
) -> tuple[list[PendingFile], list[str]]:
    """(accepted files, Chinese refusals); `already` is how many files the ticket holds now."""
    uploads = [u for u in uploads if u is not None]
    if already + len(uploads) > MAX_FILES_PER_TICKET:
        return [], [f"每张工单最多上传 {MAX_FILES_PER_TICKET} 个附件。"]
    accepted: list[PendingFile] = []
    refused: list[str] = []
    for upload in uploads:
        name = upload.name or ""
        message = too_big(upload)
        if message:
            refused.append(message)
            continue
        upload.seek(0)
        data = upload.read()
        try:
            inspect_upload(name=name, data=data)
        except DomainError as error:
            refused.append(error.message)
            continue
        accepted.append(PendingFile(name=name, data=data))
    return accepted, refused
