"""Row 7 of SECURITY.md §6: cross-department (and cross-citizen) IDOR.

Two counties, A and B, each with a department and its staff, a case with a material file, a case of a
citizen and one of an enterprise, and a 12345 centre with a ticket dispatched to one of its units; B also has a certificate. The
object-bearing URLs come from the URL resolver (the same walk as the function matrix,
`zhengwu/workbench/tests/test_access_matrix.py`): every workbench and API URL whose arguments name a
case, a file, a material, a clock or a ticket, and every portal URL under `/my/` naming a case or a
certificate. Their arguments are filled with B's objects and requested by A's users with GET, POST, PUT,
PATCH and DELETE: the answer is a 404 (405 where the view does not take the method; 403 only when the
same request for objects that do not exist is a 403 too, i.e. a role gate before any lookup), never a 2xx
or a redirect, and no body carries B's case, ticket or certificate number, applicant or caller name, or
ID number (full or masked). B's cases, files and ticket are unchanged afterwards. A control requests the
same URLs with A's own objects and gets 200, so the 404s come from the scope check.

`test_every_foreign_operation_is_refused_with_404_and_no_foreign_data` walks every (user, URL, method)
once (about 1,650 requests); `test_random_foreign_triples_leak_nothing` draws (user, foreign object,
operation) triples with hypothesis: ZHENGWU_IDOR_EXAMPLES examples, default 150 to keep the file short on
a shared 2-core machine; the row asks for 1,000: `ZHENGWU_IDOR_EXAMPLES=1000`. Lists, search (the search
box's echo of the query does not count, only rows do) and the dashboard export and drill-down are checked
for foreign rows at the end, for staff, citizens and enterprises.

Between applicants: each side also has a citizen and an enterprise (法人) account with a case; each of
A's accounts asks for B's citizen's and enterprise's cases and B's citizen's certificate.

Not covered here: bundle cases, appointments, queue tickets, reviews/rectifications, assessment and
budget objects (their own scope tests); joint-step opinions (the `step_opinion` action is walked, but
the fixture writes no opinion row, which needs a joint step).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from zhengwu.accounts.testing import login_verified
from zhengwu.cases import services
from zhengwu.cases.models import Case, MaterialFile
from zhengwu.cases.tests.factories import accepted_case, at, make_applicant, make_citizen, make_county
from zhengwu.common import clock
from zhengwu.common.tests.clients import KeyedAPIClient
from zhengwu.common.tests.resolver import resolver_urls
from zhengwu.domain.identifiers import gb11714_check_digit
from zhengwu.domain.masking import mask_id_number
from zhengwu.hotline import services as hotline_services
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import dispatched, make_hotline
from zhengwu.organization.choices import ApplicantKind
from zhengwu.organization.services import citizen_register

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ZHENGWU_IDOR_EXAMPLES", "150"))
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
REFUSED = {404, 405}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CASE_ACTIONS = ("accept", "step_pass", "grant", "deny", "step_opinion", "withdraw", "archive")
TICKET_ACTIONS = ("sign", "reply", "close", "return", "start")
_HYPOTHESIS = {
    "max_examples": EXAMPLES,
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}


def id_number(prefix17: str) -> str:
    """A mainland ID number with its GB 11643 check digit."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(prefix17, weights, strict=True))
    return prefix17 + "10X98765432"[total % 11]


# -- which URLs bear which object ---------------------------------------------------------------------------


def _kind(name: str, groups: list[str]) -> str | None:
    """Which of B's objects fills this URL's arguments, or None when the URL is not in this row."""
    namespace, _, short = name.rpartition(":")
    if namespace in ("workbench", "api"):
        if short.startswith(("case_", "clock_")) and "number" in groups:
            return "staff_case"
        if (short.startswith("hotline_") or short.startswith("ticket_")) and "number" in groups:
            return "ticket"
    if namespace == "api" and short.startswith("case_") and "number" in groups:
        return "staff_case"
    if namespace == "portal" and short.startswith("case_") and "number" in groups:
        return "portal_case"
    if name == "portal:certificate_detail":
        return "certificate"
    return None


def object_urls() -> dict[str, list[tuple[str, list[str]]]]:
    """{kind: [(url name, argument names)]} from the resolver."""
    out: dict[str, list[tuple[str, list[str]]]] = {}
    for name, _route, named, _converters, groups in resolver_urls():
        kind = _kind(name, groups) if named else None
        if kind:
            out.setdefault(kind, []).append((name, groups))
    return out


