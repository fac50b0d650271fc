"""The case (办件) lifecycle as a transition table (行政许可法 §32, §34, §38, §42–44; DOMAIN §4).

`TRANSITIONS[(status, action)]` is the status a case moves to when `action` is taken in `status`;
a pair that is not in the table is not allowed, whatever the caller's role. Actions that keep the
status (a review step passing, a §45 pause, an extension, a deferred material arriving) map a
status to itself. Who may take an action, and the guards that depend on the case's data (the last
review step, 容缺 materials outstanding, a pause open), are checked by the services on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENTED = "supplemented"
    NOT_ACCEPTED = "not_accepted"
    IN_REVIEW = "in_review"
    PENDING_DECISION = "pending_decision"
    GRANTED = "granted"
    DENIED = "denied"
    CERTIFIED = "certified"
    DELIVERED = "delivered"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    ARCHIVED = "archived"


STATUS_LABELS: Final[Mapping[Status, str]] = {
    Status.DRAFT: "草稿",
    Status.SUBMITTED: "已申报",
    Status.SUPPLEMENT_REQUESTED: "待补正",
    Status.SUPPLEMENTED: "已补正",
    Status.NOT_ACCEPTED: "不予受理",
    Status.IN_REVIEW: "审查中",
    Status.PENDING_DECISION: "待决定",
    Status.GRANTED: "准予许可",
    Status.DENIED: "不予许可",
    Status.CERTIFIED: "已制证",
    Status.DELIVERED: "已送达",
    Status.WITHDRAWN: "已撤回",
    Status.TERMINATED: "已终止",
    Status.ARCHIVED: "已归档",
}


class Action(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    ACCEPT_WITH_DEFICIENCY = "accept_with_deficiency"
    DEEM_ACCEPTED = "deem_accepted"
    REFUSE_INTAKE = "refuse_intake"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT = "supplement"
    DECIDE_ON_SPOT = "decide_on_spot"
    STEP_PASS = "step_pass"
    STEP_RETURN = "step_return"
    STEP_TRANSFER = "step_transfer"
    STEP_OPINION = "step_opinion"
    PAUSE = "pause"
    RESUME = "resume"
    EXTEND = "extend"
    SUPPLY_DEFERRED = "supply_deferred"
    GRANT = "grant"
    DENY = "deny"
    ISSUE_CERTIFICATE = "issue_certificate"
    DELIVER = "deliver"
    WITHDRAW = "withdraw"
    TERMINATE = "terminate"
    ARCHIVE = "archive"


ACTION_LABELS: Final[Mapping[Action, str]] = {
    Action.SUBMIT: "提交申请",
    Action.ACCEPT: "受理",
    Action.ACCEPT_WITH_DEFICIENCY: "容缺受理",
    Action.DEEM_ACCEPTED: "视为受理",
    Action.REFUSE_INTAKE: "不予受理",
    Action.REQUEST_SUPPLEMENT: "一次性告知补正",
    Action.SUPPLEMENT: "补正材料",
    Action.DECIDE_ON_SPOT: "当场办结",
    Action.STEP_PASS: "审查通过",
    Action.STEP_RETURN: "退回",
    Action.STEP_TRANSFER: "转办",
    Action.STEP_OPINION: "会审意见",
    Action.PAUSE: "特别程序/中止",
    Action.RESUME: "恢复计时",
    Action.EXTEND: "延长期限",
    Action.SUPPLY_DEFERRED: "容缺材料补齐",
    Action.GRANT: "准予许可",
    Action.DENY: "不予许可",
    Action.ISSUE_CERTIFICATE: "制证",
    Action.DELIVER: "送达",
    Action.WITHDRAW: "撤回申请",
    Action.TERMINATE: "终止办理",
    Action.ARCHIVE: "归档",
}

S, A = Status, Action

# Statuses in which the applicant may still withdraw: before a decision is made.
_WITHDRAWABLE: Final = (S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.SUPPLEMENTED, S.IN_REVIEW, S.PENDING_DECISION)
# Statuses in which the legal clocks run and the review is open.
_UNDER_REVIEW: Final = (S.IN_REVIEW, S.PENDING_DECISION)

TRANSITIONS: Final[Mapping[tuple[Status, Action], Status]] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    # Intake (§32): accept, refuse, or one notice of everything to supplement; deemed acceptance when
    # the notice is not served within 5 working days. 即办件 are decided on the spot (§34).
    **{
        (status, action): target
        for status in (S.SUBMITTED, S.SUPPLEMENTED)
        for action, target in (
            (A.ACCEPT, S.IN_REVIEW),
            (A.ACCEPT_WITH_DEFICIENCY, S.IN_REVIEW),
            (A.REFUSE_INTAKE, S.NOT_ACCEPTED),
            (A.DECIDE_ON_SPOT, S.GRANTED),
        )
    },
    (S.SUBMITTED, A.REQUEST_SUPPLEMENT): S.SUPPLEMENT_REQUESTED,
    (S.SUBMITTED, A.DEEM_ACCEPTED): S.IN_REVIEW,
    (S.SUPPLEMENT_REQUESTED, A.SUPPLEMENT): S.SUPPLEMENTED,
    # Review (steps of the item's process), pauses (§45 / 中止), the one extension (§42).
    (S.IN_REVIEW, A.STEP_PASS): S.IN_REVIEW,  # the service moves to PENDING_DECISION after the last step
    (S.IN_REVIEW, A.STEP_RETURN): S.IN_REVIEW,
    (S.IN_REVIEW, A.STEP_TRANSFER): S.IN_REVIEW,
    (S.IN_REVIEW, A.STEP_OPINION): S.IN_REVIEW,
    (S.PENDING_DECISION, A.STEP_RETURN): S.IN_REVIEW,
    **{(status, action): status for status in _UNDER_REVIEW for action in (A.PAUSE, A.RESUME, A.EXTEND)},
    **{(status, A.SUPPLY_DEFERRED): status for status in (S.IN_REVIEW, S.PENDING_DECISION, S.GRANTED)},
    # Decision (§38, §42): reasons are required for a denial. 告知承诺 cases may be decided in review.
    **{(status, A.GRANT): S.GRANTED for status in _UNDER_REVIEW},
    **{(status, A.DENY): S.DENIED for status in _UNDER_REVIEW},
    # Certificate (§44) and delivery.
    (S.GRANTED, A.ISSUE_CERTIFICATE): S.CERTIFIED,
    (S.CERTIFIED, A.DELIVER): S.DELIVERED,
    (S.DENIED, A.DELIVER): S.DELIVERED,
    # Ends.
    **{(status, A.WITHDRAW): S.WITHDRAWN for status in (S.DRAFT, *_WITHDRAWABLE)},
    **{(status, A.TERMINATE): S.TERMINATED for status in (*_UNDER_REVIEW, S.SUPPLEMENT_REQUESTED)},
    **{
        (status, A.ARCHIVE): S.ARCHIVED for status in (S.DELIVERED, S.NOT_ACCEPTED, S.WITHDRAWN, S.TERMINATED)
    },
}

# A case in one of these statuses is finished: its clocks are stopped and no card is issued.
FINISHED: Final = frozenset(
    {S.NOT_ACCEPTED, S.GRANTED, S.DENIED, S.CERTIFIED, S.DELIVERED, S.WITHDRAWN, S.TERMINATED, S.ARCHIVED}
)
# A case in one of these statuses has been decided (the statutory limit is met).
DECIDED: Final = frozenset({S.GRANTED, S.DENIED, S.CERTIFIED, S.DELIVERED})
# The statuses of the intake stage (before acceptance).
INTAKE: Final = frozenset({S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.SUPPLEMENTED})


class TransitionNotAllowed(Exception):
    """`action` is not allowed in `status`; the message is Chinese and shown to people."""

    def __init__(self, status: Status, action: Action) -> None:
        self.status = status
        self.action = action
        super().__init__(f"办件当前状态为“{STATUS_LABELS[status]}”，不能执行“{ACTION_LABELS[action]}”。")


def next_status(status: str, action: str) -> Status:
    """Return the status after `action`, or raise TransitionNotAllowed."""
    current, wanted = Status(status), Action(action)
    try:
        return TRANSITIONS[(current, wanted)]
    except KeyError:
        raise TransitionNotAllowed(current, wanted) from None


def allowed_actions(status: str) -> tuple[Action, ...]:
    """The actions the table allows in `status`, in the order of `Action`."""
    current = Status(status)
    return tuple(action for action in Action if (current, action) in TRANSITIONS)
