"""Callbacks of the upload dialog: receive a file, preview it, import it into a new dataset.

Each step is a module-level function of its inputs that returns its outputs by name
(``RECEIVE_OUTPUTS``, ``ACCEPT_OUTPUTS``); ``register`` only wires them to Dash. Switching the
view to the new dataset is the hub's job (``ids.UPLOAD_SWITCH`` is one of its inputs, reading
``ids.UPLOAD_STORE``); these callbacks only fill the dialog and the store.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from components import ids
from components.upload import mapping_form, preview_grid, report_panel, status
from data.engine.state import FilterState
from data.importers.report import ImportFailure, ImportReport
from data.importers.spreadsheet import mapping_fields
from data.io.i18n import N_, translator
from data.io.loader import DatasetError
from server import uploads
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)

RECEIVE_OUTPUTS = {
    "store": Output(ids.UPLOAD_STORE, "data"),
    "status": Output(ids.UPLOAD_STATUS, "children"),
    "mapping": Output(ids.UPLOAD_MAPPING, "children"),
    "preview": Output(ids.UPLOAD_PREVIEW, "children"),
    "report": Output(ids.UPLOAD_REPORT, "children", allow_duplicate=True),
    "import_disabled": Output(ids.UPLOAD_IMPORT, "disabled"),
    "switch_disabled": Output(ids.UPLOAD_SWITCH, "disabled", allow_duplicate=True),
}
ACCEPT_OUTPUTS = {
    "store": Output(ids.UPLOAD_STORE, "data", allow_duplicate=True),
    "report": Output(ids.UPLOAD_REPORT, "children"),
    "switch_disabled": Output(ids.UPLOAD_SWITCH, "disabled"),
}
KIND_MESSAGES = {
    "cordis-zip": N_("{name}: a CORDIS download (project, organisation and classification files). "
                     "Press “Check and import” to import it."),
    "dataset-zip": N_("{name}: a zipped dataset folder. Press “Check and import” to validate it."),
}
"""What the dialog says of an upload that needs no column mapping, by its kind."""


def dialog_open(trigger: Any, is_open: bool) -> bool:
    """The dialog after a click: the switch button closes it, the open button toggles it."""
    if trigger == ids.UPLOAD_SWITCH:
        return False
    return not is_open


def receive_upload(root: Path, contents: str | None, filename: str | None,
                   lang: str = "en") -> dict[str, Any]:
    """Keep an uploaded file under ``root`` and fill the dialog in ``lang``: its status, and for
    a spreadsheet the column mapping and a preview. A refused file is said in the status."""
    _ = translator(lang)
    if not contents:
        return dict.fromkeys(RECEIVE_OUTPUTS, no_update)
    cleared = {"mapping": [], "preview": [], "report": [], "switch_disabled": True}
    try:
        upload = uploads.receive(contents, filename or "upload", root)
    except ImportFailure as exc:
        log.warning("upload %r refused: %s", filename, exc)
        return {**cleared, "store": None, "status": status(str(exc), "danger"), "import_disabled": True}
    log.info("upload %r accepted as %s (token %s)", upload.filename, upload.kind, upload.token)
    store = {"token": upload.token, "filename": upload.filename, "kind": upload.kind}
    ready = {**cleared, "store": store, "import_disabled": False}
    if upload.kind in KIND_MESSAGES:
        return {**ready, "status": status(_(KIND_MESSAGES[upload.kind], name=upload.filename))}
    message = _.ngettext("{name}: {n} column. Check the mapping and the preview, then press "
                         "“Check and import”.",
                         "{name}: {n} columns. Check the mapping and the preview, then press "
                         "“Check and import”.", len(upload.columns), name=upload.filename)
    return {**ready, "status": status(message),
            "mapping": mapping_form(mapping_fields(), upload.columns, upload.mapping, lang),
            "preview": preview_grid(upload.preview, lang)}


def chosen_mapping(values: list[Any], fields: list[dict[str, Any]]) -> dict[str, str]:
    """Our field -> the file's column, from the dialog's dropdowns (unchosen ones left out)."""
    return {f["target"]: v for f, v in zip(fields, values, strict=True) if isinstance(v, str) and v}


def _counts(report: ImportReport) -> dict[str, int]:
    return {
        "read": sum(f.rows_read for f in report.files),
        "imported": sum(f.rows_imported for f in report.files),
        "rejected": sum(f.rows_rejected for f in report.files),
    }


def accept_upload(registry: DatasetRegistry, store: Any, mapping: dict[str, str],
                  lang: str = "en") -> dict[str, Any]:
    """Import the upload in ``store`` as a new dataset of ``registry`` and show the report
    (its summary in ``lang``); the store then names the new dataset, which the switch button
    opens."""
    _ = translator(lang)
    if not isinstance(store, dict):
        return dict.fromkeys(ACCEPT_OUTPUTS, no_update)
    filename = str(store.get("filename", "upload"))
    try:
        # Import, validate, index and add in one step that removes its folder on failure,
        # so a refused upload leaves nothing on the server and the dialog says why.
        dataset_id, report = uploads.import_upload(registry, str(store.get("token", "")), mapping, filename)
    except ImportFailure as exc:
        log.warning("import of upload %r refused: %s", filename, exc)
        return {"store": no_update, "report": [status(str(exc), "danger")], "switch_disabled": True}
    except DatasetError as exc:
        log.warning("import of upload %r refused, the data would not load: %s", filename, exc)
        shown = [status(_("The data would not load; nothing was switched."), "danger"),
                 *report_panel(str(exc), {"read": 0, "imported": 0, "rejected": 0}, lang)[1:]]
        return {"store": no_update, "report": shown, "switch_disabled": True}
    log.info("upload %r imported as dataset %s", filename, dataset_id)
    return {"store": {**store, "dataset_id": dataset_id},
            "report": report_panel(report.to_text(), _counts(report), lang), "switch_disabled": False}


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the dialog's callbacks; uploads go under the registry's upload folder."""

    @app.callback(
        Output(ids.UPLOAD_MODAL, "is_open"),
        Input(ids.UPLOAD_OPEN, "n_clicks"),
        Input(ids.UPLOAD_SWITCH, "n_clicks"),
        State(ids.UPLOAD_MODAL, "is_open"),
        prevent_initial_call=True,
    )
    def toggle(open_clicks: int, switch_clicks: int, is_open: bool) -> bool:
        return dialog_open(ctx.triggered_id, is_open)

    @app.callback(
        output=RECEIVE_OUTPUTS,
        inputs=[Input(ids.UPLOAD, "contents")],
        state=[State(ids.UPLOAD, "filename"), State(ids.STATE, "data")],
        prevent_initial_call=True,
    )
    def receive(contents: str | None, filename: str | None, data: dict[str, Any] | None) -> dict[str, Any]:
        # The filter state only for its language: the dialog speaks the page's.
        lang = FilterState.from_dict(data).lang
        return receive_upload(registry.upload_root, contents, filename, lang)

    @app.callback(
        output=ACCEPT_OUTPUTS,
        inputs=[Input(ids.UPLOAD_IMPORT, "n_clicks")],
        state=[State(ids.UPLOAD_STORE, "data"), State(ids.upload_field_id(ALL), "value"),
               State(ids.upload_field_id(ALL), "id"), State(ids.STATE, "data")],
        prevent_initial_call=True,
    )
    def accept(clicks: int, store: Any, values: list[Any], fields: list[dict[str, Any]],
               data: dict[str, Any] | None) -> dict[str, Any]:
        if not clicks:
            return dict.fromkeys(ACCEPT_OUTPUTS, no_update)
        lang = FilterState.from_dict(data).lang
        return accept_upload(registry, store, chosen_mapping(values, fields), lang)
