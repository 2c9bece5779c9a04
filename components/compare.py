"""The comparison panel: two to four projects side by side, and the button that opens it.

Pure functions from a ``data.engine.compare.Comparison`` to Dash components. Each project is a
column of one table, each fact a row; every fact cites its source the way the project panel
does (``[n]`` linking ``/sources/<id>``, numbered per project), and anything the sources do not
state says so ("not stated"), never a blank or a 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash_bootstrap_components as dbc
from dash import dcc, html

from components import a11y, ids
from components.compare_figure import project_colours
from components.export_menu import chart_buttons
from components.panels import _euro
from data.engine.compare import Comparison, Count, Side, Tag
from data.engine.state import COMPARE_MAX, COMPARE_MIN, FilterState
from data.io.countries import country_name
from data.io.i18n import Translator, kind_label, translator

Cite = Callable[[str], html.A]


def compare_controls(lang: str = "en") -> html.Div:
    """'Compare' beside the projects table (enabled once 2 to 4 rows are ticked), what it
    needs, and the store its press writes."""
    _ = translator(lang)
    return html.Div([
        dbc.Button(_("Compare"), id=ids.COMPARE_BUTTON, size="sm", color="primary", disabled=True,
                   n_clicks=0, className="me-2"),
        html.Span(compare_hint(0, lang), id=ids.COMPARE_HINT, className="small text-muted",
                  role="status"),
        dcc.Store(id=ids.COMPARE_REQUEST),
    ], className="d-flex align-items-center mb-1 compare-controls")


def compare_button_label(ticked: int, lang: str = "en") -> str:
    """The button's text: 'Compare (2)' with the number of rows ticked."""
    _ = translator(lang)
    return _("Compare ({n})", n=ticked) if ticked else _("Compare")


def compare_hint(ticked: int, lang: str = "en") -> str:
    """What the button needs, said beside it."""
    _ = translator(lang)
    if ticked > COMPARE_MAX:
        return _("{n} rows ticked: a comparison shows at most {most}; untick some.", n=ticked,
                 most=COMPARE_MAX)
    if ticked < COMPARE_MIN:
        return _("Tick {least} to {most} rows (Space on a row) to compare them side by side.",
                 least=COMPARE_MIN, most=COMPARE_MAX)
    return ""


def compare_card(lang: str = "en") -> html.Section:
    """The panel's frame, hidden until the state names a comparison; the callback fills the
    timeline and the table."""
    _ = translator(lang)
    return html.Section(dbc.Card(dbc.CardBody([
        html.Div([html.H2(_("Comparison"), className="card-title", id=ids.COMPARE_TITLE, tabIndex="-1"),
                  html.Div([chart_buttons(ids.COMPARE_TIMELINE, lang),
                            dbc.Button(_("Close the comparison"), id=ids.COMPARE_CLOSE, size="sm",
                                       color="secondary", outline=True, n_clicks=0)],
                           className="d-flex align-items-center gap-2")],
                 className="d-flex justify-content-between align-items-center"),
        a11y.chart(ids.COMPARE_FIGURE,
                   dcc.Graph(id=ids.COMPARE_TIMELINE, config={"displayModeBar": False}),
                   _("The periods on one time axis; shaded: when all of them run. Hatched: end drawn "
                     "from a stated duration."),
                   label=_("Timeline of the compared projects")),
        html.Div(id=ids.COMPARE_BODY, className="compare-body"),
    ]), className="view-card"), id=ids.COMPARE, className="compare mb-2", style={"display": "none"},
        **a11y.aria(labelledby=ids.COMPARE_TITLE))


def _citer(side: Side) -> Cite:
    """Numbered citations of one column, numbered in the order of its source list."""
    numbers = {s.source_id: i + 1 for i, s in enumerate(side.sources)}
    titles = {s.source_id: s.title for s in side.sources}

    def cite(source_id: str) -> html.A:
        return html.A(f"[{numbers.get(source_id, '?')}]", href=f"/sources/{source_id}", target="_blank",
                      className="source-ref", title=f"{titles.get(source_id, '')} ({source_id})")

    return cite


