"""The 12345 ticket (工单) lifecycle as a transition table (国办发〔2020〕53号; DOMAIN §7).

The closed loop 受理 → 派单 → 签收 → 办理 → 答复 → 办结 → 回访 → 评价, with its side paths:
直办 (answered on the call and closed), 退单 → 改派 (the centre accepts a return and re-dispatches
with new clocks) or 驳回退单 (back to the unit, clocks unchanged), 延期 (once, approved by the
centre), 并单 (a duplicate attaches to a master and closes as `merged`, copying its outcome; its
caller still gets a call-back), 拆单 (a received or returned appeal that concerns several
departments is split into child tickets, one per department, each dispatched with its own clocks;
the parent waits in `split` as the caller's single point and moves to `replied` with a combined
reply once every child is replied or closed, then closes and is called back like any ticket; the
children are never called back themselves), 重办 (a confirmed 未解决/不满意 reopens the ticket with a
new finish clock) and 督办 (a chase that keeps the status).

`TRANSITIONS[(status, action)]` is the status after `action`; a pair not in the table is refused,
whatever the caller's role. Who may act (centre or handling unit), the sign-for window of a
return, "once" for an extension, the merge master's own state, the parts of a split and "every
child replied" before a split parent's `reply` (a system step) are checked by the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class Status(StrEnum):
    RECEIVED = "received"
    DIRECT = "direct"
    DISPATCHED = "dispatched"
    REASSIGNED = "reassigned"
    RETURNED = "returned"
    SIGNED = "signed"
    IN_PROGRESS = "in_progress"
    EXTENDED = "extended"
    REDO = "redo"
    REPLIED = "replied"
    CLOSED = "closed"
    CALLED_BACK = "called_back"
    EVALUATED = "evaluated"
    MERGED = "merged"
    SPLIT = "split"


STATUS_LABELS: Final[Mapping[Status, str]] = {
    Status.RECEIVED: "已受理",
    Status.DIRECT: "直接办结",
    Status.DISPATCHED: "已派单",
    Status.REASSIGNED: "已改派",
    Status.RETURNED: "已退单",
    Status.SIGNED: "已签收",
    Status.IN_PROGRESS: "办理中",
    Status.EXTENDED: "已延期",
    Status.REDO: "重办中",
    Status.REPLIED: "已答复",
    Status.CLOSED: "已办结",
    Status.CALLED_BACK: "已回访",
    Status.EVALUATED: "已评价",
    Status.MERGED: "已并单",
    Status.SPLIT: "已拆单",
}


class Action(StrEnum):
    DISPATCH = "dispatch"
    ANSWER_DIRECTLY = "answer_directly"
    SIGN = "sign"
    RETURN = "return"
    ACCEPT_RETURN = "accept_return"
    REJECT_RETURN = "reject_return"
    START = "start"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    REPLY = "reply"
    CLOSE = "close"
    CALL_BACK = "call_back"
    EVALUATE = "evaluate"
    REOPEN = "reopen"
    MERGE = "merge"
    SPLIT = "split"
    CHASE = "chase"


ACTION_LABELS: Final[Mapping[Action, str]] = {
    Action.DISPATCH: "派单",
    Action.ANSWER_DIRECTLY: "直接答复办结",
    Action.SIGN: "签收",
    Action.RETURN: "退单",
    Action.ACCEPT_RETURN: "同意退单并改派",
    Action.REJECT_RETURN: "驳回退单",
    Action.START: "开始办理",
    Action.REQUEST_EXTENSION: "申请延期",
    Action.APPROVE_EXTENSION: "批准延期",
    Action.REJECT_EXTENSION: "不批准延期",
    Action.REPLY: "答复",
    Action.CLOSE: "办结",
    Action.CALL_BACK: "回访",
    Action.EVALUATE: "评价",
    Action.REOPEN: "重办",
    Action.MERGE: "并单",
    Action.SPLIT: "拆单",
    Action.CHASE: "督办",
}

S, A = Status, Action

# Dispatched to a unit and not yet signed for: the unit may sign or return it (within the window).
AWAITING_SIGNATURE: Final = (S.DISPATCHED, S.REASSIGNED)
# Signed for and being handled: the finish clock runs.
HANDLING: Final = (S.SIGNED, S.IN_PROGRESS, S.EXTENDED, S.REDO)
# Open at a unit: a chase (督办) may be sent.
AT_UNIT: Final = (*AWAITING_SIGNATURE, *HANDLING)

TRANSITIONS: Final[Mapping[tuple[Status, Action], Status]] = {
    # Intake: the agent answers on the call (直办) or dispatches to a unit; a duplicate is merged.
    (S.RECEIVED, A.DISPATCH): S.DISPATCHED,
    (S.RECEIVED, A.ANSWER_DIRECTLY): S.DIRECT,
    # Sign for, or return within the sign-for window; the centre decides on a return.
    **{(status, A.SIGN): S.SIGNED for status in AWAITING_SIGNATURE},
    **{(status, A.RETURN): S.RETURNED for status in AWAITING_SIGNATURE},
    (S.RETURNED, A.ACCEPT_RETURN): S.REASSIGNED,
    (S.RETURNED, A.REJECT_RETURN): S.DISPATCHED,
    # Handling; one extension, requested while handling (the request keeps the status).
    (S.SIGNED, A.START): S.IN_PROGRESS,
    (S.REDO, A.START): S.IN_PROGRESS,
    **{(status, A.REQUEST_EXTENSION): status for status in (S.SIGNED, S.IN_PROGRESS)},
    **{(status, A.APPROVE_EXTENSION): S.EXTENDED for status in (S.SIGNED, S.IN_PROGRESS)},
    **{(status, A.REJECT_EXTENSION): status for status in (S.SIGNED, S.IN_PROGRESS)},
    **{(status, A.REPLY): S.REPLIED for status in HANDLING},
    # The centre closes the replied ticket, calls the caller back and evaluates the handling.
    (S.REPLIED, A.CLOSE): S.CLOSED,
    (S.CLOSED, A.CALL_BACK): S.CALLED_BACK,
    (S.MERGED, A.CALL_BACK): S.CALLED_BACK,  # every merged caller still gets a call-back
    (S.DIRECT, A.CALL_BACK): S.CALLED_BACK,
    (S.CALLED_BACK, A.EVALUATE): S.EVALUATED,
    # 重办: a call-back "未解决" / "不满意" confirmed by the centre.
    (S.CALLED_BACK, A.REOPEN): S.REDO,
    # 并单: a duplicate not yet replied to attaches to a master.
    **{(status, A.MERGE): S.MERGED for status in (S.RECEIVED, *AT_UNIT, S.RETURNED)},
    # 拆单: an appeal at the centre (received, or returned by a unit) that concerns several departments
    # becomes one child ticket per department; the parent keeps no clocks of its own and is replied
    # (with the children's answers combined) when the last child is replied or closed.
    **{(status, A.SPLIT): S.SPLIT for status in (S.RECEIVED, S.RETURNED)},
    (S.SPLIT, A.REPLY): S.REPLIED,
    # 督办: a chase keeps the status.
    **{(status, A.CHASE): status for status in AT_UNIT},
}

# No unit works on a ticket in these statuses any more: its clocks are stopped. (A `split` parent
# has no clocks either, but it is not finished: it waits for its children.)
FINISHED: Final = frozenset({S.DIRECT, S.REPLIED, S.CLOSED, S.CALLED_BACK, S.EVALUATED, S.MERGED})
# The ticket is waiting for the dispatch centre (not for a unit).
AT_CENTRE: Final = frozenset({S.RECEIVED, S.RETURNED, S.REPLIED})


class TransitionNotAllowed(Exception):
    """`action` is not allowed in `status`; the message is Chinese and shown to people."""

    def __init__(self, status: Status, action: Action) -> None:
        self.status = status
        self.action = action
        super().__init__(f"工单当前状态为“{STATUS_LABELS[status]}”，不能执行“{ACTION_LABELS[action]}”。")


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
