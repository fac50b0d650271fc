"""The citizen side of cases: accounts, applying online, my cases, supplements, progress, verification."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengwu.cases import services
from zhengwu.cases.models import Case, Certificate, MaterialFile
from zhengwu.cases.tests.factories import at, make_citizen, make_county, receive_all
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.organization.models import User
from zhengwu.organization.selectors import citizen_get_by_phone
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run"
)
PASSWORD = "Zw!citizen-2026"
NOW = at("2026-06-01")


@pytest.fixture(autouse=True)
def _fresh_cache_and_frozen_time():
    """Calendars outlive a rolled-back test in the memory cache; views read the time through clock."""
    cache.clear()
    with clock.frozen(NOW):
        yield
    cache.clear()


@pytest.fixture
def county():
    return make_county()


@pytest.fixture
def item(county):
    return make_item(department=county.department, name="食品经营许可")


@pytest.fixture
def citizen():
    return make_citizen()


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def pdf(name: str = "申请书.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def apply_online(client, item, *, action: str = "submit", files: dict | None = None, **fields):
    data = {
        "description": "在赫山区开办便利店，经营预包装食品。",
        "address": "赫山区龙岭路 8 号",
        "contact_phone": "13912345678",
        "action": action,
        **fields,
    }
    for material_id, upload in (files or {}).items():
        data[f"file_{material_id}"] = upload
    return client.post(reverse("portal:apply", args=[item.implementation_code]), data)


def material(item, name: str):
    return item.current_version.materials.get(name=name)


def submitted_case(client, item) -> Case:
    response = apply_online(client, item, files={material(item, "申请书").pk: pdf()})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Case.objects.get()


def private_blobs() -> list[Path]:
    root = Path(settings.ZHENGWU_PRIVATE_FILES)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# -- accounts ----------------------------------------------------------------------------------------


def test_a_citizen_registers_with_phone_password_name_and_id_and_is_signed_in(client):
    response = client.post(
        reverse("portal:register"),
        {
            "phone": "13700001111",
            "name": "王五",
            "id_number": "430903199001011254",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302 and response.url == reverse("portal:my_cases")
    user = citizen_get_by_phone(phone="13700001111")
    assert user.applicant.name == "王五"
    page = client.get(reverse("portal:my_cases")).content.decode()
    assert "我的办件" in page and "注册成功" in page


def test_registration_errors_are_chinese_and_name_the_field(client):
    page = client.post(
        reverse("portal:register"),
        {
            "phone": "12345",
            "name": "王五",
            "id_number": "430903199001011230",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    ).content.decode()
    assert "手机号码：应为 11 位大陆手机号码。" in page
    assert not User.objects.filter(applicant__isnull=False).exists()

    page = client.post(
        reverse("portal:register"),
        {
            "phone": "13700001111",
            "name": "王五",
            "id_number": "430903199001011230",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    ).content.decode()
    assert "居民身份证号码：" in page and "校验" in page

    page = client.post(
        reverse("portal:register"),
        {
            "phone": "13700001111",
            "name": "王五",
            "id_number": "430903199001011254",
            "password": PASSWORD,
            "password_again": "something-else",
        },
    ).content.decode()
    assert "确认密码：两次输入的密码不一致。" in page

    page = client.post(
        reverse("portal:register"),
        {
            "phone": "13700001111",
            "name": "王五",
            "id_number": "430903199001011254",
            "password": "12345678",
            "password_again": "12345678",
        },
    ).content.decode()
    assert "密码：" in page
    assert citizen_get_by_phone(phone="13700001111") is None


def test_a_phone_number_registers_once(client, citizen):
    page = client.post(
        reverse("portal:register"),
        {
            "phone": citizen.phone,
            "name": "赵六",
            "id_number": "11010519491231002X",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    ).content.decode()
    assert "手机号码：该手机号码已注册。" in page


def test_a_citizen_logs_in_with_phone_and_password_and_a_wrong_one_is_told_in_chinese(client, citizen):
    page = client.post(
        reverse("portal:login"), {"username": citizen.phone, "password": "wrong"}
    ).content.decode()
    assert "手机号码或密码错误" in page
    response = client.post(reverse("portal:login"), {"username": citizen.phone, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("portal:my_cases")
    assert client.get(reverse("portal:my_cases")).status_code == 200
    response = client.post(reverse("portal:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:my_cases")).status_code == 302


def test_case_pages_send_anonymous_visitors_to_the_portal_login(client):
    response = client.get(reverse("portal:my_cases"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_a_staff_account_may_sign_in_here_but_the_case_pages_are_for_applicants(client, county, item):
    response = client.post(
        reverse("portal:login"), {"username": county.clerk.username, "password": "Zw!test-pass-2026"}
    )
    assert response.status_code == 302
    for url in (
        reverse("portal:my_cases"),
        reverse("portal:my_certificates"),
        reverse("portal:apply", args=[item.implementation_code]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert "仅限网上办事账号" in response.content.decode()


# -- applying online ---------------------------------------------------------------------------------


def test_the_guide_of_an_online_item_offers_apply_online_and_a_counter_only_item_does_not(client, county):
    online = make_item(department=county.department, elements={"online_depth": 3})
    counter = make_item(department=county.department, elements={"online_depth": 2})
    page = client.get(reverse("portal:item_detail", args=[online.implementation_code])).content.decode()
    assert "在线申办" in page and reverse("portal:apply", args=[online.implementation_code]) in page
    page = client.get(reverse("portal:item_detail", args=[counter.implementation_code])).content.decode()
    assert reverse("portal:apply", args=[counter.implementation_code]) not in page


def test_the_application_page_lists_every_material_with_an_upload_and_the_allowed_types(signed_in, item):
    page = signed_in.get(reverse("portal:apply", args=[item.implementation_code])).content.decode()
    for text in ("申请事项说明", "联系地址", "联系电话", "申请书", "营业执照", "保存草稿", "提交申请"):
        assert text in page
    assert "支持 PDF、JPG、PNG、OFD、DOCX、XLSX" in page
    assert 'enctype="multipart/form-data"' in page
    for m in item.current_version.materials.all():
        assert f'name="file_{m.pk}"' in page


def test_applying_online_with_an_upload_submits_the_case_and_stores_the_file(signed_in, item, citizen):
    case = submitted_case(signed_in, item)
    assert case.status == "submitted"
    assert case.channel == "online" and case.applicant_account == citizen
    assert case.applicant == citizen.applicant
    assert case.received_on == dt.date(2026, 6, 1)
    assert case.form_data["申请事项说明"].startswith("在赫山区开办便利店")
    assert case.contact_phone == "13912345678"
    file = MaterialFile.objects.get()
    assert file.case_material.name == "申请书" and file.kind == "pdf" and file.uploaded_by == citizen
    assert len(private_blobs()) == 1
    page = signed_in.get(reverse("portal:case_detail", args=[case.number]), follow=True).content.decode()
    assert case.number in page and case.query_code in page and "已申报" in page


def test_a_draft_is_saved_then_completed_and_submitted(signed_in, item):
    response = apply_online(signed_in, item, action="draft", description="", contact_phone="")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.status == "draft" and case.received_on is None
    page = signed_in.get(reverse("portal:case_detail", args=[case.number])).content.decode()
    assert "草稿" in page and "提交申请" in page and reverse("portal:case_draft", args=[case.number]) in page

    applicant_form = case.materials.get(name="申请书")
    url = reverse("portal:case_draft", args=[case.number])
    page = signed_in.post(url, {"action": "submit", "description": "", "contact_phone": ""}).content.decode()
    assert "申请事项说明：提交申请须填写申请事项说明。" in page
    case.refresh_from_db()
    assert case.status == "draft"

    response = signed_in.post(
        url,
        {
            "action": "draft",
            "description": "开办便利店",
            "contact_phone": "0737-4221234",
            f"file_{applicant_form.pk}": pdf(),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.form_data["申请事项说明"] == "开办便利店" and case.contact_phone == "0737-4221234"
    assert case.status == "draft" and MaterialFile.objects.count() == 1

    response = signed_in.post(
        url, {"action": "submit", "description": "开办便利店", "contact_phone": "0737-4221234"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted" and case.received_on == dt.date(2026, 6, 1)
    assert case.clocks.filter(kind="intake").exists()


def test_submitting_needs_a_description_and_a_phone_number(signed_in, item):
    page = apply_online(signed_in, item, description=" ", contact_phone="").content.decode()
    assert "申请事项说明：提交申请须填写申请事项说明。" in page
    assert "联系电话：提交申请须填写联系电话。" in page
    assert not Case.objects.exists()


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_stored(signed_in, item):
    response = apply_online(
        signed_in,
        item,
        files={
            material(item, "申请书").pk: pdf(),
            material(item, "营业执照").pk: SimpleUploadedFile("营业执照.pdf", EXE, "application/pdf"),
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "营业执照.pdf" in page and "与扩展名 pdf 不符，不予接收" in page
    assert "本次没有保存任何内容" in page
    assert not Case.objects.exists()
    assert not MaterialFile.objects.exists()
    assert private_blobs() == []


def test_an_item_without_online_application_cannot_be_applied_for_online(signed_in, county):
    counter = make_item(department=county.department, elements={"online_depth": 2})
    page = signed_in.get(reverse("portal:apply", args=[counter.implementation_code])).content.decode()
    assert "不支持网上申办" in page
    page = apply_online(signed_in, counter).content.decode()
    assert "不支持网上申办" in page
    assert not Case.objects.exists()


# -- my cases ----------------------------------------------------------------------------------------


def test_my_cases_shows_only_my_own_cases_in_a_fixed_number_of_queries(
    client, county, item, django_assert_max_num_queries
):
    mine, other = (
        make_citizen(),
        make_citizen(phone="13800000001", name="周七", id_number="11010519491231002X"),
    )
    for _ in range(2):
        services.case_create(
            item=item, applicant=mine.applicant, channel="online", now=NOW, actor=mine, draft=False
        )
    theirs = services.case_create(
        item=item, applicant=other.applicant, channel="online", now=NOW, actor=other, draft=False
    )
    client.force_login(mine)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("portal:my_cases")).content.decode()
    assert page.count("食品经营许可") == 2
    assert theirs.number not in page


def test_another_citizens_case_is_not_found(client, signed_in, item):
    case = submitted_case(signed_in, item)
    file = MaterialFile.objects.get()
    client.force_login(make_citizen(phone="13800000001", name="周七", id_number="11010519491231002X"))
    assert client.get(reverse("portal:case_detail", args=[case.number])).status_code == 404
    assert client.get(reverse("portal:case_file", args=[case.number, file.pk])).status_code == 404
    response = client.post(reverse("portal:case_withdraw", args=[case.number]), {"reason": "恶意撤回"})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "submitted"


def test_the_owner_downloads_an_uploaded_file(signed_in, item):
    case = submitted_case(signed_in, item)
    file = MaterialFile.objects.get()
    response = signed_in.get(reverse("portal:case_file", args=[case.number, file.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_the_timeline_shows_role_and_department_but_no_staff_name(signed_in, item, county):
    case = submitted_case(signed_in, item)
    receive_all(case, county, NOW)
    services.case_accept(case=case, actor=county.clerk, now=NOW)
    page = signed_in.get(reverse("portal:case_detail", args=[case.number])).content.decode()
    assert "受理" in page and "窗口受理员" in page and county.department.name in page
    assert county.clerk.full_name not in page
    assert "承诺办结日期" in page and "法定办结日期" in page
    assert "审查" in page  # the review step


# -- supplement and withdrawal -----------------------------------------------------------------------


def _notice(case, county):
    applicant_form, licence = case.materials.get(name="申请书"), case.materials.get(name="营业执照")
    return services.case_request_supplement(
        case=case,
        actor=county.clerk,
        now=at("2026-06-02"),
        items={applicant_form.pk: "缺少申请人签字", licence.pk: ""},
    )


def test_the_supplement_notice_lists_every_flagged_material_and_the_citizen_supplies_them(
    signed_in, item, county
):
    case = _notice(submitted_case(signed_in, item), county)
    url = reverse("portal:case_detail", args=[case.number])
    page = signed_in.get(url).content.decode()
    assert "一次性告知书" in page
    assert "缺少申请人签字" in page and "未提交" in page
    assert "提交补正" in page
    flagged = list(case.materials.filter(status__in=["missing", "faulty"]))
    assert len(flagged) == 2
    for m in flagged:
        assert f'name="file_{m.pk}"' in page

    supplement = reverse("portal:case_supplement", args=[case.number])
    page = signed_in.post(supplement, {f"file_{flagged[0].pk}": pdf("签字版申请书.pdf")}).content.decode()
    assert "请上传告知补正的全部材料" in page
    assert MaterialFile.objects.count() == 1  # only the original upload

    response = signed_in.post(
        supplement,
        {f"file_{flagged[0].pk}": pdf("签字版申请书.pdf"), f"file_{flagged[1].pk}": pdf("营业执照.pdf")},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "supplemented"
    assert MaterialFile.objects.count() == 3
    page = signed_in.get(url).content.decode()
    assert "补正材料" in page and "提交补正" not in page


def test_a_bad_file_in_a_supplement_stores_nothing(signed_in, item, county):
    case = _notice(submitted_case(signed_in, item), county)
    flagged = list(case.materials.filter(status__in=["missing", "faulty"]))
    page = signed_in.post(
        reverse("portal:case_supplement", args=[case.number]),
        {
            f"file_{flagged[0].pk}": pdf(),
            f"file_{flagged[1].pk}": SimpleUploadedFile("营业执照.pdf", EXE, "application/pdf"),
        },
    ).content.decode()
    assert "不予接收" in page and "本次没有保存任何文件" in page
    assert MaterialFile.objects.count() == 1
    case.refresh_from_db()
    assert case.status == "supplement_requested"


def test_a_citizen_withdraws_an_application_with_a_reason(signed_in, item):
    case = submitted_case(signed_in, item)
    url = reverse("portal:case_detail", args=[case.number])
    page = signed_in.get(url).content.decode()
    assert "撤回申请" in page and "data-confirm-submit" in page
    withdraw = reverse("portal:case_withdraw", args=[case.number])
    page = signed_in.post(withdraw, {"reason": ""}).content.decode()
    assert "请填写撤回原因" in page
    response = signed_in.post(withdraw, {"reason": "材料需要重新准备"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"
    page = signed_in.get(url).content.decode()
    assert "已撤回" in page and "材料需要重新准备" in page
    assert 'action="' + withdraw not in page


# -- progress without signing in ---------------------------------------------------------------------


def test_progress_by_number_and_query_code_shows_status_item_dates_and_steps_without_names(
    client, signed_in, item, county
):
    case = submitted_case(signed_in, item)
    receive_all(case, county, NOW)
    services.case_accept(case=case, actor=county.clerk, now=NOW)
    client.logout()
    response = client.post(reverse("portal:progress"), {"number": case.number, "query_code": case.query_code})
    page = response.content.decode()
    assert "审查中" in page and "食品经营许可" in page
    assert "收件日期" in page and "2026年6月1日" in page and "承诺办结日期" in page
    assert "提交申请" in page and "受理" in page
    assert county.clerk.full_name not in page
    assert "申请书.pdf" not in page and "李四" not in page
    # the lower-case code works too, and htmx gets the fragment only
    response = client.post(
        reverse("portal:progress"),
        {"number": case.number, "query_code": case.query_code.lower()},
        HTTP_HX_REQUEST="true",
    )
    assert "<html" not in response.content.decode() and "审查中" in response.content.decode()


def test_a_wrong_number_or_code_or_a_draft_gets_one_generic_answer(signed_in, client, item):
    case = submitted_case(signed_in, item)
    draft = Case.objects.get(
        pk=services.case_create(
            item=item,
            applicant=case.applicant,
            channel="online",
            now=NOW,
            actor=case.applicant_account,
            draft=True,
        ).pk
    )
    answers = set()
    for number, code in (
        (case.number, "ZZZZZZ"),
        ("430903-20260601-999999", case.query_code),
        (draft.number, draft.query_code),
    ):
        page = client.post(
            reverse("portal:progress"), {"number": number, "query_code": code}
        ).content.decode()
        assert "办件编号或查询码不正确" in page
        assert "食品经营许可" not in page
        fragment = client.post(
            reverse("portal:progress"), {"number": number, "query_code": code}, HTTP_HX_REQUEST="true"
        )
        answers.add(fragment.content.decode())
    assert len(answers) == 1


# -- certificates and verification -------------------------------------------------------------------


def _certified(case, county) -> Certificate:
    receive_all(case, county, NOW)
    case = services.case_accept(case=case, actor=county.clerk, now=NOW)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-02"))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-03"))
    return services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-04"), valid_years=5)


def test_a_valid_certificate_verifies_publicly_with_a_masked_id_and_a_qr_code(
    client, signed_in, item, county
):
    certificate = _certified(submitted_case(signed_in, item), county)
    client.logout()
    url = reverse("portal:verify_code", args=[certificate.verification_code])
    page = client.get(url).content.decode()
    assert "有效" in page and certificate.title in page and certificate.number in page
    assert "李四" in page and county.department.name in page
    id_number = certificate.holder.id_number
    assert f"{id_number[:4]}**********{id_number[-4:]}" in page and id_number not in page
    assert "2026年6月4日" in page and "2031年6月3日" in page
    assert "<svg" in page and f"http://testserver{url}" in page
    # typed in on the form, in lower case
    page = client.get(
        reverse("portal:verify"), {"code": certificate.verification_code.lower()}
    ).content.decode()
    assert "有效" in page and certificate.number in page


def test_a_revoked_certificate_shows_revoked_with_the_reason(client, signed_in, item, county):
    certificate = _certified(submitted_case(signed_in, item), county)
    services.certificate_revoke(
        certificate=certificate, actor=county.approver, now=at("2026-06-10"), reason="申请人申请注销"
    )
    page = client.get(reverse("portal:verify_code", args=[certificate.verification_code])).content.decode()
    assert "已注销（2026-06-10，申请人申请注销）" in page
    assert "verify-banner bad" in page


def test_a_tampered_certificate_fails_the_signature_check(client, signed_in, item, county):
    certificate = _certified(submitted_case(signed_in, item), county)
    Certificate.objects.filter(pk=certificate.pk).update(content={**certificate.content, "holder": "冒名者"})
    page = client.get(reverse("portal:verify_code", args=[certificate.verification_code])).content.decode()
    assert "验证失败：证照内容与签名不符" in page


def test_an_unknown_verification_code_says_so(client):
    page = client.get(reverse("portal:verify_code", args=["NOSUCHCODE22"])).content.decode()
    assert "未找到该核验码对应的证照" in page
    assert client.get(reverse("portal:verify")).status_code == 200


def test_the_holder_sees_the_certificate_in_the_library_and_on_a_printable_page(
    client, signed_in, item, county
):
    certificate = _certified(submitted_case(signed_in, item), county)
    case_page = signed_in.get(reverse("portal:case_detail", args=[certificate.case.number])).content.decode()
    detail_url = reverse("portal:certificate_detail", args=[certificate.number])
    assert detail_url in case_page
    library = signed_in.get(reverse("portal:my_certificates")).content.decode()
    assert certificate.title in library and detail_url in library
    page = signed_in.get(detail_url).content.decode()
    assert "<svg" in page and "打印证照" in page and "有效" in page
    assert reverse("portal:verify_code", args=[certificate.verification_code]) in page
    client.force_login(make_citizen(phone="13800000001", name="周七", id_number="11010519491231002X"))
    assert client.get(detail_url).status_code == 404
    assert certificate.title not in client.get(reverse("portal:my_certificates")).content.decode()


def test_staff_cannot_see_citizen_certificates_through_the_portal(client, signed_in, item, county):
    certificate = _certified(submitted_case(signed_in, item), county)
    client.force_login(UserFactory())
    assert client.get(reverse("portal:certificate_detail", args=[certificate.number])).status_code == 403


def test_the_progress_page_refuses_a_31st_query_in_a_minute_from_one_address(client):
    from django.core.cache import cache

    cache.clear()
    for _ in range(30):
        assert (
            "查询过于频繁"
            not in client.get("/progress/", {"number": "X", "query_code": "Y"}).content.decode()
        )
    assert "查询过于频繁" in client.get("/progress/", {"number": "X", "query_code": "Y"}).content.decode()
    cache.clear()


def test_behind_the_trusted_proxy_the_progress_page_counts_each_citizens_address_not_the_proxys(
    client, settings
):
    """REMOTE_ADDR is the proxy there: keyed on it, 30 queries a minute would serve the whole city."""
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    cache.clear()
    query = {"number": "X", "query_code": "Y"}
    for _ in range(30):
        client.get("/progress/", query, HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert "查询过于频繁" in client.get("/progress/", query, HTTP_X_FORWARDED_FOR="10.0.0.1").content.decode()
    assert (
        "查询过于频繁"
        not in client.get("/progress/", query, HTTP_X_FORWARDED_FOR="10.0.0.2").content.decode()
    )
    cache.clear()
