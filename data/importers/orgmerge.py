"""One organisation under several spellings or ids becomes one record, and the report says so.

Imports name the same body in many ways ('Fraunhofer-Gesellschaft e.V.', 'FRAUNHOFER
GESELLSCHAFT', 'Fraunhofer Gesselschaft') and sometimes under several ids.
``merge_organisations`` (one import) and ``merge_into`` (an import into an existing dataset,
``--merge-with``) decide which records are one body, in this order of evidence:

1. **the same external id** (CORDIS organisationID / PIC): one body, whatever the spelling, and
   even if the countries differ (the source system gave one id to one body; the report says so);
2. **the same VAT number in the same country**, compared without spaces, dots or dashes and with
   the country prefix made explicit ('DE 123.456.789' = 'DE123456789' = '123456789' of a German
   record; Greece's prefix is EL). Placeholders ('MISSING', 'N/A', '000000000') are no number;
3. **similar names in the same country**: the names as ``normalise_names`` gives them (case,
   accents, punctuation and legal-form suffixes do not count) scoring at least ``threshold``
   (0-100) with rapidfuzz, the better of the plain and the token-sorted Indel similarity
   (``fuzz.ratio`` / ``fuzz.token_sort_ratio``: word order and a missing space do not count).
   ``threshold=100`` merges identical normalised names only. Records without a country are
   merged only when their normalised names are identical: without a country, a similar name is
   too weak a clue. Two names that differ in a number ('Paris 7' / 'Paris 8') or in a short word
   such as an acronym ('Fraunhofer IPT' / 'Fraunhofer IPK') are never merged by similarity.

What is never merged: two different external ids; two records of the existing dataset (in
``merge_into``); records in different countries (except by external id); a record without a
name, by name (it is identified by its id or VAT number only); two records with different VAT
numbers, by name. A record without an id joins a record with one only when the evidence singles
out exactly one: a name that fits two bodies with different ids is kept apart, and reported. A
false merge joins two bodies' projects for good; a missed one only shows a body twice.

The first record of a group keeps its id and spelling (in ``merge_into``, the existing record);
blanks are filled from the others. Every merge is reported with its basis and score, e.g.
"cordis-org-999: kept 'Silicon Saxony e.V.'; also 'Siliconsaxony' (silicon-de: name
similarity 96 in DE)". Participations are re-pointed; the key of a participation is (project,
organisation, role, role_stated), so one body listed twice in a project with two roles keeps
both rows, and only exact duplicates of the key are collapsed (each collapse reported).

Scale: names are compared only within blocks of one country and the same numbers that share
the first three letters of the name, of its sorted words, or the last three of its sorted words;
only pairs whose lengths allow the threshold (``rapidfuzz.process.cdist`` with ``score_cutoff``);
and only pairs that could merge (a record without an id with any other; in ``merge_into`` also
existing records with imported ones that have an id): a CORDIS file whose organisations all
have an organisationID compares no names at all.
100,000 organisations (20,000 in one country, 10,000 planted variants) merge in 5-6 s on a
2-core machine shared with other jobs (measured on the data of
``test_a_hundred_thousand_organisations_merge_planted_variants_and_nothing_across_countries``;
most of it is ``cdist``). A lower threshold compares more pairs and takes longer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from data.engine.arrays import distinct

# A name pair must score at least this (0-100) to merge. 92 accepts about one edited letter in
# twelve: a typo or a transliteration in a name of 20-odd letters ('Fraunhofer Gesellschaft' /
# 'Fraunhofer Gesselschaft' 95.7, 'Centre for Research and Technology Hellas' / 'Center ...'
# 97.6, 'Silicon Saxony' / 'Siliconsaxony' 96.3), and keeps apart names that differ in a word
# or a place ('Universitat de Valencia' / 'Universitat Politecnica de Valencia' 79.3,
# 'Università degli Studi di Milano' / '... di Padova' 87.5, 'Silicon Saxony' / 'Silicon
# Saxonia' 89.7; 'University of Patras' / 'University Patras' 91.9 is the edge). Lower, short
# names one letter apart start to merge; the number and short-word guards (``_guarded``) hold
# at any threshold. The report shows scores cut to whole numbers (95.7 -> 95).
DEFAULT_MATCH_THRESHOLD = 92

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

# VAT prefixes of the EU (Greece writes EL, Northern Ireland XI) and of the other countries
# whose numbers circulate with one. A number starting with one of these (or with its record's
# own country code) carries its prefix; any other number gets its record's country's prefix.
VAT_PREFIXES = frozenset((
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT",
    "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI", "GB", "CH", "NO", "IS",
    "LI", "GR",
))
_VAT_PREFIX_OF_COUNTRY = {"GR": "EL"}
# The shortest VAT numbers have 8 characters (DK, FI, HU, LU, MT, SI); five digits rule out the
# words and stubs CORDIS writes where there is no number ('NOTAPPLICABLE', 'MISSING', 'N/A').
_VAT_MIN_DIGITS = 5

# Words whose presence or absence says nothing about which body is meant ('University of
# Patras' / 'University Patras'); any other differing word of up to four letters is taken for
# an acronym or a unit that tells bodies apart ('Fraunhofer IPT' / 'Fraunhofer IPK').
_FILLER_WORDS = frozenset((
    "a", "an", "and", "at", "af", "al", "da", "das", "de", "del", "della", "der", "des", "di",
    "die", "do", "dos", "du", "e", "en", "et", "for", "fur", "i", "in", "la", "le", "les", "of",
    "och", "og", "on", "the", "und", "van", "voor", "y", "zu", "zur",
))
_SHORT_WORD = 4
# Rows of one score matrix: bounds the memory of a large block (rows x block floats).
_CDIST_ROWS = 512

PARTICIPATION_KEY = ("project_id", "organisation_id", "role", "role_stated")
# Columns of a collapsed duplicate participation whose differing values the report names.
_PARTICIPATION_FACTS = ("ec_contribution_eur", "work_packages_led")

Tables = Mapping[str, pd.DataFrame]


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


def normalise_vat(vat: pd.Series, country: pd.Series) -> pd.Series:
    """VAT numbers as compared for merging, '' where there is none that can be compared.

    'DE 123.456.789', 'de123456789' and '123456789' of a German record all read 'DE123456789';
    a Greek record's 'GR...' or bare number reads 'EL...'. A bare number of a record without a
    country cannot be told from another country's same digits, so it is not used."""
    clean = vat.fillna("").astype(str).str.upper().str.replace(r"[\s.\-/_,]+", "", regex=True)
    code = country.fillna("").astype(str).str.strip().str.upper()
    own = code.map(lambda c: _VAT_PREFIX_OF_COUNTRY.get(c, c))
    first_two = clean.str.slice(0, 2)
    explicit = first_two.str.fullmatch(r"[A-Z]{2}") & (
        first_two.isin(VAT_PREFIXES) | first_two.eq(code) | first_two.eq(own))
    prefix = first_two.where(explicit, own).replace("GR", "EL")
    body = clean.str.slice(2).where(explicit, clean)
    digits = body.str.replace(r"\D", "", regex=True)
    usable = (clean.str.fullmatch(r"[A-Z0-9]+") & prefix.ne("")
              & digits.str.len().ge(_VAT_MIN_DIGITS) & ~digits.str.fullmatch(r"(\d)\1*"))
    return (prefix + body).where(usable, "")


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame:
        return pd.Series("", index=frame.index, dtype=object)
    return frame[column].fillna("").astype(str).str.strip()


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as a string, '' where missing, whatever the dtype (an Arrow column that is
    all missing refuses ``fillna('')``)."""
    objects = frame.astype(object)
    return objects.where(objects.notna(), "").astype(str)


def _first_filled(frame: pd.DataFrame, by: pd.Series | np.ndarray) -> pd.DataFrame:
    """Per group (in first-appearance order), each column's first non-empty value."""
    filled = frame.astype(object).where(frame.astype(str) != "")
    out = filled.groupby(np.asarray(by), sort=False).first()
    return out.astype(object).where(out.notna(), "").astype(str)


