"""Assembling Plotly figures from plain trace and layout dicts.

Plotly validates every property as a figure is built, which costs more than computing the
data behind it. The builders here assemble dicts and skip that per-property check; their tests
re-validate every figure they return (``tests/test_figures.py``), so a misspelt property still
fails a test instead of being silently ignored by the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import is_homogeneous_array, is_skipped_key, to_typed_array_spec

from data.engine.state import FilterState

_TEMPLATES: dict[str, dict[str, Any]] = {
    name: pio.templates[name].to_plotly_json() for name in ("plotly", "plotly_dark")}
"""Plotly's light and dark templates as plain dicts, built once and shared by every figure's JSON."""
_TEMPLATE = _TEMPLATES["plotly"]


@lru_cache(maxsize=64)
def template_for(name: str, trace_types: frozenset[str]) -> dict[str, Any]:
    """Plotly's template ``name`` with the trace defaults of ``trace_types`` only: the defaults
    of the other two dozen types change nothing drawn and were two thirds of the template, sent
    with every figure of every click."""
    whole = _TEMPLATES[name]
    return {**whole, "data": {k: v for k, v in whole.get("data", {}).items() if k in trace_types}}


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

    def __init__(self, data: list[dict[str, Any]], layout: dict[str, Any],
                 template: str = "plotly") -> None:
        self._data = data
        self._layout = layout
        self._template = template if template in _TEMPLATES else "plotly"

    @property
    def template(self) -> str:
        """The name of the Plotly template the figure carries ('plotly' or 'plotly_dark')."""
        return self._template

    def to_plotly_json(self) -> dict[str, Any]:
        """The figure as Dash serialises it: plain dicts, arrays typed, the template attached
        with the defaults of the trace types the figure has (``template_for``)."""
        layout = _typed_arrays(self._layout)
        template = template_for(self._template, frozenset(str(t.get("type", "scatter")) for t in self._data))
        return {"data": _typed_arrays(self._data),
                "layout": layout if "template" in layout else {**layout, "template": template}}

    def to_json(self) -> str:
        """The JSON the browser receives."""
        text: str = pio.json.to_json_plotly(self.to_plotly_json())
        return text

    @cached_property
    def _plotly(self) -> go.Figure:
        layout = self._layout
        if self._template != "plotly" and "template" not in layout:
            layout = {**layout, "template": pio.templates[self._template]}
        return go.Figure(data=self._data, layout=layout, _validate=False)

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

    @property
    def plain_layout(self) -> dict[str, Any]:
        """The layout as the plain dict it was built from (read it, do not change it)."""
        return self._layout

    def extended(self, traces: Sequence[dict[str, Any]] = (), shapes: Sequence[dict[str, Any]] = (),
                 annotations: Sequence[dict[str, Any]] = (), layout: dict[str, Any] | None = None,
                 shapes_first: bool = False) -> Figure:
        """A new figure: this one with ``traces`` drawn on top, ``shapes`` and ``annotations``
        added (``shapes_first`` puts the shapes before the figure's own, e.g. bands behind a
        chosen period) and ``layout``'s keys replacing the layout's. This figure is unchanged."""
        merged = {**self._layout, **(layout or {})}
        if shapes:
            own = list(merged.get("shapes") or [])
            merged["shapes"] = [*shapes, *own] if shapes_first else [*own, *shapes]
        if annotations:
            merged["annotations"] = [*(merged.get("annotations") or []), *annotations]
        return Figure([*self._data, *traces], merged, self._template)


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


def figure(traces: list[dict[str, Any]], layout: dict[str, Any], style: Look | None = None) -> Figure:
    """A figure of ``traces`` and ``layout`` without per-property validation; ``style`` (a
    ``Look``) sets its template, fonts and backgrounds."""
    if style is None:
        return Figure([_drop_none(t) for t in traces], _drop_none(layout))
    return Figure([_drop_none(t) for t in traces], _drop_none(style.layout(layout)), style.template)


PERIOD_SHADE = "#ffd43b"


def period_shade(x0: Any, x1: Any) -> dict[str, Any]:
    """The band that shows the chosen period on a date axis."""
    return {"type": "rect", "xref": "x", "yref": "y domain", "x0": x0, "x1": x1, "y0": 0, "y1": 1,
            "fillcolor": PERIOD_SHADE, "opacity": 0.18, "line": {"width": 0}, "layer": "below"}


# --- themes and palettes: the one home of every colour the figures use ----------------------

OKABE_ITO = {"orange": "#e69f00", "sky_blue": "#56b4e9", "bluish_green": "#009e73",
             "yellow": "#f0e442", "blue": "#0072b2", "vermillion": "#d55e00",
             "reddish_purple": "#cc79a7", "black": "#000000"}
"""Okabe & Ito's colour-blind-safe qualitative palette (Color Universal Design, 2008)."""
CATEGORICAL = [OKABE_ITO[name] for name in ("blue", "orange", "bluish_green", "reddish_purple",
                                            "sky_blue", "yellow")]
"""Programme colours, in the order given out. Black and vermillion are left out: black is the
ink of one theme and vermillion marks what is selected."""
HIGHLIGHT = OKABE_ITO["vermillion"]
"""Outline of what is selected (countries, matrix cells, the chosen project): 3:1 or more
against both themes' backgrounds."""
VIRIDIS_UPPER = ["#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"]
"""The upper half of viridis (t 0.44 to 1), even in lightness and readable for every common
colour-vision deficiency; black text on any of it has a contrast of 4.6:1 or more."""
CELL_TEXT = "#000000"
PRESENT_FONT_SIZE = 20
"""Chart text in presentation mode, in px: 18 px or more reads from the back of a room."""
NORMAL_FONT_SIZE = 12
FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
"""The page's system font stack: nothing is fetched."""


