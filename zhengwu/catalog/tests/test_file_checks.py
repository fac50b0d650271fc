"""Catalogue files (blank forms, sample forms, result samples) pass the same content check as case uploads."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory

from zhengwu.catalog.models import ItemVersion, Material
from zhengwu.catalog.tests.factories import make_item

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run"
)

MaterialFiles = modelform_factory(Material, fields=["template_file", "sample_file"])
ResultSample = modelform_factory(ItemVersion, fields=["result_sample"])


@pytest.fixture
def material(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return Material.objects.filter(version__item=make_item(publish=False)).first()


def test_an_executable_named_pdf_is_refused_as_a_blank_form_with_a_chinese_message(material):
    form = MaterialFiles(instance=material, files={"template_file": SimpleUploadedFile("申请表.pdf", EXE)})

    assert not form.is_valid()
    assert "申请表.pdf" in form.errors["template_file"][0]
    assert "不予接收" in form.errors["template_file"][0]


def test_a_script_page_is_refused_as_a_sample_form(material):
    page = b"<html><body><script>alert(1)</script></body></html>"
    form = MaterialFiles(instance=material, files={"sample_file": SimpleUploadedFile("示例.pdf", page)})

    assert not form.is_valid()
    assert "sample_file" in form.errors


def test_a_real_pdf_is_accepted_as_a_blank_form_and_stored(material):
    form = MaterialFiles(instance=material, files={"template_file": SimpleUploadedFile("申请表.pdf", PDF)})

    assert form.is_valid(), form.errors
    form.save()
    material.refresh_from_db()
    assert material.template_file.read() == PDF


def test_an_executable_is_refused_as_a_result_sample(material):
    form = ResultSample(
        instance=material.version, files={"result_sample": SimpleUploadedFile("许可证.pdf", EXE)}
    )

    assert not form.is_valid()
    assert "result_sample" in form.errors


def test_a_file_already_in_storage_is_not_checked_again(material):
    material.template_file.save("旧表.pdf", ContentFile(PDF), save=True)
    material.template_file.storage.delete(material.template_file.name)  # e.g. moved by an operator

    material.full_clean(exclude=["version"])

    with pytest.raises(ValidationError):
        material.template_file = SimpleUploadedFile("新表.pdf", EXE)
        material.full_clean(exclude=["version"])
