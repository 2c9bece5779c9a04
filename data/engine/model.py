"""The in-memory dataset: validated tables plus the indexes every view filters with.

``build_dataset`` runs once at start-up. Everything a callback needs per interaction (which
projects take part in a country, which carry a KET, each project's year span, its search text)
is computed here, so a filter is a handful of vectorised boolean operations over arrays of
project positions, whatever the number of participations.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from data.engine.memo import Memo
from data.engine.orgindex import OrganisationMembers
from data.engine.regions import RegionIndex, RegionMembers, place
from data.engine.storyboard import Storyboard, StoryboardError, from_json
from data.io import schema
from data.io.columns import contiguous
from data.io.countries import country_name
from data.io.dates import first_day, last_day
from data.io.geo import nuts_rings
from data.io.i18n import N_, taxonomy_labels, translator
from data.io.loader import load_tables
from data.io.paths import DEFAULT_DATASET, TAXONOMY_DIR
from data.io.storyboards import STORYBOARD_FILE, StoryboardFile, read_storyboard
from data.io.text import fold

log = logging.getLogger(__name__)

NOT_STATED = "not-stated"
"""Pseudo-slug for 'the sources tag no KET / no sector', so such projects are never dropped."""

BoolArray = npt.NDArray[np.bool_]
"""A boolean array over projects (a mask) or over the rows of a table."""
IntArray = npt.NDArray[np.int64]
"""Positions, codes or counts."""


@dataclass(frozen=True, eq=False)
class TagIndex:
    """Which projects carry which KET and sector. A project with no KET (or no sector) is
    listed under 'not-stated', so it is counted in the matrix and can be filtered for."""

    members: dict[str, dict[str, BoolArray]] = field(repr=False)
    """'ket' and 'sector' -> slug -> boolean array over projects."""
    ket_sector: pd.DataFrame
    """Columns pos, ket, sector, ket_code, sector_code: one row per project and KET x sector
    pair it carries; the codes index the taxonomies in their order, 'not-stated' last."""


def _tag_index(kets: pd.DataFrame, sectors: pd.DataFrame, size: int) -> TagIndex:
    untagged_ket = np.setdiff1d(np.arange(size), kets["pos"].to_numpy())
    untagged_sector = np.setdiff1d(np.arange(size), sectors["pos"].to_numpy())
    ket_pos = np.concatenate([kets["pos"].to_numpy(), untagged_ket])
    ket_val = np.concatenate([kets["ket"].to_numpy(dtype=object),
                              np.full(len(untagged_ket), NOT_STATED, dtype=object)])
    sector_pos = np.concatenate([sectors["pos"].to_numpy(), untagged_sector])
    sector_val = np.concatenate([sectors["sector"].to_numpy(dtype=object),
                                 np.full(len(untagged_sector), NOT_STATED, dtype=object)])
    ket_frame = pd.DataFrame({"pos": ket_pos, "ket": ket_val}).drop_duplicates()
    sector_frame = pd.DataFrame({"pos": sector_pos, "sector": sector_val}).drop_duplicates()
    return TagIndex(
        members={
            "ket": _member_masks(ket_frame["pos"].to_numpy(), ket_frame["ket"], size),
            "sector": _member_masks(sector_frame["pos"].to_numpy(), sector_frame["sector"], size),
        },
        ket_sector=ket_frame.merge(sector_frame, on="pos"),
    )


@dataclass(frozen=True, eq=False)
class CountryIndex:
    """Which countries take part in which project, as integer arrays for counting.

    One entry per distinct (project, country), sorted by country then project, so the first
    projects of a country are a contiguous run. ``country_only`` marks entries a source names
    as a country without naming an organisation there."""

    codes: npt.NDArray[np.object_]
    """ISO alpha-2 codes; ``country`` below indexes into this."""
    pos: IntArray
    country: IntArray
    country_only: BoolArray
    org_country: IntArray
    """Per row of ``organisations``: index into ``codes``, or -1 where the country is unknown."""


def _country_index(countries: pd.DataFrame, organisations: pd.DataFrame) -> CountryIndex:
    codes = np.array(sorted(set(countries["country"]) | (set(organisations["country"]) - {""})),
                     dtype=object)
    lookup = pd.Index(codes)
    pairs = pd.DataFrame({
        "country": lookup.get_indexer(countries["country"]),
        "pos": countries["pos"].to_numpy(),
        "only": (countries["via"] == "country").to_numpy(),
    }).groupby(["country", "pos"], sort=True)["only"].any().reset_index()
    return CountryIndex(
        codes=codes,
        pos=pairs["pos"].to_numpy(dtype=np.int64),
        country=pairs["country"].to_numpy(dtype=np.int64),
        country_only=pairs["only"].to_numpy(dtype=bool),
        org_country=lookup.get_indexer(organisations["country"]).astype(np.int64),
    )


@dataclass(frozen=True, eq=False)
class Dataset:
    """All tables of one dataset, indexed by project position (0..n-1 in ``projects``).

    Per-project frames carry a ``pos`` column pointing into ``projects``. ``members`` maps a
    filter dimension ('country', 'ket', 'sector', 'programme') and a value to a boolean array
    over projects, built once so that filtering never scans participations.
    """

    folder: Path
    projects: pd.DataFrame
    programmes: pd.DataFrame
    organisations: pd.DataFrame
    participations: pd.DataFrame
    project_countries: pd.DataFrame
    project_kets: pd.DataFrame
    project_sectors: pd.DataFrame
    activities: pd.DataFrame
    policy_instruments: pd.DataFrame
    classifications: pd.DataFrame
    """CORDIS's own classifications of each project: EuroSciVoc fields, programme parts (legal
    basis), call topics and policy priorities (``project_classifications.csv``)."""
    links: pd.DataFrame
    facts: pd.DataFrame
    findings: pd.DataFrame
    sources: pd.DataFrame
    kets: pd.DataFrame
    sectors: pd.DataFrame
    roles: pd.DataFrame
    country_index: CountryIndex
    tags: TagIndex
    """KET and sector index over all tags, inferred ones included."""
    curated_tags: TagIndex
    """The same over curated tags only, for when inferred tags are switched off."""
    members: dict[str, Mapping[str, BoolArray]] = field(repr=False)
    """Per filter dimension, value -> boolean array over projects; 'org' is built on demand
    (``data.engine.orgindex.OrganisationMembers``: one array per organisation would not fit)."""
    project_positions: dict[str, int] = field(repr=False)
    row_index: dict[str, npt.NDArray[np.intp]] = field(repr=False)
    """Per per-project table (stored grouped by project): where each project's rows start,
    with one extra entry for the end."""
    search_text: pd.Series = field(repr=False)
    """Lower-case acronym, title, summary and programme per project."""
    organisation_text: pd.Series = field(repr=False)
    """Lower-case name and short name per organisation (row order of ``organisations``)."""
    participation_org: npt.NDArray[np.intp] = field(repr=False)
    """Row of ``organisations`` for each row of ``participations``."""
    participation_pos: IntArray = field(repr=False)
    """Project position of each row of ``participations``."""
    storyboard: Storyboard | None = field(default=None, repr=False)
    """The storyboard that comes with the dataset (``storyboard.json`` in its folder), if any."""
    storyboard_problem: str = ""
    """Why the folder's ``storyboard.json`` was not read (the dataset loads all the same)."""
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)
    """Results remembered for this dataset (``data.engine.memo.per_dataset``); they go with it."""
    regions: RegionIndex | None = field(default=None, repr=False)
    """Each organisation's NUTS regions and each region's projects (``data.engine.regions``)."""

    @property
    def size(self) -> int:
        """Number of projects."""
        return len(self.projects)

    def tag_index(self, include_inferred: bool) -> TagIndex:
        """The KET/sector index with or without tags inferred by rules."""
        return self.tags if include_inferred else self.curated_tags

    def position(self, project_id: str) -> int | None:
        """Position of a project id in ``projects``, or None if there is no such project."""
        found = self.project_positions.get(project_id)
        return None if found is None else int(found)

    def rows_of(self, table: str, position: int) -> pd.DataFrame:
        """The rows of a per-project table (``participations``, ``project_kets``,
        ``project_sectors``, ``project_countries``, ``activities``, ``policy_instruments``,
        ``classifications``, ``links``) that belong to one project: a slice, since the tables
        are stored grouped by project."""
        offsets = self.row_index[table]
        return self._table(table).iloc[offsets[position]:offsets[position + 1]]

    def rows_of_many(self, table: str, positions: npt.NDArray[np.integer]) -> pd.DataFrame:
        """``rows_of`` for many projects at once, in one take (grouped by project)."""
        offsets = self.row_index[table]
        starts, ends = offsets[positions], offsets[positions + 1]
        lengths = ends - starts
        if not lengths.sum():
            return self._table(table).iloc[:0]
        # Concatenated ranges starts[i]..ends[i], without a Python loop.
        total = int(lengths.sum())
        shift = starts - np.r_[0, np.cumsum(lengths)[:-1]]
        rows: pd.DataFrame = self._table(table).iloc[np.arange(total) + np.repeat(shift, lengths)]
        return rows

    def _table(self, table: str) -> pd.DataFrame:
        """The per-project table of that name (one of ``row_index``'s keys)."""
        frame: pd.DataFrame = getattr(self, table)
        return frame

    def vocabulary(self, dimension: str, lang: str = "en") -> dict[str, str]:
        """Valid values of a filter dimension, with their display labels in ``lang`` (country,
        KET and sector names; programmes keep their own names), in display order."""
        _ = translator(lang)
        if dimension == "country":
            if lang == "en":
                codes = sorted(self.members["country"], key=country_name)
            else:
                codes = sorted(self.members["country"], key=lambda c: fold(country_name(c, lang)))
            return {c: country_name(c, lang) for c in codes}
        if dimension == "ket":
            labels = dict(zip(self.kets["ket_id"], self.kets["label"], strict=True))
            labels = {**labels, **{k: v for k, v in taxonomy_labels(lang)["ket"].items() if k in labels}}
            return {**labels, NOT_STATED: _("No KET stated")}
        if dimension == "sector":
            labels = dict(zip(self.sectors["sector_id"], self.sectors["label"], strict=True))
            labels = {**labels, **{k: v for k, v in taxonomy_labels(lang)["sector"].items() if k in labels}}
            return {**labels, NOT_STATED: _("No sector stated")}
        if dimension == "programme":
            labels = dict(zip(self.programmes["programme_id"], self.programmes["name"], strict=True))
            return {**labels, NOT_STATED: _("Programme not stated")}
        if dimension == "project":
            return dict(zip(self.projects["project_id"], self.projects["acronym"], strict=True))
        if dimension == "region":
            names = self.regions.names if self.regions is not None else {}
            return {code: f"{names.get(code, code)} ({code})" for code in self.members.get("region", {})}
        if dimension == "instrument":
            return dict(zip(self.policy_instruments["instrument_id"], self.policy_instruments["name"],
                            strict=True))
        raise KeyError(dimension)


