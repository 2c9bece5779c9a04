"""`python app.py --data DIR` refuses a bad dataset before serving: exit code 2, problems on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import dash
import pytest
from fixtures_data import DOC_ID, DOC_TEXT, REPO, load_seed, tiny_tables, write_dataset

import app
from data.engine.model import load_dataset
from data.engine.queries import year_bounds

TIMEOUT = 120  # seconds; loading takes about one, but CI machines can be slow


def run_app(*args: str) -> subprocess.CompletedProcess[str]:
    """Run app.py as a user would, from the repository root."""
    return subprocess.run(
        [sys.executable, "app.py", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_bad_dataset_exits_2_and_names_file_line_and_field_on_stderr(tmp_path: Path) -> None:
    tables = tiny_tables()
    tables["projects"][1]["start_date"] = "2012-13"
    tables["organisations"][1]["country"] = "Atlantis"
    folder = write_dataset(tmp_path, tables)
    result = run_app("--data", str(folder), "--port", "1")
    assert result.returncode == 2, result.stderr
    # Every problem is listed, each with its place, so the user can fix them in one go.
    assert "projects.csv, line 3, field 'start_date'" in result.stderr
    assert "organisations.csv, line 3, field 'country'" in result.stderr
    assert "2 problem(s)" in result.stderr
    assert str(folder) in result.stderr
    # It stops before serving: nothing announces a running server.
    assert "Running on" not in result.stdout + result.stderr


def test_missing_folder_exits_2_and_says_so(tmp_path: Path) -> None:
    result = run_app("--data", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "is not a folder" in result.stderr


def test_folder_without_the_required_files_exits_2_naming_them(tmp_path: Path) -> None:
    result = run_app("--data", str(tmp_path))
    assert result.returncode == 2
    for name in ("sources.csv", "projects.csv"):
        assert f"{name}: file is missing" in result.stderr


def test_seed_document_that_is_not_utf8_exits_2(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path)
    (folder / "sources" / DOC_ID).write_bytes((DOC_TEXT + "Café.\n").encode("cp1252"))
    result = run_app("--data", str(folder))
    assert result.returncode == 2
    assert DOC_ID in result.stderr
    assert "Traceback" not in result.stderr


def test_main_serves_a_good_dataset_on_the_requested_host_and_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Replace the blocking server with a recorder: what matters is that a valid dataset gets
    # that far, with the options given.
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kwargs: calls.append(kwargs))
    monkeypatch.setattr("server.main.settle_memory", lambda: None)
    folder = write_dataset(tmp_path)
    assert app.main(["--data", str(folder), "--host", "0.0.0.0", "--port", "8123"]) == 0
    assert calls == [{"host": "0.0.0.0", "port": 8123, "debug": False}]


def test_main_returns_2_for_a_bad_dataset_without_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kwargs: pytest.fail("must not serve"))
    tables = tiny_tables()
    tables["projects"][0]["end_date"] = "2009"  # before alpha's 2010-01-01 start
    assert app.main(["--data", str(write_dataset(tmp_path, tables))]) == 2
    assert "projects.csv, line 2, field 'end_date'" in capsys.readouterr().err


def test_year_bounds_span_every_stated_year_and_default_when_there_is_none(tmp_path: Path) -> None:
    # The seed's years run from CluStrat's start (2011) to ClusterFY's end (2021).
    assert year_bounds(load_seed()) == (2011, 2021)
    tables = tiny_tables()
    for table in ("projects", "activities"):
        for row in tables[table]:
            row.update(start_date="", end_date="", duration_months="")
    undated = load_dataset(write_dataset(tmp_path, tables), taxonomy_dir=tmp_path / "taxonomy")
    assert year_bounds(undated) == (2000, 2030)


def test_creating_an_app_leaves_the_garbage_collector_alone(tmp_path: Path) -> None:
    # GC tuning belongs to starting a server (server.main), not to building an app: a test or a
    # WSGI host that builds one must find the process as it was.
    import gc

    before = gc.get_threshold(), gc.get_freeze_count()
    app.create_app(write_dataset(tmp_path), upload_dir=tmp_path / "uploads")
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_main_removes_the_upload_folder_it_made_when_the_server_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server.factory import registry_of

    made: list[Path] = []

    def serve(self: dash.Dash, **kwargs: Any) -> None:
        folder = registry_of(self).upload_root
        assert folder.is_dir()
        made.append(folder)

    monkeypatch.setattr(dash.Dash, "run", serve)
    monkeypatch.setattr("server.main.settle_memory", lambda: None)
    assert app.main(["--data", str(write_dataset(tmp_path))]) == 0
    assert made and not made[0].exists()


def test_main_keeps_an_upload_folder_it_was_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kwargs: None)
    monkeypatch.setattr("server.main.settle_memory", lambda: None)
    uploads = tmp_path / "uploads"
    assert app.main(["--data", str(write_dataset(tmp_path)), "--upload-dir", str(uploads)]) == 0
    assert uploads.is_dir()

