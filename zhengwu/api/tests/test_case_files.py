"""Material files through the API: checked upload, permission-checked download, abuse refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwu.cases import services
from zhengwu.cases.models import CaseEvent, MaterialFile
from zhengwu.cases.tests.factories import at, make_case, make_citizen
from zhengwu.catalog.tests.factories import make_item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)


def upload_url(case, material) -> str:
    return f"/api/v1/cases/{case.number}/materials/{material.pk}/files/"


def upload(api, case, material, name: str, data: bytes, **extra):
    return api.post(
        upload_url(case, material), {"file": SimpleUploadedFile(name, data), **extra}, format="multipart"
    )


def private_files() -> list[Path]:
    root = Path(settings.ZHENGWU_PRIVATE_FILES)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_a_clerk_uploads_a_pdf_and_downloads_it_as_an_attachment(heshan, as_user):
    case = make_case(heshan)
    material = case.materials.first()
    api = as_user(heshan.clerk)
    response = upload(api, case, material, "申请书.pdf", PDF)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["original_name"], body["kind"], body["mime"], body["size"]) == (
        "申请书.pdf",
        "pdf",
        "application/pdf",
        len(PDF),
    )
    assert len(private_files()) == 1
    detail = api.get(f"/api/v1/cases/{case.number}/").json()
    assert detail["materials"][0]["files"][0]["id"] == body["id"]
    download = api.get(f"/api/v1/cases/{case.number}/files/{body['id']}/", HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert CaseEvent.objects.filter(case=case, action="upload").count() == 1


def test_an_exe_renamed_pdf_is_refused_in_chinese_and_nothing_is_stored(heshan, as_user):
    case = make_case(heshan)
    response = upload(as_user(heshan.clerk), case, case.materials.first(), "营业执照.pdf", EXE)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "upload_refused"
    assert body["message"] == "文件“营业执照.pdf”的实际类型为 exe，与扩展名 pdf 不符，不予接收。"
    assert body["fields"] == {"file": [body["message"]]}
    assert not MaterialFile.objects.exists()
    assert private_files() == []
    assert not CaseEvent.objects.filter(case=case, action="upload").exists()


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("scan.pdf", b"<html><script>alert(1)</script></html>", "含有网页或脚本内容"),
        ("photo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "不在允许范围内"),
        ("申请书.pdf.exe", EXE, "扩展名 exe 不在允许范围内"),
        ("empty.pdf", b"", "空文件"),
    ],
)
def test_other_abusive_uploads_are_refused_with_the_rule_named(heshan, as_user, name, data, fragment):
    case = make_case(heshan)
    response = upload(as_user(heshan.clerk), case, case.materials.first(), name, data)
    assert response.status_code == 400
    assert fragment in response.json()["message"], response.json()
    assert not MaterialFile.objects.exists() and private_files() == []


def test_a_path_in_the_file_name_never_reaches_the_disk(heshan, as_user):
    case = make_case(heshan)
    response = upload(as_user(heshan.clerk), case, case.materials.first(), "../../etc/passwd.pdf", PDF)
    assert response.status_code == 201
    assert response.json()["original_name"] == "passwd.pdf"  # the parser keeps the base name only
    [blob] = private_files()
    assert blob.name == MaterialFile.objects.get().sha256  # stored under its checksum, never its name


def test_an_upload_bigger_than_the_limit_is_refused_before_it_is_read(heshan, as_user, settings):
    settings.ZHENGWU_UPLOAD_MAX_BYTES = 1024
    case = make_case(heshan)
    response = upload(as_user(heshan.clerk), case, case.materials.first(), "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400 and response.json()["code"] == "upload_refused"
    assert private_files() == []


def test_an_upload_without_a_file_or_with_extra_fields_is_a_400(heshan, as_user):
    case = make_case(heshan)
    material = case.materials.first()
    api = as_user(heshan.clerk)
    missing = api.post(upload_url(case, material), {}, format="multipart")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["file"]
    extra = upload(api, case, material, "a.pdf", PDF, uploaded_by="1")
    assert extra.status_code == 400 and list(extra.json()["fields"]) == ["uploaded_by"]
    assert not MaterialFile.objects.exists()


def test_a_material_of_another_case_is_a_404(heshan, as_user):
    case = make_case(heshan)
    other = make_case(heshan)
    response = upload(as_user(heshan.clerk), case, other.materials.first(), "a.pdf", PDF)
    assert response.status_code == 404
    assert not MaterialFile.objects.exists()


def test_another_countys_clerk_can_neither_upload_nor_download(heshan, nanxian, as_user):
    case = make_case(heshan)
    material = case.materials.first()
    stored = upload(as_user(heshan.clerk), case, material, "申请书.pdf", PDF).json()
    outsider = as_user(nanxian.clerk)
    assert upload(outsider, case, material, "x.pdf", PDF).status_code == 404
    download = outsider.get(f"/api/v1/cases/{case.number}/files/{stored['id']}/")
    assert download.status_code == 404
    assert download.json()["code"] == "not_found"
    # The file id alone opens nothing either: it must belong to the case in the address.
    mine = make_case(nanxian)
    assert outsider.get(f"/api/v1/cases/{mine.number}/files/{stored['id']}/").status_code == 404
    assert MaterialFile.objects.count() == 1


def test_a_citizen_uploads_to_their_own_application_only(heshan, as_user):
    citizen = make_citizen()
    own = services.case_create(
        item=make_item(department=heshan.department),
        applicant=citizen.applicant,
        channel="online",
        now=at("2026-06-01"),
        actor=citizen,
        draft=True,
    )
    other = make_case(heshan)
    api = as_user(citizen)
    assert upload(api, own, own.materials.first(), "申请书.pdf", PDF).status_code == 201
    assert upload(api, other, other.materials.first(), "申请书.pdf", PDF).status_code == 404
    assert MaterialFile.objects.count() == 1
