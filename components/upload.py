"""The upload dialog: choose a file, map its columns, preview, import, switch to it."""

from __future__ import annotations

from typing import Any

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from components import ids
from components.a11y import input_labels
from data.io.i18n import taxonomy_labels, translator

PREVIEW_ROWS = 20


def upload_dialog(max_mb: int, max_rows: int, lang: str = "en") -> html.Div:
    """The button that opens the dialog, and the dialog itself (closed), labelled in ``lang``."""
    _ = translator(lang)
    return html.Div([
        dbc.Button(_("Load your data…"), id=ids.UPLOAD_OPEN, color="primary", outline=True, size="sm",
                   n_clicks=0),
        dcc.Store(id=ids.UPLOAD_STORE),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle(_("Load your own data"), id=ids.UPLOAD_TITLE)),
            dbc.ModalBody([
                html.P([_("A spreadsheet of projects and partners (CSV or XLSX, any layout: you map "
                          "its columns below), a CORDIS download as CORDIS publishes it (the .zip), "
                          "or a dataset folder zipped in the normalized format. It is checked, you "
                          "see what will be loaded, and only your view switches to it; the default "
                          "dataset stays as it is. Up to {rows} rows per file here; for "
                          "larger imports use the command", rows=_.number(max_rows)) + " ",
                        html.Code("python -m data.importers"), "."], className="small"),
                # dcc.Upload's file input takes no label prop: assets/keyboard.js names it.
                html.Div(dcc.Upload(id=ids.UPLOAD, max_size=max_mb * 1024**2, multiple=False,
                                    accept=".csv,.tsv,.txt,.xlsx,.zip", className="upload-drop",
                                    children=html.Div([_("Drop a file here or") + " ",
                                                       html.A(_("choose one"))])),
                         **input_labels(_("Data file to load (CSV, TSV, XLSX or ZIP)"))),
                html.Div(id=ids.UPLOAD_STATUS, className="mt-2"),
                html.Div(id=ids.UPLOAD_REPORT, className="mt-2"),
                html.Div(id=ids.UPLOAD_MAPPING, className="mt-2"),
                html.Div(id=ids.UPLOAD_PREVIEW, className="mt-2"),
            ]),
            dbc.ModalFooter([
                dbc.Button(_("Check and import"), id=ids.UPLOAD_IMPORT, color="primary", n_clicks=0,
                           disabled=True),
                dbc.Button(_("Show this dataset"), id=ids.UPLOAD_SWITCH, color="success", n_clicks=0,
                           disabled=True),
            ]),
        ], id=ids.UPLOAD_MODAL, is_open=False, size="xl", scrollable=True, labelledby=ids.UPLOAD_TITLE),
    ])


def mapping_form(fields: dict[str, str], columns: list[str], suggested: dict[str, str],
                 lang: str = "en") -> list[Any]:
    """One dropdown per field of ours (``fields``: field -> its English label), offering the
    file's columns, preset to the suggestion; its heading, placeholder and the fields' labels in
    ``lang`` (``spreadsheet_field_translations.csv``; the English label where one is missing)."""
    _ = translator(lang)
    translated = taxonomy_labels(lang)["field"]
    options = [{"label": c, "value": c} for c in columns]
    rows = [
        dbc.Col([
            html.Label(translated.get(target, label), className="small mb-0",
                       htmlFor=ids.dom_id(ids.upload_field_id(target))),
            dcc.Dropdown(id=ids.upload_field_id(target), options=options,
                         value=suggested.get(target), placeholder=_("(not in this file)"),
                         clearable=True),
        ], md=3, className="mb-2")
        for target, label in fields.items()
    ]
    return [html.H6(_("Which column holds what?")), dbc.Row(rows, className="g-2")]


def preview_grid(frame: pd.DataFrame, lang: str = "en") -> list[Any]:
    """The first rows of the file as it was read, every cell as text; its heading in ``lang``."""
    _ = translator(lang)
    head = frame.head(PREVIEW_ROWS)
    return [
        html.H6(_.ngettext("Preview: first {n} row as read", "Preview: first {n} rows as read",
                           len(head))),
        dag.AgGrid(
            rowData=head.astype(str).to_dict("records"),
            columnDefs=[{"field": c, "headerName": c, "cellDataType": False} for c in head.columns],
            defaultColDef={"resizable": True, "minWidth": 110},
            dashGridOptions={"domLayout": "autoHeight"},
            style={"width": "100%"},
        ),
    ]


def status(message: str, colour: str = "info") -> dbc.Alert:
    """A one-line message of the dialog, coloured like a Bootstrap alert."""
    return dbc.Alert(message, color=colour, className="py-2 small mb-0")


def report_panel(text: str, counts: dict[str, Any], lang: str = "en") -> list[Any]:
    """The import report: counts first (in ``lang``), then the full text (the report file's,
    in English)."""
    _ = translator(lang)
    summary = _("{read} rows read, {imported} imported, {rejected} rejected.",
                read=_.number(counts["read"]), imported=_.number(counts["imported"]),
                rejected=_.number(counts["rejected"]))
    colour = "success" if counts["imported"] and not counts["rejected"] else "warning"
    return [status(summary + " " + _("Rejected rows are listed below with file, line, column and "
                                     "reason."), colour),
            html.Pre(text, className="import-report small mt-2")]
