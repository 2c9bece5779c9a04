"""Partial ISO dates: '2011', '2011-10' or '2011-10-05', and the interval each one means.

A source that says a project started in 2011 says no more than that: the start is some day
between 1 January and 31 December. Checks (an end before a start) and the timeline read the
first and last day a date can mean from here, so they agree on what a partial date allows.
"""

from __future__ import annotations

import pandas as pd


def first_day(text: pd.Series) -> pd.Series:
    """The first day each partial date can mean ('2011-10' -> 2011-10-01); NaT where empty."""
    text = text.fillna("")
    padded = text.where(text.str.len() != 4, text + "-01-01")
    padded = padded.where(padded.str.len() != 7, padded + "-01")
    return pd.to_datetime(padded.replace("", None), format="%Y-%m-%d", errors="coerce")


def last_day(text: pd.Series) -> pd.Series:
    """The last day each partial date can mean ('2011-10' -> 2011-10-31); NaT where empty."""
    text = text.fillna("")
    first = first_day(text)
    last = first.copy()
    year_only = text.str.len() == 4
    month_only = text.str.len() == 7
    last[year_only] = first[year_only] + pd.offsets.YearEnd(0)
    last[month_only] = first[month_only] + pd.offsets.MonthEnd(0)
    return last


def interval_bounds(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day each partial date can mean ('2011-10' -> Oct 1 .. Oct 31)."""
    return first_day(text), last_day(text)
