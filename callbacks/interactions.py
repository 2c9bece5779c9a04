"""What each interaction does to the filter state: small pure functions, tested without Dash.

The hub callback (``callbacks/hub.py``) finds which control fired and calls one of these with
the current state and the control's event payload. None of them raises on odd payloads: an
event they cannot read leaves the state as it was.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from data.engine.state import (
    GEO_LEVELS,
    LIST_PARAMS,
    MAP_METRICS,
    MAX_ORG_ID_LENGTH,
    MAX_ORGS,
    MAX_QUERY_LENGTH,
    NET_KINDS,
    SORT_FIELDS,
    YEAR_MAX,
    YEAR_MIN,
    ZOOM_MAX,
    ZOOM_MIN,
    FilterState,
    finite,
    valid_centre,
    valid_compare,
    valid_zoom,
)
from data.io.schema import SLUG_RE

COUNTRY_CODE = re.compile(r"[A-Z]{2}")


def _first_point(event: Any) -> dict[str, Any] | None:
    points = event.get("points") if isinstance(event, dict) else None
    if not isinstance(points, list) or not points:
        return None
    return points[0] if isinstance(points[0], dict) else None


def on_dropdown(state: FilterState, dimension: str, values: list[str] | None) -> FilterState:
    """A filter dropdown changed: its values replace that dimension."""
    if not isinstance(values, list):
        values = []
    return state.with_values(dimension, [v for v in values if isinstance(v, str) and v])


def on_period(state: FilterState, value: list[int] | None, bounds: tuple[int, int]) -> FilterState:
    """The period slider moved. The full range means 'no period filter'."""
    if not isinstance(value, list) or len(value) != 2:
        return state
    try:
        lo, hi = sorted(int(v) for v in value)
    except (TypeError, ValueError):
        return state
    first, last = bounds
    return replace(state, year_from=None if lo <= first else lo, year_to=None if hi >= last else hi)


def on_search(state: FilterState, text: str | None) -> FilterState:
    """The search box changed: whitespace is normalised, the length capped."""
    if not isinstance(text, str):
        text = ""
    return replace(state, q=" ".join(text.split())[:MAX_QUERY_LENGTH])


def on_metric(state: FilterState, metric: str | None) -> FilterState:
    return replace(state, map=metric) if isinstance(metric, str) and metric in MAP_METRICS else state


def on_map_click(state: FilterState, event: Any) -> FilterState:
    """A country on the map was clicked: toggle it in the country filter. A country's shape
    says its ``location``; a small country's circle carries its code first in ``customdata``."""
    point = _first_point(event)
    location = point.get("location") if point else None
    if location is None and point:
        custom = point.get("customdata")
        location = custom[0] if isinstance(custom, list) and custom else None
    if not isinstance(location, str) or not location:
        return state
    return state.toggle("country", location)


def on_country_row(state: FilterState, country: Any) -> FilterState:
    """A country of the list beside the map was pressed: toggle it, as a click on the map."""
    if not isinstance(country, str) or not COUNTRY_CODE.fullmatch(country):
        return state
    return state.toggle("country", country)


def moved_view(event: Any, zoom: float | None, centre: tuple[float, float] | None
               ) -> tuple[float | None, tuple[float, float] | None]:
    """A map's zoom and centre after a relayout event (rounded, bounded), from ``zoom`` and
    ``centre`` before it. Plotly reports a user's move with MapLibre's derived bounds
    (``map._derived``); a move the page made (to the address's view) and other layout events
    (a resize, ``autosize``) leave both as they were."""
    if not isinstance(event, dict) or "map._derived" not in event:
        return zoom, centre
    new_zoom = finite(event.get("map.zoom"))
    if new_zoom is not None:
        zoom = valid_zoom(min(max(new_zoom, ZOOM_MIN), ZOOM_MAX))
    point = event.get("map.center")
    if isinstance(point, dict):
        lat, lon = finite(point.get("lat")), finite(point.get("lon"))
        if lat is not None and lon is not None:
            # MapLibre's longitude runs on past 180 when panned round the world.
            centre = valid_centre((min(max(lat, -90.0), 90.0), (lon + 180.0) % 360.0 - 180.0))
    return zoom, centre


def on_map_relayout(state: FilterState, event: Any) -> FilterState:
    """The map of Europe (the country map, or the regional map in its place) was panned or
    zoomed: keep its zoom and centre so the address reopens it there (``moved_view``)."""
    zoom, centre = moved_view(event, state.zoom, state.centre)
    return replace(state, zoom=zoom, centre=centre)


def on_org_map_relayout(state: FilterState, event: Any) -> FilterState:
    """The organisation map was panned or zoomed: keep its own zoom and centre (``moved_view``)."""
    zoom, centre = moved_view(event, state.org_zoom, state.org_centre)
    return replace(state, org_zoom=zoom, org_centre=centre)


