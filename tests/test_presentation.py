"""Presentation mode, the light/dark theme and the palettes, without a browser: the figures'
text sizes and colours for each theme and mode, the palettes' contrast, and the Present button,
Escape and the theme switch as the hub dispatches them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from dash import no_update
from fixtures_data import load_seed, load_tiny
from test_figures import with_own_template_data

from callbacks import interactions as act
from callbacks.hub import HUB_OUTPUTS, Trigger, hub_update, next_state
from components import ids
from components.figure_kit import (
    CATEGORICAL,
    CELL_TEXT,
    DARK,
    HIGHLIGHT,
    LIGHT,
    OKABE_ITO,
    PRESENT_DARK,
    PRESENT_LIGHT,
    Figure,
    Look,
    contrast,
    look,
    relative_luminance,
)
from components.map_figure import map_figure
from components.matrix_figure import cell_scale, matrix_figure
from components.timeline_figure import programme_colours, timeline_band_figure, timeline_figure
from data.engine import queries
from data.engine.model import NOT_STATED, Dataset
from data.engine.state import FilterState
from data.io.geo import country_ids
from server.registry import DatasetRegistry

LOOKS = {"light": LIGHT, "dark": DARK, "present-light": PRESENT_LIGHT, "present-dark": PRESENT_DARK}
STATES = {"light": FilterState(), "dark": FilterState(theme="dark"),
          "present-light": FilterState(present=True), "present-dark": FilterState(present=True, theme="dark")}
BUSY = FilterState(country=("DE",), ket=("photonics",), year_from=2011, project="beta", map="partners")
MIN_PRESENT_PX = 18


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


def figures(dataset: Dataset, state: FilterState) -> dict[str, Figure]:
    """Every figure of the page for ``state`` over the whole of ``dataset``."""
    everything = np.ones(dataset.size, dtype=bool)
    kets = {**dict(zip(dataset.kets["ket_id"], dataset.kets["short_label"], strict=True)),
            NOT_STATED: "No KET stated"}
    return {
        "map": map_figure(queries.country_summary(dataset, everything), state, country_ids(),
                          "/geo/countries.geojson", "Boundaries: test"),
        "matrix": matrix_figure(queries.ket_sector_matrix(dataset, everything), state, kets,
                                dataset.vocabulary("sector")),
        "timeline": timeline_figure(queries.timeline_frame(dataset, everything, everything),
                                    queries.timeline_activities(dataset, everything), state),
        "band": timeline_band_figure(queries.timeline_band(dataset, everything, everything), state,
                                     projects=99, undrawn=3),
    }


def font_sizes(node: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """(where, size) of every font size set anywhere in a figure dict, its template left out."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "template":
                continue
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                yield f"{path}.{key}", float(value["size"])
            yield from font_sizes(value, f"{path}.{key}")
    elif isinstance(node, list | tuple):
        for i, item in enumerate(node):
            yield from font_sizes(item, f"{path}[{i}]")


# --- text size ------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_presentation_mode_sets_every_chart_text_to_18_px_or_more(tiny: Dataset, theme: str) -> None:
    for name, fig in figures(tiny, FilterState(present=True, theme=theme)).items():
        spec = fig.to_dict()
        layout = spec["layout"]
        # The layout's font is what every text not set on its own inherits.
        assert layout["font"]["size"] >= MIN_PRESENT_PX, name
        assert layout["hoverlabel"]["font"]["size"] >= MIN_PRESENT_PX, name
        sizes = list(font_sizes(spec))
        assert len(sizes) >= 4, f"{name}: too few font sizes set to mean anything: {sizes}"
        small = [(where, size) for where, size in sizes if size < MIN_PRESENT_PX]
        assert not small, f"{name} in presentation mode: {small}"


def test_outside_presentation_mode_the_charts_keep_their_working_size(tiny: Dataset) -> None:
    for name, fig in figures(tiny, FilterState()).items():
        assert fig.to_dict()["layout"]["font"]["size"] < MIN_PRESENT_PX, name


def test_presentation_mode_gives_the_matrix_and_timeline_rows_room_for_the_larger_text(
    tiny: Dataset,
) -> None:
    normal, present = figures(tiny, FilterState()), figures(tiny, FilterState(present=True))
    for name in ("matrix", "timeline", "band"):
        assert present[name].layout.height > normal[name].layout.height, name


# --- theme ----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["dark", "present-dark"])
def test_a_dark_theme_draws_on_plotlys_dark_template_with_the_looks_colours(tiny: Dataset, mode: str) -> None:
    style = LOOKS[mode]
    for name, fig in figures(tiny, STATES[mode]).items():
        sent = fig.to_plotly_json()
        template = sent["layout"]["template"]["layout"]
        assert template["paper_bgcolor"] == pio.templates["plotly_dark"].layout.paper_bgcolor, name
        layout = fig.to_dict()["layout"]
        assert (layout["paper_bgcolor"], layout["plot_bgcolor"]) == (style.paper, style.paper), name
        assert layout["font"]["color"] == style.ink, name
        assert relative_luminance(style.paper) < 0.05 < relative_luminance(style.ink), name


