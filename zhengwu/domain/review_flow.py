"""The bad-review rectification (差评整改) lifecycle as a transition table (DOMAIN §6).

    received → verifying → rectifying | explaining | appealed → fed_back → callback → closed

`TRANSITIONS[(state, action)]` is the state a rectification moves to when `action` is taken in
`state`; a pair that is not in the table is refused. The supervisor decides an appeal: upheld → the
review is voided and the rectification closed (kept and flagged); rejected → back to `rectifying`.
An anonymous review cannot be called back, so it may close straight from `fed_back`; a real-name one
must be called back first — that guard depends on the review's data and lives in the service.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final


class State(StrEnum):
    RECEIVED = "received"
    VERIFYING = "verifying"
    RECTIFYING = "rectifying"
    EXPLAINING = "explaining"
    APPEALED = "appealed"
    FED_BACK = "fed_back"
    CALLBACK = "callback"
    CLOSED = "closed"


STATE_LABELS: Final[Mapping[State, str]] = {
    State.RECEIVED: "待核实",
    State.VERIFYING: "核实中",
    State.RECTIFYING: "整改中",
    State.EXPLAINING: "解释说明",
    State.APPEALED: "申诉复核中",
    State.FED_BACK: "已反馈",
    State.CALLBACK: "已回访",
    State.CLOSED: "已办结",
}


class Action(StrEnum):
    VERIFY = "verify"
    RECTIFY = "rectify"
    EXPLAIN = "explain"
    APPEAL = "appeal"
    UPHOLD_APPEAL = "uphold_appeal"
    REJECT_APPEAL = "reject_appeal"
    FEED_BACK = "feed_back"
    CALL_BACK = "call_back"
    CLOSE = "close"


ACTION_LABELS: Final[Mapping[Action, str]] = {
    Action.VERIFY: "开始核实",
    Action.RECTIFY: "整改（填写措施）",
    Action.EXPLAIN: "解释说明",
    Action.APPEAL: "申诉",
    Action.UPHOLD_APPEAL: "申诉成立",
    Action.REJECT_APPEAL: "申诉不成立",
    Action.FEED_BACK: "反馈评价人",
    Action.CALL_BACK: "记录回访",
    Action.CLOSE: "办结",
}

S, A = State, Action

TRANSITIONS: Final[Mapping[tuple[State, Action], State]] = {
    (S.RECEIVED, A.VERIFY): S.VERIFYING,
    # 情况清楚、诉求合理 → 立行立改 / 情况复杂 → 限期整改; 缺乏法定依据 → 解释说明; 误评 / 恶意差评 → 申诉复核.
    (S.VERIFYING, A.RECTIFY): S.RECTIFYING,
    (S.VERIFYING, A.EXPLAIN): S.EXPLAINING,
    (S.VERIFYING, A.APPEAL): S.APPEALED,
    (S.RECTIFYING, A.RECTIFY): S.RECTIFYING,  # measures and evidence added while rectifying
    (S.APPEALED, A.UPHOLD_APPEAL): S.CLOSED,
    (S.APPEALED, A.REJECT_APPEAL): S.RECTIFYING,
    (S.RECTIFYING, A.FEED_BACK): S.FED_BACK,
    (S.EXPLAINING, A.FEED_BACK): S.FED_BACK,
    (S.FED_BACK, A.CALL_BACK): S.CALLBACK,
    (S.FED_BACK, A.CLOSE): S.CLOSED,  # anonymous reviews only (service guard)
    (S.CALLBACK, A.CLOSE): S.CLOSED,
}

# States in which the 15-working-day clock still runs (no feedback yet).
OPEN: Final = frozenset({S.RECEIVED, S.VERIFYING, S.RECTIFYING, S.EXPLAINING, S.APPEALED})
# States after the reviewer got the answer (the rectification counts as done on that day).
ANSWERED: Final = frozenset({S.FED_BACK, S.CALLBACK, S.CLOSED})


class TransitionNotAllowed(Exception):
    """`action` is not allowed in `state`; the message is Chinese and shown to people."""

    def __init__(self, state: State, action: Action) -> None:
        self.state = state
        self.action = action
        super().__init__(f"整改当前状态为“{STATE_LABELS[state]}”，不能执行“{ACTION_LABELS[action]}”。")


def next_state(state: str, action: str) -> State:
    """Return the state after `action`, or raise TransitionNotAllowed."""
    current, wanted = State(state), Action(action)
    try:
        return TRANSITIONS[(current, wanted)]
    except KeyError:
        raise TransitionNotAllowed(current, wanted) from None


def allowed_actions(state: str) -> tuple[Action, ...]:
    """The actions the table allows in `state`, in declaration order."""
    current = State(state)
    return tuple(action for action in Action if (current, action) in TRANSITIONS)
