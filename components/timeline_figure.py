"""The project timeline: a pure function of timeline frames and the filter state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from components.figure_kit import (
    CATEGORICAL,
    HIGHLIGHT,
    LIGHT,
    Figure,
    Look,
    figure,
    look,
    period_shade,
    trace,
)
from data.engine.focus import Focus
from data.engine.state import FilterState
from data.io.i18n import N_, kind_label, translator
from data.io.periods import ProgrammingPeriod

PALETTE = CATEGORICAL
UNSELECTED = LIGHT.unselected
NO_PROGRAMME = N_("programme not stated")
ACTIVITY_SYMBOLS = {
    "event": "diamond", "conference": "diamond", "pilot-action": "star", "call": "square",
    "deadline": "x", "survey": "circle", "study": "circle", "service": "triangle-up",
}
ROW_HEIGHT = 34
MS_PER_DAY = 86_400_000


def programme_colours(programmes: list[str], style: Look = LIGHT) -> dict[str, str]:
    """A stable colour per programme name (sorted, Okabe-Ito), grey for 'not stated'."""
    named = sorted(p for p in set(programmes) if p)
    colours = {p: PALETTE[i % len(PALETTE)] for i, p in enumerate(named)}
    colours[""] = style.not_stated
    return colours


def _end_text(row: pd.Series, lang: str = "en") -> str:
    _ = translator(lang)
    if row["end_date"]:
        return str(row["end_date"])
    if row["end_derived"]:
        return _("not stated (drawn from the stated duration, {months} months)",
                 months=int(row["duration_months"]))
    return _("not stated")


def _span_traces(projects: pd.DataFrame, colours: dict[str, str], state: FilterState,
                 style: Look = LIGHT) -> list[dict[str, Any]]:
    """One bar trace per programme and selectedness, for the projects with a start and an end."""
    _ = translator(state.lang)
    traces: list[dict[str, Any]] = []
    spans = projects[projects["start"].notna() & projects["end"].notna()]
    for (programme_key, selected), group in spans.groupby(["programme", "selected"], sort=True):
        programme = str(programme_key)
        colour = colours[programme] if selected else style.unselected
        traces.append(trace("bar",
            name=(programme or _(NO_PROGRAMME)) + ("" if selected else " " + _("(not in selection)")),
            orientation="h",
            y=group["project_id"],
            base=group["start"],
            x=(group["end"] - group["start"]).dt.total_seconds() * 1000 + MS_PER_DAY,
            marker={
                "color": colour,
                "pattern": {"shape": ["/" if d else "" for d in group["end_derived"]],
                            "fgcolor": "#ffffff", "size": 6},
                # A thin outline sets every bar off from the background whatever its fill;
                # the chosen project's is thick and in the highlight colour.
                "line": {"width": [3 if pid == state.project else 1 for pid in group["project_id"]],
                         "color": [HIGHLIGHT if pid == state.project else style.bar_outline
                                   for pid in group["project_id"]]},
            },
            customdata=list(zip(group["project_id"], group["acronym"] + " " + group["title"],
                                group["start_date"], group.apply(_end_text, axis=1, lang=state.lang),
                                strict=True)),
            hovertemplate=("<b>%{customdata[1]}</b><br>" + _("start") + ": %{customdata[2]}"
                           "<br>" + _("end") + ": %{customdata[3]}<extra>" + (programme or _(NO_PROGRAMME))
                           + "</extra>"),
            showlegend=bool(selected),
        ))
    return traces


def _half_known_traces(projects: pd.DataFrame, colours: dict[str, str],
                       style: Look = LIGHT, lang: str = "en") -> list[dict[str, Any]]:
    """Triangles for the projects with only a start (at it) or only an end (at it)."""
    _ = translator(lang)
    start, end, not_stated = _("start"), _("end"), _("not stated")
    traces: list[dict[str, Any]] = []
    half_known = (
        ("start", "start_date", "triangle-right", _("start known, end not stated"),
         f"{start}: %{{customdata[2]}}<br>{end}: {not_stated}"),
        ("end", "end_date", "triangle-left", _("end known, start not stated"),
         f"{start}: {not_stated}<br>{end}: %{{customdata[2]}}"),
    )
    for known, stated, symbol, name, dates in half_known:
        other = "end" if known == "start" else "start"
        edge = projects[projects[known].notna() & projects[other].isna()]
        if edge.empty:
            continue
        traces.append(trace("scatter",
            name=name,
            mode="markers",
            y=edge["project_id"],
            x=edge[known],
            marker={"symbol": symbol, "size": 14 if style.font_size < 18 else 18,
                    "line": {"width": 1, "color": style.bar_outline},
                    "color": [colours[p] if s else style.unselected for p, s in
                              zip(edge["programme"], edge["selected"], strict=True)]},
            customdata=list(zip(edge["project_id"], edge["acronym"] + " " + edge["title"],
                                edge[stated], strict=True)),
            hovertemplate="<b>%{customdata[1]}</b><br>" + dates + "<extra></extra>",
        ))
    return traces


def _activity_traces(activities: pd.DataFrame, style: Look = LIGHT, lang: str = "en") -> list[dict[str, Any]]:
    """One marker trace per kind of activity, each marker at the activity's start, the kind
    named in ``lang``."""
    traces: list[dict[str, Any]] = []
    if activities.empty:
        return traces
    for kind_key, group in activities.groupby("kind", sort=True):
        kind = str(kind_key)
        name = kind_label("activities", kind, lang)
        traces.append(trace("scatter",
            name=name,
            mode="markers",
            y=group["project_id"],
            x=group["start"],
            marker={"symbol": ACTIVITY_SYMBOLS.get(kind, "circle"),
                    "size": 9 if style.font_size < 18 else 13,
                    "color": style.marker, "line": {"width": 1, "color": style.paper}},
            customdata=list(zip(group["project_id"], group["title"], group["start_date"],
                                group["location"], strict=True)),
            hovertemplate=("<b>%{customdata[1]}</b><br>%{customdata[2]} %{customdata[3]}"
                           "<extra>" + name + "</extra>"),
        ))
    return traces


def _period_shapes(projects: pd.DataFrame, activities: pd.DataFrame,
                   state: FilterState) -> list[dict[str, Any]]:
    """The shaded period of ``state.year_from``/``year_to``; an open end stops at the last date drawn."""
    shapes: list[dict[str, Any]] = []
    if state.year_from is not None or state.year_to is not None:
        drawn = pd.concat([projects["start"], projects["end"], activities["start"]])
        first, last = drawn.min(), drawn.max()
        x0 = f"{state.year_from}-01-01" if state.year_from is not None else first
        x1 = f"{state.year_to}-12-31" if state.year_to is not None else last
        if pd.notna(x0) and pd.notna(x1):
            shapes.append(period_shade(x0, x1))
    return shapes


def _timeline_layout(projects: pd.DataFrame, activities: pd.DataFrame,
                     shapes: list[dict[str, Any]], style: Look = LIGHT) -> dict[str, Any]:
    """The layout: one row per project, in the order of the frames, named by its acronym."""
    names = dict(zip(projects["project_id"], projects["acronym"], strict=True))
    # A project without dates of its own still gets a row for its dated activities.
    names.update(zip(activities["project_id"], activities["acronym"], strict=True))
    order = list(dict.fromkeys([*projects["project_id"], *activities["project_id"]]))
    return dict(
        shapes=shapes,
        barmode="overlay",
        dragmode="select",
        selectdirection="h",
        height=max(220, 90 + _row_height(style) * len(order)),
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        xaxis=style.axis({"type": "date", "title": None, "showgrid": True}),
        yaxis=style.axis({"categoryorder": "array", "categoryarray": order[::-1], "title": None,
                          "automargin": True, "tickmode": "array", "tickvals": order,
                          "ticktext": [names[p] for p in order], "showgrid": False}),
        legend={"orientation": "h", "y": -0.18, "x": 0},
        uirevision="timeline",
    )


def timeline_figure(projects: pd.DataFrame, activities: pd.DataFrame, state: FilterState) -> Figure:
    """One bar per dated project, coloured by programme; activities as markers.

    ``projects`` has the columns of ``data.engine.queries.timeline_frame`` (project_id, acronym,
    title, programme, start, end, start_date, end_date, end_derived, duration_months,
    selected); ``activities`` those of ``data.engine.queries.timeline_activities`` (project_id,
    acronym, kind, title, start, start_date, location). Projects outside the selection are
    grey; an end derived from a stated duration is hatched; a project with a start and no end
    is a triangle at its start. ``state.year_from``/``year_to`` shade the chosen period and
    ``state.project`` is outlined. Each bar's customdata[0] is its project id.
    """
    style = look(state)
    colours = programme_colours(list(projects["programme"]), style)
    traces = [*_span_traces(projects, colours, state, style),
              *_half_known_traces(projects, colours, style, state.lang),
              *_activity_traces(activities, style, state.lang)]
    shapes = _period_shapes(projects, activities, state)
    return figure(traces, _timeline_layout(projects, activities, shapes, style), style)


def _row_height(style: Look) -> int:
    """Pixels per project row: more in presentation mode, for its larger labels."""
    return ROW_HEIGHT if style.font_size < 18 else ROW_HEIGHT + 12


MAX_BARS = 60
"""Above this many projects the timeline draws projects active per month instead of bars."""


def timeline_band_figure(band: pd.DataFrame, state: FilterState, projects: int, undrawn: int) -> Figure:
    """Projects active per month, for selections too large for one bar per project.

    ``band`` has the columns of ``data.engine.queries.timeline_band``: month, context, selected.
    ``projects`` is how many projects the timeline holds; ``undrawn`` how many of them lack a
    start or an end and so are not in the band. Dragging across it still chooses a period.
    """
    style = look(state)
    _ = translator(state.lang)
    traces: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []
    # Months as 'YYYY-MM' text: plotly serialises a column of timestamps one by one.
    months = np.datetime_as_string(band["month"].to_numpy(dtype="datetime64[M]")).tolist()
    traces.append(trace("scatter",
        name=_("in context, not in the selection"), x=months, y=band["context"].to_numpy(),
        mode="lines", line={"width": 0, "shape": "hv", "color": style.not_stated}, fill="tozeroy",
        fillcolor=style.unselected,
        hovertemplate="%{x|%Y-%m}: " + _("{y} projects active in context", y="%{y}") + "<extra></extra>",
    ))
    traces.append(trace("scatter",
        name=_("projects active in the selection"), x=months, y=band["selected"].to_numpy(),
        mode="lines", line={"width": 1, "color": style.band_line, "shape": "hv"}, fill="tozeroy",
        hovertemplate="%{x|%Y-%m}: " + _("{y} selected projects active", y="%{y}") + "<extra></extra>",
    ))
    if state.year_from is not None or state.year_to is not None:
        x0 = f"{state.year_from}-01-01" if state.year_from is not None else band["month"].min()
        x1 = f"{state.year_to}-12-31" if state.year_to is not None else band["month"].max()
        if len(band):
            shapes.append(period_shade(x0, x1))
    note = _("{projects} projects: too many for one bar each, so this shows how many are "
             "active each month.<br>Narrow the filters to {most} or fewer to see bars.",
             projects=_.number(projects), most=_.number(MAX_BARS))
    if undrawn:
        note += " " + _("{undrawn} with a start or an end not stated are not in the band.",
                        undrawn=_.number(undrawn))
    return figure(traces, dict(
        shapes=shapes,
        dragmode="select", selectdirection="h", height=320 if style.font_size < 18 else 440,
        hovermode="x", margin={"l": 10, "r": 10, "t": 50 if style.font_size < 18 else 80, "b": 30},
        xaxis=style.axis({"type": "date", "title": None}),
        yaxis=style.axis({"title": {"text": _("projects active"),
                                    "font": {"size": style.font_size, "color": style.ink}},
                          "rangemode": "tozero"}),
        legend={"orientation": "h", "y": -0.15, "x": 0},
        uirevision="timeline-band",
        title={"text": note, "font": {"size": style.font_size}, "x": 0, "xanchor": "left"},
    ), style)


# --- the timeline's context: programming periods, projects active per year, the open project ---

STRIP_PX = 70
"""Height of the strip above the bars that draws the projects active per year."""
STRIP_GAP = 0.03
"""Space between the strip and the bars, as a share of the plot's height."""


