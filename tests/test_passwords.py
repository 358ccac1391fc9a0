"""Password hashes are Better Auth's: its hashes verify here, and ours are shaped like its own."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest

from todochat.auth.passwords import hash_password, verify_password

BETTER_AUTH_SHAPE = re.compile(r"^[0-9a-f]{32}:[0-9a-f]{128}$")


def better_auth_scrypt(password: str, salt_hex: str) -> str:
    """Better Auth's algorithm, written out independently of todochat's code."""
    key = hashlib.scrypt(
        unicodedata.normalize("NFKC", password).encode("utf-8"),
        salt=salt_hex.encode("utf-8"),
        n=16384,
        r=16,
        p=1,
        dklen=64,
        maxmem=64 * 1024 * 1024,
    )
    return key.hex()


def _fixture_accounts(better_auth):
    issuer = better_auth["issuer_a"]
    emails = {user["id"]: user["email"] for user in issuer["users"]}
    return [
        (emails[account["userId"]], account["password"], issuer["passwords"][emails[account["userId"]]])
        for account in issuer["accounts"]
    ]


def test_fixture_has_both_users(better_auth):
    assert {email for email, _, _ in _fixture_accounts(better_auth)} == {
        "ada@example.com",
        "grace@example.com",
    }


def test_better_auth_hashes_verify_with_their_passwords(better_auth):
    for _email, stored, password in _fixture_accounts(better_auth):
        assert verify_password(stored, password) is True


def test_better_auth_hashes_reject_wrong_passwords(better_auth):
    accounts = _fixture_accounts(better_auth)
    for _email, stored, password in accounts:
        assert verify_password(stored, password + "x") is False
        assert verify_password(stored, password.upper()) is False
        assert verify_password(stored, "") is False
        assert verify_password(stored, f" {password}") is False
    # One user's password does not open the other's hash.
    (_, ada_hash, ada_pw), (_, grace_hash, grace_pw) = accounts
    assert verify_password(ada_hash, grace_pw) is False
    assert verify_password(grace_hash, ada_pw) is False


def test_independent_better_auth_algorithm_reproduces_fixture_hashes(better_auth):
    # Guards the reference implementation used below against the real server's output.
    for _email, stored, password in _fixture_accounts(better_auth):
        salt_hex, key_hex = stored.split(":")
        assert better_auth_scrypt(password, salt_hex) == key_hex


def test_hash_password_has_better_auth_shape_and_verifies():
    stored = hash_password("s3cret-passphrase")
    assert BETTER_AUTH_SHAPE.match(stored), stored
    assert verify_password(stored, "s3cret-passphrase") is True
    assert verify_password(stored, "s3cret-passphrasE") is False


def test_hash_password_is_what_better_auth_would_compute():
    stored = hash_password("hopper-1906-cobol")
    salt_hex, key_hex = stored.split(":")
    assert better_auth_scrypt("hopper-1906-cobol", salt_hex) == key_hex


def test_hash_password_salts_every_hash():
    first, second = hash_password("same password"), hash_password("same password")
    assert first != second
    assert first.split(":")[0] != second.split(":")[0]
    assert verify_password(first, "same password") and verify_password(second, "same password")


def test_nfkc_normalization_matches_ligatures_and_compatibility_forms():
    # "ﬁ" (U+FB01) is NFKC-equal to "fi"; fullwidth digits to ASCII digits.
    stored = hash_password("ﬁle-cabinet-１２３")
    assert verify_password(stored, "file-cabinet-123") is True
    assert verify_password(stored, "ﬁle-cabinet-１２３") is True
    assert verify_password(hash_password("file-cabinet-123"), "ﬁle-cabinet-１２３") is True
    # Composed and decomposed accents are the same password.
    assert verify_password(hash_password("caf\u00e9-latte-9"), "cafe\u0301-latte-9") is True
    # Normalization is not case folding.
    assert verify_password(stored, "FILE-CABINET-123") is False


def test_non_ascii_passwords_round_trip():
    stored = hash_password("пароль-😀-密码")
    assert verify_password(stored, "пароль-😀-密码") is True
    assert verify_password(stored, "пароль-😀-密") is False


@pytest.mark.parametrize(
    "stored",
    ["", "no-colon", ":", "abcd:", ":abcd", "zz:zz", "4918fcf0696a734809f987f2ae97145f:not-hex", None],
)
def test_malformed_stored_hashes_are_rejected_not_crashing(stored):
    assert verify_password(stored, "anything") is False