def on_matrix_click(state: FilterState, event: Any) -> FilterState:
    """A matrix cell was clicked: filter by its KET and sector; clicking it again clears both.

    The heatmap's x and y values are the sector and KET slugs."""
    point = _first_point(event)
    return on_matrix_cell(state, *((point.get("y"), point.get("x")) if point else (None, None)))


def on_matrix_cell(state: FilterState, ket: Any, sector: Any) -> FilterState:
    """A cell of the matrix (clicked on the heatmap, or its button in the table alternative):
    filter by its KET and sector; the same cell again clears both."""
    if not isinstance(ket, str) or not isinstance(sector, str) or not ket or not sector:
        return state
    if state.ket == (ket,) and state.sector == (sector,):
        return replace(state, ket=(), sector=())
    return replace(state, ket=(ket,), sector=(sector,))


def select_project(state: FilterState, project_id: str | None) -> FilterState:
    """Select a project, or deselect it if it is the selected one."""
    if not project_id:
        return state
    return replace(state, project=None if state.project == project_id else project_id)


def on_sheet_toggle(state: FilterState, is_open: Any) -> FilterState:
    """The project's side sheet opened or closed by itself (Escape): closed, the project is
    closed too; the sheet opens only because the state names a project, so opening changes
    nothing."""
    return replace(state, project=None) if is_open is False and state.project else state


def on_timeline_click(state: FilterState, event: Any) -> FilterState:
    """A bar or an activity marker was clicked: its project is selected (or deselected)."""
    point = _first_point(event)
    custom = point.get("customdata") if point else None
    if isinstance(custom, list) and custom and isinstance(custom[0], str):
        return select_project(state, custom[0])
    return state


def on_timeline_select(state: FilterState, event: Any) -> FilterState:
    """A period was dragged on the timeline: keep projects overlapping those years."""
    box = (event or {}).get("range") if isinstance(event, dict) else None
    x = box.get("x") if isinstance(box, dict) else None
    if not isinstance(x, list) or len(x) != 2:
        return state
    try:
        years = sorted(int(str(v).strip()[:4]) for v in x)
    except ValueError:
        return state
    # A box dragged past the axis ends is clamped to the years a URL can carry.
    lo, hi = (min(max(y, YEAR_MIN), YEAR_MAX) for y in years)
    return replace(state, year_from=lo, year_to=hi)


def on_table_click(state: FilterState, event: Any) -> FilterState:
    """A cell of the projects table was clicked: its row's project is selected."""
    if isinstance(event, dict) and event.get("colId") == SELECTION_COLUMN:
        return state  # ticking a row for a comparison opens nothing
    row_id = event.get("rowId") if isinstance(event, dict) else None
    return select_project(state, row_id if isinstance(row_id, str) else None)


def on_table_sort(state: FilterState, sort: Any) -> FilterState:
    """The table's sort changed (a header clicked): ``field``, ``-field`` (descending) or empty
    for the default order, as the page's table script reports it. Anything else is ignored."""
    if not isinstance(sort, str) or (sort and sort.removeprefix("-") not in SORT_FIELDS):
        return state
    return replace(state, sort=sort)
def on_table_key(state: FilterState, event: Any) -> FilterState:
    """Enter on a row of the projects table (the grid's ``eventData``, ``{"data": {"rowId":
    ...}}``, from assets/keyboard.js): its project is selected, as a click would."""
    data = event.get("data") if isinstance(event, dict) else None
    return on_table_click(state, data)


def on_chip_remove(state: FilterState, dimension: str, value: str) -> FilterState:
    """The × of an active-filter chip was clicked: that one value goes."""
    if dimension in ("country", "ket", "sector", "programme", "region", "instrument", "org"):
        return state.with_values(dimension, [v for v in getattr(state, dimension) if v != value])
    if dimension == "period":
        return replace(state, year_from=None, year_to=None)
    if dimension == "project":
        return replace(state, project=None)
    if dimension == "q":
        return replace(state, q="")
    if dimension == "dataset":
        return FilterState(map=state.map, **state.view)
    return state


def on_reset(state: FilterState) -> FilterState:
    """Clear every filter; the map metric and the dataset shown are view choices and stay."""
    return FilterState(map=state.map, inferred=state.inferred, dataset=state.dataset, **state.view)


def on_inferred(state: FilterState, value: Any) -> FilterState:
    """The 'inferred tags' switch: count tags inferred by rules, or curated tags only."""
    return replace(state, inferred=bool(value)) if isinstance(value, bool) else state


def on_switch_dataset(state: FilterState, upload: Any) -> FilterState:
    """An upload was accepted: show its dataset, with no filter (its values differ)."""
    dataset_id = upload.get("dataset_id") if isinstance(upload, dict) else None
    if not isinstance(dataset_id, str) or not dataset_id:
        return state
    return FilterState(map=state.map, dataset=dataset_id, **state.view)


def on_present(state: FilterState) -> FilterState:
    """The Present button: presentation mode on (full screen is the browser's, asked by the
    page's script on the same click)."""
    return replace(state, present=True)


