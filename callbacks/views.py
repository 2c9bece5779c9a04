"""Render callbacks: each view reads only the filter state and draws itself.

Every view is a module-level pure function ``(dataset, state, ...) -> outputs``; ``register``
only wires them to Dash: it turns the stored state into a ``FilterState``, resolves the dataset
it names in the registry and calls the function. Views with several outputs return a dict named
like their ``*_OUTPUTS`` (Dash's dict-style outputs).

The masks of a state are computed once (``selection``) and shared by every view, so one
interaction filters the dataset once, not once per view. That memo and the others here belong
to the dataset (``data.engine.memo.per_dataset``): they go when the registry lets it go.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from dash import ClientsideFunction, Dash, Input, Output, State, no_update

from components import a11y, export_menu, focus_marks, ids, panels
from components.country_list import country_list, map_legend
from components.figure_kit import look
from components.layout import options, period_marks
from components.map_figure import (
    EUROPE_CENTER,
    EUROPE_ZOOM,
    LegendEntry,
    has_markers,
    legend_entries,
    map_figure,
)
from components.matrix_figure import matrix_figure
from components.region_map_figure import region_map_figure
from components.regions_panel import PILOT_ACTIONS_LISTED, pilot_actions_line, region_list, unplaced_panel
from components.timeline_figure import (
    MAX_BARS,
    band_range,
    drawn_range,
    timeline_band_figure,
    timeline_figure,
    with_active_strip,
    with_focus_span,
    with_programming_periods,
)
from data.engine import export, queries
from data.engine.focus import active_per_year, focus_of
from data.engine.masks import Selection, select
from data.engine.memo import per_dataset
from data.engine.model import NOT_STATED, Dataset
from data.engine.organisations import organisation_labels
from data.engine.pilot_actions import pilot_action_places, pilot_action_records, pilot_actions_of
from data.engine.region_queries import LEVEL_OF_GEO, region_summary, unplaced_of
from data.engine.state import LIST_PARAMS, MAP_VIEW_FIELDS, FilterState
from data.io.countries import country_name
from data.io.geo import (
    NUTS_ATTRIBUTION,
    NUTS_DRAWN_LEVELS,
    CountryShape,
    country_shapes,
    nuts_centroids,
    nuts_ids,
    region_name,
)
from data.io.i18n import LANGUAGES, taxonomy_labels, translator
from data.io.periods import programming_periods
from server.registry import DatasetRegistry

DIMENSIONS = ("country", "ket", "sector", "programme", "project", "region", "instrument")
DROPDOWN_DIMENSIONS = ("country", "ket", "sector", "programme", "instrument")
"""The dimensions the filter bar has a dropdown for (regions are chosen on the map)."""
TABLE_PAGE = 100
API_PATH = "/api/projects"
NUTS_GEOJSON_PATH = "/geo/nuts2021_levl{level}.geojson"
"""Where each NUTS level's boundaries are served (``callbacks/api.py``)."""


def nuts_path(level: int) -> str:
    """The path of one NUTS level's GeoJSON on this server."""
    return NUTS_GEOJSON_PATH.format(level=level)
EXPORT_PATH = "/api/export"

