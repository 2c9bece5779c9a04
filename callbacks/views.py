"""Render callbacks: each view reads only the filter state and draws itself.

The masks of a state are computed once (``data.filters.select``) and shared by every view
through a small cache, so one interaction filters the dataset once, not once per view.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from dash import Dash, Input, Output
from plotly.graph_objects import Figure

from components import ids, panels
from components.map_figure import map_figure
from components.matrix_figure import matrix_figure
from components.timeline_figure import timeline_figure
from data import queries
from data.filters import FilterState, Selection, select
from data.model import Dataset

DIMENSIONS = ("country", "ket", "sector", "programme", "project")


def register(app: Dash, dataset: Dataset, geojson: str, country_ids: list[str], attribution: str) -> None:
    """Register one render callback per view of the page."""
    labels = {d: dataset.vocabulary(d) for d in DIMENSIONS}
    ket_labels = {**dict(zip(dataset.kets["ket_id"], dataset.kets["short_label"], strict=True)),
                  "not-stated": "No KET stated"}

    @lru_cache(maxsize=32)
    def selection(state: FilterState) -> Selection:
        return select(dataset, state)

    def current(data: dict[str, Any] | None) -> Selection:
        return selection(FilterState.from_dict(data))

    @app.callback(Output(ids.HEADLINE, "children"), Input(ids.STATE, "data"))
    def render_headline(data: dict[str, Any] | None) -> list:
        s = current(data)
        return panels.headline_panel(queries.headline(dataset, s.matching, s.period_undetermined))

    @app.callback(Output(ids.CHIPS, "children"), Input(ids.STATE, "data"))
    def render_chips(data: dict[str, Any] | None) -> list:
        return panels.chips(FilterState.from_dict(data), labels)

    @app.callback(Output(ids.MAP, "figure"), Input(ids.STATE, "data"))
    def render_map(data: dict[str, Any] | None) -> Figure:
        s = current(data)
        summary = queries.country_summary(dataset, s.map_context)
        return map_figure(summary, s.state, country_ids, geojson, attribution)

    @app.callback(Output(ids.MATRIX, "figure"), Input(ids.STATE, "data"))
    def render_matrix(data: dict[str, Any] | None) -> Figure:
        s = current(data)
        counts = queries.ket_sector_matrix(dataset, s.matrix_context)
        return matrix_figure(counts, s.state, ket_labels, labels["sector"])

    @app.callback(Output(ids.TIMELINE, "figure"), Input(ids.STATE, "data"))
    def render_timeline(data: dict[str, Any] | None) -> Figure:
        s = current(data)
        frame = queries.timeline_frame(dataset, s.timeline_context, s.listed)
        activities = queries.timeline_activities(dataset, s.timeline_context)
        return timeline_figure(frame, activities, s.state)

    @app.callback(Output(ids.UNDATED, "children"), Input(ids.STATE, "data"))
    def render_undated(data: dict[str, Any] | None) -> list:
        return panels.undated_list(queries.undated_projects(dataset, current(data).timeline_context))

    @app.callback(Output(ids.TABLE, "rowData"), Input(ids.STATE, "data"))
    def render_table(data: dict[str, Any] | None) -> list[dict[str, Any]]:
        s = current(data)
        return [{**row, "selected": row["id"] == s.state.project}
                for row in queries.table_rows(dataset, s.listed)]

    @app.callback(
        Output(ids.DETAIL, "children"),
        Output(ids.DETAIL_CLOSE, "style"),
        Input(ids.STATE, "data"),
    )
    def render_detail(data: dict[str, Any] | None) -> tuple[list, dict[str, str]]:
        state = FilterState.from_dict(data)
        detail = queries.project_detail(dataset, state.project) if state.project else None
        return panels.detail_panel(detail), {"display": "inline-block" if detail else "none"}

    @app.callback(Output(ids.API_LINK, "href"), Input(ids.STATE, "data"))
    def render_api_link(data: dict[str, Any] | None) -> str:
        query = FilterState.from_dict(data).to_query()
        return app.get_relative_path("/api/projects") + (f"?{query}" if query else "")
