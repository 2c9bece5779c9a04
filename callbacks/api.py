"""Server routes beside the page: the JSON API, the source documents and the boundaries.

``GET /api/projects`` takes the page's query parameters (``data.engine.state``) and returns the
matching projects; ``GET /api/projects/<id>`` returns one. ``GET /api/export/<table>.csv`` and
``.xlsx`` (``projects``, ``participations``, ``organisations``) take the same parameters and send
the filtered table (``data.engine.export``): the CSV streamed, a clean table (UTF-8 with a BOM)
with the filters in its file name and the ``X-Export-Filters`` header; the XLSX with a second
sheet, "Filters and sources", carrying the caption. ``GET /api/export/view.html`` and
``view.pdf`` send the view (or, with ``story=``, the storyboard) as a self-contained HTML file or
a PDF (``callbacks.report``); their refusals are plain text (400, 413, 503). A parameter that is
not understood
gets a 400 with a JSON message naming it, never a 500. Every error answer is logged, one line
at WARNING with the path and the reason.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
from collections.abc import Callable, Iterator
from tempfile import SpooledTemporaryFile
from typing import Any

import numpy as np
import xlsxwriter
from flask import Flask, Response, jsonify, request, send_file, stream_with_context
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.worksheet import Worksheet

from callbacks import report
from callbacks.views import NUTS_GEOJSON_PATH
from data.engine import compare, export, queries
from data.engine.masks import project_mask
from data.engine.model import Dataset
from data.engine.pilot_actions import pilot_action_records, pilot_actions_of
from data.engine.region_queries import instrument_records
from data.engine.state import OFF_WORDS, ON_WORDS, FilterState, parse_query, requested_dataset, unmatched
from data.io.geo import NUTS_DRAWN_LEVELS, countries_geojson, nuts_geojson
from data.io.loader import read_source_text
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)

GEOJSON_PATH = "/geo/countries.geojson"
EXPORT_PATH = "/api/export"
MAX_EXPORT_ROWS = 2_000_000
"""An export larger than this is refused (413): narrow the filters, or use the dataset files."""
EXPORT_FORMATS = {"csv": "text/csv",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CSV_ROWS_PER_WRITE = 2_000
XLSX_IN_MEMORY = 32 * 1024 * 1024
XLSX_CELL_CHARS = 32_767
"""The most characters an Excel cell holds."""
XLSX_AT_ONCE = 2
"""Excel files made at the same time; another request meanwhile gets a 503 (each takes a core)."""
_xlsx_slots = threading.BoundedSemaphore(XLSX_AT_ONCE)


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


def _parse(
    dataset: Dataset, args: dict[str, list[str]], extra: list[dict[str, str]] | None = None
) -> FilterState | tuple[Response, int]:
    """The filter state of the request's parameters, or the 400 answer naming what was not
    understood (with ``extra`` problems the caller found)."""
    state, problems = parse_query(args, dataset)
    listed = [{"parameter": p.param, "value": p.value, "message": p.message}
              for p in problems] + (extra or [])
    if listed:
        return _error(400, {"error": "bad request: some parameters were not understood",
                            "problems": listed},
                      "; ".join(f"{p['parameter']}={p['value']!r}: {p['message']}" for p in listed))
    return state


def _dataset_and_state(
    registry: DatasetRegistry,
) -> tuple[Dataset, FilterState] | tuple[Response, int]:
    """The requested dataset and the filter state of the request's parameters, or the 400
    answer (no such dataset, a parameter not understood)."""
    dataset = _dataset(registry)
    if dataset is None:
        return _no_dataset()
    state = _parse(dataset, request.args.to_dict(flat=False))
    return (dataset, state) if isinstance(state, FilterState) else state


def _csv_cell(value: export.Cell) -> str | int | float:
    return "" if value is None else value


def _csv_stream(dataset: Dataset, state: FilterState, table: str) -> Iterator[str]:
    """The CSV text, a few thousand rows a piece: BOM, header row, rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(export.COLUMNS[table])
    for i, row in enumerate(export.rows(dataset, state, table), start=1):
        writer.writerow([_csv_cell(v) for v in row])
        if i % CSV_ROWS_PER_WRITE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _xlsx_text(value: str) -> tuple[str, bool]:
    """``value`` as a worksheet can hold it, and whether it had to be cut: control characters
    removed (Excel refuses them), longer than a cell's 32,767 characters cut with an ellipsis."""
    if not value.isprintable():
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > XLSX_CELL_CHARS:
        return value[:XLSX_CELL_CHARS - 1] + "…", True
    return value, False


def _write_xlsx_row(sheet: Worksheet, row_number: int, row: export.Row) -> int:
    """Write one row (an empty cell for ``None``: unknown stays unknown); the cells cut."""
    cut = 0
    for column, value in enumerate(row):
        if value is None:
            continue
        if isinstance(value, str):
            text, was_cut = _xlsx_text(value)
            cut += was_cut
            sheet.write_string(row_number, column, text)
        else:
            sheet.write_number(row_number, column, value)
    return cut


