"""The engine: the indexed dataset, the filter state and its URL form, masks and queries.

Pure computation over a loaded dataset. It reads no files itself (``data.io`` does) and never
imports dash.
"""