def _muted(text: str) -> html.Span:
    return html.Span(text, className="text-muted fst-italic")


def _stated(value: str | None, _: Translator) -> Any:
    return value if value else _muted(_("not stated"))


def _amount(value: float | None, lang: str) -> Any:
    return _euro(value, lang) if value is not None else _muted(translator(lang)("not stated"))


def _period(side: Side, _: Translator) -> Any:
    start = side.start_date or _("start not stated")
    end = side.end_date or _("end not stated")
    text = f"{start} – {end}"
    if side.end_derived and side.duration_months is not None:
        text += " " + _("(the source states a duration of {months} months)", months=side.duration_months)
    return text


def _counts(counts: tuple[Count, ...], name: Callable[[str], str], _: Translator) -> Any:
    if not counts:
        return _muted(_("No organisation is named in the sources."))
    # One line of "Spain 2 · Greece 1": four columns of long lists would not fit a screen.
    return html.Div(" · ".join(f"{name(c.value) if c.value else _('not stated')} {_.number(c.count)}"
                               for c in counts), className="compare-counts")


def _tags(tags: tuple[Tag, ...], labels: dict[str, str], cite: Cite, _: Translator) -> Any:
    if not tags:
        return _muted(_("None stated in the sources."))
    return html.Ul([html.Li([labels.get(t.id, t.label),
                             " " + _("(inferred by rules)") if t.inferred else "", " ", cite(t.source)],
                            className="fst-italic" if t.inferred else "")
                    for t in tags], className="list-unstyled mb-0")


def _activities(side: Side, cite: Cite, lang: str, _: Translator) -> Any:
    if not side.activities:
        return _muted(_("None stated in the sources."))
    return html.Ul([html.Li([html.Strong(a.title), f" ({kind_label('activities', a.kind, lang)}) ",
                             a.start_date or _("date not stated"), f" – {a.end_date}" if a.end_date else "",
                             f", {a.location}" if a.location else "", " ", cite(a.source)])
                    for a in side.activities], className="list-unstyled mb-0")


def _instruments(side: Side, cite: Cite, _: Translator) -> Any:
    if not side.instruments:
        return _muted(_("None stated in the sources."))
    return html.Ul([html.Li([html.Strong(i.name), f" — {i.partner}" if i.partner else "", " ",
                             cite(i.source)]) for i in side.instruments], className="list-unstyled mb-0")


def _sources(side: Side, lang: str) -> html.Ol:
    return html.Ol([html.Li([html.A(s.source_id, href=f"/sources/{s.source_id}", target="_blank")
                             if s.kind == "seed" else html.Span(s.source_id),
                             f" — {s.title} ({kind_label('sources', s.kind, lang)})",
                             html.Div(html.A(s.url, href=s.url, target="_blank")) if s.url else ""])
                    for s in side.sources], className="small source-list mb-0")


def _countries(codes: tuple[str, ...], lang: str, _: Translator) -> str:
    return ", ".join(country_name(c, lang) for c in codes) if codes else _("none")


def overlap_text(comparison: Comparison, lang: str = "en") -> str:
    """The overlap of the periods, in words: its dates and length, that there is none, or
    which projects' dates are missing for working it out."""
    _ = translator(lang)
    overlap = comparison.overlap
    acronyms = {s.id: s.acronym for s in comparison.projects}
    if overlap.days is None:
        return _("Overlap unknown: the start or end of {projects} is not stated.",
                 projects=", ".join(acronyms[i] for i in overlap.unknown))
    if overlap.start is None or overlap.end is None:
        return _("Overlap: none; these periods do not meet.")
    return _("Overlap: {start} to {end}, {days} days (about {months} months), when all of them run.",
             start=overlap.start.isoformat(), end=overlap.end.isoformat(), days=_.number(overlap.days),
             months=_.number(overlap.months or 0.0))


