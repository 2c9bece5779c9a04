"""Uploading a spreadsheet through the page, in headless Chromium.

The upload switches only this view to the new dataset (``?dataset=<id>``); the default dataset
and other views are untouched. A broken file gets a clear message and nothing to import.
"""

from __future__ import annotations

import csv
import urllib.parse
from pathlib import Path

import pytest
from test_browser import api_ids, assert_clean, chips, open_view, settle, wait_table

from tools.probes import probe

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "spreadsheets"

pytestmark = pytest.mark.browser


def upload(page, path: Path) -> None:
    page.click("#upload-open")
    page.set_input_files("#upload input[type=file]", str(path))
    page.wait_for_selector("#upload-status .alert")
    settle(page)


def test_uploading_a_spreadsheet_shows_it_in_this_view_only(page, page_log, app_url, new_page):
    open_view(page)
    source = FIXTURES / "keep_eu_projects.csv"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows_in_file = sum(1 for _ in csv.DictReader(handle))
    upload(page, source)
    # The dialog guessed the mapping from the headers and shows the file as read.
    acronym = page.locator("#upload-mapping .dash-dropdown-value-item").first
    assert acronym.inner_text() == "Project acronym"
    assert page.locator("#upload-preview .ag-row").count() == rows_in_file
    assert page.locator("#upload-import").is_enabled()

    page.click("#upload-import")
    page.wait_for_selector("#upload-report .alert")
    report = page.locator("#upload-report .alert").inner_text()
    read, imported, rejected = (int(report.split(word)[0].split()[-1])
                                for word in (" rows read", " imported", " rejected"))
    assert read == rows_in_file and read == imported + rejected
    assert page.locator("#upload-report pre").inner_text().startswith("Import report")

    page.click("#upload-switch")
    page.wait_for_function(probe("url_has"), arg="dataset")
    settle(page)
    dataset_id = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))["dataset"]
    expected = api_ids(app_url, f"dataset={dataset_id}")
    assert len(expected) == imported
    wait_table(page, expected)
    assert any(c.startswith("dataset: keep_eu_projects.csv") for c in chips(page))
    # The dialog closed: its element (id on the .modal-dialog itself) is gone.
    assert page.locator("#upload-modal").count() == 0

    # Another view (another person) still sees the default dataset.
    other = new_page()
    open_view(other)
    assert "clusternanoroad" in api_ids(app_url, "")
    wait_table(other, api_ids(app_url, ""))
    assert_clean(page_log)


def test_a_file_of_the_wrong_kind_gets_a_clear_message_and_nothing_to_import(page, page_log):
    open_view(page)
    upload(page, FIXTURES / "pdf_named.csv")
    message = page.locator("#upload-status .alert").inner_text()
    assert "pdf_named.csv" in message and "PDF" in message
    assert page.locator("#upload-import").is_disabled()
    assert page.locator("#upload-switch").is_disabled()
    assert_clean(page_log)


def test_uploading_a_cordis_download_zip_imports_every_table_and_switches_this_view(
        page, page_log, app_url, tmp_path):
    from tools.cordis_download import generate

    download = generate(projects=60, participations=500, seed=3)
    archive = download.write(tmp_path / "cordis", "csv", zipped=True)
    open_view(page)
    upload(page, archive)
    assert "a CORDIS download" in page.locator("#upload-status .alert").inner_text()
    page.click("#upload-import")
    page.wait_for_selector("#upload-report .alert")
    report = page.locator("#upload-report pre").inner_text()
    for name in ("project.csv", "organization.csv", "euroSciVoc.csv", "legalBasis.csv"):
        assert name in report
    assert "projects with a KET:" in report
    page.click("#upload-switch")
    page.wait_for_function(probe("url_has"), arg="dataset")
    settle(page)
    dataset_id = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(page.url).query))["dataset"]
    assert len(api_ids(app_url, f"dataset={dataset_id}")) == len(download.tables["project"])
    assert_clean(page_log)
