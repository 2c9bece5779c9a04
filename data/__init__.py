"""The data layer. Never imports dash.

- ``data.io``: the schema, reading and validating files, country names, geometry (lowest layer);
- ``data.engine``: the indexed dataset, the filter state, masks and queries;
- ``data.importers``: CORDIS downloads and spreadsheets into the normalized format.

The folders ``seed/``, ``taxonomy/``, ``geo/`` and ``reference/`` hold data files only.
"""
