"""The interface in English, German, French and Spanish: the translator and its plurals, country,
KET and sector names per language, the page and the views in another language, and the
catalogs complete for every string the code marks (so a new string cannot ship untranslated)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po
from dash.development.base_component import Component
from fixtures_data import load_seed

from callbacks import hub, views
from callbacks.views import DROPDOWN_DIMENSIONS
from components import ids
from components.layout import build_layout, table_columns
from components.panels import headline_panel, notices
from data.engine.queries import Headline
from data.engine.state import LANGUAGES as URL_LANGUAGES
from data.engine.state import FilterState, parse_query
from data.io import schema
from data.io.countries import country_name
from data.io.i18n import LANGUAGES, N_, taxonomy_labels, translator
from data.io.loader import load_vocabulary
from data.io.paths import LOCALE_DIR
from server.factory import create_app

REPO = Path(__file__).resolve().parent.parent
TRANSLATED = schema.TRANSLATED_LANGUAGES
FIELD = re.compile(r"\{(\w*)\}")


def texts(node: Any) -> list[str]:
    """Every string a component tree shows or names (children, placeholders, labels, titles)."""
    found: list[str] = []
    if isinstance(node, str):
        found.append(node)
    elif isinstance(node, Component):
        for prop in node._prop_names:
            found += texts(getattr(node, prop, None))
    elif isinstance(node, list | tuple):
        for child in node:
            found += texts(child)
    elif isinstance(node, dict):
        for value in node.values():
            found += texts(value)
    return found


def find(node: Any, component_id: str) -> Component:
    """The component of ``node``'s tree with ``component_id``."""
    if isinstance(node, Component):
        if getattr(node, "id", None) == component_id:
            return node
        for prop in node._prop_names:
            try:
                return find(getattr(node, prop, None), component_id)
            except LookupError:
                continue
    elif isinstance(node, list | tuple):
        for child in node:
            try:
                return find(child, component_id)
            except LookupError:
                continue
    raise LookupError(component_id)


# --- the translator -----------------------------------------------------------------------------


def test_the_languages_of_the_url_are_the_languages_of_the_interface() -> None:
    assert tuple(URL_LANGUAGES) == LANGUAGES


@pytest.mark.parametrize(("lang", "expected"), [("de", "Land"), ("fr", "Pays"), ("es", "País"),
                                                 ("en", "Country")])
def test_the_translator_answers_in_its_language(lang: str, expected: str) -> None:
    assert translator(lang)("Country") == expected


def test_an_unknown_language_or_message_falls_back_to_english() -> None:
    assert translator("xx")("Country") == "Country"
    assert translator("xx").lang == "en"
    assert translator("de")("A sentence no catalog has") == "A sentence no catalog has"


def test_fields_are_filled_after_translating() -> None:
    _ = translator("de")
    assert _("budget for {known} of {n}", known=3, n=7) == "Budget für 3 von 7"


@pytest.mark.parametrize(("lang", "one", "zero", "many"), [
    ("en", "1 project", "0 projects", "2 projects"),
    ("de", "1 Projekt", "0 Projekte", "2 Projekte"),
    # French counts zero as singular, Spanish as plural.
    ("fr", "1 projet", "0 projet", "2 projets"),
    ("es", "1 proyecto", "0 proyectos", "2 proyectos"),
])
def test_plurals_follow_each_languages_rule(lang: str, one: str, zero: str, many: str) -> None:
    _ = translator(lang)

    def count(n: int) -> str:
        return _.ngettext("{n} project; the table loads rows as you scroll.",
                          "{n} projects; the table loads rows as you scroll.", n).split(";")[0].strip()

    assert [count(1), count(0), count(2)] == [one, zero, many]


def test_numbers_are_grouped_the_languages_way() -> None:
    assert [translator(lang).number(12345) for lang in ("en", "de", "es")] == ["12,345", "12.345", "12.345"]
    assert translator("fr").number(12345).replace("\u202f", " ").replace("\xa0", " ") == "12 345"


