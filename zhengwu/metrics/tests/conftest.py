import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def county(db):
    from zhengwu.cases.tests.factories import make_county

    return make_county()
