"""The hub: the one callback that owns the filter state and the URL.

Every control of the page is an input here. The hub finds which one fired, hands the current
state and the event to a pure function in ``callbacks/interactions.py``, then writes the new
state to the store, to the address bar and back onto the controls, so they always agree.
Dash forbids callback cycles; keeping state, URL and controls in one callback avoids them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks import interactions as act
from components import ids
from components.panels import notices as notice_panel
from data.engine.queries import year_bounds
from data.engine.state import FilterState, Notice, parse_query, requested_dataset
from server.registry import DEFAULT_ID, DatasetRegistry

DROPDOWNS = {
    ids.FILTER_COUNTRY: "country",
    ids.FILTER_KET: "ket",
    ids.FILTER_SECTOR: "sector",
    ids.FILTER_PROGRAMME: "programme",
}


def next_state(
    trigger: Any, value: Any, state: FilterState, bounds: tuple[int, int], upload: Any = None
) -> FilterState:
    """Dispatch one event to its interaction. ``trigger`` is Dash's triggered id."""
    if isinstance(trigger, dict):
        if trigger.get("type") == ids.CHIP:
            return act.on_chip_remove(state, str(trigger.get("dimension")), str(trigger.get("value")))
        if trigger.get("type") == ids.UNDATED_ITEM:
            return act.select_project(state, str(trigger.get("project") or ""))
        return state
    handlers = {
        ids.FILTER_PERIOD: lambda: act.on_period(state, value, bounds),
        ids.FILTER_SEARCH: lambda: act.on_search(state, value),
        ids.MAP_METRIC: lambda: act.on_metric(state, value),
        ids.INFERRED: lambda: act.on_inferred(state, value),
        ids.MAP: lambda: act.on_map_click(state, value),
        ids.MATRIX: lambda: act.on_matrix_click(state, value),
        ids.TABLE: lambda: act.on_table_click(state, value),
        ids.RESET: lambda: act.on_reset(state),
        ids.DETAIL_CLOSE: lambda: act.select_project(state, state.project),
        ids.UPLOAD_SWITCH: lambda: act.on_switch_dataset(state, upload),
    }
    if trigger in DROPDOWNS:
        return act.on_dropdown(state, DROPDOWNS[trigger], value)
    if trigger == ids.TIMELINE:
        prop = ctx.triggered[0]["prop_id"].rsplit(".", 1)[-1] if ctx.triggered else ""
        if prop == "selectedData":
            return act.on_timeline_select(state, value)
        return act.on_timeline_click(state, value)
    handler = handlers.get(trigger)
    return handler() if handler else state


def state_from_url(search: str, registry: DatasetRegistry) -> tuple[FilterState, list[Notice]]:
    """Parse an address against the dataset it names (an unknown upload falls back, noticed)."""
    wanted = requested_dataset(search)
    dataset = registry.get(wanted)
    notices: list[Notice] = []
    if dataset is None:
        notices.append(Notice("dataset", wanted or "", "no such dataset on this server (uploads "
                              "last while the server runs); showing the default dataset"))
        dataset, wanted = registry.default, None
    state, found = parse_query(search, dataset)
    return replace(state, dataset=None if wanted == DEFAULT_ID else wanted), notices + found


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the hub callback over the datasets of ``registry``."""

    @app.callback(
        Output(ids.STATE, "data"),
        Output(ids.URL, "search"),
        Output(ids.NOTICES, "children"),
        Output(ids.FILTER_COUNTRY, "value"),
        Output(ids.FILTER_KET, "value"),
        Output(ids.FILTER_SECTOR, "value"),
        Output(ids.FILTER_PROGRAMME, "value"),
        Output(ids.FILTER_PERIOD, "value"),
        Output(ids.FILTER_SEARCH, "value"),
        Output(ids.MAP_METRIC, "value"),
        Output(ids.INFERRED, "value"),
        Output(ids.MAP, "clickData"),
        Output(ids.MATRIX, "clickData"),
        Output(ids.TIMELINE, "clickData"),
        Input(ids.URL, "search"),
        Input(ids.FILTER_COUNTRY, "value"),
        Input(ids.FILTER_KET, "value"),
        Input(ids.FILTER_SECTOR, "value"),
        Input(ids.FILTER_PROGRAMME, "value"),
        Input(ids.FILTER_PERIOD, "value"),
        Input(ids.FILTER_SEARCH, "value"),
        Input(ids.MAP_METRIC, "value"),
        Input(ids.INFERRED, "value"),
        Input(ids.MAP, "clickData"),
        Input(ids.MATRIX, "clickData"),
        Input(ids.TIMELINE, "clickData"),
        Input(ids.TIMELINE, "selectedData"),
        Input(ids.TABLE, "cellClicked"),
        Input({"type": ids.CHIP, "dimension": ALL, "value": ALL}, "n_clicks"),
        Input({"type": ids.UNDATED_ITEM, "project": ALL}, "n_clicks"),
        Input(ids.RESET, "n_clicks"),
        Input(ids.DETAIL_CLOSE, "n_clicks"),
        Input(ids.UPLOAD_SWITCH, "n_clicks"),
        State(ids.STATE, "data"),
        State(ids.UPLOAD_STORE, "data"),
    )
    def hub(search: str | None, *args: Any) -> tuple[Any, ...]:
        stored, upload = args[-2], args[-1]
        trigger = ctx.triggered_id
        found: list[Notice] = []
        if trigger is None or trigger == ids.URL:
            state, found = state_from_url(search or "", registry)
            search_out: Any = no_update
        else:
            value = ctx.triggered[0]["value"] if ctx.triggered else None
            # Buttons created by a re-render report n_clicks 0: not a click.
            if (isinstance(trigger, dict) or trigger == ids.UPLOAD_SWITCH) and not value:
                return (no_update,) * 14
            previous = FilterState.from_dict(stored)
            bounds = year_bounds(registry.resolve(previous.dataset))
            state = next_state(trigger, value, previous, bounds, upload)
            if state.dataset and registry.get(state.dataset) is None:
                state = replace(state, dataset=None)
            if state == previous:
                return (no_update,) * 11 + (None, None, None)
            query = state.to_query()
            search_out = f"?{query}" if query else ""
        bounds = year_bounds(registry.resolve(state.dataset))
        period = [state.year_from or bounds[0], state.year_to or bounds[1]]
        return (
            state.to_dict(), search_out, notice_panel(found),
            list(state.country), list(state.ket), list(state.sector), list(state.programme),
            period, state.q, state.map, state.inferred, None, None, None,
        )
