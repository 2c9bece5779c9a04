"""Synthetic datasets in the normalized format (``data/FORMAT.md``), for benchmarks and scale tests.

    python -m tools.synth --projects 50000 --participations 1000000 --seed 1 --out DIR [--validate]

Everything is invented: names, numbers and dates. The one source row (kind ``import``, id
``synthetic-<seed>``) says so, and every row cites it with a short locator as its quote, so no quote
needs checking against a document. Generated folders are never committed; choose ``--out``.

What the data looks like, so views and benchmarks meet realistic shapes:

- countries of very different sizes (DE, FR, IT, ES, NL, BE, GB large; MT, IS, CY a handful), and a
  small share of organisations whose country is unknown (empty);
- organisations of Zipf-like size: a few take part in thousands of projects, most in one or two;
- 2 to 60 partners per project, most often around 5 to 15, exactly ``participations`` in all; one
  coordinator per project, the rest partners, a few associated partners and third parties;
- start dates from 1995 to 2025 within each programme's years, durations of 1 to 7 years, dates at
  day, month or year precision; a few per cent of projects without start and/or end, some with a
  stated duration only; budgets and EU contributions for most, empty (never 0) for the others;
- KETs and sectors from ``data/taxonomy`` in uneven proportions (some projects none, some
  ``unspecified``, some several), part of them ``inferred`` by a rule of
  ``data/taxonomy/tagging_rules.csv`` whose words appear in the project's summary;
- countries named without organisations for a few projects, and a few activities for some;
- NUTS codes for about half the organisations in NUTS countries: real NUTS 2021 level-3 codes of
  the organisation's country (not tied to its city); invented coordinates for most organisations
  of a known country (a city of the country, a few kilometres off), none for the others; so the
  regional map places some by code, some by coordinates and leaves some unplaced.

The same arguments give byte-identical files: one ``np.random.default_rng(seed)`` drives every
draw in a fixed order, and every step is a numpy or pandas operation over whole arrays (a million
participations take a few seconds).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.io import schema
from data.io.countries import eu_code
from data.io.geo import nuts_regions
from data.io.paths import TAXONOMY_DIR

MIN_PARTNERS = 2
MAX_PARTNERS = 60
PARTNER_SIGMA = 0.7
"""Spread of the log-normal partner count; its mode lands between 5 and 15 partners."""
ORG_POOL_PER_PARTICIPATION = 0.35
ORG_ZIPF_EXPONENT = 0.65
"""Organisation k (by size) is drawn with weight k^-0.65: with a million participations the largest
takes part in about 4,000 projects and most organisations in one or two."""

UNKNOWN_ORG_COUNTRY = 0.03
ASSOCIATED_SHARE = 0.03
THIRD_PARTY_SHARE = 0.01
INFERRED_SHARE = 0.3
PROJECT_COUNTRIES_SHARE = 0.03
ACTIVITIES_SHARE = 0.08


@dataclass(frozen=True)
class Country:
    """A country as drawn: its share of organisations, its companies' legal form, a few cities."""

    code: str
    weight: float
    legal_form: str
    cities: tuple[tuple[str, float, float], ...]
    nuts: bool = True


COUNTRIES: tuple[Country, ...] = (
    Country("DE", 15.0, "GmbH", (("Berlin", 52.52, 13.405), ("Munich", 48.137, 11.575),
                                 ("Stuttgart", 48.776, 9.183), ("Dresden", 51.05, 13.738),
                                 ("Aachen", 50.776, 6.084))),
    Country("FR", 11.0, "SAS", (("Paris", 48.857, 2.352), ("Lyon", 45.764, 4.836),
                                ("Grenoble", 45.188, 5.724), ("Toulouse", 43.605, 1.444))),
    Country("IT", 10.0, "Srl", (("Milan", 45.464, 9.19), ("Turin", 45.07, 7.687),
                                ("Rome", 41.903, 12.496), ("Bologna", 44.494, 11.343))),
    Country("ES", 10.0, "SL", (("Madrid", 40.417, -3.704), ("Barcelona", 41.385, 2.173),
                               ("Bilbao", 43.263, -2.935), ("Valencia", 39.47, -0.376))),
    Country("NL", 6.5, "BV", (("Eindhoven", 51.441, 5.47), ("Delft", 52.012, 4.357),
                              ("Amsterdam", 52.37, 4.895))),
    Country("GB", 6.0, "Ltd", (("London", 51.507, -0.128), ("Cambridge", 52.205, 0.119),
                               ("Manchester", 53.48, -2.242))),
    Country("BE", 5.5, "NV", (("Brussels", 50.85, 4.352), ("Leuven", 50.88, 4.7),
                              ("Ghent", 51.054, 3.717))),
    Country("AT", 3.0, "GmbH", (("Vienna", 48.208, 16.373), ("Graz", 47.07, 15.44),
                                ("Linz", 48.306, 14.286))),
    Country("SE", 3.0, "AB", (("Stockholm", 59.329, 18.069), ("Gothenburg", 57.709, 11.975),
                              ("Lund", 55.705, 13.191))),
    Country("PT", 3.0, "Lda", (("Lisbon", 38.722, -9.139), ("Porto", 41.158, -8.629),
                               ("Braga", 41.545, -8.427))),
    Country("GR", 3.0, "AE", (("Athens", 37.984, 23.728), ("Thessaloniki", 40.64, 22.944))),
    Country("PL", 2.3, "sp. z o.o.", (("Warsaw", 52.23, 21.012), ("Kraków", 50.065, 19.945),
                                      ("Wrocław", 51.108, 17.039))),
    Country("DK", 2.2, "ApS", (("Copenhagen", 55.676, 12.568), ("Aarhus", 56.163, 10.204))),
    Country("FI", 2.2, "Oy", (("Helsinki", 60.17, 24.938), ("Tampere", 61.498, 23.761),
                              ("Oulu", 65.012, 25.465))),
    Country("CH", 1.8, "AG", (("Zürich", 47.377, 8.541), ("Lausanne", 46.52, 6.633))),
    Country("IE", 1.6, "Ltd", (("Dublin", 53.35, -6.26), ("Cork", 51.899, -8.476))),
    Country("NO", 1.4, "AS", (("Oslo", 59.914, 10.752), ("Trondheim", 63.43, 10.395))),
    Country("CZ", 1.3, "s.r.o.", (("Prague", 50.075, 14.438), ("Brno", 49.195, 16.607))),
    Country("HU", 0.9, "Kft.", (("Budapest", 47.498, 19.04),)),
    Country("RO", 0.8, "SRL", (("Bucharest", 44.426, 26.102), ("Cluj-Napoca", 46.771, 23.624))),
    Country("SI", 0.8, "d.o.o.", (("Ljubljana", 46.057, 14.506),)),
    Country("TR", 0.7, "A.Ş.", (("Istanbul", 41.008, 28.978), ("Ankara", 39.934, 32.86)), nuts=False),
    Country("SK", 0.5, "s.r.o.", (("Bratislava", 48.149, 17.107),)),
    Country("BG", 0.5, "EOOD", (("Sofia", 42.698, 23.322),)),
    Country("IL", 0.5, "Ltd", (("Tel Aviv", 32.085, 34.782),), nuts=False),
    Country("HR", 0.45, "d.o.o.", (("Zagreb", 45.815, 15.982),)),
    Country("LT", 0.4, "UAB", (("Vilnius", 54.687, 25.28), ("Kaunas", 54.899, 23.904))),
    Country("EE", 0.4, "OÜ", (("Tallinn", 59.437, 24.754),)),
    Country("LV", 0.3, "SIA", (("Riga", 56.949, 24.105),)),
    Country("CY", 0.3, "Ltd", (("Nicosia", 35.186, 33.382),)),
    Country("LU", 0.3, "Sàrl", (("Luxembourg", 49.612, 6.13),)),
    Country("RS", 0.25, "d.o.o.", (("Belgrade", 44.787, 20.449),), nuts=False),
    Country("MT", 0.15, "Ltd", (("Valletta", 35.899, 14.514),)),
    Country("UA", 0.15, "TOV", (("Kyiv", 50.45, 30.523),), nuts=False),
    Country("US", 0.15, "Inc.", (("Boston", 42.36, -71.059),), nuts=False),
    Country("IS", 0.12, "ehf.", (("Reykjavík", 64.147, -21.942),)),
)
COUNTRY_CODES = np.array([c.code for c in COUNTRIES], dtype=object)
COUNTRY_WEIGHTS = np.array([c.weight for c in COUNTRIES])


