"""Demo 一件事 cases and 跨域通办 cases, made through the real services so that every child has its own
numbers, clocks, events, certificates and (for later stages) held certificates taken from the library.

Per region with demo bundles: business start-ups (企业开办) mostly finished within their target, a few
still open; restaurants and newborn bundles at different points; one engineering construction project
part-way through its stages. Then a handful of cases received at one county's window for an item of
another county (全市通办). Dates lie in the working days before `today`; each bundle case runs in its
own transaction so the next stage opens on commit, as it does in production. Idempotent: nothing is
made when bundle cases exist.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from zhengwu.bundles.models import Bundle, BundleCase
from zhengwu.bundles.services import bundle_case_accept_all, bundle_case_submit
from zhengwu.cases import services as cs
from zhengwu.cases.models import Case
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.errors import DomainError
from zhengwu.domain.case_flow import INTAKE, Status
from zhengwu.organization.models import Applicant, Department, User
from zhengwu.organization.selectors import department_scope_q
from zhengwu.organization.services import applicant_register
from zhengwu.workdays.selectors import work_calendar

SEED = 20261130
# (bundle key, how far each case goes): "done" = every stage granted and delivered; "stage:N" = stage N
# granted, the next one received; "intake" = submitted, not accepted yet.
PLAN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("company", ("done", "done", "done", "done", "stage:1")),
    ("restaurant", ("done", "stage:1", "intake")),
    ("newborn", ("done", "stage:1")),
    ("retirement", ("done",)),
    ("construction", ("stage:2",)),
)
CROSS_REGION_CASES = 12


@dataclass
class Result:
    bundle_cases: int = 0
    children: int = 0
    cross_region: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)

    def detail(self) -> str:
        return (
            f"一件事办件 {self.bundle_cases} 件（子办件 {self.children} 件），跨域通办办件 {self.cross_region} 件"
            + (
                f"，{self.failed} 件未能生成（{'；'.join(sorted(set(self.reasons))[:3])}）"
                if self.failed
                else ""
            )
        )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LOCAL_TZ)


class _Staff:
    """The demo accounts that may act on a department: a window clerk and a head (who decides)."""

    def __init__(self) -> None:
        self.users = list(
            User.objects.filter(is_active=True, applicant__isnull=True).prefetch_related("roles")
        )
        self.cache: dict[tuple[int, str], User | None] = {}

    def find(self, department: Department, role: str) -> User | None:
        key = (department.pk, role)
        if key not in self.cache:
            self.cache[key] = next(
                (
                    u
                    for u in self.users
                    if u.has_role(role)
                    and Department.objects.filter(department_scope_q(u), pk=department.pk).exists()
                ),
                None,
            )
        return self.cache[key]


def _applicant(rng: random.Random, region_code: str, n: int) -> Applicant:
    """A new demo applicant; a random ID number already registered under another name is drawn again."""
    from zhengwu.cases.demo_data import _id_number, _person_name, _phone

    # Functional zones have internal codes (4309G1…): their residents carry the city's code.
    region6 = region_code[:6] if region_code[:6].isdigit() else region_code[:4] + "00"
    for _attempt in range(10):
        try:
            return applicant_register(
                kind="person",
                name=_person_name(rng),
                id_number=_id_number(rng, region6),
                phone=_phone(rng),
                today=dt.date(2026, 1, 5),
            )
        except DomainError:
            continue
    raise DomainError("no_applicant", "未能生成不重复的演示申请人。")


def _run_child(case: Case, staff: _Staff, day: dt.date, *, deliver: bool) -> None:
    """Take an accepted case through its steps to a grant (and the certificate and delivery)."""
    head = staff.find(case.department, "dept_head")
    clerk = staff.find(case.department, "window_clerk")
    if head is None or clerk is None:
        raise DomainError("no_staff", f"{case.department.name}没有可办理的演示账号。")
    case = Case.objects.get(pk=case.pk)
    while case.status == Status.IN_REVIEW:
        case = cs.case_step_pass(case=case, actor=head, now=at(day, 10))
    case = cs.case_grant(case=Case.objects.get(pk=case.pk), actor=head, now=at(day, 11))
    if deliver:
        cs.case_issue_certificate(case=case, actor=clerk, now=at(day, 14))
        cs.case_deliver(case=Case.objects.get(pk=case.pk), actor=clerk, now=at(day, 16), mode="electronic")


def _receive_and_accept(bundle_case: BundleCase, staff: _Staff, day: dt.date) -> None:
    waiting = [
        child.case
        for child in bundle_case.children.select_related("case__department")
        if child.case.status in INTAKE
    ]
    if not waiting:
        return
    for case in waiting:
        clerk = staff.find(case.department, "window_clerk")
        pending = {m.pk: ("received", "") for m in case.materials.filter(status="pending")}
        if pending:
            cs.case_materials_check(case=case, actor=clerk, checks=pending, now=at(day, 9, 30))
    clerk = staff.find(waiting[0].department, "window_clerk")
    bundle_case_accept_all(bundle_case=bundle_case, actor=clerk, now=at(day, 9, 45))


def _one(
    bundle: Bundle, fate: str, staff: _Staff, rng: random.Random, days: list[dt.date], n: int
) -> BundleCase:
    """Submit one bundle case on days[0] and walk it to its fate, one working day per stage."""
    clerk = staff.find(bundle.members.first().item.department, "window_clerk")
    answers = {str(q.pk): [q.options.order_by("sort_order").first().pk] for q in bundle.questions.all()}
    with transaction.atomic():
        bundle_case = bundle_case_submit(
            bundle=bundle,
            applicant=_applicant(rng, bundle.region.code, n),
            answers=answers,
            channel="window",
            actor=clerk,
            now=at(days[0], 9),
            form_data={"申请事项说明": bundle.name},
        )
    if fate == "intake":
        return bundle_case
    stages = sorted({m.stage for m in bundle_case.members.all()})
    last = len(stages) if fate == "done" else int(fate.split(":")[1])
    day_index = 0
    for number in stages:
        day = days[min(day_index, len(days) - 1)]
        with transaction.atomic():  # the next stage opens when this commits
            bundle_case.refresh_from_db()
            _receive_and_accept(bundle_case, staff, day)
            if number > last:
                break
            for child in bundle_case.children.filter(stage=number).select_related("case__department"):
                _run_child(child.case, staff, day, deliver=True)
        day_index += 1 if bundle.kind != "construction" else 4
    return bundle_case


def _cross_region(staff: _Staff, rng: random.Random, days: list[dt.date], result: Result) -> None:
    """Cases received at one county's window for another county's 通办 item."""
    from zhengwu.catalog.models import ServiceItem

    items = list(
        ServiceItem.objects.filter(current_version__cross_region=True, status="active")
        .select_related("department", "region", "current_version")
        .order_by("pk")
    )
    clerks = [u for u in staff.users if u.has_role("window_clerk") and u.department_id]
    made = 0
    for n in range(CROSS_REGION_CASES * 4):
        if made >= CROSS_REGION_CASES or not items or not clerks:
            break
        item, clerk = rng.choice(items), rng.choice(clerks)
        if clerk.department.region_id == item.region_id:
            continue
        day = days[n % len(days)]
        try:
            with transaction.atomic():
                case = cs.case_create(
                    item=item,
                    applicant=_applicant(rng, clerk.department.region.code, n),
                    channel="window",
                    now=at(day, 10),
                    actor=clerk,
                )
                pending = {m.pk: ("received", "") for m in case.materials.filter(status="pending")}
                if pending:
                    cs.case_materials_check(case=case, actor=clerk, checks=pending, now=at(day, 10, 5))
                handler = staff.find(item.department, "window_clerk")
                if handler is not None and n % 3:
                    cs.case_accept(case=Case.objects.get(pk=case.pk), actor=handler, now=at(day, 15))
        except DomainError:  # outside the item's 通办 scope (another city's window): try another pair
            continue
        made += 1
    result.cross_region = made


def demo_bundle_cases(*, today: dt.date, progress: Callable[[str], None] | None = None) -> Result:
    """Make the demo bundle and cross-region cases (nothing when bundle cases exist)."""
    say = progress or (lambda _text: None)
    result = Result()
    if BundleCase.objects.exists():
        return result
    rng = random.Random(SEED)
    calendar = work_calendar()
    start = today - dt.timedelta(days=90)
    workdays = [
        start + dt.timedelta(days=n)
        for n in range((today - start).days)
        if calendar.covers(start + dt.timedelta(days=n)) and calendar.is_workday(start + dt.timedelta(days=n))
    ]
    if len(workdays) < 30:
        return result
    staff = _Staff()
    bundles = {
        (b.region_id, b.code.split("-", 1)[1]): b
        for b in Bundle.objects.filter(active=True).select_related("region").prefetch_related("members__item")
    }
    regions = sorted({region_id for region_id, _ in bundles})
    n = 0
    for index, region_id in enumerate(regions, start=1):
        for key, fates in PLAN:
            bundle = bundles.get((region_id, key))
            if bundle is None:
                continue
            for fate in fates:
                n += 1
                # Finished ones anywhere in the last months; open ones started in the last two weeks.
                if fate == "done":
                    first = rng.randrange(0, len(workdays) - 25)
                else:
                    first = len(workdays) - rng.randrange(3, 9) if fate != "intake" else len(workdays) - 1
                try:
                    bundle_case = _one(bundle, fate, staff, rng, workdays[first:], n)
                except DomainError as error:
                    result.failed += 1
                    result.reasons.append(f"{bundle.name}：{error.message}")
                    continue
                result.bundle_cases += 1
                result.children += bundle_case.children.count()
        say(f"  一件事办件：{index}/{len(regions)} 个区划")
    _cross_region(staff, rng, workdays[-20:], result)
    return result
