"""The 12345 facts of an assessment (`hotline.*`), from tickets worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhengwu.assessment import facts as f
from zhengwu.assessment.services import scheme_parse, shipped_scheme_text
from zhengwu.domain import scoring
from zhengwu.domain.metrics import Period
from zhengwu.hotline import services
from zhengwu.hotline.selectors import hotline_facts
from zhengwu.hotline.tests.factories import at, dispatched, make_hotline
from zhengwu.metrics.selectors import department_unit, region_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026")


def _handled(h, ticket, *, reply_at: str, satisfaction: str = "", resolved: bool = True):
    staff = h.water_staff if ticket.department == h.water else h.market_staff
    ticket = services.ticket_sign(ticket=ticket, actor=staff, now=at("2026-10-08 09:00"))
    ticket = services.ticket_reply(ticket=ticket, actor=staff, now=at(reply_at), reply="已处理。")
    ticket = services.ticket_close(ticket=ticket, actor=h.agent, now=at(reply_at) + dt.timedelta(hours=1))
    if satisfaction:
        ticket = services.ticket_call_back(
            ticket=ticket,
            actor=h.agent,
            now=at(reply_at) + dt.timedelta(hours=2),
            satisfaction=satisfaction,
            resolved=resolved,
        )
    return ticket


@pytest.fixture
def tickets(hotline):
    """Four complaints dispatched on Wed 2026-09-30 (finish by Thu 10-15)."""
    h = hotline
    on_time = _handled(h, dispatched(h), reply_at="2026-10-09 10:00", satisfaction="satisfied")
    late = _handled(h, dispatched(h), reply_at="2026-10-20 10:00", satisfaction="basically")
    never = dispatched(h, department=h.market)
    reopened = _handled(
        h, dispatched(h), reply_at="2026-10-09 11:00", satisfaction="unsatisfied", resolved=False
    )
    services.ticket_reopen(ticket=reopened, actor=h.agent, now=at("2026-10-12 09:00"), comment="回访未解决")
    services.tickets_sweep(now=at("2026-10-20 12:00"))
    return on_time, late, never, reopened


def test_a_region_gets_its_rates_as_fractions_and_its_overdue_and_reopened_tickets_as_evidence(
    hotline, tickets
):
    _on_time, late, never, reopened = tickets
    unit = region_unit(hotline.region)

    found = hotline_facts([unit], YEAR)[unit.key]

    assert found.has_data
    # 按时办结率: due in the period 4, replied by the due moment 1 (the reopened one is open again).
    assert found.values["hotline.ontime_rate"] == Decimal("0.25")
    # 满意率: three call-backs, 满意 + 基本满意 = 2.
    assert found.values["hotline.satisfaction_rate"] == Decimal("0.6667")
    assert found.refs["hotline.ontime_rate"] == ("12345按时办结率 25.00%（1/4，2026）",)
    assert found.counts["hotline.overdue"] == [
        (late.number, "办结时限 2026-10-15"),
        (never.number, "办结时限 2026-10-15"),
    ]
    assert found.counts["hotline.reopened"] == [(reopened.number, "重办 2026-10-12")]


def test_a_department_counts_only_the_tickets_dispatched_to_it(hotline, tickets):
    _on_time, late, _never, _reopened = tickets
    unit = department_unit(hotline.water)

    found = hotline_facts([unit], YEAR)[unit.key]

    assert found.values["hotline.ontime_rate"] == Decimal("0.3333")
    assert [number for number, _note in found.counts["hotline.overdue"]] == [late.number]


def test_the_engine_gets_the_hotline_facts_and_a_unit_without_tickets_is_not_assessed(hotline, tickets):
    _on_time, late, never, _reopened = tickets
    quiet = make_hotline("430921000000", "南县")
    text = shipped_scheme_text("yiyang-2020").replace("source: cards.red", "source: hotline.overdue", 1)
    scheme = scheme_parse(text)
    units = [region_unit(hotline.region), region_unit(quiet.region)]

    bundle = f.unit_facts(scheme, units, YEAR)
    busy, idle = bundle.facts

    assert busy.counts["hotline.overdue"] == [
        scoring.Occurrence(late.number, "办结时限 2026-10-15"),
        scoring.Occurrence(never.number, "办结时限 2026-10-15"),
    ]
    assert busy.values["hotline.subscore"] is None  # no defensible mapping to the 考评细则 yet
    assert "hotline.overdue" not in idle.counts and idle.values["hotline.overdue"] is None
    notes = {n["key"]: n["source"] for n in bundle.notes}
    assert notes["hotline.overdue"] == f.SOURCE_NOTES["hotline.overdue"]
    assert f.is_no_data("hotline.subscore") and f.is_no_data("hotline.answer_rate")
    assert not f.is_no_data("hotline.ontime_rate")
