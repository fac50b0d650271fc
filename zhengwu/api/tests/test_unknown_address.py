"""An unknown address under /api/ answers the JSON 404 for every method, never Django's HTML CSRF page.

Found by the whole-API fuzz (reliability/test_api_fuzz.py): a DELETE to /api/v1/auth/tokens/<not a number>/
fell through to the catch-all view, which was not CSRF-exempt, so it answered an HTML 403.
"""

import pytest
from django.test import Client


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_an_unknown_api_address_answers_404_in_the_error_format_for_every_method(method, db):
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/v1/auth/tokens/not-a-number/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "not_found"


def test_an_unknown_api_address_with_a_newline_in_it_still_answers_the_json_404(db):
    response = Client().get("/api/v1/assessment/evaluations/a%0Ab/x/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
