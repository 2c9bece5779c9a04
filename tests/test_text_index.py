"""The joined-string search (``data.engine.text_index``) finds exactly the rows that
``Series.str.contains`` finds, whichever way it goes (visits, or the vectorised scan)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data.engine import text_index as ti

ALPHABET = st.sampled_from(list("ab é\x00\n-"))
texts = st.lists(st.one_of(st.none(), st.text(ALPHABET, max_size=12)), max_size=30)


def reference(values: list[str | None], word: str) -> np.ndarray:
    return np.array([v is not None and word in v for v in values], dtype=bool)


@settings(max_examples=300, deadline=None)
@given(values=texts, word=st.text(ALPHABET, min_size=1, max_size=4))
def test_the_rows_found_are_the_rows_that_contain_the_word(values: list[str | None], word: str) -> None:
    index = ti.text_index(pd.Series(values, dtype="str"))
    np.testing.assert_array_equal(ti.containing(index, word), reference(values, word))


def test_a_word_found_in_very_many_places_is_handed_to_the_scan_and_gives_the_same_rows(
        monkeypatch: pytest.MonkeyPatch) -> None:
    values = ["banana", "apple", None, "cherry", "aaaa"]
    index = ti.text_index(pd.Series(values, dtype="str"))
    expected = reference(values, "a")
    scans: list[str] = []
    real = ti._scanned
    monkeypatch.setattr(ti, "_scanned", lambda i, w: scans.append(w) or real(i, w))
    monkeypatch.setattr(ti, "MAX_VISITS", 3)
    np.testing.assert_array_equal(ti.containing(index, "a"), expected)
    assert scans == ["a"]
    monkeypatch.setattr(ti, "MAX_VISITS", 100)
    np.testing.assert_array_equal(ti.containing(index, "a"), expected)
    assert scans == ["a"]  # no second scan: the visits sufficed


def test_a_word_never_matches_across_two_texts() -> None:
    index = ti.text_index(pd.Series(["abc", "def"], dtype="str"))
    assert not ti.containing(index, "cd").any()
    assert ti.containing(index, "c").tolist() == [True, False]
