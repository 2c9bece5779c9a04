"""The organisation map: partners as points at their coordinates, a pure function of the frame
of organisations drawn and the filter state.

Drawn with MapLibre (``scattermap``) on the blank style over our own country boundaries (the
GeoJSON URL the country map already fetched), so it requests nothing from outside the server.
The organisations with most participations are points of their own (at most
``data.engine.organisations.MAX_POINTS``); the others are grouped by place on the server, one
translucent circle per square of the grid. Plotly's own clustering (``cluster``) is not used:
it labels each cluster with its count, and MapLibre fetches the label's font from a server on
the internet.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from components.figure_kit import (
    HIGHLIGHT,
    ORG_TYPE_COLOURS,
    Figure,
    Look,
    figure,
    look,
    org_type_colour,
    trace,
)
from components.map_figure import BLANK_STYLE, EUROPE_CENTER, EUROPE_ZOOM
from data.engine.state import FilterState
from data.io.countries import country_name
from data.io.i18n import kind_label, translator
from data.io.schema import ORG_TYPES

POINT_MIN_PX, POINT_MAX_PX = 6.0, 26.0
"""A point's diameter: the fewest participations drawn get the smallest, the most the largest
(by area, so the square root of the count)."""
SELECTED_PX = 8.0
"""How much wider the ring under a selected organisation is than its point."""
GROUP_MIN_PX, GROUP_MAX_PX = 8.0, 40.0
"""A group's diameter: from its fewest organisations to its most."""
GROUP_OPACITY = 0.3
NOT_STATED_TYPE = ""


@dataclass(frozen=True)
class TypeGroup:
    """One colour of the map and the organisation types it stands for (in words)."""

    colour: str
    types: tuple[str, ...]


def type_groups(style: Look) -> list[TypeGroup]:
    """The map's colours in legend order, each with its types (schema order; the grey one
    also stands for a type not stated, ``''``)."""
    groups: dict[str, list[str]] = {}
    for org_type in (*ORG_TYPES, NOT_STATED_TYPE):
        groups.setdefault(org_type_colour(org_type, style), []).append(org_type)
    return [TypeGroup(colour, tuple(types)) for colour, types in groups.items()]


def type_words(org_type: str, lang: str = "en") -> str:
    """An organisation type as the page says it in ``lang``; 'type not stated' for ''."""
    if not org_type:
        _ = translator(lang)
        return _("type not stated")
    words = kind_label("organisations", org_type, lang)
    # English has no translation file: the type's slug with spaces, the EU's initials restored.
    return "EU " + words[3:] if lang == "en" and words.startswith("eu ") else words


def point_sizes(participations: pd.Series | np.ndarray) -> np.ndarray:
    """Point diameters in px for participation counts: area grows with the count."""
    counts = np.asarray(participations, dtype=float)
    if not len(counts):
        return counts.astype(np.float32)
    top = max(1.0, float(counts.max()))
    share = np.sqrt(np.clip(counts, 0, None) / top)
    sizes: np.ndarray = (POINT_MIN_PX + (POINT_MAX_PX - POINT_MIN_PX) * share).round(1).astype(np.float32)
    return sizes


def hover_texts(frame: pd.DataFrame, lang: str = "en") -> list[str]:
    """Each drawn organisation's tooltip: name, country, type, and its projects in the
    selection (the first few acronyms, then '+N more'). Names are escaped: a tooltip renders
    some HTML."""
    _ = translator(lang)
    countries: dict[str, str] = {}
    types: dict[str, str] = {}
    # Worded once per distinct count: writing a number the language's way is the slow part.
    counted: dict[int, str] = {}
    mores: dict[int, str] = {}
    texts = []
    for name, country, org_type, n, listed, more in zip(
            frame["name"].tolist(), frame["country"].tolist(), frame["type"].tolist(),
            frame["projects"].tolist(), frame["project_list"].tolist(), frame["more_projects"].tolist(),
            strict=True):
        if country not in countries:
            countries[country] = country_name(country, lang) if country else _("country not stated")
        if org_type not in types:
            types[org_type] = type_words(org_type, lang)
        if n not in counted:
            counted[n] = _.ngettext("{n} project: {projects}", "{n} projects: {projects}", n,
                                    projects="{projects}")
        if more and more not in mores:
            mores[more] = " " + _("+{n} more", n=_.number(more))
        projects = html.escape(listed) + (mores[more] if more else "")
        texts.append(f"<b>{html.escape(str(name))}</b><br>{countries[country]} · {types[org_type]}<br>"
                     + counted[n].replace("{projects}", projects))
    return texts


