"""The only write path of cases: one service per transition of `zhengwu.domain.case_flow`.

Every transition runs in one transaction: it asks the transition table, moves the status with a
guarded `UPDATE … WHERE id = ? AND version = ? AND status = ?` (so of two staff acting on the same
case at once exactly one wins, on SQLite and PostgreSQL alike, and the other gets "已被他人处理"),
writes the clocks and an immutable event, and re-derives the due dates from the clock ledgers.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from zhengwu.cases import choices as c
from zhengwu.cases.models import (
    Card,
    Case,
    CaseEvent,
    CaseMaterial,
    CaseSequence,
    CaseStep,
    Certificate,
    Clock,
    ClockSegment,
    MaterialFile,
    StepOpinion,
)
from zhengwu.cases.signals import card_changed, case_transitioned
from zhengwu.catalog.choices import (
    CaseKind,
    LifecycleStatus,
    LimitUnit,
    MaterialSource,
    Necessity,
    ReformMode,
    VersionStatus,
)
from zhengwu.catalog.models import ServiceItem
from zhengwu.common import filestore
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.common.sequences import next_in_sequence
from zhengwu.common.uploads import check_file_count, inspect_upload
from zhengwu.domain import deadlines as dl
from zhengwu.domain.calendar import CalendarNotAvailable, WorkCalendar
from zhengwu.domain.case_flow import FINISHED, INTAKE, Action, Status, TransitionNotAllowed, next_status
from zhengwu.domain.identifiers import InvalidIdentifier, validate_id_number
from zhengwu.organization.choices import RegionLevel, Role
from zhengwu.organization.models import Applicant, Department, Region, User, Window
from zhengwu.organization.selectors import department_scope_q, sees_everything
from zhengwu.workdays.selectors import work_calendar

INTAKE_DAYS = 5  # 行政许可法 §32
CERTIFICATE_DAYS = 10  # §44
DEFICIENCY_DAYS = 10  # DOMAIN §4.4 default
POST_CHECK_DAYS = 20  # DOMAIN §4.4 default
EXTENSION_MAX = {CaseKind.JOINT: 15}  # §42: +10, joint handling +15
EXTENSION_DEFAULT_MAX = 10
RECTIFY_DAYS = 3  # R2: a yellow open 3 wd after issue
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

INTAKE_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.DEPT_HEAD)
REVIEW_ROLES = (Role.APPROVER, Role.DEPT_HEAD)
RUNNING_KINDS = (c.ClockKind.STATUTORY, c.ClockKind.PROMISED, c.ClockKind.STEP)
PAUSE_KINDS = ("excluded", "suspended")
# Rules cured when their clock stops (DOMAIN §5.1): N1/Y1/R1/Y5 as the case finishes, Y2 as its step
# finishes, D1 as the deferred materials are in. The card is closed (`closed_on`), never deleted; Y3
# and R2 close only by an accepted 整改说明 (`card_accept_response`). See `domain.deadlines` for the table.
CURED_ON_STOP = ("N1", "Y1", "Y2", "Y5", "R1", "D1")
PAUSE_OVERRUN = "Y2P"  # a §45/中止 pause open past its notified expected end (DOMAIN §4.2)
DEFICIENCY_OVERDUE = "D1"  # 容缺 materials not supplied by the deficiency clock's due date (DOMAIN §4.4)


class Conflict(DomainError):
    status_code = 409

    def __init__(self, message: str = "该办件已被他人处理，请刷新页面后重试。") -> None:
        super().__init__("conflict", message)


# Two clerks accepting one case (SECURITY.md row 10): the loser is told who won, whether it read the case
# before the winner's commit (stale version) or after it (already accepted).
ACCEPT_CONFLICT = "该件已被他人受理，请刷新页面后重试。"


# -- reading helpers shared by the services ------------------------------------------------------


def local_date(now: dt.datetime) -> dt.date:
    return now.astimezone(LOCAL_TZ).date()


def case_calendar(case: Case) -> WorkCalendar:
    return work_calendar(region=case.region)


def staff_can_act_on(user: User, case: Case) -> bool:
    """Whether a staff member's data scope covers the case's department."""
    if not user.is_authenticated or user.applicant_id:
        return False
    return _scope_covers(user, case.department_id)


def staff_received(user: User, case: Case) -> bool:
    """Whether a staff member's scope covers the department whose window received the case (跨域通办:
    the receiving side checks the materials, forwards them and hands out the result)."""
    if not user.is_authenticated or user.applicant_id or not case.intake_department_id:
        return False
    return _scope_covers(user, case.intake_department_id)


def _scope_covers(user: User, department_id: int) -> bool:
    if sees_everything(user):
        return True
    return Department.objects.filter(department_scope_q(user), pk=department_id).exists()


def is_case_owner(user: User | None, case: Case) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.applicant_id
        and (case.applicant_account_id == user.pk or case.applicant_id == user.applicant_id)
    )


def _require_staff(actor: User, case: Case, roles: Iterable[str], *, receiving_side: bool = False) -> None:
    """The actor holds one of `roles` and the case is in their scope: the handling department's, or, for
    the steps a receiving window takes (`receiving_side`), also the receiving department's."""
    if not (actor.has_role(*roles) or actor.is_superuser):
        raise PermissionDenied("您的角色不能执行此操作。")
    if staff_can_act_on(actor, case) or (receiving_side and staff_received(actor, case)):
        return
    raise PermissionDenied("该办件不在您的数据范围内。")


def _require_owner_or_staff(
    actor: User, case: Case, roles: Iterable[str], *, receiving_side: bool = False
) -> None:
    if is_case_owner(actor, case):
        return
    _require_staff(actor, case, roles, receiving_side=receiving_side)


def _role_label(actor: User | None, case: Case) -> str:
    if actor is None:
        return "系统"
    if is_case_owner(actor, case):
        return "申请人"
    for role in Role:
        if actor.has_role(role):
            return role.label
    return "管理员" if actor.is_superuser else ""


def _require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", message, {field: [message]})
    return value


# -- numbers -------------------------------------------------------------------------------------


def _next_number(case_region_code: str, day: dt.date) -> str:
    """Region code (6 digits) + date + a 6-digit daily sequence, e.g. 430903-20261130-000042."""
    prefix = case_region_code[:6]
    last = next_in_sequence(CaseSequence, prefix=prefix, day=day)
    return f"{prefix}-{day:%Y%m%d}-{last:06d}"


def _query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(6))


# -- the guarded transition ----------------------------------------------------------------------


def _transition(
    case: Case,
    action: Action,
    *,
    actor: User | None,
    now: dt.datetime,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    target: Status | None = None,
    **updates: Any,
) -> Case:
    """Move `case` by `action` (or to `target`, which the table must allow as an action), guarded."""
    try:
        allowed = next_status(case.status, action)
    except TransitionNotAllowed as refused:
        raise DomainError("transition_not_allowed", str(refused)) from None
    new_status = target or allowed
    rows = Case.objects.filter(pk=case.pk, version=case.version, status=case.status).update(
        status=new_status, version=F("version") + 1, **updates
    )
    if rows != 1:
        raise Conflict()
    old_status = case.status
    case.status, case.version = new_status.value, case.version + 1
    for field, value in updates.items():
        setattr(case, field, value)
    _event(case, action.value, actor=actor, now=now, comment=comment, data=data, old=old_status)
    case_transitioned.send(
        sender=Case,
        case=case,
        action=action.value,
        old_status=old_status,
        new_status=case.status,
        now=now,
        actor=actor,
    )
    return case


def _touch(
    case: Case, action: str, *, actor: User | None, now: dt.datetime, comment: str = "", data=None
) -> None:
    """Record an action that keeps the status (a step, a pause), still guarded by the version."""
    rows = Case.objects.filter(pk=case.pk, version=case.version).update(version=F("version") + 1)
    if rows != 1:
        raise Conflict()
    case.version += 1
    _event(case, action, actor=actor, now=now, comment=comment, data=data, old=case.status)


def _event(case: Case, action: str, *, actor, now, comment="", data=None, old="") -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        action=action,
        actor=actor,
        actor_name=(str(actor) if actor is not None else "系统"),
        actor_role=_role_label(actor, case),
        at=now,
        from_status=old,
        to_status=case.status,
        comment=comment,
        data=dict(data or {}),
    )


# -- clocks --------------------------------------------------------------------------------------


def _start_clock(
    case: Case, kind: str, budget: int, start: dt.date, *, step: CaseStep | None = None
) -> Clock:
    clock = Clock(case=case, kind=kind, budget=budget, start_date=start, step=step)
    _project_clock(clock, case_calendar(case), start, segments=[])
    clock.save()
    return clock


def _segments(clock: Clock, rows: Iterable[ClockSegment] | None = None) -> list[dl.Segment]:
    rows = clock.segments.all() if rows is None else rows
    return [dl.Segment(dl.SegmentKind(row.kind), row.start, row.end, row.days, row.reason) for row in rows]


def _project_clock(clock: Clock, calendar: WorkCalendar, today: dt.date, segments=None) -> dl.Projection:
    segments = _segments(clock) if segments is None else segments
    projection = dl.project(
        calendar, budget=clock.budget, start=clock.start_date, segments=segments, today=today
    )
    clock.due_date, clock.provisional = projection.due, projection.provisional
    return projection


