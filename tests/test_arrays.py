"""``data.engine.arrays.distinct``: what ``np.unique`` gives, without its hashing."""

from __future__ import annotations

import numpy as np
import pytest

from data.engine.arrays import distinct


@pytest.mark.parametrize("size", [0, 1, 2, 3, 50, 10_000])
def test_distinct_gives_the_sorted_distinct_values_np_unique_gives(size: int) -> None:
    values = np.random.default_rng(size).integers(-1_000, 10**12, size)
    values = np.concatenate([values, values[: size // 2]])  # repeats
    found = distinct(values)
    np.testing.assert_array_equal(found, np.unique(values))
    assert found.dtype == np.int64


def test_distinct_of_repeats_only_is_one_value() -> None:
    np.testing.assert_array_equal(distinct(np.full(7, 5, dtype=np.int32)), [5])
