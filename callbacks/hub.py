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

from dash import ALL, ClientsideFunction, Dash, Input, Output, State, ctx, no_update

from callbacks import interactions as act
from callbacks import story_actions as story
from callbacks.views import dropdown_options
from components import ids
from components.panels import notices as notice_panel
from components.presentation import APPLY_FUNCTION
from components.storyboard import status_message
from data.engine.memo import forgetting
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
    ids.FILTER_INSTRUMENT: "instrument",
}

HUB_OUTPUTS = {
    "state": Output(ids.STATE, "data"),
    "search": Output(ids.URL, "search"),
    "notices": Output(ids.NOTICES, "children"),
    "country": Output(ids.FILTER_COUNTRY, "value"),
    "ket": Output(ids.FILTER_KET, "value"),
    "sector": Output(ids.FILTER_SECTOR, "value"),
    "programme": Output(ids.FILTER_PROGRAMME, "value"),
    "instrument": Output(ids.FILTER_INSTRUMENT, "value"),
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
    # The storyboard panel: what its last action said, its fields emptied after a save, and
    # the upload emptied after a file is read (so the same file can be chosen again).
    "story_status": Output(ids.STORY_STATUS, "children"),
    "story_title": Output(ids.STORY_TITLE, "value"),
    "story_note": Output(ids.STORY_NOTE, "value"),
    "story_upload": Output(ids.STORY_UPLOAD, "contents"),
    "theme": Output(ids.THEME, "value"),
    # The regional map: its switch, and its click data cleared like the others'.
    "geo": Output(ids.GEO_LEVEL, "value"),
    "region_map_click": Output(ids.REGION_MAP, "clickData"),
    # The open project's side sheet: open while the state names a project.
    "sheet_open": Output(ids.DETAIL_SHEET, "is_open"),
    # The collaboration network: its click cleared, its node switch showing the state.
    "network_click": Output(ids.NETWORK, "clickData"),
    "net": Output(ids.NETWORK_KIND, "value"),
}
"""What the hub writes. The click data are cleared after each event, so clicking the same
point twice fires twice."""
CLICKS: tuple[str, ...] = ("map_click", "matrix_click", "timeline_click", "region_map_click",
                           "network_click")
# The organisation map (callbacks/org_map.py): its click data is cleared like the others'.
HUB_OUTPUTS["org_map_click"] = Output(ids.ORG_MAP, "clickData")
CLICKS = (*CLICKS, "org_map_click")
STORY_OUTPUTS = ("story_status", "story_title", "story_note", "story_upload")
STORY_BUTTONS = (ids.STORY_SAVE, ids.STORY_PREV, ids.STORY_NEXT, ids.STORY_BAR_PREV, ids.STORY_BAR_NEXT,
                 ids.STORY_FOLDER_OPEN)

