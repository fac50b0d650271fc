"""The 12345 admin: agents keep their centre's 派单目录 and knowledge base; tickets are not there."""

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


def test_tickets_are_not_in_the_admin_site_whoever_asks(client, hotline):
    """Tickets are business records: handled in the workbench with the data scope, never in the admin."""
    ticket = dispatched(hotline)
    for user in (hotline.water_staff, hotline.agent):
        client.force_login(_staff(user))
        for url in ("/admin/hotline/ticket/", f"/admin/hotline/ticket/{ticket.pk}/change/"):
            response = client.get(url)
            assert response.status_code in (403, 404), url
            assert ticket.number not in response.content.decode()
        index = client.get("/admin/").content.decode()
        assert "/admin/hotline/ticket/" not in index


def test_only_the_system_administrator_changes_the_centres(client, hotline):
    client.force_login(_staff(hotline.agent))
    page = client.get("/admin/hotline/hotlinecentre/").content.decode()
    assert hotline.centre.name in page and "/admin/hotline/hotlinecentre/add/" not in page
