"""What the benchmark reports: the targets, the table (size x metric: value, target, pass), the
machine and the commit measured, and the JSON document written to ``--out``."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
from pathlib import Path
from typing import Any

from benchmarks.common import GB, KB, MB, REPO

# Targets of the performance issue, by number of participations.
TARGET_SERVER_P95_MS = {1_000_000: 100.0, 100_000: 30.0}
TARGET_BYTES = {1_000_000: 300 * KB}
TARGET_BROWSER_MEDIAN_MS = {100_000: 500.0}
TARGET_STARTUP_S = {1_000_000: 15.0}
TARGET_RESTART_S = {1_000_000: 5.0}
"""A start after the first, from the dataset's snapshot (issue 13)."""
TARGET_PEAK_BYTES = {1_000_000: 3 * GB}
TARGETS = {"server_p95_ms": TARGET_SERVER_P95_MS, "bytes_per_interaction": TARGET_BYTES,
           "browser_median_ms": TARGET_BROWSER_MEDIAN_MS, "startup_s": TARGET_STARTUP_S,
           "restart_s": TARGET_RESTART_S,
           "peak_memory_bytes": TARGET_PEAK_BYTES}
"""The ``targets`` of the JSON."""


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
        restart = result["startup"].get("restart_ready_s")
        if restart is not None:
            target = TARGET_RESTART_S.get(n)
            rows.append(check(n, "restart (from the snapshot) to first callbacks answered",
                              f"{restart:.1f} s", f"<= {target:.0f} s" if target else None,
                              restart <= target if target else None))
    memory = result.get("memory", {})
    for key, label in (("vmhwm_after_startup", "after start-up"), ("vmhwm_after_run", "after the run"),
                       ("vmhwm_after_restart", "after the restart")):
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



def write_json(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(document, indent=2) + "\n")
    partial.replace(path)

