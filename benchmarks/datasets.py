"""The synthetic datasets the benchmark measures, generated with ``tools.synth`` when absent."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import REPO, BenchError, log

PROJECTS_PER_PARTICIPATION = 20
"""Default dataset shape: 10k participations -> 500 projects, 1M -> 50,000."""
SEED = 1


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
