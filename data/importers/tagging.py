"""KETs and sectors inferred by transparent rules, for imported projects that carry none.

The rules are data: ``data/taxonomy/tagging_rules.csv``, one rule a line, each with a note that
says why it holds. First come CORDIS's own classifications of a project (the crosswalk):

- ``euroscivoc``: a EuroSciVoc field path prefix (``/engineering and technology/nanotechnology``
  finds that field and every field below it);
- ``legal_basis``: a programme-part code prefix (``H2020-EU.2.1.3``, ``HORIZON.2.4.4``);
- ``topic``: a call-topic code prefix (``NMBP-``, ``HORIZON-CL4-2021-RESILIENCE``).

Then, for free-form inputs, a rule is either

- ``keyword``: a word or phrase found in the project's title, summary or topics, case-insensitive
  and on whole words. The last word may take a plural (``laser`` finds ``lasers``,
  ``nanotechnology`` finds ``nanotechnologies``); a space in the pattern also finds a hyphen
  (``additive manufacturing`` finds ``additive-manufacturing``) and a hyphen in the pattern also
  finds a space or nothing (``bio-based`` finds ``biobased``); or
- ``code_prefix``: a programme or topic code in the ``;``-separated ``topics`` field that starts
  with the pattern (``H2020-EU.2.1.2`` finds ``H2020-EU.2.1.2.`` and ``H2020-EU.2.1.2.1.`` but not
  ``H2020-EU.2.1.20``; a pattern ending in ``-`` or ``.`` finds any continuation).

``infer_tags`` returns one tag per project and slug, with every rule that fired and the words
that triggered it, quoted as found, so the project panel can show why a tag is there. Projects
that already carry a curated tag of that kind are left alone: a person's judgement wins.

Speed: keywords of one slug are combined into one compiled regex and run with pandas' vectorised
string methods. Each alternative is plain text between ``\\b`` anchors, because a lookaround at
either end stops Python's regex engine from skipping ahead by first character (measured: about
fourteen times slower on 10,000 abstracts).
"""

from __future__ import annotations

import itertools
import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from data.io import schema
from data.io.lines import file_row_lines
from data.io.loader import DatasetError, Problem, load_vocabulary
from data.io.paths import TAXONOMY_DIR

log = logging.getLogger(__name__)

DEFAULT_RULES = TAXONOMY_DIR / schema.TAGGING_RULES.file
RULE_COLUMNS = schema.TAGGING_RULES.columns
TARGETS = schema.TAGGING_TARGETS
MATCHES = schema.TAGGING_MATCHES
TAG_COLUMNS = {"ket": ["project_id", "ket", "origin", "rule", "evidence", "source", "quote"],
               "sector": ["project_id", "sector", "origin", "rule", "evidence", "source", "quote"]}
VOWELS = set("aeiou")


