"""What each storyboard action does to the filter state: small pure functions, tested without Dash.

The storyboard lives in the address: ``FilterState.story`` is its token
(``data.engine.storyboard.encode``), so a reload or a shared link keeps it, and ``step`` says
which of its views is shown. Each action decodes the token, changes the storyboard and encodes
it again. A saved view keeps the page's query without the presenter's own parameters
(``PRESENTER_PARAMS``: the storyboard, the step, presentation mode, theme, language); showing a
view parses its query against its dataset like an address (``Parse``), so a value that no
longer applies becomes a notice, and keeps the presenter's parameters.

A storyboard whose token would be longer than an address carries (``MAX_STORY_LENGTH``) is
refused and the state stays as it was: the presenter is told to download the storyboard as a
file (a save), or to split the file (an upload). None of these raises on odd input; what went
wrong is said in ``StoryResult.status``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from data.engine.state import MAX_STORY_LENGTH, FilterState, Notice
from data.engine.storyboard import (
    MAX_FILE_BYTES,
    MAX_NOTE,
    MAX_TITLE,
    MAX_VIEWS,
    Storyboard,
    StoryboardError,
    StoryView,
    decode,
    encode,
    from_json,
)
from data.io.data_url import DataUrlError, decode_data_url
from data.io.i18n import translator

log = logging.getLogger(__name__)

PRESENTER_PARAMS = ("story", "step", "present", "theme", "lang")
"""What belongs to the presenter, not to a view: kept when a view is shown, left out when saved."""

Parse = Callable[[str], tuple[FilterState, list[Notice]]]
"""Reads a view's query into a state (against the dataset it names) and its notices."""


@dataclass(frozen=True)
class StoryResult:
    """The state after an action, the notices of the view it shows, and what the panel says
    (``status``, in the ``tone`` of a Bootstrap alert: success, info, warning or danger)."""

    state: FilterState
    notices: tuple[Notice, ...] = ()
    status: str = ""
    tone: str = "info"


def read(token: str) -> tuple[Storyboard, str]:
    """The storyboard of a token, and why it could not be read ("" if it could; then the
    storyboard is empty)."""
    try:
        return decode(token), ""
    except StoryboardError as error:
        return Storyboard(), str(error)


def view_query(state: FilterState) -> str:
    """The query a saved view keeps: the state's, without the presenter's parameters."""
    return replace(state, story="", step=None, present=False, theme="light", lang="en").to_query()


def current_step(state: FilterState, board: Storyboard) -> int | None:
    """The 1-based number of the view shown, or None if the state's step is not one of the
    board's views (no step, or a step past the end of a shorter storyboard)."""
    return state.step if state.step is not None and 1 <= state.step <= len(board.views) else None


def _too_long(length: int, lang: str) -> str:
    _ = translator(lang)
    return _("its address would be {length} characters long, more than the {limit} a link can carry",
             length=_.number(length), limit=_.number(MAX_STORY_LENGTH))


def _with_board(state: FilterState, board: Storyboard, step: int | None) -> FilterState | str:
    """The state carrying ``board`` (and ``step``), or why the board cannot go in the address
    (in the state's language)."""
    token = encode(board)
    if len(token) > MAX_STORY_LENGTH:
        return _too_long(len(token), state.lang)
    return replace(state, story=token, step=step if board.views else None)


def _unreadable(state: FilterState, problem: str) -> StoryResult:
    _ = translator(state.lang)
    return StoryResult(state, status=_("The storyboard in this address could not be read ({problem}).",
                                       problem=_.message(problem)), tone="danger")


def save_view(state: FilterState, title: Any, note: Any) -> StoryResult:
    """Add the view on screen to the end of the storyboard, titled ``title`` (or "View n")."""
    _ = translator(state.lang)
    board, problem = read(state.story)
    title = " ".join(title.split())[:MAX_TITLE] if isinstance(title, str) else ""
    note = note.strip()[:MAX_NOTE] if isinstance(note, str) else ""
    if len(board.views) >= MAX_VIEWS:
        return StoryResult(state, status=_("Not saved: a storyboard holds at most {n} views.", n=MAX_VIEWS),
                           tone="warning")
    number = len(board.views) + 1
    view = StoryView(title=title or _("View {number}", number=number), note=note, query=view_query(state))
    new = _with_board(state, board.with_views([*board.views, view]), number)
    if isinstance(new, str):
        return StoryResult(state, tone="warning", status=(
            _("“{title}” was not saved: {problem}. Download the storyboard as a file to keep "
              "what you have, then start another one for the next views (or shorten the notes).",
              title=view.title, problem=new)))
    started = (" " + _("The old one could not be read ({problem}), so a new one was started.",
                       problem=_.message(problem))) if problem else ""
    return StoryResult(new, status=_("Saved “{title}” as view {number} of {count}.", title=view.title,
                                     number=number, count=number) + started, tone="success")


def remove_view(state: FilterState, index: Any) -> StoryResult:
    """Take out the view at ``index`` (0-based); the view shown stays shown."""
    board, problem = read(state.story)
    if problem:
        return _unreadable(state, problem)
    if not isinstance(index, int) or not 0 <= index < len(board.views):
        return StoryResult(state)
    views = [v for i, v in enumerate(board.views) if i != index]
    shown = current_step(state, board)
    step = None if shown is None or shown == index + 1 else shown - (shown > index + 1)
    new = _with_board(state, board.with_views(views), step)
    if isinstance(new, str):  # a shorter board always fits; kept for the type
        return StoryResult(state, status=new, tone="danger")
    if not views:
        new = replace(new, story="", step=None)
    _ = translator(state.lang)
    return StoryResult(new, status=_("Removed “{title}”.", title=board.views[index].title), tone="info")


