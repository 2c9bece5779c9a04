"""Dashboard benchmark: start-up, server time per interaction, bytes, serialisation floor, browser.

    .venv/bin/python benchmarks/run.py --participations 10000 100000 1000000 \\
        [--reps 30 30 10] [--browser-runs 20] [--out benchmarks/results.json] [--data-root DIR]

For each size a synthetic dataset is generated if absent (``python -m tools.synth``, into
``--data-root``, by default a folder under the system temp dir, never inside the repository),
then the real server (``python app.py --data DIR``) is started as a subprocess and measured:

1. start-up: spawn until ``GET /`` answers 200 and the page's first set of callbacks has been
   answered; peak memory (VmHWM of the server process) after start-up and after the whole run;
2. interactions over HTTP, exactly as the browser sends them: the hub callback with one changed
   input, then every render callback whose input is ``filter-state.data``; request bodies are
   built from ``GET /_dash-dependencies`` and the values of ``GET /_dash-layout``;
3. a floor: the time to serialise what each render callback returned, in this process;
4. end to end in headless Chromium: real mouse clicks on matrix cells until map, matrix,
   timeline and table have redrawn.

It prints one table (size x metric: value, target, pass) and writes it, with every measurement
and the machine, as JSON (``--out``). See ``benchmarks/README.md`` for what each number means.
Exit status: 0 if everything ran (targets may still fail), 1 if a part could not be measured.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import http.client
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components import ids

REPO = Path(__file__).resolve().parent.parent

# --- settings ---------------------------------------------------------------------------------

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1366, 768
"""A laptop, as in the browser tests."""
PROJECTS_PER_PARTICIPATION = 20
"""Default dataset shape: 10k participations -> 500 projects, 1M -> 50,000."""
SEED = 1
STATE = f"{ids.STATE}.data"
GRID_REQUEST = f"{ids.TABLE}.getRowsRequest"
"""An infinite-model AG Grid asks the server for rows through this prop (state changes make the
grid ask again for its first block, which a server callback with the filter state answers)."""
UPDATE_PATH = "/_dash-update-component"
FLOOR_REPS = 4
"""Measured repetitions (per interaction) whose responses are also serialised for the floor."""
FLOOR_REPEAT = 3
"""Each floor serialisation is repeated this often; the median counts."""
PARALLEL_CONNECTIONS = 6
"""A browser opens at most six HTTP/1.1 connections per host; the parallel pass does the same."""

KB = 1000
MB = 1000**2
GB = 1000**3

# Targets of the performance issue, by number of participations.
TARGET_SERVER_P95_MS = {1_000_000: 100.0, 100_000: 30.0}
TARGET_BYTES = {1_000_000: 300 * KB}
TARGET_BROWSER_MEDIAN_MS = {100_000: 500.0}
TARGET_STARTUP_S = {1_000_000: 15.0}
TARGET_PEAK_BYTES = {1_000_000: 3 * GB}

GRAPHS = (ids.MAP, ids.MATRIX, ids.TIMELINE)


class BenchError(Exception):
    """A part of the benchmark could not be measured; the message says what and why."""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- statistics -------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile with linear interpolation between ranks (numpy's default)."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    pos = (len(ordered) - 1) * q / 100
    lo = math.floor(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def summary(values: Sequence[float]) -> dict[str, float | int]:
    """n, median, p95, min, max of ``values`` (rounded to 0.01)."""
    if not values:
        return {"n": 0}
    return {"n": len(values), "median": round(statistics.median(values), 2),
            "p95": round(percentile(values, 95), 2), "min": round(min(values), 2),
            "max": round(max(values), 2)}


# --- datasets ---------------------------------------------------------------------------------


def default_data_root() -> Path:
    return Path(tempfile.gettempdir()) / "ket-dashboard-bench"


def ensure_dataset(
    root: Path, participations: int, projects: int, timeout: float
) -> tuple[Path, float | None]:
    """The dataset folder for this size, generated with ``tools.synth`` if absent.

    Generation writes to a staging folder that is renamed when complete, so a folder that
    exists is whole. Returns the folder and the generation time (None if it existed)."""
    root = root.resolve()
    folder = root / f"synth-{participations}-p{projects}-s{SEED}"
    if (folder / "projects.csv").is_file() and (folder / "participations.csv").is_file():
        return folder, None
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f".staging-{folder.name}-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "tools.synth", "--projects", str(projects),
               "--participations", str(participations), "--seed", str(SEED), "--out", str(staging)]
    log(f"generating {folder.name}: {' '.join(command[1:])}")
    began = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BenchError(f"tools.synth did not finish within {timeout:.0f} s") from exc
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise BenchError(f"tools.synth failed with status {done.returncode}:\n{done.stderr[-3000:]}")
    staging.rename(folder)
    return folder, time.perf_counter() - began


def count_rows(path: Path) -> int:
    """Data rows of a CSV file (lines minus the header; the generator writes no quoted newlines)."""
    with path.open("rb") as f:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1)


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def proc_status(pid: int) -> dict[str, int]:
    """VmHWM / VmRSS / VmPeak of a process in bytes (from /proc/<pid>/status)."""
    found: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError as exc:
        raise BenchError(f"cannot read /proc/{pid}/status (server gone?): {exc}") from exc
    for line in text.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS", "VmPeak"):
            found[key] = int(rest.split()[0]) * 1024
    return found


_SERVERS: set[subprocess.Popen[bytes]] = set()


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server we started (its own process group, by id): SIGTERM, then SIGKILL."""
    if proc.poll() is None:
        for sig, wait in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 10.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
    _SERVERS.discard(proc)


