"""Search quality and first-search bytes of a built site, measured in chromium against the site's own search.

- Queries: `count` distinct 2–4 character substrings of Chinese characters (seeded), drawn from the stories' own
  readable text: title + summary + body rendered to text, mirroring what the plugin hands Pagefind as the `text`
  metadata (exemplars/search/records.py: plain_text(summary, sanitised body HTML)). Ground truth = every published
  story whose title + text, region levels, year, domains or tags contain the substring after the same
  normalisation as the search (normalise.match_form: traditional folded to simplified, so e.g. 乾 and 干 are one
  character for search, and a literal `in` would call a right hit false).
- Recall / precision: on one loaded /search/ page, the site's `rewrite` (assets/javascripts/search.js) turns the
  query into Pagefind terms and the site's `searchTerms` runs them (one search a term, intersected). Every result
  is judged by the page record it points at: its fragment file (site/pagefind/<shard>/fragment/<id>.pf_fragment,
  or site/pagefind/fragment/ in the single-bundle layout: the bytes `data()` decodes) is read here in Python for
  all results, so no result goes unjudged; in the browser `data()` is loaded for the first DATA_CHECKED results
  of each query and compared with the fragment, as a cross-check of that shortcut. The page loads the search as
  the site does: site/pagefind/shards.json's primary shard's pagefind.js, every other shard merged into it
  (mergeIndex), all before the first search.
- First-search bytes: per query a fresh browser context opens a story page, types the query into the header
  search and presses Enter; every byte transferred from then until the first results (or the "没有找到" status)
  render is counted (CDP Network.loadingFinished encodedDataLength: compressed body + headers), split by kind.
  The first DIRECT_QUERIES queries are also opened as a /search/?q= link in a fresh context, where every byte
  counts (the page, its styles and scripts too).
- The static server gzips text responses like a production host; Pagefind's own files are served as stored
  (they are already compressed).
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import random
import re
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import yaml

from exemplars.library import load_library
from exemplars.search.ngrams import readable_text
from exemplars.search.normalise import match_form, restore
from exemplars.search.records import BREAK, EXTRAS, plain_text
from exemplars.site import urls
from exemplars.site.render import DEFAULT_EXTENSIONS, BodyRenderer
from exemplars.site.sanitize import sanitize

# The tests' browser helpers (tests/browser.py): the same chromium, launch flags and static server as the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from browser import CHROMIUM, LAUNCH_ARGS, serve  # noqa: E402
from sitebench import bundle_dirs  # noqa: E402

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
FIRST = 10  # results per page in the UI, and the precision cut-off
DIRECT_QUERIES = 20  # of the byte queries, how many are also opened as a direct link in a fresh browser
DATA_CHECKED = 20  # results per query whose data() is loaded in the browser to cross-check the fragment files
GZIP_TYPES = {
    ".html": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain",
}


# ---------------------------------------------------------------- ground truth


@dataclass
class Corpus:
    texts: dict[str, str]  # "/stories/<id>/" → title + "\n" + readable text (what the UI's check looks at)
    extras: dict[str, list[str]] = field(default_factory=dict)  # url → region levels, year, domains, tags

    def __post_init__(self) -> None:
        # title, text and each fact apart, as search.js `contains` sees them
        self.forms = {
            url: BREAK.join(match_form(x) for x in [*text.split("\n", 1), *self.extras.get(url, [])])
            for url, text in self.texts.items()
        }

    def truth(self, query: str) -> set[str]:
        form = match_form(query)
        return {url for url, haystack in self.forms.items() if form in haystack}


def _extensions(project: Path) -> list:
    try:
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")) or {}
        return config.get("markdown_extensions") or DEFAULT_EXTENSIONS
    except yaml.YAMLError:  # a config with !!python tags: fall back to the plugin's defaults
        return DEFAULT_EXTENSIONS


def story_corpus(project: Path) -> Corpus:
    """Every published story's title and readable text, built the way the plugin builds its search record."""
    library = load_library(project)
    renderer = BodyRenderer(extensions=[e for e in _extensions(project) if isinstance(e, str)], postprocess=sanitize)
    texts, extras = {}, {}
    for story in library.public_stories():
        url = "/" + urls.story(story.id)
        body = renderer.render(story.body, story.path, urls.story(story.id))
        texts[url] = story.title + "\n" + plain_text(story.summary or story.title, body)
        extras[url] = [*story.region, f"{story.year}年", *story.domains, *story.tags]
    return Corpus(texts, extras)


