"""The demo tickets: a realistic mix, consistent statuses and journals, idempotent."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from zhengwu.domain.hotline_flow import AT_UNIT, next_status
from zhengwu.hotline.demo_data import demo_tickets_generate
from zhengwu.hotline.models import (
    DispatchRule,
    HotlineCentre,
    KnowledgeArticle,
    Ticket,
    TicketEvent,
    TicketSequence,
)
from zhengwu.hotline.tests.factories import make_hotline

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

TODAY = dt.date(2026, 11, 30)


@pytest.fixture
def generated(db):
    make_hotline()
    HotlineCentre.objects.all().delete()  # the demo sets up its own centre
    DispatchRule.objects.all().delete()
    KnowledgeArticle.objects.all().delete()
    said: list[str] = []
    created = demo_tickets_generate(today=TODAY, count=1500, seed=7, progress=said.append)
    return created, said


def test_the_demo_sets_up_a_centre_catalogue_and_knowledge_base_and_prints_progress(generated):
    created, said = generated
    assert created == 1500 == Ticket.objects.count()
    assert HotlineCentre.objects.count() == 1 and DispatchRule.objects.count() > 10
    assert KnowledgeArticle.objects.count() >= 24
    assert any("已写入" in line for line in said) and said[-1] == "生成12345工单 1500 件。"


def test_the_category_mix_and_side_paths_are_realistic(generated):
    categories = Counter(Ticket.objects.values_list("category", flat=True))
    assert 0.38 < categories["consult"] / 1500 < 0.52 and 0.14 < categories["complaint"] / 1500 < 0.26
    direct = Ticket.objects.filter(department__isnull=True, status__in=["direct", "called_back"]).count()
    assert 0.22 < direct / 1500 < 0.36
    assert Ticket.objects.filter(return_count=1).count() > 10
    assert Ticket.objects.filter(extension_state="approved").count() > 3
    assert Ticket.objects.filter(status="merged", parent__isnull=False).count() > 3
    assert Ticket.objects.filter(redo_count=1).count() > 0
    satisfactions = set(Ticket.objects.exclude(satisfaction="").values_list("satisfaction", flat=True))
    assert satisfactions == {"satisfied", "basically", "unsatisfied"}
    assert Ticket.objects.filter(status__in=list(AT_UNIT)).exists()  # some still open
    assert Ticket.objects.filter(finish_overdue=True).exists()


def test_every_journal_follows_the_transition_table_and_ends_in_the_tickets_status(generated):
    events: dict[int, list] = {}
    for ticket_id, action, old, new, at in TicketEvent.objects.order_by("ticket_id", "at", "id").values_list(
        "ticket_id", "action", "from_status", "to_status", "at"
    ):
        events.setdefault(ticket_id, []).append((action, old, new, at))
    for ticket in Ticket.objects.all():
        journal = events[ticket.pk]
        assert journal[0][0] == "create" and journal[-1][2] == ticket.status
        for action, old, new, _at in journal[1:]:
            assert next_status(old, action).value == new, (ticket.number, action, old)
        assert ticket.received_at.date() <= TODAY and ticket.version == len(
            [e for e in journal if e[0] != "chase"]
        )
        if ticket.first_dispatched_at:
            assert ticket.sign_due_at and ticket.sign_due_at > ticket.dispatched_at


def test_numbers_are_unique_and_the_sequences_continue_after_the_demo(generated):
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    latest = Ticket.objects.order_by("-received_at").first()
    prefix, day = latest.number.split("-")[1], latest.number.split("-")[2]
    sequence = TicketSequence.objects.get(
        prefix=prefix, day=dt.date.fromisoformat(f"{day[:4]}-{day[4:6]}-{day[6:]}")
    )
    assert sequence.last >= int(latest.number.split("-")[3])


def test_running_the_demo_twice_creates_nothing_more(generated):
    said: list[str] = []
    assert demo_tickets_generate(today=TODAY, count=100, progress=said.append) == 0
    assert Ticket.objects.count() == 1500 and "跳过" in said[0]


def test_the_command_generates_the_demo_and_refuses_a_silly_count(db, reference_data):
    from io import StringIO

    from django.core.management import CommandError, call_command

    make_hotline()
    out = StringIO()
    call_command("hotline", "demo", "--count", "50", stdout=out)
    assert Ticket.objects.count() == 50 and "生成12345工单 50 件。" in out.getvalue()
    with pytest.raises(CommandError, match="工单数"):
        call_command("hotline", "demo", "--count", "0", stdout=out)
