"""The map of partner countries: a pure function of a country summary and the filter state.

Drawn with MapLibre (``Choroplethmap``) on a blank style and our own GeoJSON, so it requests
nothing from outside the server (Plotly's ``geo`` traces would fetch a topojson from a CDN).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from components.figure_kit import HIGHLIGHT, LIGHT, Figure, Look, figure, look, trace
from data.engine.state import FilterState
from data.io.countries import country_name
from data.io.geo import CountryShape
from data.io.i18n import N_, translator

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
MARKER_HALO = "#ffffff"
MIN_VISIBLE_PX = 18
"""A country less than this many pixels across at the default zoom gets a marker too."""
MARKER_PX = 14
"""The marker's diameter: big enough to click, small enough to leave its neighbours visible."""
EARTH_KM = 40_075.0
MAP_TILE_PX = 512
"""MapLibre's world is 512 px wide at zoom 0 and doubles with each zoom level."""


@dataclass(frozen=True)
class LegendEntry:
    """One line of the map's legend: a ``kind`` of swatch ('scale', 'fill', 'outline',
    'circle'), its colours (the scale's stops for 'scale') and the words next to it."""

    kind: str
    colours: tuple[str, ...]
    label: str


def metric_of(state: FilterState) -> tuple[str, str]:
    """The summary column the map counts for ``state.map``, and its words."""
    if state.map == "partners":
        return "organisations", N_("named partner organisations")
    return "projects", N_("projects")


def small_countries(shapes: Mapping[str, CountryShape], zoom: float = EUROPE_ZOOM,
                    min_px: float = MIN_VISIBLE_PX) -> frozenset[str]:
    """The countries whose outline is less than ``min_px`` across at ``zoom``: the side of a
    square of the country's area, in the pixels of the map's projection at its latitude."""
    px_per_km = MAP_TILE_PX * 2 ** zoom / EARTH_KM
    return frozenset(
        s.id for s in shapes.values()
        if math.sqrt(s.area_km2) * px_per_km / max(0.05, math.cos(math.radians(s.lat))) < min_px
    )


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


def _context_layer(geojson: str | dict[str, Any], ids: list[str], style: Look = LIGHT,
                   lang: str = "en") -> dict[str, Any]:
    """Every country of the GeoJSON in the context fill, under the others."""
    _ = translator(lang)
    return _flat_layer(
        "context", geojson, ids, 0, style.context, {"width": 0.5, "color": style.borders},
        customdata=[[country_name(i, lang)] for i in ids],
        hovertemplate="<b>%{customdata[0]}</b><br>" + _("no project in this selection") + "<extra></extra>",
    )


