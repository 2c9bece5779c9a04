"""Two to four projects side by side: what each states, and what they have in common.

``compare(dataset, ids)`` builds a ``Comparison`` from the projects' API records
(``queries.project_records``: ISO dates, amounts or None) and its detail
(``queries.project_detail``: partners one row per organisation, tags with origin and source,
activities, policy instruments, sources), so a fact means the same here as in the panel and
the API. Unknown stays unknown: an amount not stated is None, a partner whose country is not
stated is counted under None, a period that cannot be worked out has no overlap length. The
page (``components/compare.py``) and ``GET /api/compare`` (``to_json``) show the same object.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from data.engine.memo import per_dataset
from data.engine.model import Dataset
from data.engine.queries import ProjectDetail, project_detail, project_records
from data.engine.state import COMPARE_MAX, COMPARE_MIN

DAYS_PER_MONTH = 365.25 / 12
"""An average month, for stating an overlap in months as well as days."""


class CompareError(ValueError):
    """A comparison that cannot be made: too few or too many ids, or ids no project has
    (``unknown``, in the order asked)."""

    def __init__(self, message: str, unknown: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.unknown = unknown


@dataclass(frozen=True)
class Count:
    """How many partners share a value (a country code, an organisation type); ``value`` None
    counts those for which the sources do not state it."""

    value: str | None
    count: int


@dataclass(frozen=True)
class Tag:
    """A KET or sector of a project: ``inferred`` when a rule found it, not a source."""

    id: str
    label: str
    inferred: bool
    source: str


@dataclass(frozen=True)
class Activity:
    """An activity of a project as its source states it (dates None where not stated)."""

    kind: str
    title: str
    start_date: str | None
    end_date: str | None
    location: str | None
    source: str


@dataclass(frozen=True)
class Instrument:
    """A policy instrument the project works on; ``partner`` the partner working on it, None
    where the source names none."""

    name: str
    partner: str | None
    summary: str | None
    source: str


@dataclass(frozen=True)
class Source:
    """A source one of the project's facts cites."""

    source_id: str
    kind: str
    title: str
    url: str | None


@dataclass(frozen=True)
class Side:
    """One project of a comparison. Dates are ISO text as stated (partial dates stay partial)
    or None; ``start``/``end`` the days the timeline draws (an end drawn from a stated
    duration is ``end_derived``); amounts are euros or None where not stated."""

    id: str
    acronym: str
    title: str | None
    kind: str
    programme: str | None
    start_date: str | None
    end_date: str | None
    duration_months: int | None
    start: date | None
    end: date | None
    end_derived: bool
    budget_eur: float | None
    eu_contribution_eur: float | None
    partners: int
    """Distinct organisations the sources name as partners."""
    partners_by_country: tuple[Count, ...]
    partners_by_type: tuple[Count, ...]
    countries: tuple[str, ...]
    """Every country taking part (ISO alpha-2), named with an organisation or without one."""
    countries_without_organisation: tuple[str, ...]
    """Countries a source names as taking part without naming an organisation there."""
    kets: tuple[Tag, ...]
    sectors: tuple[Tag, ...]
    activities: tuple[Activity, ...]
    instruments: tuple[Instrument, ...]
    project_source: str
    """The source of the project's own row (acronym, title, dates, amounts)."""
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Shared:
    """An organisation or a country found in two or more of the compared projects
    (``projects``: their ids, in the comparison's order)."""

    id: str
    label: str
    country: str | None
    projects: tuple[str, ...]


@dataclass(frozen=True)
class Overlap:
    """The period in which every compared project runs. ``days`` (both ends counted) and
    ``months`` are None when some project's start or end is not stated (``unknown``); 0 with
    ``start``/``end`` None when the periods do not meet."""

    start: date | None
    end: date | None
    days: int | None
    months: float | None
    unknown: tuple[str, ...]
    """Ids of the projects whose start or end is not stated, so no overlap can be worked out."""


@dataclass(frozen=True)
class Comparison:
    """The compared projects in the order asked, the partners and countries they share and
    the overlap of their periods."""

    projects: tuple[Side, ...]
    shared_partners: tuple[Shared, ...]
    shared_countries: tuple[Shared, ...]
    overlap: Overlap
    include_inferred: bool = True

    @property
    def ids(self) -> tuple[str, ...]:
        """The compared projects' ids, in order."""
        return tuple(side.id for side in self.projects)


