"""Import a CORDIS download (FP7, Horizon 2020, Horizon Europe) into the normalized format
(``data/FORMAT.md``): ``project`` and ``organization``, and the per-project files
``euroSciVoc``, ``topics``, ``legalBasis``, ``policyPriorities`` (project_classifications) and
``webLink`` (project_links), in CSV, XLSX or JSON (``cordis_download`` finds them in a zip or a
folder; ``tables.read_table`` reads each as text).

The official CSV files are ';'-separated and quoted; copies that circulate are ','-separated,
carry a BOM, use a decimal comma, write dates DD/MM/YYYY, or come from older exports whose
columns are named differently (``taxonomy/cordis_columns.csv``) or lack some. This module maps
the columns and decides, row by row, what is imported and what is rejected, with file, place,
column and reason. Nothing that can be stored is rejected: an organisation without a name, a
role we have no word for (kept as stated), an unknown country (left unknown) are all kept.

Every check is a pandas operation over the whole file (a 100,000-row extract imports in seconds);
Python loops run only over distinct values (countries, organisations with spelling variants) or
over the rejected rows, to report them.

Rules that shape the output:

- project ids are ``cordis-<framework programme>-<CORDIS id>`` (``cordis-h2020-101000123``);
  with organization.csv alone the programme is unknown, so they are ``cordis-<CORDIS id>``;
- organisation ids are ``cordis-org-<organisationID>``; a row without an organisationID is
  identified by its name and country (``cordis-org-name-<name>-<country>``) and left to
  ``orgmerge`` to merge with its spelling variants;
- unknown stays empty: an empty amount or date is never 0 or a guess, and a 0 where CORDIS
  means 'not applicable' (a project's totalCost, the contribution of an unfunded role) is
  unknown too;
- every CORDIS role is kept: mapped through ``taxonomy/roles.csv`` and always stated verbatim
  in ``role_stated``; the same organisation in a project with two roles keeps both;
- formula-looking cells (``=HYPERLINK(...)``) are kept verbatim as text and never evaluated.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data.importers import orgmerge, tagging
from data.importers.csvio import DEFAULT_MAX_BYTES, parse_amount
from data.importers.report import FileReport, ImportFailure, ImportReport, log_files
from data.importers.tables import read_table
from data.importers.writer import conform, empty_tables
from data.io import roles, schema
from data.io.countries import to_iso2
from data.io.loader import load_vocabulary
from data.io.text import ascii_slugs

log = logging.getLogger(__name__)

# Columns every CORDIS export of H2020 and Horizon Europe has: without them the file is not a
# CORDIS project list (or is the wrong one of the pair).
PROJECT_REQUIRED = ("id", "acronym", "title", "startDate", "endDate", "frameworkProgramme")
# Columns that older exports or trimmed copies lack; they are added empty, with a report note.
PROJECT_OPTIONAL = (
    "status", "totalCost", "ecMaxContribution", "legalBasis", "topics", "objective",
    "contentUpdateDate", "grantDoi",
)
# Columns of older project lists that repeat what the organisation file says in full.
PROJECT_SUMMARIES = ("subjects", "coordinator", "coordinatorCountry", "participants",
                     "participantCountries")
ORG_REQUIRED = ("projectID", "name", "country", "role")
ORG_OPTIONAL = (
    "organisationID", "projectAcronym", "vatNumber", "shortName", "SME", "activityType", "city", "nutsCode",
    "geolocation", "organizationURL", "ecContribution", "netEcContribution", "contentUpdateDate",
    "endOfParticipation", "active",
)

FRAMEWORK_PROGRAMMES = {
    "H2020": ("horizon-2020", "Horizon 2020"),
    "HORIZON": ("horizon-europe", "Horizon Europe"),
    "FP7": ("fp7", "Seventh Framework Programme (FP7)"),
    "FP6": ("fp6", "Sixth Framework Programme (FP6)"),
    "FP5": ("fp5", "Fifth Framework Programme (FP5)"),
}
ACTIVITY_TYPES = {
    "HES": "university",
    "REC": "research-organisation",
    "PRC": "company",
    "PUB": "public-authority",
    "OTH": "other",
}

# CORDIS ids are grant agreement numbers and PICs: letters and digits only. Anything else (a
# formula, a float re-saved by a spreadsheet) would make a misleading slug, so it is rejected.
CORDIS_ID = r"[A-Za-z0-9]+"
ISO_DATE = r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
# Re-saved copies write day first (European spreadsheets): 01/04/2016 or 1.4.2016.
DAY_FIRST_DATE = r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$"
# CORDIS writes "50.8503,4.3517"; copies add brackets, parentheses or spaces.
GEOLOCATION = r"^[\[(]?\s*(-?\d{1,3}(?:\.\d+)?)\s*[,;]\s*(-?\d{1,3}(?:\.\d+)?)\s*[\])]?$"
NAME_SLUG_LENGTH = 60
NOTE_EXAMPLES = 5


def source_id_for(path: Path, programmes: tuple[str, ...] = ()) -> str:
    """The import source id of a file: 'project.csv' of H2020 -> 'cordis-h2020-project-csv'.

    The framework programmes are part of the id because every CORDIS extract names its files
    project.csv and organization.csv: merged H2020 and Horizon Europe imports must still cite
    two different sources."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.name.lower()).strip("-") or "file"
    slug = slug.removeprefix("cordis-")
    parts = [re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in programmes]
    return "-".join(["cordis", *[p for p in parts if p], slug])


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(ISO dates, unparseable mask, day-first mask) of date cells.

    YYYY-MM-DD (with or without a time) and DD/MM/YYYY are read; a day that is not on the
    calendar (2019-02-30) is unparseable, never rolled over. Empty stays empty."""
    iso = values.str.extract(ISO_DATE)
    day_first = values.str.extract(DAY_FIRST_DATE)
    year = iso[0].fillna(day_first[2])
    month = iso[1].fillna(day_first[1].str.zfill(2))
    day = iso[2].fillna(day_first[0].str.zfill(2))
    text = (year + "-" + month + "-" + day).fillna("")
    valid = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce").notna()
    bad = values.ne("") & ~valid
    return text.where(valid, ""), bad, valid & iso[0].isna()


def parse_geolocation(values: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """(latitude, longitude, not-understood mask) from CORDIS 'lat,lon' cells."""
    # An organisation repeats its geolocation on every row: parse each distinct value once.
    distinct = pd.Series(values.unique(), dtype=str)
    parts = distinct.str.extract(GEOLOCATION)
    lat = pd.to_numeric(parts[0], errors="coerce")
    lon = pd.to_numeric(parts[1], errors="coerce")
    ok = lat.between(-90, 90) & lon.between(-180, 180)
    latitude = dict(zip(distinct, parts[0].where(ok, "").fillna(""), strict=True))
    longitude = dict(zip(distinct, parts[1].where(ok, "").fillna(""), strict=True))
    understood = dict(zip(distinct, ok | distinct.eq(""), strict=True))
    return values.map(latitude), values.map(longitude), ~values.map(understood).astype(bool)


class RowVerdicts:
    """The first reason, if any, each row of a file is rejected for.

    Checks run in order of importance; a row keeps the reason of the first check it fails, so it
    is rejected once and counted once (rows read = imported + rejected)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.reason = pd.Series("", index=frame.index, dtype=object)
        self.column = pd.Series("", index=frame.index, dtype=object)
        self.category = pd.Series("", index=frame.index, dtype=object)

    @property
    def ok(self) -> pd.Series:
        return self.reason.eq("")

    def fail(self, mask: pd.Series, column: str, reason: str | pd.Series,
             category: str | None = None) -> None:
        """Reject the rows of ``mask`` not yet rejected. ``reason`` may name each row's value;
        ``category`` is the same reason without values, to count rejections by (required when
        ``reason`` is a Series)."""
        new = mask.fillna(False).astype(bool) & self.ok
        if not new.any():
            return
        self.reason[new] = reason if isinstance(reason, str) else reason[new]
        self.column[new] = column
        self.category[new] = category or (reason if isinstance(reason, str) else column)

    def repeats(self, keys: pd.DataFrame, lines: list[int]) -> tuple[pd.Series, pd.Series]:
        """Rows whose ``keys`` repeat an earlier row, and that earlier row's line (as text).

        Judged among the rows not rejected yet, so the first importable occurrence wins and the
        report points back to it."""
        columns = list(keys.columns)
        survivors = keys[self.ok].assign(_line=pd.Series(lines, index=self.frame.index))
        repeated = survivors.duplicated(columns, keep="first").reindex(self.frame.index, fill_value=False)
        first = survivors.groupby(columns, sort=False)["_line"].transform("first")
        return repeated, first.reindex(self.frame.index).fillna(0).astype(int).astype(str)

    def record(self, report: FileReport, lines: list[int]) -> None:
        """Add every rejected row to the report, with its line, column, reason and raw cells."""
        rejected = np.flatnonzero(~self.ok.to_numpy())
        if not len(rejected):
            return
        rows = self.frame.iloc[rejected].to_dict("records")
        for position, row in zip(rejected.tolist(), rows, strict=True):
            report.reject(lines[position], str(self.column.iat[position]), str(self.reason.iat[position]),
                          {str(k): str(v) for k, v in row.items()}, str(self.category.iat[position]))


