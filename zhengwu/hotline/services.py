"""The only write path of 12345 tickets: one service per transition of `zhengwu.domain.hotline_flow`.

Every transition runs in one transaction: it re-reads and locks the ticket, asks the transition
table, moves the status with a guarded `UPDATE … WHERE id = ? AND version = ? AND status = ?` (so
of two people acting on one ticket exactly one wins, and the other gets 409 "已被他人处理"), and
writes an immutable event. Clocks come from `zhengwu.domain.sla` at each (re-)dispatch.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Q

from zhengwu.common import filestore
from zhengwu.common.clock import LOCAL_TZ
from zhengwu.common.errors import DomainError, PermissionDenied
from zhengwu.common.sequences import next_in_sequence
from zhengwu.common.uploads import inspect_upload
from zhengwu.domain import sla
from zhengwu.domain.calendar import WorkCalendar
from zhengwu.domain.hotline_flow import AT_UNIT, FINISHED, Action, Status, TransitionNotAllowed, next_status
from zhengwu.hotline import choices as c
from zhengwu.hotline.access import acts_for_centre, acts_for_unit, is_agent
from zhengwu.hotline.models import DispatchRule, Ticket, TicketEvent, TicketFile, TicketSequence
from zhengwu.organization.models import Department, Region, User
from zhengwu.workdays.selectors import work_calendar

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MAX_CONTENT = 4000
MAX_SPLIT_PARTS = 10
MAX_FILES_PER_TICKET = 10
# A ticket takes no more files once it is over (a replied ticket still may: the centre's call-back).
FILES_CLOSED = FINISHED - {Status.REPLIED}
# A split child is done for its parent once replied (or replied and closed by the centre).
SPLIT_CHILD_DONE = frozenset({Status.REPLIED, Status.CLOSED})


class Conflict(DomainError):
    status_code = 409

    def __init__(self) -> None:
        super().__init__("conflict", "该工单已被他人处理，请刷新页面后重试。")


# -- helpers -------------------------------------------------------------------------------------


def _calendar(ticket: Ticket) -> WorkCalendar:
    return work_calendar(region=ticket.region)


def _text(value: str | None, field: str, message: str, *, limit: int = MAX_CONTENT) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", message, {field: [message]})
    if len(value) > limit:
        raise DomainError("too_long", f"内容过长（最多 {limit} 字）。", {field: [f"最多 {limit} 字。"]})
    return value


def _caller_name(value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > 64:
        raise DomainError("too_long", "来电人姓名过长（最多 64 字）。", {"caller_name": ["最多 64 字。"]})
    return value


def _choice(value: str, choices: type, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError("invalid", f"{label}“{value}”无效。", {field: [f"{label}无效。"]})
    return value


def _require_centre(actor: User | None, ticket: Ticket) -> None:
    if actor is None:
        return
    if not acts_for_centre(actor, ticket):
        raise PermissionDenied("只有12345热线中心的工作人员可以执行此操作。")


def _require_unit(actor: User, ticket: Ticket) -> None:
    if not acts_for_unit(actor, ticket):
        raise PermissionDenied("该工单未派给您所在的单位。")


def _locked(ticket: Ticket, action: Action) -> Ticket:
    """The caller's ticket re-read inside the transaction; a stale copy conflicts; a pair the table
    does not allow is refused first, naming the status and the action."""
    fresh = (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("region", "department")
        .get(pk=ticket.pk)
    )
    if fresh.version != ticket.version:
        raise Conflict()
    try:
        next_status(fresh.status, action)
    except TransitionNotAllowed as refused:
        raise DomainError("transition_not_allowed", str(refused)) from None
    return fresh


def _event(ticket: Ticket, action: str, *, actor, now, old: str, comment: str = "", data=None) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        actor=actor,
        actor_name=str(actor) if actor is not None else "系统",
        department_id=ticket.department_id,
        at=now,
        from_status=old,
        to_status=ticket.status,
        comment=comment,
        data=dict(data or {}),
    )


def _transition(
    ticket: Ticket,
    action: Action,
    *,
    actor: User | None,
    now: dt.datetime,
    comment: str = "",
    data: Mapping[str, Any] | None = None,
    **updates: Any,
) -> Ticket:
    new_status = next_status(ticket.status, action)
    rows = Ticket.objects.filter(pk=ticket.pk, version=ticket.version, status=ticket.status).update(
        status=new_status, version=F("version") + 1, **updates
    )
    if rows != 1:
        raise Conflict()
    old = ticket.status
    ticket.status, ticket.version = new_status.value, ticket.version + 1
    for field, value in updates.items():
        setattr(ticket, field, value)
    _event(ticket, action.value, actor=actor, now=now, old=old, comment=comment, data=data)
    return ticket


def ticket_sla(ticket: Ticket) -> sla.Sla:
    return sla.sla_for(ticket.category, ticket.urgency, complex_=ticket.is_complex)


def _clock_updates(ticket: Ticket, now: dt.datetime) -> dict[str, Any]:
    clocks = sla.clocks(ticket_sla(ticket), now, _calendar(ticket))
    return {
        "dispatched_at": now,
        "sign_due_at": clocks.sign.at,
        "finish_due_at": clocks.finish.at if clocks.finish else None,
        "due_by_date": clocks.sign.by_date,
        "due_provisional": clocks.sign.provisional or bool(clocks.finish and clocks.finish.provisional),
        "sign_overdue": False,
        "finish_overdue": False,
        "chase_level": c.ChaseLevel.NONE,
        "signed_at": None,
    }


def _next_number(region: Region, day: dt.date) -> str:
    prefix = region.code[:6]
    last = next_in_sequence(TicketSequence, prefix=prefix, day=day)
    return f"RX-{prefix}-{day:%Y%m%d}-{last:06d}"


def _query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(6))


# -- intake --------------------------------------------------------------------------------------


def dispatch_suggest(*, region: Region, topic: str = "", text: str = "") -> Department | None:
    """The department the 派单目录 names for a topic in the region (the nearest region up the tree
    wins); without a topic match, the first rule whose keywords occur in the text."""
    codes = region.ancestor_codes
    rules = list(
        DispatchRule.objects.select_related("department", "region").filter(
            region__code__in=codes, department__is_active=True
        )
    )
    rules.sort(key=lambda rule: -len(rule.region.path))
    if topic:
        for rule in rules:
            if rule.topic == topic:
                return rule.department
    for rule in rules:
        if any(word and word in text for word in rule.keywords.split()):
            return rule.department
    return None


@transaction.atomic
def ticket_create(
    *,
    channel: str,
    category: str,
    title: str,
    content: str,
    region: Region,
    now: dt.datetime,
    agent: User | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    confidential: bool = False,
    call_back_declined: bool = False,
    urgency: str = "normal",
    topic: str = "",
    location: str = "",
    item=None,
    publish_consent: bool = False,
) -> Ticket:
    """Register an appeal (受理). Agents register calls; web, mailbox and API appeals come in directly."""
    _choice(channel, c.Channel, "channel", "渠道")
    _choice(category, c.Category, "category", "诉求类别")
    _choice(urgency, c.Urgency, "urgency", "紧急程度")
    if channel == c.Channel.PHONE and (agent is None or not is_agent(agent)):
        raise PermissionDenied("电话诉求只能由12345热线坐席登记。")
    title = _text(title, "title", "请填写诉求标题。", limit=128)
    content = _text(content, "content", "请填写诉求内容。")
    if channel != c.Channel.PHONE and not caller_phone.strip():
        raise DomainError(
            "required", "请填写联系电话，以便答复和回访。", {"caller_phone": ["请填写联系电话。"]}
        )
    local_day = now.astimezone(LOCAL_TZ).date()
    ticket = Ticket.objects.create(
        number=_next_number(region, local_day),
        query_code=_query_code(),
        channel=channel,
        category=category,
        urgency=urgency,
        topic=(topic or "").strip()[:64],
        title=title,
        content=content,
        region=region,
        location=(location or "").strip()[:255],
        item=item,
        caller_name=_caller_name(caller_name),
        caller_phone=(caller_phone or "").strip()[:32],
        confidential=confidential,
        call_back_declined=call_back_declined,
        received_at=now,
        agent=agent,
        publish_consent=publish_consent and channel == c.Channel.MAILBOX,
    )
    _event(ticket, "create", actor=agent, now=now, old="", data={"channel": channel})
    return ticket


@transaction.atomic
def ticket_file_add(
    *, ticket: Ticket, name: str, data: bytes, actor: User | None, now: dt.datetime
) -> TicketFile:
    """Attach a file to a ticket after checking its real type; the blob is stored before the row.

    The centre may attach files to its tickets, and so may the department the ticket is dispatched to
    (photos of the fix, say) — a confidential ticket's files too: they are content, not the caller's
    identity. `actor=None` is the caller's own submission (市长信箱, web form) while it is being received.
    At most `MAX_FILES_PER_TICKET` files; the ticket row is locked so two uploads cannot pass the limit.
    """
    fresh = Ticket.objects.select_for_update(of=("self",)).select_related("region").get(pk=ticket.pk)
    if actor is None:
        if fresh.status != Status.RECEIVED:
            raise PermissionDenied("工单受理后，只有热线中心或承办单位可以上传附件。")
    elif not (acts_for_centre(actor, fresh) or acts_for_unit(actor, fresh)):
        raise PermissionDenied("只有12345热线中心或该工单的承办单位可以上传附件。")
    if fresh.status in FILES_CLOSED:
        message = "工单已办结，不能再上传附件。"
        raise DomainError("ticket_finished", message, {"file": [message]})
    if fresh.files.count() >= MAX_FILES_PER_TICKET:
        message = f"每张工单最多上传 {MAX_FILES_PER_TICKET} 个附件。"
        raise DomainError("too_many_files", message, {"file": [message]})
    info = inspect_upload(name=name, data=data)
    file = TicketFile.objects.create(ticket=fresh, uploaded_by=actor, **filestore.stored_fields(data, info))
    _event(
        fresh,
        c.TicketAction.UPLOAD,
        actor=actor,
        now=now,
        old=fresh.status,
        comment=info.original_name,
        data={"file": file.pk, "size": info.size, "sha256": info.sha256},
    )
    return file


@transaction.atomic
def ticket_answer_directly(*, ticket: Ticket, actor: User, now: dt.datetime, reply: str) -> Ticket:
    """直办: the agent answers on the call from the knowledge base and closes the ticket."""
    ticket = _locked(ticket, Action.ANSWER_DIRECTLY)
    _require_centre(actor, ticket)
    reply = _text(reply, "reply", "请填写答复内容。")
    return _transition(
        ticket,
        Action.ANSWER_DIRECTLY,
        actor=actor,
        now=now,
        comment=reply,
        reply=reply,
        replied_at=now,
        closed_at=now,
    )


def _require_dispatchable(department: Department | None, ticket: Ticket) -> Department:
    if department is None:
        raise DomainError("required", "请选择承办单位。", {"department": ["请选择承办单位。"]})
    if not department.is_active:
        raise DomainError("invalid", "该单位已停用。", {"department": ["该单位已停用。"]})
    if not ticket.region.path.startswith(department.region.path) and not department.region.path.startswith(
        ticket.region.path
    ):
        raise DomainError(
            "invalid",
            "承办单位不在诉求区划的上下级范围内。",
            {"department": ["请选择本区划或上下级的单位。"]},
        )
    return department


def _complex_updates(is_complex: bool, complex_reason: str) -> dict[str, Any]:
    if not is_complex:
        return {"is_complex": False, "complex_reason": ""}
    reason = _text(complex_reason, "complex_reason", "标记为复杂件须说明理由。", limit=255)
    return {"is_complex": True, "complex_reason": reason}


@transaction.atomic
def ticket_dispatch(
    *,
    ticket: Ticket,
    actor: User,
    now: dt.datetime,
    department: Department | None,
    is_complex: bool = False,
    complex_reason: str = "",
    comment: str = "",
) -> Ticket:
    """派单: to the unit the catalogue names (or another the dispatcher chooses); both clocks start now."""
    ticket = _locked(ticket, Action.DISPATCH)
    _require_centre(actor, ticket)
    department = _require_dispatchable(department, ticket)
    updates = _complex_updates(is_complex, complex_reason)
    for field, value in updates.items():
        setattr(ticket, field, value)
    updates |= _clock_updates(ticket, now) | {"department": department, "first_dispatched_at": now}
    suggested = dispatch_suggest(region=ticket.region, topic=ticket.topic, text=ticket.content)
    data = {"department": department.name, "suggested": suggested.name if suggested else ""}
    return _transition(ticket, Action.DISPATCH, actor=actor, now=now, comment=comment, data=data, **updates)


@transaction.atomic
def ticket_sign(*, ticket: Ticket, actor: User, now: dt.datetime) -> Ticket:
    ticket = _locked(ticket, Action.SIGN)
    _require_unit(actor, ticket)
    late = ticket.sign_due_at is not None and not sla.on_time(now, ticket.sign_due_at)
    return _transition(ticket, Action.SIGN, actor=actor, now=now, signed_at=now, sign_overdue=late)


@transaction.atomic
def ticket_return(*, ticket: Ticket, actor: User, now: dt.datetime, reason: str, note: str = "") -> Ticket:
    """退单: only within the sign-for window, with a reason from the list (not our duty needs a basis)."""
    ticket = _locked(ticket, Action.RETURN)
    _require_unit(actor, ticket)
    if reason not in c.ReturnReason.values:
        raise DomainError("invalid", "请选择退单理由。", {"reason": ["请从列表中选择退单理由。"]})
    note = (note or "").strip()
    if reason == c.ReturnReason.NOT_OUR_DUTY and not note:
        raise DomainError(
            "required", "以“非本单位职责”退单须注明依据。", {"note": ["请注明职责依据（三定、权责清单）。"]}
        )
    if ticket.sign_due_at is not None and now > ticket.sign_due_at:
        raise DomainError(
            "return_window_closed", "已超过签收时限，不能退单。", {"reason": ["签收时限已过。"]}
        )
    return _transition(
        ticket,
        Action.RETURN,
        actor=actor,
        now=now,
        comment=note,
        data={"reason": reason},
        return_reason=reason,
        return_note=note,
        return_count=ticket.return_count + 1,
    )


@transaction.atomic
def ticket_accept_return(
    *, ticket: Ticket, actor: User, now: dt.datetime, department: Department | None, comment: str = ""
) -> Ticket:
    """改派: the centre agrees with the return and dispatches to another unit with new clocks."""
    ticket = _locked(ticket, Action.ACCEPT_RETURN)
    _require_centre(actor, ticket)
    department = _require_dispatchable(department, ticket)
    if department.pk == ticket.department_id:
        raise DomainError("invalid", "改派须选择另一个承办单位。", {"department": ["请选择另一个单位。"]})
    updates = _clock_updates(ticket, now) | {"department": department}
    data = {"from": ticket.department.name if ticket.department else "", "department": department.name}
    return _transition(
        ticket, Action.ACCEPT_RETURN, actor=actor, now=now, comment=comment, data=data, **updates
    )


@transaction.atomic
def ticket_reject_return(*, ticket: Ticket, actor: User, now: dt.datetime, comment: str) -> Ticket:
    """驳回退单: back to the same unit, clocks unchanged."""
    ticket = _locked(ticket, Action.REJECT_RETURN)
    _require_centre(actor, ticket)
    comment = _text(comment, "comment", "请填写驳回理由。")
    return _transition(ticket, Action.REJECT_RETURN, actor=actor, now=now, comment=comment)


@transaction.atomic
def ticket_start(*, ticket: Ticket, actor: User, now: dt.datetime) -> Ticket:
    ticket = _locked(ticket, Action.START)
    _require_unit(actor, ticket)
    return _transition(ticket, Action.START, actor=actor, now=now)


def _touch(
    ticket: Ticket, action: str, *, actor, now, comment: str = "", data=None, **updates: Any
) -> Ticket:
    """Record an action that keeps the status, still guarded by the version."""
    rows = Ticket.objects.filter(pk=ticket.pk, version=ticket.version).update(
        version=F("version") + 1, **updates
    )
    if rows != 1:
        raise Conflict()
    ticket.version += 1
    for field, value in updates.items():
        setattr(ticket, field, value)
    _event(ticket, action, actor=actor, now=now, old=ticket.status, comment=comment, data=data)
    return ticket


@transaction.atomic
def ticket_request_extension(
    *, ticket: Ticket, actor: User, now: dt.datetime, amount: int, reason: str
) -> Ticket:
    """延期申请: before the finish due moment, once, at most the original limit."""
    ticket = _locked(ticket, Action.REQUEST_EXTENSION)
    _require_unit(actor, ticket)
    limit = ticket_sla(ticket).finish
    if limit is None or ticket.finish_due_at is None:
        raise DomainError("invalid", "该工单没有办结时限，无需延期。")
    if ticket.extension_state:
        raise DomainError("extension_once", "每张工单只能申请一次延期。", {"amount": ["已申请过延期。"]})
    if now > ticket.finish_due_at:
        raise DomainError(
            "extension_late", "已超过办结时限，不能再申请延期。", {"amount": ["办结时限已过。"]}
        )
    unit = "个工作日" if limit.unit == sla.Unit.WORKDAYS else "分钟"
    if not isinstance(amount, int) or not 0 < amount <= limit.amount:
        raise DomainError(
            "invalid",
            f"延期时长须在 1 到 {limit.amount} {unit}之间。",
            {"amount": [f"最多 {limit.amount} {unit}。"]},
        )
    reason = _text(reason, "reason", "请填写延期理由。")
    return _touch(
        ticket,
        Action.REQUEST_EXTENSION.value,
        actor=actor,
        now=now,
        comment=reason,
        data={"amount": amount},
        extension_state=c.ExtensionState.REQUESTED,
        extension_amount=amount,
        extension_reason=reason,
    )


@transaction.atomic
def ticket_approve_extension(*, ticket: Ticket, actor: User, now: dt.datetime, comment: str = "") -> Ticket:
    ticket = _locked(ticket, Action.APPROVE_EXTENSION)
    _require_centre(actor, ticket)
    if ticket.extension_state != c.ExtensionState.REQUESTED:
        raise DomainError("invalid", "该工单没有待审批的延期申请。")
    limit = ticket_sla(ticket).finish
    assert limit is not None and ticket.finish_due_at is not None
    old_local = ticket.finish_due_at.astimezone(LOCAL_TZ)
    old = sla.Due(old_local, old_local.date(), ticket.due_provisional, ticket.due_by_date)
    new = sla.extended(limit, old, ticket.extension_amount, _calendar(ticket))
    return _transition(
        ticket,
        Action.APPROVE_EXTENSION,
        actor=actor,
        now=now,
        comment=comment,
        data={"old_due": old.at.isoformat(), "new_due": new.at.isoformat()},
        extension_state=c.ExtensionState.APPROVED,
        finish_due_at=new.at,
        due_provisional=new.provisional,
        finish_overdue=False,
    )


@transaction.atomic
def ticket_reject_extension(*, ticket: Ticket, actor: User, now: dt.datetime, comment: str) -> Ticket:
    ticket = _locked(ticket, Action.REJECT_EXTENSION)
    _require_centre(actor, ticket)
    if ticket.extension_state != c.ExtensionState.REQUESTED:
        raise DomainError("invalid", "该工单没有待审批的延期申请。")
    comment = _text(comment, "comment", "请填写不批准的理由。")
    return _transition(
        ticket,
        Action.REJECT_EXTENSION,
        actor=actor,
        now=now,
        comment=comment,
        extension_state=c.ExtensionState.REJECTED,
    )


@transaction.atomic
def ticket_reply(*, ticket: Ticket, actor: User, now: dt.datetime, reply: str) -> Ticket:
    """答复: the unit's answer to the caller; the finish clock stops (on time if by the due moment)."""
    ticket = _locked(ticket, Action.REPLY)
    _require_unit(actor, ticket)
    reply = _text(reply, "reply", "请填写答复内容。")
    late = ticket.finish_due_at is not None and not sla.on_time(now, ticket.finish_due_at)
    ticket = _transition(
        ticket,
        Action.REPLY,
        actor=actor,
        now=now,
        comment=reply,
        reply=reply,
        replied_at=now,
        finish_overdue=late,
    )
    if ticket.split_parent_id is not None:
        _reply_split_parent(ticket.split_parent_id, now=now)
    return ticket


