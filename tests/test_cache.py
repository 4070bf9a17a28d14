"""The SQLite TTL cache."""

from __future__ import annotations

import sqlite3

from reachout.cache import TTLCache


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_values_expire_after_their_ttl_and_persist_across_instances(tmp_path):
    clock = Clock()
    path = tmp_path / "cache.sqlite"
    with TTLCache(path, namespace="dns", clock=clock) as cache:
        cache.set("a", {"x": [1, 2]}, 60)
        cache.set("never", 1, 0)
        assert cache.get("a") == {"x": [1, 2]}
    reopened = TTLCache(path, namespace="dns", clock=clock)
    assert reopened.get("a") == {"x": [1, 2]}
    assert reopened.get("never") is None
    assert TTLCache(path, namespace="http", clock=clock).get("a") is None
    clock.now += 61
    assert reopened.get("a") is None
    assert reopened.purge() == 1
    reopened.close()


def test_migrations_are_recorded_once(tmp_path):
    path = tmp_path / "cache.sqlite"
    TTLCache(path).close()
    TTLCache(path).close()
    names = [r[0] for r in sqlite3.connect(path).execute("SELECT name FROM migrations")]
    assert names == ["m001_ttl_cache"]


def test_an_unusable_file_falls_back_to_memory(tmp_path, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    cache = TTLCache(blocker / "cache.sqlite")
    cache.set("k", "v", 10)
    assert cache.get("k") == "v"
    assert "caching in memory only" in caplog.text


def test_memory_layer_is_bounded_oldest_first():
    cache = TTLCache.memory(namespace="dns")
    cache.memory_limit = 3
    for i in range(5):
        cache.set(f"k{i}", i, 60)
    assert [cache.get(f"k{i}") for i in range(5)] == [None, None, 2, 3, 4]
