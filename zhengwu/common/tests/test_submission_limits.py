"""Test row 24 through the endpoints, and row 11's HTML half: submission limits answer 429 with
`Retry-After` and a Chinese message on the API and the portal (one budget for both), DRF throttles
count on the shared counter, and a double-clicked application form files one case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import at, make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.models import RateCounter
from zhengwu.common.tests.clients import KeyedAPIClient

pytestmark = pytest.mark.django_db

NOW = at("2026-06-01")
CASES = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def item():
    return make_item(department=make_county().department, name="食品经营许可")


@pytest.fixture
def citizen():
    return make_citizen()


def _api(user) -> KeyedAPIClient:
    api = KeyedAPIClient()
    api.force_authenticate(user)
    return api


def _form(**fields) -> dict:
    return {
        "description": "在赫山区开办便利店，经营预包装食品。",
        "address": "赫山区龙岭路 8 号",
        "contact_phone": "13912345678",
        "action": "save",
        **fields,
    }


def test_the_eleventh_case_a_citizen_files_through_the_api_in_a_minute_gets_429(item, citizen):
    api = _api(citizen)
    answers = [
        api.post(CASES, {"item": item.implementation_code, "draft": True}, format="json") for _ in range(11)
    ]
    assert [a.status_code for a in answers] == [201] * 10 + [429]
    refused = answers[-1]
    assert refused["Retry-After"] == "60"
    assert refused.json() == {"code": "throttled", "message": "操作过于频繁，请 60 秒后再试。", "fields": {}}
    assert Case.objects.count() == 10


def test_the_address_limit_counts_every_account_behind_one_address(item, settings):
    settings.ZHENGWU_SUBMIT_RATE_IP = "3/min"
    people = [
        make_citizen(phone=f"1390000000{n}", id_number=id_number, name=name)
        for n, (id_number, name) in enumerate(
            [("430903199001010016", "王五"), ("430903199001011238", "李四"), ("11010519491231002X", "张三")]
        )
    ]
    people.append(make_citizen(phone="13900000009", id_number="110101199003070011", name="赵六"))
    codes = [
        _api(person).post(CASES, {"item": item.implementation_code, "draft": True}, format="json").status_code
        for person in people
    ]
    assert codes == [201, 201, 201, 429]


def test_the_portal_form_and_the_api_share_one_budget(client, item, citizen):
    api = _api(citizen)
    for _ in range(9):
        assert (
            api.post(CASES, {"item": item.implementation_code, "draft": True}, format="json").status_code
            == 201
        )
    client.force_login(citizen)
    url = reverse("portal:apply", args=[item.implementation_code])
    assert client.post(url, _form()).status_code == 302
    refused = client.post(url, _form())
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "操作过于频繁，请 60 秒后再试。" in refused.content.decode()
    assert Case.objects.count() == 10


def test_a_double_clicked_application_form_files_one_case(client, item, citizen):
    client.force_login(citizen)
    url = reverse("portal:apply", args=[item.implementation_code])
    page = client.get(url)
    nonce = page.context["form_nonce"]
    assert f'name="form_nonce" value="{nonce}"' in page.content.decode()
    first = client.post(url, _form(form_nonce=nonce))
    second = client.post(url, _form(form_nonce=nonce))
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("portal:case_detail", args=[case.number])


def test_an_application_refused_for_bad_input_keeps_its_nonce_usable(client, item, citizen):
    client.force_login(citizen)
    url = reverse("portal:apply", args=[item.implementation_code])
    nonce = client.get(url).context["form_nonce"]
    bad = client.post(url, _form(form_nonce=nonce, contact_phone="12"))
    assert bad.status_code == 200 and not Case.objects.exists()
    assert client.post(url, _form(form_nonce=nonce)).status_code == 302
    assert Case.objects.count() == 1


def test_each_page_view_issues_a_new_nonce(client, item, citizen):
    client.force_login(citizen)
    url = reverse("portal:apply", args=[item.implementation_code])
    assert client.get(url).context["form_nonce"] != client.get(url).context["form_nonce"]


def test_the_api_progress_throttle_counts_on_the_shared_counter(client):
    for _ in range(30):
        client.get("/api/v1/progress/", {"number": "X", "query_code": "Y"})
    refused = client.get("/api/v1/progress/", {"number": "X", "query_code": "Y"})
    assert refused.status_code == 429
    assert refused.json()["message"].startswith("操作过于频繁")
    assert RateCounter.objects.get(name__startswith="case_progress:").hits == 31


def test_a_double_clicked_mayors_mailbox_letter_files_one_ticket(client):
    from zhengwu.hotline.models import Ticket
    from zhengwu.hotline.tests.factories import make_hotline

    hotline = make_hotline(code="430921000000", name="南县")
    nonce = client.get("/hotline/mailbox/write/").context["form_nonce"]
    letter = {
        "region": hotline.region.pk,
        "category": "complaint",
        "title": "路灯不亮",
        "content": "幸福路路灯坏了一个月。",
        "caller_name": "李四光",
        "caller_phone": "13900001111",
        "form_nonce": nonce,
    }
    first = client.post("/hotline/mailbox/write/", letter)
    second = client.post("/hotline/mailbox/write/", letter)
    ticket = Ticket.objects.get()
    assert first.status_code == second.status_code == 200
    assert ticket.number in first.content.decode() and ticket.number in second.content.decode()
