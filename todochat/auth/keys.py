"""The embedded issuer's signing keys, kept in Better Auth's ``jwks`` table.

A key pair is generated the first time one is needed. The private half is stored
encrypted with AES-GCM under a key derived from TODOCHAT_SECRET with HKDF-SHA256, so a copy of the
database alone cannot mint tokens.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jwt.algorithms import OKPAlgorithm
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from todochat.db import lock_for_writing, session_scope
from todochat.models import Jwks

_PREFIX = "aesgcm-hkdf:"
# Keys stored before the key was derived with HKDF: still opened, and re-sealed on load.
_LEGACY_PREFIX = "aesgcm:"


class KeyDecryptionError(RuntimeError):
    """The stored private key does not open with this TODOCHAT_SECRET."""


def _aead(secret: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"todochat", info=b"jwks private key").derive(secret.encode())
    return AESGCM(key)


def _legacy_aead(secret: str) -> AESGCM:
    return AESGCM(hashlib.sha256(b"todochat-jwks:" + secret.encode()).digest())


def encrypt_private_key(plaintext: str, secret: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(secret).encrypt(nonce, plaintext.encode(), b"jwks")
    return _PREFIX + (nonce + sealed).hex()


def is_legacy(stored: str) -> bool:
    return stored.startswith(_LEGACY_PREFIX)


def decrypt_private_key(stored: str, secret: str) -> str:
    if stored.startswith(_PREFIX):
        aead, blob = _aead(secret), bytes.fromhex(stored[len(_PREFIX) :])
    elif stored.startswith(_LEGACY_PREFIX):
        aead, blob = _legacy_aead(secret), bytes.fromhex(stored[len(_LEGACY_PREFIX) :])
    else:
        raise KeyDecryptionError("Unknown private key format in the jwks table")
    try:
        return aead.decrypt(blob[:12], blob[12:], b"jwks").decode()
    except Exception as exc:  # cryptography raises InvalidTag
        raise KeyDecryptionError(
            "Cannot decrypt the signing key: TODOCHAT_SECRET differs from the one it was stored with"
        ) from exc


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_key: Ed25519PrivateKey
    public_jwk: dict


class KeyStore:
    """Signing and verification keys of this app, loaded from the database and cached."""

    def __init__(self, engine: Engine, secret: str):
        self.engine = engine
        self.secret = secret
        self._lock = threading.Lock()
        self._signing: SigningKey | None = None
        self._public: dict[str, dict] = {}

    def signing_key(self) -> SigningKey:
        with self._lock:
            if self._signing is None:
                self._signing = self._load_or_create()
            return self._signing

    def public_jwks(self) -> dict:
        """The JWKS document, in Better Auth's format."""
        self.signing_key()
        self._reload_public()
        return {"keys": list(self._public.values())}

    def cached_public_key(self, kid: str) -> dict | None:
        return self._public.get(kid)

    def public_key(self, kid: str) -> dict | None:
        # Another worker may have created a key since we last looked: read again on a miss.
        if kid not in self._public:
            self._reload_public()
        return self._public.get(kid)

    def _reload_public(self) -> None:
        with session_scope(self.engine) as session:
            rows = session.exec(select(Jwks).order_by(col(Jwks.created_at))).all()
            self._public = {row.id: _public_jwk(row) for row in rows}

    def _load_or_create(self) -> SigningKey:
        with session_scope(self.engine) as session:
            row = self._newest(session)
        if row is None:
            self._create_unless_another_did()
        with session_scope(self.engine) as session:
            row = self._newest(session)
            private_jwk = decrypt_private_key(row.private_key, self.secret)
            if is_legacy(row.private_key):
                row.private_key = encrypt_private_key(private_jwk, self.secret)
                session.add(row)
            private = OKPAlgorithm.from_jwk(private_jwk)
            return SigningKey(kid=row.id, private_key=private, public_jwk=_public_jwk(row))

    def _create_unless_another_did(self) -> None:
        # Processes started together (several workers, a second host) all find no key: the
        # first to lock makes one, the others wait and then find it. The lock comes first in
        # its own transaction: SQLite cannot turn an older read into a write.
        with session_scope(self.engine) as session:
            lock_for_writing(session, Jwks.__tablename__)
            if self._newest(session) is None:
                self._create(session)

    @staticmethod
    def _newest(session) -> Jwks | None:
        return session.exec(select(Jwks).where(Jwks.alg == "EdDSA").order_by(col(Jwks.created_at).desc())).first()

    def _create(self, session) -> None:
        private = Ed25519PrivateKey.generate()
        row = Jwks(
            public_key=OKPAlgorithm.to_jwk(private.public_key()),
            private_key=encrypt_private_key(OKPAlgorithm.to_jwk(private), self.secret),
            alg="EdDSA",
            crv="Ed25519",
        )
        session.add(row)


def _public_jwk(row: Jwks) -> dict:
    jwk = json.loads(row.public_key)
    return {
        "alg": row.alg or "EdDSA",
        "crv": jwk.get("crv", row.crv or "Ed25519"),
        "x": jwk["x"],
        "kty": jwk.get("kty", "OKP"),
        "kid": row.id,
    }
