"""Storyboards: a presenter's sequence of saved views, each a title, a note and a query string.

A storyboard travels three ways, all the same JSON (``to_json``/``from_json``):
a downloaded file, a file in the dataset folder (``storyboard.json``, read by the I/O layer),
and the URL, as the compact token of ``story=`` (``encode``/``decode``: the JSON, deflated and
base64url-encoded). Every part is bounded, and a storyboard that cannot be read raises
``StoryboardError`` naming the field, so the page can say what is wrong with a file.

A view's query is an ordinary page query (``country=DE&ket=photonics``); it is parsed against
the dataset when the view is shown, like any URL, so a value that does not apply is noticed then.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

FORMAT = "ket-storyboard"
MAX_VIEWS = 50
MAX_TITLE = 120
MAX_NOTE = 1000
MAX_QUERY = 2000
MAX_FILE_BYTES = 256 * 1024
"""Bounds a storyboard file (and a decoded token) before any parsing."""
STORY_PARAMS = ("story", "step")
"""Parameters a saved view does not keep: a view does not contain its storyboard."""

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TITLE)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_NOTE)]
Query = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_QUERY)]


class StoryboardError(ValueError):
    """A storyboard that cannot be read; the message names the field and what is wrong."""


class StoryView(BaseModel):
    """One saved view: what the presenter titled it, their note, and the page query."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Title = ""
    note: Note = ""
    query: Query = ""


class Storyboard(BaseModel):
    """An ordered sequence of saved views."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    format: Literal["ket-storyboard"] = "ket-storyboard"
    version: Literal[1] = 1
    title: Title = ""
    views: tuple[StoryView, ...] = Field(default=(), max_length=MAX_VIEWS)

    def to_json(self, indent: int | None = 2) -> str:
        """The storyboard as the JSON of its file."""
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=indent)

    def with_views(self, views: list[StoryView] | tuple[StoryView, ...]) -> Storyboard:
        """A copy with ``views`` in place of the current ones (checked against the bounds)."""
        return _validated({**self.model_dump(mode="json"), "views": [v.model_dump() for v in views]})


def _message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in first["loc"])
    return f"{where.lstrip('.') or 'storyboard'}: {first['msg']}"


def _validated(data: Any) -> Storyboard:
    if not isinstance(data, dict):
        raise StoryboardError("storyboard: must be a JSON object with a list of views")
    try:
        return Storyboard.model_validate(data)
    except ValidationError as error:
        raise StoryboardError(_message(error)) from None


def from_json(text: str | bytes) -> Storyboard:
    """Read a storyboard file's content; ``StoryboardError`` says what is wrong."""
    if len(text) > MAX_FILE_BYTES:
        raise StoryboardError(f"storyboard: larger than {MAX_FILE_BYTES // 1024} KB")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise StoryboardError(f"storyboard: not JSON ({error})") from None
    return _validated(data)


def encode(storyboard: Storyboard) -> str:
    """The compact URL token of a storyboard (``story=``); empty for an empty storyboard."""
    if not storyboard.views and not storyboard.title:
        return ""
    packed = zlib.compress(storyboard.to_json(indent=None).encode(), 9)
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def decode(token: str) -> Storyboard:
    """The storyboard of a URL token; an empty token is the empty storyboard."""
    if not token:
        return Storyboard()
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(packed, MAX_FILE_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise StoryboardError("story: not a storyboard token") from None
    if len(text) > MAX_FILE_BYTES or inflater.unconsumed_tail:
        raise StoryboardError(f"story: larger than {MAX_FILE_BYTES // 1024} KB")
    return from_json(text)
