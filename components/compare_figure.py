"""The comparison's timeline: the compared projects' periods on one shared time axis."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from components.figure_kit import CATEGORICAL, Figure, figure, look, trace
from data.engine.state import FilterState
from data.io.i18n import translator

MS_PER_DAY = 86_400_000
OVERLAP_OPACITY = 0.22


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts (a comparison has four at most)."""
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def project_colours(project_ids: list[str]) -> dict[str, str]:
    """A colour per compared project, in the comparison's order (the columns of the panel
    carry the same colours)."""
    return {p: CATEGORICAL[i % len(CATEGORICAL)] for i, p in enumerate(project_ids)}


def compare_timeline(frame: pd.DataFrame, overlap: tuple[date, date] | None, state: FilterState) -> Figure:
    """One bar per compared project from its start to its end, the overlap shaded.

    ``frame`` has the columns of ``data.engine.compare.periods``: project_id, acronym, start,
    end (Timestamps, NaT where not stated), start_date, end_date (as stated, '' where not),
    end_derived (the end drawn from a stated duration: hatched). A project with only a start
    or only an end is a triangle at the date it states; one with neither has its row, empty.
    ``overlap`` is the (first, last) day every project runs, or None; it is shaded and named.
    """
    style = look(state)
    _ = translator(state.lang)
    colours = project_colours(list(frame["project_id"]))
    not_stated = _("not stated")
    traces: list[dict[str, Any]] = []
    spans = frame[frame["start"].notna() & frame["end"].notna()]
    for row in _records(spans):
        end_text = row["end_date"] or _("not stated (drawn from the stated duration)")
        traces.append(trace("bar",
            name=row["acronym"], orientation="h", y=[row["project_id"]], base=[row["start"]],
            x=[(row["end"] - row["start"]).total_seconds() * 1000 + MS_PER_DAY],
            marker={"color": colours[row["project_id"]],
                    "pattern": {"shape": "/" if row["end_derived"] else "", "fgcolor": "#ffffff", "size": 6},
                    "line": {"width": 1, "color": style.bar_outline}},
            hovertemplate=(f"<b>{row['acronym']}</b><br>" + _("start")
                           + f": {row['start_date'] or not_stated}<br>"
                           + _("end") + f": {end_text}<extra></extra>"),
            showlegend=False))
    for known, symbol in (("start", "triangle-right"), ("end", "triangle-left")):
        other = "end" if known == "start" else "start"
        edge = frame[frame[known].notna() & frame[other].isna()]
        for row in _records(edge):
            stated = row[f"{known}_date"]
            traces.append(trace("scatter",
                name=row["acronym"], mode="markers", y=[row["project_id"]], x=[row[known]],
                marker={"symbol": symbol, "size": 14 if style.font_size < 18 else 18,
                        "color": colours[row["project_id"]],
                        "line": {"width": 1, "color": style.bar_outline}},
                hovertemplate=(f"<b>{row['acronym']}</b><br>" + _(known) + f": {stated}<br>" + _(other)
                               + f": {not_stated}<extra></extra>"),
                showlegend=False))
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    if overlap is not None:
        first, last = overlap
        shapes.append({"type": "rect", "xref": "x", "yref": "y domain", "x0": first.isoformat(),
                       "x1": (pd.Timestamp(last) + pd.Timedelta(days=1)).isoformat(), "y0": 0, "y1": 1,
                       "fillcolor": style.ink, "opacity": OVERLAP_OPACITY, "line": {"width": 0},
                       "layer": "below"})
        annotations.append({"x": first.isoformat(), "y": 1, "xref": "x", "yref": "y domain",
                            "yanchor": "bottom", "xanchor": "left", "showarrow": False,
                            "text": _("overlap"), "font": {"size": style.font_size, "color": style.ink}})
    order = list(frame["project_id"])
    rows = 34 if style.font_size < 18 else 46
    return figure(traces, dict(
        shapes=shapes, annotations=annotations, barmode="overlay",
        height=max(160, 80 + rows * len(order)),
        margin={"l": 10, "r": 10, "t": 24, "b": 30},
        xaxis=style.axis({"type": "date", "title": None, "showgrid": True}),
        yaxis=style.axis({"categoryorder": "array", "categoryarray": order[::-1], "title": None,
                          "automargin": True, "tickmode": "array", "tickvals": order,
                          "ticktext": list(frame["acronym"]), "showgrid": False,
                          "range": [-0.5, len(order) - 0.5]}),
        showlegend=False, dragmode=False, uirevision="compare",
    ), style)
