"""The project masks: which projects pass a filter state, for each view and the API.

Each mask is a boolean array over the dataset's projects. A view leaves out its own dimensions
(``ignore``) so it can show the context of its selection next to the selection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from data.engine.memo import per_dataset
from data.engine.model import BoolArray, Dataset
from data.engine.state import LIST_PARAMS, YEAR_MAX, YEAR_MIN, FilterState
from data.engine.text_index import TextIndex, containing, text_index


def period_masks(
    dataset: Dataset, year_from: int | None, year_to: int | None
) -> tuple[BoolArray, BoolArray]:
    """(overlaps, undetermined) over projects for a period of whole years.

    A project overlaps when its known dates say so. With no dates, or a start before the period
    and no end, the sources cannot tell: such projects are 'undetermined', not kept and not
    claimed to be outside.
    """
    projects = dataset.projects
    lo = np.datetime64(f"{year_from if year_from is not None else YEAR_MIN}-01-01")
    hi = np.datetime64(f"{year_to if year_to is not None else YEAR_MAX}-12-31")
    start = projects["start"].to_numpy(dtype="datetime64[ns]")
    end = projects["end"].to_numpy(dtype="datetime64[ns]")
    has_start, has_end = ~np.isnat(start), ~np.isnat(end)
    with np.errstate(invalid="ignore"):
        both = has_start & has_end & (start <= hi) & (end >= lo)
        open_ended = has_start & ~has_end & (start >= lo) & (start <= hi)
        end_only = ~has_start & has_end & (end >= lo) & (end <= hi)
        overlaps = both | open_ended | end_only
        ruled_out = (has_start & (start > hi)) | (has_end & (end < lo))
    return overlaps, ~overlaps & ~ruled_out


def project_mask(dataset: Dataset, state: FilterState, ignore: Iterable[str] = ()) -> BoolArray:
    """Boolean array over projects: True where the project passes every filter not ignored.

    ``ignore`` names dimensions to leave out ('country', 'ket', 'sector', 'programme',
    'period', 'q'), so a view can show the context of its own selection.

    ``state.project`` selects nothing: the open project is a focus, not a filter. The views
    mark it (``data.engine.focus``) among the projects the other filters keep, and the API and
    the exports answer for those same projects, so the page and the API agree on the counts
    whether a project is open or not. ('project' in ``ignore`` is accepted and changes nothing.)
    """
    skip = set(ignore)
    mask = np.ones(dataset.size, dtype=bool)
    tags = dataset.tag_index(state.inferred).members
    for name in LIST_PARAMS:
        values = getattr(state, name)
        if not values or name in skip:
            continue
        index = tags[name] if name in tags else dataset.members[name]
        any_of = np.zeros(dataset.size, dtype=bool)
        for value in values:
            member = index.get(value)
            if member is not None:
                any_of |= member
        mask &= any_of
    if "period" not in skip and (state.year_from is not None or state.year_to is not None):
        mask &= period_masks(dataset, state.year_from, state.year_to)[0]
    if "q" not in skip and state.q:
        mask &= text_mask(dataset, state.q)
    return mask


@per_dataset(64)
def text_mask(dataset: Dataset, q: str) -> BoolArray:
    """Projects matching a free-text search: every word must stand in the project's own text
    or in one of its partners' names. Cached: the views of one state ask for it several times."""
    mask = np.ones(dataset.size, dtype=bool)
    projects, organisations = searched(dataset)
    for word in q.lower().split():
        hit = containing(projects, word)
        org_hit = containing(organisations, word)
        if org_hit.any():
            hit[dataset.participation_pos[org_hit[dataset.participation_org]]] = True
        mask &= hit
    mask.setflags(write=False)
    return mask


@per_dataset(1, index=True)
def searched(dataset: Dataset) -> tuple[TextIndex, TextIndex]:
    """The search indexes of the projects' own text and of the organisations' names."""
    return text_index(dataset.search_text), text_index(dataset.organisation_text)


@dataclass(frozen=True, eq=False)
class Selection:
    """The masks the views need for one state; each view leaves out its own dimensions so
    it can show the context of what is selected (greyed) next to the selection."""

    state: FilterState
    matching: BoolArray
    """Passes every filter: the headline, the API."""
    map_context: BoolArray
    """Every filter but country and region: the map colours these and outlines the chosen
    countries or regions."""
    matrix_context: BoolArray
    """Every filter but KET and sector: the matrix counts these and outlines chosen cells."""
    timeline_context: BoolArray
    """Every filter but period: the rows of the timeline."""
    listed: BoolArray
    """Every filter (the same projects as ``matching``, since the open project filters
    nothing): coloured bars, table rows (the open project highlighted)."""
    period_undetermined: BoolArray
    """Projects passing the other filters whose dates cannot tell if they meet the period."""


def select(dataset: Dataset, state: FilterState) -> Selection:
    """All masks for a state, computed together."""
    listed = project_mask(dataset, state, ignore=("project",))
    undetermined = np.zeros(dataset.size, dtype=bool)
    if state.year_from is not None or state.year_to is not None:
        others = project_mask(dataset, state, ignore=("period",))
        undetermined = others & period_masks(dataset, state.year_from, state.year_to)[1]
    return Selection(
        state=state,
        matching=project_mask(dataset, state),
        map_context=project_mask(dataset, state, ignore=("country", "region")),
        matrix_context=project_mask(dataset, state, ignore=("ket", "sector")),
        timeline_context=project_mask(dataset, state, ignore=("period", "project")),
        listed=listed,
        period_undetermined=undetermined,
    )
