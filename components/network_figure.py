"""The collaboration network: a pure function of its node and link frames and the filter state.

A plain scatter on hidden cartesian axes (no map, nothing fetched): links are line traces, one
per width class, drawn under the nodes; each link has an invisible marker at its middle that
names it on hover; nodes are markers sized by their projects and labelled.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import pandas as pd

from components.figure_kit import HIGHLIGHT, Figure, figure, look, trace
from data.engine.state import FilterState
from data.io.i18n import translator

WIDTH_CLASSES = (1.0, 2.5, 4.5, 7.0)
"""Line widths in px of the links, weakest class first: one trace per class."""
NODE_MIN, NODE_MAX = 10.0, 44.0
"""Marker diameters in px of the node with fewest and with most projects (area by projects)."""
ORG_LABELS = 15
"""Organisation nodes with their name written beside them, most projects first (the others
name themselves on hover): long names would cover one another."""
HEIGHT, PRESENT_HEIGHT = 480, 640
AXIS = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True,
        "range": [-1.2, 1.2]}


def link_widths(weights: pd.Series) -> list[float]:
    """The line width of each link: its weight's share of the strongest, in ``WIDTH_CLASSES``."""
    strongest = max(1, int(weights.max())) if len(weights) else 1
    top = len(WIDTH_CLASSES) - 1
    return [WIDTH_CLASSES[min(top, math.ceil(int(w) / strongest * len(WIDTH_CLASSES)) - 1)]
            for w in weights]


def node_sizes(weights: pd.Series) -> list[float]:
    """Marker diameters: area proportional to projects, from ``NODE_MIN`` to ``NODE_MAX``."""
    most = max(1, int(weights.max())) if len(weights) else 1
    return [round(NODE_MIN + (NODE_MAX - NODE_MIN) * math.sqrt(int(w) / most), 1) for w in weights]


# Remembered per language and count: the network writes a few hundred counts per drawing, most
# of them alike, and writing a number the language's way costs more than the rest of the drawing.
@functools.lru_cache(maxsize=4096)
def projects_text(lang: str, n: int) -> str:
    """'{n} projects' in ``lang``."""
    return translator(lang).ngettext("{n} project", "{n} projects", n)


@functools.lru_cache(maxsize=4096)
def linked_text(lang: str, n: int) -> str:
    """'linked to {n} others' in ``lang``."""
    return translator(lang).ngettext("linked to {n} other", "linked to {n} others", n)


@functools.lru_cache(maxsize=4096)
def shared_template(lang: str, n: int) -> str:
    """'{a} – {b}: {n} projects shared' in ``lang``, with {a} and {b} left to ``format``."""
    return translator(lang).ngettext("{a} – {b}: {n} project shared", "{a} – {b}: {n} projects shared", n,
                                     a="{a}", b="{b}")


def network_figure(nodes: pd.DataFrame, edges: pd.DataFrame, state: FilterState, kind: str,
                   clickable: bool = True) -> Figure:
    """The network of the selection.

    ``nodes`` has the columns of ``data.engine.network.nodes``: id, label (written beside the
    marker), name (hover), weight (projects), degree, strength, x, y. ``edges`` has those of
    ``data.engine.network.edges``: source, target (node ids), weight (projects shared). ``kind``
    is 'country' or 'org'. A node's ``customdata`` is [id, kind] (a click filters by it, if
    ``clickable``); a link's middle marker carries none (a click on it filters nothing).
    Countries of the country filter are outlined. Positions are rounded to 0.001 of the plot's
    width: finer is invisible and costs bytes."""
    _ = translator(state.lang)
    lang = state.lang
    style = look(state)
    # Plain lists first: iterating a column of Arrow strings costs a microsecond a cell.
    ids = nodes["id"].astype(str).tolist()
    names = dict(zip(ids, nodes["name"].astype(str).tolist(), strict=True))
    weights, degrees = nodes["weight"].astype(int).tolist(), nodes["degree"].astype(int).tolist()
    position = {i: (round(float(x), 3), round(float(y), 3)) for i, x, y in
                zip(ids, nodes["x"].tolist(), nodes["y"].tolist(), strict=True)}
    sources, targets = edges["source"].astype(str).tolist(), edges["target"].astype(str).tolist()
    shared = edges["weight"].astype(int).tolist()
    traces: list[dict[str, Any]] = []
    widths = link_widths(edges["weight"])
    for width in WIDTH_CLASSES:
        xs: list[float | None] = []
        ys: list[float | None] = []
        for s, t, w in zip(sources, targets, widths, strict=True):
            if w == width:
                (x0, y0), (x1, y1) = position[s], position[t]
                xs += [x0, x1, None]
                ys += [y0, y1, None]
        if xs:
            traces.append(trace("scatter", x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                line={"width": width, "color": style.not_stated}, opacity=0.55))
    if sources:
        middles = [[round((position[s][k] + position[t][k]) / 2, 3) for k in (0, 1)]
                   for s, t in zip(sources, targets, strict=True)]
        link_text = [shared_template(lang, w).format(a=names[s], b=names[t])
                     for s, t, w in zip(sources, targets, shared, strict=True)]
        traces.append(trace(
            "scatter", x=[m[0] for m in middles], y=[m[1] for m in middles], mode="markers",
            showlegend=False, marker={"size": 10, "opacity": 0, "color": style.ink},
            hovertext=link_text, hoverinfo="text"))
    selected = set(state.country) if kind == "country" else set()
    labelled = set(ids if kind == "country" else ids[:ORG_LABELS])
    node_text = ["<br>".join([names[i], projects_text(lang, w), linked_text(lang, d)])
                 for i, w, d in zip(ids, weights, degrees, strict=True)]
    if ids:
        traces.append(trace(
            "scatter", x=[position[i][0] for i in ids], y=[position[i][1] for i in ids],
            mode="markers+text", showlegend=False,
            text=[label if i in labelled else "" for i, label in
                  zip(ids, nodes["label"].astype(str).tolist(), strict=True)],
            textposition="top center", textfont={"size": style.font_size, "color": style.ink},
            marker={"size": node_sizes(nodes["weight"]), "color": style.band_line, "opacity": 0.9,
                    "line": {"color": [HIGHLIGHT if i in selected else style.paper for i in ids],
                             "width": [3.5 if i in selected else 1.0 for i in ids]}},
            customdata=[[i, kind] for i in ids], hovertext=node_text, hoverinfo="text"))
    annotations = [] if ids else [{
        "text": _("No partner to draw for this selection."), "showarrow": False, "xref": "paper",
        "yref": "paper", "x": 0.5, "y": 0.5, "font": {"size": style.font_size, "color": style.ink}}]
    return figure(traces, dict(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis=AXIS, yaxis=AXIS, annotations=annotations, hovermode="closest",
        clickmode="event" if clickable else "none", dragmode=False,
        height=PRESENT_HEIGHT if state.present else HEIGHT,
    ), style)
