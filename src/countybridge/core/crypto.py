"""Encryption at rest and keyed hashes for identifiers; keys come from the environment (settings)."""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    if not key:
        raise ImproperlyConfigured("COUNTYBRIDGE_ID_KEY is not set (make demo generates a development key)")
    return Fernet(key.encode())


def encrypt(text: str) -> str:
    return _fernet(settings.ID_ENCRYPTION_KEY).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.ID_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: never return garbage
        raise ImproperlyConfigured("identifier cannot be decrypted with the configured key") from exc


def keyed_hash(text: str, purpose: str = "id") -> str:
    """HMAC-SHA256 for exact lookup and de-identified extracts; without the key it cannot be reversed."""
    key = settings.ID_HASH_KEY
    if not key:
        raise ImproperlyConfigured("COUNTYBRIDGE_HASH_KEY is not set")
    return hmac.new(key.encode(), f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()
