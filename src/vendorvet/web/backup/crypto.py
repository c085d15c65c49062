"""Passphrase encryption of backup archives: scrypt key derivation and AES-256-GCM in authenticated chunks.

Layout: ``MAGIC | salt (16) | log2 N, r, p (3 bytes) | nonce prefix (7)`` — the header, which every chunk
authenticates as associated data — then chunks of ``length (4 bytes, big-endian) | ciphertext+tag``. A chunk's
nonce is ``prefix | chunk number (4) | last-chunk flag (1)``, so reordered, dropped or appended chunks and a
truncated file are detected (the STREAM construction), and a wrong passphrase fails at the first chunk.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"VENDORVET-BACKUP-AESGCM-1\n"
CHUNK = 1024 * 1024
TAG = 16
SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
MIN_PASSPHRASE = 12


class DecryptionError(ValueError):
    """Wrong passphrase, or the encrypted archive was truncated or altered."""


def _key(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> bytes:
    if not 10 <= log_n <= 22 or not 1 <= r <= 32 or not 1 <= p <= 16:
        raise DecryptionError("the archive's key-derivation parameters are out of range")
    return Scrypt(salt=salt, length=32, n=2 ** log_n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, 1 if last else 0)


def is_encrypted(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def encrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    salt, prefix = os.urandom(16), os.urandom(7)
    header = MAGIC + salt + bytes([SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P]) + prefix
    aead = AESGCM(_key(passphrase, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P))
    target.write(header)
    number = 0
    block = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        sealed = aead.encrypt(_nonce(prefix, number, last), block, header)
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        block, number = following, number + 1


def decrypt(source: BinaryIO, target: BinaryIO, passphrase: str) -> None:
    header = source.read(len(MAGIC) + 16 + 3 + 7)
    if len(header) != len(MAGIC) + 26 or not header.startswith(MAGIC):
        raise DecryptionError("not an encrypted vendorvet backup (the header is missing or cut short)")
    salt = header[len(MAGIC):len(MAGIC) + 16]
    log_n, r, p = header[len(MAGIC) + 16:len(MAGIC) + 19]
    prefix = header[len(MAGIC) + 19:]
    aead = AESGCM(_key(passphrase, salt, log_n, r, p))
    number = 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) < 4:
            raise DecryptionError("the archive is truncated (its last part is missing)")
        (size,) = struct.unpack(">I", size_bytes)
        if not TAG <= size <= CHUNK + TAG:
            raise DecryptionError("the archive is damaged (a part has an impossible length)")
        sealed = source.read(size)
        if len(sealed) < size:
            raise DecryptionError("the archive is truncated (a part is cut short)")
        plain = None
        for last in (False, True):
            try:
                plain = aead.decrypt(_nonce(prefix, number, last), sealed, header)
            except InvalidTag:
                continue
            break
        if plain is None:
            if number == 0:
                raise DecryptionError("wrong passphrase, or the archive was altered")
            raise DecryptionError(f"the archive was altered (part {number + 1} does not authenticate)")
        target.write(plain)
        if last:
            if source.read(1):
                raise DecryptionError("the archive was altered (data follows its last part)")
            return
        number += 1