FILTER_BAR_OUTPUTS = {
    "chips": Output(ids.CHIPS, "children"),
    "period_min": Output(ids.FILTER_PERIOD, "min"),
    "period_max": Output(ids.FILTER_PERIOD, "max"),
    "period_marks": Output(ids.FILTER_PERIOD, "marks"),
    "inferred_style": Output(ids.INFERRED_WRAP, "style"),
    "instrument_style": Output(ids.FILTER_INSTRUMENT_WRAP, "style"),
    "table_count": Output(ids.TABLE_COUNT, "children"),
    "api_link": Output(ids.API_LINK, "href"),
    "map_label": Output(ids.MAP_FIGURE, "aria-label"),
    # The export menu and the storyboard's export links (components/export_menu.py).
    **{component_id: Output(component_id, "href") for component_id in export_menu.LINK_IDS},
    **{f"xlsx_label_{table}": Output(component_id, "children")
       for component_id, table in export_menu.XLSX_LINKS.items()},
    **{f"xlsx_disabled_{table}": Output(component_id, "disabled")
       for component_id, table in export_menu.XLSX_LINKS.items()},
    "story_export_style": Output(ids.STORY_EXPORT, "style"),
    "story_items_style": Output(ids.EXPORT_STORY_ITEMS, "style"),
    **{f"lang_link_{code}": Output(ids.lang_link_id(code), "href") for code in LANGUAGES},
}
"""The filter bar and the small read-outs around the views share one request: each is a few
lines of text, and a request costs more than any of them."""
TIMELINE_OUTPUTS = {"figure": Output(ids.TIMELINE, "figure"), "undated": Output(ids.UNDATED, "children"),
                    "list": Output(ids.TIMELINE_LIST, "children"),
                    "label": Output(ids.TIMELINE_FIGURE, "aria-label")}
MATRIX_OUTPUTS = {"figure": Output(ids.MATRIX, "figure"), "table": Output(ids.MATRIX_TABLE, "children"),
                  "label": Output(ids.MATRIX_FIGURE, "aria-label")}
"""A chart, its table alternative and its accessible name go together (``components/a11y.py``)."""
MAP_OUTPUTS = {"figure": Output(ids.MAP, "figure"), "list": Output(ids.COUNTRY_LIST_DATA, "data"),
               "legend": Output(ids.MAP_LEGEND, "children")}
"""The map, the ranked country list beside it and the legend: one summary, one request."""
REGION_MAP_OUTPUTS = {"figure": Output(ids.REGION_MAP, "figure"),
                      "unplaced": Output(ids.REGION_UNPLACED, "children"),
                      "wrap_style": Output(ids.REGION_MAP_WRAP, "style"),
                      "map_style": Output(ids.MAP_FIGURE, "style")}
"""The regional map, the lines under it, and which of the two maps shows (``state.geo``): the
country map's figure (graph, legend, country list) is hidden while regions are drawn."""
DETAIL_OUTPUTS = {"detail": Output(ids.DETAIL, "children"), "close_style": Output(ids.DETAIL_CLOSE, "style")}
HEADLINE_OUTPUTS = {"children": Output(ids.HEADLINE, "children")}
CAPTION_OUTPUTS = {"children": Output(ids.EXPORT_CAPTION, "children")}
PAGE_VIEWS: dict[str, Mapping[str, Output]] = {
    "headline": HEADLINE_OUTPUTS, "filter_bar": FILTER_BAR_OUTPUTS, "map": MAP_OUTPUTS,
    "region_map": REGION_MAP_OUTPUTS, "matrix": MATRIX_OUTPUTS, "timeline": TIMELINE_OUTPUTS,
    "detail": DETAIL_OUTPUTS, "caption": CAPTION_OUTPUTS,
}
"""The views at the top of the page, redrawn together by one request per new state: each
request costs the page a dozen store actions, each visiting every component, so eight requests
cost more than the views they carry."""
PAGE_ALTERNATIVES = {"matrix.table": ids.MATRIX_TABLE, "timeline.list": ids.TIMELINE_LIST}
"""The chart alternatives among ``PAGE_VIEWS`` sent only while open (``only_open``)."""


def page_outputs(views: Mapping[str, Mapping[str, Output]]) -> dict[str, Output]:
    """Every view's outputs in one dict, each named ``view.output``."""
    return {f"{view}.{key}": output for view, outputs in views.items() for key, output in outputs.items()}


def render_page(renders: Mapping[str, Callable[[Dataset, FilterState], Mapping[str, Any]]],
                dataset: Dataset, state: FilterState) -> dict[str, Any]:
    """Each view of ``renders`` (name -> render function returning its named outputs) for
    ``state``, named like ``page_outputs``."""
    return {f"{view}.{key}": value for view, render in renders.items()
            for key, value in render(dataset, state).items()}


