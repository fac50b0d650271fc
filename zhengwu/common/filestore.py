"""Content-addressed private storage for case material files.

Blobs live under `settings.ZHENGWU_PRIVATE_FILES`, which is outside STATIC_ROOT and MEDIA_ROOT and
never served by the web server. A blob's key is its relative path `<sha[:2]>/<sha[2:4]>/<sha>`, where
sha is the SHA-256 of the content: names are generated, never the uploader's. Identical contents share
one blob. Downloads go through a permission-checked view that returns `download_response(...)`.

Write order, which every caller keeps:

1. `uploads.inspect_upload(...)` — a refused file is never written;
2. `store(data)` — atomic (temporary file in the same folder, fsync, `os.replace`);
3. create the database row holding the key, in its transaction.

A crash between 2 and 3 leaves at worst an orphan blob, never a row pointing at a missing file.
Orphans are found with `orphans(referenced_keys, older_than=...)` and removed with `delete(key)`;
pass a cut-off older than any upload still in flight, since `store` skips an existing blob and only
refreshes its modification time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.http import FileResponse

KEY_PATTERN = re.compile(r"([0-9a-f]{2})/([0-9a-f]{2})/(\1\2[0-9a-f]{60})")
_HEX2 = re.compile(r"[0-9a-f]{2}")


def root() -> Path:
    return Path(settings.ZHENGWU_PRIVATE_FILES)


def key_for(data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    return f"{sha[:2]}/{sha[2:4]}/{sha}"


def path_for(key: str) -> Path:
    """The blob's path; ValueError unless `key` is exactly `<hex2>/<hex2>/<sha256 hex>`."""
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"invalid storage key: {key!r}")
    return root() / key


def store(data: bytes) -> str:
    """Write the blob if it is not there yet and return its key."""
    key = key_for(data)
    path = path_for(key)
    try:
        if path.stat().st_size == len(data):
            os.utime(path)  # keeps a blob that is being referenced again out of an orphan sweep
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)
    return key


def stored_fields(data: bytes, info: Any) -> dict[str, Any]:
    """Store the blob (step 2) and return the fields of a `common.models.StoredFile` row (step 3) for an
    upload already checked by `uploads.inspect_upload` (step 1), whose result is `info`."""
    return {
        "storage_key": store(data),
        "original_name": info.original_name,
        "kind": info.kind,
        "mime": info.mime,
        "size": info.size,
        "sha256": info.sha256,
    }


def open_blob(key: str) -> BinaryIO:
    """Open the blob for reading; FileNotFoundError when it is missing."""
    return path_for(key).open("rb")


def exists(key: str) -> bool:
    return path_for(key).is_file()


def delete(key: str) -> bool:
    """Remove the blob; True if there was one. Only for blobs no row references."""
    try:
        path_for(key).unlink()
    except FileNotFoundError:
        return False
    return True


def orphans(referenced_keys: Iterable[str], *, older_than: dt.datetime | None = None) -> list[str]:
    """Keys of stored blobs not in `referenced_keys` (and last written before `older_than`), sorted."""
    referenced = set(referenced_keys)
    cutoff = older_than.timestamp() if older_than is not None else None
    found = []
    for key, path in _walk():
        if key in referenced:
            continue
        if cutoff is not None and path.stat().st_mtime >= cutoff:
            continue
        found.append(key)
    return sorted(found)


def download_response(*, key: str, filename: str, mime: str) -> FileResponse:
    """An attachment download of the blob; the caller has checked the permission."""
    response = FileResponse(open_blob(key), as_attachment=True, filename=filename, content_type=mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _walk() -> Iterator[tuple[str, Path]]:
    base = root()
    if not base.is_dir():
        return
    for first in os.scandir(base):
        if not (first.is_dir(follow_symlinks=False) and _HEX2.fullmatch(first.name)):
            continue
        for second in os.scandir(first.path):
            if not (second.is_dir(follow_symlinks=False) and _HEX2.fullmatch(second.name)):
                continue
            for blob in os.scandir(second.path):
                key = f"{first.name}/{second.name}/{blob.name}"
                if blob.is_file(follow_symlinks=False) and KEY_PATTERN.fullmatch(key):
                    yield key, Path(blob.path)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
