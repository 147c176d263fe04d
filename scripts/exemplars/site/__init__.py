"""The public site as data: URLs, view models and the set of pages a Library publishes.

Nothing here imports MkDocs: plugin.py adapts these page specs to MkDocs Files and template contexts, and a
move to another generator only needs another adapter.
"""
