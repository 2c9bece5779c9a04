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
from components.compare import compare_card, compare_controls
from components.export_menu import caption_holder, chart_buttons, export_menu, storyboard_export_links
from components.network_view import network_card_body, network_header
from components.org_map_panel import TITLE as ORG_MAP_TITLE
from components.org_map_panel import org_map_body
from components.presentation import presentation_controls, unfold_button
from components.regions_panel import geo_switch, region_map_block
from components.share import share_dialog
from components.storyboard import open_button, step_bar, storyboard_panel
from components.upload import upload_dialog
from data.engine.state import MAP_METRICS
from data.io.i18n import LANGUAGE_NAMES, LANGUAGES, N_, translator

COUNTRY_LIST_LABEL = N_("Countries of the selection, ranked")
MAP_METRIC_LABELS = {"projects": N_("projects"), "partners": N_("partners")}
"""The map metrics' names on the filter bar (``MAP_METRICS``), translated there."""


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


def deferred(card: dbc.Card, filters_id: str) -> html.Div:
    """``card``, drawn only while on (or near) the screen: the page says when it is
    (``assets/deferred_views.js`` writes ``ids.DEFERRED_VIEWS[filters_id]``) and its views
    redraw from ``filters_id`` (``callbacks/views.py`` ``DEFERRED_SCRIPT``)."""
    shown = ids.DEFERRED_VIEWS[filters_id]
    marker: dict[str, Any] = {"data-shown-store": shown}
    return html.Div([card, dcc.Store(id=shown, data=False), dcc.Store(id=filters_id)],
                    className="h-100", **marker)


TABLE_COLUMNS = [
    {"field": "acronym", "sortable": True, "headerName": N_("Acronym"), "width": 165, "pinned": "left"},
    {"field": "title", "tooltipField": "title", "sortable": True, "headerName": N_("Title"), "flex": 2,
     "minWidth": 150},
    {"field": "programme", "sortable": True, "headerName": N_("Programme"), "width": 130},
    {"field": "start", "sortable": True, "headerName": N_("Start"), "width": 92},
    {"field": "end", "sortable": True, "headerName": N_("End"), "width": 105},
    {"field": "countries", "tooltipField": "countries", "headerName": N_("Countries"), "width": 120},
    {"field": "kets", "tooltipField": "kets", "headerName": N_("KETs"), "flex": 1, "minWidth": 130},
    {"field": "sectors", "tooltipField": "sectors", "headerName": N_("Sectors"), "flex": 1, "minWidth": 130},
    {"field": "partners", "sortable": True, "headerName": N_("Partners"), "width": 88,
     "type": "numericColumn",
     "headerTooltip": N_("Partner organisations named in the sources")},
    {"field": "notes", "headerName": N_("Notes"), "width": 75,
     "headerTooltip": N_("conflict: sources disagree; gap: stated and named partners differ")},
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


TABLE_SELECTION: dict[str, Any] = {
    # Tick boxes to compare rows (components/compare.py); a click elsewhere on a row opens the
    # project, as before. getRowId keeps the ticks while the infinite model reloads its pages.
    "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": False,
                     "enableClickSelection": False},
    "selectionColumnDef": {"width": 44, "pinned": "left", "resizable": False, "sortable": False},
}
"""Grid options for ticking rows to compare."""


def table_columns(lang: str = "en") -> list[dict[str, Any]]:
    """``TABLE_COLUMNS`` with their headers and header tooltips in ``lang``."""
    _ = translator(lang)
    return [{k: _(str(v)) if k in ("headerName", "headerTooltip") else v for k, v in column.items()}
            for column in TABLE_COLUMNS]


def language_switch(lang: str = "en") -> html.Nav:
    """One link per language; a callback points each at the current view in that language
    (``?lang=``), and following it loads the page anew, in that language."""
    _ = translator(lang)
    current: dict[str, Any] = {"aria-current": "true"}
    label: dict[str, Any] = {"aria-label": _("Language")}
    links = [html.A(LANGUAGE_NAMES[code], id=ids.lang_link_id(code),
                    href=f"?lang={code}" if code != "en" else "?",
                    lang=code, hrefLang=code, className="lang-link" + (" active" if code == lang else ""),
                    **(current if code == lang else {}))
             for code in LANGUAGES]
    return html.Nav(links, id=ids.LANG_SWITCH, className="lang-switch me-2", **label)