CONTROLS = [
    *(Input(control, "value") for control in (*DROPDOWNS, ids.FILTER_PERIOD, ids.FILTER_SEARCH,
                                              ids.MAP_METRIC, ids.INFERRED)),
    *(Input(graph, "clickData") for graph in (ids.MAP, ids.MATRIX, ids.TIMELINE)),
    Input(ids.TIMELINE, "selectedData"),
    Input(ids.TABLE, "cellClicked"),
    Input(ids.TABLE_SORT, "data"),
    *(Input(button, "n_clicks") for button in (ids.chip_id(ALL, ALL), ids.undated_item_id(ALL), ids.RESET,
                                               ids.DETAIL_CLOSE, ids.UPLOAD_SWITCH)),
    *(Input(button, "n_clicks") for button in (ids.story_action_id(ALL, ALL), *STORY_BUTTONS)),
    Input(ids.STORY_UPLOAD, "contents"),
    *(Input(button, "n_clicks") for button in (ids.PRESENT, ids.PRESENT_EXIT)),
    Input(ids.THEME, "value"),
    # Keyboard: Enter on a table row, the buttons of the matrix's and the timeline's alternatives.
    Input(ids.TABLE, "eventData"),
    *(Input(button, "n_clicks") for button in (ids.matrix_cell_id(ALL, ALL), ids.timeline_item_id(ALL))),
    Input(ids.COUNTRY_LIST_PICK, "data"),
    Input(ids.MAP, "relayoutData"),
    Input(ids.REGION_MAP, "clickData"),
    # A pan or zoom of the regional map (the country map's view, shared) and of the org map.
    Input(ids.REGION_MAP, "relayoutData"),
    Input(ids.ORG_MAP, "relayoutData"),
    Input(ids.GEO_LEVEL, "value"),
    Input(ids.region_row_id(ALL), "n_clicks"),
    # The comparison: 'Compare' with rows ticked (its store), and the panel's close button.
    Input(ids.COMPARE_REQUEST, "data"),
    Input(ids.COMPARE_CLOSE, "n_clicks"),
    # The side sheet closed by Escape: the project closes with it.
    Input(ids.DETAIL_SHEET, "is_open"),
    # The organisation map: a point clicked, an organisation of its list pressed.
    Input(ids.ORG_MAP, "clickData"),
    Input(ids.org_row_id(ALL), "n_clicks"),
    # The collaboration network: a node clicked, its table's node buttons, its node switch.
    Input(ids.NETWORK, "clickData"),
    Input(ids.network_node_id(ALL, ALL), "n_clicks"),
    Input(ids.NETWORK_KIND, "value"),
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
        return isinstance(self.id, dict) or self.id in (ids.UPLOAD_SWITCH, *STORY_BUTTONS)


def next_state(
    trigger: Trigger, state: FilterState, bounds: tuple[int, int], upload: Any = None
) -> FilterState:
    """Dispatch one event to its interaction; ``bounds`` are the dataset's first and last years,
    ``upload`` the upload dialog's store. An unknown trigger leaves the state as it was."""
    key, value = trigger.id, trigger.value
    if isinstance(key, dict):
        if key.get("type") == ids.CHIP:
            return act.on_chip_remove(state, str(key.get("dimension")), str(key.get("value")))
        if key.get("type") in (ids.UNDATED_ITEM, ids.TIMELINE_ITEM):
            return act.select_project(state, str(key.get("project") or ""))
        if key.get("type") == ids.MATRIX_CELL:
            return act.on_matrix_cell(state, key.get("ket"), key.get("sector"))
        if key.get("type") == ids.REGION_ROW:
            return act.on_region_row(state, key.get("region"))
        if key.get("type") == ids.ORG_ROW:
            return act.on_org_row(state, key.get("org"))
        if key.get("type") == ids.NETWORK_NODE:
            return act.on_network_node(state, key.get("kind"), key.get("node"))
        return state
    if key in DROPDOWNS:
        return act.on_dropdown(state, DROPDOWNS[key], value)
    if key == ids.TABLE and trigger.prop == "eventData":
        return act.on_table_key(state, value)
    if key in (ids.MAP, ids.REGION_MAP) and trigger.prop == "relayoutData":
        return act.on_map_relayout(state, value)
    if key == ids.ORG_MAP and trigger.prop == "relayoutData":
        return act.on_org_map_relayout(state, value)
    if key == ids.DETAIL_SHEET:
        return act.on_sheet_toggle(state, value)
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
        ids.COUNTRY_LIST_PICK: lambda: act.on_country_row(
            state, value.get("country") if isinstance(value, dict) else None),
        ids.MATRIX: lambda: act.on_matrix_click(state, value),
        ids.TABLE: lambda: act.on_table_click(state, value),
        ids.TABLE_SORT: lambda: act.on_table_sort(state, value),
        ids.RESET: lambda: act.on_reset(state),
        ids.DETAIL_CLOSE: lambda: act.select_project(state, state.project),
        ids.UPLOAD_SWITCH: lambda: act.on_switch_dataset(state, upload),
        ids.PRESENT: lambda: act.on_present(state),
        ids.PRESENT_EXIT: lambda: act.on_present_exit(state),
        ids.THEME: lambda: act.on_theme(state, value),
        ids.REGION_MAP: lambda: act.on_region_click(state, value),
        ids.GEO_LEVEL: lambda: act.on_geo_level(state, value),
        ids.COMPARE_REQUEST: lambda: act.on_compare(state, value),
        ids.COMPARE_CLOSE: lambda: act.on_compare_close(state),
        ids.ORG_MAP: lambda: act.on_org_map_click(state, value),
        ids.NETWORK: lambda: act.on_network_click(state, value),
        ids.NETWORK_KIND: lambda: act.on_network_kind(state, value),
    }
    handler = handlers.get(key) if isinstance(key, str) else None
    return handler() if handler else state


