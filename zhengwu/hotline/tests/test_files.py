"""Ticket attachments: real type checking, the 10-file limit, scoped downloads, the forms and the API."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.hotline import services
from zhengwu.hotline.models import Ticket, TicketEvent, TicketFile
from zhengwu.hotline.tests.factories import at, dispatched, make_ticket

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)
NOW = at("2026-09-30 16:00")


def private_files() -> list[Path]:
    root = Path(settings.ZHENGWU_PRIVATE_FILES)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _letter(hotline, **overrides):
    return {
        "region": hotline.region.pk,
        "category": "complaint",
        "title": "路灯不亮",
        "content": "幸福路路灯坏了一个月。",
        "caller_name": "李四光",
        "caller_phone": "13900001111",
    } | overrides


def test_the_unit_adds_a_photo_which_is_stored_and_journalled(hotline):
    ticket = dispatched(hotline, confidential=True)
    file = services.ticket_file_add(
        ticket=ticket, name="整改照片.png", data=PNG, actor=hotline.water_staff, now=NOW
    )
    assert (file.kind, file.mime, file.size, file.uploaded_by) == (
        "png",
        "image/png",
        len(PNG),
        hotline.water_staff,
    )
    assert len(private_files()) == 1
    event = TicketEvent.objects.filter(ticket=ticket, action="upload").get()
    assert event.get_action_display() == "上传附件" and event.comment == "整改照片.png"


def test_an_exe_renamed_pdf_is_refused_in_chinese_and_nothing_is_stored(hotline):
    ticket = dispatched(hotline)
    with pytest.raises(DomainError) as refused:
        services.ticket_file_add(ticket=ticket, name="现场照片.pdf", data=EXE, actor=hotline.agent, now=NOW)
    assert refused.value.code == "upload_refused"
    assert "实际类型为 exe" in refused.value.fields["file"][0]
    assert not TicketFile.objects.exists() and private_files() == []
    assert not TicketEvent.objects.filter(action="upload").exists()


def test_another_department_may_not_add_files(hotline):
    ticket = dispatched(hotline)
    with pytest.raises(PermissionDenied):
        services.ticket_file_add(ticket=ticket, name="a.pdf", data=PDF, actor=hotline.market_staff, now=NOW)
    assert private_files() == []


def test_a_ticket_takes_at_most_ten_files(hotline):
    ticket = dispatched(hotline)
    for n in range(services.MAX_FILES_PER_TICKET):
        services.ticket_file_add(
            ticket=ticket, name=f"{n}.pdf", data=PDF + bytes([n]), actor=hotline.agent, now=NOW
        )
    with pytest.raises(DomainError) as refused:
        services.ticket_file_add(ticket=ticket, name="11.pdf", data=PDF + b"x", actor=hotline.agent, now=NOW)
    assert refused.value.fields == {"file": ["每张工单最多上传 10 个附件。"]}
    assert ticket.files.count() == 10 and len(private_files()) == 10


def test_the_dispatched_department_downloads_another_department_gets_404(client, hotline):
    ticket = dispatched(hotline, confidential=True)
    file = services.ticket_file_add(ticket=ticket, name="现场.pdf", data=PDF, actor=hotline.agent, now=NOW)
    url = f"/workbench/hotline/{ticket.number}/files/{file.pk}/"
    client.force_login(hotline.water_staff)
    detail = client.get(f"/workbench/hotline/{ticket.number}/").content.decode()
    assert "现场.pdf" in detail and url in detail
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"] and "attachment" in response["Content-Disposition"]
    client.force_login(hotline.market_staff)
    assert client.get(url).status_code == 404


def test_the_unit_uploads_several_photos_from_the_detail_page_all_or_none(client, hotline):
    ticket = dispatched(hotline)
    client.force_login(hotline.water_staff)
    url = f"/workbench/hotline/{ticket.number}/files/"
    bad = client.post(url, {"files": [SimpleUploadedFile("1.png", PNG), SimpleUploadedFile("2.pdf", EXE)]})
    assert bad.status_code == 400
    assert "附件未通过检查" in bad.content.decode() and "2.pdf" in bad.content.decode()
    assert not ticket.files.exists() and private_files() == []
    good = client.post(url, {"files": [SimpleUploadedFile("1.png", PNG), SimpleUploadedFile("2.pdf", PDF)]})
    assert good.status_code == 302
    assert sorted(ticket.files.values_list("original_name", flat=True)) == ["1.png", "2.pdf"]


def test_the_agent_console_registers_a_call_with_its_files_or_nothing(client, hotline):
    client.force_login(hotline.agent)
    form = {
        "region": hotline.region.pk,
        "category": "complaint",
        "title": "停水",
        "content": "停水三天",
        "caller_phone": "13812345678",
    }
    refused = client.post("/workbench/hotline/", form | {"files": [SimpleUploadedFile("a.pdf", EXE)]})
    assert refused.status_code == 400 and "工单未受理" in refused.content.decode()
    assert not Ticket.objects.exists() and private_files() == []
    created = client.post("/workbench/hotline/", form | {"files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert created.status_code == 302
    ticket = Ticket.objects.get()
    assert list(ticket.files.values_list("original_name", "uploaded_by")) == [("a.pdf", hotline.agent.pk)]


@pytest.mark.usefixtures("reference_data")
def test_the_mailbox_form_creates_the_letter_and_its_file_together(client, hotline):
    response = client.post(
        "/hotline/mailbox/write/", _letter(hotline, files=[SimpleUploadedFile("路灯.png", PNG)])
    )
    assert response.status_code == 200, response.content.decode()
    ticket = Ticket.objects.get()
    assert ticket.channel == "mailbox"
    file = ticket.files.get()
    assert (file.original_name, file.kind, file.uploaded_by) == ("路灯.png", "png", None)
    assert len(private_files()) == 1


@pytest.mark.usefixtures("reference_data")
def test_the_mailbox_form_lists_a_refused_file_and_writes_nothing(client, hotline):
    response = client.post(
        "/hotline/mailbox/write/",
        _letter(hotline, files=[SimpleUploadedFile("ok.pdf", PDF), SimpleUploadedFile("照片.pdf", EXE)]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "附件：文件“照片.pdf”的实际类型为 exe" in page
    assert not Ticket.objects.exists() and private_files() == []


def test_the_api_uploads_a_file_and_lists_it_on_the_ticket(api_client, hotline):
    ticket = dispatched(hotline)
    api_client.force_authenticate(hotline.water_staff)
    url = f"/api/v1/tickets/{ticket.number}/files/"
    refused = api_client.post(url, {"file": SimpleUploadedFile("照片.pdf", EXE)}, format="multipart")
    assert refused.status_code == 400
    assert "实际类型为 exe" in refused.json()["fields"]["file"][0]
    created = api_client.post(url, {"file": SimpleUploadedFile("照片.png", PNG)}, format="multipart")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["name"], body["size"], body["kind"]) == ("照片.png", len(PNG), "png")
    files = api_client.get(f"/api/v1/tickets/{ticket.number}/").json()["files"]
    assert [f["id"] for f in files] == [body["id"]]
    assert files[0]["download_url"].endswith(f"/api/v1/tickets/{ticket.number}/files/{body['id']}/")
    download = api_client.get(files[0]["download_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    api_client.force_authenticate(hotline.market_staff)
    assert api_client.get(files[0]["download_url"]).status_code == 404
    assert (
        api_client.post(url, {"file": SimpleUploadedFile("x.png", PNG)}, format="multipart").status_code
        == 404
    )


def test_a_received_ticket_takes_no_anonymous_files_once_dispatched(hotline):
    ticket = make_ticket(hotline)
    services.ticket_file_add(ticket=ticket, name="a.pdf", data=PDF, actor=None, now=NOW)
    ticket = services.ticket_dispatch(ticket=ticket, actor=hotline.agent, now=NOW, department=hotline.water)
    with pytest.raises(PermissionDenied):
        services.ticket_file_add(ticket=ticket, name="b.pdf", data=PDF + b"b", actor=None, now=NOW)