# --- what the views share, remembered by the dataset ----------------------------------------


def selection(dataset: Dataset, state: FilterState) -> Selection:
    """The masks of ``state`` over ``dataset``, computed once for every view (and once for
    every view of the same filters: a change of theme or sort selects nothing anew, nor does
    opening a project, which is a focus and no filter: ``unfocused``)."""
    return _selection(dataset, unfocused(state))


def unfocused(state: FilterState) -> FilterState:
    """``state``'s filters without the open project: what the masks and the table's order key
    on, so opening or closing a project recomputes no selection (``data.engine.focus``)."""
    return replace(state.filters, project=None)


@per_dataset(64)
def _selection(dataset: Dataset, filters: FilterState) -> Selection:
    return select(dataset, filters)


@per_dataset(len(LANGUAGES), index=True)
def vocabularies(dataset: Dataset, lang: str = "en") -> dict[str, dict[str, str]]:
    """Value -> label (in ``lang``) for each dimension a chip can name."""
    return {d: dataset.vocabulary(d, lang) for d in DIMENSIONS}


@per_dataset(1, index=True)
def filter_options(dataset: Dataset) -> dict[str, Any]:
    """The parts of the filter bar that depend on the dataset only (not on the state)."""
    first, last = queries.year_bounds(dataset)
    # The switch only means something where rules inferred tags.
    has_inferred = bool((dataset.project_kets["origin"] == "inferred").any()
                        or (dataset.project_sectors["origin"] == "inferred").any())
    return {
        "period_min": first, "period_max": last, "period_marks": period_marks(first, last),
        "inferred_style": {"display": "block" if has_inferred else "none"},
        # Most downloads (CORDIS) name no policy instrument: no empty picker then.
        "instrument_style": {"display": "block" if len(dataset.policy_instruments) else "none"},
    }


def kept_labels(dataset: Dataset, state: FilterState) -> dict[str, dict[str, str]]:
    """Per list dimension, the selected values the dataset's vocabulary does not list (a valid
    country no project has, ``?country=IS``), with their labels: the URL keeps them."""
    known = vocabularies(dataset)
    names = {"country": lambda v: country_name(v, state.lang), "region": lambda v: f"{region_name(v)} ({v})"}
    return {d: {v: names[d](v) if d in names else v
                for v in getattr(state, d) if v not in known[d]} for d in LIST_PARAMS if d in known}


def dropdown_options(dataset: Dataset, state: FilterState) -> dict[str, list[dict[str, str]]]:
    """The filter dropdowns' options for ``state``: the dataset's, plus each kept value it does
    not list, else the dropdown would drop a selected value it does not offer."""
    base = _dataset_options(dataset, state.lang)
    return {f"{d}_options": base[d] + options(extra) for d, extra in kept_labels(dataset, state).items()
            if d in base}


@per_dataset(len(LANGUAGES), index=True)
def _dataset_options(dataset: Dataset, lang: str = "en") -> dict[str, list[dict[str, str]]]:
    vocab = vocabularies(dataset, lang)
    return {d: options(vocab[d]) for d in DROPDOWN_DIMENSIONS}


@per_dataset(32)
def table_order(dataset: Dataset, state: FilterState, sort: str) -> Any:
    """Positions of the listed projects in the order of ``sort`` (a grid sort model, as JSON)."""
    return queries.table_order(dataset, selection(dataset, state).listed, json.loads(sort))

# --- the views ------------------------------------------------------------------------------


def render_headline(dataset: Dataset, state: FilterState) -> list[Any]:
    """The headline figures of the selection."""
    s = selection(dataset, state)
    return panels.headline_panel(queries.headline(dataset, s.matching, s.period_undetermined,
                                                  state.country), state.lang)


