"""Component ids: every id a callback listens to or writes is on the page exactly once (or is a
pattern-matching type the page or a callback draws), and every id is written in
``components/ids.py`` only."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from dash import Dash
from dash.development.base_component import Component
from fixtures_data import load_seed

from callbacks import views
from callbacks.network import render_network
from components import ids
from components.org_map_panel import org_list
from components.storyboard import view_list
from components.upload import mapping_form
from data.engine.state import FilterState
from data.engine.storyboard import Storyboard, StoryView
from data.importers.spreadsheet import mapping_fields
from server.factory import create_app

REPO = Path(__file__).resolve().parent.parent
ID_CONSTANTS = {value for name, value in vars(ids).items() if name.isupper() and isinstance(value, str)}


def components(node: Any) -> Iterator[Component]:
    """Every component under ``node``, itself included, whatever prop holds it."""
    if isinstance(node, Component):
        yield node
        for prop in node._prop_names:
            yield from components(getattr(node, prop, None))
    elif isinstance(node, list | tuple):
        for child in node:
            yield from components(child)


def component_ids(node: Any) -> list[str | dict[str, Any]]:
    return [c.id for c in components(node) if getattr(c, "id", None) is not None]


def page_of(app: Dash) -> Any:
    """The page the app serves: its layout is a function of the request's language."""
    return app.layout() if callable(app.layout) else app.layout


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Dash:
    return create_app(upload_dir=tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="module")
def drawn_by_callbacks() -> list[Any]:
    """Components the callbacks put on the page: chips, the undated list, the mapping form,
    the headline and the detail panel."""
    seed = load_seed()
    state = FilterState(country=("DE",), q="cluster", year_from=2012, dataset="abc")
    timeline = views.render_timeline(seed, FilterState())
    matrix_table = views.render_matrix(seed, FilterState())["table"]
    form = mapping_form(mapping_fields(), ["Acronym", "Title"], {"acronym": "Acronym"})
    detail = [views.render_detail(seed, FilterState(project=p))["detail"]
              for p in seed.projects["project_id"]]
    story = view_list(Storyboard(views=(StoryView(title="One"), StoryView(title="Two"))), 1)
    return [views.render_filter_bar(seed, state, "upload.csv")["chips"], timeline["undated"],
            timeline["list"], matrix_table, form,
            views.render_headline(seed, state), detail, story,
            views.render_map(seed, state, [], "/geo/countries.geojson", "")["list"],
            views.render_region_map(seed, FilterState(geo="nuts2"), {2: "/geo/nuts2021_levl2.geojson"})[
                "unplaced"],
            # The seed states no coordinates: the organisation list of one drawn organisation.
            org_list(pd.DataFrame({"organisation_id": ["silicon-saxony"], "name": ["Silicon Saxony"],
                                   "country": ["DE"], "participations": [1], "selected": [False]}),
                     FilterState()),
            render_network(seed, FilterState())["table"]]


def callback_dependencies(app: Dash) -> list[tuple[str | dict[str, Any], str]]:
    """(id, property) of every output, input and state of every registered callback."""
    found: list[tuple[str | dict[str, Any], str]] = []

    def parsed(component_id: Any) -> str | dict[str, Any]:
        if isinstance(component_id, str) and component_id.startswith("{"):
            return dict(json.loads(component_id))
        return component_id  # type: ignore[no-any-return]

    for key, spec in app.callback_map.items():
        parts = key[2:-2].split("...") if key.startswith("..") else [key]
        for part in parts:
            component_id, _, prop = part.rpartition(".")
            found.append((parsed(component_id), prop.split("@")[0]))
        for dep in [*spec["inputs"], *spec["state"]]:
            found.append((parsed(dep["id"]), dep["property"]))
    return found


def test_every_string_id_of_the_layout_is_unique_and_written_in_ids(app: Dash) -> None:
    string_ids = [i for i in component_ids(page_of(app)) if isinstance(i, str)]
    assert [i for i, n in Counter(string_ids).items() if n > 1] == []
    assert set(string_ids) - ID_CONSTANTS == set()


def test_every_id_a_callback_uses_is_on_the_page_exactly_once(app: Dash) -> None:
    on_page = Counter(i for i in component_ids(page_of(app)) if isinstance(i, str))
    used = {i for i, _ in callback_dependencies(app) if isinstance(i, str)}
    assert {i: on_page[i] for i in used if on_page[i] != 1} == {}
    assert used - ID_CONSTANTS == set()


def test_every_pattern_matching_type_a_callback_uses_is_drawn_by_the_page_or_a_callback(
    app: Dash, drawn_by_callbacks: list[Any]
) -> None:
    drawn = component_ids([page_of(app), drawn_by_callbacks])
    drawn_types = {i["type"] for i in drawn if isinstance(i, dict)}
    used = {i["type"] for i, _ in callback_dependencies(app) if isinstance(i, dict)}
    assert used == {ids.CHIP, ids.UNDATED_ITEM, ids.UPLOAD_FIELD, ids.MATRIX_CELL, ids.TIMELINE_ITEM,
                    ids.STORY_ACTION, ids.REGION_ROW, ids.ORG_ROW, ids.NETWORK_NODE}
    assert used <= drawn_types
    # Every key a callback matches on is a key the drawn components have.
    for component_id, _ in callback_dependencies(app):
        if isinstance(component_id, dict):
            keys = {tuple(sorted(i)) for i in drawn
                    if isinstance(i, dict) and i["type"] == component_id["type"]}
            assert keys == {tuple(sorted(component_id))}, component_id


def test_the_ids_callbacks_draw_are_written_in_ids(drawn_by_callbacks: list[Any]) -> None:
    drawn = component_ids(drawn_by_callbacks)
    assert {i for i in drawn if isinstance(i, str)} - ID_CONSTANTS == set()
    assert {i["type"] for i in drawn if isinstance(i, dict)} - ID_CONSTANTS == set()
    assert ids.HEADLINE_PROJECTS in drawn and ids.chip_id("country", "DE") in drawn


def test_every_label_points_at_an_element_of_the_page(app: Dash, drawn_by_callbacks: list[Any]) -> None:
    tree = [page_of(app), drawn_by_callbacks]
    dom_ids = {ids.dom_id(i) for i in component_ids(tree)}
    targets = [c.htmlFor for c in components(tree) if getattr(c, "htmlFor", None)]
    assert targets, "the page has labels"
    assert [t for t in targets if t not in dom_ids] == []


def test_ids_are_written_only_in_ids_module() -> None:
    # An id given as a literal or an f-string (id="...", id=f"...", id={...}) anywhere else.
    literal = re.compile(r"""\bid=(f?["']|\{)""")
    offenders = [f"{path.relative_to(REPO)}:{n}"
                 for folder in ("components", "callbacks")
                 for path in sorted((REPO / folder).glob("*.py")) if path.name != "ids.py"
                 for n, line in enumerate(path.read_text().splitlines(), 1) if literal.search(line)]
    assert offenders == []


def test_a_pattern_matching_id_is_written_for_the_page_as_dash_writes_it() -> None:
    assert ids.dom_id(ids.upload_field_id("acronym")) == '{"target":"acronym","type":"upload-field"}'
    assert ids.dom_id(ids.MAP) == "map"
