"""The staff passcode, stored only as a salted PBKDF2 hash ("pbkdf2_sha256$iterations$salt$hash")."""
from __future__ import annotations

import hashlib
import hmac
import secrets

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