def _counted_layers(summary: pd.DataFrame, metric: str, label: str,
                    geojson: str | dict[str, Any], style: Look = LIGHT,
                    lang: str = "en") -> list[dict[str, Any]]:
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
        colorscale=style.sequential,
        marker={"line": {"width": 0.8, "color": style.borders}},
        colorbar={"title": {"text": label.capitalize(), "side": "right",
                            "font": {"size": style.font_size, "color": style.ink}},
                  "tickfont": {"size": style.font_size, "color": style.ink},
                  "thickness": 12 if style.font_size < 18 else 20, "len": 0.7, "tickformat": "d",
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
                    style: Look = LIGHT, lang: str = "en") -> list[dict[str, Any]]:
    """Countries taking part with no organisation named, in their own colour (none if no such)."""
    _ = translator(lang)
    unnamed = _named(summary[(summary["organisations"] == 0) & summary["country_only"]], lang)
    if unnamed.empty:
        return []
    return [_flat_layer(
        _("taking part, organisations not named"), geojson, unnamed["country"], 1,
        style.country_only, {"width": 0.8, "color": style.borders},
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


def _marked(summary: pd.DataFrame, metric: str,
            shapes: Mapping[str, CountryShape]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The small countries the map marks: those counted, and (under 'partners') those taking
    part with no organisation named."""
    rows = summary[summary["country"].isin(small_countries(shapes))]
    counted = rows[rows[metric] > 0]
    unnamed = rows[(rows[metric] == 0) & rows["country_only"]] if metric == "organisations" else rows[:0]
    return counted, unnamed


def has_markers(summary: pd.DataFrame, state: FilterState,
                shapes: Mapping[str, CountryShape] | None) -> bool:
    """Whether ``map_figure`` puts a circle on any small country for this summary and state."""
    return bool(shapes) and any(not f.empty for f in _marked(summary, metric_of(state)[0], shapes or {}))


def _marker_layers(summary: pd.DataFrame, state: FilterState, metric: str,
                   shapes: Mapping[str, CountryShape] | None, style: Look = LIGHT) -> list[dict[str, Any]]:
    """A clickable circle on each small country taking part, coloured like its country, on a
    halo (orange where the country is selected); none if no small country takes part."""
    if not shapes:
        return []
    counted, unnamed = _marked(summary, metric, shapes)
    marked = pd.concat([counted, unnamed])
    if marked.empty:
        return []

    def positions(frame: pd.DataFrame) -> dict[str, list[float]]:
        return {"lat": [shapes[c].lat for c in frame["country"]],
                "lon": [shapes[c].lon for c in frame["country"]]}

    def custom(frame: pd.DataFrame) -> Any:
        return frame[["country", "name", "projects", "organisations", "project_list"]].to_numpy()

    hover = ("<b>%{customdata[1]}</b><br>%{customdata[2]} project(s), "
             "%{customdata[3]} named organisation(s)<br>%{customdata[4]}<extra></extra>")
    halo = trace("scattermap", name="small countries, halo", mode="markers", hoverinfo="skip",
                 marker={"size": MARKER_PX + 5, "color": [
                     SELECTED_LINE if c in state.country else MARKER_HALO for c in marked["country"]]},
                 **positions(marked))
    layers = [halo]
    if not counted.empty:
        layers.append(trace(
            "scattermap", name="small countries", mode="markers", **positions(counted),
            marker={"size": MARKER_PX, "color": counted[metric], "colorscale": style.sequential, "cmin": 0,
                    "cmax": max(1, int(summary[metric].max())), "showscale": False},
            customdata=custom(counted), hovertemplate=hover))
    if not unnamed.empty:
        layers.append(trace(
            "scattermap", name="small countries, organisations not named", mode="markers",
            **positions(unnamed), marker={"size": MARKER_PX, "color": style.country_only},
            customdata=custom(unnamed), hovertemplate=hover))
    return layers


def legend_entries(summary: pd.DataFrame, state: FilterState, markers: bool = False) -> list[LegendEntry]:
    """What the map's colours mean, as words to show beside it (no hovering needed): the
    scale of ``state.map`` with its range, the context grey, the 'organisations not named'
    colour and the selection outline when the map draws them, the small-country circles when
    ``markers``. In the state's language."""
    _ = translator(state.lang)
    metric, label = metric_of(state)
    label = _.message(label)
    style = look(state)
    counted = summary[summary[metric] > 0]
    entries = []
    if not counted.empty:
        top = int(counted[metric].max())
        # One is singular in every language: "1 project", not "1 projects".
        one = (_.ngettext("{n} named partner organisation", "{n} named partner organisations", 1)
               if metric == "organisations" else _.ngettext("{n} project", "{n} projects", 1))
        words = _("1 to {top} {label}", top=_.number(top), label=label) if top > 1 else one
        entries.append(LegendEntry("scale", tuple(c for _shade, c in style.sequential), words))
    nothing = (_("no partner in this selection") if metric == "organisations"
               else _("no project in this selection"))
    entries.append(LegendEntry("fill", (style.context,), nothing))
    if metric == "organisations" and ((summary["organisations"] == 0) & summary["country_only"]).any():
        entries.append(LegendEntry("fill", (style.country_only,),
                                   _("takes part; the sources name no organisation")))
    if state.country:
        entries.append(LegendEntry("outline", (SELECTED_LINE,), _("selected (click again to remove)")))
    if markers:
        middle = style.sequential[len(style.sequential) // 2][1]
        entries.append(LegendEntry("circle", (middle,), _("small country, drawn as a circle")))
    return entries


def _view(state: FilterState) -> dict[str, Any]:
    """Where the map opens: the state's zoom and centre (from the URL or a pan), else Europe."""
    centre = ({"lat": state.centre[0], "lon": state.centre[1]} if state.centre is not None
              else EUROPE_CENTER)
    return {"center": centre, "zoom": EUROPE_ZOOM if state.zoom is None else state.zoom}


def _map_layout(notes: list[str], state: FilterState | None = None, style: Look = LIGHT) -> dict[str, Any]:
    """The layout: the blank style framed on the state's view, ``notes`` in the bottom-left
    corner. The ui revision never changes, so a redraw keeps the user's pan and zoom; a new
    zoom or centre in the state (the URL, back and forward) still moves the map, as Plotly
    applies a value that differs from the one the user's pan replaced."""
    # The blank style is white and a style of our own freezes the map (above): a dark look
    # paints the whole world in its background under the countries instead.
    background = [] if style.paper == "#ffffff" else [
        {"below": "traces", "type": "fill", "color": style.paper, "sourcetype": "geojson",
         "source": WORLD}]
    return dict(
        map={"style": BLANK_STYLE, **_view(state or FilterState()),
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
    shapes: Mapping[str, CountryShape] | None = None,
) -> Figure:
    """Choropleth of the selection per country, framed on Europe.

    ``summary`` has the columns of ``data.engine.queries.country_summary``: country, name, projects,
    organisations, country_only, project_list. ``state.map`` picks the colour: 'projects'
    (distinct projects) or 'partners' (named organisations). Countries named by a source
    without organisations are drawn in their own colour under 'partners', never as 0.
    Selected countries (``state.country``) get a thick outline. ``country_ids`` are the ids of
    the GeoJSON's features; ``geojson`` is best a URL on our own server, so the browser fetches
    the boundaries once and every later figure carries only ids and numbers. ``shapes`` (area
    and centroid per country id) mark the countries too small to see at the default zoom with
    a clickable circle. The map opens at ``state.zoom`` and ``state.centre`` when they are set.
    """
    _ = translator(state.lang)
    ids = list(country_ids)
    style = look(state)
    _ = translator(state.lang)
    metric, label = metric_of(state)
    label = _(label)
    traces = [_context_layer(geojson, ids, style, state.lang),
              *_counted_layers(summary, metric, label, geojson, style, state.lang)]
    notes = [_.message(attribution)]
    if metric == "organisations":
        unnamed = _unnamed_layers(summary, geojson, style, state.lang)
        if unnamed:
            notes.insert(0, f'<span style="color:{style.country_only}">■</span> '
                            + _("takes part; no organisation named in the sources"))
        traces += unnamed
    traces += _marker_layers(summary, state, metric, shapes, style)
    traces += _selected_layers(state, ids, geojson)
    return figure(traces, _map_layout(notes, state, style), style)


def _translucent(colour: str) -> str:
    """'#rrggbb' at 80 % opacity, behind the notes so the map shows through a little."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0.8)"