def on_present_exit(state: FilterState) -> FilterState:
    """Escape, leaving full screen or the 'Leave presentation' button: presentation mode off.
    Arriving twice (Escape in full screen also leaves full screen) changes nothing more."""
    return replace(state, present=False)


def on_theme(state: FilterState, dark: Any) -> FilterState:
    """The light/dark switch: True is the dark theme, False the light one."""
    if not isinstance(dark, bool):
        return state
    return replace(state, theme="dark" if dark else "light")


NUTS_CODE = re.compile(r"[A-Z]{2}[A-Z0-9]{0,3}")


def on_region_click(state: FilterState, event: Any) -> FilterState:
    """A region of the regional map was clicked: toggle it in the region filter, as a country
    click toggles the country. A region's shape says its ``location`` (its NUTS code); an
    instrument's marker carries the code first in ``customdata``."""
    point = _first_point(event)
    location = point.get("location") if point else None
    if location is None and point:
        custom = point.get("customdata")
        location = custom[0] if isinstance(custom, list) and custom else None
    if not isinstance(location, str) or not NUTS_CODE.fullmatch(location):
        return state
    return state.toggle("region", location)


def on_geo_level(state: FilterState, value: Any) -> FilterState:
    """The switch above the map: countries, or the NUTS regions of a level (``GEO_LEVELS``)."""
    return replace(state, geo=value) if isinstance(value, str) and value in GEO_LEVELS else state


def on_region_row(state: FilterState, region: Any) -> FilterState:
    """A region of the list under the regional map was pressed: toggle it, as a click on it."""
    if not isinstance(region, str) or not NUTS_CODE.fullmatch(region):
        return state
    return state.toggle("region", region)
# --- the comparison (components/compare.py, callbacks/compare.py) ---------------------------

SELECTION_COLUMN = "ag-Grid-SelectionColumn"
"""The column of the table's tick boxes (AG Grid's own id for it)."""


def on_compare(state: FilterState, request: Any) -> FilterState:
    """'Compare' was pressed with rows of the table ticked: ``{"ids": [...]}`` (the ticked
    projects, in the order ticked) become the comparison. Fewer than two or more than four
    change nothing (the button is disabled then)."""
    chosen = valid_compare(request.get("ids")) if isinstance(request, dict) else ()
    return replace(state, compare=chosen) if chosen else state


def on_compare_close(state: FilterState) -> FilterState:
    """The comparison's close button: the panel goes, the rest of the view stays."""
    return replace(state, compare=())
def _toggle_org(state: FilterState, organisation: Any) -> FilterState:
    """Toggle a well-formed organisation id in ``org``; beyond ``MAX_ORGS`` none is added."""
    if not isinstance(organisation, str) or len(organisation) > MAX_ORG_ID_LENGTH \
            or not re.fullmatch(SLUG_RE, organisation):
        return state
    if organisation not in state.org and len(state.org) >= MAX_ORGS:
        return state
    return state.toggle("org", organisation)


def on_org_map_click(state: FilterState, event: Any) -> FilterState:
    """A point of the organisation map was clicked: toggle its organisation (its id is the
    point's ``customdata``). A cluster of points carries none and changes nothing."""
    point = _first_point(event)
    custom = point.get("customdata") if point else None
    if isinstance(custom, list):
        custom = custom[0] if custom else None
    return _toggle_org(state, custom)


def on_org_row(state: FilterState, organisation: Any) -> FilterState:
    """An organisation of the list beside the organisation map was pressed: toggle it, as a
    click on its point does."""
    return _toggle_org(state, organisation)
# --- the collaboration network ---------------------------------------------------------------

ORG_FILTER = "org" in LIST_PARAMS
"""Whether the state has an organisation filter (``org=``): until it has, an organisation node
filters nothing and is drawn as not clickable."""


def on_network_node(state: FilterState, kind: Any, node: Any) -> FilterState:
    """A node of the network (clicked, or its button in the table alternative): a country
    toggles in the country filter, as on the map; an organisation in the organisation filter,
    where the state has one. Anything else changes nothing."""
    if kind == "country" and isinstance(node, str) and COUNTRY_CODE.fullmatch(node):
        return state.toggle("country", node)
    if kind == "org" and ORG_FILTER and isinstance(node, str) and node:
        return state.toggle("org", node)
    return state


def on_network_click(state: FilterState, event: Any) -> FilterState:
    """A click on the network: a node carries [id, kind] in ``customdata``; a link's middle
    marker ([source, 'link', target]) filters nothing."""
    point = _first_point(event)
    custom = point.get("customdata") if point else None
    if not isinstance(custom, list) or len(custom) < 2:
        return state
    return on_network_node(state, custom[1], custom[0])


def on_network_kind(state: FilterState, kind: Any) -> FilterState:
    """The network's node switch: countries or organisations (``net=``)."""
    return replace(state, net=kind) if isinstance(kind, str) and kind in NET_KINDS else state
