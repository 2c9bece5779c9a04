"""Callbacks of the share dialog: the view's address, its QR code, and copying it.

The address is read in the browser (``window.location.href``: exactly what the presenter sees,
including any path prefix); the QR code is drawn on the server from it (``share_qr``).
"""

from __future__ import annotations

import logging
from typing import Any

import segno
from dash import Dash, Input, Output, State, no_update

from components import ids
from components.share import MAX_SHARED_URL, qr_data_uri

log = logging.getLogger(__name__)

OPEN_SCRIPT = """function(clicks, isOpen) {
    return [!isOpen, window.location.href];
}"""
COPY_SCRIPT = """function(clicks, url) {
    if (!clicks || !url) { return window.dash_clientside.no_update; }
    const field = document.getElementById('""" + ids.SHARE_URL + """');
    if (field) { field.select(); }
    if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url);
        return 'Copied.';
    }
    return document.execCommand && document.execCommand('copy') ? 'Copied.'
        : 'Selected: press Ctrl+C to copy.';
}"""


def share_qr(url: Any) -> Any:
    """The QR code's image for an address; none for an empty or over-long one."""
    if not isinstance(url, str) or not url:
        return no_update
    if len(url) > MAX_SHARED_URL:
        log.info("share: address of %d characters not drawn as a QR code", len(url))
        return ""
    try:
        return qr_data_uri(url)
    except segno.DataOverflowError:
        # Within the length bound but too many bytes (a crafted address of multi-byte text).
        log.info("share: address of %d characters too dense for a QR code", len(url))
        return ""


def register(app: Dash) -> None:
    """Register the share dialog's callbacks."""
    app.clientside_callback(  # type: ignore[no-untyped-call]
        OPEN_SCRIPT,
        Output(ids.SHARE_MODAL, "is_open"),
        Output(ids.SHARE_URL, "value"),
        Input(ids.SHARE_OPEN, "n_clicks"),
        State(ids.SHARE_MODAL, "is_open"),
        prevent_initial_call=True,
    )
    app.callback(Output(ids.SHARE_QR, "src"), Input(ids.SHARE_URL, "value"),
                 prevent_initial_call=True)(share_qr)
    app.clientside_callback(  # type: ignore[no-untyped-call]
        COPY_SCRIPT,
        Output(ids.SHARE_COPIED, "children"),
        Input(ids.SHARE_COPY, "n_clicks"),
        State(ids.SHARE_URL, "value"),
        prevent_initial_call=True,
    )
