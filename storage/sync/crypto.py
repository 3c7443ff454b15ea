"""The cryptographic primitives of the sync bundle, from ``cryptography`` only.

- Signing: Ed25519 (the sending station signs the bundle's manifest).
- Encryption to a recipient: an ephemeral X25519 key agreement, HKDF-SHA256 and
  ChaCha20-Poly1305 (the payload can only be read with the recipient's private key).
- Passphrase protection: scrypt and ChaCha20-Poly1305 (the county's private key at rest and the
  liaison starter file).
- Fingerprints: digits in groups of five, easy to read aloud over the phone.

Nothing here knows about registers or files; errors surface as :class:`CryptoError`.
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SIGNATURE_SIZE = 64
KEY_SIZE = 32
NONCE_SIZE = 12
SEAL_OVERHEAD = KEY_SIZE + NONCE_SIZE + 16

ALGORITHMS = {
    "signature": "Ed25519",
    "encryption": "X25519-HKDF-SHA256-ChaCha20Poly1305",
    "compression": "zstd",
    "hash": "SHA-256",
    "serialisation": "JSON (UTF-8); audit entries as chain lines",
}

# scrypt cost: 2**15 * 8 * 128 bytes = 32 MiB and about 0.1 s per try on an office PC.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1

_SEAL_INFO = b"petitiondesk/seal/v1"
_RAW = serialization.Encoding.Raw
_RAW_PUB = serialization.PublicFormat.Raw
_RAW_PRIV = serialization.PrivateFormat.Raw


class CryptoError(Exception):
    """A key, signature or ciphertext did not check out (the caller words the message)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str, size: int | None = None) -> bytes:
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise CryptoError("bad base64") from exc
    if size is not None and len(data) != size:
        raise CryptoError("bad key size")
    return data


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ----- signing ---------------------------------------------------------------------------------
def new_signing_key() -> tuple[bytes, bytes]:
    """(private, public) raw Ed25519 key bytes."""
    key = Ed25519PrivateKey.generate()
    return (key.private_bytes(_RAW, _RAW_PRIV, serialization.NoEncryption()),
            key.public_key().public_bytes(_RAW, _RAW_PUB))


def sign(private: bytes, message: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).sign(message)


def verify(public: bytes, signature: bytes, message: bytes) -> None:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError) as exc:
        raise CryptoError("signature does not verify") from exc


def signing_public(private: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes(_RAW, _RAW_PUB)


# ----- encryption to a recipient ---------------------------------------------------------------
def new_box_key() -> tuple[bytes, bytes]:
    """(private, public) raw X25519 key bytes."""
    key = X25519PrivateKey.generate()
    return (key.private_bytes(_RAW, _RAW_PRIV, serialization.NoEncryption()),
            key.public_key().public_bytes(_RAW, _RAW_PUB))


def box_public(private: bytes) -> bytes:
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(_RAW, _RAW_PUB)


def _seal_key(shared: bytes, ephemeral_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=ephemeral_pub + recipient_pub,
                info=_SEAL_INFO).derive(shared)


def seal(plaintext: bytes, recipient_pub: bytes, aad: bytes) -> bytes:
    """Encrypt to ``recipient_pub``: ephemeral public key || nonce || ciphertext+tag."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_pub = ephemeral.public_key().public_bytes(_RAW, _RAW_PUB)
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient_pub))
    key = _seal_key(shared, ephemeral_pub, recipient_pub)
    nonce = os.urandom(NONCE_SIZE)
    return ephemeral_pub + nonce + ChaCha20Poly1305(key).encrypt(nonce, plaintext, aad)


def unseal(blob: bytes, recipient_private: bytes, aad: bytes) -> bytes:
    if len(blob) < SEAL_OVERHEAD:
        raise CryptoError("ciphertext too short")
    ephemeral_pub, nonce, body = blob[:KEY_SIZE], blob[KEY_SIZE:KEY_SIZE + NONCE_SIZE], \
        blob[KEY_SIZE + NONCE_SIZE:]
    private = X25519PrivateKey.from_private_bytes(recipient_private)
    recipient_pub = private.public_key().public_bytes(_RAW, _RAW_PUB)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral_pub))
        key = _seal_key(shared, ephemeral_pub, recipient_pub)
        return ChaCha20Poly1305(key).decrypt(nonce, body, aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("cannot decrypt") from exc


# ----- passphrase protection -------------------------------------------------------------------
def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=KEY_SIZE, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def protect(secret: bytes, passphrase: str, aad: bytes) -> dict[str, Any]:
    """Encrypt ``secret`` under a key derived from ``passphrase`` (a JSON-ready dict)."""
    salt, nonce = os.urandom(16), os.urandom(NONCE_SIZE)
    key = _scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return {"kdf": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": b64(salt),
            "aead": "ChaCha20Poly1305", "nonce": b64(nonce),
            "ciphertext": b64(ChaCha20Poly1305(key).encrypt(nonce, secret, aad))}


def unprotect(box: dict[str, Any], passphrase: str, aad: bytes) -> bytes:
    """Reverse :func:`protect`; a wrong passphrase or a damaged box raises CryptoError."""
    try:
        if box["kdf"] != "scrypt" or box["aead"] != "ChaCha20Poly1305":
            raise CryptoError("unknown protection")
        n, r, p = int(box["n"]), int(box["r"]), int(box["p"])
        if not (2**10 <= n <= 2**20 and 1 <= r <= 32 and 1 <= p <= 16):
            raise CryptoError("scrypt parameters out of range")
        key = _scrypt(passphrase, unb64(box["salt"]), n, r, p)
        return ChaCha20Poly1305(key).decrypt(unb64(box["nonce"], NONCE_SIZE),
                                             unb64(box["ciphertext"]), aad)
    except (KeyError, TypeError, ValueError, InvalidTag) as exc:
        raise CryptoError("wrong passphrase or damaged box") from exc


# ----- fingerprints ----------------------------------------------------------------------------
FINGERPRINT_GROUPS = 6


def fingerprint(material: bytes) -> str:
    """Six groups of five digits (about 100 bits), e.g. ``04719 88213 …``, to read by phone."""
    digest = hashlib.sha512(b"petitiondesk/fingerprint/v1\x00" + material).digest()
    groups = [int.from_bytes(digest[i * 5:(i + 1) * 5], "big") % 100000
              for i in range(FINGERPRINT_GROUPS)]
    return " ".join(f"{g:05d}" for g in groups)
