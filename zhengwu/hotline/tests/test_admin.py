"""The 12345 admin: agents keep their centre's 派单目录 and knowledge base; tickets are read-only and scoped."""

from __future__ import annotations

import pytest

from zhengwu.hotline.models import DispatchRule
from zhengwu.hotline.tests.factories import dispatched, make_hotline

pytestmark = pytest.mark.django_db


def _staff(user):
    user.is_staff = True
    user.save()
    return user


def test_an_agent_sees_only_the_rules_of_the_centres_regions_in_chinese(client, hotline):
    other = make_hotline("430921000000", "南县")
    client.force_login(_staff(hotline.agent))
    page = client.get("/admin/hotline/dispatchrule/").content.decode()
    assert "派单目录" in page and "赫山区水务局" in page and "南县水务局" not in page
    rule = DispatchRule.objects.get(region=other.region, topic="供水")
    assert client.get(f"/admin/hotline/dispatchrule/{rule.pk}/change/").status_code in (302, 404)
    assert client.get("/admin/hotline/knowledgearticle/").status_code == 200


def test_tickets_are_read_only_with_their_journal_and_without_the_caller(client, hotline):
    ticket = dispatched(hotline)
    client.force_login(_staff(hotline.water_staff))
    assert client.get("/admin/hotline/dispatchrule/").status_code == 403  # not an agent
    page = client.get(f"/admin/hotline/ticket/{ticket.pk}/change/").content.decode()
    assert "办理记录（只读）" in page and "派单" in page and "13812345678" not in page
    assert 'name="_save"' not in page
    response = client.post(f"/admin/hotline/ticket/{ticket.pk}/change/", {"title": "改了"})
    assert response.status_code == 403
    client.force_login(_staff(hotline.market_staff))  # another unit: not in its scope
    assert client.get(f"/admin/hotline/ticket/{ticket.pk}/change/").status_code in (302, 404)


def test_only_the_system_administrator_changes_the_centres(client, hotline):
    client.force_login(_staff(hotline.agent))
    page = client.get("/admin/hotline/hotlinecentre/").content.decode()
    assert hotline.centre.name in page and "/admin/hotline/hotlinecentre/add/" not in page
