"""Row 14, the stateful part: request sequences per role, `use_after_free` and `ignored_auth` included.

`test_api_fuzz.py` sends one request at a time. Here schemathesis chains requests: its state machine
(`schema.as_state_machine()`) follows the links it infers from the schema (a value one answer returns —
a case number, an evaluation id, a ticket id — filled into the path of the next request), plus the
few explicit links `LINKS` adds where inference cannot see the connection (the item code of the
catalogue feeding a citizen's application; a new case's number feeding its detail, submission,
withdrawal and uploads). Each step runs the checks of `test_api_fuzz.CHECKS` (no 5xx, documented
statuses and bodies, invalid input refused, `ignored_auth`) and the stateful ones, `use_after_free`
and `ensure_resource_availability`, with the same documented exclusions (`test_api_fuzz._excluded`),
in-process through the WSGI handler with the role's API token, on the pytest-django test database.
Failures are collected over the whole run and reported together.

What `use_after_free` can and cannot see here: it needs a successful DELETE followed by a read of the
same resource. The API has one DELETE, `DELETE /api/v1/auth/tokens/{token_id}/` (revoke a token), and
no GET of a single token; cases, appointments, tickets and files are never deleted (a case is an
archive record: withdrawal and cancellation are terminal *states*, the record stays readable). So the
check has no DELETE→GET pair to find, and the deletion-like properties are tested directly below:

- a revoked token authenticates nothing afterwards (401 on every operation that needs a token), the
  caller's other tokens keep working, revoking it again changes nothing, another account's token
  answers 404;
- a withdrawn case stays readable (status `withdrawn`, the same timeline) but every action of the API
  and an upload on it are refused with a 4xx in the unified error format (the state rule's 400
  `transition_not_allowed` wherever the role and input get that far), never a 2xx or a 5xx.

Sizes: `make reliability` 100 scenarios of up to 12 steps per role; `RELIABILITY_SCALE=ci` 40 of up to 10.
"""

from __future__ import annotations

import contextlib
import json
import os

import hypothesis
import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase
from schemathesis.specs.openapi.checks import ensure_resource_availability, use_after_free

from reliability import harness
from reliability import test_api_fuzz as fuzz

SCENARIOS = harness.scaled(full=100, ci=40)
STEPS = harness.scaled(full=12, ci=10)
RUNS = 10  # at most this many state machine runs to reach SCENARIOS (see the Flaky note below)
CHECKS = [*fuzz.CHECKS, use_after_free, ensure_resource_availability]
ROLES = (
    os.environ.get("RELIABILITY_ROLES", "").split(",")
    if os.environ.get("RELIABILITY_ROLES")
    else ["citizen", "window_clerk"]
)

pytestmark = pytest.mark.django_db

# The fixtures of the per-role fuzz run: the same accounts, cases and connection handling.
fixture_data = fuzz.fixture_data
connection_kept_open = fuzz.connection_kept_open

CASE = "/api/v1/cases/{number}"
# The operations each role's sequences run over: the catalogue, cases (the resource both roles change
# step by step: a citizen applies, submits, uploads, withdraws; a clerk takes in and accepts) and the
# account's own tokens. Single requests to everything (and every role): test_api_fuzz.py.
_CASE_STEPS = {
    "citizen": "submit|withdraw|supplement",
    "window_clerk": "submit|withdraw|supplement|accept|accept_with_deficiency|refuse_intake|request_supplement",
}
WORKFLOWS = {
    role: rf"^/api/v1/(items/|staff/items/.*|cases/|cases/\{{number\}}/(|timeline/|clocks/.*|materials/.*|files/.*"
    rf"|actions/({actions})/)|me/|auth/tokens?/.*)$"
    for role, actions in _CASE_STEPS.items()
}


def _case_link(target: str, method: str) -> dict:
    return {
        "operationRef": f"#/paths/{_escape(target)}/{method}",
        "parameters": {"number": "$response.body#/number"},
    }


def _escape(path: str) -> str:
    return path.replace("~", "~0").replace("/", "~1")


