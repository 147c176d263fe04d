"""Search: Pagefind over the library's pages, with exact Chinese substring matching.

Pagefind's extended build segments Chinese into words and matches query words by prefix, so a query inside a
longer word (解员 in 调解员) is missed. Instead of the Chinese text, Pagefind is handed one ASCII token per
character position, spelling the (up to) four characters that start there (ngrams.py); the browser rewrites a
query's Chinese runs into the same spelling, and Pagefind's prefix matching then finds every occurrence of any
1–4 character substring, and nothing else. The readable text travels in the record's metadata, so excerpts and
highlights are cut from the real text. Tokens exist only in what the indexer is handed, never in published HTML.
"""
