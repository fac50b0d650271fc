"""Every (status, action) pair of the case transition table: allowed ones move, others are refused."""

from __future__ import annotations

import itertools

import pytest

from zhengwu.domain.case_flow import (
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

EXPECTED = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.DRAFT, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUBMITTED, Action.ACCEPT): Status.IN_REVIEW,
    (Status.SUBMITTED, Action.ACCEPT_WITH_DEFICIENCY): Status.IN_REVIEW,
    (Status.SUBMITTED, Action.DEEM_ACCEPTED): Status.IN_REVIEW,
    (Status.SUBMITTED, Action.REFUSE_INTAKE): Status.NOT_ACCEPTED,
    (Status.SUBMITTED, Action.REQUEST_SUPPLEMENT): Status.SUPPLEMENT_REQUESTED,
    (Status.SUBMITTED, Action.DECIDE_ON_SPOT): Status.GRANTED,
    (Status.SUBMITTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUPPLEMENT_REQUESTED, Action.SUPPLEMENT): Status.SUPPLEMENTED,
    (Status.SUPPLEMENT_REQUESTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.SUPPLEMENT_REQUESTED, Action.TERMINATE): Status.TERMINATED,
    (Status.SUPPLEMENTED, Action.ACCEPT): Status.IN_REVIEW,
    (Status.SUPPLEMENTED, Action.ACCEPT_WITH_DEFICIENCY): Status.IN_REVIEW,
    (Status.SUPPLEMENTED, Action.REFUSE_INTAKE): Status.NOT_ACCEPTED,
    (Status.SUPPLEMENTED, Action.DECIDE_ON_SPOT): Status.GRANTED,
    (Status.SUPPLEMENTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.IN_REVIEW, Action.STEP_PASS): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.STEP_RETURN): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.STEP_TRANSFER): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.STEP_OPINION): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.PAUSE): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.RESUME): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.EXTEND): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.SUPPLY_DEFERRED): Status.IN_REVIEW,
    (Status.IN_REVIEW, Action.GRANT): Status.GRANTED,
    (Status.IN_REVIEW, Action.DENY): Status.DENIED,
    (Status.IN_REVIEW, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.IN_REVIEW, Action.TERMINATE): Status.TERMINATED,
    (Status.PENDING_DECISION, Action.STEP_RETURN): Status.IN_REVIEW,
    (Status.PENDING_DECISION, Action.PAUSE): Status.PENDING_DECISION,
    (Status.PENDING_DECISION, Action.RESUME): Status.PENDING_DECISION,
    (Status.PENDING_DECISION, Action.EXTEND): Status.PENDING_DECISION,
    (Status.PENDING_DECISION, Action.SUPPLY_DEFERRED): Status.PENDING_DECISION,
    (Status.PENDING_DECISION, Action.GRANT): Status.GRANTED,
    (Status.PENDING_DECISION, Action.DENY): Status.DENIED,
    (Status.PENDING_DECISION, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PENDING_DECISION, Action.TERMINATE): Status.TERMINATED,
    (Status.GRANTED, Action.SUPPLY_DEFERRED): Status.GRANTED,
    (Status.GRANTED, Action.ISSUE_CERTIFICATE): Status.CERTIFIED,
    (Status.CERTIFIED, Action.DELIVER): Status.DELIVERED,
    (Status.DENIED, Action.DELIVER): Status.DELIVERED,
    (Status.DELIVERED, Action.ARCHIVE): Status.ARCHIVED,
    (Status.NOT_ACCEPTED, Action.ARCHIVE): Status.ARCHIVED,
    (Status.WITHDRAWN, Action.ARCHIVE): Status.ARCHIVED,
    (Status.TERMINATED, Action.ARCHIVE): Status.ARCHIVED,
}


@pytest.mark.parametrize(("status", "action"), list(itertools.product(Status, Action)))
def test_every_status_and_action_pair_moves_as_the_table_says_or_is_refused(status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(TransitionNotAllowed) as refused:
            next_status(status, action)
        assert STATUS_LABELS[status] in str(refused.value)
        assert ACTION_LABELS[action] in str(refused.value)


def test_the_table_holds_exactly_the_expected_pairs():
    assert dict(TRANSITIONS) == EXPECTED


def test_an_archived_case_allows_nothing():
    assert allowed_actions(Status.ARCHIVED) == ()


def test_a_decided_case_can_no_longer_be_withdrawn():
    for status in (Status.GRANTED, Status.DENIED, Status.CERTIFIED, Status.DELIVERED):
        assert Action.WITHDRAW not in allowed_actions(status)


def test_every_status_and_action_has_a_chinese_label():
    assert set(STATUS_LABELS) == set(Status)
    assert set(ACTION_LABELS) == set(Action)


def test_a_finished_case_allows_no_clock_action():
    for status in FINISHED:
        assert not {Action.PAUSE, Action.RESUME, Action.EXTEND} & set(allowed_actions(status))