# -- the fixture -------------------------------------------------------------------------------------------


@dataclass
class Side:
    staff: list[Any]
    ticket_staff: list[Any]
    citizen: Any
    enterprise: Any
    case: Case
    citizen_case: Case
    enterprise_case: Case
    ticket: Ticket
    file_id: int
    citizen_file_id: int
    enterprise_file_id: int
    ticket_file_id: int
    certificate_number: str
    secrets: list[str] = field(default_factory=list)


def _with_file(case: Case, actor) -> int:
    material = case.materials.first()
    return services.case_file_add(
        case=case, material=material, name="申请书.pdf", data=PDF, actor=actor, now=at("2026-06-01", 11)
    ).pk


def _certificate(county, applicant) -> str:
    case = accepted_case(county, applicant=applicant)
    case = services.case_step_pass(case=case, actor=county.approver, now=at("2026-06-01", 11))
    case = services.case_grant(case=case, actor=county.approver, now=at("2026-06-01", 12))
    return services.case_issue_certificate(case=case, actor=county.clerk, now=at("2026-06-01", 14)).number


def uscc_code(region: str, n: int) -> str:
    """A 统一社会信用代码 (企业, 工商) with valid GB 11714 and GB 32100 check characters."""
    org = f"MA4L{n:04d}"
    body = f"91{region[:6]}{org}{gb11714_check_digit(org)}"
    return body + uscc.calc_check_digit(body)


def _side(code: str, county_name: str, n: int, applicant_name: str, citizen_name: str) -> Side:
    county = make_county(code=code, name=county_name)
    hotline = make_hotline(code=code, name=f"{county_name}城区")
    person_id = id_number(f"{code[:6]}1980010{n}12{n}")
    citizen_id = id_number(f"{code[:6]}1990020{n}34{n}")
    applicant = make_applicant(name=applicant_name, id_number=person_id)
    citizen = make_citizen(phone=f"1391234{n:04d}", name=citizen_name, id_number=citizen_id)
    enterprise_name = f"{county_name}{citizen_name[:2]}商贸有限公司"
    enterprise_code = uscc_code(code, n)
    enterprise = citizen_register(
        phone=f"1371234{n:04d}",
        password="Zw!enterprise-2026",
        name=enterprise_name,
        id_number=enterprise_code,
        today=dt.date(2026, 1, 5),
        kind=ApplicantKind.LEGAL_PERSON,
    )
    enterprise_case = accepted_case(county, applicant=enterprise.applicant)
    case = accepted_case(county, applicant=applicant)
    citizen_case = accepted_case(county, applicant=citizen.applicant)
    ticket = dispatched(hotline, now="2026-06-01 09:00", caller_name=f"{citizen_name}来电")
    ticket_file = hotline_services.ticket_file_add(
        ticket=ticket, name="现场.pdf", data=PDF, actor=hotline.agent, now=at("2026-06-01", 10)
    )
    certificate_number = _certificate(county, citizen.applicant)
    return Side(
        staff=[county.clerk, county.approver, county.head, county.supervisor],
        ticket_staff=[hotline.agent, hotline.water_staff, hotline.market_staff, county.clerk],
        citizen=citizen,
        enterprise=enterprise,
        case=case,
        citizen_case=citizen_case,
        enterprise_case=enterprise_case,
        ticket=ticket,
        file_id=_with_file(case, county.clerk),
        citizen_file_id=_with_file(citizen_case, county.clerk),
        enterprise_file_id=_with_file(enterprise_case, county.clerk),
        ticket_file_id=ticket_file.pk,
        certificate_number=certificate_number,
        secrets=[
            case.number,
            citizen_case.number,
            enterprise_case.number,
            ticket.number,
            certificate_number,
            applicant_name,
            citizen_name,
            enterprise_name,
            enterprise_code,
            f"{citizen_name}来电",
            person_id,
            citizen_id,
            mask_id_number(person_id),
            mask_id_number(citizen_id),
        ],
    )


@pytest.fixture
def world(db, settings):
    settings.ZHENGWU_SUBMIT_RATE_ACCOUNT = "100000/min"  # rate limits are row 24, not under test here
    settings.ZHENGWU_SUBMIT_RATE_IP = "100000/min"
    with clock.frozen(at("2026-06-01")):
        a = _side("430903000000", "赫山区", 1, "张晓峰", "李明远")
        b = _side("430902000000", "资阳区", 2, "欧阳娜娜", "司马青衫")
    return {"a": a, "b": b}


