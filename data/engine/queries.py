"""What each view shows, computed from the dataset and a project mask. No dash, no plotly.

Every function takes the indexed ``Dataset`` and boolean masks over its projects (from
``data.engine.state.project_mask``) and returns a small frame or record: the figures in
``components/`` draw these, and the API serialises them. Aggregations run on the filtered rows
only and are vectorised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.typing import NAType

from data.engine.memo import per_dataset
from data.engine.model import NOT_STATED, BoolArray, Dataset, IntArray
from data.io.countries import country_name
from data.io.i18n import N_, kind_label, taxonomy_labels, translator
from data.io.schema import FINDING_KINDS

HOVER_PROJECTS = 8
"""How many project acronyms a map tooltip lists before '+N more'."""


@dataclass(frozen=True)
class Headline:
    """Counts for the current selection and how complete its data is."""

    projects: int
    organisations: int
    countries: int
    eu_contribution_eur: float | None
    eu_contribution_known: int
    budget_known: int
    dates_known: int
    partners_named: int
    period_undetermined: int
    in_countries: tuple[str, ...] = ()
    """The country filter the counts were made under (ISO alpha-2); empty without one."""
    organisations_in_countries: int | None = None
    """Of ``organisations``, those located in one of ``in_countries``; None without a country
    filter. ``organisations`` counts every organisation of the selected projects, wherever it
    is, which is not what "organisations in Germany" means to a reader."""


def _selected_organisations(dataset: Dataset, mask: BoolArray) -> BoolArray:
    """Boolean array over organisations: named as a partner in a selected project."""
    selected = np.zeros(len(dataset.organisations), dtype=bool)
    selected[dataset.participation_org[mask[dataset.participation_pos]]] = True
    return selected


def headline(
    dataset: Dataset, mask: BoolArray, period_undetermined: BoolArray | None = None,
    countries: tuple[str, ...] = (),
) -> Headline:
    """Headline figures of the selected projects. EU contribution sums only stated amounts and
    is None (not 0) when no selected project states one. ``countries`` is the country filter:
    with one, the organisations of the selection located in those countries are counted too
    (an organisation whose country is not stated is in none of them)."""
    # Counted on numpy arrays: selecting rows of the frame would copy text for nothing.
    projects = dataset.projects
    eu = projects["eu_contribution_eur"].to_numpy()[mask]
    eu_known = ~np.isnan(eu)
    # A start is parsed from a stated start; an end is stated unless drawn from a duration.
    dates_stated = (projects["start"].notna().to_numpy() & projects["end"].notna().to_numpy()
                    & ~projects["end_derived"].to_numpy())
    index = dataset.country_index
    undetermined = 0 if period_undetermined is None else int(period_undetermined.sum())
    organisations = _selected_organisations(dataset, mask)
    located = None
    if countries:
        # A lookup over country codes, one slot more for "not stated" (-1): no per-row Python.
        wanted = np.zeros(len(index.codes) + 1, dtype=bool)
        wanted[np.flatnonzero(np.isin(index.codes, list(countries)))] = True
        located = int(np.count_nonzero(wanted[index.org_country[organisations]]))
    return Headline(
        projects=int(mask.sum()),
        organisations=int(organisations.sum()),
        countries=int(np.count_nonzero(np.bincount(index.country[mask[index.pos]],
                                                   minlength=len(index.codes)))),
        eu_contribution_eur=float(eu[eu_known].sum()) if eu_known.any() else None,
        eu_contribution_known=int(eu_known.sum()),
        budget_known=int((~np.isnan(projects["budget_eur"].to_numpy()[mask])).sum()),
        dates_known=int(dates_stated[mask].sum()),
        partners_named=int((projects["partners_named"].to_numpy()[mask] > 0).sum()),
        period_undetermined=undetermined,
        in_countries=tuple(countries),
        organisations_in_countries=located,
    )


@per_dataset(1, index=True)
def year_bounds(dataset: Dataset) -> tuple[int, int]:
    """First and last year any project or activity of the dataset states: the period slider's
    ends. A dataset with no dates at all gets a neutral span."""
    years = pd.concat([
        dataset.projects["start"], dataset.projects["end"],
        dataset.activities["start"], dataset.activities["end"],
    ]).dropna().dt.year
    return (int(years.min()), int(years.max())) if len(years) else (2000, 2030)


def country_summary(dataset: Dataset, mask: BoolArray) -> pd.DataFrame:
    """One row per country taking part in a selected project.

    Columns: country (ISO alpha-2), name, projects (distinct projects), organisations (distinct
    named organisations of that country in the selection; 0 where the source names the country
    but no organisation), country_only (True where at least one project names the country
    without organisations), project_list (up to HOVER_PROJECTS acronyms, then '+N more'),
    project_share (projects / the selected projects: a project of several countries counts for
    each, so the shares add up to more than 1) and organisation_share (organisations / the
    named organisations of the selection, wherever they are).
    Counting runs on integer arrays, so a million participations cost milliseconds.
    """
    columns = ["country", "name", "projects", "organisations", "country_only", "project_list",
               "project_share", "organisation_share"]
    index = dataset.country_index
    # The entries' positions found once, then taken from each array: a boolean index of each
    # would look for them again.
    keep = np.flatnonzero(mask[index.pos])
    country, pos = index.country[keep], index.pos[keep]
    if not len(country):
        return pd.DataFrame(columns=columns)
    n = len(index.codes)
    projects = np.bincount(country, minlength=n)
    # Marked, not counted: a weighted bincount turns half a million flags into floats.
    country_only = np.zeros(n, dtype=bool)
    country_only[country[index.country_only[keep]]] = True
    selected_orgs = _selected_organisations(dataset, mask)
    org_country = index.org_country[selected_orgs]
    organisations = np.bincount(org_country[org_country >= 0], minlength=n)
    # Entries are sorted by country, so each country's first projects are a contiguous run.
    starts = np.r_[0, np.flatnonzero(np.diff(country)) + 1]
    rank = np.arange(len(country)) - np.repeat(starts, np.diff(np.r_[starts, len(country)]))
    first = rank < HOVER_PROJECTS
    # Only the acronyms shown: converting the whole column to Python strings costs more.
    acronyms = dataset.projects["acronym"].iloc[pos[first]].tolist()
    listed: dict[int, list[str]] = {}
    for c, acronym in zip(country[first].tolist(), acronyms, strict=True):
        listed.setdefault(c, []).append(acronym)
    present = np.flatnonzero(projects)
    codes = index.codes[present]
    return pd.DataFrame({
        "country": codes,
        "name": [country_name(c) for c in codes],
        "projects": projects[present].astype("int64"),
        "organisations": organisations[present].astype("int64"),
        "country_only": country_only[present],
        "project_list": [
            ", ".join(sorted(listed[c])) + (f" +{projects[c] - HOVER_PROJECTS} more"
                                           if projects[c] > HOVER_PROJECTS else "")
            for c in present.tolist()
        ],
        "project_share": projects[present] / max(1, int(mask.sum())),
        "organisation_share": organisations[present] / max(1, int(selected_orgs.sum())),
    })


def ket_sector_matrix(dataset: Dataset, mask: BoolArray, include_inferred: bool = True) -> pd.DataFrame:
    """Project counts for every (KET, sector) pair, including 'not-stated' on both axes.

    Columns: ket, sector, projects. Every pair of the taxonomies is present (0 where no
    selected project carries it), so the matrix keeps its rows and columns. Without inferred
    tags, a project tagged only by rules counts as 'not stated'.
    """
    pairs = dataset.tag_index(include_inferred).ket_sector
    kets = np.array([*dataset.kets["ket_id"], NOT_STATED], dtype=object)
    sectors = np.array([*dataset.sectors["sector_id"], NOT_STATED], dtype=object)
    keep = mask[pairs["pos"].to_numpy()]
    # One bincount over the codes built at start-up: the grid in taxonomy order, every pair.
    cell = pairs["ket_code"].to_numpy()[keep] * len(sectors) + pairs["sector_code"].to_numpy()[keep]
    counts = np.bincount(cell, minlength=len(kets) * len(sectors))
    return pd.DataFrame({"ket": np.repeat(kets, len(sectors)), "sector": np.tile(sectors, len(kets)),
                         "projects": counts.astype("int64")})


def timeline_frame(dataset: Dataset, context: BoolArray, selected: BoolArray) -> pd.DataFrame:
    """Projects to draw on the timeline: those in context that have at least one date.

    Columns: project_id, acronym, title, programme, start, end (Timestamps, NaT if unknown),
    start_date, end_date (as stated), end_derived (end computed from a stated duration),
    selected (passes every filter, period included).
    """
    projects = dataset.projects.assign(selected=selected)[context]
    dated = projects[projects["start"].notna() | projects["end"].notna()]
    cols = ["project_id", "acronym", "title", "programme", "start", "end", "start_date",
            "end_date", "end_derived", "duration_months", "selected"]
    return dated[cols].sort_values(["start", "acronym"], na_position="last").reset_index(drop=True)


def dated_counts(dataset: Dataset, context: BoolArray) -> tuple[int, int]:
    """(projects in context with at least one date, of those the ones lacking a start or an
    end): what the timeline would draw, known before building anything."""
    start = dataset.projects["start"].notna().to_numpy()
    end = dataset.projects["end"].notna().to_numpy()
    dated = context & (start | end)
    return int(dated.sum()), int((dated & ~(start & end)).sum())


def timeline_band(dataset: Dataset, context: BoolArray, selected: BoolArray) -> pd.DataFrame:
    """Projects active per month, for a timeline with too many projects to draw one by one.

    Columns: month (first day, Timestamp), context (projects in context active that month),
    selected (of those, the ones passing every filter). Only projects with a start and an end
    (stated or drawn from a stated duration) are counted; a difference array and a cumulative
    sum make this linear in the number of projects."""
    projects = dataset.projects
    spans = context & projects["start"].notna().to_numpy() & projects["end"].notna().to_numpy()
    if not spans.any():
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"), "context": [], "selected": []})
    start = projects["start"].to_numpy(dtype="datetime64[M]")[spans]
    end = projects["end"].to_numpy(dtype="datetime64[M]")[spans]
    first, last = start.min(), end.max()
    n = int((last - first).astype(int)) + 2
    s_idx = (start - first).astype(int)
    e_idx = (end - first).astype(int) + 1

    def active(weights: npt.NDArray[np.float64]) -> IntArray:
        delta = (np.bincount(s_idx, weights=weights, minlength=n)
                 - np.bincount(e_idx, weights=weights, minlength=n))
        return np.cumsum(delta)[:-1].astype("int64")

    chosen = selected[spans].astype(float)
    months = np.arange(first, first + (n - 1)).astype("datetime64[ns]")
    return pd.DataFrame({"month": months, "context": active(np.ones(len(start))),
                         "selected": active(chosen)})


def undated_projects(dataset: Dataset, context: BoolArray) -> pd.DataFrame:
    """Projects in context whose sources give no date at all. Columns: project_id, acronym."""
    projects = dataset.projects
    undated = context & projects["start"].isna().to_numpy() & projects["end"].isna().to_numpy()
    columns = projects.columns.get_indexer(pd.Index(["project_id", "acronym"]))
    return projects.iloc[np.flatnonzero(undated), columns].reset_index(drop=True)


def timeline_activities(dataset: Dataset, context: BoolArray) -> pd.DataFrame:
    """Dated activities of projects in context, placed at their start or, for a deadline that
    states only an end, at that end. Columns: project_id, acronym, kind, title, start
    (Timestamp), start_date (the date as stated), location."""
    acts = dataset.activities[context[dataset.activities["pos"].to_numpy()]]
    when = acts["start"].fillna(acts["end"])
    stated = acts["start_date"].where(acts["start_date"] != "", acts["end_date"])
    acts = acts.assign(start=when, start_date=stated)[when.notna()]
    acronyms = dataset.projects["acronym"].iloc[acts["pos"].to_numpy()].to_numpy()
    placed: pd.DataFrame = acts.assign(acronym=acronyms)[
        ["project_id", "acronym", "kind", "title", "start", "start_date", "location"]
    ].reset_index(drop=True)
    return placed


def _tag_labels(tags: tuple[str, ...], inferred: tuple[str, ...], labels: dict[str, str],
                include_inferred: bool) -> str:
    shown = [t for t in tags if include_inferred or t not in inferred]
    return ", ".join(labels.get(t, t) + (" (inferred)" if t in inferred else "") for t in shown)


SORT_KEYS = {
    "acronym": "acronym", "title": "title", "programme": "programme", "start": "start",
    "end": "end", "partners": "partners_named",
}
"""Table columns the server sorts by, and the projects column each sorts on."""


def table_order(
    dataset: Dataset, mask: BoolArray, sort_model: list[dict[str, Any]] | None = None
) -> npt.NDArray[np.intp]:
    """Positions of the selected projects in table order: dataset order, or sorted by the
    grid's sort model (first sortable column; unknown values last). The grid asks for pages
    of this order, so only the rows it shows are built and sent."""
    positions = np.flatnonzero(mask)
    for item in sort_model or []:
        column = SORT_KEYS.get(str(item.get("colId")))
        if column is None:
            continue
        keys = dataset.projects[column].iloc[positions]
        if keys.dtype == object or str(keys.dtype).startswith(("str", "string")):
            keys = keys.str.lower().replace("", None)
        order = keys.reset_index(drop=True).sort_values(
            ascending=item.get("sort") != "desc", na_position="last", kind="stable").index
        ordered: npt.NDArray[np.intp] = positions[order.to_numpy()]
        return ordered
    return positions


def table_rows(
    dataset: Dataset, selection: BoolArray | npt.NDArray[np.integer], include_inferred: bool = True,
    lang: str = "en",
) -> list[dict[str, Any]]:
    """Rows of the projects table: id, acronym, title, programme, start, end, countries, kets,
    sectors (inferred tags marked, or left out when switched off), partners (named), notes
    (conflicts/gaps). ``selection`` is a boolean mask or an array of positions (one page);
    KET and sector names, the notes and 'not stated' are in ``lang``."""
    _ = translator(lang)
    not_stated, derived_end = _("not stated"), _("derived from duration")
    positions = np.flatnonzero(selection) if selection.dtype == bool else selection
    columns = ["project_id", "acronym", "title", "programme", "start_date", "end_date", "end_derived",
               "countries", "ket_ids", "inferred_ket_ids", "sector_ids", "inferred_sector_ids",
               "partners_named"]
    # Only the page's cells, column by column: rows of the wide frame would copy summaries too.
    cells = {name: dataset.projects[name].array.take(positions).tolist() for name in columns}
    ket_labels = dict(zip(dataset.kets["ket_id"], dataset.kets["short_label"], strict=True))
    sector_labels = dict(zip(dataset.sectors["sector_id"], dataset.sectors["label"], strict=True))
    translated = taxonomy_labels(lang)
    ket_labels.update((k, v) for k, v in translated["ket_short"].items() if k in ket_labels)
    sector_labels.update((k, v) for k, v in translated["sector"].items() if k in sector_labels)
    flagged = _finding_kinds(dataset)
    finding_words = {k: kind_label("findings", k, lang) for k in FINDING_KINDS}
    return [
        {
            "id": project_id,
            "acronym": acronym,
            "title": title,
            "programme": programme or not_stated,
            "start": start or not_stated,
            "end": end or (derived_end if derived else not_stated),
            "countries": ", ".join(countries),
            "kets": _tag_labels(kets, inferred_kets, ket_labels, include_inferred),
            "sectors": _tag_labels(sectors, inferred_sectors, sector_labels, include_inferred),
            "partners": int(partners),
            "notes": ", ".join(finding_words.get(k, k) for k in flagged.get(project_id, ())),
        }
        for (project_id, acronym, title, programme, start, end, derived, countries, kets,
             inferred_kets, sectors, inferred_sectors, partners) in zip(*cells.values(), strict=True)
    ]


@per_dataset(1, index=True)
def _finding_kinds(dataset: Dataset) -> dict[str, tuple[str, ...]]:
    """Project id -> the kinds of its findings (conflict, gap), for the table's notes."""
    findings = dataset.findings
    return {str(project_id): tuple(sorted(set(kinds)))
            for project_id, kinds in findings.groupby("project_id")["kind"]}


