"""Test row 17: an upload abuse corpus through the real endpoints.

Every file of the corpus is sent to the case material upload (`POST /api/v1/cases/{n}/materials/{m}/
files/`) and to the 12345 attachment upload (`POST /api/v1/tickets/{n}/files/`): each must be refused
with 400, `code = upload_refused` and a Chinese reason, and leave no file in the private store, no
file row and no journal entry. Both endpoints go through the one shared check, `common.uploads`.
A good file is accepted and downloads as an attachment with `nosniff` and its own type; the eleventh
file of one material or ticket is refused.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwu.cases.models import CaseEvent, MaterialFile
from zhengwu.cases.tests.factories import at, make_case, make_county
from zhengwu.common import clock
from zhengwu.common.tests.clients import KeyedAPIClient
from zhengwu.common.uploads import MAX_FILES_PER_OBJECT
from zhengwu.hotline.models import TicketFile
from zhengwu.hotline.tests.factories import dispatched, make_hotline

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run"
)


def _zip(entries: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zip_bomb_docx() -> bytes:
    """A docx whose entries expand to 101 MB (each 101 MB of zeros compresses to ~100 KB)."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": b"<w:document/>",
            "word/media/filler.bin": b"\x00" * (101 * 1024 * 1024),
        }
    )


def _polyglot() -> bytes:
    """A valid PDF head with a ZIP archive appended: PDF readers and unzip both accept it."""
    return PDF + _zip({"payload.html": b"<script>alert(1)</script>"})