def render_filter_bar(
    dataset: Dataset, state: FilterState, dataset_label: str = "", api_path: str = API_PATH,
    export_path: str = EXPORT_PATH,
) -> dict[str, Any]:
    """Chips, slider range, switch visibility, table count, API and export links.

    ``dataset_label`` names an uploaded dataset on its chip; ``api_path`` and ``export_path`` are
    the API's and the exports' addresses under the app's path prefix."""
    n = int(selection(dataset, state).listed.sum())
    _ = translator(state.lang)
    known = vocabularies(dataset, state.lang)
    kept = kept_labels(dataset, state)
    labels = {**known, **{d: {**known[d], **extra} for d, extra in kept.items() if extra},
              "dataset": {state.dataset: dataset_label} if state.dataset else {},
              "org": organisation_labels(dataset, state.org, state.lang)}
    query = state.to_query()
    return {
        "chips": panels.chips(state, labels, state.lang),
        **filter_options(dataset),
        "table_count": _.ngettext("{n} project; the table loads rows as you scroll.",
                                  "{n} projects; the table loads rows as you scroll.", n),
        "api_link": api_path + (f"?{query}" if query else ""),
        "map_label": a11y.map_label(n, state.map, state.lang),
        **export_menu.export_links(export_path, state),
        **export_menu.xlsx_items(export.too_large_for_xlsx(dataset, state), state.lang),
        "story_export_style": export_menu.story_style(state),
        "story_items_style": export_menu.story_style(state),
        **{f"lang_link_{code}": "?" + replace(state, lang=code).to_query() for code in LANGUAGES},
    }


def render_export_caption(dataset: Dataset, state: FilterState) -> str:
    """What the chart images carry (``assets/export.js``): the caption lines of the state,
    each chart's file name and the charts' own lines or titles (``export_menu``
    ``caption_holder_text``), as the JSON text of the hidden caption holder."""
    return export_menu.caption_holder_text(dataset, state)


def render_map(
    dataset: Dataset, state: FilterState, country_ids: list[str], geojson: str | dict[str, Any],
    attribution: str, shapes: Mapping[str, CountryShape] | None = None,
) -> dict[str, Any]:
    """The map of partner countries (``country_ids`` are the features of the ``geojson`` URL,
    or object: a report made on the server carries the boundaries themselves; ``shapes`` put
    a circle on the small ones), the ranked list of its countries and the legend of its colours."""
    summary = queries.country_summary(dataset, selection(dataset, state).map_context)
    fig = map_figure(summary, state, country_ids, geojson, attribution, shapes)
    entries = legend_entries(summary, state, has_markers(summary, state, shapes))
    # The open project filters nothing: its countries are outlined on the map of the selection.
    focus = focus_of(dataset, state.project, state.inferred)
    fig = focus_marks.map_focus(fig, focus, country_ids, geojson, look(state))
    if focus is not None and focus.countries:
        entries = [*entries, LegendEntry("outline", (look(state).ink,),
                                         focus_marks.focus_legend_words(focus, state.lang))]
    return {"figure": fig, "list": country_list(summary, state),
            "legend": map_legend(entries, state.lang)}


def render_region_map(dataset: Dataset, state: FilterState, geojson: Mapping[int, str | dict[str, Any]],
                      attribution: str = NUTS_ATTRIBUTION) -> dict[str, Any]:
    """The map of NUTS regions of the state's level (``state.geo``; ``geojson`` is each
    level's boundaries, best their URL), the credit line and the organisations it cannot place;
    for ``geo=countries`` an empty, hidden regional map and the country map shown."""
    level = LEVEL_OF_GEO.get(state.geo)
    if level is None:
        return {"figure": {"data": [], "layout": {}}, "unplaced": [], "wrap_style": {"display": "none"},
                "map_style": {}}
    context = selection(dataset, state).map_context
    summary = region_summary(dataset, context, level)
    found, listed = unplaced_of(dataset, context, level)
    fig = region_map_figure(summary, state, nuts_ids(level), geojson[level], attribution,
                            nuts_centroids(level))
    actions = pilot_actions_of(dataset, selection(dataset, state).matching)
    pilots = pilot_actions_line(pilot_action_places(actions),
                                pilot_action_records(dataset, actions.head(PILOT_ACTIONS_LISTED)), state.lang)
    return {"figure": fig, "unplaced": [*unplaced_panel(found, listed, state.lang), *pilots,
                                        region_list(summary, state, state.lang)],
            "wrap_style": {}, "map_style": {"display": "none"}}