def stop_all() -> None:
    for proc in list(_SERVERS):
        stop(proc)


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path
    spawned_at: float

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            raise BenchError(f"the server exited with status {self.proc.returncode}")


@contextlib.contextmanager
def server(data_dir: Path, log_dir: Path) -> Iterator[Server]:
    """``python app.py --data data_dir`` on a free port; always stopped on the way out."""
    port = free_port()
    log_path = log_dir / f"server-{port}.log"
    command = [sys.executable, "app.py", "--host", "127.0.0.1", "--port", str(port), "--data", str(data_dir)]
    with log_path.open("wb") as log_file:
        began = time.perf_counter()
        proc = subprocess.Popen(command, cwd=REPO, stdout=log_file, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
    _SERVERS.add(proc)
    try:
        yield Server(proc, port, log_path, began)
    finally:
        stop(proc)


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes
    wire_bytes: int
    seconds: float
    content_type: str

    def json(self, what: str) -> Any:
        if self.status != 200:
            raise BenchError(f"{what}: HTTP {self.status}, expected 200: {self.body[:500]!r}")
        if "json" not in self.content_type:
            raise BenchError(f"{what}: content type {self.content_type!r}, expected JSON: "
                             f"{self.body[:300]!r}")
        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise BenchError(f"{what}: the body is not JSON: {self.body[:300]!r}") from exc


class Client:
    """One keep-alive HTTP/1.1 connection, like one of the browser's; timed per request."""

    def __init__(self, port: int, timeout: float) -> None:
        self.port = port
        self.timeout = timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def close(self) -> None:
        self.conn.close()

    def request(self, method: str, path: str, body: bytes | None = None) -> Response:
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            began = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                answer = self.conn.getresponse()
                raw = answer.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as exc:
                # A keep-alive connection the server closed: reconnect once, untimed failure.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                if attempt == 2:
                    raise BenchError(f"{method} {path}: connection failed twice: {exc}") from exc
                continue
            except (TimeoutError, OSError) as exc:
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
                raise BenchError(f"{method} {path}: no answer within {self.timeout:.0f} s ({exc})") from exc
            seconds = time.perf_counter() - began
            decoded = gzip.decompress(raw) if answer.getheader("Content-Encoding") == "gzip" else raw
            return Response(answer.status, decoded, len(raw), seconds, answer.getheader("Content-Type") or "")
        raise AssertionError("unreachable")


# --- callbacks, built from the dependencies ---------------------------------------------------


def is_pattern(component_id: str) -> bool:
    return component_id.startswith("{")


def split_prop(prop_id: str) -> tuple[str, str]:
    """'id.property' -> (id, property); an id may be a JSON object containing dots."""
    component_id, _, prop = prop_id.rpartition(".")
    return component_id, prop


@dataclass(frozen=True)
class Callback:
    """One server callback as ``GET /_dash-dependencies`` describes it."""

    output: str
    outputs: tuple[tuple[str, str], ...]
    inputs: tuple[tuple[str, str], ...]
    state: tuple[tuple[str, str], ...]
    prevent_initial_call: bool
    clientside: bool

    @property
    def multi(self) -> bool:
        return self.output.startswith("..")

    @property
    def name(self) -> str:
        return ", ".join(f"{i}.{p.split('@')[0]}" for i, p in self.outputs)

    def has_input(self, prop_id: str) -> bool:
        return any(f"{i}.{p}" == prop_id for i, p in self.inputs)

    def has_output(self, prop_id: str) -> bool:
        return any(f"{i}.{p.split('@')[0]}" == prop_id for i, p in self.outputs)

    @classmethod
    def parse(cls, spec: dict[str, Any]) -> Callback:
        output = str(spec["output"])
        parts = output[2:-2].split("...") if output.startswith("..") else [output]
        outputs = tuple(split_prop(p) for p in parts)
        return cls(
            output=output,
            outputs=outputs,
            inputs=tuple((str(d["id"]), str(d["property"])) for d in spec.get("inputs", [])),
            state=tuple((str(d["id"]), str(d["property"])) for d in spec.get("state", [])),
            prevent_initial_call=bool(spec.get("prevent_initial_call")),
            clientside=bool(spec.get("clientside_function")),
        )

    def body(self, values: dict[str, Any], changed: Sequence[str]) -> dict[str, Any]:
        """The request the browser sends: values from the page, ``changed`` as changedPropIds.

        Pattern-matching (ALL) inputs and state get an empty list (no such component shown)."""

        def item(component_id: str, prop: str) -> Any:
            if is_pattern(component_id):
                wildcards = json.loads(component_id)
                if any(v != ["ALL"] for v in wildcards.values() if isinstance(v, list)):
                    raise BenchError(f"callback {self.output}: only ALL wildcards are supported, "
                                     f"not {component_id}")
                return []
            entry: dict[str, Any] = {"id": component_id, "property": prop}
            key = f"{component_id}.{prop}"
            if key in values:  # the browser leaves out a property the page does not have
                entry["value"] = values[key]
            return entry

        for component_id, _ in self.outputs:
            if is_pattern(component_id):
                raise BenchError(f"callback {self.output}: pattern-matching outputs are not supported")
        outputs = [{"id": i, "property": p} for i, p in self.outputs]
        body: dict[str, Any] = {
            "output": self.output,
            "outputs": outputs if self.multi else outputs[0],
            "inputs": [item(i, p) for i, p in self.inputs],
            "changedPropIds": list(changed),
            "parsedChangedPropsIds": list(changed),
        }
        if self.state:
            body["state"] = [item(i, p) for i, p in self.state]
        return body


def layout_values(layout: Any) -> dict[str, Any]:
    """'id.prop' -> value of every prop of every component with a string id in the layout."""
    values: dict[str, Any] = {}

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict):
            props = node.get("props") if "type" in node and "namespace" in node else None
            if isinstance(props, dict):
                component_id = props.get("id")
                if isinstance(component_id, str):
                    for prop, value in props.items():
                        values[f"{component_id}.{prop}"] = value
                for value in props.values():
                    walk(value)
            else:
                for value in node.values():
                    walk(value)

    walk(layout)
    return values


