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
once (about 2,700 requests, 1,050 of them on the other objects below);
`test_random_foreign_triples_leak_nothing` draws (user, foreign object, operation) triples with
hypothesis: ZHENGWU_IDOR_EXAMPLES examples, default 150 to keep the file short on a shared 2-core
machine; the row asks for 1,000: `ZHENGWU_IDOR_EXAMPLES=1000`. Lists, search (the search
box's echo of the query does not count, only rows do) and the dashboard export and drill-down are checked
for foreign rows at the end, for staff, citizens and enterprises.

Between applicants: each side also has a citizen and an enterprise (法人) account with a case; each of
A's accounts asks for B's citizen's and enterprise's cases and B's citizen's certificate.

The other business objects of a county are walked the same way (`OTHER_KINDS`): a 一件事 application
(staff screens, and the citizen's own page), an appointment (staff, API, the citizen's page), a queue
ticket and its hall's staff list, a 好差评 review with its rectification and evidence file, an assessment
run (scheme results), a manual evidence entry and its file, and a budget project (goal table with its
indicators). Their staff are A's county staff, A's hall staff, and A's assessors; their secrets (numbers,
comments, measures, file names, project code and name, indicator names) must not appear in any body.
Public hall pages (kiosk, board, number taking) and bearer-token pages (queue slip, review link) are not
object screens and are left out.

Not covered here: joint-step opinions (the `step_opinion` action is walked, but the fixture writes no
opinion row, which needs a joint step).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal as D
from typing import Any

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc

from zhengwu.accounts.testing import login_verified
from zhengwu.appointments.models import Appointment
from zhengwu.appointments.tests.factories import book
from zhengwu.appointments.tests.factories import make_hall as make_appointment_hall
from zhengwu.assessment import services as assessment_services
from zhengwu.assessment.models import Evaluation, ManualEntry, Scheme
from zhengwu.budget import services as budget_services
from zhengwu.budget.models import Project
from zhengwu.bundles.models import Bundle, BundleCase, BundleMember
from zhengwu.bundles.selectors import bundle_get
from zhengwu.bundles.services import bundle_case_submit
from zhengwu.cases import services
from zhengwu.cases.models import Case, MaterialFile
from zhengwu.cases.tests.factories import accepted_case, at, make_applicant, make_citizen, make_county
from zhengwu.catalog.tests.factories import make_item
from zhengwu.common import clock
from zhengwu.common.tests.clients import KeyedAPIClient
from zhengwu.common.tests.resolver import resolver_urls
from zhengwu.domain.identifiers import gb11714_check_digit
from zhengwu.domain.masking import mask_id_number
from zhengwu.hotline import services as hotline_services
from zhengwu.hotline.models import Ticket
from zhengwu.hotline.tests.factories import dispatched, make_hotline
from zhengwu.organization.choices import ApplicantKind, Role
from zhengwu.organization.services import citizen_register
from zhengwu.organization.tests.factories import UserFactory
from zhengwu.queueing.models import QueueTicket
from zhengwu.queueing.services import ticket_issue
from zhengwu.queueing.tests.factories import make_hall as make_queue_hall
from zhengwu.reviews import services as review_services
from zhengwu.reviews.models import Rectification
from zhengwu.reviews.tests.factories import granted_case, rate

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("ZHENGWU_IDOR_EXAMPLES", "150"))
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
REFUSED = {404, 405}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CASE_ACTIONS = ("accept", "step_pass", "grant", "deny", "step_opinion", "withdraw", "archive")
TICKET_ACTIONS = ("sign", "reply", "close", "return", "start")
BUNDLE_ACTIONS = ("accept", "advance")
QUEUE_ACTIONS = ("recall", "skip", "transfer", "start", "finish", "cancel")
RECTIFICATION_ACTIONS = ("verify", "rectify", "explain", "appeal", "decide_appeal", "feed_back", "close")
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
    return _other_kind(namespace, short, groups)


