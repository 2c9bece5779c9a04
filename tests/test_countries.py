"""Country codes and names in any language become ISO 3166-1 alpha-2, or None."""

from __future__ import annotations

import pytest

from data.io.countries import country_name, to_iso2


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        (" fr ", "FR"),
        ("GR", "GR"),
        ("GB", "GB"),
        ("XK", "XK"),  # Kosovo's user-assigned code is not in ISO 3166-1 but is used by the EU.
    ],
)
def test_alpha2_codes_are_accepted_in_any_case(value: str, expected: str) -> None:
    assert to_iso2(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("EL", "GR"), ("el", "GR"), ("UK", "GB"), ("uk", "GB")])
def test_eu_codes_for_greece_and_the_uk_become_iso(value: str, expected: str) -> None:
    # CORDIS and Eurostat write EL and UK; the dashboard stores GR and GB only.
    assert to_iso2(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("DEU", "DE"), ("grc", "GR"), ("GBR", "GB"), ("CZE", "CZ")])
def test_alpha3_codes_become_alpha2(value: str, expected: str) -> None:
    assert to_iso2(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Alemania", "DE"),  # Spanish, as the INNO-DROP seed writes it
        ("República Checa", "CZ"),
        ("republica checa", "CZ"),  # accents and case do not matter
        ("España", "ES"),
        ("Deutschland", "DE"),  # German
        ("Ελλάδα", "GR"),  # Greek
        ("Grèce", "GR"),  # French
        ("Niemcy", "DE"),  # Polish
        ("Czech Republic", "CZ"),  # English official-ish name, not the ISO short name
        ("Germany", "DE"),
        ("the Netherlands", "NL"),
        ("Turkey", "TR"),  # a common name pycountry no longer carries
        ("Kosovo", "XK"),
    ],
)
def test_country_names_in_several_languages_become_alpha2(value: str, expected: str) -> None:
    assert to_iso2(value) == expected


@pytest.mark.parametrize("value", ["", "   ", "XX", "ZZZ", "Narnia", "Europe", "E", "12"])
def test_unknown_values_give_none_rather_than_a_guess(value: str) -> None:
    assert to_iso2(value) is None


def test_country_name_gives_the_english_short_name_and_falls_back_to_the_code() -> None:
    assert country_name("CZ") == "Czechia"
    assert country_name("XK") == "Kosovo"
    # An unknown code is shown as itself rather than dropped or replaced.
    assert country_name("QQ") == "QQ"
