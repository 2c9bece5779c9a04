"""Assembling Plotly figures from plain trace and layout dicts.

Plotly validates every property as a figure is built, which costs more than computing the
data behind it. The builders here assemble dicts and skip that per-property check; their tests
re-validate every figure they return (``tests/test_figures.py``), so a misspelt property still
fails a test instead of being silently ignored by the browser.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from _plotly_utils.utils import convert_to_base64


class Figure(go.Figure):
    """A ``go.Figure`` that hands Dash its JSON without a deep copy.

    ``go.Figure.to_dict`` deep-copies every trace before serialising, which costs more than
    building the figure. A figure made here is built for one response and never changed
    afterwards, so the copy protects nothing. Relies on plotly's ``_data``/``_layout``
    (plotly is pinned; ``tests/test_figures.py`` checks the JSON equals ``to_dict``'s)."""

    def to_plotly_json(self) -> dict[str, Any]:
        result = {"data": self._data, "layout": self._layout}
        convert_to_base64(result)
        return result


def trace(kind: str, **props: Any) -> dict[str, Any]:
    """One trace as a dict: ``trace("heatmap", z=...)``."""
    return {"type": kind, **props}


def _drop_none(value: Any) -> Any:
    """Leave out properties set to None, as validation would: None means 'not set'."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_drop_none(v) for v in value]
    return value


def figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure of ``traces`` and ``layout`` without per-property validation."""
    return Figure(data=[_drop_none(t) for t in traces], layout=_drop_none(layout), _validate=False)


def period_shade(x0: Any, x1: Any) -> dict[str, Any]:
    """The band that shows the chosen period on a date axis."""
    return {"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
            "fillcolor": "#ffd43b", "opacity": 0.18, "line": {"width": 0}, "layer": "below"}
