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
        return str(format_decimal(value, locale=self.lang))

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


@lru_cache(maxsize=8)
def taxonomy_labels(lang: str, taxonomy_dir: str = str(TAXONOMY_DIR)) -> dict[str, dict[str, str]]:
    """The taxonomy in ``lang``: ``{"ket": {id: label}, "ket_short": {...}, "sector": {...}}``
    from ``ket_translations.csv`` and ``sector_translations.csv``; empty for English (the
    taxonomy files' own labels) and for ids without a translation."""
    if language(lang) == DEFAULT_LANGUAGE:
        return {"ket": {}, "ket_short": {}, "sector": {}}
    folder = Path(taxonomy_dir)
    kets = load_vocabulary(schema.KET_TRANSLATIONS, folder)
    kets = kets[kets["lang"] == lang]
    sectors = load_vocabulary(schema.SECTOR_TRANSLATIONS, folder)
    sectors = sectors[sectors["lang"] == lang]
    return {
        "ket": dict(zip(kets["ket_id"], kets["label"], strict=True)),
        "ket_short": dict(zip(kets["ket_id"], kets["short_label"], strict=True)),
        "sector": dict(zip(sectors["sector_id"], sectors["label"], strict=True)),
    }