@dataclass(frozen=True)
class Programme:
    """A funding programme: its years, its share of projects and the size of its grants."""

    programme_id: str
    name: str
    first_year: int
    last_year: int
    weight: float
    budget_median: float
    eu_share: tuple[float, float]
    topic: str = ""
    cordis: bool = False


PROGRAMMES: tuple[Programme, ...] = (
    Programme("fp4", "Fourth Framework Programme (FP4)", 1995, 1998, 3, 1.2e6, (0.5, 0.6),
              "BRITE-EURAM", True),
    Programme("fp5", "Fifth Framework Programme (FP5)", 1999, 2002, 5, 1.8e6, (0.5, 0.65),
              "GROWTH", True),
    Programme("fp6", "Sixth Framework Programme (FP6)", 2003, 2006, 7, 2.5e6, (0.55, 0.7),
              "FP6-NMP", True),
    Programme("fp7", "Seventh Framework Programme (FP7)", 2007, 2013, 16, 3.0e6, (0.6, 0.8),
              "FP7-NMP", True),
    Programme("horizon-2020", "Horizon 2020", 2014, 2020, 22, 2.5e6, (0.7, 1.0), "H2020-INNOSUP", True),
    Programme("horizon-europe", "Horizon Europe", 2021, 2025, 14, 4.0e6, (0.7, 1.0), "HORIZON-CL4", True),
    Programme("cip", "Competitiveness and Innovation Framework Programme (CIP)", 2007, 2013, 3, 1.0e6,
              (0.5, 0.75), "CIP-EIP"),
    Programme("cosme", "COSME", 2014, 2021, 4, 0.8e6, (0.75, 0.9), "COS-CLUSTER"),
    Programme("interreg-ivc", "INTERREG IVC", 2008, 2013, 3, 1.5e6, (0.75, 0.85)),
    Programme("interreg-europe", "Interreg Europe", 2014, 2025, 4, 1.8e6, (0.8, 0.85)),
    Programme("life", "LIFE Programme", 1995, 2025, 4, 1.5e6, (0.5, 0.6)),
    Programme("erasmus-plus", "Erasmus+", 2014, 2025, 5, 0.4e6, (0.8, 1.0)),
)
NO_PROGRAMME = Programme("", "", 1995, 2025, 3, 1.0e6, (0.5, 1.0))
"""A few projects whose programme the sources do not state."""
ALL_PROGRAMMES = (*PROGRAMMES, NO_PROGRAMME)
"""The programmes a project is drawn from."""

DURATIONS = np.array([12, 18, 24, 30, 36, 42, 48, 54, 60, 72, 84])
DURATION_WEIGHTS = np.array([4, 4, 14, 10, 22, 8, 16, 3, 9, 2, 1], dtype=float)

KET_WEIGHTS = {
    "advanced-manufacturing": 25, "advanced-materials": 22, "micro-nano-electronics": 16,
    "photonics": 13, "nanotechnology": 12, "industrial-biotechnology": 12,
}
SECTOR_WEIGHTS = {
    "digital": 16, "health": 14, "mobility-transport-automotive": 12, "agri-food": 10,
    "renewable-energy": 9, "energy-intensive": 7, "electronics": 7, "aerospace-defence": 6,
    "construction": 5, "textile": 4, "cultural-creative": 3, "proximity-social-economy": 3,
    "tourism": 2, "retail": 2,
}