def test_a_marked_message_is_english_until_shown_in_a_language() -> None:
    message = N_("must be one of {allowed}", allowed="en, de")
    assert message == "must be one of en, de"
    assert translator("es").message(message) == "debe ser uno de en, de"


# --- country, KET and sector names ---------------------------------------------------------------


@pytest.mark.parametrize(("code", "lang", "name"), [
    ("DE", "de", "Deutschland"), ("DE", "fr", "Allemagne"), ("DE", "es", "Alemania"),
    ("CZ", "de", "Tschechien"), ("GR", "fr", "Grèce"), ("NL", "es", "Países Bajos"),
])
def test_country_names_come_in_the_language_asked_for(code: str, lang: str, name: str) -> None:
    assert country_name(code, lang) == name


def test_country_names_stay_english_by_default() -> None:
    assert [country_name("CZ"), country_name("XK"), country_name("ZZ")] == ["Czechia", "Kosovo", "ZZ"]
    assert country_name("XK", "de") == "Kosovo"


@pytest.mark.parametrize("table", [schema.KET_TRANSLATIONS, schema.SECTOR_TRANSLATIONS], ids=lambda t: t.name)
def test_every_ket_and_sector_has_a_name_in_every_language(table: schema.Table) -> None:
    target = schema.KETS if table is schema.KET_TRANSLATIONS else schema.SECTORS
    key = target.key[0]
    wanted = set(load_vocabulary(target)[key])
    frame = load_vocabulary(table)
    assert {lang: set(frame[frame["lang"] == lang][key]) for lang in TRANSLATED} == dict.fromkeys(
        TRANSLATED, wanted)


def test_the_vocabulary_names_kets_sectors_and_countries_in_the_language() -> None:
    seed = load_seed()
    ket, sector = seed.vocabulary("ket", "de"), seed.vocabulary("sector", "fr")
    assert ket["nanotechnology"] == "Nanotechnologie"
    assert ket["not-stated"] == "Keine KET angegeben"
    assert sector["aerospace-defence"] == "Aérospatiale et défense"
    assert seed.vocabulary("country", "es")["DE"] == "Alemania"
    # The same values in every language, only their labels differ; English unchanged.
    assert list(seed.vocabulary("ket", "es")) == list(seed.vocabulary("ket"))
    assert seed.vocabulary("ket")["nanotechnology"] == "Nanotechnology"


def test_countries_are_sorted_by_their_name_in_the_language() -> None:
    names = list(load_seed().vocabulary("country", "de").values())
    assert names.index("Österreich") < names.index("Polen")  # Ö sorts as O, not after Z


def test_an_english_taxonomy_has_no_translated_labels() -> None:
    labels = taxonomy_labels("en")
    assert set(labels) == set(taxonomy_labels("de"))
    assert {"ket", "role", "project_kind", "field"} <= set(labels)
    assert all(mapping == {} for mapping in labels.values())


# --- the page and the views in another language --------------------------------------------------


def test_the_layout_in_german_has_german_labels() -> None:
    seed = load_seed()
    vocab = {d: seed.vocabulary(d, "de") for d in DROPDOWN_DIMENSIONS}
    page = build_layout(vocab, (2010, 2024), "© boundaries", lang="de")
    shown = texts(page)
    assert "KET-Clusterkooperation in Europa" in shown
    assert find(page, ids.FILTER_COUNTRY).placeholder == "Land"
    assert find(page, ids.FILTER_KET).placeholder == "Schlüsseltechnologie (KET)"
    assert find(page, ids.RESET).children == "Alles zurücksetzen"
    assert {"label": "Deutschland", "value": "DE"} in find(page, ids.FILTER_COUNTRY).options
    assert "Country" not in shown and "Reset all" not in shown
    assert [c["headerName"] for c in table_columns("de")][:2] == ["Akronym", "Titel"]


