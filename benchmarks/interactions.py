"""What a user does, replayed over HTTP and timed: the interactions, one step of each, and the
statistics of one interaction's repetitions (server time, bytes, the serialisation floor)."""

from __future__ import annotations

import json
import math
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from benchmarks.common import BenchError, summary
from benchmarks.dash_client import STATE, Client, Page, call, render_requests, show_address
from components import ids

FLOOR_REPS = 4
"""Measured repetitions (per interaction) whose responses are also serialised for the floor."""
FLOOR_REPEAT = 3
"""Each floor serialisation is repeated this often; the median counts."""
PARALLEL_CONNECTIONS = 6
"""A browser opens at most six HTTP/1.1 connections per host; the parallel pass does the same."""


class Increment:
    """A button click: the button's n_clicks goes up by one."""


@dataclass(frozen=True)
class Step:
    prop: str
    value: Any
    measured: bool = True


@dataclass(frozen=True)
class Interaction:
    name: str
    description: str
    steps: tuple[Step, ...]


def interactions(project_id: str, others: tuple[str, ...] = ()) -> list[Interaction]:
    """What a user does; each alternates between two states (so no request repeats the last).
    ``others`` are projects to compare with ``project_id`` (none: no comparison is replayed)."""
    compared = ",".join((project_id, *others[:2]))
    matrix = {"points": [{"x": "health", "y": "nanotechnology"}]}
    setup = "?country=DE&ket=nanotechnology&sector=health"
    return [
        Interaction("country dropdown", "filter-country value ['DE'], then []",
                    (Step(f"{ids.FILTER_COUNTRY}.value", ["DE"]), Step(f"{ids.FILTER_COUNTRY}.value", []))),
        Interaction("map click", "map clickData location DE (toggles DE on and off)",
                    (Step(f"{ids.MAP}.clickData", {"points": [{"location": "DE"}]}),)),
        Interaction("matrix click", "matrix clickData x=health y=nanotechnology (toggles KET+sector)",
                    (Step(f"{ids.MATRIX}.clickData", matrix),)),
        Interaction("timeline drag", "timeline selectedData 2010-2014, then 2015-2019",
                    (Step(f"{ids.TIMELINE}.selectedData", {"range": {"x": ["2010-01-01", "2014-12-31"]}}),
                     Step(f"{ids.TIMELINE}.selectedData", {"range": {"x": ["2015-01-01", "2019-12-31"]}}))),
        Interaction("search", "filter-search value 'energy', then ''",
                    (Step(f"{ids.FILTER_SEARCH}.value", "energy"), Step(f"{ids.FILTER_SEARCH}.value", ""))),
        Interaction("timeline bar click", f"timeline clickData customdata [{project_id!r}] (select/deselect)",
                    (Step(f"{ids.TIMELINE}.clickData", {"points": [{"customdata": [project_id]}]}),)),
        Interaction("combined (URL)", "address ?country=DE&ket=nanotechnology&from=2010&to=2014, then ''",
                    (Step(f"{ids.URL}.search", "?country=DE&ket=nanotechnology&from=2010&to=2014"),
                     Step(f"{ids.URL}.search", ""))),
        Interaction("network node click", "network clickData customdata ['DE', 'country'] (toggles DE)",
                    (Step(f"{ids.NETWORK}.clickData", {"points": [{"customdata": ["DE", "country"]}]}),)),
        Interaction("network switch", "network-kind value 'org', then 'country'",
                    (Step(f"{ids.NETWORK_KIND}.value", "org"), Step(f"{ids.NETWORK_KIND}.value", "country"))),
        Interaction("reset", f"Reset all from {setup}",
                    (Step(f"{ids.URL}.search", setup, measured=False),
                     Step(f"{ids.RESET}.n_clicks", Increment()))),
        Interaction("map level switch", "geo-level value nuts2, then nuts3, then countries",
                    (Step(f"{ids.GEO_LEVEL}.value", "nuts2"), Step(f"{ids.GEO_LEVEL}.value", "nuts3"),
                     Step(f"{ids.GEO_LEVEL}.value", "countries"))),
        Interaction("region click", "from ?geo=nuts2, region-map clickData location DE21",
                    (Step(f"{ids.URL}.search", "?geo=nuts2", measured=False),
                     Step(f"{ids.REGION_MAP}.clickData", {"points": [{"location": "DE21"}]}))),
        *([Interaction("compare (URL)", f"address ?compare={compared}, then ''",
                       (Step(f"{ids.URL}.search", f"?compare={compared}"), Step(f"{ids.URL}.search", "")))]
          if others else []),
    ]


