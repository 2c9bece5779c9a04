"""Start-up from a snapshot (``data.engine.snapshot``, ``data.io.snapshot``): the same dataset as
built from its files, never a stale one, and never a reason for a server not to start."""

from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fixtures_data import tiny_tables, write_dataset

from data.engine import snapshot
from data.engine.memo import INDEXES
from data.engine.model import Dataset
from data.engine.network import entries
from data.engine.queries import project_detail
from data.io import snapshot as files
from server.main import parse_args, snapshot_folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_dataset(tmp_path)


def load(folder: Path, snapshots: Path) -> snapshot.Loaded:
    return snapshot.load(folder, snapshots, taxonomy_dir=folder.parent / "taxonomy")


def first_and_second(folder: Path, snapshots: Path) -> tuple[snapshot.Loaded, snapshot.Loaded]:
    """A first start (built, snapshot written) and a second (read back)."""
    first = load(folder, snapshots)
    assert snapshot.save(first, snapshots) is not None
    return first, load(folder, snapshots)


def assert_same_dataset(built: Dataset, read: Dataset) -> None:
    for table in ("projects", "participations", "organisations", "project_countries", "project_kets",
                  "findings", "sources"):
        pd.testing.assert_frame_equal(getattr(built, table), getattr(read, table))
    assert set(built.members) == set(read.members)
    for dimension in ("country", "ket", "sector", "programme", "instrument"):
        assert set(built.members[dimension]) == set(read.members[dimension])
        for value, mask in built.members[dimension].items():
            np.testing.assert_array_equal(mask, read.members[dimension][value])
    assert built.project_positions == read.project_positions
    assert built.folder == read.folder


def test_a_second_start_reads_the_snapshot_and_gets_the_same_dataset(folder: Path, tmp_path: Path) -> None:
    first, second = first_and_second(folder, tmp_path / "snapshots")
    assert not first.from_snapshot
    assert second.from_snapshot
    assert first.key == second.key
    assert_same_dataset(first.dataset, second.dataset)
    # Answers drawn from it are the same too.
    assert_same_detail(project_detail(first.dataset, "alpha"), project_detail(second.dataset, "alpha"))


def assert_same_detail(built: object, read: object) -> None:
    assert type(built) is type(read)
    if dataclasses.is_dataclass(built):
        for spec in dataclasses.fields(built):
            assert_same_detail(getattr(built, spec.name), getattr(read, spec.name))
    elif isinstance(built, pd.DataFrame):
        pd.testing.assert_frame_equal(built, read)  # type: ignore[arg-type]
    elif isinstance(built, pd.Series):
        pd.testing.assert_series_equal(built, read)  # type: ignore[arg-type]
    elif isinstance(built, dict):
        assert isinstance(read, dict) and built.keys() == read.keys()
        for key in built:
            assert_same_detail(built[key], read[key])
    else:
        assert built == read


