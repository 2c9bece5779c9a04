"""Views that stay readable and small at scale: the timeline band, the paged table, the
country summary's counting, the capped undated list. Tiny frames built in code."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from fixtures_data import load_tiny, tiny_tables

from components.panels import UNDATED_SHOWN, undated_list
from components.timeline_figure import timeline_band_figure
from data.engine import queries
from data.engine.model import Dataset
from data.engine.state import FilterState


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_tiny(tmp_path_factory.mktemp("tiny"))


def everything(dataset: Dataset) -> np.ndarray:
    return np.ones(dataset.size, dtype=bool)


def only(dataset: Dataset, *ids: str) -> np.ndarray:
    return dataset.projects["project_id"].isin(ids).to_numpy()


def test_band_counts_projects_active_each_month_from_start_to_end(tiny: Dataset) -> None:
    band = queries.timeline_band(tiny, everything(tiny), only(tiny, "alpha"))
    by_month = band.set_index("month")
    # alpha runs 2010-01..2012-12; beta 2012-06 + 24 months (derived end) -> 2014-05.
    assert by_month.loc[pd.Timestamp("2010-01-01"), "context"] == 1
    assert by_month.loc[pd.Timestamp("2012-06-01"), "context"] == 2
    assert by_month.loc[pd.Timestamp("2012-12-01"), "selected"] == 1
    assert by_month.loc[pd.Timestamp("2013-01-01"), "selected"] == 0
    assert by_month.loc[pd.Timestamp("2014-05-01"), "context"] == 1
    assert band["month"].max() == pd.Timestamp("2014-05-01")
    # Projects without both dates (gamma, delta, epsilon) are not counted anywhere.
    assert band["context"].max() == 2


def test_band_figure_says_how_many_projects_it_summarises_and_which_are_left_out(tiny: Dataset) -> None:
    band = queries.timeline_band(tiny, everything(tiny), everything(tiny))
    fig = timeline_band_figure(band, FilterState(year_from=2011), projects=5000, undrawn=12)
    assert [t.name for t in fig.data] == ["in context, not in the selection",
                                          "projects active in the selection"]
    assert list(fig.data[1].y) == list(band["selected"])
    assert "5,000 projects" in fig.layout.title.text and "12 with a start or an end" in fig.layout.title.text
    assert fig.layout.shapes, "the chosen period is shaded"
    assert fig.layout.dragmode == "select"
    # Hovering anywhere over a month reads both counts of that month, not only near a line.
    assert fig.layout.hovermode == "x"
    assert list(fig.data[0].x[:2]) == ["2010-01", "2010-02"]


def test_table_order_sorts_on_the_server_with_unknown_values_last(tiny: Dataset) -> None:
    order = queries.table_order(tiny, everything(tiny), [{"colId": "start", "sort": "asc"}])
    ids = list(tiny.projects["project_id"].to_numpy()[order])
    assert ids[:3] == ["alpha", "beta", "gamma"]
    assert set(ids[3:]) == {"delta", "epsilon"}, "projects with no start come last"
    desc = queries.table_order(tiny, everything(tiny), [{"colId": "acronym", "sort": "desc"}])
    assert list(tiny.projects["acronym"].to_numpy()[desc]) == ["Gamma", "Epsilon", "Delta", "Beta", "Alpha"]
    unsorted = queries.table_order(tiny, only(tiny, "beta", "delta"), [{"colId": "nope", "sort": "asc"}])
    assert list(unsorted) == [tiny.position("beta"), tiny.position("delta")]


def test_table_rows_build_only_the_page_asked_for(tiny: Dataset) -> None:
    order = queries.table_order(tiny, everything(tiny), [{"colId": "acronym", "sort": "asc"}])
    page = queries.table_rows(tiny, order[1:3])
    assert [r["id"] for r in page] == ["beta", "delta"]


def test_country_summary_counts_named_organisations_of_each_country_once(tiny: Dataset) -> None:
    summary = queries.country_summary(tiny, everything(tiny)).set_index("country")
    assert summary.loc["DE", "projects"] == 3  # alpha, beta (organisations), gamma (country only)
    assert bool(summary.loc["DE", "country_only"]) is True
    assert summary.loc["UA", "organisations"] == 0 and bool(summary.loc["UA", "country_only"])
    alpha_only = queries.country_summary(tiny, only(tiny, "alpha")).set_index("country")
    assert set(alpha_only.index) == {"DE", "FR"}
    assert not alpha_only["country_only"].any()


def test_undated_list_names_a_few_and_counts_the_rest() -> None:
    undated = pd.DataFrame({"project_id": [f"p{i}" for i in range(UNDATED_SHOWN + 7)],
                            "acronym": [f"P{i}" for i in range(UNDATED_SHOWN + 7)]})
    shown = undated_list(undated)
    buttons = [c for c in shown if getattr(c, "id", None) and isinstance(c.id, dict)]
    assert len(buttons) == UNDATED_SHOWN
    assert shown[-1].children == "+7 more, all in the table below."


@pytest.mark.parametrize("include_inferred", [True, False])
def test_api_records_of_many_projects_equal_each_project_asked_for_alone(
    tiny: Dataset, include_inferred: bool
) -> None:
    bulk = queries.project_records(tiny, everything(tiny), include_inferred)
    one_by_one = [queries.project_record(tiny, i, include_inferred) for i in range(tiny.size)]
    assert bulk == one_by_one
    assert queries.project_records(tiny, np.zeros(tiny.size, dtype=bool)) == []


def test_rows_of_many_returns_each_projects_rows_grouped(tiny: Dataset) -> None:
    positions = np.array([tiny.position("beta"), tiny.position("delta"), tiny.position("alpha")])
    rows = tiny.rows_of_many("participations", positions)
    expected = [tiny.rows_of("participations", int(p)) for p in positions]
    assert list(rows.index) == [i for frame in expected for i in frame.index]


def test_rows_of_keeps_a_projects_rows_in_source_order_when_the_file_interleaves_projects(
    tmp_path: Path,
) -> None:
    tables = tiny_tables()
    parts = tables["participations"]
    # alpha, beta, alpha, epsilon, alpha: the file does not group rows by project.
    tables["participations"] = [parts[0], parts[3], parts[1], parts[4], parts[2]]
    dataset = load_tiny(tmp_path, tables)
    alpha = dataset.rows_of("participations", dataset.position("alpha"))
    assert list(alpha["organisation_id"]) == ["nordcluster", "sudcluster", "somewhere-lab"]
    beta = dataset.rows_of("participations", dataset.position("beta"))
    assert list(beta["organisation_id"]) == ["nordcluster"]
    assert dataset.rows_of("participations", dataset.position("delta")).empty
    # The per-row lookups stay aligned with the reordered table.
    orgs = dataset.organisations["organisation_id"].to_numpy()
    assert list(orgs[dataset.participation_org]) == list(dataset.participations["organisation_id"])
    assert list(dataset.participation_pos) == list(dataset.participations["pos"])


@pytest.mark.parametrize("table", ["participations", "project_countries", "project_kets",
                                   "project_sectors", "activities", "policy_instruments"])
def test_per_project_text_columns_are_one_arrow_chunk(tiny: Dataset, table: str) -> None:
    # A chunked string column makes every row lookup copy the whole column first.
    frame = getattr(tiny, table)
    chunked = {name: frame[name].array._pa_array.num_chunks for name in frame.columns
               if isinstance(getattr(frame[name].array, "_pa_array", None), pa.ChunkedArray)}
    assert chunked, "the table has Arrow-backed text columns"
    assert set(chunked.values()) == {1}, chunked
