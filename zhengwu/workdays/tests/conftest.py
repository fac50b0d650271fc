import pytest
from django.core.cache import cache

from zhengwu.organization.choices import Role
from zhengwu.organization.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Built calendars outlive a test's rolled-back transaction in the memory cache; start clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db):
    return UserFactory(roles=[Role.SYSTEM_ADMIN])


@pytest.fixture
def dept_head(db):
    """Staff who may open the admin site but not edit the calendar."""
    return UserFactory(roles=[Role.DEPT_HEAD])