def _lookup(values: pd.Series, keys: pd.Series, labels: pd.Series, missing: str = "") -> pd.Series:
    """The label of each value's key, ``missing`` where there is none: a text column whatever
    the dtypes and however few keys match. ``values.map(dict).fillna('')`` is not: where nothing
    matches, map infers a float (or Arrow double) column, which refuses a '' fill."""
    table = np.append(labels.to_numpy(dtype=object), missing)
    found = pd.Index(keys.to_numpy(dtype=object)).get_indexer(values.to_numpy(dtype=object))
    # get_indexer answers -1 for 'no such key', which picks the trailing ``missing``.
    return pd.Series(table[found], index=values.index, name=values.name, dtype=object).astype(str)


def _amount(text: pd.Series) -> pd.Series:
    """Euro amounts as float; empty (not stated) stays NaN, never 0."""
    return pd.to_numeric(text.replace("", None), errors="coerce").astype(float)


def _with_pos(frame: pd.DataFrame, positions: pd.Series) -> pd.DataFrame:
    out = frame.copy()
    out["pos"] = out["project_id"].map(positions).astype("int64")
    return out


def _member_masks(
    pos: npt.NDArray[np.integer], values: pd.Series, size: int
) -> dict[str, BoolArray]:
    """Value -> boolean array over projects: True where the project has that value."""
    masks: dict[str, BoolArray] = {}
    codes, uniques = pd.factorize(values, sort=True)
    for code, value in enumerate(uniques):
        mask = np.zeros(size, dtype=bool)
        mask[pos[codes == code]] = True
        masks[str(value)] = mask
    return masks