def _xlsx_file(dataset: Dataset, state: FilterState, table: str) -> SpooledTemporaryFile[bytes]:
    """The workbook (the table, then "Filters and sources") in a temporary file that stays in
    memory while it is small. xlsxwriter's constant-memory mode flushes each row to disk as it
    is written, so the table is never held twice."""
    # Not a context manager: send_file closes it once the answer is sent.
    spool: SpooledTemporaryFile[bytes] = SpooledTemporaryFile(max_size=XLSX_IN_MEMORY)  # noqa: SIM115
    # Explicit write_string/write_number, and no conversion of text that looks like a formula,
    # a number or a link: a cell holds what the data says.
    book = xlsxwriter.Workbook(spool, {"constant_memory": True, "strings_to_formulas": False,
                                       "strings_to_numbers": False, "strings_to_urls": False})
    sheet = book.add_worksheet(table)
    _write_xlsx_row(sheet, 0, list(export.COLUMNS[table]))
    cut = 0
    for row_number, row in enumerate(export.rows(dataset, state, table), start=1):
        cut += _write_xlsx_row(sheet, row_number, row)
    about = book.add_worksheet("Filters and sources")
    caption = export.caption(dataset, state)
    if cut:
        caption.append(("Cells cut", f"{cut:,} cells were longer than the 32,767 characters an "
                                     "Excel cell holds and end in '…'; the CSV export has them whole"))
    for row_number, (key, value) in enumerate(caption):
        _write_xlsx_row(about, row_number, [key, value])
    book.close()
    spool.seek(0)
    return spool