ORG_TYPES = np.array(schema.ORG_TYPES)
ORG_TYPE_WEIGHTS = {  # share among ordinary organisations, and among the 0.2 % largest
    "cluster-organisation": (12, 2), "research-organisation": (15, 40), "university": (18, 45),
    "public-agency": (4, 3), "public-authority": (6, 2), "business-association": (5, 1),
    "eu-institution": (0.2, 1), "company": (35.8, 6), "other": (4, 0),
}
ORG_TYPE_NAMES = tuple(ORG_TYPE_WEIGHTS)
ORG_TYPE_WORDS = {
    "cluster-organisation": ("Cluster", "Valley", "Network", "Alliance"),
    "research-organisation": ("Institute", "Research Centre", "Laboratory", "Technology Centre"),
    "university": ("University", "University of Technology", "Polytechnic", "College"),
    "public-agency": ("Development Agency", "Innovation Agency", "Agency"),
    "public-authority": ("Regional Council", "City Council", "Regional Government", "Ministry"),
    "business-association": ("Association", "Chamber of Commerce", "Federation"),
    "eu-institution": ("Joint Undertaking", "Executive Agency", "Observatory"),
    "company": ("Systems", "Technologies", "Solutions", "Industries", "Labs", "Engineering"),
    "other": ("Foundation", "Initiative", "Platform"),
}
ORG_STEMS = (
    "Nordic", "Baltic", "Alpine", "Atlantic", "Danube", "Rhine", "Iberian", "Adriatic", "Carpathian",
    "Central", "Northern", "Southern", "Western", "Eastern", "Metropolitan", "Regional", "National",
    "Technical", "Applied", "Advanced", "Smart", "Green", "Digital", "Open", "United", "Royal",
    "Federal", "Coastal", "Highland", "Lowland", "Euro", "Inter", "Trans", "Meridian", "Aurora",
    "Helix", "Vector", "Quantum", "Orbit", "Delta",
)
ORG_FIELDS = (
    "Photonics", "Materials", "Nanotech", "Biotech", "Electronics", "Manufacturing", "Innovation",
    "Mobility", "Energy", "Textile", "Aerospace", "Health", "Food", "Chemistry", "Robotics",
    "Software", "Design", "Water", "Logistics", "Plastics", "Automotive", "Microsystems", "Laser",
    "Sensor", "Composites", "Bioeconomy", "Packaging", "Metals", "Ceramics", "Optics", "Mechatronics",
    "Printing", "Medtech", "Maritime", "Forestry", "Cleantech",
)
ACRONYM_HEADS = (
    "NANO", "CLUSTER", "KET", "PHOTON", "BIO", "SMART", "GREEN", "INNO", "DIGI", "MAT", "FAB", "EURO",
    "TEX", "AGRI", "AERO", "MED", "ENER", "MOBI", "LUX", "CHEM", "ROBO", "SENS", "CIRC", "HYDRO",
    "BLUE", "META", "OPTI", "ADD", "SOLAR", "FOOD",
)
ACRONYM_TAILS = (
    "NET", "LINK", "BOOST", "HUB", "GO", "UP", "ROAD", "BRIDGE", "MAP", "4EU", "PLUS", "FY", "TECH",
    "X", "STAR", "SCALE", "LAB", "PATH", "WAY", "MATCH", "VALUE", "2MARKET", "CHAIN", "SPRINT",
)
TITLE_VERBS = (
    "Boosting", "Accelerating", "Connecting", "Scaling up", "Bridging", "Mapping", "Fostering",
    "Strengthening", "Opening up", "Linking",
)
TITLE_OBJECTS = (
    "the uptake of key enabling technologies", "cluster cooperation", "advanced manufacturing",
    "photonics innovation", "smart specialisation strategies", "SME internationalisation",
    "cross-sectoral value chains", "industrial biotechnology", "nanotechnology transfer",
    "advanced materials", "micro- and nanoelectronics", "digital transformation",
)
TITLE_PURPOSES = (
    "across European regions", "in the textile value chain", "for health and well-being",
    "for a circular economy", "in the agri-food sector", "for low-carbon mobility",
    "in emerging industries", "for resilient supply chains", "through cluster partnerships",
    "in regional innovation ecosystems",
)
ACTIVITY_KINDS = np.array(schema.ACTIVITY_KINDS)
ACTIVITY_KIND_WEIGHTS = np.array([18, 25, 8, 10, 15, 4, 12, 8], dtype=float)
ACTIVITY_TOPICS = (
    "matchmaking for SMEs", "technology scouting", "joint roadmap", "cross-cluster visits",
    "open call for innovation vouchers", "training academy", "market study", "pilot line access",
    "policy workshop", "investor day",
)


def _pick(rng: np.random.Generator, size: int, weights: np.ndarray) -> np.ndarray:
    """``size`` indices drawn with the (unnormalised) ``weights``."""
    cdf = np.cumsum(weights, dtype=float)
    picked: np.ndarray = np.minimum(np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right"),
                                    len(cdf) - 1)
    return picked


def _strings(values: np.ndarray | pd.Series) -> pd.Series:
    """Integers (or any values) as a Series of str, index 0..n-1."""
    return pd.Series(np.asarray(values)).astype(str)


