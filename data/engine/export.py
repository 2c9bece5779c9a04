"""The filtered data as export tables: projects, participations, organisations, and a caption.

Pure: no dash, no files. Rows are produced in chunks of projects (``CHUNK``), so a million
participations are written without a second full copy of the table in memory. Every text cell
is made formula-safe (``data.io.safety.neutralise_formula``); an unknown value is an empty cell
(``None``), never 0.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import numpy as np
import numpy.typing as npt
import pandas as pd

from data.engine.arrays import distinct
from data.engine.compare import CompareError, compare
from data.engine.masks import project_mask
from data.engine.memo import per_dataset
from data.engine.model import Dataset
from data.engine.organisations import organisation_labels
from data.engine.queries import role_label
from data.engine.state import LIST_PARAMS, FilterState
from data.io.geo import COUNTRIES_ATTRIBUTION, NUTS_ATTRIBUTION
from data.io.i18n import N_, Translator, translator
from data.io.safety import neutralise_formula

Cell = str | int | float | None
Row = list[Cell]
BoolArray = npt.NDArray[np.bool_]

CHUNK = 10_000
"""Projects (or organisations) per chunk of rows."""
TABLES = ("projects", "participations", "organisations")
COLUMNS: dict[str, tuple[str, ...]] = {
    "projects": ("id", "acronym", "title", "programme", "start", "end", "budget_eur",
                 "eu_contribution_eur", "countries", "kets", "sectors", "partners_named", "url",
                 "sources"),
    "participations": ("project_id", "project_acronym", "organisation_id", "name", "country",
                       "role", "ec_contribution_eur"),
    "organisations": ("id", "name", "short_name", "country", "city", "type", "projects_selected"),
}
XLSX_MAX_ROWS = 300_000
"""An Excel export of more rows than this is not made (the CSV is). Measured on a 2-core server
(``python -m benchmarks.exports``), a workbook is written at 8,000-12,500 rows a second (3,400
for projects, whose rows are long), so this many take up to about 40 s, and a million would
take two minutes; Excel itself holds 1,048,575 rows a sheet and opens such files slowly."""
DIMENSION_LABELS = {"country": N_("Country"), "ket": N_("KET"), "sector": N_("Sector"),
                    "programme": N_("Programme"), "region": N_("Region"),
                    "instrument": N_("Policy instrument"), "org": N_("Organisation")}


def _text(value: object) -> str | None:
    """A text cell, formula-safe; None (an empty cell) for an empty or missing value."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    text = str(value)
    return neutralise_formula(text) if text else None


def _number(value: object) -> float | None:
    """An amount; None where it is not stated (never 0)."""
    if value is None or value == "":
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


def _joined(values: object) -> str | None:
    items = [str(v) for v in values] if isinstance(values, tuple | list) else []
    return _text("; ".join(items))


def _chunks(positions: npt.NDArray[np.intp], size: int = CHUNK) -> Iterator[npt.NDArray[np.intp]]:
    for start in range(0, len(positions), size):
        yield positions[start:start + size]


def _selected(dataset: Dataset, state: FilterState) -> npt.NDArray[np.intp]:
    return np.flatnonzero(project_mask(dataset, state))


