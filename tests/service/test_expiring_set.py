"""The collector's replay and burst windows: remembered for their time, and bounded."""

from __future__ import annotations

import pytest

from service import runtime as runtime_module
from service.runtime import ExpiringSet


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(runtime_module.time, "monotonic", fake)
    return fake


def test_a_key_is_remembered_for_its_window_and_then_forgotten(clock: Clock) -> None:
    window = ExpiringSet(ttl=10)
    window.put("hit", "first")
    for elapsed in (0, 5, 10):
        clock.now = 1000.0 + elapsed
        assert window.get("hit") == "first"
    clock.now = 1010.5
    assert window.get("hit") is None


def test_a_key_is_kept_its_whole_window_however_the_generations_turn(clock: Clock) -> None:
    window = ExpiringSet(ttl=10)
    for step in range(100):  # a put every 0.7 s, each checked until its window ends
        clock.now = 1000.0 + step * 0.7
        window.put(step, step)
        for earlier in range(step + 1):
            age = (step - earlier) * 0.7
            assert (window.get(earlier) == earlier) == (age <= 10), (step, earlier)


def test_putting_again_restarts_the_window_and_replaces_the_value(clock: Clock) -> None:
    window = ExpiringSet(ttl=10)
    window.put("burst", 1)
    clock.now += 8
    window.put("burst", 2)
    clock.now += 8
    assert window.get("burst") == 2


def test_add_if_absent_admits_a_key_once_per_window(clock: Clock) -> None:
    window = ExpiringSet(ttl=10)
    assert window.add_if_absent("open") is True
    clock.now += 9
    assert window.add_if_absent("open") is False
    clock.now += 2  # the first admission is now 11 s old
    assert window.add_if_absent("open") is True


def test_the_window_never_holds_more_than_its_bound(clock: Clock) -> None:
    window = ExpiringSet(ttl=3600, max_items=100)
    for key in range(1000):
        window.put(key)
        assert len(window) <= 100
    assert window.get(999) is True
