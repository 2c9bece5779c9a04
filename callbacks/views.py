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
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from dash import Dash, Input, Output, State, no_update

from components import ids, panels
from components.figure_kit import Figure
from components.layout import options, period_marks
from components.map_figure import map_figure
from components.matrix_figure import matrix_figure
from components.timeline_figure import MAX_BARS, timeline_band_figure, timeline_figure
from data.engine import queries
from data.engine.masks import Selection, select
from data.engine.memo import per_dataset
from data.engine.model import NOT_STATED, Dataset
from data.engine.state import LIST_PARAMS, FilterState
from data.io.countries import country_name
from data.io.i18n import LANGUAGES, taxonomy_labels, translator
from server.registry import DatasetRegistry

DIMENSIONS = ("country", "ket", "sector", "programme", "project")
TABLE_PAGE = 100
API_PATH = "/api/projects"
EXPORT_PATH = "/api/export"

FILTER_BAR_OUTPUTS = {
    "chips": Output(ids.CHIPS, "children"),
    "period_min": Output(ids.FILTER_PERIOD, "min"),
    "period_max": Output(ids.FILTER_PERIOD, "max"),
    "period_marks": Output(ids.FILTER_PERIOD, "marks"),
    "inferred_style": Output(ids.INFERRED_WRAP, "style"),
    "table_count": Output(ids.TABLE_COUNT, "children"),
    "api_link": Output(ids.API_LINK, "href"),
    "export_csv_link": Output(ids.EXPORT_CSV_LINK, "href"),
    "export_xlsx_link": Output(ids.EXPORT_XLSX_LINK, "href"),
    **{f"lang_link_{code}": Output(ids.lang_link_id(code), "href") for code in LANGUAGES},
}
"""The filter bar and the small read-outs around the views share one request: each is a few
lines of text, and a request costs more than any of them."""
TIMELINE_OUTPUTS = {"figure": Output(ids.TIMELINE, "figure"), "undated": Output(ids.UNDATED, "children")}
DETAIL_OUTPUTS = {"detail": Output(ids.DETAIL, "children"), "close_style": Output(ids.DETAIL_CLOSE, "style")}


# --- what the views share, remembered by the dataset ----------------------------------------


def selection(dataset: Dataset, state: FilterState) -> Selection:
    """The masks of ``state`` over ``dataset``, computed once for every view (and once for
    every view of the same filters: a change of theme or sort selects nothing anew)."""
    return _selection(dataset, state.filters)


@per_dataset(64)
def _selection(dataset: Dataset, filters: FilterState) -> Selection:
    return select(dataset, filters)


@per_dataset(len(LANGUAGES))
def vocabularies(dataset: Dataset, lang: str = "en") -> dict[str, dict[str, str]]:
    """Value -> label (in ``lang``) for each dimension a chip can name."""
    return {d: dataset.vocabulary(d, lang) for d in DIMENSIONS}


@per_dataset(1)
def filter_options(dataset: Dataset) -> dict[str, Any]:
    """The parts of the filter bar that depend on the dataset only (not on the state)."""
    first, last = queries.year_bounds(dataset)
    # The switch only means something where rules inferred tags.
    has_inferred = bool((dataset.project_kets["origin"] == "inferred").any()
                        or (dataset.project_sectors["origin"] == "inferred").any())
    return {
        "period_min": first, "period_max": last, "period_marks": period_marks(first, last),
        "inferred_style": {"display": "block" if has_inferred else "none"},
    }


def kept_labels(dataset: Dataset, state: FilterState) -> dict[str, dict[str, str]]:
    """Per list dimension, the selected values the dataset's vocabulary does not list (a valid
    country no project has, ``?country=IS``), with their labels: the URL keeps them."""
    known = vocabularies(dataset)
    return {d: {v: country_name(v, state.lang) if d == "country" else v
                for v in getattr(state, d) if v not in known[d]} for d in LIST_PARAMS}


def dropdown_options(dataset: Dataset, state: FilterState) -> dict[str, list[dict[str, str]]]:
    """The filter dropdowns' options for ``state``: the dataset's, plus each kept value it does
    not list, else the dropdown would drop a selected value it does not offer."""
    base = _dataset_options(dataset, state.lang)
    return {f"{d}_options": base[d] + options(extra) for d, extra in kept_labels(dataset, state).items()}


@per_dataset(len(LANGUAGES))
def _dataset_options(dataset: Dataset, lang: str = "en") -> dict[str, list[dict[str, str]]]:
    vocab = vocabularies(dataset, lang)
    return {d: options(vocab[d]) for d in LIST_PARAMS}


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
              "dataset": {state.dataset: dataset_label} if state.dataset else {}}
    query = state.to_query()
    return {
        "chips": panels.chips(state, labels, state.lang),
        **filter_options(dataset),
        "table_count": _.ngettext("{n} project; the table loads rows as you scroll.",
                                  "{n} projects; the table loads rows as you scroll.", n),
        "api_link": api_path + (f"?{query}" if query else ""),
        "export_csv_link": f"{export_path}/projects.csv" + (f"?{query}" if query else ""),
        "export_xlsx_link": f"{export_path}/projects.xlsx" + (f"?{query}" if query else ""),
        **{f"lang_link_{code}": "?" + replace(state, lang=code).to_query() for code in LANGUAGES},
    }


