"""The storyboard: its panel (save this view, the saved views, stepping, file in and out) and
the step bar that stays on the page while a storyboard is shown.

The layout here is static; the callbacks fill it from the filter state (``view_list``,
``position_text``, ``bar_text``). Every control is a real ``<button>`` with an accessible name,
every field has a label. The step bar is its own component with its own class
(``story-stepbar``), so presentation mode can style it; ``assets/storyboard.js`` clicks its
previous and next buttons on the arrow keys, so the keyboard goes the way the mouse goes.
"""

from __future__ import annotations

from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import ids
from components.a11y import aria
from data.engine.storyboard import MAX_FILE_BYTES, MAX_NOTE, MAX_TITLE, Storyboard
from data.io.i18n import N_, translator

BUTTON = "btn btn-sm btn-outline-secondary"
PRIMARY = "btn btn-sm btn-primary"
ACTIONS = (("show", N_("Show")), ("up", N_("Move up")), ("down", N_("Move down")),
           ("remove", N_("Remove")))
"""A saved view's buttons: the action of its id and the text it shows."""
UPLOAD_MAX_SIZE = 4 * MAX_FILE_BYTES
"""What the browser sends at all: a file somewhat over the bound still reaches the server, which
says it is too large (the browser drops a larger one without a word)."""


def _button(text: str, component_id: str | dict[str, Any], label: str | None = None,
            class_name: str = BUTTON, disabled: bool = False) -> html.Button:
    attrs = aria(label=label) if label else {}
    return html.Button(text, id=component_id, n_clicks=0, type="button", className=class_name,
                       disabled=disabled, **attrs)


def open_button(lang: str = "en") -> html.Button:
    """The header's button that opens and closes the panel, in ``lang``."""
    _ = translator(lang)
    return html.Button(_("Storyboard"), id=ids.STORY_OPEN, n_clicks=0, type="button",
                       className="btn btn-sm btn-outline-primary me-2",
                       **aria(expanded="false", controls=ids.STORY_PANEL))


def position_text(board: Storyboard, step: int | None, lang: str = "en") -> str:
    """'View 2 of 3', or what to press when no view of the storyboard is shown, in ``lang``."""
    _ = translator(lang)
    count = len(board.views)
    if not count:
        return _("No saved views yet.")
    if step is None:
        return _.ngettext("{n} saved view: press Next to show the first.",
                          "{n} saved views: press Next to show the first.", count)
    return _("View {step} of {count}", step=step, count=count)


def bar_text(board: Storyboard, step: int | None, lang: str = "en") -> str:
    """The step bar's text in ``lang``: '2 of 3: <title>'."""
    _ = translator(lang)
    count = len(board.views)
    if step is None:
        return _.ngettext("Storyboard: {n} view", "Storyboard: {n} views", count)
    return _("{step} of {count}: {title}", step=step, count=count, title=board.views[step - 1].title)


def view_list(board: Storyboard, step: int | None, changed: bool = False,
              lang: str = "en") -> html.Ol | html.P:
    """The saved views in order, each with its title, note and buttons (show, move up, move
    down, remove), named for the view so a screen reader says which view a button acts on.
    ``changed`` marks the view shown as changed since it was saved. In ``lang``."""
    _ = translator(lang)
    if not board.views:
        return html.P(_("Save the view on screen to start a storyboard."),
                      className="small text-muted mb-0")
    items = []
    last = len(board.views) - 1
    for index, view in enumerate(board.views):
        number = index + 1
        current = number == step
        buttons = []
        for action, text in ACTIONS:
            disabled = (action == "up" and index == 0) or (action == "down" and index == last)
            shown = _.message(text)
            buttons.append(_button(shown, ids.story_action_id(action, index),
                                   _("{action} view {number}: {title}", action=shown,
                                     number=number, title=view.title),
                                   PRIMARY if action == "show" and not current else BUTTON, disabled))
        heading: list[Any] = [html.Span(f"{number}. ", className="story-number"), view.title]
        if current:
            heading.append(html.Span(" " + (_("(shown, changed since saved)") if changed
                                            else _("(shown)")), className="small text-muted"))
        items.append(html.Li([
            html.H3(heading, className="story-view-title"),
            html.P(view.note, className="story-view-note small mb-1") if view.note else None,
            html.Div(buttons, className="story-view-buttons", role="group",
                     **aria(label=_("View {number}: {title}", number=number, title=view.title))),
        ], className="story-view" + (" story-view-current" if current else ""),
            **(aria(current="step") if current else {})))
    return html.Ol(items, className="story-views list-unstyled mb-0")


def unreadable(problem: str, lang: str = "en") -> html.P:
    """What the list says, in ``lang``, when the address's storyboard cannot be read."""
    _ = translator(lang)
    return html.P(_("The storyboard in this address could not be read ({problem}). Save a view "
                    "to start a new one, or open a storyboard file.", problem=_.message(problem)),
                  className="small text-danger mb-0")