PROJECT_QUERIES = (
    "country=MT&ket=nanotechnology&sector=health&from=2015&to=2015",
    "ket=nanotechnology&sector=health&from=2015&to=2015",
    "from=2015&to=2015&country=MT",
    "",
)
"""Narrow queries first: ``GET /api/projects`` answers with whole records, slow for many projects."""


def pick_project(client: Client) -> tuple[str, dict[str, Any]]:
    """A project id (with a start date if possible) from ``GET /api/projects``, and how it went
    (``others``: up to two more of the projects found, to compare with it)."""
    for query in PROJECT_QUERIES:
        path = f"/api/projects?{query}" if query else "/api/projects"
        answer = client.request("GET", path)
        projects = answer.json(f"GET {path}")
        if projects:
            dated = [p for p in projects if p.get("start_date")] or projects
            others = [str(p["id"]) for p in projects if p["id"] != dated[0]["id"]][:2]
            return str(dated[0]["id"]), {"query": query, "projects": len(projects), "others": others,
                                         "ms": round(answer.seconds * 1000, 1), "bytes": answer.wire_bytes}
    raise BenchError("GET /api/projects returned no project")


@dataclass
class Sample:
    hub_ms: float
    render_ms: dict[str, float]
    wire_bytes: int
    response_bytes: dict[str, int]
    parallel_ms: float | None = None
    floor_ms: dict[str, float] = field(default_factory=dict)

    @property
    def renders_sum(self) -> float:
        return sum(self.render_ms.values())

    @property
    def renders_max(self) -> float:
        return max(self.render_ms.values())


def floor_ms(response: dict[str, Any]) -> float:
    """Time to serialise a callback's outputs: plotly's JSON for figures, json.dumps otherwise."""
    from plotly.io.json import to_json_plotly

    times = []
    for _ in range(FLOOR_REPEAT):
        began = time.perf_counter()
        for props in response.values():
            for prop, value in props.items():
                if prop == "figure":
                    to_json_plotly(value)
                else:
                    json.dumps(value)
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def run_step(client: Client, page: Page, step: Step, parallel: bool, port: int, timeout: float,
             with_floor: bool) -> Sample | None:
    """Send the hub with one changed input, then every render callback; None if not measured."""
    old_state = page.values.get(STATE)
    if isinstance(step.value, Increment):
        value: Any = (page.values.get(step.prop) or 0) + 1
    else:
        value = step.value
    page.values[step.prop] = value
    hub = call(client, page, page.hub, [step.prop])
    hub_outputs = {f"{i}.{p}" for i, props in hub.response.items() for p in props}
    if STATE not in hub_outputs:
        raise BenchError(f"the hub did not write {STATE} after {step.prop} = {json.dumps(value)[:200]}")
    if not step.measured:
        return None
    if page.values[STATE] == old_state:
        raise BenchError(f"{step.prop} = {json.dumps(value)[:200]} did not change the filter state")
    render_ms: dict[str, float] = {}
    sizes: dict[str, int] = {hub.callback: hub.wire_bytes}
    floors: dict[str, float] = {}
    for cb, changed in render_requests(page):
        answered = call(client, page, cb, changed)
        render_ms[answered.callback] = answered.ms
        sizes[answered.callback] = answered.wire_bytes
        if with_floor:
            floors[answered.callback] = floor_ms(answered.response)
    sample = Sample(hub.ms, render_ms, sum(sizes.values()), sizes, floor_ms=floors)
    if parallel:
        sample.parallel_ms = parallel_renders(page, port, timeout)
    return sample