@dataclass
class Page:
    """What the browser holds: the dependencies, the page's values, the hub and the renders."""

    hub: Callback
    renders: list[Callback]
    grid_pages: list[Callback]
    others_initial: list[Callback]
    values: dict[str, Any]
    update_path: str

    def first_block(self) -> dict[str, Any]:
        """What the grid asks for after a refresh: its first block of rows, unsorted."""
        options = self.values.get(f"{ids.TABLE}.dashGridOptions") or {}
        block = int(options.get("cacheBlockSize") or 100) if isinstance(options, dict) else 100
        return {"startRow": 0, "endRow": block, "sortModel": [], "filterModel": {}, "api": {}}


def load_page(client: Client) -> Page:
    index = client.request("GET", "/")
    if index.status != 200:
        raise BenchError(f"GET / answered {index.status}")
    update_path = UPDATE_PATH
    found = re.search(rb'<script id="_dash-config" type="application/json">(.*?)</script>', index.body, re.S)
    if found:
        end_id = json.loads(found.group(1)).get("end_id")
        if end_id:  # the renderer echoes the server's token on every update request
            update_path += f"?endId={end_id}"
    specs = client.request("GET", "/_dash-dependencies").json("/_dash-dependencies")
    deps = [Callback.parse(d) for d in specs]
    values = layout_values(client.request("GET", "/_dash-layout").json("/_dash-layout"))
    hubs = [cb for cb in deps if cb.has_output(STATE)]
    if len(hubs) != 1:
        raise BenchError(f"expected one callback writing {STATE}, found {len(hubs)}")
    server_side = [cb for cb in deps if not cb.clientside]  # clientside ones run in the browser
    renders = [cb for cb in server_side if cb.has_input(STATE)]
    if not renders:
        raise BenchError(f"no server callback takes {STATE} as input")
    grid_pages = [cb for cb in server_side if cb.has_input(GRID_REQUEST)]
    others = [cb for cb in server_side if cb not in hubs and cb not in renders
              and not cb.prevent_initial_call]
    return Page(hubs[0], renders, grid_pages, others, values, update_path)


@dataclass
class Call:
    """One answered callback request."""

    callback: str
    ms: float
    wire_bytes: int
    response: dict[str, Any]


def call(client: Client, page: Page, cb: Callback, changed: Sequence[str], allow_204: bool = False) -> Call:
    """POST one callback as the browser would and write its outputs into the page's values."""
    body = json.dumps(cb.body(page.values, changed)).encode()
    answer = client.request("POST", page.update_path, body)
    if answer.status == 204:
        if allow_204:
            return Call(cb.name, answer.seconds * 1000, answer.wire_bytes, {})
        raise BenchError(f"callback {cb.name}: 204 (no update) for changed {list(changed)}")
    data = answer.json(f"callback {cb.name}")
    response = data.get("response") if isinstance(data, dict) else None
    if not isinstance(response, dict):
        raise BenchError(f"callback {cb.name}: no 'response' object in {str(data)[:300]}")
    for component_id, props in response.items():
        for prop, value in props.items():
            page.values[f"{component_id}.{prop}"] = value
    return Call(cb.name, answer.seconds * 1000, answer.wire_bytes, response)


# --- interactions -----------------------------------------------------------------------------


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


def interactions(project_id: str) -> list[Interaction]:
    """What a user does; each alternates between two states (so no request repeats the last)."""
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
        Interaction("reset", f"Reset all from {setup}",
                    (Step(f"{ids.URL}.search", setup, measured=False),
                     Step(f"{ids.RESET}.n_clicks", Increment()))),
    ]


