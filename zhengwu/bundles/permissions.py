"""Choke point: the only way an interface app fetches a bundle case on behalf of a person."""

from __future__ import annotations

from zhengwu.bundles.models import BundleCase
from zhengwu.bundles.selectors import bundle_case_get


def bundle_case_get_for_user(user, number: str) -> BundleCase:
    """The bundle case if the person may see it (own application, or staff with a child in scope); else 404."""
    return bundle_case_get(user=user, number=number)
