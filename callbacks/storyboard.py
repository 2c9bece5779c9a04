"""Callbacks of the storyboard panel: drawing it from the state, opening it, downloading the file.

Every change of the storyboard (save, remove, move, step, upload, the dataset's own storyboard)
is a hub event (``callbacks/hub.py``, ``callbacks/story_actions.py``), since the storyboard
lives in the state and the address. What is here only reads the state: ``render_storyboard``
draws the panel and the step bar, ``storyboard_download`` makes the file.
"""

from __future__ import annotations

import logging
from typing import Any

from dash import Dash, Input, Output, State, no_update

from callbacks.hub import state_from_url
from callbacks.story_actions import Parse, current_step, read, view_query
from components import ids
from components.storyboard import bar_text, position_text, unreadable, view_list
from data.engine.model import Dataset
from data.engine.state import FilterState
from data.io.i18n import translator
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)

DOWNLOAD_NAME = "storyboard.json"
RENDER_OUTPUTS = {
    "list": Output(ids.STORY_LIST, "children"),
    "position": Output(ids.STORY_POSITION, "children"),
    "prev_disabled": Output(ids.STORY_PREV, "disabled"),
    "next_disabled": Output(ids.STORY_NEXT, "disabled"),
    "bar_hidden": Output(ids.STORY_BAR, "hidden"),
    "bar_text": Output(ids.STORY_BAR_TEXT, "children"),
    "bar_note": Output(ids.STORY_BAR_NOTE, "children"),
    "bar_prev_disabled": Output(ids.STORY_BAR_PREV, "disabled"),
    "bar_next_disabled": Output(ids.STORY_BAR_NEXT, "disabled"),
    "folder_hidden": Output(ids.STORY_FOLDER, "hidden"),
    "folder_text": Output(ids.STORY_FOLDER_TEXT, "children"),
    "folder_disabled": Output(ids.STORY_FOLDER_OPEN, "disabled"),
    "download_disabled": Output(ids.STORY_DOWNLOAD_BUTTON, "disabled"),
}
TOGGLE_SCRIPT = """function(opened, closed, hidden) {
    const trigger = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || '';
    const open = trigger.startsWith('""" + ids.STORY_CLOSE + """.') ? false : Boolean(hidden);
    // Focus goes into the panel when it opens and back to its button when it closes.
    setTimeout(function() {
        const target = document.getElementById(open ? '""" + ids.STORY_TITLE + """'
                                                    : '""" + ids.STORY_OPEN + """');
        if (target) { target.focus(); }
    }, 0);
    return [!open, open ? 'true' : 'false'];
}"""


def _folder_offer(dataset: Dataset, lang: str = "en") -> tuple[bool, str, bool]:
    """(hidden, text, button disabled) of the offer of the dataset's own storyboard, in ``lang``."""
    _ = translator(lang)
    if dataset.storyboard_problem:
        return False, _("This dataset's storyboard could not be read: {problem}",
                        problem=_.message(dataset.storyboard_problem)), True
    board = dataset.storyboard
    if board is None or not board.views:
        return True, "", True
    count = len(board.views)
    if board.title:
        text = _.ngettext("This dataset comes with a storyboard, “{title}” ({n} view): ",
                          "This dataset comes with a storyboard, “{title}” ({n} views): ", count,
                          title=board.title)
    else:
        text = _.ngettext("This dataset comes with a storyboard ({n} view): ",
                          "This dataset comes with a storyboard ({n} views): ", count)
    return False, text, False


def render_storyboard(dataset: Dataset, state: FilterState, parse: Parse) -> dict[str, Any]:
    """The panel's list, position and buttons, the step bar and the offer of the dataset's
    storyboard, for ``state`` (``parse`` reads a saved view's query, to tell whether the view
    shown still is the one saved). In the state's language."""
    lang = state.lang
    _ = translator(lang)
    board, problem = read(state.story)
    step = current_step(state, board)
    changed = False
    if step is not None:
        saved, _found = parse(board.views[step - 1].query)
        # The maps' zoom and centre do not make the view another: panning while presenting is
        # not an edit (and the panel redraws from the state without them, so a pan costs none).
        changed = view_query(saved.without_map_views) != view_query(state.without_map_views)
    listed: Any = view_list(board, step, changed, lang)
    if problem:
        listed = unreadable(problem, lang)
    count = len(board.views)
    first, last = step is None or step <= 1, step is not None and step >= count
    folder_hidden, folder_text, folder_disabled = _folder_offer(dataset, lang)
    note = board.views[step - 1].note if step is not None else ""
    return {
        "list": listed,
        "position": position_text(board, step, lang),
        "prev_disabled": first or not count,
        "next_disabled": last or not count,
        "bar_hidden": not count,
        "bar_text": (bar_text(board, step, lang) + (" " + _("(changed)") if changed else ""))
        if count else "",
        "bar_note": note,
        "bar_prev_disabled": first or not count,
        "bar_next_disabled": last or not count,
        "folder_hidden": folder_hidden,
        "folder_text": folder_text,
        "folder_disabled": folder_disabled,
        "download_disabled": not count,
    }


def storyboard_download(clicks: Any, data: dict[str, Any] | None) -> Any:
    """The storyboard of the state as ``storyboard.json`` for ``dcc.Download``; nothing when
    there is none (or the address's cannot be read)."""
    if not clicks:
        return no_update
    board, problem = read(FilterState.from_dict(data).story)
    if problem or not board.views:
        log.info("storyboard download refused: %s", problem or "no views")
        return no_update
    return {"content": board.to_json(), "filename": DOWNLOAD_NAME, "type": "application/json"}


def register(app: Dash, registry: DatasetRegistry) -> None:
    """Register the storyboard panel's callbacks over the datasets of ``registry``."""

    def parse(query: str) -> Any:
        return state_from_url(query, registry)

    @app.callback(output=RENDER_OUTPUTS, inputs=[Input(ids.VIEW_FILTERS, "data")])
    def storyboard(data: dict[str, Any] | None) -> dict[str, Any]:
        state = FilterState.from_dict(data)
        return render_storyboard(registry.resolve(state.dataset), state, parse)

    app.callback(Output(ids.STORY_DOWNLOAD, "data"), Input(ids.STORY_DOWNLOAD_BUTTON, "n_clicks"),
                 State(ids.STATE, "data"), prevent_initial_call=True)(storyboard_download)
    app.clientside_callback(  # type: ignore[no-untyped-call]
        TOGGLE_SCRIPT,
        Output(ids.STORY_PANEL, "hidden"),
        Output(ids.STORY_OPEN, "aria-expanded"),
        Input(ids.STORY_OPEN, "n_clicks"),
        Input(ids.STORY_CLOSE, "n_clicks"),
        State(ids.STORY_PANEL, "hidden"),
        prevent_initial_call=True,
    )