def render_matrix(dataset: Dataset, state: FilterState, table: bool = True) -> dict[str, Any]:
    """The KET x sector matrix of the selection, its table alternative (empty unless
    ``table``: building its hundreds of cells costs more than the chart) and its name."""
    s = selection(dataset, state)
    counts = queries.ket_sector_matrix(dataset, s.matrix_context,
                                       state.inferred)
    short = dict(zip(dataset.kets["ket_id"], dataset.kets["short_label"], strict=True))
    translated = taxonomy_labels(state.lang)["ket_short"]
    ket_labels = {**short, **{k: v for k, v in translated.items() if k in short},
                  NOT_STATED: translator(state.lang)("No KET stated")}
    sector_labels = vocabularies(dataset, state.lang)["sector"]
    fig = focus_marks.matrix_focus(matrix_figure(counts, state, ket_labels, sector_labels),
                                   focus_of(dataset, state.project, state.inferred),
                                   list(ket_labels), list(sector_labels), look(state))
    return {"figure": fig,
            "table": a11y.matrix_table(counts, state, ket_labels, sector_labels) if table else [],
            "label": a11y.matrix_label(int(s.listed.sum()), state.lang)}


def render_timeline(dataset: Dataset, state: FilterState, listed: bool = True) -> dict[str, Any]:
    """The timeline (one bar per project, or a band when there are too many), the list of
    projects without dates beside it, the list of the projects it draws (empty unless
    ``listed``) and its name."""
    s = selection(dataset, state)
    undated = panels.undated_list(queries.undated_projects(dataset, s.timeline_context), state.lang)
    dated, undrawn = queries.dated_counts(dataset, s.timeline_context)
    selected = int(s.listed.sum())
    if dated > MAX_BARS:
        band = queries.timeline_band(dataset, s.timeline_context, s.listed)
        fig = with_programming_periods(timeline_band_figure(band, state, dated, undrawn),
                                       programming_periods(state.lang), band_range(band), look(state))
        fig = with_focus_span(fig, focus_of(dataset, state.project, state.inferred), look(state), state.lang)
        return {"figure": fig, "undated": undated,
                "list": a11y.timeline_band_note(dated, MAX_BARS, state.lang),
                "label": a11y.timeline_label(selected, False, state.lang)}
    frame = queries.timeline_frame(dataset, s.timeline_context, s.listed)
    activities = queries.timeline_activities(dataset, s.timeline_context)
    fig = with_active_strip(timeline_figure(frame, activities, state), active_per_year(dataset, s.listed),
                            state)
    fig = with_programming_periods(fig, programming_periods(state.lang), drawn_range(frame, activities),
                                   look(state))
    return {"figure": fig, "undated": undated,
            "list": a11y.timeline_list(frame, state) if listed else [],
            "label": a11y.timeline_label(selected, True, state.lang)}


def render_table_page(dataset: Dataset, state: FilterState, request: dict[str, Any]) -> dict[str, Any]:
    """One page of the table, asked for by the grid as it scrolls; sorted on the server."""
    sort = request.get("sortModel") if isinstance(request.get("sortModel"), list) else []
    order = table_order(dataset, unfocused(state), json.dumps(sort, sort_keys=True))
    start = max(0, int(request.get("startRow") or 0))
    end = min(len(order), max(start, int(request.get("endRow") or start + TABLE_PAGE)))
    rows = queries.table_rows(dataset, order[start:end], state.inferred, state.lang)
    return {"rowData": [{**row, "selected": row["id"] == state.project} for row in rows],
            "rowCount": len(order)}


