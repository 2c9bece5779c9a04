"""One organisation under several spellings or ids becomes one record, and the report says so.

Imports name the same body in many ways ('Fraunhofer-Gesellschaft e.V.', 'FRAUNHOFER
GESELLSCHAFT') and sometimes under several ids. ``merge_organisations`` merges

- by ``external_id`` where there is one: the same external id (and country) is one organisation;
- otherwise by normalized name and country: case, accents, punctuation and legal-form suffixes
  (GmbH, e.V., SA, S.L., Ltd, BV, AB, Oy, S.p.A., s.r.o. ...) do not count.

It never merges across countries and never merges two different external ids: a false merge
joins two bodies' projects for good, a missed one only shows a body twice. A record without an
external id joins a record with one only when the name and country single out exactly one.

The first record of a group keeps its id and spelling; blanks are filled from the others.
Participations are re-pointed; two participations of one body in one project become one,
keeping the stronger role (coordinator > lead-partner > partner > associated-partner >
third-party > not stated), and the description says so. Everything is done with groupby, so
100,000 participations take about a second.
"""

from __future__ import annotations

import pandas as pd

ROLE_STRENGTH = {"coordinator": 5, "lead-partner": 4, "partner": 3, "associated-partner": 2,
                 "third-party": 1, "": 0}

# Legal forms, written as they read once accents, case and the dots between single letters are
# gone ('S.p.A.' -> 'spa', 'sp. z o.o.' -> 'sp zoo'). Removed only at the end of a name.
LEGAL_FORMS = (
    "gmbh", "ggmbh", "mbh", "ev", "e v", "eg", "ag", "kg", "kgaa", "ohg", "ug", "gbr", "co",
    "sa", "s a", "sas", "sasu", "sarl", "sca", "scarl", "sl", "s l", "slu", "sau", "sll", "scoop",
    "srl", "spa", "scpa", "snc", "sro", "as", "asa", "aps", "ab", "oy", "oyj", "ltd", "limited",
    "plc", "llp", "lp", "inc", "llc", "corp", "bv", "nv", "vzw", "asbl", "cvba", "bvba", "se",
    "kft", "zrt", "nyrt", "doo", "dd", "ad", "ood", "eood", "sp z oo", "sp zoo", "spzoo", "ou", "uab",
    "sia", "ehf", "hf", "ik", "ike", "ae", "epe", "lda", "unipessoal", "gie", "ry",
)
_LEGAL_SUFFIX_RE = r"(?:\s(?:" + "|".join(
    sorted({f.replace(" ", r"\s") for f in LEGAL_FORMS}, key=len, reverse=True)) + r"))+$"
# Runs of single letters each followed by a dot ('e.V.', 'S.p.A.', 's. r. o.'): the dots go,
# so the letters read as one word; dots after longer words ('Univ.Stuttgart') become spaces.
_INITIALS_RE = r"(?<![^\W\d_])(?:[^\W\d_]\.\s?)+(?:[^\W\d_](?![^\W\d_])\.?)?"