def test_a_changed_file_is_read_anew_not_from_the_old_snapshot(folder: Path, tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    first_and_second(folder, snapshots)
    projects = folder / "projects.csv"
    before = projects.stat()
    # Same size, same modification time: only the content tells the change.
    projects.write_bytes(projects.read_bytes().replace(b"Alpha", b"Omega", 1))
    os.utime(projects, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert projects.stat().st_size == before.st_size
    again = load(folder, snapshots)
    assert not again.from_snapshot
    names = again.dataset.projects[["acronym", "title"]].to_numpy().ravel().tolist()
    assert "Omega" in " ".join(names)


def test_a_changed_seed_document_changes_the_fingerprint(folder: Path) -> None:
    taxonomy = folder.parent / "taxonomy"
    before = files.fingerprint(folder, taxonomy)
    document = next((folder / "sources").iterdir())
    document.write_text(document.read_text(encoding="utf-8") + " More.", encoding="utf-8")
    assert files.fingerprint(folder, taxonomy) != before


def test_the_same_files_in_another_folder_get_their_own_snapshot(tmp_path: Path) -> None:
    one = write_dataset(tmp_path / "one")
    other = write_dataset(tmp_path / "other")
    taxonomy = one.parent / "taxonomy"
    assert files.fingerprint(one, taxonomy) != files.fingerprint(other, taxonomy)


def test_a_cut_short_snapshot_is_removed_and_the_dataset_built(folder: Path, tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    snapshots = tmp_path / "snapshots"
    first, _ = first_and_second(folder, snapshots)
    path = snapshots / f"{first.key}{files.SUFFIX}"
    path.write_bytes(path.read_bytes()[:100])
    with caplog.at_level(logging.WARNING, logger="data.io.snapshot"):
        again = load(folder, snapshots)
    assert not again.from_snapshot
    assert again.dataset.size == first.dataset.size
    assert not path.exists()
    assert "snapshot not read" in caplog.text


def test_a_snapshot_holding_something_else_is_ignored(folder: Path, tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    key = files.fingerprint(folder, folder.parent / "taxonomy")
    files.write(snapshots, key, {"not": "a dataset"})
    loaded = load(folder, snapshots)
    assert not loaded.from_snapshot
    assert isinstance(loaded.dataset, Dataset)


def test_a_folder_others_may_write_to_is_neither_read_nor_written(folder: Path, tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    first, _ = first_and_second(folder, snapshots)
    snapshots.chmod(0o777)
    assert not load(folder, snapshots).from_snapshot
    assert files.write(snapshots, "other", first.dataset) is None
    assert not (snapshots / f"other{files.SUFFIX}").exists()


def test_the_server_makes_its_snapshot_folder_private(folder: Path, tmp_path: Path) -> None:
    snapshots = tmp_path / "deep" / "snapshots"
    first_and_second(folder, snapshots)
    assert snapshots.stat().st_mode & 0o777 == 0o700


def test_a_full_disk_leaves_no_file_and_the_dataset_served(folder: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    snapshots = tmp_path / "snapshots"
    loaded = load(folder, snapshots)

    def full(value: object, out: object, protocol: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.pickle, "dump", full)
    assert snapshot.save(loaded, snapshots) is None
    assert list(snapshots.iterdir()) == []


def test_only_the_newest_snapshots_are_kept_and_stale_temporary_files_removed(tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    for number in range(files.KEPT + 2):
        files.write(snapshots, f"key{number}", number)
        path = snapshots / f"key{number}{files.SUFFIX}"
        os.utime(path, (time.time() - 100 + number, time.time() - 100 + number))
    stale = snapshots / ".key9.abc.tmp"
    fresh = snapshots / ".key8.def.tmp"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"being written")
    old = time.time() - files.STALE_SECONDS - 10
    os.utime(stale, (old, old))
    files.prune(snapshots)
    kept = sorted(p.name for p in snapshots.iterdir() if p.suffix == files.SUFFIX)
    assert kept == [f"key{n}{files.SUFFIX}" for n in range(2, files.KEPT + 2)]
    assert not stale.exists()
    assert fresh.exists()  # another server may be writing it now


def test_indexes_built_on_first_use_are_kept_and_per_state_results_are_not(folder: Path,
                                                                           tmp_path: Path) -> None:
    snapshots = tmp_path / "snapshots"
    first = load(folder, snapshots)
    entries(first.dataset, "org")  # an index (index=True)
    project_detail(first.dataset, "alpha")  # a per-state result
    kept_names = [name for name in first.dataset.memo._tables if name in INDEXES]
    assert kept_names
    snapshot.save(first, snapshots)
    second = load(folder, snapshots)
    assert sorted(second.dataset.memo._tables) == sorted(kept_names)
    np.testing.assert_array_equal(entries(second.dataset, "org").pos, entries(first.dataset, "org").pos)


def test_a_snapshot_keeps_no_lock_and_the_copy_takes_its_own(folder: Path, tmp_path: Path) -> None:
    loaded = load(folder, tmp_path / "snapshots")
    copy = pickle.loads(pickle.dumps(loaded.dataset))
    assert copy.memo._lock is not loaded.dataset.memo._lock
    project_detail(copy, "alpha")  # the copy's memo works


def test_no_snapshot_folder_means_the_files_every_time(folder: Path) -> None:
    loaded = snapshot.load(folder, None, taxonomy_dir=folder.parent / "taxonomy")
    assert (loaded.key, loaded.from_snapshot) == (None, False)
    assert snapshot.save(loaded, None) is None


def test_the_command_line_chooses_the_snapshot_folder(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KET_SNAPSHOT_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert snapshot_folder(parse_args([])) == tmp_path / "cache" / "ket-dashboard" / "snapshots"
    monkeypatch.setenv("KET_SNAPSHOT_DIR", str(tmp_path / "env"))
    assert snapshot_folder(parse_args([])) == tmp_path / "env"
    assert snapshot_folder(parse_args(["--snapshot-dir", str(tmp_path / "arg")])) == tmp_path / "arg"
    assert snapshot_folder(parse_args(["--no-snapshot"])) is None


def test_too_many_files_means_no_snapshot_but_the_dataset_loads(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_dataset(tmp_path, tiny_tables())
    monkeypatch.setattr(files, "MAX_FILES", 3)
    loaded = load(folder, tmp_path / "snapshots")
    assert loaded.key is None
    assert loaded.dataset.size == len(tiny_tables()["projects"])
