"""Submitting reviews, SMS invitations and the rectification of bad reviews, on the database."""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases.tests.factories import at, make_citizen
from zhengwu.common.errors import DomainError, NotFound, PermissionDenied
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, UserFactory
from zhengwu.reviews import services
from zhengwu.reviews.models import Rectification, Review, ReviewInvitation
from zhengwu.reviews.tests.factories import granted_case, rate

pytestmark = pytest.mark.django_db


def test_a_citizen_rates_their_own_concluded_case_once_and_a_second_review_is_refused(county, citizen):
    case = granted_case(county, citizen=citizen)
    review = rate(case, citizen, 5, scores={"efficiency": 5})
    assert review.kind == "case" and review.real_name and review.reviewer == citizen.applicant
    assert review.department == county.department and review.item == case.item
    with pytest.raises(DomainError) as refused:
        rate(case, citizen, 4)
    assert refused.value.code == "already_reviewed"
    assert Review.objects.count() == 1


def test_a_review_without_a_grade_is_refused_naming_the_grade_field(county, citizen):
    case = granted_case(county, citizen=citizen)
    for missing in (None, ""):
        with pytest.raises(DomainError) as refused:
            rate(case, citizen, missing)
        assert "grade" in refused.value.fields
    with pytest.raises(DomainError):
        rate(case, citizen, 6)


def test_staff_cannot_rate_for_a_citizen(county, citizen):
    case = granted_case(county, citizen=citizen)
    with pytest.raises(PermissionDenied):
        services.review_submit(
            case=case, grade=5, channel="web", actor=county.clerk, now=at("2026-04-01", 15)
        )
    assert not Review.objects.exists()


def test_a_paper_form_typed_in_by_staff_is_accepted_and_marked_as_paper_recorded(county, citizen):
    case = granted_case(county, citizen=citizen)
    review = services.review_submit(
        case=case, grade=4, channel="paper", actor=county.clerk, now=at("2026-04-02", 9)
    )
    assert review.paper_recorded and review.recorded_by == county.clerk and review.channel == "paper"


def test_a_citizen_cannot_rate_somebody_elses_case(county, citizen):
    case = granted_case(county, citizen=citizen)
    other = make_citizen(phone="13700001111", name="王五", id_number="430903198805051230")
    with pytest.raises(PermissionDenied):
        rate(case, other, 5)


def test_dimension_scores_outside_the_unified_set_are_refused(county, citizen):
    case = granted_case(county, citizen=citizen)
    with pytest.raises(DomainError) as refused:
        rate(case, citizen, 5, scores={"platform": 5})  # window case: offline dimensions
    assert "scores" in refused.value.fields


def test_concluding_a_case_sends_one_sms_invitation_with_a_hashed_one_time_link(county, citizen):
    case = granted_case(county, citizen=citizen)
    invitation = ReviewInvitation.objects.get(case=case)
    assert invitation.phone_masked.count("*") == 4
    assert invitation.expires_at == case.finished_at + dt.timedelta(days=15)
    assert len(invitation.token_hash) == 64
    assert services.invitation_issue(case=case, now=at("2026-04-02")) is None  # once per case


def test_an_sms_link_rates_the_case_once_without_signing_in(county, citizen):
    case = granted_case(county, citizen=citizen)
    ReviewInvitation.objects.filter(case=case).delete()
    _invitation, token = services.invitation_issue(case=case, now=at("2026-04-01", 11))
    found = services.invitation_for_token(token=token, now=at("2026-04-02"))
    review = services.review_submit(
        invitation=found, grade=3, channel="sms", actor=None, now=at("2026-04-02")
    )
    assert review.case == case and review.real_name
    with pytest.raises(NotFound):
        services.invitation_for_token(token=token, now=at("2026-04-02", 12))