def _stop_clocks(case: Case, today: dt.date, kinds: Iterable[str] | None = None) -> None:
    """Stop clocks (all of them: the case is finished) and close the cards their stopping cures."""
    qs = case.clocks.exclude(status=c.ClockStatus.STOPPED)
    if kinds is not None:
        qs = qs.filter(kind__in=list(kinds))
    stopped = []
    for clock in qs:
        clock.segments.filter(end__isnull=True).update(end=today)
        clock.status, clock.stopped_on = c.ClockStatus.STOPPED, today
        clock.save(update_fields=["status", "stopped_on", "updated_at"])
        stopped.append(clock.pk)
    _close_cured_cards(case, today, stopped)
    if kinds is None:  # the case is finished: a pause still open ends with it
        _close_pause_overrun(case, today)
        if case.paused:
            Case.objects.filter(pk=case.pk).update(paused=False)
            case.paused = False


def _close_cured_cards(case: Case, today: dt.date, clock_ids: Iterable[int]) -> None:
    clock_ids = list(clock_ids)
    if clock_ids:
        Card.objects.filter(
            case=case, clock_id__in=clock_ids, rule__in=CURED_ON_STOP, closed_on__isnull=True
        ).update(closed_on=today)


def _close_pause_overrun(case: Case, today: dt.date) -> None:
    """A new written notice, the resume or the end of the case cures the pause-overrun yellow."""
    Card.objects.filter(case=case, rule=PAUSE_OVERRUN, closed_on__isnull=True).update(closed_on=today)


def _pause_notice(case: Case, actions: Iterable[str] = ("pause", "pause_renotify")) -> CaseEvent | None:
    """The latest written notice of the case's pause (the pause itself or a later renotification)."""
    return case.events.filter(action__in=list(actions)).order_by("-at", "-id").first()


def _open_pause(case: Case) -> dict[str, Any]:
    """What the case's open pause is (kind, reason, notified expected end), for a clock joining it.

    Taken from an open segment of another clock of the case; when the case has no working-day clock
    (nothing was paused but the case itself), from the journalled pause notice.
    """
    segment = (
        ClockSegment.objects.filter(clock__case=case, end__isnull=True, kind__in=PAUSE_KINDS)
        .order_by("-id")
        .first()
    )
    if segment is not None:
        return {
            "kind": segment.kind,
            "reason_code": segment.reason_code,
            "reason": segment.reason,
            "expected_end": segment.expected_end,
            "notified_on": segment.notified_on,
        }
    pause, notice = _pause_notice(case, ("pause",)), _pause_notice(case)
    if pause is None or notice is None:
        return {"kind": "suspended", "reason_code": "", "reason": "随办件暂停"}
    expected_end = notice.data.get("expected_end")
    return {
        "kind": pause.data.get("kind") or "suspended",
        "reason_code": pause.data.get("reason_code", ""),
        "reason": pause.comment or "随办件暂停",
        "expected_end": dt.date.fromisoformat(expected_end) if expected_end else None,
        "notified_on": local_date(notice.at),
    }


def _refresh_dues(case: Case, today: dt.date) -> None:
    """Materialise the promised/statutory due dates and the warning on the case row.

    `paused` is not derived here: it is the case's own state, set by `case_pause` and cleared by
    `case_resume` (or the end of the case), so a pause holds even when the item has no working-day clock.
    The warning is the highest level ever issued and not voided (closed cards are history, still counted).
    """
    clocks = {clock.kind: clock for clock in case.clocks.filter(step__isnull=True)}
    promised, statutory = clocks.get(c.ClockKind.PROMISED), clocks.get(c.ClockKind.STATUTORY)
    case.promised_due = promised.due_date if promised else None
    case.statutory_due = statutory.due_date if statutory else None
    case.due_provisional = bool((promised and promised.provisional) or (statutory and statutory.provisional))
    levels = [dl.Level(level) for level in case.cards.filter(voided=False).values_list("level", flat=True)]
    case.warning = dl.max_level(*levels).value
    Case.objects.filter(pk=case.pk).update(
        promised_due=case.promised_due,
        statutory_due=case.statutory_due,
        due_provisional=case.due_provisional,
        warning=case.warning,
    )


def _start_review_clocks(case: Case, accepted_on: dt.date) -> None:
    version = case.item_version
    statutory = version.legal_limit if version.legal_limit_unit == "working_day" else None
    promised = version.promised_limit if version.promised_limit_unit == "working_day" else None
    if statutory:
        _start_clock(case, c.ClockKind.STATUTORY, statutory, accepted_on)
    if promised:
        _start_clock(case, c.ClockKind.PROMISED, promised, accepted_on)


def _open_steps(case: Case, today: dt.date) -> None:
    """Copy the item's process into review steps and enter the first one."""
    steps = list(case.item_version.steps.all())
    if not steps:
        CaseStep.objects.create(case=case, order=1, name="审查", limit=None)
    for index, step in enumerate(steps, start=1):
        # 受理 is the intake itself and 办结/送达 follow the decision: review covers the steps between.
        if step.name in (
            "受理",
            "申请",
            "申请与受理",
            "决定",
            "审批决定",
            "办结",
            "送达",
            "制证",
            "办结送达",
        ):
            continue
        # A step clock counts working days; a limit in hours or natural days is not one of those.
        limit = step.limit if step.limit_unit == "working_day" else None
        CaseStep.objects.create(case=case, order=index, name=step.name, limit=limit)
    if not case.steps.exists():
        CaseStep.objects.create(case=case, order=1, name="审查", limit=None)
    _enter_step(case, case.steps.order_by("order").first(), today)


def _enter_step(case: Case, step: CaseStep, today: dt.date, assignee: User | None = None) -> None:
    step.status, step.entered_on, step.finished_on = c.StepStatus.ACTIVE, today, None
    step.assignee = assignee
    step.save(update_fields=["status", "entered_on", "finished_on", "assignee", "updated_at"])
    if step.limit:
        clock = _start_clock(case, c.ClockKind.STEP, step.limit, today, step=step)
        if case.paused:  # a case-wide pause is open: the new step clock waits too, for the same reason
            ClockSegment.objects.create(clock=clock, start=today, **_open_pause(case))
            clock.status = c.ClockStatus.PAUSED
            clock.due_date = None
            clock.save(update_fields=["status", "due_date", "updated_at"])
    Case.objects.filter(pk=case.pk).update(current_step=step, assignee=assignee)
    case.current_step, case.assignee = step, assignee


def _leave_step(case: Case, step: CaseStep, today: dt.date, status: str) -> None:
    step.status, step.finished_on = status, today
    step.save(update_fields=["status", "finished_on", "updated_at"])
    stopped = []
    for clock in step.clocks.exclude(status=c.ClockStatus.STOPPED):
        clock.segments.filter(end__isnull=True).update(end=today)
        clock.status, clock.stopped_on = c.ClockStatus.STOPPED, today
        clock.save(update_fields=["status", "stopped_on", "updated_at"])
        stopped.append(clock.pk)
    _close_cured_cards(case, today, stopped)  # Y2 is cured by the step finishing


# -- creating and submitting ---------------------------------------------------------------------


def _city_or_province(region: Region, level: int) -> str | None:
    """The code of the ancestor of `region` (itself included) at `level`, if the tree holds one."""
    codes = region.ancestor_codes
    return Region.objects.filter(code__in=codes, level=level).values_list("code", flat=True).first()


def _require_cross_region_intake(item: ServiceItem, version, department: Department | None) -> None:
    """A window outside the item's department may receive it only when the version is marked 通办 and
    the window is within its scope: 全市通办 within the same city, 全省通办 the same province,
    跨省通办 / 全国通办 anywhere."""
    if not version.cross_region:
        raise PermissionDenied("该事项的实施部门不在您的数据范围内，且该事项不支持跨域通办，不能收件。")
    if department is None:
        raise PermissionDenied("您未归属任何部门，不能跨域收件。")
    scope = version.cross_region_scope or "全市通办"
    if "跨省" in scope or "全国" in scope:
        return
    level = RegionLevel.PROVINCE if "全省" in scope else RegionLevel.CITY
    if _city_or_province(department.region, level) != _city_or_province(item.region, level):
        raise PermissionDenied(f"该事项的通办范围为“{scope}”，{department.region.name}的窗口不能收件。")


def _attach_held_certificates(case: Case, today: dt.date) -> list[CaseMaterial]:
    """免提交 (减材料, 证照通): a material issued by the government that the applicant holds as a valid
    electronic certificate of the same name is taken from the certificate library, marked received and
    linked to the certificate; the applicant is not asked for it. Returns the materials it filled."""
    from zhengwu.cases.selectors import certificates_held, material_key

    wanted = list(
        case.materials.filter(
            material__source=MaterialSource.GOVERNMENT, status=c.MaterialStatus.PENDING, certificate=None
        )
    )
    if not wanted:
        return []
    held = certificates_held(applicant_id=case.applicant_id, today=today)
    filled = []
    for material in wanted:
        certificate = held.get(material_key(material.name))
        if certificate is None:
            continue
        material.status, material.certificate = c.MaterialStatus.RECEIVED, certificate
        material.note = f"免提交：已从电子证照库调取（{certificate.number}）"
        material.save(update_fields=["status", "certificate", "note", "updated_at"])
        filled.append(material)
    return filled


