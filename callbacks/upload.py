"""Callbacks of the upload dialog: receive a file, preview it, import it into a new dataset.

Switching the view to the new dataset is the hub's job (``ids.UPLOAD_SWITCH`` is one of its
inputs, reading ``ids.UPLOAD_STORE``); these callbacks only fill the dialog and the store.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, no_update

from components import ids
from components.upload import mapping_form, preview_grid, report_panel, status
from data.importers.report import ImportFailure
from data.importers.spreadsheet import mapping_fields
from data.io.loader import DatasetError
from server import uploads
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the dialog's callbacks; uploads go under the registry's upload folder."""
    root = registry.upload_root

    @app.callback(
        Output(ids.UPLOAD_MODAL, "is_open"),
        Input(ids.UPLOAD_OPEN, "n_clicks"),
        Input(ids.UPLOAD_SWITCH, "n_clicks"),
        State(ids.UPLOAD_MODAL, "is_open"),
        prevent_initial_call=True,
    )
    def toggle(open_clicks: int, switch_clicks: int, is_open: bool) -> bool:
        if ctx.triggered_id == ids.UPLOAD_SWITCH:
            return False
        return not is_open

    @app.callback(
        Output(ids.UPLOAD_STORE, "data"),
        Output(ids.UPLOAD_STATUS, "children"),
        Output(ids.UPLOAD_MAPPING, "children"),
        Output(ids.UPLOAD_PREVIEW, "children"),
        Output(ids.UPLOAD_REPORT, "children", allow_duplicate=True),
        Output(ids.UPLOAD_IMPORT, "disabled"),
        Output(ids.UPLOAD_SWITCH, "disabled", allow_duplicate=True),
        Input(ids.UPLOAD, "contents"),
        State(ids.UPLOAD, "filename"),
        prevent_initial_call=True,
    )
    def receive(contents: str | None, filename: str | None) -> tuple[Any, ...]:
        if not contents:
            return (no_update,) * 7
        try:
            upload = uploads.receive(contents, filename or "upload", root)
        except ImportFailure as exc:
            log.warning("upload %r refused: %s", filename, exc)
            return None, status(str(exc), "danger"), [], [], [], True, True
        log.info("upload %r accepted as %s (token %s)", upload.filename, upload.kind, upload.token)
        store = {"token": upload.token, "filename": upload.filename, "kind": upload.kind}
        if upload.kind == "cordis-zip":
            message = (f"{upload.filename}: a CORDIS download (project, organisation and "
                       "classification files). Press “Check and import” to import it.")
            return store, status(message), [], [], [], False, True
        if upload.kind == "dataset-zip":
            message = (f"{upload.filename}: a zipped dataset folder. Press “Check and import” to "
                       "validate it.")
            return store, status(message), [], [], [], False, True
        message = (f"{upload.filename}: {len(upload.columns)} columns. Check the mapping and the "
                   "preview, then press “Check and import”.")
        return (store, status(message), mapping_form(mapping_fields(), upload.columns, upload.mapping),
                preview_grid(upload.preview), [], False, True)

    @app.callback(
        Output(ids.UPLOAD_STORE, "data", allow_duplicate=True),
        Output(ids.UPLOAD_REPORT, "children"),
        Output(ids.UPLOAD_SWITCH, "disabled"),
        Input(ids.UPLOAD_IMPORT, "n_clicks"),
        State(ids.UPLOAD_STORE, "data"),
        State(ids.upload_field_id(ALL), "value"),
        State(ids.upload_field_id(ALL), "id"),
        prevent_initial_call=True,
    )
    def accept(
        clicks: int, store: dict[str, Any] | None, values: list[Any], fields: list[dict[str, Any]]
    ) -> tuple[Any, ...]:
        if not clicks or not isinstance(store, dict):
            return no_update, no_update, no_update
        mapping = {f["target"]: v for f, v in zip(fields, values, strict=True) if isinstance(v, str) and v}
        try:
            # Import, validate, index and add in one step that removes its folder on failure,
            # so a refused upload leaves nothing on the server and the dialog says why.
            dataset_id, report = uploads.import_upload(
                registry, str(store.get("token", "")), mapping, str(store.get("filename", "upload")))
        except ImportFailure as exc:
            log.warning("import of upload %r refused: %s", store.get("filename"), exc)
            return no_update, [status(str(exc), "danger")], True
        except DatasetError as exc:
            log.warning("import of upload %r refused, the data would not load: %s",
                        store.get("filename"), exc)
            return no_update, [status("The data would not load; nothing was switched.", "danger"),
                               *report_panel(str(exc), {"read": 0, "imported": 0, "rejected": 0})[1:]], True
        log.info("upload %r imported as dataset %s", store.get("filename"), dataset_id)
        counts = {
            "read": sum(f.rows_read for f in report.files),
            "imported": sum(f.rows_imported for f in report.files),
            "rejected": sum(f.rows_rejected for f in report.files),
        }
        return {**store, "dataset_id": dataset_id}, report_panel(report.to_text(), counts), False
