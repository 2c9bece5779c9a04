"""Several datasets on one server, and tags inferred by rules that a view can switch off.

Tiny dataset (``fixtures_data.tiny_tables``): beta's photonics tag is inferred, alpha's is curated.
"""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from fixtures_data import load_seed, load_tiny, write_dataset
from flask import Flask

from callbacks import api, interactions
from callbacks.hub import state_from_url
from data import queries, uploads
from data.filters import FilterState, parse_query, project_mask
from data.importers.report import ImportFailure
from data.model import Dataset
from data.registry import DatasetRegistry


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


def ids_of(dataset: Dataset, mask: np.ndarray) -> set[str]:
    return set(dataset.projects.loc[mask, "project_id"])


# --- inferred tags ---------------------------------------------------------------------------


def test_inferred_tags_count_by_default_and_not_when_switched_off(tiny: Dataset) -> None:
    on = FilterState(ket=("photonics",))
    assert ids_of(tiny, project_mask(tiny, on)) == {"alpha", "beta"}
    off = FilterState(ket=("photonics",), inferred=False)
    assert ids_of(tiny, project_mask(tiny, off)) == {"alpha"}


def test_matrix_without_inferred_tags_moves_nothing_but_the_inferred_pair(tiny: Dataset) -> None:
    everything = np.ones(tiny.size, dtype=bool)

    def cell(include: bool, ket: str, sector: str) -> int:
        m = queries.ket_sector_matrix(tiny, everything, include)
        return int(m[(m["ket"] == ket) & (m["sector"] == sector)]["projects"].iloc[0])

    assert cell(True, "photonics", "digital") == 1
    assert cell(False, "photonics", "digital") == 0
    # beta keeps its curated nanotechnology tag either way.
    assert cell(False, "nanotechnology", "digital") == 1


def test_api_record_says_which_tags_are_inferred_and_can_leave_them_out(tiny: Dataset) -> None:
    beta = tiny.position("beta")
    assert beta is not None
    with_inferred = queries.project_record(tiny, beta)
    assert with_inferred["kets"] == ["nanotechnology", "photonics"]
    assert with_inferred["inferred_kets"] == ["photonics"]
    without = queries.project_record(tiny, beta, include_inferred=False)
    assert without["kets"] == ["nanotechnology"]
    assert without["inferred_kets"] == []


def test_inferred_switch_round_trips_through_the_url(tiny: Dataset) -> None:
    state = FilterState(ket=("photonics",), inferred=False)
    assert "inferred=off" in state.to_query()
    parsed, notices = parse_query(state.to_query(), tiny)
    assert parsed == state and notices == []
    _, notices = parse_query("inferred=maybe", tiny)
    assert [n.param for n in notices] == ["inferred"]


def test_inferred_switch_interaction_only_takes_a_boolean() -> None:
    assert interactions.on_inferred(FilterState(), False).inferred is False
    assert interactions.on_inferred(FilterState(), "no") == FilterState()


# --- datasets --------------------------------------------------------------------------------


def test_registry_serves_the_default_for_no_id_and_nothing_for_an_unknown_one(tiny: Dataset) -> None:
    registry = DatasetRegistry(tiny)
    try:
        assert registry.get(None) is tiny and registry.get("default") is tiny
        assert registry.get("nope") is None
        assert registry.resolve("nope") is tiny
    finally:
        registry.close()


def test_registry_adds_an_upload_and_forgets_the_oldest_beyond_its_limit(
    tiny: Dataset, tmp_path: Path
) -> None:
    registry = DatasetRegistry(tiny, tmp_path / "uploads", limit=1)
    first_id, first_folder = registry.new_folder()
    write_dataset(tmp_path / "a").rename(first_folder)
    registry.add(first_id, first_folder, label="mine.xlsx")
    assert registry.get(first_id) is not None and registry.label(first_id) == "mine.xlsx"
    second_id, second_folder = registry.new_folder()
    write_dataset(tmp_path / "b").rename(second_folder)
    registry.add(second_id, second_folder)
    assert registry.get(first_id) is None
    assert not first_folder.exists(), "an evicted upload's files are removed"
    assert registry.get(second_id) is not None


def test_an_address_naming_an_unknown_dataset_shows_the_default_with_a_notice(tiny: Dataset) -> None:
    registry = DatasetRegistry(tiny)
    try:
        state, notices = state_from_url("?dataset=gone&ket=photonics", registry)
        assert state.dataset is None and state.ket == ("photonics",)
        assert [n.param for n in notices] == ["dataset"]
    finally:
        registry.close()