def certificates_attach_to_open_cases(*, certificate: Certificate, today: dt.date) -> int:
    """A newly issued certificate fills the same-named material of its holder's cases still in intake
    (the next stage of a bundle, an application filed while the licence was being made). Returns how
    many materials it filled."""
    cases = Case.objects.filter(
        applicant_id=certificate.holder_id, status__in=[Status.DRAFT, *[s.value for s in INTAKE]]
    ).exclude(pk=certificate.case_id)
    return sum(len(_attach_held_certificates(case, today)) for case in cases)


@transaction.atomic
def case_create(
    *,
    item: ServiceItem,
    applicant: Applicant,
    channel: str,
    now: dt.datetime,
    actor: User | None = None,
    form_data: Mapping[str, Any] | None = None,
    contact_phone: str = "",
    agent_name: str = "",
    agent_id_number: str = "",
    agent_phone: str = "",
    window: Window | None = None,
    draft: bool = False,
) -> Case:
    """Open a case for the published version of `item`: a draft online, or received at a window."""
    if channel not in c.Channel.values:
        raise DomainError("invalid", f"申报渠道无效：{channel}。", {"channel": ["申报渠道无效。"]})
    if item.status != LifecycleStatus.ACTIVE:
        raise DomainError(
            "item_unavailable", f"事项“{item.name}”当前不可申请（{item.get_status_display()}）。"
        )
    version = item.current_version
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise DomainError("item_unavailable", f"事项“{item.name}”尚无已发布的办事指南，不能申请。")
    if channel == c.Channel.ONLINE and version.online_depth < 3:
        raise DomainError("not_online", f"事项“{item.name}”不支持网上申办，请到窗口办理。")
    if (
        actor is not None
        and not actor.applicant_id
        and not (actor.has_role(*INTAKE_ROLES) or actor.is_superuser)
    ):
        raise PermissionDenied("您的角色不能受理办件。")
    intake_department = actor.department if actor is not None and not actor.applicant_id else None
    cross_region = (
        actor is not None and not actor.applicant_id and not _scope_covers(actor, item.department_id)
    )
    if cross_region:
        _require_cross_region_intake(item, version, intake_department)
    if actor is not None and actor.applicant_id and actor.applicant_id != applicant.pk:
        # A citizen's account owns what it files; filing in another person's name would hand it that case.
        raise PermissionDenied("网上申报只能以账号本人为申请人。")
    today = local_date(now)
    case = Case(
        # A placeholder until the end: the daily sequence row stays locked from its increment to the
        # commit, so it is taken last and concurrent intakes queue for milliseconds, not a whole intake.
        number=f"TMP-{secrets.token_hex(12)}",
        query_code=_query_code(),
        item=item,
        item_version=version,
        department=item.department,
        region=item.region,
        intake_department=intake_department,
        intake_region=intake_department.region if intake_department is not None else None,
        cross_region=cross_region,
        window=window,
        applicant=applicant,
        applicant_account=actor if actor is not None and actor.applicant_id else None,
        agent_name=agent_name.strip(),
        agent_id_number=agent_id_number.strip().upper(),
        agent_phone=agent_phone.strip(),
        contact_phone=(contact_phone or applicant.phone).strip(),
        channel=channel,
        case_kind=version.case_kind,
        form_data=dict(form_data or {}),
        status=Status.DRAFT,
    )
    if case.agent_id_number:
        try:
            validate_id_number(case.agent_id_number, today=today)
        except InvalidIdentifier as bad:
            raise DomainError(
                "invalid", f"代办人证件号码无效：{bad}", {"agent_id_number": [str(bad)]}
            ) from None
    case.save()
    CaseMaterial.objects.bulk_create(
        CaseMaterial(
            case=case,
            material=material,
            name=material.name,
            necessity=material.necessity,
            sort_order=material.sort_order,
        )
        for material in version.materials.all()
    )
    _event(case, "save_draft", actor=actor, now=now, comment="创建办件")
    if cross_region:
        _event(
            case,
            "cross_region_intake",
            actor=actor,
            now=now,
            comment=f"跨域通办：{intake_department.name}收件，转{item.department.name}办理",
        )
    _attach_held_certificates(case, today)
    if not draft:
        case_submit(case=case, actor=actor, now=now)
    case.number = _next_number(item.region.code, today)
    Case.objects.filter(pk=case.pk).update(number=case.number)
    return case


@transaction.atomic
def case_submit(*, case: Case, actor: User | None, now: dt.datetime) -> Case:
    """Submit a draft: the case is received today and the 5-working-day intake clock starts (§32)."""
    if actor is not None and not is_case_owner(actor, case):
        _require_staff(actor, case, INTAKE_ROLES, receiving_side=True)
    today = local_date(now)
    _transition(case, Action.SUBMIT, actor=actor, now=now, received_on=today, received_at=now)
    if case.case_kind == CaseKind.IMMEDIATE:
        _start_clock(case, c.ClockKind.IMMEDIATE, 0, today)
    else:
        _start_clock(case, c.ClockKind.INTAKE, INTAKE_DAYS, today)
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_form_update(
    *,
    case: Case,
    actor: User,
    form_data: Mapping[str, Any],
    now: dt.datetime,
    contact_phone: str | None = None,
) -> Case:
    """Edit the application form of a draft (and its contact phone, when given)."""
    if not is_case_owner(actor, case):
        _require_staff(actor, case, INTAKE_ROLES)
    if case.status != Status.DRAFT:
        raise DomainError("not_draft", "只有草稿可以修改申请表。")
    phone = case.contact_phone if contact_phone is None else contact_phone.strip()
    rows = Case.objects.filter(pk=case.pk, version=case.version, status=Status.DRAFT).update(
        form_data=dict(form_data), contact_phone=phone, version=F("version") + 1
    )
    if rows != 1:
        raise Conflict()
    case.form_data, case.contact_phone, case.version = dict(form_data), phone, case.version + 1
    return case


# -- materials and files -------------------------------------------------------------------------


@transaction.atomic
def case_file_add(
    *, case: Case, material: CaseMaterial, name: str, data: bytes, actor: User, now: dt.datetime
) -> MaterialFile:
    """Attach a file to a material after checking its real type; the blob is stored before the row."""
    _require_owner_or_staff(actor, case, INTAKE_ROLES, receiving_side=True)
    if material.case_id != case.pk:
        raise DomainError("invalid", "材料不属于该办件。", {"material": ["材料不属于该办件。"]})
    if case.status in FINISHED:
        raise DomainError("case_finished", "办件已办结，不能再上传材料。")
    check_file_count(existing=material.files.count(), what=f"材料“{material.name}”")
    info = inspect_upload(name=name, data=data)
    file = MaterialFile.objects.create(
        case_material=material, uploaded_by=actor, **filestore.stored_fields(data, info)
    )
    _event(case, "upload", actor=actor, now=now, comment=f"{material.name}：{info.original_name}")
    return file


@transaction.atomic
def case_materials_check(
    *, case: Case, actor: User, checks: Mapping[int, tuple[str, str]], now: dt.datetime
) -> Case:
    """Record what the clerk found for each material: {material_id: (status, note)}."""
    _require_staff(actor, case, INTAKE_ROLES, receiving_side=True)
    materials = {m.pk: m for m in case.materials.all()}
    errors: dict[str, list[str]] = {}
    for material_id, (status, _note) in checks.items():
        if material_id not in materials:
            errors[f"materials.{material_id}"] = ["材料不属于该办件。"]
        elif status not in c.MaterialStatus.values:
            errors[f"materials.{material_id}"] = [f"核验状态无效：{status}。"]
        elif status == c.MaterialStatus.DEFERRED and materials[material_id].necessity != Necessity.DEFERRABLE:
            errors[f"materials.{material_id}"] = [f"“{materials[material_id].name}”不是容缺可后补材料。"]
    if errors:
        raise DomainError("invalid", "材料核验信息有误。", errors)
    for material_id, (status, note) in checks.items():
        material = materials[material_id]
        material.status, material.note = status, (note or "").strip()
        material.save(update_fields=["status", "note", "updated_at"])
    summary = "；".join(
        f"{materials[pk].name}：{c.MaterialStatus(status).label}" for pk, (status, _n) in checks.items()
    )
    # Ticking materials races with nobody's status change: journal it on the current version.
    case.version = Case.objects.filter(pk=case.pk).values_list("version", flat=True).get()
    _touch(case, "materials_check", actor=actor, now=now, comment=summary)
    return case


def _missing_required(case: Case, *, allow_deferred: bool = False) -> list[CaseMaterial]:
    ok = {c.MaterialStatus.RECEIVED, c.MaterialStatus.NOT_APPLICABLE}
    if allow_deferred:
        ok.add(c.MaterialStatus.DEFERRED)
    return [
        m
        for m in case.materials.all()
        if m.necessity in (Necessity.REQUIRED, Necessity.DEFERRABLE) and m.status not in ok
    ]


