"""Time and memory of the data exports (``GET /api/export/<table>.csv|.xlsx``) on a real server.

    .venv/bin/python -m benchmarks.exports [--participations 1000000] [--projects 50000]
                                           [--data-root DIR] [--out FILE]

The synthetic dataset of that size (``benchmarks.datasets``) is served by ``python app.py`` and
each export is downloaded whole over loopback, one after another, while the server's resident
memory is sampled every 50 ms. For each it records the status, rows (``X-Total-Count``), bytes,
seconds to the first byte and to the last, and the server's memory growth during the download
(peak VmRSS minus VmRSS before it): the exports promise to stream, so the growth must stay far
below the table's size. The Excel file of the participations is asked for without filters (at a
million rows it is refused, 413, naming the CSV) and then for the largest country whose
participations fit under ``data.engine.export.XLSX_MAX_ROWS``.

Prints one line per export and writes them as JSON (``--out``, default: not written).
"""

from __future__ import annotations

import argparse
import http.client
import json
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.common import MB, BenchError, log
from benchmarks.datasets import default_data_root, ensure_dataset
from benchmarks.server import Server, server
from data.engine.export import TABLES, XLSX_MAX_ROWS

COUNTRIES_BY_SIZE = ("DE", "FR", "IT", "ES", "NL", "BE", "GB", "AT", "SE", "PL", "PT", "FI", "DK",
                     "IE", "CZ", "HU", "GR", "RO", "SK", "SI", "LU", "CY", "MT", "IS")
"""Where to look for a participations Excel export that fits (``tools.synth``'s large countries)."""
TIMEOUT_S = 900.0


def _peak_rss(srv: Server, stop: threading.Event, peak: list[int]) -> None:
    while not stop.is_set():
        peak[0] = max(peak[0], srv.memory().get("VmRSS", 0))
        stop.wait(0.05)


def download(srv: Server, path: str) -> dict[str, Any]:
    """GET ``path`` whole; status, rows, bytes, first-byte and total seconds, memory growth."""
    before = srv.memory().get("VmRSS", 0)
    peak, stop = [before], threading.Event()
    sampler = threading.Thread(target=_peak_rss, args=(srv, stop, peak), daemon=True)
    sampler.start()
    connection = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT_S)
    began = time.perf_counter()
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        first = response.read(1)
        first_byte_s = time.perf_counter() - began
        size, refusal = len(first), [first]  # a refusal's body is kept: it says why
        while chunk := response.read(1 << 20):
            size += len(chunk)
            if response.status != 200:
                refusal.append(chunk)
        total_s = time.perf_counter() - began
    finally:
        connection.close()
        stop.set()
        sampler.join()
    srv.check_alive()
    found: dict[str, Any] = {"path": path, "status": response.status,
                             "rows": response.getheader("X-Total-Count")}
    if response.status != 200:
        answer = json.loads(b"".join(refusal) or b"{}")
        found.update(rows=answer.get("rows"), refused=answer.get("error"))
    return {**found,
            "bytes": size, "first_byte_s": round(first_byte_s, 2), "total_s": round(total_s, 2),
            "rss_growth_mb": round((peak[0] - before) / MB, 1)}


def fitting_country(srv: Server) -> str | None:
    """The first of ``COUNTRIES_BY_SIZE`` whose participations' Excel export is not refused,
    found by asking for the CSV's row count (its header is sent before any row is written)."""
    for country in COUNTRIES_BY_SIZE:
        connection = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=TIMEOUT_S)
        try:
            connection.request("GET", f"/api/export/participations.csv?country={country}")
            response = connection.getresponse()
            rows = int(response.getheader("X-Total-Count") or -1)
        finally:
            connection.close()
        if response.status == 200 and 0 < rows <= XLSX_MAX_ROWS:
            return country
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participations", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=None, help="default: participations / 20")
    parser.add_argument("--data-root", type=Path, default=default_data_root())
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    projects = args.projects or max(1, args.participations // 20)
    folder, _ = ensure_dataset(args.data_root, args.participations, projects, timeout=1800)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as logs, server(folder, Path(logs), Path(logs) / "snapshots") as srv:
        try:
            log(f"serving {folder}: ready after {srv.wait_answering(600):.1f} s")
            paths = [f"/api/export/{table}.csv" for table in TABLES]
            paths += [f"/api/export/{table}.xlsx" for table in TABLES]
            country = fitting_country(srv)
            if country:
                paths.append(f"/api/export/participations.xlsx?country={country}")
            for path in paths:
                found = download(srv, path)
                results.append(found)
                log(f"  {path}: {found['status']}, {found['rows']} rows, "
                    f"{found['bytes'] / MB:.1f} MB, first byte {found['first_byte_s']} s, "
                    f"all {found['total_s']} s, server memory +{found['rss_growth_mb']} MB")
        except BenchError as exc:
            log(f"FAILED: {exc}\n{srv.output(2500)}")
            return 1
    if args.out:
        args.out.write_text(json.dumps({"participations": args.participations, "projects": projects,
                                        "xlsx_max_rows": XLSX_MAX_ROWS, "exports": results},
                                       indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
