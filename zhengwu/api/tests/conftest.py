"""Fixtures of the API tests: a city with two counties, their departments, items and staff."""

import pytest
from django.core.cache import cache

from zhengwu.catalog.tests.factories import make_item
from zhengwu.common.tests.clients import KeyedAPIClient as APIClient  # POSTs carry an Idempotency-Key
from zhengwu.organization.choices import DepartmentKind, RegionLevel, Role
from zhengwu.organization.tests.factories import DepartmentFactory, RegionFactory, UserFactory

PASSWORD = "Zw!test-pass-2026"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The token throttle counts in the cache; every test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def yiyang(db):
    city = RegionFactory(code="430900000000", name="益阳市", level=RegionLevel.CITY)
    ziyang = RegionFactory(code="430902000000", name="资阳区", parent=city)
    heshan = RegionFactory(code="430903000000", name="赫山区", parent=city)
    town = RegionFactory(code="430903001000", name="赫山街道", parent=heshan, level=RegionLevel.TOWNSHIP)
    return {
        "city": city,
        "ziyang": ziyang,
        "heshan": heshan,
        "town": town,
        "city_dept": DepartmentFactory(region=city, name="益阳市市场监督管理局"),
        "ziyang_dept": DepartmentFactory(region=ziyang, name="资阳区市场监督管理局"),
        "ziyang_bureau": DepartmentFactory(
            region=ziyang, name="资阳区行政审批服务局", kind=DepartmentKind.APPROVAL_BUREAU
        ),
        "heshan_dept": DepartmentFactory(region=heshan, name="赫山区市场监督管理局"),
        "town_office": DepartmentFactory(region=town, name="赫山街道便民服务中心"),
    }


@pytest.fixture
def catalogue(yiyang):
    """Published and draft items in both counties."""
    return {
        "ziyang_published": make_item(name="资阳食品经营许可", department=yiyang["ziyang_dept"]),
        "ziyang_draft": make_item(name="资阳草稿事项", department=yiyang["ziyang_dept"], publish=False),
        "heshan_published": make_item(name="赫山食品经营许可", department=yiyang["heshan_dept"]),
        "heshan_draft": make_item(name="赫山草稿事项", department=yiyang["heshan_dept"], publish=False),
    }


@pytest.fixture
def ziyang_clerk(yiyang):
    return UserFactory(
        username="ziyang_clerk",
        full_name="张三",
        phone="13812345678",
        department=yiyang["ziyang_dept"],
        roles=[Role.WINDOW_CLERK],
        scope=[yiyang["ziyang"]],
    )


@pytest.fixture
def clerk_client(ziyang_clerk):
    api = APIClient()
    response = api.post("/api/v1/auth/token/", {"username": "ziyang_clerk", "password": PASSWORD})
    assert response.status_code == 200, response.json()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return api


# ---------------------------------------------------------------------------------------------
# Cases: two counties (赫山区 and 南县), each with its department and staff; time frozen.


@pytest.fixture
def frozen_now():
    """Every case endpoint reads the time through `common.clock`; tests start on Monday 2026-06-01."""
    from zhengwu.cases.tests.factories import at
    from zhengwu.common import clock

    with clock.frozen(at("2026-06-01")):
        yield


@pytest.fixture
def heshan(db, frozen_now):
    from zhengwu.cases.tests.factories import make_county

    return make_county()


@pytest.fixture
def nanxian(db, frozen_now):
    from zhengwu.cases.tests.factories import make_county

    return make_county(code="430921000000", name="南县")


@pytest.fixture
def as_user():
    """`as_user(user)` → an APIClient signed in as that account."""

    def client(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return client
