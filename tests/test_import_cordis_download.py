"""A whole CORDIS download imported in one step, in every layout CORDIS publishes (CSV with ';'
or ',', XLSX, JSON; zipped or unpacked; the older FP7 layout), and checked end to end: every row
read is imported or rejected with a reason, what a real file holds arrives whole (nameless
organisations, every role, two roles of one organisation, Namibia), and the API's count of
projects per country equals the count computed with pandas on the input files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from data.importers.__main__ import main
from data.importers.cordis import import_download
from data.importers.cordis_download import kind_of, open_download
from data.importers.report import ImportFailure, ImportReport
from data.io.countries import to_iso2
from data.io.loader import load_tables
from server.factory import create_app
from tools.cordis_download import Download, generate

FORMATS = ("csv", "csv-comma", "xlsx", "json")


@pytest.fixture(scope="module")
def download() -> Download:
    return generate(projects=240, participations=2400, seed=11)


def imported(folder: Path, source: Path, capsys: pytest.CaptureFixture[str] | None = None) -> Path:
    out = folder / "dataset"
    assert main(["cordis", str(source), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def csv_dataset(tmp_path_factory: pytest.TempPathFactory, download: Download) -> Path:
    folder = tmp_path_factory.mktemp("csv-zip")
    return imported(folder, download.write(folder / "in", "csv", zipped=True))


def org_input(download: Download) -> pd.DataFrame:
    return download.tables["organization"]


def storable_org_rows(download: Download) -> pd.DataFrame:
    """The organisation rows that can be stored: of a project in the project file, not an exact
    repeat of an earlier row (what the importer must keep, computed with pandas)."""
    rows = org_input(download)
    rows = rows[rows["projectID"].isin(download.tables["project"]["id"])]
    return rows.drop_duplicates(["projectID", "organisationID", "role"])


def test_zip_of_the_whole_download_imports_every_table_in_one_step(csv_dataset: Path,
                                                                    download: Download) -> None:
    tables = load_tables(csv_dataset)
    assert len(tables["projects"]) == len(download.tables["project"])
    assert len(tables["participations"]) == len(storable_org_rows(download))
    schemes = tables["project_classifications"]["scheme"].value_counts().to_dict()
    assert schemes["euroscivoc"] == len(download.tables["euroSciVoc"])
    assert schemes["topic"] == download.tables["topics"]["topic"].nunique() or schemes["topic"] > 0
    assert schemes["legal-basis"] == len(download.tables["legalBasis"])
    priorities = download.tables["policyPriorities"][["climate", "digitalAgenda"]]
    assert schemes["policy-priority"] == int((priorities != "0").sum().sum())
    assert len(tables["project_links"]) == len(download.tables["webLink"])


def test_report_balances_every_file_and_counts_rejections_by_reason(csv_dataset: Path,
                                                                   download: Download) -> None:
    report = (csv_dataset / "import" / "report.txt").read_text(encoding="utf-8")
    rows = org_input(download)
    orphans = int((~rows["projectID"].isin(download.tables["project"]["id"])).sum())
    repeats = int(rows[rows["projectID"].isin(download.tables["project"]["id"])].duplicated(
        ["projectID", "organisationID", "role"]).sum())
    assert (orphans, repeats) == (3, 5)
    for name in ("project.csv", "organization.csv", "euroSciVoc.csv", "topics.csv", "legalBasis.csv",
                 "webLink.csv", "policyPriorities.csv"):
        assert name in report
    # 3 rows of a project absent from project.csv and 5 exact repeats, counted by reason.
    assert "rejected for projectID: project not among the imported projects: 3" in report
    assert "rejected for organisationID: organisation already listed for this project with the " \
           "same role: 5" in report
    assert "projects with a KET:" in report and "by legal-basis" in report


def test_nameless_organisations_are_kept_with_their_country_role_and_contribution(
        csv_dataset: Path, download: Download) -> None:
    tables = load_tables(csv_dataset)
    orgs = tables["organisations"]
    nameless_in = storable_org_rows(download)
    nameless_in = nameless_in[nameless_in["name"] == ""]
    assert len(nameless_in) > 0.15 * len(storable_org_rows(download))
    nameless = orgs[orgs["name"] == ""]
    assert set(nameless["external_id"]) == set(nameless_in["organisationID"])
    parts = tables["participations"]
    assert parts["organisation_id"].isin(nameless["organisation_id"]).sum() == len(nameless_in)


def test_every_cordis_role_is_kept_and_participant_stays_apart_from_partner(
        csv_dataset: Path, download: Download) -> None:
    parts = load_tables(csv_dataset)["participations"]
    stated = parts.groupby("role_stated")["role"].agg(lambda r: set(r)).to_dict()
    assert stated == {"coordinator": {"coordinator"}, "participant": {"participant"},
                      "partner": {"partner"}, "thirdParty": {"third-party"},
                      "associatedPartner": {"associated-partner"},
                      "internationalPartner": {"international-partner"}}
    expected = storable_org_rows(download)["role"].value_counts().to_dict()
    assert parts["role_stated"].value_counts().to_dict() == expected


def test_an_organisation_with_two_roles_in_one_project_keeps_both(csv_dataset: Path) -> None:
    parts = load_tables(csv_dataset)["participations"]
    roles = parts.groupby(["project_id", "organisation_id"])["role"].agg(frozenset)
    assert (roles == frozenset({"participant", "third-party"})).sum() > 0


def test_zero_cost_and_unfunded_zero_contribution_are_unknown(csv_dataset: Path,
                                                              download: Download) -> None:
    tables = load_tables(csv_dataset)
    projects = tables["projects"].set_index("external_id")
    zero = download.tables["project"].loc[download.tables["project"]["totalCost"] == "0", "id"]
    assert len(zero) > 0
    assert (projects.loc[zero, "budget_eur"] == "").all()
    parts = tables["participations"]
    unfunded = parts[parts["role"].isin(["partner", "associated-partner", "international-partner"])]
    assert (unfunded["ec_contribution_eur"] == "").all()
    funded = parts[parts["role"] == "participant"]
    assert (funded["ec_contribution_eur"] != "").all()


def test_namibia_stays_namibia_and_el_uk_become_iso(csv_dataset: Path) -> None:
    countries = set(load_tables(csv_dataset)["organisations"]["country"])
    assert {"NA", "GR", "GB"} <= countries
    assert not {"EL", "UK"} & countries


def projects_per_country(download: Download) -> dict[str, int]:
    """Projects per country straight from the input files, with pandas."""
    rows = storable_org_rows(download)
    rows = rows[rows["country"] != ""]
    codes = {c: to_iso2(c) for c in rows["country"].unique()}
    return rows.assign(iso=rows["country"].map(codes)).groupby("iso")["projectID"].nunique().to_dict()


@pytest.mark.parametrize("fmt", FORMATS)
def test_api_counts_projects_per_country_as_pandas_does_on_the_input(
        tmp_path: Path, download: Download, fmt: str) -> None:
    source = download.write(tmp_path / "in", fmt, zipped=fmt == "json")
    out = imported(tmp_path, source)
    client = create_app(out).server.test_client()
    expected = projects_per_country(download)
    assert len(expected) >= 18
    for country, count in expected.items():
        response = client.get(f"/api/projects?country={country}&limit=0")
        assert response.status_code == 200, country
        assert int(response.headers["X-Total-Count"]) == count, country


def test_classifications_tag_kets_before_keywords_with_their_evidence(csv_dataset: Path) -> None:
    tables = load_tables(csv_dataset)
    projects = tables["projects"].set_index("project_id")
    kets = tables["project_kets"]
    nano = projects.index[projects["topics"].str.contains("H2020-EU.2.1.2.", regex=False)]
    tagged = kets[kets["project_id"].isin(nano) & (kets["ket"] == "nanotechnology")]
    assert set(tagged["project_id"]) == set(nano)
    evidence = tagged[tagged["evidence"] == "legal-basis"]
    assert evidence["quote"].str.startswith("legal basis H2020-EU.2.1.2.").all()
    # A project a classification tags gets no keyword tag of that kind.
    classified = set(kets.loc[kets["evidence"] != "keyword", "project_id"])
    assert not classified & set(kets.loc[kets["evidence"] == "keyword", "project_id"])
    # Every project under a programme part that is a KET carries it; most projects under the
    # KET-related parts (LEIT ICT and Key Digital Technologies included) carry one.
    ket_named = projects.index[projects["topics"].str.contains(
        r"H2020-EU\.2\.1\.[2-5]|HORIZON\.2\.4\.[14]", regex=True)]
    assert set(kets["project_id"]) >= set(ket_named)
    ket_related = projects.index[projects["topics"].str.contains(
        r"H2020-EU\.2\.1\.[1-5]|HORIZON\.2\.4\.[124]", regex=True)]
    assert pd.Index(ket_related).isin(kets["project_id"]).mean() > 0.5


def test_euroscivoc_fields_are_searchable(csv_dataset: Path, download: Download) -> None:
    field = download.tables["euroSciVoc"].iloc[0]
    client = create_app(csv_dataset).server.test_client()
    found = client.get(f"/api/projects?q={field['euroSciVocTitle']}&limit=0")
    assert found.status_code == 200
    assert int(found.headers["X-Total-Count"]) >= 1


def test_folder_and_single_files_import_like_the_zip(tmp_path: Path, download: Download) -> None:
    folder = download.write(tmp_path / "unpacked", "csv")
    by_folder = load_tables(imported(tmp_path / "a", folder))
    report = ImportReport()
    tables, _ = import_download({"project": folder / "project.csv",
                                 "organization": folder / "organization.csv"}, report)
    assert len(by_folder["participations"]) == len(tables["participations"])
    assert by_folder["project_classifications"]["scheme"].nunique() == 5


def test_files_that_are_not_cordis_tables_are_named_as_not_read(tmp_path: Path, download: Download) -> None:
    folder = download.write(tmp_path / "in", "csv")
    (folder / "webItem.csv").write_text("projectID;uri\n1;x\n", encoding="utf-8")
    (folder / "projectDeliverables.csv").write_text("projectID;title\n1;x\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["cordis", str(folder), "--out", str(out)]) == 0
    report = (out / "import" / "report.txt").read_text(encoding="utf-8")
    assert "webItem.csv: not a CORDIS table the dashboard reads" in report
    assert "projectDeliverables.csv: not a CORDIS table the dashboard reads" in report


def test_file_names_of_older_downloads_are_recognised() -> None:
    assert kind_of("cordis-fp7projects.csv") == "project"
    assert kind_of("cordis-h2020organizations.xlsx") == "organization"
    assert kind_of("euroSciVoc.json") == "euroSciVoc"
    assert kind_of("projectPublications.csv") is None


def test_older_fp7_layout_reads_its_column_names_and_keeps_unknown_roles(tmp_path: Path) -> None:
    project = ("rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;"
               "projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme;coordinator;"
               "coordinatorCountry;participants;participantCountries;subjects\n"
               "1;228589;NANOCLUST;CLOSED;FP7-NMP;NMP.2010.1.1-1;FP7;Nano clusters;2010-01-01;"
               "2012-12-31;http://nanoclust.example;Nanomaterials for regions;1000000,5;800000;"
               "FP7-NMP-2010;CP;;;;;NAN\n")
    orgs = ("projectRcn;projectID;projectAcronym;role;id;name;shortName;activityType;"
            "endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl\n"
            "1;228589;NANOCLUST;coordinator;999000001;Nano Cluster Ltd;;PRC;false;400000;UK;;London;;"
            "http://nc.example\n"
            "1;228589;NANOCLUST;hostInstitution;999000002;Windhoek Institute;;REC;false;0;NA;;;;\n")
    (tmp_path / "cordis-fp7projects.csv").write_text(project, encoding="utf-8")
    (tmp_path / "cordis-fp7organizations.csv").write_text(orgs, encoding="utf-8")
    tables = load_tables(imported(tmp_path, tmp_path))
    assert tables["projects"]["budget_eur"].tolist() == ["1000000.5"]
    classes = tables["project_classifications"]
    assert ("legal-basis", "FP7-NMP") in set(zip(classes["scheme"], classes["code"], strict=True))
    assert tables["project_links"]["url"].tolist() == ["http://nanoclust.example"]
    parts = tables["participations"].set_index("organisation_id")
    assert parts.loc["cordis-org-999000002", ["role", "role_stated"]].tolist() == [
        "other", "hostInstitution"]
    # A 0 for a role we cannot call unfunded stays a stated 0.
    assert parts.loc["cordis-org-999000002", "ec_contribution_eur"] == "0"
    orgs = tables["organisations"].set_index("organisation_id")
    assert orgs.loc["cordis-org-999000002", "country"] == "NA"
    assert orgs.loc["cordis-org-999000001", "url"] == "http://nc.example"


def test_json_and_xlsx_keep_na_as_namibia(tmp_path: Path) -> None:
    project = [{"id": 101, "acronym": "A", "title": "t", "startDate": "2022-01-01",
                "endDate": "2023-01-01", "frameworkProgramme": "HORIZON", "totalCost": 0,
                "ecMaxContribution": 1000.5, "legalBasis": "HORIZON.2.4.4", "topics": None}]
    orgs = [{"projectID": 101, "organisationID": 5, "name": None, "country": "NA",
             "role": "coordinator", "ecContribution": 1000.5}]
    (tmp_path / "project.json").write_text(json.dumps(project), encoding="utf-8")
    pd.DataFrame(orgs).to_excel(tmp_path / "organization.xlsx", index=False)
    tables = load_tables(imported(tmp_path, tmp_path))
    assert tables["organisations"][["name", "country"]].values.tolist() == [["", "NA"]]
    assert tables["projects"][["budget_eur", "eu_contribution_eur"]].values.tolist() == [["", "1000.5"]]
    assert tables["participations"]["ec_contribution_eur"].tolist() == ["1000.5"]


def test_a_zip_that_unpacks_over_the_limit_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("project.csv", "id;acronym\n" + "1;A\n" * 200_000)
    with pytest.raises(ImportFailure, match="over the limit"), open_download([archive], max_bytes=10_000):
        pass


def test_zip_member_paths_cannot_leave_the_unpacking_folder(tmp_path: Path, download: Download) -> None:
    archive = tmp_path / "evil.zip"
    buffer = io.StringIO()
    download.tables["project"].to_csv(buffer, sep=";", index=False)
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("../../project.csv", buffer.getvalue())
    with open_download([archive]) as found:
        assert found.files["project"].parent.parent.name.startswith("cordis-download-")
    assert not (tmp_path.parent / "project.csv").exists()


def test_a_download_without_project_or_organisation_file_is_refused(tmp_path: Path,
                                                                   download: Download) -> None:
    folder = download.write(tmp_path / "in", "csv")
    report = ImportReport()
    with pytest.raises(ImportFailure, match="needs project or organization"):
        import_download({"topics": folder / "topics.csv"}, report)


def panel_text(dataset_folder: Path, project_id: str) -> str:
    from test_panels import text

    from components.panels import detail_panel
    from data.engine.model import load_dataset
    from data.engine.queries import project_detail

    dataset = load_dataset(dataset_folder)
    return text(detail_panel(project_detail(dataset, project_id)))


def test_panel_shows_classifications_tag_evidence_links_and_lost_rows(csv_dataset: Path,
                                                                      download: Download) -> None:
    tables = load_tables(csv_dataset)
    projects = tables["projects"]
    lost = projects[projects["rejected_rows"] != ""].iloc[0]
    shown = panel_text(csv_dataset, lost["project_id"])
    assert f"{lost['rejected_rows']} row" in shown and "could not be stored" in shown
    fields = tables["project_classifications"]
    field = fields[fields["scheme"] == "euroscivoc"].iloc[0]
    shown = panel_text(csv_dataset, field["project_id"])
    assert "Fields of science (EuroSciVoc)" in shown and field["path"] in shown
    assert "Programme parts (legal basis)" in shown and "Call topics" in shown
    kets = tables["project_kets"]
    tagged = kets[kets["evidence"] == "legal-basis"].iloc[0]
    shown = panel_text(csv_dataset, tagged["project_id"])
    assert "from its programme part" in shown and tagged["quote"] in shown
    link = tables["project_links"].iloc[0]
    assert link["url"] in panel_text(csv_dataset, link["project_id"])
    unlost = projects[projects["rejected_rows"] == ""].iloc[0]
    assert "could not be stored" not in panel_text(csv_dataset, unlost["project_id"])


def test_api_record_carries_classifications_links_and_lost_rows(csv_dataset: Path) -> None:
    tables = load_tables(csv_dataset)
    lost = tables["projects"].loc[tables["projects"]["rejected_rows"] != ""].iloc[0]
    client = create_app(csv_dataset).server.test_client()
    record = client.get(f"/api/projects/{lost['project_id']}").get_json()
    assert record["rejected_rows"] == int(lost["rejected_rows"])
    assert {c["scheme"] for c in record["classifications"]} >= {"legal-basis", "topic"}


def data_url(path: Path) -> str:
    import base64

    return "data:application/zip;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def test_page_upload_imports_a_cordis_download_zip(tmp_path: Path, download: Download) -> None:
    from server import uploads

    archive = download.write(tmp_path / "in", "csv", zipped=True)
    upload = uploads.receive(data_url(archive), archive.name, tmp_path / "uploads")
    assert upload.kind == "cordis-zip"
    report = uploads.accept(tmp_path / "uploads", upload.token, {}, tmp_path / "out")
    assert all(f.balanced for f in report.files)
    tables = load_tables(tmp_path / "out")
    assert len(tables["projects"]) == len(download.tables["project"])
    assert len(tables["participations"]) == len(storable_org_rows(download))


def test_page_upload_refuses_a_cordis_table_over_the_row_limit(tmp_path: Path, download: Download) -> None:
    from server import uploads

    archive = tmp_path / "cordis.zip"
    project = io.StringIO()
    download.tables["project"].to_csv(project, sep=";", index=False)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("project.csv", project.getvalue())
        out.writestr("organization.csv", "projectID;name;country;role\n"
                     + "101000000;X;DE;participant\n" * (uploads.MAX_UPLOAD_ROWS + 5))
    upload = uploads.receive(data_url(archive), archive.name, tmp_path / "uploads")
    with pytest.raises(ImportFailure, match=r"organization\.csv has more than"):
        uploads.accept(tmp_path / "uploads", upload.token, {}, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_sme_flag_net_contribution_early_end_and_funding_scheme_are_kept(tmp_path: Path) -> None:
    project = ("id;acronym;title;startDate;endDate;frameworkProgramme;fundingScheme;legalBasis;"
               "ecSignatureDate\n"
               "101;A;t;2022-01-01;2023-01-01;HORIZON;HORIZON-RIA;HORIZON.2.4.4;2021-11-02\n")
    orgs = ("projectID;organisationID;name;country;role;SME;ecContribution;netEcContribution;"
            "endOfParticipation;street;contactForm\n"
            "101;5;Firm;DE;coordinator;true;1000;800;false;Main St 1;https://form.example\n"
            "101;6;Lab;FR;participant;maybe;;;true;;\n")
    (tmp_path / "project.csv").write_text(project, encoding="utf-8")
    (tmp_path / "organization.csv").write_text(orgs, encoding="utf-8")
    out = imported(tmp_path, tmp_path)
    tables = load_tables(out)
    orgs_out = tables["organisations"].set_index("external_id")
    assert orgs_out.loc["5", "is_sme"] == "true" and orgs_out.loc["6", "is_sme"] == ""
    parts = tables["participations"].set_index("organisation_id")
    assert parts.loc["cordis-org-5", ["ec_contribution_eur", "net_ec_contribution_eur",
                                      "ended_early"]].tolist() == ["1000", "800", "false"]
    assert parts.loc["cordis-org-6", "ended_early"] == "true"
    classes = tables["project_classifications"]
    assert ("funding-scheme", "HORIZON-RIA") in set(zip(classes["scheme"], classes["code"], strict=True))
    report = (out / "import" / "report.txt").read_text(encoding="utf-8")
    # What is not kept is named, never silently dropped.
    assert "columns not kept (CORDIS bookkeeping or contact details): ecSignatureDate" in report
    assert "columns not kept (CORDIS bookkeeping or contact details): street, contactForm" in report
    assert "SME not true/false, left unknown on 1 row(s) (line 3: 'maybe')" in report


def test_json_nan_is_read_as_no_value_not_as_text(tmp_path: Path) -> None:
    (tmp_path / "project.json").write_text(
        '[{"id": 7, "acronym": "B", "title": "t", "startDate": "2022-01-01", "endDate": NaN,'
        ' "frameworkProgramme": "HORIZON", "totalCost": NaN}]', encoding="utf-8")
    tables = load_tables(imported(tmp_path, tmp_path))
    assert tables["projects"][["end_date", "budget_eur"]].values.tolist() == [["", ""]]


def test_page_upload_refuses_a_json_table_over_the_size_limit(tmp_path: Path, download: Download,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from server import uploads

    archive = download.write(tmp_path / "in", "json", zipped=True)
    upload = uploads.receive(data_url(archive), archive.name, tmp_path / "uploads")
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 10_000)
    with pytest.raises(ImportFailure, match=r"\.json unpacks to more than .* data\.importers cordis"):
        uploads.accept(tmp_path / "uploads", upload.token, {}, tmp_path / "out")
    assert not (tmp_path / "out").exists()
