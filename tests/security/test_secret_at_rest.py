"""Issue 9, finding 11: the secret that encrypts the signing key, and the key derived from it.

``instance/secret`` was written world-readable and chmod'ed after; an empty or
one-character TODOCHAT_SECRET was accepted; the AES key was one SHA-256 of it.
"""

from __future__ import annotations

import json
import os
import stat

import pytest
from pydantic import ValidationError
from sqlmodel import Session, select

import todochat.settings as settings_module
from todochat.auth.keys import decrypt_private_key, encrypt_private_key
from todochat.models import Jwks
from todochat.settings import Settings


def test_the_generated_secret_is_never_readable_by_others(tmp_path, monkeypatch):
    monkeypatch.setattr(settings_module, "INSTANCE_DIR", tmp_path / "instance")
    # Created 0600 from the first byte: no later chmod is relied on, whatever the umask.
    monkeypatch.setattr(type(tmp_path), "chmod", lambda self, mode: None)
    old_umask = os.umask(0)
    try:
        secret = Settings(TODOCHAT_SECRET=None).secret
    finally:
        os.umask(old_umask)
    mode = stat.S_IMODE((tmp_path / "instance" / "secret").stat().st_mode)
    assert mode == 0o600 and len(secret) >= 32


@pytest.mark.parametrize("secret", ["", "x", "short-secret", " " * 20])
def test_a_short_secret_is_refused_with_a_clear_message(secret):
    with pytest.raises(ValidationError, match="TODOCHAT_SECRET must be at least 16 characters"):
        Settings(TODOCHAT_SECRET=secret)


def test_the_key_is_derived_with_hkdf_and_old_keys_still_open(engine, make_settings):
    secret = "a-secret-of-sixteen-chars"
    sealed = encrypt_private_key('{"d": "private"}', secret)
    assert sealed.startswith("aesgcm-hkdf:")
    assert json.loads(decrypt_private_key(sealed, secret)) == {"d": "private"}

    # A key sealed the old way (SHA-256 of the secret) still opens, and is re-sealed on load.
    import hashlib

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from todochat.auth.accounts import Auth

    nonce = os.urandom(12)
    legacy_key = AESGCM(hashlib.sha256(b"todochat-jwks:" + secret.encode()).digest())
    settings = make_settings(TODOCHAT_SECRET=secret)
    auth = Auth(engine, settings)
    auth.keys.signing_key()  # creates the key
    with Session(engine) as session:
        row = session.exec(select(Jwks)).one()
        plain = decrypt_private_key(row.private_key, secret)
        row.private_key = "aesgcm:" + (nonce + legacy_key.encrypt(nonce, plain.encode(), b"jwks")).hex()
        session.add(row)
        session.commit()
    Auth(engine, settings).keys.signing_key()
    with Session(engine) as session:
        row = session.exec(select(Jwks)).one()
    assert row.private_key.startswith("aesgcm-hkdf:") and decrypt_private_key(row.private_key, secret) == plain
