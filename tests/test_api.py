"""The JSON API, the source documents and the boundaries, through Flask's test client."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from fixtures_data import DOC_ID, DOC_TEXT, SEED_DIR, write_dataset
from flask.testing import FlaskClient

from data.engine.masks import project_mask
from data.engine.model import Dataset, load_dataset
from data.engine.queries import project_record
from data.engine.state import parse_query
from server.factory import create_app

API_FIELDS = {"id", "acronym", "title", "kind", "programme", "start_date", "end_date", "countries",
              "partners", "kets", "sectors", "sources"}
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@pytest.fixture(scope="module")
def tiny_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The app reads the shared taxonomy in data/taxonomy; the tiny dataset uses its slugs.
    return write_dataset(tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def client(tiny_folder: Path) -> FlaskClient:
    return create_app(tiny_folder).server.test_client()


@pytest.fixture(scope="module")
def tiny(tiny_folder: Path) -> Dataset:
    return load_dataset(tiny_folder)


@pytest.fixture(scope="module")
def seed_client() -> FlaskClient:
    return create_app(SEED_DIR).server.test_client()


def ids_of(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/api/projects?{query}")
    assert response.status_code == 200, response.get_json()
    return [p["id"] for p in response.get_json()]


# --- /api/projects ---------------------------------------------------------------------------


def test_api_lists_every_project_with_the_contract_fields(client: FlaskClient) -> None:
    response = client.get("/api/projects")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    projects = response.get_json()
    assert [p["id"] for p in projects] == ["alpha", "beta", "gamma", "delta", "epsilon"]
    for p in projects:
        assert set(p) >= API_FIELDS
        for date in (p["start_date"], p["end_date"]):
            assert date is None or ISO_DATE.match(date)
        assert all(re.fullmatch(r"[A-Z]{2}", c) for c in p["countries"])
        assert all(set(partner) == {"name", "country", "role"} for partner in p["partners"])


def test_api_record_matches_the_query_layer(client: FlaskClient, tiny: Dataset) -> None:
    listed = {p["id"]: p for p in client.get("/api/projects").get_json()}
    assert listed["alpha"] == project_record(tiny, tiny.position("alpha"))
    # JSON has null, never an empty string or 0, for what the sources do not say.
    assert listed["gamma"]["end_date"] is None
    assert listed["gamma"]["eu_contribution_eur"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=DE,FR", ["alpha", "beta", "gamma"]),  # OR within a parameter
        ("country=FR,IT", ["alpha", "gamma"]),
        ("country=FR&country=IT", ["alpha", "gamma"]),  # repeated = comma-separated
        ("country=DE&ket=nanotechnology", ["beta"]),  # AND across parameters
        ("country=EL", ["epsilon"]),  # the EU code for Greece
        ("country=Italia", ["gamma"]),
        ("from=2012&to=2012", ["alpha", "beta"]),
        ("ket=not-stated", ["gamma", "delta"]),
        ("programme=prog-a", ["alpha", "epsilon"]),
        # project= names the page's open project: it narrows nothing (/api/projects/beta is one).
        ("project=beta", ["alpha", "beta", "gamma", "delta", "epsilon"]),
        ("project=beta&country=FR", ["alpha"]),
        ("q=nordcluster", ["alpha", "beta"]),
        ("q=%CE%B1%CE%B2%CE%B3", []),  # unicode search that matches nothing is still fine
        ("country=FR&ket=nanotechnology", []),
        ("map=partners", ["alpha", "beta", "gamma", "delta", "epsilon"]),
    ],
)
def test_api_takes_the_same_parameters_as_the_page_url(
    client: FlaskClient, query: str, expected: list[str]
) -> None:
    assert ids_of(client, query) == expected


@pytest.mark.parametrize("query", ["country=DE,FR&from=2013", "ket=photonics&sector=digital", "q=alpha"])
def test_api_selects_exactly_what_the_page_filter_selects(
    client: FlaskClient, tiny: Dataset, query: str
) -> None:
    state, notices = parse_query(query, tiny)
    assert notices == []
    page = list(tiny.projects["project_id"][project_mask(tiny, state)])
    assert ids_of(client, query) == page


# --- /api/projects/<id> ----------------------------------------------------------------------


def test_api_returns_one_project_by_id(client: FlaskClient, tiny: Dataset) -> None:
    response = client.get("/api/projects/beta")
    assert response.status_code == 200
    assert response.get_json() == project_record(tiny, tiny.position("beta"))


@pytest.mark.parametrize("project_id", ["omega", "ALPHA", "alpha ", "%00", "..", "a" * 300])
def test_api_unknown_project_id_is_a_404_in_json(client: FlaskClient, project_id: str) -> None:
    response = client.get(f"/api/projects/{quote(project_id, safe='%')}")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert "no project" in response.get_json()["error"]


@pytest.mark.parametrize("path", ["/api/projects/a/b", "/api/projects/..%2F..%2Fetc", "/api/nothing",
                                  "/sources/..%2Fprojects.csv", "/sources/sub/doc-1.txt"])
def test_unmatched_api_and_source_paths_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


# --- bad parameters: 400 naming them, never 500 ----------------------------------------------


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("country=Narnia", {"country"}),
        ("ket=quantum", {"ket"}),
        ("sector=space", {"sector"}),
        ("programme=horizon", {"programme"}),
        ("from=abc", {"from"}),
        ("to=99999", {"to"}),
        ("project=omega", {"project"}),
        ("project=../../etc", {"project"}),
        ("map=bubbles", {"map"}),
        ("colour=red", {"colour"}),
        ("country=Narnia&ket=quantum&from=abc", {"country", "ket", "from"}),
    ],
)
def test_api_bad_parameter_is_a_400_naming_it(client: FlaskClient, query: str, named: set[str]) -> None:
    response = client.get(f"/api/projects?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert "error" in body
    assert {p["parameter"] for p in body["problems"]} == named
    assert all(p["message"] for p in body["problems"])


def test_api_swapped_years_are_reported_not_silently_fixed(client: FlaskClient) -> None:
    # The page swaps from/to and says so; an API client gets the same notice as a 400.
    response = client.get("/api/projects?from=2015&to=2010")
    assert response.status_code == 400
    assert [p["parameter"] for p in response.get_json()["problems"]] == ["to"]


ODD_QUERIES = [
    "", "country=", "country=,,,", "ket=&sector=", "from=", "to=", "project=", "q=", "map=",
    "q=" + "x" * 5000, "q=" + "%E2%82%AC" * 300, "q=%00", "q=%25%25", "q=%F0%9F%98%80%20caf%C3%A9",
    "country=%00", "country=" + ",".join(["DE"] * 500), "country=DE&country=DE&country=de",
    "from=99999", "from=-1", "from=1e3", "from=2012.0", "from=%EF%BC%92%EF%BC%90%EF%BC%91%EF%BC%92",
    "to=0", "from=2012&from=2013&from=abc", "project=../../etc/passwd", "project=%2F%2F",
    "ket=" + "a" * 10_000, "a=1&b=2&c=3", "=", "&&&", "country[]=DE", "q=%ZZ", "%ZZ=1",
    "country=%CE%95%CE%BB%CE%BB%CE%AC%CE%B4%CE%B1",
]


@pytest.mark.parametrize("query", ODD_QUERIES, ids=lambda q: q[:40] or "empty")
def test_api_never_fails_with_a_500(client: FlaskClient, query: str) -> None:
    response = client.get(f"/api/projects?{query}")
    assert response.status_code in (200, 400)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body, list) if response.status_code == 200 else body["problems"]


def test_api_superscript_year_is_a_400_not_a_500(client: FlaskClient) -> None:
    assert client.get("/api/projects?from=%C2%B2").status_code == 400


# --- /sources/<source_id> --------------------------------------------------------------------


def test_source_document_is_served_as_text(client: FlaskClient) -> None:
    response = client.get(f"/sources/{DOC_ID}")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == DOC_TEXT


def test_seed_source_documents_are_served_verbatim(seed_client: FlaskClient) -> None:
    for path in sorted((SEED_DIR / "sources").iterdir()):
        response = seed_client.get(f"/sources/{path.name}")
        assert response.status_code == 200, path.name
        assert response.get_data(as_text=True) == path.read_text(encoding="utf-8")


def test_source_document_declares_its_charset_once(client: FlaskClient) -> None:
    assert client.get(f"/sources/{DOC_ID}").content_type == "text/plain; charset=utf-8"


@pytest.mark.parametrize("source_id", ["doc-9.txt", "projects.csv", "..", "%2E%2E", "..%5C..%5Cetc%5Cpasswd",
                                       "sources.csv"])
def test_unknown_or_outside_source_is_a_404(client: FlaskClient, source_id: str) -> None:
    response = client.get(f"/sources/{source_id}")
    assert response.status_code == 404
    assert "No source document" in response.get_data(as_text=True)


@pytest.mark.parametrize("source_id", ["%00", "a" * 300], ids=["nul-byte", "name-too-long"])
def test_source_id_the_filesystem_rejects_is_a_404_not_a_500(client: FlaskClient, source_id: str) -> None:
    assert client.get(f"/sources/{source_id}").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/sources/../projects.csv", "/sources/..%2Fprojects.csv", "/sources/%2E%2E%2Fprojects.csv",
     "/sources/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "/sources/%2Fetc%2Fpasswd"],
)
def test_path_traversal_never_reaches_a_file_outside_sources(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code != 500
    # Neither the dataset's own files nor the system's may come back.
    assert "project_id,acronym" not in body
    assert "root:" not in body


# --- /geo/countries.geojson ------------------------------------------------------------------


def test_boundaries_are_a_feature_collection_keyed_by_iso_codes(client: FlaskClient) -> None:
    response = client.get("/geo/countries.geojson")
    assert response.status_code == 200
    geo = response.get_json()
    assert geo["type"] == "FeatureCollection"
    ids = [f["id"] for f in geo["features"]]
    assert len(ids) == len(set(ids)) > 30
    assert all(re.fullmatch(r"[A-Z]{2}", i) for i in ids)
    # ISO codes, not the EU's: Greece is GR and the United Kingdom GB.
    assert {"DE", "GR", "GB", "UA"} <= set(ids)
    assert not {"EL", "UK"} & set(ids)
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in geo["features"])
    assert "max-age" in response.headers["Cache-Control"]


def test_every_seed_country_can_be_drawn(seed_client: FlaskClient) -> None:
    ids = {f["id"] for f in seed_client.get("/geo/countries.geojson").get_json()["features"]}
    countries = {c for p in seed_client.get("/api/projects").get_json() for c in p["countries"]}
    assert countries, "the seed projects name countries"
    assert countries <= ids


# --- the page ---------------------------------------------------------------------------------


def test_the_page_is_served_at_the_root(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "KET cluster cooperation in Europe" in response.get_data(as_text=True)