# The other business objects (module docstring). Public hall pages and bearer-token pages are left out.
OTHER_KINDS = (
    "bundle_case",
    "portal_bundle",
    "appointment",
    "portal_appointment",
    "queue_ticket",
    "queue_hall",
    "review",
    "rectification",
    "evaluation",
    "entry",
    "evidence",
    "budget_project",
)
PUBLIC_HALL_URLS = {"api:queue_issue", "api:queue_board"}


def _other_kind(namespace: str, short: str, groups: list[str]) -> str | None:
    staff_side = namespace in ("workbench", "api")
    if staff_side and short.startswith("bundle_case_") and "number" in groups:
        return "bundle_case"
    if namespace == "bundles" and short == "my_bundle_case":
        return "portal_bundle"
    if staff_side and short.startswith("appointment_") and "number" in groups:
        return "appointment"
    if namespace == "portal" and short.startswith("my_appointment") and "number" in groups:
        return "portal_appointment"
    if staff_side and short.startswith("queue_") and "ticket_id" in groups:
        return "queue_ticket"
    if staff_side and short.startswith("queue_") and "hall_id" in groups:
        return None if f"{namespace}:{short}" in PUBLIC_HALL_URLS else "queue_hall"
    if namespace == "api" and short == "review_detail":
        return "review"
    if staff_side and short.startswith("rectification_") and {"pk", "id"} & set(groups):
        return "rectification"
    if staff_side and short.startswith("assessment_") and short != "assessment_scheme_detail":
        if short == "assessment_entry_review":
            return "entry"
        if short == "assessment_evidence":
            return "evidence"
        if {"pk", "id"} & set(groups):
            return "evaluation"
    if staff_side and short.startswith("budget_") and {"pk", "code"} & set(groups):
        return "budget_project"
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
    other: Other
    secrets: list[str] = field(default_factory=list)


@dataclass
class Other:
    """A county's other business objects (OTHER_KINDS) and the staff who handle them."""

    hall_staff: list[Any]
    assessors: list[Any]
    bundle_case: BundleCase
    citizen_bundle_case: BundleCase
    appointment: Appointment
    queue_ticket: QueueTicket
    queue_hall_id: int
    review_number: str
    rectification: Rectification
    rectification_file_id: int
    evaluation: Evaluation
    entry: ManualEntry
    evidence_file_id: int
    project: Project
    secrets: list[str]


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


def _bundle_cases(county, code: str, county_name: str, citizen) -> tuple[BundleCase, BundleCase]:
    """A 一件事 of one member item; one application at the window, one online by the citizen."""
    bundle = Bundle.objects.create(code=f"{code[:6]}-idor", name=f"{county_name}开餐馆", region=county.region)
    item = make_item(department=county.department, name="个体工商户设立登记")
    BundleMember.objects.create(bundle=bundle, item=item, order=1, stage=1, condition="")
    bundle = bundle_get(bundle.code)
    at_window = bundle_case_submit(
        bundle=bundle,
        applicant=make_applicant(
            name=f"{county_name}餐饮", id_number=id_number(f"{code[:6]}1975030301{code[5]}")
        ),
        answers={},
        channel="window",
        actor=county.clerk,
        now=at("2026-06-01", 9),
    )
    online = bundle_case_submit(
        bundle=bundle,
        applicant=citizen.applicant,
        answers={},
        channel="online",
        actor=citizen,
        now=at("2026-06-01", 9),
    )
    return at_window, online


