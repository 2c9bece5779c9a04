"""Sharing a view: the address as text and as a QR code drawn on the server, offline."""

from __future__ import annotations

import base64

import pytest
from dash import no_update
from test_browser import assert_clean, open_view, settle

from callbacks.share import share_qr
from components.share import MAX_SHARED_URL, qr_data_uri


def _svg(uri: str) -> str:
    prefix = "data:image/svg+xml;base64,"
    assert uri.startswith(prefix)
    return base64.b64decode(uri[len(prefix):]).decode("utf-8")


def test_a_qr_code_is_an_svg_made_here_and_differs_with_the_address() -> None:
    one = _svg(qr_data_uri("http://127.0.0.1:8050/?country=DE"))
    other = _svg(qr_data_uri("http://127.0.0.1:8050/?country=FR"))
    assert one.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and "<path" in one
    assert one != other
    # Nothing in it points outside: no external references in the image.
    assert "http" not in one.split(">", 1)[1].replace("http://www.w3.org/2000/svg", "")


def test_a_longer_address_makes_a_denser_code() -> None:
    short = _svg(qr_data_uri("http://127.0.0.1:8050/"))
    long = _svg(qr_data_uri("http://127.0.0.1:8050/?" + "country=DE,FR,IT,ES,PT&" * 20))
    width = lambda svg: float(svg.split('width="')[1].split('"')[0])  # noqa: E731
    assert width(long) > width(short)


def test_no_address_draws_nothing_and_an_over_long_one_draws_no_code() -> None:
    assert share_qr(None) is no_update
    assert share_qr("") is no_update
    assert share_qr("http://x/?q=" + "a" * MAX_SHARED_URL) == ""
    assert share_qr("http://x/?country=DE").startswith("data:image/svg+xml;base64,")
    # Within the length bound but more bytes than a QR code holds: no code, no error.
    assert share_qr("http://x/?q=" + "€" * (MAX_SHARED_URL - 20)) == ""


@pytest.mark.browser
def test_the_share_dialog_shows_the_views_address_and_its_qr_code(page, page_log) -> None:
    open_view(page, "/?country=DE&ket=nanotechnology")
    page.click("#share-open")
    page.wait_for_selector("#share-qr[src^='data:image/svg+xml']")
    # The browser decoded it as an image (an SVG without its namespace shows as a broken image).
    page.wait_for_function("document.getElementById('share-qr').naturalWidth > 0")
    shown = page.input_value("#share-url")
    assert shown == page.url and shown.endswith("?country=DE&ket=nanotechnology")
    page.click("#share-copy")
    page.wait_for_function("document.getElementById('share-copied').textContent.length > 0")
    assert page.locator("#share-copied").inner_text() in ("Copied.", "Selected: press Ctrl+C to copy.")
    page.keyboard.press("Escape")
    page.wait_for_selector("#share-modal", state="detached")
    settle(page)
    assert_clean(page_log)
