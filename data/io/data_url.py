"""The bytes of a file the browser sent as a ``data:`` URL (what ``dcc.Upload`` gives).

One home for the decoding and its bounds, so the dataset upload (``server/uploads.py``) and the
storyboard upload (``callbacks/story_actions.py``) refuse the same things the same way and each
says so in its own words.
"""

from __future__ import annotations

import base64
import binascii
from typing import Literal

Reason = Literal["too large", "not a file", "damaged", "empty"]


class DataUrlError(ValueError):
    """The data URL cannot give a file; ``reason`` says why, for the caller's message."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason)
        self.reason: Reason = reason


def decode_data_url(contents: str, max_bytes: int) -> bytes:
    """The file in ``contents`` (``data:<type>;base64,<payload>``), at most ``max_bytes`` long.

    The size is checked on the payload's length before anything is decoded, so an oversized
    upload costs a length, not a copy. Raises ``DataUrlError``: 'too large', 'not a file' (no
    base64 data URL), 'damaged' (not valid base64) or 'empty'."""
    header, comma, payload = contents.partition(",")
    if not comma or not header.startswith("data:") or not header.endswith(";base64"):
        raise DataUrlError("not a file")
    if len(payload) * 3 // 4 > max_bytes:
        raise DataUrlError("too large")
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise DataUrlError("damaged") from None
    if not raw:
        raise DataUrlError("empty")
    return raw
