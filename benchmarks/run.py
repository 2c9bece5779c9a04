"""Dashboard benchmark: start-up, server time per interaction, bytes, serialisation floor, browser.

    .venv/bin/python -m benchmarks.run --participations 10000 100000 1000000 \\
        [--reps 30 30 10] [--browser-runs 20] [--out benchmarks/results.json] [--data-root DIR]

For each size a synthetic dataset is generated if absent (``python -m tools.synth``, into
``--data-root``, by default a folder under the system temp dir, never inside the repository),
then the real server (``python app.py --data DIR``) is started as a subprocess and measured:

1. start-up: spawn until ``GET /`` answers 200 and the page's first set of callbacks has been
   answered; peak memory (VmHWM of the server process) after start-up and after the whole run;
2. interactions over HTTP, exactly as the browser sends them: the hub callback with one changed
   input, then every render callback whose input is ``filter-state-views.data`` (the state
   without the map's zoom and centre, as the page's clientside callback writes it); request bodies are
   built from ``GET /_dash-dependencies`` and the values of ``GET /_dash-layout``;
3. a floor: the time to serialise what each render callback returned, in this process;
4. end to end in headless Chromium: real mouse clicks on matrix cells until map, matrix,
   timeline and table have redrawn.

It prints one table (size x metric: value, target, pass) and writes it, with every measurement
and the machine, as JSON (``--out``). See ``benchmarks/README.md`` for what each number means.
Exit status: 0 if everything ran (targets may still fail), 1 if a part could not be measured.

The parts: ``datasets`` (the synthetic data), ``server`` (the app's process), ``dash_client``
(HTTP and Dash's wire protocol), ``interactions`` (what is replayed and timed), ``browser``
(Chromium), ``report`` (table and JSON); this module is the command that composes them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from benchmarks.browser import browser_runs
from benchmarks.common import KB, MB, REPO, BenchError, log
from benchmarks.dash_client import Client, open_page, render_requests
from benchmarks.datasets import PROJECTS_PER_PARTICIPATION, count_rows, default_data_root, ensure_dataset
from benchmarks.interactions import FLOOR_REPS, interactions, measure_interaction, pick_project
from benchmarks.report import TARGETS, checks, git_state, machine, render_table, write_json
from benchmarks.server import Server, server, stop_all


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
    forget_states: bool


def bench_size(participations: int, projects: int, opts: Options) -> dict[str, Any]:
    result: dict[str, Any] = {"participations": participations, "projects": projects, "errors": []}
    folder, generate_s = ensure_dataset(opts.data_root, participations, projects, timeout=1800)
    result.update(dataset=str(folder), generated_s=None if generate_s is None else round(generate_s, 1),
                  rows={"projects": count_rows(folder / "projects.csv"),
                        "participations": count_rows(folder / "participations.csv")})
    log(f"size {participations:,} participations / {projects:,} projects: {folder}")
    result["git"] = git_state()  # the working tree may change between sizes
    # A folder of its own, empty: the first start builds the dataset from its files (and writes
    # the snapshot), the restart after the run reads it back.
    snapshots = opts.log_dir / f"snapshots-{participations}"
    shutil.rmtree(snapshots, ignore_errors=True)
    for measure in (measure_server, measure_restart):
        with server(folder, opts.log_dir, snapshots, opts.forget_states) as srv:
            client = Client(srv.port, opts.request_timeout)
            try:
                measure(srv, client, result, opts)
            except BenchError as exc:
                raise BenchError(f"{measure.__name__}: {exc}\n--- server log, last lines ---\n"
                                 f"{srv.output(2500)}") from exc
            finally:
                client.close()
    shutil.rmtree(snapshots, ignore_errors=True)
    return result


def measure_restart(srv: Server, client: Client, result: dict[str, Any], opts: Options) -> None:
    """The second start on the same dataset (from its snapshot), to the first callbacks answered."""
    srv.wait_answering(opts.startup_timeout)
    open_page(client)
    ready_s = time.perf_counter() - srv.spawned_at
    mem = srv.memory()
    result["startup"]["restart_ready_s"] = round(ready_s, 2)
    result["memory"]["vmhwm_after_restart"] = mem.get("VmHWM")
    log(f"  restart (snapshot): first callbacks answered after {ready_s:.1f} s; "
        f"VmHWM {mem.get('VmHWM', 0) / MB:.0f} MB")


def measure_server(srv: Server, client: Client, result: dict[str, Any], opts: Options) -> None:
    """Start-up, interactions and browser runs against one running server, into ``result``."""
    index_s = srv.wait_answering(opts.startup_timeout)
    page = open_page(client)
    ready_s = time.perf_counter() - srv.spawned_at
    mem = srv.memory()
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
    for interaction in interactions(project_id, tuple(result["api_pick"]["others"])):
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
    mem = srv.memory()
    result["memory"].update(vmhwm_after_run=mem.get("VmHWM"), vmrss_after_run=mem.get("VmRSS"))




def per_size(values: list[int], sizes: list[int], name: str) -> list[int]:
    if len(values) == 1:
        return values * len(sizes)
    if len(values) != len(sizes):
        raise SystemExit(f"{name}: give one value or one per size ({len(sizes)})")
    return values




def on_signal(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0],
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
    parser.add_argument("--remember-states", action="store_true",
                        help="serve without --forget-states: a state that comes back is answered "
                             "from memory (default: every state computed anew)")
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
        "command": [sys.executable, "-m", "benchmarks.run", *sys.argv[1:]],
        "machine": machine(),
        "git": git_state(),
        "settings": {"reps": dict(zip(map(str, sizes), reps, strict=True)),
                     "browser_runs": dict(zip(map(str, sizes), runs, strict=True)),
                     "parallel_pass": not args.no_parallel, "floor_reps": FLOOR_REPS,
                     "forget_states": not args.remember_states,
                     "units": "ms; bytes as received; kB = 1000 B, MB = 10^6 B, GB = 10^9 B"},
        "targets": TARGETS,
        "sizes": [],
        "table": [],
    }
    failed = False
    with tempfile.TemporaryDirectory(prefix="ket-bench-logs-") as logs:
        try:
            for n, p, r, b in zip(sizes, projects, reps, runs, strict=True):
                opts = Options(args.data_root, r, b, not args.no_parallel, args.startup_timeout,
                               args.request_timeout, args.page_timeout, args.click_timeout, Path(logs),
                               not args.remember_states)
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
