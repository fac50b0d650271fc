import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Built calendars outlive a test's rolled-back transaction in the memory cache; start clean."""
    cache.clear()
    yield
    cache.clear()