def draw_queries(corpus: Corpus, count: int, seed: int = 20240501) -> list[str]:
    """`count` distinct 2–4 character Chinese substrings: a random story, a random Chinese run in its text,
    a random length and position within the run."""
    rng = random.Random(seed)
    urls_sorted = sorted(corpus.texts)
    runs = {url: [r for r in CJK.findall(corpus.texts[url]) if len(r) >= 2] for url in urls_sorted}
    candidates = [url for url in urls_sorted if runs[url]]
    if not candidates:
        raise ValueError("no story has two consecutive Chinese characters")
    queries: list[str] = []
    seen: set[str] = set()
    attempts = 0
    while len(queries) < count and attempts < count * 100:
        attempts += 1
        run = rng.choice(runs[rng.choice(candidates)])
        length = rng.randint(2, min(4, len(run)))
        start = rng.randrange(0, len(run) - length + 1)
        query = run[start : start + length]
        if query not in seen:
            seen.add(query)
            queries.append(query)
    return queries


# ---------------------------------------------------------------- the index as stored


@dataclass
class Record:
    url: str
    title: str
    text: str
    extras: str = ""

    def contains(self, query: str) -> bool:
        """search.js `contains` for one part: in match form, within the title, the text or what it is found by."""
        return match_form(query) in BREAK.join(match_form(x) for x in (self.title, self.text, self.extras))


class Fragments(dict):
    """Pagefind page id (fragment file name) → Record, over every shard; `duplicates`: ids that more than one
    shard holds with different records (a result id would not say which page it is)."""

    duplicates: int = 0


def read_fragments(site: Path) -> Fragments:
    """Pagefind page id (fragment file name) → the page record the browser's data() would decode, read from the
    fragment/ folder of every bundle (each shard of the sharded layout, or site/pagefind itself)."""
    records = Fragments()
    paths = [path for bundle in bundle_dirs(site / "pagefind") for path in (bundle / "fragment").glob("*.pf_fragment")]
    for path in paths:
        raw = gzip.decompress(path.read_bytes())
        if raw.startswith(b"pagefind_dcd"):
            raw = raw[len(b"pagefind_dcd") :]
        data = json.loads(raw)
        meta = data.get("meta") or {}
        title = meta.get("title", "")
        content = data.get("content", "")
        cut = content.rfind(EXTRAS)  # search.js pageText: the text as written, then what it is also found by
        shown, extras = (content, "") if cut < 0 else (content[:cut], readable_text(content[cut + 1 :]))
        # the UI reads the text back from the stored tokens and undoes the folding
        text = restore(readable_text(shown), json.loads(meta.get("restore") or "{}")).strip()
        text = text[len(title) :].lstrip() if title and text.startswith(title) else text
        record = Record(url=data["url"], title=title, text=text, extras=extras)
        if records.get(path.stem, record) != record:
            records.duplicates += 1
        records[path.stem] = record
    return records