def test_the_language_switch_links_keep_the_filters() -> None:
    state = FilterState(country=("DE",), ket=("photonics",), lang="de")
    out = views.render_filter_bar(load_seed(), state)
    links = {k: v for k, v in out.items() if k.startswith("lang_link")}
    assert links == {"lang_link_en": "?country=DE&ket=photonics",
                     "lang_link_de": "?country=DE&ket=photonics&lang=de",
                     "lang_link_fr": "?country=DE&ket=photonics&lang=fr",
                     "lang_link_es": "?country=DE&ket=photonics&lang=es"}


def test_the_filter_bar_renders_in_french() -> None:
    out = views.render_filter_bar(load_seed(), FilterState(country=("DE",), ket=("photonics",), lang="fr"))
    chips = texts(out["chips"])
    assert "pays\u00a0: Allemagne" in chips and "TCG\u00a0: Photonique" in chips
    assert out["table_count"].endswith("; le tableau charge les lignes au défilement.")
    assert "projet" in out["table_count"]


def test_the_headline_and_the_dropdowns_render_in_spanish() -> None:
    seed = load_seed()
    state = FilterState(country=("DE",), lang="es")
    shown = texts(views.render_headline(seed, state))
    assert any(t.startswith("Completitud de los datos:") for t in shown)
    assert "de ellas en Alemania" in shown
    options = views.dropdown_options(seed, state)["country_options"]
    assert {"label": "Alemania", "value": "DE"} in options


def test_the_figures_speak_the_language() -> None:
    seed = load_seed()
    state = FilterState(lang="de")
    geo = views.render_map(seed, state, ["DE", "FR"], "/geo", "©")["figure"].to_dict()
    hover = [t for trace in geo["data"] for t in [trace.get("hovertemplate", "")]]
    names = [row[0] for trace in geo["data"] for row in trace.get("customdata", [])]
    assert "Deutschland" in names and "Germany" not in names
    assert any("kein Projekt in dieser Auswahl" in h for h in hover)
    matrix = views.render_matrix(seed, state)["figure"].to_dict()
    assert "Nano" in matrix["layout"]["yaxis"]["ticktext"]
    assert "Luft- und Raumfahrt und Verteidigung" in matrix["layout"]["xaxis"]["ticktext"]
    assert "Projekt(e)" in matrix["data"][0]["hovertemplate"]


def test_the_project_panel_renders_in_french() -> None:
    seed = load_seed()
    project = str(seed.projects["project_id"].iloc[0])
    shown = texts(views.render_detail(seed, FilterState(project=project, lang="fr"))["detail"])
    assert "Partenaires" in shown and "Sources" in shown
    assert "Technologies clés génériques (TCG)" in shown


def test_notices_of_the_address_show_in_the_language() -> None:
    seed = load_seed()
    state, found = parse_query("?zoom=99&lang=de", seed)
    shown = texts(notices(found, state.lang))
    assert "Ein Teil der Adresse wurde nicht verstanden und ignoriert: " in shown
    assert any(t.startswith("zoom='99' ignoriert: muss eine Zahl von") for t in shown)
    # The hub hands the address's language to the notices.
    registry = create_app().server.extensions["ket_registry"]
    out = hub.hub_update(registry, hub.Trigger(), "?lang=fr&sort=nope", None)
    assert any("ignoré" in t for t in texts(out["notices"]))


def test_the_server_sends_the_page_in_the_address_language() -> None:
    client = create_app().server.test_client()
    page = client.get("/?lang=de&country=DE").get_data(as_text=True)
    assert '<html lang="de">' in page and "<title>KET-Clusterkooperation in Europa</title>" in page
    assert '<html lang="en">' in client.get("/?lang=xx").get_data(as_text=True)
    # Dash asks for the layout without the page's query: the page's address is the referrer.
    layout = client.get("/_dash-layout", headers={"Referer": "http://localhost/?lang=es"})
    assert layout.status_code == 200 and "Restablecer todo" in layout.get_data(as_text=True)
    assert "Reset all" in client.get("/_dash-layout").get_data(as_text=True)


# --- the catalogs are complete ---------------------------------------------------------------------