def render_detail(dataset: Dataset, state: FilterState) -> dict[str, Any]:
    """The panel of the selected project, and whether its close button shows."""
    detail = queries.project_detail(dataset, state.project, state.lang) if state.project else None
    tags = ({d: vocabularies(dataset, state.lang)[d] for d in ("ket", "sector")}
            if detail is not None and state.lang != "en" else None)
    return {"detail": panels.detail_panel(detail, state.inferred, state.lang, tags),
            "close_style": {"display": "inline-block" if detail else "none"}}


def warm(dataset: Dataset, country_ids: list[str]) -> None:
    """Draw the page's views once for the whole dataset (countries and each NUTS level), so the
    indexes they build on first use (vocabularies, year bounds, the caption's source codes,
    pandas' lookups) are built at start-up and kept in the snapshot, not on the first click."""
    whole = FilterState()
    render_headline(dataset, whole)
    render_filter_bar(dataset, whole)
    render_map(dataset, whole, country_ids, "", "")
    for geo in LEVEL_OF_GEO:
        render_region_map(dataset, replace(whole, geo=geo), dict.fromkeys(NUTS_DRAWN_LEVELS, ""))
    render_matrix(dataset, whole)
    render_timeline(dataset, whole)
    render_export_caption(dataset, whole)


# --- wiring ---------------------------------------------------------------------------------


def disclosure_inputs(alternatives: Mapping[str, str]) -> list[Input]:
    """The ``open`` of each disclosure whose body a render callback fills (``alternatives``:
    output name -> body id), as inputs after the state."""
    return [Input(ids.disclosure_id(body), "open") for body in alternatives.values()]


def only_open(out: dict[str, Any], alternatives: Mapping[str, str],
              opened: tuple[Any, ...]) -> dict[str, Any]:
    """A view's outputs with each chart alternative sent only while its disclosure is open
    (``alternatives``: output name -> body id; ``opened``: their ``open``, in that order): a
    closed one gets an empty body, since a table of every matrix cell or link is a third of
    what a click sends and few open it. A disclosure opening redraws the whole view with it:
    Dash drops the answer to a call when a newer one of the same callback is asked for, so an
    answer carrying only the new body would lose what a click just before had asked for."""
    shown = dict(out)
    for key, is_open in zip(alternatives, opened, strict=True):
        if not is_open:
            shown[key] = []
    return shown


# The grid keeps the pages it fetched; a new state makes it fetch again from the first page,
# sorted as the state says (a URL with sort=-start opens the table so sorted). A header click
# changes the grid's sort first; the grid then asks for rows, and SORT_OF_REQUEST_SCRIPT reports
# the new sort to the hub, which writes it to the state and the URL.
# A map tooltip left open from the click would describe the old selection: close it.
FOLLOW_STATE_SCRIPT = """function(data) {
    const map = document.querySelector('#""" + ids.MAP + """ .js-plotly-plot');
    if (map && window.Plotly && Plotly.Fx) { Plotly.Fx.unhover(map); }
    const sort = (data && data.sort) || '';
    if (window.dash_ag_grid && dash_ag_grid.getApiAsync) {
        dash_ag_grid.getApiAsync('""" + ids.TABLE + """').then(function (api) {
            const sorted = api.getColumnState().filter(c => c.sort)
                .sort((a, b) => (a.sortIndex || 0) - (b.sortIndex || 0));
            const now = sorted.length ? (sorted[0].sort === 'desc' ? '-' : '') + sorted[0].colId : '';
            if (now === sort) { api.refreshInfiniteCache(); return; }
            const way = sort[0] === '-' ? 'desc' : 'asc';
            const column = sort ? [{colId: sort.replace(/^-/, ''), sort: way}] : [];
            api.applyColumnState({state: column, defaultState: {sort: null}});
        });
    }
    return Date.now();
}"""
SORT_OF_REQUEST_SCRIPT = """function(request, previous) {
    const first = ((request && request.sortModel) || [])[0];
    const sort = first ? (first.sort === 'desc' ? '-' : '') + first.colId : '';
    return sort === (previous || '') ? window.dash_clientside.no_update : sort;
}"""


