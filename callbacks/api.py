"""Server routes beside the page: the JSON API, the source documents and the boundaries.

``GET /api/projects`` takes the page's query parameters (``data.filters``) and returns the
matching projects; ``GET /api/projects/<id>`` returns one. A parameter that is not understood
gets a 400 with a JSON message naming it, never a 500.
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, request

from data import queries
from data.filters import parse_query, project_mask
from data.geo import countries_geojson
from data.loader import read_source_text
from data.model import Dataset

GEOJSON_PATH = "/geo/countries.geojson"


def register(server: Flask, dataset: Dataset) -> None:
    """Add the API, source and geometry routes to the Flask server of the app."""

    @server.get("/api/projects")
    def list_projects() -> tuple[Response, int]:
        state, problems = parse_query(request.args.to_dict(flat=False), dataset)
        if problems:
            return jsonify({
                "error": "bad request: some parameters were not understood",
                "problems": [{"parameter": p.param, "value": p.value, "message": p.message}
                             for p in problems],
            }), 400
        return jsonify(queries.project_records(dataset, project_mask(dataset, state))), 200

    @server.get("/api/projects/<project_id>")
    def one_project(project_id: str) -> tuple[Response, int]:
        position = dataset.position(project_id)
        if position is None:
            return jsonify({"error": f"no project has the id {project_id!r}"}), 404
        return jsonify(queries.project_record(dataset, position)), 200

    @server.get("/sources/<source_id>")
    def source_document(source_id: str) -> Response:
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