def _examples(lines: list[int], mask: pd.Series, values: pd.Series, unit: str = "line") -> str:
    picked = np.flatnonzero(mask.to_numpy())[:NOTE_EXAMPLES]
    shown = ", ".join(f"{unit} {lines[i]}: {values.iat[i]!r}" for i in picked)
    more = int(mask.sum()) - len(picked)
    return shown + (f", and {more} more" if more > 0 else "")


def _dedupe_notes(report: FileReport) -> None:
    report.notes[:] = list(dict.fromkeys(report.notes))


def _unknown_where(values: pd.Series, bad: pd.Series, column: str, why: str, lines: list[int],
                   unit: str, report: FileReport, shown: pd.Series | None = None) -> pd.Series:
    """``values`` with the cells of ``bad`` left unknown (empty), said in a note with examples:
    a cell that cannot be read costs that cell, never the row (and the row's participations)."""
    bad = bad.fillna(False).astype(bool)
    if bad.any():
        examples = _examples(lines, bad, values if shown is None else shown, unit)
        report.notes.append(f"{column} {why}, left unknown on {int(bad.sum())} row(s) ({examples})")
    return values.where(~bad, "")


def _amounts(frame: pd.DataFrame, column: str, lines: list[int], unit: str,
             report: FileReport) -> pd.Series:
    """Plain decimal euro amounts; a cell that is not an amount, or is negative, is unknown."""
    parsed = parse_amount(frame[column], report)
    parsed = _unknown_where(parsed.fillna(""), parsed.isna(), column, "not an amount in euro", lines,
                            unit, report, frame[column])
    return _unknown_where(parsed, parsed.str.startswith("-"), column, "negative", lines, unit, report,
                          frame[column])


def _not_applicable_zero(amounts: pd.Series, applies: pd.Series, column: str, why: str,
                         report: FileReport) -> pd.Series:
    """A 0 where CORDIS means 'not applicable' becomes unknown (empty), with a note: a project
    that costs nothing does not exist, so a total cost of 0 says the amount is not published."""
    zero = applies & pd.to_numeric(amounts.replace("", None), errors="coerce").eq(0)
    if zero.any():
        report.notes.append(f"{column} 0 read as not stated on {int(zero.sum())} row(s): {why}")
    return amounts.where(~zero, "")


def _source_row(path: Path, what: str, programmes: tuple[str, ...]) -> dict[str, str]:
    stated = f"{', '.join(programmes)}; " if programmes else ""
    return {
        "source_id": source_id_for(path, programmes),
        "kind": "import",
        "title": f"CORDIS open data: {path.name} ({stated}imported {date.today().isoformat()})",
        "url": "",
        "note": f"{what}; each row's quote gives its place in this file.",
    }


def _locator(name: str, lines: list[int], frame: pd.DataFrame, label: str, unit: str = "line") -> pd.Series:
    """'project.csv line 17 (id 101000123' for every row: where to look in the input."""
    line = pd.Series(lines, index=frame.index).astype(str)
    return f"{name} {unit} " + line + f" ({label}"


