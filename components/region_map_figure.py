"""The regional map: NUTS regions of one level, a pure function of a region summary and the state.

Drawn like the country map (``components/map_figure.py``): MapLibre on the blank offline style,
the boundaries fetched once by URL from our own server, so a redraw carries codes and numbers
only. Every figure drawn from GISCO's boundaries carries their credit (``NUTS_ATTRIBUTION``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from components.figure_kit import HIGHLIGHT, Figure, figure, look, trace
from components.map_figure import _map_layout, metric_of
from data.engine.state import FilterState
from data.io.i18n import translator

INSTRUMENT_PX = 9
"""The diameter of the dot on a region where a policy instrument's organisation is."""


def region_map_figure(
    summary: pd.DataFrame,
    state: FilterState,
    region_ids: Sequence[str],
    geojson: str | dict[str, Any],
    attribution: str,
    centroids: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """Choropleth of the selection per NUTS region of one level.

    ``summary`` has the columns of ``data.engine.region_queries.region_summary``: region, name,
    projects, organisations, instruments. ``state.map`` picks the colour ('projects' or
    'partners', the distinct partner organisations placed there). ``region_ids`` are the
    features of ``geojson`` (best its URL); every one is drawn in the context grey under the
    counted ones. Regions in ``state.region`` get a thick outline; a region where the
    organisation of a policy instrument is placed gets a dot at ``centroids[code]`` (latitude,
    longitude), its count in the hover. ``attribution`` is the boundaries' credit. The map opens
    at ``state.zoom`` and ``state.centre`` when they are set, else on Europe."""
    _ = translator(state.lang)
    style = look(state)
    metric, label = metric_of(state)
    label = _(label)
    ids = list(region_ids)
    drawn = set(ids)
    regions = summary["region"].tolist()
    names = dict(zip(regions, summary["name"].tolist(), strict=True))
    on_map = np.array([c in drawn for c in regions], dtype=bool)
    traces: list[dict[str, Any]] = [trace(
        "choroplethmap", name="context", geojson=geojson, locations=ids, z=[0] * len(ids),
        colorscale=[[0.0, style.context], [1.0, style.context]], showscale=False,
        marker={"line": {"width": 0.3, "color": style.borders}},
        hovertemplate="%{location}<br>" + _("no project in this selection") + "<extra></extra>",
    )]
    counted = summary[(summary[metric].to_numpy() > 0) & on_map]
    if not counted.empty:
        top = max(1, int(counted[metric].max()))
        traces.append(trace(
            "choroplethmap", name=label, geojson=geojson, locations=counted["region"],
            z=counted[metric], zmin=0, zmax=top, colorscale=style.sequential,
            marker={"line": {"width": 0.5, "color": style.borders}},
            colorbar={"title": {"text": label.capitalize(), "side": "right",
                                "font": {"size": style.font_size, "color": style.ink}},
                      "tickfont": {"size": style.font_size, "color": style.ink},
                      "thickness": 12 if style.font_size < 18 else 20, "len": 0.7, "tickformat": "d",
                      "dtick": 1 if top <= 8 else None},
            customdata=counted[["name", "projects", "organisations", "instruments"]].to_numpy(),
            hovertemplate=(
                "<b>%{customdata[0]}</b> (%{location})<br>"
                + _("{projects} project(s), {organisations} named organisation(s)",
                    projects="%{customdata[1]}", organisations="%{customdata[2]}")
                + "<br>" + _("{instruments} policy instrument(s)", instruments="%{customdata[3]}")
                + "<extra></extra>"),
        ))
    with_instruments = summary[(summary["instruments"].to_numpy() > 0) & on_map]
    if centroids and not with_instruments.empty:
        placed = with_instruments[[c in centroids for c in with_instruments["region"].tolist()]]
        traces.append(trace(
            "scattermap", name="policy instruments", mode="markers",
            lat=[centroids[c][0] for c in placed["region"]], lon=[centroids[c][1] for c in placed["region"]],
            marker={"size": INSTRUMENT_PX, "color": style.ink},
            customdata=placed[["region", "name", "instruments"]].to_numpy(),
            hovertemplate=("<b>%{customdata[1]}</b> (%{customdata[0]})<br>"
                           + _("{instruments} policy instrument(s)", instruments="%{customdata[2]}")
                           + "<extra></extra>"),
        ))
    selected = [c for c in state.region if c in drawn]
    if selected:
        traces.append(trace(
            "choroplethmap", name="selected", geojson=geojson, locations=selected, z=[1] * len(selected),
            colorscale=[[0.0, "rgba(0,0,0,0)"], [1.0, "rgba(0,0,0,0)"]], showscale=False,
            marker={"line": {"width": 3, "color": HIGHLIGHT}}, hoverinfo="skip",
            customdata=[[c, names.get(c, c)] for c in selected],
        ))
    # Framed like the country map, at the state's zoom and centre: the two share them, as only
    # one of them shows at a time.
    return figure(traces, _map_layout([_.message(attribution)], state, style), style)
