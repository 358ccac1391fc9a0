"""Password hashes exactly as Better Auth makes them, so accounts move both ways.

Better Auth stores ``hex(salt):hex(key)`` where key = scrypt(NFKC(password),
salt=<the salt's hex string>, N=16384, r=16, p=1, dkLen=64).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

_N, _R, _P, _DKLEN = 16384, 16, 1, 64
# scrypt needs 128 * N * r bytes (32 MiB here); give OpenSSL headroom above that.
_MAXMEM = 128 * _N * _R * 2

MIN_LENGTH = 8  # Better Auth's defaults for email + password sign-up
MAX_LENGTH = 128


def _derive(password: str, salt_hex: str) -> bytes:
    return hashlib.scrypt(
        unicodedata.normalize("NFKC", password).encode(),
        salt=salt_hex.encode(),
        n=_N,
        r=_R,
        p=_P,
        dklen=_DKLEN,
        maxmem=_MAXMEM,
    )


def hash_password(password: str) -> str:
    salt_hex = secrets.token_hex(16)
    return f"{salt_hex}:{_derive(password, salt_hex).hex()}"


def verify_password(stored: str, password: str) -> bool:
    salt_hex, sep, key_hex = (stored or "").partition(":")
    if not sep or not salt_hex or not key_hex:
        return False
    try:
        expected = bytes.fromhex(key_hex)
    except ValueError:
        return False
    return hmac.compare_digest(_derive(password, salt_hex), expected)