def test_the_light_theme_keeps_plotlys_default_template(tiny: Dataset) -> None:
    for name, fig in figures(tiny, FilterState()).items():
        assert fig.template == "plotly", name
        plotly_default = with_own_template_data({"data": fig.to_plotly_json()["data"], "layout": {
            "template": pio.templates["plotly"].to_plotly_json()}})["layout"]["template"]
        assert fig.to_plotly_json()["layout"]["template"] == plotly_default, name
        assert fig.to_dict()["layout"]["paper_bgcolor"] == LIGHT.paper, name


def test_the_dark_map_paints_its_background_and_the_light_one_keeps_the_blank_style(tiny: Dataset) -> None:
    dark = figures(tiny, FilterState(theme="dark"))["map"].to_dict()["layout"]["map"]
    light = figures(tiny, FilterState())["map"].to_dict()["layout"]["map"]
    assert [layer["color"] for layer in dark["layers"]] == [DARK.paper]
    assert dark["layers"][0]["below"] == "traces"
    assert "layers" not in light


@pytest.mark.parametrize("mode", list(STATES))
def test_themed_figures_are_valid_plotly_and_serialise_as_plotly_would(tiny: Dataset, mode: str) -> None:
    state = FilterState(**{**BUSY.to_dict(), "present": STATES[mode].present, "theme": STATES[mode].theme})
    for fig in figures(tiny, state).values():
        rebuilt = go.Figure(fig.to_dict())  # validated: a misspelt property fails here
        expected = json.loads(pio.to_json(rebuilt, validate=False))
        assert json.loads(pio.json.to_json_plotly(fig.to_plotly_json())) == with_own_template_data(expected)


def test_look_follows_the_states_theme_and_mode() -> None:
    assert {mode: look(state) for mode, state in STATES.items()} == LOOKS


# --- palettes and contrast ------------------------------------------------------------------


def _mix(a: str, b: str, t: float) -> str:
    """The colour a fraction ``t`` of the way from ``a`` to ``b`` (as Plotly interpolates)."""
    x, y = (np.array([int(c[i:i + 2], 16) for i in (1, 3, 5)]) for c in (a, b))
    r, g, bl = np.round(x + (y - x) * t).astype(int)
    return f"#{r:02x}{g:02x}{bl:02x}"


def scale_colours(scale: list[list[Any]]) -> list[str]:
    """Each stop of a colour scale and nine colours between each pair of stops."""
    stops = [c for _, c in scale]
    return [_mix(a, b, t / 10) for a, b in pairwise(stops) for t in range(10)] + stops[-1:]


@pytest.mark.parametrize("mode", list(LOOKS))
def test_text_and_outlines_meet_wcag_aa_against_each_looks_background(mode: str) -> None:
    style: Look = LOOKS[mode]
    assert contrast(style.ink, style.paper) >= 7, "chart text (AAA for a projector)"
    assert contrast(style.bar_outline, style.paper) >= 3, "bar outlines (non-text, 1.4.11)"
    assert contrast(HIGHLIGHT, style.paper) >= 3, "the selection's outline"
    assert contrast(style.marker, style.paper) >= 3, "activity markers"
    for colour in scale_colours(style.sequential):
        assert contrast(CELL_TEXT, colour) >= 4.5, f"matrix count text on {colour}"


@pytest.mark.parametrize("mode", list(LOOKS))
def test_counts_get_more_ink_the_more_there_are_in_either_theme(mode: str) -> None:
    style = LOOKS[mode]
    lightness = [relative_luminance(c) for _, c in style.sequential]
    background = relative_luminance(style.paper)
    # 'More ink' moves away from the background: darker on white, brighter on black.
    distance = [abs(v - background) for v in lightness]
    assert distance == sorted(distance) and distance[0] < distance[-1]
    assert cell_scale(style)[0] == [0.0, style.paper], "an empty matrix cell is the background"


MACHADO_2009 = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
"""Machado, Oliveira & Fernandes (2009): full-severity dichromacy on linear RGB."""


