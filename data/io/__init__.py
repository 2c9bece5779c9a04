"""File I/O: the schema of the normalized format, the loader, country names and the map geometry.

The only layer that reads files. It imports nothing from the engine, the importers or the app.
"""
