"""The shared rate-limit counter (`common.ratelimit`) in one process: windows, identities, backends,
the DRF throttle and the 429 answers. The multi-process exactness is in test_ratelimit_processes.py."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from zhengwu.common import clock, ratelimit
from zhengwu.common.models import RateCounter

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 6, 1, 9, 0, 0, tzinfo=dt.UTC)


def test_the_eleventh_hit_in_a_window_of_ten_is_refused():
    with clock.frozen(T0):
        verdicts = [ratelimit.allow("t", "a", limit=10) for _ in range(11)]
    assert verdicts == [True] * 10 + [False]


def test_a_new_window_starts_counting_from_one_again():
    with clock.frozen(T0):
        for _ in range(3):
            ratelimit.allow("t", "a", limit=2)
    with clock.frozen(T0 + dt.timedelta(seconds=60)):
        assert ratelimit.check("t", "a", limit=2).hits == 1


def test_identities_and_scopes_count_separately():
    with clock.frozen(T0):
        assert ratelimit.allow("t", "a", limit=1)
        assert ratelimit.allow("t", "b", limit=1)
        assert ratelimit.allow("u", "a", limit=1)
        assert not ratelimit.allow("t", "a", limit=1)


def test_retry_after_is_the_rest_of_the_window():
    with clock.frozen(T0 + dt.timedelta(seconds=42)):
        assert ratelimit.check("t", "a", limit=5, period=60).retry_after == 18


def test_the_sql_counter_keeps_one_row_per_identity_not_one_per_window():
    for minute in range(3):
        with clock.frozen(T0 + dt.timedelta(minutes=minute)):
            ratelimit.allow("t", "a", limit=5)
    assert RateCounter.objects.count() == 1


def test_the_counter_never_uses_the_django_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with clock.frozen(T0):
        verdicts = [ratelimit.allow("t", "a", limit=2) for _ in range(3)]
    assert verdicts == [True, True, False]


def test_a_very_long_identity_is_hashed_into_a_bounded_key():
    key = ratelimit.counter_key("t", "x" * 1000, 60)
    assert len(key) <= 255 and key != ratelimit.counter_key("t", "x" * 999, 60)


def test_purge_removes_counters_of_windows_ended_long_ago():
    with clock.frozen(T0):
        ratelimit.allow("t", "old", limit=5)
    with clock.frozen(T0 + dt.timedelta(days=2)):
        ratelimit.allow("t", "new", limit=5)
        assert ratelimit.purge() == 1
    assert list(RateCounter.objects.values_list("name", flat=True)) == ["t:60:new"]


def test_client_ip_ignores_forwarded_for_unless_a_proxy_is_trusted(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert ratelimit.client_ip(request) == "10.0.0.9"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    assert ratelimit.client_ip(request) == "1.2.3.4"


def test_too_many_is_a_429_with_retry_after_and_a_chinese_message():
    response = ratelimit.too_many(17)
    assert response.status_code == 429
    assert response["Retry-After"] == "17"
    assert response.content.decode() == "操作过于频繁，请 17 秒后再试。"


def test_parse_rate_reads_drf_style_rates():
    assert ratelimit.parse_rate("30/min") == (30, 60)
    assert ratelimit.parse_rate("5/s") == (5, 1)
    with pytest.raises(ValueError):
        ratelimit.parse_rate("often")


def test_submission_check_refuses_the_eleventh_submission_of_an_account(rf):
    from zhengwu.organization.tests.factories import UserFactory

    request = rf.post("/", REMOTE_ADDR="10.0.0.1")
    request.user = UserFactory()
    with clock.frozen(T0):
        verdicts = [ratelimit.submission_check(request, "s").allowed for _ in range(11)]
    assert verdicts == [True] * 10 + [False]


def test_submission_check_refuses_the_sixty_first_submission_from_one_address(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/", REMOTE_ADDR="10.0.0.2")
    request.user = AnonymousUser()
    with clock.frozen(T0):
        verdicts = [ratelimit.submission_check(request, "s").allowed for _ in range(61)]
    assert verdicts.count(True) == 60 and verdicts[-1] is False


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")


def test_with_redis_configured_the_count_lives_in_redis_and_not_in_the_table(settings):
    _redis_or_skip()
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    scope = f"t-{uuid.uuid4()}"
    with clock.frozen(T0):
        verdicts = [ratelimit.allow(scope, "a", limit=3) for _ in range(4)]
    assert verdicts == [True, True, True, False]
    assert not RateCounter.objects.exists()


def test_the_sql_upsert_is_one_statement(django_assert_num_queries):
    with clock.frozen(T0), django_assert_num_queries(1):
        ratelimit.allow("t", "a", limit=3)
