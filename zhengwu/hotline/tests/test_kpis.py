"""KPIs of DOMAIN §7 against hand-computed values on a small fixture; the sweep command."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from zhengwu.hotline import services
from zhengwu.hotline.selectors import ticket_kpis
from zhengwu.hotline.tests.factories import at, dispatched, make_ticket

pytestmark = pytest.mark.django_db


def test_the_kpis_of_a_department_match_the_hand_computed_rates(hotline):
    h = hotline
    # A: signed on time, replied on time, closed, called back satisfied and resolved.
    a = services.ticket_sign(ticket=dispatched(h), actor=h.water_staff, now=at("2026-10-08 09:00"))
    a = services.ticket_reply(ticket=a, actor=h.water_staff, now=at("2026-10-09 09:00"), reply="好了")
    a = services.ticket_close(ticket=a, actor=h.agent, now=at("2026-10-09 10:00"))
    services.ticket_call_back(
        ticket=a, actor=h.agent, now=at("2026-10-10 10:00"), satisfaction="satisfied", resolved=True
    )
    # B: signed late, replied late, closed, called back unsatisfied and unresolved, then reopened.
    b = services.ticket_sign(ticket=dispatched(h), actor=h.water_staff, now=at("2026-10-09 09:00"))
    b = services.ticket_reply(ticket=b, actor=h.water_staff, now=at("2026-10-16 09:00"), reply="处理中")
    b = services.ticket_close(ticket=b, actor=h.agent, now=at("2026-10-16 10:00"))
    b = services.ticket_call_back(
        ticket=b, actor=h.agent, now=at("2026-10-17 10:00"), satisfaction="unsatisfied", resolved=False
    )
    services.ticket_reopen(ticket=b, actor=h.agent, now=at("2026-10-17 11:00"), comment="仍未解决")
    # C: returned by market, re-dispatched to water, still open.
    c = dispatched(h, department=h.market)
    c = services.ticket_return(
        ticket=c, actor=h.market_staff, now=at("2026-10-08 09:00"), reason="not_our_duty", note="供水归水务"
    )
    services.ticket_accept_return(ticket=c, actor=h.agent, now=at("2026-10-08 10:00"), department=h.water)
    # D: answered directly (no department).
    services.ticket_answer_directly(
        ticket=make_ticket(h, category="consult"), actor=h.agent, now=at("2026-09-30 09:10"), reply="已答复"
    )

    water = ticket_kpis(start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31), department=h.water)
    assert water.received == 3 and water.by_category == {"complaint": 3}
    assert water.counts["sign_ontime"] == (1, 3)  # A on time; B late; C not signed
    assert water.counts["returned"] == (1, 3)  # C
    assert water.counts["finish_ontime"] == (1, 3)  # dues: A 10-15, B 10-27 (reopened on Sat 10-17), C 10-16
    assert water.counts["satisfied"] == (1, 2) and water.counts["resolved"] == (1, 2)
    assert water.rate("satisfied") == Decimal("50.00")
    region = ticket_kpis(start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31), region=h.region)
    assert region.counts["direct"] == (1, 4) and region.rate("direct") == Decimal("25.00")
    assert region.counts["called_back"] == (1, 1)  # A closed and called back; B reopened (not closed now)


def test_a_rate_with_nothing_to_divide_by_is_none(hotline):
    kpis = ticket_kpis(start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31), department=hotline.water)
    assert kpis.rate("satisfied") is None and kpis.received == 0


def test_the_sweep_command_reports_its_counts(hotline, capsys):
    dispatched(hotline)
    call_command("hotline", "sweep", "--date", "2026-10-16")
    assert "办结超期 1 件" in capsys.readouterr().out
