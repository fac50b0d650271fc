"""The rectification transition table, checked for every (state, action) pair (DOMAIN §6)."""

from __future__ import annotations

import pytest

from zhengwu.domain.review_flow import (
    ANSWERED,
    OPEN,
    TRANSITIONS,
    Action,
    State,
    TransitionNotAllowed,
    allowed_actions,
    next_state,
)

S, A = State, Action

EXPECTED = {
    (S.RECEIVED, A.VERIFY): S.VERIFYING,
    (S.VERIFYING, A.RECTIFY): S.RECTIFYING,
    (S.VERIFYING, A.EXPLAIN): S.EXPLAINING,
    (S.VERIFYING, A.APPEAL): S.APPEALED,
    (S.RECTIFYING, A.RECTIFY): S.RECTIFYING,
    (S.APPEALED, A.UPHOLD_APPEAL): S.CLOSED,
    (S.APPEALED, A.REJECT_APPEAL): S.RECTIFYING,
    (S.RECTIFYING, A.FEED_BACK): S.FED_BACK,
    (S.EXPLAINING, A.FEED_BACK): S.FED_BACK,
    (S.FED_BACK, A.CALL_BACK): S.CALLBACK,
    (S.FED_BACK, A.CLOSE): S.CLOSED,
    (S.CALLBACK, A.CLOSE): S.CLOSED,
}
PAIRS = [(state, action) for state in State for action in Action]


@pytest.mark.parametrize(("state", "action"), PAIRS, ids=[f"{s}-{a}" for s, a in PAIRS])
def test_every_state_and_action_pair_moves_as_the_rulebook_says_or_is_refused_in_chinese(state, action):
    if (state, action) in EXPECTED:
        assert next_state(state, action) == EXPECTED[(state, action)]
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            next_state(state, action)
        assert "不能执行" in str(refused.value)


def test_the_table_holds_exactly_the_rulebook_pairs():
    assert dict(TRANSITIONS) == EXPECTED


def test_a_closed_rectification_allows_nothing_more():
    assert allowed_actions("closed") == ()


def test_every_state_is_reachable_from_received():
    seen, frontier = {S.RECEIVED}, [S.RECEIVED]
    while frontier:
        state = frontier.pop()
        for action in allowed_actions(state):
            target = next_state(state, action)
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(State)


def test_open_and_answered_states_split_the_states_without_overlap_except_closed_after_appeal():
    assert OPEN.isdisjoint(ANSWERED)
    assert set(State) == OPEN | ANSWERED