# The maps whose view the state keeps, and the fields that hold it (MAP_VIEW_FIELDS): the
# regional map shares the country map's (only one of the two shows at a time).
FOLLOWED_MAPS = ((ids.MAP, "zoom", "centre"), (ids.REGION_MAP, "zoom", "centre"),
                 (ids.ORG_MAP, "org_zoom", "org_centre"))
# The state as the views see it: without the maps' zoom and centre, written only when something
# else changed, so a pan redraws no view (the map is already where the user put it). A zoom or
# centre that a shown map does not show (back, forward) moves it here, in the browser (to its
# own fit, layout.meta.fit or Europe, when the address has none); a move the page makes carries
# no 'map._derived', so the hub does not take it for a pan. A hidden map is left: it is redrawn
# at the state's view when it shows again (the switch of geo= changes the views' state).
VIEW_FILTERS_SCRIPT = """function(data, previous) {
    window.__ketMapView = data;
    const follow = () => {
        const want = window.__ketMapView;
        if (!want || !window.Plotly) { return; }
        for (const [id, zoomKey, centreKey] of """ + json.dumps(FOLLOWED_MAPS) + """) {
            const gd = document.querySelector('#' + id + ' .js-plotly-plot');
            const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
            if (!sub || !sub.map || sub.dragging || sub.wheeling || !gd.getClientRects().length) {
                continue;
            }
            // A move the page made is still running: look again where it ends.
            if (sub.map.isMoving()) { sub.map.once('moveend', follow); continue; }
            const fit = (gd.layout.meta && gd.layout.meta.fit)
                || {zoom: """ + str(EUROPE_ZOOM) + """, center: """ + json.dumps(EUROPE_CENTER) + """};
            const zoom = want[zoomKey] == null ? fit.zoom : want[zoomKey];
            const c = want[centreKey] == null ? [fit.center.lat, fit.center.lon] : want[centreKey];
            const now = sub.map.getCenter();
            if (Math.abs(sub.map.getZoom() - zoom) > 0.01 || Math.abs(now.lat - c[0]) > 0.001
                    || Math.abs(now.lng - c[1]) > 0.001) {
                Plotly.relayout(gd, {'map.zoom': zoom, 'map.center': {lat: c[0], lon: c[1]}});
            }
        }
    };
    follow();
    const strip = d => { const rest = Object.assign({}, d || {});
                         for (const key of """ + json.dumps(MAP_VIEW_FIELDS) + """) { delete rest[key]; }
                         return rest; };
    const next = strip(data);
    if (previous && JSON.stringify(strip(previous)) === JSON.stringify(next)) {
        return window.dash_clientside.no_update;
    }
    return next;
}"""


# The views below the table (organisation map, network) follow the state only while their card
# is on or near the screen: a click then costs the browser no redraw of maps nobody sees, and
# scrolling to one draws it from the state of that moment.
DEFERRED_SCRIPT = """function(filters, shown, previous) {
    if (!shown || filters == null) { return window.dash_clientside.no_update; }
    if (previous && JSON.stringify(previous) === JSON.stringify(filters)) {
        return window.dash_clientside.no_update;
    }
    return filters;
}"""


