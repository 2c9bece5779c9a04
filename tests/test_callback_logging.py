"""What the server logs: one WARNING line per refused API request (its path and the reason), one
line per upload accepted or refused."""

from __future__ import annotations

import base64
import logging
from typing import Any

import pytest
from dash import Dash

from components import ids
from server.factory import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Dash:
    return create_app(upload_dir=tmp_path_factory.mktemp("uploads"))


def warnings(caplog: pytest.LogCaptureFixture, logger: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == logger and r.levelno == logging.WARNING]


def test_a_bad_parameter_is_logged_once_with_its_path_and_reason(
    app: Dash, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="callbacks.api"):
        answer = app.server.test_client().get("/api/projects?country=ZZ")
    assert answer.status_code == 400
    [line] = warnings(caplog, "callbacks.api")
    assert "/api/projects?country=ZZ" in line and "400" in line and "country='ZZ'" in line


@pytest.mark.parametrize(("path", "status", "reason"), [
    ("/api/projects?dataset=gone", 400, "no such dataset 'gone'"),
    ("/api/projects?limit=-1", 400, "must be a whole number"),
    ("/api/projects/no-such-project", 404, "no project has the id 'no-such-project'"),
    ("/api/nothing-here", 404, "no such API endpoint"),
])
def test_every_refused_api_request_logs_one_warning(
    app: Dash, caplog: pytest.LogCaptureFixture, path: str, status: int, reason: str
) -> None:
    with caplog.at_level(logging.INFO, logger="callbacks.api"):
        assert app.server.test_client().get(path).status_code == status
    [line] = warnings(caplog, "callbacks.api")
    assert path.split("?")[0] in line and reason in line


def test_an_answered_api_request_logs_no_warning(app: Dash, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="callbacks.api"):
        assert app.server.test_client().get("/api/projects?country=DE").status_code == 200
    assert warnings(caplog, "callbacks.api") == []


def post_upload(app: Dash, filename: str, content: bytes) -> dict[str, Any]:
    key = next(k for k in app.callback_map if k.startswith(f"..{ids.UPLOAD_STORE}.data..."))
    outputs = [{"id": i, "property": p.split("@")[0]} for i, p in
               (part.rsplit(".", 1) for part in key[2:-2].split("..."))]
    contents = "data:text/csv;base64," + base64.b64encode(content).decode()
    body = {"output": key, "outputs": outputs,
            "inputs": [{"id": ids.UPLOAD, "property": "contents", "value": contents}],
            "state": [{"id": ids.UPLOAD, "property": "filename", "value": filename},
                      {"id": ids.STATE, "property": "data", "value": None}],
            "changedPropIds": [f"{ids.UPLOAD}.contents"]}
    answer = app.server.test_client().post("/_dash-update-component", json=body)
    assert answer.status_code == 200
    return dict(answer.get_json()["response"])


def test_an_accepted_upload_is_logged_once(app: Dash, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="callbacks.upload"):
        response = post_upload(app, "projects.csv", b"Acronym,Title\nABC,A project\n")
    assert response[ids.UPLOAD_STORE]["data"]["filename"] == "projects.csv"
    lines = [r.getMessage() for r in caplog.records if r.name == "callbacks.upload"]
    assert len(lines) == 1 and "projects.csv" in lines[0] and "accepted" in lines[0]


def test_a_refused_upload_is_logged_once_as_a_warning(app: Dash, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="callbacks.upload"):
        response = post_upload(app, "notes.pdf", b"%PDF-1.4 not a table")
    assert response[ids.UPLOAD_STORE]["data"] is None
    [line] = warnings(caplog, "callbacks.upload")
    assert "notes.pdf" in line and "refused" in line
