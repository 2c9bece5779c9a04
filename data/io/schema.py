"""Declarations of the dataset's tables: columns, kinds, keys and references.

One declaration per CSV file of the normalized format (see ``data/FORMAT.md``). The loader turns
each declaration into a pandera schema, so the rules live here once and the checks are
vectorised (a million rows validate in seconds, not minutes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd
import pandera.pandas as pa

from data.io.text import fold_words

Kind = Literal[
    "slug", "source_id", "text", "date", "int", "money", "coordinate", "bool", "country", "enum"
]

SLUG_RE = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Seed documents are cited by file name, so source ids may carry dots and underscores.
SOURCE_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
DATE_RE = r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$"
MONEY_RE = r"^\d+(?:\.\d+)?$"
INT_RE = r"^\d+$"
COORDINATE_RE = r"^-?\d{1,3}(?:\.\d+)?$"

PROJECT_KINDS = ("project", "initiative", "call", "service-contract")
ACTIVITY_KINDS = (
    "pilot-action", "event", "call", "survey", "conference", "deadline", "study", "service",
)
ORG_TYPES = (
    "cluster-organisation", "research-organisation", "university", "public-agency",
    "public-authority", "business-association", "eu-institution", "company", "other",
)
SOURCE_KINDS = ("seed", "external", "import")
REFERENCE_SOURCE_KIND = "reference"
"""The kind the model gives the taxonomy's own sources (``taxonomy/sources.csv``) beside a
dataset's."""
FINDING_KINDS = ("conflict", "gap")
"""What the model finds about a project (``data.engine.model``): sources that disagree on a
fact, stated and named partners that differ."""
TAG_ORIGINS = ("curated", "inferred")
# What an inferred tag rests on: one of CORDIS's own classifications of the project, or words of
# its title and summary ('code' is a programme or topic code of a free-form ``topics`` cell).
EVIDENCE_KINDS = ("euroscivoc", "legal-basis", "topic", "code", "keyword")
CLASSIFICATION_SCHEMES = ("euroscivoc", "legal-basis", "topic", "policy-priority", "funding-scheme")
FACT_FIELDS = (
    "partner_count", "associated_partner_count", "country_count", "start_date", "end_date",
    "budget_eur", "eu_contribution_eur", "duration_months",
)


@dataclass(frozen=True)
class Field:
    """One column. ``ref`` names the column it must point to, as ``table.column``."""

    name: str
    kind: Kind = "text"
    required: bool = False
    values: tuple[str, ...] = ()
    ref: str | None = None
    ref_when: tuple[tuple[str, str, str], ...] = ()
    """References that depend on another column of the row: (column, value, ``table.column``),
    e.g. a tagging rule's ``value`` names a KET when its ``target`` is ``ket``."""


@dataclass(frozen=True)
class RowCheck:
    """A check that reads the whole row: ``reasons(frame)`` says, per row, why ``field`` is
    wrong ('' where it is fine). For rules a column check cannot state (a tagging rule's
    pattern must suit its ``match``)."""

    field: str
    reasons: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Table:
    """One CSV file: its columns and the columns that identify a row."""

    name: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    required_file: bool = False
    checks: tuple[RowCheck, ...] = ()

    @property
    def file(self) -> str:
        """The file name in its folder: ``projects.csv``."""
        return f"{self.name}.csv"

    @property
    def columns(self) -> tuple[str, ...]:
        """The column names, in the file's order."""
        return tuple(f.name for f in self.fields)


SOURCE = Field("source", "source_id", required=True, ref="sources.source_id")
QUOTE = Field("quote", "text", required=True)

KETS = Table(
    "kets",
    (
        Field("ket_id", "slug", True),
        Field("label", required=True),
        Field("short_label", required=True),
        Field("description"),
        Field("source", "slug", True, ref="sources.source_id"),
    ),
    key=("ket_id",),
    required_file=True,
)
SECTORS = Table(
    "sectors",
    (
        Field("sector_id", "slug", True),
        Field("label", required=True),
        Field("source", "slug", True, ref="sources.source_id"),
    ),
    key=("sector_id",),
    required_file=True,
)
TAXONOMY_SOURCES = Table(
    "sources",
    (Field("source_id", "slug", True), Field("title", required=True), Field("url"), Field("note")),
    key=("source_id",),
    required_file=True,
)
ROLES = Table(
    "roles",
    (
        Field("role_id", "slug", True),
        Field("label", required=True),
        Field("cordis_role"),
        Field("funded", "bool"),
        Field("description"),
        Field("source", "slug", True, ref="sources.source_id"),
    ),
    key=("role_id",),
    required_file=True,
)
TAXONOMY_TABLES = (TAXONOMY_SOURCES, KETS, SECTORS, ROLES)