def register(
    app: Dash, registry: DatasetRegistry, geojson: str, country_ids: list[str], attribution: str
) -> None:
    """Register one render callback per view of the page."""

    app.clientside_callback(  # type: ignore[no-untyped-call]
        VIEW_FILTERS_SCRIPT,
        Output(ids.VIEW_FILTERS, "data"),
        Input(ids.STATE, "data"),
        State(ids.VIEW_FILTERS, "data"),
    )

    def filter_bar(dataset: Dataset, state: FilterState) -> dict[str, Any]:
        return render_filter_bar(dataset, state, registry.label(state.dataset),
                                 app.get_relative_path(API_PATH),  # type: ignore[no-untyped-call]
                                 app.get_relative_path(EXPORT_PATH))  # type: ignore[no-untyped-call]

    draw_map = partial(render_map, country_ids=country_ids, geojson=geojson,
                       attribution=attribution, shapes=country_shapes())
    for level in NUTS_DRAWN_LEVELS:
        # Read and index each level's boundaries now, not on the first switch to it.
        nuts_ids(level)
        nuts_centroids(level)
    draw_regions = partial(render_region_map, geojson={
        level: app.get_relative_path(nuts_path(level))  # type: ignore[no-untyped-call]
        for level in NUTS_DRAWN_LEVELS})

    # One request redraws every view at the top of the page (the organisation map and the
    # network below the table follow on their own, while shown).
    @app.callback(output=page_outputs(PAGE_VIEWS),
                  inputs=[Input(ids.VIEW_FILTERS, "data"), *disclosure_inputs(PAGE_ALTERNATIVES)],
                  state=[State(ids.STATE, "data")])
    def page_views(data: dict[str, Any] | None, *rest: Any) -> dict[str, Any]:
        *opened, whole = rest
        shown = dict(zip(PAGE_ALTERNATIVES, opened, strict=True))
        state = FilterState.from_dict(data)
        # The maps open at the zoom and centre of the whole state; the others never read them.
        with_view = FilterState.from_dict(whole)
        renders: dict[str, Callable[[Dataset, FilterState], Any]] = {
            "headline": lambda d, s: {"children": render_headline(d, s)},
            "filter_bar": filter_bar,
            "map": lambda d, s: draw_map(d, with_view),
            "region_map": lambda d, s: draw_regions(d, with_view),
            "matrix": lambda d, s: render_matrix(d, s, table=bool(shown["matrix.table"])),
            "timeline": lambda d, s: render_timeline(d, s, listed=bool(shown["timeline.list"])),
            "detail": render_detail,
            "caption": lambda d, s: {"children": render_export_caption(d, s)},
        }
        out = render_page(renders, registry.resolve(state.dataset), state)
        sent = only_open(out, PAGE_ALTERNATIVES, tuple(opened))
        return {key: sent.get(key, no_update) for key in page_outputs(PAGE_VIEWS)}

    for filters_id, shown_id in ids.DEFERRED_VIEWS.items():
        app.clientside_callback(  # type: ignore[no-untyped-call]
            DEFERRED_SCRIPT,
            Output(filters_id, "data"),
            Input(ids.VIEW_FILTERS, "data"),
            Input(shown_id, "data"),
            State(filters_id, "data"),
        )

    # The page draws the country list from its data (components/country_list.py).
    app.clientside_callback(  # type: ignore[no-untyped-call]
        ClientsideFunction("ketCountryList", "draw"),
        Output(ids.COUNTRY_LIST, "aria-busy"),
        Input(ids.COUNTRY_LIST_DATA, "data"),
        State(ids.COUNTRY_LIST, "id"),
        State(ids.COUNTRY_LIST_PICK, "id"),
    )

    @app.callback(
        Output(ids.TABLE, "getRowsResponse"),
        Input(ids.TABLE, "getRowsRequest"),
        State(ids.STATE, "data"),
    )
    def table_page(request: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
        if not isinstance(request, dict):
            return no_update
        state = FilterState.from_dict(data)
        return render_table_page(registry.resolve(state.dataset), state, request)

    app.clientside_callback(  # type: ignore[no-untyped-call]
        FOLLOW_STATE_SCRIPT,
        Output(ids.TABLE_REFRESH, "data"),
        Input(ids.VIEW_FILTERS, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        SORT_OF_REQUEST_SCRIPT,
        Output(ids.TABLE_SORT, "data"),
        Input(ids.TABLE, "getRowsRequest"),
        State(ids.TABLE_SORT, "data"),
        prevent_initial_call=True,
    )
