"""The one decoder of uploaded files (``data/io/data_url.py``): what it gives and what it refuses."""

from __future__ import annotations

import base64

import pytest

from data.io.data_url import DataUrlError, decode_data_url


def url(raw: bytes, kind: str = "text/csv") -> str:
    return f"data:{kind};base64," + base64.b64encode(raw).decode()


def test_a_data_url_gives_back_its_bytes() -> None:
    assert decode_data_url(url(b"a,b\n1,2\n"), 100) == b"a,b\n1,2\n"


@pytest.mark.parametrize(("contents", "reason"), [
    (url(b"x" * 101), "too large"),
    ("just text", "not a file"),
    ("data:text/csv,plain", "not a file"),
    ("data:text/csv;base64,@@@not-base64@@@", "damaged"),
    ("data:text/csv;base64,", "empty"),
])
def test_what_cannot_give_a_file_is_refused_with_its_reason(contents: str, reason: str) -> None:
    with pytest.raises(DataUrlError) as refused:
        decode_data_url(contents, 100)
    assert refused.value.reason == reason


def test_the_size_is_refused_before_the_payload_is_decoded() -> None:
    # Not valid base64 either: a size check that decoded first would say "damaged".
    with pytest.raises(DataUrlError) as refused:
        decode_data_url("data:text/csv;base64," + "@" * 1000, 100)
    assert refused.value.reason == "too large"
