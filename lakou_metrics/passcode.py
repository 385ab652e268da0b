"""The staff passcode, stored only as a salted PBKDF2 hash ("pbkdf2_sha256$iterations$salt$hash")."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field

ITERATIONS = 310_000


def hash_passcode(passcode: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """The line to put in .streamlit/secrets.toml (staff_passcode_hash) or $LAKOU_STAFF_PASSCODE_HASH."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", passcode.encode("utf-8"), bytes.fromhex(salt), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${digest.hex()}"


def check_passcode(passcode: str, stored: str) -> bool:
    """True when the passcode matches the stored hash (constant-time comparison)."""
    try:
        scheme, iterations, salt, expected = stored.split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    return hmac.compare_digest(hash_passcode(passcode, salt, int(iterations)), stored)


@dataclass
class AttemptGuard:
    """Failed passcode attempts counted per key (a browser session, a client address), so that
    guessing gets slower and then stops: after `free` failures every further attempt must wait a
    delay that doubles (2, 4, 8 … seconds, at most `max_delay`); after `lockout_after` failures the
    key is locked for `lockout_seconds`. A right passcode clears the keys. Thread-safe: one guard
    serves every session of the server."""

    free: int = 3
    max_delay: float = 60.0
    lockout_after: int = 10
    lockout_seconds: float = 900.0
    _failures: dict = field(default_factory=dict)  # key → (failures, time of the last one)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_seconds(self, keys, now: float) -> float:
        """Seconds before any of `keys` may try again (0 when it may now)."""
        with self._lock:
            return max((self._wait(self._failures.get(k), now) for k in keys if k), default=0.0)

    def locked_out(self, keys, now: float) -> bool:
        with self._lock:
            return any(k and self._failures.get(k, (0, 0))[0] >= self.lockout_after
                       and self._wait(self._failures[k], now) > 0 for k in keys)

    def record_failure(self, keys, now: float) -> int:
        """Count a wrong passcode; the largest count among the keys."""
        with self._lock:
            counts = []
            for key in filter(None, keys):
                failures, last = self._failures.get(key, (0, now))
                if failures >= self.lockout_after and now - last >= self.lockout_seconds:
                    failures = 0  # a lockout that has run out starts the count again
                self._failures[key] = (failures + 1, now)
                counts.append(failures + 1)
            return max(counts, default=0)

    def record_success(self, keys) -> None:
        with self._lock:
            for key in filter(None, keys):
                self._failures.pop(key, None)

    def _wait(self, entry, now: float) -> float:
        if entry is None:
            return 0.0
        failures, last = entry
        if failures >= self.lockout_after:
            delay = self.lockout_seconds
        elif failures >= self.free:
            delay = min(2.0 ** (failures - self.free + 1), self.max_delay)
        else:
            return 0.0
        return max(last + delay - now, 0.0)
