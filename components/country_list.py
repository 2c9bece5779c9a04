"""The ranked list of countries beside the map, and the map's legend in words.

The list answers "which countries?" at a glance and is the map's keyboard and screen-reader
alternative: each row is a button that toggles its country in the filter, as a click on the
map does. The list is data, every word already in the state's language, that the page draws
(``assets/country_list.js``: buttons, their bars, the keyboard's place kept across redraws); a
press writes ``ids.COUNTRY_LIST_PICK``, which the hub dispatches to
``callbacks.interactions.on_country_row``. Drawn as Dash components, its forty rows of seven
components each cost the browser about a second per click (Dash dispatches one store action
per new component, and each action visits every component on the page). Both the list and
the legend are pure functions of the country summary and the filter state.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import html

from components import ids
from components.a11y import aria
from components.map_figure import LegendEntry, metric_of
from data.engine.state import FilterState
from data.io.countries import country_name
from data.io.i18n import Translator, translator
from data.io.text import fold

MAX_ROWS = 300
"""More rows than any selection has countries (about forty at a million participations): a
bound, not a page size."""

DRAWN_IDS = {"caption": ids.COUNTRY_LIST_CAPTION, "row": ids.COUNTRY_ROW_PREFIX}
"""The ids the page's drawing of the list uses (``assets/country_list.js``)."""


@dataclass(frozen=True)
class CountryRow:
    """One row of the list: a country, its count of the map's metric, that count's share of
    the selection (0 to 1), whether it is selected, and whether it takes part with no
    organisation named (counted 0 under 'partners')."""

    country: str
    name: str
    count: int
    share: float
    selected: bool
    unnamed: bool = False


def country_rows(summary: pd.DataFrame, state: FilterState) -> list[CountryRow]:
    """The countries taking part, most first (then by name), counted by ``state.map``, named
    in the state's language.

    ``summary`` has the columns of ``data.engine.queries.country_summary`` (country, name,
    projects, organisations, country_only, project_share, organisation_share). Under
    'partners' the countries named without organisations follow, counted 0."""
    metric, _label = metric_of(state)
    share = "organisation_share" if metric == "organisations" else "project_share"
    # About forty rows: plain Python, as a frame's sort and assignments cost a millisecond each.
    records = summary[["country", metric, share, "country_only"]].to_dict("records")
    for r in records:
        r["name"] = country_name(str(r["country"]), state.lang)
        # Sorted by the folded name, so "Österreich" comes among the O's.
        r["sort_name"] = fold(r["name"])
    counted = sorted((r for r in records if r[metric] > 0), key=lambda r: (-r[metric], r["sort_name"]))
    rows = [CountryRow(str(r["country"]), r["name"], int(r[metric]), float(r[share]),
                       str(r["country"]) in state.country) for r in counted]
    if metric == "organisations":
        unnamed = sorted((r for r in records if r["organisations"] == 0 and r["country_only"]),
                         key=lambda r: r["sort_name"])
        rows += [CountryRow(str(r["country"]), r["name"], 0, 0.0, str(r["country"]) in state.country, True)
                 for r in unnamed]
    return rows[:MAX_ROWS]


def _percent(share: float, _: Translator) -> str:
    if share <= 0:
        return _("{percent}%", percent=0)
    if share < 0.01:
        return _("<{percent}%", percent=1)
    return _("{percent}%", percent=_.number(round(share * 100)))


def _row(row: CountryRow, label: str, share_of: str, _: Translator) -> dict[str, Any]:
    words = (_("{country}: takes part, no organisation named", country=row.name) if row.unnamed
             else _("{country}: {count} {label}, {percent} of the {share_of}", country=row.name,
                    count=_.number(row.count), label=label, percent=_percent(row.share, _),
                    share_of=share_of))
    action = (_("{words}. Press to remove it from the filter.", words=words) if row.selected
              else _("{words}. Press to add it to the filter.", words=words))
    return {
        "country": row.country,
        "name": row.name,
        "count": _("no organisation named") if row.unnamed else _.number(row.count),
        "share": "" if row.unnamed else _percent(row.share, _),
        "bar": round(min(1.0, row.share) * 100, 1),
        "selected": row.selected,
        # Its name is its visible text (name, count, share: axe's label-content-name-mismatch);
        # the title adds the words and what pressing does.
        "title": action,
    }


def country_list(summary: pd.DataFrame, state: FilterState) -> dict[str, Any]:
    """The list as the page draws it, in the state's language: ``caption`` (what is counted),
    ``empty`` (the sentence shown instead when no country takes part, else None) and ``rows``,
    one per country in rank order, each with ``country`` (its code), ``name``, ``count`` and
    ``share`` (as written), ``bar`` (the share in percent, 0 to 100), ``selected`` and
    ``title`` (the row's words and what pressing it does); ``ids``, the DOM ids the page gives
    the caption and each row (``DRAWN_IDS``)."""
    _ = translator(state.lang)
    rows = country_rows(summary, state)
    label = _.message(metric_of(state)[1])
    if not rows:
        return {"caption": "", "empty": _("No country takes part in this selection."), "rows": [],
                "ids": DRAWN_IDS}
    share_of = _("named organisations") if state.map == "partners" else _("selected projects")
    caption = _.ngettext("{n} country by {label}; share of the {share_of}. Press a country "
                         "to filter by it.",
                         "{n} countries by {label}; share of the {share_of}. Press a country "
                         "to filter by it.", len(rows), label=label, share_of=share_of)
    return {"caption": caption, "empty": None, "rows": [_row(r, label, share_of, _) for r in rows],
            "ids": DRAWN_IDS}


def _swatch(entry: LegendEntry) -> html.Span:
    if entry.kind == "scale":
        style = {"background": f"linear-gradient(to right, {', '.join(entry.colours)})"}
    elif entry.kind == "outline":
        style = {"border": f"2px solid {entry.colours[0]}", "background": "transparent"}
    elif entry.kind == "circle":
        style = {"background": entry.colours[0], "borderRadius": "50%", "width": "0.9em",
                 "boxShadow": "0 0 0 2px #fff, 0 0 0 3px #bbb"}
    else:
        style = {"background": entry.colours[0]}
    return html.Span(className=f"legend-swatch legend-{entry.kind}", style=style,
                     **aria(hidden="true"))


def map_legend(entries: list[LegendEntry], lang: str = "en") -> list[Any]:
    """The legend as visible text: a swatch and its words per entry (already in ``lang``,
    ``legend_entries``); the list named in ``lang``."""
    _ = translator(lang)
    return [html.Ul([html.Li([_swatch(e), html.Span(e.label)], className="legend-entry")
                     for e in entries], className="legend-entries", **aria(label=_("Map legend")))]
