"""Which projects each organisation takes part in, without a boolean array per organisation.

A real dataset names about 280,000 organisations: one boolean array over 50,000 projects each
would be 14 GB. Instead the distinct (organisation, project) pairs are sorted by organisation
once, at start-up, so an organisation's projects are a contiguous run; the mask of one
organisation is built from its run when a filter asks for it, and the last few are remembered.
``OrganisationMembers`` is that index seen as a mapping ``organisation id -> mask``, so the
filter code treats ``org=`` like any other list dimension (``Dataset.members["org"]``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from data.engine.arrays import distinct
from data.engine.memo import Memo

MASKS_REMEMBERED = 256
"""Masks of single organisations kept (about 50 kB each at 50,000 projects)."""


class OrganisationMembers(Mapping[str, npt.NDArray[np.bool_]]):
    """``organisation_id -> boolean array over projects`` (True where it takes part), built on
    demand from the pairs index and remembered (least recently used first out).

    ``pair_org``/``pair_pos`` are the distinct (organisation row, project position) pairs,
    sorted by organisation row; ``offsets[row]`` is where an organisation's pairs start."""

    def __init__(self, organisation_ids: pd.Series, participation_org: npt.NDArray[np.integer],
                 participation_pos: npt.NDArray[np.integer], size: int) -> None:
        self.ids = pd.Index(organisation_ids.to_numpy(dtype=object))
        self.size = size
        orgs = np.asarray(participation_org, dtype=np.int64)
        pos = np.asarray(participation_pos, dtype=np.int64)
        known = orgs >= 0
        self.all_known = bool(known.all())
        """Every participation names an organisation of the table (the loader checks it)."""
        # One sort at start-up: the key orders by organisation, then project, and repeats of a
        # pair (a body in two roles) collapse.
        keys = distinct(orgs[known] * max(1, size) + pos[known])
        self.pair_org = keys // max(1, size)
        self.pair_pos = keys % max(1, size)
        self.offsets = np.searchsorted(self.pair_org, np.arange(len(self.ids) + 1), side="left")
        self._memo = Memo()

    def row(self, organisation_id: str) -> int | None:
        """The organisation's row in ``organisations``, or None if the dataset has no such id."""
        found = self.ids.get_indexer([organisation_id])[0]
        return None if found < 0 else int(found)

    def positions(self, row: int) -> npt.NDArray[np.int64]:
        """The project positions of the organisation in row ``row``, ascending."""
        return self.pair_pos[self.offsets[row]:self.offsets[row + 1]]

    def __getitem__(self, organisation_id: str) -> npt.NDArray[np.bool_]:
        found, mask = self._memo.get("mask", organisation_id)
        if found:
            return mask  # type: ignore[no-any-return]
        row = self.row(organisation_id) if isinstance(organisation_id, str) else None
        if row is None:
            raise KeyError(organisation_id)
        mask = np.zeros(self.size, dtype=bool)
        mask[self.positions(row)] = True
        mask.setflags(write=False)
        self._memo.put("mask", organisation_id, mask, MASKS_REMEMBERED)
        return mask

    def __contains__(self, organisation_id: object) -> bool:
        return isinstance(organisation_id, str) and self.row(organisation_id) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(str(i) for i in self.ids)

    def __len__(self) -> int:
        return len(self.ids)
