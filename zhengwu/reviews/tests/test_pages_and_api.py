"""Portal, workbench and API pages of 好差评."""

from __future__ import annotations

import pytest

from zhengwu.cases.tests.factories import at
from zhengwu.common import clock
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import DepartmentFactory, UserFactory
from zhengwu.reviews import services
from zhengwu.reviews.models import Review
from zhengwu.reviews.tests.factories import granted_case, rate

pytestmark = pytest.mark.django_db


def test_a_citizen_rates_a_finished_case_on_the_portal_without_a_preselected_grade(client, county, citizen):
    case = granted_case(county, citizen=citizen)
    client.force_login(citizen)
    with clock.frozen(at("2026-04-02")):
        page = client.get(f"/my/cases/{case.number}/review/")
        assert page.status_code == 200 and "checked" not in page.content.decode()
        missing = client.post(f"/my/cases/{case.number}/review/", {"comment": "x"})
        assert missing.status_code == 400 and "没有默认值" in missing.content.decode()
        done = client.post(f"/my/cases/{case.number}/review/", {"grade": "1", "comment": "太慢"})
    assert done.status_code == 200 and "转交办理部门" in done.content.decode()
    assert Review.objects.get().rectification.state == "received"


def test_the_sms_link_page_works_once(client, county, citizen):
    case = granted_case(county, citizen=citizen)
    case.review_invitation.delete()
    _, token = services.invitation_issue(case=case, now=at("2026-04-01", 11))
    with clock.frozen(at("2026-04-02")):
        assert client.get(f"/review/{token}/").status_code == 200
        assert client.post(f"/review/{token}/", {"grade": "5"}).status_code == 200
        assert client.get(f"/review/{token}/").status_code == 404


def test_the_window_pad_rates_the_clerks_current_visit(client, county, citizen):
    from zhengwu.organization.tests.factories import WindowFactory

    window = WindowFactory()
    county.clerk.window = window
    county.clerk.save()
    granted_case(county, citizen=citizen)
    client.force_login(county.clerk)
    with clock.frozen(at("2026-03-30", 16)):
        assert client.get(f"/review/pad/{window.pk}/").status_code == 200
        assert client.post(f"/review/pad/{window.pk}/", {"grade": "5"}).status_code == 200
    review = Review.objects.get()
    assert (
        review.kind == "visit" and review.channel == "hall_device" and review.visit_key.startswith("visit:")
    )


def test_the_rectification_queue_lists_only_the_departments_own_with_pinned_queries(
    client, county, citizen, django_assert_max_num_queries
):
    for i in range(3):
        from zhengwu.cases.tests.factories import make_citizen

        person = (
            citizen
            if i == 0
            else make_citizen(
                phone=f"1390000000{i}",
                name="某人",
                id_number=["430903198805051230", "43090319750303123X"][i - 1],
            )
        )
        rate(granted_case(county, citizen=person), person, 1)
    client.force_login(county.head)
    with django_assert_max_num_queries(12):
        page = client.get("/workbench/reviews/rectifications/")
    assert page.status_code == 200 and page.content.decode().count("PJ2026") == 3
    other = DepartmentFactory(region=county.region, name="赫山区人社局")
    stranger = UserFactory(department=other, roles=[Role.DEPT_HEAD], scope=[other])
    client.force_login(stranger)
    assert "PJ2026" not in client.get("/workbench/reviews/rectifications/").content.decode()
    pk = Review.objects.first().rectification.pk
    assert client.get(f"/workbench/reviews/rectifications/{pk}/").status_code == 404


def test_the_rectification_page_runs_an_action_and_shows_a_refusal_inline(client, county, citizen):
    r = rate(granted_case(county, citizen=citizen), citizen, 2).rectification
    client.force_login(county.head)
    with clock.frozen(at("2026-04-02")):
        assert client.post(f"/workbench/reviews/rectifications/{r.pk}/actions/verify/").status_code == 302
        refused = client.post(f"/workbench/reviews/rectifications/{r.pk}/actions/rectify/", {"measures": ""})
    assert refused.status_code == 400 and "请填写整改措施" in refused.content.decode()


def test_the_statistics_page_and_the_public_page_show_the_figures(client, county, citizen):
    rate(granted_case(county, citizen=citizen), citizen, 4)
    client.force_login(county.supervisor)
    with clock.frozen(at("2026-04-10")):
        page = client.get("/workbench/reviews/stats/", {"period": "2026-04"})
        public = client.get("/reviews/", {"period": "2026-04"})
    assert page.status_code == 200 and "review-data" in page.content.decode()
    assert county.department.name in public.content.decode() and "100.00" in public.content.decode()


def test_the_api_lets_a_citizen_rate_once_and_staff_act_on_the_rectification(api_client, county, citizen):
    case = granted_case(county, citizen=citizen)
    api_client.force_authenticate(citizen)
    with clock.frozen(at("2026-04-02")):
        created = api_client.post("/api/v1/reviews/", {"case": case.number, "grade": 1}, format="json")
        again = api_client.post("/api/v1/reviews/", {"case": case.number, "grade": 1}, format="json")
    assert created.status_code == 201 and again.status_code == 400
    pk = Review.objects.get().rectification.pk
    api_client.force_authenticate(county.clerk)
    staff_rating = api_client.post("/api/v1/reviews/", {"case": case.number, "grade": 5}, format="json")
    assert staff_rating.status_code == 403
    api_client.force_authenticate(county.head)
    with clock.frozen(at("2026-04-02")):
        verified = api_client.post(f"/api/v1/rectifications/{pk}/actions/verify/", {}, format="json")
        wrong = api_client.post(f"/api/v1/rectifications/{pk}/actions/close/", {}, format="json")
    assert verified.status_code == 200 and verified.json()["state"] == "verifying"
    assert wrong.status_code == 400
    assert api_client.get("/api/v1/reviews/").json()["count"] == 1
    api_client.force_authenticate(county.supervisor)
    stats = api_client.get("/api/v1/reviews/stats/", {"period": "2026-04", "by": "department"})
    assert stats.status_code == 200 and stats.json()["units"][0]["bad"] == 1