def _other(county, code: str, county_name: str, n: int, citizen, head) -> Other:
    bundle_case, citizen_bundle_case = _bundle_cases(county, code, county_name, citizen)

    appointment_hall = make_appointment_hall(code=code)
    appointment = book(appointment_hall, citizen=citizen, now=at("2026-11-23"))
    queue = make_queue_hall(code=code)
    queue_ticket = ticket_issue(
        hall=queue.hall,
        group=queue.a,
        priority="appointment",
        source="appointment",
        appointment_ref=appointment.number,
        now=at("2026-06-01", 9),
    )

    comment = f"{county_name}窗口服务态度差{n}"
    review = rate(granted_case(county, citizen=citizen), citizen, 2, comment=comment)
    rectification = review_services.rectification_verify(
        rectification=review.rectification, actor=head, now=at("2026-04-02")
    )
    measures = f"{county_name}整改措施{n}"
    rectification_name = f"{county_name}整改报告.pdf"
    rectification = review_services.rectification_rectify(
        rectification=rectification,
        actor=head,
        now=at("2026-04-03"),
        measures=measures,
        files=[(rectification_name, PDF)],
    )

    assessors = [
        UserFactory(department=county.department, roles=[Role.ASSESSOR], scope=[county.region])
        for _ in (1, 2)
    ]
    assessment_services.schemes_ensure_shipped()
    evidence_name = f"{county_name}督查通报.pdf"
    reason = f"{county_name}督查发现问题{n}"
    entry = assessment_services.manual_entry_create(
        scheme_code="yiyang-2020",
        period="2026",
        unit_kind="region",
        unit_id=county.region.pk,
        item_code="1",
        kind="deduction",
        reason=reason,
        files=[assessment_services.Upload(evidence_name, PDF)],
        actor=assessors[0],
    )
    entry = assessment_services.manual_entry_approve(
        entry=entry, actor=assessors[1], now=at("2026-06-01", 10)
    )
    evaluation = assessment_services.evaluation_run(
        scheme=Scheme.objects.get(code="yiyang-2020", active=True),
        period="2026",
        unit_kind="region",
        actor=assessors[0],
    )

    project_name = f"{county_name}政务平台运维"
    indicator_name = f"{county_name}审批受理率（%）"
    project = budget_services.project_create(
        department=county.department,
        code=f"43{n}0522P00B8J81000{n}R",
        name=project_name,
        year=2026,
        fiscal_funds=D("368800.00"),
        actor=head,
    )
    budget_services.indicator_add(
        project=project,
        level1="产出指标",
        level2="数量指标",
        name=indicator_name,
        description="全年审批业务受理情况",
        target="≥95%",
        metric_code="",
    )
    return Other(
        hall_staff=[appointment_hall.clerk, queue.clerk1, queue.manager],
        assessors=assessors,
        bundle_case=bundle_case,
        citizen_bundle_case=citizen_bundle_case,
        appointment=appointment,
        queue_ticket=queue_ticket,
        queue_hall_id=queue.hall.pk,
        review_number=review.number,
        rectification=rectification,
        rectification_file_id=rectification.files.get().pk,
        evaluation=evaluation,
        entry=entry,
        evidence_file_id=entry.files.get().pk,
        project=project,
        secrets=[
            bundle_case.number,
            citizen_bundle_case.number,
            f"{county_name}餐饮",
            appointment.number,
            review.number,
            comment,
            measures,
            rectification_name,
            evidence_name,
            reason,
            project.code,
            project_name,
            indicator_name,
        ],
    )


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
    other = _other(county, code, county_name, n, citizen, county.head)
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
        other=other,
        secrets=[
            *other.secrets,
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


def _other_values(kind: str, other: Other, action_index: int) -> dict[str, Any]:
    if kind == "bundle_case":
        return {
            "number": other.bundle_case.number,
            "action": BUNDLE_ACTIONS[action_index % len(BUNDLE_ACTIONS)],
        }
    if kind == "portal_bundle":
        return {"number": other.citizen_bundle_case.number}
    if kind in ("appointment", "portal_appointment"):
        return {"number": other.appointment.number}
    if kind == "queue_ticket":
        action = QUEUE_ACTIONS[action_index % len(QUEUE_ACTIONS)]
        return {"ticket_id": other.queue_ticket.pk, "action": action}
    if kind == "queue_hall":
        return {"hall_id": other.queue_hall_id}
    if kind == "review":
        return {"number": other.review_number}
    if kind == "rectification":
        action = RECTIFICATION_ACTIONS[action_index % len(RECTIFICATION_ACTIONS)]
        pk = other.rectification.pk
        return {"pk": pk, "id": pk, "file_id": other.rectification_file_id, "action": action}
    if kind == "evaluation":
        return {"pk": other.evaluation.pk, "id": other.evaluation.pk}
    if kind == "entry":
        return {"pk": other.entry.pk}
    if kind == "evidence":
        return {"file_id": other.evidence_file_id}
    if kind == "budget_project":
        return {"pk": other.project.pk, "code": other.project.code}
    raise AssertionError(kind)


def _kwargs(kind: str, groups: list[str], side: Side, action_index: int = 0) -> dict[str, Any]:
    if kind in OTHER_KINDS:
        values = _other_values(kind, side.other, action_index)
        return {arg: values[arg] for arg in groups}
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
    return out + _other_operations(world)


def _other_operations(world) -> list[tuple[Any, str, str, dict[str, Any]]]:
    """OTHER_KINDS: A's county staff, hall staff and assessors, and A's applicants, on B's objects."""
    a, b = world["a"], world["b"]
    urls = object_urls()
    applicants = [a.citizen, a.enterprise]
    users_of = {
        "bundle_case": a.staff,
        "portal_bundle": applicants,
        "appointment": [*a.staff, *a.other.hall_staff],
        "portal_appointment": applicants,
        "queue_ticket": [*a.other.hall_staff, a.staff[0]],
        "queue_hall": [*a.other.hall_staff, a.staff[0]],
        "review": a.staff,
        "rectification": a.staff,
        "evaluation": [*a.other.assessors, a.staff[3]],  # the supervisor may use assessment too
        "entry": [*a.other.assessors, a.staff[3]],
        "evidence": [*a.other.assessors, a.staff[3]],
        "budget_project": a.staff,
    }
    out = []
    for kind in OTHER_KINDS:
        for name, groups in urls.get(kind, []):
            users = users_of[kind]
            if name.startswith("api:") and kind in ("appointment", "review"):
                users = [*users, *applicants]  # a citizen reads their own through the API
            for user in users:
                out.append((user, kind, name, _kwargs(kind, groups, b)))
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
    other = side.other
    return (
        list(cases.values_list("status", "version", "assignee_id")),
        MaterialFile.objects.filter(case_material__case__in=cases).count(),
        Ticket.objects.filter(pk=side.ticket.pk).values_list("status", "department_id").get(),
        side.ticket.files.count(),
        list(
            Case.objects.filter(bundle_link__bundle_case=other.bundle_case)
            .order_by("pk")
            .values_list("status", "version")
        ),
        Appointment.objects.filter(pk=other.appointment.pk).values_list("status").get(),
        QueueTicket.objects.filter(pk=other.queue_ticket.pk).values_list("status", "group_id").get(),
        Rectification.objects.filter(pk=other.rectification.pk).values_list("state", "version").get(),
        other.rectification.files.count(),
        Evaluation.objects.filter(pk=other.evaluation.pk).values_list("status").get(),
        Evaluation.objects.count(),
        ManualEntry.objects.filter(pk=other.entry.pk).values_list("status").get(),
        Project.objects.filter(pk=other.project.pk).values_list("name", "updated_at").get(),
        other.project.indicators.count(),
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


OTHER_CONTROLS = (
    ("clerk", "bundle_case", "workbench:bundle_case_detail"),
    ("citizen", "portal_bundle", "bundles:my_bundle_case"),
    ("clerk", "appointment", "api:appointment_detail"),
    ("citizen", "appointment", "api:appointment_detail"),
    ("citizen", "portal_appointment", "portal:my_appointment"),
    ("queue_manager", "queue_hall", "workbench:queue_hall"),
    ("queue_manager", "queue_hall", "api:queue_hall_tickets"),
    ("head", "review", "api:review_detail"),
    ("head", "rectification", "workbench:rectification_detail"),
    ("head", "rectification", "workbench:rectification_file"),
    ("assessor", "evaluation", "workbench:assessment_evaluation"),
    ("assessor", "evaluation", "api:assessment_evaluation_detail"),
    ("assessor", "evidence", "workbench:assessment_evidence"),
    ("head", "budget_project", "workbench:budget_project"),
    ("head", "budget_project", "api:budget_project_detail"),
)


def test_the_other_objects_urls_filled_with_the_users_own_objects_answer_200(world):
    """The control for OTHER_KINDS: A's own bundle case, appointment, hall, review, rectification,
    assessment run and evidence, and budget project open for A's users."""
    a = world["a"]
    users = {
        "clerk": a.staff[0],
        "head": a.staff[2],
        "queue_manager": a.other.hall_staff[2],
        "assessor": a.other.assessors[0],
        "citizen": a.citizen,
    }
    groups = dict(row for rows in object_urls().values() for row in rows)
    requester = Requester()
    answers = {}
    for who, kind, name in OTHER_CONTROLS:
        _, response = requester.send(users[who], name, _kwargs(kind, groups[name], a), "GET")
        answers[name, who] = response.status_code
    assert set(answers.values()) == {200}, answers


def test_the_resolver_yields_the_object_urls_of_the_other_business_objects():
    urls = object_urls()
    expected = {
        "bundle_case": {"workbench:bundle_case_detail", "workbench:bundle_case_action"},
        "portal_bundle": {"bundles:my_bundle_case"},
        "appointment": {"workbench:appointment_check_in", "api:appointment_detail", "api:appointment_cancel"},
        "portal_appointment": {"portal:my_appointment", "portal:my_appointment_cancel"},
        "queue_ticket": {"workbench:queue_ticket_action", "api:queue_recall", "api:queue_finish"},
        "queue_hall": {"workbench:queue_hall", "api:queue_hall_tickets"},
        "review": {"api:review_detail"},
        "rectification": {
            "workbench:rectification_detail",
            "workbench:rectification_action",
            "workbench:rectification_file",
            "api:rectification_verify",
        },
        "evaluation": {
            "workbench:assessment_evaluation",
            "workbench:assessment_scoresheet",
            "workbench:assessment_publish",
            "api:assessment_evaluation_detail",
            "api:assessment_evaluation_publish",
        },
        "entry": {"workbench:assessment_entry_review"},
        "evidence": {"workbench:assessment_evidence"},
        "budget_project": {
            "workbench:budget_project",
            "workbench:budget_indicator_add",
            "workbench:budget_export",
            "api:budget_project_detail",
            "api:budget_monitoring",
        },
    }
    for kind, names in expected.items():
        assert names <= {name for name, _ in urls.get(kind, [])}, kind
    public = {name for rows in urls.values() for name, _ in rows} & (
        PUBLIC_HALL_URLS | {"portal:queue_board"}
    )
    assert public == set()


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


OTHER_LISTS = {
    "staff": (
        "workbench:bundle_case_list",
        "workbench:appointment_list",
        "workbench:rectification_list",
        "workbench:budget_list",
        "api:appointment_list",
        "api:review_list",
        "api:budget_project_list",
    ),
    "hall": ("workbench:queue_console", "workbench:appointment_list", "api:appointment_list"),
    "assessor": ("workbench:assessment_home", "workbench:assessment_entries"),
    "applicant": ("portal:my_appointments", "api:appointment_list", "api:review_list"),
}


def test_the_lists_of_the_other_objects_show_no_foreign_row(world, client):
    """Bundle cases, appointments, queue, rectifications, reviews, assessment runs and entries, budget
    projects: A's lists carry none of B's objects (and A's own rows are there)."""
    a, b = world["a"], world["b"]
    users = {
        "staff": a.staff,
        "hall": a.other.hall_staff,
        "assessor": a.other.assessors,
        "applicant": [a.citizen, a.enterprise],
    }
    requester = Requester()
    for group, names in OTHER_LISTS.items():
        for user in users[group]:
            for name in names:
                response = requester.send(user, name, {}, "GET")[1]
                assert response.status_code in (200, 403), (user.username, name, response.status_code)
                assert _foreign_in(_body(response), b) == [], (user.username, name)
    head, assessor = a.staff[2], a.other.assessors[0]
    assert a.other.project.name in _body(requester.send(head, "workbench:budget_list", {}, "GET")[1])
    assert a.other.review_number in _body(requester.send(head, "workbench:rectification_list", {}, "GET")[1])
    entries = _body(requester.send(assessor, "workbench:assessment_entries", {}, "GET")[1])
    assert a.other.entry.reason in entries


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
