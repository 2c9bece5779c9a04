"""The hub: the one callback that owns the filter state and the URL.

Every control of the page is an input here. The registered wrapper is the only code that reads
Dash's ``ctx``: it turns it into a ``Trigger`` (which control fired, which property, its value)
and calls ``hub_update``, a pure function of the trigger, the address, the stored state and the
upload store. ``next_state`` hands the event to an interaction (``callbacks/interactions.py``);
``hub_update`` writes the new state to the store, to the address bar and back onto the controls,
so they always agree. Dash forbids callback cycles; keeping state, URL and controls in one
callback avoids them. The outputs are named (``HUB_OUTPUTS``): ``hub_update`` returns a dict with
those keys, ``no_update`` for each output it leaves as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from callbacks import interactions as act
from callbacks.views import dropdown_options
from components import ids
from components.panels import notices as notice_panel
from data.engine.model import Dataset
from data.engine.queries import year_bounds
from data.engine.state import FilterState, Notice, parse_query, requested_dataset, unmatched
from data.io.i18n import N_
from server.registry import DEFAULT_ID, DatasetRegistry

DROPDOWNS = {
    ids.FILTER_COUNTRY: "country",
    ids.FILTER_KET: "ket",
    ids.FILTER_SECTOR: "sector",
    ids.FILTER_PROGRAMME: "programme",
}

HUB_OUTPUTS = {
    "state": Output(ids.STATE, "data"),
    "search": Output(ids.URL, "search"),
    "notices": Output(ids.NOTICES, "children"),
    "country": Output(ids.FILTER_COUNTRY, "value"),
    "ket": Output(ids.FILTER_KET, "value"),
    "sector": Output(ids.FILTER_SECTOR, "value"),
    "programme": Output(ids.FILTER_PROGRAMME, "value"),
    # The options go with the values: a dropdown drops a value its options do not offer, and a
    # kept value no project has (?country=IS) is offered only once it is selected.
    **{f"{d}_options": Output(control, "options") for control, d in DROPDOWNS.items()},
    "period": Output(ids.FILTER_PERIOD, "value"),
    "q": Output(ids.FILTER_SEARCH, "value"),
    "map": Output(ids.MAP_METRIC, "value"),
    "inferred": Output(ids.INFERRED, "value"),
    "map_click": Output(ids.MAP, "clickData"),
    "matrix_click": Output(ids.MATRIX, "clickData"),
    "timeline_click": Output(ids.TIMELINE, "clickData"),
}
"""What the hub writes. The click data are cleared after each event, so clicking the same
point twice fires twice."""
CLICKS = ("map_click", "matrix_click", "timeline_click")

CONTROLS = [
    *(Input(control, "value") for control in (*DROPDOWNS, ids.FILTER_PERIOD, ids.FILTER_SEARCH,
                                              ids.MAP_METRIC, ids.INFERRED)),
    *(Input(graph, "clickData") for graph in (ids.MAP, ids.MATRIX, ids.TIMELINE)),
    Input(ids.TIMELINE, "selectedData"),
    Input(ids.TABLE, "cellClicked"),
    *(Input(button, "n_clicks") for button in (ids.chip_id(ALL, ALL), ids.undated_item_id(ALL), ids.RESET,
                                               ids.DETAIL_CLOSE, ids.UPLOAD_SWITCH)),
]
"""Every control the hub listens to besides the address; the trigger says which one fired."""


@dataclass(frozen=True)
class Trigger:
    """The event that fired the hub: a control's id (a dict for pattern-matching ids; None on
    the page's first call), the property that changed and its new value."""

    id: str | dict[str, Any] | None = None
    prop: str = ""
    value: Any = None

    @property
    def is_click(self) -> bool:
        """A button (a chip's ×, an undated project, 'Show this dataset')."""
        return isinstance(self.id, dict) or self.id == ids.UPLOAD_SWITCH