# Explicit OpenAPI links, added to the generated document (source path, method, status) -> links.
LINKS: dict[tuple[str, str, str], dict[str, dict]] = {
    ("/api/v1/items/", "get", "200"): {
        # A citizen's online draft for the first listed item (a whole body: generated form fields
        # would be refused as unknown, and the chain would end at the first step).
        "ApplyForListedItem": {
            "operationRef": f"#/paths/{_escape('/api/v1/cases/')}/post",
            "requestBody": {
                "item": "$response.body#/results/0/implementation_code",
                "draft": True,
                "form_data": {},
            },
            "x-schemathesis": {"merge_body": False},
        }
    },
    **{
        (source, "post", status): {
            "GetCase": _case_link(f"{CASE}/", "get"),
            "SubmitCase": _case_link(f"{CASE}/actions/submit/", "post"),
            "WithdrawCase": _case_link(f"{CASE}/actions/withdraw/", "post"),
            "CaseTimeline": _case_link(f"{CASE}/timeline/", "get"),
        }
        for source, status in (
            ("/api/v1/cases/", "201"),
            (f"{CASE}/actions/submit/", "200"),
            (f"{CASE}/actions/withdraw/", "200"),
        )
    },
    ("/api/v1/cases/", "get", "200"): {
        "GetListedCase": {
            "operationRef": f"#/paths/{_escape(f'{CASE}/')}/get",
            "parameters": {"number": "$response.body#/results/0/number"},
        },
        **{
            f"{action.title()}ListedCase": {
                "operationRef": f"#/paths/{_escape(f'{CASE}/actions/{action}/')}/post",
                "parameters": {"number": "$response.body#/results/0/number"},
            }
            for action in ("withdraw", "accept", "request_supplement")
        },
    },
}


@pytest.fixture
def submissions_unlimited(settings):
    """A sequence submits far more often than a citizen's 10 a minute (row 24 tests that limit)."""
    settings.ZHENGWU_SUBMIT_RATE_ACCOUNT = "1000000/min"
    settings.ZHENGWU_SUBMIT_RATE_IP = "1000000/min"


@pytest.fixture(scope="module")
def stateful_schema():
    """The served schema plus `LINKS`, bound to the WSGI app."""
    import schemathesis
    from django.core.handlers.wsgi import WSGIHandler
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    document = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    for (path, method, status), links in LINKS.items():
        response = document["paths"][path][method]["responses"][status]
        response.setdefault("links", {}).update(links)
    # A link that supplies a whole body leaves the media type to choose, and schemathesis 4.32 refuses
    # to choose among several (IncorrectUsage): the target of such a link is sent as JSON only here.
    # The form-encoded and multipart variants of this operation are fuzzed by test_api_fuzz.py.
    content = document["paths"]["/api/v1/cases/"]["post"]["requestBody"]["content"]
    document["paths"]["/api/v1/cases/"]["post"]["requestBody"]["content"] = {
        "application/json": content["application/json"]
    }
    app = WSGIHandler()
    schema = schemathesis.openapi.from_dict(document)
    schema.app = app
    return schema, app