CORDIS_COLUMNS = Table(
    "cordis_columns",
    (
        Field("file", "enum", True, ("project", "organization", "euroSciVoc", "topics", "legalBasis",
                                     "webLink", "policyPriorities")),
        Field("alias", required=True),
        Field("column", required=True),
        Field("note", required=True),
    ),
    key=("file", "alias"),
    required_file=True,
)
"""Column names of older or re-saved CORDIS exports and the name the importer reads them as."""


# --- vocabularies the importers read (data/taxonomy/*.csv, one file each) ---------------------
# Words are compared after folding (``data.io.text.fold_words``: lowercase, no accents, no
# punctuation), so each file must write them folded: an entry written otherwise would never match.


def _written_folded(column: str) -> RowCheck:
    def reasons(frame: pd.DataFrame) -> pd.Series:
        values = frame[column]
        folded = values.map(fold_words)
        why = "must be written as it is compared (lowercase, no accents or punctuation): '" + folded + "'"
        return why.where((values != folded) & (values != ""), "")

    return RowCheck(column, reasons)


SPREADSHEET_FIELDS = (
    "project_id", "acronym", "title", "programme", "start_date", "end_date", "budget_eur",
    "eu_contribution_eur", "summary", "url", "partner_name", "partner_country", "partner_role",
    "partner_city", "kets", "sectors",
)
"""The fields a spreadsheet's columns can be mapped to (``data.importers.spreadsheet``)."""

SPREADSHEET_FIELD_PARTS = ("id", "project", "partner", "tags")
SPREADSHEET_FIELD_LABELS = Table(
    "spreadsheet_fields",
    (
        Field("field", "enum", True, SPREADSHEET_FIELDS),
        Field("label", required=True),
        Field("short_label", required=True),
        Field("part", "enum", True, SPREADSHEET_FIELD_PARTS),
    ),
    key=("field",),
    required_file=True,
)
"""Each field a spreadsheet column can be mapped to, in the upload dialog's order: the label the
dialog shows, the short word import messages use, and what it describes (the project's id, the
project, a partner, its tags)."""

HEADER_SYNONYMS = Table(
    "header_synonyms",
    (
        Field("field", "enum", True, SPREADSHEET_FIELDS),
        Field("header", required=True),
    ),
    key=("field", "header"),
    required_file=True,
    checks=(_written_folded("header"),),
)
"""Column headers (EN/FR/DE/ES/IT) that suggest a field; within a field, the earlier the better."""


def _month_range(frame: pd.DataFrame) -> pd.Series:
    month = pd.to_numeric(frame["month"], errors="coerce")
    return pd.Series("", index=frame.index, dtype=object).where(
        month.isna() | month.between(1, 12), "must be a month number, 1 to 12")


MONTH_NAMES = Table(
    "month_names",
    (Field("word", required=True), Field("month", "int", True), Field("language", required=True)),
    key=("word",),
    required_file=True,
    checks=(_written_folded("word"), RowCheck("month", _month_range)),
)
"""Month names and abbreviations a written date may use ('1 avril 2016')."""

DATE_FILLER_WORDS = Table(
    "date_filler_words",
    (Field("word", required=True),
     Field("kind", "enum", True, ("particle", "ordinal-suffix", "weekday"))),
    key=("word",),
    required_file=True,
    checks=(_written_folded("word"),),
)
"""Words a written date may carry around its day, month and year ('Monday the 1st of April')."""


def _lowercase(column: str) -> RowCheck:
    def reasons(frame: pd.DataFrame) -> pd.Series:
        values = frame[column]
        return pd.Series("", index=frame.index, dtype=object).where(
            values == values.str.casefold(), "must be lowercase (cells are compared casefolded)")

    return RowCheck(column, reasons)


NOT_STATED_WORDS = Table(
    "not_stated_words",
    (Field("word", required=True), Field("code", "bool", True)),
    key=("word",),
    required_file=True,
    checks=(_lowercase("word"),),
)
"""Whole cells that mean "not stated" (NA, #N/A, NULL); ``code`` = true where the word is also
a code (NA: Namibia) and stays as written in code columns."""

