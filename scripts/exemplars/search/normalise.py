"""One normalisation for what is indexed and what readers type, shared with the browser.

Three layers, from the text that is stored to what is compared:

- `fold` (stored and indexed): traditional characters to simplified with OpenCC's character table (t2s, pinned
  `opencc` 1.4.2: 調解 → 调解, 鄰里糾紛 → 邻里纠纷; it maps a few characters together, e.g. 乾/干, 後/后), CJK
  compatibility ideographs to their unified forms, and full-width ASCII letters and digits to half-width
  (２０２３ → 2023, ＡＰＰ → APP). One code point always becomes one code point, so positions carry over;
  punctuation keeps its width (the page's ，。 stay what they are).
- `match_form` (compared): `fold`, lower case, and without white space or the hyphens inside Latin words, so
  `Wi-Fi`, `wifi` and `WiFi` are one thing, and so are `New York` and `newyork`.
- `latin_joins`: the joined spellings of hyphen- or space-separated Latin words, indexed beside the text so that
  Pagefind finds `wifi` in a page that says `Wi-Fi`.

The browser gets the same table and rules as a module generated from here at build time (`browser_module`), so
the two cannot drift; tests run both on the same strings.
"""

from __future__ import annotations

import functools
import re

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Where OpenCC's table is consulted: every CJK block (BMP unified + extension A, compatibility ideographs, and
# planes 2-3: extensions B-H and the compatibility supplement).
FOLD_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
FULL_WIDTH_ALNUM = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
WIDTH_OFFSET = 0xFEE0  # U+FF10 ０ - U+0030 0
HYPHEN = "-\u2010\u2011\uff0d"
_INNER_HYPHEN = re.compile(rf"(?<=[^\W_])[{HYPHEN}](?=[^\W_])")
_SPACE = re.compile(r"\s+")
_LATIN_RUN = re.compile(rf"[A-Za-z0-9]+(?:(?:[{HYPHEN}]| )[A-Za-z0-9]+)+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
MAX_JOINED_WORDS = 4  # "New York City Hall" → every 2-4 word join; longer names are rare in this library


@functools.lru_cache(maxsize=1)
def cjk_table() -> dict[str, str]:
    """Character → its folded form, for the CJK characters that change (about 5,100)."""
    import opencc  # only index builds and tests need it

    converter = opencc.OpenCC("t2s")
    chars = [chr(code) for start, end in FOLD_RANGES for code in range(start, end + 1)]
    # One character a line: OpenCC converts phrases, and a newline ends every phrase, so each line is converted as
    # the single character it is.
    converted = converter.convert("\n".join(chars)).split("\n")
    table = {c: t for c, t in zip(chars, converted) if t != c and len(t) == 1}
    for char in list(table):  # a few targets are themselves folded again: fold to the end, so fold is idempotent
        seen = {char}
        while table[char] in table and table[char] not in seen:
            seen.add(table[char])
            table[char] = table[table[char]]
    return table


@functools.lru_cache(maxsize=1)
def _translate() -> dict[int, str]:
    table = {ord(c): t for c, t in cjk_table().items()}
    for match in FULL_WIDTH_ALNUM.finditer("".join(chr(c) for c in range(0xFF10, 0xFF5B))):
        table[ord(match.group(0))] = chr(ord(match.group(0)) - WIDTH_OFFSET)
    return table


@functools.lru_cache(maxsize=1)
def _foldable() -> frozenset[str]:
    return frozenset(chr(c) for c in _translate())


def fold(text: str) -> str:
    """The stored and indexed form: simplified, unified, half-width letters and digits; same length."""
    # Most text is simplified already: a set check finds that faster than translating it
    return text if _foldable().isdisjoint(text) else text.translate(_translate())


def match_form(text: str) -> str:
    """The compared form: folded, lower case, no white space, no hyphens inside Latin words."""
    return _SPACE.sub("", _INNER_HYPHEN.sub("", fold(text).lower()))


_NOT_WORD = re.compile(r"[^\w]+|_+")


def query_forms(query: str) -> list[str]:
    """What a query asks for, each piece to be found with its characters together and in order: the query's
    space-separated parts in match form, cut again at punctuation (which is not indexed: `"调解员"` asks for 调解员,
    `调解，纠纷` for 调解 and 纠纷)."""
    return [piece for part in query.split() for piece in _NOT_WORD.split(match_form(part)) if piece]


def latin_joins(text: str) -> list[str]:
    """Joined spellings of hyphen- or space-separated Latin words, lower case: `Wi-Fi` → wifi, `New York City`
    → newyork, yorkcity, newyorkcity. Indexed beside the text; the text itself keeps its spelling."""
    return latin_joins_folded(fold(text))


def latin_joins_folded(folded: str) -> list[str]:
    """latin_joins of text already folded (the record folds once)."""
    joins: list[str] = []
    for run in _LATIN_RUN.findall(folded):
        words = [w.lower() for w in _LATIN_WORD.findall(run)]
        for size in range(2, min(MAX_JOINED_WORDS, len(words)) + 1):
            joins += ["".join(words[i : i + size]) for i in range(len(words) - size + 1)]
    return list(dict.fromkeys(joins))


def restore_map(original: str, folded: str | None = None) -> dict[str, list[int]]:
    """What the browser needs to show `original` again from its folded form: for each (folded, original) pair of
    characters, which occurrences of the folded character (0-based, counted in fold(original)) were written the
    original way. Counting occurrences rather than positions keeps it independent of how white space is stored.
    Empty for text that folding leaves alone: most simplified text."""
    folded = fold(original) if folded is None else folded
    if folded == original:  # one C-speed pass for the common case; the loop below is for the rest
        return {}
    seen: dict[str, int] = {}
    out: dict[str, list[int]] = {}
    targets = _FOLD_TARGETS()
    for was, now in zip(original, folded):
        if now == was:
            if now in targets:
                seen[now] = seen.get(now, 0) + 1
            continue
        out.setdefault(now + was, []).append(seen.get(now, 0))
        seen[now] = seen.get(now, 0) + 1
    return out


@functools.lru_cache(maxsize=1)
def _FOLD_TARGETS() -> frozenset[str]:  # noqa: N802 - a cached constant
    return frozenset(_translate().values())


def restore(folded: str, restoring: dict[str, list[int]]) -> str:
    """The inverse of restore_map (the browser's restore() is its twin)."""
    if not restoring:
        return folded
    wanted: dict[str, dict[int, str]] = {}
    for pair, occurrences in restoring.items():
        now, was = pair[0], pair[1:]
        for n in occurrences:
            wanted.setdefault(now, {})[n] = was
    seen: dict[str, int] = {}
    out = []
    for char in folded:
        if char in wanted:
            n = seen.get(char, 0)
            seen[char] = n + 1
            out.append(wanted[char].get(n, char))
        else:
            out.append(char)
    return "".join(out)


def _base36(n: int) -> str:
    digits = ""
    while True:
        digits = DIGITS[n % 36] + digits
        n //= 36
        if not n:
            return digits


def packed_table() -> str:
    """The CJK table as one compact string for the browser: entries in code point order, each the distance from
    the previous entry's code point in base 36 (left out when it is 1) followed by the folded character (always a
    CJK character, so never a digit). ~20 KB, ~15 KB gzipped."""
    parts, previous = [], 0
    for char in sorted(cjk_table(), key=ord):
        step = ord(char) - previous
        previous = ord(char)
        parts.append(("" if step == 1 else _base36(step)) + cjk_table()[char])
    return "".join(parts)


def foldable_packed() -> str:
    """Which CJK characters fold, for the browser's always-loaded module: the table's code points in order, each the
    distance from the previous one in base 36, comma-separated, a distance of 1 left empty. ~4 KB gzipped, so a
    query (or a page) with no such character never loads the full table."""
    parts, previous = [], 0
    for char in sorted(cjk_table(), key=ord):
        step = ord(char) - previous
        previous = ord(char)
        parts.append("" if step == 1 else _base36(step))
    return ",".join(parts)


def browser_table_module() -> str:
    """assets/javascripts/fold-table.js: the full character table, imported by fold.js only when some text to be
    folded holds a character that folds (most queries and pages are simplified already)."""
    return f"""// Generated at build time by scripts/exemplars/search/normalise.py (browser_table_module): do not edit.
// OpenCC t2s character table (opencc 1.4.2), packed as normalise.py packed_table describes.
export const PACKED = {_js_string(packed_table())};
"""


def browser_module() -> str:
    """assets/javascripts/fold.js: the same fold / matchForm / latinJoins / restore for the search page. It carries
    only which characters fold (`foldable_packed`); what they fold to is fold-table.js, loaded by `ready(texts)`
    when one of the texts needs it."""
    return f"""// Generated at build time by scripts/exemplars/search/normalise.py (browser_module): do not edit.
// OpenCC t2s character table (opencc 1.4.2) + width rule, the same as the index's. See normalise.py.
// Which CJK characters fold is here; what they fold to is in fold-table.js, imported only when needed (ready()).
const FOLDS = {_js_string(foldable_packed())};
const FOLDABLE = new Set();
(() => {{
  let code = 0;
  for (const step of FOLDS.split(",")) {{
    code += step ? parseInt(step, 36) : 1;
    FOLDABLE.add(code);
  }}
}})();
let TABLE = null;
let loading = null;

// Does folding change this CJK character (is it in OpenCC's table)?
export function folds(ch) {{
  return FOLDABLE.has(ch.codePointAt(0));
}}

// Does any of `texts` need the full table (holds a character that folds), and it is not loaded yet?
export function needsTable(texts) {{
  if (TABLE) return false;
  for (const text of texts) for (const ch of text || "") if (FOLDABLE.has(ch.codePointAt(0))) return true;
  return false;
}}

// Load the table if any of `texts` needs it; fold, matchForm and the rest may then be called on them.
export async function ready(texts) {{
  if (!needsTable(texts)) return;
  if (!loading) {{
    loading = import("./fold-table.js").then(({{ PACKED }}) => {{
      const table = new Map();
      let code = 0;
      let step = "";
      for (const ch of PACKED) {{
        if (/[0-9a-z]/.test(ch)) {{ step += ch; continue; }}
        code += step ? parseInt(step, 36) : 1;
        step = "";
        table.set(String.fromCodePoint(code), ch);
      }}
      TABLE = table;
    }});
  }}
  await loading;
}}
const INNER_HYPHEN = /(?<=[\\p{{L}}\\p{{N}}])[{HYPHEN}](?=[\\p{{L}}\\p{{N}}])/gu;
const LATIN_RUN = /[A-Za-z0-9]+(?:(?:[{HYPHEN}]| )[A-Za-z0-9]+)+/g;

export function foldChar(ch) {{
  const c = ch.codePointAt(0);
  if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) {{
    return String.fromCodePoint(c - {WIDTH_OFFSET});
  }}
  if (!FOLDABLE.has(c)) return ch;
  // A bug, never the reader's input: the caller must await ready() on every text it folds
  if (!TABLE) throw new Error("fold.js: fold-table.js not loaded; await ready([text]) first");
  return TABLE.get(ch);
}}

export function fold(text) {{
  let out = "";
  for (const ch of text) out += foldChar(ch);
  return out;
}}

export function matchForm(text) {{
  return fold(text).toLowerCase().replace(INNER_HYPHEN, "").replace(/\\s+/gu, "");
}}

// matchForm with where each of its UTF-16 units came from in `text` (start offsets), for highlighting.
export function matchFormMapped(text) {{
  const folded = [];
  for (let i = 0; i < text.length; ) {{
    const ch = String.fromCodePoint(text.codePointAt(i));
    folded.push([foldChar(ch).toLowerCase(), i, i + ch.length]);
    i += ch.length;
  }}
  let form = "";
  const starts = [];
  const ends = [];
  const isWord = (k) => k >= 0 && k < folded.length && /[\\p{{L}}\\p{{N}}]/u.test(folded[k][0]);
  folded.forEach(([ch, start, end], k) => {{
    if (/\\s/u.test(ch)) return;
    if ("{HYPHEN}".includes(ch) && isWord(k - 1) && isWord(k + 1)) return;
    for (let j = 0; j < ch.length; j++) {{ starts.push(start); ends.push(end); }}
    form += ch;
  }});
  return {{ form, starts, ends }};
}}

export function queryForms(query) {{
  return query.trim().split(/\\s+/u).flatMap((part) => matchForm(part).split(/[^\\p{{L}}\\p{{N}}]+/u))
    .filter(Boolean);
}}

export function latinJoins(text) {{
  const joins = [];
  for (const run of fold(text).match(LATIN_RUN) || []) {{
    const words = run.match(/[A-Za-z0-9]+/g).map((w) => w.toLowerCase());
    for (let size = 2; size <= Math.min({MAX_JOINED_WORDS}, words.length); size++) {{
      for (let i = 0; i + size <= words.length; i++) joins.push(words.slice(i, i + size).join(""));
    }}
  }}
  return [...new Set(joins)];
}}

// The reader's text again from its folded form (normalise.py restore).
export function restore(folded, restoring) {{
  const wanted = new Map();
  for (const [pair, occurrences] of Object.entries(restoring || {{}})) {{
    const [now, ...was] = Array.from(pair);
    const byCount = wanted.get(now) || new Map();
    for (const n of occurrences) byCount.set(n, was.join(""));
    wanted.set(now, byCount);
  }}
  if (!wanted.size) return folded;
  const seen = new Map();
  let out = "";
  for (const ch of folded) {{
    const byCount = wanted.get(ch);
    if (!byCount) {{ out += ch; continue; }}
    const n = seen.get(ch) || 0;
    seen.set(ch, n + 1);
    out += byCount.get(n) || ch;
  }}
  return out;
}}
"""


def _js_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