def _scale(colours: list[str]) -> list[list[Any]]:
    """Evenly spaced colour-scale stops."""
    last = len(colours) - 1
    return [[round(i / last, 4), c] for i, c in enumerate(colours)]


@dataclass(frozen=True)
class Look:
    """The colours and text size of the figures for one theme and mode (``look``)."""

    template: str
    """Plotly's template the figure carries ('plotly' or 'plotly_dark')."""
    paper: str
    """Background of the figure and of its plot area: the card's background."""
    ink: str
    """Text, ticks and axis lines."""
    grid: str
    context: str
    """A country with no project in the selection."""
    borders: str
    """Country borders and the gaps between matrix cells."""
    unselected: str
    """A project outside the selection."""
    bar_outline: str
    """The thin outline that sets every bar off from the background (3:1 or more)."""
    not_stated: str
    """A project whose programme is not stated."""
    marker: str
    """Activity markers on the timeline."""
    sequential: list[list[Any]]
    """Counts, from few to many: more ink for more projects in either theme."""
    country_only: str
    """Countries taking part whose organisations no source names."""
    font_size: int
    band_line: str

    def layout(self, layout: dict[str, Any]) -> dict[str, Any]:
        """``layout`` with this look's fonts and backgrounds (its own settings win)."""
        base: dict[str, Any] = {
            "font": {"family": FONT_FAMILY, "size": self.font_size, "color": self.ink},
            "paper_bgcolor": self.paper, "plot_bgcolor": self.paper,
            "hoverlabel": {"font": {"size": self.font_size, "family": FONT_FAMILY}},
            "legend": {"font": {"size": self.font_size}},
        }
        merged = {**base, **layout}
        for key in ("font", "hoverlabel", "legend"):
            if isinstance(layout.get(key), dict):
                merged[key] = {**base[key], **layout[key]}
        return merged

    def axis(self, axis: dict[str, Any]) -> dict[str, Any]:
        """An axis in this look's ink and grid, its tick labels at the look's size."""
        return {"gridcolor": self.grid, "linecolor": self.ink, "zerolinecolor": self.grid,
                "tickfont": {"size": self.font_size, "color": self.ink}, **axis}


LIGHT = Look(template="plotly", paper="#ffffff", ink="#212529", grid="#dee2e6", context="#e9ecef",
             borders="#ffffff", unselected="#e3e6ea", bar_outline="#495057", not_stated="#6c757d",
             marker="#212529", sequential=_scale(VIRIDIS_UPPER[::-1]),
             country_only=OKABE_ITO["reddish_purple"], font_size=NORMAL_FONT_SIZE,
             band_line=OKABE_ITO["blue"])
DARK = Look(template="plotly_dark", paper="#212529", ink="#f8f9fa", grid="#495057", context="#3d444b",
            borders="#212529", unselected="#495057", bar_outline="#ced4da", not_stated="#ced4da",
            marker="#f8f9fa", sequential=_scale(VIRIDIS_UPPER), country_only=OKABE_ITO["reddish_purple"],
            font_size=NORMAL_FONT_SIZE, band_line=OKABE_ITO["sky_blue"])
PRESENT_LIGHT = replace(LIGHT, paper="#ffffff", ink="#000000", grid="#adb5bd", bar_outline="#000000",
                        font_size=PRESENT_FONT_SIZE)
PRESENT_DARK = replace(DARK, paper="#000000", ink="#ffffff", grid="#6c757d", borders="#000000",
                       bar_outline="#ffffff", context="#343a40", font_size=PRESENT_FONT_SIZE)
"""Presentation mode: pure black on white (or white on black) and large text, for projectors."""


def look(state: FilterState) -> Look:
    """The look of ``state``'s theme ('light'|'dark') and mode (``state.present``)."""
    dark = state.theme == "dark"
    if state.present:
        return PRESENT_DARK if dark else PRESENT_LIGHT
    return DARK if dark else LIGHT


def relative_luminance(colour: str) -> float:
    """WCAG 2's relative luminance of a '#rrggbb' colour."""
    text = colour.lstrip("#")
    channels = [int(text[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG 2's contrast ratio of two '#rrggbb' colours, from 1 to 21."""
    hi, lo = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --- organisation types on the organisation map (components/org_map_figure.py) ---------------

ORG_TYPE_COLOURS = {
    "cluster-organisation": OKABE_ITO["blue"],
    "company": OKABE_ITO["orange"],
    "university": OKABE_ITO["bluish_green"],
    "research-organisation": OKABE_ITO["reddish_purple"],
    "public-agency": OKABE_ITO["sky_blue"],
    "public-authority": OKABE_ITO["sky_blue"],
    "eu-institution": OKABE_ITO["sky_blue"],
    "business-association": OKABE_ITO["yellow"],
}
"""The colour of each organisation type (``data.io.schema.ORG_TYPES``): the programme palette
(``CATEGORICAL``, told apart with every common colour-vision deficiency), public bodies sharing
one colour; 'other' and a type not stated take the look's ``not_stated`` grey."""


def org_type_colour(org_type: str, style: Look) -> str:
    """The colour of an organisation of ``org_type`` in ``style``."""
    return ORG_TYPE_COLOURS.get(org_type, style.not_stated)