HEADER_ID_WORDS = Table(
    "header_id_words",
    (Field("word", required=True),
     Field("kind", "enum", True, ("id-word", "compound-start", "compound-end"))),
    key=("word", "kind"),
    required_file=True,
    checks=(_written_folded("word"),),
)
"""Header words that mark a column of ids or numbers ('Partner ID', 'Projektnummer'), never
guessed as a name: whole words, or a start and an end written as one word."""

ROLE_WORDS = Table(
    "role_words",
    (Field("word", required=True), Field("role", "slug", True, ref="roles.role_id")),
    key=("word",),
    required_file=True,
    checks=(_written_folded("word"),),
)
"""Words for a partner's role in several languages -> a role of ``roles.csv``."""

KET_ALIASES = Table(
    "ket_aliases",
    (Field("alias", required=True), Field("ket", "slug", True, ref="kets.ket_id")),
    key=("alias",),
    required_file=True,
)
"""Other names of a KET (also FR/DE/ES/IT) a spreadsheet may write, besides its slug and labels."""

SECTOR_ALIASES = Table(
    "sector_aliases",
    (Field("alias", required=True), Field("sector", "slug", True, ref="sectors.sector_id")),
    key=("alias",),
    required_file=True,
)
"""Other names of an industrial ecosystem a spreadsheet may write, besides its slug and label."""

# --- tagging rules (data/taxonomy/tagging_rules.csv) -------------------------------------------

TAGGING_TARGETS = ("ket", "sector")
# keyword: words of the title and summary; code_prefix: a code of a free-form ``topics`` cell;
# legal_basis, topic, euroscivoc: CORDIS's own classifications of the project (programme part,
# call topic, EuroSciVoc field), which are read before keywords.
TAGGING_MATCHES = ("keyword", "code_prefix", "legal_basis", "topic", "euroscivoc")
# A separator in a keyword pattern stands for this many spellings at most; beyond it the
# variants would multiply (3 hyphens -> 27 spellings) for no real gain.
MAX_SEPARATORS = 4


def pattern_problem(match: str, pattern: str) -> str:
    """Why a tagging rule's pattern cannot be used with its ``match``, or ''."""
    if match == "keyword":
        if len(pattern) < 2:
            return "keyword is too short to be precise (at least 2 characters)"
        if not (pattern[0].isalnum() and pattern[-1].isalnum()):
            return "keyword must begin and end with a letter or digit (it is matched on whole words)"
        if ";" in pattern:
            return "keyword must not contain ';' (one keyword per rule)"
        if pattern.count(" ") + pattern.count("-") > MAX_SEPARATORS:
            return f"keyword has more than {MAX_SEPARATORS} spaces or hyphens"
    elif match in ("code_prefix", "legal_basis", "topic") and (
            re.search(r"[\s;]", pattern) or not pattern[0].isalnum()):
        return "code prefix must start with a letter or digit and contain no spaces or ';'"
    elif match == "euroscivoc" and (not pattern.startswith("/") or pattern.endswith("/")
                                    or ";" in pattern):
        return ("EuroSciVoc path must start with '/' and name whole fields, e.g. "
                "'/engineering and technology/nanotechnology'")
    return ""


def _checked_patterns(frame: pd.DataFrame) -> pd.Series:
    """Rows whose match is known and pattern given: the ones a pattern check applies to."""
    return frame["match"].isin(TAGGING_MATCHES) & (frame["pattern"] != "")


def _pattern_reasons(frame: pd.DataFrame) -> pd.Series:
    checked = _checked_patterns(frame)
    reasons = [pattern_problem(m, p) if ok else ""
               for m, p, ok in zip(frame["match"], frame["pattern"], checked, strict=True)]
    return pd.Series(reasons, index=frame.index, dtype=object)


def _repeated_patterns(frame: pd.DataFrame) -> pd.Series:
    """A rule that repeats an earlier rule's tag and pattern (in any case) names that rule."""
    checked = _checked_patterns(frame)
    key = frame[["target", "value", "match"]].assign(pattern=frame["pattern"].str.casefold())[checked]
    first = key.drop_duplicates()
    first_rule = pd.Series(frame.loc[first.index, "rule_id"].to_numpy(),
                           index=pd.MultiIndex.from_frame(first))
    repeated = key[key.duplicated()]
    out = pd.Series("", index=frame.index, dtype=object)
    for row, values in zip(repeated.index, repeated.itertuples(index=False, name=None), strict=True):
        out[row] = f"same pattern and tag as rule {first_rule[values]}"
    return out