def _require_complete(case: Case, *, allow_deferred: bool = False) -> None:
    missing = _missing_required(case, allow_deferred=allow_deferred)
    if missing:
        names = "、".join(m.name for m in missing)
        raise DomainError(
            "materials_incomplete",
            f"以下必要材料尚未核验收取：{names}。请补正或一次性告知。",
            {"materials": [f"{m.name}：{m.get_status_display()}" for m in missing]},
        )


# -- intake (§32) --------------------------------------------------------------------------------


def _accept(
    case: Case, action: Action, *, actor: User | None, now: dt.datetime, accepted_on: dt.date, **kw
) -> Case:
    today = local_date(now)
    _transition(case, action, actor=actor, now=now, accepted_on=accepted_on, **kw)
    _stop_clocks(case, today, kinds=[c.ClockKind.INTAKE])
    _start_review_clocks(case, accepted_on)
    _open_steps(case, today)
    _refresh_dues(case, today)
    return case


def _require_trustworthy(case: Case, what: str) -> None:
    if case.applicant.false_commitment_on:
        raise DomainError(
            "false_commitment",
            f"申请人于 {case.applicant.false_commitment_on} 有虚假承诺记录，不再适用{what}。",
        )


@transaction.atomic
def case_accept(
    *, case: Case, actor: User, now: dt.datetime, comment: str = "", commitment: bool = False
) -> Case:
    """Accept a complete application (受理); with `commitment`, under 告知承诺制."""
    _require_staff(actor, case, INTAKE_ROLES)
    try:
        case = _locked_copy(case, Action.ACCEPT)
    except Conflict:
        raise Conflict(ACCEPT_CONFLICT) from None
    except DomainError as refused:
        if refused.code == "transition_not_allowed" and case.accepted_on is not None:
            raise Conflict(ACCEPT_CONFLICT) from None
        raise
    if commitment:
        if case.item_version.reform_mode != ReformMode.COMMITMENT:
            raise DomainError("no_commitment", "该事项未实行告知承诺制。")
        _require_trustworthy(case, "告知承诺制")
    _require_complete(case)
    return _accept(
        case,
        Action.ACCEPT,
        actor=actor,
        now=now,
        accepted_on=local_date(now),
        comment=comment,
        commitment_mode=commitment,
    )


@transaction.atomic
def case_accept_with_deficiency(
    *, case: Case, actor: User, now: dt.datetime, comment: str = "", deficiency_days: int = DEFICIENCY_DAYS
) -> Case:
    """容缺受理: accept with the non-key materials marked 容缺可后补 still outstanding (DOMAIN §4.4)."""
    _require_staff(actor, case, INTAKE_ROLES)
    case = _locked_copy(case, Action.ACCEPT_WITH_DEFICIENCY)
    _require_trustworthy(case, "容缺受理")
    deferred = [m for m in case.materials.all() if m.status == c.MaterialStatus.DEFERRED]
    if not deferred:
        raise DomainError("nothing_deferred", "容缺受理须至少标记一项“容缺后补”材料。")
    _require_complete(case, allow_deferred=True)
    today = local_date(now)
    _accept(
        case,
        Action.ACCEPT_WITH_DEFICIENCY,
        actor=actor,
        now=now,
        accepted_on=today,
        comment=comment,
        deficiency_mode=True,
        data={"deferred": [m.name for m in deferred]},
    )
    clock = _start_clock(case, c.ClockKind.DEFICIENCY, deficiency_days, today)
    CaseMaterial.objects.filter(pk__in=[m.pk for m in deferred]).update(deferred_due=clock.due_date)
    return case


@transaction.atomic
def case_refuse_intake(*, case: Case, actor: User, now: dt.datetime, reason: str) -> Case:
    """不予受理, with the written reason (§32, §38)."""
    _require_staff(actor, case, INTAKE_ROLES)
    reason = _require_text(reason, "reason", "不予受理必须写明理由。")
    case = _locked_copy(case)
    today = local_date(now)
    _transition(
        case,
        Action.REFUSE_INTAKE,
        actor=actor,
        now=now,
        comment=reason,
        refusal_reason=reason,
        finished_at=now,
    )
    _stop_clocks(case, today)
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_request_supplement(
    *, case: Case, actor: User, now: dt.datetime, items: Mapping[int, str], comment: str = ""
) -> Case:
    """The one-time supplement notice (一次性告知): every missing or faulty material with what is wrong."""
    _require_staff(actor, case, INTAKE_ROLES)
    case = _locked_copy(case)
    if not items:
        raise DomainError("required", "一次性告知须列明需要补正的材料。", {"items": ["至少列出一项材料。"]})
    materials = {m.pk: m for m in case.materials.all()}
    unknown = [pk for pk in items if pk not in materials]
    if unknown:
        raise DomainError("invalid", "补正材料不属于该办件。", {"items": ["补正材料不属于该办件。"]})
    today = local_date(now)
    intake = case.clocks.filter(kind=c.ClockKind.INTAKE).first()
    if intake is not None and intake.due_date is not None and today > intake.due_date:
        raise DomainError(
            "supplement_notice_late",
            f"补正告知期限已于 {intake.due_date} 届满，依法自收到申请材料之日起视为受理，不能再告知补正。",
        )
    listed = []
    for pk, note in items.items():
        material = materials[pk]
        material.status = c.MaterialStatus.FAULTY if (note or "").strip() else c.MaterialStatus.MISSING
        material.note = (note or "").strip() or "未提交"
        material.save(update_fields=["status", "note", "updated_at"])
        listed.append({"material": material.name, "note": material.note})
    _transition(
        case, Action.REQUEST_SUPPLEMENT, actor=actor, now=now, comment=comment, data={"items": listed}
    )
    # The notice stops the intake clock; a 即办件's same-day clock waits for the supplement too.
    _stop_clocks(case, today, kinds=[c.ClockKind.INTAKE, c.ClockKind.IMMEDIATE])
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_supplement(*, case: Case, actor: User, now: dt.datetime, comment: str = "") -> Case:
    """The applicant has supplied what the notice listed; the clerk checks again and accepts."""
    _require_owner_or_staff(actor, case, INTAKE_ROLES)
    case = _locked_copy(case, Action.SUPPLEMENT)
    flagged = case.materials.filter(status__in=[c.MaterialStatus.MISSING, c.MaterialStatus.FAULTY])
    if is_case_owner(actor, case):
        # Online, each flagged material needs a file uploaded after the notice (the old faulty one won't do).
        notice = case.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-at", "-id").first()
        since = notice.at if notice is not None else case.created_at
        fresh = set(
            MaterialFile.objects.filter(case_material__in=flagged, created_at__gt=since).values_list(
                "case_material_id", flat=True
            )
        )
        without_file = [m.name for m in flagged if m.pk not in fresh]
        if without_file:
            raise DomainError(
                "materials_incomplete",
                f"请先上传告知补正的材料：{'、'.join(without_file)}。",
                {"materials": without_file},
            )
    flagged.update(status=c.MaterialStatus.PENDING)
    _transition(case, Action.SUPPLEMENT, actor=actor, now=now, comment=comment)
    if case.case_kind == CaseKind.IMMEDIATE:  # decided on the day the materials are complete
        _start_clock(case, c.ClockKind.IMMEDIATE, 0, local_date(now))
    return case


@transaction.atomic
def case_deem_accepted(*, case: Case, now: dt.datetime) -> Case:
    """No supplement notice within 5 working days: accepted as of receipt (§32), flagged (Y3)."""
    case = _locked_copy(case)
    return _accept(
        case,
        Action.DEEM_ACCEPTED,
        actor=None,
        now=now,
        accepted_on=case.received_on,
        comment="补正告知期限届满未告知，依法视为受理。",
        deemed_accepted=True,
        supplement_notice_late=True,
    )


@transaction.atomic
def case_decide_on_spot(*, case: Case, actor: User, now: dt.datetime, comment: str = "") -> Case:
    """即办件: accepted and decided at the window (§34)."""
    _require_staff(actor, case, INTAKE_ROLES)
    case = _locked_copy(case, Action.DECIDE_ON_SPOT)
    if case.case_kind != CaseKind.IMMEDIATE:
        raise DomainError("not_immediate", "只有即办件可以当场办结。")
    _require_complete(case)
    today = local_date(now)
    _transition(
        case,
        Action.DECIDE_ON_SPOT,
        actor=actor,
        now=now,
        comment=comment,
        accepted_on=today,
        decided_on=today,
        finished_at=now,
        used_workdays=0,
        legal_workdays=_time_used(case, today)[1],
    )
    _stop_clocks(case, today)
    _start_clock(case, c.ClockKind.CERTIFICATE, CERTIFICATE_DAYS, today)
    _refresh_dues(case, today)
    return case


# -- review steps --------------------------------------------------------------------------------


def _current_step(case: Case) -> CaseStep:
    step = case.steps.filter(status=c.StepStatus.ACTIVE).order_by("order").first()
    if step is None:
        raise DomainError("no_step", "该办件当前没有待办环节。")
    return step


def _require_step_handler(actor: User, case: Case, step: CaseStep) -> None:
    _require_staff(actor, case, REVIEW_ROLES)
    if step.assignee_id and step.assignee_id != actor.pk and not actor.has_role(Role.DEPT_HEAD):
        raise PermissionDenied(f"环节“{step.name}”已指派给{step.assignee}，您不能办理。")


