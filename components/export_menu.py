"""The export controls: the page's "Export" menu, the PNG/SVG buttons of each chart, the
storyboard's HTML/PDF links and the hidden caption the chart images carry.

Pure layout; the links' addresses are written by ``callbacks/views.py`` (``export_links``
here computes them), the chart buttons are handled by ``assets/export.js``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import dash_bootstrap_components as dbc
from dash import html

from components import ids
from components.regions_panel import GEO_LABELS
from data.engine import export
from data.engine.model import Dataset
from data.engine.state import FilterState
from data.io.i18n import translator

TABLE_LINKS: dict[str, tuple[str, str]] = {
    ids.EXPORT_PROJECTS_CSV: ("projects", "csv"),
    ids.EXPORT_PROJECTS_XLSX: ("projects", "xlsx"),
    ids.EXPORT_PARTICIPATIONS_CSV: ("participations", "csv"),
    ids.EXPORT_PARTICIPATIONS_XLSX: ("participations", "xlsx"),
    ids.EXPORT_ORGANISATIONS_CSV: ("organisations", "csv"),
    ids.EXPORT_ORGANISATIONS_XLSX: ("organisations", "xlsx"),
}
"""Menu item id -> (table, format) of ``GET /api/export/<table>.<format>``."""
XLSX_LINKS: dict[str, str] = {component_id: table for component_id, (table, fmt) in TABLE_LINKS.items()
                              if fmt == "xlsx"}
"""Menu item id -> table of the Excel items, which say so when a selection is too large."""
VIEW_LINKS: dict[str, str] = {ids.EXPORT_VIEW_HTML: "html", ids.EXPORT_VIEW_PDF: "pdf"}
"""Menu item id -> format of ``GET /api/export/view.<format>`` for the current view alone."""
STORY_LINKS: dict[str, str] = {ids.EXPORT_STORY_HTML: "html", ids.EXPORT_STORY_PDF: "pdf",
                               ids.STORY_EXPORT_HTML: "html", ids.STORY_EXPORT_PDF: "pdf"}
"""Link id -> format of the storyboard's report (the query with ``story=``)."""
LINK_IDS = (*TABLE_LINKS, *VIEW_LINKS, *STORY_LINKS)
"""Every export link whose href the filter bar's render writes."""
CHART_FORMATS = ("png", "svg")


def _format_labels(lang: str) -> dict[str, str]:
    """Each file format as the menu names it, in ``lang``."""
    _ = translator(lang)
    return {"csv": "CSV", "xlsx": _("Excel (XLSX)"), "html": _("HTML (opens offline)"), "pdf": "PDF"}


def _item(component_id: str, label: str) -> dbc.DropdownMenuItem:
    # external_link: a plain navigation, so the server's attachment answer becomes a download.
    return dbc.DropdownMenuItem(label, id=component_id, href="#", external_link=True)


def _table_names(lang: str) -> dict[str, str]:
    """The exported tables as the menu names them, in ``lang``."""
    _ = translator(lang)
    return {"projects": _("Projects"), "participations": _("Participations"),
            "organisations": _("Organisations")}


def _table_item_label(table: str, fmt: str, lang: str) -> str:
    _ = translator(lang)
    return _("{table} as {format}", table=_table_names(lang)[table], format=_format_labels(lang)[fmt])


def xlsx_items(too_large: Mapping[str, int], lang: str = "en") -> dict[str, Any]:
    """Each Excel item's label and whether it is disabled, keyed ``xlsx_label_<table>`` and
    ``xlsx_disabled_<table>``: a table with more rows than an Excel file is made for
    (``too_large``: table -> rows, from ``export.too_large_for_xlsx``) is offered as CSV only,
    and its item says so rather than leading to a refusal."""
    _ = translator(lang)
    out: dict[str, Any] = {}
    for table in XLSX_LINKS.values():
        rows = too_large.get(table)
        out[f"xlsx_disabled_{table}"] = rows is not None
        out[f"xlsx_label_{table}"] = _table_item_label(table, "xlsx", lang) if rows is None else _(
            "{table} as Excel: {rows} rows, over the limit of {limit}; use the CSV",
            table=_table_names(lang)[table], rows=_.number(rows), limit=_.number(export.XLSX_MAX_ROWS))
    return out


def export_menu(lang: str = "en") -> dbc.DropdownMenu:
    """The "Export" menu in ``lang``: each table as CSV or Excel, the current view (and the
    storyboard, when one is open) as one HTML file or a PDF. Every file carries the filters and
    sources."""
    _ = translator(lang)
    formats = _format_labels(lang)
    items: list[Any] = [dbc.DropdownMenuItem(_("The selected data"), header=True)]
    for component_id, (table, fmt) in TABLE_LINKS.items():
        items.append(_item(component_id, _table_item_label(table, fmt, lang)))
    items += [dbc.DropdownMenuItem(divider=True),
              dbc.DropdownMenuItem(_("This view"), header=True)]
    for component_id, fmt in VIEW_LINKS.items():
        items.append(_item(component_id, _("View as {format}", format=formats[fmt])))
    items.append(html.Div([
        dbc.DropdownMenuItem(divider=True),
        dbc.DropdownMenuItem(_("The storyboard"), header=True),
        _item(ids.EXPORT_STORY_HTML, _("Storyboard as HTML (one section per view)")),
        _item(ids.EXPORT_STORY_PDF, _("Storyboard as PDF (one page per view)")),
    ], id=ids.EXPORT_STORY_ITEMS, style={"display": "none"}))
    return dbc.DropdownMenu(items, id=ids.EXPORT_MENU, label=_("Export"), color="secondary",
                            size="sm", align_end=True, className="export-menu me-2")


