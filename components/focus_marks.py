"""The open project marked on the map and the matrix: pure functions of a figure and a focus.

Opening a project filters nothing (``data.engine.focus``): the map and the matrix keep their
counts and outline where the project stands, in the look's ink (black, white on dark), so the
mark differs from the selection's orange outline and reads in both themes and on a projector.
The timeline marks its bar itself (``components/timeline_figure.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from components.figure_kit import Figure, Look, trace
from data.engine.focus import Focus
from data.io.countries import country_name
from data.io.i18n import translator

FOCUS_NAME = "open project"
"""The name of the map's focus layer (tests and the legend find it by it)."""
CELL_INSET = 0.1
"""How far inside a matrix cell its focus outline runs, so a selected cell's outline shows too."""


def map_focus(fig: Figure, focus: Focus | None, country_ids: Sequence[str],
              geojson: str | dict[str, Any], style: Look) -> Figure:
    """``fig`` (a ``map_figure``) with the countries of the open project outlined on top: those
    the geometry has (``country_ids``). Unchanged without a focus or such a country."""
    if focus is None:
        return fig
    known = set(country_ids)
    countries = [c for c in focus.countries if c in known]
    if not countries:
        return fig
    layer = trace("choroplethmap", name=FOCUS_NAME, geojson=geojson, locations=countries,
                  z=[1] * len(countries), colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
                  showscale=False, marker={"line": {"width": 2.5, "color": style.ink}},
                  hoverinfo="skip")
    return fig.extended(traces=[layer])


def matrix_focus(fig: Figure, focus: Focus | None, kets: Sequence[str], sectors: Sequence[str],
                 style: Look) -> Figure:
    """``fig`` (a ``matrix_figure`` whose rows are ``kets`` and columns ``sectors``, in that
    order) with a dotted outline inside each cell the open project carries."""
    if focus is None:
        return fig
    row = {k: i for i, k in enumerate(kets)}
    col = {s: i for i, s in enumerate(sectors)}
    shapes = [
        {"type": "rect", "xref": "x", "yref": "y", "name": FOCUS_NAME,
         "x0": col[s] - 0.5 + CELL_INSET, "x1": col[s] + 0.5 - CELL_INSET,
         "y0": row[k] - 0.5 + CELL_INSET, "y1": row[k] + 0.5 - CELL_INSET,
         "line": {"color": style.ink, "width": 3, "dash": "dot"}}
        for k, s in focus.cells if k in row and s in col
    ]
    return fig.extended(shapes=shapes) if shapes else fig


LEGEND_COUNTRIES = 8
"""How many of the open project's countries the map's legend names before '+N more'."""


def focus_legend_words(focus: Focus, lang: str = "en") -> str:
    """The map legend's words for the focus outline, in ``lang``, naming the countries (so a
    reader who cannot see the outline learns them too)."""
    _ = translator(lang)
    names = [country_name(c, lang) for c in focus.countries]
    shown = ", ".join(names[:LEGEND_COUNTRIES])
    if len(names) > LEGEND_COUNTRIES:
        shown += " " + _("+{n} more", n=len(names) - LEGEND_COUNTRIES)
    return _("countries of {acronym}, the open project: {countries}", acronym=focus.acronym,
             countries=shown)