@transaction.atomic
def ticket_close(*, ticket: Ticket, actor: User | None, now: dt.datetime, comment: str = "") -> Ticket:
    """办结: the centre checks the reply and closes; merged duplicates copy the outcome."""
    ticket = _locked(ticket, Action.CLOSE)
    _require_centre(actor, ticket)
    ticket = _transition(ticket, Action.CLOSE, actor=actor, now=now, comment=comment, closed_at=now)
    children = Ticket.objects.filter(parent=ticket, status=Status.MERGED)
    children.update(reply=ticket.reply, replied_at=ticket.replied_at, closed_at=now, version=F("version") + 1)
    # 拆单: closing the parent closes the children the centre has not closed one by one.
    split_children = Ticket.objects.select_for_update(of=("self",)).filter(
        split_parent=ticket, status=Status.REPLIED
    )
    for child in split_children.order_by("pk"):
        _transition(
            child, Action.CLOSE, actor=actor, now=now, comment=f"随主单 {ticket.number} 办结", closed_at=now
        )
    return ticket


@transaction.atomic
def ticket_call_back(
    *,
    ticket: Ticket,
    actor: User,
    now: dt.datetime,
    satisfaction: str,
    resolved: bool,
    note: str = "",
) -> Ticket:
    """回访: the caller's satisfaction (满意 / 基本满意 / 不满意) and whether the matter is resolved."""
    ticket = _locked(ticket, Action.CALL_BACK)
    _require_centre(actor, ticket)
    if ticket.split_parent_id is not None:
        raise DomainError("invalid", "拆单的子单不单独回访，请回访主单的来电人。")
    if ticket.status == Status.MERGED and ticket.closed_at is None:
        raise DomainError("invalid", "主单办结后才能回访并单的来电人。")
    _choice(satisfaction, c.Satisfaction, "satisfaction", "满意度")
    return _transition(
        ticket,
        Action.CALL_BACK,
        actor=actor,
        now=now,
        comment=(note or "").strip(),
        data={"satisfaction": satisfaction, "resolved": bool(resolved)},
        called_back_at=now,
        satisfaction=satisfaction,
        resolved=bool(resolved),
        call_back_note=(note or "").strip(),
    )


