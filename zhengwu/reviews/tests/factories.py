"""Factories for reviews: a concluded case of a citizen, and reviews of it."""

from __future__ import annotations

from typing import Any

from zhengwu.cases import services as case_services
from zhengwu.cases.models import Case
from zhengwu.cases.tests.factories import County, accepted_case, at
from zhengwu.organization.models import User
from zhengwu.reviews import services
from zhengwu.reviews.models import Review


def granted_case(
    county: County, *, citizen: User | None = None, day: str = "2026-04-01", **kwargs: Any
) -> Case:
    """A case accepted at the window, passed and granted on `day` (10:00 local)."""
    if citizen is not None:
        kwargs.setdefault("applicant", citizen.applicant)
    case = accepted_case(county, day="2026-03-30", **kwargs)
    case = case_services.case_step_pass(case=case, actor=county.approver, now=at("2026-03-31"))
    return case_services.case_grant(case=case, actor=county.approver, now=at(day))


def rate(case: Case, citizen: User, grade: int, *, day: str = "2026-04-01", **kwargs: Any) -> Review:
    return services.review_submit(
        case=case, grade=grade, channel="web", actor=citizen, now=at(day, 15), **kwargs
    )
