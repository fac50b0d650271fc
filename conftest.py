"""Shared fixtures. Time is injected, the network is off, files go to a temporary folder."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHENGWU_PRIVATE_FILES = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 costs ~0.3 s a hash by design; tests don't need that protection."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The in-process cache holds built calendars and rate-limit counters: every test starts empty."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