@transaction.atomic
def ticket_evaluate(*, ticket: Ticket, actor: User, now: dt.datetime, evaluation: str) -> Ticket:
    ticket = _locked(ticket, Action.EVALUATE)
    _require_centre(actor, ticket)
    evaluation = _text(evaluation, "evaluation", "请填写评价意见。", limit=255)
    return _transition(
        ticket, Action.EVALUATE, actor=actor, now=now, comment=evaluation, evaluation=evaluation
    )


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor: User, now: dt.datetime, comment: str) -> Ticket:
    """重办: a call-back "未解决" or "不满意" confirmed by the centre; a new finish clock starts now."""
    ticket = _locked(ticket, Action.REOPEN)
    _require_centre(actor, ticket)
    if ticket.split_children.exists():
        raise DomainError("invalid", "拆单的主单不能整体重办，请就未解决的诉求重新受理并派单。")
    if ticket.department_id is None:
        raise DomainError("invalid", "直接办结的工单不能重办，请重新受理。")
    if ticket.resolved is not False and ticket.satisfaction != c.Satisfaction.UNSATISFIED:
        raise DomainError("invalid", "只有回访“未解决”或“不满意”的工单才能重办。")
    comment = _text(comment, "comment", "请填写重办理由。")
    limit = ticket_sla(ticket).finish
    finish = sla.due(limit, now, _calendar(ticket)) if limit else None
    return _transition(
        ticket,
        Action.REOPEN,
        actor=actor,
        now=now,
        comment=comment,
        redo_count=ticket.redo_count + 1,
        finish_due_at=finish.at if finish else None,
        finish_overdue=False,
        chase_level=c.ChaseLevel.NONE,
        replied_at=None,
        closed_at=None,
        called_back_at=None,
        satisfaction="",
        resolved=None,
        extension_state="",
        extension_amount=0,
    )


