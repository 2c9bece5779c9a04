"""The organisation map's render callback: partners as points, their legend, what is not drawn
and the list alternative, from the filter state alone.

The map leaves out its own filter (``org``), as the country map leaves out the country: it
shows every organisation of the selection with the chosen ones ringed, so a second click on a
point takes it out again. Its numbers are remembered per dataset and filters
(``data.engine.memo.per_dataset``): a change of theme or language draws, but counts nothing anew.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import Dash, Input, Output, State

from callbacks.views import disclosure_inputs, only_open
from components import ids
from components.org_map_figure import org_map_figure
from components.org_map_panel import legend, note, org_list, org_map_label, unplaced
from data.engine.masks import project_mask
from data.engine.memo import per_dataset
from data.engine.model import BoolArray, Dataset, IntArray
from data.engine.organisations import OrganisationMap, organisation_map, participation_counts
from data.engine.state import FilterState
from server.registry import DatasetRegistry

ORG_MAP_OUTPUTS = {
    "figure": Output(ids.ORG_MAP, "figure"),
    "legend": Output(ids.ORG_MAP_LEGEND, "children"),
    "note": Output(ids.ORG_MAP_NOTE, "children"),
    "unplaced": Output(ids.ORG_MAP_UNPLACED, "children"),
    "list": Output(ids.ORG_MAP_LIST, "children"),
    "label": Output(ids.ORG_MAP_FIGURE, "aria-label"),
}
"""The chart, its legend, its notes, its list alternative and its name: one request."""


@per_dataset(8)
def _context(dataset: Dataset, filters: FilterState) -> tuple[BoolArray, IntArray]:
    """The projects of ``filters`` (without ``org``) and the participations of each organisation
    in them: clicking organisations changes neither, so each click counts nothing anew."""
    context = project_mask(dataset, filters)
    return context, participation_counts(dataset, context)


@per_dataset(32)
def organisations_of(dataset: Dataset, filters: FilterState) -> OrganisationMap:
    """What the organisation map shows for ``filters`` (a state's ``filters``): every filter
    but ``org`` selects the projects; the selected organisations are marked."""
    context, participations = _context(dataset, replace(filters, org=()))
    return organisation_map(dataset, context, filters.org, participations=participations)


def render_org_map(dataset: Dataset, state: FilterState, geojson: str | dict[str, Any],
                   country_ids: list[str], listed: bool = True) -> dict[str, Any]:
    """The organisation map of ``state`` over ``dataset`` (``geojson``: the country boundaries'
    URL or object, ``country_ids`` its features), named like ``ORG_MAP_OUTPUTS``; its list
    alternative empty unless ``listed``."""
    found = organisations_of(dataset, state.filters)
    return {
        "figure": org_map_figure(found.drawn, state, geojson, country_ids, found.grouped),
        "legend": legend(found, state),
        "note": note(found, state.lang),
        "unplaced": unplaced(found, state.lang),
        "list": org_list(found.drawn, state) if listed else [],
        "label": org_map_label(found, state.lang),
    }


def register(app: Dash, registry: DatasetRegistry, geojson: str, country_ids: list[str]) -> None:
    """Redraw the organisation map whenever the filter state changes (any of it but the maps'
    zoom and centre), opening at the whole state's ``org_zoom`` and ``org_centre``."""

    lazy = {"list": ids.ORG_MAP_LIST}

    @app.callback(output=ORG_MAP_OUTPUTS,
                  inputs=[Input(ids.ORG_MAP_FILTERS, "data"), *disclosure_inputs(lazy)],
                  state=[State(ids.STATE, "data")], prevent_initial_call=True)
    def org_map_view(_: dict[str, Any] | None, *opened_and_state: Any) -> dict[str, Any]:
        opened, data = opened_and_state[:-1], opened_and_state[-1]
        state = FilterState.from_dict(data)
        out = render_org_map(registry.resolve(state.dataset), state, geojson, country_ids,
                             listed=bool(opened[0]))
        return only_open(out, lazy, opened)
