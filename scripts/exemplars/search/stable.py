"""Make Pagefind's bundle byte-for-byte reproducible, and keep the sort orders out of its metadata.

Pagefind 1.5.2 writes two kinds of file in hash-map order, so two builds of the same pages differ: each filter
file (`filter/<lang>_<hash>.pf_filter`: one filter's values and their pages) and the metadata file
(`pagefind.<lang>_<hash>.pf_meta`, which lists the filter files). Both are gzipped CBOR behind a "pagefind_dcd"
signature; the names carry a content hash that `pagefind-entry.json` and the metadata refer to. Here the values
and filters are put in sorted order, the files re-gzipped without a timestamp and renamed after their new content,
and the references updated. Pagefind's JavaScript only fetches files by those names (it checks no hash), and the
order of values does not change what a search returns.

The metadata is what every search downloads first, and Pagefind puts each sort order in it: for `date`, every
page's number in date order (22 KB of the 109 KB gzipped at 10,000 stories). Only a search without words (the
search page browsing by filters alone) sorts, so `stabilise` takes each order out and returns it, and
search/sharded.py merges every shard's order into one text file beside the shards, SORT_FILE, that search.js
fetches only when it browses: the page ids (the names Pagefind's results carry) in the order Pagefind's
`sort: {key: "desc"}` returns them, each cut to the shortest prefix no other id starts with (`sort_file`; 28 KB
gzipped at 10,000 pages, the whole ids would be 50 KB). Without a sort in the metadata Pagefind returns such a
search unsorted (the sort option is ignored), and search.js orders the results by that file.

If a file does not have the expected shape (a Pagefind upgrade), the bundle is left exactly as Pagefind wrote it.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from .framing import FramingError, pack, unpack

SORT_FILE = "exemplars-sort-{key}.txt"  # beside the shards: page ids, newest (highest) first; read by search.js
_SORT_KEY = re.compile(r"[a-z0-9_-]+")


class _Unexpected(ValueError):
    pass


# --- the CBOR subset Pagefind uses: unsigned ints, text, byte strings, arrays, maps, null/bools ---------------
def _decode(data: bytes, i: int = 0):
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        n = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        n = int.from_bytes(data[i : i + size], "big")
        i += size
    elif major == 7 and info in (20, 21, 22):
        return {20: False, 21: True, 22: None}[info], i
    else:
        raise _Unexpected(f"CBOR item {head:#x}")
    if major == 0:
        return n, i
    if major in (2, 3):
        raw = data[i : i + n]
        return (raw if major == 2 else raw.decode("utf-8")), i + n
    if major == 4:
        items = []
        for _ in range(n):
            item, i = _decode(data, i)
            items.append(item)
        return items, i
    if major == 5:
        mapping = {}
        for _ in range(n):
            key, i = _decode(data, i)
            mapping[key], i = _decode(data, i)
        return mapping, i
    if major == 7 and info == 22:
        return None, i
    raise _Unexpected(f"CBOR major type {major}")


def cbor_head(major: int, n: int) -> bytes:
    """The head of a CBOR item of major type `major` (0 an unsigned integer `n`, 4 an array of `n` items …), in
    its shortest form."""
    if n < 24:
        return bytes([major << 5 | n])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | info]) + n.to_bytes(size, "big")
    raise _Unexpected("integer too large")


def _encode(value) -> bytes:
    if value is None or isinstance(value, bool):
        return bytes([0xF6 if value is None else 0xF5 if value else 0xF4])
    if isinstance(value, int) and value >= 0:
        return cbor_head(0, value)
    if isinstance(value, bytes):
        return cbor_head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return cbor_head(3, len(raw)) + raw
    if isinstance(value, list):
        return cbor_head(4, len(value)) + b"".join(_encode(v) for v in value)
    if isinstance(value, dict):
        return cbor_head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value.items())
    raise _Unexpected(f"cannot encode {type(value).__name__}")


def _read(path: Path):
    data = unpack(path.read_bytes(), path.name)
    value, end = _decode(data)
    if end != len(data) or _encode(value) != data:
        raise _Unexpected(f"{path.name}: does not round-trip")  # we would not write what Pagefind wrote
    return value


def _gzip(value) -> bytes:
    return pack(_encode(value), 9)


def _content_name(language: str, payload: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(payload).hexdigest()[:length]}"


# --- the bundle -----------------------------------------------------------------------------------------------
def stabilise(bundle: Path) -> dict[str, list[str]]:
    """Rewrite `bundle` (one shard) into a canonical order, without sort orders in its metadata; returns each
    sort order as page ids, highest first (search/sharded.py merges them into SORT_FILE). A bundle of an
    unexpected shape is left untouched and {} returned."""
    bundle = Path(bundle)
    entry_path = bundle / "pagefind-entry.json"
    metas = sorted(bundle.glob("pagefind.*.pf_meta"))
    if not entry_path.is_file() or not metas:
        return {}
    try:
        plan = [_plan_language(bundle, meta) for meta in metas]
    except (_Unexpected, FramingError, OSError, EOFError, IndexError, TypeError, UnicodeDecodeError):
        return {}
    orders: dict[str, list[str]] = {}
    for *_, language_orders in plan:
        for key, ids in language_orders.items():
            orders.setdefault(key, []).extend(ids)
    entry = entry_path.read_text(encoding="utf-8")
    for writes, removals, old_meta, new_meta, _ in plan:
        for path, data in writes:
            path.write_bytes(data)
        written = {path for path, _ in writes}
        for path in removals:
            if path not in written:
                path.unlink()
        entry = entry.replace(f'"{old_meta}"', f'"{new_meta}"')
    entry_path.write_text(entry, encoding="utf-8")
    return orders


def sort_file(ids: list[str]) -> str:
    """A sort order as search.js reads it: the prefix every id shares on the first line, then per page, in order,
    the rest of the shortest prefix of its id that no other id starts with (search.js matches a result's id to
    the longest such prefix it begins with; an id that is a whole prefix of another, after a hash collision,
    still finds its own line that way). Identical pages share an id; the first place counts."""
    unique = sorted(set(ids))
    common = os.path.commonprefix(unique)[: min(map(len, unique), default=1) - 1]  # each id keeps a character

    def shared(a: str, b: str) -> int:
        return len(os.path.commonprefix((a, b)))

    short = {}
    for at, page_id in enumerate(unique):
        before = shared(page_id, unique[at - 1]) if at else 0
        after = shared(page_id, unique[at + 1]) if at + 1 < len(unique) else 0
        short[page_id] = page_id[len(common) : max(len(common) + 1, before + 1, after + 1)]
    return "".join(f"{line}\n" for line in [common, *(short[i] for i in ids)])


def _sort_orders(meta: list) -> dict[str, list[str]]:
    """Each sort order of one language's metadata as page ids, in the order `sort: {key: "desc"}` returns them
    (Pagefind scores a page by its place in the ascending list and puts the highest score first); the metadata
    keeps none. Raises _Unexpected on a strange shape."""
    if len(meta) < 5 or not meta[4]:
        return {}
    pages, sorts = meta[1], meta[4]
    if not (isinstance(pages, list) and all(isinstance(p, list) and p and isinstance(p[0], str) for p in pages)):
        raise _Unexpected("metadata pages")
    orders = {}
    for item in sorts:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str) and isinstance(item[1], list)):
            raise _Unexpected("metadata sorts")
        key, numbers = item
        if not _SORT_KEY.fullmatch(key) or not all(isinstance(n, int) and 0 <= n < len(pages) for n in numbers):
            raise _Unexpected(f"sort {key!r}")
        orders[key] = [pages[n][0] for n in reversed(numbers)]
    meta[4] = []
    return orders


def _plan_language(bundle: Path, meta_path: Path):
    """What to write and remove for one language's metadata and filters; raises _Unexpected on a strange shape."""
    match = re.fullmatch(r"pagefind\.(([a-zA-Z0-9-]+)_[0-9a-f]+)\.pf_meta", meta_path.name)
    if not match:
        raise _Unexpected(meta_path.name)
    old_meta, language = match.groups()
    meta = _read(meta_path)
    if not (isinstance(meta, list) and len(meta) > 3 and isinstance(meta[3], list)):
        raise _Unexpected("metadata layout")
    writes, removals, renamed = [], [], {}
    for name, old_hash in meta[3]:
        path = bundle / "filter" / f"{old_hash}.pf_filter"
        filter_name, values = _read(path)
        if filter_name != name or not all(isinstance(v, list) and len(v) == 2 for v in values):
            raise _Unexpected(f"filter {name}")
        canonical = [filter_name, sorted(values, key=lambda v: v[0])]
        data = _gzip(canonical)
        new_hash = _content_name(language, _encode(canonical), len(old_hash) - len(language) - 1)
        renamed[old_hash] = new_hash
        writes.append((bundle / "filter" / f"{new_hash}.pf_filter", data))
        if new_hash != old_hash:
            removals.append(path)
    meta[3] = sorted(([name, renamed[old]] for name, old in meta[3]), key=lambda f: f[0])
    orders = _sort_orders(meta)
    new_meta = _content_name(language, _encode(meta), len(old_meta) - len(language) - 1)
    writes.append((bundle / f"pagefind.{new_meta}.pf_meta", _gzip(meta)))
    if new_meta != old_meta:
        removals.append(meta_path)
    return writes, removals, old_meta, new_meta, orders