def test_an_unrated_case_is_reminded_once_after_three_days_with_a_fresh_link(county, citizen):
    case = granted_case(county, citizen=citizen)
    old_hash = ReviewInvitation.objects.get(case=case).token_hash
    assert services.invitations_remind(now=at("2026-04-03", 11)) == 0  # only 2 days
    assert services.invitations_remind(now=at("2026-04-04", 11)) == 1
    invitation = ReviewInvitation.objects.get(case=case)
    assert invitation.reminder_at == at("2026-04-04", 11) and invitation.token_hash != old_hash
    assert services.invitations_remind(now=at("2026-04-05", 11)) == 0


def test_a_rated_case_gets_no_reminder(county, citizen):
    case = granted_case(county, citizen=citizen)
    rate(case, citizen, 5)
    assert services.invitations_remind(now=at("2026-04-05")) == 0


def test_a_bad_review_opens_a_rectification_due_fifteen_working_days_later(county, citizen):
    # DOMAIN §6: review Wed 2026-04-01 → due Thu 2026-04-23 (04-04…04-06 清明 off).
    case = granted_case(county, citizen=citizen)
    review = rate(case, citizen, 1, day="2026-04-01", comment="等了很久")
    rectification = review.rectification
    assert rectification.state == "received" and rectification.department == county.department
    assert rectification.due_date == dt.date(2026, 4, 23) and not rectification.provisional


def test_the_rectify_days_setting_changes_the_clock(county, citizen, settings):
    settings.ZHENGWU_RECTIFY_DAYS = 5
    case = granted_case(county, citizen=citizen)
    review = rate(case, citizen, 2, day="2026-04-01")
    assert review.rectification.due_date == dt.date(2026, 4, 9)


def test_a_good_review_opens_no_rectification(county, citizen):
    case = granted_case(county, citizen=citizen)
    rate(case, citizen, 3)
    assert not Rectification.objects.exists()


def _bad(county, citizen, **kwargs):
    case = granted_case(county, citizen=citizen)
    return rate(case, citizen, 1, **kwargs).rectification


