"""The only write path of 好差评 (DOMAIN §6): submit a review, invite and remind by SMS, rectify bad reviews.

A review is voluntary: the grade has no default and staff never rate for a citizen — the only staff-side
entry is a paper form (`channel = paper`), recorded as such with who typed it in. One review per service
event (`Review.visit_key` is unique). A bad review (1 or 2) opens a rectification at once, assigned to the
handling unit, due 15 working days after the review (setting `ZHENGWU_RECTIFY_DAYS`). Every rectification
step asks `zhengwu.domain.review_flow` and moves the state with a guarded UPDATE on `version`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from zhengwu.cases.models import Case, CaseEvent
from zhengwu.common import filestore
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.common.uploads import inspect_upload
from zhengwu.domain import deadlines as dl
from zhengwu.domain.case_flow import DECIDED, Status
from zhengwu.domain.masking import mask_phone
from zhengwu.domain.review_flow import OPEN, Action, State, TransitionNotAllowed, next_state
from zhengwu.organization.choices import Role
from zhengwu.organization.models import Department, User, Window
from zhengwu.organization.selectors import department_scope_q, sees_everything
from zhengwu.reviews import choices as c
from zhengwu.reviews.models import (
    Rectification,
    RectificationEvent,
    RectificationFile,
    Review,
    ReviewInvitation,
)
from zhengwu.workdays.selectors import work_calendar

log = logging.getLogger("zhengwu.reviews.sms")

# A case may be rated once it is concluded (decided, served, archived, or refused at intake).
REVIEWABLE = frozenset({*DECIDED, Status.ARCHIVED, Status.NOT_ACCEPTED})
# The statuses that trigger the SMS invitation (the case is concluded for the applicant).
CONCLUDED = frozenset({Status.GRANTED, Status.DENIED, Status.DELIVERED})
SUPPLEMENTARY_DAYS = 15  # natural days after completion during which a case may still be rated
APPEAL_DAYS = 5  # working days after assignment
DUE_SOON_DAYS = 2  # working days before the due date: warning
RECTIFY_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.DEPT_HEAD)
APPEAL_ROLES = (Role.SUPERVISOR,)
MAX_COMMENT = 500
MAX_TAGS = 10


class Conflict(DomainError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__("conflict", "该整改已被他人处理，请刷新页面后重试。")


def rectify_days() -> int:
    return int(getattr(settings, "ZHENGWU_RECTIFY_DAYS", 15))


def reminder_days() -> int:
    return int(getattr(settings, "ZHENGWU_REVIEW_REMINDER_DAYS", 3))


def local_date(now: dt.datetime) -> dt.date:
    return now.astimezone(LOCAL_TZ).date()


def _invalid(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(code, message, {field: [message]})


def _is_staff(user: User | None) -> bool:
    return bool(user is not None and user.is_authenticated and not user.applicant_id)


def _is_owner(user: User | None, case: Case) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.applicant_id
        and (case.applicant_account_id == user.pk or case.applicant_id == user.applicant_id)
    )


# -- reviews -----------------------------------------------------------------------------------------


def _check_grade(grade: Any) -> int:
    if grade in (None, ""):
        raise _invalid("grade", "请选择总体评价（1–5 分）；评价没有默认值。", "required")
    try:
        value = int(grade)
    except (TypeError, ValueError):
        raise _invalid("grade", "总体评价须为 1 至 5 的整数。") from None
    if not 1 <= value <= 5 or str(grade).strip() != str(value):
        raise _invalid("grade", "总体评价须为 1 至 5 的整数。")
    return value


def scores_validate(dimension_set: str, scores: Mapping[str, Any] | None) -> dict[str, int]:
    """The dimension scores, checked against the unified dimension set (unknown or bad ones refused)."""
    allowed = c.DIMENSIONS[dimension_set]
    out: dict[str, int] = {}
    for key, raw in (scores or {}).items():
        if key not in allowed:
            raise _invalid(
                "scores", f"评价维度“{key}”不属于{c.DimensionSet(dimension_set).label}的评价维度。"
            )
        if raw in (None, ""):
            continue  # a dimension left out is simply not rated
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise _invalid("scores", f"“{allowed[key]}”的评价须为 1 至 5 分。")
        out[key] = value
    return out


def _check_tags(tags: Iterable[str] | None) -> list[str]:
    out = [str(t).strip() for t in (tags or []) if str(t).strip()]
    if len(out) > MAX_TAGS or any(len(t) > 20 for t in out):
        raise _invalid("tags", f"标签最多 {MAX_TAGS} 个，每个不超过 20 字。")
    return out


def _number(day: dt.date) -> str:
    return f"PJ{day:%Y%m%d}{secrets.token_hex(4).upper()}"


def _case_staff(case: Case) -> User | None:
    """The staff member who served the applicant at the window: the first staff actor of the case."""
    event = (
        CaseEvent.objects.filter(case=case, actor__isnull=False, actor__applicant__isnull=True)
        .select_related("actor")
        .order_by("at", "id")
        .first()
    )
    return event.actor if event is not None else None


def window_current_case(window: Window, clerk: User, today: dt.date) -> tuple[Case, CaseEvent] | None:
    """The clerk's current case at the window (the latest case the clerk acted on today) and that event,
    which is the visit a window rating pad reviews (一次一评)."""
    start = dt.datetime.combine(today, dt.time(), tzinfo=LOCAL_TZ)
    event = (
        CaseEvent.objects.filter(actor=clerk, at__gte=start)
        .select_related("case", "case__item", "case__department")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        return None
    return event.case, event


@transaction.atomic
def review_submit(
    *,
    grade: Any,
    channel: str,
    actor: User | None,
    now: dt.datetime,
    case: Case | None = None,
    kind: str = c.ServiceKind.CASE,
    window: Window | None = None,
    visit_event: CaseEvent | None = None,
    clerk: User | None = None,
    scores: Mapping[str, Any] | None = None,
    comment: str = "",
    tags: Iterable[str] | None = None,
    real_name: bool = True,
    invitation: ReviewInvitation | None = None,
) -> Review:
    """Record one review of one service event.

    - a citizen rates their own concluded case (`actor` the citizen; 一事一评), within 15 natural days
      of its completion;
    - an SMS invitation rates its case (`invitation`, no sign-in, the link works once);
    - a window rating pad rates one visit (`kind = visit`, `window`, the clerk's `visit_event`);
    - staff may only type in a paper form (`channel = paper`), which is marked `paper_recorded`.
    """
    grade = _check_grade(grade)
    if channel not in c.Channel.values:
        raise _invalid("channel", "评价渠道无效。")
    if kind not in c.ServiceKind.values:
        raise _invalid("kind", "评价方式无效。")
    today = local_date(now)
    paper = channel == c.Channel.PAPER
    if _is_staff(actor) and not paper:
        raise PermissionDenied("评价须由办事群众自愿作出，工作人员不得代为评价（纸质评价表录入除外）。")
    if paper and not _is_staff(actor):
        raise PermissionDenied("纸质评价表只能由收表的工作人员录入。")
    if invitation is not None:
        case = invitation.case
    if kind == c.ServiceKind.CASE:
        if case is None:
            raise _invalid("case", "一事一评须指明办件。")
        _check_case_reviewable(case, actor=actor, now=now, invitation=invitation, paper=paper)
        window = case.window
        clerk = _case_staff(case)
        visit_key = f"case:{case.pk}"
    else:
        if window is None:
            raise _invalid("window", "一次一评须指明窗口。")
        if visit_event is not None:
            case = visit_event.case
            visit_key = f"visit:{case.pk}:{visit_event.pk}"
        else:
            visit_key = f"visit:w{window.pk}:{now.timestamp():.6f}"
    if case is not None:
        department, region, item = case.department, case.region, case.item
    else:
        department = window.hall.department  # type: ignore[union-attr]
        region, item = department.region, None
    dimension_set = (
        c.DimensionSet.ONLINE
        if kind == c.ServiceKind.CASE and case is not None and case.channel == "online"
        else c.DimensionSet.OFFLINE
    )
    comment = (comment or "").strip()
    if len(comment) > MAX_COMMENT:
        raise _invalid("comment", f"评价内容不能超过 {MAX_COMMENT} 字。")
    reviewer = None
    contact = ""
    if real_name and case is not None and (invitation is not None or _is_owner(actor, case) or paper):
        reviewer = case.applicant
        contact = mask_phone(case.contact_phone or case.applicant.phone)
    real_name = reviewer is not None
    if Review.objects.filter(visit_key=visit_key).exists():
        raise _invalid("case", "该服务已评价过，一次服务只能评价一次。", "already_reviewed")
    review = Review(
        number=_number(today),
        kind=kind,
        channel=channel,
        visit_key=visit_key,
        case=case,
        item=item,
        department=department,
        region=region,
        window=window,
        staff=clerk,
        grade=grade,
        dimension_set=dimension_set,
        scores=scores_validate(dimension_set, scores),
        comment=comment,
        tags=_check_tags(tags),
        real_name=real_name,
        reviewer=reviewer,
        contact_masked=contact,
        paper_recorded=paper,
        recorded_by=actor if paper else None,
        reviewed_on=today,
    )
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise _invalid("case", "该服务已评价过，一次服务只能评价一次。", "already_reviewed") from None
    if invitation is not None:
        used = ReviewInvitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=now)
        if used != 1:
            raise DomainError("invitation_used", "该评价链接已使用。")
    elif case is not None and kind == c.ServiceKind.CASE:
        ReviewInvitation.objects.filter(case=case, used_at__isnull=True).update(used_at=now)
    if review.is_bad:
        rectification_open(review=review, now=now)
    return review


def _check_case_reviewable(
    case: Case, *, actor: User | None, now: dt.datetime, invitation: ReviewInvitation | None, paper: bool
) -> None:
    if invitation is None and not paper and not _is_owner(actor, case):
        raise PermissionDenied("只能评价本人办理的办件。")
    if paper:
        _require_scope(actor, case.department_id)  # type: ignore[arg-type]
    if case.status not in REVIEWABLE:
        raise _invalid("case", "办件尚未办结，办结后才能评价。", "not_finished")
    finished = case.finished_at or now
    if now > finished + dt.timedelta(days=SUPPLEMENTARY_DAYS) and not paper:
        raise _invalid("case", f"已超过办结后 {SUPPLEMENTARY_DAYS} 日的补充评价期限。", "review_closed")


# -- invitations -------------------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _send_sms(phone: str, text: str) -> None:
    """No SMS gateway here: the message is logged with the phone masked and the link's token left out."""
    log.info("SMS to %s: %s", mask_phone(phone), text)


def _invitation_text(case: Case, reminder: bool = False) -> str:
    head = "【政务服务】提醒：" if reminder else "【政务服务】"
    return (
        f"{head}您办理的“{case.item.name}”（{case.number}）已办结，欢迎对本次服务作出评价（自愿），"
        f"链接 {SUPPLEMENTARY_DAYS} 日内有效，仅可使用一次："
    )


def invitation_issue(*, case: Case, now: dt.datetime) -> tuple[ReviewInvitation, str] | None:
    """Invite the applicant of a concluded case to rate it, once per case; returns (invitation, token), or
    None when the case has an invitation or a review already, or no phone to send to."""
    phone = case.contact_phone or case.applicant.phone
    if not phone or ReviewInvitation.objects.filter(case=case).exists():
        return None
    if Review.objects.filter(case=case, kind=c.ServiceKind.CASE).exists():
        return None
    token = secrets.token_urlsafe(24)
    text = _invitation_text(case)
    finished = case.finished_at or now
    invitation = ReviewInvitation.objects.create(
        case=case,
        token_hash=_token_hash(token),
        phone_masked=mask_phone(phone),
        message=text,
        sent_at=now,
        expires_at=finished + dt.timedelta(days=SUPPLEMENTARY_DAYS),
    )
    transaction.on_commit(lambda: _send_sms(phone, text + " /review/<令牌>/"))
    return invitation, token


def on_case_transition(sender, case, action, old_status, new_status, now, actor, **kwargs) -> None:
    """`cases.signals.case_transitioned` receiver: a concluded case gets its SMS invitation (once)."""
    if new_status in CONCLUDED:
        invitation_issue(case=case, now=now)


def invitations_remind(*, now: dt.datetime) -> int:
    """Remind once, after `ZHENGWU_REVIEW_REMINDER_DAYS`, every applicant who has not rated yet. The first
    token is kept only hashed, so the reminder carries a fresh link and the old one stops working."""
    due = (
        ReviewInvitation.objects.filter(
            reminder_at__isnull=True,
            used_at__isnull=True,
            sent_at__lte=now - dt.timedelta(days=reminder_days()),
            expires_at__gt=now,
        )
        .exclude(case__reviews__kind=c.ServiceKind.CASE)
        .select_related("case", "case__item", "case__applicant")
    )
    count = 0
    for invitation in due:
        token = secrets.token_urlsafe(24)
        text = _invitation_text(invitation.case, reminder=True)
        rows = ReviewInvitation.objects.filter(pk=invitation.pk, reminder_at__isnull=True).update(
            reminder_at=now, token_hash=_token_hash(token), message=text
        )
        if rows:
            count += 1
            phone = invitation.case.contact_phone or invitation.case.applicant.phone
            _send_sms(phone, text + " /review/<令牌>/")
    return count


def invitation_for_token(*, token: str, now: dt.datetime) -> ReviewInvitation:
    """The invitation of an SMS link, while it is unused and unexpired; the same refusal for anything else."""
    invitation = (
        ReviewInvitation.objects.select_related("case", "case__item", "case__department", "case__applicant")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        raise NotFound("评价链接无效、已使用或已过期。")
    return invitation


# -- rectification -----------------------------------------------------------------------------------


def rectification_open(*, review: Review, now: dt.datetime) -> Rectification:
    """Assign a bad review to the handling unit at once, due `ZHENGWU_RECTIFY_DAYS` working days after
    the review date (day zero)."""
    calendar = work_calendar(region=review.region)
    due, provisional = dl.add_workdays(calendar, review.reviewed_on, rectify_days())
    rectification = Rectification.objects.create(
        review=review,
        department=review.department,
        start_date=review.reviewed_on,
        budget=rectify_days(),
        due_date=due,
        provisional=provisional,
    )
    _event(rectification, "open", actor=None, now=now, old="", comment="差评自动转办理单位")
    return rectification


def _event(rectification: Rectification, action: str, *, actor, now, old: str, comment: str = "") -> None:
    RectificationEvent.objects.create(
        rectification=rectification,
        action=action,
        actor=actor,
        actor_name=str(actor) if actor is not None else "系统",
        at=now,
        from_state=old,
        to_state=rectification.state,
        comment=comment,
    )


def _require_scope(actor: User | None, department_id: int) -> None:
    if actor is None or not _is_staff(actor):
        raise PermissionDenied("仅工作人员可以处理差评整改。")
    if sees_everything(actor):
        return
    if not Department.objects.filter(department_scope_q(actor), pk=department_id).exists():
        raise PermissionDenied("该整改不在您的数据范围内。")


def _require_actor(actor: User, rectification: Rectification, roles: Sequence[str]) -> None:
    if not (actor.is_superuser or actor.has_role(*roles)):
        raise PermissionDenied("您的角色不能执行此操作。")
    _require_scope(actor, rectification.department_id)


def _move(
    rectification: Rectification,
    action: Action,
    *,
    actor: User,
    now: dt.datetime,
    comment: str = "",
    **updates: Any,
) -> Rectification:
    try:
        new = next_state(rectification.state, action)
    except TransitionNotAllowed as refused:
        raise DomainError("transition_not_allowed", str(refused)) from None
    rows = Rectification.objects.filter(
        pk=rectification.pk, version=rectification.version, state=rectification.state
    ).update(state=new, version=F("version") + 1, **updates)
    if rows != 1:
        raise Conflict()
    old = rectification.state
    rectification.state, rectification.version = new.value, rectification.version + 1
    for field, value in updates.items():
        setattr(rectification, field, value)
    _event(rectification, action.value, actor=actor, now=now, old=old, comment=comment)
    return rectification


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(field, message, "required")
    return value


def _fresh(rectification: Rectification) -> Rectification:
    return Rectification.objects.select_related("review", "department").get(pk=rectification.pk)


@transaction.atomic
def rectification_verify(*, rectification: Rectification, actor: User, now: dt.datetime) -> Rectification:
    """核实: the handling unit takes the bad review up and looks into it (contact the reviewer in 2 wd)."""
    _require_actor(actor, rectification, RECTIFY_ROLES)
    return _move(_fresh(rectification), Action.VERIFY, actor=actor, now=now)


@transaction.atomic
def rectification_rectify(
    *,
    rectification: Rectification,
    actor: User,
    now: dt.datetime,
    measures: str,
    files: Sequence[tuple[str, bytes]] = (),
) -> Rectification:
    """整改: the measures taken (立行立改 / 限期整改), with evidence files; may be repeated while rectifying."""
    _require_actor(actor, rectification, RECTIFY_ROLES)
    measures = _text(measures, "measures", "请填写整改措施。")
    checked = [(name, data, inspect_upload(name=name, data=data)) for name, data in files]
    rectification = _move(_fresh(rectification), Action.RECTIFY, actor=actor, now=now, measures=measures)
    for _name, data, info in checked:
        RectificationFile.objects.create(
            rectification=rectification, uploaded_by=actor, **filestore.stored_fields(data, info)
        )
    return rectification


@transaction.atomic
def rectification_explain(
    *, rectification: Rectification, actor: User, now: dt.datetime, explanation: str
) -> Rectification:
    """解释说明: the request has no legal basis; the unit explains instead of rectifying."""
    _require_actor(actor, rectification, RECTIFY_ROLES)
    explanation = _text(explanation, "explanation", "请填写解释说明（缺乏法定依据的理由）。")
    return _move(_fresh(rectification), Action.EXPLAIN, actor=actor, now=now, explanation=explanation)


@transaction.atomic
def rectification_appeal(
    *, rectification: Rectification, actor: User, now: dt.datetime, reason: str
) -> Rectification:
    """申诉: a mistaken or malicious review; within 5 working days of assignment, decided by a supervisor."""
    _require_actor(actor, rectification, RECTIFY_ROLES)
    reason = _text(reason, "reason", "请填写申诉理由（误评或恶意差评的事实）。")
    rectification = _fresh(rectification)
    calendar = work_calendar(region=rectification.review.region)
    limit, _ = dl.add_workdays(calendar, rectification.start_date, APPEAL_DAYS)
    if local_date(now) > limit:
        raise _invalid(
            "reason", f"申诉须在差评转办后 {APPEAL_DAYS} 个工作日内（{limit} 前）提出。", "appeal_late"
        )
    return _move(rectification, Action.APPEAL, actor=actor, now=now, comment=reason, appeal_reason=reason)


@transaction.atomic
def rectification_decide_appeal(
    *, rectification: Rectification, actor: User, now: dt.datetime, upheld: bool, decision: str
) -> Rectification:
    """复核 by a supervisor: upheld → the review is voided (kept, flagged, out of every rate) and the
    rectification closed; rejected → back to rectifying."""
    _require_actor(actor, rectification, APPEAL_ROLES)
    decision = _text(decision, "decision", "请填写复核意见。")
    rectification = _fresh(rectification)
    action = Action.UPHOLD_APPEAL if upheld else Action.REJECT_APPEAL
    updates: dict[str, Any] = {
        "appeal_upheld": upheld,
        "appeal_decision": decision,
        "appeal_decided_by": actor,
    }
    if upheld:
        updates["closed_on"] = local_date(now)
        updates["warning"] = c.WarningLevel.NONE
    rectification = _move(rectification, action, actor=actor, now=now, comment=decision, **updates)
    if upheld:
        Review.objects.filter(pk=rectification.review_id).update(
            voided=True, void_reason=f"申诉成立：{decision}"[:255]
        )
    return rectification


@transaction.atomic
def rectification_feed_back(
    *, rectification: Rectification, actor: User, now: dt.datetime, answer: str
) -> Rectification:
    """反馈: the answer to the reviewer (measures taken, or the explanation). The rectification counts as
    done on this day (on time when on or before the due date)."""
    _require_actor(actor, rectification, RECTIFY_ROLES)
    answer = _text(answer, "answer", "请填写反馈评价人的内容。")
    rectification = _fresh(rectification)
    if rectification.state == State.RECTIFYING and not rectification.measures.strip():
        raise _invalid("measures", "请先填写整改措施。", "required")
    today = local_date(now)
    overdue = rectification.overdue or today > rectification.due_date
    return _move(
        rectification,
        Action.FEED_BACK,
        actor=actor,
        now=now,
        answer=answer,
        answered_on=today,
        overdue=overdue,
        warning=c.WarningLevel.OVERDUE if overdue else c.WarningLevel.NONE,
    )


@transaction.atomic
def rectification_call_back(
    *, rectification: Rectification, actor: User, now: dt.datetime, result: str, note: str = ""
) -> Rectification:
    """回访 of a real-name reviewer (required: call-back rate 100 %); anonymous reviews cannot be called."""
    _require_actor(actor, rectification, RECTIFY_ROLES)
    rectification = _fresh(rectification)
    if not rectification.review.real_name:
        raise _invalid("result", "匿名评价无法回访，核实整改并反馈后可直接办结。", "anonymous")
    if result not in c.CallbackResult.values:
        raise _invalid("result", "请选择回访结果。", "required")
    return _move(
        rectification,
        Action.CALL_BACK,
        actor=actor,
        now=now,
        comment=(note or "").strip(),
        callback_result=result,
        callback_note=(note or "").strip(),
        called_back_on=local_date(now),
    )


@transaction.atomic
def rectification_close(*, rectification: Rectification, actor: User, now: dt.datetime) -> Rectification:
    """办结: after the call-back (real-name) or right after the feedback (anonymous)."""
    _require_actor(actor, rectification, RECTIFY_ROLES)
    rectification = _fresh(rectification)
    if rectification.state == State.FED_BACK and rectification.review.real_name:
        raise _invalid("result", "实名差评须先回访评价人（回访率 100%），再办结。", "callback_required")
    return _move(rectification, Action.CLOSE, actor=actor, now=now, closed_on=local_date(now))


def rectifications_sweep(*, now: dt.datetime) -> dict[str, int]:
    """Flag open rectifications past their due date as overdue and those due within 2 working days as
    due soon. Safe to run twice (only rows whose flag changes are touched)."""
    today = local_date(now)
    open_states = [s.value for s in OPEN]
    overdue = Rectification.objects.filter(state__in=open_states, due_date__lt=today, overdue=False).update(
        overdue=True, warning=c.WarningLevel.OVERDUE
    )
    horizon, _ = dl.add_workdays(work_calendar(), today, DUE_SOON_DAYS)
    due_soon = Rectification.objects.filter(
        state__in=open_states,
        due_date__gte=today,
        due_date__lte=horizon,
        warning=c.WarningLevel.NONE,
    ).update(warning=c.WarningLevel.DUE_SOON)
    return {"overdue": overdue, "due_soon": due_soon}


ACTIONS = {
    "verify": "开始核实",
    "rectify": "整改",
    "explain": "解释说明",
    "appeal": "申诉",
    "decide_appeal": "申诉复核",
    "feed_back": "反馈评价人",
    "call_back": "记录回访",
    "close": "办结",
}


def rectification_actions_for(user: User, rectification: Rectification) -> list[str]:
    """The actions this person may take now (what the page shows as buttons and forms)."""
    state = State(rectification.state)
    out = []
    unit = user.is_superuser or user.has_role(*RECTIFY_ROLES)
    if unit:
        if state == State.RECEIVED:
            out.append("verify")
        if state in (State.VERIFYING, State.RECTIFYING):
            out.append("rectify")
        if state == State.VERIFYING:
            out += ["explain", "appeal"]
        if state in (State.RECTIFYING, State.EXPLAINING):
            out.append("feed_back")
        if state == State.FED_BACK and rectification.review.real_name:
            out.append("call_back")
        if state == State.CALLBACK or (state == State.FED_BACK and not rectification.review.real_name):
            out.append("close")
    if state == State.APPEALED and (user.is_superuser or user.has_role(*APPEAL_ROLES)):
        out.append("decide_appeal")
    return out
