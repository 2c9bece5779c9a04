"""axe-core in a Playwright page: the accessibility check the browser tests share.

``serious_violations(page)`` injects ``node_modules/axe-core/axe.min.js`` (pinned in
``package.json``, installed by ``make npm``) from disk, so nothing is fetched, runs ``axe.run``
on the whole document and returns the violations of impact "critical" or "serious", each
with the rule, its help text and the elements it found. A test asserts the list is empty and
prints it (``describe``) when it is not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tools.probes import probe

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")

_RUN = r"""async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 10).map(n => ({
            target: n.target.join(' '),
            summary: (n.failureSummary || "").split("\n").slice(0, 2).join(" "),
        })),
    }));
}"""


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """The critical and serious axe-core violations of what ``page`` shows now: dicts with
    ``id``, ``impact``, ``help`` and ``nodes`` (``target`` selector, ``summary``). Fails the test
    when axe-core is not installed (``make npm``)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make npm` (npm ci) to install axe-core.", pytrace=False)
    try:
        page.wait_for_function(probe("grids_quiet"), polling=100)
    except PlaywrightTimeout as exc:
        raise AssertionError("a table on the page never finished drawing its headers and rows") from exc
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(_RUN)
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    """The violations as readable lines, for an assertion message."""
    return "\n".join(f"{v['impact']} {v['id']}: {v['help']}\n" + "\n".join(
        f"    {n['target']}: {n['summary']}" for n in v["nodes"]) for v in violations)