# ---------------------------------------------------------------- a production-like static server


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text types gzip-compressed (level 6, cached) when the client accepts it."""

    cache: dict[str, bytes] = {}
    lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the slash URL
            path = path / "index.html"
        kind = GZIP_TYPES.get(path.suffix)
        if kind is None or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        key = str(path)
        with self.lock:
            body = self.cache.get(key)
            if body is None:
                body = self.cache[key] = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header(
            "Content-Type",
            kind + ("; charset=utf-8" if kind.startswith("text") or "json" in kind or "xml" in kind else ""),
        )
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)

    def guess_type(self, path):
        if str(path).endswith((".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")):
            return "application/octet-stream"
        return super().guess_type(path)


def serve_gzip(root: Path):
    """Serve `root` on 127.0.0.1 at a free port, gzipping like a production host; yields the base URL ending in '/'."""
    return serve(root, type("Handler", (_GzipHandler,), {"cache": {}}))


# ---------------------------------------------------------------- recall and precision

# The search as the site loads it (site/pagefind/shards.json): the primary shard's pagefind.js, its baseUrl the site
# root, every other shard merged in with the same baseUrl, all awaited before the first search; once per page
# (mergeIndex again would add the shards twice). Without shards.json, the single bundle at pagefind/pagefind.js.
# Imported as pagefind.js?bench: a module of its own, not the instance the search page itself loaded and merged
# the shards into (Pagefind derives its folder from the URL up to pagefind.js, so the query is harmless).
_LOAD_PAGEFIND_JS = """
async (root) => {
  if (!window.__exBenchPagefind) {
    window.__exBenchPagefind = (async () => {
      const baseUrl = new URL(root).pathname;
      const response = await fetch(new URL("pagefind/shards.json", root).href, {cache: "no-cache"});
      if (response.status === 404) {
        const pf = await import(new URL("pagefind/pagefind.js?bench", root).href);
        await pf.options({baseUrl});
        return {pf, shards: 0};
      }
      if (!response.ok) throw new Error(`pagefind/shards.json: HTTP ${response.status}`);
      const {primary, shards} = await response.json();
      const pf = await import(new URL(`pagefind/${primary}/pagefind.js?bench`, root).href);
      await pf.options({baseUrl});
      await Promise.all(shards.filter((name) => name !== primary).map(
        (name) => pf.mergeIndex(new URL(`pagefind/${name}/`, root).pathname, {baseUrl})));
      return {pf, shards: shards.length};
    })();
  }
  return window.__exBenchPagefind;
}
"""

_QUALITY_JS = (
    """