def checked_ids(dataset: Dataset, ids: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``ids`` without repeats, in order, if there are ``COMPARE_MIN`` to ``COMPARE_MAX`` of
    them and every one names a project; otherwise a ``CompareError`` saying what is wrong."""
    wanted = tuple(dict.fromkeys(i.strip().lower() for i in ids if i.strip()))
    if not COMPARE_MIN <= len(wanted) <= COMPARE_MAX:
        raise CompareError(f"a comparison needs {COMPARE_MIN} to {COMPARE_MAX} different project ids, "
                           f"not {len(wanted)}")
    unknown = tuple(i for i in wanted if dataset.position(i) is None)
    if unknown:
        raise CompareError("no project has the id " + ", ".join(repr(i) for i in unknown), unknown)
    return wanted


def compare(dataset: Dataset, ids: list[str] | tuple[str, ...], include_inferred: bool = True,
            lang: str = "en") -> Comparison:
    """The comparison of the projects ``ids`` (2 to 4, in the order shown); raises
    ``CompareError`` for a wrong number of ids or an unknown one. Tags inferred by rules are
    left out unless ``include_inferred``; roles and unnamed partners are labelled in ``lang``."""
    return _compare(dataset, checked_ids(dataset, ids), include_inferred, lang)


@per_dataset(32)
def _compare(dataset: Dataset, ids: tuple[str, ...], include_inferred: bool, lang: str) -> Comparison:
    details: list[ProjectDetail] = []
    for project_id in ids:
        found = project_detail(dataset, project_id, lang)
        if found is None:  # checked_ids made sure it exists
            raise CompareError(f"no project has the id {project_id!r}", (project_id,))
        details.append(found)
    # The API records of all of them in one pass over each table.
    chosen = np.zeros(dataset.size, dtype=bool)
    chosen[[dataset.position(i) or 0 for i in ids]] = True
    records = {r["id"]: r for r in project_records(dataset, chosen, include_inferred)}
    sides = tuple(_side(dataset, records[project_id], detail, include_inferred)
                  for project_id, detail in zip(ids, details, strict=True))
    return Comparison(sides, _shared_partners(ids, details), _shared_countries(sides),
                      _overlap(sides), include_inferred)


def _text(value: Any) -> str | None:
    """A cell as text, None where it is empty or missing."""
    return value if isinstance(value, str) and value else None


def _day(value: Any) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def _counts(values: list[str | None]) -> tuple[Count, ...]:
    """Counts per value, most first (then by value), 'not stated' (None) last."""
    tally: dict[str | None, int] = {}
    for value in values:
        tally[value] = tally.get(value, 0) + 1
    stated = sorted(((v, n) for v, n in tally.items() if v is not None), key=lambda item: (-item[1], item[0]))
    return tuple(Count(v, n) for v, n in stated) + ((Count(None, tally[None]),) if None in tally else ())


def _organisation_types(dataset: Dataset, position: int) -> dict[str, str | None]:
    """Organisation id -> its type (None where not stated) for the partners of the project at
    ``position``: read through the participations' organisation rows, so nothing is looked up
    among all organisations."""
    parts = dataset.rows_of("participations", position)
    rows = dataset.participation_org[parts.index.to_numpy()]
    types = dataset.organisations["type"].array.take(rows).tolist() if len(rows) else []
    return {str(o): _text(t) for o, t in zip(parts["organisation_id"].tolist(), types, strict=True)}


def _columns(frame: pd.DataFrame, *names: str) -> list[tuple[Any, ...]]:
    """The rows of ``frame``'s columns ``names`` as tuples (plain lists: pandas' row tuples
    cost milliseconds per frame at scale)."""
    return list(zip(*(frame[n].tolist() for n in names), strict=True)) if len(frame) else []


def _tags(frame: pd.DataFrame, column: str, include_inferred: bool) -> tuple[Tag, ...]:
    tags = []
    for tag_id, label, origin, source in zip(frame[column], frame["label"], frame["origin"], frame["source"],
                                             strict=True):
        if origin == "inferred" and not include_inferred:
            continue
        tags.append(Tag(str(tag_id), str(label), origin == "inferred", str(source)))
    return tuple(tags)


def _side(dataset: Dataset, record: dict[str, Any], detail: ProjectDetail, include_inferred: bool) -> Side:
    """One column of the comparison from the project's API record and its detail."""
    types = _organisation_types(dataset, dataset.position(record["id"]) or 0)
    p = detail.project
    partners = detail.partners
    return Side(
        id=record["id"], acronym=record["acronym"], title=record["title"], kind=record["kind"],
        programme=record["programme"], start_date=record["start_date"], end_date=record["end_date"],
        duration_months=record["duration_months"], start=_day(p["start"]), end=_day(p["end"]),
        end_derived=bool(p["end_derived"]), budget_eur=record["budget_eur"],
        eu_contribution_eur=record["eu_contribution_eur"],
        partners=len(partners),
        partners_by_country=_counts([_text(c) for c in partners["country"]]),
        partners_by_type=_counts([types.get(str(o)) for o in partners["organisation_id"]]),
        countries=tuple(record["countries"]),
        countries_without_organisation=tuple(dict.fromkeys(detail.countries_named["country"])),
        kets=_tags(detail.kets, "ket", include_inferred),
        sectors=_tags(detail.sectors, "sector", include_inferred),
        activities=tuple(Activity(str(kind), str(title), _text(start), _text(end), _text(where), str(source))
                         for kind, title, start, end, where, source in _columns(
                             detail.activities, "kind", "title", "start_date", "end_date", "location",
                             "source")),
        instruments=tuple(Instrument(str(name), _text(partner), _text(summary), str(source))
                          for name, partner, summary, source in _columns(
                              detail.instruments, "name", "partner", "summary", "source")),
        project_source=str(p["source"]),
        sources=tuple(Source(str(sid), str(kind), str(title), _text(url))
                      for sid, kind, title, url in _columns(detail.sources, "source_id", "kind", "title",
                                                            "url")),
    )


