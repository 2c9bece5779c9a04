"""End to end in headless Chromium: real mouse clicks on matrix cells, click to every view redrawn.

The page is driven with Playwright; the JavaScript it runs in the page is in ``tools/probes``
(``request_counter`` counts the callback requests in flight, ``click_clock`` times a click).
"""

from __future__ import annotations

import os
import time
from typing import Any

from benchmarks.common import BenchError, log, summary
from components import ids
from tools.probes import CHROMIUM, CHROMIUM_ARGS, probe

VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1366, 768
"""A laptop, as in the browser tests."""
GRAPHS = (ids.MAP, ids.MATRIX, ids.TIMELINE)


def browser_runs(base: str, runs: int, page_timeout: float, click_timeout: float) -> dict[str, Any]:
    """Real clicks on two matrix cells (on, off, on, off...), click to every view redrawn."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BenchError("playwright is not installed: pip install -r requirements-dev.txt") from exc
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise BenchError(f"Chromium not found at {CHROMIUM} (set CHROMIUM=...)")
    origin = base.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT})
            context.set_default_timeout(click_timeout * 1000)
            # Nothing may leave the server (the page is meant to work offline).
            context.route(lambda url: not url.startswith((origin, "data:", "blob:")),
                          lambda route: route.abort())
            context.add_init_script(probe("request_counter"))
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            began = time.perf_counter()
            page.goto(origin + "/", timeout=page_timeout * 1000)
            try:
                page.wait_for_function(probe("views_idle"), timeout=page_timeout * 1000, polling=100)
            except PlaywrightError as exc:
                raise BenchError(f"the page's views were not drawn within {page_timeout:.0f} s "
                                 f"(page errors: {errors[:3]})") from exc
            load_s = time.perf_counter() - began
            page.locator(f"#{ids.MATRIX}").scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            cells = [c for c in page.evaluate(probe("matrix_cells"))
                     if "not-stated" not in (c["ket"], c["sector"])]
            if len(cells) < 2:
                raise BenchError(f"the matrix shows {len(cells)} non-empty named cell(s); need two")
            cells.sort(key=lambda c: -c["count"])
            chosen = [cells[0], next(c for c in cells[1:] if (c["ket"], c["sector"]) != (cells[0]["ket"],
                                                                                        cells[0]["sector"]))]
            samples: list[float] = []
            details: list[dict[str, Any]] = []
            for run in range(runs):
                cell = chosen[(run // 2) % 2]
                turning_on = run % 2 == 0
                page.locator(f"#{ids.MATRIX}").scroll_into_view_if_needed()
                where = next((c for c in page.evaluate(probe("matrix_cells"))
                              if (c["ket"], c["sector"]) == (cell["ket"], cell["sector"])), None)
                if where is None:
                    raise BenchError(f"run {run + 1}: cell {cell['ket']} x {cell['sector']} "
                                     "is no longer drawn")
                x, y = where["x"], where["y"]
                page.mouse.move(x - 8, y - 8)
                page.mouse.move(x, y, steps=4)
                try:
                    page.wait_for_function(probe("matrix_hovering"), arg=[cell["sector"], cell["ket"]],
                                           timeout=10_000)
                except PlaywrightError as exc:
                    raise BenchError(f"run {run + 1}: hovering ({x:.0f}, {y:.0f}) does not show cell "
                                     f"{cell['ket']} x {cell['sector']}") from exc
                page.evaluate(probe("click_clock"), list(GRAPHS))
                page.mouse.click(x, y)
                try:
                    page.wait_for_function(probe("click_clock_done"), timeout=click_timeout * 1000)
                except PlaywrightError as exc:
                    state = page.evaluate(probe("click_clock_result"))["waiting"]
                    raise BenchError(f"run {run + 1}: the views did not finish redrawing within "
                                     f"{click_timeout:.0f} s (waiting for: {state})") from exc
                bench = page.evaluate(probe("click_clock_result"))
                query = page.evaluate(probe("url_query"))
                expected = {"ket": cell["ket"], "sector": cell["sector"]} if turning_on else {}
                if {k: query.get(k) for k in ("ket", "sector") if k in query} != expected:
                    raise BenchError(f"run {run + 1}: after clicking {cell['ket']} x {cell['sector']} the "
                                     f"address is {query}, expected {expected or 'no ket/sector'}")
                samples.append(float(bench["ms"]))
                details.append({"on": turning_on, "ket": cell["ket"], "sector": cell["sector"],
                                "ms": round(bench["ms"], 1), "requests": bench["requests"],
                                "requests_done_ms": round(bench["requests_done_ms"], 1),
                                "afterplot_ms": {k: round(v, 1) for k, v in bench["afterplot_ms"].items()}})
                log(f"  browser run {run + 1}/{runs}: {'on ' if turning_on else 'off'} "
                    f"{cell['ket']} x {cell['sector']}: {bench['ms']:.0f} ms (last response read at "
                    f"{bench['requests_done_ms']:.0f} ms, {bench['requests']} requests)")
            if errors:
                log(f"  page errors: {errors[:3]}")
            return {"runs": len(samples), "click_to_redrawn_ms": summary(samples),
                    "last_response_read_ms": summary([d["requests_done_ms"] for d in details]),
                    "afterplot_ms": {g: summary([d["afterplot_ms"][g] for d in details]) for g in GRAPHS},
                    "samples": details, "page_load_s": round(load_s, 2),
                    "cells": [{k: c[k] for k in ("ket", "sector", "count")} for c in chosen],
                    "page_errors": errors[:10]}
        finally:
            browser.close()


