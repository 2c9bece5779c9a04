"""Import the CORDIS open-data files of Horizon 2020 and Horizon Europe (``project.csv``,
``organization.csv``) into the normalized format (``data/FORMAT.md``).

The official files are ';'-separated and quoted; copies that circulate are ','-separated, carry
a BOM, use a decimal comma, write dates DD/MM/YYYY, or come from older exports that lack some
columns. ``csvio.read_delimited`` reads all of them as text; this module maps the columns and
decides, row by row, what is imported and what is rejected, with file, line, column and reason.

Every check is a pandas operation over the whole file (a 100,000-row extract imports in seconds);
Python loops run only over distinct values (countries, organisations with spelling variants) or
over the rejected rows, to report them.

Rules that shape the output:

- project ids are ``cordis-<framework programme>-<CORDIS id>`` (``cordis-h2020-101000123``);
  with organization.csv alone the programme is unknown, so they are ``cordis-<CORDIS id>``;
- organisation ids are ``cordis-org-<organisationID>``; a row without an organisationID is
  identified by its name and country (``cordis-org-name-<name>-<country>``) and left to
  ``orgmerge`` to merge with its spelling variants;
- unknown stays empty: an empty amount or date is never 0 or a guess;
- formula-looking cells (``=HYPERLINK(...)``) are kept verbatim as text and never evaluated.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from data.countries import to_iso2
from data.importers import orgmerge, tagging
from data.importers.csvio import DEFAULT_MAX_BYTES, parse_amount, read_delimited
from data.importers.report import FileReport, ImportFailure, ImportReport
from data.importers.writer import conform, empty_tables

# Columns every CORDIS export of H2020 and Horizon Europe has: without them the file is not a
# CORDIS project list (or is the wrong one of the pair).
PROJECT_REQUIRED = ("id", "acronym", "title", "startDate", "endDate", "frameworkProgramme")
# Columns that older exports or trimmed copies lack; they are added empty, with a report note.
PROJECT_OPTIONAL = (
    "status", "totalCost", "ecMaxContribution", "legalBasis", "topics", "objective",
    "contentUpdateDate", "grantDoi",
)
ORG_REQUIRED = ("projectID", "name", "country", "role")
ORG_OPTIONAL = (
    "organisationID", "projectAcronym", "shortName", "activityType", "city", "nutsCode",
    "geolocation", "organizationURL", "ecContribution", "netEcContribution", "contentUpdateDate",
    "endOfParticipation", "active",
)

FRAMEWORK_PROGRAMMES = {
    "H2020": ("horizon-2020", "Horizon 2020"),
    "HORIZON": ("horizon-europe", "Horizon Europe"),
    "FP7": ("fp7", "Seventh Framework Programme (FP7)"),
}
ROLES = {
    "coordinator": "coordinator",
    "participant": "partner",
    "partner": "partner",
    "associatedpartner": "associated-partner",
    "thirdparty": "third-party",
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


def slugify(values: pd.Series) -> pd.Series:
    """Lowercase a-z/0-9/- slugs, accents folded ('Université' -> 'universite')."""
    ascii_text = values.str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
    return ascii_text.str.lower().str.replace(r"[^a-z0-9]+", "-", regex=True).str.strip("-")


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

    @property
    def ok(self) -> pd.Series:
        return self.reason.eq("")

    def fail(self, mask: pd.Series, column: str, reason: str | pd.Series) -> None:
        new = mask.fillna(False).astype(bool) & self.ok
        if not new.any():
            return
        self.reason[new] = reason if isinstance(reason, str) else reason[new]
        self.column[new] = column

    def record(self, report: FileReport, lines: list[int]) -> None:
        """Add every rejected row to the report, with its line, column, reason and raw cells."""
        rejected = np.flatnonzero(~self.ok.to_numpy())
        if not len(rejected):
            return
        rows = self.frame.iloc[rejected].to_dict("records")
        for position, row in zip(rejected, rows, strict=True):
            report.reject(lines[position], self.column.iat[position], self.reason.iat[position], row)


def _examples(lines: list[int], mask: pd.Series, values: pd.Series) -> str:
    picked = np.flatnonzero(mask.to_numpy())[:NOTE_EXAMPLES]
    shown = ", ".join(f"line {lines[i]}: {values.iat[i]!r}" for i in picked)
    more = int(mask.sum()) - len(picked)
    return shown + (f", and {more} more" if more > 0 else "")


def _dedupe_notes(report: FileReport) -> None:
    report.notes[:] = list(dict.fromkeys(report.notes))


def _amounts(frame: pd.DataFrame, column: str, verdicts: RowVerdicts, report: FileReport) -> pd.Series:
    """Plain decimal euro amounts; a cell that is not an amount, or is negative, rejects its row."""
    parsed = parse_amount(frame[column], report)
    verdicts.fail(parsed.isna(), column, "'" + frame[column] + "' is not an amount in euro")
    parsed = parsed.fillna("")
    verdicts.fail(parsed.str.startswith("-"), column, "negative amount '" + frame[column] + "'")
    return parsed


def _source_row(path: Path, what: str, programmes: tuple[str, ...]) -> dict[str, str]:
    stated = f"{', '.join(programmes)}; " if programmes else ""
    return {
        "source_id": source_id_for(path, programmes),
        "kind": "import",
        "title": f"CORDIS open data: {path.name} ({stated}imported {date.today().isoformat()})",
        "url": "",
        "note": f"{what}; each row's quote gives its line in this file.",
    }


def _locator(name: str, lines: list[int], frame: pd.DataFrame, label: str) -> pd.Series:
    """'project.csv line 17 (id 101000123)' for every row: where to look in the input."""
    line = pd.Series(lines, index=frame.index).astype(str)
    return f"{name} line " + line + f" ({label}"


def _programmes(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.DataFrame]:
    """(programme_id, id slug part, programmes rows) from the frameworkProgramme column."""
    raw = frame["frameworkProgramme"]
    known_ids = {k: v[0] for k, v in FRAMEWORK_PROGRAMMES.items()}
    upper = raw.str.upper()
    slug = slugify(raw)
    programme_id = upper.map(known_ids).fillna(slug)
    names = upper.map({k: v[1] for k, v in FRAMEWORK_PROGRAMMES.items()}).fillna(raw)
    return programme_id, slug, pd.DataFrame({"programme_id": programme_id, "name": names, "raw": raw})


def _import_projects(
    path: Path, report: ImportReport, max_bytes: int
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str], pd.Series, tuple[str, ...]]:
    """(projects, programmes, source row, CORDIS id -> project_id, framework programmes named)
    from project.csv."""
    file_report = report.file(path.name, "CORDIS projects")
    frame, lines = read_delimited(path, file_report, PROJECT_REQUIRED, PROJECT_OPTIONAL, max_bytes)
    if frame.empty:
        raise ImportFailure(f"{path.name}: has a header but no data rows; nothing to import")
    verdicts = RowVerdicts(frame)

    ids = frame["id"]
    verdicts.fail(ids.eq(""), "id", "missing project id")
    verdicts.fail(~ids.str.fullmatch(CORDIS_ID), "id",
                  "'" + ids + "' is not a CORDIS project id (letters and digits)")
    verdicts.fail(frame["acronym"].eq(""), "acronym", "empty acronym")

    start, bad_start, start_day_first = parse_dates(frame["startDate"])
    end, bad_end, end_day_first = parse_dates(frame["endDate"])
    verdicts.fail(bad_start, "startDate", "'" + frame["startDate"] + "' is not a date")
    verdicts.fail(bad_end, "endDate", "'" + frame["endDate"] + "' is not a date")
    verdicts.fail(start.ne("") & end.ne("") & (end < start), "endDate",
                  "ends (" + end + ") before it starts (" + start + ")")
    if (start_day_first | end_day_first).any():
        file_report.notes.append("dates written day first (DD/MM/YYYY, a re-saved copy): "
                                 "read as day/month/year")

    budget = _amounts(frame, "totalCost", verdicts, file_report)
    contribution = _amounts(frame, "ecMaxContribution", verdicts, file_report)

    # Duplicates are judged among rows that are otherwise fine, so the first importable
    # occurrence wins and the report points back to it.
    first_line = pd.Series(lines, index=frame.index)
    survivors = verdicts.ok
    # Compared lowercased, as the project_id slug will be.
    id_key = ids.str.lower()
    duplicate = survivors & id_key.where(survivors).duplicated(keep="first")
    first_of_id = first_line[survivors].groupby(id_key[survivors]).transform("first")
    verdicts.fail(duplicate, "id", "duplicate project id " + ids + ": line "
                  + first_of_id.reindex(frame.index).fillna(0).astype(int).astype(str)
                  + " already has it")

    ok = verdicts.ok
    # The source is named after the programmes of the imported rows, not of rejected ones.
    programmes_named = tuple(sorted(set(frame.loc[ok, "frameworkProgramme"]) - {""}))
    source = _source_row(path, "CORDIS project list", programmes_named)
    programme_id, programme_slug, programmes = _programmes(frame)
    project_id = ("cordis-" + programme_slug + "-" + ids.str.lower()).str.replace(
        r"^cordis--", "cordis-", regex=True)

    topics, legal = frame["topics"], frame["legalBasis"]
    joined = topics.where(legal.eq("") | legal.eq(topics), topics + ";" + legal).where(
        topics.ne(""), legal)
    doi = frame["grantDoi"].str.replace(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "",
                                        regex=True, flags=re.IGNORECASE)
    projects = pd.DataFrame({
        "project_id": project_id,
        "acronym": frame["acronym"],
        "title": frame["title"],
        "kind": "project",
        "programme_id": programme_id,
        "start_date": start,
        "end_date": end,
        "budget_eur": budget,
        "eu_contribution_eur": contribution,
        "summary": frame["objective"],
        "url": ("https://doi.org/" + doi).where(doi.ne(""), ""),
        "external_id": ids,
        "topics": joined,
        "status": frame["status"],
        "source": source["source_id"],
        "quote": _locator(path.name, lines, frame, "id ") + ids + ")",
    })

    verdicts.record(file_report, lines)
    file_report.rows_imported = int(ok.sum())
    projects = projects[ok].reset_index(drop=True)

    kept = programmes[ok & programmes["programme_id"].ne("")]
    counts = kept.groupby("raw", sort=True).size()
    if len(counts):
        file_report.notes.append("framework programmes: " + ", ".join(
            f"{raw} ({n} project{'s' if n != 1 else ''})" for raw, n in counts.items()))
    first_rows = kept.drop_duplicates("programme_id")
    programme_rows = pd.DataFrame({
        "programme_id": first_rows["programme_id"],
        "name": first_rows["name"],
        "source": source["source_id"],
        "quote": path.name + " column frameworkProgramme: " + first_rows["raw"],
    })
    _dedupe_notes(file_report)
    id_map = pd.Series(projects["project_id"].to_numpy(), index=projects["external_id"].to_numpy())
    return projects, programme_rows, source, id_map, programmes_named


def _organisation_ids(frame: pd.DataFrame, country: pd.Series) -> pd.Series:
    """``cordis-org-<organisationID>``, or for a row without one, an id from name and country."""
    ids = "cordis-org-" + frame["organisationID"].str.lower()
    missing = frame["organisationID"].eq("")
    if missing.any():
        names = frame.loc[missing, "name"]
        name_slug = slugify(names).str.slice(0, NAME_SLUG_LENGTH).str.strip("-")
        # A name with no Latin letters ('Πανεπιστήμιο Κρήτης') has no slug: a digest of the
        # name keeps such organisations apart and the id a valid slug.
        no_slug = name_slug.eq("")
        if no_slug.any():
            name_slug[no_slug] = names[no_slug].map(
                lambda n: hashlib.sha1(n.casefold().encode("utf-8")).hexdigest()[:12])
        code = country[missing].str.lower()
        ids[missing] = "cordis-org-name-" + name_slug + ("-" + code).where(code.ne(""), "")
    return ids


def _variant_descriptions(orgs: pd.DataFrame) -> list[str]:
    """One line per organisation written more than one way across rows (kept: the first)."""
    variants = orgs.drop_duplicates(["organisation_id", "name", "country"])
    variants = variants[variants["organisation_id"].duplicated(keep=False)]
    described = []
    # Only organisations with variants reach this loop: a handful, not one per row.
    for organisation_id, group in variants.groupby("organisation_id", sort=False):
        names = list(dict.fromkeys(group["name"]))
        countries = list(dict.fromkeys(group["country"]))
        what = f"{organisation_id}: kept {names[0]!r} (line {group['line'].iat[0]})"
        if len(names) > 1:
            what += "; also written " + ", ".join(repr(n) for n in names[1:])
        if len(countries) > 1:
            what += "; countries differ: " + ", ".join(c or "(none)" for c in countries)
        basis = ("same name and country" if organisation_id.startswith("cordis-org-name-")
                 else "same organisationID")
        described.append(f"{what} ({basis})")
    return described


def _import_organisations(
    path: Path,
    report: ImportReport,
    max_bytes: int,
    id_map: pd.Series | None,
    programmes: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """(organisations, participations, projects known only from this file, source row).

    ``id_map`` maps the CORDIS ids of the imported projects to their project_id; without it
    (no project file) the projects are created from this file. ``programmes`` are the framework
    programmes of the project file, for the source id."""
    file_report = report.file(path.name, "CORDIS organisations")
    frame, lines = read_delimited(path, file_report, ORG_REQUIRED, ORG_OPTIONAL, max_bytes)
    if frame.empty:
        raise ImportFailure(f"{path.name}: has a header but no data rows; nothing to import")
    source = _source_row(path, "CORDIS participants (organisations and their roles)", programmes)
    verdicts = RowVerdicts(frame)

    project_ext = frame["projectID"]
    verdicts.fail(project_ext.eq(""), "projectID", "missing projectID")
    verdicts.fail(~project_ext.str.fullmatch(CORDIS_ID), "projectID",
                  "'" + project_ext + "' is not a CORDIS project id (letters and digits)")
    org_ext = frame["organisationID"]
    verdicts.fail(org_ext.ne("") & ~org_ext.str.fullmatch(CORDIS_ID), "organisationID",
                  "'" + org_ext + "' is not a CORDIS organisation id (letters and digits)")
    verdicts.fail(frame["name"].eq(""), "name", "empty organisation name")

    # Countries are looked up once per distinct value, not per row.
    raw_country = frame["country"]
    codes = {value: to_iso2(value) for value in raw_country.unique() if value}
    country = raw_country.map(codes).fillna("")
    verdicts.fail(raw_country.ne("") & country.eq(""), "country",
                  "unknown country '" + raw_country + "'")
    renamed = sorted(f"{v} -> {c}" for v, c in codes.items() if c and c != v.upper())
    if renamed:
        file_report.notes.append("country codes normalised to ISO 3166-1: " + ", ".join(renamed))

    role_key = frame["role"].str.lower().str.replace(r"[\s_-]+", "", regex=True)
    role = role_key.map(ROLES)
    verdicts.fail(frame["role"].ne("") & role.isna(), "role", "unknown role '" + frame["role"]
                  + "' (expected coordinator, participant, partner, associatedPartner or thirdParty)")
    role = role.fillna("")
    contribution = _amounts(frame, "ecContribution", verdicts, file_report)

    if id_map is not None:
        project_id = project_ext.map(id_map)
        verdicts.fail(project_id.isna(), "projectID", "project '" + project_ext
                      + "' is not among the imported projects (absent from or rejected in the "
                      "project file)")
        project_id = project_id.fillna("")
    else:
        project_id = "cordis-" + project_ext.str.lower()

    organisation_id = _organisation_ids(frame, country)
    # One organisation per project once: a second listing of the same pair is rejected, since
    # the format keys participations on (project, organisation).
    survivors = verdicts.ok
    pair = project_id + "|" + organisation_id
    first_line = pd.Series(lines, index=frame.index)
    duplicate = survivors & pair.where(survivors).duplicated(keep="first")
    first_of_pair = first_line[survivors].groupby(pair[survivors]).transform("first")
    verdicts.fail(duplicate, "organisationID", "organisation already listed for this project on line "
                  + first_of_pair.reindex(frame.index).fillna(0).astype(int).astype(str))

    latitude, longitude, bad_geo = parse_geolocation(frame["geolocation"])
    activity = frame["activityType"].str.upper().map(ACTIVITY_TYPES)
    verdicts.record(file_report, lines)
    ok = verdicts.ok
    file_report.rows_imported = int(ok.sum())

    if (bad_geo & ok).any():
        file_report.notes.append("geolocation not understood, latitude/longitude left empty on "
                                 f"{int((bad_geo & ok).sum())} row(s) ("
                                 + _examples(lines, bad_geo & ok, frame["geolocation"]) + ")")
    unknown_activity = ok & frame["activityType"].ne("") & activity.isna()
    if unknown_activity.any():
        file_report.notes.append("activityType not recognised, type left empty on "
                                 f"{int(unknown_activity.sum())} row(s) ("
                                 + _examples(lines, unknown_activity, frame["activityType"]) + ")")

    quote = (_locator(path.name, lines, frame, "projectID ") + project_ext
             + ", organisationID " + org_ext.where(org_ext.ne(""), "none") + ")")
    orgs = pd.DataFrame({
        "organisation_id": organisation_id,
        "name": frame["name"],
        "short_name": frame["shortName"],
        "country": country,
        "country_source": source["source_id"],
        "country_quote": quote + ": country " + raw_country,
        "city": frame["city"],
        "type": activity.fillna(""),
        "external_id": org_ext,
        "nuts_code": frame["nutsCode"],
        "latitude": latitude,
        "longitude": longitude,
        "url": frame["organizationURL"],
        "source": source["source_id"],
        "quote": quote,
        "line": first_line,
    })[ok]
    # An organisation without a country needs no country citation.
    no_country = orgs["country"].eq("")
    orgs.loc[no_country, ["country_source", "country_quote"]] = ""
    report.merged_organisations.extend(_variant_descriptions(orgs))
    orgs = orgs.drop_duplicates("organisation_id").drop(columns="line")

    participations = pd.DataFrame({
        "project_id": project_id,
        "organisation_id": organisation_id,
        "role": role,
        "ec_contribution_eur": contribution,
        "source": source["source_id"],
        "quote": quote,
    })[ok]

    known_projects = pd.DataFrame(columns=["project_id"])
    if id_map is None:
        # One project per project_id slug (ids that differ only in case are one project).
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
    _dedupe_notes(file_report)
    return (orgs.reset_index(drop=True), participations.reset_index(drop=True),
            known_projects.reset_index(drop=True), source)


def import_cordis(
    projects_csv: Path | None,
    organizations_csv: Path | None,
    report: ImportReport,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Normalized tables from CORDIS ``project.csv`` and/or ``organization.csv``.

    Returns (tables by name, documents); CORDIS keeps no documents, so the second is empty.
    Every input row is imported or rejected in ``report`` with its line, column and reason.
    Raises ``ImportFailure`` for a file that cannot be read at all.
    """
    if projects_csv is None and organizations_csv is None:
        raise ImportFailure("CORDIS import needs project.csv, organization.csv or both")
    # Rules first: a broken rules file should stop the import before minutes of reading.
    try:
        rules = tagging.load_rules()
    except tagging.RulesError as exc:
        first = f"; first: {exc.problems[0]}" if exc.problems else ""
        raise ImportFailure(f"{exc.path}: the tagging rules cannot be used "
                            f"({len(exc.problems)} problem(s){first})") from exc
    tables = empty_tables()
    sources: list[dict[str, str]] = []
    id_map: pd.Series | None = None
    programmes_named: tuple[str, ...] = ()
    tag_source = ""
    if projects_csv is not None:
        projects, programmes, source, id_map, programmes_named = _import_projects(
            Path(projects_csv), report, max_bytes)
        tables["projects"] = conform("projects", projects)
        tables["programmes"] = conform("programmes", programmes)
        sources.append(source)
        tag_source = source["source_id"]
    if organizations_csv is not None:
        orgs, participations, known_projects, source = _import_organisations(
            Path(organizations_csv), report, max_bytes, id_map, programmes_named)
        orgs, participations, merges = orgmerge.merge_organisations(orgs, participations)
        report.merged_organisations.extend(merges)
        tables["organisations"] = conform("organisations", orgs)
        tables["participations"] = conform("participations", participations)
        if id_map is None:
            tables["projects"] = conform("projects", known_projects)
            tag_source = source["source_id"]
        sources.append(source)
    tables["sources"] = conform("sources", pd.DataFrame(sources))

    # No CORDIS project carries a curated tag, so every project is offered to the rules.
    kets, sectors = tagging.infer_tags(tables["projects"], rules, tag_source)
    tables["project_kets"] = conform("project_kets", kets)
    tables["project_sectors"] = conform("project_sectors", sectors)
    report.inferred_tags += len(kets) + len(sectors)
    if tables["projects"].empty:
        report.warnings.append("no project was imported: every project row was rejected "
                               "(see rejects.csv)")
    return tables, {}