def move_view(state: FilterState, index: Any, offset: int) -> StoryResult:
    """Move the view at ``index`` (0-based) up (``offset`` -1) or down (+1); the view shown
    moves with it."""
    board, problem = read(state.story)
    if problem:
        return _unreadable(state, problem)
    target = index + offset if isinstance(index, int) else -1
    if not isinstance(index, int) or not (0 <= index < len(board.views) and 0 <= target < len(board.views)):
        return StoryResult(state)
    views = list(board.views)
    views[index], views[target] = views[target], views[index]
    shown = current_step(state, board)
    if shown is not None:
        swap = {index + 1: target + 1, target + 1: index + 1}
        shown = swap.get(shown, shown)
    new = _with_board(state, board.with_views(views), shown)
    if isinstance(new, str):
        return StoryResult(state, status=new, tone="danger")
    _ = translator(state.lang)
    return StoryResult(new, status=_("Moved “{title}” to position {position}.", title=views[target].title,
                                     position=target + 1))


def show_view(state: FilterState, number: Any, parse: Parse) -> StoryResult:
    """Show view ``number`` (1-based): its query, parsed like an address, with the presenter's
    storyboard, presentation mode, theme and language kept, and ``step`` set to it."""
    board, problem = read(state.story)
    if problem:
        return _unreadable(state, problem)
    if not isinstance(number, int) or not 1 <= number <= len(board.views):
        return StoryResult(state)
    view = board.views[number - 1]
    shown, notices = parse(view.query)
    kept = {name: getattr(state, name) for name in PRESENTER_PARAMS}
    return StoryResult(replace(shown, **{**kept, "step": number}), tuple(notices))


def step(state: FilterState, offset: int, parse: Parse) -> StoryResult:
    """The previous (``offset`` -1) or next (+1) view. Next from no view is the first; past
    either end the state stays as it is."""
    board, problem = read(state.story)
    if problem:
        return _unreadable(state, problem)
    shown = current_step(state, board)
    number = (1 if offset > 0 else None) if shown is None else shown + offset
    if number is None or not 1 <= number <= len(board.views):
        return StoryResult(state)
    return show_view(state, number, parse)


def replace_storyboard(state: FilterState, board: Storyboard, parse: Parse, origin: str) -> StoryResult:
    """Put ``board`` in place of the current storyboard and show its first view (``origin``
    names where it came from, for the message, in the state's language)."""
    _ = translator(state.lang)
    if not board.views:
        return StoryResult(state, status=_("{origin} has no views, so nothing was opened.", origin=origin),
                           tone="warning")
    new = _with_board(state, board, None)
    if isinstance(new, str):
        return StoryResult(state, tone="warning", status=(
            _("{origin} was not opened: {problem}. Split it into smaller storyboards "
              "(fewer views or shorter notes).", origin=origin, problem=new)))
    shown = show_view(new, 1, parse)
    count = len(board.views)
    if board.title:
        opened = _.ngettext("Opened the storyboard “{title}” from {origin} ({n} view).",
                            "Opened the storyboard “{title}” from {origin} ({n} views).", count,
                            title=board.title, origin=origin)
    else:
        opened = _.ngettext("Opened the storyboard from {origin} ({n} view).",
                            "Opened the storyboard from {origin} ({n} views).", count, origin=origin)
    return replace(shown, status=opened, tone="success")


def _upload_text(contents: str) -> bytes:
    """The bytes of a ``dcc.Upload`` data URI; StoryboardError if it is not one or too large."""
    try:
        return decode_data_url(contents, MAX_FILE_BYTES)
    except DataUrlError as exc:
        if exc.reason == "too large":
            raise StoryboardError(f"storyboard: larger than {MAX_FILE_BYTES // 1024} KB") from None
        if exc.reason == "empty":
            raise StoryboardError("storyboard: the file is empty") from None
        raise StoryboardError("storyboard: the upload is not a file") from None


def upload_storyboard(state: FilterState, contents: Any, filename: Any, parse: Parse) -> StoryResult:
    """A storyboard file was uploaded: a good one replaces the storyboard and its first view is
    shown; a bad one leaves the state as it is and says what is wrong, naming the field."""
    _ = translator(state.lang)
    name = filename if isinstance(filename, str) and filename else _("the file")
    name = name[:80]
    if not isinstance(contents, str) or not contents:
        return StoryResult(state)
    try:
        board = from_json(_upload_text(contents))
    except StoryboardError as error:
        log.info("storyboard upload %r refused: %s", name, error)
        refused = _("{name} is not a storyboard this page can open: {problem}", name=name, problem=error)
        return StoryResult(state, status=refused, tone="danger")
    return replace_storyboard(state, board, parse, name)


def open_folder_storyboard(state: FilterState, board: Storyboard | None, parse: Parse) -> StoryResult:
    """Open the storyboard that comes with the dataset (``Dataset.storyboard``)."""
    _ = translator(state.lang)
    if board is None:
        return StoryResult(state, status=_("This dataset comes with no storyboard."), tone="warning")
    return replace_storyboard(state, board, parse, _("the dataset's folder"))