# --- which records are one body ---------------------------------------------------------------

_NONE: frozenset[str] = frozenset()
_NO_RECORDS: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Link:
    """Why two records were joined: ``kind`` is 'id', 'vat' or 'name'; ``detail`` the id or
    number they share; ``score`` the name similarity (100 for identical normalised names)."""

    a: int
    b: int
    kind: str
    score: float
    detail: str = ""


class _Groups:
    """Union-find over the records. Each group's root is its first record (the one kept); a
    group carries the external ids, VAT numbers and existing-dataset records it holds, so that a
    union which would join two different ones can be refused."""

    def __init__(self, ext: list[str], vat: list[str], existing: list[bool]) -> None:
        self.parent = list(range(len(ext)))
        self.ext, self.vat, self.existing = ext, vat, existing
        self._held: dict[int, tuple[frozenset[str], frozenset[str], frozenset[int]]] = {}
        self.links: list[_Link] = []

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def held(self, root: int) -> tuple[frozenset[str], frozenset[str], frozenset[int]]:
        found = self._held.get(root)
        if found is None:
            ext, vat = self.ext[root], self.vat[root]
            found = (frozenset((ext,)) if ext else _NONE, frozenset((vat,)) if vat else _NONE,
                     frozenset((root,)) if self.existing[root] else _NO_RECORDS)
        return found

    def anchored(self, root: int) -> bool:
        """A group with an external id or an existing record: it may join at most one such."""
        ext, _, existing = self.held(root)
        return bool(ext or existing)

    def conflict(self, roots: list[int], vat: bool) -> str:
        """Why these groups cannot be one body ('' if they can)."""
        held = [self.held(r) for r in roots]
        if len(frozenset().union(*(h[0] for h in held))) > 1:
            return "different external ids"
        if len(frozenset().union(*(h[2] for h in held))) > 1:
            return "different organisations of the existing dataset"
        if vat and len(frozenset().union(*(h[1] for h in held))) > 1:
            return "different VAT numbers"
        return ""

    def union(self, link: _Link) -> None:
        ra, rb = self.find(link.a), self.find(link.b)
        if ra == rb:
            return
        keep, other = min(ra, rb), max(ra, rb)
        held = tuple(x | y for x, y in zip(self.held(keep), self.held(other), strict=True))
        self.parent[other] = keep
        self._held[keep] = held  # type: ignore[assignment]
        self._held.pop(other, None)
        self.links.append(link)