# -- requests ----------------------------------------------------------------------------------------------


class Requester:
    """One signed-in client per user: the Django test client for pages, the API client for `api:`."""

    def __init__(self) -> None:
        self._clients: dict[tuple[int, bool], Any] = {}

    def client(self, user, api: bool):
        key = (user.pk, api)
        if key not in self._clients:
            if api:
                client = KeyedAPIClient()
                client.force_authenticate(user)
            else:
                from django.test import Client

                client = Client()
                login_verified(client, user)
            client.raise_request_exception = False  # a 500 is an answer to assert on, not a crash
            self._clients[key] = client
        return self._clients[key]

    def send(self, user, name: str, kwargs: dict[str, Any], method: str):
        api = name.startswith("api:")
        client = self.client(user, api)
        url = reverse(name, kwargs=kwargs)
        if method == "GET":
            return url, client.get(url)
        if api:
            return url, getattr(client, method.lower())(url, {}, format="json")
        return url, getattr(client, method.lower())(url)


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


def _kwargs(kind: str, groups: list[str], side: Side, action_index: int = 0) -> dict[str, Any]:
    case, file_id = {
        "portal_case": (side.citizen_case, side.citizen_file_id),
        "citizen_api": (side.citizen_case, side.citizen_file_id),
        "enterprise_portal": (side.enterprise_case, side.enterprise_file_id),
        "enterprise_api": (side.enterprise_case, side.enterprise_file_id),
    }.get(kind, (side.case, side.file_id))
    values: dict[str, Any] = {"number": case.number, "kind": "legal"}
    if kind == "ticket":
        values |= {"number": side.ticket.number, "file_id": side.ticket_file_id}
        values["action"] = TICKET_ACTIONS[action_index % len(TICKET_ACTIONS)]
    elif kind == "certificate":
        values["number"] = side.certificate_number
    else:
        values["file_id"] = file_id
        values["material_id"] = case.materials.first().pk
        values["clock_id"] = case.clocks.first().pk
        values["action"] = CASE_ACTIONS[action_index % len(CASE_ACTIONS)]
    return {arg: values[arg] for arg in groups}


def _operations(world) -> list[tuple[Any, str, str, dict[str, Any]]]:
    """Every (A's user, URL name, kwargs of B's object) of this row; methods are added by the caller."""
    a, b = world["a"], world["b"]
    urls = object_urls()
    out = []
    for user in a.staff:
        for name, groups in urls["staff_case"]:
            out.append((user, "staff_case", name, _kwargs("staff_case", groups, b)))
    for user in a.ticket_staff:
        for name, groups in urls["ticket"]:
            out.append((user, "ticket", name, _kwargs("ticket", groups, b)))
    for name, groups in urls["portal_case"] + urls["certificate"]:
        kind = "certificate" if name == "portal:certificate_detail" else "portal_case"
        out.append((a.citizen, kind, name, _kwargs(kind, groups, b)))
        out.append((a.enterprise, kind, name, _kwargs(kind, groups, b)))
        if kind == "portal_case":
            out.append((a.enterprise, "enterprise_portal", name, _kwargs("enterprise_portal", groups, b)))
            out.append((a.citizen, "enterprise_portal", name, _kwargs("enterprise_portal", groups, b)))
    for name, groups in urls["staff_case"]:
        if name.startswith("api:"):
            out.append((a.citizen, "citizen_api", name, _kwargs("citizen_api", groups, b)))
            out.append((a.enterprise, "enterprise_api", name, _kwargs("enterprise_api", groups, b)))
    return out


def _leak(response, secrets: list[str], gate: Callable[[], int] | None = None) -> str | None:
    """Why this answer to a foreign request is a leak, or None. A 403 passes only when the same request
    for objects that do not exist (`gate()`) gets a 403 too: a role gate that answers before any
    lookup says nothing about the foreign object."""
    status = response.status_code
    if status not in REFUSED and not (status == 403 and gate is not None and gate() == 403):
        return f"status {status}"
    body = _body(response)
    for secret in secrets:
        if secret in body or secret.encode("unicode_escape").decode() in body:
            return f"body carries {secret!r}"
    return None


def _gate(requester: Requester, user, name: str, kwargs: dict[str, Any], method: str) -> int:
    """The status of the same request for objects that do not exist."""
    missing = {arg: ("ZZ-NONE" if isinstance(value, str) else 999999) for arg, value in kwargs.items()}
    missing |= {arg: kwargs[arg] for arg in ("action", "kind") if arg in kwargs}
    return requester.send(user, name, missing, method)[1].status_code


