"""Server routes beside the page: the JSON API, the source documents and the boundaries.

``GET /api/projects`` takes the page's query parameters (``data.filters``) and returns the
matching projects; ``GET /api/projects/<id>`` returns one. A parameter that is not understood
gets a 400 with a JSON message naming it, never a 500.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

from data import queries
from data.filters import parse_query, project_mask, requested_dataset
from data.geo import countries_geojson
from data.loader import read_source_text
from data.model import Dataset
from data.registry import DatasetRegistry

GEOJSON_PATH = "/geo/countries.geojson"


def _dataset(registry: DatasetRegistry) -> Dataset | None:
    return registry.get(requested_dataset(request.args.to_dict(flat=False)))


def _no_dataset() -> tuple[Response, int]:
    wanted = request.args.get("dataset", "")
    return jsonify({"error": "bad request: no such dataset on this server",
                    "problems": [{"parameter": "dataset", "value": wanted,
                                  "message": "no such dataset (uploads last while the server runs)"}]}), 400


def register(server: Flask, registry: DatasetRegistry) -> None:
    """Add the API, source and geometry routes to the Flask server of the app."""

    @server.get("/api/projects")
    def list_projects() -> tuple[Response, int]:
        dataset = _dataset(registry)
        if dataset is None:
            return _no_dataset()
        state, problems = parse_query(request.args.to_dict(flat=False), dataset)
        if problems:
            return jsonify({
                "error": "bad request: some parameters were not understood",
                "problems": [{"parameter": p.param, "value": p.value, "message": p.message}
                             for p in problems],
            }), 400
        records = queries.project_records(dataset, project_mask(dataset, state), state.inferred)
        return jsonify(records), 200

    @server.get("/api/projects/<project_id>")
    def one_project(project_id: str) -> tuple[Response, int]:
        dataset = _dataset(registry)
        if dataset is None:
            return _no_dataset()
        position = dataset.position(project_id)
        if position is None:
            return jsonify({"error": f"no project has the id {project_id!r}"}), 404
        return jsonify(queries.project_record(dataset, position)), 200

    @server.get("/sources/<source_id>")
    def source_document(source_id: str) -> Response:
        dataset = _dataset(registry) or registry.default
        text = read_source_text(dataset.folder, source_id)
        if text is None:
            return Response(f"No source document {source_id!r} is kept with this dataset.\n",
                            status=404, mimetype="text/plain")
        return Response(text, mimetype="text/plain")

    # Without these, Dash's catch-all page route would answer unknown API paths with the page.
    @server.get("/api/<path:rest>")
    def unknown_api(rest: str) -> tuple[Response, int]:
        return jsonify({"error": f"no such API endpoint: /api/{rest}"}), 404

    @server.get("/sources/<path:rest>")
    def unknown_source(rest: str) -> Response:
        return Response("No such source document.\n", status=404, mimetype="text/plain")

    @server.get(GEOJSON_PATH)
    def boundaries() -> Response:
        response = jsonify(countries_geojson())
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response
