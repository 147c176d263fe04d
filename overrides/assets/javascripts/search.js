// The search page: Pagefind, with the library's exact Chinese substring matching.
//
// Pagefind indexed every Chinese character as one ASCII word naming it and the character after it, in text order
// (scripts/exemplars/search/ngrams.py — keep the two in step), after folding the text (fold.js, generated from
// scripts/exemplars/search/normalise.py at build time: traditional → simplified, full-width letters and digits →
// half-width). A query is folded the same way and split at spaces into parts; each part's Chinese runs become
// the words of their first n-1 positions as a quoted phrase, other words stay words. Every term is one Pagefind
// search (Pagefind matches one phrase per search) and a page must be found by all of them: every part, in any
// order. Each result is then checked against the page's text read back from the stored words (readableText),
// compared in matchForm (folded, lower case, no spaces or inner hyphens), so a part's characters must stand
// together and in order. Excerpts are cut from the text as written: `restore` undoes the folding.
// fold.js knows which characters fold; it loads their table (fold-table.js) only when a text to be compared holds
// one (`ready`): a simplified query over simplified pages never fetches it.
import { fold, matchForm, matchFormMapped, queryForms, ready, restore } from "./fold.js";

const BASE = 0x3400;
const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3ffff}]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;
const FILTER_GROUPS = ["类型", "方法", "省份", "年份"];
const BATCH = 10;
const KIND_LABEL = { exemplar: "正面典型", cautionary: "反面典型", method: "方法", lesson: "课程" };
const EXTRAS = "\u2042"; // records.py EXTRAS: what follows is found by, never shown
const BREAK = "\u00b6"; // records.py BREAK: a paragraph, heading or list item ended here

const COMPAT = 0xf900; // compatibility ideographs are numbered right after U+9FFF (ngrams.py does the same)
const ASTRAL = 0x20000; // planes 2-3 (extension B onwards): four digits, the first m-o (ngrams.py ASTRAL_LEAD)
const ASTRAL_LEAD = 22;

function code(ch) {
  const c = ch.codePointAt(0);
  if (c >= ASTRAL) {
    const v = c - ASTRAL;
    return DIGITS[ASTRAL_LEAD + Math.floor(v / 46656)] + DIGITS[Math.floor(v / 1296) % 36] +
      DIGITS[Math.floor(v / 36) % 36] + DIGITS[v % 36];
  }
  const v = c >= COMPAT ? c - COMPAT + (0xa000 - BASE) : c - BASE;
  return DIGITS[Math.floor(v / 1296)] + DIGITS[Math.floor(v / 36) % 36] + DIGITS[v % 36];
}

// One Chinese run → its Pagefind term (ngrams.py run_terms): the pair words of its first n-1 characters as a
// phrase, or for a single character the prefix all its words share.
function runTerms(run) {
  const codes = Array.from(run).map(code);
  if (codes.length === 1) return "q" + codes[0];
  const words = codes.slice(0, -1).map((c, i) => "q" + c + codes[i + 1]);
  return words.length === 1 ? words[0] : `"${words.join(" ")}"`;
}

// One folded, space-free part → its Pagefind terms (ngrams.py part_terms).
function partTerms(part) {
  const terms = [];
  const addWords = (text) => terms.push(...(text.toLowerCase().match(WORD) || []));
  let last = 0;
  for (const match of part.matchAll(CJK_RUN)) {
    if (match.index > last) addWords(part.slice(last, match.index));
    terms.push(runTerms(match[0]));
    last = match.index + match[0].length;
  }
  if (last < part.length) addWords(part.slice(last));
  return terms;
}