def story_event(
    trigger: Trigger, state: FilterState, registry: DatasetRegistry,
    inputs: tuple[Any, Any, Any] = ("", "", ""),
) -> story.StoryResult | None:
    """Dispatch a storyboard event to its action (``callbacks/story_actions.py``); None if the
    trigger is not a storyboard control. ``inputs`` are the panel's title, note and uploaded
    file name. Showing a view parses its query like an address, so these need the registry."""
    key, value = trigger.id, trigger.value

    def parse(query: str) -> tuple[FilterState, list[Notice]]:
        return state_from_url(query, registry)

    if isinstance(key, dict):
        if key.get("type") != ids.STORY_ACTION:
            return None
        index, action = key.get("index"), key.get("action")
        actions = {
            "show": lambda: story.show_view(state, index + 1 if isinstance(index, int) else None, parse),
            "up": lambda: story.move_view(state, index, -1),
            "down": lambda: story.move_view(state, index, 1),
            "remove": lambda: story.remove_view(state, index),
        }
        chosen = actions.get(action) if isinstance(action, str) else None
        return chosen() if chosen else story.StoryResult(state)
    title, note, filename = inputs
    handlers = {
        ids.STORY_SAVE: lambda: story.save_view(state, title, note),
        ids.STORY_PREV: lambda: story.step(state, -1, parse),
        ids.STORY_BAR_PREV: lambda: story.step(state, -1, parse),
        ids.STORY_NEXT: lambda: story.step(state, 1, parse),
        ids.STORY_BAR_NEXT: lambda: story.step(state, 1, parse),
        ids.STORY_FOLDER_OPEN: lambda: story.open_folder_storyboard(
            state, registry.resolve(state.dataset).storyboard, parse),
        ids.STORY_UPLOAD: lambda: story.upload_storyboard(state, value, filename, parse),
    }
    handler = handlers.get(key) if isinstance(key, str) else None
    return handler() if handler else None


def story_outputs(trigger: Trigger, previous: FilterState, result: story.StoryResult,
                  registry: DatasetRegistry) -> dict[str, Any]:
    """What the hub writes after a storyboard event: the new state as any event's (with the
    notices of the view shown), what the panel says, its fields emptied after a save."""
    status = status_message(result.status, result.tone) if result.status else ""
    uploaded = {"story_upload": None} if trigger.id == ids.STORY_UPLOAD and trigger.value else {}
    if result.state == previous:
        quiet = {**dict.fromkeys(HUB_OUTPUTS, no_update), **uploaded}
        return {**quiet, "story_status": status} if status else quiet
    query = result.state.to_query()
    outputs = hub_outputs(result.state, registry.resolve(result.state.dataset), f"?{query}" if query else "",
                          list(result.notices))
    saved = {"story_title": "", "story_note": ""} if trigger.id == ids.STORY_SAVE else {}
    return {**outputs, "story_status": status, **saved, **uploaded}


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
        "programme": list(state.programme),
        "instrument": list(state.instrument), "period": period, "q": state.q, "map": state.map,
        "inferred": state.inferred, **dict.fromkeys(CLICKS), **dict.fromkeys(STORY_OUTPUTS, no_update),
        "theme": state.theme == "dark",
        "geo": state.geo,
        "sheet_open": state.project is not None,
        "net": state.net,
    }


def hub_update(
    registry: DatasetRegistry, trigger: Trigger, search: str | None, stored: dict[str, Any] | None,
    upload: Any = None, story_inputs: tuple[Any, Any, Any] = ("", "", ""),
) -> dict[str, Any]:
    """What the hub writes for one event: a value (or ``no_update``) for each of ``HUB_OUTPUTS``.

    On the first call or a change of address (back, forward, a pasted link) the state is read
    from the address, which stays as typed. Any other event changes the stored state and writes
    the canonical address of the new one. An event that changes nothing only clears the click
    data; a button that a re-render created (``n_clicks`` 0) is not a click at all.
    ``story_inputs`` are the storyboard panel's title, note and uploaded file name."""
    if trigger.id is None or trigger.id == ids.URL:
        state, found = state_from_url(search or "", registry)
        return hub_outputs(state, registry.resolve(state.dataset), no_update, found)
    if trigger.is_click and not trigger.value:
        return dict.fromkeys(HUB_OUTPUTS, no_update)
    previous = FilterState.from_dict(stored)
    result = story_event(trigger, previous, registry, story_inputs)
    if result is not None:
        return story_outputs(trigger, previous, result, registry)
    state = next_state(trigger, previous, year_bounds(registry.resolve(previous.dataset)), upload)
    if state.dataset and registry.get(state.dataset) is None:
        state = replace(state, dataset=None)
    if state == previous and trigger.prop == "relayoutData":
        # A layout event that is no pan (the map's first draw says 'autosize', the page moved a
        # map) has no click to clear. Fired while the hub was answering back or forward, it
        # overtakes that answer (Dash keeps a callback's latest request), so the address can
        # hold a state the store missed: read it again.
        addressed, found = state_from_url(search or "", registry)
        if addressed != previous:
            return hub_outputs(addressed, registry.resolve(addressed.dataset), no_update, found)
        return dict.fromkeys(HUB_OUTPUTS, no_update)
    if state == previous:
        return {**dict.fromkeys(HUB_OUTPUTS, no_update), **dict.fromkeys(CLICKS)}
    query = state.to_query()
    after = hub_outputs(state, registry.resolve(state.dataset), f"?{query}" if query else "", [])
    return only_changed(hub_outputs(previous, registry.resolve(previous.dataset), no_update, []),
                        after, trigger.id)