def _none_if_empty(value: str) -> str | None:
    return value or None


def _amount(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def organisation_label(name: str, external_id: str, organisation_id: str, lang: str = "en") -> str:
    """How a partner is listed: its name or, for an organisation the source publishes without
    one (CORDIS does), the id it can be looked up by (in ``lang``). Never an empty string."""
    if name:
        return name
    _ = translator(lang)
    return _("name not stated (id {id})", id=external_id or organisation_id)


NO_ROLE = N_("role not stated")
UNNAMED_OTHER_ROLE = N_("other role (not named by the source)")


@per_dataset(1, index=True)
def _role_vocabulary(dataset: Dataset) -> dict[str, str]:
    return dict(zip(dataset.roles["role_id"], dataset.roles["label"], strict=True))


def role_label(dataset: Dataset, role: str, role_stated: str = "", lang: str = "en") -> str:
    """A role as the page shows it in ``lang``: its label in the roles vocabulary
    (``Dataset.roles``; in another language its translation, ``role_translations.csv``). For
    ``other`` the source's own word, verbatim: the vocabulary has no label for it. An empty
    role is 'role not stated', unless the source's word was kept without a slug. The exports
    keep the English default: files are data."""
    if not role:
        return role_stated or translator(lang).message(NO_ROLE)
    if role == "other":
        return role_stated or translator(lang).message(UNNAMED_OTHER_ROLE)
    labels = _role_vocabulary(dataset)
    if lang != "en" and role in labels:
        return taxonomy_labels(lang)["role"].get(role, labels[role])
    return labels.get(role, role)


def _money_sum(values: pd.Series) -> str:
    """Sum of the stated amounts, as text like the column; empty when none is stated."""
    amounts = [float(v) for v in values if v]
    return f"{sum(amounts):.2f}".removesuffix(".00") if amounts else ""


def _one_row_per_organisation(partners: pd.DataFrame) -> pd.DataFrame:
    """A body taking part in two roles (CORDIS lists a participant that is also a third party
    twice) is one partner: one row, its roles and work packages joined in source order, its
    stated EU contributions summed; ``roles`` and ``sources`` keep every role slug and source.
    Other columns are those of its first participation."""
    if partners["organisation_id"].is_unique:
        return partners
    groups = partners.groupby("organisation_id", sort=False)
    first = partners.drop_duplicates("organisation_id").reset_index(drop=True)
    merged: dict[str, list[Any]] = {name: [] for name in (
        "roles", "role_label", "work_packages_led", "ec_contribution_eur", "sources")}
    for organisation_id in first["organisation_id"]:
        group = groups.get_group(organisation_id)
        merged["roles"].append(tuple(group["role"]))
        merged["role_label"].append("; ".join(dict.fromkeys(group["role_label"])))
        packages = (w for cell in group["work_packages_led"] for w in cell.split(";") if w)
        merged["work_packages_led"].append(";".join(dict.fromkeys(packages)))
        merged["ec_contribution_eur"].append(_money_sum(group["ec_contribution_eur"]))
        merged["sources"].append(tuple(dict.fromkeys(group["source"])))
    return first.assign(**merged)


def _objects(values: list[Any]) -> npt.NDArray[np.object_]:
    """An object array of the values; filled after creation so tuples stay tuples, not rows."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _partners(dataset: Dataset, position: int, columns: list[str], lang: str = "en") -> pd.DataFrame:
    """A project's participations with the named columns of their organisations beside them
    (``columns`` must include name and external_id), and how the panel lists them: label,
    role_label (in ``lang``), roles and sources (one participation per row)."""
    parts = dataset.rows_of("participations", position)
    rows = dataset.participation_org[parts.index.to_numpy()]
    # One frame built from arrays: each DataFrame.assign copies the frame, at 1 ms a time.
    cells: dict[str, Any] = {name: parts[name].array for name in parts.columns}
    cells.update({name: dataset.organisations[name].array.take(rows) for name in columns})
    names = zip(cells["name"].tolist(), cells["external_id"].tolist(),
                cells["organisation_id"].tolist(), strict=True)
    roles = cells["role"].tolist()
    cells["label"] = _objects([organisation_label(*n, lang) for n in names])
    cells["role_label"] = _objects([role_label(dataset, r, s, lang) for r, s in zip(
        roles, cells["role_stated"].tolist(), strict=True)])
    cells["roles"] = _objects([(r,) for r in roles])
    cells["sources"] = _objects([(s,) for s in cells["source"].tolist()])
    return pd.DataFrame(cells, copy=False)


@per_dataset(1, index=True)
def _organisation_index(dataset: Dataset) -> pd.Index:
    """Organisation ids in row order, for looking rows up by id."""
    index: pd.Index = pd.Index(dataset.organisations["organisation_id"])
    return index


def project_record(dataset: Dataset, position: int, include_inferred: bool = True) -> dict[str, Any]:
    """A project as the API returns it: ISO dates or null, ISO country codes, slugs, sources.

    ``kets``/``sectors`` include tags inferred by rules unless ``include_inferred`` is False;
    ``inferred_kets``/``inferred_sectors`` say which of them are inferred. ``classifications``
    (scheme, code, title, path) and ``links`` (url, kind) are the source system's; and
    ``rejected_rows`` counts rows of the import about the project that could not be stored."""
    only = np.zeros(dataset.size, dtype=bool)
    only[position] = True
    return project_records(dataset, only, include_inferred)[0]


def _record_tags(
    dataset: Dataset, positions: npt.NDArray[np.intp], include_inferred: bool, cited: dict[int, set[str]]
) -> dict[str, dict[int, set[str]]]:
    """'ket', 'sector', 'inferred_ket', 'inferred_sector' -> position -> slugs, for the records
    of the projects at ``positions``; each tag's source is added to ``cited``."""
    tags: dict[str, dict[int, set[str]]] = {"ket": {}, "sector": {}, "inferred_ket": {},
                                            "inferred_sector": {}}
    for table, column in (("project_kets", "ket"), ("project_sectors", "sector")):
        rows = dataset.rows_of_many(table, positions)
        if not include_inferred:
            rows = rows[rows["origin"] != "inferred"]
        for pos, value, origin, source in zip(rows["pos"], rows[column], rows["origin"], rows["source"],
                                              strict=True):
            tags[column].setdefault(int(pos), set()).add(value)
            if origin == "inferred":
                tags["inferred_" + column].setdefault(int(pos), set()).add(value)
            cited.setdefault(int(pos), set()).add(source)
    return tags


def _record_classifications_and_links(
    dataset: Dataset, positions: npt.NDArray[np.intp], cited: dict[int, set[str]]
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[dict[str, Any]]]]:
    """Position -> classification entries, and position -> link entries, for the records of the
    projects at ``positions``; each row's source is added to ``cited``."""
    classified: dict[int, list[dict[str, Any]]] = {}
    rows = dataset.rows_of_many("classifications", positions)
    for pos, scheme, code, title, path, source in zip(rows["pos"], rows["scheme"], rows["code"],
                                                       rows["title"], rows["path"], rows["source"],
                                                       strict=True):
        classified.setdefault(int(pos), []).append(
            {"scheme": scheme, "code": code, "title": _none_if_empty(title), "path": _none_if_empty(path)})
        cited.setdefault(int(pos), set()).add(source)
    linked: dict[int, list[dict[str, Any]]] = {}
    rows = dataset.rows_of_many("links", positions)
    for pos, url, kind, source in zip(rows["pos"], rows["url"], rows["kind"], rows["source"], strict=True):
        linked.setdefault(int(pos), []).append({"url": url, "kind": _none_if_empty(kind)})
        cited.setdefault(int(pos), set()).add(source)
    return classified, linked


