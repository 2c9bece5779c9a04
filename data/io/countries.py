"""Country codes: ISO 3166-1 alpha-2 from codes or names in any language.

The seeds write "Alemania" and "República Checa"; CORDIS and Eurostat write Greece as ``EL`` and
the United Kingdom as ``UK``. Everything the dashboard stores is ISO alpha-2 (``GR``, ``GB``).
Names are looked up in pycountry's translations of ISO 3166-1, so every language pycountry ships
is understood without a hand-written table.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache

import pycountry

from data.io.text import fold

# Eurostat/EU codes that differ from ISO 3166-1.
EU_TO_ISO = {"EL": "GR", "UK": "GB"}
_ISO_TO_EU = {iso: eu for eu, iso in EU_TO_ISO.items()}

# Names in common use that pycountry no longer carries (it follows the ISO short names).
# Kosovo has a user-assigned code (XK) that ISO 3166-1 does not list.
EXTRA_NAMES = {"turkey": "TR", "kosovo": "XK", "great britain": "GB", "britain": "GB"}


def _fold(text: str) -> str:
    """Case- and accent-insensitive key: 'República Checa' -> 'republica checa'."""
    return fold(text)


def _english_names(country: object) -> list[str]:
    names = [getattr(country, "name", "")]
    for attr in ("official_name", "common_name"):
        value = getattr(country, attr, None)
        if value:
            names.append(value)
    return [n for n in names if n]


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    """Folded name in any pycountry language -> alpha-2. Names claimed by two countries are
    dropped rather than guessed."""
    index: dict[str, str] = {}
    ambiguous: set[str] = set()

    def add(name: str, code: str) -> None:
        key = _fold(name)
        if not key or key in ambiguous:
            return
        if key in index and index[key] != code:
            ambiguous.add(key)
            del index[key]
            return
        index[key] = code

    countries = list(pycountry.countries)
    for country in countries:
        for name in _english_names(country):
            add(name, country.alpha_2)
    locales_dir = pycountry.LOCALES_DIR
    for lang in sorted(os.listdir(locales_dir)):
        try:
            translation = gettext.translation("iso3166-1", locales_dir, languages=[lang])
        except OSError:
            continue
        for country in countries:
            for name in _english_names(country):
                translated = translation.gettext(name)
                if translated != name:
                    add(translated, country.alpha_2)
    return index


@lru_cache(maxsize=4096)
def to_iso2(value: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a code or a country name, or None if unknown.

    Accepts alpha-2 (any case), the EU's ``EL``/``UK``, alpha-3, and names in any language
    pycountry translates (``Alemania`` -> ``DE``).
    """
    text = (value or "").strip()
    if not text:
        return None
    upper = text.upper()
    if upper in EU_TO_ISO:
        return EU_TO_ISO[upper]
    if len(text) == 2:
        found = pycountry.countries.get(alpha_2=upper)
        return found.alpha_2 if found else (upper if upper == "XK" else None)
    if len(text) == 3:
        found = pycountry.countries.get(alpha_3=upper)
        if found:
            return found.alpha_2
    key = _fold(text)
    if key.startswith("the "):
        key = key[4:]
    return EXTRA_NAMES.get(key) or _name_index().get(key)


def eu_code(code: str) -> str:
    """The EU's (Eurostat's, CORDIS's) spelling of an ISO alpha-2 code: 'GR' -> 'EL', 'GB' -> 'UK';
    every other code is the same in both."""
    return _ISO_TO_EU.get(code, code)


@lru_cache(maxsize=2048)
def country_name(code: str, lang: str = "en") -> str:
    """Short name for an alpha-2 code in ``lang`` ('CZ' -> 'Czechia', 'Tschechien' in German);
    English (pycountry's) by default and where the language has no name; the code itself if
    unknown."""
    if lang != "en":
        # Imported here: the i18n module reads the taxonomy through the loader, which imports
        # this module.
        from data.io.i18n import territory_names

        name = territory_names(lang).get(code)
        if name:
            return name
    if code == "XK":
        return "Kosovo"
    found = pycountry.countries.get(alpha_2=code)
    if not found:
        return code
    return getattr(found, "common_name", None) or found.name