ALWAYS_WRITTEN = ("state", "search", "notices", *CLICKS)
"""Hub outputs written on every change of state: the state, the address, the notices (cleared
by any interaction) and the click data (cleared, so the same point can be clicked again)."""


def only_changed(before: dict[str, Any], after: dict[str, Any], trigger_id: Any) -> dict[str, Any]:
    """``after`` with ``no_update`` for each control that already shows its value (``before``,
    the outputs of the state the page shows), except the control that fired (``trigger_id``),
    which is given the state's reading of what it sent. Each value written costs the page a
    re-render of its control and a store action visiting every component: dropdowns whose
    options did not change are the most of what a click would write."""
    fired = {key for key, output in HUB_OUTPUTS.items() if output.component_id == trigger_id}
    return {key: value if key in ALWAYS_WRITTEN or key in fired or not _same(before.get(key), value)
            else no_update for key, value in after.items()}


def _same(a: Any, b: Any) -> bool:
    # Components have no value equality: they count as changed.
    plain = (str, int, float, bool, type(None), list, dict, tuple)
    return isinstance(a, plain) and isinstance(b, plain) and a == b


PANNED_MAPS = (ids.MAP, ids.REGION_MAP, ids.ORG_MAP)
"""The maps whose pans and zooms the hub keeps (``relayoutData``)."""


def fired_trigger(fired: list[dict[str, Any]], first_id: Any) -> Trigger:
    """The one event the hub handles of those Dash sent together (``fired``: its ``triggered``
    list of prop_id and value; ``first_id``: the first one's id, parsed). A map's relayout also
    fires when the page moves the map (back, forward), so it can come with the address's next
    change or with another map's pan: the address goes first (the state is read from it), then a
    user's pan (``map._derived``), else the first event."""
    events = [(*str(f.get("prop_id", "")).rpartition(".")[::2], f.get("value")) for f in fired]
    for component, prop, value in events:
        if component == ids.URL and prop == "search":
            return Trigger(ids.URL, prop, value)
    for component, prop, value in events:
        if (component in PANNED_MAPS and prop == "relayoutData" and isinstance(value, dict)
                and "map._derived" in value):
            return Trigger(component, prop, value)
    first = fired[0] if fired else {}
    return Trigger(first_id, str(first.get("prop_id", "")).rsplit(".", 1)[-1], first.get("value"))


def forget_if_new_state(registry: DatasetRegistry, outputs: dict[str, Any],
                        stored: dict[str, Any] | None) -> bool:
    """Under ``--forget-states`` (measuring), forget the dataset's per-state results when the
    hub writes a new state, so the views compute it anew. Whether it forgot."""
    new = outputs.get("state")
    if not forgetting() or not isinstance(new, dict) or new == stored:
        return False
    registry.resolve(new.get("dataset")).memo.forget_results()
    return True


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the hub callback over the datasets of ``registry``."""

    @app.callback(
        output=HUB_OUTPUTS,
        inputs={"search": Input(ids.URL, "search"), "controls": CONTROLS},
        state={"stored": State(ids.STATE, "data"), "upload": State(ids.UPLOAD_STORE, "data"),
               "story_inputs": [State(ids.STORY_TITLE, "value"), State(ids.STORY_NOTE, "value"),
                                State(ids.STORY_UPLOAD, "filename")]},
    )
    def hub(search: str | None, controls: list[Any], stored: dict[str, Any] | None,
            upload: Any, story_inputs: list[Any]) -> dict[str, Any]:
        trigger = fired_trigger(list(ctx.triggered or []), ctx.triggered_id)
        title, note, filename = story_inputs
        outputs = hub_update(registry, trigger, search, stored, upload, (title, note, filename))
        forget_if_new_state(registry, outputs, stored)
        return outputs

    # The state's theme and mode go onto the document (``data-bs-theme``, the presenting class,
    # leaving full screen) in the browser: assets/presentation.js.
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction(*APPLY_FUNCTION), Output(ids.VIEW_APPLIED, "data"), Input(ids.STATE, "data"))