def _describe(case, response, failures) -> str:
    sent = response.request
    return (
        f"[{response.status_code}] {case.method} {case.formatted_path} "
        f"({sent.headers.get('Content-Type', 'no body')}: {(sent.body or b'')[:200]!r})\n"
        + "\n".join(f"- {getattr(f, 'code', '?')} {f}" for f in failures)
        + f"\n{response.content[:500]!r}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_request_sequences_answer_by_the_schema_and_never_reuse_what_was_freed(
    role, fixture_data, stateful_schema, connection_kept_open, submissions_unlimited
):
    schema, app = stateful_schema
    headers = {"Authorization": f"Token {fixture_data[role]}"} if role in fixture_data else {}
    failures: dict[tuple[str, str], str] = {}  # (operation, failure code) -> first seen
    steps: dict[str, int] = {}
    linked: dict[str, list[int]] = {}  # operation reached through a link -> statuses
    scenarios = [0]

    class Workflow(schema.include(path_regex=WORKFLOWS[role]).as_state_machine()):
        def setup(self):
            # Every scenario starts from the fixture data: Hypothesis replays scenarios and needs the
            # same answers to the same requests, so what one scenario created is rolled back after it.
            self._scenario = transaction.atomic()
            self._scenario.__enter__()
            scenarios[0] += 1

        def teardown(self):
            transaction.set_rollback(True)
            self._scenario.__exit__(None, None, None)
            super().teardown()

        def step(self, input):
            output = super().step(input)
            if input.transition is not None and input.is_applied:
                linked.setdefault(input.case.operation.label, []).append(output.response.status_code)
            return output

        def get_call_kwargs(self, case):
            return {"app": app, "headers": headers}

        def call(self, case, **kwargs):
            with transaction.atomic():  # one savepoint per request, as in the fuzz run
                return case.call(**kwargs)

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            steps[case.operation.label] = steps.get(case.operation.label, 0) + 1
            try:
                with transaction.atomic():  # the ignored_auth probes send requests too
                    case.validate_response(
                        response,
                        checks=CHECKS,
                        headers=headers,
                        transport_kwargs=kwargs,
                        recorder=self.recorder,
                    )
            except BaseExceptionGroup as group:
                remaining = [f for f in group.exceptions if not fuzz._excluded(f, response)]
                for failure in remaining:
                    key = (case.operation.label, getattr(failure, "code", type(failure).__name__))
                    failures.setdefault(key, _describe(case, response, [failure]))

    settings = hypothesis.settings(
        max_examples=SCENARIOS,
        stateful_step_count=STEPS,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    for _run in range(RUNS):
        # A replayed scenario may draw differently (schemathesis steers link choice by what it has seen)
        # and Hypothesis then raises Flaky: schemathesis' own runner ends that run and starts another,
        # and so does this loop. Failures are collected above, not raised, so nothing found is lost.
        with contextlib.suppress(hypothesis.errors.Flaky):
            Workflow.run(settings=settings)
        if scenarios[0] >= SCENARIOS:
            break
    print(
        f"\nrow 14 stateful [{role}]: {scenarios[0]} scenarios, {sum(steps.values())} requests over "
        f"{len(steps)} operations; "
        f"{sum(map(len, linked.values()))} through links: {sorted(linked.items())}"
    )
    assert scenarios[0] >= SCENARIOS
    assert not failures, f"{len(failures)} failures for {role}:\n\n" + "\n\n".join(failures.values())


# -- what the API offers instead of deletion -------------------------------------------------------------


def _needs_token(operation: dict) -> bool:
    security = operation.get("security") or []
    return bool(security) and {} not in security


@pytest.fixture
def accounts(db):
    """A citizen and a window clerk of one county, with a published item and a case at the window."""
    from zhengwu.cases.tests.factories import make_case, make_citizen, make_county
    from zhengwu.catalog.tests.factories import make_item
    from zhengwu.common import clock

    county = make_county()
    item = make_item(department=county.department)
    return {
        "citizen": make_citizen(),
        "window_clerk": county.clerk,
        "item": item,
        "window_case": make_case(county, item=item, now=clock.now()),
    }


def _error(response) -> dict:
    body = response.json()
    assert {"code", "message"} <= body.keys(), body
    return body


@pytest.mark.parametrize("role", ["citizen", "window_clerk"])
def test_a_revoked_token_authenticates_nothing_afterwards(role, accounts, api_client, stateful_schema):
    from django.utils.dateparse import parse_datetime

    from zhengwu.accounts.models import ApiToken
    from zhengwu.accounts.services import token_create
    from zhengwu.organization.tests.factories import UserFactory

    user = accounts[role]
    kept, kept_key = token_create(user=user, name="kept")
    revoked, revoked_key = token_create(user=user, name="revoked")
    other, other_key = token_create(user=UserFactory())

    def as_(key):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api_client

    assert as_(revoked_key).get("/api/v1/me/").status_code == 200
    assert as_(kept_key).delete(f"/api/v1/auth/tokens/{revoked.pk}/").status_code == 204

    # Every operation that needs a token and takes no path parameter now answers 401 to it.
    document = stateful_schema[0].raw_schema
    reads = [
        path
        for path, ops in document["paths"].items()
        if "{" not in path and _needs_token(ops.get("get", {}))
    ]
    assert len(reads) > 10
    for path in reads:
        response = as_(revoked_key).get(path)
        assert response.status_code == 401, (path, response.status_code)
        _error(response)
    assert as_(revoked_key).delete(f"/api/v1/auth/tokens/{kept.pk}/").status_code == 401

    # The caller's other token works; the revoked one is listed with its time; revoking again changes nothing.
    listed = {row["id"]: row for row in as_(kept_key).get("/api/v1/auth/tokens/").json()}
    stamp = listed[revoked.pk]["revoked_at"]
    assert stamp is not None and listed[kept.pk]["revoked_at"] is None
    assert as_(kept_key).delete(f"/api/v1/auth/tokens/{revoked.pk}/").status_code == 204
    assert ApiToken.objects.get(pk=revoked.pk).revoked_at == parse_datetime(stamp)

    # Another account's token is not there to revoke (404, as for a missing id) and keeps working.
    refused = as_(kept_key).delete(f"/api/v1/auth/tokens/{other.pk}/")
    assert refused.status_code == 404 and _error(refused)
    assert as_(kept_key).delete("/api/v1/auth/tokens/999999/").status_code == 404
    assert as_(other_key).get("/api/v1/me/").status_code == 200

    # Revoking the token in use ends it at once.
    assert as_(kept_key).delete(f"/api/v1/auth/tokens/{kept.pk}/").status_code == 204
    assert as_(kept_key).get("/api/v1/me/").status_code == 401
    print(f"\nrow 14 revoked token [{role}]: 401 on all {len(reads)} token-only reads; others unaffected")


@pytest.mark.parametrize("role", ["citizen", "window_clerk"])
def test_a_withdrawn_case_stays_readable_and_refuses_every_further_step(
    role, accounts, api_client, stateful_schema
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zhengwu.accounts.services import token_create
    from zhengwu.cases.models import Case

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=accounts[role])[1]}")
    if role == "citizen":  # an online draft of the citizen's own
        created = api_client.post(
            "/api/v1/cases/",
            {"item": accounts["item"].implementation_code, "draft": True, "form_data": {}},
            format="json",
        )
        assert created.status_code == 201, created.content
        number = created.json()["number"]
    else:  # the clerk withdraws a window case on the applicant's written request
        number = accounts["window_case"].number
    case_url = f"/api/v1/cases/{number}/"
    withdrawn = api_client.post(f"{case_url}actions/withdraw/", {"reason": "申请人撤回"}, format="json")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn"

    before = api_client.get(f"{case_url}timeline/").json()
    detail = api_client.get(case_url)
    assert detail.status_code == 200 and detail.json()["status"] == "withdrawn"
    assert [a["action"] for a in detail.json()["allowed_actions"]] in ([], ["archive"])

    # Every action of the API, and an upload, is refused: never a 2xx, never a 5xx, always the unified error.
    document = stateful_schema[0].raw_schema
    actions = [
        path.removeprefix("/api/v1/cases/{number}/actions/").strip("/")
        for path in document["paths"]
        if path.startswith("/api/v1/cases/{number}/actions/")
    ]
    assert len(actions) > 20
    answers = {}
    for action in actions:
        if action == "archive":
            continue  # a withdrawn case is archived: that is the one step left, not a use of it
        response = api_client.post(f"{case_url}actions/{action}/", {}, format="json")
        assert 400 <= response.status_code < 500, (action, response.status_code, response.content[:300])
        answers[action] = (response.status_code, _error(response)["code"], _error(response)["message"])
    # The state rule answers where the input and the role allow the question (docs/api.md: 400
    # `transition_not_allowed`); other actions stop earlier at their required fields or at the role.
    for action in ("withdraw", "submit", "supplement", "grant", "step_pass"):
        assert answers[action][:2] == (400, "transition_not_allowed"), (action, answers[action])
    material = detail.json()["materials"][0]["id"]
    upload = api_client.post(
        f"{case_url}materials/{material}/files/",
        {"file": SimpleUploadedFile("a.pdf", harness.pdf_bytes(2000, "x"), "application/pdf")},
        format="multipart",
    )
    assert 400 <= upload.status_code < 500, upload.content[:300]
    _error(upload)

    # Nothing happened to it.
    assert Case.objects.get(number=number).status == "withdrawn"
    assert api_client.get(f"{case_url}timeline/").json() == before
    refused = sorted({answer[:2] for answer in answers.values()})
    print(
        f"\nrow 14 withdrawn case [{role}]: {len(answers)} actions refused with {refused}, upload {upload.status_code}"
    )
