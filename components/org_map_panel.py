"""The organisation map's card: the chart, its legend in words, what is not drawn, and the list
alternative for a keyboard or a screen reader. Pure functions of the engine's
``OrganisationMap`` and the filter state.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components import a11y, ids
from components.org_map_figure import legend_groups
from data.engine.organisations import MAX_POINTS, OrganisationMap
from data.engine.state import FilterState
from data.io.countries import country_name
from data.io.i18n import N_, translator

LIST_ROWS = 25
"""Organisations the list alternative names (those drawn with most participations)."""
TITLE = N_("Partner organisations")


def org_map_body(lang: str = "en") -> list[Any]:
    """The card's content before any render: the graph and the places its render fills."""
    _ = translator(lang)
    return [dbc.Row([
        dbc.Col(a11y.chart(
            ids.ORG_MAP_FIGURE,
            dcc.Graph(id=ids.ORG_MAP, config={"displayModeBar": False, "scrollZoom": True},
                      className="org-map-graph"),
            _("Each point is an organisation at its coordinates, sized by its participations in "
              "the selection. Past the {most} with most participations, organisations are grouped "
              "by place in translucent circles. Click a point to filter by the organisation.",
              most=MAX_POINTS),
            a11y.disclosure(_("List of the organisations drawn (keyboard: press one to filter by "
                              "it)"), ids.ORG_MAP_LIST),
            label=_("Map of partner organisations")), lg=8),
        dbc.Col([html.Div(id=ids.ORG_MAP_LEGEND, className="org-map-legend"),
                 html.Div(id=ids.ORG_MAP_NOTE, className="org-map-note small"),
                 html.Div(id=ids.ORG_MAP_UNPLACED, className="org-map-unplaced small")], lg=4),
    ], className="g-2")]


def org_map_label(found: OrganisationMap, lang: str = "en") -> str:
    """The chart's accessible name: how many organisations it draws."""
    _ = translator(lang)
    return _.ngettext("Map of partner organisations: {n} organisation drawn. Its list follows.",
                      "Map of partner organisations: {n} organisations drawn. Its list follows.",
                      len(found.drawn))


def legend(found: OrganisationMap, state: FilterState) -> html.Ul:
    """What the colours mean, in words, with how many organisations drawn have each."""
    _ = translator(state.lang)
    items = [html.Li([html.Span(className="legend-swatch", style={"background": colour}),
                      html.Span(f"{words} ({_.number(n)})")])
             for colour, words, n in legend_groups(found.drawn, state)]
    if not found.grouped.empty:
        items.append(html.Li([html.Span(className="legend-swatch legend-group"),
                              html.Span(_("organisations grouped by place"))]))
    if state.org:
        items.append(html.Li([html.Span(className="legend-swatch legend-ring"),
                              html.Span(_("selected (click again to remove)"))]))
    return html.Ul(items, className="org-legend list-unstyled mb-1",
                   **a11y.aria(label=_("Colours: organisation types")))


def note(found: OrganisationMap, lang: str = "en") -> list[Any]:
    """How many organisations are drawn, and of how many; how many cannot be placed."""
    _ = translator(lang)
    drawn = len(found.drawn)
    if found.cut:
        lines = [_("The {drawn} organisations with most participations are drawn one by one, of "
                   "{placed} with coordinates; the other {grouped} are grouped by place.",
                   drawn=_.number(drawn), placed=_.number(found.placeable),
                   grouped=_.number(found.placeable - drawn))]
    else:
        lines = [_.ngettext("{n} organisation drawn.", "{n} organisations drawn.", drawn)]
    if found.without_coordinates:
        lines.append(_.ngettext("{n} organisation without coordinates is not drawn.",
                                "{n} organisations without coordinates are not drawn.",
                                found.without_coordinates))
    return [html.P(line, className="mb-1") for line in lines]


def unplaced(found: OrganisationMap, lang: str = "en") -> list[Any]:
    """The organisations without coordinates: the first of them (most participations first)
    and how many more, in a disclosure; nothing if every one is placed."""
    if not found.without_coordinates:
        return []
    _ = translator(lang)
    rest = found.without_coordinates - len(found.unplaced)
    items = [html.Li(f"{name} ({country_name(country, lang) if country else _('country not stated')})")
             for name, country in zip(found.unplaced["name"], found.unplaced["country"], strict=True)]
    if rest > 0:
        items.append(html.Li(_("+{n} more", n=_.number(rest)), className="text-muted"))
    return [html.Details([
        html.Summary(_("Organisations without coordinates ({n})", n=_.number(found.without_coordinates))),
        html.Ul(items, className="mb-0 ps-3")])]


def org_list(frame: pd.DataFrame, state: FilterState) -> list[Any]:
    """The organisations drawn (the first ``LIST_ROWS``, most participations first), each a
    button filtering by it as a click on its point does (``ids.org_row_id``).

    ``frame`` has the columns of ``data.engine.organisations.DRAWN_COLUMNS``."""
    _ = translator(state.lang)
    if frame.empty:
        return [html.P(_("The map draws no organisation for this selection."), className="small mb-0")]
    shown = frame.head(LIST_ROWS)
    rows = []
    for org_id, name, country, n, selected in zip(shown["organisation_id"], shown["name"], shown["country"],
                                                  shown["participations"], shown["selected"], strict=True):
        rows.append(html.Tr([
            html.Th(html.Button(str(name), id=ids.org_row_id(org_id), n_clicks=0, type="button",
                                className="btn btn-link btn-sm p-0 text-start",
                                **a11y.aria(pressed="true" if selected else "false")), scope="row"),
            html.Td(country or "–"),
            html.Td(_.number(int(n))),
        ]))
    caption = _("The {shown} organisations with most participations of the {drawn} drawn; press one "
                "to filter by it, again to remove it.", shown=_.number(len(shown)),
                drawn=_.number(len(frame)))
    return [html.Table([
        html.Caption(caption),
        html.Thead(html.Tr([html.Th(_("Organisation"), scope="col"), html.Th(_("Country"), scope="col"),
                            html.Th(_("Participations"), scope="col")])),
        html.Tbody(rows)], className="table table-sm a11y-table mb-0")]
