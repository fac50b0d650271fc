"""Private content-addressed storage: atomic writes, generated names, strict keys, safe downloads."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from pathlib import Path

import pytest

from zhengwu.common import filestore
from zhengwu.common.errors import DomainError
from zhengwu.common.uploads import inspect_upload

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def root(settings) -> Path:
    return Path(settings.ZHENGWU_PRIVATE_FILES)


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def test_store_writes_the_blob_under_its_sha256_and_returns_the_relative_key(root):
    sha = hashlib.sha256(PDF).hexdigest()
    key = filestore.store(PDF)
    assert key == f"{sha[:2]}/{sha[2:4]}/{sha}"
    assert (root / key).read_bytes() == PDF


def test_storing_the_same_content_twice_keeps_one_blob(root):
    assert filestore.store(PDF) == filestore.store(PDF)
    assert len(files_under(root)) == 1


def test_store_leaves_no_temporary_file_behind(root):
    key = filestore.store(PDF)
    assert files_under(root) == [root / key]


def test_a_failed_write_leaves_neither_a_blob_nor_a_temporary_file(root, monkeypatch):
    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(filestore.os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        filestore.store(PDF)
    assert files_under(root) == []


def test_a_truncated_blob_is_rewritten_by_the_next_store(root):
    key = filestore.store(PDF)
    (root / key).write_bytes(PDF[:10])
    filestore.store(PDF)
    assert (root / key).read_bytes() == PDF


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_blobs_are_readable_by_the_owner_only(root):
    key = filestore.store(PDF)
    assert stat.S_IMODE((root / key).stat().st_mode) == 0o600


def test_a_refused_upload_never_reaches_the_store(root):
    exe = b"MZ\x90\x00" + bytes(64)
    with pytest.raises(DomainError):
        inspect_upload(name="a.pdf", data=exe)
        filestore.store(exe)
    assert files_under(root) == []


def test_open_blob_and_exists_find_a_stored_blob():
    key = filestore.store(PDF)
    with filestore.open_blob(key) as blob:
        assert blob.read() == PDF
    assert filestore.exists(key)


def test_a_well_formed_key_with_no_blob_does_not_exist():
    assert not filestore.exists(filestore.key_for(b"never stored"))


@pytest.mark.parametrize(
    "key",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "",
        "ab/cd/" + "ab" + "cd" + "0" * 59,
        "ab/cd/" + "abcd" + "0" * 60 + "\n",
        "AB/CD/" + "ABCD" + "0" * 60,
        "ab/ce/" + "abcd" + "0" * 60,
        "ab\\cd\\" + "abcd" + "0" * 60,
        "ab/cd/../../" + "abcd" + "0" * 54,
        "./ab/cd/" + "abcd" + "0" * 60,
        "abcd" + "0" * 60,
    ],
)
def test_path_for_refuses_anything_but_the_exact_hex_layout(key):
    with pytest.raises(ValueError, match="invalid storage key"):
        filestore.path_for(key)


def test_every_public_function_refuses_a_path_trick():
    for call in (filestore.open_blob, filestore.exists, filestore.delete):
        with pytest.raises(ValueError):
            call("../../etc/passwd")


def test_delete_removes_the_blob_and_reports_whether_there_was_one():
    key = filestore.store(PDF)
    assert filestore.delete(key) is True
    assert not filestore.exists(key)
    assert filestore.delete(key) is False


def test_orphans_lists_the_stored_keys_no_row_references():
    kept, orphan = filestore.store(PDF), filestore.store(b"other content")
    assert filestore.orphans([kept]) == [orphan]


def test_orphans_ignores_files_that_are_not_blobs(root):
    filestore.store(PDF)
    (root / "ab").mkdir(exist_ok=True)
    (root / "ab" / "notes.txt").write_text("x")
    (root / "README").write_text("x")
    assert filestore.orphans([filestore.key_for(PDF)]) == []


def test_orphans_spares_blobs_written_after_the_cutoff(root):
    old, new = filestore.store(PDF), filestore.store(b"fresh upload")
    cutoff = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    os.utime(root / old, (cutoff.timestamp() - 3600,) * 2)
    os.utime(root / new, (cutoff.timestamp() + 3600,) * 2)
    assert filestore.orphans([], older_than=cutoff) == [old]


def test_storing_an_existing_blob_again_protects_it_from_the_orphan_sweep(root):
    key = filestore.store(PDF)
    cutoff = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    os.utime(root / key, (cutoff.timestamp() - 3600,) * 2)
    filestore.store(PDF)
    assert filestore.orphans([], older_than=cutoff) == []


def test_orphans_of_an_empty_store_is_empty():
    assert filestore.orphans([]) == []


def test_download_is_an_attachment_with_the_chinese_name_the_type_and_nosniff():
    key = filestore.store(PDF)
    response = filestore.download_response(key=key, filename="申请表 (1).pdf", mime="application/pdf")
    try:
        assert response["Content-Type"] == "application/pdf"
        assert (
            response["Content-Disposition"]
            == "attachment; filename*=utf-8''%E7%94%B3%E8%AF%B7%E8%A1%A8%20%281%29.pdf"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert b"".join(response.streaming_content) == PDF
    finally:
        response.file_to_stream.close()  # response.close() would fire request_finished and touch the DB


def test_a_download_name_with_quotes_cannot_break_the_header():
    key = filestore.store(PDF)
    response = filestore.download_response(
        key=key, filename='a"; filename="evil.html', mime="application/pdf"
    )
    response.file_to_stream.close()
    assert response["Content-Disposition"] == 'attachment; filename="a\\"; filename=\\"evil.html"'


def test_a_download_of_a_missing_blob_raises_file_not_found():
    with pytest.raises(FileNotFoundError):
        filestore.download_response(key=filestore.key_for(b"gone"), filename="a.pdf", mime="application/pdf")


def test_the_default_private_folder_is_outside_every_served_folder():
    from zhengwu.config import settings as config

    private = config.ZHENGWU_PRIVATE_FILES
    assert private.is_absolute()
    for served in (config.STATIC_ROOT, config.MEDIA_ROOT, config.PACKAGE_DIR / "static"):
        assert not private.is_relative_to(served)
        assert not Path(served).is_relative_to(private)