def next_state(
    trigger: Trigger, state: FilterState, bounds: tuple[int, int], upload: Any = None
) -> FilterState:
    """Dispatch one event to its interaction; ``bounds`` are the dataset's first and last years,
    ``upload`` the upload dialog's store. An unknown trigger leaves the state as it was."""
    key, value = trigger.id, trigger.value
    if isinstance(key, dict):
        if key.get("type") == ids.CHIP:
            return act.on_chip_remove(state, str(key.get("dimension")), str(key.get("value")))
        if key.get("type") == ids.UNDATED_ITEM:
            return act.select_project(state, str(key.get("project") or ""))
        return state
    if key in DROPDOWNS:
        return act.on_dropdown(state, DROPDOWNS[key], value)
    if key == ids.TIMELINE:
        if trigger.prop == "selectedData":
            return act.on_timeline_select(state, value)
        return act.on_timeline_click(state, value)
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
    handler = handlers.get(key) if isinstance(key, str) else None
    return handler() if handler else state


def state_from_url(search: str, registry: DatasetRegistry) -> tuple[FilterState, list[Notice]]:
    """Parse an address against the dataset it names (an unknown upload falls back, noticed).
    Valid values that match no project are kept and announced (``unmatched``)."""
    wanted = requested_dataset(search)
    dataset = registry.get(wanted)
    notices: list[Notice] = []
    if dataset is None:
        notices.append(Notice("dataset", wanted or "", N_(
            "no such dataset on this server (uploads last while the server runs); showing the default "
            "dataset")))
        dataset, wanted = registry.default, None
    state, found = parse_query(search, dataset)
    state = replace(state, dataset=None if wanted == DEFAULT_ID else wanted)
    return state, notices + found + unmatched(state, dataset)


def hub_outputs(state: FilterState, dataset: Dataset, search: Any,
                found: list[Notice]) -> dict[str, Any]:
    """Every hub output for ``state``: the store, the address (``search``, or ``no_update``), the
    notices of ``found``, the controls showing the state (the dropdowns' options with their
    values), and the click data cleared."""
    bounds = year_bounds(dataset)
    period = [state.year_from or bounds[0], state.year_to or bounds[1]]
    return {
        **dropdown_options(dataset, state),
        "state": state.to_dict(), "search": search, "notices": notice_panel(found, state.lang),
        "country": list(state.country), "ket": list(state.ket), "sector": list(state.sector),
        "programme": list(state.programme), "period": period, "q": state.q, "map": state.map,
        "inferred": state.inferred, **dict.fromkeys(CLICKS),
    }


def hub_update(
    registry: DatasetRegistry, trigger: Trigger, search: str | None, stored: dict[str, Any] | None,
    upload: Any = None,
) -> dict[str, Any]:
    """What the hub writes for one event: a value (or ``no_update``) for each of ``HUB_OUTPUTS``.

    On the first call or a change of address (back, forward, a pasted link) the state is read
    from the address, which stays as typed. Any other event changes the stored state and writes
    the canonical address of the new one. An event that changes nothing only clears the click
    data; a button that a re-render created (``n_clicks`` 0) is not a click at all."""
    if trigger.id is None or trigger.id == ids.URL:
        state, found = state_from_url(search or "", registry)
        return hub_outputs(state, registry.resolve(state.dataset), no_update, found)
    if trigger.is_click and not trigger.value:
        return dict.fromkeys(HUB_OUTPUTS, no_update)
    previous = FilterState.from_dict(stored)
    state = next_state(trigger, previous, year_bounds(registry.resolve(previous.dataset)), upload)
    if state.dataset and registry.get(state.dataset) is None:
        state = replace(state, dataset=None)
    if state == previous:
        return {**dict.fromkeys(HUB_OUTPUTS, no_update), **dict.fromkeys(CLICKS)}
    query = state.to_query()
    return hub_outputs(state, registry.resolve(state.dataset), f"?{query}" if query else "", [])


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the hub callback over the datasets of ``registry``."""

    @app.callback(
        output=HUB_OUTPUTS,
        inputs={"search": Input(ids.URL, "search"), "controls": CONTROLS},
        state={"stored": State(ids.STATE, "data"), "upload": State(ids.UPLOAD_STORE, "data")},
    )
    def hub(search: str | None, controls: list[Any], stored: dict[str, Any] | None,
            upload: Any) -> dict[str, Any]:
        fired = ctx.triggered[0] if ctx.triggered else {}
        prop = str(fired.get("prop_id", "")).rsplit(".", 1)[-1]
        trigger = Trigger(ctx.triggered_id, prop, fired.get("value"))
        return hub_update(registry, trigger, search, stored, upload)