TAGGING_RULES = Table(
    "tagging_rules",
    (
        Field("rule_id", "slug", True),
        Field("target", "enum", True, TAGGING_TARGETS),
        Field("value", required=True,
              ref_when=(("target", "ket", "kets.ket_id"), ("target", "sector", "sectors.sector_id"))),
        Field("match", "enum", True, TAGGING_MATCHES),
        Field("pattern", required=True),
        Field("note", required=True),
    ),
    key=("rule_id",),
    required_file=True,
    checks=(RowCheck("pattern", _pattern_reasons), RowCheck("pattern", _repeated_patterns)),
)
"""How imports infer KETs and sectors (``data.importers.tagging``); one rule a row."""

# --- the taxonomy in the interface's other languages (data.io.i18n) ---------------------------

TRANSLATED_LANGUAGES = ("de", "fr", "es")
"""The interface's languages besides English, the language of the taxonomy files themselves."""

KET_TRANSLATIONS = Table(
    "ket_translations",
    (
        Field("ket_id", "slug", True, ref="kets.ket_id"),
        Field("lang", "enum", True, TRANSLATED_LANGUAGES),
        Field("label", required=True),
        Field("short_label", required=True),
    ),
    key=("ket_id", "lang"),
    required_file=True,
)
"""A KET's label and short label (the matrix's rows) in another language of the interface."""

SECTOR_TRANSLATIONS = Table(
    "sector_translations",
    (
        Field("sector_id", "slug", True, ref="sectors.sector_id"),
        Field("lang", "enum", True, TRANSLATED_LANGUAGES),
        Field("label", required=True),
    ),
    key=("sector_id", "lang"),
    required_file=True,
)
"""An industrial ecosystem's label in another language of the interface."""

ROLE_TRANSLATIONS = Table(
    "role_translations",
    (
        Field("role_id", "slug", True, ref="roles.role_id"),
        Field("lang", "enum", True, TRANSLATED_LANGUAGES),
        Field("label", required=True),
    ),
    key=("role_id", "lang"),
    required_file=True,
)
"""A participation role's label (the project panel's partner list) in another language."""

KINDS_OF = {"projects": PROJECT_KINDS, "activities": ACTIVITY_KINDS,
            "sources": (*SOURCE_KINDS, REFERENCE_SOURCE_KIND), "findings": FINDING_KINDS,
            "organisations": ORG_TYPES}
"""The tables whose rows have a ``kind`` the page shows, and the kinds each allows."""


def _kind_of_its_table(frame: pd.DataFrame) -> pd.Series:
    allowed = frame["table"].map(lambda t: KINDS_OF.get(t, ()))
    wrong = [bool(t in KINDS_OF and k and k not in a)
             for t, k, a in zip(frame["table"], frame["kind"], allowed, strict=True)]
    why = "is not a kind of " + frame["table"] + " (" + allowed.map(", ".join) + ")"
    return why.where(pd.Series(wrong, index=frame.index), "")


KIND_TRANSLATIONS = Table(
    "kind_translations",
    (
        Field("table", "enum", True, tuple(KINDS_OF)),
        Field("kind", required=True),
        Field("lang", "enum", True, TRANSLATED_LANGUAGES),
        Field("label", required=True),
    ),
    key=("table", "kind", "lang"),
    required_file=True,
    checks=(RowCheck("kind", _kind_of_its_table),),
)
"""A project's, an activity's, a source's or a finding's kind ('pilot-action') in another
language of the interface; in English the kind is shown as written, its hyphens as spaces
('pilot action')."""

SPREADSHEET_FIELD_TRANSLATIONS = Table(
    "spreadsheet_field_translations",
    (
        Field("field", "enum", True, SPREADSHEET_FIELDS),
        Field("lang", "enum", True, TRANSLATED_LANGUAGES),
        Field("label", required=True),
        Field("short_label", required=True),
    ),
    key=("field", "lang"),
    required_file=True,
)
"""A spreadsheet field's label (the upload dialog's mapping) and short word in another language
of the interface (``spreadsheet_fields.csv`` has the English)."""

VOCABULARY_TABLES = (
    CORDIS_COLUMNS, SPREADSHEET_FIELD_LABELS, HEADER_SYNONYMS, MONTH_NAMES, DATE_FILLER_WORDS,
    NOT_STATED_WORDS, HEADER_ID_WORDS, ROLE_WORDS, KET_ALIASES, SECTOR_ALIASES, TAGGING_RULES,
    KET_TRANSLATIONS, SECTOR_TRANSLATIONS, ROLE_TRANSLATIONS, KIND_TRANSLATIONS,
    SPREADSHEET_FIELD_TRANSLATIONS,
)
"""The taxonomy folder's files beside the taxonomies, each read with ``load_vocabulary``: the
importers' vocabularies, and the taxonomy's labels in the interface's other languages."""