def _fixed(values: np.ndarray, decimals: int) -> pd.Series:
    """Non-negative or negative numbers in plain decimal notation (never ``1e-05``): '-0.1280'."""
    scale = 10**decimals
    scaled = np.rint(np.abs(values) * scale).astype(np.int64)
    sign = np.where(values < 0, "-", "")
    whole: pd.Series = sign + _strings(scaled // scale)
    if decimals == 0:
        return whole
    frac = _strings(scaled % scale).str.zfill(decimals)
    return whole + "." + frac


def _money(amounts: np.ndarray, known: np.ndarray, cents: np.ndarray) -> pd.Series:
    """Amounts in euro, whole or to the cent; '' where not known (never 0)."""
    amounts = np.maximum(amounts, 1.0)
    whole = _fixed(np.floor(amounts), 0)
    exact = _fixed(amounts, 2)
    text = whole.where(~cents, exact)
    return text.where(known, "")


def _partner_counts(rng: np.random.Generator, projects: int, participations: int) -> np.ndarray:
    """Partners per project: log-normal, 2..60, summing to ``participations`` exactly."""
    z = rng.standard_normal(projects)
    spread = np.exp(PARTNER_SIGMA * z)

    def counts(median: float) -> np.ndarray:
        return np.clip(np.rint(median * spread), MIN_PARTNERS, MAX_PARTNERS).astype(np.int64)

    low, high = 0.1, 10_000.0
    for _ in range(60):
        middle = (low + high) / 2
        if counts(middle).sum() < participations:
            low = middle
        else:
            high = middle
    sizes = counts(high)
    delta = participations - int(sizes.sum())
    if delta:
        # The last projects take the difference, each staying within 2..60.
        room = (MAX_PARTNERS - sizes) if delta > 0 else (sizes - MIN_PARTNERS)
        backwards = room[::-1]
        before = np.cumsum(backwards) - backwards
        take = np.clip(abs(delta) - before, 0, backwards)
        sizes[::-1] += np.sign(delta) * take
    return sizes


def _org_draws(
    rng: np.random.Generator, project_of: np.ndarray, projects: int
) -> np.ndarray:
    """An organisation (index into a Zipf-weighted pool) per participation, none twice in a project."""
    total = len(project_of)
    pool = max(int(total * ORG_POOL_PER_PARTICIPATION), 4 * MAX_PARTNERS)
    weights = np.arange(1, pool + 1, dtype=float) ** -ORG_ZIPF_EXPONENT
    weights /= weights.sum()
    # No organisation can be expected in more than half the projects (it can be in each only once).
    cap = 0.5 * projects / total
    for _ in range(3):
        weights = np.minimum(weights, cap)
        weights /= weights.sum()
    org = _pick(rng, total, weights)
    while True:
        key = project_of * pool + org
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        repeated = order[1:][ordered[1:] == ordered[:-1]]
        if not len(repeated):
            return org
        org[repeated] = rng.integers(0, pool, len(repeated))


def _date_text(months: np.ndarray, days: np.ndarray, precision: np.ndarray) -> pd.Series:
    """ISO dates from month numbers since 1970-01 and day offsets, at 'D', 'M' or 'Y' precision."""
    day = months.astype("datetime64[M]").astype("datetime64[D]") + days.astype("timedelta64[D]")
    text = pd.Series(np.datetime_as_string(day, unit="D")).astype(object)
    text = text.where(precision != "M", text.str.slice(0, 7))
    return text.where(precision != "Y", text.str.slice(0, 4))


def _taxonomy() -> tuple[list[str], list[str], pd.DataFrame]:
    """KET slugs, sector slugs and the keyword rules, from ``data/taxonomy``."""
    kets = pd.read_csv(TAXONOMY_DIR / "kets.csv", dtype=str, keep_default_na=False)["ket_id"].tolist()
    sectors = pd.read_csv(TAXONOMY_DIR / "sectors.csv", dtype=str,
                          keep_default_na=False)["sector_id"].tolist()
    rules_path = TAXONOMY_DIR / "tagging_rules.csv"
    if rules_path.exists():
        rules = pd.read_csv(rules_path, dtype=str, keep_default_na=False)
        rules = rules[rules["match"] == "keyword"][["rule_id", "target", "value", "pattern"]]
    else:
        rules = pd.DataFrame(columns=["rule_id", "target", "value", "pattern"])
    return kets, sectors, rules.reset_index(drop=True)


def _tags(
    rng: np.random.Generator,
    projects: int,
    slugs: list[str],
    weights: Mapping[str, float],
    rules: pd.DataFrame,
    none_share: float,
    unspecified_share: float,
) -> pd.DataFrame:
    """Tag rows (pos, value, origin, rule, words): some projects none, some 'unspecified', some
    several; a share inferred by a keyword rule of that value (its pattern is the quoted words)."""
    rest = 1.0 - none_share - unspecified_share
    # 0: no tag, 1: 'unspecified' only, 2..4: one to three named values.
    choice = _pick(rng, projects, np.array([none_share, unspecified_share, 0.55 * rest, 0.28 * rest,
                                            0.17 * rest]))
    count = np.where(choice >= 2, choice - 1, 0)
    tagged = np.repeat(np.arange(projects), count)
    named = [s for s in slugs if s in weights]
    value = _pick(rng, len(tagged), np.array([weights[s] for s in named], dtype=float))
    inferred_draw = rng.random(len(tagged)) < INFERRED_SHARE
    rule_draw = rng.random(len(tagged))
    key = np.unique(tagged * (len(named) + 1) + value, return_index=True)[1]
    pos, value = tagged[key], value[key]
    inferred_draw, rule_draw = inferred_draw[key], rule_draw[key]

    # A rule of the tag's own value, chosen by rule_draw; values without a keyword rule stay curated.
    rule_ids = np.array([""], dtype=object)
    patterns = np.array([""], dtype=object)
    offsets = np.zeros(len(named), dtype=np.int64)
    counts = np.zeros(len(named), dtype=np.int64)
    for i, slug in enumerate(named):
        mine = rules[rules["value"] == slug]
        offsets[i], counts[i] = len(rule_ids), len(mine)
        rule_ids = np.concatenate([rule_ids, mine["rule_id"].to_numpy(dtype=object)])
        patterns = np.concatenate([patterns, mine["pattern"].to_numpy(dtype=object)])
    inferred = inferred_draw & (counts[value] > 0)
    which = offsets[value] + (rule_draw * np.maximum(counts[value], 1)).astype(np.int64)
    which = np.where(inferred, which, 0)
    frame = pd.DataFrame({
        "pos": pos,
        "value": np.array(named, dtype=object)[value],
        "origin": np.where(inferred, "inferred", "curated"),
        "rule": rule_ids[which],
        "words": patterns[which],
    })
    unspecified = np.flatnonzero(choice == 1)
    if len(unspecified) and "unspecified" in slugs:
        extra = pd.DataFrame({"pos": unspecified, "value": "unspecified", "origin": "curated",
                              "rule": "", "words": ""})
        frame = pd.concat([frame, extra], ignore_index=True).sort_values("pos", kind="stable")
    return frame.reset_index(drop=True)


@dataclass(frozen=True)
class _Dates:
    """Each project's dates as drawn (arrays over project positions) and as the sources state them."""

    year: np.ndarray
    start_month: np.ndarray
    """Months since 1970-01."""
    duration: np.ndarray
    precision: np.ndarray
    """'D', 'M' or 'Y'."""
    known: np.ndarray
    """Which dates the sources give: 0 both, 1 start and duration, 2 duration only, 3 end only, 4 none."""
    start_text: pd.Series
    end_text: pd.Series
    duration_text: pd.Series
    end_year: np.ndarray


@dataclass(frozen=True)
class _Money:
    """Each project's budget and EU contribution, and which of them the sources state."""

    budget: np.ndarray
    eu: np.ndarray
    budget_known: np.ndarray
    eu_known: np.ndarray
    cents: np.ndarray
    """Amounts stated to the cent rather than whole euros."""


@dataclass(frozen=True)
class _Projects:
    """Everything drawn per project, before the tags."""

    sizes: np.ndarray
    """Partners per project."""
    prog: np.ndarray
    """Index into ``ALL_PROGRAMMES``."""
    dates: _Dates
    money: _Money
    acronym: pd.Series
    project_id: pd.Series
    title: pd.Series
    kind: np.ndarray


@dataclass(frozen=True)
class _Participations:
    """Each participation as drawn (arrays over participations, grouped by project)."""

    project_of: np.ndarray
    role: np.ndarray
    share: np.ndarray
    """Its share of the project's EU contribution."""
    contribution_known: np.ndarray
    work_packages: np.ndarray
    used: np.ndarray
    """The organisations of the pool that take part, by pool index."""
    org_of: np.ndarray
    """Index into ``used`` per participation."""


@dataclass(frozen=True)
class _Places:
    """Where each organisation is (arrays over organisations)."""

    country_index: np.ndarray
    """Index into ``COUNTRIES``."""
    country_known: np.ndarray
    country: np.ndarray
    city: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    has_geo: np.ndarray
    nuts: pd.Series
    has_nuts: np.ndarray


@dataclass(frozen=True)
class _OrgNames:
    """Each organisation's name, id and (for some) short name."""

    name: pd.Series
    organisation_id: pd.Series
    short_name: pd.Series


def _check_sizes(projects: int, participations: int) -> None:
    """Refuse sizes the generator cannot meet (2 to 60 partners per project)."""
    if projects < 1:
        raise ValueError("projects must be at least 1")
    if not MIN_PARTNERS * projects <= participations <= MAX_PARTNERS * projects:
        raise ValueError(f"participations must be between {MIN_PARTNERS} and {MAX_PARTNERS} per "
                         f"project ({MIN_PARTNERS * projects}..{MAX_PARTNERS * projects})")


def _draw_dates(rng: np.random.Generator, first: np.ndarray, last: np.ndarray) -> _Dates:
    """Start, end and duration per project, within its programme's years ``first``..``last``."""
    n = len(first)
    year = first + (rng.random(n) * (last - first + 1)).astype(np.int64)
    month = rng.integers(0, 12, n)
    day = np.where(rng.random(n) < 0.6, 0, rng.integers(0, 28, n))
    start_month = (year - 1970) * 12 + month
    duration = DURATIONS[_pick(rng, n, DURATION_WEIGHTS)]
    precision = np.array(["D", "M", "Y"])[_pick(rng, n, np.array([85.0, 10.0, 5.0]))]
    end_month = np.where(precision == "D", start_month + duration, start_month + duration - 1)
    end_month = np.where(precision == "Y", start_month + 12 * ((duration + 11) // 12 - 1), end_month)
    end_day = np.where(precision == "D", day - 1, 0)
    start_text = _date_text(start_month, day, precision)
    end_text = _date_text(end_month, end_day, precision)
    # Knowledge of dates: both (duration stated for some), start and duration, duration only,
    # end only, nothing.
    known = _pick(rng, n, np.array([93.0, 2.0, 1.5, 1.0, 2.5]))
    states_duration = (known == 1) | (known == 2) | ((known == 0) & (rng.random(n) < 0.25))
    return _Dates(
        year=year,
        start_month=start_month,
        duration=duration,
        precision=precision,
        known=known,
        start_text=start_text.where(known <= 1, ""),
        end_text=end_text.where((known == 0) | (known == 3), ""),
        duration_text=_strings(duration).where(states_duration, ""),
        end_year=(end_month - 1) // 12 + 1970,
    )


def _draw_money(rng: np.random.Generator, prog: np.ndarray, sizes: np.ndarray) -> _Money:
    """Budget and EU contribution per project, scaled by its programme and its partner count."""
    n = len(prog)
    budget_median = np.array([p.budget_median for p in ALL_PROGRAMMES])[prog]
    budget = budget_median * (sizes / 10) ** 0.6 * np.exp(0.6 * rng.standard_normal(n))
    share_low = np.array([p.eu_share[0] for p in ALL_PROGRAMMES])[prog]
    share_high = np.array([p.eu_share[1] for p in ALL_PROGRAMMES])[prog]
    eu = budget * (share_low + rng.random(n) * (share_high - share_low))
    budget_known = rng.random(n) < 0.9
    eu_known = np.where(budget_known, rng.random(n) < 0.96, rng.random(n) < 0.5)
    cents = rng.random(n) < 0.4
    return _Money(budget=budget, eu=eu, budget_known=budget_known, eu_known=eu_known, cents=cents)


def _choose(rng: np.random.Generator, words: tuple[str, ...], n: int) -> np.ndarray:
    """``n`` words drawn uniformly, as an object array."""
    return np.array(words, dtype=object)[rng.integers(0, len(words), n)]


def _draw_projects(rng: np.random.Generator, n: int, participations: int) -> _Projects:
    """Partner counts, programme, dates, money, names and kind of ``n`` projects."""
    sizes = _partner_counts(rng, n, participations)
    prog = _pick(rng, n, np.array([p.weight for p in ALL_PROGRAMMES]))
    dates = _draw_dates(rng, np.array([p.first_year for p in ALL_PROGRAMMES])[prog],
                        np.array([p.last_year for p in ALL_PROGRAMMES])[prog])
    money = _draw_money(rng, prog, sizes)
    acronym = pd.Series(_choose(rng, ACRONYM_HEADS, n) + _choose(rng, ACRONYM_TAILS, n))
    title = (pd.Series(_choose(rng, TITLE_VERBS, n)) + " " + _choose(rng, TITLE_OBJECTS, n)
             + " " + _choose(rng, TITLE_PURPOSES, n))
    kind = np.array(schema.PROJECT_KINDS)[_pick(rng, n, np.array([96.0, 2.0, 1.0, 1.0]))]
    return _Projects(sizes=sizes, prog=prog, dates=dates, money=money, acronym=acronym,
                     project_id=acronym.str.lower() + "-" + _strings(np.arange(1, n + 1)), title=title,
                     kind=kind)


def _project_frame(
    drawn: _Projects, ket_tags: pd.DataFrame, sector_tags: pd.DataFrame, source: str
) -> pd.DataFrame:
    """The projects table. The words that inferred a tag stand in the project's summary, as the
    tagging rules find them."""
    n = len(drawn.sizes)
    dates, money = drawn.dates, drawn.money
    cordis = np.array([p.cordis for p in ALL_PROGRAMMES])[drawn.prog]
    topic = pd.Series(np.array([p.topic for p in ALL_PROGRAMMES], dtype=object)[drawn.prog])
    status = np.where(dates.end_year < 2025, "CLOSED", "SIGNED")
    status = np.where(cordis & (dates.known == 0), status, "")
    tags = pd.concat([ket_tags, sector_tags])
    words = tags[tags["origin"] == "inferred"].groupby("pos")["words"].agg("; ".join)
    keywords = pd.Series(words.reindex(np.arange(n)).to_numpy(dtype=object)).fillna("")
    summary = (drawn.title + ". A synthetic consortium of " + _strings(drawn.sizes) + " partners."
               + (" Keywords: " + keywords + ".").where(keywords != "", ""))
    return pd.DataFrame({
        "project_id": drawn.project_id,
        "acronym": drawn.acronym,
        "title": drawn.title,
        "kind": drawn.kind,
        "programme_id": np.array([p.programme_id for p in ALL_PROGRAMMES], dtype=object)[drawn.prog],
        "start_date": dates.start_text,
        "end_date": dates.end_text,
        "duration_months": dates.duration_text,
        "budget_eur": _money(money.budget, money.budget_known, money.cents),
        "eu_contribution_eur": _money(money.eu, money.eu_known, money.cents),
        "summary": summary,
        "external_id": _strings(1_000_000 + np.arange(n)).where(cordis, ""),
        "topics": (topic + "-" + _strings(dates.year)).where(topic != "", ""),
        "status": status,
        "source": source,
        "quote": "project " + _strings(np.arange(1, n + 1)),
    })


def _draw_participations(
    rng: np.random.Generator, sizes: np.ndarray, eu_known: np.ndarray, participations: int
) -> _Participations:
    """Role, share of the EU contribution, work packages and organisation of each participation."""
    n = len(sizes)
    project_of = np.repeat(np.arange(n), sizes)
    offsets = np.cumsum(sizes) - sizes
    position = np.arange(participations) - np.repeat(offsets, sizes)
    role_draw = rng.random(participations)
    role = np.where(role_draw < ASSOCIATED_SHARE, "associated-partner",
                    np.where(role_draw < ASSOCIATED_SHARE + THIRD_PARTY_SHARE, "third-party", "partner"))
    role = np.where(position == 0, "coordinator", role)
    funded = (role == "coordinator") | (role == "partner")
    weight = (rng.gamma(2.0, 1.0, participations) + 0.2) * np.where(position == 0, 2.0, 1.0) * funded
    share = weight / np.bincount(project_of, weights=weight, minlength=n)[project_of]
    contribution_known = funded & eu_known[project_of] & (rng.random(participations) < 0.95)
    wp_flag = (rng.random(n) < 0.3)[project_of] & (position < 7)
    work_packages = np.array(["WP1", "WP2", "WP3", "WP4", "WP5", "WP6", "WP7", ""], dtype=object)[
        np.where(wp_flag, position, 7)]
    pool_index = _org_draws(rng, project_of, n)
    used, org_of = np.unique(pool_index, return_inverse=True)
    return _Participations(project_of=project_of, role=role, share=share,
                           contribution_known=contribution_known, work_packages=work_packages,
                           used=used, org_of=org_of)


def _draw_org_types(rng: np.random.Generator, used: np.ndarray) -> np.ndarray:
    """Index into ``ORG_TYPE_NAMES`` per organisation; the largest (lowest pool index) mostly
    universities and research organisations."""
    m = len(used)
    large = used < max(1, int(0.002 * (used.max() + 1)))
    return np.where(
        large,
        _pick(rng, m, np.array([ORG_TYPE_WEIGHTS[t][1] for t in ORG_TYPE_NAMES], dtype=float)),
        _pick(rng, m, np.array([ORG_TYPE_WEIGHTS[t][0] for t in ORG_TYPE_NAMES], dtype=float)),
    )


def _nuts3_of_country() -> dict[str, list[str]]:
    """The NUTS 2021 level-3 codes of each NUTS country prefix (DE -> DE111, ..., DEG0P)."""
    codes: dict[str, list[str]] = {}
    for code, region in nuts_regions("2021").items():
        if region.level == 3 and not code.endswith("ZZZ"):
            codes.setdefault(code[:2], []).append(code)
    return codes


def _nuts_codes(prefix: np.ndarray, first: np.ndarray, second: np.ndarray) -> pd.Series:
    """A plausible NUTS code per organisation: a real NUTS 2021 level-3 code of its country,
    picked by the two digits drawn (1-9 each, 81 spots spread over the country's list), so the
    generator's random stream is the same as before codes were real. Not tied to the city."""
    by_country = _nuts3_of_country()
    spot = (first - 1) * 9 + (second - 1)
    out = []
    for p, s in zip(prefix, spot, strict=True):
        codes = by_country.get(str(p), [])
        out.append(codes[int(s) * len(codes) // 81] if codes else "")
    return pd.Series(out, dtype=object)


def _draw_places(rng: np.random.Generator, m: int) -> _Places:
    """Country, city, coordinates and NUTS code of ``m`` organisations, each known for some."""
    country_index = _pick(rng, m, COUNTRY_WEIGHTS)
    country_known = rng.random(m) >= UNKNOWN_ORG_COUNTRY
    city_count = np.array([len(c.cities) for c in COUNTRIES])
    city_offset = np.cumsum(city_count) - city_count
    cities = [city for c in COUNTRIES for city in c.cities]
    city_index = city_offset[country_index] + (rng.random(m) * city_count[country_index]).astype(np.int64)
    has_city = country_known & (rng.random(m) < 0.7)
    # Most organisations of a known country are placed (the organisation map draws them), near
    # one of its cities, whether or not the city is stated; the rest have no coordinates.
    has_geo = country_known & (rng.random(m) < 0.8)
    latitude = np.array([c[1] for c in cities])[city_index] + 0.05 * rng.standard_normal(m)
    longitude = np.array([c[2] for c in cities])[city_index] + 0.05 * rng.standard_normal(m)
    # NUTS codes keep the EU's prefixes, as CORDIS writes them.
    nuts_prefix = np.array([eu_code(c.code) if c.nuts else "" for c in COUNTRIES],
                           dtype=object)[country_index]
    has_nuts = country_known & (nuts_prefix != "") & (rng.random(m) < 0.5)
    nuts = _nuts_codes(nuts_prefix, rng.integers(1, 10, m), rng.integers(1, 10, m))
    return _Places(
        country_index=country_index,
        country_known=country_known,
        country=np.where(country_known, COUNTRY_CODES[country_index], ""),
        city=np.where(has_city, np.array([c[0] for c in cities], dtype=object)[city_index], ""),
        latitude=latitude,
        longitude=longitude,
        has_geo=has_geo,
        nuts=nuts,
        has_nuts=has_nuts,
    )


def _draw_org_names(rng: np.random.Generator, org_type: np.ndarray, country_index: np.ndarray) -> _OrgNames:
    """'Stem Field Kind' names (a company's with its country's legal form), slug ids and short
    names for some."""
    m = len(org_type)
    stem_i = rng.integers(0, len(ORG_STEMS), m)
    field_i = rng.integers(0, len(ORG_FIELDS), m)
    word_draw = rng.random(m)
    type_words = [ORG_TYPE_WORDS[t] for t in ORG_TYPE_NAMES]
    word_count = np.array([len(w) for w in type_words])
    word_offset = np.cumsum(word_count) - word_count
    word_i = word_offset[org_type] + (word_draw * word_count[org_type]).astype(np.int64)
    flat_words = np.array([w for words_ in type_words for w in words_], dtype=object)
    stems = np.array(ORG_STEMS, dtype=object)[stem_i]
    fields = np.array(ORG_FIELDS, dtype=object)[field_i]
    kind_words = flat_words[word_i]
    legal = np.array([c.legal_form for c in COUNTRIES], dtype=object)[country_index]
    is_company = np.array(ORG_TYPE_NAMES, dtype=object)[org_type] == "company"
    name = pd.Series(stems + " " + fields + " " + kind_words)
    name = name.where(~is_company, name + " " + legal)
    slug_words = pd.Series(stems + " " + fields + " " + kind_words).str.lower().str.replace(" ", "-")
    short_name = pd.Series(
        np.array([s[0] for s in ORG_STEMS], dtype=object)[stem_i]
        + np.array([f[0] for f in ORG_FIELDS], dtype=object)[field_i]
        + pd.Series(kind_words).str.slice(0, 1).to_numpy(dtype=object)
    ).where(rng.random(m) < 0.4, "")
    return _OrgNames(name=name, organisation_id=slug_words + "-" + _strings(np.arange(1, m + 1)),
                     short_name=short_name)


def _organisation_frame(rng: np.random.Generator, used: np.ndarray, source: str) -> pd.DataFrame:
    """The organisations table: one row per organisation of the pool that takes part."""
    m = len(used)
    org_type = _draw_org_types(rng, used)
    place = _draw_places(rng, m)
    names = _draw_org_names(rng, org_type, place.country_index)
    cluster_flag = np.where(np.array(ORG_TYPE_NAMES)[org_type] == "cluster-organisation", "true",
                            np.where(rng.random(m) < 0.2, "false", ""))
    org_quote = "organisation " + _strings(np.arange(1, m + 1))
    return pd.DataFrame({
        "organisation_id": names.organisation_id,
        "name": names.name,
        "short_name": names.short_name,
        "country": place.country,
        "country_source": np.where(place.country_known, source, ""),
        "country_quote": (org_quote + ": country").where(place.country_known, ""),
        "city": place.city,
        "type": np.array(ORG_TYPE_NAMES, dtype=object)[org_type],
        "is_cluster_organisation": cluster_flag,
        "external_id": _strings(900_000_000 + np.arange(m) * 7).where(rng.random(m) < 0.7, ""),
        "nuts_code": place.nuts.where(place.has_nuts, ""),
        "latitude": _fixed(place.latitude, 4).where(place.has_geo, ""),
        "longitude": _fixed(place.longitude, 4).where(place.has_geo, ""),
        "source": source,
        "quote": org_quote,
    })


def _participation_frame(
    parts: _Participations, drawn: _Projects, organisation_id: pd.Series, source: str
) -> pd.DataFrame:
    """The participations table, in project order."""
    project_of = parts.project_of
    contribution = drawn.money.eu[project_of] * parts.share
    return pd.DataFrame({
        "project_id": drawn.project_id.to_numpy(dtype=object)[project_of],
        "organisation_id": organisation_id.to_numpy(dtype=object)[parts.org_of],
        "role": parts.role,
        "work_packages_led": parts.work_packages,
        "ec_contribution_eur": _money(contribution, parts.contribution_known, drawn.money.cents[project_of]),
        "source": source,
        "quote": "participation " + _strings(np.arange(1, len(project_of) + 1)),
    })


def _project_countries_frame(rng: np.random.Generator, project_id: pd.Series, source: str) -> pd.DataFrame:
    """Countries named without organisations, 2 to 8 for a few projects."""
    n = len(project_id)
    chosen = np.flatnonzero(rng.random(n) < PROJECT_COUNTRIES_SHARE)
    per = rng.integers(2, 9, len(chosen))
    named_pos = np.repeat(chosen, per)
    named_country = _pick(rng, len(named_pos), COUNTRY_WEIGHTS)
    named_role = np.where(rng.random(len(chosen)) < 0.7, "partner", "")[np.searchsorted(chosen, named_pos)]
    keep = np.unique(named_pos * len(COUNTRIES) + named_country, return_index=True)[1]
    named_pos, named_country, named_role = named_pos[keep], named_country[keep], named_role[keep]
    return pd.DataFrame({
        "project_id": project_id.to_numpy(dtype=object)[named_pos],
        "country": COUNTRY_CODES[named_country],
        "role": named_role,
        "source": source,
        "quote": "project " + _strings(named_pos + 1) + ": countries",
    })


def _activity_frame(rng: np.random.Generator, drawn: _Projects, source: str) -> pd.DataFrame:
    """One to four activities for some projects, dated within the project where it has a start."""
    dates = drawn.dates
    project_id = drawn.project_id.to_numpy(dtype=object)
    has_start = (dates.known <= 1) & (dates.precision != "Y")
    chosen = np.flatnonzero(rng.random(len(project_id)) < ACTIVITIES_SHARE)
    per = rng.integers(1, 5, len(chosen))
    act_pos = np.repeat(chosen, per)
    count = len(act_pos)
    act_number = np.arange(count) - np.repeat(np.cumsum(per) - per, per) + 1
    act_kind = ACTIVITY_KINDS[_pick(rng, count, ACTIVITY_KIND_WEIGHTS)]
    act_start = dates.start_month[act_pos] + (rng.random(count) * dates.duration[act_pos]).astype(np.int64)
    act_dated = has_start[act_pos]
    act_shape = rng.random(count)
    act_end = act_start + rng.integers(0, 6, count)
    act_duration = rng.integers(1, 13, count)
    zero = np.zeros(count, dtype=np.int64)
    month_precision = np.full(count, "M")
    act_country_i = _pick(rng, count, COUNTRY_WEIGHTS)
    act_country_known = rng.random(count) < 0.7
    act_city = np.array([c.cities[0][0] for c in COUNTRIES], dtype=object)[act_country_i]
    return pd.DataFrame({
        "activity_id": project_id[act_pos] + "-" + act_kind.astype(object)
                       + "-" + _strings(act_number).to_numpy(dtype=object),
        "project_id": project_id[act_pos],
        "kind": act_kind,
        "title": (pd.Series(act_kind).str.replace("-", " ").str.capitalize() + " "
                  + _strings(act_number) + ": " + _choose(rng, ACTIVITY_TOPICS, count)),
        "start_date": _date_text(act_start, zero, month_precision).where(act_dated, ""),
        "end_date": _date_text(act_end, zero, month_precision).where(act_dated & (act_shape < 0.4), ""),
        "duration_months": _strings(act_duration).where(act_dated & (act_shape >= 0.7), ""),
        "location": pd.Series(act_city).where(act_country_known & (rng.random(count) < 0.5), ""),
        "country": np.where(act_country_known, COUNTRY_CODES[act_country_i], ""),
        "source": source,
        "quote": "activity " + _strings(np.arange(1, count + 1)),
    })


def _tag_frame(tags: pd.DataFrame, column: str, project_id: pd.Series, source: str) -> pd.DataFrame:
    """The ``project_kets`` (``column`` 'ket') or ``project_sectors`` table of drawn tags."""
    pos = tags["pos"].to_numpy()
    return pd.DataFrame({
        "project_id": project_id.to_numpy(dtype=object)[pos],
        column: tags["value"].to_numpy(dtype=object),
        "origin": tags["origin"].to_numpy(dtype=object),
        "rule": tags["rule"].to_numpy(dtype=object),
        "source": source,
        "quote": tags["words"].where(tags["origin"] == "inferred",
                                     "project " + (tags["pos"] + 1).astype(str) + ": " + column)
        .to_numpy(dtype=object),
    })


def _sources_frame(source: str, projects: int, participations: int, seed: int) -> pd.DataFrame:
    """The one source row, saying the data is invented and how it was made."""
    return pd.DataFrame([{
        "source_id": source,
        "kind": "import",
        "title": f"Synthetic data, seed {seed} — not real projects",
        "url": "",
        "note": (f"Generated by tools/synth.py (--projects {projects} --participations "
                 f"{participations} --seed {seed}). Every name, date and amount is invented; quotes "
                 "are locators of generated records."),
    }])


def _programme_frame(source: str) -> pd.DataFrame:
    """The programmes table (the unstated programme has no row)."""
    return pd.DataFrame({
        "programme_id": [p.programme_id for p in PROGRAMMES],
        "name": [p.name for p in PROGRAMMES],
        "source": source,
        "quote": [f"programme {p.programme_id}" for p in PROGRAMMES],
    })


def generate(projects: int, participations: int, seed: int) -> dict[str, pd.DataFrame]:
    """Normalized tables (table name -> all-string frame) of a synthetic dataset.

    ``participations`` must lie between 2 and 60 per project. The same arguments always give the
    same frames: every step draws from one generator, in the order below."""
    _check_sizes(projects, participations)
    rng = np.random.default_rng(seed)
    source = f"synthetic-{seed}"
    kets, sectors, rules = _taxonomy()
    drawn = _draw_projects(rng, projects, participations)
    ket_tags = _tags(rng, projects, kets, KET_WEIGHTS, rules[rules["target"] == "ket"], 0.15, 0.07)
    sector_tags = _tags(rng, projects, sectors, SECTOR_WEIGHTS, rules[rules["target"] == "sector"],
                        0.25, 0.0)
    project_frame = _project_frame(drawn, ket_tags, sector_tags, source)
    parts = _draw_participations(rng, drawn.sizes, drawn.money.eu_known, participations)
    organisation_frame = _organisation_frame(rng, parts.used, source)
    project_countries = _project_countries_frame(rng, drawn.project_id, source)
    activity_frame = _activity_frame(rng, drawn, source)
    return {
        "sources": _sources_frame(source, projects, participations, seed),
        "programmes": _programme_frame(source),
        "projects": project_frame,
        "organisations": organisation_frame,
        "participations": _participation_frame(parts, drawn, organisation_frame["organisation_id"], source),
        "project_countries": project_countries,
        "project_kets": _tag_frame(ket_tags, "ket", drawn.project_id, source),
        "project_sectors": _tag_frame(sector_tags, "sector", drawn.project_id, source),
        "activities": activity_frame,
    }


def write(tables: dict[str, pd.DataFrame], out: Path) -> None:
    """Write ``tables`` as a dataset folder at ``out`` (created if needed): one CSV per table of
    the format, with its declared columns, empty tables as a header row. No validation."""
    from data.importers.writer import conform  # imports the loader (pandera); only needed here

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for table in schema.DATASET_TABLES:
        frame = tables.get(table.name, pd.DataFrame())
        conform(table.name, frame).to_csv(out / table.file, index=False, encoding="utf-8",
                                          lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    """The command line: generate, write, optionally validate with the app's loader."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--participations", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="dataset folder to write (created)")
    parser.add_argument("--validate", action="store_true",
                        help="load the written folder with data.io.loader.load_tables afterwards")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    try:
        tables = generate(args.projects, args.participations, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    generated = time.perf_counter()
    write(tables, args.out)
    written = time.perf_counter()
    rows = ", ".join(f"{name} {len(frame)}" for name, frame in tables.items())
    print(f"{args.out}: {rows}")
    print(f"generated in {generated - began:.1f} s, written in {written - generated:.1f} s")
    if args.validate:
        from data.io.loader import DatasetError, load_tables

        try:
            load_tables(args.out)
        except DatasetError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"validated in {time.perf_counter() - written:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