class _ProjectRow(Protocol):
    """The columns of a row of ``Dataset.projects`` that an API record reads."""

    project_id: str
    acronym: str
    title: str
    kind: str
    programme: str
    programme_id: str
    start_date: str
    end_date: str
    duration_months: int | NAType
    """An integer, or ``pd.NA`` where the duration is not stated."""
    budget_eur: float
    eu_contribution_eur: float
    url: str
    countries: tuple[str, ...]
    rejected_rows: int | NAType
    """An integer, or ``pd.NA`` where none were recorded."""
    source: str


def project_records(
    dataset: Dataset, mask: BoolArray, include_inferred: bool = True
) -> list[dict[str, Any]]:
    """API records of every selected project, in dataset order (fields as ``project_record``
    says). Each table is read once for all selected projects, so thousands of
    records cost one pass, not thousands of lookups."""
    positions = np.flatnonzero(mask)
    if not len(positions):
        return []
    projects = dataset.projects.iloc[positions]
    parts = dataset.rows_of_many("participations", positions)
    orgs = dataset.organisations.iloc[dataset.participation_org[parts.index.to_numpy()]]
    partners: dict[int, list[dict[str, Any]]] = {}
    # One entry per participation: a body in two roles is listed with each (same name).
    for pos, name, external_id, organisation_id, country, role in zip(
            parts["pos"], orgs["name"], orgs["external_id"], parts["organisation_id"], orgs["country"],
            parts["role"], strict=True):
        partners.setdefault(int(pos), []).append(
            {"name": organisation_label(name, external_id, organisation_id),
             "country": country or None, "role": role or None})
    cited: dict[int, set[str]] = {}
    tags = _record_tags(dataset, positions, include_inferred, cited)
    for table in ("participations", "project_countries"):
        rows = parts if table == "participations" else dataset.rows_of_many(table, positions)
        for pos, source in zip(rows["pos"], rows["source"], strict=True):
            cited.setdefault(int(pos), set()).add(source)
    classified, linked = _record_classifications_and_links(dataset, positions, cited)
    records = []
    rows_of_projects = cast(Iterable[_ProjectRow], projects.itertuples(index=False))
    for pos, p in zip(positions, rows_of_projects, strict=True):
        key = int(pos)
        records.append({
            "id": p.project_id,
            "acronym": p.acronym,
            "title": _none_if_empty(p.title),
            "kind": p.kind,
            "programme": _none_if_empty(p.programme),
            "programme_id": _none_if_empty(p.programme_id),
            "start_date": _none_if_empty(p.start_date),
            "end_date": _none_if_empty(p.end_date),
            "duration_months": None if pd.isna(p.duration_months) else int(p.duration_months),
            "budget_eur": _amount(p.budget_eur),
            "eu_contribution_eur": _amount(p.eu_contribution_eur),
            "url": _none_if_empty(p.url),
            "countries": list(p.countries),
            "partners": partners.get(key, []),
            "kets": sorted(tags["ket"].get(key, ())),
            "sectors": sorted(tags["sector"].get(key, ())),
            "inferred_kets": sorted(tags["inferred_ket"].get(key, ())),
            "inferred_sectors": sorted(tags["inferred_sector"].get(key, ())),
            "classifications": classified.get(key, []),
            "links": linked.get(key, []),
            # Rows of the import about this project that could not be stored (None: none recorded).
            "rejected_rows": None if pd.isna(p.rejected_rows) else int(p.rejected_rows),
            "sources": sorted(cited.get(key, set()) | {p.source}),
        })
    return records