@transaction.atomic
def case_step_pass(*, case: Case, actor: User, now: dt.datetime, comment: str = "") -> Case:
    """The current step passes; the next one starts, or after the last the case awaits the decision."""
    case = _locked_copy(case, Action.STEP_PASS)
    step = _current_step(case)
    _require_step_handler(actor, case, step)
    joint = list(step.joint_departments.all())
    if joint:
        given = set(step.opinions.values_list("department_id", flat=True))
        waiting = [d.name for d in joint if d.pk not in given]
        if waiting:
            raise DomainError("opinions_missing", f"会审环节尚缺以下部门意见：{'、'.join(waiting)}。")
    today = local_date(now)
    following = case.steps.filter(order__gt=step.order).order_by("order").first()
    target = None if following is not None else Status.PENDING_DECISION
    _transition(
        case, Action.STEP_PASS, actor=actor, now=now, comment=comment, target=target, data={"step": step.name}
    )
    _leave_step(case, step, today, c.StepStatus.PASSED)
    if following is not None:
        _enter_step(case, following, today)
    else:
        Case.objects.filter(pk=case.pk).update(current_step=None, assignee=None)
        case.current_step = case.assignee = None
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_step_return(*, case: Case, actor: User, now: dt.datetime, comment: str) -> Case:
    """Send the case back to the previous step (from the decision: back to the last step)."""
    comment = _require_text(comment, "comment", "退回必须写明原因。")
    case = _locked_copy(case, Action.STEP_RETURN)
    today = local_date(now)
    if case.status == Status.PENDING_DECISION:
        _require_staff(actor, case, REVIEW_ROLES)
        back = case.steps.order_by("-order").first()
        current = None
    else:
        current = _current_step(case)
        _require_step_handler(actor, case, current)
        back = case.steps.filter(order__lt=current.order).order_by("-order").first()
        if back is None:
            raise DomainError("first_step", "当前已是第一个环节，不能再退回。")
    _transition(case, Action.STEP_RETURN, actor=actor, now=now, comment=comment, data={"to_step": back.name})
    if current is not None:
        _leave_step(case, current, today, c.StepStatus.WAITING)
    _enter_step(case, back, today, assignee=back.assignee)
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_step_transfer(
    *, case: Case, actor: User, to_user: User, now: dt.datetime, comment: str = ""
) -> Case:
    """Hand the current step to another approver who can see the case (转办)."""
    case = _locked_copy(case, Action.STEP_TRANSFER)
    step = _current_step(case)
    _require_step_handler(actor, case, step)
    if not to_user.is_active or not to_user.has_role(*REVIEW_ROLES) or not staff_can_act_on(to_user, case):
        raise DomainError(
            "invalid", f"{to_user} 不能办理该办件。", {"to_user": ["接收人须为有权办理该办件的审批人员。"]}
        )
    _transition(
        case,
        Action.STEP_TRANSFER,
        actor=actor,
        now=now,
        comment=comment,
        data={"step": step.name, "to": str(to_user)},
    )
    step.assignee = to_user
    step.save(update_fields=["assignee", "updated_at"])
    Case.objects.filter(pk=case.pk).update(assignee=to_user)
    case.assignee = to_user
    return case


@transaction.atomic
def case_step_claim(*, case: Case, actor: User, now: dt.datetime) -> Case:
    """Take an unassigned current step into one's own queue."""
    case = _locked_copy(case, Action.STEP_TRANSFER)
    step = _current_step(case)
    _require_staff(actor, case, REVIEW_ROLES)
    if step.assignee_id and step.assignee_id != actor.pk:
        raise Conflict()
    return case_step_transfer(case=case, actor=actor, to_user=actor, now=now, comment="认领")


@transaction.atomic
def case_step_opinion(
    *, case: Case, actor: User, now: dt.datetime, agrees: bool, opinion: str
) -> StepOpinion:
    """One department's opinion in a joint step (联合踏勘 / 联审)."""
    opinion = _require_text(opinion, "opinion", "会审意见不能为空。")
    case = _locked_copy(case, Action.STEP_OPINION)
    step = _current_step(case)
    if not actor.has_role(*REVIEW_ROLES) or actor.department_id is None:
        raise PermissionDenied("只有会审部门的审批人员可以填写会审意见。")
    if not step.joint_departments.filter(pk=actor.department_id).exists():
        raise PermissionDenied("您所在部门不是该环节的会审部门。")
    try:
        with transaction.atomic():
            row = StepOpinion.objects.create(
                step=step, department_id=actor.department_id, author=actor, agrees=agrees, opinion=opinion
            )
    except IntegrityError:
        raise DomainError("duplicate", "本部门已提交过会审意见。") from None
    _transition(
        case,
        Action.STEP_OPINION,
        actor=actor,
        now=now,
        comment=opinion,
        data={"step": step.name, "agrees": agrees},
    )
    return row


@transaction.atomic
def step_joint_departments_set(*, case: Case, actor: User, department_ids: Iterable[int]) -> CaseStep:
    """Make the current step a joint one (the departments each record an opinion before it passes)."""
    step = _current_step(case)
    _require_step_handler(actor, case, step)
    step.joint_departments.set(list(department_ids))
    return step


# -- pauses and extension (§45, 中止, §42) ----------------------------------------------------------


@transaction.atomic
def case_pause(
    *, case: Case, actor: User, now: dt.datetime, reason_code: str, reason: str, expected_days: int
) -> Case:
    """Stop every running clock for a §45 procedure or a 中止 reason, with the written notice recorded.

    The case itself is marked paused even when it has no working-day clock to stop, so pauses never
    stack and a decision waits for the resume.
    """
    _require_staff(actor, case, REVIEW_ROLES)
    if reason_code not in c.PauseReason.values:
        raise DomainError("invalid", "暂停事由无效。", {"reason_code": ["请选择法定的特别程序或中止事由。"]})
    reason = _require_text(reason, "reason", "暂停计时必须写明情况说明（将书面告知申请人）。")
    _require_expected_days(expected_days)
    case = _locked_copy(case, Action.PAUSE)
    if case.paused:
        raise DomainError("already_paused", "办件已处于暂停计时状态。")
    today = local_date(now)
    kind = "excluded" if reason_code in c.EXCLUDED_REASONS else "suspended"
    expected_end, _ = dl.add_workdays(case_calendar(case), today, expected_days)
    _transition(
        case,
        Action.PAUSE,
        actor=actor,
        now=now,
        comment=reason,
        data={"reason_code": reason_code, "expected_end": expected_end.isoformat(), "kind": kind},
        paused=True,
    )
    for clock in case.clocks.filter(status=c.ClockStatus.RUNNING, kind__in=RUNNING_KINDS):
        ClockSegment.objects.create(
            clock=clock,
            kind=kind,
            reason_code=reason_code,
            reason=reason,
            start=today,
            expected_end=expected_end,
            notified_on=today,
        )
        clock.status, clock.due_date = c.ClockStatus.PAUSED, None
        clock.save(update_fields=["status", "due_date", "updated_at"])
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_resume(*, case: Case, actor: User, now: dt.datetime, comment: str = "") -> Case:
    """The procedure's result arrived today: close the pause; counting resumes the next working day."""
    _require_staff(actor, case, REVIEW_ROLES)
    case = _locked_copy(case, Action.RESUME)
    if not case.paused:
        raise DomainError("not_paused", "办件未暂停计时。")
    today = local_date(now)
    _transition(case, Action.RESUME, actor=actor, now=now, comment=comment, paused=False)
    _close_pause_overrun(case, today)
    calendar = case_calendar(case)
    for clock in case.clocks.filter(status=c.ClockStatus.PAUSED):
        clock.segments.filter(end__isnull=True).update(end=today)
        clock.status = c.ClockStatus.RUNNING
        _project_clock(clock, calendar, today)
        clock.save(update_fields=["status", "due_date", "provisional", "updated_at"])
    _refresh_dues(case, today)
    return case


def _require_expected_days(expected_days: int | None) -> None:
    if not isinstance(expected_days, int) or expected_days < 1 or expected_days > 250:
        raise DomainError(
            "invalid", "预计所需时间应为 1–250 个工作日。", {"expected_days": ["应为 1–250 的整数。"]}
        )


@transaction.atomic
def case_pause_renotify(
    *, case: Case, actor: User, now: dt.datetime, expected_days: int, reason: str
) -> Case:
    """A new written notice for a pause that takes longer than notified (DOMAIN §4.2).

    The open pause segments get the new expected end; the pause-overrun yellow (Y2P) of the previous
    notice closes, and the sweep issues a new one only if this notice's expected end passes too.
    """
    _require_staff(actor, case, REVIEW_ROLES)
    reason = _require_text(reason, "reason", "重新告知必须写明情况说明（将书面告知申请人）。")
    _require_expected_days(expected_days)
    case = _locked_copy(case)
    if not case.paused:
        raise DomainError("not_paused", "办件未暂停计时，无需重新告知。")
    today = local_date(now)
    expected_end, _ = dl.add_workdays(case_calendar(case), today, expected_days)
    previous = _pause_notice(case)
    pause = _pause_notice(case, ("pause",))
    _touch(
        case,
        "pause_renotify",
        actor=actor,
        now=now,
        comment=reason,
        data={
            "reason_code": pause.data.get("reason_code", "") if pause else "",
            "kind": pause.data.get("kind", "") if pause else "",
            "expected_end": expected_end.isoformat(),
            "previous_expected_end": previous.data.get("expected_end", "") if previous else "",
        },
    )
    ClockSegment.objects.filter(clock__case=case, end__isnull=True, kind__in=PAUSE_KINDS).update(
        expected_end=expected_end, notified_on=today
    )
    _close_pause_overrun(case, today)
    return case


