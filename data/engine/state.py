"""The filter state: one small frozen object and its query-string form.

The page, the URL and the API share this module, so ``?country=DE,FR&ket=photonics`` means the
same thing in the address bar and in ``GET /api/projects``. Within a parameter values are OR-ed,
parameters are AND-ed; ``from``/``to`` are years and keep projects whose period overlaps them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from data.engine.model import Dataset
from data.io.countries import country_name, to_iso2

LIST_PARAMS = ("country", "ket", "sector", "programme")
PARAMS = (*LIST_PARAMS, "from", "to", "project", "q", "map", "inferred", "dataset")
OFF_WORDS = ("0", "off", "false", "no")
ON_WORDS = ("1", "on", "true", "yes")
MAP_METRICS = ("projects", "partners")
YEAR_MIN, YEAR_MAX = 1950, 2100
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class FilterState:
    """What the user has selected. Empty means 'no restriction' on that dimension."""

    country: tuple[str, ...] = ()
    ket: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    programme: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    project: str | None = None
    q: str = ""
    map: str = "projects"
    inferred: bool = True
    """Count KET/sector tags inferred by rules (imports); off keeps curated tags only."""
    dataset: str | None = None
    """An uploaded dataset this view shows; None is the server's default dataset."""

    def to_query(self) -> str:
        """Canonical query string, without '?', of the non-default parameters."""
        pairs: list[tuple[str, str]] = [
            (name, ",".join(getattr(self, name))) for name in LIST_PARAMS if getattr(self, name)
        ]
        if self.year_from is not None:
            pairs.append(("from", str(self.year_from)))
        if self.year_to is not None:
            pairs.append(("to", str(self.year_to)))
        if self.project:
            pairs.append(("project", self.project))
        if self.q:
            pairs.append(("q", self.q))
        if self.map != "projects":
            pairs.append(("map", self.map))
        if not self.inferred:
            pairs.append(("inferred", "off"))
        if self.dataset:
            pairs.append(("dataset", self.dataset))
        return urlencode(pairs, safe=",")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for a dcc.Store."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> FilterState:
        """Rebuild a state from ``to_dict`` output. The store lives in the browser, so anything
        malformed is dropped field by field rather than trusted."""
        if not isinstance(data, Mapping):
            return cls()

        def strings(value: Any) -> tuple[str, ...]:
            items = value if isinstance(value, list | tuple) else []
            return tuple(sorted({v for v in items if isinstance(v, str) and v}))

        def year(value: Any) -> int | None:
            ok = isinstance(value, int) and not isinstance(value, bool) and YEAR_MIN <= value <= YEAR_MAX
            return value if ok else None

        project, q, metric = data.get("project"), data.get("q"), data.get("map")
        dataset = data.get("dataset")
        return cls(
            **{name: strings(data.get(name)) for name in LIST_PARAMS},
            year_from=year(data.get("year_from")),
            year_to=year(data.get("year_to")),
            project=project if isinstance(project, str) and project else None,
            q=q[:MAX_QUERY_LENGTH] if isinstance(q, str) else "",
            map=metric if metric in MAP_METRICS else "projects",
            inferred=data.get("inferred") is not False,
            dataset=dataset if isinstance(dataset, str) and dataset else None,
        )

    def with_values(self, dimension: str, values: Iterable[str]) -> FilterState:
        """Replace a list dimension, canonically ordered and without repeats."""
        changes: dict[str, Any] = {dimension: tuple(sorted(set(values)))}
        return replace(self, **changes)

    def toggle(self, dimension: str, value: str) -> FilterState:
        """Add the value to a list dimension, or take it out if it is there."""
        current = set(getattr(self, dimension))
        current ^= {value}
        return self.with_values(dimension, current)

    @property
    def is_default(self) -> bool:
        """True when every setting except the map metric and the dataset is at its default."""
        return self == FilterState(map=self.map, dataset=self.dataset)


@dataclass(frozen=True)
class Notice:
    """A parameter value that was not understood and so was ignored, or (``kept``) a valid
    value that was kept although no project of the dataset matches it."""

    param: str
    value: str
    message: str
    kept: bool = False
    """True for a valid value kept in the state that matches nothing (``unmatched``)."""

    def __str__(self) -> str:
        if self.kept:
            return f"{self.param}={self.value!r} kept: {self.message}"
        return f"{self.param}={self.value!r} ignored: {self.message}"


def _split(raw: list[str]) -> list[str]:
    return [part.strip() for value in raw for part in value.split(",") if part.strip()]


