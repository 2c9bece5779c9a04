"""Callbacks of the comparison: drawing the panel, the table's 'Compare' button, ``/compare``.

The comparison lives in the filter state (``compare=a,b`` in the address, ``FilterState.compare``),
so the hub owns it like any other choice: 'Compare' writes the ticked ids to a store the hub
listens to (``callbacks/interactions.py`` ``on_compare``), the close button is a hub input.
What is here only reads the state: ``render_compare`` draws the panel, ``compare_button``
labels the button after the rows ticked, and ``/compare?projects=a,b`` is sent on to the page
with ``?compare=a,b`` (the address a presenter shares). The view report (HTML, PDF,
``callbacks/report.py``) draws ``render_compare``'s timeline and table too.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

import dash_bootstrap_components as dbc
import flask
from dash import Dash, Input, Output, State

from callbacks.views import vocabularies
from components import ids
from components.compare import compare_body, compare_button_label, compare_hint
from components.compare_figure import compare_timeline
from components.figure_kit import Figure
from data.engine.compare import CompareError, compare, periods
from data.engine.model import Dataset
from data.engine.state import COMPARE_MAX, COMPARE_MIN, FilterState
from data.io.i18n import translator
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)

PAGE_PATH = "/compare"
MAX_TICKED = 500
"""Rows ticked beyond this are not counted one by one (the button is disabled anyway)."""
RENDER_OUTPUTS = {
    "style": Output(ids.COMPARE, "style"),
    "body": Output(ids.COMPARE_BODY, "children"),
    "figure": Output(ids.COMPARE_TIMELINE, "figure"),
}
BUTTON_OUTPUTS = {
    "label": Output(ids.COMPARE_BUTTON, "children"),
    "disabled": Output(ids.COMPARE_BUTTON, "disabled"),
    "hint": Output(ids.COMPARE_HINT, "children"),
}
HIDDEN = {"display": "none"}


def render_compare(dataset: Dataset, state: FilterState) -> dict[str, Any]:
    """The comparison panel of ``state``: hidden without a comparison; its timeline and table
    with one; what is wrong when its ids are not projects of ``dataset``."""
    if not state.compare:
        return {"style": HIDDEN, "body": [], "figure": Figure([], {})}
    try:
        comparison = compare(dataset, state.compare, state.inferred, state.lang)
    except CompareError as error:
        log.warning("comparison of %s refused: %s", ",".join(state.compare), error.message)
        _ = translator(state.lang)
        return {"style": {"display": "block"}, "figure": Figure([], {}),
                "body": [dbc.Alert(_("These projects cannot be compared: {reason}", reason=error.message),
                                   color="warning")]}
    overlap = comparison.overlap
    shaded = (overlap.start, overlap.end) if overlap.start and overlap.end else None
    tags = {d: vocabularies(dataset, state.lang)[d] for d in ("ket", "sector")}
    return {"style": {"display": "block"},
            "body": compare_body(comparison, state, tags),
            "figure": compare_timeline(periods(comparison), shaded, state)}


def compare_button(ticked: Any, lang: str = "en") -> dict[str, Any]:
    """The 'Compare (n)' button and its hint for the table's ticked rows (``selectedRows``)."""
    n = min(len(ticked), MAX_TICKED) if isinstance(ticked, list) else 0
    return {"label": compare_button_label(n, lang), "disabled": not COMPARE_MIN <= n <= COMPARE_MAX,
            "hint": compare_hint(n, lang)}


def page_redirect(args: dict[str, list[str]]) -> str:
    """The page's address for ``/compare?projects=a,b&...``: ``?compare=a,b`` and the other
    parameters as they came (the page notices any it does not understand)."""
    pairs = [(name, value) for name, values in args.items() if name not in ("projects", "compare")
             for value in values]
    projects = (args.get("projects") or args.get("compare") or [""])[-1][:2000]
    return urlencode([("compare", projects), *pairs] if projects else pairs, safe=",-")


# The part of the state the panel draws from, written only when it changes: a filter or a pan
# redraws no comparison.
COMPARE_VIEW_SCRIPT = """function(data, previous) {
    const d = data || {};
    const next = {compare: d.compare || [], dataset: d.dataset || null, lang: d.lang || 'en',
                  inferred: d.inferred !== false, theme: d.theme || 'light', present: !!d.present};
    if (previous && JSON.stringify(previous) === JSON.stringify(next)) {
        return window.dash_clientside.no_update;
    }
    return next;
}"""
# 'Compare' hands the ticked ids to the hub (through the store), and asks for the panel to be
# scrolled to once drawn.
REQUEST_SCRIPT = """function(clicks, rows) {
    if (!clicks) { return window.dash_clientside.no_update; }
    window.__ketCompareScroll = true;
    return {ids: (rows || []).map(r => r && r.id).filter(Boolean), at: Date.now()};
}"""
SCROLL_SCRIPT = """function(body) {
    if (window.__ketCompareScroll && body && body.length) {
        window.__ketCompareScroll = false;
        const panel = document.getElementById('""" + ids.COMPARE + """');
        const title = document.getElementById('""" + ids.COMPARE_TITLE + """');
        if (panel) { panel.scrollIntoView({block: 'start'}); }
        if (title) { title.focus({preventScroll: true}); }
    }
    return window.dash_clientside.no_update;
}"""


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the comparison's callbacks and the ``/compare`` address."""
    app.clientside_callback(  # type: ignore[no-untyped-call]
        COMPARE_VIEW_SCRIPT, Output(ids.COMPARE_VIEW, "data"), Input(ids.STATE, "data"),
        State(ids.COMPARE_VIEW, "data"))

    @app.callback(output=RENDER_OUTPUTS, inputs=[Input(ids.COMPARE_VIEW, "data")])
    def draw(data: dict[str, Any] | None) -> dict[str, Any]:
        state = FilterState.from_dict(data)
        return render_compare(registry.resolve(state.dataset), state)

    @app.callback(output=BUTTON_OUTPUTS, inputs=[Input(ids.TABLE, "selectedRows")],
                  state=[State(ids.COMPARE_VIEW, "data")], prevent_initial_call=True)
    def button(rows: Any, data: dict[str, Any] | None) -> dict[str, Any]:
        return compare_button(rows, FilterState.from_dict(data).lang)

    app.clientside_callback(  # type: ignore[no-untyped-call]
        REQUEST_SCRIPT, Output(ids.COMPARE_REQUEST, "data"), Input(ids.COMPARE_BUTTON, "n_clicks"),
        State(ids.TABLE, "selectedRows"), prevent_initial_call=True)
    app.clientside_callback(  # type: ignore[no-untyped-call]
        SCROLL_SCRIPT, Output(ids.COMPARE_BODY, "className"), Input(ids.COMPARE_BODY, "children"),
        prevent_initial_call=True)

    page: str = app.get_relative_path("/")  # type: ignore[no-untyped-call]
    server: flask.Flask = app.server

    @server.get(PAGE_PATH)
    def compare_page() -> Any:
        query = page_redirect(flask.request.args.to_dict(flat=False))
        return flask.redirect(page + (f"?{query}" if query else ""), code=302)