def _guarded(a: str, b: str) -> bool:
    """False for names that score high but name different bodies: they differ in a number
    ('universite paris 7' / '8') or in a short word that is not filler ('ipt' / 'ipk')."""
    if a.replace(" ", "") == b.replace(" ", ""):
        return True
    if sorted(re.findall(r"\d+", a)) != sorted(re.findall(r"\d+", b)):
        return False
    differing = set(a.split()) ^ set(b.split())
    return not any(len(w) <= _SHORT_WORD and w not in _FILLER_WORDS for w in differing)


def _triangle_pairs(idx: np.ndarray, names: list[str], lengths: np.ndarray,
                    threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) among ``idx`` whose ``names`` score at least ``threshold``, each pair
    once. Sorted by length, a name is compared only with names short enough to reach the
    threshold: the Indel similarity of lengths m <= n is at most 200 m / (m + n)."""
    idx = idx[np.argsort(lengths[idx], kind="stable")]
    lens = lengths[idx]
    stretch = (200 - threshold) / threshold if threshold > 0 else np.inf
    block = [names[i] for i in idx]
    # Threads pay off only on large matrices; small ones are done faster on one.
    workers = -1 if len(idx) >= _CDIST_ROWS else 1
    found_i, found_j = [], []
    for start in range(0, len(idx), _CDIST_ROWS):
        stop = min(start + _CDIST_ROWS, len(idx))
        # Choices: this chunk and the longer names after it, up to the longest that can match.
        end = int(np.searchsorted(lens, lens[stop - 1] * stretch, side="right")) if threshold else len(idx)
        scores = process.cdist(block[start:stop], block[start:end], scorer=fuzz.ratio,
                               score_cutoff=threshold, dtype=np.float32, workers=workers)
        rows, cols = np.nonzero(scores >= threshold)
        keep = cols > rows  # each pair once, never a name with itself
        found_i.append(idx[start + rows[keep]])
        found_j.append(idx[start + cols[keep]])
    return np.concatenate(found_i), np.concatenate(found_j)


def _cross_pairs(queries: np.ndarray, choices: np.ndarray, names: list[str], lengths: np.ndarray,
                 threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (q, c), q in ``queries`` and c in ``choices`` (q != c), scoring at least
    ``threshold``; choices only in the length window that can reach it."""
    queries = queries[np.argsort(lengths[queries], kind="stable")]
    choices = choices[np.argsort(lengths[choices], kind="stable")]
    q_lens, c_lens = lengths[queries], lengths[choices]
    stretch = (200 - threshold) / threshold if threshold > 0 else np.inf
    choice_names = [names[i] for i in choices]
    workers = -1 if len(queries) * len(choices) >= _CDIST_ROWS ** 2 else 1
    found_i, found_j = [], []
    for start in range(0, len(queries), _CDIST_ROWS):
        chunk = queries[start:start + _CDIST_ROWS]
        lo = int(np.searchsorted(c_lens, q_lens[start] / stretch, side="left")) if threshold else 0
        hi = (int(np.searchsorted(c_lens, q_lens[start:start + _CDIST_ROWS][-1] * stretch, side="right"))
              if threshold else len(choices))
        if hi <= lo:
            continue
        scores = process.cdist([names[i] for i in chunk], choice_names[lo:hi], scorer=fuzz.ratio,
                               score_cutoff=threshold, dtype=np.float32, workers=workers)
        rows, cols = np.nonzero(scores >= threshold)
        i, j = chunk[rows], choices[lo + cols]
        found_i.append(i[i != j])
        found_j.append(j[i != j])
    if not found_i:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(found_i), np.concatenate(found_j)