def marked_messages() -> dict[str, tuple[str, ...]]:
    """Every message the code marks (``_``, ``_.ngettext``, ``N_``), as ``pybabel extract`` with
    ``babel.cfg`` finds it: singular msgid -> (msgid, plural msgid...)."""
    method_map = [(line[1:-1].split(":", 1)[1].strip(), line[1:-1].split(":", 1)[0])
                  for line in (REPO / "babel.cfg").read_text(encoding="utf-8").splitlines()
                  if line.startswith("[")]
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(REPO), method_map, keywords=keywords):
        ids_ = message if isinstance(message, tuple) else (message,)
        found[ids_[0]] = tuple(ids_)
    return found


def test_the_code_marks_the_strings_of_the_page() -> None:
    marked = marked_messages()
    assert {"Country", "Reset all", "KET cluster cooperation in Europe", "unknown parameter"} <= set(marked)
    assert marked["project"] == ("project", "projects")


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_marked_string_is_translated(lang: str) -> None:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=lang)
    missing, broken = [], []
    for msgid, forms in marked_messages().items():
        message = catalog.get(forms if len(forms) > 1 else msgid)
        found = message.string if message else ()
        strings = found if isinstance(found, tuple) else (found,)
        if not strings or not all(strings) or (message and message.fuzzy):
            missing.append(msgid)
            continue
        # A translation fills the same {fields} as the English (else .format fails or loses one).
        for string in strings:
            if set(FIELD.findall(string)) != set(FIELD.findall(forms[-1])) | set(FIELD.findall(forms[0])):
                broken.append((msgid, string))
    assert missing == [], f"add these to data/locale/{lang}/LC_MESSAGES/messages.po (make messages)"
    assert broken == []


# --- no string of the page escapes the catalogs ----------------------------------------------------

UI_MODULES = {"html", "dbc", "dcc", "dag"}
SHOWN_PROPS = {"children", "placeholder", "label", "title", "alt", "headerName", "headerTooltip"}
WORDS = re.compile(r"[A-Za-z]{2,}")
NOT_YET_TRANSLATED: set[tuple[str, str]] = set()


def _literal(node: Any) -> str | None:
    """The text of a string literal, an f-string's literal parts, or a list of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    if isinstance(node, ast.List):
        return " ".join(t for t in (_literal(e) for e in node.elts) if t)
    return None


def unmarked_texts() -> set[tuple[str, str]]:
    """(file, text) of each string literal a component of components/ or callbacks/ shows
    (children, placeholder, label, title...) that is not passed through the translator.
    Code shown as code (``html.Code``) and addresses ('/api/...') are not words to translate."""
    found: set[tuple[str, str]] = set()
    for path in sorted([*REPO.glob("components/*.py"), *REPO.glob("callbacks/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            if not (isinstance(node, ast.Call) and isinstance(func, ast.Attribute)
                    and isinstance(func.value, ast.Name) and func.value.id in UI_MODULES
                    and func.attr != "Code"):
                continue
            for arg in [*node.args[:1], *(k.value for k in node.keywords if k.arg in SHOWN_PROPS)]:
                text = _literal(arg)
                if text and WORDS.search(text) and not text.startswith("/"):
                    found.add((str(path.relative_to(REPO)), text))
    return found


def test_no_component_shows_a_string_the_translator_does_not_see() -> None:
    assert unmarked_texts() - NOT_YET_TRANSLATED == set(), (
        "wrap these in _() (components: _ = translator(lang)), then `make messages` and translate")


@pytest.mark.parametrize(("lang", "written"), [("en", "50,000"), ("de", "50.000"), ("fr", "50\u202f000")])
def test_the_headline_writes_its_counts_the_languages_way(lang: str, written: str) -> None:
    counts = Headline(projects=50_000, organisations=283_340, countries=36, eu_contribution_eur=None,
                      eu_contribution_known=45_640, budget_known=44_962, dates_known=46_521,
                      partners_named=50_000, period_undetermined=0)
    shown = " ".join(texts(headline_panel(counts, lang)))
    assert written in shown
    assert "50000" not in shown and "45640" not in shown