@transaction.atomic
def ticket_merge(*, ticket: Ticket, master: Ticket, actor: User, now: dt.datetime) -> Ticket:
    """并单: a duplicate attaches to its master and closes as merged; it copies the master's outcome."""
    ticket = _locked(ticket, Action.MERGE)
    _require_centre(actor, ticket)
    master = Ticket.objects.select_for_update(of=("self",)).select_related("region").get(pk=master.pk)
    if master.pk == ticket.pk:
        raise DomainError("invalid", "不能把工单并入它自己。", {"master": ["请选择另一张工单。"]})
    if master.status == Status.MERGED:
        raise DomainError("invalid", "主单本身已被并单，请选择其主单。", {"master": ["请选择主单。"]})
    if ticket.merged_children.exists():
        raise DomainError(
            "invalid", "该工单已有并入的工单，不能再并入其他工单。", {"master": ["请反向并单。"]}
        )
    if ticket.split_parent_id is not None or master.split_parent_id is not None:
        raise DomainError(
            "invalid", "拆单的子单不能并单，请并入其主单。", {"master": ["请选择来电人的主单。"]}
        )
    _require_centre(actor, master)
    closed = master.status in FINISHED and master.closed_at is not None
    updates: dict[str, Any] = {"parent": master}
    if closed:
        updates |= {"reply": master.reply, "replied_at": master.replied_at, "closed_at": now}
    return _transition(ticket, Action.MERGE, actor=actor, now=now, data={"master": master.number}, **updates)


