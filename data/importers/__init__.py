"""Imports of other people's data into the normalized format: CORDIS open data, spreadsheets.

Run ``python -m data.importers --help``. Every import ends with a report (rows read, imported,
rejected with file, line, column and reason) and writes a dataset all or nothing.
"""

import logging

# The importers log each import (INFO) and each refusal (WARNING) for an application that
# configures logging; on their own they print nothing beyond their reports.
logging.getLogger(__name__).addHandler(logging.NullHandler())