def compare_body(comparison: Comparison, state: FilterState,
                 tag_labels: dict[str, dict[str, str]] | None = None) -> list[Any]:
    """The overlap, the side-by-side table and the partners and countries the projects share,
    in ``state.lang``; ``tag_labels`` name KETs and sectors in that language by id."""
    lang = state.lang
    _ = translator(lang)
    labels = tag_labels or {}
    sides = comparison.projects
    cites = [_citer(s) for s in sides]
    colours = project_colours(list(comparison.ids))

    def row(title: str, cell: Callable[[Side, Cite], Any]) -> html.Tr:
        return html.Tr([html.Th(title, scope="row")] + [html.Td(cell(s, c)) for s, c in zip(sides, cites,
                                                                                           strict=True)])

    def country(code: str) -> str:
        return country_name(code, lang)

    def org_type(kind: str) -> str:
        return kind_label("organisations", kind, lang)

    head = html.Thead(html.Tr([html.Td("")] + [
        html.Th([html.Span(className="compare-swatch", style={"background": colours[s.id]}),
                 s.acronym], scope="col") for s in sides]))
    body = html.Tbody([
        row(_("Title"), lambda s, c: [_stated(s.title, _), " ", c(s.project_source)]),
        row(_("Kind"), lambda s, c: kind_label("projects", s.kind, lang)),
        row(_("Programme"), lambda s, c: _stated(s.programme, _)),
        row(_("Period"), lambda s, c: [_period(s, _), " ", c(s.project_source)]),
        row(_("Budget"), lambda s, c: _amount(s.budget_eur, lang)),
        row(_("EU contribution"), lambda s, c: _amount(s.eu_contribution_eur, lang)),
        row(_("Partners by country"), lambda s, c: [
            html.Div(_.ngettext("{n} organisation named", "{n} organisations named", s.partners)),
            _counts(s.partners_by_country, country, _)]),
        row(_("Partners by type"), lambda s, c: _counts(s.partners_by_type, org_type, _)),
        row(_("Countries named without organisations"),
            lambda s, c: _countries(s.countries_without_organisation, lang, _)),
        row(_("Key Enabling Technologies"), lambda s, c: _tags(s.kets, labels.get("ket", {}), c, _)),
        row(_("Sectors"), lambda s, c: _tags(s.sectors, labels.get("sector", {}), c, _)),
        row(_("Activities"), lambda s, c: _activities(s, c, lang, _)),
        row(_("Policy instruments"), lambda s, c: _instruments(s, c, _)),
        row(_("Sources"), lambda s, c: _sources(s, lang)),
    ])
    acronyms = {s.id: s.acronym for s in sides}

    def shared_item(label: str, projects: tuple[str, ...]) -> html.Li:
        return html.Li(f"{label} — " + ", ".join(acronyms[p] for p in projects))

    partners = comparison.shared_partners
    countries = comparison.shared_countries
    return [
        html.P(overlap_text(comparison, lang), className="compare-overlap mb-2"),
        html.Div(html.Table([head, body], className="table table-sm compare-table align-top small mb-2"),
                 className="table-responsive"),
        html.Div([
            html.Div([html.H3(_("Shared partners ({n})", n=_.number(len(partners))), className="h6"),
                      html.Ul([shared_item(p.label + (f" ({country(p.country)})" if p.country else ""),
                                           p.projects) for p in partners], className="small")
                      if partners else html.P(_("No organisation takes part in two or more of them."),
                                              className="small text-muted")],
                     className="compare-shared"),
            html.Div([html.H3(_("Shared countries ({n})", n=_.number(len(countries))), className="h6"),
                      html.Ul([shared_item(country(c.id), c.projects) for c in countries], className="small")
                      if countries else html.P(_("No country takes part in two or more of them."),
                                               className="small text-muted")],
                     className="compare-shared"),
        ], className="d-flex flex-wrap column-gap-4"),
    ]
