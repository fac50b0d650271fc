"""The portal booking journey, my appointments, the workbench list and booking, the kiosk check-in, and
the API: permissions (own only; staff only their halls → 404) and query counts on lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengwu.appointments.models import Appointment
from zhengwu.appointments.tests.factories import at, book, make_citizen, make_hall
from zhengwu.common import clock
from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = at("2026-11-23", 10)
SLOTS = ("09:00", "09:30", "10:00", "10:30")


@pytest.fixture(autouse=True)
def _frozen():
    with clock.frozen(TODAY):
        yield


def test_the_portal_lists_bookable_items_and_the_halls_of_an_item(client, setup):
    response = client.get(reverse("portal:appointment_items"))
    assert response.status_code == 200
    assert "食品经营许可" in response.content.decode()
    response = client.get(reverse("portal:appointment_halls", args=[setup.item.implementation_code]))
    assert setup.hall.name in response.content.decode()


def test_slot_page_shows_remaining_places_and_disables_full_slots(client):
    setup = make_hall(quota=1, periods="09:00-10:00")  # 09:00 gets the one place, 09:30 none
    book(setup)
    url = reverse("portal:appointment_slots", args=[setup.item.implementation_code, setup.hall.pk])
    page = client.get(url, {"date": "2026-11-24"}).content.decode()
    assert 'aria-disabled="true" data-slot="09:00-09:30"' in page
    assert "已约满" in page
    assert "11月24日" in page


def test_a_date_outside_the_horizon_is_refused_naming_the_date(client, setup):
    url = reverse("portal:appointment_slots", args=[setup.item.implementation_code, setup.hall.pk])
    response = client.get(url, {"date": "2026-11-28"})
    assert response.status_code == 400
    assert 'data-field="date"' in response.content.decode()


def test_a_citizen_books_and_sees_the_number_and_its_qr(client, setup, citizen):
    client.force_login(citizen)
    url = reverse("portal:appointment_confirm", args=[setup.item.implementation_code, setup.hall.pk])
    form = client.get(url, {"date": "2026-11-24", "slot": "09:30"})
    assert citizen.applicant.name in form.content.decode()
    response = client.post(
        url, {"date": "2026-11-24", "slot": "09:30", "name": citizen.applicant.name, "phone": citizen.phone}
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:my_appointment", args=[appointment.number])
    page = client.get(response.url).content.decode()
    assert appointment.number in page and "<svg" in page
    assert citizen.phone not in page  # masked
    assert appointment.channel == "online" and appointment.citizen == citizen


def test_a_bad_phone_is_shown_next_to_the_field(client, setup, citizen):
    client.force_login(citizen)
    url = reverse("portal:appointment_confirm", args=[setup.item.implementation_code, setup.hall.pk])
    response = client.post(url, {"date": "2026-11-24", "slot": "09:30", "name": "李四", "phone": "123"})
    assert response.status_code == 400
    assert "手机号码应为11位" in response.content.decode()
    assert not Appointment.objects.exists()


def test_confirming_needs_a_signed_in_citizen(client, setup):
    url = reverse("portal:appointment_confirm", args=[setup.item.implementation_code, setup.hall.pk])
    response = client.get(url, {"date": "2026-11-24", "slot": "09:30"})
    assert response.status_code == 302
    assert reverse("portal:login") in response.url


def test_my_appointments_lists_only_mine_and_cancel_frees_the_place(
    client, setup, citizen, django_assert_max_num_queries
):
    mine = book(setup, citizen=citizen)
    for slot in ("10:00", "10:00", "10:30"):
        book(setup, citizen=make_citizen(), slot=slot)
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("portal:my_appointments")).content.decode()
    assert mine.number in page
    assert Appointment.objects.exclude(pk=mine.pk).first().number not in page
    client.post(reverse("portal:my_appointment_cancel", args=[mine.number]))
    assert Appointment.objects.get(pk=mine.pk).status == "cancelled"


def test_someone_elses_appointment_is_a_404(client, setup, citizen):
    other = book(setup, citizen=make_citizen())
    client.force_login(citizen)
    assert client.get(reverse("portal:my_appointment", args=[other.number])).status_code == 404
    assert client.post(reverse("portal:my_appointment_cancel", args=[other.number])).status_code == 404
    assert Appointment.objects.get(pk=other.pk).status == "booked"


# -- workbench and kiosk -------------------------------------------------------------------------


def test_staff_list_the_days_appointments_of_their_halls_masked(client, setup, django_assert_max_num_queries):
    for n in range(5):
        book(setup, phone=f"1370000{n:04d}", slot=SLOTS[n // 2])
    other = make_hall(code="430921000000")
    foreign = book(other)
    client.force_login(setup.clerk)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workbench:appointment_list"), {"date": "2026-11-24"}).content.decode()
    assert page.count("YY-") >= 5
    assert foreign.number not in page
    assert "13700000001" not in page and "137****0001" in page


def test_staff_book_for_a_caller_at_their_hall(client, setup):
    client.force_login(setup.clerk)
    url = reverse("workbench:appointment_book")
    form = client.get(url, {"hall": setup.hall.pk, "item": setup.item.pk, "date": "2026-11-24"})
    assert "09:00-09:30" in form.content.decode()
    response = client.post(
        url,
        {
            "hall": setup.hall.pk,
            "item": setup.item.pk,
            "date": "2026-11-24",
            "slot": "09:00",
            "name": "王五",
            "phone": "13711112222",
        },
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    assert (appointment.channel, appointment.booked_by, appointment.citizen) == ("hall", setup.clerk, None)


def test_staff_cannot_book_or_check_in_at_a_hall_outside_their_scope(client, setup):
    other = make_hall(code="430921000000")
    foreign = book(other)
    client.force_login(setup.clerk)
    assert client.get(reverse("workbench:appointment_book"), {"hall": other.hall.pk}).status_code == 404
    assert client.post(reverse("workbench:appointment_check_in", args=[foreign.number])).status_code == 404
    assert client.get(reverse("portal:hall_check_in", args=[other.hall.pk])).status_code == 404


def test_workbench_check_in_issues_the_ticket(client, setup):
    appointment = book(setup)
    client.force_login(setup.clerk)
    with clock.frozen(at("2026-11-24", 8, 40)):
        response = client.post(
            reverse("workbench:appointment_check_in", args=[appointment.number]), HTTP_HX_REQUEST="true"
        )
    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.status == "checked_in"
    assert appointment.queue_ticket.number in response.content.decode()


def test_kiosk_check_in_by_number_gives_the_queue_number(client, setup, citizen):
    appointment = book(setup, citizen=citizen)
    kiosk = UserFactory(department=setup.department, roles=[Role.WINDOW_CLERK], scope=[setup.department])
    client.force_login(kiosk)
    url = reverse("portal:hall_check_in", args=[setup.hall.pk])
    with clock.frozen(at("2026-11-24", 8, 40)):
        response = client.post(url, {"number": appointment.number.lower()})
    appointment.refresh_from_db()
    assert response.status_code == 200
    assert appointment.status == "checked_in"
    assert f'data-testid="ticket-number">{appointment.queue_ticket.number}<' in response.content.decode()


def test_kiosk_answers_an_unknown_number_with_the_field_named(client, setup):
    client.force_login(setup.clerk)
    response = client.post(
        reverse("portal:hall_check_in", args=[setup.hall.pk]), {"number": "YY-1-20261124-9999"}
    )
    assert response.status_code == 404
    assert 'data-field="number"' in response.content.decode()


def test_kiosk_is_rate_limited(client, setup, settings):
    client.force_login(setup.clerk)
    url = reverse("portal:hall_check_in", args=[setup.hall.pk])
    statuses = [client.post(url, {"number": f"YY-0-0-{n}"}).status_code for n in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_a_citizen_cannot_open_the_kiosk_or_the_workbench_list(client, setup, citizen):
    client.force_login(citizen)
    assert client.get(reverse("portal:hall_check_in", args=[setup.hall.pk])).status_code == 404
    assert client.get(reverse("workbench:appointment_list")).status_code == 403


# -- API -----------------------------------------------------------------------------------------


def test_api_availability_lists_days_and_slots(api_client, setup):
    book(setup)
    response = api_client.get(
        "/api/v1/appointments/availability/",
        {"item": setup.item.implementation_code, "hall": setup.hall.pk, "date": "2026-11-24"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["days"][1] == {"date": "2026-11-24", "capacity": 26, "remaining": 25}
    assert body["slots"][0] == {
        "start": "09:00",
        "end": "09:30",
        "capacity": 2,
        "remaining": 1,
        "bookable": True,
    }


def test_api_availability_refuses_a_hall_that_does_not_serve_the_item(api_client, setup):
    other = make_hall(code="430921000000")
    response = api_client.get(
        "/api/v1/appointments/availability/", {"item": setup.item.implementation_code, "hall": other.hall.pk}
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["hall"]


def test_api_citizen_books_lists_and_cancels(api_client, setup, citizen):
    api_client.force_authenticate(citizen)
    response = api_client.post(
        "/api/v1/appointments/",
        {
            "item": setup.item.implementation_code,
            "hall": setup.hall.pk,
            "date": "2026-11-24",
            "slot": "09:00",
            "name": "李四",
            "phone": citizen.phone,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    number = response.json()["number"]
    assert response.json()["phone_masked"] == f"{citizen.phone[:3]}****{citizen.phone[-4:]}"
    listing = api_client.get("/api/v1/appointments/").json()
    assert [row["number"] for row in listing["results"]] == [number]
    cancelled = api_client.post(f"/api/v1/appointments/{number}/actions/cancel/")
    assert cancelled.json()["status"] == "cancelled"


def test_api_full_slot_is_a_400_with_the_slot_named(api_client, citizen):
    setup = make_hall(quota=1, periods="09:00-09:30")
    book(setup)
    api_client.force_authenticate(citizen)
    response = api_client.post(
        "/api/v1/appointments/",
        {
            "item": setup.item.implementation_code,
            "hall": setup.hall.pk,
            "date": "2026-11-24",
            "slot": "09:00",
            "name": "李四",
            "phone": citizen.phone,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "slot_full"
    assert list(response.json()["fields"]) == ["slot"]


def test_api_check_in_is_for_staff_of_the_hall_only(api_client, setup, citizen):
    appointment = book(setup, citizen=citizen)
    outsider = make_hall(code="430921000000").clerk
    url = f"/api/v1/appointments/{appointment.number}/actions/check-in/"
    with clock.frozen(at("2026-11-24", 8, 40)):
        api_client.force_authenticate(citizen)
        assert api_client.post(url).status_code == 404
        api_client.force_authenticate(outsider)
        assert api_client.post(url).status_code == 404
        api_client.force_authenticate(setup.clerk)
        response = api_client.post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "checked_in" and response.json()["ticket"]


def test_api_someone_elses_appointment_is_a_404(api_client, setup, citizen):
    other = book(setup, citizen=make_citizen())
    api_client.force_authenticate(citizen)
    assert api_client.get(f"/api/v1/appointments/{other.number}/").status_code == 404


def test_api_staff_list_is_scoped_and_has_a_fixed_number_of_queries(
    api_client, setup, django_assert_max_num_queries
):
    for n in range(6):
        book(setup, phone=f"1370000{n:04d}", slot=SLOTS[n // 2])
    book(make_hall(code="430921000000"))
    api_client.force_authenticate(setup.clerk)
    with django_assert_max_num_queries(6):
        response = api_client.get("/api/v1/appointments/", {"date": "2026-11-24"})
    assert response.json()["count"] == 6


def test_api_list_needs_authentication(api_client):
    assert api_client.get("/api/v1/appointments/").status_code in (401, 403)


def test_no_date_field_is_ever_a_500(api_client, setup):
    response = api_client.get(
        "/api/v1/appointments/availability/",
        {"item": setup.item.implementation_code, "hall": setup.hall.pk, "date": "2026-13-45"},
    )
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["date"]


def test_dates_are_local(setup):
    assert dt.date(2026, 11, 24) == book(setup).date


def test_the_booking_pages_render_before_anything_is_chosen(client, setup):
    client.force_login(setup.clerk)
    assert client.get(reverse("workbench:appointment_book")).status_code == 200
    assert client.get(reverse("workbench:appointment_book"), {"hall": setup.hall.pk}).status_code == 200
    url = reverse("portal:appointment_slots", args=[setup.item.implementation_code, setup.hall.pk])
    assert "11月24日" in client.get(url).content.decode()
