"""The KET x sector matrix: a pure function of a long-form count frame and the filter state."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from components.figure_kit import CELL_TEXT, HIGHLIGHT, LIGHT, Figure, Look, figure, look, trace
from data.engine.state import FilterState
from data.io.i18n import translator

SELECTED_LINE = HIGHLIGHT
PRESENT_HEIGHT = 560
"""Presentation mode's larger text needs room for the rotated sector names."""


def cell_scale(style: Look) -> list[list[Any]]:
    """The matrix's colour scale: an empty cell in the card's background, then the look's
    sequential scale (black count text reads on all of it)."""
    first = style.sequential[0][1]
    return [[0.0, style.paper], [0.01, first], *style.sequential[1:]]


SCALE = cell_scale(LIGHT)
"""The light theme's scale."""


def matrix_figure(
    matrix: pd.DataFrame, state: FilterState, ket_labels: dict[str, str], sector_labels: dict[str, str]
) -> Figure:
    """Heatmap of project counts, KETs as rows and sectors as columns.

    ``matrix`` has the columns of ``data.engine.queries.ket_sector_matrix``: ket, sector, projects,
    with every pair present. ``ket_labels``/``sector_labels`` map slugs (including
    'not-stated') to labels and fix the order. Empty cells stay white and unlabelled; the
    cells of the selected KETs x sectors are outlined. The axes' values are the slugs (so a
    click reports them as x and y) and their tick texts the labels.
    """
    _ = translator(state.lang)
    kets = list(ket_labels)
    sectors = list(sector_labels)
    # Placed by index lookups rather than a pivot: pandas' reshaping costs a millisecond here.
    row = pd.Index(kets).get_indexer(pd.Index(matrix["ket"]))
    col = pd.Index(sectors).get_indexer(pd.Index(matrix["sector"]))
    known = (row >= 0) & (col >= 0)
    style = look(state)
    z = np.zeros((len(kets), len(sectors)), dtype="int64")
    z[row[known], col[known]] = matrix["projects"].to_numpy()[known]
    text = [[str(v) if v else "" for v in row] for row in z]
    custom = [[[ket_labels[k], sector_labels[s]] for s in sectors] for k in kets]
    heatmap = trace(
        "heatmap",
        z=z,
        x=sectors,
        y=kets,
        text=text,
        texttemplate="%{text}",
        textfont={"size": style.font_size, "color": CELL_TEXT},
        customdata=custom,
        colorscale=cell_scale(style),
        zmin=0,
        # Plotly paints a range of zero width in the middle of the scale: a selection with no
        # project would colour every cell as if it had some.
        zmax=max(1, int(z.max(initial=0))),
        showscale=False,
        xgap=2,
        ygap=2,
        hovertemplate=("%{customdata[0]} x %{customdata[1]}<br>"
                       + _("{z} project(s)", z="%{z}") + "<extra></extra>"),
    )
    ket_index = {k: i for i, k in enumerate(kets)}
    sector_index = {s: i for i, s in enumerate(sectors)}
    row_sel = [ket_index[k] for k in state.ket if k in ket_index] or (
        list(range(len(kets))) if state.sector else [])
    col_sel = [sector_index[s] for s in state.sector if s in sector_index] or (
        list(range(len(sectors))) if state.ket else [])
    shapes = [
        {"type": "rect", "xref": "x", "yref": "y", "x0": c - 0.5, "x1": c + 0.5, "y0": r - 0.5,
         "y1": r + 0.5, "line": {"color": SELECTED_LINE, "width": 2.5}}
        for r in row_sel for c in col_sel
    ]
    return figure([heatmap], dict(
        shapes=shapes,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis=style.axis({"side": "bottom", "tickangle": -40, "automargin": True,
                          "fixedrange": True, "tickmode": "array", "tickvals": sectors,
                          "ticktext": [sector_labels[s] for s in sectors], "showgrid": False}),
        yaxis=style.axis({"autorange": "reversed", "automargin": True, "fixedrange": True,
                          "tickmode": "array", "tickvals": kets,
                          "ticktext": [ket_labels[k] for k in kets], "showgrid": False}),
        height=PRESENT_HEIGHT if state.present else 380,
    ), style)
