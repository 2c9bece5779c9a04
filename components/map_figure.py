"""The map of partner countries: a pure function of a country summary and the filter state.

Drawn with MapLibre (``Choroplethmap``) on a blank style and our own GeoJSON, so it requests
nothing from outside the server (Plotly's ``geo`` traces would fetch a topojson from a CDN).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from components.figure_kit import HIGHLIGHT, LIGHT, Figure, Look, figure, look, trace
from data.engine.state import FilterState
from data.io.countries import country_name

EUROPE_CENTER = {"lat": 54.0, "lon": 13.0}
EUROPE_ZOOM = 2.2
# Plotly's built-in blank style: no tiles, no sprites, no glyphs are fetched. (A custom style
# object renders too, but MapLibre then fails to diff it on every update and the map freezes.)
BLANK_STYLE = "white-bg"
# The light theme's colours; every theme's are in ``components.figure_kit`` (``Look``).
CONTEXT_FILL = LIGHT.context
COUNTRY_ONLY_FILL = LIGHT.country_only
SELECTED_LINE = HIGHLIGHT
SCALE = LIGHT.sequential
WORLD = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
    [[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]]}}
"""One polygon over the whole map, for a background other than the blank style's white."""


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


def _context_layer(geojson: str | dict[str, Any], ids: list[str], style: Look = LIGHT) -> dict[str, Any]:
    """Every country of the GeoJSON in the context fill, under the others."""
    return _flat_layer(
        "context", geojson, ids, 0, style.context, {"width": 0.5, "color": style.borders},
        customdata=[[country_name(i)] for i in ids],
        hovertemplate="<b>%{customdata[0]}</b><br>no project in this selection<extra></extra>",
    )


def _counted_layers(summary: pd.DataFrame, metric: str, label: str,
                    geojson: str | dict[str, Any], style: Look = LIGHT) -> list[dict[str, Any]]:
    """The countries with a count of ``metric`` above 0, on the colour scale (none if no such)."""
    counted = summary[summary[metric] > 0]
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
        colorscale=style.sequential,
        marker={"line": {"width": 0.8, "color": style.borders}},
        colorbar={"title": {"text": label.capitalize(), "side": "right",
                            "font": {"size": style.font_size, "color": style.ink}},
                  "tickfont": {"size": style.font_size, "color": style.ink},
                  "thickness": 12 if style.font_size < 18 else 20, "len": 0.7, "tickformat": "d",
                  "dtick": 1 if counted[metric].max() <= 8 else None},
        customdata=counted[["name", "projects", "organisations", "project_list"]].to_numpy(),
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>%{customdata[1]} project(s), "
            "%{customdata[2]} named organisation(s)<br>%{customdata[3]}<extra></extra>"
        ),
    )]


def _unnamed_layers(summary: pd.DataFrame, geojson: str | dict[str, Any],
                    style: Look = LIGHT) -> list[dict[str, Any]]:
    """Countries taking part with no organisation named, in their own colour (none if no such)."""
    unnamed = summary[(summary["organisations"] == 0) & summary["country_only"]]
    if unnamed.empty:
        return []
    return [_flat_layer(
        "taking part, organisations not named", geojson, unnamed["country"], 1,
        style.country_only, {"width": 0.8, "color": style.borders},
        customdata=unnamed[["name", "projects", "project_list"]].to_numpy(),
        hovertemplate=(
            "<b>%{customdata[0]}</b><br>takes part in %{customdata[1]} project(s); "
            "the sources name no organisation<br>%{customdata[2]}<extra></extra>"
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


def _map_layout(notes: list[str], style: Look = LIGHT) -> dict[str, Any]:
    """The layout: the blank style framed on Europe, ``notes`` in the bottom-left corner."""
    # The blank style is white and a style of our own freezes the map (above): a dark look
    # paints the whole world in its background under the countries instead.
    background = [] if style.paper == "#ffffff" else [
        {"below": "traces", "type": "fill", "color": style.paper, "sourcetype": "geojson",
         "source": WORLD}]
    return dict(
        map={"style": BLANK_STYLE, "center": EUROPE_CENTER, "zoom": EUROPE_ZOOM,
             **({"layers": background} if background else {})},
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        showlegend=False,
        uirevision="europe",
        annotations=[{
            "text": "<br>".join(notes), "showarrow": False, "xref": "paper", "yref": "paper",
            "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "bottom", "align": "left",
            "font": {"size": style.font_size - 1 if style.font_size < 18 else style.font_size,
                     "color": style.ink},
            "bgcolor": _translucent(style.paper),
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
    ids = list(country_ids)
    style = look(state)
    metric = "organisations" if state.map == "partners" else "projects"
    label = "named partner organisations" if metric == "organisations" else "projects"
    traces = [_context_layer(geojson, ids, style),
              *_counted_layers(summary, metric, label, geojson, style)]
    notes = [attribution]
    if metric == "organisations":
        unnamed = _unnamed_layers(summary, geojson, style)
        if unnamed:
            notes.insert(0, f'<span style="color:{style.country_only}">■</span> takes part; '
                            "no organisation named in the sources")
        traces += unnamed
    traces += _selected_layers(state, ids, geojson)
    return figure(traces, _map_layout(notes, style), style)


def _translucent(colour: str) -> str:
    """'#rrggbb' at 80 % opacity, behind the notes so the map shows through a little."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0.8)"
