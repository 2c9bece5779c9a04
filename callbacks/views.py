"""Render callbacks: each view reads only the filter state and draws itself.

The masks of a state are computed once (``data.engine.state.select``) and shared by every view
through a small cache, so one interaction filters the dataset once, not once per view. The
state names the dataset (the default or an upload); the registry resolves it.
"""

from __future__ import annotations

import json
from functools import lru_cache
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
from data.engine.model import NOT_STATED, Dataset
from data.engine.state import FilterState
from server.registry import DatasetRegistry

DIMENSIONS = ("country", "ket", "sector", "programme", "project")
TABLE_PAGE = 100


def register(
    app: Dash, registry: DatasetRegistry, geojson: str, country_ids: list[str], attribution: str
) -> None:
    """Register one render callback per view of the page."""

    @lru_cache(maxsize=64)
    def selection(state: FilterState) -> Selection:
        return select(registry.resolve(state.dataset), state)

    @lru_cache(maxsize=16)
    def labels(dataset_id: str | None) -> dict[str, dict[str, str]]:
        dataset = registry.resolve(dataset_id)
        found = {d: dataset.vocabulary(d) for d in DIMENSIONS}
        found["dataset"] = {dataset_id: registry.label(dataset_id)} if dataset_id else {}
        return found

    def current(data: dict[str, Any] | None) -> tuple[Dataset, Selection]:
        s = selection(FilterState.from_dict(data))
        return registry.resolve(s.state.dataset), s

    @app.callback(Output(ids.HEADLINE, "children"), Input(ids.STATE, "data"))
    def render_headline(data: dict[str, Any] | None) -> list:
        dataset, s = current(data)
        return panels.headline_panel(queries.headline(dataset, s.matching, s.period_undetermined,
                                                      s.state.country))

    # The filter bar and the small read-outs around the views share one request: each is a
    # few lines of text, and a request costs more than any of them.
    @app.callback(
        Output(ids.CHIPS, "children"),
        Output(ids.FILTER_COUNTRY, "options"),
        Output(ids.FILTER_KET, "options"),
        Output(ids.FILTER_SECTOR, "options"),
        Output(ids.FILTER_PROGRAMME, "options"),
        Output(ids.FILTER_PERIOD, "min"),
        Output(ids.FILTER_PERIOD, "max"),
        Output(ids.FILTER_PERIOD, "marks"),
        Output(ids.INFERRED_WRAP, "style"),
        Output(ids.TABLE_COUNT, "children"),
        Output(ids.API_LINK, "href"),
        Input(ids.STATE, "data"),
    )
    def render_filter_bar(data: dict[str, Any] | None) -> tuple[Any, ...]:
        _, s = current(data)
        n = int(s.listed.sum())
        count = f"{n:,} project{'s' if n != 1 else ''}; the table loads rows as you scroll."
        query = s.state.to_query()
        api_link = app.get_relative_path("/api/projects") + (f"?{query}" if query else "")
        return (panels.chips(s.state, labels(s.state.dataset)), *filter_options(s.state.dataset),
                count, api_link)

    @lru_cache(maxsize=16)
    def filter_options(dataset_id: str | None) -> tuple[Any, ...]:
        vocab = labels(dataset_id)
        dataset = registry.resolve(dataset_id)
        first, last = queries.year_bounds(dataset)
        # The switch only means something where rules inferred tags.
        has_inferred = bool((dataset.project_kets["origin"] == "inferred").any()
                            or (dataset.project_sectors["origin"] == "inferred").any())
        return (options(vocab["country"]), options(vocab["ket"]), options(vocab["sector"]),
                options(vocab["programme"]), first, last, period_marks(first, last),
                {"display": "block" if has_inferred else "none"})

    @app.callback(Output(ids.MAP, "figure"), Input(ids.STATE, "data"))
    def render_map(data: dict[str, Any] | None) -> Figure:
        dataset, s = current(data)
        summary = queries.country_summary(dataset, s.map_context)
        return map_figure(summary, s.state, country_ids, geojson, attribution)

    @app.callback(Output(ids.MATRIX, "figure"), Input(ids.STATE, "data"))
    def render_matrix(data: dict[str, Any] | None) -> Figure:
        dataset, s = current(data)
        counts = queries.ket_sector_matrix(dataset, s.matrix_context, s.state.inferred)
        ket_labels = {**dict(zip(dataset.kets["ket_id"], dataset.kets["short_label"], strict=True)),
                      NOT_STATED: "No KET stated"}
        return matrix_figure(counts, s.state, ket_labels, labels(s.state.dataset)["sector"])

    @app.callback(
        Output(ids.TIMELINE, "figure"),
        Output(ids.UNDATED, "children"),
        Input(ids.STATE, "data"),
    )
    def render_timeline(data: dict[str, Any] | None) -> tuple[Figure, list]:
        dataset, s = current(data)
        undated = panels.undated_list(queries.undated_projects(dataset, s.timeline_context))
        dated, undrawn = queries.dated_counts(dataset, s.timeline_context)
        if dated > MAX_BARS:
            band = queries.timeline_band(dataset, s.timeline_context, s.listed)
            return timeline_band_figure(band, s.state, dated, undrawn), undated
        frame = queries.timeline_frame(dataset, s.timeline_context, s.listed)
        activities = queries.timeline_activities(dataset, s.timeline_context)
        return timeline_figure(frame, activities, s.state), undated

    @lru_cache(maxsize=32)
    def table_order(state: FilterState, sort: str) -> Any:
        _, s = current(state.to_dict())
        return queries.table_order(registry.resolve(state.dataset), s.listed, json.loads(sort))

    @app.callback(
        Output(ids.TABLE, "getRowsResponse"),
        Input(ids.TABLE, "getRowsRequest"),
        State(ids.STATE, "data"),
    )
    def render_table_page(request: dict[str, Any] | None, data: dict[str, Any] | None) -> Any:
        """One page of the table, asked for by the grid as it scrolls; sorted on the server."""
        if not isinstance(request, dict):
            return no_update
        state = FilterState.from_dict(data)
        sort = request.get("sortModel") if isinstance(request.get("sortModel"), list) else []
        order = table_order(state, json.dumps(sort, sort_keys=True))
        start = max(0, int(request.get("startRow") or 0))
        end = min(len(order), max(start, int(request.get("endRow") or start + TABLE_PAGE)))
        rows = queries.table_rows(registry.resolve(state.dataset), order[start:end], state.inferred)
        return {"rowData": [{**row, "selected": row["id"] == state.project} for row in rows],
                "rowCount": len(order)}

    # The grid keeps pages it has fetched; a new state makes it ask again from the first page.
    # A map tooltip left open from the click would describe the old selection: close it.
    app.clientside_callback(
        """function(data) {
            const map = document.querySelector('#""" + ids.MAP + """ .js-plotly-plot');
            if (map && window.Plotly && Plotly.Fx) { Plotly.Fx.unhover(map); }
            if (window.dash_ag_grid && dash_ag_grid.getApiAsync) {
                dash_ag_grid.getApiAsync('""" + ids.TABLE + """').then(
                    api => api.refreshInfiniteCache());
            }
            return Date.now();
        }""",
        Output(ids.TABLE_REFRESH, "data"),
        Input(ids.STATE, "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(ids.DETAIL, "children"),
        Output(ids.DETAIL_CLOSE, "style"),
        Input(ids.STATE, "data"),
    )
    def render_detail(data: dict[str, Any] | None) -> tuple[list, dict[str, str]]:
        state = FilterState.from_dict(data)
        dataset = registry.resolve(state.dataset)
        detail = queries.project_detail(dataset, state.project) if state.project else None
        return (panels.detail_panel(detail, state.inferred),
                {"display": "inline-block" if detail else "none"})