def _organisation_counts(dataset: Dataset, mask: BoolArray) -> npt.NDArray[np.int64]:
    """Per organisation row: how many selected projects it takes part in (any role)."""
    chosen = mask[dataset.participation_pos]
    orgs = dataset.participation_org[chosen].astype(np.int64)
    pos = dataset.participation_pos[chosen].astype(np.int64)
    known = orgs >= 0
    pairs = distinct(orgs[known] * max(dataset.size, 1) + pos[known])
    counts: npt.NDArray[np.int64] = np.bincount(
        pairs // max(dataset.size, 1), minlength=len(dataset.organisations)).astype(np.int64)
    return counts


def _participation_count(dataset: Dataset, mask: BoolArray) -> int:
    offsets = dataset.row_index["participations"]
    positions = np.flatnonzero(mask)
    return int((offsets[positions + 1] - offsets[positions]).sum())


def row_count(dataset: Dataset, state: FilterState, table: str) -> int:
    """Rows the export of ``table`` will have (without its header), before any is built."""
    mask = project_mask(dataset, state)
    if table == "projects":
        return int(mask.sum())
    if table == "participations":
        return _participation_count(dataset, mask)
    if table == "organisations":
        return int((_organisation_counts(dataset, mask) > 0).sum())
    raise KeyError(table)


def too_large_for_xlsx(dataset: Dataset, state: FilterState) -> dict[str, int]:
    """The tables whose export would have more rows than an Excel file is made for
    (``XLSX_MAX_ROWS``), with their row counts. Cheap enough for the menu's every render: the
    organisations are counted only when the participations and the dataset's organisations
    both exceed the limit (each exported organisation has a selected participation)."""
    mask = project_mask(dataset, state)
    counts = {"projects": int(mask.sum()), "participations": _participation_count(dataset, mask)}
    if min(counts["participations"], len(dataset.organisations)) > XLSX_MAX_ROWS:
        counts["organisations"] = int((_organisation_counts(dataset, mask) > 0).sum())
    return {table: n for table, n in counts.items() if n > XLSX_MAX_ROWS}


def _cited(dataset: Dataset, chunk: npt.NDArray[np.intp], include_inferred: bool) -> dict[int, set[str]]:
    """Position -> the sources of a chunk of projects' participations, countries and tags."""
    cited: dict[int, set[str]] = {}
    for table in ("participations", "project_countries", "project_kets", "project_sectors"):
        rows = dataset.rows_of_many(table, chunk)
        if not include_inferred and table in ("project_kets", "project_sectors"):
            rows = rows[rows["origin"] != "inferred"]
        for pos, source in zip(rows["pos"].tolist(), rows["source"].tolist(), strict=True):
            if source:
                cited.setdefault(int(pos), set()).add(source)
    return cited


def _tags(listed: object, inferred: object, include_inferred: bool) -> tuple[str, ...]:
    tags = tuple(listed) if isinstance(listed, tuple | list) else ()
    if include_inferred:
        return tags
    dropped = set(inferred) if isinstance(inferred, tuple | list) else set()
    return tuple(t for t in tags if t not in dropped)


def project_rows(dataset: Dataset, state: FilterState) -> Iterator[Row]:
    """One row per selected project, in dataset order (columns: ``COLUMNS['projects']``)."""
    for chunk in _chunks(_selected(dataset, state)):
        frame = dataset.projects.iloc[chunk]
        cited = _cited(dataset, chunk, state.inferred)
        columns = {name: frame[name].tolist() for name in (
            "project_id", "acronym", "title", "programme", "start_date", "end_date", "budget_eur",
            "eu_contribution_eur", "countries", "ket_ids", "inferred_ket_ids", "sector_ids",
            "inferred_sector_ids", "partners_named", "url", "source")}
        for i, pos in enumerate(chunk.tolist()):
            sources = cited.get(int(pos), set()) | ({columns["source"][i]} - {""})
            yield [
                _text(columns["project_id"][i]), _text(columns["acronym"][i]),
                _text(columns["title"][i]), _text(columns["programme"][i]),
                _text(columns["start_date"][i]), _text(columns["end_date"][i]),
                _number(columns["budget_eur"][i]), _number(columns["eu_contribution_eur"][i]),
                _joined(columns["countries"][i]),
                _joined(_tags(columns["ket_ids"][i], columns["inferred_ket_ids"][i], state.inferred)),
                _joined(_tags(columns["sector_ids"][i], columns["inferred_sector_ids"][i],
                              state.inferred)),
                int(columns["partners_named"][i]), _text(columns["url"][i]),
                _joined(sorted(sources)),
            ]


def participation_rows(dataset: Dataset, state: FilterState) -> Iterator[Row]:
    """One row per participation of a selected project (a body in two roles has two rows)."""
    orgs = dataset.organisations
    acronyms = dataset.projects["acronym"]
    for chunk in _chunks(_selected(dataset, state)):
        parts = dataset.rows_of_many("participations", chunk)
        if not len(parts):
            continue
        rows = dataset.participation_org[parts.index.to_numpy()]
        # ``.array.take``: only the chunk's cells are gathered, not a copy of the column.
        names = orgs["name"].array.take(rows).tolist()
        countries = orgs["country"].array.take(rows).tolist()
        project_acronyms = acronyms.array.take(parts["pos"].to_numpy(dtype=np.int64)).tolist()
        for project_id, acronym, organisation_id, name, country, role, stated, money in zip(
                parts["project_id"].tolist(), project_acronyms, parts["organisation_id"].tolist(),
                names, countries, parts["role"].tolist(), parts["role_stated"].tolist(),
                parts["ec_contribution_eur"].tolist(), strict=True):
            yield [_text(project_id), _text(acronym), _text(organisation_id), _text(name),
                   _text(country), _text(role_label(dataset, role, stated) if (role or stated) else ""),
                   _number(money)]


def organisation_rows(dataset: Dataset, state: FilterState) -> Iterator[Row]:
    """One row per organisation taking part in a selected project, with how many it is in."""
    counts = _organisation_counts(dataset, project_mask(dataset, state))
    orgs = dataset.organisations
    for chunk in _chunks(np.flatnonzero(counts > 0)):
        frame = orgs.iloc[chunk]
        for values in zip(*(frame[name].tolist() for name in (
                "organisation_id", "name", "short_name", "country", "city", "type")),
                counts[chunk].tolist(), strict=True):
            yield [*(_text(v) for v in values[:-1]), int(values[-1])]


def rows(dataset: Dataset, state: FilterState, table: str) -> Iterator[Row]:
    """The rows of an export table (one of ``TABLES``), header not included."""
    makers = {"projects": project_rows, "participations": participation_rows,
              "organisations": organisation_rows}
    return makers[table](dataset, state)


def describe(dataset: Dataset, state: FilterState, lang: str = "en") -> str:
    """The filters in words, in ``lang`` (the files' captions stay English):
    'Country: Germany (DE); From: 2015'; 'none (every project)'."""
    _ = translator(lang)
    parts = []
    for name in LIST_PARAMS:
        values = getattr(state, name)
        if values:
            # 280,000 organisations: only the selected ones are looked up.
            labels = (organisation_labels(dataset, values) if name == "org"
                      else dataset.vocabulary(name, lang))
            # A region's label already ends with its code: 'Oberbayern (DE21)'.
            shown = [labels[v] if v in labels and labels[v].endswith(f"({v})")
                     else f"{labels[v]} ({v})" if v in labels and labels[v] != v else v for v in values]
            parts.append(_("{dimension}: {values}", dimension=_.message(DIMENSION_LABELS[name]),
                           values=", ".join(shown)))
    if state.year_from is not None:
        parts.append(_("From: {year}", year=state.year_from))
    if state.year_to is not None:
        parts.append(_("To: {year}", year=state.year_to))
    if state.q:
        parts.append(_("Search: {text}", text=state.q))
    if state.project:
        parts.append(_("Open project (marked in the views, not a filter): {project}", project=state.project))
    if not state.inferred:
        parts.append(_("Inferred KET/sector tags: off"))
    return "; ".join(parts) if parts else _("none (every project)")


@per_dataset(1, index=True)
def _source_codes(dataset: Dataset) -> tuple[list[str], npt.NDArray[np.intp], npt.NDArray[np.intp],
                                             npt.NDArray[np.intp]]:
    """The source ids the dataset cites, each project's source as an index into them, and the
    distinct (project position, source index) pairs of the participations: a caption on every
    click then looks at a few values per project, not at the text of every participation."""
    codes, names = pd.factorize(pd.concat([dataset.projects["source"], dataset.participations["source"]],
                                          ignore_index=True))
    n, width = len(dataset.projects), len(names) + 1
    # (position, source) as one integer, source shifted by one so that missing (-1) is 0.
    pairs = distinct(np.asarray(dataset.participation_pos, dtype=np.intp) * width + codes[n:] + 1)
    return ([str(name) for name in names], codes[:n].astype(np.intp), (pairs // width).astype(np.intp),
            (pairs % width - 1).astype(np.intp))


def _sources_of(dataset: Dataset, mask: BoolArray) -> list[str]:
    """Ids of the sources the selected projects and their participations cite, sorted."""
    names, of_project, pair_pos, pair_source = _source_codes(dataset)
    # One slot more for a missing source (-1, factorize's code for it): cited by nobody.
    cited = np.zeros(len(names) + 1, dtype=bool)
    cited[of_project[mask]] = True
    cited[pair_source[mask[pair_pos]]] = True
    return sorted(names[i] for i in np.flatnonzero(cited[:-1]).tolist() if names[i])


def caption(dataset: Dataset, state: FilterState, today: date | None = None) -> list[tuple[str, str]]:
    """What an export carries beside its table: the filters, the dataset, the date, the sources.

    One ('Source', 'id: title <url>') row per source the exported projects cite."""
    mask = project_mask(dataset, state)
    titles = dict(zip(dataset.sources["source_id"], dataset.sources["title"], strict=True))
    urls = dict(zip(dataset.sources["source_id"], dataset.sources["url"], strict=True))
    rows_: list[tuple[str, str]] = [
        ("Filters", describe(dataset, state)),
        ("Query", state.to_query()),
        ("Dataset", dataset.folder.name),
        ("Exported", (today or date.today()).isoformat()),
        ("Projects", str(int(mask.sum()))),
    ]
    for source in _sources_of(dataset, mask):
        url = urls.get(source, "")
        rows_.append(("Source", f"{source}: {titles.get(source, '')}" + (f" <{url}>" if url else "")))
    return [(key, neutralise_formula(value)) for key, value in rows_]


def filename(table: str, state: FilterState, extension: str) -> str:
    """'ket-projects-country-DE.csv': the table and the filters, in ASCII letters and digits."""
    query = state.to_query()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", query).strip("-")[:120].rstrip("-")
    return f"ket-{table}{'-' + slug if slug else ''}.{extension}"


MAX_CAPTION_SOURCES = 6
"""A chart's caption names this many sources, then how many more (the tables list them all)."""
MAX_NAME_SLUG = 80
VIEWS = ("map", "matrix", "timeline", "region-map", "org-map", "network", "compare-timeline")
"""The charts with PNG/SVG buttons, by the id of their graph (``components/ids.py``): the
caption holder names each one's file."""
MAX_VIEW_SLUG = 60
"""Characters of a view's own part of a file name ('compare-timeline-alpha-beta')."""
BOUNDARY_CREDITS = {"map": COUNTRIES_ATTRIBUTION, "org-map": COUNTRIES_ATTRIBUTION,
                    "region-map": NUTS_ATTRIBUTION}
"""The credit of the boundaries each map is drawn on: its image's caption repeats it, so a
cropped or re-captioned image still names them (GISCO's licence asks for it on every map)."""
COMPARE_VIEW = "compare-timeline"
COMPARISON = N_("Comparison")


def caption_lines(dataset: Dataset, state: FilterState, today: date | None = None) -> list[str]:
    """The caption a chart or a report page carries, as short lines of text:
    'Filters: Country: Germany (DE)', 'Dataset: seed (2026-12-01), 3 projects', 'Sources: ...'.

    Built from ``caption``; the sources are listed by id, the first ``MAX_CAPTION_SOURCES``
    of them and then how many more, so the caption stays a few lines whatever is selected.
    In the state's language (the chart images and reports of a page in German speak German)."""
    _ = translator(state.lang)
    rows_ = caption(dataset, state, today)
    found = dict(rows_[:5])
    sources = [value.split(":", 1)[0] for key, value in rows_ if key == "Source"]
    filters = neutralise_formula(describe(dataset, state, state.lang))
    return [
        _("Filters: {filters}", filters=filters),
        _dataset_line(_, found["Dataset"], found["Exported"], int(found["Projects"])),
        _sources_line(_, sources),
    ]


def _dataset_line(_: Translator, dataset: str, exported: str, n: int) -> str:
    return _.ngettext("Dataset: {dataset} (exported {date}), {n} project",
                      "Dataset: {dataset} (exported {date}), {n} projects", n,
                      dataset=dataset, date=exported)


def _sources_line(_: Translator, sources: list[str]) -> str:
    """'Sources: a, b, c and 4 more': the first ``MAX_CAPTION_SOURCES`` ids."""
    shown = ", ".join(sources[:MAX_CAPTION_SOURCES])
    if len(sources) > MAX_CAPTION_SOURCES:
        shown = _("{sources} and {n} more", sources=shown, n=len(sources) - MAX_CAPTION_SOURCES)
    return _("Sources: {sources}", sources=shown or _("none cited"))


def _comparison_lines(dataset: Dataset, state: FilterState, today: date | None) -> list[str] | None:
    """The comparison chart's caption: the page's filters, the projects compared (which the
    filters do not select: ``compare=`` names them), how many, and the sources the panel cites
    for them (``data.engine.compare``), not those of the selection. None when ``compare=``
    names no valid comparison (the panel says why; the chart is empty)."""
    try:
        found = compare(dataset, state.compare, state.inferred, state.lang)
    except CompareError:
        return None
    _ = translator(state.lang)
    named = ", ".join(f"{side.acronym} ({side.id})" if side.acronym and side.acronym != side.id else side.id
                      for side in found.projects)
    sources = sorted({source.source_id for side in found.projects for source in side.sources})
    return [
        _("Filters: {filters}", filters=neutralise_formula(describe(dataset, state, state.lang))),
        neutralise_formula(_("{dimension}: {values}", dimension=_.message(COMPARISON), values=named)),
        _dataset_line(_, dataset.folder.name, (today or date.today()).isoformat(), len(found.projects)),
        _sources_line(_, sources),
    ]


def view_caption_lines(dataset: Dataset, state: FilterState, view: str,
                       today: date | None = None, common: list[str] | None = None) -> list[str]:
    """The caption of one chart (``VIEWS``): ``caption_lines``, then the credit of the
    boundaries a map is drawn on (``BOUNDARY_CREDITS``); the comparison's chart names the
    projects compared and cites their sources (``_comparison_lines``). ``common``: the
    state's ``caption_lines`` when the caller has them already (one pass for every chart)."""
    compared = _comparison_lines(dataset, state, today) if view == COMPARE_VIEW and state.compare else None
    if compared is not None:
        return compared
    lines = caption_lines(dataset, state, today) if common is None else common
    credit = BOUNDARY_CREDITS.get(view)
    return [*lines, translator(state.lang).message(credit)] if credit else lines


def view_name(view: str, state: FilterState) -> str:
    """What a chart's file is named after: the view, with what tells its images apart beyond
    the filters: the regional map's NUTS level ('region-map-nuts2'), the network's nodes when
    they are organisations ('network-org'), the projects compared ('compare-timeline-a-b')."""
    if view == "region-map" and state.geo != "countries":
        return f"{view}-{state.geo}"
    if view == "network" and state.net != "country":
        return f"{view}-{state.net}"
    if view == COMPARE_VIEW and state.compare:
        return "-".join((view, *state.compare))
    return view


def view_filename(view: str, state: FilterState, extension: str) -> str:
    """'ket-matrix-country-DE-ket-photonics.png': the view (``view_name``) and the filters that
    select (not the view parameters: a storyboard token is no name), ASCII letters, digits and
    '-', at most ``MAX_VIEW_SLUG`` characters of view and ``MAX_NAME_SLUG`` of filters."""
    query = state.filters.to_query()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", query).strip("-")[:MAX_NAME_SLUG].rstrip("-")
    safe_view = re.sub(r"[^A-Za-z0-9]+", "-", view_name(view, state)).strip("-")[:MAX_VIEW_SLUG]
    safe_view = safe_view.rstrip("-") or "view"
    return f"ket-{safe_view}{'-' + slug if slug else ''}.{extension}"
