"""The regional map's parts around its graph: the switch above the map, the credit line and
the line of organisations that could not be placed in a region, with their list."""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components import ids
from components.a11y import aria
from data.engine.pilot_actions import PilotActionPlaces
from data.engine.regions import Unplaced, reason_words
from data.engine.state import GEO_LEVELS, FilterState
from data.io.i18n import N_, translator

GEO_LABELS = {"countries": N_("countries"), "nuts1": N_("NUTS 1"), "nuts2": N_("NUTS 2"),
              "nuts3": N_("NUTS 3")}
"""The switch's words for each ``geo=`` level."""


def geo_switch(lang: str = "en") -> html.Div:
    """The switch above the map: what it draws (``GEO_LEVELS``)."""
    _ = translator(lang)
    return html.Div([
        html.Span(_("Map of") + " ", className="small me-1", id=ids.GEO_LEVEL_LABEL),
        html.Div(dbc.RadioItems(id=ids.GEO_LEVEL, inline=True, value="countries",
                                options=[{"label": _(GEO_LABELS[g]), "value": g} for g in GEO_LEVELS]),
                 role="radiogroup", **aria(labelledby=ids.GEO_LEVEL_LABEL)),
    ], className="d-flex align-items-center flex-wrap mb-1 geo-switch")


def region_map_block(lang: str = "en") -> html.Div:
    """The regional map's graph and the lines under it, filled by the render callback; hidden
    until the switch picks a NUTS level."""
    _ = translator(lang)
    return html.Div([
        dcc.Graph(id=ids.REGION_MAP, config={"displayModeBar": False, "scrollZoom": True},
                  className="map-graph", figure={"data": [], "layout": {}}),
        html.Div(id=ids.REGION_UNPLACED, className="small region-unplaced"),
    ], id=ids.REGION_MAP_WRAP, style={"display": "none"}, role="region",
        **aria(label=_("Map of NUTS regions")))


REGIONS_LISTED = 30
"""The regions the ranked list under the map names (the map draws them all)."""


def region_list(summary: pd.DataFrame, state: FilterState, lang: str = "en") -> html.Details:
    """The regional map's keyboard alternative: the regions of the selection ranked by
    projects, each a button that filters by it as a click on the map does (the first
    ``REGIONS_LISTED``)."""
    _ = translator(lang)
    rows = summary.head(REGIONS_LISTED)
    items = [html.Li(html.Button(
        _("{name} ({code}): {projects} project(s), {organisations} named organisation(s)", name=name,
          code=code, projects=_.number(projects), organisations=_.number(organisations)),
        id=ids.region_row_id(code), n_clicks=0, className="btn btn-link btn-sm p-0 text-start",
        **aria(pressed="true" if code in state.region else "false")))
        for code, name, projects, organisations in zip(
            rows["region"].tolist(), rows["name"].tolist(), rows["projects"].tolist(),
            rows["organisations"].tolist(), strict=True)]
    more = len(summary) - len(rows)
    if more > 0:
        items.append(html.Li(_("… and {n} more on the map", n=_.number(more))))
    return html.Details([html.Summary(_("Regions of the selection, ranked (keyboard: press one to filter)")),
                         html.Ol(items, className="mb-0")], className="region-list")


def unplaced_panel(found: Unplaced, listed: pd.DataFrame, lang: str = "en") -> list[Any]:
    """How to use the map, then "N organisations could not be placed in a region: ..." with a
    details element listing them (the first ``len(listed)``), or that every one is placed.
    The boundaries' credit is on the map itself (``NUTS_ATTRIBUTION``)."""
    _ = translator(lang)
    credit = html.Div(_("Click a region to filter by it; click it again to remove it."),
                      className="text-muted region-help")
    if not found.total:
        return [credit, html.Div(_("Every organisation of the selection is placed in a region of this "
                                   "level."), className="text-muted")]
    parts = [f"{_.number(count)} {_.message(reason_words(key))}" for key, count in found.by_reason.items()]
    head = _.ngettext("{n} organisation could not be placed in a region of this level",
                      "{n} organisations could not be placed in a region of this level", found.total)
    items = [html.Li(f"{name or org} ({country or '?'}" + (f", {code}" if code else "") + "): "
                     + _.message(reason_words(str(reason))))
             for org, name, country, code, reason in zip(
                 *(listed[c].tolist() for c in ("organisation_id", "name", "country", "nuts_code", "reason")),
                 strict=True)]
    more = found.total - len(listed)
    if more > 0:
        items.append(html.Li(_("… and {n} more (the organisations export has them all)", n=_.number(more))))
    return [credit, html.Details([
        html.Summary(head + ": " + "; ".join(parts) + "."),
        html.Ul(items, className="mb-0"),
    ], className="region-unplaced-list")]


PILOT_ACTIONS_LISTED = 30
"""The pilot actions the line under the regional map lists (``/api/pilot-actions`` has all)."""


def pilot_actions_line(places: PilotActionPlaces, records: list[dict[str, Any]],
                       lang: str = "en") -> list[Any]:
    """Under the regional map: how many pilot actions the selection has and that none can be
    drawn in a region (no source names one), with the first ``PILOT_ACTIONS_LISTED`` listed:
    title, project and the place as the source states it. Nothing when there are none."""
    if not places.total:
        return []
    _ = translator(lang)
    head = _.ngettext("{n} pilot action in this selection, not drawn: its source names no region",
                      "{n} pilot actions in this selection, not drawn: their sources name no region",
                      places.total)
    detail = _("{country} state a country, {place} a place in words, {none} neither.",
               country=_.number(places.with_country), place=_.number(places.with_place),
               none=_.number(places.unplaced))

    def where(record: dict[str, Any]) -> str:
        stated = [str(record[k]) for k in ("location", "country") if record[k]]
        return ", ".join(stated) if stated else _("place not stated")

    items = [html.Li(f"{r['title']} — {r['project_acronym']} ({where(r)})")
             for r in records[:PILOT_ACTIONS_LISTED]]
    more = places.total - len(items)
    if more > 0:
        items.append(html.Li(_("… and {n} more (GET /api/pilot-actions lists them all)", n=_.number(more))))
    return [html.Details([html.Summary(head),
                          html.P(detail, className="mb-1"), html.Ul(items, className="mb-0")],
                         className="region-pilot-actions")]
