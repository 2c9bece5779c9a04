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
from data.engine.storyboard import MAX_FILE_BYTES, MAX_NOTE, MAX_TITLE, Storyboard

BUTTON = "btn btn-sm btn-outline-secondary"
PRIMARY = "btn btn-sm btn-primary"
ACTIONS = (("show", "Show"), ("up", "Move up"), ("down", "Move down"), ("remove", "Remove"))
"""A saved view's buttons: the action of its id and the text it shows."""
UPLOAD_MAX_SIZE = 4 * MAX_FILE_BYTES
"""What the browser sends at all: a file somewhat over the bound still reaches the server, which
says it is too large (the browser drops a larger one without a word)."""


def _aria(**attrs: str) -> dict[str, Any]:
    """ARIA attributes as Dash props (``label`` -> ``aria-label``)."""
    return {f"aria-{name}": value for name, value in attrs.items()}


def _button(text: str, component_id: str | dict[str, Any], label: str | None = None,
            class_name: str = BUTTON, disabled: bool = False) -> html.Button:
    attrs = _aria(label=label) if label else {}
    return html.Button(text, id=component_id, n_clicks=0, type="button", className=class_name,
                       disabled=disabled, **attrs)


def open_button() -> html.Button:
    """The header's button that opens and closes the panel."""
    return html.Button("Storyboard", id=ids.STORY_OPEN, n_clicks=0, type="button",
                       className="btn btn-sm btn-outline-primary me-2",
                       **_aria(expanded="false", controls=ids.STORY_PANEL))


def position_text(board: Storyboard, step: int | None) -> str:
    """'View 2 of 3', or what to press when no view of the storyboard is shown."""
    count = len(board.views)
    if not count:
        return "No saved views yet."
    if step is None:
        return f"{count} saved view{'s' if count != 1 else ''}: press Next to show the first."
    return f"View {step} of {count}"


def bar_text(board: Storyboard, step: int | None) -> str:
    """The step bar's text: '2 of 3: <title>'."""
    count = len(board.views)
    if step is None:
        return f"Storyboard: {count} view{'s' if count != 1 else ''}"
    return f"{step} of {count}: {board.views[step - 1].title}"


def view_list(board: Storyboard, step: int | None, changed: bool = False) -> html.Ol | html.P:
    """The saved views in order, each with its title, note and buttons (show, move up, move
    down, remove), named for the view so a screen reader says which view a button acts on.
    ``changed`` marks the view shown as changed since it was saved."""
    if not board.views:
        return html.P("Save the view on screen to start a storyboard.", className="small text-muted mb-0")
    items = []
    last = len(board.views) - 1
    for index, view in enumerate(board.views):
        number = index + 1
        current = number == step
        buttons = []
        for action, text in ACTIONS:
            disabled = (action == "up" and index == 0) or (action == "down" and index == last)
            buttons.append(_button(text, ids.story_action_id(action, index),
                                   f"{text} view {number}: {view.title}",
                                   PRIMARY if action == "show" and not current else BUTTON, disabled))
        heading: list[Any] = [html.Span(f"{number}. ", className="story-number"), view.title]
        if current:
            heading.append(html.Span(" (shown, changed since saved)" if changed else " (shown)",
                                     className="small text-muted"))
        items.append(html.Li([
            html.H3(heading, className="story-view-title"),
            html.P(view.note, className="story-view-note small mb-1") if view.note else None,
            html.Div(buttons, className="story-view-buttons", role="group",
                     **_aria(label=f"View {number}: {view.title}")),
        ], className="story-view" + (" story-view-current" if current else ""),
            **(_aria(current="step") if current else {})))
    return html.Ol(items, className="story-views list-unstyled mb-0")


def unreadable(problem: str) -> html.P:
    """What the list says when the address's storyboard cannot be read."""
    return html.P(f"The storyboard in this address could not be read ({problem}). Save a view "
                  "to start a new one, or open a storyboard file.", className="small text-danger mb-0")