SOURCE_ID = Field("source_id", "source_id", True)

SOURCES = Table(
    "sources",
    (
        SOURCE_ID,
        Field("kind", "enum", True, SOURCE_KINDS),
        Field("title", required=True),
        Field("url"),
        Field("note"),
    ),
    key=("source_id",),
    required_file=True,
)
PROGRAMMES = Table(
    "programmes",
    (Field("programme_id", "slug", True), Field("name", required=True), SOURCE, QUOTE),
    key=("programme_id",),
)
PROJECTS = Table(
    "projects",
    (
        Field("project_id", "slug", True),
        Field("acronym", required=True),
        Field("title"),
        Field("kind", "enum", True, PROJECT_KINDS),
        Field("programme_id", "slug", ref="programmes.programme_id"),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("duration_months", "int"),
        Field("budget_eur", "money"),
        Field("eu_contribution_eur", "money"),
        Field("summary"),
        Field("url"),
        Field("external_id"),
        Field("topics"),
        Field("status"),
        Field("rejected_rows", "int"),
        SOURCE,
        QUOTE,
    ),
    key=("project_id",),
    required_file=True,
)
ORGANISATIONS = Table(
    "organisations",
    (
        Field("organisation_id", "slug", True),
        Field("name"),
        Field("short_name"),
        Field("country", "country"),
        Field("country_source", "source_id", ref="sources.source_id"),
        Field("country_quote"),
        Field("city"),
        Field("type", "enum", values=ORG_TYPES),
        Field("is_cluster_organisation", "bool"),
        Field("is_sme", "bool"),
        Field("external_id"),
        Field("vat_number"),
        Field("nuts_code"),
        Field("latitude", "coordinate"),
        Field("longitude", "coordinate"),
        Field("url"),
        SOURCE,
        QUOTE,
        Field("note"),
    ),
    key=("organisation_id",),
)
PARTICIPATIONS = Table(
    "participations",
    (
        Field("project_id", "slug", True, ref="projects.project_id"),
        Field("organisation_id", "slug", True, ref="organisations.organisation_id"),
        Field("role", "slug", ref="roles.role_id"),
        Field("role_stated"),
        Field("work_packages_led"),
        Field("ec_contribution_eur", "money"),
        Field("net_ec_contribution_eur", "money"),
        Field("ended_early", "bool"),
        SOURCE,
        QUOTE,
    ),
    key=("project_id", "organisation_id", "role", "role_stated"),
)
PROJECT_COUNTRIES = Table(
    "project_countries",
    (
        Field("project_id", "slug", True, ref="projects.project_id"),
        Field("country", "country", True),
        Field("role", "slug", ref="roles.role_id"),
        SOURCE,
        QUOTE,
    ),
    key=("project_id", "country", "role"),
)
def _tag_table(name: str, column: str, ref: str) -> Table:
    """``project_kets`` and ``project_sectors``: one tag of a project per row, with its evidence."""
    return Table(
        name,
        (
            Field("project_id", "slug", True, ref="projects.project_id"),
            Field(column, "slug", True, ref=ref),
            Field("origin", "enum", values=TAG_ORIGINS),
            Field("rule"),
            Field("evidence", "enum", values=EVIDENCE_KINDS),
            SOURCE,
            QUOTE,
        ),
        key=("project_id", column, "evidence", "source", "quote"),
    )


PROJECT_KETS = _tag_table("project_kets", "ket", "kets.ket_id")
PROJECT_SECTORS = _tag_table("project_sectors", "sector", "sectors.sector_id")
ACTIVITIES = Table(
    "activities",
    (
        Field("activity_id", "slug", True),
        Field("project_id", "slug", True, ref="projects.project_id"),
        Field("kind", "enum", True, ACTIVITY_KINDS),
        Field("title", required=True),
        Field("start_date", "date"),
        Field("end_date", "date"),
        Field("duration_months", "int"),
        Field("location"),
        Field("country", "country"),
        SOURCE,
        QUOTE,
    ),
    key=("activity_id",),
)
POLICY_INSTRUMENTS = Table(
    "policy_instruments",
    (
        Field("instrument_id", "slug", True),
        Field("project_id", "slug", True, ref="projects.project_id"),
        Field("organisation_id", "slug", ref="organisations.organisation_id"),
        Field("name", required=True),
        Field("summary"),
        SOURCE,
        QUOTE,
    ),
    key=("instrument_id",),
)
PROJECT_FACTS = Table(
    "project_facts",
    (
        Field("project_id", "slug", True, ref="projects.project_id"),
        Field("field", "enum", True, FACT_FIELDS),
        Field("value", required=True),
        SOURCE,
        QUOTE,
    ),
    key=("project_id", "field", "value", "source", "quote"),
)

