"""Formula safety: one home for making text inert before a spreadsheet opens it.

Every file written for people to open (an import's rejects, the exports) passes its text cells
through ``neutralise_formula``; the dataset files keep the source's text verbatim for the app.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: str) -> str:
    """Text a spreadsheet would run as a formula, made inert with a leading apostrophe.

    Used for every file written for people to open (rejects, exports); the dataset files keep
    the source's text verbatim for the app to read."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
