"""The upload dialog's steps as plain functions: what each one puts in the dialog for a file,
without a browser (the browser test in test_browser_upload.py clicks through the same)."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import dash_bootstrap_components as dbc
import pytest
from dash import no_update
from fixtures_data import load_seed

from callbacks.upload import (
    ACCEPT_OUTPUTS,
    RECEIVE_OUTPUTS,
    accept_upload,
    chosen_mapping,
    dialog_open,
    receive_upload,
)
from components import ids
from server.registry import DatasetRegistry

CSV = b"Acronym,Title,Partner,Country\nABC,A project,Fraunhofer,DE\nXYZ,Another,CNRS,FR\n"


def data_url(content: bytes, kind: str = "text/csv") -> str:
    return f"data:{kind};base64," + base64.b64encode(content).decode()


@pytest.fixture
def registry(tmp_path: Path) -> DatasetRegistry:
    return DatasetRegistry(load_seed(), tmp_path / "uploads")


def test_the_switch_button_closes_the_dialog_and_the_open_button_toggles_it() -> None:
    assert dialog_open(ids.UPLOAD_SWITCH, True) is False
    assert dialog_open(ids.UPLOAD_OPEN, False) is True
    assert dialog_open(ids.UPLOAD_OPEN, True) is False


def test_no_file_changes_nothing(tmp_path: Path) -> None:
    assert receive_upload(tmp_path, None, None) == dict.fromkeys(RECEIVE_OUTPUTS, no_update)


def test_a_spreadsheet_fills_the_mapping_and_the_preview_and_enables_import(tmp_path: Path) -> None:
    shown = receive_upload(tmp_path, data_url(CSV), "projects.csv")
    assert set(shown) == set(RECEIVE_OUTPUTS)
    assert shown["store"]["filename"] == "projects.csv" and shown["store"]["token"]
    assert shown["import_disabled"] is False and shown["switch_disabled"] is True
    assert "4 columns" in shown["status"].children
    assert shown["mapping"] and shown["preview"]
    # The file is kept under the upload folder, waiting for "Check and import".
    assert any(tmp_path.rglob("projects.csv"))


def test_a_file_of_the_wrong_kind_is_refused_in_the_status_and_nothing_is_kept(tmp_path: Path) -> None:
    shown = receive_upload(tmp_path, data_url(b"%PDF-1.4", "application/pdf"), "notes.pdf")
    assert shown["store"] is None and shown["import_disabled"] is True
    assert isinstance(shown["status"], dbc.Alert) and shown["status"].color == "danger"
    assert "notes.pdf" in shown["status"].children
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_the_chosen_mapping_leaves_out_fields_without_a_column() -> None:
    fields: list[dict[str, Any]] = [{"type": "x", "target": t} for t in ("acronym", "title", "kets")]
    assert chosen_mapping(["Acronym", None, ""], fields) == {"acronym": "Acronym"}


def test_importing_adds_a_dataset_names_it_in_the_store_and_enables_the_switch(
    registry: DatasetRegistry,
) -> None:
    store = receive_upload(registry.upload_root, data_url(CSV), "projects.csv")["store"]
    shown = accept_upload(registry, store, {"acronym": "Acronym", "title": "Title",
                                            "partner_name": "Partner", "partner_country": "Country"})
    assert set(shown) == set(ACCEPT_OUTPUTS)
    dataset_id = shown["store"]["dataset_id"]
    dataset = registry.get(dataset_id)
    assert dataset is not None and sorted(dataset.projects["acronym"]) == ["ABC", "XYZ"]
    assert shown["switch_disabled"] is False
    assert "2 rows read, 2 imported, 0 rejected." in str(shown["report"])


def test_an_import_that_fails_says_why_and_adds_nothing(registry: DatasetRegistry) -> None:
    shown = accept_upload(registry, {"token": "no-such-upload", "filename": "gone.csv"}, {})
    assert shown["store"] is no_update and shown["switch_disabled"] is True
    assert shown["report"][0].color == "danger"
    assert registry.label("anything") == "default"
    assert not [p for p in registry.upload_root.iterdir() if not p.name.startswith(".")]


def test_without_an_upload_in_the_store_import_changes_nothing(registry: DatasetRegistry) -> None:
    assert accept_upload(registry, None, {}) == dict.fromkeys(ACCEPT_OUTPUTS, no_update)