_LOCAL = threading.local()


def parallel_renders(page: Page, port: int, timeout: float) -> float:
    """The same render requests sent at once over six connections, as a browser does: wall ms."""
    bodies = [json.dumps(cb.body(page.values, changed)).encode() for cb, changed in render_requests(page)]

    def send(body: bytes) -> None:
        client = getattr(_LOCAL, "client", None)
        if client is None or client.port != port:
            client = _LOCAL.client = Client(port, timeout)
        client.request("POST", page.update_path, body).json("parallel render")

    with ThreadPoolExecutor(PARALLEL_CONNECTIONS) as pool:
        began = time.perf_counter()
        list(pool.map(send, bodies))
        return (time.perf_counter() - began) * 1000




def measure_interaction(client: Client, page: Page, interaction: Interaction, reps: int,
                        parallel: bool, port: int, timeout: float) -> dict[str, Any]:
    show_address(client, page, "")
    samples: list[Sample] = []
    steps = interaction.steps
    i = 0
    while len(samples) < reps:
        step = steps[i % len(steps)]
        i += 1
        sample = run_step(client, page, step, parallel, port, timeout, with_floor=len(samples) < FLOOR_REPS)
        if sample is not None:
            samples.append(sample)
    totals = [s.hub_ms + s.renders_sum for s in samples]
    callbacks: dict[str, Any] = {}
    for name in samples[0].render_ms:
        times = [s.render_ms[name] for s in samples]
        floors = [s.floor_ms[name] for s in samples if name in s.floor_ms]
        floor = statistics.median(floors) if floors else math.nan
        callbacks[name] = {
            "server_ms": summary(times),
            "bytes_median": int(statistics.median(s.response_bytes[name] for s in samples)),
            "bytes_max": max(s.response_bytes[name] for s in samples),
            "floor_ms": round(floor, 3),
            "server_over_floor": round(statistics.median(times) / floor, 2) if floor > 0 else None,
        }
    hub_name = page.hub.name
    floor_sums = [sum(s.floor_ms.values()) for s in samples if s.floor_ms]
    floor_sum = statistics.median(floor_sums) if floor_sums else math.nan
    renders_median = statistics.median(s.renders_sum for s in samples)
    largest = max(((n, b) for s in samples for n, b in s.response_bytes.items()), key=lambda nb: nb[1])
    result: dict[str, Any] = {
        "name": interaction.name,
        "description": interaction.description,
        "reps": len(samples),
        "server_ms": {
            "total": summary(totals),
            "hub": summary([s.hub_ms for s in samples]),
            "renders_sum": summary([s.renders_sum for s in samples]),
            "renders_max": summary([s.renders_max for s in samples]),
            "critical_path": summary([s.hub_ms + s.renders_max for s in samples]),
            "parallel_wall": summary([s.hub_ms + s.parallel_ms for s in samples
                                      if s.parallel_ms is not None]),
        },
        "cold_total_ms": round(totals[0], 2),
        "bytes": {
            "total_median": int(statistics.median(s.wire_bytes for s in samples)),
            "total_max": max(s.wire_bytes for s in samples),
            "hub_median": int(statistics.median(s.response_bytes[hub_name] for s in samples)),
            "largest_response": {"callback": largest[0], "bytes": largest[1]},
        },
        "floor_ms_sum": round(floor_sum, 3),
        "renders_over_floor": round(renders_median / floor_sum, 2) if floor_sum > 0 else None,
        "callbacks": callbacks,
    }
    return result