def seen_as(colour: str, deficiency: str | None) -> np.ndarray:
    """CIELAB (D65) of ``colour`` as a person with ``deficiency`` sees it (None: typical vision)."""
    c = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    rgb = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    if deficiency:
        rgb = np.clip(np.array(MACHADO_2009[deficiency]) @ rgb, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ rgb / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
def test_programme_colours_stay_apart_for_each_kind_of_colour_blindness(deficiency: str | None) -> None:
    for style in (LIGHT, DARK):
        colours = [*CATEGORICAL, style.not_stated]
        closest = min(float(np.linalg.norm(seen_as(a, deficiency) - seen_as(b, deficiency)))
                      for i, a in enumerate(colours) for b in colours[i + 1:])
        # CIELAB distance 12 or more: told apart at a glance, not only side by side.
        assert closest >= 12, f"two programme colours look alike with {deficiency}: {closest:.1f}"


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
def test_count_scales_keep_their_order_for_each_kind_of_colour_blindness(deficiency: str | None) -> None:
    for style in LOOKS.values():
        lightness = [seen_as(c, deficiency)[0] for c in scale_colours(style.sequential)]
        steps = np.diff(lightness)
        assert (steps < 0).all() or (steps > 0).all(), f"{style.template}: lightness not monotone"


def test_programme_colours_are_okabe_ito_without_black_or_the_highlight() -> None:
    colours = programme_colours([f"programme {i}" for i in range(len(CATEGORICAL))] + [""], DARK)
    named = [c for p, c in colours.items() if p]
    assert set(named) <= set(OKABE_ITO.values())
    assert len(set(named)) == len(CATEGORICAL), "each programme its own colour while they last"
    assert OKABE_ITO["black"] not in named and HIGHLIGHT not in named
    assert colours[""] == DARK.not_stated


def test_every_bar_is_outlined_so_a_light_programme_colour_still_stands_off_the_page(tiny: Dataset) -> None:
    for mode in ("light", "present-dark"):
        fig = figures(tiny, STATES[mode])["timeline"]
        for bar in (t for t in fig.data if isinstance(t, go.Bar)):
            assert set(bar.marker.line.color) == {LOOKS[mode].bar_outline}
            assert min(bar.marker.line.width) >= 1


# --- interactions and the hub ---------------------------------------------------------------


def test_present_turns_presentation_mode_on_and_keeps_the_filters() -> None:
    assert act.on_present(BUSY) == FilterState(**{**BUSY.to_dict(), "present": True})


def test_leaving_presentation_mode_twice_is_the_same_as_once() -> None:
    presenting = act.on_present(BUSY)
    assert act.on_present_exit(presenting) == BUSY
    assert act.on_present_exit(act.on_present_exit(presenting)) == BUSY


@pytest.mark.parametrize(("value", "theme"), [(True, "dark"), (False, "light"), (None, "dark"),
                                              ("dark", "dark"), (1, "dark"), ([], "dark")])
def test_the_theme_switch_sets_the_theme_and_ignores_what_is_not_a_switch_value(
    value: Any, theme: str
) -> None:
    assert act.on_theme(FilterState(theme="dark"), value).theme == theme


@pytest.mark.parametrize(("trigger", "changes"), [
    (Trigger(ids.PRESENT, "n_clicks", 1), {"present": True}),
    (Trigger(ids.PRESENT_EXIT, "n_clicks", 3), {"present": False}),
    (Trigger(ids.THEME, "value", True), {"theme": "dark"}),
])
def test_the_hub_dispatches_present_escape_and_the_theme_switch(
    trigger: Trigger, changes: dict[str, Any]
) -> None:
    start = FilterState(**{**BUSY.to_dict(), "present": not changes.get("present", False)})
    assert next_state(trigger, start, (2010, 2020)) == FilterState(**{**start.to_dict(), **changes})


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> DatasetRegistry:
    return DatasetRegistry(load_seed(), tmp_path_factory.mktemp("uploads"))


def test_the_url_says_the_mode_and_theme_after_each_click(registry: DatasetRegistry) -> None:
    stored = FilterState(country=("DE",)).to_dict()
    out = hub_update(registry, Trigger(ids.PRESENT, "n_clicks", 1), "?country=DE", stored)
    assert out["search"] == "?country=DE&present=1"
    out = hub_update(registry, Trigger(ids.THEME, "value", True), out["search"], out["state"])
    assert out["search"] == "?country=DE&present=1&theme=dark"
    assert out["theme"] is True
    out = hub_update(registry, Trigger(ids.PRESENT_EXIT, "n_clicks", 1), out["search"], out["state"])
    assert out["search"] == "?country=DE&theme=dark"


def test_a_dark_address_sets_the_switch_and_escape_outside_presentation_changes_nothing(
    registry: DatasetRegistry,
) -> None:
    out = hub_update(registry, Trigger(), "?theme=dark", None)
    assert set(out) == set(HUB_OUTPUTS)
    assert out["theme"] is True and FilterState.from_dict(out["state"]).theme == "dark"
    again = hub_update(registry, Trigger(ids.PRESENT_EXIT, "n_clicks", 1), "?theme=dark", out["state"])
    assert again["search"] is no_update and again["state"] is no_update
