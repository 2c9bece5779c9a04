"""The share dialog: the view's address as text to copy and as a QR code, both made here.

The QR code is an SVG drawn on the server (segno) and sent as a data URI, so sharing works
offline on a projector laptop and asks no outside service.
"""

from __future__ import annotations

import base64

import dash_bootstrap_components as dbc
import segno
from dash import html

from components import ids
from data.io.i18n import translator

MAX_SHARED_URL = 2_000
"""Longest address drawn as a QR code; a phone's camera cannot read a denser one from a screen."""


def qr_data_uri(text: str) -> str:
    """An SVG QR code of ``text`` as a ``data:`` URI (medium error correction, dark on white)."""
    code = segno.make(text, error="m", micro=False)
    svg = code.svg_inline(scale=4, dark="#000000", light="#ffffff", border=2)
    # An image needs the SVG namespace, which inline SVG for HTML leaves out.
    svg = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def share_dialog(lang: str = "en") -> html.Div:
    """The button that opens the dialog, and the dialog itself (closed), labelled in ``lang``."""
    _ = translator(lang)
    return html.Div([
        dbc.Button(_("Share this view"), id=ids.SHARE_OPEN, color="primary", outline=True, size="sm",
                   n_clicks=0, className="me-2"),
        dbc.Modal([
            dbc.ModalHeader(dbc.ModalTitle(_("Share this view"), id=ids.SHARE_TITLE)),
            dbc.ModalBody([
                html.P(_("This address opens the page exactly as you see it now: the same filters, "
                         "period, project and dataset."), className="small"),
                html.Label(_("Address of this view"), htmlFor=ids.SHARE_URL, className="form-label small"),
                dbc.InputGroup([
                    dbc.Input(id=ids.SHARE_URL, type="text", readonly=True, value=""),
                    dbc.Button(_("Copy"), id=ids.SHARE_COPY, color="secondary", n_clicks=0),
                ], size="sm"),
                html.Div(id=ids.SHARE_COPIED, className="small text-muted mt-1", role="status"),
                html.Img(id=ids.SHARE_QR, alt=_("QR code of this view's address"), className="share-qr mt-3"),
            ]),
        ], id=ids.SHARE_MODAL, is_open=False, size="md", labelledby=ids.SHARE_TITLE),
    ], className="d-flex")
