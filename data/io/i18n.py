"""The interface in English, German, French and Spanish: messages, numbers and taxonomy labels.

Messages are gettext catalogs, ``data/locale/<lang>/LC_MESSAGES/messages.po`` (the msgid is the
English text; ``make messages`` extracts new strings and updates the catalogs). They are read
once, at the first use of a language, and compiled in memory, so no binary catalog is kept in
the repository. A message missing from a catalog shows in English rather than failing.

Messages take their values as named ``{fields}``: ``_("{n} of {total}", n=1, total=2)``; the
translator formats them after translating, so a translation may reorder the fields.
"""

from __future__ import annotations

import gettext
import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from data.io import schema
from data.io.loader import load_vocabulary
from data.io.paths import LOCALE_DIR, TAXONOMY_DIR

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"
LANGUAGES = (DEFAULT_LANGUAGE, *schema.TRANSLATED_LANGUAGES)
"""The interface's languages; ``data.engine.state.LANGUAGES`` is the same list for the URL."""
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
"""Each language named in itself, as the language switch shows it."""
DOMAIN = "messages"


class Message(str):
    """An English message that remembers its template and values, so a view can show it in
    another language later (``Translator.message``); as a ``str`` it is the English text."""

    template: str
    values: dict[str, Any]

    def __new__(cls, template: str, values: dict[str, Any]) -> Message:
        """The English text of ``template`` with ``values``, remembering both."""
        text = super().__new__(cls, template.format(**values) if values else template)
        text.template = template
        text.values = values
        return text

    def __getnewargs__(self) -> tuple[str, dict[str, Any]]:  # type: ignore[override]
        """What copies and pickles rebuild it from (figures are deep-copied)."""
        return self.template, self.values


def N_(template: str, /, **values: Any) -> Message:
    """Mark ``template`` for translation without translating it now: the English ``Message``,
    translated where it is shown (the engine's notices are made before the language is known)."""
    return Message(template, values)


@lru_cache(maxsize=8192)
def _number(value: float, lang: str) -> str:
    # Babel parses the locale's pattern on every call (0.1 ms): a view writes hundreds of
    # counts, mostly the same few, so each (number, language) is worded once.
    return str(format_decimal(value, locale=lang))


class Translator:
    """``_("text", **values)`` in one language, with ``ngettext`` for plurals and ``number``."""

    def __init__(self, lang: str, translations: gettext.NullTranslations) -> None:
        self.lang = lang
        self._translations = translations

    def __call__(self, message: str, /, **values: Any) -> str:
        """``message`` in this language, its ``{fields}`` filled from ``values``."""
        text = self._translations.gettext(message)
        return text.format(**values) if values else text

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        """The form of ``singular``/``plural`` for ``n`` in this language; ``{n}`` is ``n``
        written the language's way (1,234 / 1.234 / 1 234)."""
        text = self._translations.ngettext(singular, plural, n)
        return text.format(n=self.number(n), **values)

    def number(self, value: float) -> str:
        """A number with this language's digit grouping and decimal mark."""
        return _number(value, self.lang)

    def message(self, text: str) -> str:
        """``text`` in this language when it is a ``Message`` (or a plain msgid), else as it is."""
        if isinstance(text, Message):
            return self(text.template, **text.values)
        return self(text) if text else text


def language(lang: str | None) -> str:
    """``lang`` when it is a language of the interface, else English."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=len(LANGUAGES))
def translator(lang: str | None = DEFAULT_LANGUAGE) -> Translator:
    """The translator of ``lang`` (English for anything else), its catalog read once."""
    lang = language(lang)
    if lang == DEFAULT_LANGUAGE:
        return Translator(lang, gettext.NullTranslations())
    return Translator(lang, _catalog(lang))


def _catalog(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` compiled in memory; English messages if it is missing."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    try:
        with path.open("rb") as po:
            catalog = read_po(po, locale=lang, domain=DOMAIN)
    except OSError as error:
        log.warning("no message catalog for %s (%s): the interface stays in English", lang, error)
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@lru_cache(maxsize=len(LANGUAGES))
def territory_names(lang: str) -> dict[str, str]:
    """ISO alpha-2 -> the country's name in ``lang`` (CLDR, through babel)."""
    territories = Locale.parse(language(lang)).territories
    return {str(code): str(name) for code, name in territories.items()
            if len(code) == 2 and code.isalpha()}


KIND_KEYS = {"projects": "project_kind", "activities": "activity_kind", "sources": "source_kind",
             "findings": "finding_kind", "organisations": "organisation_kind"}