PROJECT_QUERIES = (
    "country=MT&ket=nanotechnology&sector=health&from=2015&to=2015",
    "ket=nanotechnology&sector=health&from=2015&to=2015",
    "from=2015&to=2015&country=MT",
    "",
)
"""Narrow queries first: ``GET /api/projects`` answers with whole records, slow for many projects."""


def pick_project(client: Client) -> tuple[str, dict[str, Any]]:
    """A project id (with a start date if possible) from ``GET /api/projects``, and how it went."""
    for query in PROJECT_QUERIES:
        path = f"/api/projects?{query}" if query else "/api/projects"
        answer = client.request("GET", path)
        projects = answer.json(f"GET {path}")
        if projects:
            dated = [p for p in projects if p.get("start_date")] or projects
            return str(dated[0]["id"]), {"query": query, "projects": len(projects),
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


def render_requests(page: Page) -> list[tuple[Callback, list[str]]]:
    """What the browser sends once the hub has written a new state: every render callback, and
    (infinite-model table) the grid's request for its first block, which the new state triggers
    through a clientside callback that refreshes the grid."""
    requests = [(cb, [STATE]) for cb in page.renders]
    if page.grid_pages:
        page.values[GRID_REQUEST] = page.first_block()
        requests += [(cb, [GRID_REQUEST]) for cb in page.grid_pages]
    return requests


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


def reset_page(client: Client, page: Page) -> None:
    """Back to the unfiltered page (address without query), hub and renders, unmeasured."""
    page.values[f"{ids.URL}.search"] = ""
    call(client, page, page.hub, [f"{ids.URL}.search"])
    for cb, changed in render_requests(page):
        call(client, page, cb, changed)


def measure_interaction(client: Client, page: Page, interaction: Interaction, reps: int,
                        parallel: bool, port: int, timeout: float) -> dict[str, Any]:
    reset_page(client, page)
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


# --- start-up ---------------------------------------------------------------------------------


def wait_ready(srv: Server, client: Client, timeout: float) -> tuple[float, float, Page]:
    """Seconds from spawn to GET / = 200, and to the first set of callbacks answered."""
    deadline = srv.spawned_at + timeout
    while True:
        srv.check_alive()
        probe = Client(srv.port, 5.0)
        try:
            if probe.request("GET", "/").status == 200:
                break
        except BenchError:
            pass
        except OSError:
            pass
        finally:
            probe.close()
        if time.perf_counter() > deadline:
            raise BenchError(f"the server did not answer GET / within {timeout:.0f} s")
        time.sleep(0.05)
    index_s = time.perf_counter() - srv.spawned_at
    page = load_page(client)
    # What the page sends on load: every other callback that fires on load (with the layout's
    # values; no update is a valid answer), the hub (dcc.Location reports the address), then
    # the renders and the table's first block.
    for cb in page.others_initial:
        call(client, page, cb, [], allow_204=True)
    page.values[f"{ids.URL}.search"] = ""
    call(client, page, page.hub, [f"{ids.URL}.search"])
    for cb, changed in render_requests(page):
        call(client, page, cb, changed)
    return index_s, time.perf_counter() - srv.spawned_at, page


# --- browser ----------------------------------------------------------------------------------

INIT_SCRIPT = """(() => {
  // Count in-flight callback requests until their body has been read.
  window.__pending = 0; window.__requests = 0; window.__lastDone = 0;
  const origFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    if (!url.includes('_dash-update-component')) return origFetch(input, init);
    window.__pending += 1; window.__requests += 1;
    let done = false;
    const finish = () => {
      if (!done) { done = true; window.__pending -= 1; window.__lastDone = performance.now(); }
    };
    return origFetch(input, init).then(res => {
      if (res.status !== 200) { finish(); return res; }
      for (const m of ['json', 'text', 'arrayBuffer', 'blob']) {
        const f = res[m].bind(res);
        res[m] = () => f().finally(finish);
      }
      return res;
    }, err => { finish(); throw err; });
  };
  // The clock starts at the mouse press of an armed click.
  document.addEventListener('mousedown', () => {
    const b = window.__bench;
    if (b && b.armed && !b.t0) b.t0 = performance.now();
  }, true);
})();"""

VIEWS_DRAWN = """() => {
  const plot = id => document.querySelector('#' + id + ' .js-plotly-plot');
  const drawn = id => { const gd = plot(id); return !!(gd && gd._fullData && gd._fullData.length); };
  const gd = plot('map');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  const mapDrawn = !!(sub && sub.map && sub.map.loaded());
  return drawn('map') && mapDrawn && drawn('matrix') && drawn('timeline')
    && document.querySelectorAll('#projects-table .ag-row').length > 0
    && window.__pending === 0
    && !Array.from(document.querySelectorAll('[data-dash-is-loading]'))
         .some(e => e.getAttribute('data-dash-is-loading') !== 'false');
}"""

MATRIX_CELLS = """() => {
  const gd = document.querySelector('#matrix .js-plotly-plot');
  const t = gd._fullData[0], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const cells = [];
  Array.from(t.z || []).forEach((row, r) => Array.from(row || []).forEach((v, c) => {
    if (v > 0) cells.push({count: v, sector: String(xa._categories[c]), ket: String(ya._categories[r]),
      x: box.left + xa._offset + xa.l2p(c), y: box.top + ya._offset + ya.l2p(r)});
  }));
  return cells;
}"""

HOVERING = """([sector, ket]) => {
  const gd = document.querySelector('#matrix .js-plotly-plot');
  const h = gd && gd._hoverdata;
  return !!(h && h.length && String(h[0].x) === sector && String(h[0].y) === ket);
}"""

ARM = """(graphs) => {
  window.__afterplot = window.__afterplot || {};
  for (const id of graphs) {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    if (gd && !gd.__benchHooked) {
      gd.on('plotly_afterplot', () => { window.__afterplot[id] = performance.now(); });
      gd.__benchHooked = true;
    }
  }
  const b = window.__bench = {armed: true, t0: 0, requests0: window.__requests, seen: 0,
                              done: false, ms: null, missing: [], waiting: ''};
  // Dash marks outputs it waits for; an infinite-model grid shows rows it waits for as loading.
  const loading = () => Array.from(document.querySelectorAll('[data-dash-is-loading]'))
    .some(e => e.getAttribute('data-dash-is-loading') !== 'false')
    || document.querySelector('#projects-table .ag-row-loading') !== null;
  const tick = () => {
    if (b.done) return;
    if (b.t0) {
      const started = window.__requests > b.requests0;
      const missing = graphs.filter(id => !((window.__afterplot[id] || 0) > b.t0));
      const idle = started && window.__pending === 0 && !loading();
      b.missing = missing;
      b.waiting = !started ? 'no request yet' : window.__pending ? window.__pending + ' requests'
        : loading() ? 'loading' : missing.length ? 'afterplot ' + missing.join(',') : '';
      if (idle && !missing.length) {
        b.seen += 1;
        // One more animation frame after everything is in: the frame that paints it.
        if (b.seen >= 2) {
          b.ms = performance.now() - b.t0; b.done = true;
          b.requests = window.__requests - b.requests0;
          b.requests_done_ms = window.__lastDone - b.t0;
          b.afterplot_ms = Object.fromEntries(graphs.map(id => [id, window.__afterplot[id] - b.t0]));
          return;
        }
      } else { b.seen = 0; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def browser_runs(base: str, runs: int, page_timeout: float, click_timeout: float) -> dict[str, Any]:
    """Real clicks on two matrix cells (on, off, on, off...), click to every view redrawn."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BenchError("playwright is not installed: pip install -r requirements-dev.txt") from exc
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        raise BenchError(f"Chromium not found at {CHROMIUM} (set CHROMIUM=...)")
    origin = base.rstrip("/")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            context = browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT})
            context.set_default_timeout(click_timeout * 1000)
            # Nothing may leave the server (the page is meant to work offline).
            context.route(lambda url: not url.startswith((origin, "data:", "blob:")),
                          lambda route: route.abort())
            context.add_init_script(INIT_SCRIPT)
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            began = time.perf_counter()
            page.goto(origin + "/", timeout=page_timeout * 1000)
            try:
                page.wait_for_function(VIEWS_DRAWN, timeout=page_timeout * 1000, polling=100)
            except PlaywrightError as exc:
                raise BenchError(f"the page's views were not drawn within {page_timeout:.0f} s "
                                 f"(page errors: {errors[:3]})") from exc
            load_s = time.perf_counter() - began
            page.locator(f"#{ids.MATRIX}").scroll_into_view_if_needed()
            page.wait_for_timeout(300)
            cells = [c for c in page.evaluate(MATRIX_CELLS) if "not-stated" not in (c["ket"], c["sector"])]
            if len(cells) < 2:
                raise BenchError(f"the matrix shows {len(cells)} non-empty named cell(s); need two")
            cells.sort(key=lambda c: -c["count"])
            chosen = [cells[0], next(c for c in cells[1:] if (c["ket"], c["sector"]) != (cells[0]["ket"],
                                                                                        cells[0]["sector"]))]
            samples: list[float] = []
            details: list[dict[str, Any]] = []
            for run in range(runs):
                cell = chosen[(run // 2) % 2]
                turning_on = run % 2 == 0
                page.locator(f"#{ids.MATRIX}").scroll_into_view_if_needed()
                where = next((c for c in page.evaluate(MATRIX_CELLS)
                              if (c["ket"], c["sector"]) == (cell["ket"], cell["sector"])), None)
                if where is None:
                    raise BenchError(f"run {run + 1}: cell {cell['ket']} x {cell['sector']} "
                                     "is no longer drawn")
                x, y = where["x"], where["y"]
                page.mouse.move(x - 8, y - 8)
                page.mouse.move(x, y, steps=4)
                try:
                    page.wait_for_function(HOVERING, arg=[cell["sector"], cell["ket"]], timeout=10_000)
                except PlaywrightError as exc:
                    raise BenchError(f"run {run + 1}: hovering ({x:.0f}, {y:.0f}) does not show cell "
                                     f"{cell['ket']} x {cell['sector']}") from exc
                page.evaluate(ARM, list(GRAPHS))
                page.mouse.click(x, y)
                try:
                    page.wait_for_function("() => window.__bench.done", timeout=click_timeout * 1000)
                except PlaywrightError as exc:
                    state = page.evaluate("() => window.__bench.waiting")
                    raise BenchError(f"run {run + 1}: the views did not finish redrawing within "
                                     f"{click_timeout:.0f} s (waiting for: {state})") from exc
                bench = page.evaluate("() => window.__bench")
                query = page.evaluate("() => Object.fromEntries(new URLSearchParams(location.search))")
                expected = {"ket": cell["ket"], "sector": cell["sector"]} if turning_on else {}
                if {k: query.get(k) for k in ("ket", "sector") if k in query} != expected:
                    raise BenchError(f"run {run + 1}: after clicking {cell['ket']} x {cell['sector']} the "
                                     f"address is {query}, expected {expected or 'no ket/sector'}")
                samples.append(float(bench["ms"]))
                details.append({"on": turning_on, "ket": cell["ket"], "sector": cell["sector"],
                                "ms": round(bench["ms"], 1), "requests": bench["requests"],
                                "requests_done_ms": round(bench["requests_done_ms"], 1),
                                "afterplot_ms": {k: round(v, 1) for k, v in bench["afterplot_ms"].items()}})
                log(f"  browser run {run + 1}/{runs}: {'on ' if turning_on else 'off'} "
                    f"{cell['ket']} x {cell['sector']}: {bench['ms']:.0f} ms (last response read at "
                    f"{bench['requests_done_ms']:.0f} ms, {bench['requests']} requests)")
            if errors:
                log(f"  page errors: {errors[:3]}")
            return {"runs": len(samples), "click_to_redrawn_ms": summary(samples),
                    "last_response_read_ms": summary([d["requests_done_ms"] for d in details]),
                    "afterplot_ms": {g: summary([d["afterplot_ms"][g] for d in details]) for g in GRAPHS},
                    "samples": details, "page_load_s": round(load_s, 2),
                    "cells": [{k: c[k] for k in ("ket", "sector", "count")} for c in chosen],
                    "page_errors": errors[:10]}
        finally:
            browser.close()


# --- one size ---------------------------------------------------------------------------------


@dataclass
class Options:
    data_root: Path
    reps: int
    browser_runs: int
    parallel: bool
    startup_timeout: float
    request_timeout: float
    page_timeout: float
    click_timeout: float
    log_dir: Path


def bench_size(participations: int, projects: int, opts: Options) -> dict[str, Any]:
    result: dict[str, Any] = {"participations": participations, "projects": projects, "errors": []}
    folder, generate_s = ensure_dataset(opts.data_root, participations, projects, timeout=1800)
    result.update(dataset=str(folder), generated_s=None if generate_s is None else round(generate_s, 1),
                  rows={"projects": count_rows(folder / "projects.csv"),
                        "participations": count_rows(folder / "participations.csv")})
    log(f"size {participations:,} participations / {projects:,} projects: {folder}")
    result["git"] = git_state()  # the working tree may change between sizes
    with server(folder, opts.log_dir) as srv:
        client = Client(srv.port, opts.request_timeout)
        try:
            measure_server(srv, client, result, opts)
        except BenchError as exc:
            raise BenchError(f"{exc}\n--- server log, last lines ---\n{srv.output(2500)}") from exc
        finally:
            client.close()
    return result


def measure_server(srv: Server, client: Client, result: dict[str, Any], opts: Options) -> None:
    """Start-up, interactions and browser runs against one running server, into ``result``."""
    index_s, ready_s, page = wait_ready(srv, client, opts.startup_timeout)
    mem = proc_status(srv.proc.pid)
    result["startup"] = {"index_200_s": round(index_s, 2), "ready_s": round(ready_s, 2)}
    result["memory"] = {"vmhwm_after_startup": mem.get("VmHWM"),
                        "vmrss_after_startup": mem.get("VmRSS")}
    log(f"  start-up: GET / 200 after {index_s:.1f} s, first callbacks answered after "
        f"{ready_s:.1f} s; VmHWM {mem.get('VmHWM', 0) / MB:.0f} MB")
    result["callbacks"] = {"hub": page.hub.name,
                           "renders": [cb.name for cb, _ in render_requests(page)]}
    project_id, result["api_pick"] = pick_project(client)
    measured: list[dict[str, Any]] = []
    result["interactions"] = measured  # filled as it goes: a failure keeps what was measured
    for interaction in interactions(project_id):
        began = time.perf_counter()
        try:
            found = measure_interaction(client, page, interaction, opts.reps, opts.parallel,
                                        srv.port, opts.request_timeout)
        except BenchError as exc:
            srv.check_alive()
            raise BenchError(f"interaction {interaction.name!r}: {exc}") from exc
        measured.append(found)
        total = found["server_ms"]["total"]
        log(f"  {interaction.name}: total p50 {total['median']:.1f} / p95 {total['p95']:.1f} ms, "
            f"{found['bytes']['total_max'] / KB:.0f} kB, "
            f"{time.perf_counter() - began:.1f} s for {found['reps']} reps")
    if opts.browser_runs > 0:
        try:
            result["browser"] = browser_runs(srv.base, opts.browser_runs, opts.page_timeout,
                                             opts.click_timeout)
        except BenchError as exc:
            srv.check_alive()
            result["errors"].append(f"browser: {exc}")
            log(f"  browser: FAILED: {exc}")
    srv.check_alive()
    mem = proc_status(srv.proc.pid)
    result["memory"].update(vmhwm_after_run=mem.get("VmHWM"), vmrss_after_run=mem.get("VmRSS"))


# --- the table --------------------------------------------------------------------------------


def fmt_ms(value: float) -> str:
    return f"{value:,.1f} ms" if value < 1000 else f"{value / 1000:,.2f} s"


def fmt_bytes(value: float) -> str:
    return f"{value / MB:,.2f} MB" if value >= MB else f"{value / KB:,.1f} kB"


def check(size: int, metric: str, value: str, target: str | None, ok: bool | None) -> dict[str, Any]:
    return {"size": size, "metric": metric, "value": value, "target": target or "",
            "pass": "" if ok is None else ("pass" if ok else "FAIL")}


def checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the table for one size; targets where the issue sets them."""
    n = result["participations"]
    rows: list[dict[str, Any]] = []
    if "startup" in result:
        target = TARGET_STARTUP_S.get(n)
        ready = result["startup"]["ready_s"]
        rows.append(check(n, "start-up to first callbacks answered", f"{ready:.1f} s",
                          f"<= {target:.0f} s" if target else None, ready <= target if target else None))
    memory = result.get("memory", {})
    for key, label in (("vmhwm_after_startup", "after start-up"), ("vmhwm_after_run", "after the run")):
        if memory.get(key):
            target_b = TARGET_PEAK_BYTES.get(n)
            rows.append(check(n, f"peak memory (VmHWM) {label}", fmt_bytes(memory[key]),
                              f"<= {target_b / GB:.0f} GB" if target_b else None,
                              memory[key] <= target_b if target_b else None))
    target_ms = TARGET_SERVER_P95_MS.get(n)
    target_bytes = TARGET_BYTES.get(n)
    for found in result.get("interactions", []):
        total = found["server_ms"]["total"]
        rows.append(check(n, f"server p50 / p95, {found['name']} (n={found['reps']})",
                          f"{total['median']:.1f} / {total['p95']:.1f} ms",
                          f"p95 <= {target_ms:.0f} ms" if target_ms else None,
                          total["p95"] <= target_ms if target_ms else None))
    for found in result.get("interactions", []):
        size = found["bytes"]["total_max"]
        rows.append(check(n, f"bytes per interaction, {found['name']}", fmt_bytes(size),
                          f"<= {target_bytes / KB:.0f} kB" if target_bytes else None,
                          size <= target_bytes if target_bytes else None))
    for found in result.get("interactions", []):
        ratio = found["renders_over_floor"]
        value = f"{fmt_ms(found['floor_ms_sum'])} floor, x{ratio:.1f}" if ratio else "n/a"
        rows.append(check(n, f"renders / serialisation floor, {found['name']}", value, None, None))
    if result.get("interactions"):
        rows += notable(result)
    browser = result.get("browser")
    if browser:
        clicks = browser["click_to_redrawn_ms"]
        target_b_ms = TARGET_BROWSER_MEDIAN_MS.get(n)
        rows.append(check(n, f"browser click to redrawn p50 / p95 (n={clicks['n']})",
                          f"{fmt_ms(clicks['median'])} / {fmt_ms(clicks['p95'])}",
                          f"p50 <= {target_b_ms:.0f} ms" if target_b_ms else None,
                          clicks["median"] <= target_b_ms if target_b_ms else None))
    for error in result.get("errors", []):
        rows.append(check(n, "ERROR", error.splitlines()[0][:100], None, False))
    return rows


def notable(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The slowest render callback and the largest single response over all interactions."""
    n = result["participations"]
    found = result["interactions"]
    medians: dict[str, list[float]] = {}
    for interaction in found:
        for name, cb in interaction["callbacks"].items():
            medians.setdefault(name, []).append(cb["server_ms"]["median"])
    slow_name, slow = max(((k, statistics.median(v)) for k, v in medians.items()), key=lambda kv: kv[1])
    big = max(found, key=lambda i: i["bytes"]["largest_response"]["bytes"])
    largest = big["bytes"]["largest_response"]
    return [check(n, "slowest callback (median over interactions)", f"{slow:.1f} ms: {slow_name[:40]}",
                  None, None),
            check(n, "largest single response", f"{fmt_bytes(largest['bytes'])}: {largest['callback'][:40]}",
                  None, None)]


def render_table(rows: list[dict[str, Any]]) -> str:
    header = ("participations", "metric", "value", "target", "pass")
    cells = [header] + [(f"{r['size']:,}", r["metric"], r["value"], r["target"], r["pass"]) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = ["| " + " | ".join(c[i].ljust(widths[i]) for i in range(len(header))) + " |" for c in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


# --- machine ----------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    versions: dict[str, str] = {}
    from importlib.metadata import PackageNotFoundError, version

    for package in ("dash", "plotly", "pandas", "numpy", "dash-ag-grid", "flask", "playwright"):
        with contextlib.suppress(PackageNotFoundError):
            versions[package] = version(package)
    return {"nproc": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
            "cpu_count": os.cpu_count(), "cpu_model": cpu, "ram_bytes": ram,
            "python": platform.python_version(), "platform": platform.platform(), "packages": versions}


def git_state() -> dict[str, Any]:
    """The commit and the files that differ from it: what the measured server ran."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30,
                              check=False)
        return done.stdout

    with contextlib.suppress(OSError, subprocess.SubprocessError):
        changed = [line[3:] for line in git("status", "--porcelain").splitlines() if len(line) > 3]
        return {"commit": git("rev-parse", "HEAD").strip(), "changed_files": changed}
    return {}


# --- main -------------------------------------------------------------------------------------


def per_size(values: list[int], sizes: list[int], name: str) -> list[int]:
    if len(values) == 1:
        return values * len(sizes)
    if len(values) != len(sizes):
        raise SystemExit(f"{name}: give one value or one per size ({len(sizes)})")
    return values


def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(document, indent=2) + "\n")
    partial.replace(path)


def on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--participations", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--projects", type=int, nargs="+", default=None,
                        help=f"projects per size (default: participations / {PROJECTS_PER_PARTICIPATION})")
    parser.add_argument("--reps", type=int, nargs="+", default=[30],
                        help="measured repetitions per interaction: one value or one per size (default 30)")
    parser.add_argument("--browser-runs", type=int, nargs="+", default=[20],
                        help="matrix clicks in Chromium: one value or one per size; 0 skips (default 20)")
    parser.add_argument("--no-parallel", action="store_true",
                        help="skip the second, parallel pass of the render requests")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results.json")
    parser.add_argument("--data-root", type=Path, default=default_data_root(),
                        help="where datasets are generated and reused (default: %(default)s)")
    parser.add_argument("--startup-timeout", type=float, default=300.0)
    parser.add_argument("--request-timeout", type=float, default=120.0)
    parser.add_argument("--page-timeout", type=float, default=300.0)
    parser.add_argument("--click-timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    sizes: list[int] = args.participations
    root = args.data_root.resolve()
    if root == REPO or REPO in root.parents:
        parser.error(f"--data-root {root} is inside the repository; choose a folder outside it")
    if any(n < 2 for n in sizes):
        parser.error("--participations must be at least 2")
    projects = per_size(args.projects, sizes, "--projects") if args.projects else [
        max(1, n // PROJECTS_PER_PARTICIPATION) for n in sizes]
    reps = per_size(args.reps, sizes, "--reps")
    runs = per_size(args.browser_runs, sizes, "--browser-runs")
    if any(r < 2 for r in reps):
        parser.error("--reps must be at least 2 (each interaction alternates between two states)")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    document: dict[str, Any] = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": [sys.executable, *sys.argv],
        "machine": machine(),
        "git": git_state(),
        "settings": {"reps": dict(zip(map(str, sizes), reps, strict=True)),
                     "browser_runs": dict(zip(map(str, sizes), runs, strict=True)),
                     "parallel_pass": not args.no_parallel, "floor_reps": FLOOR_REPS,
                     "units": "ms; bytes as received; kB = 1000 B, MB = 10^6 B, GB = 10^9 B"},
        "targets": {"server_p95_ms": TARGET_SERVER_P95_MS, "bytes_per_interaction": TARGET_BYTES,
                    "browser_median_ms": TARGET_BROWSER_MEDIAN_MS, "startup_s": TARGET_STARTUP_S,
                    "peak_memory_bytes": TARGET_PEAK_BYTES},
        "sizes": [],
        "table": [],
    }
    failed = False
    with tempfile.TemporaryDirectory(prefix="ket-bench-logs-") as logs:
        try:
            for n, p, r, b in zip(sizes, projects, reps, runs, strict=True):
                opts = Options(args.data_root, r, b, not args.no_parallel, args.startup_timeout,
                               args.request_timeout, args.page_timeout, args.click_timeout, Path(logs))
                began = time.perf_counter()
                try:
                    result = bench_size(n, p, opts)
                except BenchError as exc:
                    result = {"participations": n, "projects": p, "errors": [str(exc)]}
                    log(f"size {n:,}: FAILED: {exc}")
                result["wall_s"] = round(time.perf_counter() - began, 1)
                failed = failed or bool(result["errors"])
                document["sizes"].append(result)
                document["table"] = [row for s in document["sizes"] for row in checks(s)]
                write_json(args.out, document)
        except KeyboardInterrupt:
            log("interrupted")
            return 130
        finally:
            stop_all()
    print(render_table(document["table"]))
    log(f"results written to {args.out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