// What the reader typed → the Pagefind terms to search, and the pieces a page must contain (normalise.py
// query_forms: each part in match form, cut at punctuation, which is not indexed).
export function rewrite(query) {
  const terms = fold(query).trim().split(/\s+/u).filter(Boolean).flatMap(partTerms);
  return { terms, forms: terms.length ? queryForms(query) : [] };
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// The index stores each Chinese character as "Q" + its base-36 code + the next character's (ngrams.py
// readable_text is the twin); the page's text is read back from that, so the index need not carry a second copy.
const CODE = "[0-9a-l][0-9a-z]{2}|[m-o][0-9a-z]{3}";
const STORED = new RegExp(` ?(?<![0-9A-Za-z])Q(${CODE})(?:${CODE}|zzz)(?![0-9A-Za-z]) ?`, "g");

function decode(digits) {
  const v = parseInt(digits, 36);
  if (digits.length === 4) return String.fromCodePoint(v - ASTRAL_LEAD * 46656 + ASTRAL);
  return String.fromCodePoint(v >= 0xa000 - BASE ? v - (0xa000 - BASE) + COMPAT : v + BASE);
}

export function readableText(content) {
  return (content || "").replace(STORED, (_, digits) => decode(digits));
}

// The page as the reader wrote it (title dropped: it is shown above the excerpt), and what it is also found by.
export function pageText(data) {
  const content = data.content || "";
  const cut = content.lastIndexOf(EXTRAS);
  const shown = cut < 0 ? content : content.slice(0, cut);
  let restoring = {};
  try {
    restoring = JSON.parse((data.meta && data.meta.restore) || "{}");
  } catch (_) {
    restoring = {};
  }
  let text = restore(readableText(shown), restoring).trim();
  const title = (data.meta && data.meta.title) || "";
  if (title && text.startsWith(title)) text = text.slice(title.length).trimStart();
  const extras = cut < 0 ? "" : readableText(content.slice(cut + 1));
  return { title, text, extras };
}

// Pagefind found every term; keep only pages (as pageText gives them) where each part's characters stand
// together, in order.
export function contains(page, parsed) {
  const haystack = [page.title, page.text, page.extras].map(matchForm).join(BREAK);
  return parsed.forms.every((form) => haystack.includes(form));
}

// Where each part first occurs in `text` (UTF-16 ranges of the text as written), non-overlapping, longest first.
function occurrences(text, forms, from = 0) {
  const mapped = matchFormMapped(text);
  const ranges = [];
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    let at = mapped.form.indexOf(form);
    while (at >= 0) {
      const range = [mapped.starts[at], mapped.ends[at + form.length - 1]];
      if (range[0] >= from && !ranges.some(([s, e]) => range[0] < e && s < range[1])) ranges.push(range);
      at = mapped.form.indexOf(form, at + 1);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

// Step back/forward off the second half of a surrogate pair, so a cut never splits a character.
function boundary(text, at) {
  const unit = text.charCodeAt(at);
  return at > 0 && at < text.length && unit >= 0xdc00 && unit <= 0xdfff ? at - 1 : at;
}

function textHtml(piece) {
  return escapeHtml(piece).split(BREAK).join('<span class="ex-result__break" aria-hidden="true"> ¶ </span>');
}

export function excerpt(text, parsed, length = 96) {
  const found = occurrences(text, parsed.forms);
  const first = found.length ? found[0][0] : 0;
  const start = boundary(text, first ? Math.max(0, first - 24) : 0);
  const end = boundary(text, Math.min(text.length, start + length));
  let html = "";
  let at = start;
  for (const [s, e] of found) {
    if (s < start || e > end) continue;
    html += textHtml(text.slice(at, s)) + `<mark>${textHtml(text.slice(s, e))}</mark>`;
    at = e;
  }
  html += textHtml(text.slice(at, end));
  return (start > 0 ? "…" : "") + html + (end < text.length ? "…" : "");
}

// Every term is searched on its own (Pagefind matches one quoted phrase per search); a page must be found by all
// of them. Ranked as the first term ranks it. Null when a newer search superseded this one.
export async function searchTerms(pf, terms, options = {}) {
  const unique = [...new Set(terms)];
  const responses = await Promise.all(unique.map((term) => pf.search(term, options)));
  if (responses.some((r) => !r)) return null;
  if (responses.length === 1) return responses[0];
  const kept = responses.slice(1).map((r) => new Set(r.results.map((result) => result.id)));
  const results = responses[0].results.filter((result) => kept.every((ids) => ids.has(result.id)));
  // The chips' counts: Pagefind counts per search, not per intersection; the narrowest search's counts are the
  // closest upper bound without loading every result's record.
  const narrowest = responses.reduce((a, b) => (b.results.length < a.results.length ? b : a));
  return { results, filters: narrowest.filters };
}

// Did you mean: words of the library (method names, places, domains, tags, common terms) one edit away.
export function oneEditAway(a, b) {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > 1 || a === b) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  return x.length - i - j <= 1 && y.length - i - j <= 1;
}

export function suggest(query, vocabulary) {
  const form = matchForm(query);
  if (Array.from(form).length < 2) return null;
  let best = null;
  for (const word of vocabulary) {
    if (oneEditAway(form, matchForm(word)) && (best === null || word.length < best.length)) best = word;
  }
  return best;
}

function setup(root) {
  const base = new URL(root.dataset.base, window.location.href);
  const methodOrder = JSON.parse(root.dataset.methodOrder || "[]");
  const form = root.querySelector(".ex-search__form");
  const input = root.querySelector(".ex-search__input");
  const filtersBox = root.querySelector(".ex-search__filters");
  const status = root.querySelector(".ex-search__status");
  const list = root.querySelector(".ex-search__results");
  const more = root.querySelector(".ex-search__more");
  const hint = root.querySelector(".ex-search__suggest");
  const params = new URLSearchParams(window.location.search);
  const state = { query: params.get("q") || "", filters: {}, run: 0, pending: [], parsed: null, shown: 0,
    total: null, expanded: new Set() };
  for (const group of FILTER_GROUPS) {
    const values = params.getAll(group);
    if (values.length) state.filters[group] = values;
  }
  input.value = state.query;

  let pagefindPromise = null;
  function pagefind() {
    if (!pagefindPromise) {
      pagefindPromise = import(new URL("pagefind/pagefind.js", base).href).then(async (pf) => {
        await pf.options({ baseUrl: base.pathname });
        return pf;
      });
    }
    return pagefindPromise;
  }

  // Results carry per-value filter counts only once every filter's index is loaded (~100 KB at 10,000 stories).
  // A search shows its results first and fetches that afterwards, so the first results never wait for it.
  let filtersPromise = null;
  let filtersReady = false;
  function loadFilters(pf) {
    if (!filtersPromise) {
      filtersPromise = pf.filters().then((all) => {
        filtersReady = true;
        return all;
      });
    }
    return filtersPromise;
  }

  function syncUrl() {
    const next = new URLSearchParams();
    if (state.query) next.set("q", state.query);
    for (const [group, values] of Object.entries(state.filters)) values.forEach((v) => next.append(group, v));
    const qs = next.toString();
    window.history.replaceState(null, "", qs ? `?${qs}` : window.location.pathname);
  }

  function activeFilters() {
    const out = {};
    for (const [group, values] of Object.entries(state.filters)) if (values.length) out[group] = { any: values };
    return out;
  }

  function orderValues(group, values) {
    if (group === "方法") return values.sort((a, b) => methodOrder.indexOf(a) - methodOrder.indexOf(b));
    if (group === "年份") return values.sort((a, b) => b.localeCompare(a));
    if (group === "类型") return values.sort((a, b) => (a === "正面典型" ? -1 : b === "正面典型" ? 1 : 0));
    return values.sort((a, b) => a.localeCompare(b, "zh-CN"));
  }

  function renderFilters(counts) {
    filtersBox.textContent = "";
    filtersBox.removeAttribute("aria-busy");
    for (const group of FILTER_GROUPS) {
      const values = Object.keys((counts && counts[group]) || {});
      const selected = state.filters[group] || [];
      const visible = orderValues(group, values.filter((v) => counts[group][v] > 0 || selected.includes(v)));
      if (!visible.length) continue;
      const row = document.createElement("div");
      row.className = "ex-search__group";
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", group);
      const label = document.createElement("span");
      label.className = "ex-search__group-label";
      label.textContent = group;
      const chips = document.createElement("div");
      chips.className = "ex-search__chips";
      chips.id = `ex-search-chips-${FILTER_GROUPS.indexOf(group)}`;
      for (const value of visible) {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "ex-chip";
        chip.setAttribute("aria-pressed", selected.includes(value) ? "true" : "false");
        chip.dataset.group = group;
        chip.dataset.value = value;
        chip.innerHTML = `${escapeHtml(value)}<span class="ex-chip__count">${counts[group][value] || 0}</span>`;
        chips.append(chip);
      }
      const toggle = document.createElement("button");
      toggle.type = "button";
      toggle.className = "ex-search__toggle";
      toggle.dataset.group = group;
      toggle.setAttribute("aria-controls", chips.id);
      toggle.hidden = true;
      row.append(label, chips, toggle);
      filtersBox.append(row);
    }
    refit.disconnect();
    refit.observe(filtersBox);
    filtersBox.querySelectorAll(".ex-chip").forEach((chip) => refit.observe(chip));
    fitRows();
  }

  // A group is one line (its room is reserved while the chips load, so the results never move). Chips that do
  // not fit wrap onto a hidden second line and are made inert (no focus, not read out); a 更多 button at the
  // end of the line opens the whole group — nothing is ever cut off at the screen's edge.
  function fitRows() {
    for (const row of filtersBox.querySelectorAll(".ex-search__group")) {
      const chips = row.querySelector(".ex-search__chips");
      const toggle = row.querySelector(".ex-search__toggle");
      const group = toggle.dataset.group;
      row.removeAttribute("data-expanded");
      const all = [...chips.children];
      all.forEach((chip) => chip.removeAttribute("inert"));
      const beyond = (chip) => chip.offsetTop + chip.offsetHeight > chips.clientHeight;
      let hidden = all.filter(beyond);
      if (!hidden.length) {
        toggle.hidden = true;
        continue;
      }
      if (hidden.some((chip) => chip.getAttribute("aria-pressed") === "true")) state.expanded.add(group);
      const open = state.expanded.has(group);
      toggle.hidden = false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "收起" : `更多 ${hidden.length}`;
      // The button takes its room from the chips' line: chips it pushed onto the hidden line are hidden too (and
      // "更多 9" becoming "更多 10" can push one more).
      for (let pass = 0; !open && pass < 3; pass++) {
        const now = all.filter(beyond);
        if (now.length === hidden.length) break;
        hidden = now;
        toggle.textContent = `更多 ${hidden.length}`;
      }
      // No aria-label: the visible words are the name (WCAG 2.5.3); the row's group label gives the context.
      if (open) row.setAttribute("data-expanded", "");
      else hidden.forEach((chip) => chip.setAttribute("inert", ""));
    }
  }
  // Refit when the box or any chip changes size: a narrower window, or a larger text size chosen on the page.
  let fitFrame = 0;
  const refit = new ResizeObserver(() => {
    cancelAnimationFrame(fitFrame);
    fitFrame = requestAnimationFrame(fitRows);
  });
  refit.observe(filtersBox);

  function resultItem(data, page) {
    const kind = (data.meta && data.meta.kind) || "";
    const li = document.createElement("li");
    li.className = `ex-result ex-result--${kind}`;
    const badge = KIND_LABEL[kind] ? `<span class="ex-badge ex-badge--${escapeHtml(kind)}">${KIND_LABEL[kind]}</span>` : "";
    const facts = [data.meta.region, data.meta.date].filter(Boolean).map(escapeHtml).join(" · ");
    li.innerHTML =
      `<p class="ex-result__top">${badge}<span class="ex-result__facts">${facts}</span></p>` +
      `<h2 class="ex-result__title"><a href="${escapeHtml(data.url)}">${escapeHtml(data.meta.title || data.url)}</a></h2>` +
      `<p class="ex-result__excerpt">${excerpt(page.text, state.parsed)}</p>`;
    return li;
  }

  // Show up to BATCH more verified results from the pending Pagefind results.
  async function showMore(run) {
    let added = 0;
    while (added < BATCH && state.pending.length) {
      const batch = state.pending.splice(0, BATCH - added);
      const datas = await Promise.all(batch.map((r) => r.data()));
      if (run !== state.run) return;
      // Pages written in traditional characters are compared and highlighted through the table
      const pages = datas.map(pageText); // each page decoded once: checked, then excerpted
      await ready(pages.flatMap((page) => [page.title, page.text, page.extras]));
      if (run !== state.run) return;
      for (const [at, data] of datas.entries()) {
        if (!contains(pages[at], state.parsed)) continue;
        list.append(resultItem(data, pages[at]));
        added += 1;
        state.shown += 1;
      }
    }
    more.hidden = state.pending.length === 0;
    if (run === state.run && state.total !== null) setStatus(state.total);
    return added;
  }

  // Browsing by filters alone lists the newest first. The order is a file of its own (stable.py sort_file: the
  // prefix all page ids share, then each page's shortest distinct id prefix, newest first), not part of the
  // metadata every search downloads; without it, Pagefind's own order stands.
  let datePromise = null;
  function dateOrder() {
    if (!datePromise) {
      datePromise = fetch(new URL("pagefind/exemplars-sort-date.txt", base).href, { cache: "no-cache" })
        .then((r) => (r.ok ? r.text() : ""))
        .catch(() => "")
        .then((text) => {
          const [common = "", ...lines] = text.split("\n");
          const places = new Map();
          lines.forEach((line, at) => line && !places.has(line) && places.set(line, at));
          return { common, places };
        });
    }
    return datePromise;
  }

  function newestFirst(results, { common, places }) {
    if (!places.size) return results;
    const place = (id) => {
      if (id.startsWith(common)) {
        for (let end = id.length; end > common.length; end--) {
          const at = places.get(id.slice(common.length, end));
          if (at !== undefined) return at;
        }
      }
      return places.size;
    };
    const at = new Map(results.map((result) => [result, place(result.id)]));
    return results.slice().sort((a, b) => at.get(a) - at.get(b));
  }

  let vocabularyPromise = null;
  async function didYouMean(run) {
    if (!vocabularyPromise) {
      vocabularyPromise = fetch(new URL("search/vocabulary.json", base).href)
        .then((r) => (r.ok ? r.json() : []))
        .catch(() => []);
    }
    const vocabulary = await vocabularyPromise;
    await ready([state.query, ...vocabulary]);
    const word = suggest(state.query, vocabulary);
    if (!word || run !== state.run) return;
    const link = new URL(window.location.href);
    link.searchParams.set("q", word);
    hint.innerHTML = `你是不是要找：<a href="${escapeHtml(link.search)}">${escapeHtml(word)}</a>`;
    hint.hidden = false;
    hint.querySelector("a").addEventListener("click", (event) => {
      event.preventDefault();
      input.value = word;
      search();
    });
  }

  // An index that cannot be loaded fails the whole search, in Pagefind and here: the reader is told why, not left
  // looking at 正在搜索… for ever. Either there is none (the build wrote no pagefind/ folder: an empty library, or a
  // build with search off or only a search_part, which is not published) or the network failed. (An index chunk
  // that fails to load Pagefind only logs, and answers without it: this page cannot see that.)
  let missingPromise = null;
  function indexMissing() {
    if (!missingPromise) {
      missingPromise = fetch(new URL("pagefind/pagefind-entry.json", base).href, { cache: "no-store" }).then(
        (r) => r.status === 404,
        () => false,
      );
    }
    return missingPromise;
  }

  async function failed(run, error) {
    const missing = await indexMissing();
    if (!missing) console.error(error);
    if (run !== state.run) return;
    list.textContent = "";
    more.hidden = true;
    filtersBox.removeAttribute("aria-busy");
    status.textContent = missing ? "本站还没有可以搜索的内容。" : "搜索索引没有完整加载，可能是网络中断了。请刷新页面再试。";
  }

  function search() {
    const run = ++state.run;
    return answer(run).catch((error) => failed(run, error));
  }

  async function answer(run) {
    state.query = input.value.trim();
    syncUrl();
    const filters = activeFilters();
    if (!state.query && !Object.keys(filters).length) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      const pf = await pagefind();
      const all = await loadFilters(pf);
      if (run === state.run) renderFilters(all);
      return;
    }
    status.textContent = "正在搜索…";
    hint.hidden = true;
    state.total = null;
    if (!filtersReady) filtersBox.setAttribute("aria-busy", "true"); // keep the chips' room (see the CSS)
    const [pf] = await Promise.all([pagefind(), ready([state.query])]);
    state.parsed = rewrite(state.query);
    const terms = state.parsed.terms;
    // An empty `filters` option makes Pagefind leave out the per-value counts: pass it only when set.
    const options = Object.keys(filters).length ? { filters } : {};
    if (!terms.length) options.sort = { date: "desc" };
    const [response, order] = terms.length
      ? [await searchTerms(pf, terms, options), null]
      : await Promise.all([pf.search(null, options), dateOrder()]);
    if (run !== state.run || !response) return;
    list.textContent = "";
    state.pending = order ? newestFirst(response.results, order) : response.results.slice();
    state.shown = 0;
    if (filtersReady) renderFilters(response.filters);
    state.total = response.results.length;
    await showMore(run);
    if (run !== state.run) return;
    setStatus(state.total);
    if (!state.shown && state.query) didYouMean(run);
    if (!filtersReady) {
      // Now the chips: once the results are on screen, load the filter index, then ask again (everything else
      // is cached) for the counts.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      await loadFilters(pf);
      if (run !== state.run) return;
      const counted = terms.length ? await searchTerms(pf, terms, options) : await pf.search(null, options);
      if (run === state.run && counted) renderFilters(counted.filters);
    }
  }

  function setStatus(total) {
    if (!state.shown) {
      status.textContent = state.query ? `没有找到包含“${state.query}”的内容。试试更短的关键词，或减少筛选条件。` : "没有符合筛选条件的故事。";
    } else if (!state.pending.length) {
      status.textContent = `共 ${state.shown} 个结果`;
    } else {
      status.textContent = `约 ${total} 个结果`;
    }
  }

  // An input method composes pinyin (qunzhong) before the reader picks the characters (群众): search only what
  // was chosen, when the composition ends.
  let timer = null;
  let composing = false;
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  };
  input.addEventListener("compositionstart", () => {
    composing = true;
    clearTimeout(timer);
  });
  input.addEventListener("compositionend", () => {
    composing = false;
    schedule();
  });
  input.addEventListener("input", (event) => {
    if (composing || event.isComposing) return;
    schedule();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (composing) return;
    clearTimeout(timer);
    search();
  });
  more.addEventListener("click", () => {
    const run = state.run;
    showMore(run).catch((error) => failed(run, error));
  });
  filtersBox.addEventListener("click", (event) => {
    const toggle = event.target.closest(".ex-search__toggle");
    if (toggle) {
      const { group } = toggle.dataset;
      state.expanded.has(group) ? state.expanded.delete(group) : state.expanded.add(group);
      fitRows();
      return;
    }
    const chip = event.target.closest(".ex-chip");
    if (!chip) return;
    const { group, value } = chip.dataset;
    const values = new Set(state.filters[group] || []);
    values.has(value) ? values.delete(value) : values.add(value);
    state.filters[group] = [...values];
    search();
  });

  // Keyboard: ↓ from the box into the results, ↑/↓ between them, Esc back to the box.
  root.addEventListener("keydown", (event) => {
    const links = [...list.querySelectorAll(".ex-result__title a")];
    const at = links.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0)) {
      if (links[at + 1]) {
        links[at + 1].focus();
        event.preventDefault();
      }
    } else if (event.key === "ArrowUp" && at >= 0) {
      (at === 0 ? input : links[at - 1]).focus();
      event.preventDefault();
    } else if (event.key === "Escape" && at >= 0) {
      input.focus();
    }
  });

  search();
  if (!state.query) input.focus();
}

const root = document.querySelector("[data-ex-search]");
if (root) setup(root);