# -- 拆单 (split) ----------------------------------------------------------------------------------


def _split_parts(
    ticket: Ticket, parts: Sequence[tuple[Department | None, str]]
) -> list[tuple[Department, str]]:
    """The parts checked: at least two, at most MAX_SPLIT_PARTS, each a distinct active department
    in the ticket's region chain with its own content. Errors name the part and the field."""
    parts = list(parts or [])
    if len(parts) < 2:
        message = "拆单至少需要两个承办单位。"
        raise DomainError("invalid", message, {"parts": [message]})
    if len(parts) > MAX_SPLIT_PARTS:
        message = f"拆单最多 {MAX_SPLIT_PARTS} 个承办单位。"
        raise DomainError("invalid", message, {"parts": [message]})
    checked: list[tuple[Department, str]] = []
    seen: dict[int, int] = {}
    for index, (department, content) in enumerate(parts):
        label, key = f"第 {index + 1} 项", f"parts[{index}]"
        try:
            department = _require_dispatchable(department, ticket)
        except DomainError as refused:
            message = f"{label}：{refused.message}"
            raise DomainError(refused.code, message, {f"{key}.department": [message]}) from None
        if department.pk in seen:
            message = f"{label}：承办单位与第 {seen[department.pk] + 1} 项重复，每个单位只拆一张子单。"
            raise DomainError("invalid", message, {f"{key}.department": [message]})
        seen[department.pk] = index
        content = (content or "").strip()
        if not content or len(content) > MAX_CONTENT:
            message = f"{label}：{'请填写交给该单位办理的诉求内容' if not content else f'诉求内容最多 {MAX_CONTENT} 字'}。"
            raise DomainError(
                "required" if not content else "too_long", message, {f"{key}.content": [message]}
            )
        checked.append((department, content))
    return checked


