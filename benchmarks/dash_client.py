"""Dash's wire protocol as the browser speaks it, over one keep-alive HTTP connection.

``load_page`` reads ``GET /``, ``GET /_dash-dependencies`` and ``GET /_dash-layout``; ``call``
posts one callback's ``/_dash-update-component`` request built from the dependencies and the
page's values, and writes the answer back into those values, as the renderer does.
"""

from __future__ import annotations

import gzip
import http.client
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from benchmarks.common import BenchError
from components import ids
from data.engine.state import MAP_VIEW_FIELDS

STATE = f"{ids.STATE}.data"
VIEWS = f"{ids.VIEW_FILTERS}.data"
"""The state as the views see it: written in the browser (callbacks/views.py VIEW_FILTERS_SCRIPT)
from the hub's state without the map's zoom and centre; the render callbacks take it as input."""
DEFERRED = tuple(f"{filters}.data" for filters in ids.DEFERRED_VIEWS)
"""The filter stores of the views below the table (organisation map, network), which the page
passes the views' state only while they are on screen (callbacks/views.py DEFERRED_SCRIPT).
The benchmark counts them as shown: a reader who scrolled to them pays for them on every click."""
COMPARE_VIEW = f"{ids.COMPARE_VIEW}.data"
"""What the comparison panel draws from: the state's ``compare=`` and the fields that change its
words (callbacks/compare.py COMPARE_VIEW_SCRIPT, in the browser), written only when they change."""
COMPARE_FIELDS: dict[str, Any] = {"compare": [], "dataset": None, "lang": "en", "inferred": True,
                                  "theme": "light", "present": False}
GRID_REQUEST = f"{ids.TABLE}.getRowsRequest"
"""An infinite-model AG Grid asks the server for rows through this prop (state changes make the
grid ask again for its first block, which a server callback with the filter state answers)."""
UPDATE_PATH = "/_dash-update-component"
URL_SEARCH = f"{ids.URL}.search"


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
    compare_renders: list[Callback]

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
    renders = [cb for cb in server_side if any(cb.has_input(p) for p in (VIEWS, *DEFERRED))]
    if not renders:
        raise BenchError(f"no server callback takes {VIEWS} as input")
    grid_pages = [cb for cb in server_side if cb.has_input(GRID_REQUEST)]
    others = [cb for cb in server_side if cb not in hubs and cb not in renders
              and not cb.prevent_initial_call]
    compare_renders = [cb for cb in server_side if cb.has_input(COMPARE_VIEW)]
    others = [cb for cb in others if cb not in compare_renders]
    return Page(hubs[0], renders, grid_pages, others, values, update_path, compare_renders)


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


def render_requests(page: Page) -> list[tuple[Callback, list[str]]]:
    """What the browser sends once the hub has written a new state: every render callback, and
    (infinite-model table) the grid's request for its first block, which the new state triggers
    through a clientside callback that refreshes the grid."""
    # What the page's clientside callback does with the hub's new state, done here.
    state = page.values.get(STATE) or {}
    page.values[VIEWS] = {k: v for k, v in state.items() if k not in MAP_VIEW_FIELDS}
    for deferred in DEFERRED:
        page.values[deferred] = page.values[VIEWS]
    requests = [(cb, [next((p for p in (VIEWS, *DEFERRED) if cb.has_input(p)), VIEWS)])
                for cb in page.renders]
    compared = {k: state.get(k, default) for k, default in COMPARE_FIELDS.items()}
    if page.compare_renders and compared != page.values.get(COMPARE_VIEW):
        page.values[COMPARE_VIEW] = compared
        requests += [(cb, [COMPARE_VIEW]) for cb in page.compare_renders]
    if page.grid_pages:
        page.values[GRID_REQUEST] = page.first_block()
        requests += [(cb, [GRID_REQUEST]) for cb in page.grid_pages]
    return requests




def show_address(client: Client, page: Page, search: str = "") -> None:
    """The address bar at ``search`` (unmeasured): the hub (``dcc.Location`` reports it), then
    every render and the table's first block."""
    page.values[URL_SEARCH] = search
    call(client, page, page.hub, [URL_SEARCH])
    for cb, changed in render_requests(page):
        call(client, page, cb, changed)


def open_page(client: Client) -> Page:
    """Load the page and send what it sends on load: every other callback that fires on load
    (with the layout's values; no update is a valid answer), then the hub with the address
    without query, the renders and the table's first block."""
    page = load_page(client)
    for cb in page.others_initial:
        call(client, page, cb, [], allow_204=True)
    show_address(client, page, "")
    return page