@transaction.atomic
def case_extend(*, case: Case, actor: User, now: dt.datetime, days: int, reason: str) -> Case:
    """The one extension of the statutory limit, approved by a department head before it expires (§42)."""
    if not actor.has_role(Role.DEPT_HEAD):
        raise PermissionDenied("延长期限须经部门负责人批准。")
    _require_staff(actor, case, (Role.DEPT_HEAD,))
    reason = _require_text(reason, "reason", "延长期限必须写明理由（将告知申请人）。")
    limit = EXTENSION_MAX.get(case.case_kind, EXTENSION_DEFAULT_MAX)
    if not isinstance(days, int) or not 1 <= days <= limit:
        raise DomainError(
            "invalid", f"延长期限应为 1–{limit} 个工作日。", {"days": [f"应为 1–{limit} 的整数。"]}
        )
    case = _locked_copy(case, Action.EXTEND)
    statutory = case.clocks.filter(kind=c.ClockKind.STATUTORY).first()
    if statutory is None:
        raise DomainError("no_statutory_clock", "该事项无法定办结时限，无需延长。")
    if statutory.segments.filter(kind="extension").exists():
        raise DomainError("already_extended", "法定期限只能延长一次。")
    today = local_date(now)
    if statutory.status == c.ClockStatus.PAUSED:
        raise DomainError("paused", "暂停计时期间不能延长期限，请先恢复计时。")
    if statutory.due_date is not None and today > statutory.due_date:
        raise DomainError("too_late", f"法定期限已于 {statutory.due_date} 届满，延长须在届满前批准。")
    _transition(case, Action.EXTEND, actor=actor, now=now, comment=reason, data={"days": days})
    ClockSegment.objects.create(
        clock=statutory,
        kind="extension",
        reason=reason,
        start=today,
        days=days,
        approved_by=actor,
        notified_on=today,
    )
    _project_clock(statutory, case_calendar(case), today)
    statutory.save(update_fields=["due_date", "provisional", "updated_at"])
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_supply_deferred(*, case: Case, actor: User, now: dt.datetime, material_ids: Iterable[int]) -> Case:
    """Deferred (容缺) materials arrived; when none is left the certificate may be issued."""
    _require_staff(actor, case, INTAKE_ROLES)
    ids = list(material_ids)
    case = _locked_copy(case, Action.SUPPLY_DEFERRED)
    deferred = case.materials.filter(status=c.MaterialStatus.DEFERRED, pk__in=ids)
    if not ids or deferred.count() != len(set(ids)):
        raise DomainError(
            "invalid", "所选材料不是待补齐的容缺材料。", {"material_ids": ["请选择待补齐的容缺材料。"]}
        )
    names = list(deferred.values_list("name", flat=True))
    today = local_date(now)
    _transition(case, Action.SUPPLY_DEFERRED, actor=actor, now=now, comment="、".join(names))
    deferred.update(status=c.MaterialStatus.RECEIVED)
    if not case.materials.filter(status=c.MaterialStatus.DEFERRED).exists():
        _stop_clocks(case, today, kinds=[c.ClockKind.DEFICIENCY])
    _refresh_dues(case, today)
    return case


# -- decision, certificate, delivery -------------------------------------------------------------


def _decide(case: Case, action: Action, *, actor: User, now: dt.datetime, reason: str) -> Case:
    _require_staff(actor, case, REVIEW_ROLES)
    if case.status == Status.IN_REVIEW and not case.commitment_mode:
        raise DomainError("review_open", "审查环节尚未全部完成，不能作出决定。")
    if case.paused:
        raise DomainError("paused", "暂停计时期间不能作出决定，请先恢复计时。")
    today = local_date(now)
    used, legal = _time_used(case, today)
    _transition(
        case,
        action,
        actor=actor,
        now=now,
        comment=reason,
        decided_on=today,
        decision_reason=reason,
        finished_at=now,
        used_workdays=used,
        legal_workdays=legal,
    )
    for step in case.steps.filter(status=c.StepStatus.ACTIVE):
        _leave_step(case, step, today, c.StepStatus.PASSED)
    Case.objects.filter(pk=case.pk).update(current_step=None, assignee=None)
    _stop_clocks(case, today, kinds=[*RUNNING_KINDS, c.ClockKind.INTAKE])
    return case


def _time_used(case: Case, today: dt.date) -> tuple[int, int | None]:
    """(A, L) of DOMAIN §5.2 at the decision: A = working days the statutory clock (else the promised
    one) has counted, pauses excluded; an immediate case 0; L = the legal limit in working days of the
    pinned version (None when it has none in working days)."""
    version = case.item_version
    legal = (
        version.legal_limit
        if version.legal_limit and version.legal_limit_unit == LimitUnit.WORKING_DAY
        else None
    )
    if case.case_kind == CaseKind.IMMEDIATE:
        return 0, legal
    clocks = {
        clock.kind: clock
        for clock in case.clocks.filter(kind__in=[c.ClockKind.STATUTORY, c.ClockKind.PROMISED])
    }
    clock = clocks.get(c.ClockKind.STATUTORY) or clocks.get(c.ClockKind.PROMISED)
    calendar = case_calendar(case)
    if clock is None:
        start = case.accepted_on or case.received_on or today
        return dl.workdays_between(calendar, start, today), legal
    return dl.consumed_by(calendar, start=clock.start_date, segments=_segments(clock), day=today), legal


@transaction.atomic
def case_grant(*, case: Case, actor: User, now: dt.datetime, reason: str = "") -> Case:
    """准予许可. The certificate must then be issued and served within 10 working days (§44)."""
    case = _locked_copy(case, Action.GRANT)
    _decide(
        case, Action.GRANT, actor=actor, now=now, reason=(reason or "").strip() or "符合法定条件，准予许可。"
    )
    today = local_date(now)
    _start_clock(case, c.ClockKind.CERTIFICATE, CERTIFICATE_DAYS, today)
    if case.commitment_mode:
        _start_clock(case, c.ClockKind.POST_CHECK, POST_CHECK_DAYS, today)
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_deny(*, case: Case, actor: User, now: dt.datetime, reason: str) -> Case:
    """不予许可, always with the written reasons and the rights to 复议 / 诉讼 (§38)."""
    reason = _require_text(
        reason, "reason", "不予许可必须说明理由，并告知申请人享有依法申请行政复议或者提起行政诉讼的权利。"
    )
    case = _locked_copy(case, Action.DENY)
    _decide(case, Action.DENY, actor=actor, now=now, reason=reason)
    _refresh_dues(case, local_date(now))
    return case


@transaction.atomic
def case_issue_certificate(
    *, case: Case, actor: User, now: dt.datetime, valid_years: int | None = None
) -> Certificate:
    """制证: an electronic certificate signed over its content; held while 容缺 materials are missing."""
    _require_staff(actor, case, INTAKE_ROLES)
    case = _locked_copy(case, Action.ISSUE_CERTIFICATE)
    if case.post_check_result == c.PostCheckResult.FALSE:
        raise DomainError("false_commitment", "告知承诺核查发现虚假承诺，许可应予撤销，不能制证。")
    outstanding = list(case.materials.filter(status=c.MaterialStatus.DEFERRED).values_list("name", flat=True))
    if outstanding:
        raise DomainError(
            "deficiency_outstanding", f"容缺材料尚未补齐（{'、'.join(outstanding)}），暂不能制证。"
        )
    today = local_date(now)
    _transition(case, Action.ISSUE_CERTIFICATE, actor=actor, now=now)
    from zhengwu.cases.certificates import certificate_build

    certificate = certificate_build(case=case, today=today, valid_years=valid_years)
    certificates_attach_to_open_cases(certificate=certificate, today=today)
    return certificate


@transaction.atomic
def case_deliver(*, case: Case, actor: User, now: dt.datetime, mode: str, address: str = "") -> Case:
    """送达 the certificate or the decision: window pickup (at the receiving window when the case came in
    through another region's window), mail (with address) or electronic."""
    _require_staff(actor, case, INTAKE_ROLES, receiving_side=True)
    if mode not in c.Delivery.values:
        raise DomainError("invalid", "送达方式无效。", {"mode": ["请选择窗口领取、邮寄送达或电子送达。"]})
    if mode == c.Delivery.MAIL:
        address = _require_text(address, "address", "邮寄送达必须填写送达地址。")
    case = _locked_copy(case)
    today = local_date(now)
    _transition(
        case,
        Action.DELIVER,
        actor=actor,
        now=now,
        delivery_mode=mode,
        delivery_address=address.strip(),
        data={"mode": mode},
    )
    _stop_clocks(case, today, kinds=[c.ClockKind.CERTIFICATE])
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_withdraw(*, case: Case, actor: User, now: dt.datetime, reason: str = "") -> Case:
    """撤回: the applicant withdraws (online, or in writing at the window) before a decision."""
    _require_owner_or_staff(actor, case, INTAKE_ROLES)
    case = _locked_copy(case)
    today = local_date(now)
    _transition(case, Action.WITHDRAW, actor=actor, now=now, comment=(reason or "").strip(), finished_at=now)
    _stop_clocks(case, today)
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_terminate(*, case: Case, actor: User, now: dt.datetime, reason: str) -> Case:
    """终止: e.g. 容缺 materials not supplied in time, or a supplement never made, with a written notice."""
    _require_staff(actor, case, REVIEW_ROLES)
    reason = _require_text(reason, "reason", "终止办理必须写明理由（将书面告知申请人）。")
    case = _locked_copy(case)
    today = local_date(now)
    _transition(case, Action.TERMINATE, actor=actor, now=now, comment=reason, finished_at=now)
    _stop_clocks(case, today)
    _refresh_dues(case, today)
    return case


