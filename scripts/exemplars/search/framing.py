"""Pagefind's file framing, the one home: every index, fragment, filter and metadata file of a bundle is the
signature "pagefind_dcd" followed by the payload (CBOR or JSON), gzipped.

We write these files in three places (stable.py re-sorts filters and metadata, pairs.py restores fragments,
merge.py writes the merged index), always with zlib-ng: on the merged index chunks it deflates three times as
fast as zlib at the same level, and slightly smaller (10,000 stories: 71 MB of CBOR, level 6, 1.9 s and 26.0 MB
against zlib's 6.0 s and 26.4 MB). The gzip header carries no name and no time, so the same payload always gives
the same bytes; zlib-ng is pinned (constraints.txt), as its output, like zlib's, may change between versions.
Any gzip reader decompresses it: the browser's Pagefind does.
"""

from __future__ import annotations

from zlib_ng import zlib_ng

SIGNATURE = b"pagefind_dcd"
_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # gzip, deflate, no flags, no time, no extra flags, OS unknown
_GZIP = 31  # wbits: a gzip stream


class FramingError(ValueError):
    """Not a Pagefind file: not gzip, cut short, or no signature."""


def pack(payload: bytes, level: int) -> bytes:
    """The file holding `payload`, deflated at `level` (Pagefind writes 9; index chunks here use 6)."""
    raw = SIGNATURE + payload
    trailer = zlib_ng.crc32(raw).to_bytes(4, "little") + (len(raw) & 0xFFFFFFFF).to_bytes(4, "little")
    return _HEADER + zlib_ng.compress(raw, level, -15) + trailer


def unpack(data: bytes, name: str = "") -> bytes:
    """The payload of a Pagefind file's bytes (`name` for the message); FramingError if it is not one."""
    try:
        raw = zlib_ng.decompress(data, _GZIP)
    except zlib_ng.error as exc:
        raise FramingError(f"{name}: {exc}") from None
    if not raw.startswith(SIGNATURE):
        raise FramingError(f"{name}: 没有 Pagefind 文件标记")
    return raw[len(SIGNATURE) :]
