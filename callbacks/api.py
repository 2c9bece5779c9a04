"""Server routes beside the page: the JSON API, the source documents and the boundaries.

``GET /api/projects`` takes the page's query parameters (``data.engine.state``) and returns the
matching projects; ``GET /api/projects/<id>`` returns one. A parameter that is not understood
gets a 400 with a JSON message naming it, never a 500. Every error answer is logged, one line
at WARNING with the path and the reason.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from flask import Flask, Response, jsonify, request

from data.engine import queries
from data.engine.masks import project_mask
from data.engine.model import Dataset
from data.engine.state import parse_query, requested_dataset
from data.io.geo import countries_geojson
from data.io.loader import read_source_text
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)

GEOJSON_PATH = "/geo/countries.geojson"


def _dataset(registry: DatasetRegistry) -> Dataset | None:
    return registry.get(requested_dataset(request.args.to_dict(flat=False)))


def _error(status: int, body: dict[str, Any], reason: str) -> tuple[Response, int]:
    """A JSON error answer, logged with the request's path and the reason."""
    log.warning("%s %s: %d, %s", request.method, request.full_path.rstrip("?"), status, reason)
    return jsonify(body), status


def _no_dataset() -> tuple[Response, int]:
    wanted = request.args.get("dataset", "")
    return _error(400, {"error": "bad request: no such dataset on this server",
                        "problems": [{"parameter": "dataset", "value": wanted,
                                      "message": "no such dataset (uploads last while the server runs)"}]},
                  f"no such dataset {wanted!r}")


def register(server: Flask, registry: DatasetRegistry) -> None:
    """Add the API, source and geometry routes to the Flask server of the app."""

    @server.get("/api/projects")
    def list_projects() -> tuple[Response, int]:
        dataset = _dataset(registry)
        if dataset is None:
            return _no_dataset()
        args = request.args.to_dict(flat=False)
        paging = {name: args.pop(name)[-1] for name in ("limit", "offset") if name in args}
        state, problems = parse_query(args, dataset)
        bad_paging = [
            {"parameter": name, "value": value, "message": "must be a whole number, 0 or more"}
            for name, value in paging.items() if not (value.isascii() and value.isdecimal())
        ]
        if problems or bad_paging:
            listed = [{"parameter": p.param, "value": p.value, "message": p.message}
                      for p in problems] + bad_paging
            return _error(400, {"error": "bad request: some parameters were not understood",
                                "problems": listed},
                          "; ".join(f"{p['parameter']}={p['value']!r}: {p['message']}" for p in listed))
        # limit/offset page through large answers; only the page's records are built.
        positions = np.flatnonzero(project_mask(dataset, state))
        offset = int(paging.get("offset", 0))
        limit = int(paging["limit"]) if "limit" in paging else len(positions)
        page = np.zeros(dataset.size, dtype=bool)
        page[positions[offset:offset + limit]] = True
        response = jsonify(queries.project_records(dataset, page, state.inferred))
        response.headers["X-Total-Count"] = str(len(positions))
        return response, 200

    @server.get("/api/projects/<project_id>")
    def one_project(project_id: str) -> tuple[Response, int]:
        dataset = _dataset(registry)
        if dataset is None:
            return _no_dataset()
        position = dataset.position(project_id)
        if position is None:
            message = f"no project has the id {project_id!r}"
            return _error(404, {"error": message}, message)
        return jsonify(queries.project_record(dataset, position)), 200

    @server.get("/sources/<source_id>")
    def source_document(source_id: str) -> Response:
        dataset = _dataset(registry) or registry.default
        text = read_source_text(dataset.folder, source_id)
        if text is None:
            log.warning("GET %s: 404, no source document %r in %s", request.path, source_id,
                        dataset.folder)
            return Response(f"No source document {source_id!r} is kept with this dataset.\n",
                            status=404, mimetype="text/plain")
        return Response(text, mimetype="text/plain")

    # Without these, Dash's catch-all page route would answer unknown API paths with the page.
    @server.get("/api/<path:rest>")
    def unknown_api(rest: str) -> tuple[Response, int]:
        message = f"no such API endpoint: /api/{rest}"
        return _error(404, {"error": message}, message)

    @server.get("/sources/<path:rest>")
    def unknown_source(rest: str) -> Response:
        log.warning("GET %s: 404, no such source document", request.path)
        return Response("No such source document.\n", status=404, mimetype="text/plain")

    @server.get(GEOJSON_PATH)
    def boundaries() -> Response:
        response = jsonify(countries_geojson())
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response
