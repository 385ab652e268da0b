"""The staff passcode: only its hash is kept, and guessing gets slower, then stops."""
import pytest

from lakou_metrics.passcode import AttemptGuard, check_passcode, hash_passcode


def test_hash_and_check():
    stored = hash_passcode("腊口2024", iterations=1000)
    assert check_passcode("腊口2024", stored) and not check_passcode("腊口2025", stored)
    assert "腊口2024" not in stored
    assert not check_passcode("x", "not-a-hash")


def test_failures_past_the_free_ones_wait_longer_and_longer():
    guard = AttemptGuard(free=3, max_delay=60, lockout_after=10, lockout_seconds=900)
    keys, now = ["session:a"], 1000.0
    for _ in range(3):
        assert guard.wait_seconds(keys, now) == 0
        guard.record_failure(keys, now)
    waits = []
    for _ in range(5):
        wait = guard.wait_seconds(keys, now)
        waits.append(wait)
        now += wait
        guard.record_failure(keys, now)
    assert waits == [2.0, 4.0, 8.0, 16.0, 32.0]


def test_ten_failures_lock_out_for_the_lockout_time_then_count_again():
    guard = AttemptGuard(free=3, max_delay=60, lockout_after=10, lockout_seconds=900)
    keys, now = ["session:a"], 0.0
    for _ in range(10):
        now += guard.wait_seconds(keys, now)
        guard.record_failure(keys, now)
    assert guard.locked_out(keys, now) and guard.wait_seconds(keys, now) == pytest.approx(900)
    assert guard.wait_seconds(keys, now + 899) == pytest.approx(1)
    assert guard.record_failure(keys, now + 900) == 1  # the lockout ran out: the count starts again


def test_a_new_session_from_the_same_client_inherits_the_count():
    guard = AttemptGuard()
    for _ in range(5):
        guard.record_failure(["session:a", "client:127.0.0.1"], 0.0)
    assert guard.wait_seconds(["session:b", "client:127.0.0.1"], 0.0) > 0
    assert guard.wait_seconds(["session:c", "client:10.0.0.9"], 0.0) == 0


def test_the_right_passcode_clears_the_count():
    guard = AttemptGuard()
    keys = ["session:a"]
    for _ in range(3):
        guard.record_failure(keys, 0.0)
    guard.record_success(keys)
    assert guard.wait_seconds(keys, 0.0) == 0 and guard.record_failure(keys, 0.0) == 1
