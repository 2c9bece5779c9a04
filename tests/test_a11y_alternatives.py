"""The charts' keyboard alternatives and names (``components/a11y.py`` through the render
functions): the matrix's table holds the heatmap's counts with a button per non-empty cell, the
timeline's list the projects it draws, and each chart's name counts the selection."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fixtures_data import load_tiny
from test_panels import find, text

from callbacks import views
from components import ids
from data.engine.model import Dataset
from data.engine.state import FilterState


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


def buttons(node: Any) -> list[Any]:
    return find(node, lambda c: type(c).__name__ == "Button")


def heatmap_counts(fig: Any) -> dict[tuple[str, str], int]:
    heat = fig.data[0]
    z = np.asarray(heat.z)
    return {(str(k), str(s)): int(z[r, c]) for r, k in enumerate(heat.y) for c, s in enumerate(heat.x)}


def test_the_matrix_table_has_a_button_for_each_non_empty_cell_of_the_heatmap(tiny: Dataset) -> None:
    out = views.render_matrix(tiny, FilterState())
    assert set(out) == set(views.MATRIX_OUTPUTS)
    counts = heatmap_counts(out["figure"])
    found = {(b.id["ket"], b.id["sector"]): int(b.children) for b in buttons(out["table"])}
    assert found == {cell: n for cell, n in counts.items() if n}
    assert all(b.id == ids.matrix_cell_id(b.id["ket"], b.id["sector"]) for b in buttons(out["table"]))
    # Rows and columns carry headers, so a screen reader names each cell.
    headers = find(out["table"], lambda c: type(c).__name__ == "Th")
    assert {h.scope for h in headers} == {"row", "col"}
    assert len([h for h in headers if h.scope == "row"]) == len(out["figure"].data[0].y)


def test_the_selected_matrix_cell_is_pressed_and_named(tiny: Dataset) -> None:
    out = views.render_matrix(tiny, FilterState(ket=("photonics",), sector=("health",)))
    pressed = [b for b in buttons(out["table"]) if b.to_plotly_json()["props"]["aria-pressed"] == "true"]
    assert [b.id for b in pressed] == [ids.matrix_cell_id("photonics", "health")]
    name = pressed[0].to_plotly_json()["props"]["aria-label"]
    assert "Health" in name and "1 project" in name
    selected = len(views.render_table_page(tiny, FilterState(ket=("photonics",), sector=("health",)),
                                           {"startRow": 0, "endRow": 100})["rowData"])
    assert f"{selected} project" in out["label"]


def test_the_timeline_list_names_the_projects_the_timeline_draws(tiny: Dataset) -> None:
    out = views.render_timeline(tiny, FilterState())
    drawn = {p for t in out["figure"].data if t.type == "bar" for p in t.y}
    listed = [b.id["project"] for b in buttons(out["list"])]
    assert drawn and drawn <= set(listed)
    undated = {b.id["project"] for b in buttons(out["undated"])}
    assert undated and not undated & set(listed), "a project with no date is not on the timeline"
    assert "one bar per project" in out["label"]


def test_the_opened_project_is_pressed_in_the_timeline_list(tiny: Dataset) -> None:
    out = views.render_timeline(tiny, FilterState(project="beta"))
    pressed = [b.id["project"] for b in buttons(out["list"])
               if b.to_plotly_json()["props"]["aria-pressed"] == "true"]
    assert pressed == ["beta"]


def test_a_timeline_band_lists_no_project_and_says_why(
    tiny: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "MAX_BARS", 1)
    out = views.render_timeline(tiny, FilterState())
    assert buttons(out["list"]) == []
    assert "at most 1" in text(out["list"]) and "active per month" in out["label"]


def test_the_map_name_counts_the_selection_and_names_the_metric(tiny: Dataset) -> None:
    everything = views.render_filter_bar(tiny, FilterState())
    fewer = views.render_filter_bar(tiny, FilterState(programme=("prog-b",), map="partners"))
    n = tiny.size
    assert f"{n} projects" in everything["map_label"] and "coloured by projects" in everything["map_label"]
    assert "coloured by partners" in fewer["map_label"] and f"{n} projects" not in fewer["map_label"]
