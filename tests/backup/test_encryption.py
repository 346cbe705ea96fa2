"""The backup file's encryption, without a database: what goes in comes
out, and a wrong key, an altered byte, a missing or moved chunk are refused
before any of it is handed on."""

from __future__ import annotations

import io
import os

import pytest

from operations.core.backups.encryption import (
    CHUNK_BYTES,
    HEADER_BYTES,
    TAG_BYTES,
    BackupError,
    DamagedBackup,
    DecryptingReader,
    EncryptingWriter,
    WrongKey,
    new_key,
    parse_key,
)

KEY = parse_key(new_key())
SEALED_CHUNK = CHUNK_BYTES + TAG_BYTES


def seal(data: bytes, key: bytes = KEY, *, pieces: int = 7) -> bytes:
    raw = io.BytesIO()
    writer = EncryptingWriter(raw, key)
    step = max(1, len(data) // pieces)
    for start in range(0, len(data), step):
        writer.write(data[start : start + step])
    writer.finish()
    return raw.getvalue()


def open_all(sealed: bytes, key: bytes = KEY, *, read_size: int = 10240) -> bytes:
    reader = DecryptingReader(io.BytesIO(sealed), key)
    out = bytearray()
    while chunk := reader.read(read_size):
        out += chunk
    reader.read_to_end()
    return bytes(out)


@pytest.mark.parametrize("size", [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 5])
def test_what_is_sealed_opens_the_same_whatever_its_size(size):
    data = os.urandom(size)
    assert open_all(seal(data)) == data
    assert open_all(seal(data), read_size=-1) == data


def test_the_file_says_nothing_readable_about_its_contents():
    data = b"Yasmin Turnbull, referrals_parent, database.pgdump\n" * 5000
    sealed = seal(data)
    assert b"Yasmin" not in sealed
    assert b"referrals" not in sealed
    assert b"pgdump" not in sealed
    # The same data sealed twice looks different: each file has its own salt.
    assert seal(data)[HEADER_BYTES:] != sealed[HEADER_BYTES:]


def test_a_wrong_key_is_refused_on_opening():
    sealed = seal(b"private")
    with pytest.raises(WrongKey, match="not the key this backup was made with"):
        DecryptingReader(io.BytesIO(sealed), parse_key(new_key()))


def test_one_altered_byte_anywhere_is_refused():
    sealed = bytearray(seal(os.urandom(3 * CHUNK_BYTES)))
    sealed[HEADER_BYTES + SEALED_CHUNK + 100] ^= 0x01
    with pytest.raises(DamagedBackup, match="altered or is incomplete"):
        open_all(bytes(sealed))


def test_an_altered_header_is_refused():
    sealed = bytearray(seal(b"private"))
    sealed[6] ^= 0x01  # in the salt
    with pytest.raises(BackupError):
        open_all(bytes(sealed))


def test_a_file_cut_short_at_a_chunk_boundary_is_refused():
    sealed = seal(os.urandom(3 * CHUNK_BYTES))
    with pytest.raises(DamagedBackup):
        open_all(sealed[: HEADER_BYTES + 2 * SEALED_CHUNK])


def test_chunks_swapped_are_refused():
    sealed = seal(os.urandom(3 * CHUNK_BYTES))
    first = sealed[HEADER_BYTES : HEADER_BYTES + SEALED_CHUNK]
    second = sealed[HEADER_BYTES + SEALED_CHUNK : HEADER_BYTES + 2 * SEALED_CHUNK]
    swapped = sealed[:HEADER_BYTES] + second + first + sealed[HEADER_BYTES + 2 * SEALED_CHUNK :]
    with pytest.raises(DamagedBackup):
        open_all(swapped)


def test_a_file_that_is_not_a_backup_is_refused():
    with pytest.raises(DamagedBackup, match="not a backup"):
        DecryptingReader(io.BytesIO(b"PK\x03\x04 a zip file, say" * 10), KEY)


@pytest.mark.parametrize("value", ["", "too-short", "!" * 44, new_key()[:-4]])
def test_a_missing_or_malformed_key_is_refused_in_words(value):
    with pytest.raises(BackupError, match="BACKUP_KEY"):
        parse_key(value)
