"""Imports of other people's data into the normalized format: CORDIS open data, spreadsheets.

Run ``python -m data.importers --help``. Every import ends with a report (rows read, imported,
rejected with file, line, column and reason) and writes a dataset all or nothing.
"""
