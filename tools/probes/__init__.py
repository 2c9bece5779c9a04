"""What the browser tests and the benchmark share: the Chromium they drive, and the JavaScript
they run in the page, one probe a file.

``probe("name")`` is the text of ``tools/probes/name.js`` as Playwright's ``evaluate``,
``wait_for_function`` and ``add_init_script`` take it. A probe may use another by writing
``probe("other")`` where that probe's function belongs; the loader puts the other probe's text
there in parentheses, so each piece of JavaScript is written once.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
"""Debian's Chromium (Playwright's own browser download does not work offline)."""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_USES = re.compile(r'\bprobe\("([a-z0-9_]+)"\)')


@cache
def probe(name: str) -> str:
    """The JavaScript of ``tools/probes/<name>.js``, its leading ``//`` comment lines left out."""
    lines = (FOLDER / f"{name}.js").read_text(encoding="utf-8").strip().splitlines()
    while lines and lines[0].lstrip().startswith("//"):
        lines.pop(0)
    return _USES.sub(lambda used: f"({probe(used.group(1))})", "\n".join(lines)).strip()
