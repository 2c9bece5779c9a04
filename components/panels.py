"""Read-only panels: headline figures, active-filter chips, notices, the undated list and the
project detail. Pure functions from query results to Dash components."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from components import ids
from data.engine.model import finding_message
from data.engine.queries import Headline, ProjectDetail
from data.engine.state import FilterState, Notice
from data.io.countries import country_name
from data.io.i18n import N_, kind_label, translator


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The rows of ``frame`` as named tuples; their cells are whatever the query put there."""
    return iter(frame.itertuples(index=False))


def _euro(amount: float, lang: str = "en") -> str:
    if lang != "en":
        _ = translator(lang)
        if amount >= 1_000_000:
            return _("€{amount} m", amount=_.number(round(amount / 1_000_000, 1)))
        return _("€{amount}", amount=_.number(round(amount)))
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


def _places(codes: tuple[str, ...], lang: str = "en") -> str:
    """'Germany', 'Germany and France', 'Germany, France and Italy', 'the 5 selected countries'."""
    _ = translator(lang)
    if len(codes) > PLACES_NAMED:
        return _("the {n} selected countries", n=len(codes))
    names = [country_name(c, lang) for c in codes]
    return names[0] if len(names) == 1 else _("{first} and {last}", first=", ".join(names[:-1]),
                                                last=names[-1])


def headline_panel(h: Headline, lang: str = "en") -> list[Any]:
    """Counts of the selection, then a line on how complete its data is. Each label says what
    it counts: with a country filter the selected projects still have partners elsewhere, so
    the organisations located in the chosen countries are a figure of their own."""
    _ = translator(lang)
    n = h.projects
    num = _.number  # every count written the language's way: 50,000 / 50.000 / 50 000
    eu = (_euro(h.eu_contribution_eur, lang) if h.eu_contribution_eur is not None else _("not stated"))
    organisations = [_figure(num(h.organisations), _("organisations in these projects"),
                             ids.HEADLINE_ORGANISATIONS)]
    if h.in_countries and h.organisations_in_countries is not None:
        organisations.append(_figure(num(h.organisations_in_countries),
                                     _("of them in {places}", places=_places(h.in_countries, lang)),
                                     ids.HEADLINE_ORGANISATIONS_IN_COUNTRIES))
    figures = html.Div(
        [
            _figure(num(n), _.ngettext("project", "projects", n), ids.HEADLINE_PROJECTS),
            *organisations,
            _figure(num(h.countries), _("countries taking part in these projects"),
                    ids.HEADLINE_COUNTRIES),
            _figure(eu, _("EU contribution (stated for {known} of {n})", known=num(h.eu_contribution_known),
                      n=num(n)),
                    ids.HEADLINE_EU),
        ],
        className="headline-figures",
    )
    parts = [
        _("dates known for {known} of {n} projects", known=num(h.dates_known), n=num(n)),
        _("budget for {known} of {n}", known=num(h.budget_known), n=num(n)),
        _("EU contribution for {known} of {n}", known=num(h.eu_contribution_known), n=num(n)),
        _("partners named for {known} of {n}", known=num(h.partners_named), n=num(n)),
    ]
    if h.period_undetermined:
        parts.append(_.ngettext("{n} more project may fall in the period but its dates are not stated",
                                "{n} more projects may fall in the period but their dates are not stated",
                                h.period_undetermined))
    completeness = html.Div(_("Data completeness: {parts}.", parts="; ".join(parts)),
                            className="headline-completeness", id=ids.HEADLINE_COMPLETENESS)
    return [figures, completeness]


CHIP_NAMES = {"country": N_("country"), "ket": N_("KET"), "sector": N_("sector"),
              "programme": N_("programme"), "region": N_("region"), "instrument": N_("policy instrument"),
              "org": N_("organisation")}
"""What a chip calls its filter (translated on the page)."""


def chips(state: FilterState, labels: dict[str, dict[str, str]], lang: str = "en") -> list[Any]:
    """One removable chip per active filter value; ``labels`` maps dimension -> value -> label."""
    _ = translator(lang)
    items: list[Any] = []

    def chip(dimension: str, value: str, text: str) -> html.Span:
        aria: dict[str, Any] = {"aria-label": _("Remove {filter}", filter=text)}
        return html.Span(
            [text, html.Button("×", id=ids.chip_id(dimension, value),
                               className="chip-remove", title=_("Remove {filter}", filter=text), n_clicks=0,
                               **aria)],
            className="filter-chip",
        )

    for dimension in ("country", "ket", "sector", "programme", "region", "instrument", "org"):
        for value in getattr(state, dimension):
            label = labels.get(dimension, {}).get(value, value)
            name = (_(CHIP_NAMES[dimension]) if lang != "en" or dimension in ("instrument", "org")
                    else dimension)
            items.append(chip(dimension, value, _("{filter}: {value}", filter=name, value=label)))
    if state.year_from is not None or state.year_to is not None:
        period = f"{state.year_from or '…'}–{state.year_to or '…'}"
        items.append(chip("period", "", _("period: {period}", period=period)))
    if state.project:
        items.append(chip("project", state.project,
                          _("project: {project}",
                            project=labels.get("project", {}).get(state.project, state.project))))
    if state.q:
        items.append(chip("q", state.q, _("search: “{q}”", q=state.q)))
    if state.dataset:
        name = labels.get("dataset", {}).get(state.dataset, state.dataset)
        items.insert(0, chip("dataset", state.dataset,
                             _("dataset: {name} (× back to the default)", name=name)))
    return items


