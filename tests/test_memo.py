"""Results remembered per dataset (``data.engine.memo``): kept, bounded, never shared, and gone
with their dataset."""

from __future__ import annotations

import gc
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from fixtures_data import load_tiny, tiny_tables

from data.engine.masks import project_mask, select, text_mask
from data.engine.memo import Memo, per_dataset
from data.engine.queries import project_detail, table_rows, year_bounds
from data.engine.state import FilterState


@dataclass(eq=False)
class Owner:
    """The least a ``per_dataset`` function needs: something with a memo."""

    name: str
    memo: Memo = field(default_factory=Memo)


CALLS: list[tuple[str, int]] = []


@per_dataset(2)
def doubled(owner: Owner, value: int) -> str:
    """Counts its calls, so a test can tell a computed result from a remembered one."""
    CALLS.append((owner.name, value))
    return f"{owner.name}:{value * 2}"


@pytest.fixture(autouse=True)
def _no_calls() -> None:
    CALLS.clear()


def test_memo_get_put_size_clear() -> None:
    memo = Memo()
    assert memo.get("t", 1) == (False, None)
    memo.put("t", 1, None, maxsize=4)
    assert memo.get("t", 1) == (True, None)  # a remembered None is found, not missed
    memo.put("other", 1, "x", maxsize=4)
    assert memo.size("t") == 1 and memo.size("other") == 1 and memo.size("never") == 0
    memo.clear()
    assert memo.get("t", 1) == (False, None) and memo.size("t") == 0


def test_memo_keeps_the_most_recently_used() -> None:
    memo = Memo()
    for key in (1, 2):
        memo.put("t", key, key, maxsize=2)
    assert memo.get("t", 1) == (True, 1)  # 1 is now the most recent, 2 the oldest
    memo.put("t", 3, 3, maxsize=2)
    assert memo.size("t") == 2
    assert memo.get("t", 2) == (False, None)
    assert memo.get("t", 1) == (True, 1) and memo.get("t", 3) == (True, 3)


def test_results_are_remembered_per_arguments() -> None:
    owner = Owner("a")
    assert doubled(owner, 1) == "a:2"
    assert doubled(owner, 1) == "a:2"
    assert doubled(owner, value=1) == "a:2"  # a keyword is another key: computed once more
    assert CALLS == [("a", 1), ("a", 1)]
    assert doubled.__name__ == "doubled" and "remembered" in (doubled.__doc__ or "")


def test_results_are_bounded() -> None:
    owner = Owner("a")
    for value in range(5):
        doubled(owner, value)
    name = f"{doubled.__module__}.{doubled.__qualname__}"
    assert owner.memo.size(name) == 2
    CALLS.clear()
    doubled(owner, 4)  # among the last two: remembered
    doubled(owner, 0)  # pushed out long ago: computed again
    assert CALLS == [("a", 0)]


def test_two_datasets_do_not_share_results() -> None:
    first, second = Owner("a"), Owner("b")
    assert doubled(first, 1) == "a:2"
    assert doubled(second, 1) == "b:2"
    assert CALLS == [("a", 1), ("b", 1)]
    first.memo.clear()
    assert doubled(second, 1) == "b:2"  # clearing one memo leaves the other's results
    assert CALLS == [("a", 1), ("b", 1)]


def _later_tables() -> dict[str, list[dict[str, str]]]:
    """The tiny dataset with every date moved 100 years on."""
    tables = tiny_tables()
    for name in ("projects", "activities"):
        for row in tables.get(name, []):
            for column in ("start_date", "end_date"):
                if row.get(column):
                    row[column] = str(int(row[column][:4]) + 100) + row[column][4:]
    return tables


def test_two_loaded_datasets_do_not_share_results(tmp_path: Path) -> None:
    early = load_tiny(tmp_path / "early")
    late = load_tiny(tmp_path / "late", _later_tables())
    first, last = year_bounds(early)
    assert year_bounds(late) == (first + 100, last + 100)
    assert year_bounds(early) == (first, last)
    assert text_mask(early, "alpha") is text_mask(early, "alpha")  # remembered: the same array
    assert text_mask(early, "alpha") is not text_mask(late, "alpha")
    assert not text_mask(early, "alpha").flags.writeable  # shared, so nobody may change it


def test_a_dropped_dataset_is_collected_after_memoised_calls(tmp_path: Path) -> None:
    dataset = load_tiny(tmp_path)
    state = FilterState(q="alpha", year_from=2011)
    year_bounds(dataset)
    assert text_mask(dataset, "alpha").any()
    project_mask(dataset, state)
    select(dataset, state)
    table_rows(dataset, np.ones(dataset.size, dtype=bool))  # _finding_kinds
    detail = project_detail(dataset, "alpha")  # _organisation_index, _role_vocabulary
    assert detail is not None
    assert dataset.memo.size("data.engine.queries.year_bounds") == 1
    assert dataset.memo.size("data.engine.masks.text_mask") == 1
    alive = weakref.ref(dataset)
    del dataset, detail
    gc.collect()
    assert alive() is None



def test_forgetting_results_keeps_the_indexes_kept_in_snapshots() -> None:
    from data.engine.memo import INDEXES

    memo = Memo()
    INDEXES.add("test.index")
    try:
        memo.put("test.index", (), "index", maxsize=1)
        memo.put("test.states", "a", 1, maxsize=8)
        memo.forget_results()
        assert memo.get("test.index", ()) == (True, "index")
        assert memo.get("test.states", "a") == (False, None)
    finally:
        INDEXES.discard("test.index")
