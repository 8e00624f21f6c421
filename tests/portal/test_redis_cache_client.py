"""The cache on Redis keeps one redis-py client per connection pool, so the throttle's
two cache calls on every API request build no client; it stores and reads as Django's
own Redis cache does (portal/settings.py puts it in place of Django's for a redis:// CACHE_URL)."""

import threading

import pytest
from django.core.cache.backends.redis import RedisCache

from portal.cache import ReusedClientRedisCache
from tests.services.conftest import redis_url_for_tests

pytestmark = pytest.mark.services


@pytest.fixture
def cache():
    backend = ReusedClientRedisCache(redis_url_for_tests(), {"KEY_PREFIX": "cache-client-test"})
    backend.clear()
    yield backend
    backend.clear()


def test_calls_share_one_client_and_store_as_djangos_cache_does(cache):
    first = cache._cache.get_client(write=True)
    cache.set("answer", {"n": 42}, 30)
    assert cache.add("hits", 1, 30)

    assert cache.get("answer") == {"n": 42}
    assert cache._cache.get_client() is first
    assert cache._cache.get_client(write=True) is first
    # Django's own backend reads what this one wrote.
    plain = RedisCache(redis_url_for_tests(), {"KEY_PREFIX": "cache-client-test"})
    assert plain.get("answer") == {"n": 42}
    assert plain.get("hits") == 1


def test_threads_share_the_client_safely(cache):
    errors = []

    def work(n):
        try:
            for k in range(50):
                cache.set(f"t{n}-{k}", k, 30)
                assert cache.get(f"t{n}-{k}") == k
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
