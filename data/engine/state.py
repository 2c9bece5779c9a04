"""The filter state: one small frozen object and its query-string form.

The page, the URL and the API share this module, so ``?country=DE,FR&ket=photonics`` means the
same thing in the address bar and in ``GET /api/projects``. Within a parameter values are OR-ed,
parameters are AND-ed; ``from``/``to`` are years and keep projects whose period overlaps them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any
from urllib.parse import parse_qs, urlencode

from data.engine.model import Dataset
from data.engine.organisations import organisation_label
from data.engine.queries import SORT_KEYS
from data.engine.regions import normalise_code
from data.io.countries import country_name, to_iso2
from data.io.geo import region_name
from data.io.i18n import N_
from data.io.schema import SLUG_RE

LIST_PARAMS = ("country", "ket", "sector", "programme", "region", "instrument", "org")
VIEW_PARAMS = ("sort", "zoom", "centre", "org_zoom", "org_centre", "present", "theme", "lang", "story",
               "step", "geo", "net")
"""Parameters that shape how the view looks, not which projects it selects."""
MAP_VIEW_FIELDS = ("zoom", "centre", "org_zoom", "org_centre")
"""The view fields a pan or zoom of a map writes: ``zoom``/``centre`` of the map of Europe (the
country map, or the regional map shown in its place), ``org_zoom``/``org_centre`` of the
organisation map. The views redraw from the state without them (``without_map_views``)."""
# ``compare=a,b``: the projects the comparison panel shows side by side, in that order.
PARAMS = (*LIST_PARAMS, "from", "to", "project", "q", "map", "inferred", "dataset", *VIEW_PARAMS, "compare")
COMPARE_MIN, COMPARE_MAX = 2, 4
"""How many projects a comparison shows side by side."""
OFF_WORDS = ("0", "off", "false", "no")
ON_WORDS = ("1", "on", "true", "yes")
MAP_METRICS = ("projects", "partners")
YEAR_MIN, YEAR_MAX = 1950, 2100
MAX_QUERY_LENGTH = 200
SORT_FIELDS = tuple(SORT_KEYS)
"""Table columns the URL may sort by (the grid's sortable columns)."""
THEMES = ("light", "dark")
LANGUAGES = ("en", "de", "fr", "es")
ZOOM_MIN, ZOOM_MAX = 0.0, 12.0
MAX_STORY_LENGTH = 6000
"""A storyboard in the URL (``story=``) is a compact token; longer ones travel as files."""
MAX_STEPS = 50
GEO_LEVELS = ("countries", "nuts1", "nuts2", "nuts3")
"""What the map draws (``geo=``): countries, or the NUTS regions of level 1, 2 or 3."""
MAX_LIST_VALUES = 50
"""The most values a region or instrument filter takes from an address."""
MAX_ORGS = 20
"""Organisations one address may select (``org=``); each is a click on the organisation map."""
MAX_ORG_ID_LENGTH = 120
NET_KINDS = ("country", "org")
"""What the collaboration network's nodes are (``net=``): countries or organisations. A new
kind (regions) is a new value here and a node builder in ``data.engine.network``."""


@dataclass(frozen=True)
class FilterState:
    """What the user has selected. Empty means 'no restriction' on that dimension."""

    country: tuple[str, ...] = ()
    ket: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    programme: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    """NUTS codes (any level, 2021 or 2024): projects with a partner placed in one of them."""
    instrument: tuple[str, ...] = ()
    """Policy instrument ids: the projects that address one of them."""
    year_from: int | None = None
    year_to: int | None = None
    project: str | None = None
    q: str = ""
    map: str = "projects"
    inferred: bool = True
    """Count KET/sector tags inferred by rules (imports); off keeps curated tags only."""
    dataset: str | None = None
    """An uploaded dataset this view shows; None is the server's default dataset."""
    org: tuple[str, ...] = ()
    """Organisations (``organisation_id``): projects any of them takes part in."""
    # The view: how it looks, not what it selects (``VIEW_PARAMS``).
    sort: str = ""
    """The table's order, ``field`` or ``-field`` (descending); empty is the default order."""
    zoom: float | None = None
    """The map's zoom; None is the map's own fit."""
    centre: tuple[float, float] | None = None
    """The map's centre as (latitude, longitude); None is the map's own fit."""
    org_zoom: float | None = None
    """The organisation map's zoom (bounded like ``zoom``); None is the map's own fit."""
    org_centre: tuple[float, float] | None = None
    """The organisation map's centre as (latitude, longitude); None is the map's own fit."""
    present: bool = False
    """Presentation mode: full screen, large text, high contrast."""
    theme: str = "light"
    lang: str = "en"
    story: str = ""
    """A storyboard carried in the URL (an opaque token, see ``data.engine.storyboard``)."""
    step: int | None = None
    """Which view of the storyboard is shown (1-based); None is none."""
    geo: str = "countries"
    """What the map draws: countries or a level of NUTS regions (``GEO_LEVELS``)."""
    compare: tuple[str, ...] = ()
    """The projects compared side by side (``COMPARE_MIN`` to ``COMPARE_MAX`` ids, in the order
    shown); empty when no comparison is open. It selects nothing, like the view fields."""
    net: str = "country"
    """What the collaboration network's nodes are (``NET_KINDS``)."""

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
        if self.sort:
            pairs.append(("sort", self.sort))
        if self.zoom is not None:
            pairs.append(("zoom", f"{self.zoom:g}"))
        if self.centre is not None:
            pairs.append(("centre", f"{self.centre[0]:g},{self.centre[1]:g}"))
        if self.org_zoom is not None:
            pairs.append(("org_zoom", f"{self.org_zoom:g}"))
        if self.org_centre is not None:
            pairs.append(("org_centre", f"{self.org_centre[0]:g},{self.org_centre[1]:g}"))
        if self.present:
            pairs.append(("present", "1"))
        if self.theme != "light":
            pairs.append(("theme", self.theme))
        if self.lang != "en":
            pairs.append(("lang", self.lang))
        if self.story:
            pairs.append(("story", self.story))
        if self.step is not None:
            pairs.append(("step", str(self.step)))
        if self.geo != "countries":
            pairs.append(("geo", self.geo))
        if self.compare:
            pairs.append(("compare", ",".join(self.compare)))
        if self.net != "country":
            pairs.append(("net", self.net))
        return urlencode(pairs, safe=",-")

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
        sort, zoom, centre, step = data.get("sort"), data.get("zoom"), data.get("centre"), data.get("step")
        story = data.get("story")
        return cls(
            **{name: strings(data.get(name)) for name in LIST_PARAMS},
            year_from=year(data.get("year_from")),
            year_to=year(data.get("year_to")),
            project=project if isinstance(project, str) and project else None,
            q=q[:MAX_QUERY_LENGTH] if isinstance(q, str) else "",
            map=metric if metric in MAP_METRICS else "projects",
            inferred=data.get("inferred") is not False,
            dataset=dataset if isinstance(dataset, str) and dataset else None,
            sort=sort if isinstance(sort, str) and sort.removeprefix("-") in SORT_FIELDS else "",
            zoom=valid_zoom(zoom),
            centre=valid_centre(centre),
            org_zoom=valid_zoom(data.get("org_zoom")),
            org_centre=valid_centre(data.get("org_centre")),
            present=data.get("present") is True,
            theme=str(data.get("theme")) if data.get("theme") in THEMES else "light",
            lang=str(data.get("lang")) if data.get("lang") in LANGUAGES else "en",
            story=story if isinstance(story, str) and len(story) <= MAX_STORY_LENGTH else "",
            step=step if isinstance(step, int) and not isinstance(step, bool) and 1 <= step <= MAX_STEPS
            else None,
            geo=str(data.get("geo")) if data.get("geo") in GEO_LEVELS else "countries",
            compare=valid_compare(data.get("compare")),
            net=str(data.get("net")) if data.get("net") in NET_KINDS else "country",
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
        """True when no filter is set: only the map metric, the dataset and the view differ
        from their defaults."""
        return self.filters == FilterState(map=self.map, dataset=self.dataset)

    @property
    def filters(self) -> FilterState:
        """This state with the view (``VIEW_PARAMS``) at its defaults: what selects projects.
        Memos of selections key on it, so a change of theme or sort filters nothing again."""
        return replace(self.without_map_views, sort="", present=False, theme="light",
                       lang="en", story="", step=None, geo="countries", compare=(), net="country")

    @property
    def without_map_views(self) -> FilterState:
        """This state with every map's zoom and centre (``MAP_VIEW_FIELDS``) at the map's own
        fit: what the views draw from, so that a pan redraws none of them."""
        return replace(self, zoom=None, centre=None, org_zoom=None, org_centre=None)

    @property
    def view(self) -> dict[str, Any]:
        """The view fields of this state (``VIEW_PARAMS``), to carry over a change of filters."""
        return {"sort": self.sort, "zoom": self.zoom, "centre": self.centre, "org_zoom": self.org_zoom,
                "org_centre": self.org_centre, "present": self.present,
                "theme": self.theme, "lang": self.lang, "story": self.story, "step": self.step,
                "geo": self.geo, "net": self.net}


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


def finite(value: Any) -> float | None:
    """``value`` as a float if it is a finite int or float (not a bool), else None."""
    ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    return float(value) if ok else None


def valid_zoom(value: Any) -> float | None:
    """A map zoom as the state keeps it (rounded to 0.01, within ``ZOOM_MIN``..``ZOOM_MAX``),
    or None for anything else."""
    zoom = finite(value)
    return round(zoom, 2) if zoom is not None and ZOOM_MIN <= zoom <= ZOOM_MAX else None


def valid_centre(value: Any) -> tuple[float, float] | None:
    """A map centre as the state keeps it ((latitude, longitude) rounded to 0.001 degrees,
    within range), or None for anything else."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    lat, lon = (finite(v) for v in value)
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 3), round(lon, 3)


def valid_compare(value: Any) -> tuple[str, ...]:
    """Project ids of a comparison as the state keeps them (strings, no repeats, in order,
    ``COMPARE_MIN`` to ``COMPARE_MAX`` of them), or () for anything else. Whether the ids
    exist is the dataset's to say (``parse_query``, ``data.engine.compare``)."""
    items = value if isinstance(value, list | tuple) else []
    chosen = tuple(dict.fromkeys(v for v in items if isinstance(v, str) and v and len(v) <= 200))
    return chosen if COMPARE_MIN <= len(chosen) <= COMPARE_MAX else ()


def _compare_field(params: Mapping[str, list[str]], dataset: Dataset,
                   notices: list[Notice]) -> tuple[str, ...]:
    """The projects of ``compare=a,b``: known ids in their order; unknown ones, repeats beyond
    ``COMPARE_MAX`` and a comparison of fewer than ``COMPARE_MIN`` are noticed."""
    raw = (params.get("compare") or [""])[-1]
    wanted = list(dict.fromkeys(p.strip().lower() for p in raw[:2000].split(",") if p.strip()))
    known = []
    for project_id in wanted:
        if dataset.position(project_id) is None:
            notices.append(Notice("compare", project_id[:40], N_("no project has this id")))
        else:
            known.append(project_id)
    if len(known) > COMPARE_MAX:
        notices.append(Notice("compare", ",".join(known[COMPARE_MAX:]), N_(
            "a comparison shows at most {most} projects; the first {most} are compared", most=COMPARE_MAX)))
        known = known[:COMPARE_MAX]
    if known and len(known) < COMPARE_MIN:
        notices.append(Notice("compare", ",".join(known), N_(
            "a comparison needs {least} to {most} projects", least=COMPARE_MIN, most=COMPARE_MAX)))
        known = []
    return tuple(known)


def _decimal(text: str) -> float | None:
    """A plain decimal number of at most 12 characters (no exponent, no 'nan'), else None."""
    text = text.strip()
    body = text.removeprefix("-")
    if not text or len(text) > 12 or not body.replace(".", "", 1).isdecimal() or not body.isascii():
        return None
    return float(text)


def _map_view(zoom_text: str, centre_text: str, zoom_name: str, centre_name: str,
              notices: list[Notice]) -> tuple[float | None, tuple[float, float] | None]:
    """A map's zoom and centre from their parameters' text (``zoom_name``, ``centre_name``),
    bounded by ``valid_zoom`` and ``valid_centre``; a value out of bounds is noticed and None."""
    zoom = valid_zoom(_decimal(zoom_text)) if zoom_text else None
    if zoom_text and zoom is None:
        notices.append(Notice(zoom_name, zoom_text[:20], N_("must be a number from {low} to {high}",
                                                              low=f"{ZOOM_MIN:g}", high=f"{ZOOM_MAX:g}")))
    parts = [_decimal(p) for p in centre_text.split(",")] if centre_text else []
    centre = valid_centre(parts) if len(parts) == 2 and None not in parts else None
    if centre_text and centre is None:
        notices.append(Notice(centre_name, centre_text[:30], N_("must be latitude,longitude in degrees")))
    return zoom, centre


def _view_fields(params: Mapping[str, list[str]], notices: list[Notice]) -> dict[str, Any]:
    """The view parameters of a query (``VIEW_PARAMS``); anything not understood is noticed."""

    def last(name: str) -> str:
        return (params.get(name) or [""])[-1].strip()

    fields: dict[str, Any] = {}
    sort = last("sort").lower()
    if sort and sort.removeprefix("-") not in SORT_FIELDS:
        notices.append(Notice("sort", sort, N_("must be one of {allowed}, with '-' in front for descending",
                                               allowed=", ".join(SORT_FIELDS))))
        sort = ""
    fields["sort"] = sort
    for zoom_name, centre_name in (("zoom", "centre"), ("org_zoom", "org_centre")):
        fields[zoom_name], fields[centre_name] = _map_view(last(zoom_name), last(centre_name),
                                                           zoom_name, centre_name, notices)
    present = last("present").lower()
    if present and present not in OFF_WORDS + ON_WORDS:
        notices.append(Notice("present", present, N_("must be 1 or 0")))
    fields["present"] = present in ON_WORDS
    for name, allowed, default in (("theme", THEMES, "light"), ("lang", LANGUAGES, "en")):
        value = last(name).lower()
        if value and value not in allowed:
            notices.append(Notice(name, value[:20],
                                  N_("must be one of {allowed}", allowed=", ".join(allowed))))
            value = ""
        fields[name] = value or default
    story = last("story")
    if len(story) > MAX_STORY_LENGTH:
        notices.append(Notice("story", story[:20] + "...", N_("longer than {most} characters; download the "
                                                              "storyboard as a file instead",
                                                              most=MAX_STORY_LENGTH)))
        story = ""
    fields["story"] = story
    step = last("step")
    ok = step.isascii() and step.isdecimal() and len(step) <= 3 and 1 <= int(step) <= MAX_STEPS
    if step and not ok:
        notices.append(Notice("step", step[:20],
                              N_("must be a number from {low} to {high}", low=1, high=MAX_STEPS)))
    fields["step"] = int(step) if step and ok else None
    geo = last("geo").lower()
    if geo and geo not in GEO_LEVELS:
        notices.append(Notice("geo", geo[:20], N_("must be one of {allowed}", allowed=", ".join(GEO_LEVELS))))
        geo = ""
    fields["geo"] = geo or "countries"
    net = last("net").lower()
    if net and net not in NET_KINDS:
        notices.append(Notice("net", net[:20], N_("must be one of {allowed}", allowed=", ".join(NET_KINDS))))
        net = ""
    fields["net"] = net or "country"
    return fields


def _organisations(raw: list[str], notices: list[Notice]) -> tuple[str, ...]:
    """The ``org`` parameter: well-formed organisation ids (slugs), at most ``MAX_ORGS``. An id
    no organisation of the dataset has is kept (``unmatched`` announces it)."""
    chosen: list[str] = []
    for value in _split(raw):
        if len(value) > MAX_ORG_ID_LENGTH or not re.fullmatch(SLUG_RE, value.lower()):
            notices.append(Notice("org", value[:40], N_("not an organisation id")))
        else:
            chosen.append(value.lower())
    unique = sorted(set(chosen))
    if len(unique) > MAX_ORGS:
        notices.append(Notice("org", ",".join(unique[MAX_ORGS:])[:40],
                              N_("more than {most} organisations; the first {most} are kept", most=MAX_ORGS)))
    return tuple(unique[:MAX_ORGS])


def _split(raw: list[str]) -> list[str]:
    return [part.strip() for value in raw for part in value.split(",") if part.strip()]


def _year(param: str, raw: list[str], notices: list[Notice]) -> int | None:
    if not raw:
        return None
    value = raw[-1].strip()
    if value.isascii() and value.isdecimal() and YEAR_MIN <= int(value) <= YEAR_MAX:
        return int(value)
    notices.append(Notice(param, value,
                          N_("must be a year between {low} and {high}", low=YEAR_MIN, high=YEAR_MAX)))
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
            notices.append(Notice(name, ",".join(params[name]), N_("unknown parameter")))

    countries: list[str] = []
    for value in _split(params.get("country", [])):
        code = to_iso2(value)
        if code is None:
            notices.append(Notice("country", value, N_("not a country code or name")))
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
                notices.append(Notice(name, value, N_("not a known {name}", name=name)))
        fields[name] = tuple(sorted(set(chosen)))

    fields.update(_region_fields(params, dataset, notices))

    year_from = _year("from", params.get("from", []), notices)
    year_to = _year("to", params.get("to", []), notices)
    if year_from is not None and year_to is not None and year_from > year_to:
        notices.append(Notice("to", str(year_to),
                              N_("is before from={year}; the two were swapped", year=year_from)))
        year_from, year_to = year_to, year_from
    fields["year_from"], fields["year_to"] = year_from, year_to
    fields["org"] = _organisations(params.get("org", []), notices)

    project = (params.get("project") or [""])[-1].strip().lower()
    if project and dataset.position(project) is None:
        notices.append(Notice("project", project, N_("no project has this id")))
        project = ""
    fields["project"] = project or None

    q = " ".join((params.get("q") or [""])[-1].split())
    if len(q) > MAX_QUERY_LENGTH:
        notices.append(Notice("q", q[:20] + "...",
                              N_("longer than {most} characters; cut", most=MAX_QUERY_LENGTH)))
        q = q[:MAX_QUERY_LENGTH]
    fields["q"] = q

    metric = (params.get("map") or ["projects"])[-1].strip().lower()
    if metric not in MAP_METRICS:
        notices.append(Notice("map", metric, N_("must be one of {allowed}", allowed=", ".join(MAP_METRICS))))
        metric = "projects"
    fields["map"] = metric

    inferred = (params.get("inferred") or ["on"])[-1].strip().lower()
    if inferred not in OFF_WORDS + ON_WORDS:
        notices.append(Notice("inferred", inferred, N_("must be on or off")))
        inferred = "on"
    fields["inferred"] = inferred in ON_WORDS
    fields["dataset"] = requested_dataset(params)
    fields.update(_view_fields(params, notices))
    fields["compare"] = _compare_field(params, dataset, notices) if params.get("compare") else ()
    return FilterState(**fields), notices


def _region_fields(params: Mapping[str, list[str]], dataset: Dataset,
                   notices: list[Notice]) -> dict[str, tuple[str, ...]]:
    """``region=`` (NUTS codes of NUTS 2021 or 2024, any level) and ``instrument=`` (the
    dataset's policy instrument ids) of a query; anything else is noticed and left out."""
    for name in ("region", "instrument"):
        extra = _split(params.get(name, []))[MAX_LIST_VALUES:]
        if extra:
            notices.append(Notice(name, ",".join(extra)[:40],
                                  N_("more than {most} values; the rest were left out",
                                     most=MAX_LIST_VALUES)))
    regions: list[str] = []
    for value in _split(params.get("region", []))[:MAX_LIST_VALUES]:
        code = normalise_code(value)
        if dataset.regions is not None and dataset.regions.level_of(code) is not None:
            regions.append(code)
        else:
            notices.append(Notice("region", value[:20], N_("not a NUTS 2021 or NUTS 2024 region code")))
    known = dataset.members["instrument"]
    instruments: list[str] = []
    for value in _split(params.get("instrument", []))[:MAX_LIST_VALUES]:
        if value.lower() in known:
            instruments.append(value.lower())
        else:
            notices.append(Notice("instrument", value[:60], N_("no policy instrument has this id")))
    return {"region": tuple(sorted(set(regions))), "instrument": tuple(sorted(set(instruments)))}


def _unmatched_message(dimension: str, value: str, dataset: Dataset) -> str:
    if dimension == "region":
        return N_("no partner of a project in this dataset is placed in {region}",
                  region=f"{region_name(value)} ({value})")
    if dimension == "instrument":
        return N_("no project in this dataset addresses this policy instrument")
    if dimension == "org":
        if value not in dataset.members["org"]:
            return N_("no organisation in this dataset has the id {id}", id=value)
        return N_("no project in this dataset names {name} as a partner",
                  name=organisation_label(dataset, value))
    if dimension == "country":
        return N_("no project in this dataset has a partner in {country}", country=country_name(value))
    label = dataset.vocabulary(dimension).get(value, value)
    if dimension == "programme":
        return N_("no project in this dataset is funded by {label}", label=label)
    return N_("no project in this dataset is tagged {label}", label=label)


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