def _state(side: Side) -> tuple:
    cases = Case.objects.filter(
        pk__in=[side.case.pk, side.citizen_case.pk, side.enterprise_case.pk]
    ).order_by("pk")
    return (
        list(cases.values_list("status", "version", "assignee_id")),
        MaterialFile.objects.filter(case_material__case__in=cases).count(),
        Ticket.objects.filter(pk=side.ticket.pk).values_list("status", "department_id").get(),
        side.ticket.files.count(),
    )


# -- the walk ----------------------------------------------------------------------------------------------


OWN_CONTROLS = (
    ("clerk", "staff_case", "workbench:case_detail"),
    ("clerk", "staff_case", "workbench:case_file"),
    ("clerk", "staff_case", "api:case_detail"),
    ("clerk", "staff_case", "api:case_file_download"),
    ("agent", "ticket", "workbench:hotline_detail"),
    ("agent", "ticket", "workbench:hotline_file"),
    ("agent", "ticket", "api:ticket_detail"),
    ("citizen", "portal_case", "portal:case_detail"),
    ("citizen", "portal_case", "portal:case_file"),
    ("citizen", "certificate", "portal:certificate_detail"),
    ("citizen", "citizen_api", "api:case_detail"),
    ("enterprise", "enterprise_portal", "portal:case_detail"),
    ("enterprise", "enterprise_portal", "portal:case_file"),
    ("enterprise", "enterprise_api", "api:case_detail"),
)


def test_the_same_urls_filled_with_the_users_own_objects_answer_200(world):
    """The control: the arguments the walk fills in are real, so its 404s come from the scope check."""
    a = world["a"]
    users = {
        "clerk": a.staff[0],
        "agent": a.ticket_staff[0],
        "citizen": a.citizen,
        "enterprise": a.enterprise,
    }
    groups = dict(row for rows in object_urls().values() for row in rows)
    requester = Requester()
    answers = {}
    for who, kind, name in OWN_CONTROLS:
        _, response = requester.send(users[who], name, _kwargs(kind, groups[name], a), "GET")
        answers[name, kind] = response.status_code
    assert set(answers.values()) == {200}, answers


def test_the_resolver_yields_the_object_urls_of_cases_files_tickets_and_certificates():
    urls = {name for rows in object_urls().values() for name, _ in rows}
    expected = {
        "workbench:case_detail",
        "workbench:case_action",
        "workbench:case_file",
        "workbench:case_materials",
        "workbench:clock_explain",
        "workbench:hotline_detail",
        "workbench:hotline_file",
        "api:case_detail",
        "api:case_file_upload",
        "api:case_file_download",
        "api:case_action_grant",
        "api:case_action_step_opinion",
        "api:ticket_detail",
        "api:ticket_file_download",
        "portal:case_detail",
        "portal:case_file",
        "portal:certificate_detail",
    }
    assert expected <= urls


def test_every_foreign_operation_is_refused_with_404_and_no_foreign_data(world):
    b = world["b"]
    before = _state(b)
    requester = Requester()
    leaks = []
    count = 0
    for user, _, name, kwargs in _operations(world):
        for method in METHODS:
            url, response = requester.send(user, name, kwargs, method)
            count += 1
            gate = functools.partial(_gate, requester, user, name, kwargs, method)
            why = _leak(response, b.secrets, gate)
            if why:
                leaks.append(f"{user.username} {method} {url} ({name}): {why}")
    assert count > 500
    assert leaks == [], f"{len(leaks)} of {count} foreign requests leaked:\n" + "\n".join(leaks)
    assert _state(b) == before


def test_random_foreign_triples_leak_nothing(world):
    """(user, foreign object, operation) triples drawn at random; ZHENGWU_IDOR_EXAMPLES=1000 for the row."""
    b = world["b"]
    before = _state(b)
    operations = _operations(world)
    requester = Requester()
    urls = object_urls()
    groups_of = {name: groups for rows in urls.values() for name, groups in rows}

    @given(
        index=st.integers(0, len(operations) - 1),
        method=st.sampled_from(METHODS),
        action=st.integers(0, len(CASE_ACTIONS) * len(TICKET_ACTIONS)),
    )
    @settings(**_HYPOTHESIS)
    def run(index, method, action):
        user, kind, name, _ = operations[index]
        kwargs = _kwargs(kind, groups_of[name], b, action)
        url, response = requester.send(user, name, kwargs, method)
        why = _leak(response, b.secrets, lambda: _gate(requester, user, name, kwargs, method))
        assert why is None, f"{user.username} {method} {url} ({name}): {why}"

    run()
    assert _state(b) == before


