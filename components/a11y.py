"""What the charts are to a keyboard or a screen reader: their names and their table alternatives.

A Plotly chart cannot be reached with Tab, and a screen reader hears only its tick labels. Each
chart is therefore wrapped in a ``<figure>`` named after what it shows and how many projects
the selection holds (``chart``), and followed by a disclosure (``<details>``: native keyboard
support, no callback) holding an HTML table of the same data whose cells are buttons doing what
a click on the chart does. The tables are pure functions of the frames the figures draw, so the
alternative lists exactly what the chart shows.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dash import html

from components import ids
from data.engine.state import FilterState
from data.io.i18n import Translator, translator


def aria(**values: str) -> dict[str, Any]:
    """``aria-*`` attributes for an html component: ``aria(label="…")`` -> ``{"aria-label": "…"}``."""
    return {f"aria-{key}": value for key, value in values.items()}


def input_labels(*names: str) -> dict[str, Any]:
    """Names for the inputs inside a wrapper, in order, for components that take no label prop
    (the range slider's year boxes, the upload's file input); assets/keyboard.js applies them."""
    return {"data-input-labels": "|".join(names)}


def chart(figure_id: str, graph: Any, caption: Any, alternative: Any = None,
          label: str = "") -> html.Figure:
    """``graph`` inside a figure named ``label`` until the chart's render callback names it with
    the selection's count (``figure_id``'s ``aria-label``), ``caption`` as its visible
    figcaption, then the ``alternative``."""
    return html.Figure([graph, html.Figcaption(caption, className="small text-muted mb-0"),
                        *([alternative] if alternative is not None else [])],
                       id=figure_id, className="chart mb-0", **aria(label=label))


def disclosure(summary: str, body_id: str) -> html.Details:
    """A closed disclosure titled ``summary`` whose body (``body_id``) a render callback fills
    while it is open (``ids.disclosure_id``; ``callbacks/views.py`` ``only_open``)."""
    return html.Details([html.Summary(summary, className="small"),
                         html.Div(id=body_id, className="chart-alternative")],
                        id=ids.disclosure_id(body_id), open=False, className="chart-alternative-wrap mt-1")


def _plural(n: int, _: Translator) -> str:
    return _.ngettext("{n} project", "{n} projects", n)


def matrix_label(selected: int, lang: str = "en") -> str:
    """The matrix figure's accessible name for a selection of ``selected`` projects, in ``lang``."""
    _ = translator(lang)
    return _("Heatmap of projects per Key Enabling Technology and sector: {projects} in the "
             "selection. Its table follows.", projects=_plural(selected, _))


def timeline_label(selected: int, bars: bool, lang: str = "en") -> str:
    """The timeline's accessible name in ``lang``: what it draws for ``selected`` projects."""
    _ = translator(lang)
    drawn = _("one bar per project") if bars else _("projects active per month")
    return _("Timeline of projects, {drawn}: {projects} in the selection. Its list follows.",
             drawn=drawn, projects=_plural(selected, _))


def map_label(selected: int, metric: str, lang: str = "en") -> str:
    """The map's accessible name in ``lang``: a choropleth of ``metric`` (the state's ``map``:
    'projects' or 'partners') for ``selected`` projects."""
    _ = translator(lang)
    coloured = _("partners") if metric == "partners" else _("projects")
    return _("Map of partner countries coloured by {metric}: {projects} in the selection. The "
             "country filter above chooses countries by keyboard.", metric=coloured,
             projects=_plural(selected, _))