@transaction.atomic
def ticket_split(
    *,
    ticket: Ticket,
    actor: User,
    now: dt.datetime,
    parts: Sequence[tuple[Department | None, str]],
    comment: str = "",
) -> Ticket:
    """拆单: an appeal at the centre (received, or returned by a unit) that concerns several departments
    becomes one child ticket per department, each dispatched now with its own SLA clocks.

    The parent stays the caller's single point: it moves to `split`, loses its own department and
    clocks, lists its children, is replied with their answers combined when the last child is replied
    (`ticket_reply`), and is then closed and called back once; the children are never called back.
    Children are numbered after the parent (`…-1`, `…-2`) and copy its caller, category and urgency.
    """
    ticket = _locked(ticket, Action.SPLIT)
    _require_centre(actor, ticket)
    if ticket.split_parent_id is not None:
        raise DomainError(
            "invalid", "拆单的子单不能再拆分，请退回主单处理。", {"parts": ["子单不能再拆分。"]}
        )
    checked = _split_parts(ticket, parts)
    children = []
    for index, (department, content) in enumerate(checked, start=1):
        child = Ticket.objects.create(
            number=f"{ticket.number}-{index}",
            query_code=_query_code(),
            channel=ticket.channel,
            category=ticket.category,
            urgency=ticket.urgency,
            is_complex=ticket.is_complex,
            complex_reason=ticket.complex_reason,
            topic=ticket.topic,
            title=f"{ticket.title}（拆单 {index}/{len(checked)}）"[:128],
            content=content,
            region=ticket.region,
            location=ticket.location,
            item=ticket.item,
            caller_name=ticket.caller_name,
            caller_phone=ticket.caller_phone,
            confidential=ticket.confidential,
            call_back_declined=ticket.call_back_declined,
            received_at=ticket.received_at,
            agent=actor,
            split_parent=ticket,
        )
        _event(child, "create", actor=actor, now=now, old="", data={"split_from": ticket.number})
        updates = _clock_updates(child, now) | {"department": department, "first_dispatched_at": now}
        children.append(
            _transition(
                child,
                Action.DISPATCH,
                actor=actor,
                now=now,
                comment=f"由主单 {ticket.number} 拆出",
                data={"department": department.name, "split_from": ticket.number},
                **updates,
            )
        )
    data = {
        "children": [child.number for child in children],
        "departments": [department.name for department, _content in checked],
    }
    return _transition(
        ticket,
        Action.SPLIT,
        actor=actor,
        now=now,
        comment=(comment or "").strip(),
        data=data,
        department=None,
        sign_due_at=None,
        finish_due_at=None,
        chase_level=c.ChaseLevel.NONE,
    )


