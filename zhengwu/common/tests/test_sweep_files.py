"""`zhengwu sweep_files` removes blobs no row references and interrupted writes, and nothing else."""

from __future__ import annotations

import os
import time
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhengwu.cases import services
from zhengwu.cases.tests.factories import make_case, make_county
from zhengwu.common import clock, filestore

pytestmark = pytest.mark.django_db
HOUR_AGO = time.time() - 3600 * 2


def _age(path) -> None:
    os.utime(path, (HOUR_AGO, HOUR_AGO))


def _sweep(*args: str) -> str:
    out = StringIO()
    call_command("sweep_files", *args, stdout=out)
    return out.getvalue()


def test_an_old_blob_no_row_references_is_removed():
    key = filestore.store(b"orphan left by a crash between rename and commit")
    _age(filestore.path_for(key))
    assert "孤立文件 1 个" in _sweep()
    assert not filestore.exists(key)


def test_a_blob_a_material_file_references_is_kept_however_old():
    county = make_county()
    case = make_case(county)
    material = case.materials.first()
    file = services.case_file_add(
        case=case,
        material=material,
        name="申请书.pdf",
        data=b"%PDF-1.4\n%%EOF\n",
        actor=county.clerk,
        now=clock.now(),
    )
    _age(filestore.path_for(file.storage_key))
    _sweep("--older-than-minutes", "0")
    assert filestore.exists(file.storage_key)


def test_a_recent_orphan_is_spared_as_an_upload_still_in_flight():
    key = filestore.store(b"blob of an upload whose transaction has not committed yet")
    _sweep()
    assert filestore.exists(key)


def test_an_old_temporary_file_of_an_interrupted_write_is_removed():
    folder = filestore.root() / "ab" / "cd"
    folder.mkdir(parents=True)
    temporary = folder / ".tmp-interrupted"
    temporary.write_bytes(b"half a blob")
    _age(temporary)
    assert "临时文件 1 个" in _sweep()
    assert not temporary.exists()


def test_dry_run_lists_the_orphans_but_removes_nothing():
    key = filestore.store(b"orphan to list")
    _age(filestore.path_for(key))
    assert key in _sweep("--dry-run")
    assert filestore.exists(key)


def test_a_negative_age_is_refused():
    with pytest.raises(CommandError):
        _sweep("--older-than-minutes", "-1")