def _programmes(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """(programme_id, id slug part, programmes rows) from the frameworkProgramme column."""
    raw = frame["frameworkProgramme"]
    known_ids = {k: v[0] for k, v in FRAMEWORK_PROGRAMMES.items()}
    upper = raw.str.upper()
    slug = ascii_slugs(raw)
    programme_id = upper.map(known_ids).fillna(slug)
    names = upper.map({k: v[1] for k, v in FRAMEWORK_PROGRAMMES.items()}).fillna(raw)
    return programme_id, slug, pd.DataFrame({"programme_id": programme_id, "name": names, "raw": raw})


def _codes(frame: pd.DataFrame, column: str, scheme: str, project_id: pd.Series,
           quote: pd.Series, source: str) -> pd.DataFrame:
    """Classification rows from a ';'-separated code column of the project file."""
    cells = frame[column].str.split(";")
    rows = pd.DataFrame({"project_id": project_id, "code": cells, "quote": quote}).explode("code")
    rows["code"] = rows["code"].fillna("").str.strip()
    rows = rows[rows["code"] != ""]
    return pd.DataFrame({
        "project_id": rows["project_id"], "scheme": scheme, "code": rows["code"], "title": "",
        "path": "", "primary": "true" if scheme == "legal-basis" else "",
        "source": source, "quote": rows["quote"] + f": {column} " + rows["code"],
    })


@dataclass
class _Projects:
    """What the project file gives."""

    projects: pd.DataFrame
    programmes: pd.DataFrame
    source: dict[str, str]
    id_map: pd.Series
    programmes_named: tuple[str, ...]
    classifications: pd.DataFrame
    links: pd.DataFrame


def _read_rows(path: Path, file_report: FileReport, required: tuple[str, ...],
               optional: tuple[str, ...], max_bytes: int,
               aliases: dict[str, str] | None) -> tuple[pd.DataFrame, list[int]]:
    """The rows of a project or organisation file and their lines; a file with a header but no
    rows is refused, as there is nothing in it to import."""
    frame, lines = read_table(path, file_report, required, optional, max_bytes, aliases)
    if frame.empty:
        raise ImportFailure(f"{path.name}: has a header but no data rows; nothing to import")
    return frame, lines


def _import_projects(path: Path, report: ImportReport, max_bytes: int,
                     aliases: dict[str, str]) -> _Projects:
    """Projects, programmes, classifications and links of the project file.

    Rows are judged first (ids, dates, amounts, repeats), then the tables are built from the
    rows that passed; the notes of the report follow that order."""
    file_report = report.file(path.name, "CORDIS projects")
    frame, lines = _read_rows(path, file_report, PROJECT_REQUIRED, PROJECT_OPTIONAL, max_bytes, aliases)
    unit = file_report.unit
    verdicts = RowVerdicts(frame)
    _check_project_ids(frame, verdicts)
    start, end = _project_dates(frame, lines, unit, file_report)
    budget, contribution = _project_amounts(frame, lines, unit, file_report)
    _reject_duplicate_projects(frame["id"], verdicts, lines, unit)

    ok = verdicts.ok
    # The source is named after the programmes of the imported rows, not of rejected ones.
    programmes_named = tuple(sorted(set(frame.loc[ok, "frameworkProgramme"]) - {""}))
    source = _source_row(path, "CORDIS project list", programmes_named)
    sid = source["source_id"]
    programme_id, programme_slug, programmes = _programmes(frame)
    project_id = ("cordis-" + programme_slug + "-" + frame["id"].str.lower()).str.replace(
        r"^cordis--", "cordis-", regex=True)
    quote = _locator(path.name, lines, frame, "id ", unit) + frame["id"] + ")"
    projects = _project_rows(frame, project_id, programme_id, (start, end), (budget, contribution),
                             sid, quote)
    classifications = _project_codes(frame[ok], project_id[ok], quote[ok], sid)
    links = _project_urls(frame, ok, project_id, quote, sid)
    _note_unread_project_columns(frame, file_report)

    verdicts.record(file_report, lines)
    file_report.rows_imported = int(ok.sum())
    projects = projects[ok].reset_index(drop=True)
    programme_rows = _programme_rows(programmes, ok, path.name, sid, file_report)
    _dedupe_notes(file_report)
    id_map = pd.Series(projects["project_id"].to_numpy(), index=projects["external_id"].to_numpy())
    return _Projects(projects, programme_rows, source, id_map, programmes_named,
                     classifications, links)


def _check_project_ids(frame: pd.DataFrame, verdicts: RowVerdicts) -> None:
    """Reject rows without a CORDIS project id (letters and digits) or without an acronym."""
    ids = frame["id"]
    verdicts.fail(ids.eq(""), "id", "missing project id")
    verdicts.fail(~ids.str.fullmatch(CORDIS_ID), "id",
                  "'" + ids + "' is not a CORDIS project id (letters and digits)",
                  "not a CORDIS project id")
    verdicts.fail(frame["acronym"].eq(""), "acronym", "empty acronym")


def _project_dates(frame: pd.DataFrame, lines: list[int], unit: str,
                   file_report: FileReport) -> tuple[pd.Series, pd.Series]:
    """(start, end) as ISO dates; a date that cannot be read, or an end before the start, is
    left unknown with a note; the row is kept."""
    start, bad_start, start_day_first = parse_dates(frame["startDate"])
    end, bad_end, end_day_first = parse_dates(frame["endDate"])
    start = _unknown_where(start, bad_start, "startDate", "not a date", lines, unit, file_report,
                           frame["startDate"])
    end = _unknown_where(end, bad_end, "endDate", "not a date", lines, unit, file_report, frame["endDate"])
    # An end before the start cannot both be right; the start is kept, the stated end is in
    # the note, and the views do not draw a made-up span.
    end = _unknown_where(end, start.ne("") & end.ne("") & (end < start), "endDate",
                         "before startDate", lines, unit, file_report,
                         end + " before " + start)
    if (start_day_first | end_day_first).any():
        file_report.notes.append("dates written day first (DD/MM/YYYY, a re-saved copy): "
                                 "read as day/month/year")
    return start, end


def _project_amounts(frame: pd.DataFrame, lines: list[int], unit: str,
                     file_report: FileReport) -> tuple[pd.Series, pd.Series]:
    """(totalCost, ecMaxContribution) as amounts; a 0 in either is 'not published', unknown."""
    budget = _amounts(frame, "totalCost", lines, unit, file_report)
    contribution = _amounts(frame, "ecMaxContribution", lines, unit, file_report)
    everywhere = pd.Series(True, index=frame.index)
    budget = _not_applicable_zero(budget, everywhere, "totalCost", "no funded action costs nothing",
                                  file_report)
    contribution = _not_applicable_zero(
        contribution, everywhere, "ecMaxContribution",
        "CORDIS writes 0 for actions whose EU contribution is not published (e.g. framework "
        "partnership agreements)", file_report)
    return budget, contribution


def _reject_duplicate_projects(ids: pd.Series, verdicts: RowVerdicts, lines: list[int],
                               unit: str) -> None:
    """Reject a row whose id an earlier kept row has. Run last, so the row kept is the first
    one that passed every other check."""
    # Compared lowercased, as the project_id slug will be.
    duplicate, first_line = verdicts.repeats(pd.DataFrame({"id": ids.str.lower()}), lines)
    verdicts.fail(duplicate, "id", "duplicate project id " + ids + f": {unit} " + first_line
                  + " already has it", "duplicate project id")


def _project_rows(frame: pd.DataFrame, project_id: pd.Series, programme_id: pd.Series,
                  dates: tuple[pd.Series, pd.Series], amounts: tuple[pd.Series, pd.Series],
                  source: str, quote: pd.Series) -> pd.DataFrame:
    """One projects row per input row (rejected ones included; the caller keeps the good)."""
    topics, legal = frame["topics"], frame["legalBasis"]
    # topics and legalBasis both go to the searchable topics, once when they say the same.
    joined = topics.where(legal.eq("") | legal.eq(topics), topics + ";" + legal).where(
        topics.ne(""), legal)
    doi = frame["grantDoi"].str.replace(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "",
                                        regex=True, flags=re.IGNORECASE)
    return pd.DataFrame({
        "project_id": project_id,
        "acronym": frame["acronym"],
        "title": frame["title"],
        "kind": "project",
        "programme_id": programme_id,
        "start_date": dates[0],
        "end_date": dates[1],
        "budget_eur": amounts[0],
        "eu_contribution_eur": amounts[1],
        "summary": frame["objective"],
        "url": ("https://doi.org/" + doi).where(doi.ne(""), ""),
        "external_id": frame["id"],
        "topics": joined,
        "status": frame["status"],
        "source": source,
        "quote": quote,
    })


def _project_codes(kept: pd.DataFrame, project_id: pd.Series, quote: pd.Series,
                   source: str) -> pd.DataFrame:
    """Classifications from the code columns of the kept rows of the project file."""
    return pd.concat([
        _codes(kept, "legalBasis", "legal-basis", project_id, quote, source),
        _codes(kept, "topics", "topic", project_id, quote, source),
        *([_codes(kept, "fundingScheme", "funding-scheme", project_id, quote, source)]
          if "fundingScheme" in kept else []),
    ], ignore_index=True)


def _project_urls(frame: pd.DataFrame, ok: pd.Series, project_id: pd.Series, quote: pd.Series,
                  source: str) -> pd.DataFrame:
    """project_links rows from the projectUrl column, which only some exports have."""
    links = pd.DataFrame(columns=["project_id", "url", "kind", "title", "source", "quote"])
    if "projectUrl" in frame:
        has_url = ok & frame["projectUrl"].ne("")
        links = pd.DataFrame({"project_id": project_id[has_url], "url": frame.loc[has_url, "projectUrl"],
                              "kind": "projectUrl", "title": "", "source": source,
                              "quote": quote[has_url] + ": projectUrl"})
    return links


def _note_unread_project_columns(frame: pd.DataFrame, file_report: FileReport) -> None:
    """Notes naming the columns with values that the import does not read."""
    unread = [c for c in ("subjects", "coordinator", "participants", "participantCountries")
              if c in frame and frame[c].ne("").any()]
    if unread:
        file_report.notes.append("columns of the older layout not read (the organisation file "
                                 "and classification files say the same in full): " + ", ".join(unread))
    _unread_columns(frame, {*PROJECT_REQUIRED, *PROJECT_OPTIONAL, *PROJECT_SUMMARIES, "projectUrl",
                            "fundingScheme"}, file_report)


def _programme_rows(programmes: pd.DataFrame, ok: pd.Series, file_name: str, source: str,
                    file_report: FileReport) -> pd.DataFrame:
    """One programmes row per framework programme of the kept rows, and a note counting them."""
    kept = programmes[ok & programmes["programme_id"].ne("")]
    counts = kept.groupby("raw", sort=True).size()
    if len(counts):
        file_report.notes.append("framework programmes: " + ", ".join(
            f"{raw} ({n} project{'s' if n != 1 else ''})" for raw, n in counts.items()))
    first_rows = kept.drop_duplicates("programme_id")
    return pd.DataFrame({
        "programme_id": first_rows["programme_id"],
        "name": first_rows["name"],
        "source": source,
        "quote": file_name + " column frameworkProgramme: " + first_rows["raw"],
    })


def _organisation_ids(frame: pd.DataFrame, country: pd.Series, project: pd.Series,
                      line: pd.Series) -> pd.Series:
    """``cordis-org-<organisationID>``, or for a row without one, an id from name and country;
    a row with neither id nor name is one organisation of its own, named by project and line."""
    ids = "cordis-org-" + frame["organisationID"].str.lower()
    anonymous = frame["organisationID"].eq("") & frame["name"].eq("")
    if anonymous.any():
        ids[anonymous] = ("cordis-org-unnamed-" + project[anonymous].str.lower() + "-"
                          + line[anonymous].astype(str))
    missing = frame["organisationID"].eq("") & ~anonymous
    if missing.any():
        names = frame.loc[missing, "name"]
        name_slug = ascii_slugs(names).str.slice(0, NAME_SLUG_LENGTH).str.strip("-")
        # A name with no Latin letters ('Πανεπιστήμιο Κρήτης') has no slug: a digest of the
        # name keeps such organisations apart and the id a valid slug.
        no_slug = name_slug.eq("")
        if no_slug.any():
            name_slug[no_slug] = names[no_slug].map(
                lambda n: hashlib.sha1(n.casefold().encode("utf-8")).hexdigest()[:12])
        code = country[missing].str.lower()
        ids[missing] = "cordis-org-name-" + name_slug + ("-" + code).where(code.ne(""), "")
    return ids


def _variant_descriptions(orgs: pd.DataFrame, unit: str = "line") -> list[str]:
    """One line per organisation written more than one way across rows (kept: the first)."""
    variants = orgs.drop_duplicates(["organisation_id", "name", "country"])
    variants = variants[variants["organisation_id"].duplicated(keep=False)]
    described = []
    # Only organisations with variants reach this loop: a handful, not one per row.
    for group_key, group in variants.groupby("organisation_id", sort=False):
        organisation_id = str(group_key)
        names = list(dict.fromkeys(group["name"]))
        countries = list(dict.fromkeys(group["country"]))
        what = f"{organisation_id}: kept {names[0]!r} ({unit} {group['line'].iat[0]})"
        if len(names) > 1:
            what += "; also written " + ", ".join(repr(n) for n in names[1:])
        if len(countries) > 1:
            what += "; countries differ: " + ", ".join(c or "(none)" for c in countries)
        basis = ("same name and country" if organisation_id.startswith("cordis-org-name-")
                 else "same organisationID")
        described.append(f"{what} ({basis})")
    return described


FLAGS = {"true": "true", "false": "false", "1": "true", "0": "false", "yes": "true", "no": "false"}


def _flags(values: pd.Series, column: str, lines: list[int], unit: str, report: FileReport) -> pd.Series:
    """CORDIS true/false cells as the format's 'true'/'false'; anything else stays unknown."""
    flags = values.str.lower().map(FLAGS).fillna("")
    unread = values.ne("") & flags.eq("")
    if unread.any():
        report.notes.append(f"{column} not true/false, left unknown on {int(unread.sum())} row(s) ("
                            + _examples(lines, unread, values, unit) + ")")
    return flags


def _unread_columns(frame: pd.DataFrame, read: set[str], report: FileReport) -> None:
    """Name the columns with values that the dataset does not keep, so nothing goes unsaid."""
    unread = [c for c in frame.columns if c not in read and frame[c].ne("").any()]
    if unread:
        report.notes.append("columns not kept (CORDIS bookkeeping or contact details): " + ", ".join(unread))


def _countries(frame: pd.DataFrame, lines: list[int], unit: str,
               file_report: FileReport) -> tuple[pd.Series, pd.Series]:
    """(ISO alpha-2 per row, '' where unknown; rows whose stated country is not understood).

    Countries are looked up once per distinct value, not per row. A code we cannot read is kept
    as unknown, the row is not lost."""
    raw_country = frame["country"]
    codes = {value: to_iso2(value) for value in raw_country.unique() if value}
    country = raw_country.map(codes).fillna("")
    unknown_country = raw_country.ne("") & country.eq("")
    if unknown_country.any():
        file_report.notes.append(f"country not understood, left unknown on {int(unknown_country.sum())} "
                                 "row(s) (" + _examples(lines, unknown_country, raw_country, unit) + ")")
    renamed = sorted(f"{v} -> {c}" for v, c in codes.items() if c and c != v.upper())
    if renamed:
        file_report.notes.append("country codes normalised to ISO 3166-1: " + ", ".join(renamed))
    return country, unknown_country


def _participation_roles(stated: pd.Series, file_report: FileReport) -> pd.Series:
    """Our role of each row from CORDIS's word (``taxonomy/roles.csv``); a word the vocabulary
    lacks is role 'other', and the note names it."""
    cordis_roles, listed = roles.cordis_roles()
    # Folded once per distinct word, not per row.
    words = stated.unique()
    role = stated.map(dict(zip(words, (cordis_roles.get(roles.fold_cordis_role(w)) for w in words),
                               strict=True)))
    other = stated.ne("") & role.isna()
    if other.any():
        file_report.notes.append(
            f"role not in our vocabulary ({', '.join(listed)}), kept as stated with role "
            f"'{roles.OTHER_ROLE}' on {int(other.sum())} row(s): "
            + ", ".join(sorted(set(stated[other]))))
    return role.where(~other, roles.OTHER_ROLE).fillna("")


def _contributions(frame: pd.DataFrame, role: pd.Series, lines: list[int], unit: str,
                   file_report: FileReport) -> tuple[pd.Series, pd.Series]:
    """(ecContribution, netEcContribution) as amounts; a 0 for a role CORDIS funds nothing for
    (``funded = false`` in roles.csv) means 'not applicable', not a stated 0."""
    contribution = _amounts(frame, "ecContribution", lines, unit, file_report)
    net = _amounts(frame, "netEcContribution", lines, unit, file_report)
    unfunded_roles = roles.unfunded_roles()
    unfunded = role.isin(unfunded_roles)
    why_unfunded = "these roles (" + ", ".join(unfunded_roles) + ") receive no EU funding of their own"
    contribution = _not_applicable_zero(contribution, unfunded, "ecContribution", why_unfunded,
                                        file_report)
    net = _not_applicable_zero(net, unfunded, "netEcContribution", why_unfunded, file_report)
    return contribution, net


def _check_organisation_ids(frame: pd.DataFrame, verdicts: RowVerdicts, file_report: FileReport) -> None:
    """Reject rows without a usable CORDIS project id or with a malformed organisation id."""
    project_ext = frame["projectID"]
    verdicts.fail(project_ext.eq(""), "projectID", "missing projectID")
    verdicts.fail(~project_ext.str.fullmatch(CORDIS_ID), "projectID",
                  "'" + project_ext + "' is not a CORDIS project id (letters and digits)",
                  "not a CORDIS project id")
    org_ext = frame["organisationID"]
    verdicts.fail(org_ext.ne("") & ~org_ext.str.fullmatch(CORDIS_ID), "organisationID",
                  "'" + org_ext + "' is not a CORDIS organisation id (letters and digits)",
                  "not a CORDIS organisation id")
    nameless = frame["name"].eq("")
    if nameless.any():
        file_report.notes.append(f"{int(nameless.sum())} row(s) without an organisation name: kept "
                                 "with their id, country, role and contribution (shown as 'name "
                                 "not stated')")


def _participation_project_ids(project_ext: pd.Series, id_map: pd.Series | None,
                               verdicts: RowVerdicts) -> pd.Series:
    """The project_id of each row: from ``id_map`` (a row naming a project we lack is rejected),
    or, with no project file, made from the CORDIS id."""
    if id_map is None:
        return "cordis-" + project_ext.str.lower()
    project_id = project_ext.map(id_map)
    verdicts.fail(project_id.isna(), "projectID", "project '" + project_ext
                  + "' is not among the imported projects (absent from or rejected in the "
                  "project file)", "project not among the imported projects")
    return project_id.fillna("")


def _note_unread_places(frame: pd.DataFrame, ok: pd.Series, bad_geo: pd.Series, activity: pd.Series,
                        lines: list[int], unit: str, file_report: FileReport) -> None:
    """Notes on the imported rows whose geolocation or activity type was not understood."""
    if (bad_geo & ok).any():
        file_report.notes.append("geolocation not understood, latitude/longitude left empty on "
                                 f"{int((bad_geo & ok).sum())} row(s) ("
                                 + _examples(lines, bad_geo & ok, frame["geolocation"], unit) + ")")
    unknown_activity = ok & frame["activityType"].ne("") & activity.isna()
    if unknown_activity.any():
        file_report.notes.append("activityType not recognised, type left empty on "
                                 f"{int(unknown_activity.sum())} row(s) ("
                                 + _examples(lines, unknown_activity, frame["activityType"], unit) + ")")


def _projects_named_by_organisations(frame: pd.DataFrame, ok: pd.Series, project_id: pd.Series,
                                     quote: pd.Series, source: dict[str, str],
                                     file_report: FileReport) -> pd.DataFrame:
    """With no project file: one project per project_id slug (ids that differ only in case are
    one project), known by its CORDIS id and acronym only."""
    firsts = frame[ok & ~project_id.where(ok).duplicated()]
    acronym = firsts["projectAcronym"]
    known_projects = pd.DataFrame({
        "project_id": project_id[firsts.index],
        "acronym": acronym.where(acronym.ne(""), firsts["projectID"]),
        "kind": "project",
        "external_id": firsts["projectID"],
        "source": source["source_id"],
        "quote": quote[firsts.index],
    })
    file_report.notes.append(
        f"no project file: {len(known_projects)} project(s) created from projectID and "
        "projectAcronym only (dates, programme, budget and summary unknown)")
    if acronym.eq("").any():
        file_report.notes.append(f"{int(acronym.eq('').sum())} project(s) without "
                                 "projectAcronym: the CORDIS id stands as the acronym")
    return known_projects


@dataclass
class _ParticipantCells:
    """What the cells of each organisation row say, read one column at a time; a cell that
    cannot be read is unknown, never the reason to lose the row."""

    country: pd.Series
    unknown_country: pd.Series
    role: pd.Series
    contribution: pd.Series
    net: pd.Series
    sme: pd.Series
    ended: pd.Series


def _import_organisations(
    path: Path,
    report: ImportReport,
    max_bytes: int,
    id_map: pd.Series | None,
    programmes: tuple[str, ...] = (),
    aliases: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """(organisations, participations, projects known only from this file, source row).

    ``id_map`` maps the CORDIS ids of the imported projects to their project_id; without it
    (no project file) the projects are created from this file. ``programmes`` are the framework
    programmes of the project file, for the source id.

    A row is kept whatever it lacks (a name, a country, a role): only a row that names no
    project we have, or repeats another row exactly, is rejected."""
    file_report = report.file(path.name, "CORDIS organisations")
    frame, lines = _read_rows(path, file_report, ORG_REQUIRED, ORG_OPTIONAL, max_bytes, aliases)
    unit = file_report.unit
    source = _source_row(path, "CORDIS participants (organisations and their roles)", programmes)
    verdicts = RowVerdicts(frame)
    _check_organisation_ids(frame, verdicts, file_report)
    cells = _participant_cells(frame, lines, unit, file_report)
    project_id = _participation_project_ids(frame["projectID"], id_map, verdicts)
    row_line = pd.Series(lines, index=frame.index)
    organisation_id = _organisation_ids(frame, cells.country, frame["projectID"], row_line)
    _reject_repeated_listings(frame, project_id, organisation_id, verdicts, lines, unit)

    latitude, longitude, bad_geo = parse_geolocation(frame["geolocation"])
    activity = frame["activityType"].str.upper().map(ACTIVITY_TYPES)
    _unread_columns(frame, {*ORG_REQUIRED, *ORG_OPTIONAL} - {"contentUpdateDate", "active"}, file_report)
    verdicts.record(file_report, lines)
    ok = verdicts.ok
    file_report.rows_imported = int(ok.sum())
    _note_unread_places(frame, ok, bad_geo, activity, lines, unit, file_report)

    org_ext = frame["organisationID"]
    quote = (_locator(path.name, lines, frame, "projectID ", unit) + frame["projectID"]
             + ", organisationID " + org_ext.where(org_ext.ne(""), "none") + ")")
    orgs = _organisation_rows(frame, ok, organisation_id, cells, activity, (latitude, longitude),
                              source["source_id"], quote, row_line)
    report.merged_organisations.extend(_variant_descriptions(orgs, unit))
    orgs = orgs.drop_duplicates("organisation_id").drop(columns="line")
    participations = _participation_rows(frame, project_id, organisation_id, cells,
                                         source["source_id"], quote)[ok]

    known_projects = pd.DataFrame(columns=["project_id"])
    if id_map is None:
        known_projects = _projects_named_by_organisations(frame, ok, project_id, quote, source,
                                                          file_report)
    _dedupe_notes(file_report)
    return (orgs.reset_index(drop=True), participations.reset_index(drop=True),
            known_projects.reset_index(drop=True), source)


def _participant_cells(frame: pd.DataFrame, lines: list[int], unit: str,
                       file_report: FileReport) -> _ParticipantCells:
    """Country, role, contributions and flags of every row, each with its notes, in this order."""
    country, unknown_country = _countries(frame, lines, unit, file_report)
    role = _participation_roles(frame["role"], file_report)
    contribution, net = _contributions(frame, role, lines, unit, file_report)
    sme = _flags(frame["SME"], "SME", lines, unit, file_report)
    ended = _flags(frame["endOfParticipation"], "endOfParticipation", lines, unit, file_report)
    return _ParticipantCells(country, unknown_country, role, contribution, net, sme, ended)


def _reject_repeated_listings(frame: pd.DataFrame, project_id: pd.Series, organisation_id: pd.Series,
                              verdicts: RowVerdicts, lines: list[int], unit: str) -> None:
    """Reject a row listing an organisation again in a project with the same role."""
    # The same organisation twice in a project with two roles keeps both; the same listing
    # twice (same role as stated) is one participation.
    duplicate, first_of_pair = verdicts.repeats(pd.DataFrame(
        {"project": project_id, "organisation": organisation_id, "role": frame["role"]}), lines)
    verdicts.fail(duplicate, "organisationID", "organisation already listed for this project "
                  f"with the same role on {unit} " + first_of_pair,
                  "organisation already listed for this project with the same role")


def _organisation_rows(frame: pd.DataFrame, ok: pd.Series, organisation_id: pd.Series,
                       cells: _ParticipantCells, activity: pd.Series,
                       place: tuple[pd.Series, pd.Series], source: str, quote: pd.Series,
                       row_line: pd.Series) -> pd.DataFrame:
    """One organisations row per kept input row (an organisation repeats on each of its rows;
    the caller keeps the first). ``line`` is kept for the report of spelling variants."""
    orgs = pd.DataFrame({
        "organisation_id": organisation_id,
        "name": frame["name"],
        "short_name": frame["shortName"],
        "country": cells.country,
        "country_source": source,
        "country_quote": quote + ": country " + frame["country"],
        "city": frame["city"],
        "type": activity.fillna(""),
        "external_id": frame["organisationID"],
        "vat_number": frame["vatNumber"],
        "is_sme": cells.sme,
        "nuts_code": frame["nutsCode"],
        "latitude": place[0],
        "longitude": place[1],
        "url": frame["organizationURL"],
        "source": source,
        "quote": quote,
        "note": ("country stated as '" + frame["country"] + "', not a country code we know").where(
            cells.unknown_country, ""),
        "line": row_line,
    })[ok]
    # An organisation without a country needs no country citation.
    no_country = orgs["country"].eq("")
    orgs.loc[no_country, ["country_source", "country_quote"]] = ""
    return orgs


def _participation_rows(frame: pd.DataFrame, project_id: pd.Series, organisation_id: pd.Series,
                        cells: _ParticipantCells, source: str, quote: pd.Series) -> pd.DataFrame:
    """One participations row per input row: who took part in which project, in what role."""
    return pd.DataFrame({
        "project_id": project_id,
        "organisation_id": organisation_id,
        "role": cells.role,
        "role_stated": frame["role"],
        "ec_contribution_eur": cells.contribution,
        "net_ec_contribution_eur": cells.net,
        "ended_early": cells.ended,
        "source": source,
        "quote": quote,
    })


# --- the classification files of a download ------------------------------------------------------

CLASSIFICATION_FILES = {
    # kind: (required columns, optional columns, what the report calls it)
    "euroSciVoc": (("projectID",), ("euroSciVocCode", "euroSciVocPath", "euroSciVocTitle"),
                   "CORDIS EuroSciVoc fields"),
    "topics": (("projectID", "topic"), ("title",), "CORDIS call topics"),
    "legalBasis": (("projectID", "legalBasis"), ("title", "uniqueProgrammePart"),
                   "CORDIS programme parts (legal basis)"),
    "policyPriorities": (("projectID",), (), "CORDIS policy priorities"),
    "webLink": (("projectID", "physUrl"), ("type",), "CORDIS project links"),
}
# Columns of policyPriorities.csv that are bookkeeping, not a priority.
NOT_PRIORITIES = {"projectID", "projectAcronym", "rcn", "contentUpdateDate", "id"}


def _import_project_file(
    kind: str, path: Path, report: ImportReport, max_bytes: int, id_map: pd.Series,
    programmes: tuple[str, ...], aliases: dict[str, str],
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Rows of one per-project file (EuroSciVoc, topics, legal basis, policy priorities, links)
    as project_classifications rows (project_links rows for webLink), and its source row.

    A row whose project is not imported, or that carries no code, is rejected and counted."""
    required, optional, what = CLASSIFICATION_FILES[kind]
    file_report = report.file(path.name, what)
    frame, lines = read_table(path, file_report, required, optional, max_bytes, aliases)
    unit = file_report.unit
    source = _source_row(path, what, programmes)
    sid = source["source_id"]
    verdicts = RowVerdicts(frame)
    project_ext = frame["projectID"]
    verdicts.fail(project_ext.eq(""), "projectID", "missing projectID")
    project_id = project_ext.map(id_map)
    verdicts.fail(project_id.isna(), "projectID", "project '" + project_ext
                  + "' is not among the imported projects", "project not among the imported projects")
    project_id = project_id.fillna("")
    quote = _locator(path.name, lines, frame, "projectID ", unit) + project_ext + ")"

    if kind == "webLink":
        verdicts.fail(frame["physUrl"].eq(""), "physUrl", "no link")
        # CORDIS's CSV has no link title; some JSON copies do.
        title = frame.get("title", "")
        rows = pd.DataFrame({"project_id": project_id, "url": frame["physUrl"], "kind": frame["type"],
                             "title": title, "source": sid, "quote": quote + ": physUrl"})
        key = ["project_id", "url"]
    elif kind == "policyPriorities":
        rows = _priorities(frame, project_id, quote, sid, verdicts, file_report)
        key = ["project_id", "scheme", "code"]
    else:
        if kind == "euroSciVoc":
            code = frame["euroSciVocCode"].where(frame["euroSciVocCode"].ne(""), frame["euroSciVocPath"])
            verdicts.fail(code.eq(""), "euroSciVocCode", "no EuroSciVoc code or path")
            rows = pd.DataFrame({"project_id": project_id, "scheme": "euroscivoc", "code": code,
                                 "title": frame["euroSciVocTitle"], "path": frame["euroSciVocPath"],
                                 "primary": "", "source": sid,
                                 "quote": quote + ": " + frame["euroSciVocPath"].where(
                                     frame["euroSciVocPath"].ne(""), code)})
        else:
            column, scheme = ("topic", "topic") if kind == "topics" else ("legalBasis", "legal-basis")
            verdicts.fail(frame[column].eq(""), column, f"no {column} code")
            primary = pd.Series("", index=frame.index)
            if kind == "legalBasis":
                primary = _flags(frame["uniqueProgrammePart"], "uniqueProgrammePart", lines, unit,
                                 file_report)
            rows = pd.DataFrame({"project_id": project_id, "scheme": scheme, "code": frame[column],
                                 "title": frame["title"], "path": "", "primary": primary,
                                 "source": sid, "quote": quote + f": {column} " + frame[column]})
        key = ["project_id", "scheme", "code"]
    if kind != "policyPriorities":
        _unread_columns(frame, {*required, *optional, "title", "projectAcronym"}, file_report)
        duplicate, first_of = verdicts.repeats(rows[key], lines)
        verdicts.fail(duplicate, key[-1], f"repeats {unit} " + first_of, "repeats an earlier row")
        rows = rows[verdicts.ok]
    verdicts.record(file_report, lines)
    file_report.rows_imported = int(verdicts.ok.sum())
    _dedupe_notes(file_report)
    return rows.reset_index(drop=True), source


def _priorities(frame: pd.DataFrame, project_id: pd.Series, quote: pd.Series, source: str,
                verdicts: RowVerdicts, report: FileReport) -> pd.DataFrame:
    """policyPriorities is wide: one column per priority (climate, digitalAgenda, ...), each
    cell the share of the project's budget CORDIS marks as serving it. A share of 0 or an empty
    cell is no classification; every other value is kept as stated."""
    columns = [c for c in frame.columns if c not in NOT_PRIORITIES]
    long = frame[columns].assign(_row=frame.index).melt(id_vars="_row", var_name="code",
                                                         value_name="value")
    long = long[long["value"].ne("") & ~long["value"].str.lower().isin(["0", "0.0", "false", "no"])]
    ok = verdicts.ok
    long = long[ok.reindex(long["_row"]).to_numpy()]
    rows = pd.DataFrame({
        "project_id": project_id.reindex(long["_row"]).to_numpy(),
        "scheme": "policy-priority", "code": long["code"].to_numpy(),
        "title": (long["code"] + ": " + long["value"]).to_numpy(), "path": "", "primary": "",
        "source": source,
        "quote": (quote.reindex(long["_row"]).to_numpy() + ": " + long["code"].to_numpy() + " "
                  + long["value"].to_numpy()),
    })
    report.notes.append(f"policy priorities read from columns: {', '.join(columns) or '(none)'}; "
                        f"{len(rows)} non-zero value(s) kept")
    return rows


def _rejected_per_project(report: ImportReport, files: set[str], id_map: pd.Series) -> pd.Series:
    """How many rejected rows of the per-project files name each imported project."""
    named = [r.row.get("projectID", "") for f in report.files if f.file in files for r in f.rejections]
    if not named:
        return pd.Series(dtype="int64")
    counts = pd.Series(named).map(id_map).dropna().value_counts()
    return counts


def _load_rules() -> pd.DataFrame:
    try:
        return tagging.load_rules()
    except tagging.RulesError as exc:
        first = f"; first: {exc.problems[0]}" if exc.problems else ""
        raise ImportFailure(f"{exc.path}: the tagging rules cannot be used "
                            f"({len(exc.problems)} problem(s){first})") from exc


def _aliases() -> dict[str, dict[str, str]]:
    vocabulary = load_vocabulary(schema.CORDIS_COLUMNS)
    out: dict[str, dict[str, str]] = {}
    for row in vocabulary.itertuples(index=False):
        out.setdefault(str(row.file), {})[str(row.alias)] = str(row.column)
    return out


def import_download(
    files: dict[str, Path],
    report: ImportReport,
    max_bytes: int = DEFAULT_MAX_BYTES,
    match_threshold: int | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Normalized tables from the files of a CORDIS download, by kind (``project``,
    ``organization``, ``euroSciVoc``, ``topics``, ``legalBasis``, ``webLink``,
    ``policyPriorities``; see ``cordis_download``). At least a project or an organisation file
    is needed; the others attach to the projects those give.

    Returns (tables by name, documents); CORDIS keeps no documents, so the second is empty.
    Every input row is imported or rejected in ``report`` with its place, column and reason.
    Raises ``ImportFailure`` for a file that cannot be read at all."""
    if "project" not in files and "organization" not in files:
        raise ImportFailure("a CORDIS import needs project or organization (or both); found only "
                            + ", ".join(files) if files else "no file")
    first_file = len(report.files)
    try:
        tables = _import_files(files, report, max_bytes, match_threshold)
    except ImportFailure as exc:
        log.warning("CORDIS import refused: %s", exc)
        raise
    log_files(log, report.files[first_file:])
    return tables, {}


@dataclass
class _Gathered:
    """The tables imported so far, and what each later file of a download needs from the
    earlier ones (the project ids, the programmes that name the sources)."""

    tables: dict[str, pd.DataFrame]
    sources: list[dict[str, str]] = field(default_factory=list)
    # CORDIS project id -> project_id of the imported projects; None until a file gives them.
    id_map: pd.Series | None = None
    programmes_named: tuple[str, ...] = ()
    # The source the inferred tags cite: the file the projects come from.
    tag_source: str = ""
    classifications: list[pd.DataFrame] = field(default_factory=lambda: [
        pd.DataFrame(columns=list(schema.PROJECT_CLASSIFICATIONS.columns))])
    links: list[pd.DataFrame] = field(default_factory=lambda: [
        pd.DataFrame(columns=list(schema.PROJECT_LINKS.columns))])


def _import_files(files: dict[str, Path], report: ImportReport, max_bytes: int,
                  match_threshold: int | None) -> dict[str, pd.DataFrame]:
    """The tables of ``import_download`` (which see).

    The project file is read first, the organisation file next, the per-project files last:
    each later file is checked against the projects the earlier ones gave."""
    # Rules first: a broken rules file should stop the import before minutes of reading.
    rules = _load_rules()
    aliases = _aliases()
    gathered = _Gathered(empty_tables())
    if "project" in files:
        _gather_projects(gathered, Path(files["project"]), report, max_bytes,
                         aliases.get("project", {}))
    if "organization" in files:
        _gather_organisations(gathered, Path(files["organization"]), report, max_bytes,
                              match_threshold, aliases.get("organization", {}))
    assert gathered.id_map is not None
    per_project = [k for k in CLASSIFICATION_FILES if k in files]
    for kind in per_project:
        rows, source = _import_project_file(kind, Path(files[kind]), report, max_bytes, gathered.id_map,
                                            gathered.programmes_named, aliases.get(kind, {}))
        (gathered.links if kind == "webLink" else gathered.classifications).append(rows)
        gathered.sources.append(source)
    tables = _final_tables(gathered)
    _count_lost_rows(tables, report, {Path(files[k]).name for k in ("organization", *per_project)
                                      if k in files}, gathered.id_map)
    _tag_projects(tables, rules, gathered.tag_source, report)
    return tables


def _gather_projects(gathered: _Gathered, path: Path, report: ImportReport, max_bytes: int,
                     aliases: dict[str, str]) -> None:
    """The tables of the project file; its projects are those the other files attach to."""
    found = _import_projects(path, report, max_bytes, aliases)
    gathered.tables["projects"] = conform("projects", found.projects)
    gathered.tables["programmes"] = conform("programmes", found.programmes)
    gathered.sources.append(found.source)
    gathered.tag_source = found.source["source_id"]
    gathered.id_map, gathered.programmes_named = found.id_map, found.programmes_named
    gathered.classifications.append(found.classifications)
    gathered.links.append(found.links)


def _gather_organisations(gathered: _Gathered, path: Path, report: ImportReport, max_bytes: int,
                          match_threshold: int | None, aliases: dict[str, str]) -> None:
    """The tables of the organisation file, spelling variants merged; with no project file,
    also the projects it names (then the ones the per-project files attach to)."""
    orgs, participations, known_projects, source = _import_organisations(
        path, report, max_bytes, gathered.id_map, gathered.programmes_named, aliases)
    merge_options = {} if match_threshold is None else {"threshold": match_threshold}
    orgs, participations, merges = orgmerge.merge_organisations(orgs, participations, **merge_options)
    report.merged_organisations.extend(merges)
    gathered.tables["organisations"] = conform("organisations", orgs)
    gathered.tables["participations"] = conform("participations", participations)
    if gathered.id_map is None:
        gathered.tables["projects"] = conform("projects", known_projects)
        gathered.tag_source = source["source_id"]
        gathered.id_map = pd.Series(known_projects["project_id"].to_numpy(),
                                    index=known_projects["external_id"].to_numpy())
    gathered.sources.append(source)


def _final_tables(gathered: _Gathered) -> dict[str, pd.DataFrame]:
    """The tables with the classifications, links and sources of every file put together."""
    tables = gathered.tables
    # The classification files come last but win over the codes of project.csv: they carry
    # titles and which programme part is the main one.
    all_classifications = pd.concat(gathered.classifications[::-1], ignore_index=True).drop_duplicates(
        ["project_id", "scheme", "code"])
    tables["project_classifications"] = conform("project_classifications", all_classifications)
    tables["project_links"] = conform("project_links", pd.concat(gathered.links, ignore_index=True)
                                      .drop_duplicates(["project_id", "url"]))
    tables["sources"] = conform("sources", pd.DataFrame(gathered.sources))
    return tables


def _count_lost_rows(tables: dict[str, pd.DataFrame], report: ImportReport, files: set[str],
                     id_map: pd.Series) -> None:
    """Give each project the number of rows of ``files`` naming it that were rejected, so its
    panel can say that something about it is missing."""
    lost = _rejected_per_project(report, files, id_map)
    if len(lost):
        counts = tables["projects"]["project_id"].map(lost)
        tables["projects"]["rejected_rows"] = counts.map(lambda n: "" if pd.isna(n) else str(int(n)))
        report.warnings.append(f"{len(lost)} project(s) lost rows to rejections (their panels say so; "
                               "see rejects.csv)")


def _tag_projects(tables: dict[str, pd.DataFrame], rules: pd.DataFrame, tag_source: str,
                  report: ImportReport) -> None:
    """KETs and sectors inferred by the tagging rules, and their summary in the report."""
    # No CORDIS project carries a curated tag, so every project is offered to the rules.
    kets, sectors = tagging.infer_tags(tables["projects"], rules, tag_source,
                                       classifications=tables["project_classifications"])
    tables["project_kets"] = conform("project_kets", kets)
    tables["project_sectors"] = conform("project_sectors", sectors)
    report.inferred_tags += len(kets) + len(sectors)
    report.tagging = tagging.tagging_summary(tables["projects"], kets, sectors)
    if tables["projects"].empty:
        report.warnings.append("no project was imported: every project row was rejected "
                               "(see rejects.csv)")


def import_cordis(
    projects_csv: Path | None,
    organizations_csv: Path | None,
    report: ImportReport,
    max_bytes: int = DEFAULT_MAX_BYTES,
    match_threshold: int | None = None,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Normalized tables from CORDIS ``project.csv`` and/or ``organization.csv`` alone (the
    whole download: ``import_download``)."""
    if projects_csv is None and organizations_csv is None:
        raise ImportFailure("CORDIS import needs project.csv, organization.csv or both")
    files = {kind: Path(p) for kind, p in (("project", projects_csv), ("organization", organizations_csv))
             if p is not None}
    return import_download(files, report, max_bytes, match_threshold)
