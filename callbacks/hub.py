"""The hub: the one callback that owns the filter state and the URL.

Every control of the page is an input here. The hub finds which one fired, hands the current
state and the event to a pure function in ``callbacks/interactions.py``, then writes the new
state to the store, to the address bar and back onto the controls, so they always agree.
Dash forbids callback cycles; keeping state, URL and controls in one callback avoids them.
"""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks import interactions as act
from components import ids
from components.panels import notices as notice_panel
from data.filters import FilterState, Notice, parse_query
from data.model import Dataset

DROPDOWNS = {
    ids.FILTER_COUNTRY: "country",
    ids.FILTER_KET: "ket",
    ids.FILTER_SECTOR: "sector",
    ids.FILTER_PROGRAMME: "programme",
}


def next_state(
    trigger: Any, value: Any, state: FilterState, bounds: tuple[int, int]
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
        ids.MAP: lambda: act.on_map_click(state, value),
        ids.MATRIX: lambda: act.on_matrix_click(state, value),
        ids.TABLE: lambda: act.on_table_click(state, value),
        ids.RESET: lambda: act.on_reset(state),
        ids.DETAIL_CLOSE: lambda: act.select_project(state, state.project),
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


def register(app: Dash, dataset: Dataset, bounds: tuple[int, int]) -> None:
    """Register the hub callback for ``dataset``; ``bounds`` are the period slider's ends."""

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
        Input(ids.MAP, "clickData"),
        Input(ids.MATRIX, "clickData"),
        Input(ids.TIMELINE, "clickData"),
        Input(ids.TIMELINE, "selectedData"),
        Input(ids.TABLE, "cellClicked"),
        Input({"type": ids.CHIP, "dimension": ALL, "value": ALL}, "n_clicks"),
        Input({"type": ids.UNDATED_ITEM, "project": ALL}, "n_clicks"),
        Input(ids.RESET, "n_clicks"),
        Input(ids.DETAIL_CLOSE, "n_clicks"),
        State(ids.STATE, "data"),
    )
    def hub(search: str | None, *args: Any) -> tuple[Any, ...]:
        stored = args[-1]
        trigger = ctx.triggered_id
        found: list[Notice] = []
        if trigger is None or trigger == ids.URL:
            state, found = parse_query(search or "", dataset)
            search_out: Any = no_update
        else:
            value = ctx.triggered[0]["value"] if ctx.triggered else None
            # Buttons created by a re-render report n_clicks 0: not a click.
            if isinstance(trigger, dict) and not value:
                return (no_update,) * 13
            previous = FilterState.from_dict(stored)
            state = next_state(trigger, value, previous, bounds)
            if state == previous:
                return (no_update,) * 10 + (None, None, None)
            query = state.to_query()
            search_out = f"?{query}" if query else ""
        period = [state.year_from or bounds[0], state.year_to or bounds[1]]
        return (
            state.to_dict(), search_out, notice_panel(found),
            list(state.country), list(state.ket), list(state.sector), list(state.programme),
            period, state.q, state.map, None, None, None,
        )
