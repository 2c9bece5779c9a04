"""The presentation and theme controls of the page header.

The Present button and the light/dark switch are ordinary controls of the hub (they change the
filter state, so the URL says the mode and the theme); what they do to the document (full
screen, ``data-bs-theme``, the folded filter bar) is done in the browser by
``assets/presentation.js``, which needs the user's click to ask for full screen.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import ids
from data.io.i18n import translator

APPLY_FUNCTION = ("ket_view", "apply")
"""Namespace and name of the clientside function (assets/presentation.js) that puts a state's
theme and mode on the document."""

FOLDED: dict[str, Any] = {"aria-expanded": "false"}


def presentation_controls(lang: str = "en") -> html.Div:
    """The theme switch, the Present button and the button that leaves presentation mode
    (shown only while presenting; Escape clicks it), in ``lang``."""
    _ = translator(lang)
    return html.Div([
        dbc.Switch(id=ids.THEME, value=False, label=_("Dark theme"), class_name="theme-switch mb-0 me-3",
                   input_class_name="theme-switch-input"),
        dbc.Button(_("Present"), id=ids.PRESENT, color="primary", size="sm", n_clicks=0,
                   className="me-2 present-open",
                   title=_("Full screen, large text, high contrast (Esc leaves)")),
        dbc.Button(_("Leave presentation (Esc)"), id=ids.PRESENT_EXIT, color="secondary", size="sm",
                   n_clicks=0, className="me-2 present-exit"),
        dcc.Store(id=ids.VIEW_APPLIED),
    ], className="d-flex align-items-center presentation-controls")


def unfold_button(lang: str = "en") -> html.Button:
    """Shows or hides the filter controls folded away in presentation mode (the script keeps
    ``aria-expanded`` true to what is shown, and its text: it reads both texts, in ``lang``,
    from ``data-show`` and ``data-hide``)."""
    _ = translator(lang)
    show = _("Show filters")
    texts: dict[str, Any] = {"data-show": show, "data-hide": _("Hide filters")}
    return html.Button(show, id=ids.FILTER_UNFOLD, type="button", n_clicks=0,
                       className="btn btn-outline-secondary btn-sm me-2 filter-unfold",
                       **FOLDED, **texts)
