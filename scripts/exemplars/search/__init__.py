"""Search: Pagefind over the library's pages, with exact Chinese substring matching.

Pagefind's extended build segments Chinese into words and matches query words by prefix, so a query inside a
longer word (解员 in 调解员) is missed. Instead of the Chinese text, Pagefind is handed one ASCII word per
Chinese character naming it and the next one, in text order (ngrams.py); the browser rewrites a query's Chinese
run into the same words as a quoted phrase, and Pagefind's exact-phrase matching then finds every occurrence of
the substring, and nothing else. The browser decodes the stored tokens back into the readable text, so
excerpts and highlights are cut from the real text. Tokens exist only in what the indexer is handed, never in
published HTML.

What is indexed and what is typed are normalised alike (normalise.py: traditional → simplified, full-width →
half-width, Latin words with and without their inner hyphens or spaces); the browser gets the same rules as
assets/javascripts/fold.js, generated at build time, which knows which characters fold and imports their table
(fold-table.js) only for a text holding one. A query's space-separated parts must all occur, each one's
characters together and in order; a page is also found by its region, year, domains and tags (records.py).

A large library is indexed in shards (shards.py plans them by publication period), each by its own Pagefind
process and kept in .cache/exemplars/search/ (sharded.py), so memory is bounded by the shard size and a build
re-indexes only the shards whose pages changed; the shards are merged into the one bundle the site serves
(merge.py), so the reader's browser loads what it would load from one index.
"""