def _shared_partners(ids: tuple[str, ...], details: list[ProjectDetail]) -> tuple[Shared, ...]:
    """Organisations named as partners in two or more of the projects, most shared first."""
    found: dict[str, tuple[str, str | None, list[str]]] = {}
    for project_id, detail in zip(ids, details, strict=True):
        partners = detail.partners
        for organisation_id, label, country in zip(partners["organisation_id"], partners["label"],
                                                   partners["country"], strict=True):
            entry = found.setdefault(str(organisation_id), (str(label), _text(country), []))
            entry[2].append(project_id)
    shared = [Shared(o, label, country, tuple(projects))
              for o, (label, country, projects) in found.items() if len(projects) >= 2]
    return tuple(sorted(shared, key=lambda s: (-len(s.projects), s.label.lower(), s.id)))


def _shared_countries(sides: tuple[Side, ...]) -> tuple[Shared, ...]:
    """Countries taking part in two or more of the projects, most shared first."""
    found: dict[str, list[str]] = {}
    for side in sides:
        for country in dict.fromkeys(side.countries):
            found.setdefault(country, []).append(side.id)
    shared = [Shared(c, c, c, tuple(projects)) for c, projects in found.items() if len(projects) >= 2]
    return tuple(sorted(shared, key=lambda s: (-len(s.projects), s.id)))


def _overlap(sides: tuple[Side, ...]) -> Overlap:
    """When every project runs: from the latest start to the earliest end, both days counted."""
    unknown = tuple(s.id for s in sides if s.start is None or s.end is None)
    if unknown:
        return Overlap(None, None, None, None, unknown)
    start = max(s.start for s in sides if s.start is not None)
    end = min(s.end for s in sides if s.end is not None)
    if end < start:
        return Overlap(None, None, 0, 0.0, ())
    days = (end - start).days + 1
    return Overlap(start, end, days, round(days / DAYS_PER_MONTH, 1), ())


def to_json(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data: dates as ISO text, unknowns as null."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    data: dict[str, Any] = plain(asdict(comparison))
    data["ids"] = list(comparison.ids)
    return data


def periods(comparison: Comparison) -> pd.DataFrame:
    """The compared projects' periods, in order, for the comparison's timeline. Columns:
    project_id, acronym, start, end (Timestamps, NaT where not stated), start_date, end_date
    (as stated, '' where not), end_derived."""
    sides = comparison.projects
    return pd.DataFrame({
        "project_id": [s.id for s in sides],
        "acronym": [s.acronym for s in sides],
        "start": pd.to_datetime(pd.Series([s.start for s in sides], dtype=object)),
        "end": pd.to_datetime(pd.Series([s.end for s in sides], dtype=object)),
        "start_date": [s.start_date or "" for s in sides],
        "end_date": [s.end_date or "" for s in sides],
        "end_derived": [s.end_derived for s in sides],
    })