def register(server: Flask, registry: DatasetRegistry) -> None:
    """Add the API, source and geometry routes to the Flask server of the app."""

    @server.get("/api/projects")
    def list_projects() -> tuple[Response, int]:
        dataset = _dataset(registry)
        if dataset is None:
            return _no_dataset()
        args = request.args.to_dict(flat=False)
        paging = {name: args.pop(name)[-1] for name in ("limit", "offset") if name in args}
        bad_paging = [
            {"parameter": name, "value": value, "message": "must be a whole number, 0 or more"}
            for name, value in paging.items() if not (value.isascii() and value.isdecimal())
        ]
        state = _parse(dataset, args, bad_paging)
        if not isinstance(state, FilterState):
            return state
        # limit/offset page through large answers; only the page's records are built.
        positions = np.flatnonzero(project_mask(dataset, state))
        offset = int(paging.get("offset", 0))
        limit = int(paging["limit"]) if "limit" in paging else len(positions)
        page = np.zeros(dataset.size, dtype=bool)
        page[positions[offset:offset + limit]] = True
        response = jsonify(queries.project_records(dataset, page, state.inferred))
        response.headers["X-Total-Count"] = str(len(positions))
        # What the page announces beside its chips: a valid value no project matches.
        kept = [{"parameter": n.param, "value": n.value, "message": n.message}
                for n in unmatched(state, dataset)]
        if kept:
            response.headers["X-Notices"] = json.dumps(kept)
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

    @server.get("/api/compare")
    def compare_projects() -> tuple[Response, int]:
        # Two to four projects side by side (data/engine/compare.py), as the page's panel shows.
        dataset = _dataset(registry)
        if dataset is None:
            return _no_dataset()
        raw = request.args.get("projects", "", type=str)
        wanted = [p for p in raw[:2000].split(",") if p.strip()]
        inferred = request.args.get("inferred", "on", type=str).strip().lower()
        problems = [{"parameter": n, "value": request.args.get(n, "")[:200], "message": "unknown parameter"}
                    for n in sorted(set(request.args) - {"projects", "dataset", "inferred"})]
        if inferred not in ON_WORDS + OFF_WORDS:
            problems.append({"parameter": "inferred", "value": inferred[:200],
                             "message": "must be on or off"})
        if problems:
            return _error(400, {"error": "bad request: some parameters were not understood",
                                "problems": problems},
                          "; ".join(f"{p['parameter']}={p['value']!r}: {p['message']}" for p in problems))
        try:
            comparison = compare.compare(dataset, wanted, inferred in ON_WORDS)
        except compare.CompareError as error:
            problems = ([{"parameter": "projects", "value": u, "message": "no project has this id"}
                         for u in error.unknown]
                        or [{"parameter": "projects", "value": raw[:200], "message": error.message}])
            return _error(400, {"error": f"bad request: {error.message}", "problems": problems},
                          error.message)
        return jsonify(compare.to_json(comparison)), 200

    def report_request() -> tuple[report.Plan, FilterState] | Response:
        """The plan of the report a request asks for, or the plain-text refusal."""
        dataset = _dataset(registry)
        if dataset is None:
            _, status = _no_dataset()
            return Response(f"No such dataset on this server: {request.args.get('dataset', '')!r}.\n",
                            status=status, mimetype="text/plain")
        state = _parse(dataset, request.args.to_dict(flat=False))
        if not isinstance(state, FilterState):
            answer, status = state
            problems = "; ".join(f"{p['parameter']}={p['value']!r}: {p['message']}"
                                 for p in answer.get_json()["problems"])
            return Response(f"Some parameters were not understood: {problems}\n", status=status,
                            mimetype="text/plain")
        try:
            return report.plan(state, dataset, registry.get), state
        except report.ReportError as error:
            return _text_error(error)

    def _text_error(error: report.ReportError) -> Response:
        log.warning("%s %s: %d, %s", request.method, request.full_path.rstrip("?"), error.status,
                    error.message)
        return Response(error.message[0].upper() + error.message[1:] + "\n", status=error.status,
                        mimetype="text/plain")

    def export_view_html() -> Response:
        planned = report_request()
        if isinstance(planned, Response):
            return planned
        plan, state = planned
        response = Response(report.build_html(plan), mimetype="text/html")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{report.report_filename(state, "html")}"')
        response.headers["X-Export-Filters"] = state.filters.to_query()
        return response

    def export_view_pdf() -> Response:
        planned = report_request()
        if isinstance(planned, Response):
            return planned
        plan, state = planned
        try:
            pdf = report.build_pdf(plan)
        except report.ReportError as error:
            return _text_error(error)
        response = Response(pdf, mimetype="application/pdf")
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{report.report_filename(state, "pdf")}"')
        response.headers["X-Export-Filters"] = state.filters.to_query()
        return response

    @server.get(EXPORT_PATH + "/<name>")
    def export_table(name: str) -> Response | tuple[Response, int]:
        # The view's report shares the path: /api/export/view.html, /api/export/view.pdf.
        reports = {"view.html": export_view_html, "view.pdf": export_view_pdf}
        if name in reports:
            return reports[name]()
        table, _, extension = name.rpartition(".")
        if table not in export.TABLES or extension not in EXPORT_FORMATS:
            message = (f"no such export: {EXPORT_PATH}/{name} (tables: {', '.join(export.TABLES)}; "
                       f"formats: {', '.join(EXPORT_FORMATS)})")
            return _error(404, {"error": message}, message)
        found = _dataset_and_state(registry)
        if not isinstance(found[1], FilterState):
            return found
        dataset, state = found
        count = export.row_count(dataset, state, table)
        if count > MAX_EXPORT_ROWS:
            message = (f"this export would have {count:,} rows, more than the {MAX_EXPORT_ROWS:,} "
                       "an export may have: narrow the filters")
            return _error(413, {"error": message, "rows": count, "max_rows": MAX_EXPORT_ROWS}, message)
        download = export.filename(table, state, extension)
        if extension == "csv":
            response = Response(stream_with_context(_csv_stream(dataset, state, table)),
                                mimetype="text/csv")
            response.headers["Content-Disposition"] = f'attachment; filename="{download}"'
        else:
            if count > export.XLSX_MAX_ROWS:
                message = (f"this export would have {count:,} rows, more than the "
                           f"{export.XLSX_MAX_ROWS:,} an Excel file is made for here: download "
                           "the CSV, or narrow the filters")
                return _error(413, {"error": message, "rows": count,
                                    "max_rows": export.XLSX_MAX_ROWS}, message)
            if not _xlsx_slots.acquire(blocking=False):
                message = (f"{XLSX_AT_ONCE} Excel files are being made on this server; try again "
                           "in a minute, or download the CSV")
                return _error(503, {"error": message}, message)
            try:
                workbook = _xlsx_file(dataset, state, table)
            finally:
                _xlsx_slots.release()
            response = send_file(workbook, mimetype=EXPORT_FORMATS["xlsx"],
                                 as_attachment=True, download_name=download)
        response.headers["X-Export-Filters"] = state.to_query()
        response.headers["X-Total-Count"] = str(count)
        return response

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

    # The NUTS levels the regional map draws, each fetched once by the browser.
    for level in NUTS_DRAWN_LEVELS:
        def nuts_boundaries(level: int = level) -> Response:
            response = jsonify(nuts_geojson(level))
            response.headers["Cache-Control"] = "public, max-age=86400"
            return response

        server.add_url_rule(NUTS_GEOJSON_PATH.format(level=level), f"nuts_level_{level}", nuts_boundaries)

    def listed(records_of: Callable[[Dataset, FilterState], list[dict[str, Any]]]) -> tuple[Response, int]:
        # Filtered like /api/projects: the records of the matching projects, counted.
        found = _dataset_and_state(registry)
        if not isinstance(found[1], FilterState):
            return found
        records = records_of(*found)
        response = jsonify(records)
        response.headers["X-Total-Count"] = str(len(records))
        return response, 200

    @server.get("/api/pilot-actions")
    def list_pilot_actions() -> tuple[Response, int]:
        return listed(lambda dataset, state: pilot_action_records(
            dataset, pilot_actions_of(dataset, project_mask(dataset, state))))

    @server.get("/api/instruments")
    def list_instruments() -> tuple[Response, int]:
        # With instrument= only those, with region= only those whose organisation is placed there.
        return listed(lambda dataset, state: instrument_records(dataset, project_mask(dataset, state), state))