@dataclass(frozen=True)
class ProjectDetail:
    """Everything the detail panel shows about one project, each row with its source."""

    project: pd.Series
    partners: pd.DataFrame
    countries_named: pd.DataFrame
    kets: pd.DataFrame
    sectors: pd.DataFrame
    activities: pd.DataFrame
    instruments: pd.DataFrame
    findings: pd.DataFrame
    sources: pd.DataFrame
    classifications: pd.DataFrame
    """The project's classifications in the source system: scheme, code, title, path, primary,
    source (EuroSciVoc fields first, then programme parts, topics, policy priorities)."""
    links: pd.DataFrame
    """url, kind, title, source; web sites first."""


SCHEME_ORDER = {"euroscivoc": 0, "legal-basis": 1, "topic": 2, "funding-scheme": 3, "policy-priority": 4}


def project_detail(dataset: Dataset, project_id: str, lang: str = "en") -> ProjectDetail | None:
    """Details of one project, or None if there is no such project; roles and unnamed
    organisations labelled in ``lang``.

    partners: one row per organisation (see ``_one_row_per_organisation``): organisation_id,
    name (as stated, may be empty), label (never empty), country, country_source, role (the
    first), roles, role_label ('Participant (beneficiary); Third party'), work_packages_led,
    source, sources, quote. countries_named: country, role, role_label, source, quote.
    kets/sectors: label, origin, source, quote. activities: kind, title, start_date, end_date,
    location, source, quote. instruments: name, partner (its label, or empty when the
    instrument names no partner), summary, source. findings: kind, field, message (English), values
    (``model.finding_message`` says it in a language). sources: source_id,
    kind, title, url.
    """
    position = dataset.position(project_id)
    if position is None:
        return None
    project = dataset.projects.iloc[position]
    partners = _partners(dataset, position, ["name", "external_id", "country", "country_source", "note"],
                         lang)
    named = dataset.rows_of("project_countries", position)
    countries_named = named[named["via"] == "country"]
    countries_named = countries_named.assign(
        role_label=[role_label(dataset, r, lang=lang) for r in countries_named["role"]])
    ket_labels = dict(zip(dataset.kets["ket_id"], dataset.kets["label"], strict=True))
    sector_labels = dict(zip(dataset.sectors["sector_id"], dataset.sectors["label"], strict=True))
    # A project has a handful of rows: plain lookups cost less than pandas' map and merge.
    kets = dataset.rows_of("project_kets", position)
    kets = kets.assign(label=[ket_labels.get(k, k) for k in kets["ket"]])
    sectors = dataset.rows_of("project_sectors", position)
    sectors = sectors.assign(label=[sector_labels.get(s, s) for s in sectors["sector"]])
    activities = dataset.rows_of("activities", position)
    if len(activities) > 1:
        activities = activities.sort_values(["start", "title"], na_position="last")
    instruments = dataset.rows_of("policy_instruments", position)
    rows = _organisation_index(dataset).get_indexer(pd.Index(instruments["organisation_id"]))
    found = {name: dataset.organisations[name].array.take(np.maximum(rows, 0)).tolist() if len(rows) else []
             for name in ("name", "external_id", "organisation_id")}
    instruments = instruments.assign(partner=[
        organisation_label(n, e, o, lang) if r >= 0 else ""  # "": no partner named for the instrument
        for n, e, o, r in zip(*found.values(), rows, strict=True)])
    findings = dataset.findings[dataset.findings["project_id"] == project_id]
    classifications = dataset.rows_of("classifications", position)
    if len(classifications) > 1:
        classifications = classifications.assign(
            _order=[SCHEME_ORDER.get(s, 9) for s in classifications["scheme"]],
            _main=classifications["primary"] != "true").sort_values(
            ["_order", "_main"], kind="stable").drop(columns=["_order", "_main"])
    links = dataset.rows_of("links", position)
    if len(links) > 1:
        links = links.assign(_site=links["kind"] != "relatedWebsite").sort_values(
            "_site", kind="stable").drop(columns="_site")
    cited: set[str] = {project["source"]}
    for frame in (partners, countries_named, kets, sectors, activities, instruments,
                  classifications, links):
        cited |= set(frame["source"])
    cited |= set(partners["country_source"].dropna()) - {""}
    sources = dataset.sources[dataset.sources["source_id"].isin(cited)]
    partners = _one_row_per_organisation(partners)
    return ProjectDetail(project, partners, countries_named, kets, sectors, activities,
                         instruments, findings, sources, classifications, links)