# -- lists, search and exports -----------------------------------------------------------------------------


def _foreign_in(body: str, side: Side, echoed: tuple[str, ...] = ()) -> list[str]:
    """B's identifiers in a list page, after removing the page's echo of the search terms (the search box
    and the tab links repeat the query; only rows count)."""
    for term in echoed:
        body = re.sub(r'(value="|[?&;](search|q)=)' + re.escape(term), r"\1", body)
    return [secret for secret in side.secrets if secret in body]


def test_the_workbench_case_list_and_its_search_show_no_foreign_case(world, client):
    a, b = world["a"], world["b"]
    for user in a.staff:
        client.logout()
        login_verified(client, user)
        for query in ({}, {"search": b.case.number}, {"search": "欧阳"}, {"q": b.case.number}):
            response = client.get(reverse("workbench:case_list"), query)
            assert response.status_code == 200
            found = _foreign_in(response.content.decode(), b, tuple(query.values()))
            assert found == [], (user.username, query)
        own = client.get(reverse("workbench:case_list"), {"search": a.case.number})
        assert f"/workbench/cases/{a.case.number}/" in own.content.decode()  # the search itself works


def test_the_api_case_list_and_its_search_return_no_foreign_case(world):
    a, b = world["a"], world["b"]
    requester = Requester()
    for user in a.staff:
        api = requester.client(user, api=True)
        for query in ({}, {"search": b.case.number}, {"search": "欧阳娜娜"}):
            response = api.get("/api/v1/cases/", query)
            assert response.status_code == 200
            assert _foreign_in(response.content.decode(), b) == [], (user.username, query)
        assert a.case.number in api.get("/api/v1/cases/").content.decode()


def test_the_ticket_lists_show_no_foreign_ticket(world, client):
    a, b = world["a"], world["b"]
    requester = Requester()
    for user in a.ticket_staff:
        api_body = requester.client(user, api=True).get("/api/v1/tickets/", {"search": b.ticket.number})
        assert api_body.status_code in (200, 403)
        assert _foreign_in(api_body.content.decode(), b) == [], user.username
        client.logout()
        login_verified(client, user)
        for name in ("workbench:hotline_console", "workbench:hotline_queue", "workbench:hotline_board"):
            response = client.get(reverse(name), {"q": b.ticket.number})
            assert response.status_code in (200, 403), name
            found = _foreign_in(response.content.decode(), b, (b.ticket.number,))
            assert found == [], (user.username, name)
    agent = a.ticket_staff[0]
    own = requester.client(agent, api=True).get("/api/v1/tickets/")
    assert a.ticket.number in own.content.decode()


def test_the_dashboard_export_and_drilldown_stay_within_the_department(world, client):
    from io import BytesIO

    from openpyxl import load_workbook

    a, b = world["a"], world["b"]
    head = a.staff[2]
    login_verified(client, head)
    response = client.get(reverse("workbench:dashboard_export"), {"period": "2026-06", "by": "department"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    cells = " ".join(str(c) for row in book.active.iter_rows(values_only=True) for c in row if c)
    assert "资阳区" not in cells
    assert "赫山区" in cells
    drill = client.get(
        reverse("workbench:dashboard_drill"),
        {"period": "2026-06", "unit": f"department:{b.case.department_id}", "counter": "received"},
    )
    assert drill.status_code == 404
    assert _foreign_in(drill.content.decode(), b) == []


@pytest.mark.parametrize("who", ["citizen", "enterprise"])
def test_a_citizen_or_enterprise_never_sees_anothers_case_or_certificate(world, client, who):
    a, b = world["a"], world["b"]
    user, own = (a.citizen, a.citizen_case) if who == "citizen" else (a.enterprise, a.enterprise_case)
    login_verified(client, user)
    for name in ("portal:my_cases", "portal:my_certificates"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert _foreign_in(response.content.decode(), b) == [], name
    assert own.number in client.get(reverse("portal:my_cases")).content.decode()
    api = Requester().client(user, api=True)
    for query in ({}, {"search": b.citizen_case.number}, {"search": b.enterprise_case.number}):
        response = api.get("/api/v1/cases/", query)
        assert response.status_code in (200, 403)
        assert _foreign_in(response.content.decode(), b) == [], query