def drawn_range(projects: pd.DataFrame, activities: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last dates a bar timeline draws (``timeline_frame`` and
    ``timeline_activities`` columns start and end), None when it draws none."""
    dates = pd.concat([projects["start"], projects["end"], activities["start"]]).dropna()
    return (pd.Timestamp(dates.min()), pd.Timestamp(dates.max())) if len(dates) else None


def band_range(band: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last months a band timeline (``timeline_band``) draws, None if none."""
    if band.empty:
        return None
    last = pd.Timestamp(band["month"].max())
    return pd.Timestamp(band["month"].min()), last + pd.offsets.MonthEnd(0)


PLOT_PX = 1000
"""The narrowest the timeline's plot is drawn (the card spans the page at 1366 px): a period's
label is written out only where it fits in its band at that width."""


def _fits(text: str, share: float, style: Look) -> bool:
    """Whether ``text`` fits in ``share`` of the plot's width (an average glyph is about 0.55
    of the font size wide)."""
    return len(text) * style.font_size * 0.55 <= share * PLOT_PX


def period_bands(periods: Sequence[ProgrammingPeriod], drawn: tuple[pd.Timestamp, pd.Timestamp] | None,
                 style: Look = LIGHT) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(shapes, annotations): a band behind the bars for each programming period the drawn
    dates meet, cut to them (a band outside would stretch the axis), alternately darker, and its
    label above the plot at the band's left edge: the period's name where it fits in the band,
    else its years ('2014–2020'). None without dates drawn."""
    shapes: list[dict[str, Any]] = []
    labels: list[dict[str, Any]] = []
    if drawn is None:
        return shapes, labels
    lo, hi = drawn
    whole = max((hi - lo).total_seconds(), 1.0)
    for i, period in enumerate(periods):
        x0 = max(pd.Timestamp(f"{period.first_year}-01-01"), lo)
        x1 = min(pd.Timestamp(f"{period.last_year}-12-31"), hi)
        if x0 > x1:
            continue
        share = (x1 - x0).total_seconds() / whole
        years = f"{period.first_year}–{period.last_year}"
        text = next((t for t in (period.label, years) if _fits(t, share, style)), "")
        x0_text, x1_text = x0.strftime("%Y-%m-%d"), x1.strftime("%Y-%m-%d")
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x0_text, "x1": x1_text,
                       "y0": 0, "y1": 1, "fillcolor": style.ink, "opacity": 0.06 if i % 2 else 0.12,
                       "line": {"width": 0}, "layer": "below", "name": period.period_id})
        if not text:
            continue
        labels.append({"text": text, "x": x0_text, "xref": "x", "xanchor": "left",
                       "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
                       "font": {"size": max(11, style.font_size - 1), "color": style.ink},
                       "name": period.period_id})
    return shapes, labels


def with_programming_periods(fig: Figure, periods: Sequence[ProgrammingPeriod],
                             drawn: tuple[pd.Timestamp, pd.Timestamp] | None, style: Look = LIGHT) -> Figure:
    """``fig`` (either timeline) with the programming periods shaded behind everything and
    labelled above the plot, its top margin grown for the labels."""
    shapes, labels = period_bands(periods, drawn, style)
    if not shapes:
        return fig
    margin = dict(fig.plain_layout.get("margin") or {})
    margin["t"] = int(margin.get("t", 10)) + style.font_size + 10
    layout = {"margin": margin, "height": int(fig.plain_layout.get("height") or 300) + style.font_size + 10}
    return fig.extended(shapes=shapes, annotations=labels, layout=layout, shapes_first=True)


def with_active_strip(fig: Figure, active: pd.DataFrame, state: FilterState) -> Figure:
    """``fig`` (a bar ``timeline_figure``) with a strip above the bars: the projects of the
    selection active in each year (``data.engine.focus.active_per_year``: year, projects), a
    point at mid-year whose hover states the count. Unchanged when no project has both dates."""
    if active.empty:
        return fig
    style = look(state)
    _ = translator(state.lang)
    layout = fig.plain_layout
    height = int(layout.get("height") or 300)
    margin = layout.get("margin") or {}
    plot = max(1, height - int(margin.get("t", 10)) - int(margin.get("b", 30)))
    top = plot / (plot + STRIP_PX)
    years = active["year"].to_numpy()
    line = trace("scatter",
        name=_("projects of the selection active per year"), x=[f"{y}-07-01" for y in years],
        y=active["projects"].to_numpy(), yaxis="y2", mode="lines+markers",
        line={"color": style.band_line, "width": 2}, marker={"size": 6, "color": style.band_line},
        customdata=[[int(y)] for y in years],
        hovertemplate=_("{year}: {n} projects of the selection active", year="%{customdata[0]}", n="%{y}")
        + "<extra></extra>",
    )
    yaxis = {**(layout.get("yaxis") or {}), "domain": [0, max(0.1, top - STRIP_GAP)]}
    yaxis2 = style.axis({"domain": [top, 1], "anchor": "x", "rangemode": "tozero", "fixedrange": True,
                         "showgrid": False, "nticks": 3, "side": "right",
                         "title": {"text": _("active"), "font": {"size": max(11, style.font_size - 2),
                                                                 "color": style.ink}}})
    return fig.extended(traces=[line], layout={"yaxis": yaxis, "yaxis2": yaxis2,
                                               "height": height + STRIP_PX})


def with_focus_span(fig: Figure, focus: Focus | None, style: Look = LIGHT, lang: str = "en") -> Figure:
    """``fig`` (a band ``timeline_band_figure``) with the open project's period marked: a
    dotted outline from its start to its end, labelled with its acronym; a line at its start
    or its end alone where only one is known. Unchanged without a focus or any date of it."""
    known = [] if focus is None else [d for d in (focus.start, focus.end) if d is not None]
    if focus is None or not known:
        return fig
    _ = translator(lang)
    x0, x1 = known[0], known[-1]
    x0_text, x1_text = x0.strftime("%Y-%m-%d"), x1.strftime("%Y-%m-%d")
    shape = {"type": "rect", "xref": "x", "yref": "y domain", "x0": x0_text, "x1": x1_text, "y0": 0,
             "y1": 1, "fillcolor": HIGHLIGHT, "opacity": 0.25, "layer": "above", "name": "open project",
             "line": {"color": style.ink, "width": 2, "dash": "dot"}}
    label = {"text": _("{acronym} (open project)", acronym=focus.acronym), "x": x0_text, "xref": "x",
             "xanchor": "left", "y": 1, "yref": "y domain", "yanchor": "top", "showarrow": False,
             "font": {"size": style.font_size, "color": style.ink}, "bgcolor": style.paper,
             "name": "open project"}
    return fig.extended(shapes=[shape], annotations=[label])
