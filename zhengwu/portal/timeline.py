"""The timeline of a case as a citizen sees it: what was done, when, by which role of which
department, never by whom (staff names stay on the workbench)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from zhengwu.cases import choices as c
from zhengwu.cases.models import Case, CaseEvent
from zhengwu.common.clock import LOCAL_TZ

# Internal bookkeeping a citizen has no use for (transfers between staff, joint-review opinions,
# supervision cards, re-projections, post-approval checks).
INTERNAL_ACTIONS = frozenset(
    {"step_transfer", "step_opinion", "card_issued", "calendar_reprojected", "post_check"}
)
# Actions whose comment is addressed to the applicant (notices, reasons, decisions).
COMMENT_ACTIONS = frozenset(
    {
        "request_supplement",
        "refuse_intake",
        "deem_accepted",
        "pause",
        "extend",
        "grant",
        "deny",
        "withdraw",
        "terminate",
        "certificate_revoked",
        "upload",
    }
)
# Not shown on the public progress page: what happened before submission, and file names.
PRIVATE_ACTIONS = frozenset({"save_draft", "upload"})
APPLICANT_ROLE = "申请人"


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    label: str
    who: str
    comment: str


def _label(event: CaseEvent) -> str:
    label = dict(c.CaseAction.choices).get(event.action, event.action)
    if event.action == "step_pass" and event.data.get("step"):
        return f"{event.data['step']}环节通过"
    if event.action == "save_draft":
        return "创建申请（草稿）"
    return label


def _who(event: CaseEvent, case: Case, public: bool) -> str:
    if event.actor_id is None:
        return "系统"
    if event.actor_role == APPLICANT_ROLE:
        return APPLICANT_ROLE
    # The actor's own department (an approval bureau may act for another department); on the public
    # page the case's department, so that the page needs no extra query.
    department = (None if public else event.actor.department) or case.department
    return " · ".join(part for part in (department.name, event.actor_role) if part)


def entries(case: Case, events: Iterable[CaseEvent], *, public: bool = False) -> list[Entry]:
    """The citizen-facing rows of `events` (oldest first); `public` drops drafts and file names."""
    rows = []
    for event in events:
        if event.action in INTERNAL_ACTIONS or (public and event.action in PRIVATE_ACTIONS):
            continue
        rows.append(
            Entry(
                at=event.at.astimezone(LOCAL_TZ),
                label=_label(event),
                who=_who(event, case, public),
                comment=event.comment if event.action in COMMENT_ACTIONS and not public else "",
            )
        )
    return rows


def supplement_notice(events: Iterable[CaseEvent]) -> CaseEvent | None:
    """The latest one-time supplement notice (its data lists every material with what is wrong)."""
    latest = None
    for event in events:
        if event.action == "request_supplement":
            latest = event
    return latest
