"""The 智能导办 pages: the public wizard with its htmx result, the printable notice, blank forms, and
the same wizard in the workbench for window staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from zhengwu.catalog.models import Material
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.guidance import services
from zhengwu.guidance.models import GuidanceNotice
from zhengwu.guidance.tests.factories import make_guided_item
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def guided():
    return make_guided_item()


@pytest.fixture
def frozen():
    with clock.frozen(dt.datetime(2026, 6, 1, 10)):
        yield


def wizard_url(guided) -> str:
    return reverse("guidance:wizard", args=[guided.item.implementation_code])


def test_the_wizard_shows_the_questions_and_the_materials_everybody_needs(client, guided):
    page = client.get(wizard_url(guided)).content.decode()
    assert "食品经营许可 · 智能导办" in page
    for text in ("经营场所性质", "经营项目", "可多选", "都不涉及的不用勾选。", "是否网络经营", "由谁办理"):
        assert text in page
    assert "网络经营方式" not in page, "shown only after 是否网络经营：是"
    assert 'type="checkbox" name="q' in page and 'type="radio" name="q' in page
    assert "申请书" in page and "营业执照" in page and "经营场所租赁合同" not in page
    assert "还有问题未回答" in page
    assert 'hx-get="' + wizard_url(guided) + '"' in page


def test_answers_in_the_query_string_give_the_result_and_htmx_gets_only_the_wizard_body(client, guided):
    query = guided.query("premises.rented", "scope.raw", "online.yes", "channel.platform", "agent.proxy")
    response = client.get(wizard_url(guided), query, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and page.lstrip().startswith('<div id="guidance"')
    for text in (
        "网络经营方式",
        "经营场所租赁合同",
        "冷食类、生食类专间说明",
        "网店网址",
        "授权委托书及受托人身份证件",
        "因为：经营场所性质：租赁",
        "制售生食类食品的，应当设置专用操作间。",
        "平台服务费：由平台收取，不属于行政收费",
        "8个工作日",
        "按您的情形调整",
    ):
        assert text in page, text
    assert "经营场所产权证明" not in page and "还有问题未回答" not in page
    assert f'value="{guided.option("premises.rented").pk}" checked' in page


def test_the_wizard_runs_a_fixed_number_of_queries(client, guided, django_assert_max_num_queries):
    query = guided.query("premises.rented", "scope.raw", "online.yes", "channel.platform", "agent.proxy")
    with django_assert_max_num_queries(9):
        client.get(wizard_url(guided), query)
    with django_assert_max_num_queries(9):
        client.get(wizard_url(guided), query, HTTP_HX_REQUEST="true")


def test_a_tampered_answer_is_shown_inline_not_as_an_error_page(client, guided):
    premises = guided.questions["premises"]
    response = client.get(
        wizard_url(guided),
        {
            f"q{premises.pk}": [
                str(guided.option("premises.own").pk),
                str(guided.option("premises.rented").pk),
            ]
        },
    )
    assert response.status_code == 200
    assert "“经营场所性质”为单选题，只能选择一个选项。" in response.content.decode()


def test_printing_the_notice_stores_it_and_shows_a_numbered_dated_printable_page(client, guided, frozen):
    query = guided.query("premises.own", "online.no", "agent.self")
    response = client.post(
        reverse("guidance:notice_create", args=[guided.item.implementation_code]), {**query, "next": "print"}
    )
    notice = GuidanceNotice.objects.get()
    assert notice.number == "GD-430903-20260601-0001" and notice.channel == "portal"
    assert response.status_code == 302 and response.url == reverse("guidance:notice", args=[notice.number])
    page = client.get(response.url).content.decode()
    for text in (
        "一次性告知单",
        "GD-430903-20260601-0001",
        "2026年6月1日",
        "经营场所性质：自有",
        "经营场所产权证明",
        "data-print-page",
        f"/apply/{guided.item.implementation_code}/?notice=GD-430903-20260601-0001",
        "立即申办",
    ):
        assert text in page, text


def test_apply_now_stores_the_notice_and_goes_to_the_application_with_it(client, guided, frozen):
    query = guided.query("premises.own", "online.no", "agent.self")
    response = client.post(
        reverse("guidance:notice_create", args=[guided.item.implementation_code]), {**query, "next": "apply"}
    )
    assert response.status_code == 302
    assert response.url == f"/apply/{guided.item.implementation_code}/?notice=GD-430903-20260601-0001"


def test_a_notice_for_unanswered_questions_is_refused_with_the_questions_marked(client, guided):
    response = client.post(
        reverse("guidance:notice_create", args=[guided.item.implementation_code]),
        guided.query("premises.own"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "请先回答：“是否网络经营”、“由谁办理”" in page and "请选择一个选项。" in page
    assert not GuidanceNotice.objects.exists()


def test_an_unknown_notice_is_a_404(client):
    assert client.get(reverse("guidance:notice", args=["GD-430903-20260601-9999"])).status_code == 404


def test_an_item_without_situations_says_so_and_its_guide_has_no_guidance_link(client):
    item = make_item(name="无情形事项")
    page = client.get(reverse("guidance:wizard", args=[item.implementation_code])).content.decode()
    assert "本事项暂未梳理办理情形" in page
    guide = client.get(reverse("portal:item_detail", args=[item.implementation_code])).content.decode()
    assert "智能导办" not in guide


def test_the_guide_links_to_the_wizard(client, guided):
    guide = client.get(reverse("portal:item_detail", args=[guided.item.implementation_code])).content.decode()
    assert wizard_url(guided) in guide and "智能导办" in guide


def test_drafts_are_not_guided_in_public(client):
    draft = make_guided_item(publish=False)
    assert client.get(reverse("guidance:wizard", args=[draft.item.implementation_code])).status_code == 404


def test_a_material_with_a_blank_form_links_to_its_download(client, guided):
    material = Material.objects.get(version=guided.item.current_version, name="申请书")
    material.template_file.save("申请书.docx", ContentFile(b"PK blank form"), save=True)
    page = client.get(wizard_url(guided)).content.decode()
    url = reverse("guidance:material_template", args=[guided.item.implementation_code, material.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK blank form"
    assert "attachment" in response["Content-Disposition"]
    other = Material.objects.get(version=guided.item.current_version, name="营业执照")
    missing = reverse("guidance:material_template", args=[guided.item.implementation_code, other.pk])
    assert client.get(missing).status_code == 404


# ---------------------------------------------------------------------------------------------
# Workbench


def workbench_url(guided) -> str:
    return reverse("workbench_guidance:wizard", args=[guided.item.implementation_code])


def test_the_workbench_wizard_needs_a_staff_login(client, guided):
    response = client.get(workbench_url(guided))
    assert response.status_code == 302 and reverse("workbench:login") in response.url


def test_window_staff_guide_at_the_window_and_issue_notices_in_their_name(client, guided, frozen):
    clerk = UserFactory(roles=[Role.WINDOW_CLERK])
    client.force_login(clerk)
    page = client.get(workbench_url(guided)).content.decode()
    assert "政务服务工作台" in page and "经营场所性质" in page
    assert "立即申办" not in page
    query = guided.query("premises.rented", "online.no", "agent.proxy")
    response = client.post(
        reverse("workbench_guidance:notice_create", args=[guided.item.implementation_code]), query
    )
    notice = GuidanceNotice.objects.get()
    assert (notice.channel, notice.issued_by) == ("window", clerk)
    assert response.url == reverse("workbench_guidance:notice", args=[notice.number])
    page = client.get(response.url).content.decode()
    assert "窗口受理" in page and f"item={guided.item.implementation_code}&amp;notice={notice.number}" in page


def test_staff_preview_a_draft_with_its_validation_problems(client):
    draft = make_guided_item(publish=False)
    head = UserFactory(
        roles=[Role.DEPT_HEAD], scope=[draft.item.department], department=draft.item.department
    )
    client.force_login(head)
    services.rule_create(
        version=draft.item.versions.get(),
        when=["premises.own"],
        effect="drop_material",
        material_name="经营场所产权证明",
    )
    page = client.get(workbench_url(draft), {"draft": "1"}).content.decode()
    assert "草稿预览" in page and "发布前校验未通过" in page
    assert "规则相互矛盾" in page
    assert "打印一次性告知单" not in page
    stranger = UserFactory(roles=[Role.DEPT_HEAD])
    client.force_login(stranger)
    assert client.get(workbench_url(draft), {"draft": "1"}).status_code == 404
