"""The pair words (ngrams.py) indexed by us, not by Pagefind: what a shard's Pagefind process is spared.

Nine in ten of a record's words are pair words (`Q` + two character codes), each a token of its own with a plain
ASCII spelling, so there is nothing for Pagefind to decide about them — yet they were nearly all of its work: a
posting per (page, word) and every index chunk gzipped at level 9 (no option in 1.5.2), ~45 s of CPU for 10,000
stories, and the merge then decoded those chunks again (~14 s). So a record goes to Pagefind with each pair word
replaced by PLACEHOLDER, a token that gives no word but still takes its place in the page's word positions
(`SearchRecord.split_html` with `spell_apart`, or `split_pairs` for a whole record); Pagefind indexes everything
else (Latin words, digits, the metadata words, filters, sort keys) and writes the page's fragment, whose `content`
is the page's tokens joined by single spaces. Then, for each shard, `complete_bundle` (run beside the build in a
worker process that stays for the next shard: `complete_beside`) puts the pair words back into the fragments' content
at the placeholders' places, and writes their postings, already CBOR-encoded as Pagefind would write them
(search/postings.py), into PAIRS_FILE in the shard's bundle; search/merge.py joins them with Pagefind's own words
(a shard's bundle is only complete once merged, even alone).

A word's posting in Pagefind 1.5.2 (pagefind/src/index): [page, locations, meta locations], locations by weight
then position, each weight change written -(weight × 24 + 1) followed by the absolute position, other positions
as the difference from the one before; a body word's weight is 1 (24), the title's 7 (168). Pair words are never
in the metadata (its values are the raw text), so their meta locations are empty. tests/test_search_pairs.py
indexes the same records both ways — all words by Pagefind, and split — and requires the same words, pages,
locations and fragment text.

Any token we leave in the record (one not exactly a pair word between white space, e.g. `Qabcdef，` typed by an
editor) is Pagefind's to index as before; if it gives the same word as a pair word of ours, the merge joins the
two postings page by page.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from pathlib import Path
from typing import NamedTuple

import cbor2

from . import worker
from .framing import FramingError, pack, unpack
from .ngrams import CJK_RUN, END, pair_codes

PAIRS_FILE = "exemplars-pairs.cbor"  # in a shard's bundle (never in the site's): the pair words' postings
PLACEHOLDER = "\ufdd0"  # a Unicode noncharacter: never in text, no word for Pagefind, but a token all the same

# Rust's char::is_whitespace (Unicode White_Space), what Pagefind splits text at; Python's \s also has U+001C-1F
_WHITE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_CODE = "[0-9a-l][0-9a-z]{2}|[m-o][0-9a-z]{3}"
_PAIR_TOKEN = re.compile(rf"(?<![^{_WHITE}])Q(?:{_CODE})(?:{_CODE}|{END})(?![^{_WHITE}])")
_PAIR_SPLIT = re.compile(f"({_PAIR_TOKEN.pattern})")
_TITLE_END = "</h1>"
_BODY_END = "</main>"


class PairsError(RuntimeError):
    pass


class Split(NamedTuple):
    """A record as Pagefind is given it: its HTML with the pair words replaced by PLACEHOLDER (but the first), and
    the pair words of its title and of the rest, space-separated in text order."""

    html: str
    title: str
    rest: str


def spell_apart(text: str, words: list[str]) -> str:
    """ngrams.index_text with each pair word replaced by PLACEHOLDER and appended to `words` instead (what
    split_pairs makes of index_text's output, without writing the words only to find them again). A noncharacter
    already in the text is dropped, after it has cut the Chinese run it stood in, as split_pairs drops it."""
    if PLACEHOLDER in text:
        return "".join(spell_apart(part, words) for part in text.split(PLACEHOLDER))

    def spell(match: re.Match) -> str:
        pairs = pair_codes(match.group(0))
        words.extend("Q" + pair for pair in pairs)
        return _SPELLED * len(pairs)

    return CJK_RUN.sub(spell, text)


_SPELLED = f" {PLACEHOLDER} "  # as index_text spells a pair word: " Q<pair> "


def keep_first(spelled: str, words: list[str]) -> str:
    """Put the first of `words` back at the first placeholder of `spelled` (and out of `words`): Pagefind drops a
    page with no word in its text, so each page keeps one pair word for it (as split_pairs keeps it)."""
    return spelled.replace(PLACEHOLDER, words.pop(0), 1)


def split_pairs(html: str) -> Split:
    """A record's HTML (records.SearchRecord.html) → (the HTML Pagefind is given, the title's pair words, the
    rest's pair words), each word list space-separated in text order. Only the indexed body (up to </main>) is
    touched; a noncharacter already there is dropped so that every placeholder is one of ours. The page's first
    pair word is left in: Pagefind drops a page without a word in its text (a method page is all Chinese)."""
    end = html.find(_BODY_END)
    title_end = html.find(_TITLE_END, 0, end)
    if end < 0 or title_end < 0:  # not our record's shape: Pagefind indexes it all, as before
        return Split(html, "", "")
    title, rest = html[:title_end], html[title_end:end]
    if PLACEHOLDER in title or PLACEHOLDER in rest:
        title, rest = title.replace(PLACEHOLDER, ""), rest.replace(PLACEHOLDER, "")
    # Pagefind leaves out a page with no word in its text, so the first pair word stays in, for Pagefind to index
    first = _PAIR_TOKEN.search(title)
    if first is not None:
        title, kept = title[first.end() :], title[: first.end()]
    else:
        first = _PAIR_TOKEN.search(rest)
        if first is None:
            return Split(title + rest + html[end:], "", "")
        rest, kept, title = rest[first.end() :], title + rest[: first.end()], ""
    title_parts, rest_parts = _PAIR_SPLIT.split(title), _PAIR_SPLIT.split(rest)  # text, word, text, … text
    stripped = kept + PLACEHOLDER.join(title_parts[::2]) + PLACEHOLDER.join(rest_parts[::2]) + html[end:]
    return Split(stripped, " ".join(title_parts[1::2]), " ".join(rest_parts[1::2]))


# --- after Pagefind wrote the shard -----------------------------------------------------------------------------
def complete_bundle(bundle: Path, pages: dict[str, tuple[str, str]]) -> None:
    """Put the pair words of `pages` (url as Pagefind has it → split_pairs' title and rest words) back into the
    fragments of the Pagefind bundle `bundle` (renamed after their new content) and write their postings to
    PAIRS_FILE. Raises PairsError if a page's placeholders and words do not line up."""
    bundle = Path(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    ((_, info),) = entry["languages"].items()
    meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
    meta = _load(meta_path)
    from .postings import PairPostings  # numpy: only the worker processes completing shards import it

    postings = PairPostings()
    taken: set[str] = set()
    for number, page in enumerate(meta[1]):
        old = bundle / "fragment" / f"{page[0]}.pf_fragment"
        fragment = json.loads(_ungzip(old).decode("utf-8"))
        title_words, rest_words = pages.get(fragment.get("url"), ("", ""))
        content = fragment["content"]
        tokens = content.split(" ")
        # the placeholders' token positions and the text with the words in their places, counted and joined in C
        places = list(itertools.compress(itertools.count(), map(PLACEHOLDER.__eq__, tokens)))
        titled = title_words.split()
        words = titled + rest_words.split()
        if len(places) != len(words):
            raise PairsError(
                f"{fragment.get('url')}: Pagefind 的正文有 {len(places)} 个占位词，记录有 {len(words)} 个双字词"
            )
        parts = content.split(PLACEHOLDER)
        if len(parts) == len(words) + 1:  # every placeholder a token of its own, as split_pairs writes them
            fragment["content"] = "".join(itertools.chain.from_iterable(zip(parts, words))) + parts[-1]
        else:  # one inside a longer token is text, as Pagefind took it
            for at, word in zip(places, words):
                tokens[at] = word
            fragment["content"] = " ".join(tokens)
        # the table indexes them lower-cased, as Pagefind indexes every word (the text keeps the capital)
        postings.add_page(number, places, words, len(titled))
        payload = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        name = _fragment_name(payload, taken)
        if name != page[0]:
            # Rewritten in place and renamed, not written anew and the old file removed: ext4 without a journal
            # (this VM's disk) steps over every inode deleted in the last minute each time it allocates one, so
            # deletions make every file created after them dearer (a 1,000-story build just after removing the
            # last build's site and cache: 8 s of system time instead of 1.2 s).
            old.write_bytes(pack(payload, 9))
            old.rename(bundle / "fragment" / f"{name}.pf_fragment")
            page[0] = name
    meta_path.write_bytes(pack(cbor2.dumps(meta), 9))  # stable.stabilise renames it after its content
    # CBOR, not pickle: a cache may come from another machine
    (bundle / PAIRS_FILE).write_bytes(cbor2.dumps(postings.table()))


def read_postings(path: Path) -> list[list]:
    """PAIRS_FILE's table (an empty list when the bundle has none: every word was Pagefind's); PairsError if the
    file is damaged."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return []
    try:
        table = cbor2.loads(data)
    except (cbor2.CBORDecodeError, ValueError, EOFError) as exc:
        raise PairsError(f"{Path(path).name} 读不出来：{exc}") from exc
    if not (isinstance(table, list) and all(isinstance(row, list) and len(row) == 5 for row in table)):
        raise PairsError(f"{Path(path).name} 的格式不认识")
    return table


def _fragment_name(payload: bytes, taken: set[str]) -> str:
    """A page's id (its fragment's name): the first 6 hex digits of the content's hash, more on a clash in the shard
    (the merge renames a clash between shards). Pagefind's own ids carry the language and a seventh digit; the
    metadata every search downloads lists every page's id, and those cost 21 KB of it (gzipped) at 20,000 pages."""
    digest = hashlib.sha256(payload).hexdigest()
    length = 6
    while digest[:length] in taken:
        length += 1
    taken.add(digest[:length])
    return digest[:length]


def _ungzip(path: Path) -> bytes:
    try:
        return unpack(path.read_bytes(), path.name)
    except FramingError as exc:
        raise PairsError(str(exc)) from None


def _load(path: Path):
    return cbor2.loads(_ungzip(path))


def complete_beside(bundle: Path, pages: dict[str, tuple[str, str]]) -> None:
    """complete_bundle in a worker process (search/worker.py), so that it runs on the other core while the build
    renders."""
    try:
        worker.run("search.pairs", "complete_bundle", Path(bundle), pages)
    except worker.WorkerRefused as exc:
        raise PairsError(f"{exc.kind}: {exc}") from None
    except worker.WorkerFailed as exc:
        raise PairsError(f"补全双字词的{exc}") from None
