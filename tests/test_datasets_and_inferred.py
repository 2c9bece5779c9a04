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
from components import ids
from data.engine import queries
from data.engine.masks import project_mask
from data.engine.model import Dataset
from data.engine.state import FilterState, parse_query
from data.importers.report import ImportFailure
from server import uploads
from server.registry import DatasetRegistry


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


# --- uploads: bounded, all or nothing, never a 500 --------------------------------------------


def leftovers(root: Path) -> list[str]:
    """Everything under an upload root but the kept incoming uploads: dataset folders, their
    staging and unpacked folders."""
    return sorted(p.name for p in root.iterdir() if p.name != "incoming") if root.exists() else []


def kept_uploads(root: Path) -> list[str]:
    incoming = root / "incoming"
    return sorted(p.name for p in incoming.iterdir()) if incoming.exists() else []


def spreadsheet_without_programme(rows: int) -> bytes:
    """The reported layout, small: one row per partner, no programme column."""
    lines = ["Acronym,Title,Start,End,Partner,Country,Role"]
    lines += [f"P{i // 3},Project {i // 3},2016-01-01,2018-12-31,Org {i},DE,partner" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def test_a_spreadsheet_over_the_row_limit_is_refused_before_it_is_kept_or_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_UPLOAD_ROWS", 10)
    with pytest.raises(ImportFailure) as refused:
        uploads.receive(data_url(spreadsheet_without_programme(11)), "big.csv", tmp_path)
    message = str(refused.value)
    assert message.startswith("big.csv: 11 lines, over the 10 this page imports")
    assert "python -m data.importers spreadsheet" in message
    assert kept_uploads(tmp_path) == []
    # At the limit it is taken.
    taken = uploads.receive(data_url(spreadsheet_without_programme(10)), "ok.csv", tmp_path)
    assert taken.columns[0] == "Acronym"


def test_an_xlsx_over_the_row_limit_is_refused_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Acronym", "Partner", "Country"])
    for i in range(30):
        sheet.append([f"P{i}", f"Org {i}", "DE"])
    workbook.create_sheet("Notes").append(["a second sheet is not counted"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    monkeypatch.setattr(uploads, "MAX_UPLOAD_ROWS", 29)
    with pytest.raises(ImportFailure, match=r"big\.xlsx: more than 29 rows, over the 29 this page imports"):
        uploads.receive(data_url(buffer.getvalue()), "big.xlsx", tmp_path)
    assert kept_uploads(tmp_path) == []
    monkeypatch.setattr(uploads, "MAX_UPLOAD_ROWS", 30)
    assert uploads.receive(data_url(buffer.getvalue()), "ok.xlsx", tmp_path).kind == "spreadsheet"


def test_a_zipped_dataset_with_a_table_over_the_row_limit_is_refused_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_dataset(tmp_path / "src")
    upload = uploads.receive(data_url(zipped(source)), "mydata.zip", tmp_path / "root")
    monkeypatch.setattr(uploads, "MAX_UPLOAD_ROWS", 2)
    with pytest.raises(ImportFailure, match=r"mydata\.zip: mydata/\w+\.csv has more than 2 rows"):
        uploads.accept(tmp_path / "root", upload.token, {}, tmp_path / "root" / "new")
    assert leftovers(tmp_path / "root") == []


def test_old_uploads_are_removed_beyond_the_kept_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "MAX_INCOMING", 3)
    tokens = [uploads.receive(data_url(spreadsheet_without_programme(3)), f"f{i}.csv", tmp_path).token
              for i in range(5)]
    kept = kept_uploads(tmp_path)
    assert len(kept) == 3 and tokens[-1] in kept


def test_a_spreadsheet_without_programme_column_becomes_a_served_dataset(tmp_path: Path) -> None:
    registry = DatasetRegistry(load_seed(), tmp_path / "uploads")
    upload = uploads.receive(data_url(spreadsheet_without_programme(30)), "mine.csv", registry.upload_root)
    dataset_id, report = uploads.import_upload(registry, upload.token, upload.mapping, "mine.csv")
    added = registry.get(dataset_id)
    assert added is not None and added.size == 10
    assert (added.projects["programme"] == "").all()
    assert added.folder == registry.upload_root / dataset_id, "the dataset knows where it landed"
    assert report.files[0].rows_imported == 30
    assert leftovers(registry.upload_root) == [dataset_id]


def test_an_import_that_validates_but_cannot_be_indexed_writes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import pyarrow as pa

    from data.importers import writer
    from data.importers.__main__ import main

    def broken(tables: dict, folder: Path) -> Dataset:
        raise pa.ArrowInvalid("Could not convert '' with type str: tried to convert to double")

    monkeypatch.setattr(writer, "build_dataset", broken)
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(spreadsheet_without_programme(6))
    out = tmp_path / "out"
    assert main(["spreadsheet", str(sheet), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert "could not index them (ArrowInvalid" in error and "nothing was written" in error
    assert "Traceback" not in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.csv"], "no dataset, no staging folder"


@pytest.fixture
def page_client(tmp_path: Path):
    """The real app (seed data) behind Flask's test client, uploads under tmp_path/uploads."""
    from server.factory import create_app

    app = create_app(upload_dir=tmp_path / "uploads")
    specs = app.server.test_client().get("/_dash-dependencies").get_json()
    return app.server.test_client(), specs, tmp_path / "uploads"


def post_callback(client, specs: list[dict], inputs: list, state: list):
    """POST one callback as the browser does: the callback with exactly these inputs."""
    spec = next(s for s in specs if [(i["id"], i["property"]) for i in s["inputs"]]
                == [(i["id"], i["property"]) for i in inputs])
    parts = spec["output"][2:-2].split("...")
    outputs = [{"id": p.rpartition(".")[0], "property": p.rpartition(".")[2]} for p in parts]
    changed = [f"{inputs[0]['id']}.{inputs[0]['property']}"]
    return client.post("/_dash-update-component", json={
        "output": spec["output"], "outputs": outputs, "inputs": inputs, "state": state,
        "changedPropIds": changed, "parsedChangedPropsIds": changed})


def upload_through_the_page(client, specs: list[dict], raw: bytes, filename: str):
    return post_callback(client, specs, [{"id": ids.UPLOAD, "property": "contents", "value": data_url(raw)}],
                         [{"id": ids.UPLOAD, "property": "filename", "value": filename},
                          {"id": ids.STATE, "property": "data", "value": None}])


def import_through_the_page(client, specs: list[dict], store: dict, mapping: dict[str, str]):
    values = [{"id": {"type": ids.UPLOAD_FIELD, "target": t}, "property": "value", "value": c}
              for t, c in mapping.items()]
    fields = [{"id": {"type": ids.UPLOAD_FIELD, "target": t}, "property": "id",
               "value": {"type": ids.UPLOAD_FIELD, "target": t}} for t in mapping]
    return post_callback(client, specs, [{"id": ids.UPLOAD_IMPORT, "property": "n_clicks", "value": 1}],
                         [{"id": ids.UPLOAD_STORE, "property": "data", "value": store}, values, fields,
                          {"id": ids.STATE, "property": "data", "value": None}])


def test_the_page_refuses_an_upload_over_the_row_limit_with_a_message_not_an_error(
    page_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, specs, root = page_client
    monkeypatch.setattr(uploads, "MAX_UPLOAD_ROWS", 10)
    answer = upload_through_the_page(client, specs, spreadsheet_without_programme(50), "big.csv")
    assert answer.status_code == 200
    shown = answer.get_data(as_text=True)
    assert "big.csv: 50 lines, over the 10 this page imports" in shown
    assert "python -m data.importers" in shown
    assert leftovers(root) == [] and kept_uploads(root) == []


def test_the_page_answers_a_dataset_that_cannot_be_indexed_with_a_message_and_keeps_nothing(
    page_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow as pa

    from data.importers import writer

    client, specs, root = page_client
    received = upload_through_the_page(client, specs, spreadsheet_without_programme(30), "mine.csv")
    assert received.status_code == 200
    store = received.get_json()["response"][ids.UPLOAD_STORE]["data"]

    def broken(tables: dict, folder: Path) -> Dataset:
        raise pa.ArrowInvalid("Could not convert '' with type str: tried to convert to double")

    monkeypatch.setattr(writer, "build_dataset", broken)
    mapping = {"acronym": "Acronym", "partner_name": "Partner", "partner_country": "Country"}
    answer = import_through_the_page(client, specs, store, mapping)
    assert answer.status_code == 200
    assert "could not index them (ArrowInvalid" in answer.get_data(as_text=True)
    assert leftovers(root) == [], "no dataset folder, no staging folder"

    monkeypatch.undo()
    answer = import_through_the_page(client, specs, store, mapping)
    assert answer.status_code == 200
    switched = answer.get_json()["response"][ids.UPLOAD_STORE]["data"]
    assert leftovers(root) == [switched["dataset_id"]]


def test_an_upload_the_registry_cannot_add_leaves_no_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from server import registry as registry_module

    registry = DatasetRegistry(load_seed(), tmp_path / "uploads")
    upload = uploads.receive(data_url(spreadsheet_without_programme(6)), "mine.csv", registry.upload_root)

    def broken(folder: Path) -> Dataset:
        raise KeyError("programme")

    monkeypatch.setattr(registry_module, "load_dataset", broken)
    with pytest.raises(ImportFailure, match=r"mine\.csv: imported, but the app could not index it"):
        uploads.import_upload(registry, upload.token, upload.mapping, "mine.csv")
    assert leftovers(registry.upload_root) == []
    assert kept_uploads(registry.upload_root) == [upload.token], "the upload stays, to try another mapping"