def split_combined_reply(children: Sequence[Ticket]) -> str:
    """The one reply the caller gets: each department's answer under its name, in child order."""
    return "\n".join(
        f"【{child.department.name if child.department else '—'}】{child.reply}" for child in children
    )


def _reply_split_parent(parent_id: int, *, now: dt.datetime) -> None:
    """When the last child of a split parent is replied, the parent is replied (by the system) with
    the combined reply. The parent row is locked before the children are read, so of two children
    replied at once exactly one sees the other done."""
    parent = Ticket.objects.select_for_update(of=("self",)).select_related("region").get(pk=parent_id)
    if parent.status != Status.SPLIT:
        return
    children = list(parent.split_children.select_related("department").order_by("pk"))
    if not children or any(child.status not in SPLIT_CHILD_DONE for child in children):
        return
    _transition(
        parent,
        Action.REPLY,
        actor=None,
        now=now,
        comment="各承办单位均已答复，汇总答复来电人",
        data={"children": [child.number for child in children]},
        reply=split_combined_reply(children),
        replied_at=now,
    )


# -- online consultation (网上咨询) ----------------------------------------------------------------


@transaction.atomic
def ticket_ask_about_item(
    *, item, title: str, content: str, caller_name: str, caller_phone: str, now: dt.datetime
) -> Ticket:
    """A question asked on an item's guide page: a 咨询 ticket received on the web and dispatched at
    once (by the system) to the item's department, with the 咨询 clocks (sign 1 wd, reply 2 wd)."""
    if item.department_id is None or not item.department.is_active:
        raise DomainError("invalid", "该事项暂无承办单位，请拨打12345咨询。")
    ticket = ticket_create(
        channel=c.Channel.WEB,
        category=c.Category.CONSULT,
        title=title,
        content=content,
        region=item.region,
        caller_name=caller_name,
        caller_phone=caller_phone,
        topic=item.name[:64],
        item=item,
        now=now,
    )
    return ticket_dispatch(
        ticket=ticket,
        actor=None,
        now=now,
        department=item.department,
        comment="网上咨询，按事项实施主体自动派单",
    )