def _similar_names(plain: list[str], country: list[str], threshold: int,
                   wanted: list[tuple[np.ndarray, np.ndarray]]) -> dict[tuple[int, int], float]:
    """Pairs of distinct (country, normalised name) nodes, within a known country, whose names
    score at least ``threshold`` (the better of the plain and the word-sorted similarity) and
    pass the guards. ``wanted`` lists (query nodes, choice nodes) masks: only pairs between
    them can lead to a merge (two records with different ids never do), so only those are
    compared."""
    ordered = [" ".join(sorted(p.split())) for p in plain]
    lengths = np.array([len(p) for p in plain], dtype=np.float64)
    known = np.array([c != "" for c in country], dtype=bool)
    useful = np.zeros(len(plain), dtype=bool)
    for queries, choices in wanted:
        useful |= (queries | choices) if queries.any() and choices.any() else False
    positions = np.flatnonzero(known & useful)
    if len(positions) < 2:
        return {}
    # Names with other numbers are never one body (see _guarded), so they never share a block.
    numbers = pd.Series([" ".join(sorted(re.findall(r"\d+", plain[i]))) for i in positions])
    block_of = pd.Series([country[i] for i in positions]) + "\x1f" + numbers
    candidates = []
    # Three blockings, so that a pair is missed only if it differs in the first letters of
    # the name and of its sorted words, and in the last letters of its sorted words. Each
    # compares the form its key is taken from; the final score takes the better of both.
    for names, key in ((plain, [plain[i][:3] for i in positions]),
                       (ordered, [ordered[i][:3] for i in positions]),
                       (ordered, [ordered[i][-3:] for i in positions])):
        blocks = pd.Series(positions).groupby([block_of, pd.Series(key)], sort=False).indices
        for members in blocks.values():
            if len(members) < 2:
                continue
            nodes = positions[members]
            for queries, choices in wanted:
                q, c = nodes[queries[nodes]], nodes[choices[nodes]]
                if not len(q) or not len(c):
                    continue
                if len(q) == len(c) == len(nodes):
                    i, j = _triangle_pairs(nodes, names, lengths, threshold)
                else:
                    i, j = _cross_pairs(q, c, names, lengths, threshold)
                candidates.append(np.minimum(i, j) * len(plain) + np.maximum(i, j))
    pairs: dict[tuple[int, int], float] = {}
    if not candidates:
        return pairs
    for code in distinct(np.concatenate(candidates)).tolist():
        i, j = divmod(code, len(plain))
        if _guarded(plain[i], plain[j]):
            pairs[(i, j)] = max(fuzz.ratio(plain[i], plain[j]), fuzz.ratio(ordered[i], ordered[j]))
    return pairs


