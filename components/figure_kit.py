"""Assembling Plotly figures from plain trace and layout dicts.

Plotly validates every property as a figure is built, which costs more than computing the
data behind it. The builders here assemble dicts and skip that per-property check; their tests
re-validate every figure they return (``tests/test_figures.py``), so a misspelt property still
fails a test instead of being silently ignored by the browser.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go


def trace(kind: str, **props: Any) -> dict[str, Any]:
    """One trace as a dict: ``trace("heatmap", z=...)``."""
    return {"type": kind, **props}


def figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure of ``traces`` and ``layout`` without per-property validation."""
    return go.Figure(data=traces, layout=layout, _validate=False)


def period_shade(x0: Any, x1: Any) -> dict[str, Any]:
    """The band that shows the chosen period on a date axis."""
    return {"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
            "fillcolor": "#ffd43b", "opacity": 0.18, "line": {"width": 0}, "layer": "below"}