def notices(found: list[Notice], lang: str = "en") -> list[Any]:
    """A visible, dismissable warning for URL values that were ignored, and a note for valid
    values that were kept although no project matches them (``Notice.kept``)."""
    _ = translator(lang)
    ignored = [n for n in found if not n.kept]
    kept = [n for n in found if n.kept]
    alerts: list[Any] = []
    if ignored:
        alerts.append(dbc.Alert(
            [html.Strong(_("Some of the address was not understood and was ignored:") + " "),
             html.Ul([html.Li(_("{param}={value} ignored: {message}", param=n.param, value=repr(n.value),
                                message=_.message(n.message))) for n in ignored])],
            color="warning", dismissable=True, className="mb-2",
        ))
    if kept:
        alerts.append(dbc.Alert(
            [html.Strong(_("The address selects values no project matches, so no project is shown:") + " "),
             html.Ul([html.Li(_.message(n.message)) for n in kept])],
            color="info", dismissable=True, className="mb-2 notice-unmatched",
        ))
    return alerts


UNDATED_SHOWN = 25
"""How many undated projects are named under the timeline before '+N more'."""


def undated_list(undated: pd.DataFrame, lang: str = "en") -> list[Any]:
    """Projects with no stated dates, listed beside the timeline so none is dropped."""
    _ = translator(lang)
    if undated.empty:
        return [html.P(_("Every project in the selection has at least one stated date."),
                       className="text-muted small")]
    more = len(undated) - UNDATED_SHOWN
    return [
        html.Span(_("No dates stated in the sources ({n}):", n=_.number(len(undated))) + " ",
                  className="small"),
        *[html.Button(r.acronym, n_clicks=0, className="btn btn-link btn-sm p-0 me-2 align-baseline",
                      id=ids.undated_item_id(r.project_id))
          for r in _rows(undated.head(UNDATED_SHOWN))],
        html.Span(_("+{n} more, all in the table below.", n=_.number(more)) if more > 0 else "",
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


def _source_item(source: Any, lang: str = "en") -> html.Li:
    """One entry of the panel's numbered source list: the document, or where a fact comes from;
    its kind in ``lang``."""
    name = (html.A(source.source_id, href=f"/sources/{source.source_id}", target="_blank")
            if source.kind == "seed" else html.Span(source.source_id))
    url = source.url if isinstance(source.url, str) and source.url else ""
    note = source.note if isinstance(source.note, str) and source.note else ""
    return html.Li([
        name, f" — {source.title} ({kind_label('sources', source.kind, lang)})",
        html.Div(html.A(url, href=url, target="_blank")) if url else "",
        html.Div(note, className="text-muted") if note else "",
    ])


EVIDENCE_LABELS = {
    "euroscivoc": N_("from its EuroSciVoc field"),
    "legal-basis": N_("from its programme part"),
    "topic": N_("from its call topic"),
    "code": N_("from a programme or topic code"),
    "keyword": N_("from words of its title and summary"),
}
SCHEME_TITLES = {
    "euroscivoc": N_("Fields of science (EuroSciVoc)"),
    "legal-basis": N_("Programme parts (legal basis)"),
    "topic": N_("Call topics"),
    "funding-scheme": N_("Funding scheme (type of action)"),
    "policy-priority": N_("Policy priorities (share of the budget)"),
}
MAX_LINKS_SHOWN = 8


def _classifications(frame: pd.DataFrame, cite: Callable[[str], html.A], lang: str = "en") -> list[Any]:
    """The project's classifications in the source system, one list per scheme."""
    _ = translator(lang)
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
            main = " " + _("(main)") if r.primary == "true" and len(group) > 1 else ""
            items.append(html.Li([text, main, " ", cite(r.source)]))
        out += _section(_.message(SCHEME_TITLES.get(scheme, scheme)), items)
    return out


def _section(title: str, items: list[Any]) -> list[Any]:
    """A titled list of the panel: a heading and its small-print items."""
    return [html.H6(title), html.Ul(items, className="small")]


def _links(frame: pd.DataFrame, cite: Callable[[str], html.A], lang: str = "en") -> list[Any]:
    _ = translator(lang)
    if frame.empty:
        return []
    shown = frame.head(MAX_LINKS_SHOWN)
    items = [html.Li([html.A(r.title or r.url, href=r.url, target="_blank", rel="noopener"),
                      f" ({r.kind})" if r.kind else "", " ", cite(r.source)])
             for r in _rows(shown)]
    more = len(frame) - len(shown)
    if more:
        items.append(html.Li(_.ngettext("and {n} more link (in the API record)",
                                        "and {n} more links (in the API record)", more),
                             className="text-muted"))
    return _section(_("Links"), items)


def _detail_header(p: pd.Series, lang: str = "en") -> list[Any]:
    """The project's name, title, kind, programme, dates, amounts, address and summary."""
    _ = translator(lang)
    # Outside the f-string: the message extractor does not see calls inside one.
    start, end = p["start_date"] or _("start not stated"), p["end_date"] or _("end not stated")
    dates = f"{start} – {end}"
    if p["end_derived"]:
        dates += " " + _("(the source states a duration of {months} months)",
                         months=int(p["duration_months"]))
    header: list[Any] = [
        html.H4(p["acronym"], className="mb-0"),
        html.P(p["title"], className="fw-semibold mb-1"),
        html.P([" · ".join([kind_label("projects", p["kind"], lang),
                            p["programme"] or _("programme not stated"), dates])],
               className="small mb-1"),
        html.P([_("Budget:") + " ",
                _euro(p["budget_eur"], lang) if pd.notna(p["budget_eur"]) else _("not stated"),
                " · " + _("EU contribution:") + " ",
                _euro(p["eu_contribution_eur"], lang) if pd.notna(p["eu_contribution_eur"])
                else _("not stated")],
               className="small mb-1"),
    ]
    if p["url"]:
        header.append(html.P(html.A(p["url"], href=p["url"], target="_blank"), className="small"))
    if p["summary"]:
        header.append(html.P(p["summary"], className="small"))
    return header


def _detail_warnings(p: pd.Series, findings: pd.DataFrame, lang: str = "en") -> list[Any]:
    """Alerts: rows of the import that could not be stored, then conflicts and gaps."""
    _ = translator(lang)
    alerts: list[Any] = []
    if pd.notna(p["rejected_rows"]) and p["rejected_rows"] > 0:
        n = int(p["rejected_rows"])
        alerts.append(dbc.Alert(
            _.ngettext("{n} row about this project in the imported files could not be stored, so what "
                       "is shown here may be incomplete. The import report lists it with the reason "
                       "(import/rejects.csv in the dataset folder).",
                       "{n} rows about this project in the imported files could not be stored, so what "
                       "is shown here may be incomplete. The import report lists them with the reason "
                       "(import/rejects.csv in the dataset folder).", n),
            color="warning", className="py-1 px-2 small mb-1", id=ids.DETAIL_REJECTED_ROWS))
    for finding in _rows(findings):
        message = finding_message(finding.kind, finding.field, finding.values, lang)
        alerts.append(dbc.Alert(message, color="info" if finding.kind == "gap" else "danger",
                                className="py-1 px-2 small mb-1"))
    return alerts


def _partners(partners: pd.DataFrame, cite: Callable[[str], html.A], lang: str = "en") -> list[Any]:
    """The partners: name, country, role and work packages led, each with its sources."""
    _ = translator(lang)
    out: list[Any] = [html.H6(_("Partners"), className="mt-2")]
    if partners.empty:
        out.append(html.P(_("No organisation is named in the sources."), className="small text-muted"))
        return out
    rows = []
    for r in _rows(partners):
        wps = (" · " + _("leads {packages}", packages=r.work_packages_led.replace(";", ", "))
               if r.work_packages_led else "")
        country = country_name(r.country, lang) if r.country else _("country not stated")
        country_cite: list[Any] = ([" (" + _("country:") + " ", cite(r.country_source), ")"]
                        if r.country and r.country_source and r.country_source != r.source else [])
        # Labels and roles come from the query: the dataset's roles vocabulary, and an id
        # where the source publishes an organisation without a name.
        name = (html.Strong(r.label) if r.name
                else html.Strong(r.label, className="fst-italic text-muted"))
        rows.append(html.Li([name, f" — {country}", *country_cite, f" — {r.role_label}{wps}",
                             *[part for source in r.sources for part in (" ", cite(source))]]))
    out.append(html.Ul(rows, className="small"))
    return out


def _countries_named(countries_named: pd.DataFrame, cite: Callable[[str], html.A],
                     lang: str = "en") -> list[Any]:
    """Countries a source names as taking part without naming an organisation, per role."""
    _ = translator(lang)
    if countries_named.empty:
        return []
    by_role = countries_named.groupby("role_label", sort=False)
    return _section(_("Countries named without organisations"), [
        html.Li([f"{role}: ", ", ".join(country_name(c, lang) for c in group["country"]), " ",
                 cite(group["source"].iloc[0])])
        for role, group in by_role])


def _tags(title: str, frame: pd.DataFrame, cite: Callable[[str], html.A],
          include_inferred: bool, lang: str = "en", labels: dict[str, str] | None = None) -> list[Any]:
    """KETs or sectors: curated tags with their quotes, then tags inferred by rules apart;
    ``labels`` are the tags' names in ``lang`` by id (the frame's own labels otherwise)."""
    _ = translator(lang)
    out: list[Any] = [html.H6(title)]
    curated = frame[frame["origin"] != "inferred"]
    inferred = frame[frame["origin"] == "inferred"]
    if curated.empty:
        out.append(html.P(_("None stated in the sources."), className="small text-muted"))
    else:
        out.append(html.Ul([
            html.Li([html.Strong(_label(r, labels)),
                     html.Div([html.Q(r.quote), " ", cite(r.source)], className="evidence")])
            for r in _rows(curated)], className="small"))
    if not inferred.empty:
        note = "" if include_inferred else " — " + _("switched off, not counted in the views")
        out.append(html.Div([
            html.Div(_("Inferred by rules, not stated by a source{note}:", note=note),
                     className="small fst-italic"),
            html.Ul([
                html.Li([html.Strong(_label(r, labels)),
                         f" — {_.message(EVIDENCE_LABELS.get(r.evidence, 'rule'))} ",
                         "(" + _("rule {rule}", rule=r.rule) + "): ",
                         html.Span(html.Q(r.quote), className="evidence"),
                         " ", cite(r.source)])
                for r in _rows(inferred)], className="small mb-1"),
        ], className="inferred-tags" + ("" if include_inferred else " text-muted")))
    return out


def _activities(activities: pd.DataFrame, cite: Callable[[str], html.A], lang: str = "en") -> list[Any]:
    """The project's activities: title, kind, dates and place."""
    _ = translator(lang)
    if activities.empty:
        return []
    return _section(_("Activities"), [
        html.Li([html.Strong(r.title), f" ({kind_label('activities', r.kind, lang)}) ",
                 r.start_date or _("date not stated"),
                 f" – {r.end_date}" if r.end_date else "",
                 f", {r.location}" if r.location else "", " ", cite(r.source)])
        for r in _rows(activities)])


def _instruments(instruments: pd.DataFrame, cite: Callable[[str], html.A], lang: str = "en") -> list[Any]:
    """The policy instruments the project works on, with the partner working on each."""
    _ = translator(lang)
    if instruments.empty:
        return []
    return _section(_("Policy instruments"), [
        html.Li([html.Strong(r.name),
                 f" — {r.partner}" if isinstance(r.partner, str) and r.partner else "",
                 html.Div(r.summary, className="text-muted") if r.summary else "",
                 cite(r.source)])
        for r in _rows(instruments)])


def _label(row: Any, labels: dict[str, str] | None) -> str:
    """A tag's name in the panel's language: ``labels`` by the tag's id, else its own label."""
    tag_id = getattr(row, "ket", None) or getattr(row, "sector", None) or getattr(row, "tag", None)
    return (labels or {}).get(str(tag_id), str(row.label))


def detail_panel(detail: ProjectDetail | None, include_inferred: bool = True, lang: str = "en",
                 tag_labels: dict[str, dict[str, str]] | None = None) -> list[Any]:
    """Everything known about the selected project, each statement with its source. Tags
    inferred by rules are listed apart from curated ones (and marked off when switched off)."""
    _ = translator(lang)
    if detail is None:
        return [html.P(_("Select a project (a bar on the timeline, a row of the table) to see its "
                         "partners, technologies, activities and sources."), className="text-muted")]
    cite = _citer(detail.sources)
    body: list[Any] = [*_detail_header(detail.project, lang),
                       *_detail_warnings(detail.project, detail.findings, lang)]
    body += _partners(detail.partners, cite, lang)
    body += _countries_named(detail.countries_named, cite, lang)
    for title, frame, dimension in ((_("Key Enabling Technologies"), detail.kets, "ket"),
                                    (_("Sectors"), detail.sectors, "sector")):
        body += _tags(title, frame, cite, include_inferred, lang, (tag_labels or {}).get(dimension))
    body += _classifications(detail.classifications, cite, lang)
    body += _links(detail.links, cite, lang)
    body += _activities(detail.activities, cite, lang)
    body += _instruments(detail.instruments, cite, lang)
    body.append(html.H6(_("Sources")))
    body.append(html.Ol([_source_item(r, lang) for r in _rows(detail.sources)],
                        className="small source-list"))
    return body