PROJECT_CLASSIFICATIONS = Table(
    "project_classifications",
    (
        Field("project_id", "slug", True, ref="projects.project_id"),
        Field("scheme", "enum", True, CLASSIFICATION_SCHEMES),
        Field("code", required=True),
        Field("title"),
        Field("path"),
        Field("primary", "bool"),
        SOURCE,
        QUOTE,
    ),
    key=("project_id", "scheme", "code"),
)
PROJECT_LINKS = Table(
    "project_links",
    (
        Field("project_id", "slug", True, ref="projects.project_id"),
        Field("url", required=True),
        Field("kind"),
        Field("title"),
        SOURCE,
        QUOTE,
    ),
    key=("project_id", "url"),
)

DATASET_TABLES = (
    SOURCES, PROGRAMMES, PROJECTS, ORGANISATIONS, PARTICIPATIONS, PROJECT_COUNTRIES,
    PROJECT_KETS, PROJECT_SECTORS, ACTIVITIES, POLICY_INSTRUMENTS, PROJECT_FACTS,
    PROJECT_CLASSIFICATIONS, PROJECT_LINKS,
)


def _optional(pattern: str) -> Callable[[pd.Series], pd.Series]:
    regex = re.compile(pattern)
    return lambda s: (s == "") | s.str.fullmatch(regex)


def _calendar_date(s: pd.Series) -> pd.Series:
    """Full dates must exist on the calendar (no 2019-02-30). Values of the wrong shape are
    left to the format check, so each bad cell is reported once."""
    full = s.str.fullmatch(DATE_RE) & (s.str.len() == 10)
    parsed = pd.to_datetime(s.where(full), format="%Y-%m-%d", errors="coerce")
    return ~full | parsed.notna()


def _month_in_range(s: pd.Series) -> pd.Series:
    month = pd.to_numeric(s.str.slice(5, 7).where(s.str.fullmatch(DATE_RE)), errors="coerce")
    return month.isna() | ((month >= 1) & (month <= 12))


def field_checks(field: Field) -> list[pa.Check]:
    """The pandera checks for one column; all but ``required`` let an empty cell pass."""
    checks: list[pa.Check] = []
    if field.required:
        checks.append(pa.Check(lambda s: s.str.strip() != "", error="is required but empty"))
    if field.kind == "slug":
        checks.append(pa.Check(_optional(SLUG_RE), error="must be a slug (a-z, 0-9, -)"))
    elif field.kind == "source_id":
        checks.append(pa.Check(_optional(SOURCE_ID_RE),
                               error="must be a source id (letters, digits, '.', '_', '-')"))
    elif field.kind == "date":
        checks.append(
            pa.Check(_optional(DATE_RE), error="must be an ISO date: YYYY, YYYY-MM or YYYY-MM-DD")
        )
        checks.append(pa.Check(_month_in_range, error="has a month outside 01-12"))
        checks.append(pa.Check(_calendar_date, error="is not a date on the calendar"))
    elif field.kind == "int":
        checks.append(pa.Check(_optional(INT_RE), error="must be a whole number"))
    elif field.kind == "money":
        checks.append(
            pa.Check(_optional(MONEY_RE), error="must be an amount in euro, digits and '.' only")
        )
    elif field.kind == "coordinate":
        checks.append(pa.Check(_optional(COORDINATE_RE), error="must be decimal degrees, e.g. 50.85"))
    elif field.kind == "bool":
        checks.append(pa.Check(lambda s: s.isin(["", "true", "false"]), error="must be true or false"))
    elif field.kind == "enum":
        allowed = ("", *field.values)
        checks.append(
            pa.Check(lambda s: s.isin(allowed), error=f"must be one of {', '.join(field.values)}")
        )
    return checks


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """A schema over the all-string frame the loader reads, keyed on the table's key."""
    columns = {f.name: pa.Column(str, checks=field_checks(f), nullable=False) for f in table.fields}
    return pa.DataFrameSchema(columns, unique=list(table.key), strict=False, name=table.file)
