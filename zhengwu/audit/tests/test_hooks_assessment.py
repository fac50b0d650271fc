"""Assessment publish, manual-entry review and the Excel exports each write one audit record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.assessment import services
from zhengwu.assessment.tests.conftest import approved_entry
from zhengwu.assessment.tests.test_services import run
from zhengwu.audit.context import reset_request, set_request
from zhengwu.audit.tests.test_hooks import IP, _request, only, sign_in
from zhengwu.common import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user():
    tokens = []
    yield lambda user: tokens.append(set_request(_request(user)))
    for token in reversed(tokens):
        reset_request(token)


def test_publishing_a_run_is_recorded(heshan, ziyang, assessors, frozen, as_user):
    evaluation = run(assessors.first)
    as_user(assessors.second)

    services.evaluation_publish(evaluation=evaluation, actor=assessors.second, now=clock.now())

    event = only("assessment.publish")
    assert (event.actor, event.role, event.ip, event.result) == (assessors.second, "assessor", IP, "success")
    assert (event.object_type, event.object_id) == ("assessment.Evaluation", str(evaluation.pk))


def test_approving_a_manual_entry_is_recorded(heshan, ziyang, assessors, frozen):
    entry = approved_entry(assessors, heshan, item_code="1", kind="deduction", rule_code="1a", count=2)

    event = only("assessment.entry_approve")
    assert (event.actor, event.object_type, event.object_id) == (
        assessors.second,
        "assessment.ManualEntry",
        str(entry.pk),
    )
    assert event.detail["status"] == "approved"


def test_the_scoresheet_download_is_recorded_as_an_export(client, heshan, ziyang, assessors, frozen):
    evaluation = run(assessors.first)
    sign_in(client, assessors.first)

    response = client.get(reverse("workbench:assessment_scoresheet", args=[evaluation.pk]), REMOTE_ADDR=IP)

    assert response.status_code == 200
    event = only("export")
    assert (event.actor, event.role, event.ip, event.object_id) == (
        assessors.first,
        "assessor",
        IP,
        str(evaluation.pk),
    )
    assert event.detail["what"] == "考核评分表"


def test_the_dashboard_excel_download_is_recorded_as_an_export(client, assessors):
    sign_in(client, assessors.supervisor)

    response = client.get(reverse("workbench:dashboard_export"), {"period": "2026-06"}, REMOTE_ADDR=IP)

    assert response.status_code == 200
    event = only("export")
    assert (event.actor, event.role, event.ip) == (assessors.supervisor, "supervisor", IP)
    assert event.detail["what"] == "效能监督统计表"