@transaction.atomic
def ticket_publish_faq(*, ticket: Ticket, actor: User, now: dt.datetime, published: bool = True) -> Ticket:
    """公开为常见问题: the centre shows an answered online question on the item's guide page (or withdraws it)."""
    fresh = Ticket.objects.select_for_update(of=("self",)).select_related("region").get(pk=ticket.pk)
    if fresh.version != ticket.version:
        raise Conflict()
    _require_centre(actor, fresh)
    if fresh.item_id is None or fresh.category != c.Category.CONSULT:
        raise DomainError("invalid", "只有关联事项的咨询工单可以公开为常见问题。")
    if fresh.replied_at is None or fresh.status == Status.MERGED:
        raise DomainError("invalid", "工单答复后才能公开为常见问题。")
    if fresh.faq_published == published:
        return fresh
    return _touch(
        fresh,
        c.TicketAction.PUBLISH_FAQ.value,
        actor=actor,
        now=now,
        comment="公开为常见问题" if published else "撤回常见问题",
        data={"published": published},
        faq_published=published,
    )


# -- the sweep -----------------------------------------------------------------------------------


def tickets_sweep(*, now: dt.datetime, batch: int = 2000) -> dict[str, int]:
    """Mark overdue sign-for and finish clocks and send 督办 chases (system, then written), once each.

    Safe to run twice: marks only move forward and a chase is journalled only when its level rises.
    """
    counts = {"sign_overdue": 0, "finish_overdue": 0, "chased": 0}
    counts["sign_overdue"] = Ticket.objects.filter(
        status__in=[Status.DISPATCHED, Status.REASSIGNED], sign_due_at__lt=now, sign_overdue=False
    ).update(sign_overdue=True)
    open_at_unit = Q(status__in=list(AT_UNIT))
    counts["finish_overdue"] = Ticket.objects.filter(
        open_at_unit, finish_due_at__lt=now, finish_overdue=False
    ).update(finish_overdue=True)
    today = now.astimezone(LOCAL_TZ).date()
    candidates = (
        Ticket.objects.filter(open_at_unit, finish_due_at__lt=now)
        .exclude(chase_level=c.ChaseLevel.WRITTEN)
        .select_related("region")
        .order_by("pk")[:batch]
    )
    calendars: dict[int, WorkCalendar] = {}
    for ticket in candidates:
        assert ticket.finish_due_at is not None
        calendar = calendars.get(ticket.region_id) or calendars.setdefault(
            ticket.region_id, _calendar(ticket)
        )
        due_date = ticket.finish_due_at.astimezone(LOCAL_TZ).date()
        wanted = sla.chase_level(calendar, due_date, today)
        order = [c.ChaseLevel.NONE, c.ChaseLevel.AUTOMATIC, c.ChaseLevel.WRITTEN]
        if order.index(c.ChaseLevel(wanted.value)) <= order.index(c.ChaseLevel(ticket.chase_level)):
            continue
        with transaction.atomic():
            try:
                _touch(
                    ticket,
                    Action.CHASE.value,
                    actor=None,
                    now=now,
                    comment=sla.CHASE_LABELS[wanted],
                    data={"level": wanted.value},
                    chase_level=wanted.value,
                )
            except Conflict:
                continue
        counts["chased"] += 1
    return counts


# -- what a person may do ------------------------------------------------------------------------

CENTRE_ACTIONS = frozenset(
    {
        Action.DISPATCH,
        Action.ANSWER_DIRECTLY,
        Action.ACCEPT_RETURN,
        Action.REJECT_RETURN,
        Action.APPROVE_EXTENSION,
        Action.REJECT_EXTENSION,
        Action.CLOSE,
        Action.CALL_BACK,
        Action.EVALUATE,
        Action.REOPEN,
        Action.MERGE,
        Action.SPLIT,
    }
)
UNIT_ACTIONS = frozenset({Action.SIGN, Action.RETURN, Action.START, Action.REQUEST_EXTENSION, Action.REPLY})


def ticket_actions_for(user: User, ticket: Ticket) -> list[Action]:
    """The actions the table allows now that this person may take (the services check again)."""
    centre, unit = acts_for_centre(user, ticket), acts_for_unit(user, ticket)
    result = []
    for action in Action:
        if action == Action.CHASE:
            continue
        try:
            next_status(ticket.status, action)
        except TransitionNotAllowed:
            continue
        if (action in CENTRE_ACTIONS and not centre) or (action in UNIT_ACTIONS and not unit):
            continue
        if action == Action.REQUEST_EXTENSION and ticket.extension_state:
            continue
        if ticket.split_parent_id is not None and action in (Action.SPLIT, Action.MERGE, Action.CALL_BACK):
            continue
        if action in (Action.APPROVE_EXTENSION, Action.REJECT_EXTENSION) and (
            ticket.extension_state != c.ExtensionState.REQUESTED
        ):
            continue
        if action == Action.REOPEN and (
            ticket.department_id is None
            or (ticket.resolved is not False and ticket.satisfaction != c.Satisfaction.UNSATISFIED)
        ):
            continue
        result.append(action)
    return result
