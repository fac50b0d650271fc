"""Test row 11: idempotency keys on API create operations (`common.idempotency`).

In-process tests pin each rule (missing key 400, repeat → first answer, other body 422, in flight 409,
a failed attempt frees the key, keys are per account, stale claims and expired keys). The concurrent
test sends 50 simultaneous POSTs with one key to gunicorn (3 workers) on a scratch database of the test
run's engine — SQLite file or PostgreSQL:

    .venv/bin/pytest zhengwu/api/tests/test_idempotency.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhengwu_x .venv/bin/pytest zhengwu/api/tests/test_idempotency.py
"""

from __future__ import annotations

import datetime as dt
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command

from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import make_citizen
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.models import IdempotencyKey
from zhengwu.common.tests import live

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"


@pytest.fixture
def citizen_api(heshan, as_user):
    citizen = make_citizen()
    item = make_item(department=heshan.department)
    return as_user(citizen), {"item": item.implementation_code, "draft": True}


def test_a_create_without_an_idempotency_key_is_refused_with_400_and_creates_nothing(citizen_api):
    api, body = citizen_api
    response = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="")
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency_key_missing"
    assert "Idempotency-Key" in response.json()["message"] and "幂等键" in response.json()["message"]
    assert not Case.objects.exists()


def test_a_key_with_spaces_or_too_long_is_refused(citizen_api):
    api, body = citizen_api
    for key in ("two words", "k" * 256):
        response = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
        assert response.json()["code"] == "idempotency_key_invalid"
    assert not Case.objects.exists()


def test_a_repeat_with_the_same_key_returns_the_first_answer_and_creates_one_case(citizen_api):
    api, body = citizen_api
    first = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_key_order_and_whitespace_of_the_json_body_do_not_matter(citizen_api):
    api, body = citizen_api
    first = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    reordered = '{ "draft": true,  "item": "' + body["item"] + '" }'
    again = api.post(CASES, reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert again.json()["number"] == first.json()["number"]
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_422(citizen_api):
    api, body = citizen_api
    api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    other = api.post(CASES, {**body, "form_data": {"note": "x"}}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1


def test_the_same_key_on_another_endpoint_is_refused_with_422(citizen_api):
    api, body = citizen_api
    created = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-4").json()
    submit = api.post(
        f"{CASES}{created['number']}/actions/submit/", {}, format="json", HTTP_IDEMPOTENCY_KEY="k-4"
    )
    assert submit.status_code == 422
    assert Case.objects.get().status == "draft"


def test_a_key_still_in_flight_answers_409(citizen_api, heshan, settings):
    api, body = citizen_api
    settings.ZHENGWU_IDEMPOTENCY_WAIT = 0
    first = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-5")
    IdempotencyKey.objects.filter(key="k-5").update(
        state=IdempotencyKey.State.IN_FLIGHT, updated_at=clock.now()
    )
    again = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-5")
    assert first.status_code == 201
    assert again.status_code == 409
    assert again.json()["code"] == "idempotency_key_in_flight"
    assert Case.objects.count() == 1


def test_a_claim_abandoned_by_a_crashed_worker_is_taken_over_after_the_stale_time(citizen_api):
    api, body = citizen_api
    principal = f"user:{api.handler._force_user.pk}"
    IdempotencyKey.objects.create(
        principal=principal,
        key="k-6",
        fingerprint="0" * 64,
        method="POST",
        path=CASES,
        expires_at=clock.now() + dt.timedelta(hours=24),
    )
    IdempotencyKey.objects.filter(key="k-6").update(updated_at=clock.now() - dt.timedelta(minutes=6))
    response = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-6")
    assert response.status_code == 201
    assert IdempotencyKey.objects.get(key="k-6").state == "done"


def test_a_failed_attempt_frees_the_key_for_a_corrected_retry(citizen_api):
    api, body = citizen_api
    wrong = api.post(CASES, {**body, "channel": "window"}, format="json", HTTP_IDEMPOTENCY_KEY="k-7")
    assert wrong.status_code == 400
    assert not IdempotencyKey.objects.filter(key="k-7").exists()
    right = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-7")
    assert right.status_code == 201
    assert Case.objects.count() == 1


def test_keys_belong_to_their_account_so_two_citizens_may_use_the_same_key(heshan, as_user):
    item = make_item(department=heshan.department)
    body = {"item": item.implementation_code, "draft": True}
    one = as_user(make_citizen()).post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    two = as_user(make_citizen(phone="13900001111", id_number="430903199001010016", name="王五")).post(
        CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert one.status_code == two.status_code == 201
    assert one.json()["number"] != two.json()["number"]


def test_an_expired_key_is_forgotten_and_may_create_again(citizen_api):
    api, body = citizen_api
    first = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-8").json()
    with clock.frozen(clock.now() + dt.timedelta(hours=25)):
        second = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="k-8").json()
    assert first["number"] != second["number"]


def test_the_purge_command_deletes_only_expired_keys(citizen_api):
    api, body = citizen_api
    api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="old")
    with clock.frozen(clock.now() + dt.timedelta(hours=23)):
        api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY="young")
    with clock.frozen(clock.now() + dt.timedelta(hours=25)):
        call_command("purge_idempotency", verbosity=0)
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["young"]


