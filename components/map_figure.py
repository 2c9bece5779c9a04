"""The map of partner countries: a pure function of a country summary and the filter state.

Drawn with MapLibre (``Choroplethmap``) on a blank style and our own GeoJSON, so it requests
nothing from outside the server (Plotly's ``geo`` traces would fetch a topojson from a CDN).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from components.figure_kit import Figure, figure, trace
from data.engine.state import FilterState
from data.io.countries import country_name
from data.io.i18n import translator

EUROPE_CENTER = {"lat": 54.0, "lon": 13.0}
EUROPE_ZOOM = 2.2
# Plotly's built-in blank style: no tiles, no sprites, no glyphs are fetched. (A custom style
# object renders too, but MapLibre then fails to diff it on every update and the map freezes.)
BLANK_STYLE = "white-bg"
CONTEXT_FILL = "#dfe3e8"
COUNTRY_ONLY_FILL = "#b8a6d9"
SELECTED_LINE = "#d9480f"
SCALE = [[0.0, "#9ecae1"], [0.5, "#3182bd"], [1.0, "#08306b"]]


def _single_colour(colour: str) -> list[list[Any]]:
    return [[0.0, colour], [1.0, colour]]


def _flat_layer(name: str, geojson: str | dict[str, Any], locations: Sequence[str] | pd.Series,
                value: int, colour: str, line: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A choropleth layer of one colour (no colour bar): context, 'taking part' or outlines."""
    return trace(
        "choroplethmap",
        name=name,
        geojson=geojson,
        locations=locations,
        z=[value] * len(locations),
        colorscale=_single_colour(colour),
        showscale=False,
        marker={"line": line},
        **extra,
    )


def _context_layer(geojson: str | dict[str, Any], ids: list[str], lang: str = "en") -> dict[str, Any]:
    """Every country of the GeoJSON in the context fill, under the others."""
    _ = translator(lang)
    return _flat_layer(
        "context", geojson, ids, 0, CONTEXT_FILL, {"width": 0.5, "color": "#ffffff"},
        customdata=[[country_name(i, lang)] for i in ids],
        hovertemplate="<b>%{customdata[0]}</b><br>" + _("no project in this selection") + "<extra></extra>",
    )


def _counted_layers(summary: pd.DataFrame, metric: str, label: str,
                    geojson: str | dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """The countries with a count of ``metric`` above 0, on the colour scale (none if no such)."""
    _ = translator(lang)
    counted = _named(summary[summary[metric] > 0], lang)
    if counted.empty:
        return []
    return [trace(
        "choroplethmap",
        name=label,
        geojson=geojson,
        locations=counted["country"],
        z=counted[metric],
        zmin=0,
        zmax=max(1, int(counted[metric].max())),
        colorscale=SCALE,
        marker={"line": {"width": 0.8, "color": "#ffffff"}},
        colorbar={"title": {"text": label.capitalize(), "side": "right"}, "thickness": 12,
                  "len": 0.7, "tickformat": "d",
                  "dtick": 1 if counted[metric].max() <= 8 else None},
        customdata=counted[["name", "projects", "organisations", "project_list"]].to_numpy(),
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>"
            + _("{projects} project(s), {organisations} named organisation(s)",
                projects="%{customdata[1]}", organisations="%{customdata[2]}")
            + "<br>%{customdata[3]}<extra></extra>"
        ),
    )]


def _named(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``summary`` with its countries' names in ``lang``."""
    if lang == "en" or summary.empty:
        return summary
    return summary.assign(name=[country_name(c, lang) for c in summary["country"]])


def _unnamed_layers(summary: pd.DataFrame, geojson: str | dict[str, Any],
                    lang: str = "en") -> list[dict[str, Any]]:
    """Countries taking part with no organisation named, in their own colour (none if no such)."""
    _ = translator(lang)
    unnamed = _named(summary[(summary["organisations"] == 0) & summary["country_only"]], lang)
    if unnamed.empty:
        return []
    return [_flat_layer(
        _("taking part, organisations not named"), geojson, unnamed["country"], 1,
        COUNTRY_ONLY_FILL, {"width": 0.8, "color": "#ffffff"},
        customdata=unnamed[["name", "projects", "project_list"]].to_numpy(),
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>"
            + _("takes part in {projects} project(s); the sources name no organisation",
                projects="%{customdata[1]}")
            + "<br>%{customdata[2]}<extra></extra>"
        ),
    )]


def _selected_layers(state: FilterState, ids: list[str],
                     geojson: str | dict[str, Any]) -> list[dict[str, Any]]:
    """A thick outline around the selected countries that the GeoJSON has (none if none)."""
    selected = [c for c in state.country if c in ids]
    if not selected:
        return []
    return [_flat_layer("selected", geojson, selected, 1, "rgba(0,0,0,0)",
                        {"width": 3, "color": SELECTED_LINE}, hoverinfo="skip")]


def _map_layout(notes: list[str]) -> dict[str, Any]:
    """The layout: the blank style framed on Europe, ``notes`` in the bottom-left corner."""
    return dict(
        map={"style": BLANK_STYLE, "center": EUROPE_CENTER, "zoom": EUROPE_ZOOM},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        uirevision="europe",
        annotations=[{
            "text": "<br>".join(notes), "showarrow": False, "xref": "paper", "yref": "paper",
            "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "bottom", "align": "left",
            "font": {"size": 11, "color": "#333"}, "bgcolor": "rgba(255,255,255,0.8)",
        }],
    )


def map_figure(
    summary: pd.DataFrame,
    state: FilterState,
    country_ids: list[str],
    geojson: str | dict[str, Any],
    attribution: str,
) -> Figure:
    """Choropleth of the selection per country, framed on Europe.

    ``summary`` has the columns of ``data.engine.queries.country_summary``: country, name, projects,
    organisations, country_only, project_list. ``state.map`` picks the colour: 'projects'
    (distinct projects) or 'partners' (named organisations). Countries named by a source
    without organisations are drawn in their own colour under 'partners', never as 0.
    Selected countries (``state.country``) get a thick outline. ``country_ids`` are the ids of
    the GeoJSON's features; ``geojson`` is best a URL on our own server, so the browser fetches
    the boundaries once and every later figure carries only ids and numbers.
    """
    _ = translator(state.lang)
    ids = list(country_ids)
    metric = "organisations" if state.map == "partners" else "projects"
    label = _("named partner organisations") if metric == "organisations" else _("projects")
    traces = [_context_layer(geojson, ids, state.lang),
              *_counted_layers(summary, metric, label, geojson, state.lang)]
    notes = [attribution]
    if metric == "organisations":
        unnamed = _unnamed_layers(summary, geojson, state.lang)
        if unnamed:
            notes.insert(0, f'<span style="color:{COUNTRY_ONLY_FILL}">■</span> '
                            + _("takes part; no organisation named in the sources"))
        traces += unnamed
    traces += _selected_layers(state, ids, geojson)
    return figure(traces, _map_layout(notes))