class _Planner:
    """Decides the groups of one frame of organisations (existing records first, if any) and
    describes them."""

    def __init__(self, orgs: pd.DataFrame, existing: list[bool], threshold: int) -> None:
        self.ids = orgs["organisation_id"].tolist()
        self.names = _text(orgs, "name").tolist()
        self.country = _text(orgs, "country").str.upper().tolist()
        self.ext = _text(orgs, "external_id").tolist()
        country = pd.Series(self.country, index=orgs.index)
        self.vat = normalise_vat(_text(orgs, "vat_number"), country).tolist()
        names = pd.Series(self.names, index=orgs.index)
        self.plain = normalise_names(names).where(names.ne(""), "").tolist()
        self.existing = existing
        self.cross = any(existing)
        self.threshold = threshold
        self.groups = _Groups(self.ext, self.vat, existing)
        self.kept_apart: list[str] = []

    # -- labels for the report

    def label(self, i: int) -> str:
        name = f"'{self.names[i]}'" if self.names[i] else "(no name)"
        if self.cross:
            name = ("existing " if self.existing[i] else "imported ") + name
        return name

    def who(self, i: int) -> str:
        ext = f", external id {self.ext[i]}" if self.ext[i] else ""
        return f"{self.label(i)} ({self.ids[i]}{ext})"

    @staticmethod
    def where(country: str) -> str:
        return country or "no country"

    # -- the three kinds of evidence

    def by_external_id(self) -> None:
        ext = pd.Series(self.ext)
        ext = ext[ext != ""]
        for value, members in ext.groupby(ext, sort=False).indices.items():
            if len(members) < 2:
                continue
            positions = ext.index[members]
            first = int(positions[0])
            for other in positions[1:]:
                roots = [self.groups.find(first), self.groups.find(int(other))]
                # Only two existing records can clash here; the dataset keeps them as they are.
                if not self.groups.conflict(roots, vat=False):
                    self.groups.union(_Link(first, int(other), "id", 100, str(value)))

    def by_vat(self) -> None:
        vat = pd.Series(self.vat)
        has = vat != ""
        key = pd.Series(self.country)[has] + "|" + vat[has]
        for members in key.groupby(key, sort=False).indices.values():
            if len(members) < 2:
                continue
            records = [int(i) for i in key.index[members]]
            first_of: dict[int, int] = {}
            for r in records:
                first_of.setdefault(self.groups.find(r), r)
            roots = list(first_of)
            if len(roots) < 2:
                continue
            number = self.vat[records[0]]
            reason = self.groups.conflict(roots, vat=False)
            if not reason:
                for root in roots[1:]:
                    self.groups.union(_Link(first_of[roots[0]], first_of[root], "vat", 100, number))
                continue
            free = [r for r in roots if not self.groups.anchored(r)]
            for root in free[1:]:
                self.groups.union(_Link(first_of[free[0]], first_of[root], "vat", 100, number))
            held = [first_of[r] for r in roots if self.groups.anchored(r)]
            text = (f"kept apart: {_listed([self.who(i) for i in held])} share VAT number {number} "
                    f"in {self.where(self.country[records[0]])} but cannot be one body ({reason})")
            if free:
                text += f"; {self.who(first_of[free[0]])} has it too and was merged with none of them"
            self.kept_apart.append(text)

    def by_name(self) -> None:
        named = [i for i, p in enumerate(self.plain) if p]
        if not named:
            return
        node_key = [self.country[i] + "\x1f" + self.plain[i] for i in named]
        codes, uniques = pd.factorize(pd.Series(node_key))
        members: list[list[int]] = [[] for _ in range(len(uniques))]
        for i, code in zip(named, codes, strict=True):
            members[code].append(i)
        node_plain = [self.plain[m[0]] for m in members]
        node_country = [self.country[m[0]] for m in members]
        edges = (_similar_names(node_plain, node_country, self.threshold, self._wanted(members))
                 if self.threshold < 100 else {})
        neighbours: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for (u, v), score in edges.items():
            neighbours[u].append((v, score))
            neighbours[v].append((u, score))
        busy = [u for u in range(len(members)) if len(members[u]) > 1 or u in neighbours]
        if self.cross:
            self._join_anchored(busy, members, neighbours)
        self._join_free(busy, members, edges)
        self._attach_free(busy, members, neighbours)

    def _wanted(self, members: list[list[int]]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Which name nodes are worth comparing with which: a node holding a record without an
        id with every node; in ``merge_into`` also nodes of existing records with nodes of
        imported records that have an id. Two imported records with ids never merge by name."""
        free = np.zeros(len(members), dtype=bool)
        old = np.zeros(len(members), dtype=bool)
        new = np.zeros(len(members), dtype=bool)
        for u, records in enumerate(members):
            for r in records:
                root = self.groups.find(r)
                if not self.groups.anchored(root):
                    free[u] = True
                elif self.groups.held(root)[2]:
                    old[u] = True
                else:
                    new[u] = True
        everything = np.ones(len(members), dtype=bool)
        return [(free, everything), (old, new)] if self.cross else [(free, everything)]

    def _roots(self, records: list[int], anchored: bool) -> dict[int, int]:
        """Root -> first record of ``records`` in it, for anchored or for free groups."""
        out: dict[int, int] = {}
        for r in records:
            root = self.groups.find(r)
            if self.groups.anchored(root) == anchored:
                out.setdefault(root, r)
        return out

    def _join_anchored(self, busy: list[int], members: list[list[int]],
                       neighbours: dict[int, list[tuple[int, float]]]) -> None:
        """An imported body with an id and an existing record (or two such that do not clash)
        join when each is the other's only similar counterpart."""
        best: dict[tuple[int, int], tuple[float, int, int]] = {}

        def offer(ra: int, a: int, rb: int, b: int, score: float) -> None:
            if ra == rb or self.groups.conflict([ra, rb], vat=True):
                return
            pair = (ra, rb) if ra < rb else (rb, ra)
            if pair not in best or score > best[pair][0]:
                best[pair] = (score, a, b)

        for u in busy:
            here = self._roots(members[u], anchored=True)
            items = list(here.items())
            for x, (ra, a) in enumerate(items):
                for rb, b in items[x + 1:]:
                    offer(ra, a, rb, b, 100)
            for v, score in neighbours.get(u, ()):
                if v > u:
                    for rb, b in self._roots(members[v], anchored=True).items():
                        for ra, a in items:
                            offer(ra, a, rb, b, score)
        partners: dict[int, int] = defaultdict(int)
        for ra, rb in best:
            partners[ra] += 1
            partners[rb] += 1
        for (ra, rb), (score, a, b) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            if partners[ra] == 1 and partners[rb] == 1:
                self.groups.union(_Link(a, b, "name", score))

    def _join_free(self, busy: list[int], members: list[list[int]],
                   edges: dict[tuple[int, int], float]) -> None:
        """Records without an id or existing record join each other: same name first, then
        similar names, best first; never two different VAT numbers."""
        for u in busy:
            free = self._roots(members[u], anchored=False)
            items = list(free.items())
            for root, record in items[1:]:
                if not self.groups.conflict([self.groups.find(items[0][1]), root], vat=True):
                    self.groups.union(_Link(items[0][1], record, "name", 100))
        for (u, v), score in sorted(edges.items(), key=lambda kv: (-kv[1], kv[0])):
            for a in self._roots(members[u], anchored=False).values():
                for b in self._roots(members[v], anchored=False).values():
                    ra, rb = self.groups.find(a), self.groups.find(b)
                    if ra != rb and not self.groups.conflict([ra, rb], vat=True):
                        self.groups.union(_Link(a, b, "name", score))

    def _attach_free(self, busy: list[int], members: list[list[int]],
                     neighbours: dict[int, list[tuple[int, float]]]) -> None:
        """A group without an id joins the one group with an id (or existing record) its names
        are like, if they can be one body; if its names fit several, it is kept apart."""
        offers: dict[int, dict[int, tuple[float, int, int]]] = defaultdict(dict)
        for u in busy:
            free = self._roots(members[u], anchored=False)
            if not free:
                continue
            near = [(a, 100.0) for a in self._roots(members[u], anchored=True).values()]
            for v, score in neighbours.get(u, ()):
                near += [(a, score) for a in self._roots(members[v], anchored=True).values()]
            for root, f in free.items():
                for a, score in near:
                    mine = offers[root]
                    ra = self.groups.find(a)
                    if ra not in mine or score > mine[ra][0]:
                        mine[ra] = (score, f, a)
        for root in sorted(offers):
            if self.groups.anchored(self.groups.find(root)):
                continue
            best: dict[int, tuple[float, int, int]] = {}
            for ra, found in offers[root].items():
                ra = self.groups.find(ra)
                if ra not in best or found[0] > best[ra][0]:
                    best[ra] = found
            reason = self.groups.conflict([root, *best], vat=True)
            if not reason:
                for score, f, a in best.values():
                    self.groups.union(_Link(f, a, "name", score))
                continue
            self.kept_apart.append(
                f"kept apart: {self.who(root)} in {self.where(self.country[root])} has a name like "
                f"{_listed([self.who(a) for _, _, a in best.values()])}, which cannot be one body "
                f"({reason}); merged with none of them")

    # -- result

    def plan(self) -> tuple[list[int], list[str]]:
        """The kept record of each record's group, and one description per merge (and per
        record kept apart)."""
        self.by_external_id()
        self.by_vat()
        self.by_name()
        kept = [self.groups.find(i) for i in range(len(self.ids))]
        return kept, self.kept_apart + self._describe(kept)

    def _describe(self, kept: list[int]) -> list[str]:
        tree: dict[int, list[tuple[int, _Link]]] = defaultdict(list)
        for link in self.groups.links:
            tree[link.a].append((link.b, link))
            tree[link.b].append((link.a, link))
        lines = []
        for root in sorted({k for i, k in enumerate(kept) if k != i}):
            # Each record is described by the link that reached it from the kept record.
            reached: dict[int, tuple[int, _Link]] = {}
            queue, seen = [root], {root}
            while queue:
                here = queue.pop(0)
                for there, link in tree[here]:
                    if there not in seen:
                        seen.add(there)
                        reached[there] = (here, link)
                        queue.append(there)
            parts = [f"{self.ids[root]}: kept {self.label(root)}"]
            for record in sorted(reached):
                parent, link = reached[record]
                # Said against the kept record where the evidence holds directly; otherwise
                # through the record that linked it ('via').
                basis = self._direct(record, root)
                if basis is None:
                    basis = self._basis(record, parent, link)
                    basis += f", via {self.ids[parent]}" if parent != root else ""
                parts.append(f"also {self.label(record)} ({self.ids[record]}: {basis})")
            lines.append("; ".join(parts))
        return lines

    def _direct(self, record: int, root: int) -> str | None:
        """The strongest evidence that ``record`` is the body of ``root`` itself, if any."""
        if self.ext[record] and self.ext[record] == self.ext[root]:
            return self._basis(record, root, _Link(root, record, "id", 100, self.ext[root]))
        same_country = self.country[record] == self.country[root]
        if same_country and self.vat[record] and self.vat[record] == self.vat[root]:
            return self._basis(record, root, _Link(root, record, "vat", 100, self.vat[root]))
        a, b = self.plain[record], self.plain[root]
        if not (same_country and a and b):
            return None
        if a == b:
            return self._basis(record, root, _Link(root, record, "name", 100))
        if not self.country[root] or self.threshold >= 100 or not _guarded(a, b):
            return None
        score = max(fuzz.ratio(a, b), fuzz.ratio(" ".join(sorted(a.split())), " ".join(sorted(b.split()))))
        if score < self.threshold:
            return None
        return self._basis(record, root, _Link(root, record, "name", score))

    def _basis(self, record: int, parent: int, link: _Link) -> str:
        where = self.where(self.country[record])
        if link.kind == "id":
            text = f"same external id {link.detail}"
            if self.country[record] != self.country[parent]:
                text += (f", though listed in {self.where(self.country[record])}, not "
                         f"{self.where(self.country[parent])}")
            return text
        if link.kind == "vat":
            return f"same VAT number {link.detail} in {where}"
        if self.plain[record] == self.plain[parent]:
            return f"same name in {where}"
        return f"name similarity {int(link.score)} in {where}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _check_threshold(threshold: int) -> int:
    whole = isinstance(threshold, (int, np.integer)) and not isinstance(threshold, bool)
    if not whole or not 0 <= threshold <= 100:
        raise ValueError(f"threshold must be a whole number from 0 to 100, not {threshold!r}")
    return int(threshold)


def _merge_records(orgs: pd.DataFrame, existing: list[bool], threshold: int
                   ) -> tuple[pd.DataFrame, list[int], dict[str, str], list[str]]:
    """(one row per group, blanks filled; kept record of each input record; old id -> kept
    id; descriptions)."""
    kept, descriptions = _Planner(orgs, existing, threshold).plan()
    merged = _first_filled(orgs, np.asarray(kept))
    ids = orgs["organisation_id"].tolist()
    if "note" in merged:
        names = _text(orgs, "name").tolist()
        spellings: dict[int, list[str]] = defaultdict(list)
        for i, k in enumerate(kept):
            if i != k and names[i] and names[i] != names[k] and names[i] not in spellings[k]:
                spellings[k].append(names[i])
        notes = dict(zip(merged.index, merged["note"], strict=True))
        for k, also in spellings.items():
            note = notes[k]
            # A spelling the note already names (a dataset merged into again) is not repeated.
            new = [s for s in also if f"'{s}'" not in note]
            if new:
                notes[k] = (note + " " if note else "") + "Also written " + "; ".join(
                    f"'{s}'" for s in new) + "."
        # One assignment: setting cells one by one in a string column costs a copy each.
        merged["note"] = [notes[k] for k in merged.index]
    mapping = {ids[i]: ids[k] for i, k in enumerate(kept) if i != k}
    return merged, kept, mapping, descriptions


def merge_organisations(
    organisations: pd.DataFrame, participations: pd.DataFrame, *,
    threshold: int = DEFAULT_MATCH_THRESHOLD,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Organisations of one import with duplicates merged, participations re-pointed and exact
    duplicates collapsed, and one description per merge (and per record kept apart), for the
    import report. ``threshold`` (0-100) is the name similarity needed to merge by name."""
    threshold = _check_threshold(threshold)
    columns = list(organisations.columns)
    orgs = _as_text(organisations.reset_index(drop=True))
    if orgs.empty:
        return orgs, _as_text(participations.reset_index(drop=True)), []
    # Rows repeating an organisation_id are the same organisation by definition: keep one.
    orgs = _first_filled(orgs, orgs["organisation_id"]).reset_index(drop=True)[columns]
    merged, _, mapping, descriptions = _merge_records(orgs, [False] * len(orgs), threshold)
    merged = merged.reset_index(drop=True)[columns]
    names = dict(zip(merged["organisation_id"], _text(merged, "name"), strict=True))
    parts, notes = _merge_participations(participations, mapping, names)
    return merged, parts, descriptions + notes


def merge_into(
    existing: Tables, imported: Tables, *, threshold: int = DEFAULT_MATCH_THRESHOLD,
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], list[str]]:
    """An import's organisations merged into an existing dataset's (``--merge-with``): an
    imported record that is the same body as an existing one (by the rules above) becomes the
    existing record, which keeps its id and values (blanks filled from the import); the
    import's participations and policy instruments are re-pointed to it. Existing records are
    never merged with each other; an imported record whose organisation_id the dataset already
    has is that record and is left to the table merge.

    Returns (existing tables, imported tables, descriptions); tables other than
    organisations, participations and policy_instruments are returned as given."""
    threshold = _check_threshold(threshold)
    base_out, new_out = dict(existing), dict(imported)
    base = existing.get("organisations")
    new = imported.get("organisations")
    if base is None or new is None or base.empty or new.empty:
        return base_out, new_out, []
    base = _as_text(base.reset_index(drop=True))
    new = _as_text(new.reset_index(drop=True))
    new = _first_filled(new, new["organisation_id"]).reset_index(drop=True)[list(new.columns)]
    same_id = new["organisation_id"].isin(set(base["organisation_id"]))
    columns = list(dict.fromkeys([*base.columns, *new.columns]))
    candidates = new[~same_id]
    combined = pd.concat([base, candidates], ignore_index=True).reindex(columns=columns, fill_value="")
    combined = combined.fillna("")
    existing_flags = [True] * len(base) + [False] * len(candidates)
    merged, kept, mapping, descriptions = _merge_records(combined, existing_flags, threshold)
    # Every existing record is the kept record of its group: groups never hold two of them and
    # the kept record is the group's first, and existing records come first.
    existing_rows = pd.Index(range(len(base)))
    base_out["organisations"] = merged.loc[existing_rows, list(base.columns)].reset_index(drop=True)
    # The import keeps, in its own order, the records the dataset has by id (for the table
    # merge) and the kept records of groups without an existing record (blanks filled).
    positions = np.flatnonzero(~same_id.to_numpy())
    in_combined = len(base) + np.arange(len(positions))
    is_kept = np.asarray(kept)[in_combined] == in_combined
    rows = new.copy()
    rows.iloc[positions[is_kept]] = merged.loc[in_combined[is_kept], list(new.columns)].to_numpy()
    stays = same_id.to_numpy().copy()
    stays[positions[is_kept]] = True
    new_out["organisations"] = rows[stays].reset_index(drop=True)
    if "participations" in imported:
        names = dict(zip(combined["organisation_id"], _text(combined, "name"), strict=True))
        new_out["participations"], notes = _merge_participations(imported["participations"], mapping, names)
        descriptions += notes
    instruments = imported.get("policy_instruments")
    if instruments is not None and not instruments.empty and "organisation_id" in instruments:
        instruments = _as_text(instruments.reset_index(drop=True))
        listed = instruments["organisation_id"]
        instruments["organisation_id"] = [mapping.get(i, i) for i in listed]
        new_out["policy_instruments"] = instruments
    return base_out, new_out, descriptions


# --- participations ---------------------------------------------------------------------------


def _merge_participations(
    participations: pd.DataFrame, mapping: dict[str, str], names: dict[str, str]
) -> tuple[pd.DataFrame, list[str]]:
    """Participations re-pointed to the kept records; rows repeating the whole key (project,
    organisation, role, role_stated) collapsed into the first, blanks filled from the others.
    Two roles of one body in one project are two rows and both are kept."""
    columns = list(participations.columns)
    parts = _as_text(participations.reset_index(drop=True))
    if parts.empty:
        return parts, []
    listed_as = parts["organisation_id"]
    if mapping:
        mapped = listed_as.map(mapping)
        parts["organisation_id"] = mapped.where(mapped.notna(), listed_as).astype(str)
    key_parts = [_text(parts, c) for c in PARTICIPATION_KEY]
    key = key_parts[0].str.cat(pd.concat(key_parts[1:], axis=1), sep="\x1f")
    notes: list[str] = []
    repeated = key.duplicated(keep=False)
    if repeated.any():
        dupes = parts[repeated]
        for group_key, rows in dupes.groupby(key[repeated], sort=False):
            project, org, role, stated = str(group_key).split("\x1f")
            what = f"role '{role or 'not stated'}'" + (f", stated '{stated}'" if stated else "")
            note = (f"'{names.get(org, org) or org}' ({org}) in project {project}: {len(rows)} "
                    f"participations with the same key (project, organisation, {what}) collapsed into one")
            for column in _PARTICIPATION_FACTS:
                if column in rows:
                    values = list(dict.fromkeys(v for v in rows[column] if v))
                    if len(values) > 1:
                        note += (f"; {column} differed: kept '{values[0]}' (also "
                                 + ", ".join(f"'{v}'" for v in values[1:]) + ")")
            notes.append(note)
        filled = _first_filled(dupes, key[repeated])
        firsts = ~key.duplicated(keep="first")
        # pandas-stubs accept neither a boolean Series with ':' nor a Series of labels in .loc.
        parts.loc[repeated & firsts, :] = filled.loc[key[repeated & firsts]].to_numpy()  # type: ignore[index]
        parts = parts[firsts]
    notes += _roles_kept(parts, listed_as.loc[parts.index], names)
    return parts[columns].reset_index(drop=True), notes


def _roles_kept(parts: pd.DataFrame, listed_as: pd.Series, names: dict[str, str]) -> list[str]:
    """One note per (project, organisation) that a merge left with several roles: the rows came
    from different records, and each role is kept."""
    pair = parts["project_id"] + "\x1f" + parts["organisation_id"]
    several = pair.duplicated(keep=False)
    if not several.any():
        return []
    frame = pd.DataFrame({"pair": pair[several], "was": listed_as[several],
                          "role": _text(parts, "role")[several],
                          "stated": _text(parts, "role_stated")[several]})
    notes = []
    for group_key, rows in frame.groupby("pair", sort=False):
        if rows["was"].nunique() < 2:
            continue
        project, org = str(group_key).split("\x1f")
        roles = list(dict.fromkeys(
            f"'{r or 'not stated'}'" + (f" (stated '{s}')" if s else "")
            for r, s in zip(rows["role"], rows["stated"], strict=True)))
        records = _listed(list(dict.fromkeys(rows["was"])))
        notes.append(f"'{names.get(org, org) or org}' ({org}) in project {project}: listed as "
                     f"{_listed(roles)} under the merged records {records}; each role kept")
    return notes
