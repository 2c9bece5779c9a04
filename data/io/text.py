"""Text keys and slugs: one home for folding (case, accents, punctuation) and for making ids.

Every comparison of free text in the importers and the loader goes through ``fold`` (or
``fold_words``, which also drops punctuation), so 'République Tchèque', 'REPUBLIQUE tcheque'
and 'république  tchèque' are one key everywhere.

Two slug makers are kept on purpose, because the ids they made are stored in existing datasets
and must not change:

- ``slugify`` (spreadsheet imports: project, programme, organisation and source ids) folds words
  first, so 'Straße' becomes 'strasse', and caps the slug at 80 characters on a word boundary;
- ``ascii_slugs`` (CORDIS imports: organisation ids from names) is vectorised over a column and
  drops whatever has no ASCII form ('Straße' -> 'strae'), with no length cap.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

MAX_SLUG = 80


def fold(text: str) -> str:
    """Case- and accent-insensitive key: 'República Checa' -> 'republica checa'.

    Whitespace runs become one space and a typographic apostrophe a straight one."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.replace("’", "'").split())


def fold_words(text: str) -> str:
    """``fold`` without punctuation, words separated by one space: 'Date de début' ->
    'date de debut', 'N° projet' -> 'n projet', 'start_date' -> 'start date'."""
    return " ".join(re.sub(r"[^\w]+|_", " ", fold(text)).split())


def slugify(text: str, max_length: int = MAX_SLUG) -> str:
    """'Fraunhofer-Gesellschaft e.V.' -> 'fraunhofer-gesellschaft-e-v', at most ``max_length``
    characters, cut at a hyphen where there is one. Letters without a Latin form are dropped
    ('' for a name written only in Greek): the caller decides what stands in for it.

    The spreadsheet importer's ids are made with this; ``ascii_slugs`` differs (see the module)."""
    slug = "-".join(fold_words(text).split())
    slug = re.sub(r"[^a-z0-9-]+", "", slug)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def ascii_slugs(values: pd.Series) -> pd.Series:
    """Lowercase a-z/0-9/- slugs of a column, accents folded ('Université' -> 'universite');
    characters without an ASCII form are dropped ('Straße' -> 'strae'), runs of anything else
    become one '-'. No length cap.

    The CORDIS importer's name-based organisation ids are made with this; it must not become
    ``slugify``, whose 'ß' -> 'ss' and word folding would change ids already stored."""
    ascii_text = values.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return ascii_text.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")
