"""Pagefind's file framing (search/framing.py): what we write is plain gzip any reader takes, the same payload
always gives the same bytes, and what is not a Pagefind file is refused with a reason, never a traceback."""

from __future__ import annotations

import gzip

import pytest

from exemplars.search.framing import SIGNATURE, FramingError, pack, unpack

PAYLOAD = ("词" * 3000 + "Qabcdef " * 2000).encode("utf-8")


@pytest.mark.parametrize("level", [1, 6, 9])
def test_a_packed_file_is_gzip_with_the_signature_and_no_time_or_name(level):
    data = pack(PAYLOAD, level)
    assert gzip.decompress(data) == SIGNATURE + PAYLOAD  # the standard reader, as the browser's would
    assert data[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no flags, mtime 0, OS unknown
    assert pack(PAYLOAD, level) == data  # reproducible
    assert unpack(data) == PAYLOAD
    assert len(data) < len(PAYLOAD) // 10


def test_files_written_by_the_standard_library_are_read_too():
    assert unpack(gzip.compress(SIGNATURE + b"abc", mtime=0)) == b"abc"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not gzip at all",
        pack(PAYLOAD, 6)[:-40],  # cut short
        gzip.compress(b"pagefind_xyz" + PAYLOAD),  # another signature
    ],
)
def test_what_is_not_a_pagefind_file_is_refused(data):
    with pytest.raises(FramingError, match="x.pf_index"):
        unpack(data, "x.pf_index")