class RulesError(Exception):
    """The rules file cannot be used; ``problems`` names each by file, line and field."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        listed = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"Tagging rules {path} have {len(problems)} problem(s):\n{listed}")


def load_rules(path: Path = DEFAULT_RULES, taxonomy_dir: Path = TAXONOMY_DIR) -> pd.DataFrame:
    """The rules of ``path`` as a frame (with each rule's file ``line``), checked by the loader
    against their declaration (``schema.TAGGING_RULES``) and the taxonomies of ``taxonomy_dir``.
    Raises RulesError naming the file, line and field of every problem."""
    path = Path(path)
    try:
        frame = load_vocabulary(schema.TAGGING_RULES, taxonomy_dir, path)
    except DatasetError as exc:
        log.warning("tagging rules %s refused: %d problem(s)", path, len(exc.problems))
        raise RulesError(path, exc.problems) from exc
    lines = file_row_lines(path)
    frame["line"] = lines if len(lines) == len(frame) else range(2, len(frame) + 2)
    return frame.reset_index(drop=True)


# --- matching -----------------------------------------------------------------------------------


def _spellings(pattern: str) -> list[str]:
    """Literal spellings of a keyword: a space may be a hyphen, a hyphen a space or nothing."""
    tokens = re.split(r"([ -])", " ".join(pattern.split()))
    choices = [{" ": (" ", "-"), "-": ("-", " ", "")}.get(t, (t,)) for t in tokens]
    return ["".join(parts) for parts in itertools.product(*choices)]


def _keyword_regex(pattern: str) -> str:
    """Regex for one keyword: its spellings, and a plural on the last word."""
    lowered = pattern.casefold()
    if lowered[-1] == "y" and len(lowered) > 2 and lowered[-2] not in VOWELS:
        stems, plural = [s[:-1] for s in _spellings(pattern)], "(?:y|ies)"
    elif lowered[-1].isalpha():
        stems, plural = _spellings(pattern), "(?:e?s)?"
    else:
        stems, plural = _spellings(pattern), ""
    stems = sorted(set(stems), key=len, reverse=True)
    return "(?:" + "|".join(re.escape(s) for s in stems) + ")" + plural


def _code_regex(prefix: str) -> str:
    """Regex for a code prefix inside a ';'-separated field: the whole code is captured."""
    tail = r"[^;\s]*" if not prefix[-1].isalnum() else r"(?:[^\w;\s][^;\s]*)?"
    return re.escape(prefix) + tail


def _combined(rules: pd.DataFrame, kind: str) -> tuple[re.Pattern[str], re.Pattern[str], list[str]]:
    """One regex for the rules of one slug, a group per rule (longest pattern first, so a
    phrase wins over a word it contains); the same without groups, to find the texts that
    match at all; and the rule id of each group."""
    ordered = rules.assign(_len=rules["pattern"].str.len()).sort_values(
        "_len", ascending=False, kind="stable")
    one = _keyword_regex if kind == "keyword" else _code_regex
    parts = [one(p) for p in ordered["pattern"]]

    def build(open_group: str) -> str:
        body = "|".join(f"{open_group}{part})" for part in parts)
        if kind == "keyword":
            return r"\b(?:" + body + r")\b"
        # Codes are whole items of the ';' list: preceded by the start, ';' or a space.
        return r"(?:^|(?<=[;\s]))(?:" + body + r")(?=$|[;\s])"

    regex, probe = build("("), build("(?:")
    return re.compile(regex, re.IGNORECASE), re.compile(probe, re.IGNORECASE), list(ordered["rule_id"])


def _matches(texts: pd.Series, regex: re.Pattern[str], probe: re.Pattern[str],
             rule_ids: list[str]) -> pd.DataFrame:
    """Every match as (row, position, rule, words), vectorised over the texts."""
    hit = texts.str.contains(probe)
    if not hit.any():
        return pd.DataFrame(columns=["row", "pos", "rule", "words"])
    found = texts[hit].str.extractall(regex)
    if found.empty:
        return pd.DataFrame(columns=["row", "pos", "rule", "words"])
    # Exactly one group of the alternation matched: take its text and rule by position.
    values = found.to_numpy(dtype=object)
    group = pd.notna(values).argmax(axis=1)
    return pd.DataFrame({
        "row": found.index.get_level_values(0),
        "pos": found.index.get_level_values(1),
        "rule": np.asarray(rule_ids, dtype=object)[group],
        "words": values[np.arange(len(values)), group],
    })


def _curated_projects(existing: pd.DataFrame | None) -> set[str]:
    if existing is None or existing.empty:
        return set()
    origin = existing["origin"] if "origin" in existing else pd.Series("", index=existing.index)
    curated = existing[origin.fillna("").isin(["", "curated"])]
    return set(curated["project_id"].astype(str))


def _column(projects: pd.DataFrame, name: str) -> pd.Series:
    if name not in projects:
        return pd.Series("", index=projects.index, dtype=object)
    return projects[name].fillna("").astype(str)


# Which classification scheme each classification rule reads, and how its evidence is quoted.
CLASSIFICATION_MATCHES = {"euroscivoc": "euroscivoc", "legal_basis": "legal-basis", "topic": "topic"}
EVIDENCE_OF_MATCH = {**CLASSIFICATION_MATCHES, "code_prefix": "code", "keyword": "keyword"}
# Classification evidence is listed first in a project's tags, keywords last: the order of trust.
EVIDENCE_ORDER = {kind: i for i, kind in enumerate(schema.EVIDENCE_KINDS)}


def _path_regex(prefix: str) -> str:
    """Regex for a EuroSciVoc path prefix: the field itself or any field below it."""
    return re.escape(prefix.casefold()) + r"(?:/[^;]*)?"


def _classification_hits(
    classifications: pd.DataFrame, rules: pd.DataFrame, rows_of: pd.Series, eligible: pd.Series,
) -> list[pd.DataFrame]:
    """Hits of the classification rules (euroscivoc, legal_basis, topic) of one target on the
    projects' classification rows. ``rows_of`` maps a project id to its row in the projects."""
    parts = []
    for match, scheme in CLASSIFICATION_MATCHES.items():
        mine = classifications[classifications["scheme"] == scheme]
        mine = mine[mine["project_id"].map(eligible).fillna(False).astype(bool)]
        if mine.empty:
            continue
        if scheme == "euroscivoc":
            path = mine["path"].where(mine["path"] != "", mine["code"])
            haystack, shown = path.str.casefold(), "EuroSciVoc: " + path
        else:
            haystack = mine["code"].str.strip()
            label = "legal basis " if scheme == "legal-basis" else "topic "
            shown = label + haystack + (" " + mine["title"]).where(mine["title"] != "", "")
        haystack = haystack.reset_index(drop=True)
        shown = shown.reset_index(drop=True)
        for value, group in rules[rules["match"] == match].groupby("value", sort=False):
            ordered = group.assign(_len=group["pattern"].str.len()).sort_values(
                "_len", ascending=False, kind="stable")
            one = _path_regex if match == "euroscivoc" else _code_regex
            body = "|".join(f"({one(p)})" for p in ordered["pattern"])
            regex = re.compile(f"^(?:{body})$", re.IGNORECASE)
            found = haystack.str.extract(regex)
            hit = found.notna().any(axis=1).to_numpy()
            if not hit.any():
                continue
            group_of = pd.notna(found.to_numpy(dtype=object)[hit]).argmax(axis=1)
            rows = np.flatnonzero(hit)
            parts.append(pd.DataFrame({
                "row": rows_of.reindex(mine["project_id"].to_numpy()[rows]).to_numpy(),
                "pos": rows,
                "rule": np.asarray(list(ordered["rule_id"]), dtype=object)[group_of],
                "words": shown.to_numpy(dtype=object)[rows],
                "value": value,
                "evidence": scheme,
                "source": mine["source"].to_numpy(dtype=object)[rows],
            }))
    return parts


def infer_tags(
    projects: pd.DataFrame,
    rules: pd.DataFrame,
    source: str,
    *,
    classifications: pd.DataFrame | None = None,
    existing_kets: pd.DataFrame | None = None,
    existing_sectors: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tags the rules infer for ``projects`` (normalized columns: project_id, title, summary,
    topics), as (project_kets, project_sectors) rows with origin 'inferred'.

    Evidence is read in order of trust: first CORDIS's own classifications of the project
    (``classifications``: rows of project_classifications, EuroSciVoc fields, programme parts and
    call topics), then codes in a free-form ``topics`` cell, and keywords of the title, summary
    and topics only for projects that no classification tags with that kind (KET or sector): a
    project under 'Advanced materials' is not also guessed from the word 'laser'.

    One row per project, slug and kind of evidence (``evidence``); ``rule`` lists every rule
    that fired (``;``-separated) and ``quote`` the evidence as found, e.g. ``graphene;
    nanoparticles`` or ``EuroSciVoc: /engineering and technology/nanotechnology``. Projects with
    a curated tag of a kind in ``existing_kets`` / ``existing_sectors`` get no inferred tag of
    that kind."""
    frame = projects.reset_index(drop=True)
    ids = _column(frame, "project_id")
    topics = _column(frame, "topics")
    # Whitespace is folded so a phrase broken over lines still matches; ';' between topics
    # becomes a space so a keyword never runs into the next code.
    text = (_column(frame, "title") + " \n " + _column(frame, "summary") + " \n "
            + topics.str.replace(";", " ; ", regex=False)).str.replace(r"\s+", " ", regex=True)
    topics = topics.str.replace(r"\s*;\s*", ";", regex=True).str.strip()
    rows_of = pd.Series(np.arange(len(ids)), index=ids.to_numpy())
    rows_of = rows_of[~rows_of.index.duplicated()]
    if classifications is None or classifications.empty:
        classifications = pd.DataFrame(columns=["project_id", "scheme", "code", "title", "path",
                                                "source"])
    classifications = classifications.fillna("").astype(str)
    classified = ids.isin(set(classifications["project_id"]))
    skip = {"ket": _curated_projects(existing_kets), "sector": _curated_projects(existing_sectors)}
    results: dict[str, pd.DataFrame] = {}
    for target in TARGETS:
        eligible = ~ids.isin(skip[target]) & (ids != "")
        mine = rules[rules["target"] == target]
        parts = _classification_hits(classifications, mine, rows_of,
                                     pd.Series(eligible.to_numpy(), index=ids.to_numpy()))
        tagged = np.zeros(len(ids), dtype=bool)
        for part in parts:
            tagged[part["row"].to_numpy(dtype=np.int64)] = True
        for (value, match), group in mine.groupby(["value", "match"], sort=False):
            if match in CLASSIFICATION_MATCHES:
                continue
            if match == "keyword":
                haystack, allowed = text, eligible & ~tagged
            else:
                # A free-form topics cell counts only where CORDIS classified nothing.
                haystack, allowed = topics, eligible & ~classified
            regex, probe, rule_ids = _combined(group, str(match))
            found = _matches(haystack[allowed], regex, probe, rule_ids)
            if not found.empty:
                parts.append(found.assign(value=str(value), evidence=EVIDENCE_OF_MATCH[str(match)],
                                          source=source))
        results[target] = _assemble(parts, ids, rules, target)
    return results["ket"], results["sector"]


def _assemble(parts: list[pd.DataFrame], ids: pd.Series, rules: pd.DataFrame,
              target: str) -> pd.DataFrame:
    columns = TAG_COLUMNS[target]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in columns})
    hits = pd.concat(parts, ignore_index=True)
    hits["order"] = hits["evidence"].map(EVIDENCE_ORDER)
    hits = hits.sort_values(["row", "value", "order", "pos"], kind="stable")
    keys = ["row", "value", "evidence"]
    # Each piece of evidence once per tag ('graphene; Graphene' -> 'graphene'), first spelling kept.
    words = hits.assign(_folded=hits["words"].str.casefold()).drop_duplicates([*keys, "_folded"])
    quotes = words.groupby(keys, sort=False)["words"].agg("; ".join)
    sources = hits.groupby(keys, sort=False)["source"].first()
    # Each rule once, in the rules file's order.
    firsts = hits.drop_duplicates([*keys, "rule"])
    firsts = firsts.assign(_r=firsts["rule"].map({r: i for i, r in enumerate(rules["rule_id"])}))
    fired = firsts.sort_values([*keys, "_r"], kind="stable").groupby(keys, sort=False)["rule"].agg("; ".join)
    out = pd.DataFrame({"quote": quotes, "rule": fired, "source": sources}).reset_index()
    out["project_id"] = ids.to_numpy()[out["row"].to_numpy(dtype=np.int64)]
    out[target] = out["value"]
    out["origin"] = "inferred"
    # Keep the taxonomy's order of tags within a project, as the rules file lists them, and
    # within a tag the order of trust of its evidence.
    value_order = {v: i for i, v in enumerate(dict.fromkeys(rules["value"]))}
    out = out.assign(_v=out["value"].map(value_order), _e=out["evidence"].map(EVIDENCE_ORDER))
    out = out.sort_values(["row", "_v", "_e"], kind="stable")
    return out[columns].astype(str).reset_index(drop=True)


def tagging_summary(projects: pd.DataFrame, kets: pd.DataFrame, sectors: pd.DataFrame) -> list[str]:
    """Lines for the import report: how many projects got a KET (a sector), by kind of evidence."""
    total = len(projects)
    lines = []
    for name, frame in (("KET", kets), ("sector", sectors)):
        tagged = frame["project_id"].nunique() if len(frame) else 0
        by_kind = frame.groupby("evidence")["project_id"].nunique() if len(frame) else pd.Series()
        # A tag with no evidence kind is curated: stated by the source itself.
        kinds = ", ".join([*([f"{by_kind['']} stated in the file"] if "" in by_kind else []),
                           *(f"{by_kind[k]} by {k}" for k in schema.EVIDENCE_KINDS if k in by_kind)])
        lines.append(f"projects with a {name}: {tagged} of {total}" + (f" ({kinds})" if kinds else ""))
    return lines