CORPUS: list[tuple[str, str, bytes | None]] = [
    ("exe renamed pdf", "营业执照.pdf", EXE),
    ("html with script", "说明.pdf", b"<html><body><script>alert(1)</script></body></html>"),
    (
        "svg with script",
        "照片.png",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    ("svg extension", "照片.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
    ("pdf zip polyglot", "申请书.pdf", None),
    ("zip bomb docx", "申请表.docx", None),
    ("plain zip named docx", "申请表.docx", _zip({"a.txt": b"hello"})),
    ("path traversal name", "../../etc/passwd", PDF),
    ("300 char name", "长" * 296 + ".pdf", PDF),
    ("no extension", "申请书", PDF),
    ("empty file", "空.pdf", b""),
]


# Names Django's multipart parser already neutralises (it keeps the last path component and drops
# non-printable characters) before any view sees them; `inspect_upload` refuses them when a service is
# called with them directly (NAME_CASES below).
NEUTRALISED: list[tuple[str, str, str]] = [
    ("path traversal pdf", "../../etc/passwd.pdf", "passwd.pdf"),
    ("backslash path", "..\\..\\boot.ini.pdf", "boot.ini.pdf"),
    ("nul in name", "申请书\x00.pdf", "申请书.pdf"),
]
NAME_CASES = [
    ("../../etc/passwd.pdf", "路径分隔符"),
    ("..\\..\\boot.ini.pdf", "路径分隔符"),
    ("申请书\x00.pdf", "控制字符"),
    ("长" * 296 + ".pdf", "超过 200 个字符"),
]


def _data(label: str, data: bytes | None) -> bytes:
    if data is not None:
        return data
    return _polyglot() if label == "pdf zip polyglot" else _zip_bomb_docx()


def private_files() -> list[Path]:
    root = Path(settings.ZHENGWU_PRIVATE_FILES)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture
def case_target():
    with clock.frozen(at("2026-06-01")):
        county = make_county()
        case = make_case(county)
    api = KeyedAPIClient()
    api.force_authenticate(county.clerk)
    material = case.materials.first()
    return api, f"/api/v1/cases/{case.number}/materials/{material.pk}/files/", case


@pytest.fixture
def ticket_target():
    hotline = make_hotline(code="430921000000", name="南县")
    ticket = dispatched(hotline)
    api = KeyedAPIClient()
    api.force_authenticate(hotline.water_staff)
    return api, f"/api/v1/tickets/{ticket.number}/files/", ticket


def _assert_refused(response) -> None:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] in {"upload_refused", "invalid"}
    reason = (
        " ".join(message for messages in body["fields"].values() for message in messages) or body["message"]
    )
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason  # a Chinese reason


@pytest.mark.parametrize(("label", "name", "data"), CORPUS, ids=[row[0] for row in CORPUS])
def test_the_case_material_upload_refuses_the_corpus_and_stores_nothing(case_target, label, name, data):
    api, url, case = case_target
    with clock.frozen(at("2026-06-01")):
        response = api.post(url, {"file": SimpleUploadedFile(name, _data(label, data))}, format="multipart")
    _assert_refused(response)
    assert not MaterialFile.objects.exists()
    assert not CaseEvent.objects.filter(case=case, action="upload").exists()
    assert private_files() == []


@pytest.mark.parametrize(("label", "name", "data"), CORPUS, ids=[row[0] for row in CORPUS])
def test_the_12345_attachment_upload_refuses_the_corpus_and_stores_nothing(ticket_target, label, name, data):
    api, url, _ticket = ticket_target
    response = api.post(url, {"file": SimpleUploadedFile(name, _data(label, data))}, format="multipart")
    _assert_refused(response)
    assert not TicketFile.objects.exists()
    assert private_files() == []


def test_a_file_over_the_size_limit_is_refused_on_both_endpoints(case_target, ticket_target, settings):
    settings.ZHENGWU_UPLOAD_MAX_BYTES = 1024
    big = PDF + b"0" * 2048
    for api, url, _ in (case_target, ticket_target):
        with clock.frozen(at("2026-06-01")):
            response = api.post(url, {"file": SimpleUploadedFile("大文件.pdf", big)}, format="multipart")
        _assert_refused(response)
    assert private_files() == []


def test_the_eleventh_file_of_a_material_is_refused(case_target):
    api, url, _case = case_target
    with clock.frozen(at("2026-06-01")):
        codes = [
            api.post(
                url, {"file": SimpleUploadedFile(f"{n}.pdf", PDF + bytes([n]))}, format="multipart"
            ).status_code
            for n in range(MAX_FILES_PER_OBJECT + 1)
        ]
    assert codes == [201] * MAX_FILES_PER_OBJECT + [400]
    assert MaterialFile.objects.count() == MAX_FILES_PER_OBJECT


def test_the_eleventh_file_of_a_ticket_is_refused(ticket_target):
    api, url, _ticket = ticket_target
    codes = [
        api.post(
            url, {"file": SimpleUploadedFile(f"{n}.png", PNG + bytes([n]))}, format="multipart"
        ).status_code
        for n in range(MAX_FILES_PER_OBJECT + 1)
    ]
    assert codes == [201] * MAX_FILES_PER_OBJECT + [400]
    assert TicketFile.objects.count() == MAX_FILES_PER_OBJECT


def test_an_accepted_file_downloads_as_an_attachment_with_nosniff_and_its_type(case_target):
    api, url, case = case_target
    with clock.frozen(at("2026-06-01")):
        created = api.post(url, {"file": SimpleUploadedFile("照片.png", PNG)}, format="multipart")
        download = api.get(f"/api/v1/cases/{case.number}/files/{created.json()['id']}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("label", "sent", "kept"), NEUTRALISED, ids=[row[0] for row in NEUTRALISED])
def test_path_parts_and_nul_never_reach_the_store_through_http(case_target, label, sent, kept):
    api, url, _case = case_target
    with clock.frozen(at("2026-06-01")):
        response = api.post(url, {"file": SimpleUploadedFile(sent, PDF)}, format="multipart")
    assert response.status_code == 201
    row = MaterialFile.objects.get()
    assert row.original_name == kept
    assert [path.relative_to(settings.ZHENGWU_PRIVATE_FILES).as_posix() for path in private_files()] == [
        row.storage_key
    ]


@pytest.mark.parametrize(("name", "rule"), NAME_CASES)
def test_a_service_called_with_a_hostile_name_refuses_it_in_chinese(name, rule):
    from zhengwu.common.errors import DomainError
    from zhengwu.common.uploads import inspect_upload

    with pytest.raises(DomainError) as refused:
        inspect_upload(name=name, data=PDF)
    assert refused.value.code == "upload_refused" and rule in refused.value.message
