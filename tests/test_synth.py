"""The synthetic dataset generator (``tools/synth.py``): valid, exact, deterministic, realistic.

Small sizes only, so the file runs in seconds; the million-row timing is a benchmark, not a test.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dash
import numpy as np
import pandas as pd
import pytest

from data.engine.model import load_dataset
from data.io import schema
from server.factory import create_app
from tools import synth

REPO = Path(__file__).resolve().parent.parent
MONEY_COLUMNS = {
    "projects": ("budget_eur", "eu_contribution_eur"),
    "participations": ("ec_contribution_eur",),
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    """A mid-sized dataset, generated once for the tests that only read it."""
    return synth.generate(1000, 20000, 5)


def _partners(tables: dict[str, pd.DataFrame]) -> pd.Series:
    return tables["participations"].groupby("project_id").size()


def test_written_dataset_loads_with_the_apps_loader(tmp_path: Path) -> None:
    tables = synth.generate(200, 3000, 7)
    synth.write(tables, tmp_path)
    dataset = load_dataset(tmp_path)  # raises DatasetError naming every problem
    assert dataset.size == 200
    assert len(dataset.participations) == 3000
    assert sorted(p.name for p in tmp_path.glob("*.csv")) == sorted(t.file for t in schema.DATASET_TABLES)
    # The inferred switch has something to switch: the curated index has fewer tags.
    assert (dataset.project_kets["origin"] == "inferred").any()
    assert len(dataset.curated_tags.ket_sector) < len(dataset.tags.ket_sector)


@pytest.mark.parametrize(("projects", "participations"),
                         [(200, 3000), (37, 1001), (10, 20), (10, 600), (1, 2), (3, 180)])
def test_participations_are_exact_and_partners_per_project_stay_within_2_to_60(
    projects: int, participations: int
) -> None:
    tables = synth.generate(projects, participations, 1)
    participations_frame = tables["participations"]
    assert len(participations_frame) == participations
    partners = _partners(tables).reindex(tables["projects"]["project_id"], fill_value=0)
    assert len(tables["projects"]) == projects
    assert partners.between(synth.MIN_PARTNERS, synth.MAX_PARTNERS).all()
    assert not participations_frame.duplicated(["project_id", "organisation_id"]).any()
    coordinators = participations_frame[participations_frame["role"] == "coordinator"]
    assert coordinators["project_id"].is_unique
    assert len(coordinators) == projects


@pytest.mark.parametrize(("projects", "participations"), [(10, 19), (10, 601), (0, 0)])
def test_impossible_sizes_are_refused(projects: int, participations: int) -> None:
    with pytest.raises(ValueError):
        synth.generate(projects, participations, 1)


def test_partner_counts_are_skewed_towards_5_to_15(tables: dict[str, pd.DataFrame]) -> None:
    partners = _partners(tables)
    assert 5 <= int(partners.mode().iloc[0]) <= 15
    assert partners.max() > 40 and partners.min() <= 4
    assert set(tables["participations"]["role"]) == {"coordinator", "partner", "associated-partner",
                                                    "third-party"}


def test_same_seed_gives_identical_frames_and_bytes_another_seed_differs(tmp_path: Path) -> None:
    first, second = synth.generate(120, 2000, 11), synth.generate(120, 2000, 11)
    assert first.keys() == second.keys()
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name])
    synth.write(first, tmp_path / "a")
    synth.write(second, tmp_path / "b")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    other = synth.generate(120, 2000, 12)
    assert not other["participations"].equals(first["participations"])
    assert not other["projects"].equals(first["projects"])


def test_unknowns_are_empty_never_zero(tables: dict[str, pd.DataFrame]) -> None:
    projects = tables["projects"]
    for name, columns in MONEY_COLUMNS.items():
        for column in columns:
            values = tables[name][column]
            assert (values == "").any(), f"{name}.{column} has no unknown amount"
            assert not values.str.fullmatch(r"0+(?:\.0+)?").any(), f"{name}.{column} has a 0"
    for column in ("start_date", "end_date", "duration_months", "programme_id"):
        assert (projects[column] == "").any(), column
    assert ((projects["start_date"] == "") & (projects["end_date"] == "")
            & (projects["duration_months"] != "")).any(), "no project with a duration only"
    assert ((projects["start_date"] != "") & (projects["end_date"] == "")
            & (projects["duration_months"] != "")).any(), "no project with an end derived from duration"
    organisations = tables["organisations"]
    unknown_country = (organisations["country"] == "").mean()
    assert 0 < unknown_country < 0.1
    assert (organisations.loc[organisations["country"] == "", "country_source"] == "").all()
    for name, frame in tables.items():
        assert not frame.isna().any().any(), f"{name} has NaN instead of ''"


def test_tags_cover_none_unspecified_several_and_inferred(tables: dict[str, pd.DataFrame]) -> None:
    projects = tables["projects"].set_index("project_id")
    kets, sectors = tables["project_kets"], tables["project_sectors"]
    rules = pd.read_csv(synth.TAXONOMY_DIR / "tagging_rules.csv", dtype=str, keep_default_na=False)
    for tags, column in ((kets, "ket"), (sectors, "sector")):
        inferred = tags[tags["origin"] == "inferred"]
        assert 0.1 < len(inferred) / len(tags) < 0.5
        assert (tags.loc[tags["origin"] == "curated", "rule"] == "").all()
        by_rule = rules.set_index("rule_id")
        assert inferred["rule"].isin(by_rule.index).all()
        # The rule is one of the tag's own value, and its words stand in the project's summary.
        assert (by_rule.loc[inferred["rule"], "value"].to_numpy() == inferred[column].to_numpy()).all()
        summaries = projects.loc[inferred["project_id"], "summary"].str.lower().to_numpy()
        assert all(q.lower() in s for q, s in zip(inferred["quote"], summaries, strict=True))
        per_project = tags.groupby("project_id").size()
        assert (per_project > 1).any()
        assert len(per_project) < len(projects), f"every project has a {column}"
    assert (kets["ket"] == "unspecified").any()
    assert not kets.loc[kets["ket"] == "unspecified", "project_id"].isin(
        kets.loc[kets["ket"] != "unspecified", "project_id"]).any()


def test_sizes_are_skewed_like_real_programmes(tables: dict[str, pd.DataFrame]) -> None:
    joined = tables["participations"].merge(tables["organisations"], on="organisation_id")
    by_country = joined["country"].value_counts()
    assert by_country.index[0] == "DE"
    assert by_country["DE"] > 20 * by_country.get("MT", 0)
    assert {"GR", "GB"} <= set(by_country.index) and not {"EL", "UK"} & set(by_country.index)
    per_org = tables["participations"]["organisation_id"].value_counts()
    assert per_org.iloc[0] > 100  # a few organisations everywhere ...
    assert (per_org <= 2).mean() > 0.5  # ... most in one or two projects
    programmes = tables["programmes"]["programme_id"]
    assert len(programmes) >= 10 and tables["projects"]["programme_id"].isin([*programmes, ""]).all()
    years = tables["projects"]["start_date"].str.slice(0, 4)
    years = years[years != ""].astype(int)
    assert years.min() <= 1997 and years.max() >= 2023
    assert len(tables["project_countries"]) > 0 and len(tables["activities"]) > 0


def test_every_row_cites_the_one_import_source(tables: dict[str, pd.DataFrame]) -> None:
    sources = tables["sources"]
    assert sources[["source_id", "kind"]].values.tolist() == [["synthetic-5", "import"]]
    assert "not real" in sources.at[0, "title"]
    for name, frame in tables.items():
        if name == "sources" or frame.empty:
            continue
        assert (frame["source"] == "synthetic-5").all(), name
        assert (frame["quote"] != "").all(), name
        assert frame["quote"].str.len().max() < 120, name


def test_cli_writes_a_folder_the_app_starts_on(tmp_path: Path) -> None:
    out = tmp_path / "synthetic"
    result = subprocess.run(
        [sys.executable, "-m", "tools.synth", "--projects", "150", "--participations", "2500",
         "--seed", "3", "--out", str(out), "--validate"],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "validated" in result.stdout
    dash_app = create_app(out, upload_dir=tmp_path / "uploads")
    assert isinstance(dash_app, dash.Dash)
    written = pd.read_csv(out / "participations.csv", dtype=str, keep_default_na=False)
    assert len(written) == 2500
    assert np.array_equal(written.columns, schema.PARTICIPATIONS.columns)