def filter_bar(vocab: dict[str, dict[str, str]], years: tuple[int, int], lang: str = "en") -> dbc.Card:
    """Dropdowns, period slider, search, map metric, chips and reset, labelled in ``lang``."""
    _ = translator(lang)
    first, last = years
    marks = period_marks(first, last)

    def dropdown(component_id: str, dimension: str, placeholder: str) -> dcc.Dropdown:
        return dcc.Dropdown(id=component_id, options=options(vocab[dimension]), multi=True,
                            placeholder=placeholder, value=[], className="filter-dropdown")

    return dbc.Card(dbc.CardBody([
        dbc.Row([
            dbc.Col(dropdown(ids.FILTER_COUNTRY, "country", _("Country")), md=True),
            dbc.Col(dropdown(ids.FILTER_KET, "ket", _("Key Enabling Technology")), md=True),
            dbc.Col(dropdown(ids.FILTER_SECTOR, "sector", _("Sector (industrial ecosystem)")), md=True),
            dbc.Col(dropdown(ids.FILTER_PROGRAMME, "programme", _("Programme")), md=True),
            dbc.Col(dropdown(ids.FILTER_INSTRUMENT, "instrument", _("Policy instrument")), md=True,
                    id=ids.FILTER_INSTRUMENT_WRAP),
        ], className="g-2 filter-controls"),
        dbc.Row([
            # The slider's year inputs take no label prop: assets/keyboard.js names them from
            # data-input-labels, in their order.
            dbc.Col(html.Div([html.Label(_("Period"), htmlFor=ids.FILTER_PERIOD, className="small mb-0"),
                              dcc.RangeSlider(id=ids.FILTER_PERIOD, min=first, max=last, step=1,
                                              value=[first, last], marks=marks, allowCross=False,
                                              tooltip={"placement": "bottom"})],
                             **a11y.input_labels(_("First year of the period"),
                                                 _("Last year of the period"))),
                    md=5),
            dbc.Col(dbc.Input(id=ids.FILTER_SEARCH, type="search", debounce=True, value="",
                              placeholder=_("Search acronym, title, summary, partner…")), md=4),
            dbc.Col([html.Span(_("Map shows") + " ", className="small me-1"),
                     dbc.RadioItems(id=ids.MAP_METRIC, inline=True, value="projects",
                                    options=[{"label": _(MAP_METRIC_LABELS.get(m, m)), "value": m}
                                             for m in MAP_METRICS])],
                    md=3, className="d-flex align-items-center"),
        ], className="g-2 mt-1 align-items-center filter-controls"),
        html.Div([html.Div([unfold_button(lang), html.Div(id=ids.CHIPS, className="chips")],
                           className="d-flex align-items-center"),
                  html.Div([
                      html.Div(dbc.Switch(id=ids.INFERRED, value=True, className="mb-0 me-3 small",
                                          label=_("Count KET/sector tags inferred by rules")),
                               id=ids.INFERRED_WRAP, style={"display": "none"}),
                      dbc.Button(_("Reset all"), id=ids.RESET, color="secondary", outline=True,
                                 size="sm", n_clicks=0)],
                      className="d-flex align-items-center")],
                 className="d-flex justify-content-between align-items-center mt-2"),
    ]), className="filter-bar mb-2")


def project_sheet(lang: str = "en") -> dbc.Offcanvas:
    """The open project's panel, a side sheet at the window's right edge (full width on a narrow
    window): the views stay in sight beside it, with the project marked in each. No backdrop and
    the page still scrolls, since reading the project beside its context is the point; Escape and
    its Close button close it (the hub clears ``project=``), and focus goes back to what opened
    it (assets/keyboard.js). The hub opens it; the detail's render callback fills it."""
    _ = translator(lang)
    title = html.Div([
        html.H2(_("Project"), id=ids.DETAIL_TITLE, className="card-title mb-0"),
        dbc.Button(_("Close"), id=ids.DETAIL_CLOSE, size="sm", color="secondary", outline=True,
                   n_clicks=0, style={"display": "none"}),
    ], className="d-flex justify-content-between align-items-center w-100")
    return dbc.Offcanvas(
        html.Div(id=ids.DETAIL, className="detail-body"),
        id=ids.DETAIL_SHEET, title=title, is_open=False, placement="end", backdrop=False,
        scrollable=True, keyboard=True, close_button=False, labelledby=ids.DETAIL_TITLE,
        class_name="project-sheet",
    )