async ({q, checked}) => {
  const root = document.baseURI.replace(/search\\/.*$/, "");
  const {pf} = await ("""
    + _LOAD_PAGEFIND_JS.strip()
    + """)(root);
  const site = await import(new URL("assets/javascripts/search.js", root).href);
  const parsed = site.rewrite(q);
  const query = parsed.terms && parsed.terms.length ? parsed.terms.join(" ") : null;
  if (query === null) return {query: null, ids: [], data: [], ms: 0};
  const t0 = performance.now();
  const response = await site.searchTerms(pf, parsed.terms);
  const ms = performance.now() - t0;
  const results = response ? response.results : [];
  const data = [];
  for (const r of results.slice(0, checked)) {
    const d = await r.data();
    const page = site.pageText(d);
    data.push({id: r.id, url: d.url, title: page.title, text: page.text});
  }
  return {query, ids: results.map((r) => r.id), data, ms, forms: parsed.forms || []};
}
"""
)


def _ui_keeps(record: Record, forms: list[str]) -> bool:
    """search.js `contains`: every part of the query, in match form, stands together in the page."""
    return all(record.contains(form) for form in forms)


@dataclass
class QueryOutcome:
    query: str
    truth: int
    results: int
    hits_in_truth: int
    raw_first: int  # results among Pagefind's first 10
    raw_first_exact: int  # of those, containing the query exactly
    ui_first: int  # results the UI would show on its first page (mirrored check)
    ui_first_exact: int
    search_ms: float
    repeated: int = 0  # results whose page an earlier result of the same query already was (two shards hold it)


def measure_quality(browser, base_url: str, site: Path, corpus: Corpus, queries: list[str], progress=print) -> dict:
    fragments = read_fragments(site)
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(urljoin(base_url, "search/"), wait_until="load")
    outcomes: list[QueryOutcome] = []
    mismatches: list[str] = []
    unknown_ids = 0
    for n, query in enumerate(queries, 1):
        if n % 50 == 0:
            progress(f"    quality: {n}/{len(queries)} queries")
        got = page.evaluate(_QUALITY_JS, {"q": query, "checked": DATA_CHECKED})
        for item in got["data"]:  # the fragment shortcut must agree with what data() returned
            record = fragments.get(item["id"])
            if record is None or (record.url, record.title, record.text) != (item["url"], item["title"], item["text"]):
                mismatches.append(f"{query}: {item['id']} {item['url']}")
        records = []
        for pid in got["ids"]:
            record = fragments.get(pid)
            if record is None:
                unknown_ids += 1
                continue
            records.append(record)
        truth = corpus.truth(query)
        hits = {r.url for r in records if r.contains(query)}
        raw = records[:FIRST]
        shown = [r for r in records if _ui_keeps(r, got.get("forms", []))][:FIRST]
        outcomes.append(
            QueryOutcome(
                query=query,
                truth=len(truth),
                results=len(records),
                hits_in_truth=len(hits & truth),
                raw_first=len(raw),
                raw_first_exact=sum(r.contains(query) for r in raw),
                ui_first=len(shown),
                ui_first_exact=sum(r.contains(query) for r in shown),
                search_ms=got.get("ms", 0),
                repeated=len(records) - len({r.url for r in records}),
            )
        )
    page.close()
    return summarise_quality(outcomes, mismatches, unknown_ids, errors, len(fragments), corpus, fragments)


def _share(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def summarise_quality(
    outcomes: list[QueryOutcome], mismatches, unknown_ids, errors, fragment_count, corpus, fragments
) -> dict:
    with_truth = [o for o in outcomes if o.truth]
    raw = [o for o in outcomes if o.raw_first]
    ui = [o for o in outcomes if o.ui_first]
    # the ground truth is computed from a mirror of the plugin's record text: say how well the mirror matches
    by_url = {r.url: r for r in fragments.values()}
    # (white space aside: the text read back from the index keeps no spaces beside Chinese characters)
    text_mismatch = sum(
        1
        for url, text in corpus.texts.items()
        if url not in by_url or "".join((by_url[url].title + by_url[url].text).split()) != "".join(text.split())
    )
    return {
        "queries": len(outcomes),
        "queries_with_truth": len(with_truth),
        "recall_micro": _share(sum(o.hits_in_truth for o in with_truth), sum(o.truth for o in with_truth)),
        "recall_macro": statistics.fmean(o.hits_in_truth / o.truth for o in with_truth) if with_truth else None,
        "queries_fully_recalled": sum(o.hits_in_truth == o.truth for o in with_truth),
        "precision_raw_micro": _share(sum(o.raw_first_exact for o in raw), sum(o.raw_first for o in raw)),
        "precision_raw_macro": statistics.fmean(o.raw_first_exact / o.raw_first for o in raw) if raw else None,
        "precision_ui_micro": _share(sum(o.ui_first_exact for o in ui), sum(o.ui_first for o in ui)),
        "ui_first_page_full": sum(o.ui_first >= min(FIRST, o.truth) for o in with_truth),
        "truth_size_median": statistics.median(o.truth for o in outcomes) if outcomes else 0,
        "results_median": statistics.median(o.results for o in outcomes) if outcomes else 0,
        "search_ms_median": statistics.median(o.search_ms for o in outcomes) if outcomes else 0,
        # a page found twice in one query's results: held by two shards (a stale shard, a story in two periods)
        "repeated_results": sum(o.repeated for o in outcomes),
        "queries_with_repeated_results": sum(1 for o in outcomes if o.repeated),
        "data_checked_per_query": DATA_CHECKED,
        "data_mismatches": len(mismatches),
        "data_mismatch_examples": mismatches[:5],
        "unknown_result_ids": unknown_ids,
        "truth_text_mismatches": text_mismatch,
        "stories_in_truth_corpus": len(corpus.texts),
        "indexed_pages": fragment_count,
        "fragment_ids_in_two_shards": getattr(fragments, "duplicates", 0),  # same id, different page: ambiguous
        "page_errors": errors[:5],
        "worst": [o.__dict__ for o in sorted(with_truth, key=lambda o: o.hits_in_truth / o.truth)[:5]],
    }


# ---------------------------------------------------------------- first-search bytes


BUNDLE_FOLDERS = ("index", "filter", "fragment")  # a Pagefind bundle's chunk folders


def _pagefind_parts(path: str) -> tuple[str | None, list[str]] | None:
    """A URL path under /pagefind/ as (shard, the path's segments within that shard's bundle): the sharded layout
    /pagefind/<shard>/index/x.pf_index gives ("<shard>", ["index", "x.pf_index"]), the single-bundle layout
    /pagefind/index/x.pf_index (None, ["index", "x.pf_index"]); None for a path outside /pagefind/."""
    if "/pagefind/" not in path:
        return None
    parts = path.split("/pagefind/", 1)[1].split("/")
    # a bundle's own files are at most one folder deep: more, or a first folder that is no chunk folder, is a shard
    if len(parts) >= 3 or (len(parts) == 2 and parts[0] not in BUNDLE_FOLDERS):
        return parts[0], parts[1:]
    return None, parts


def pagefind_shard(url: str) -> str | None:
    """The shard a request under /pagefind/<shard>/ is for (None outside a shard or in the single-bundle layout)."""
    parts = _pagefind_parts(urlsplit(url).path)
    return parts[0] if parts else None


def byte_kind(url: str) -> str:
    path = urlsplit(url).path
    name = path.rsplit("/", 1)[-1]
    parts = _pagefind_parts(path)
    if parts is not None:
        shard, within = parts
        if shard is None and within == ["shards.json"]:  # the list of shards, read before any of them
            return "shards"
        if len(within) >= 2 and within[0] in BUNDLE_FOLDERS:
            return within[0]
        if name.endswith(".pf_meta"):
            return "meta"
        if name.endswith(".pagefind"):
            return "wasm"
        if name.endswith(".json"):
            return "entry"
        if name.startswith("exemplars-sort-"):  # a sort order (search/stable.py), fetched only to browse
            return "sort"
        if name.endswith(".js"):
            return "pagefind-js"
        return "pagefind-other"
    if path.endswith("/assets/javascripts/search.js"):
        return "search-js"
    if path.endswith("/assets/javascripts/fold.js"):  # the normalisation table (search/normalise.py)
        return "fold-js"
    if path.endswith("/assets/javascripts/fold-table.js"):  # its full table, only for text that folds
        return "fold-table"
    if path.endswith("/search/vocabulary.json"):  # did-you-mean words, fetched only when nothing is found
        return "vocabulary"
    if path.rstrip("/").endswith("/search") or path.endswith("/search/index.html"):
        return "search-page"
    return "other"


SEARCH_KINDS = (
    "search-page",
    "search-js",
    "fold-js",
    "fold-table",
    "vocabulary",
    "pagefind-js",
    "wasm",
    "shards",
    "entry",
    "meta",
    "index",
    "filter",
    "fragment",
    "sort",
    "pagefind-other",
)


@dataclass
class FirstSearch:
    query: str
    start_page: str
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    requests_by_kind: dict[str, int] = field(default_factory=dict)
    bytes_by_path: dict[str, int] = field(default_factory=dict)  # the same bytes by URL path (query dropped)
    ms: float = 0.0
    outcome: str = ""  # "results" | "none" | "timeout"
    shown: list[str] = field(default_factory=list)  # result URLs as rendered
    direct: bool = False  # opened as a link in a fresh browser (everything counts) rather than from the header
    in_flight: int = 0  # search requests still unfinished when the results rendered (not counted)
    after_render: int = 0  # search requests started after the results rendered (not counted: filter index)
    shards: list[str] = field(default_factory=list)  # the shards (site/pagefind/<shard>/) counted requests were for

    @property
    def search_bytes(self) -> int:
        """The header route: what searching adds to a story page already open. A direct link pays for everything
        it loads (the page's own styles and scripts too)."""
        return sum(v for k, v in self.bytes_by_kind.items() if self.direct or k != "other")


_RENDERED_JS = """() => {
  const items = document.querySelectorAll('.ex-search__results li');
  const status = document.querySelector('.ex-search__status');
  if (items.length) return 'results';
  if (status && status.textContent.includes('没有找到')) return 'none';
  return null;
}"""


# The moment the first results (or "没有找到") are in the page, on the wall clock Playwright's request timings use:
# requests started after it (the search page fetches the filter index once results are on screen) are not part
# of the first search. Polling from the bench would notice the render up to a poll interval late.
_MARK_RENDER = """
new MutationObserver((_, observer) => {
  const item = document.querySelector('.ex-search__results li');
  const status = document.querySelector('.ex-search__status');
  if (item || (status && status.textContent.includes('没有找到'))) {
    window.__exRenderedAt = Date.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });
"""


def first_search(
    browser, base_url: str, query: str, start_url: str, timeout_ms: int = 60000, direct: bool = False
) -> FirstSearch:
    # Playwright's context-level network events include the requests of Pagefind's web worker (index chunks,
    # wasm, fragments), which a page-level CDP session does not see.
    context = browser.new_context()
    context.add_init_script(_MARK_RENDER)
    page = context.new_page()
    started_requests: list = []
    finished: set = set()
    counting = {"on": False}

    def on_request(request):
        if counting["on"]:
            started_requests.append(request)

    context.on("request", on_request)
    context.on("requestfinished", lambda request: finished.add(id(request)))
    result = FirstSearch(query=query, start_page="search/" if direct else start_url, direct=direct)
    try:
        if direct:  # a shared /search/?q= link opened in a fresh browser
            counting["on"] = True
            started = time.perf_counter()
            page.goto(urljoin(base_url, "search/?" + urlencode({"q": query})), wait_until="commit")
        else:
            page.goto(urljoin(base_url, start_url), wait_until="networkidle")
            page.fill("#ex-header-q", query)
            counting["on"] = True
            started = time.perf_counter()
            page.press("#ex-header-q", "Enter")
            page.wait_for_url(re.compile(r"/search/\?"), timeout=timeout_ms)
        try:
            handle = page.wait_for_function(_RENDERED_JS, timeout=timeout_ms, polling=10)
            result.outcome = handle.json_value()
        except Exception:  # noqa: BLE001 - a search that never renders is reported, not fatal
            result.outcome = "timeout"
        result.ms = (time.perf_counter() - started) * 1000
        counting["on"] = False
        rendered_at = page.evaluate("() => window.__exRenderedAt || null")
        result.shown = page.eval_on_selector_all(
            ".ex-search__results li .ex-result__title a", "els => els.map((a) => a.href)"
        )
        bytes_by_kind: Counter = Counter()
        bytes_by_path: Counter = Counter()
        count_by_kind: Counter = Counter()
        counted_urls: list[str] = []
        for request in started_requests:
            kind = byte_kind(request.url)
            if rendered_at is not None and request.timing["startTime"] > rendered_at:
                result.after_render += kind != "other"
                continue
            if id(request) not in finished:
                result.in_flight += kind != "other"
                continue
            sizes = request.sizes()  # responseBodySize is the encoded (transferred) size
            size = max(0, sizes["responseBodySize"]) + max(0, sizes["responseHeadersSize"])
            bytes_by_kind[kind] += size
            bytes_by_path[urlsplit(request.url).path] += size
            count_by_kind[kind] += 1
            counted_urls.append(request.url)
        result.bytes_by_kind = dict(bytes_by_kind)
        result.bytes_by_path = dict(bytes_by_path)
        result.requests_by_kind = dict(count_by_kind)
        result.shards = sorted({pagefind_shard(url) for url in counted_urls} - {None})
    finally:
        context.close()
    return result


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def measure_first_search(
    browser, base_url: str, site: Path, corpus: Corpus, queries: list[str], seed: int = 11, progress=print
) -> dict:
    rng = random.Random(seed)
    story_urls = sorted(corpus.texts)
    by_url = {r.url: r for r in read_fragments(site).values()}
    runs: list[FirstSearch] = []
    for n, query in enumerate(queries, 1):
        if n % 25 == 0:
            progress(f"    first-search bytes: {n}/{len(queries)} queries")
        runs.append(first_search(browser, base_url, query, rng.choice(story_urls).lstrip("/")))
    direct = [first_search(browser, base_url, query, "", direct=True) for query in queries[:DIRECT_QUERIES]]
    direct_totals = [r.search_bytes for r in direct]
    totals = [r.search_bytes for r in runs]
    kinds = sorted({k for r in runs for k in r.bytes_by_kind}, key=lambda k: (k not in SEARCH_KINDS, k))
    shown = [(r.query, urlsplit(u).path) for r in runs for u in r.shown[:FIRST]]
    exact = sum(1 for q, path in shown if path in by_url and by_url[path].contains(q))
    return {
        "queries": len(runs),
        "median_bytes": statistics.median(totals) if totals else 0,
        "p95_bytes": _percentile(totals, 0.95),
        "max_bytes": max(totals, default=0),
        "median_by_kind": {k: statistics.median(r.bytes_by_kind.get(k, 0) for r in runs) for k in kinds},
        "median_requests_by_kind": {k: statistics.median(r.requests_by_kind.get(k, 0) for r in runs) for k in kinds},
        "other_bytes_median": statistics.median(r.bytes_by_kind.get("other", 0) for r in runs) if runs else 0,
        # how many shards' files the first search fetched (0 in the single-bundle layout)
        "shards_fetched_median": statistics.median(len(r.shards) for r in runs) if runs else 0,
        "shards_fetched_max": max((len(r.shards) for r in runs), default=0),
        "ms_median": statistics.median(r.ms for r in runs) if runs else 0,
        "ms_p95": _percentile([r.ms for r in runs], 0.95),
        "outcomes": dict(Counter(r.outcome for r in runs)),
        "in_flight_at_render": sum(r.in_flight for r in runs),
        "started_after_render": sum(r.after_render for r in runs),
        "precision_ui_dom": _share(exact, len(shown)),
        "ui_results_shown": len(shown),
        "runs": [
            {
                "query": r.query,
                "start": r.start_page,
                "bytes": r.search_bytes,
                "by_kind": r.bytes_by_kind,
                "ms": round(r.ms),
                "outcome": r.outcome,
                "shards": r.shards,
            }
            for r in runs
        ],
        # a /search/?q= link in a fresh browser: every byte until the first results (page, styles, scripts too)
        "direct": {
            "queries": len(direct),
            "median_bytes": statistics.median(direct_totals) if direct_totals else 0,
            "p95_bytes": _percentile(direct_totals, 0.95),
            "median_by_kind": {
                k: statistics.median(r.bytes_by_kind.get(k, 0) for r in direct)
                for k in sorted({k for r in direct for k in r.bytes_by_kind})
            },
            # the files every direct run fetched (page, styles, scripts, Pagefind's fixed files): what to trim
            "median_by_common_path": {
                path: statistics.median(r.bytes_by_path[path] for r in direct)
                for path in sorted(set.intersection(*(set(r.bytes_by_path) for r in direct)) if direct else ())
            },
            "outcomes": dict(Counter(r.outcome for r in direct)),
        },
    }


def run_search_bench(
    site: Path, project: Path, *, queries: int, byte_queries: int, seed: int = 20240501, progress=print
) -> dict:
    """Everything above for one built site; needs /usr/bin/chromium."""
    from playwright.sync_api import sync_playwright

    corpus = story_corpus(project)
    drawn = draw_queries(corpus, queries, seed)
    progress(f"    {len(drawn)} queries drawn from {len(corpus.texts)} stories, e.g. {' '.join(drawn[:6])}")
    with serve_gzip(site) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            quality = measure_quality(browser, base_url, site, corpus, drawn, progress=progress)
            progress(
                f"    first-search bytes over {min(byte_queries, len(drawn))} queries, a fresh browser context each"
            )
            first = measure_first_search(browser, base_url, site, corpus, drawn[:byte_queries], progress=progress)
        finally:
            browser.close()
    return {"seed": seed, "quality": quality, "first_search": first, "query_sample": drawn[:20]}