def _year(param: str, raw: list[str], notices: list[Notice]) -> int | None:
    if not raw:
        return None
    value = raw[-1].strip()
    if value.isascii() and value.isdecimal() and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    notices.append(Notice(param, value, f"must be a year between {YEAR_MIN} and {YEAR_MAX}"))
    return None


def parse_query(query: str | Mapping[str, list[str]], dataset: Dataset) -> tuple[FilterState, list[Notice]]:
    """Read a query string (or parsed multi-dict) into a state; unknown values become notices.

    Never raises on user input: anything not understood is left out and reported. A valid value
    that matches no project (an ISO country with no partner in the dataset, a KET of the
    taxonomy no project is tagged with) is kept, so the page shows what the URL says (no
    project, as the API does); ``unmatched`` names such values.
    """
    params = parse_qs(query.lstrip("?"), keep_blank_values=False) if isinstance(query, str) else query
    notices: list[Notice] = []
    fields: dict[str, Any] = {}
    for name in params:
        if name not in PARAMS:
            notices.append(Notice(name, ",".join(params[name]), "unknown parameter"))

    countries: list[str] = []
    for value in _split(params.get("country", [])):
        code = to_iso2(value)
        if code is None:
            notices.append(Notice("country", value, "not a country code or name"))
        else:
            countries.append(code)
    fields["country"] = tuple(sorted(set(countries)))

    for name in ("ket", "sector", "programme"):
        known = dataset.vocabulary(name)
        chosen = []
        for value in _split(params.get(name, [])):
            if value.lower() in known:
                chosen.append(value.lower())
            else:
                notices.append(Notice(name, value, f"not a known {name}"))
        fields[name] = tuple(sorted(set(chosen)))

    year_from = _year("from", params.get("from", []), notices)
    year_to = _year("to", params.get("to", []), notices)
    if year_from is not None and year_to is not None and year_from > year_to:
        notices.append(Notice("to", str(year_to), f"is before from={year_from}; the two were swapped"))
        year_from, year_to = year_to, year_from
    fields["year_from"], fields["year_to"] = year_from, year_to

    project = (params.get("project") or [""])[-1].strip().lower()
    if project and dataset.position(project) is None:
        notices.append(Notice("project", project, "no project has this id"))
        project = ""
    fields["project"] = project or None

    q = " ".join((params.get("q") or [""])[-1].split())
    if len(q) > MAX_QUERY_LENGTH:
        notices.append(Notice("q", q[:20] + "...", f"longer than {MAX_QUERY_LENGTH} characters; cut"))
        q = q[:MAX_QUERY_LENGTH]
    fields["q"] = q

    metric = (params.get("map") or ["projects"])[-1].strip().lower()
    if metric not in MAP_METRICS:
        notices.append(Notice("map", metric, f"must be one of {', '.join(MAP_METRICS)}"))
        metric = "projects"
    fields["map"] = metric

    inferred = (params.get("inferred") or ["on"])[-1].strip().lower()
    if inferred not in OFF_WORDS + ON_WORDS:
        notices.append(Notice("inferred", inferred, "must be on or off"))
        inferred = "on"
    fields["inferred"] = inferred in ON_WORDS
    fields["dataset"] = requested_dataset(params)
    return FilterState(**fields), notices


def _unmatched_message(dimension: str, value: str, dataset: Dataset) -> str:
    if dimension == "country":
        return f"no project in this dataset has a partner in {country_name(value)}"
    label = dataset.vocabulary(dimension).get(value, value)
    if dimension == "programme":
        return f"no project in this dataset is funded by {label}"
    return f"no project in this dataset is tagged {label}"


def unmatched(state: FilterState, dataset: Dataset) -> list[Notice]:
    """A ``kept`` notice for each selected country, KET, sector or programme that no project of
    ``dataset`` has: the value is valid and stays in the state (so the views show no project,
    as the API answers none), and the page says why (``Notice.kept``)."""
    tags = dataset.tag_index(state.inferred).members
    found: list[Notice] = []
    for name in LIST_PARAMS:
        index = tags[name] if name in tags else dataset.members[name]
        for value in getattr(state, name):
            member = index.get(value)
            if member is None or not member.any():
                found.append(Notice(name, value, _unmatched_message(name, value, dataset), kept=True))
    return found


def requested_dataset(params: str | Mapping[str, list[str]]) -> str | None:
    """The ``dataset`` parameter of a query, unchecked: the caller resolves it against the
    datasets it serves and parses the rest of the query against that dataset."""
    if isinstance(params, str):
        params = parse_qs(params.lstrip("?"))
    value = (params.get("dataset") or [""])[-1].strip()
    return value or None
