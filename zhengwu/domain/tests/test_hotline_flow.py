"""Every (status, action) pair of the 12345 ticket table: allowed ones move, all others are refused."""

from __future__ import annotations

import itertools

import pytest

from zhengwu.domain.hotline_flow import (
    ACTION_LABELS,
    FINISHED,
    STATUS_LABELS,
    TRANSITIONS,
    Action,
    Status,
    TransitionNotAllowed,
    allowed_actions,
    next_status,
)

S, A = Status, Action
_AT_UNIT = (S.DISPATCHED, S.REASSIGNED, S.SIGNED, S.IN_PROGRESS, S.EXTENDED, S.REDO)

EXPECTED = {
    (S.RECEIVED, A.DISPATCH): S.DISPATCHED,
    (S.RECEIVED, A.ANSWER_DIRECTLY): S.DIRECT,
    (S.RECEIVED, A.MERGE): S.MERGED,
    (S.DISPATCHED, A.SIGN): S.SIGNED,
    (S.DISPATCHED, A.RETURN): S.RETURNED,
    (S.REASSIGNED, A.SIGN): S.SIGNED,
    (S.REASSIGNED, A.RETURN): S.RETURNED,
    (S.RETURNED, A.ACCEPT_RETURN): S.REASSIGNED,
    (S.RETURNED, A.REJECT_RETURN): S.DISPATCHED,
    (S.RETURNED, A.MERGE): S.MERGED,
    (S.SIGNED, A.START): S.IN_PROGRESS,
    (S.SIGNED, A.REQUEST_EXTENSION): S.SIGNED,
    (S.SIGNED, A.APPROVE_EXTENSION): S.EXTENDED,
    (S.SIGNED, A.REJECT_EXTENSION): S.SIGNED,
    (S.SIGNED, A.REPLY): S.REPLIED,
    (S.IN_PROGRESS, A.REQUEST_EXTENSION): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.APPROVE_EXTENSION): S.EXTENDED,
    (S.IN_PROGRESS, A.REJECT_EXTENSION): S.IN_PROGRESS,
    (S.IN_PROGRESS, A.REPLY): S.REPLIED,
    (S.EXTENDED, A.REPLY): S.REPLIED,
    (S.REDO, A.START): S.IN_PROGRESS,
    (S.REDO, A.REPLY): S.REPLIED,
    (S.REPLIED, A.CLOSE): S.CLOSED,
    (S.CLOSED, A.CALL_BACK): S.CALLED_BACK,
    (S.MERGED, A.CALL_BACK): S.CALLED_BACK,
    (S.DIRECT, A.CALL_BACK): S.CALLED_BACK,
    (S.CALLED_BACK, A.EVALUATE): S.EVALUATED,
    (S.CALLED_BACK, A.REOPEN): S.REDO,
    (S.RECEIVED, A.SPLIT): S.SPLIT,
    (S.RETURNED, A.SPLIT): S.SPLIT,
    (S.SPLIT, A.REPLY): S.REPLIED,
    **{(status, A.MERGE): S.MERGED for status in _AT_UNIT},
    **{(status, A.CHASE): status for status in _AT_UNIT},
}


@pytest.mark.parametrize("status, action", list(itertools.product(Status, Action)))
def test_each_status_and_action_pair_moves_as_the_table_says_or_is_refused(status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            next_status(status, action)
        assert STATUS_LABELS[status] in str(refused.value)
        assert ACTION_LABELS[action] in str(refused.value)


def test_the_table_holds_exactly_the_expected_pairs():
    assert dict(TRANSITIONS) == EXPECTED


def test_every_status_and_action_has_a_chinese_label():
    assert set(STATUS_LABELS) == set(Status)
    assert set(ACTION_LABELS) == set(Action)


def test_a_finished_ticket_cannot_be_dispatched_signed_or_replied_again():
    for status in FINISHED:
        assert not {A.DISPATCH, A.SIGN, A.REPLY, A.RETURN} & set(allowed_actions(status))


def test_an_evaluated_ticket_allows_nothing_more():
    assert allowed_actions(S.EVALUATED) == ()


def test_a_replied_ticket_can_no_longer_be_merged_into_another():
    assert A.MERGE not in allowed_actions(S.REPLIED)


def test_only_an_appeal_at_the_centre_can_be_split():
    assert {status for status in Status if A.SPLIT in allowed_actions(status)} == {S.RECEIVED, S.RETURNED}


def test_a_split_parent_only_waits_for_the_combined_reply_of_its_children():
    assert allowed_actions(S.SPLIT) == (A.REPLY,)
    assert S.SPLIT not in FINISHED