def build_layout(
    vocab: dict[str, dict[str, str]], years: tuple[int, int], attribution: str, upload_mb: int = 50,
    upload_rows: int = 50_000, lang: str = "en",
) -> html.Div:
    """The whole page in ``lang``. ``vocab`` maps each filter dimension to its values and labels
    (in that language)."""
    _ = translator(lang)
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.STATE),
        dcc.Store(id=ids.VIEW_FILTERS),
        html.Header([
            html.Div([
                html.H1(_("KET cluster cooperation in Europe")),
                html.P(_("Who works with whom, on which Key Enabling Technology, where and when — "
                         "every fact with its source."), className="lead-sub"),
            ]),
            html.Div([language_switch(lang), presentation_controls(lang), open_button(lang),
                      export_menu(lang), share_dialog(lang), upload_dialog(upload_mb, upload_rows, lang)],
                     # Wraps: German and French buttons are longer than a laptop header.
                     className="d-flex flex-wrap justify-content-end align-items-center row-gap-1"),
        ], className="page-header d-flex justify-content-between align-items-start"),
        storyboard_panel(lang),
        step_bar(lang),
        filter_bar(vocab, years, lang),
        storyboard_export_links(lang),
        caption_holder(),
        html.Div(id=ids.NOTICES),
        dcc.Loading(html.Div(id=ids.HEADLINE, className="headline mb-2"), type="dot", delay_show=400),
        dcc.Store(id=ids.COMPARE_VIEW),
        compare_card(lang),
        dbc.Row([
            dbc.Col(_card(_("Partner countries"), [geo_switch(lang), region_map_block(lang), a11y.chart(
                ids.MAP_FIGURE,
                dcc.Graph(id=ids.MAP, config={"displayModeBar": False, "scrollZoom": True},
                          className="map-graph"),
                [html.Div(id=ids.MAP_LEGEND, className="map-legend"),
                 _("Click a country to filter by it.") + " ", html.Span(_.message(attribution))],
                html.Div([html.Div(id=ids.COUNTRY_LIST, className="country-list", role="region",
                                   **a11y.aria(label=_(COUNTRY_LIST_LABEL))),
                          dcc.Store(id=ids.COUNTRY_LIST_DATA), dcc.Store(id=ids.COUNTRY_LIST_PICK)]),
                label=_("Map of partner countries"),
            # The buttons export the regional map when it is shown instead.
            )], extra=[chart_buttons(ids.MAP, lang, shown_instead=(ids.REGION_MAP,))]),
                lg=5, className="mb-2"),
            dbc.Col(_card(_("Technologies x sectors"), [a11y.chart(
                ids.MATRIX_FIGURE,
                dcc.Graph(id=ids.MATRIX, config={"displayModeBar": False}),
                _("Projects per KET and industrial ecosystem. Click a cell to filter by both."),
                a11y.disclosure(_("Table of the matrix (keyboard: press a number to filter)"),
                                ids.MATRIX_TABLE),
                label=_("Heatmap of projects per Key Enabling Technology and sector"),
            )], extra=[chart_buttons(ids.MATRIX, lang)]), lg=7, className="mb-2"),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(_card(_("Timeline"), [
                a11y.chart(ids.TIMELINE_FIGURE,
                           dcc.Graph(id=ids.TIMELINE, config={"displayModeBar": False}),
                           _("Drag across the timeline to choose a period; click a bar to open the "
                             "project. Hatched: end drawn from a stated duration."),
                           a11y.disclosure(_("List of the projects drawn (keyboard: press one to "
                                             "open it)"), ids.TIMELINE_LIST),
                           label=_("Timeline of projects")),
                html.Div(id=ids.UNDATED, className="undated"),
            ], extra=[chart_buttons(ids.TIMELINE, lang)]), lg=12, className="mb-2"),
        ], className="g-2"),
        dbc.Row([
            dbc.Col(_card(_("Projects"), [
                html.Div(id=ids.TABLE_COUNT, className="small text-muted mb-1"),
                compare_controls(lang),
                dcc.Store(id=ids.TABLE_REFRESH),
                dcc.Store(id=ids.TABLE_SORT),
                # Infinite row model: the server sorts and sends only the pages shown.
                dag.AgGrid(id=ids.TABLE, columnDefs=table_columns(lang), rowModelType="infinite",
                           getRowId="params.data.id",
                           defaultColDef={"sortable": False, "resizable": True, "filter": False,
                                          "cellDataType": False, "wrapText": True},
                           rowClassRules={"selected-project": "params.data && params.data.selected"},
                           dashGridOptions={"tooltipShowDelay": 300, "cacheBlockSize": 100,
                                            "maxBlocksInCache": 20, "infiniteInitialRowCount": 1,
                                            "rowHeight": 56, **TABLE_KEYBOARD, **TABLE_SELECTION},
                           eventListeners={"cellKeyDown": ["ketTableKeyDown(params, setEventData)"]},
                           style={"width": "100%", "height": "460px"}),
            ]), lg=12, className="mb-2"),
        ], className="g-2"),
        project_sheet(lang),
        # The organisation map (components/org_map_panel.py). After the table, like the
        # network: cards above it push the grid below the first screen, where AG Grid leaves
        # its header rows without cells until scrolled to (axe-core: aria-required-children).
        dbc.Row([dbc.Col(deferred(_card(_(ORG_MAP_TITLE), org_map_body(lang),
                                        extra=[chart_buttons(ids.ORG_MAP, lang)]), ids.ORG_MAP_FILTERS),
                         lg=12, className="mb-2")], className="g-2"),
        # The collaboration network (components/network_view.py). After the table: a card above
        # it pushes the grid below the first screen, where AG Grid leaves its header row without
        # cells until scrolled to (axe-core: aria-required-children).
        dbc.Row([dbc.Col(deferred(_card(_("Collaboration network"), network_card_body(lang),
                                        extra=[network_header(lang)]), ids.NETWORK_FILTERS),
                         lg=12, className="mb-2")], className="g-2"),
        html.Footer([
            _("Every fact cites its source: open a project to read them.") + " ",
            _("The same selection as JSON:") + " ", html.A("/api/projects", href="/api/projects",
                                                     id=ids.API_LINK), ".",
        ], className="small text-muted mt-2"),
    ], className="page container-fluid")