def storyboard_export_links(lang: str = "en") -> html.Div:
    """'Export storyboard as HTML / PDF' in ``lang``, for the storyboard's area; hidden until
    one is open."""
    _ = translator(lang)
    return html.Div([
        _("Export storyboard as") + " ",
        html.A(_("HTML"), id=ids.STORY_EXPORT_HTML, href="#", download=""),
        " / ",
        html.A(_("PDF"), id=ids.STORY_EXPORT_PDF, href="#", download=""),
    ], id=ids.STORY_EXPORT, className="story-export small", style={"display": "none"})


def chart_buttons(graph_id: str, lang: str = "en", shown_instead: tuple[str, ...] = ()) -> html.Div:
    """The PNG (twice the chart's size) and SVG buttons of one chart (``assets/export.js``),
    named in ``lang``. ``shown_instead``: graphs of the same card that may be on screen in
    its place (the regional map instead of the country map); the buttons export whichever of
    them is visible, else ``graph_id``."""
    _ = translator(lang)

    def data(fmt: str) -> dict[str, Any]:
        found = {"data-graph": graph_id, "data-format": fmt}
        return found | ({"data-instead": " ".join(shown_instead)} if shown_instead else {})

    group: dict[str, Any] = {"aria-label": _("Download the chart")}
    return html.Div([
        html.Button(fmt.upper(), type="button", className="btn btn-outline-secondary btn-sm chart-export",
                    title=_("Download this chart as {format}, with its filters and sources",
                            format=fmt.upper()),
                    **data(fmt))
        for fmt in CHART_FORMATS
    ], className="btn-group chart-export-group", role="group", **group)


def caption_holder() -> html.Div:
    """Hidden text the chart buttons read: the caption and file names of the current state."""
    return html.Div(id=ids.EXPORT_CAPTION, hidden=True, className="export-caption")


def caption_json(lines: list[str], names: dict[str, str],
                 views: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """The caption holder's text: ``{"lines": [...], "names": {"matrix": "ket-matrix...png"},
    "views": {"region-map": {"lines": [...], "title": "..."}}}`` (names without extension: the
    script adds ``.png`` or ``.svg``; a chart in ``views`` has its own lines or title instead
    of the common lines and its card's title)."""
    return json.dumps({"lines": lines, "names": names, "views": dict(views or {})}, ensure_ascii=False)


def chart_title(view: str, state: FilterState) -> str | None:
    """A chart's title in its image when its card's heading does not name it: the regional
    map's card is the country map's ('Partner countries'), so its image says 'Map of NUTS
    regions (NUTS 2)'. None: the card's heading."""
    if view != ids.REGION_MAP or state.geo not in GEO_LABELS or state.geo == "countries":
        return None
    _ = translator(state.lang)
    return f"{_('Map of NUTS regions')} ({_.message(GEO_LABELS[state.geo])})"


def caption_holder_text(dataset: Dataset, state: FilterState) -> str:
    """What the caption holder holds for ``state``: the common caption, each chart's file name
    (``export.VIEWS``, without extension), and the charts whose caption or title differ (the
    maps add their boundaries' credit; the comparison cites the projects compared)."""
    lines = export.caption_lines(dataset, state)
    names = {view: export.view_filename(view, state, "")[:-1] for view in export.VIEWS}
    views: dict[str, dict[str, Any]] = {}
    for view in export.VIEWS:
        own = export.view_caption_lines(dataset, state, view, common=lines)
        title = chart_title(view, state)
        entry: dict[str, Any] = ({"lines": own} if own != lines else {}) | ({"title": title} if title else {})
        if entry:
            views[view] = entry
    return caption_json(lines, names, views)


def export_links(export_path: str, state: FilterState) -> dict[str, Any]:
    """The hrefs of every export link for ``state``, keyed by component id: the tables carry
    what selects their rows (``FilterState.filters``: no storyboard, map view or theme, which a
    table does not show), the storyboard's report the whole query (``story=`` included), the
    view's report the query without the storyboard. The storyboard's links are '#' while none
    is open."""
    def with_query(path: str, q: str) -> str:
        return path + (f"?{q}" if q else "")

    query = state.to_query()
    view_query = replace(state, story="", step=None).to_query()
    story = bool(state.story)
    links: dict[str, Any] = {
        component_id: with_query(f"{export_path}/{table}.{fmt}", state.filters.to_query())
        for component_id, (table, fmt) in TABLE_LINKS.items()}
    links |= {component_id: with_query(f"{export_path}/view.{fmt}", view_query)
              for component_id, fmt in VIEW_LINKS.items()}
    links |= {component_id: with_query(f"{export_path}/view.{fmt}", query) if story else "#"
              for component_id, fmt in STORY_LINKS.items()}
    return links


def story_style(state: FilterState) -> dict[str, str]:
    """Shown while a storyboard is open (``story=``), hidden otherwise."""
    return {"display": "block" if state.story else "none"}