def normalise_names(names: pd.Series) -> pd.Series:
    """Names as compared for merging: 'Fraunhofer-Gesellschaft e.V.' -> 'fraunhofer gesellschaft'."""
    text = names.fillna("").astype(str).str.casefold().str.normalize("NFKD")
    text = text.str.replace(r"[\u0300-\u036f]", "", regex=True)
    text = text.str.replace(r"\ba\s?/\s?s\b", "as", regex=True)
    text = text.str.replace(_INITIALS_RE, lambda m: m.group(0).replace(".", "").replace(" ", "") + " ",
                            regex=True)
    text = text.str.replace(r"[^\w\s]|_", " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    text = text.str.replace(r"^the\s", "", regex=True)
    stripped = text.str.replace(_LEGAL_SUFFIX_RE, "", regex=True).str.strip()
    # A name that is nothing but a legal form stays as it is rather than becoming empty.
    return stripped.where(stripped != "", text)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def _first_filled(frame: pd.DataFrame, by: pd.Series) -> pd.DataFrame:
    """Per group (in first-appearance order), each column's first non-empty value."""
    filled = frame.astype(object).where(frame.astype(str) != "")
    out = filled.groupby(by.to_numpy(), sort=False).first()
    return out.astype(object).where(out.notna(), "").astype(str)


def _quoted_list(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _group_keys(orgs: pd.DataFrame) -> tuple[pd.Series, pd.Series, list[str]]:
    """Merge group of each organisation, how it joined ('id' or 'name'), and warnings about
    records kept apart."""
    ext = _text(orgs, "external_id")
    country = _text(orgs, "country").str.upper()
    name_key = normalise_names(_text(orgs, "name")) + "|" + country
    has_id = ext != ""
    group = ("id|" + ext + "|" + country).where(has_id, "name|" + name_key)
    how = pd.Series("name", index=orgs.index).where(~has_id, "id")
    # A record without an id joins the id-group its name and country single out, if only one.
    with_id = pd.DataFrame({"name_key": name_key[has_id], "group": group[has_id]})
    candidates = with_id.groupby("name_key")["group"].agg(["nunique", "first"])
    unique = candidates.loc[candidates["nunique"] == 1, "first"]
    joins = ~has_id & name_key.isin(unique.index)
    group = group.where(~joins, name_key.map(unique))
    warnings = []
    by_ext = pd.DataFrame({"ext": ext, "country": country, "name": _text(orgs, "name")})[has_id]
    for value, rows in by_ext.groupby("ext", sort=False):
        if rows["country"].nunique() > 1:
            firsts = rows.drop_duplicates("country")
            shown = _quoted_list([f"{n} ({c or 'country not stated'})"
                                  for n, c in zip(firsts["name"], firsts["country"], strict=True)])
            warnings.append(f"kept apart: {shown} share external id {value} but not the country")
    return group, how, warnings


def merge_organisations(
    organisations: pd.DataFrame, participations: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Organisations with duplicates merged, participations re-pointed and de-duplicated, and one
    description per merge (and per role kept), for the import report."""
    columns = list(organisations.columns)
    orgs = organisations.reset_index(drop=True).astype(object).fillna("").astype(str)
    if orgs.empty:
        return orgs, participations.reset_index(drop=True), []
    # Rows repeating an organisation_id are the same organisation by definition: keep one.
    orgs = _first_filled(orgs, orgs["organisation_id"]).reset_index(drop=True)[columns]
    group, how, descriptions = _group_keys(orgs)
    canonical_id = orgs["organisation_id"].groupby(group.to_numpy(), sort=False).transform("first")
    mapping = dict(zip(orgs["organisation_id"], canonical_id, strict=True))

    merged = _first_filled(orgs, group)
    sizes = group.value_counts(sort=False)
    multiple = group.isin(sizes.index[sizes.to_numpy() > 1])
    members = pd.DataFrame({"group": group, "name": orgs["name"], "ext": _text(orgs, "external_id"),
                            "by_name": how == "name"})[multiple]
    grouped = members.groupby("group", sort=False)
    summary = grouped.agg(size=("name", "size"), ext=("ext", "max"), by_name=("by_name", "any"))
    spellings = members.drop_duplicates(["group", "name"]).groupby("group", sort=False)["name"].agg(list)
    summary.insert(0, "spellings", spellings)
    for key, spellings, size, ext, by_name in summary.itertuples():
        country = merged.at[key, "country"] if "country" in merged else ""
        reasons = ([f"by external id {ext}"] if ext else []) + (["by name"] if by_name else [])
        who = _quoted_list(spellings) if len(spellings) > 1 else f"{size} records of '{spellings[0]}'"
        descriptions.append(f"merged {who} ({country or 'country not stated'}) {' and '.join(reasons)}")
        if len(spellings) > 1 and "note" in merged:
            also = "; ".join(f"'{s}'" for s in spellings[1:])
            note = merged.at[key, "note"]
            merged.at[key, "note"] = (note + " " if note else "") + f"Also written {also}."
    merged = merged.reset_index(drop=True)[columns]

    parts, role_notes = _merge_participations(participations, mapping, dict(zip(
        merged["organisation_id"], merged["name"], strict=True)))
    return merged, parts, descriptions + role_notes


def _merge_participations(
    participations: pd.DataFrame, mapping: dict[str, str], names: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    columns = list(participations.columns)
    parts = participations.reset_index(drop=True).astype(object).fillna("").astype(str)
    if parts.empty:
        return parts, []
    parts["organisation_id"] = parts["organisation_id"].map(lambda i: mapping.get(i, i))
    role = _text(parts, "role")
    parts["_strength"] = role.map(ROLE_STRENGTH).fillna(-1)
    parts["_order"] = range(len(parts))
    key = parts["project_id"] + "\x1f" + parts["organisation_id"]
    parts["_first_seen"] = parts["_order"].groupby(key.to_numpy()).transform("min")
    # Strongest role first within each (project, organisation); ties keep the file's order.
    ranked = parts.sort_values(["_first_seen", "_strength", "_order"], ascending=[True, False, True],
                               kind="stable")
    ranked_key = ranked["project_id"] + "\x1f" + ranked["organisation_id"]
    kept = ranked.drop_duplicates(["project_id", "organisation_id"], keep="first").copy()
    # Amounts and work packages stated only on the weaker duplicate are not lost.
    for column in ("ec_contribution_eur", "work_packages_led"):
        if column in ranked:
            filled = _first_filled(ranked[[column]], ranked_key)[column]
            kept[column] = (kept["project_id"] + "\x1f" + kept["organisation_id"]).map(filled)
    notes = []
    # Only pairs listed with two or more roles need a note; find them without a Python loop.
    distinct = ranked.assign(_key=ranked_key).drop_duplicates(["_key", "role"])
    several = distinct["_key"].duplicated(keep=False)
    listed = distinct[several].groupby("_key", sort=False)["role"].agg(list)
    for group_key, seen in listed.items():
        project, org = group_key.split("\x1f")
        others = ", ".join(f"'{r or 'not stated'}'" for r in seen[1:])
        notes.append(f"'{names.get(org, org)}' in project '{project}': kept role "
                     f"'{seen[0] or 'not stated'}' (also listed as {others})")
    return kept[columns].reset_index(drop=True), notes