def test_the_full_loop_verify_rectify_feed_back_call_back_close(county, citizen):
    r = _bad(county, citizen)
    head = county.head
    r = services.rectification_verify(rectification=r, actor=head, now=at("2026-04-02"))
    r = services.rectification_rectify(
        rectification=r,
        actor=head,
        now=at("2026-04-03"),
        measures="窗口增设引导员",
        files=[("a.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    assert r.files.count() == 1
    r = services.rectification_feed_back(rectification=r, actor=head, now=at("2026-04-07"), answer="已整改")
    assert r.answered_on == dt.date(2026, 4, 7) and not r.overdue
    with pytest.raises(DomainError) as refused:
        services.rectification_close(rectification=r, actor=head, now=at("2026-04-08"))
    assert refused.value.code == "callback_required"
    r = services.rectification_call_back(
        rectification=r, actor=head, now=at("2026-04-08"), result="satisfied", note="评价人表示满意"
    )
    r = services.rectification_close(rectification=r, actor=head, now=at("2026-04-08"))
    assert r.state == "closed" and r.closed_on == dt.date(2026, 4, 8)
    assert [e.action for e in r.events.order_by("id")] == [
        "open",
        "verify",
        "rectify",
        "feed_back",
        "call_back",
        "close",
    ]


def test_an_anonymous_bad_review_cannot_be_called_back_and_closes_after_feedback(county, citizen):
    r = _bad(county, citizen, real_name=False)
    assert not r.review.real_name and r.review.reviewer is None
    head = county.head
    r = services.rectification_verify(rectification=r, actor=head, now=at("2026-04-02"))
    r = services.rectification_explain(
        rectification=r, actor=head, now=at("2026-04-02"), explanation="无法定依据"
    )
    r = services.rectification_feed_back(rectification=r, actor=head, now=at("2026-04-02"), answer="已说明")
    with pytest.raises(DomainError):
        services.rectification_call_back(
            rectification=r, actor=head, now=at("2026-04-03"), result="satisfied"
        )
    r = services.rectification_close(rectification=r, actor=head, now=at("2026-04-03"))
    assert r.state == "closed"


def test_an_upheld_appeal_voids_the_review_and_closes_the_rectification(county, citizen):
    r = _bad(county, citizen)
    r = services.rectification_verify(rectification=r, actor=county.head, now=at("2026-04-02"))
    r = services.rectification_appeal(rectification=r, actor=county.head, now=at("2026-04-02"), reason="误评")
    with pytest.raises(PermissionDenied):
        services.rectification_decide_appeal(
            rectification=r, actor=county.head, now=at("2026-04-03"), upheld=True, decision="x"
        )
    r = services.rectification_decide_appeal(
        rectification=r, actor=county.supervisor, now=at("2026-04-03"), upheld=True, decision="经核实系误评"
    )
    assert r.state == "closed" and r.appeal_upheld
    review = Review.objects.get(pk=r.review_id)
    assert review.voided and "误评" in review.void_reason


def test_a_rejected_appeal_returns_to_rectifying(county, citizen):
    r = _bad(county, citizen)
    r = services.rectification_verify(rectification=r, actor=county.head, now=at("2026-04-02"))
    r = services.rectification_appeal(rectification=r, actor=county.head, now=at("2026-04-02"), reason="误评")
    r = services.rectification_decide_appeal(
        rectification=r, actor=county.supervisor, now=at("2026-04-03"), upheld=False, decision="差评属实"
    )
    assert r.state == "rectifying" and r.appeal_upheld is False
    assert not Review.objects.get(pk=r.review_id).voided


def test_an_appeal_after_five_working_days_is_refused(county, citizen):
    r = _bad(county, citizen)
    r = services.rectification_verify(rectification=r, actor=county.head, now=at("2026-04-02"))
    with pytest.raises(DomainError) as refused:
        services.rectification_appeal(rectification=r, actor=county.head, now=at("2026-04-10"), reason="误评")
    assert refused.value.code == "appeal_late"


def test_another_department_cannot_act_on_the_rectification(county, citizen):
    r = _bad(county, citizen)
    other = DepartmentFactory(region=county.region, name="赫山区人社局")
    stranger = UserFactory(department=other, roles=[Role.DEPT_HEAD], scope=[other])
    with pytest.raises(PermissionDenied):
        services.rectification_verify(rectification=r, actor=stranger, now=at("2026-04-02"))


def test_a_stale_copy_loses_to_the_first_action(county, citizen):
    r = _bad(county, citizen)
    stale = Rectification.objects.get(pk=r.pk)
    services.rectification_verify(rectification=r, actor=county.head, now=at("2026-04-02"))
    with pytest.raises(DomainError):
        services.rectification_verify(rectification=stale, actor=county.head, now=at("2026-04-02"))


def test_the_sweep_flags_due_soon_and_overdue_rectifications_once(county, citizen):
    r = _bad(county, citizen)  # due 2026-04-23
    assert services.rectifications_sweep(now=at("2026-04-20", 1)) == {"overdue": 0, "due_soon": 0}
    assert services.rectifications_sweep(now=at("2026-04-21", 1)) == {"overdue": 0, "due_soon": 1}
    assert services.rectifications_sweep(now=at("2026-04-24", 1)) == {"overdue": 1, "due_soon": 0}
    assert services.rectifications_sweep(now=at("2026-04-24", 2)) == {"overdue": 0, "due_soon": 0}
    r.refresh_from_db()
    assert r.overdue and r.warning == "overdue"


def test_the_demo_makes_reviews_and_rectifications_in_many_states_once(county, citizen):
    from zhengwu.reviews.demo_data import demo_reviews_generate

    for _ in range(3):
        granted_case(county)
    made = demo_reviews_generate(dt.date(2026, 6, 30))
    assert made == Review.objects.count()
    assert Rectification.objects.count() == Review.objects.filter(grade__lte=2).count()
    if made:
        assert demo_reviews_generate(dt.date(2026, 6, 30)) == 0


def test_the_sweep_command_reports_its_counts(county, citizen):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("reviews", "sweep", stdout=out)
    assert "超期" in out.getvalue()