def storyboard_panel(lang: str = "en") -> html.Section:
    """The panel, closed, in ``lang``: the storyboard of the dataset on offer, saving the view
    on screen, the saved views, previous / next, and the storyboard as a file."""
    _ = translator(lang)
    heading = ids.STORY_PANEL_HEADING
    upload_name: dict[str, Any] = {"data-input-name": _("Open a storyboard file (.json)")}
    return html.Section([
        html.Div([
            html.H2(_("Storyboard"), id=heading, className="card-title"),
            _button(_("Close"), ids.STORY_CLOSE, _("Close the storyboard panel")),
        ], className="d-flex justify-content-between align-items-center"),
        html.P(_("Save views with a title and a note, put them in order and step through them "
                 "with Previous / Next or the arrow keys. The storyboard travels in the page's "
                 "address, or as a file."), className="small text-muted"),
        html.Div([
            html.Span(id=ids.STORY_FOLDER_TEXT, className="me-2"),
            _button(_("Open it"), ids.STORY_FOLDER_OPEN,
                    _("Open it: the storyboard that comes with this dataset"), PRIMARY),
        ], id=ids.STORY_FOLDER, className="story-folder alert alert-info py-2 small", hidden=True),
        dbc.Row([
            dbc.Col([
                html.Label(_("Title of this view"), htmlFor=ids.STORY_TITLE,
                           className="form-label small mb-0"),
                dbc.Input(id=ids.STORY_TITLE, type="text", value="", maxLength=MAX_TITLE, size="sm",
                          placeholder=_("e.g. Partners in Germany")),
                html.Label(_("Note for the audience"), htmlFor=ids.STORY_NOTE,
                           className="form-label small mb-0 mt-1"),
                dbc.Textarea(id=ids.STORY_NOTE, value="", maxLength=MAX_NOTE, rows=2, size="sm"),
                _button(_("Save this view"), ids.STORY_SAVE, None, PRIMARY + " mt-2"),
                html.Div(id=ids.STORY_STATUS, role="status", className="small mt-2"),
            ], lg=4),
            dbc.Col([
                html.Div([
                    _button(_("‹ Previous"), ids.STORY_PREV, _("Previous view")),
                    html.Span(id=ids.STORY_POSITION, className="story-position mx-2 small"),
                    _button(_("Next ›"), ids.STORY_NEXT, _("Next view")),
                ], className="d-flex align-items-center mb-2", role="group",
                    **aria(label=_("Step through the storyboard"))),
                html.Div(id=ids.STORY_LIST, className="story-list"),
            ], lg=5),
            dbc.Col([
                html.Div([
                    _button(_("Download storyboard (JSON)"), ids.STORY_DOWNLOAD_BUTTON),
                    dcc.Download(id=ids.STORY_DOWNLOAD),
                ], className="mb-2"),
                # dcc.Upload's file input has no id to label; assets/storyboard.js names it.
                html.Div(_("Open a storyboard file"), className="form-label small mb-0", **upload_name),
                dcc.Upload(id=ids.STORY_UPLOAD, accept=".json,application/json", multiple=False,
                           max_size=UPLOAD_MAX_SIZE, className="story-upload",
                           children=html.Div([_("Drop storyboard.json here or") + " ",
                                              html.Span(_("choose a file"), className="story-upload-link")])),
                html.P(_("A storyboard.json of at most {kb} KB; it replaces the storyboard above.",
                         kb=MAX_FILE_BYTES // 1024), className="small text-muted mt-1 mb-0"),
            ], lg=3),
        ], className="g-3"),
    ], id=ids.STORY_PANEL, hidden=True, className="story-panel card card-body mb-2",
        **aria(labelledby=heading))


def step_bar(lang: str = "en") -> html.Nav:
    """The compact bar shown while a storyboard is active, in ``lang``: previous,
    '2 of 3: <title>', next, and the note of the view shown."""
    _ = translator(lang)
    return html.Nav([
        html.Div([
            _button("‹", ids.STORY_BAR_PREV, _("Previous view of the storyboard")),
            html.Span(id=ids.STORY_BAR_TEXT, className="story-stepbar-text", **aria(live="polite")),
            _button("›", ids.STORY_BAR_NEXT, _("Next view of the storyboard")),
        ], className="story-stepbar-controls"),
        html.P(id=ids.STORY_BAR_NOTE, className="story-stepbar-note mb-0"),
    ], id=ids.STORY_BAR, hidden=True, className="story-stepbar", **aria(label=_("Storyboard")))


def status_message(text: str, tone: str = "info") -> html.Div:
    """What the panel says after an action, in a Bootstrap alert's colour (``tone``)."""
    return html.Div(text, className=f"alert alert-{tone} py-1 px-2 mb-0")