def storyboard_panel() -> html.Section:
    """The panel, closed: the storyboard of the dataset on offer, saving the view on screen,
    the saved views, previous / next, and the storyboard as a file."""
    heading = ids.STORY_PANEL_HEADING
    return html.Section([
        html.Div([
            html.H2("Storyboard", id=heading, className="card-title"),
            _button("Close", ids.STORY_CLOSE, "Close the storyboard panel"),
        ], className="d-flex justify-content-between align-items-center"),
        html.P("Save views with a title and a note, put them in order and step through them "
               "with Previous / Next or the arrow keys. The storyboard travels in the page's "
               "address, or as a file.", className="small text-muted"),
        html.Div([
            html.Span(id=ids.STORY_FOLDER_TEXT, className="me-2"),
            _button("Open it", ids.STORY_FOLDER_OPEN, "Open it: the storyboard that comes with this dataset",
                    PRIMARY),
        ], id=ids.STORY_FOLDER, className="story-folder alert alert-info py-2 small", hidden=True),
        dbc.Row([
            dbc.Col([
                html.Label("Title of this view", htmlFor=ids.STORY_TITLE, className="form-label small mb-0"),
                dbc.Input(id=ids.STORY_TITLE, type="text", value="", maxLength=MAX_TITLE, size="sm",
                          placeholder="e.g. Partners in Germany"),
                html.Label("Note for the audience", htmlFor=ids.STORY_NOTE,
                           className="form-label small mb-0 mt-1"),
                dbc.Textarea(id=ids.STORY_NOTE, value="", maxLength=MAX_NOTE, rows=2, size="sm"),
                _button("Save this view", ids.STORY_SAVE, None, PRIMARY + " mt-2"),
                html.Div(id=ids.STORY_STATUS, role="status", className="small mt-2"),
            ], lg=4),
            dbc.Col([
                html.Div([
                    _button("‹ Previous", ids.STORY_PREV, "Previous view"),
                    html.Span(id=ids.STORY_POSITION, className="story-position mx-2 small"),
                    _button("Next ›", ids.STORY_NEXT, "Next view"),
                ], className="d-flex align-items-center mb-2", role="group",
                    **_aria(label="Step through the storyboard")),
                html.Div(id=ids.STORY_LIST, className="story-list"),
            ], lg=5),
            dbc.Col([
                html.Div([
                    _button("Download storyboard (JSON)", ids.STORY_DOWNLOAD_BUTTON),
                    dcc.Download(id=ids.STORY_DOWNLOAD),
                ], className="mb-2"),
                # dcc.Upload's file input has no id to label; assets/storyboard.js names it.
                html.Div("Open a storyboard file", className="form-label small mb-0"),
                dcc.Upload(id=ids.STORY_UPLOAD, accept=".json,application/json", multiple=False,
                           max_size=UPLOAD_MAX_SIZE, className="story-upload",
                           children=html.Div(["Drop storyboard.json here or ",
                                              html.Span("choose a file", className="story-upload-link")])),
                html.P(f"A storyboard.json of at most {MAX_FILE_BYTES // 1024} KB; it replaces the "
                       "storyboard above.", className="small text-muted mt-1 mb-0"),
            ], lg=3),
        ], className="g-3"),
    ], id=ids.STORY_PANEL, hidden=True, className="story-panel card card-body mb-2",
        **_aria(labelledby=heading))


def step_bar() -> html.Nav:
    """The compact bar shown while a storyboard is active: previous, '2 of 3: <title>', next,
    and the note of the view shown."""
    return html.Nav([
        html.Div([
            _button("‹", ids.STORY_BAR_PREV, "Previous view of the storyboard"),
            html.Span(id=ids.STORY_BAR_TEXT, className="story-stepbar-text", **_aria(live="polite")),
            _button("›", ids.STORY_BAR_NEXT, "Next view of the storyboard"),
        ], className="story-stepbar-controls"),
        html.P(id=ids.STORY_BAR_NOTE, className="story-stepbar-note mb-0"),
    ], id=ids.STORY_BAR, hidden=True, className="story-stepbar", **_aria(label="Storyboard"))


def status_message(text: str, tone: str = "info") -> html.Div:
    """What the panel says after an action, in a Bootstrap alert's colour (``tone``)."""
    return html.Div(text, className=f"alert alert-{tone} py-1 px-2 mb-0")
