"""Streaming authenticated encryption for backup files.

A backup can be larger than memory, so it is sealed in chunks rather than
in one piece. Each chunk is AES-256-GCM under a key derived for this file
alone (HKDF from BACKUP_KEY and a random salt); its nonce is the chunk's
number plus a flag marking the last chunk, so a chunk cannot be moved,
dropped or repeated, and a file cut short is refused instead of restored
in part (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway and
Vizár). Every chunk also authenticates the header.

The header holds a short magic, the format version, the salt and a key
check (another HKDF output, which says nothing about the key), so a wrong
key is told apart from a damaged file before anything is read. Nothing
else in the file is readable: not the engine, not the file names.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
import secrets
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"PSBK"
VERSION = 1
SALT_BYTES = 16
CHECK_BYTES = 16
HEADER_BYTES = len(MAGIC) + 1 + SALT_BYTES + CHECK_BYTES
CHUNK_BYTES = 64 * 1024
TAG_BYTES = 16
KEY_BYTES = 32


class BackupError(Exception):
    """Refused: the message says why in words an administrator can act on."""


class WrongKey(BackupError):
    pass


class DamagedBackup(BackupError):
    pass


def new_key() -> str:
    """A fresh BACKUP_KEY: 32 random bytes, URL-safe base64 (44 characters)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def parse_key(text: str) -> bytes:
    if not text:
        raise BackupError(
            "BACKUP_KEY is not set. Make a key with `python manage.py backup --new-key`, keep it somewhere "
            "other than the backups, and give it to the app as BACKUP_KEY (or BACKUP_KEY_FILE)."
        )
    try:
        key = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise BackupError(
            "BACKUP_KEY is not a backup key: it must be the 44 characters `python manage.py backup --new-key` prints."
        )
    return key


def _derive(key: bytes, salt: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=purpose).derive(key)


def _nonce(counter: int, *, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


class EncryptingWriter:
    """A write-only file object: what is written reaches ``raw`` sealed.
    ``finish()`` seals the last chunk; without it the file is unreadable."""

    def __init__(self, raw: BinaryIO, key: bytes) -> None:
        salt = os.urandom(SALT_BYTES)
        self._header = MAGIC + bytes([VERSION]) + salt + _derive(key, salt, b"key check")[:CHECK_BYTES]
        self._aead = AESGCM(_derive(key, salt, b"backup data"))
        self._raw = raw
        self._buffer = bytearray()
        self._counter = 0
        raw.write(self._header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        # Strictly more than a chunk: the last chunk is only known at finish().
        while len(self._buffer) > CHUNK_BYTES:
            self._seal(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def finish(self) -> None:
        self._seal(bytes(self._buffer), last=True)
        self._buffer.clear()

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        self._raw.write(self._aead.encrypt(_nonce(self._counter, last=last), chunk, self._header))
        self._counter += 1


class DecryptingReader:
    """A read-only file object over a sealed file. Only chunks that passed
    authentication are ever returned; a wrong key is refused on opening."""

    def __init__(self, raw: BinaryIO, key: bytes) -> None:
        header = raw.read(HEADER_BYTES)
        if len(header) < HEADER_BYTES or not header.startswith(MAGIC):
            raise DamagedBackup("This file is not a backup made by this application (or its start is damaged).")
        if header[len(MAGIC)] != VERSION:
            raise BackupError("This backup was made by a newer version of the application: upgrade, then restore.")
        salt = header[len(MAGIC) + 1 : len(MAGIC) + 1 + SALT_BYTES]
        if not hmac.compare_digest(header[-CHECK_BYTES:], _derive(key, salt, b"key check")[:CHECK_BYTES]):
            raise WrongKey("BACKUP_KEY is not the key this backup was made with: nothing was restored.")
        self._header = header
        self._aead = AESGCM(_derive(key, salt, b"backup data"))
        self._raw = raw
        self._pending = raw.read(CHUNK_BYTES + TAG_BYTES)
        self._plain = bytearray()
        self._counter = 0
        self._finished = False

    def read(self, size: int = -1) -> bytes:
        while not self._finished and (size < 0 or len(self._plain) < size):
            self._open_next_chunk()
        if size < 0:
            size = len(self._plain)
        data = bytes(self._plain[:size])
        del self._plain[:size]
        return data

    def read_to_end(self) -> None:
        """Authenticates what is left, up to the last chunk: a file cut short
        or altered after the part already read is refused here."""
        while not self._finished:
            self._open_next_chunk()
            self._plain.clear()

    def _open_next_chunk(self) -> None:
        sealed = self._pending
        self._pending = self._raw.read(CHUNK_BYTES + TAG_BYTES)
        last = not self._pending
        try:
            self._plain += self._aead.decrypt(_nonce(self._counter, last=last), sealed, self._header)
        except InvalidTag:
            raise DamagedBackup("This backup has been altered or is incomplete: nothing was restored.") from None
        self._counter += 1
        self._finished = last