def render_map(
    dataset: Dataset, state: FilterState, country_ids: list[str], geojson: str, attribution: str
) -> Figure:
    """The map of partner countries: ``country_ids`` are the features of the ``geojson`` URL."""
    summary = queries.country_summary(dataset, selection(dataset, state).map_context)
    return map_figure(summary, state, country_ids, geojson, attribution)


def render_matrix(dataset: Dataset, state: FilterState) -> Figure:
    """The KET x sector matrix of the selection."""
    counts = queries.ket_sector_matrix(dataset, selection(dataset, state).matrix_context,
                                       state.inferred)
    short = dict(zip(dataset.kets["ket_id"], dataset.kets["short_label"], strict=True))
    translated = taxonomy_labels(state.lang)["ket_short"]
    ket_labels = {**short, **{k: v for k, v in translated.items() if k in short},
                  NOT_STATED: translator(state.lang)("No KET stated")}
    return matrix_figure(counts, state, ket_labels, vocabularies(dataset, state.lang)["sector"])


def render_timeline(dataset: Dataset, state: FilterState) -> dict[str, Any]:
    """The timeline (one bar per project, or a band when there are too many) and the list of
    projects without dates beside it."""
    s = selection(dataset, state)
    undated = panels.undated_list(queries.undated_projects(dataset, s.timeline_context), state.lang)
    dated, undrawn = queries.dated_counts(dataset, s.timeline_context)
    if dated > MAX_BARS:
        band = queries.timeline_band(dataset, s.timeline_context, s.listed)
        return {"figure": timeline_band_figure(band, state, dated, undrawn), "undated": undated}
    frame = queries.timeline_frame(dataset, s.timeline_context, s.listed)
    activities = queries.timeline_activities(dataset, s.timeline_context)
    return {"figure": timeline_figure(frame, activities, state), "undated": undated}


def render_table_page(dataset: Dataset, state: FilterState, request: dict[str, Any]) -> dict[str, Any]:
    """One page of the table, asked for by the grid as it scrolls; sorted on the server."""
    sort = request.get("sortModel") if isinstance(request.get("sortModel"), list) else []
    order = table_order(dataset, state.filters, json.dumps(sort, sort_keys=True))
    start = max(0, int(request.get("startRow") or 0))
    end = min(len(order), max(start, int(request.get("endRow") or start + TABLE_PAGE)))
    rows = queries.table_rows(dataset, order[start:end], state.inferred, state.lang)
    return {"rowData": [{**row, "selected": row["id"] == state.project} for row in rows],
            "rowCount": len(order)}


def render_detail(dataset: Dataset, state: FilterState) -> dict[str, Any]:
    """The panel of the selected project, and whether its close button shows."""
    detail = queries.project_detail(dataset, state.project) if state.project else None
    tags = ({d: vocabularies(dataset, state.lang)[d] for d in ("ket", "sector")}
            if detail is not None and state.lang != "en" else None)
    return {"detail": panels.detail_panel(detail, state.inferred, state.lang, tags),
            "close_style": {"display": "inline-block" if detail else "none"}}


# --- wiring ---------------------------------------------------------------------------------

# The grid keeps pages it has fetched; a new state makes it ask again from the first page.
# A map tooltip left open from the click would describe the old selection: close it.
REFRESH_SCRIPT = """function(data) {
    const map = document.querySelector('#""" + ids.MAP + """ .js-plotly-plot');
    if (map && window.Plotly && Plotly.Fx) { Plotly.Fx.unhover(map); }
    if (window.dash_ag_grid && dash_ag_grid.getApiAsync) {
        dash_ag_grid.getApiAsync('""" + ids.TABLE + """').then(
            api => api.refreshInfiniteCache());
    }
    return Date.now();
}"""


def register(
    app: Dash, registry: DatasetRegistry, geojson: str, country_ids: list[str], attribution: str
) -> None:
    """Register one render callback per view of the page."""

    def on_state(output: Any, render: Callable[[Dataset, FilterState], Any]) -> None:
        """Register ``render`` to redraw ``output`` whenever the filter state changes."""

        def callback(data: dict[str, Any] | None) -> Any:
            state = FilterState.from_dict(data)
            return render(registry.resolve(state.dataset), state)

        app.callback(output=output, inputs=[Input(ids.STATE, "data")])(callback)

    def filter_bar(dataset: Dataset, state: FilterState) -> dict[str, Any]:
        return render_filter_bar(dataset, state, registry.label(state.dataset),
                                 app.get_relative_path(API_PATH),  # type: ignore[no-untyped-call]
                                 app.get_relative_path(EXPORT_PATH))  # type: ignore[no-untyped-call]

    on_state(Output(ids.HEADLINE, "children"), render_headline)
    on_state(FILTER_BAR_OUTPUTS, filter_bar)
    on_state(Output(ids.MAP, "figure"),
             partial(render_map, country_ids=country_ids, geojson=geojson, attribution=attribution))
    on_state(Output(ids.MATRIX, "figure"), render_matrix)
    on_state(TIMELINE_OUTPUTS, render_timeline)
    on_state(DETAIL_OUTPUTS, render_detail)

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
        REFRESH_SCRIPT,
        Output(ids.TABLE_REFRESH, "data"),
        Input(ids.STATE, "data"),
        prevent_initial_call=True,
    )