def _sorted_lists(pos: pd.Series, values: pd.Series, size: int) -> list[tuple[str, ...]]:
    """Per project position, the sorted distinct values (empty tuple where there are none).

    Sorting once and splitting at position boundaries keeps this linear in numpy; a pandas
    group-by with ``agg(tuple)`` falls back to Python per group and is ten times slower."""
    frame = pd.DataFrame({"pos": pos.to_numpy(), "value": values.to_numpy(dtype=object)})
    frame = frame.drop_duplicates().sort_values(["pos", "value"])
    positions = frame["pos"].to_numpy()
    cuts = np.flatnonzero(np.diff(positions)) + 1
    groups = np.split(frame["value"].to_numpy(dtype=object), cuts)
    out: list[tuple[str, ...]] = [()] * size
    for start, group in zip(positions[np.r_[0, cuts]] if len(positions) else [], groups, strict=False):
        out[int(start)] = tuple(group)
    return out


def _projects(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    projects = tables["projects"].reset_index(drop=True).copy()
    projects["programme"] = _lookup(projects["programme_id"], tables["programmes"]["programme_id"],
                                   tables["programmes"]["name"])
    projects["start"] = first_day(projects["start_date"])
    projects["end"] = last_day(projects["end_date"])
    months = pd.to_numeric(projects["duration_months"].replace("", None), errors="coerce")
    projects["duration_months"] = months.astype("Int64")
    rejected = pd.to_numeric(projects["rejected_rows"].replace("", None), errors="coerce")
    projects["rejected_rows"] = rejected.astype("Int64")
    derive = projects["end"].isna() & projects["start"].notna() & months.notna()
    projects["end_derived"] = derive
    derived_end = [
        start + pd.DateOffset(months=int(m)) - pd.Timedelta(days=1)
        for start, m in zip(projects.loc[derive, "start"], months[derive], strict=True)
    ]
    projects.loc[derive, "end"] = pd.Series(derived_end, index=projects.index[derive], dtype="datetime64[ns]")
    projects["budget_eur"] = _amount(projects["budget_eur"])
    projects["eu_contribution_eur"] = _amount(projects["eu_contribution_eur"])
    return projects


def _project_countries(
    tables: dict[str, pd.DataFrame], positions: pd.Series
) -> pd.DataFrame:
    """Every (project, country) the sources support: through a named organisation or named
    as a country only. One row per evidence, so the views can say which is which."""
    orgs = tables["organisations"][["organisation_id", "name", "country", "country_source"]]
    via_org = tables["participations"].merge(orgs, on="organisation_id", how="left")
    via_org = via_org[via_org["country"] != ""]
    via_org = pd.DataFrame({
        "project_id": via_org["project_id"],
        "country": via_org["country"],
        "role": via_org["role"],
        "via": "organisation",
        "organisation_id": via_org["organisation_id"],
        "organisation": via_org["name"],
        "source": via_org["country_source"].where(via_org["country_source"] != "", via_org["source"]),
    })
    named = tables["project_countries"]
    country_only = pd.DataFrame({
        "project_id": named["project_id"],
        "country": named["country"],
        "role": named["role"],
        "via": "country",
        "organisation_id": "",
        "organisation": "",
        "source": named["source"],
    })
    both = pd.concat([via_org, country_only], ignore_index=True)
    return _with_pos(both, positions)


class _Fact(Protocol):
    """A row of ``project_facts`` (every cell text)."""

    project_id: str
    field: str
    value: str
    source: str


def _facts(frame: pd.DataFrame) -> Iterable[_Fact]:
    """The rows of a ``project_facts`` frame as named tuples."""
    return cast(Iterable[_Fact], frame.itertuples(index=False))


FINDING_MESSAGES = {
    "conflict": N_("Sources disagree on {field}: {said}"),
    "partner_count": N_("The source states {stated} partners; {named} are named ({source})."),
    "associated_partner_count": N_("The source states {stated} associated partners; {named} are "
                                   "named ({source})."),
}
"""What a finding says: sources that disagree on a fact, or a stated count of partners that the
named ones do not match (by the fact's field)."""
FACT_FIELD_WORDS = {
    "partner_count": N_("the number of partners"),
    "associated_partner_count": N_("the number of associated partners"),
    "country_count": N_("the number of countries"),
    "start_date": N_("the start date"),
    "end_date": N_("the end date"),
    "budget_eur": N_("the budget"),
    "eu_contribution_eur": N_("the EU contribution"),
    "duration_months": N_("the duration in months"),
}
"""Each fact a source may state (``schema.FACT_FIELDS``), as a finding names it."""


def finding_message(kind: str, field: str, values: dict[str, str], lang: str = "en") -> str:
    """A finding's message in ``lang``: a conflict names the ``field`` it is about, a gap the
    counts of ``values`` (stated, named, source); ``values`` of a conflict: said."""
    _ = translator(lang)
    if kind == "conflict":
        return _(FINDING_MESSAGES["conflict"], field=_.message(FACT_FIELD_WORDS.get(field, field)),
                 said=values.get("said", ""))
    return _(FINDING_MESSAGES[field], **values)


def _finding(project_id: str, kind: str, field: str, **values: str) -> dict[str, Any]:
    """A row of the findings table: its English message, and its values to say it in another
    language (``finding_message``)."""
    return {"project_id": project_id, "kind": kind, "field": field,
            "message": finding_message(kind, field, values), "values": values}


def _findings(tables: dict[str, pd.DataFrame], projects: pd.DataFrame) -> pd.DataFrame:
    """Conflicts between sources and gaps between stated and named partners, per project.
    Columns: project_id, kind, field, message (English), values (what ``finding_message``
    says it with)."""
    rows: list[dict[str, Any]] = []
    facts = tables["project_facts"]
    for key, group in facts.groupby(["project_id", "field"], sort=True):
        project_id, fact_field = cast(tuple[str, str], key)
        values = sorted(set(group["value"]))
        if len(values) > 1:
            said = "; ".join(f"{v} ({', '.join(sorted(set(group.loc[group['value'] == v, 'source'])))})"
                             for v in values)
            rows.append(_finding(project_id, "conflict", fact_field, said=said))
    recorded = projects.set_index("project_id")
    for fact in _facts(facts):
        if fact.field in ("start_date", "end_date", "budget_eur", "eu_contribution_eur"):
            value = cast(str, tables["projects"].set_index("project_id").at[fact.project_id, fact.field])
            if value and value != fact.value:
                said = (f"{value} ({cast(str, recorded.at[fact.project_id, 'source'])}); "
                        f"{fact.value} ({fact.source})")
                rows.append(_finding(fact.project_id, "conflict", fact.field, said=said))
    participations = tables["participations"]
    for fact_field, roles in (("partner_count", None), ("associated_partner_count", {"associated-partner"})):
        stated = facts[facts["field"] == fact_field].drop_duplicates(["project_id", "value"])
        for fact in _facts(stated):
            mine = participations[participations["project_id"] == fact.project_id]
            if roles is None:
                mine = mine[mine["role"] != "associated-partner"]
            else:
                mine = mine[mine["role"].isin(roles)]
            named_here = mine["organisation_id"].nunique()  # a body in two roles counts once
            if str(named_here) != fact.value:
                rows.append(_finding(fact.project_id, "gap", fact_field, stated=fact.value,
                                     named=str(named_here), source=fact.source))
    return pd.DataFrame(rows, columns=["project_id", "kind", "field", "message", "values"])


def _search_text(projects: pd.DataFrame, classifications: pd.DataFrame) -> pd.Series:
    """Lower-case text per project: acronym, title, summary, programme, and the codes and titles
    of its classifications (a search for 'composites' finds the EuroSciVoc field). Partner names
    are searched through ``organisation_text`` instead, so a name is stored once, not once per
    project it takes part in."""
    text = (projects["acronym"] + " " + projects["title"] + " " + projects["summary"] + " "
            + projects["programme"])
    if len(classifications):
        words = (classifications["code"] + " " + classifications["title"]).groupby(
            classifications["pos"].to_numpy()).agg(" ".join)
        extra = pd.Series(words.reindex(range(len(projects)), fill_value="").to_numpy(),
                          index=text.index)
        text = text + " " + extra
    return text.str.lower()


def _grouped_by_project(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows ordered by project position (source order kept within a project), each
    column one chunk, so that a project's rows are a zero-copy slice."""
    order = np.argsort(frame["pos"].to_numpy(dtype=np.int64), kind="stable")
    ordered = frame.take(order).reset_index(drop=True)
    return pd.DataFrame({name: contiguous(ordered[name]) for name in ordered.columns})


def _project_offsets(frame: pd.DataFrame, size: int) -> npt.NDArray[np.intp]:
    return np.searchsorted(frame["pos"].to_numpy(dtype=np.int64), np.arange(size + 1), side="left")


def _tag_indexes(
    tables: dict[str, pd.DataFrame], kets: pd.DataFrame, sectors: pd.DataFrame, size: int
) -> tuple[TagIndex, TagIndex]:
    """The KET/sector index over every tag and over curated tags only, each pair coded in
    taxonomy order."""
    tags = _tag_index(kets, sectors, size)
    curated_tags = _tag_index(
        kets[kets["origin"] == "curated"], sectors[sectors["origin"] == "curated"], size)
    ket_order = pd.Index([*tables["kets"]["ket_id"], NOT_STATED])
    sector_order = pd.Index([*tables["sectors"]["sector_id"], NOT_STATED])
    for index in (tags, curated_tags):
        # Taxonomy-order codes, so the matrix is one bincount per interaction.
        index.ket_sector["ket_code"] = ket_order.get_indexer(pd.Index(index.ket_sector["ket"]))
        index.ket_sector["sector_code"] = sector_order.get_indexer(pd.Index(index.ket_sector["sector"]))
    return tags, curated_tags


def _add_per_project_lists(
    projects: pd.DataFrame, countries: pd.DataFrame, kets: pd.DataFrame, sectors: pd.DataFrame
) -> None:
    """Give ``projects`` its sorted lists of countries, KETs and sectors (and of the inferred
    KETs and sectors), one tuple per project."""
    size = len(projects)
    projects["countries"] = _sorted_lists(countries["pos"], countries["country"], size)
    projects["ket_ids"] = _sorted_lists(kets["pos"], kets["ket"], size)
    projects["sector_ids"] = _sorted_lists(sectors["pos"], sectors["sector"], size)
    inferred_kets = kets[kets["origin"] == "inferred"]
    inferred_sectors = sectors[sectors["origin"] == "inferred"]
    projects["inferred_ket_ids"] = _sorted_lists(inferred_kets["pos"], inferred_kets["ket"], size)
    projects["inferred_sector_ids"] = _sorted_lists(inferred_sectors["pos"], inferred_sectors["sector"], size)


def folder_storyboard(found: StoryboardFile | None, folder: Path) -> tuple[Storyboard | None, str]:
    """The storyboard of a folder's ``storyboard.json`` (``data.io.storyboards``), or None and
    why it could not be read; a bad file is logged, never fatal to the dataset."""
    if found is None:
        return None, ""
    if found.content is None:
        return None, found.problem
    try:
        return from_json(found.content), ""
    except StoryboardError as error:
        log.warning("%s: storyboard ignored: %s", Path(folder) / STORYBOARD_FILE, error)
        return None, f"{STORYBOARD_FILE}: {error}"


def build_dataset(tables: dict[str, pd.DataFrame], folder: Path,
                  storyboard: StoryboardFile | None = None) -> Dataset:
    """Index validated tables (from ``data.io.loader.load_tables``) for filtering;
    ``storyboard`` is the folder's storyboard file, if it has one."""
    story, story_problem = folder_storyboard(storyboard, folder)
    projects = _projects(tables)
    size = len(projects)
    positions = pd.Series(projects.index, index=projects["project_id"])

    countries = _project_countries(tables, positions)
    kets = _with_pos(tables["project_kets"].assign(
        origin=lambda f: f["origin"].replace("", "curated")), positions)
    sectors = _with_pos(tables["project_sectors"].assign(
        origin=lambda f: f["origin"].replace("", "curated")), positions)

    organisations = tables["organisations"]
    participations = _with_pos(tables["participations"], positions)
    tags, curated_tags = _tag_indexes(tables, kets, sectors, size)
    members: dict[str, Mapping[str, BoolArray]] = {
        "country": _member_masks(countries["pos"].to_numpy(), countries["country"], size),
        "programme": _member_masks(np.arange(size), projects["programme_id"].replace("", NOT_STATED), size),
        **tags.members,
    }
    _add_per_project_lists(projects, countries, kets, sectors)
    instrument_pos = tables["policy_instruments"]["project_id"].map(positions).to_numpy(dtype=np.int64)
    members["instrument"] = _member_masks(instrument_pos, tables["policy_instruments"]["instrument_id"], size)
    # A body in two roles (participant and third party) is one partner named, not two.
    named = tables["participations"].drop_duplicates(["project_id", "organisation_id"])[
        "project_id"].value_counts()
    projects["partners_named"] = projects["project_id"].map(named).fillna(0).astype("int64")

    sources = pd.concat([
        tables["sources"],
        tables["reference_sources"].assign(kind=schema.REFERENCE_SOURCE_KIND),
    ], ignore_index=True)

    activities = _with_pos(tables["activities"], positions).assign(
        start=lambda f: first_day(f["start_date"]), end=lambda f: last_day(f["end_date"]))
    instruments = _with_pos(tables["policy_instruments"], positions)
    classifications = _with_pos(tables["project_classifications"], positions)
    links = _with_pos(tables["project_links"], positions)
    per_project = {name: _grouped_by_project(frame) for name, frame in (
        ("participations", participations), ("project_kets", kets), ("project_sectors", sectors),
        ("project_countries", countries), ("activities", activities),
        ("policy_instruments", instruments), ("classifications", classifications),
        ("links", links))}
    row_index = {name: _project_offsets(frame, size) for name, frame in per_project.items()}
    participations = per_project["participations"]
    participation_org = pd.Index(organisations["organisation_id"]).get_indexer(
        participations["organisation_id"])
    participation_pos = participations["pos"].to_numpy(dtype=np.int64)
    region_index = place(organisations, participation_org, participation_pos, size, nuts_rings(3))
    members["region"] = RegionMembers(region_index)
    members["org"] = OrganisationMembers(organisations["organisation_id"], participation_org,
                                         participation_pos, size)

    return Dataset(
        folder=folder,
        projects=projects,
        programmes=tables["programmes"],
        organisations=tables["organisations"],
        participations=participations,
        project_countries=per_project["project_countries"],
        project_kets=per_project["project_kets"],
        project_sectors=per_project["project_sectors"],
        activities=per_project["activities"],
        policy_instruments=per_project["policy_instruments"],
        classifications=per_project["classifications"],
        links=per_project["links"],
        facts=tables["project_facts"],
        findings=_findings(tables, projects),
        sources=sources,
        kets=tables["kets"],
        sectors=tables["sectors"],
        roles=tables["roles"],
        country_index=_country_index(countries, organisations),
        tags=tags,
        curated_tags=curated_tags,
        members=members,
        project_positions=dict(zip(projects["project_id"], range(size), strict=True)),
        row_index=row_index,
        search_text=_search_text(projects, per_project["classifications"]),
        organisation_text=(organisations["name"] + " " + organisations["short_name"]).str.lower(),
        participation_org=participation_org,
        participation_pos=participation_pos,
        storyboard=story,
        storyboard_problem=story_problem,
        regions=region_index,
    )


def load_dataset(folder: Path | str = DEFAULT_DATASET, taxonomy_dir: Path = TAXONOMY_DIR) -> Dataset:
    """Load, validate and index a dataset folder. Raises DatasetError naming every problem."""
    folder = Path(folder)
    return build_dataset(load_tables(folder, taxonomy_dir), folder, read_storyboard(folder))
