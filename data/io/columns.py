"""Column helpers shared by the loader and the indexed dataset."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa


def contiguous(column: pd.Series) -> pd.Series:
    """The column as one Arrow chunk. Readers and ``concat`` return many chunks, and Arrow
    answers a row lookup on a chunked string column (a project's partners, one table page)
    by first copying the whole column: milliseconds at a million rows, on every click."""
    array = getattr(column.array, "_pa_array", None)
    if isinstance(array, pa.ChunkedArray) and array.num_chunks > 1:
        joined = pa.chunked_array([array.combine_chunks()])
        # The column's own dtype, explicitly: ArrowStringArray's default is pandas' NA-semantics
        # 'string', not the reader's 'str', and only columns long enough to arrive in several
        # chunks came through here, so a dataset changed dtype with its size (a lookup that found
        # nothing then came back as double[pyarrow] and refused a '' fill: ArrowInvalid).
        values: pd.arrays.ArrowExtensionArray
        if isinstance(column.dtype, pd.StringDtype):
            # pandas-stubs lists no ``dtype`` parameter; pandas 3 takes one.
            values = pd.arrays.ArrowStringArray(joined, dtype=column.dtype)  # type: ignore[call-arg]
        else:
            values = pd.arrays.ArrowExtensionArray(joined)
        return pd.Series(values, index=column.index, name=column.name)
    return column
