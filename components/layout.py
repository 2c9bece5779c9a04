"""The page: filter bar, headline, map, matrix, timeline, table and detail panel.

``build_layout`` only arranges components; their content arrives from the render callbacks,
which read the filter state. Options of the filter bar come from the dataset's vocabularies.
"""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from components import a11y, ids
from components.export_menu import caption_holder, chart_buttons, export_menu, storyboard_export_links
from components.presentation import presentation_controls, unfold_button
from components.share import share_dialog
from components.storyboard import open_button, step_bar, storyboard_panel
from components.upload import upload_dialog
from data.engine.state import MAP_METRICS

EXPORT_GROUP_LABEL: dict[str, Any] = {"aria-label": "Export"}
COUNTRY_LIST_LABEL: dict[str, Any] = {"aria-label": "Countries of the selection, ranked"}


def options(labels: dict[str, str]) -> list[dict[str, str]]:
    """Dropdown options from a value -> label mapping, in its order."""
    return [{"label": label, "value": value} for value, label in labels.items()]


def period_marks(first: int, last: int) -> dict[int, str]:
    """About seven evenly spaced year labels, always the first and the last."""
    step = max(1, (last - first) // 6)
    marks = {y: str(y) for y in range(first, last + 1, step) if last - y >= step / 2 or y == first}
    marks[last] = str(last)
    return marks


def _card(title: str, body: list[Any], extra: list[Any] | None = None) -> dbc.Card:
    header = html.Div([html.H2(title, className="card-title"), *(extra or [])],
                      className="d-flex justify-content-between align-items-center")
    return dbc.Card(dbc.CardBody([header, *body]), className="view-card h-100")


TABLE_COLUMNS = [
    {"field": "acronym", "sortable": True, "headerName": "Acronym", "width": 165, "pinned": "left"},
    {"field": "title", "tooltipField": "title", "sortable": True, "headerName": "Title", "flex": 2,
     "minWidth": 150},
    {"field": "programme", "sortable": True, "headerName": "Programme", "width": 130},
    {"field": "start", "sortable": True, "headerName": "Start", "width": 92},
    {"field": "end", "sortable": True, "headerName": "End", "width": 105},
    {"field": "countries", "tooltipField": "countries", "headerName": "Countries", "width": 120},
    {"field": "kets", "tooltipField": "kets", "headerName": "KETs", "flex": 1, "minWidth": 130},
    {"field": "sectors", "tooltipField": "sectors", "headerName": "Sectors", "flex": 1, "minWidth": 130},
    {"field": "partners", "sortable": True, "headerName": "Partners", "width": 88, "type": "numericColumn",
     "headerTooltip": "Partner organisations named in the sources"},
    {"field": "notes", "headerName": "Notes", "width": 75,
     "headerTooltip": "conflict: sources disagree; gap: stated and named partners differ"},
]


TABLE_KEYBOARD: dict[str, Any] = {
    # One Tab stop: arrows move inside the grid (AG Grid's own navigation) and Tab leaves it;
    # returning false hands Tab to the browser. Without it, Tab walks every cell of an endless
    # (infinite row model) grid.
    "tabToNextCell": {"function": "false"},
    "tabToNextHeader": {"function": "false"},
}
"""Grid options for keyboard users; Enter on a row opens its project (assets/keyboard.js
``ketTableKeyDown`` reports it as the grid's ``eventData``, the hub reads it)."""


def filter_bar(vocab: dict[str, dict[str, str]], years: tuple[int, int]) -> dbc.Card:
    """Dropdowns, period slider, search, map metric, chips and reset."""
    first, last = years
    marks = period_marks(first, last)

    def dropdown(component_id: str, dimension: str, placeholder: str) -> dcc.Dropdown:
        return dcc.Dropdown(id=component_id, options=options(vocab[dimension]), multi=True,
                            placeholder=placeholder, value=[], className="filter-dropdown")

    return dbc.Card(dbc.CardBody([
        dbc.Row([
            dbc.Col(dropdown(ids.FILTER_COUNTRY, "country", "Country"), md=3),
            dbc.Col(dropdown(ids.FILTER_KET, "ket", "Key Enabling Technology"), md=3),
            dbc.Col(dropdown(ids.FILTER_SECTOR, "sector", "Sector (industrial ecosystem)"), md=3),
            dbc.Col(dropdown(ids.FILTER_PROGRAMME, "programme", "Programme"), md=3),
        ], className="g-2 filter-controls"),
        dbc.Row([
            # The slider's year inputs take no label prop: assets/keyboard.js names them from
            # data-input-labels, in their order.
            dbc.Col(html.Div([html.Label("Period", htmlFor=ids.FILTER_PERIOD, className="small mb-0"),
                              dcc.RangeSlider(id=ids.FILTER_PERIOD, min=first, max=last, step=1,
                                              value=[first, last], marks=marks, allowCross=False,
                                              tooltip={"placement": "bottom"})],
                             **a11y.input_labels("First year of the period", "Last year of the period")),
                    md=5),
            dbc.Col(dbc.Input(id=ids.FILTER_SEARCH, type="search", debounce=True, value="",
                              placeholder="Search acronym, title, summary, partner…"), md=4),
            dbc.Col([html.Span("Map shows ", className="small me-1"),
                     dbc.RadioItems(id=ids.MAP_METRIC, inline=True, value="projects",
                                    options=[{"label": m, "value": m} for m in MAP_METRICS])],
                    md=3, className="d-flex align-items-center"),
        ], className="g-2 mt-1 align-items-center filter-controls"),
        html.Div([html.Div([unfold_button(), html.Div(id=ids.CHIPS, className="chips")],
                           className="d-flex align-items-center"),
                  html.Div([
                      html.Div(dbc.Switch(id=ids.INFERRED, value=True, className="mb-0 me-3 small",
                                          label="Count KET/sector tags inferred by rules"),
                               id=ids.INFERRED_WRAP, style={"display": "none"}),
                      dbc.Button("Reset all", id=ids.RESET, color="secondary", outline=True,
                                 size="sm", n_clicks=0)],
                      className="d-flex align-items-center")],
                 className="d-flex justify-content-between align-items-center mt-2"),
    ]), className="filter-bar mb-2")


def build_layout(
    vocab: dict[str, dict[str, str]], years: tuple[int, int], attribution: str, upload_mb: int = 50,
    upload_rows: int = 50_000,
) -> html.Div:
    """The whole page. ``vocab`` maps each filter dimension to its values and labels."""
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.STATE),
        dcc.Store(id=ids.VIEW_FILTERS),
        html.Header([
            html.Div([
                html.H1("KET cluster cooperation in Europe"),
                html.P("Who works with whom, on which Key Enabling Technology, where and when — "
                       "every fact with its source.", className="lead-sub"),
            ]),
            html.Div([presentation_controls(), open_button(), export_menu(), share_dialog(),
                      upload_dialog(upload_mb, upload_rows)],
                     className="d-flex"),
        ], className="page-header d-flex justify-content-between align-items-start"),
        storyboard_panel(),
        step_bar(),
        filter_bar(vocab, years),
        storyboard_export_links(),
        caption_holder(),
        html.Div(id=ids.NOTICES),
        dcc.Loading(html.Div(id=ids.HEADLINE, className="headline mb-2"), type="dot", delay_show=400),
        dbc.Row([
            dbc.Col(_card("Partner countries", [a11y.chart(
                ids.MAP_FIGURE,
                dcc.Graph(id=ids.MAP, config={"displayModeBar": False, "scrollZoom": True},
                          className="map-graph"),
                [html.Div(id=ids.MAP_LEGEND, className="map-legend"),
                 "Click a country to filter by it. ", html.Span(attribution)],
                html.Div(id=ids.COUNTRY_LIST, className="country-list", role="region",
                         **COUNTRY_LIST_LABEL),
                label="Map of partner countries",
            )], extra=[chart_buttons(ids.MAP)]), lg=5, className="mb-2"),
            dbc.Col(_card("Technologies x sectors", [a11y.chart(
                ids.MATRIX_FIGURE,
                dcc.Graph(id=ids.MATRIX, config={"displayModeBar": False}),
                "Projects per KET and industrial ecosystem. Click a cell to filter by both.",
                a11y.disclosure("Table of the matrix (keyboard: press a number to filter)",
                                ids.MATRIX_TABLE),
                label="Heatmap of projects per Key Enabling Technology and sector",
            )], extra=[chart_buttons(ids.MATRIX)]), lg=7, className="mb-2"),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(_card("Timeline", [
                a11y.chart(ids.TIMELINE_FIGURE,
                           dcc.Graph(id=ids.TIMELINE, config={"displayModeBar": False}),
                           "Drag across the timeline to choose a period; click a bar to open the "
                           "project. Hatched: end drawn from a stated duration.",
                           a11y.disclosure("List of the projects drawn (keyboard: press one to "
                                           "open it)", ids.TIMELINE_LIST),
                           label="Timeline of projects"),
                html.Div(id=ids.UNDATED, className="undated"),
            ], extra=[chart_buttons(ids.TIMELINE)]), lg=8, className="mb-2"),
            dbc.Col(_card("Project", [html.Div(id=ids.DETAIL, className="detail-body")], extra=[
                dbc.Button("Close", id=ids.DETAIL_CLOSE, size="sm", color="secondary",
                           outline=True, n_clicks=0, style={"display": "none"})]),
                lg=4, className="mb-2"),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(_card("Projects", [
                html.Div(id=ids.TABLE_COUNT, className="small text-muted mb-1"),
                dcc.Store(id=ids.TABLE_REFRESH),
                dcc.Store(id=ids.TABLE_SORT),
                # Infinite row model: the server sorts and sends only the pages shown.
                dag.AgGrid(id=ids.TABLE, columnDefs=TABLE_COLUMNS, rowModelType="infinite",
                           getRowId="params.data.id",
                           defaultColDef={"sortable": False, "resizable": True, "filter": False,
                                          "cellDataType": False, "wrapText": True},
                           rowClassRules={"selected-project": "params.data && params.data.selected"},
                           dashGridOptions={"tooltipShowDelay": 300, "cacheBlockSize": 100,
                                            "maxBlocksInCache": 20, "infiniteInitialRowCount": 1,
                                            "rowHeight": 56, **TABLE_KEYBOARD},
                           eventListeners={"cellKeyDown": ["ketTableKeyDown(params, setEventData)"]},
                           style={"width": "100%", "height": "460px"}),
            ]), lg=12, className="mb-2"),
        ], className="g-2"),
        html.Footer([
            "Every fact cites its source: open a project to read them. ",
            "The same selection as JSON: ", html.A("/api/projects", href="/api/projects",
                                                     id=ids.API_LINK), ". ",
            html.Span([
                "Export the selected projects: ",
                html.A("projects as CSV", href="/api/export/projects.csv", id=ids.EXPORT_CSV_LINK,
                       download="", title="The selected projects as a CSV table (filters in the file name)"),
                ", ",
                html.A("projects as Excel (XLSX)", href="/api/export/projects.xlsx",
                       id=ids.EXPORT_XLSX_LINK, download="",
                       title="The selected projects as an Excel workbook, with a sheet of the "
                             "filters and sources"),
                ".",
            ], role="group", **EXPORT_GROUP_LABEL),
        ], className="small text-muted mt-2"),
    ], className="page container-fluid")