@transaction.atomic
def case_archive(*, case: Case, actor: User, now: dt.datetime) -> Case:
    _require_staff(actor, case, INTAKE_ROLES)
    case = _locked_copy(case)
    _transition(case, Action.ARCHIVE, actor=actor, now=now)
    return case


@transaction.atomic
def case_post_check_record(*, case: Case, actor: User, now: dt.datetime, truthful: bool, note: str) -> Case:
    """告知承诺 verification after approval; a false commitment revokes the certificate and flags the applicant."""
    _require_staff(actor, case, REVIEW_ROLES)
    note = _require_text(note, "note", "核查情况不能为空。")
    case = _locked_copy(case)
    if not case.commitment_mode or case.status not in (Status.GRANTED, Status.CERTIFIED, Status.DELIVERED):
        raise DomainError("no_post_check", "只有按告知承诺制准予许可的办件需要事后核查。")
    if case.post_check_result:
        raise DomainError("already_checked", "该办件已完成核查。")
    today = local_date(now)
    result = c.PostCheckResult.CONFIRMED if truthful else c.PostCheckResult.FALSE
    _touch(case, "post_check", actor=actor, now=now, comment=note, data={"result": result.value})
    Case.objects.filter(pk=case.pk).update(post_check_result=result)
    case.post_check_result = result
    _stop_clocks(case, today, kinds=[c.ClockKind.POST_CHECK])
    if not truthful:
        Applicant.objects.filter(pk=case.applicant_id).update(false_commitment_on=today)
        certificate = Certificate.objects.filter(case=case, revoked_on__isnull=True).first()
        if certificate is not None:
            certificate_revoke(certificate=certificate, actor=actor, now=now, reason=f"虚假承诺：{note}")
    return case


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, actor: User, now: dt.datetime, reason: str
) -> Certificate:
    """Revoke a certificate; verification shows it as 已注销 with the reason."""
    _require_staff(actor, certificate.case, REVIEW_ROLES)
    reason = _require_text(reason, "reason", "注销证照必须写明原因。")
    today = local_date(now)
    rows = Certificate.objects.filter(pk=certificate.pk, revoked_on__isnull=True).update(
        revoked_on=today, revoke_reason=reason
    )
    if rows != 1:
        raise DomainError("already_revoked", "该证照已注销。")
    certificate.revoked_on, certificate.revoke_reason = today, reason
    _event(
        certificate.case,
        "certificate_revoked",
        actor=actor,
        now=now,
        comment=reason,
        old=certificate.case.status,
    )
    return certificate


# -- the sweep (红黄牌) and re-projection ------------------------------------------------------------


def _locked_copy(case: Case, action: Action | None = None) -> Case:
    """The caller's case, re-read inside the transaction; a stale copy (another action since) conflicts.

    With `action`, an action the transition table does not allow in the case's status is refused
    here, before any other check, so the refusal names the status and the action.
    """
    # of=("self",): lock the case row only. A bare FOR UPDATE would also lock the joined
    # department, region, applicant and item-version rows on PostgreSQL, serialising every
    # transition of every case of a department (and of an applicant) behind one another.
    fresh = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item_version", "region", "applicant", "department")
        .get(pk=case.pk)
    )
    if fresh.version != case.version:
        raise Conflict()
    if action is not None:
        try:
            next_status(fresh.status, action)
        except TransitionNotAllowed as refused:
            raise DomainError("transition_not_allowed", str(refused)) from None
    return fresh


def _issue_card(
    case: Case,
    clock: Clock | None,
    rule: str,
    level: str,
    today: dt.date,
    due: dt.date | None,
    *,
    key: str | None = None,
) -> bool:
    key = key or f"{clock.pk if clock else 'case'}:{rule}"
    rectify_due = None
    if level == dl.Level.YELLOW:
        rectify_due, _ = dl.add_workdays(case_calendar(case), today, RECTIFY_DAYS)
    try:
        with transaction.atomic():
            card = Card.objects.create(
                case=case,
                clock=clock,
                key=key,
                rule=rule,
                level=level,
                department_id=case.department_id,
                handler_id=case.assignee_id,
                issued_on=today,
                due_date=due,
                rectify_due=rectify_due,
            )
    except IntegrityError:
        return False
    card_changed.send(sender=Card, card=card, delta=1)
    return True


def _yellow_cured(card: Card) -> bool:
    """Y1, Y2 and Y5 are cured when their clock stops (case or step finished) by the rectify deadline;
    Y3 (a late supplement notice) only by an accepted 整改说明 (DOMAIN §5.1)."""
    clock = card.clock
    return bool(
        card.rule != "Y3"
        and clock is not None
        and clock.status == c.ClockStatus.STOPPED
        and clock.stopped_on is not None
        and card.rectify_due is not None
        and clock.stopped_on <= card.rectify_due
    )


def cases_sweep(*, now: dt.datetime, batch: int = 2000) -> dict[str, int]:
    """Deem late intakes accepted and issue due cards, once each (unique per case, clock and rule).

    Safe to run twice: a second run finds every card already issued and issues nothing.
    """
    today = local_date(now)
    counts = {"deemed_accepted": 0, "cards": 0, "clocks": 0}
    # 1. intake clocks expired with the case still waiting at intake → deemed acceptance (+ Y3)
    late = Clock.objects.filter(
        kind=c.ClockKind.INTAKE,
        status=c.ClockStatus.RUNNING,
        due_date__lt=today,
        case__status=Status.SUBMITTED,
    ).select_related("case")
    for clock in late.iterator(chunk_size=batch):
        try:
            case = case_deem_accepted(case=clock.case, now=now)
        except DomainError:
            continue
        counts["deemed_accepted"] += 1
        if _issue_card(case, clock, "Y3", dl.Level.YELLOW, today, clock.due_date):
            counts["cards"] += 1
        _refresh_dues(case, today)
    # 2. running clocks at or near their due date
    horizon = today + dt.timedelta(days=14)
    candidates = (
        Clock.objects.filter(status=c.ClockStatus.RUNNING, due_date__lte=horizon)
        .exclude(
            kind__in=[
                c.ClockKind.INTAKE,
                c.ClockKind.DEFICIENCY,
                c.ClockKind.POST_CHECK,
                c.ClockKind.CERTIFICATE,
            ]
        )
        .select_related("case", "case__region")
        .order_by("case_id")
    )
    touched: dict[int, Case] = {}
    for clock in candidates.iterator(chunk_size=batch):
        case = clock.case
        if case.status in FINISHED:
            continue
        calendar = case_calendar(case)
        try:
            projection = _project_clock(clock, calendar, today)
        except CalendarNotAvailable:
            continue
        counts["clocks"] += 1
        # Y2 only for a step that overran while the case was within its limits (the step's due date
        # before the promised and statutory ones); past them Y1 / R1 cover the delay (DOMAIN §5.1).
        # Judged on the dates, not on `today`, so a sweep that runs late issues the same cards.
        limits = [due for due in (case.promised_due, case.statutory_due) if due is not None]
        within_limits = projection.due is None or not limits or projection.due < min(limits)
        for card in dl.clock_cards(
            calendar,
            kind=clock.kind,
            projection=projection,
            today=today,
            finished=False,
            within_limits=within_limits,
        ):
            if _issue_card(case, clock, card.rule, card.level, today, projection.due):
                counts["cards"] += 1
                touched[case.pk] = case
                Clock.objects.filter(pk=clock.pk).update(
                    level=dl.max_level(dl.Level(clock.level), card.level)
                )
    # 3. Y2P: a §45/中止 pause still open after its notified expected end, once per written notice
    paused = Case.objects.filter(paused=True).exclude(status__in=[s.value for s in FINISHED])
    for case in paused.select_related("region").iterator(chunk_size=batch):
        notice = _pause_notice(case)
        expected_end = notice.data.get("expected_end") if notice is not None else None
        if not expected_end or today <= dt.date.fromisoformat(expected_end):
            continue
        key = f"pause:{notice.pk}:{PAUSE_OVERRUN}"
        if _issue_card(
            case, None, PAUSE_OVERRUN, dl.Level.YELLOW, today, dt.date.fromisoformat(expected_end), key=key
        ):
            counts["cards"] += 1
            touched[case.pk] = case
    # 4. D1: 容缺 materials still deferred after the deficiency clock's due date → a reminder, once
    deficient = (
        Clock.objects.filter(
            kind=c.ClockKind.DEFICIENCY,
            status=c.ClockStatus.RUNNING,
            provisional=False,
            due_date__lt=today,
            case__materials__status=c.MaterialStatus.DEFERRED,
        )
        .distinct()
        .select_related("case", "case__region")
    )
    for clock in deficient.iterator(chunk_size=batch):
        if _issue_card(clock.case, clock, DEFICIENCY_OVERDUE, dl.Level.REMINDER, today, clock.due_date):
            counts["cards"] += 1
            touched[clock.case_id] = clock.case
    # 5. R2: a yellow not closed by its rectification deadline and left without a 整改说明. A response
    #    (accepted or still awaiting the supervisor) keeps it from turning red; a yellow closed on or
    #    before the deadline (cured, accepted, voided) never turns red; one cured later still does.
    stale = (
        Card.objects.filter(level=dl.Level.YELLOW, voided=False, response="", rectify_due__lt=today)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=F("rectify_due")))
        .select_related("case", "case__region", "clock")
    )
    for yellow in stale.iterator(chunk_size=batch):
        if yellow.closed_on is None and _yellow_cured(yellow):
            continue
        key = f"{yellow.clock_id or 'case'}:R2:{yellow.rule}"
        if yellow.rule == PAUSE_OVERRUN:  # one Y2P per notice on the same case: one R2 each
            key = f"{yellow.key}:R2"
        if _issue_card(yellow.case, yellow.clock, "R2", dl.Level.RED, today, yellow.rectify_due, key=key):
            counts["cards"] += 1
            touched[yellow.case_id] = yellow.case
    for case in touched.values():
        _refresh_dues(case, today)
    return counts


