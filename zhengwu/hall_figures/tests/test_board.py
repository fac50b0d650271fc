"""The hall manager's board /workbench/hall/: who may open it, what it shows, its query count, the export."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhengwu.cases.tests.factories import make_county
from zhengwu.common import clock
from zhengwu.hall_figures.tests.conftest import make_appointment, make_ticket, t
from zhengwu.organization.tests.factories import HallFactory

pytestmark = pytest.mark.django_db

URL = reverse("workbench:hall_board")


@pytest.fixture(autouse=True)
def frozen():
    with clock.frozen(t(12, 0, day=30)):
        yield


def _get(client, user, **params):
    client.force_login(user)
    return client.get(URL, {"period": "2026-11", **params})


def test_a_department_head_sees_the_figures_of_the_hall_of_their_department(client, place, morning):
    response = _get(client, place.county.head)
    body = response.content.decode()
    assert response.status_code == 200
    assert place.hall.name in body
    assert "16.08" in body and "35.00" in body  # mean and longest wait of the golden morning
    assert "窗口现场审批率" in body and "取号量热力图" in body


def test_a_supervisor_of_the_region_sees_the_board(client, place, morning):
    assert _get(client, place.county.supervisor).status_code == 200


def test_a_window_clerk_gets_not_found(client, place):
    assert _get(client, place.clerks[0]).status_code == 404


def test_a_manager_of_another_county_gets_not_found_for_this_hall(client, place):
    other = make_county("430921000000", "南县")
    HallFactory(department=other.department)
    assert _get(client, other.head, hall=place.hall.pk).status_code == 404
    assert _get(client, other.head).status_code == 200  # their own hall


def test_a_manager_without_any_hall_gets_not_found(client, place):
    other = make_county("430921000000", "南县")
    assert _get(client, other.head).status_code == 404


def test_a_bad_period_is_a_clear_error_not_a_crash(client, place):
    response = _get(client, place.county.head, period="去年")
    assert response.status_code == 400
    assert "期间" in response.content.decode()


def test_a_hall_that_is_not_a_number_is_not_found(client, place):
    assert _get(client, place.county.head, hall="一号").status_code == 404


def test_the_board_runs_a_fixed_number_of_queries(client, place, morning, django_assert_max_num_queries):
    client.force_login(place.county.head)
    _get(client, place.county.head)  # warm the session
    with django_assert_max_num_queries(14):
        client.get(URL, {"period": "2026-11"})
    for day in range(3, 7):
        for minute in range(0, 50, 10):
            make_ticket(place, t(10, minute, day=day), t(10, minute + 5, day=day), window=day % 2)
        make_appointment(place, t(9, 0, day=day), "checked_in")
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"period": "2026-11"})
    assert "24" in response.content.decode()  # 4 + 20 tickets


def test_the_export_has_a_sheet_each_for_windows_staff_and_items(client, place, morning):
    client.force_login(place.county.head)
    response = client.get(reverse("workbench:hall_board_export"), {"period": "2026-11"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["窗口", "工作人员", "事项"]
    rows = list(book["窗口"].iter_rows(min_row=3, values_only=True))
    assert rows[0][:4] == ("1号窗口", 2, 2, 23.75)


def test_the_export_is_refused_to_a_window_clerk(client, place):
    client.force_login(place.clerks[0])
    assert client.get(reverse("workbench:hall_board_export")).status_code == 404