def test_submitting_a_draft_needs_a_key_and_a_repeat_returns_the_same_answer(citizen_api):
    api, body = citizen_api
    number = api.post(CASES, body, format="json").json()["number"]
    url = f"{CASES}{number}/actions/submit/"
    assert api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="").status_code == 400
    first = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    again = api.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="s-1")
    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == "submitted"
    assert Case.objects.get().events.filter(action="submit").count() == 1


def test_a_12345_ticket_create_and_a_review_need_a_key(heshan, as_user):
    for url in ("/api/v1/tickets/", "/api/v1/reviews/"):
        response = as_user(heshan.clerk).post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="")
        assert response.status_code in (400, 403)
        if response.status_code == 400:
            assert response.json()["code"] == "idempotency_key_missing"
    citizen = as_user(make_citizen())
    refused = citizen.post("/api/v1/reviews/", {}, format="json", HTTP_IDEMPOTENCY_KEY="")
    assert refused.json()["code"] == "idempotency_key_missing"


def test_the_schema_documents_the_header_on_every_create_operation(as_user, heshan):
    schema = as_user(heshan.clerk).get("/api/schema/", {"format": "json"}).json()
    operations = {
        ("/api/v1/cases/", "post"),
        ("/api/v1/cases/{number}/actions/submit/", "post"),
        ("/api/v1/tickets/", "post"),
        ("/api/v1/reviews/", "post"),
    }
    for path, method in operations:
        parameters = schema["paths"][path][method]["parameters"]
        header = next(p for p in parameters if p["name"] == "Idempotency-Key")
        assert header["in"] == "header" and header["required"] is True


# ---------------------------------------------------------------------------------------------
# 50 concurrent POSTs, one key, 3 gunicorn workers


SEED = """
import json
from zhengwu.accounts.services import token_create
from zhengwu.cases.tests.factories import make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
county = make_county()
citizen = make_citizen()
item = make_item(department=county.department)
print(json.dumps({"token": token_create(user=citizen)[1], "item": item.implementation_code}))
"""

COUNT = """
import json
from zhengwu.cases.models import Case
print(json.dumps(sorted(Case.objects.values_list("number", flat=True))))
"""


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_posts_with_one_key_create_one_case_and_all_answer_its_number(tmp_path):
    with live.scratch_database(tmp_path) as url:
        # the per-account submission limit (10/min, row 24) is not under test here
        env = live.server_env(
            url, tmp_path, ZHENGWU_IDEMPOTENCY_WAIT="60", ZHENGWU_SUBMIT_RATE_ACCOUNT="1000/min"
        )
        live.migrate(env)
        seed = live.run_python(env, SEED)
        headers = {"Authorization": f"Token {seed['token']}", "Idempotency-Key": str(uuid.uuid4())}
        body = {"item": seed["item"], "draft": True}
        with live.gunicorn(env, tmp_path) as base, ThreadPoolExecutor(max_workers=50) as pool:
            answers = list(
                pool.map(
                    lambda _: live.request("POST", f"{base}{CASES}", body=body, headers=headers), range(50)
                )
            )
        numbers = live.run_python(env, COUNT)
    assert len(numbers) == 1
    assert [status for status, _, _ in answers] == [201] * 50
    assert {answer["number"] for _, _, answer in answers} == set(numbers)