@transaction.atomic
def card_respond(*, card: Card, actor: User, response: str) -> Card:
    """The department's 整改说明 for a yellow or red card; a responded yellow does not turn red (R2).

    A later response replaces an earlier one until the supervisor accepts it; a voided card, a
    reminder and a closed card take none.
    """
    _require_staff(actor, card.case, (Role.DEPT_HEAD, Role.APPROVER, Role.WINDOW_CLERK))
    response = _require_text(response, "response", "整改说明不能为空。")
    fresh = Card.objects.select_for_update().get(pk=card.pk)
    _require_rectifiable(fresh)
    if fresh.accepted_by_id is not None:
        raise DomainError("already_accepted", "该整改说明已经监管员确认，不能再修改。")
    if fresh.closed_on is not None:
        raise DomainError("card_closed", f"该红黄牌已于 {fresh.closed_on} 关闭，无需再提交整改说明。")
    card.response = fresh.response = response
    fresh.save(update_fields=["response", "updated_at"])
    return card


def _require_rectifiable(card: Card) -> None:
    if card.voided:
        raise DomainError("card_voided", "该红黄牌已撤销，无需整改说明。")
    if card.level not in (dl.Level.YELLOW, dl.Level.RED):
        raise DomainError("not_rectifiable", "提示类预警无需整改说明，只有黄牌、红牌需要提交整改说明。")


@transaction.atomic
def card_accept_response(*, card: Card, actor: User, today: dt.date) -> Card:
    """The supervisor accepts the 整改说明: the card closes (kept as history; no R2 for it)."""
    if not actor.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有监管员可以确认整改说明。")
    if not staff_can_act_on(actor, card.case):
        raise PermissionDenied("该办件不在您的数据范围内。")
    fresh = Card.objects.select_for_update().get(pk=card.pk)
    _require_rectifiable(fresh)
    if fresh.accepted_by_id is not None:
        raise DomainError("already_accepted", "该整改说明已确认。")
    if not fresh.response:
        raise DomainError("no_response", "尚未提交整改说明，不能确认。")
    if fresh.closed_on is not None:
        raise DomainError("card_closed", f"该红黄牌已于 {fresh.closed_on} 关闭。")
    fresh.closed_on, fresh.accepted_by = today, actor
    fresh.save(update_fields=["closed_on", "accepted_by", "updated_at"])
    card.response, card.closed_on, card.accepted_by = fresh.response, today, actor
    return card


@transaction.atomic
def card_void(*, card: Card, actor: User, reason: str, today: dt.date) -> Card:
    """The supervisor voids a card on appeal; the card is kept, flagged, with the reason."""
    if not actor.has_role(Role.SUPERVISOR):
        raise PermissionDenied("只有监管员可以撤销红黄牌。")
    if not staff_can_act_on(actor, card.case):
        raise PermissionDenied("该办件不在您的数据范围内。")
    if card.voided:
        raise DomainError("already_voided", "该红黄牌已撤销。")
    card.void_reason = _require_text(reason, "reason", "撤销红黄牌必须写明理由。")
    card.voided, card.closed_on = True, today
    card.save(update_fields=["voided", "void_reason", "closed_on", "updated_at"])
    card_changed.send(sender=Card, card=card, delta=-1)
    _refresh_dues(card.case, today)
    return card


def clocks_reproject(*, now: dt.datetime, edit_id: int | None = None, batch: int = 2000) -> int:
    """Lay every open clock out again on the current calendar; journal each due date that moved."""
    today = local_date(now)
    moved = 0
    open_clocks = (
        Clock.objects.exclude(status=c.ClockStatus.STOPPED)
        .select_related("case", "case__region")
        .prefetch_related("segments")
        .order_by("case_id", "id")
    )
    changed_cases: dict[int, Case] = {}
    for clock in open_clocks.iterator(chunk_size=batch):
        old_due = clock.due_date
        try:
            _project_clock(
                clock, case_calendar(clock.case), today, segments=_segments(clock, clock.segments.all())
            )
        except (CalendarNotAvailable, DomainError):
            continue
        if clock.due_date != old_due:
            Clock.objects.filter(pk=clock.pk).update(due_date=clock.due_date, provisional=clock.provisional)
            if clock.kind == c.ClockKind.DEFICIENCY:  # the supply deadline shown on each deferred material
                CaseMaterial.objects.filter(case_id=clock.case_id, status=c.MaterialStatus.DEFERRED).update(
                    deferred_due=clock.due_date
                )
            _event(
                clock.case,
                "calendar_reprojected",
                actor=None,
                now=now,
                old=clock.case.status,
                comment=f"{clock.get_kind_display()}到期日由 {old_due} 调整为 {clock.due_date}",
                data={
                    "clock": clock.kind,
                    "old_due": str(old_due),
                    "new_due": str(clock.due_date),
                    "edit": edit_id,
                    "earlier": bool(old_due and clock.due_date and clock.due_date < old_due),
                },
            )
            changed_cases[clock.case_id] = clock.case
            moved += 1
    for case in changed_cases.values():
        _refresh_dues(case, today)
    return moved


def case_actions_for(user: User, case: Case) -> list[str]:
    """The actions this person may take on this case now (for buttons); the services re-check."""
    from zhengwu.domain.case_flow import allowed_actions

    owner = is_case_owner(user, case)
    staff = not owner and staff_can_act_on(user, case)
    if not owner and not staff and staff_received(user, case):
        # The receiving window of a 跨域通办 case hands out the result; the rest is the handler's.
        return [
            a.value
            for a in allowed_actions(case.status)
            if a == Action.DELIVER and user.has_role(*INTAKE_ROLES)
        ]
    result: list[str] = []
    for action in allowed_actions(case.status):
        a = action.value
        if owner:
            if a in ("submit", "supplement", "withdraw"):
                result.append(a)
            continue
        if not staff or a == "deem_accepted":  # deemed acceptance is the sweep's, never a person's
            continue
        if a in (
            "accept",
            "refuse_intake",
            "request_supplement",
            "accept_with_deficiency",
            "supplement",
            "submit",
            "issue_certificate",
            "deliver",
            "archive",
            "supply_deferred",
            "withdraw",
        ):
            if user.has_role(*INTAKE_ROLES):
                result.append(a)
        elif a == "decide_on_spot":
            if user.has_role(*INTAKE_ROLES) and case.case_kind == CaseKind.IMMEDIATE:
                result.append(a)
        elif a == "extend":
            if user.has_role(Role.DEPT_HEAD) and not case.paused:
                result.append(a)
        elif a == "resume":
            if case.paused and user.has_role(*REVIEW_ROLES):
                result.append(a)
        elif a == "pause":
            if not case.paused and user.has_role(*REVIEW_ROLES):
                result.append(a)
        elif a == "step_opinion":
            if (
                user.has_role(*REVIEW_ROLES)
                and user.department_id
                and case.steps.filter(
                    status=c.StepStatus.ACTIVE, joint_departments__pk=user.department_id
                ).exists()
            ):
                result.append(a)
        elif a in ("grant", "deny"):
            if user.has_role(*REVIEW_ROLES) and (
                case.status == Status.PENDING_DECISION or case.commitment_mode
            ):
                result.append(a)
        elif user.has_role(*REVIEW_ROLES):
            result.append(a)
    if (
        "accept_with_deficiency" in result
        and not case.materials.filter(necessity=Necessity.DEFERRABLE).exists()
    ):
        result.remove("accept_with_deficiency")
    if "supply_deferred" in result and not case.materials.filter(status=c.MaterialStatus.DEFERRED).exists():
        result.remove("supply_deferred")
    return result