def matrix_table(
    matrix: pd.DataFrame, state: FilterState, ket_labels: dict[str, str], sector_labels: dict[str, str]
) -> html.Table:
    """The KET x sector matrix as a table: KETs as row headers, sectors as column headers.

    ``matrix`` has the columns of ``data.engine.queries.ket_sector_matrix`` (ket, sector,
    projects); the label mappings fix the order as in ``matrix_figure``. A non-empty cell is a
    button (``ids.matrix_cell_id``) filtering by its KET and sector as a click on the heatmap
    does; the selected cells are pressed (``aria-pressed``). In the state's language."""
    _ = translator(state.lang)
    counts = {(str(k), str(s)): int(n) for k, s, n in
              zip(matrix["ket"], matrix["sector"], matrix["projects"], strict=True)}

    def cell(ket: str, sector: str) -> html.Td:
        n = counts.get((ket, sector), 0)
        if not n:
            return html.Td("0", className="text-muted")
        pressed = state.ket == (ket,) and state.sector == (sector,)
        name = _("{ket} x {sector}: {projects}", ket=ket_labels[ket], sector=sector_labels[sector],
                 projects=_plural(n, _))
        return html.Td(html.Button(
            str(n), id=ids.matrix_cell_id(ket, sector), n_clicks=0, type="button",
            className="btn btn-link btn-sm p-0 cell-button",
            title=name, **aria(label=name, pressed="true" if pressed else "false")))

    head = html.Thead(html.Tr([html.Th(_("KET \\ sector"), scope="col"),
                               *[html.Th(label, scope="col") for label in sector_labels.values()]]))
    body = html.Tbody([html.Tr([html.Th(ket_labels[k], scope="row"),
                                *[cell(k, s) for s in sector_labels]]) for k in ket_labels])
    return html.Table([html.Caption(_("Projects per KET (rows) and sector (columns); press a "
                                      "number to filter by both, again to clear.")), head, body],
                      className="table table-sm a11y-table mb-0")


def timeline_list(projects: pd.DataFrame, state: FilterState) -> list[Any]:
    """The projects the timeline draws, in its order, each a button opening the project as a
    click on its bar does (``ids.timeline_item_id``).

    ``projects`` has the columns of ``data.engine.queries.timeline_frame`` (project_id, acronym,
    title, start_date, end_date, start, end, selected); a project with neither date is not
    drawn, so not listed (the undated list names it). In the state's language."""
    _ = translator(state.lang)
    drawn = projects[projects["start"].notna() | projects["end"].notna()]
    if drawn.empty:
        return [html.P(_("The timeline draws no project for this selection."), className="small mb-0")]
    # Outside the f-string below: the message extractor does not see calls inside one.
    no_start, no_end = _("start not stated"), _("end not stated")
    rows = []
    for pid, acronym, title, start, end, selected in zip(
            drawn["project_id"], drawn["acronym"], drawn["title"], drawn["start_date"],
            drawn["end_date"], drawn["selected"], strict=True):
        period = f"{start or no_start} – {end or no_end}"
        opened = pid == state.project
        rows.append(html.Tr([
            html.Th(html.Button(str(acronym), id=ids.timeline_item_id(pid), n_clicks=0, type="button",
                                className="btn btn-link btn-sm p-0 text-start",
                                title=_("Open {acronym}: {title}", acronym=acronym, title=title),
                                **aria(pressed="true" if opened else "false")), scope="row"),
            html.Td(period),
            html.Td(_("in the selection") if selected else _("outside the selection (grey)")),
        ]))
    return [html.Table([
        html.Caption(_("{projects} drawn on the timeline; press an acronym to open the project.",
                       projects=_plural(len(drawn), _))),
        html.Thead(html.Tr([html.Th(_("Project"), scope="col"), html.Th(_("Period"), scope="col"),
                            html.Th(_("Shown"), scope="col")])),
        html.Tbody(rows)], className="table table-sm a11y-table mb-0")]


def timeline_band_note(projects: int, max_bars: int, lang: str = "en") -> list[Any]:
    """What the alternative says, in ``lang``, when the timeline draws a band, not bars."""
    _ = translator(lang)
    return [html.P(_("{projects}: the timeline draws how many are active each month, not a bar "
                     "each (at most {max_bars}). The projects table below lists them all.",
                     projects=_plural(projects, _), max_bars=_.number(max_bars)),
                   className="small mb-0")]
