"""Assembling Plotly figures from plain trace and layout dicts.

Plotly validates every property as a figure is built, which costs more than computing the
data behind it. The builders here assemble dicts and skip that per-property check; their tests
re-validate every figure they return (``tests/test_figures.py``), so a misspelt property still
fails a test instead of being silently ignored by the browser.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import is_homogeneous_array, is_skipped_key, to_typed_array_spec

_TEMPLATE: dict[str, Any] = pio.templates["plotly"].to_plotly_json()
"""Plotly's default template as plain dicts, built once and shared by every figure's JSON."""


class Figure:
    """A figure as the plain trace and layout dicts Dash sends to the browser.

    Building a ``go.Figure`` deep-copies plotly's default template and every trace, and its
    JSON deep-copies them again: together more than computing the data behind a view. Dash
    only needs ``to_plotly_json``, so the request path never builds one; the template is
    attached as one shared dict when the figure is serialised, and serialising never changes
    the figure. ``data``, ``layout`` and ``to_dict`` (for tests and notebooks) build the
    equivalent ``go.Figure`` on first use. ``tests/test_figures.py`` checks the JSON equals
    what plotly itself makes.
    """

    def __init__(self, data: list[dict[str, Any]], layout: dict[str, Any]) -> None:
        self._data = data
        self._layout = layout

    def to_plotly_json(self) -> dict[str, Any]:
        """The figure as Dash serialises it: plain dicts, arrays typed, the template attached."""
        layout = _typed_arrays(self._layout)
        return {"data": _typed_arrays(self._data),
                "layout": layout if "template" in layout else {**layout, "template": _TEMPLATE}}

    def to_json(self) -> str:
        """The JSON the browser receives."""
        text: str = pio.json.to_json_plotly(self.to_plotly_json())
        return text

    @cached_property
    def _plotly(self) -> go.Figure:
        return go.Figure(data=self._data, layout=self._layout, _validate=False)

    @property
    def data(self) -> tuple[Any, ...]:
        """The traces, as plotly objects."""
        traces: tuple[Any, ...] = self._plotly.data
        return traces

    @property
    def layout(self) -> go.Layout:
        """The layout, as a plotly object."""
        return self._plotly.layout

    def to_dict(self) -> dict[str, Any]:
        """The figure as plotly's own dict (validated)."""
        found: dict[str, Any] = self._plotly.to_dict()
        return found


def _typed_arrays(value: Any) -> Any:
    """``value`` with numpy arrays as plotly's typed-array specs (compact base64), as plotly's
    own JSON has them; a copy where anything changes, the figure itself is left as built."""
    if isinstance(value, dict):
        return {key: item if is_skipped_key(key) else
                to_typed_array_spec(item) if is_homogeneous_array(item) else _typed_arrays(item)
                for key, item in value.items()}
    # Only lists that hold containers are walked; a list of labels or numbers stays as it is.
    if isinstance(value, list | tuple) and value and isinstance(value[0], dict | list | tuple):
        return [_typed_arrays(item) for item in value]
    return value


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


def figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> Figure:
    """A figure of ``traces`` and ``layout`` without per-property validation."""
    return Figure([_drop_none(t) for t in traces], _drop_none(layout))


def period_shade(x0: Any, x1: Any) -> dict[str, Any]:
    """The band that shows the chosen period on a date axis."""
    return {"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
            "fillcolor": "#ffd43b", "opacity": 0.18, "line": {"width": 0}, "layer": "below"}
