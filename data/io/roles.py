"""Participation roles, read from their one home: ``data/taxonomy/roles.csv`` (schema ``roles``)
and the words that name them, ``data/taxonomy/role_words.csv`` (schema ``role_words``).

The importers map a stated role through these and never keep a role list of their own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from data.io import schema
from data.io.loader import load_vocabulary
from data.io.paths import TAXONOMY_DIR
from data.io.text import fold_words

OTHER_ROLE = "other"
"""The role of a stated word the vocabulary has no row for (``role_stated`` keeps the word)."""


def fold_cordis_role(word: str) -> str:
    """CORDIS's role words compared without case, spaces, '_' or '-': 'associatedPartner',
    'associated_partner' -> 'associatedpartner'."""
    return re.sub(r"[\s_-]+", "", word.lower())


@lru_cache(maxsize=8)
def role_labels(taxonomy_dir: Path = TAXONOMY_DIR) -> dict[str, str]:
    """role_id -> its label ('third-party' -> 'Third party'), in the file's order."""
    roles = load_vocabulary(schema.ROLES, taxonomy_dir)
    return dict(zip(roles["role_id"], roles["label"], strict=True))


@lru_cache(maxsize=8)
def cordis_roles(taxonomy_dir: Path = TAXONOMY_DIR) -> tuple[dict[str, str], tuple[str, ...]]:
    """CORDIS's role words, folded (``fold_cordis_role``) -> role_id, and the words as CORDIS
    writes them, for messages."""
    roles = load_vocabulary(schema.ROLES, taxonomy_dir)
    known = roles[roles["cordis_role"] != ""]
    mapping = dict(zip(known["cordis_role"].map(fold_cordis_role), known["role_id"], strict=True))
    return mapping, tuple(known["cordis_role"])


@lru_cache(maxsize=8)
def unfunded_roles(taxonomy_dir: Path = TAXONOMY_DIR) -> tuple[str, ...]:
    """Roles that receive no EU funding of their own (``funded = false``): CORDIS's 0 for their
    contribution means 'not applicable', not a stated 0."""
    roles = load_vocabulary(schema.ROLES, taxonomy_dir)
    return tuple(roles.loc[roles["funded"] == "false", "role_id"])


@lru_cache(maxsize=8)
def role_words(taxonomy_dir: Path = TAXONOMY_DIR) -> dict[str, str]:
    """Words for a role in several languages, folded (``fold_words``) -> role_id."""
    words = load_vocabulary(schema.ROLE_WORDS, taxonomy_dir)
    return dict(zip(words["word"], words["role"], strict=True))


def role_of_word(word: str, taxonomy_dir: Path = TAXONOMY_DIR) -> str | None:
    """The role a stated word names ('Koordinator' -> 'coordinator'), or None if none does."""
    return role_words(taxonomy_dir).get(fold_words(word))