"""The key of ``taxonomy_labels`` holding the kinds of each table with a ``kind``."""
LABEL_KEYS = ("ket", "ket_short", "sector", "role", *KIND_KEYS.values(), "field", "field_short")
"""The keys of ``taxonomy_labels``: one id -> label mapping each."""


@lru_cache(maxsize=8)
def taxonomy_labels(lang: str, taxonomy_dir: str = str(TAXONOMY_DIR)) -> dict[str, dict[str, str]]:
    """The vocabularies' labels in ``lang``, one mapping per ``LABEL_KEYS`` entry: KETs
    (``ket``, ``ket_short``), sectors, participation roles (``role``), kinds of projects,
    activities, sources and findings (``project_kind``, ``activity_kind``, ``source_kind``,
    ``finding_kind``) and the upload dialog's spreadsheet fields (``field``, ``field_short``),
    from the ``*_translations.csv`` files of ``taxonomy_dir``.
    Empty for English (the vocabularies' own labels) and for ids without a translation."""
    if language(lang) == DEFAULT_LANGUAGE:
        return {key: {} for key in LABEL_KEYS}
    folder = Path(taxonomy_dir)

    def rows(table: schema.Table) -> pd.DataFrame:
        frame = load_vocabulary(table, folder)
        return frame[frame["lang"] == lang]

    def labels(frame: pd.DataFrame, key: str, column: str = "label") -> dict[str, str]:
        return dict(zip(frame[key], frame[column], strict=True))

    kets, sectors, roles = (rows(schema.KET_TRANSLATIONS), rows(schema.SECTOR_TRANSLATIONS),
                            rows(schema.ROLE_TRANSLATIONS))
    kinds, fields = rows(schema.KIND_TRANSLATIONS), rows(schema.SPREADSHEET_FIELD_TRANSLATIONS)
    return {
        "ket": labels(kets, "ket_id"), "ket_short": labels(kets, "ket_id", "short_label"),
        "sector": labels(sectors, "sector_id"), "role": labels(roles, "role_id"),
        **{key: labels(kinds[kinds["table"] == table], "kind") for table, key in KIND_KEYS.items()},
        "field": labels(fields, "field"), "field_short": labels(fields, "field", "short_label"),
    }


def kind_label(table: str, kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The kind of a row of ``table`` (one of ``schema.KINDS_OF``: 'projects', 'activities',
    'sources', 'findings') as the page shows it in ``lang``: its translation, or in English the
    kind with spaces for hyphens ('pilot-action' -> 'pilot action')."""
    translated = taxonomy_labels(lang)[KIND_KEYS[table]].get(kind) if table in KIND_KEYS else None
    return translated or kind.replace("-", " ")


def missing_translations(taxonomy_dir: Path = TAXONOMY_DIR) -> list[str]:
    """What the translation files of ``taxonomy_dir`` lack: one line per id of a vocabulary
    (KET, sector, role, kind, spreadsheet field, programming period) without a label in a language
    of the interface. Empty when every one is translated into every language."""
    folder = Path(taxonomy_dir)
    # Each translation file, the column naming the id, and the ids it must translate.
    wanted: list[tuple[schema.Table, str, dict[str, set[str]]]] = [
        (schema.KET_TRANSLATIONS, "ket_id", {"": set(load_vocabulary(schema.KETS, folder)["ket_id"])}),
        (schema.SECTOR_TRANSLATIONS, "sector_id",
         {"": set(load_vocabulary(schema.SECTORS, folder)["sector_id"])}),
        (schema.ROLE_TRANSLATIONS, "role_id", {"": set(load_vocabulary(schema.ROLES, folder)["role_id"])}),
        (schema.KIND_TRANSLATIONS, "kind", {t: set(kinds) for t, kinds in schema.KINDS_OF.items()}),
        (schema.SPREADSHEET_FIELD_TRANSLATIONS, "field", {"": set(schema.SPREADSHEET_FIELDS)}),
        (schema.PROGRAMMING_PERIOD_TRANSLATIONS, "period_id",
         {"": set(load_vocabulary(schema.PROGRAMMING_PERIODS, folder)["period_id"])}),
    ]
    missing: list[str] = []
    for table, key, ids_of in wanted:
        frame = load_vocabulary(table, folder)
        for of, ids in ids_of.items():
            rows = frame[frame["table"] == of] if of else frame
            for lang in schema.TRANSLATED_LANGUAGES:
                found = set(rows.loc[rows["lang"] == lang, key])
                missing += [f"{table.file}: no {lang} label for {of + ' ' if of else ''}{key} {i!r}"
                            for i in sorted(ids - found)]
    return missing
