"""Read-only panels: headline figures, active-filter chips, notices, the undated list and the
project detail. Pure functions from query results to Dash components."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components import ids
from data.engine.queries import Headline, ProjectDetail
from data.engine.state import FilterState, Notice
from data.io.countries import country_name


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``frame`` as named tuples; their cells are whatever the query put there."""
    return iter(frame.itertuples(index=False))


def _euro(amount: float) -> str:
    if amount >= 1_000_000:
        return f"€{amount / 1_000_000:,.1f} m"
    return f"€{amount:,.0f}"


def _figure(value: str, label: str, component_id: str) -> html.Div:
    return html.Div(
        [html.Div(value, className="headline-value", id=component_id),
         html.Div(label, className="headline-label")],
        className="headline-figure",
    )


PLACES_NAMED = 3
"""How many filtered countries the headline names before saying 'the N selected countries'."""


def _places(codes: tuple[str, ...]) -> str:
    """'Germany', 'Germany and France', 'Germany, France and Italy', 'the 5 selected countries'."""
    if len(codes) > PLACES_NAMED:
        return f"the {len(codes)} selected countries"
    names = [country_name(c) for c in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def headline_panel(h: Headline) -> list[Any]:
    """Counts of the selection, then a line on how complete its data is. Each label says what
    it counts: with a country filter the selected projects still have partners elsewhere, so
    the organisations located in the chosen countries are a figure of their own."""
    n = h.projects
    eu = (_euro(h.eu_contribution_eur) if h.eu_contribution_eur is not None else "not stated")
    organisations = [_figure(str(h.organisations), "organisations in these projects",
                             ids.HEADLINE_ORGANISATIONS)]
    if h.in_countries and h.organisations_in_countries is not None:
        organisations.append(_figure(str(h.organisations_in_countries),
                                     f"of them in {_places(h.in_countries)}",
                                     ids.HEADLINE_ORGANISATIONS_IN_COUNTRIES))
    figures = html.Div(
        [
            _figure(str(n), "projects", ids.HEADLINE_PROJECTS),
            *organisations,
            _figure(str(h.countries), "countries taking part in these projects",
                    ids.HEADLINE_COUNTRIES),
            _figure(eu, f"EU contribution (stated for {h.eu_contribution_known} of {n})", ids.HEADLINE_EU),
        ],
        className="headline-figures",
    )
    parts = [
        f"dates known for {h.dates_known} of {n} projects",
        f"budget for {h.budget_known} of {n}",
        f"EU contribution for {h.eu_contribution_known} of {n}",
        f"partners named for {h.partners_named} of {n}",
    ]
    if h.period_undetermined:
        parts.append(f"{h.period_undetermined} more project(s) may fall in the period but their "
                     "dates are not stated")
    completeness = html.Div("Data completeness: " + "; ".join(parts) + ".",
                            className="headline-completeness", id=ids.HEADLINE_COMPLETENESS)
    return [figures, completeness]


def chips(state: FilterState, labels: dict[str, dict[str, str]]) -> list[Any]:
    """One removable chip per active filter value; ``labels`` maps dimension -> value -> label."""
    items: list[Any] = []

    def chip(dimension: str, value: str, text: str) -> html.Span:
        aria: dict[str, Any] = {"aria-label": f"Remove {text}"}
        return html.Span(
            [text, html.Button("×", id=ids.chip_id(dimension, value),
                               className="chip-remove", title=f"Remove {text}", n_clicks=0,
                               **aria)],
            className="filter-chip",
        )

    for dimension in ("country", "ket", "sector", "programme"):
        for value in getattr(state, dimension):
            label = labels.get(dimension, {}).get(value, value)
            items.append(chip(dimension, value, f"{dimension}: {label}"))
    if state.year_from is not None or state.year_to is not None:
        period = f"{state.year_from or '…'}–{state.year_to or '…'}"
        items.append(chip("period", "", f"period: {period}"))
    if state.project:
        items.append(chip("project", state.project,
                          f"project: {labels.get('project', {}).get(state.project, state.project)}"))
    if state.q:
        items.append(chip("q", state.q, f"search: “{state.q}”"))
    if state.dataset:
        name = labels.get("dataset", {}).get(state.dataset, state.dataset)
        items.insert(0, chip("dataset", state.dataset, f"dataset: {name} (× back to the default)"))
    return items


def notices(found: list[Notice]) -> list[Any]:
    """A visible, dismissable warning for URL values that were ignored, and a note for valid
    values that were kept although no project matches them (``Notice.kept``)."""
    ignored = [n for n in found if not n.kept]
    kept = [n for n in found if n.kept]
    alerts: list[Any] = []
    if ignored:
        alerts.append(dbc.Alert(
            [html.Strong("Some of the address was not understood and was ignored: "),
             html.Ul([html.Li(str(n)) for n in ignored])],
            color="warning", dismissable=True, className="mb-2",
        ))
    if kept:
        alerts.append(dbc.Alert(
            [html.Strong("The address selects values no project matches, so no project is shown: "),
             html.Ul([html.Li(n.message) for n in kept])],
            color="info", dismissable=True, className="mb-2 notice-unmatched",
        ))
    return alerts


UNDATED_SHOWN = 25
"""How many undated projects are named under the timeline before '+N more'."""


def undated_list(undated: pd.DataFrame) -> list[Any]:
    """Projects with no stated dates, listed beside the timeline so none is dropped."""
    if undated.empty:
        return [html.P("Every project in the selection has at least one stated date.",
                       className="text-muted small")]
    more = len(undated) - UNDATED_SHOWN
    return [
        html.Span(f"No dates stated in the sources ({len(undated):,}): ", className="small"),
        *[html.Button(r.acronym, n_clicks=0, className="btn btn-link btn-sm p-0 me-2 align-baseline",
                      id=ids.undated_item_id(r.project_id))
          for r in _rows(undated.head(UNDATED_SHOWN))],
        html.Span(f"+{more:,} more, all in the table below." if more > 0 else "",
                  className="small text-muted"),
    ]


def _citer(sources: pd.DataFrame) -> Callable[[str], html.A]:
    """Numbered citations: [n] links to the n-th entry of the panel's source list."""
    numbers = {sid: i + 1 for i, sid in enumerate(sources["source_id"])}
    titles = dict(zip(sources["source_id"], sources["title"], strict=True))

    def cite(source_id: str) -> html.A:
        return html.A(f"[{numbers.get(source_id, '?')}]", href=f"/sources/{source_id}",
                      target="_blank", className="source-ref",
                      title=f"{titles.get(source_id, '')} ({source_id})")

    return cite


def _source_item(source: Any) -> html.Li:
    """One entry of the panel's numbered source list: the document, or where a fact comes from."""
    name = (html.A(source.source_id, href=f"/sources/{source.source_id}", target="_blank")
            if source.kind == "seed" else html.Span(source.source_id))
    url = source.url if isinstance(source.url, str) and source.url else ""
    note = source.note if isinstance(source.note, str) and source.note else ""
    return html.Li([
        name, f" — {source.title} ({source.kind})",
        html.Div(html.A(url, href=url, target="_blank")) if url else "",
        html.Div(note, className="text-muted") if note else "",
    ])


EVIDENCE_LABELS = {
    "euroscivoc": "from its EuroSciVoc field",
    "legal-basis": "from its programme part",
    "topic": "from its call topic",
    "code": "from a programme or topic code",
    "keyword": "from words of its title and summary",
}
SCHEME_TITLES = {
    "euroscivoc": "Fields of science (EuroSciVoc)",
    "legal-basis": "Programme parts (legal basis)",
    "topic": "Call topics",
    "funding-scheme": "Funding scheme (type of action)",
    "policy-priority": "Policy priorities (share of the budget)",
}
MAX_LINKS_SHOWN = 8


def _classifications(frame: pd.DataFrame, cite: Callable[[str], html.A]) -> list[Any]:
    """The project's classifications in the source system, one list per scheme."""
    out: list[Any] = []
    for scheme_key, group in frame.groupby("scheme", sort=False):
        scheme = str(scheme_key)
        items = []
        for r in _rows(group):
            if scheme == "euroscivoc":
                text = r.path or r.title or r.code
            elif scheme == "policy-priority":
                text = r.title or r.code
            else:
                text = f"{r.code} {r.title}".strip()
            main = " (main)" if r.primary == "true" and len(group) > 1 else ""
            items.append(html.Li([text, main, " ", cite(r.source)]))
        out += _section(SCHEME_TITLES.get(scheme, scheme), items)
    return out


def _section(title: str, items: list[Any]) -> list[Any]:
    """A titled list of the panel: a heading and its small-print items."""
    return [html.H6(title), html.Ul(items, className="small")]


def _links(frame: pd.DataFrame, cite: Callable[[str], html.A]) -> list[Any]:
    if frame.empty:
        return []
    shown = frame.head(MAX_LINKS_SHOWN)
    items = [html.Li([html.A(r.title or r.url, href=r.url, target="_blank", rel="noopener"),
                      f" ({r.kind})" if r.kind else "", " ", cite(r.source)])
             for r in _rows(shown)]
    more = len(frame) - len(shown)
    if more:
        items.append(html.Li(f"and {more} more link{'s' if more != 1 else ''} (in the API record)",
                             className="text-muted"))
    return _section("Links", items)


def _detail_header(p: pd.Series) -> list[Any]:
    """The project's name, title, kind, programme, dates, amounts, address and summary."""
    dates = f"{p['start_date'] or 'start not stated'} – {p['end_date'] or 'end not stated'}"
    if p["end_derived"]:
        dates += f" (the source states a duration of {int(p['duration_months'])} months)"
    header: list[Any] = [
        html.H4(p["acronym"], className="mb-0"),
        html.P(p["title"], className="fw-semibold mb-1"),
        html.P([f"{p['kind']} · {p['programme'] or 'programme not stated'} · {dates}"],
               className="small mb-1"),
        html.P(["Budget: ", _euro(p["budget_eur"]) if pd.notna(p["budget_eur"]) else "not stated",
                " · EU contribution: ",
                _euro(p["eu_contribution_eur"]) if pd.notna(p["eu_contribution_eur"]) else "not stated"],
               className="small mb-1"),
    ]
    if p["url"]:
        header.append(html.P(html.A(p["url"], href=p["url"], target="_blank"), className="small"))
    if p["summary"]:
        header.append(html.P(p["summary"], className="small"))
    return header


def _detail_warnings(p: pd.Series, findings: pd.DataFrame) -> list[Any]:
    """Alerts: rows of the import that could not be stored, then conflicts and gaps."""
    alerts: list[Any] = []
    if pd.notna(p["rejected_rows"]) and p["rejected_rows"] > 0:
        n = int(p["rejected_rows"])
        alerts.append(dbc.Alert(
            f"{n} row{'s' if n != 1 else ''} about this project in the imported files could not "
            "be stored, so what is shown here may be incomplete. The import report lists "
            f"{'them' if n != 1 else 'it'} with the reason (import/rejects.csv in the dataset folder).",
            color="warning", className="py-1 px-2 small mb-1", id=ids.DETAIL_REJECTED_ROWS))
    for finding in _rows(findings):
        alerts.append(dbc.Alert(finding.message, color="info" if finding.kind == "gap" else "danger",
                                className="py-1 px-2 small mb-1"))
    return alerts


def _partners(partners: pd.DataFrame, cite: Callable[[str], html.A]) -> list[Any]:
    """The partners: name, country, role and work packages led, each with its sources."""
    out: list[Any] = [html.H6("Partners", className="mt-2")]
    if partners.empty:
        out.append(html.P("No organisation is named in the sources.", className="small text-muted"))
        return out
    rows = []
    for r in _rows(partners):
        wps = f" · leads {r.work_packages_led.replace(';', ', ')}" if r.work_packages_led else ""
        country = country_name(r.country) if r.country else "country not stated"
        country_cite: list[Any] = ([" (country: ", cite(r.country_source), ")"]
                        if r.country and r.country_source and r.country_source != r.source else [])
        # Labels and roles come from the query: the dataset's roles vocabulary, and an id
        # where the source publishes an organisation without a name.
        name = (html.Strong(r.label) if r.name
                else html.Strong(r.label, className="fst-italic text-muted"))
        rows.append(html.Li([name, f" — {country}", *country_cite, f" — {r.role_label}{wps}",
                             *[part for source in r.sources for part in (" ", cite(source))]]))
    out.append(html.Ul(rows, className="small"))
    return out


def _countries_named(countries_named: pd.DataFrame, cite: Callable[[str], html.A]) -> list[Any]:
    """Countries a source names as taking part without naming an organisation, per role."""
    if countries_named.empty:
        return []
    by_role = countries_named.groupby("role_label", sort=False)
    return _section("Countries named without organisations", [
        html.Li([f"{role}: ", ", ".join(country_name(c) for c in group["country"]), " ",
                 cite(group["source"].iloc[0])])
        for role, group in by_role])


def _tags(title: str, frame: pd.DataFrame, cite: Callable[[str], html.A],
          include_inferred: bool) -> list[Any]:
    """KETs or sectors: curated tags with their quotes, then tags inferred by rules apart."""
    out: list[Any] = [html.H6(title)]
    curated = frame[frame["origin"] != "inferred"]
    inferred = frame[frame["origin"] == "inferred"]
    if curated.empty:
        out.append(html.P("None stated in the sources.", className="small text-muted"))
    else:
        out.append(html.Ul([
            html.Li([html.Strong(r.label),
                     html.Div([html.Q(r.quote), " ", cite(r.source)], className="evidence")])
            for r in _rows(curated)], className="small"))
    if not inferred.empty:
        note = "" if include_inferred else " — switched off, not counted in the views"
        out.append(html.Div([
            html.Div(f"Inferred by rules, not stated by a source{note}:",
                     className="small fst-italic"),
            html.Ul([
                html.Li([html.Strong(r.label), f" — {EVIDENCE_LABELS.get(r.evidence, 'rule')} ",
                         f"(rule {r.rule}): ",
                         html.Span(html.Q(r.quote), className="evidence"),
                         " ", cite(r.source)])
                for r in _rows(inferred)], className="small mb-1"),
        ], className="inferred-tags" + ("" if include_inferred else " text-muted")))
    return out


def _activities(activities: pd.DataFrame, cite: Callable[[str], html.A]) -> list[Any]:
    """The project's activities: title, kind, dates and place."""
    if activities.empty:
        return []
    return _section("Activities", [
        html.Li([html.Strong(r.title), f" ({r.kind.replace('-', ' ')}) ",
                 r.start_date or "date not stated",
                 f" – {r.end_date}" if r.end_date else "",
                 f", {r.location}" if r.location else "", " ", cite(r.source)])
        for r in _rows(activities)])


def _instruments(instruments: pd.DataFrame, cite: Callable[[str], html.A]) -> list[Any]:
    """The policy instruments the project works on, with the partner working on each."""
    if instruments.empty:
        return []
    return _section("Policy instruments", [
        html.Li([html.Strong(r.name),
                 f" — {r.partner}" if isinstance(r.partner, str) and r.partner else "",
                 html.Div(r.summary, className="text-muted") if r.summary else "",
                 cite(r.source)])
        for r in _rows(instruments)])


def detail_panel(detail: ProjectDetail | None, include_inferred: bool = True) -> list[Any]:
    """Everything known about the selected project, each statement with its source. Tags
    inferred by rules are listed apart from curated ones (and marked off when switched off)."""
    if detail is None:
        return [html.P("Select a project (a bar on the timeline, a row of the table) to see its "
                       "partners, technologies, activities and sources.", className="text-muted")]
    cite = _citer(detail.sources)
    body: list[Any] = [*_detail_header(detail.project),
                       *_detail_warnings(detail.project, detail.findings)]
    body += _partners(detail.partners, cite)
    body += _countries_named(detail.countries_named, cite)
    for title, frame in (("Key Enabling Technologies", detail.kets), ("Sectors", detail.sectors)):
        body += _tags(title, frame, cite, include_inferred)
    body += _classifications(detail.classifications, cite)
    body += _links(detail.links, cite)
    body += _activities(detail.activities, cite)
    body += _instruments(detail.instruments, cite)
    body.append(html.H6("Sources"))
    body.append(html.Ol([_source_item(r) for r in _rows(detail.sources)],
                        className="small source-list"))
    return body