def test_switching_dataset_clears_filters_and_the_dataset_chip_goes_back(tiny: Dataset) -> None:
    state = FilterState(country=("DE",), map="partners")
    switched = interactions.on_switch_dataset(state, {"dataset_id": "abc123"})
    assert switched == FilterState(map="partners", dataset="abc123")
    assert interactions.on_switch_dataset(state, {"no": "id"}) == state
    back = interactions.on_chip_remove(switched, "dataset", "abc123")
    assert back.dataset is None
    assert interactions.on_reset(FilterState(ket=("x",), dataset="abc123")).dataset == "abc123"


def test_api_answers_400_for_an_unknown_dataset_and_serves_a_known_one(
    tiny: Dataset, tmp_path: Path
) -> None:
    registry = DatasetRegistry(load_seed(), tmp_path / "uploads")
    dataset_id, folder = registry.new_folder()
    write_dataset(tmp_path / "t").rename(folder)
    registry.add(dataset_id, folder)
    server = Flask(__name__)
    api.register(server, registry)
    client = server.test_client()
    bad = client.get("/api/projects?dataset=nope")
    assert bad.status_code == 400
    assert bad.get_json()["problems"][0]["parameter"] == "dataset"
    mine = client.get(f"/api/projects?dataset={dataset_id}")
    assert {p["id"] for p in mine.get_json()} == set(tiny.projects["project_id"])
    default = client.get("/api/projects")
    assert "clusterfy" in {p["id"] for p in default.get_json()}


# --- uploads ---------------------------------------------------------------------------------


def data_url(raw: bytes) -> str:
    return "data:application/octet-stream;base64," + base64.b64encode(raw).decode()


def zipped(folder: Path, prefix: str = "mydata/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("filename", "raw", "message"),
    [
        ("notes.pdf", b"%PDF-1.4", "expected a spreadsheet"),
        ("empty.csv", b"", "empty"),
    ],
)
def test_upload_refuses_the_wrong_kind_or_an_empty_file(
    tmp_path: Path, filename: str, raw: bytes, message: str
) -> None:
    with pytest.raises(ImportFailure, match=message):
        uploads.receive(data_url(raw), filename, tmp_path)


def test_upload_refuses_a_damaged_or_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ImportFailure, match="damaged"):
        uploads.receive("data:text/csv;base64,@@@not-base64@@@", "x.csv", tmp_path)
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ImportFailure, match="larger than"):
        uploads.receive(data_url(b"a,b\n" * 20), "x.csv", tmp_path)


def test_a_zipped_dataset_is_validated_and_becomes_a_dataset_of_its_own(tmp_path: Path) -> None:
    source = write_dataset(tmp_path / "src")
    upload = uploads.receive(data_url(zipped(source)), "mydata.zip", tmp_path / "root")
    assert upload.kind == "dataset-zip"
    out = tmp_path / "root" / "new-dataset"
    report = uploads.accept(tmp_path / "root", upload.token, {}, out)
    assert (out / "projects.csv").exists() and (out / "import" / "report.txt").exists()
    assert report.files[0].rows_imported == 5
    registry = DatasetRegistry(load_seed(), tmp_path / "reg")
    added = registry.add("abc", out)
    assert set(added.projects["project_id"]) == {"alpha", "beta", "gamma", "delta", "epsilon"}


def test_a_zip_with_a_path_leaving_its_folder_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil/projects.csv", "x")
    upload = uploads.receive(data_url(buffer.getvalue()), "evil.zip", tmp_path)
    with pytest.raises(ImportFailure, match="unsafe path"):
        uploads.accept(tmp_path, upload.token, {}, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path.parent / "evil").exists()


def test_a_zip_without_a_dataset_says_what_it_needs(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    upload = uploads.receive(data_url(buffer.getvalue()), "wrong.zip", tmp_path)
    with pytest.raises(ImportFailure, match=r"no projects\.csv"):
        uploads.accept(tmp_path, upload.token, {}, tmp_path / "out")


def test_an_unknown_upload_token_is_a_clear_error_not_a_path(tmp_path: Path) -> None:
    with pytest.raises(ImportFailure, match="upload the file again"):
        uploads.accept(tmp_path, "../../etc", {}, tmp_path / "out")


def test_api_pages_with_limit_and_offset_and_reports_the_total() -> None:
    registry = DatasetRegistry(load_seed())
    server = Flask(__name__)
    api.register(server, registry)
    client = server.test_client()
    everything = [p["id"] for p in client.get("/api/projects").get_json()]
    page = client.get("/api/projects?limit=2&offset=1")
    assert [p["id"] for p in page.get_json()] == everything[1:3]
    assert page.headers["X-Total-Count"] == str(len(everything))
    assert client.get("/api/projects?offset=99").get_json() == []
    bad = client.get("/api/projects?limit=-1")
    assert bad.status_code == 400 and bad.get_json()["problems"][0]["parameter"] == "limit"
    registry.close()
