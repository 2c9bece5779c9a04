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
- countries named without organisations for a few projects, and a few activities for some.

The same arguments give byte-identical files: one ``np.random.default_rng(seed)`` drives every
draw in a fixed order, and every step is a numpy or pandas operation over whole arrays (a million
participations take a few seconds).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data.io import schema
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
EU_CODE = {"GR": "EL", "GB": "UK"}
"""NUTS codes keep the EU's prefixes, as CORDIS writes them."""


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
    return np.minimum(np.searchsorted(cdf, rng.random(size) * cdf[-1], side="right"), len(cdf) - 1)


def _strings(values: np.ndarray | pd.Series) -> pd.Series:
    """Integers (or any values) as a Series of str, index 0..n-1."""
    return pd.Series(np.asarray(values)).astype(str)


def _fixed(values: np.ndarray, decimals: int) -> pd.Series:
    """Non-negative or negative numbers in plain decimal notation (never ``1e-05``): '-0.1280'."""
    scale = 10**decimals
    scaled = np.rint(np.abs(values) * scale).astype(np.int64)
    sign = np.where(values < 0, "-", "")
    whole = _strings(scaled // scale)
    if decimals == 0:
        return sign + whole
    frac = _strings(scaled % scale).str.zfill(decimals)
    return sign + whole + "." + frac


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
    weights: dict[str, float],
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


def generate(projects: int, participations: int, seed: int) -> dict[str, pd.DataFrame]:
    """Normalized tables (table name -> all-string frame) of a synthetic dataset.

    ``participations`` must lie between 2 and 60 per project. The same arguments always give the
    same frames."""
    if projects < 1:
        raise ValueError("projects must be at least 1")
    if not MIN_PARTNERS * projects <= participations <= MAX_PARTNERS * projects:
        raise ValueError(f"participations must be between {MIN_PARTNERS} and {MAX_PARTNERS} per "
                         f"project ({MIN_PARTNERS * projects}..{MAX_PARTNERS * projects})")
    rng = np.random.default_rng(seed)
    source = f"synthetic-{seed}"
    kets, sectors, rules = _taxonomy()

    # --- projects -------------------------------------------------------------------------------
    n = projects
    sizes = _partner_counts(rng, n, participations)
    programmes = (*PROGRAMMES, NO_PROGRAMME)
    prog = _pick(rng, n, np.array([p.weight for p in programmes]))
    first = np.array([p.first_year for p in programmes])[prog]
    last = np.array([p.last_year for p in programmes])[prog]
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
    dates = _pick(rng, n, np.array([93.0, 2.0, 1.5, 1.0, 2.5]))
    states_duration = (dates == 1) | (dates == 2) | ((dates == 0) & (rng.random(n) < 0.25))
    start_text = start_text.where(dates <= 1, "")
    end_text = end_text.where((dates == 0) | (dates == 3), "")
    duration_text = _strings(duration).where(states_duration, "")
    end_year = (end_month - 1) // 12 + 1970

    budget_median = np.array([p.budget_median for p in programmes])[prog]
    budget = budget_median * (sizes / 10) ** 0.6 * np.exp(0.6 * rng.standard_normal(n))
    share_low = np.array([p.eu_share[0] for p in programmes])[prog]
    share_high = np.array([p.eu_share[1] for p in programmes])[prog]
    eu = budget * (share_low + rng.random(n) * (share_high - share_low))
    budget_known = rng.random(n) < 0.9
    eu_known = np.where(budget_known, rng.random(n) < 0.96, rng.random(n) < 0.5)
    cents = rng.random(n) < 0.4

    heads = np.array(ACRONYM_HEADS, dtype=object)[rng.integers(0, len(ACRONYM_HEADS), n)]
    tails = np.array(ACRONYM_TAILS, dtype=object)[rng.integers(0, len(ACRONYM_TAILS), n)]
    acronym = pd.Series(heads + tails)
    project_id = acronym.str.lower() + "-" + _strings(np.arange(1, n + 1))
    title = (pd.Series(np.array(TITLE_VERBS, dtype=object)[rng.integers(0, len(TITLE_VERBS), n)])
             + " " + np.array(TITLE_OBJECTS, dtype=object)[rng.integers(0, len(TITLE_OBJECTS), n)]
             + " " + np.array(TITLE_PURPOSES, dtype=object)[rng.integers(0, len(TITLE_PURPOSES), n)])
    kind = np.array(schema.PROJECT_KINDS)[_pick(rng, n, np.array([96.0, 2.0, 1.0, 1.0]))]
    cordis = np.array([p.cordis for p in programmes])[prog]
    topic = pd.Series(np.array([p.topic for p in programmes], dtype=object)[prog])
    status = np.where(end_year < 2025, "CLOSED", "SIGNED")
    status = np.where(cordis & (dates == 0), status, "")

    ket_tags = _tags(rng, n, kets, KET_WEIGHTS, rules[rules["target"] == "ket"], 0.15, 0.07)
    sector_tags = _tags(rng, n, sectors, SECTOR_WEIGHTS, rules[rules["target"] == "sector"], 0.25, 0.0)
    # The words that inferred a tag stand in the project's summary, as the tagging rules find them.
    words = pd.concat([ket_tags, sector_tags])
    words = words[words["origin"] == "inferred"].groupby("pos")["words"].agg("; ".join)
    keywords = pd.Series(words.reindex(np.arange(n)).to_numpy(dtype=object)).fillna("")
    summary = (title + ". A synthetic consortium of " + _strings(sizes) + " partners."
               + (" Keywords: " + keywords + ".").where(keywords != "", ""))

    project_frame = pd.DataFrame({
        "project_id": project_id,
        "acronym": acronym,
        "title": title,
        "kind": kind,
        "programme_id": np.array([p.programme_id for p in programmes], dtype=object)[prog],
        "start_date": start_text,
        "end_date": end_text,
        "duration_months": duration_text,
        "budget_eur": _money(budget, budget_known, cents),
        "eu_contribution_eur": _money(eu, eu_known, cents),
        "summary": summary,
        "external_id": _strings(1_000_000 + np.arange(n)).where(cordis, ""),
        "topics": (topic + "-" + _strings(year)).where(topic != "", ""),
        "status": status,
        "source": source,
        "quote": "project " + _strings(np.arange(1, n + 1)),
    })

    # --- participations -------------------------------------------------------------------------
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

    # --- organisations --------------------------------------------------------------------------
    m = len(used)
    large = used < max(1, int(0.002 * (used.max() + 1)))
    type_names = list(ORG_TYPE_WEIGHTS)
    org_type = np.where(
        large,
        _pick(rng, m, np.array([ORG_TYPE_WEIGHTS[t][1] for t in type_names], dtype=float)),
        _pick(rng, m, np.array([ORG_TYPE_WEIGHTS[t][0] for t in type_names], dtype=float)),
    )
    country_index = _pick(rng, m, np.array([c.weight for c in COUNTRIES]))
    country_known = rng.random(m) >= UNKNOWN_ORG_COUNTRY
    codes = np.array([c.code for c in COUNTRIES], dtype=object)
    country = np.where(country_known, codes[country_index], "")
    city_count = np.array([len(c.cities) for c in COUNTRIES])
    city_offset = np.cumsum(city_count) - city_count
    cities = [city for c in COUNTRIES for city in c.cities]
    city_index = city_offset[country_index] + (rng.random(m) * city_count[country_index]).astype(np.int64)
    has_city = country_known & (rng.random(m) < 0.7)
    city = np.where(has_city, np.array([c[0] for c in cities], dtype=object)[city_index], "")
    has_geo = has_city & (rng.random(m) < 0.6)
    latitude = np.array([c[1] for c in cities])[city_index] + 0.05 * rng.standard_normal(m)
    longitude = np.array([c[2] for c in cities])[city_index] + 0.05 * rng.standard_normal(m)
    nuts_prefix = np.array([EU_CODE.get(c.code, c.code) if c.nuts else "" for c in COUNTRIES],
                           dtype=object)[country_index]
    has_nuts = country_known & (nuts_prefix != "") & (rng.random(m) < 0.5)
    nuts = pd.Series(nuts_prefix) + _strings(rng.integers(1, 10, m)) + _strings(rng.integers(1, 10, m))

    stem_i = rng.integers(0, len(ORG_STEMS), m)
    field_i = rng.integers(0, len(ORG_FIELDS), m)
    word_draw = rng.random(m)
    type_words = [ORG_TYPE_WORDS[t] for t in type_names]
    word_count = np.array([len(w) for w in type_words])
    word_offset = np.cumsum(word_count) - word_count
    word_i = word_offset[org_type] + (word_draw * word_count[org_type]).astype(np.int64)
    flat_words = np.array([w for words_ in type_words for w in words_], dtype=object)
    stems = np.array(ORG_STEMS, dtype=object)[stem_i]
    fields = np.array(ORG_FIELDS, dtype=object)[field_i]
    kind_words = flat_words[word_i]
    legal = np.array([c.legal_form for c in COUNTRIES], dtype=object)[country_index]
    is_company = np.array(type_names, dtype=object)[org_type] == "company"
    name = pd.Series(stems + " " + fields + " " + kind_words)
    name = name.where(~is_company, name + " " + legal)
    slug_words = pd.Series(stems + " " + fields + " " + kind_words).str.lower().str.replace(" ", "-")
    organisation_id = slug_words + "-" + _strings(np.arange(1, m + 1))
    short_name = pd.Series(
        np.array([s[0] for s in ORG_STEMS], dtype=object)[stem_i]
        + np.array([f[0] for f in ORG_FIELDS], dtype=object)[field_i]
        + pd.Series(kind_words).str.slice(0, 1).to_numpy(dtype=object)
    ).where(rng.random(m) < 0.4, "")
    cluster_flag = np.where(np.array(type_names)[org_type] == "cluster-organisation", "true",
                            np.where(rng.random(m) < 0.2, "false", ""))
    org_quote = "organisation " + _strings(np.arange(1, m + 1))

    organisation_frame = pd.DataFrame({
        "organisation_id": organisation_id,
        "name": name,
        "short_name": short_name,
        "country": country,
        "country_source": np.where(country_known, source, ""),
        "country_quote": (org_quote + ": country").where(country_known, ""),
        "city": city,
        "type": np.array(type_names, dtype=object)[org_type],
        "is_cluster_organisation": cluster_flag,
        "external_id": _strings(900_000_000 + np.arange(m) * 7).where(rng.random(m) < 0.7, ""),
        "nuts_code": nuts.where(has_nuts, ""),
        "latitude": _fixed(latitude, 4).where(has_geo, ""),
        "longitude": _fixed(longitude, 4).where(has_geo, ""),
        "source": source,
        "quote": org_quote,
    })

    participation_frame = pd.DataFrame({
        "project_id": project_id.to_numpy(dtype=object)[project_of],
        "organisation_id": organisation_id.to_numpy(dtype=object)[org_of],
        "role": role,
        "work_packages_led": work_packages,
        "ec_contribution_eur": _money(eu[project_of] * share, contribution_known, cents[project_of]),
        "source": source,
        "quote": "participation " + _strings(np.arange(1, participations + 1)),
    })

    # --- countries named without organisations ----------------------------------------------------
    chosen = np.flatnonzero(rng.random(n) < PROJECT_COUNTRIES_SHARE)
    per = rng.integers(2, 9, len(chosen))
    named_pos = np.repeat(chosen, per)
    named_country = _pick(rng, len(named_pos), np.array([c.weight for c in COUNTRIES]))
    named_role = np.where(rng.random(len(chosen)) < 0.7, "partner", "")[np.searchsorted(chosen, named_pos)]
    keep = np.unique(named_pos * len(COUNTRIES) + named_country, return_index=True)[1]
    named_pos, named_country, named_role = named_pos[keep], named_country[keep], named_role[keep]
    project_countries = pd.DataFrame({
        "project_id": project_id.to_numpy(dtype=object)[named_pos],
        "country": codes[named_country],
        "role": named_role,
        "source": source,
        "quote": "project " + _strings(named_pos + 1) + ": countries",
    })

    # --- activities -----------------------------------------------------------------------------
    has_start = (dates <= 1) & (precision != "Y")
    chosen = np.flatnonzero(rng.random(n) < ACTIVITIES_SHARE)
    per = rng.integers(1, 5, len(chosen))
    act_pos = np.repeat(chosen, per)
    act_number = np.arange(len(act_pos)) - np.repeat(np.cumsum(per) - per, per) + 1
    act_kind = ACTIVITY_KINDS[_pick(rng, len(act_pos), ACTIVITY_KIND_WEIGHTS)]
    act_start = start_month[act_pos] + (rng.random(len(act_pos)) * duration[act_pos]).astype(np.int64)
    act_dated = has_start[act_pos]
    act_shape = rng.random(len(act_pos))
    act_end = act_start + rng.integers(0, 6, len(act_pos))
    act_duration = rng.integers(1, 13, len(act_pos))
    zero = np.zeros(len(act_pos), dtype=np.int64)
    month_precision = np.full(len(act_pos), "M")
    act_country_i = _pick(rng, len(act_pos), np.array([c.weight for c in COUNTRIES]))
    act_country_known = rng.random(len(act_pos)) < 0.7
    act_city = np.array([c.cities[0][0] for c in COUNTRIES], dtype=object)[act_country_i]
    activity_frame = pd.DataFrame({
        "activity_id": project_id.to_numpy(dtype=object)[act_pos] + "-" + act_kind.astype(object)
                       + "-" + _strings(act_number).to_numpy(dtype=object),
        "project_id": project_id.to_numpy(dtype=object)[act_pos],
        "kind": act_kind,
        "title": (pd.Series(act_kind).str.replace("-", " ").str.capitalize() + " "
                  + _strings(act_number) + ": "
                  + np.array(ACTIVITY_TOPICS, dtype=object)[rng.integers(0, len(ACTIVITY_TOPICS),
                                                                          len(act_pos))]),
        "start_date": _date_text(act_start, zero, month_precision).where(act_dated, ""),
        "end_date": _date_text(act_end, zero, month_precision).where(act_dated & (act_shape < 0.4), ""),
        "duration_months": _strings(act_duration).where(act_dated & (act_shape >= 0.7), ""),
        "location": pd.Series(act_city).where(act_country_known & (rng.random(len(act_pos)) < 0.5), ""),
        "country": np.where(act_country_known, codes[act_country_i], ""),
        "source": source,
        "quote": "activity " + _strings(np.arange(1, len(act_pos) + 1)),
    })

    # --- tags, sources, programmes ----------------------------------------------------------------
    def tag_frame(tags: pd.DataFrame, column: str) -> pd.DataFrame:
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

    sources = pd.DataFrame([{
        "source_id": source,
        "kind": "import",
        "title": f"Synthetic data, seed {seed} — not real projects",
        "url": "",
        "note": (f"Generated by data/synth.py (--projects {projects} --participations "
                 f"{participations} --seed {seed}). Every name, date and amount is invented; quotes "
                 "are locators of generated records."),
    }])
    programme_frame = pd.DataFrame({
        "programme_id": [p.programme_id for p in PROGRAMMES],
        "name": [p.name for p in PROGRAMMES],
        "source": source,
        "quote": [f"programme {p.programme_id}" for p in PROGRAMMES],
    })
    return {
        "sources": sources,
        "programmes": programme_frame,
        "projects": project_frame,
        "organisations": organisation_frame,
        "participations": participation_frame,
        "project_countries": project_countries,
        "project_kets": tag_frame(ket_tags, "ket"),
        "project_sectors": tag_frame(sector_tags, "sector"),
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
