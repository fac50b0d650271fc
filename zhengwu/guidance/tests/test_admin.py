"""The admin pages of guidance open for catalogue maintainers; published guidance is read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.accounts.testing import login_verified
from zhengwu.guidance.models import RuleSet
from zhengwu.guidance.tests.factories import make_guided_item
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_maintainers_edit_draft_guidance_and_only_read_published_guidance(client):
    draft = make_guided_item(publish=False)
    published = make_guided_item(name="公共场所卫生许可")
    login_verified(client, UserFactory(is_superuser=True, is_staff=True))  # MFA-verified session
    for name in ("question", "rule", "ruleset", "guidancenotice"):
        assert client.get(reverse(f"admin:guidance_{name}_changelist")).status_code == 200, name
    draft_page = client.get(reverse("admin:guidance_question_change", args=[draft.questions["premises"].pk]))
    assert draft_page.status_code == 200 and 'name="_save"' in draft_page.content.decode()
    published_page = client.get(
        reverse("admin:guidance_question_change", args=[published.questions["premises"].pk])
    )
    assert published_page.status_code == 200 and 'name="_save"' not in published_page.content.decode()
    frozen = RuleSet.objects.get(name="委托代理人办理")
    frozen_page = client.get(reverse("admin:guidance_ruleset_change", args=[frozen.pk]))
    assert 'name="_save"' not in frozen_page.content.decode()