def _colour_codes(frame: pd.DataFrame, groups: list[TypeGroup]) -> np.ndarray:
    """Per organisation, the index of its colour in ``groups``."""
    code_of = {t: i for i, g in enumerate(groups) for t in g.types}
    other = code_of[NOT_STATED_TYPE]
    return np.array([code_of.get(t, other) for t in frame["type"]], dtype=np.int8)


def _stepped_scale(groups: list[TypeGroup]) -> list[list[Any]]:
    """A colour scale that gives each whole number 0..k-1 its group's colour, no blending."""
    k = len(groups)
    scale: list[list[Any]] = []
    for i, group in enumerate(groups):
        scale += [[round(i / k, 6), group.colour], [round((i + 1) / k, 6), group.colour]]
    return scale


def _base_layer(geojson: str | dict[str, Any], country_ids: list[str], style: Look) -> dict[str, Any]:
    """Every country of the GeoJSON in the context fill: the map under the points."""
    return trace("choroplethmap", name="countries", geojson=geojson, locations=list(country_ids),
                 z=[0] * len(country_ids), colorscale=[[0.0, style.context], [1.0, style.context]],
                 showscale=False, marker={"line": {"width": 0.5, "color": style.borders}},
                 hoverinfo="skip")


def _points(frame: pd.DataFrame, groups: list[TypeGroup], lang: str) -> dict[str, Any]:
    """The organisations drawn, clustered where dense, largest first (so small ones stay on top)."""
    return trace(
        "scattermap", name="organisations", mode="markers",
        lat=frame["latitude"].to_numpy(dtype=np.float32), lon=frame["longitude"].to_numpy(dtype=np.float32),
        marker={"size": point_sizes(frame["participations"]), "color": _colour_codes(frame, groups),
                "colorscale": _stepped_scale(groups), "cmin": -0.5, "cmax": len(groups) - 0.5, "opacity": 0.9,
                "showscale": False},
        customdata=frame["organisation_id"].tolist(),
        hovertext=hover_texts(frame, lang),
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _groups(grouped: pd.DataFrame, style: Look, lang: str) -> list[dict[str, Any]]:
    """The organisations not drawn one by one, one translucent circle per place (none if none).
    Their tooltip is one template over two numbers per circle, so a thousand circles cost
    little; a circle carries no organisation id, so a click on it selects nothing."""
    if grouped.empty:
        return []
    _ = translator(lang)
    counts = grouped["organisations"].to_numpy(dtype=float)
    share = np.sqrt(counts / max(1.0, float(counts.max())))
    return [trace(
        "scattermap", name="grouped organisations", mode="markers",
        lat=grouped["latitude"].to_numpy(dtype=np.float32),
        lon=grouped["longitude"].to_numpy(dtype=np.float32),
        marker={"size": (GROUP_MIN_PX + (GROUP_MAX_PX - GROUP_MIN_PX) * share).round(1).astype(np.float32),
                "color": style.ink, "opacity": GROUP_OPACITY},
        customdata=grouped[["organisations", "participations"]].to_numpy(dtype=np.int32),
        hovertemplate=_("{organisations} organisations here, {participations} participations: not drawn "
                        "one by one; narrow the filters to see them",
                        organisations="%{customdata[0]}", participations="%{customdata[1]}")
        + "<extra></extra>",
    )]


def _selected(frame: pd.DataFrame, lang: str) -> list[dict[str, Any]]:
    """A ring (a wider point in the selection colour) under each selected organisation, never
    clustered, so a selection stays visible at any zoom; none if none is drawn."""
    chosen = frame[frame["selected"]]
    if chosen.empty:
        return []
    return [trace("scattermap", name="selected organisations", mode="markers",
                  lat=chosen["latitude"].tolist(), lon=chosen["longitude"].tolist(),
                  marker={"size": (point_sizes(frame["participations"])[frame["selected"].to_numpy()]
                                   + SELECTED_PX).tolist(), "color": HIGHLIGHT},
                  customdata=chosen["organisation_id"].tolist(), hovertext=hover_texts(chosen, lang),
                  hovertemplate="%{hovertext}<extra></extra>")]


def _fit(frame: pd.DataFrame) -> dict[str, Any]:
    """The map's own fit: Europe, unless every organisation drawn lies outside it: then their
    middle."""
    if frame.empty:
        return {"center": EUROPE_CENTER, "zoom": EUROPE_ZOOM}
    lat, lon = frame["latitude"].to_numpy(dtype=float), frame["longitude"].to_numpy(dtype=float)
    inside = (lat > 34) & (lat < 72) & (lon > -25) & (lon < 45)
    if inside.any():
        return {"center": EUROPE_CENTER, "zoom": EUROPE_ZOOM}
    span = max(float(np.ptp(lat)), float(np.ptp(lon)), 1.0)
    return {"center": {"lat": float(np.median(lat)), "lon": float(np.median(lon))},
            "zoom": max(1.0, min(8.0, math.log2(360 / span)))}


def org_map_figure(frame: pd.DataFrame, state: FilterState, geojson: str | dict[str, Any],
                   country_ids: list[str], grouped: pd.DataFrame | None = None) -> Figure:
    """Points for the organisations of the selection at their coordinates.

    ``frame`` has the columns of ``data.engine.organisations.DRAWN_COLUMNS``: organisation_id,
    name, country, type, latitude, longitude, participations (sizes the point), projects,
    project_list, more_projects (the tooltip) and selected (``state.org``: a ring in the
    selection colour). Colours stand for the type (``components.figure_kit.ORG_TYPE_COLOURS``;
    the legend beside the map says them in words). ``geojson`` and ``country_ids`` are the
    country boundaries under the points (best the URL the country map uses, fetched once).
    ``grouped`` has ``data.engine.organisations.GROUPED_COLUMNS`` (latitude, longitude,
    organisations, participations): the organisations not drawn one by one, a circle per place.
    The map opens at ``state.org_zoom`` and ``state.org_centre`` when they are set, else at its
    own fit (``layout.meta.fit``, where the page returns it when the address drops them)."""
    style = look(state)
    groups = type_groups(style)
    traces = [_base_layer(geojson, country_ids, style)]
    if grouped is not None:
        traces += _groups(grouped, style, state.lang)
    if not frame.empty:
        traces += [*_selected(frame, state.lang), _points(frame, groups, state.lang)]
    background = [] if style.paper == "#ffffff" else [
        {"below": "traces", "type": "fill", "color": style.paper, "sourcetype": "geojson",
         "source": {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [
             [[-180, -85], [180, -85], [180, 85], [-180, 85], [-180, -85]]]}}}]
    fit = _fit(frame)
    view = {"center": fit["center"] if state.org_centre is None
            else {"lat": state.org_centre[0], "lon": state.org_centre[1]},
            "zoom": fit["zoom"] if state.org_zoom is None else state.org_zoom}
    layout = {
        "map": {"style": BLANK_STYLE, **view, **({"layers": background} if background else {})},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "showlegend": False,
        # Never changes: a redraw keeps the user's pan and zoom.
        "uirevision": "organisations",
        # The view of an address without org_zoom/org_centre, for the page's script that moves
        # the map on back and forward (callbacks/views.py VIEW_FILTERS_SCRIPT).
        "meta": {"fit": fit},
    }
    return figure(traces, layout, style)


def legend_groups(frame: pd.DataFrame, state: FilterState) -> list[tuple[str, str, int]]:
    """The legend in words: (colour, the types it stands for, organisations drawn in it) for
    every colour, in the state's language."""
    style = look(state)
    counts = frame["type"].value_counts().to_dict() if not frame.empty else {}
    return [(g.colour, ", ".join(type_words(t, state.lang) for t in g.types),
             int(sum(counts.get(t, 0) for t in g.types))) for g in type_groups(style)]


__all__ = ["ORG_TYPE_COLOURS", "legend_groups", "org_map_figure", "point_sizes", "type_groups"]
