// The search page: Pagefind, with the library's exact Chinese substring matching.
//
// Pagefind indexed every Chinese character as one ASCII word naming it and the character after it, in text order
// (scripts/exemplars/search/ngrams.py — keep the two in step). Here a query's Chinese run is rewritten into the
// words of its first n-1 positions as a quoted phrase, so Pagefind finds 调解 inside 调解员 and only where the
// characters stand together. Each result is still checked against the page's readable text (decoded from the
// stored words, readableText below) and excerpts are cut from that text, so readers never see the index's words
// and every shown result really contains what they typed.

const BASE = 0x3400;
const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
const CJK_RUN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const WORD = /[\p{L}\p{N}]+/gu;
const FILTER_GROUPS = ["类型", "方法", "省份", "年份"];
const BATCH = 10;
const KIND_LABEL = { exemplar: "正面典型", cautionary: "反面典型", method: "方法", lesson: "课程" };

const COMPAT = 0xf900; // compatibility ideographs are numbered right after U+9FFF (ngrams.py does the same)

function code(ch) {
  const c = ch.codePointAt(0);
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

// What the reader typed → Pagefind terms, plus the Chinese runs and other words to verify and highlight.
export function rewrite(query) {
  const terms = [];
  const runs = [];
  const words = [];
  const addWords = (text) => {
    const found = text.toLowerCase().match(WORD) || [];
    terms.push(...found);
    words.push(...found);
  };
  for (const part of query.trim().split(/\s+/)) {
    if (!part) continue;
    let last = 0;
    for (const match of part.matchAll(CJK_RUN)) {
      if (match.index > last) addWords(part.slice(last, match.index));
      const run = match[0];
      runs.push(run);
      terms.push(runTerms(run));
      last = match.index + run.length;
    }
    if (last < part.length) addWords(part.slice(last));
  }
  return { terms, runs, words };
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// The index stores each Chinese character as "Q" + its three base-36 digits + the next character's (ngrams.py
// readable_text is the twin); the page's text is read back from that, so the index need not carry a second copy.
const STORED = / ?(?<![0-9A-Za-z])Q([0-9a-z]{3})[0-9a-z]{3}(?![0-9A-Za-z]) ?/g;

export function readableText(content) {
  return (content || "").replace(STORED, (_, digits) => {
    const v = parseInt(digits, 36);
    return String.fromCodePoint(v >= 0xa000 - BASE ? v - (0xa000 - BASE) + COMPAT : v + BASE);
  });
}

// The page's text without its title (the title is indexed first, and shown above the excerpt anyway).
function realText(data) {
  const text = readableText(data.content);
  const title = (data.meta && data.meta.title) || "";
  return title && text.startsWith(title) ? text.slice(title.length).trimStart() : text;
}

// Pagefind matched the tokens; keep only pages whose title or text holds every run and word exactly.
function contains(data, parsed) {
  const haystack = (((data.meta && data.meta.title) || "") + "\n" + realText(data)).toLowerCase();
  return parsed.runs.every((run) => haystack.includes(run)) && parsed.words.every((w) => haystack.includes(w));
}

export function excerpt(text, parsed, length = 96) {
  const needles = [...parsed.runs, ...parsed.words].filter(Boolean).sort((a, b) => b.length - a.length);
  const lower = text.toLowerCase();
  let first = -1;
  for (const needle of needles) {
    const at = lower.indexOf(needle.toLowerCase());
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const start = first < 0 ? 0 : Math.max(0, first - 24);
  const end = Math.min(text.length, start + length);
  const piece = text.slice(start, end);
  let html = escapeHtml(piece);
  if (needles.length) {
    const pattern = new RegExp(needles.map((n) => escapeRegExp(escapeHtml(n))).join("|"), "gi");
    html = html.replace(pattern, (m) => `<mark>${m}</mark>`);
  }
  return (start > 0 ? "…" : "") + html + (end < text.length ? "…" : "");
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
  const params = new URLSearchParams(window.location.search);
  const state = { query: params.get("q") || "", filters: {}, run: 0, pending: [], parsed: null, shown: 0,
    expanded: new Set() };
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
      const hidden = all.filter(beyond);
      if (!hidden.length) {
        toggle.hidden = true;
        continue;
      }
      if (hidden.some((chip) => chip.getAttribute("aria-pressed") === "true")) state.expanded.add(group);
      const open = state.expanded.has(group);
      toggle.hidden = false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "收起" : `更多 ${hidden.length}`;
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

  function resultItem(data) {
    const kind = (data.meta && data.meta.kind) || "";
    const li = document.createElement("li");
    li.className = `ex-result ex-result--${kind}`;
    const badge = KIND_LABEL[kind] ? `<span class="ex-badge ex-badge--${escapeHtml(kind)}">${KIND_LABEL[kind]}</span>` : "";
    const facts = [data.meta.region, data.meta.date].filter(Boolean).map(escapeHtml).join(" · ");
    li.innerHTML =
      `<p class="ex-result__top">${badge}<span class="ex-result__facts">${facts}</span></p>` +
      `<h2 class="ex-result__title"><a href="${escapeHtml(data.url)}">${escapeHtml(data.meta.title || data.url)}</a></h2>` +
      `<p class="ex-result__excerpt">${excerpt(realText(data), state.parsed)}</p>`;
    return li;
  }

  // Show up to BATCH more verified results from the pending Pagefind results.
  async function showMore(run) {
    let added = 0;
    while (added < BATCH && state.pending.length) {
      const batch = state.pending.splice(0, BATCH - added);
      const datas = await Promise.all(batch.map((r) => r.data()));
      if (run !== state.run) return;
      for (const data of datas) {
        if (!contains(data, state.parsed)) continue;
        list.append(resultItem(data));
        added += 1;
        state.shown += 1;
      }
    }
    more.hidden = state.pending.length === 0;
    return added;
  }

  async function search() {
    const run = ++state.run;
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
    if (!filtersReady) filtersBox.setAttribute("aria-busy", "true"); // keep the chips' room (see the CSS)
    const pf = await pagefind();
    state.parsed = rewrite(state.query);
    const query = state.parsed.terms.length ? state.parsed.terms.join(" ") : null;
    // An empty `filters` option makes Pagefind leave out the per-value counts: pass it only when set.
    const options = Object.keys(filters).length ? { filters } : {};
    if (!query) options.sort = { date: "desc" };
    const response = await pf.search(query, options);
    if (run !== state.run || !response) return;
    list.textContent = "";
    state.pending = response.results.slice();
    state.shown = 0;
    if (filtersReady) renderFilters(response.filters);
    await showMore(run);
    if (run !== state.run) return;
    setStatus(response.results.length);
    if (!filtersReady) {
      // Now the chips: once the results are on screen, load the filter index, then ask again (everything else
      // is cached) for the counts.
      await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      await loadFilters(pf);
      if (run !== state.run) return;
      const counted = await pf.search(query, options);
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

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  more.addEventListener("click", () => showMore(state.run));
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
