"""Results remembered per dataset, so they go when the dataset goes.

A module-level ``functools.lru_cache`` keyed on a dataset keeps every dataset it has seen alive
until its entries are pushed out, so an upload the registry evicted stayed in memory. Here each
``Dataset`` owns a ``Memo``; a function decorated with ``per_dataset`` stores its results in the
memo of the dataset it is called with, bounded per function, least recently used first out.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


INDEXES: set[str] = set()
"""Tables of ``per_dataset(..., index=True)`` functions: what depends on the dataset alone
(lookups, vocabularies, bounds), built on first use, kept when the dataset is written to a
snapshot (``data.engine.snapshot``) and when per-state results are forgotten. The other tables
hold results per filter state; they start empty."""


_forgetting = False


def forget_on_new_state(on: bool) -> None:
    """Measuring: forget every per-state result whenever a new filter state comes
    (``Memo.forget_results``, which the hub calls), so each new state is computed as if never
    seen. The server's ``--forget-states``; the benchmark runs that way."""
    global _forgetting
    _forgetting = on


def forgetting() -> bool:
    """Whether ``forget_on_new_state`` is on."""
    return _forgetting


class Memo:
    """Bounded LRU tables, one per remembering function. Thread-safe: Dash serves callbacks
    from several threads, and two may ask for the same result at once (both compute it; the
    answer is the same, and the second store is harmless)."""

    def __init__(self) -> None:
        self._tables: dict[str, OrderedDict[Hashable, Any]] = {}
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # A snapshot keeps the dataset's indexes, not the per-state results remembered while
        # serving it; a lock cannot be pickled, and the copy gets its own.
        with self._lock:
            return {"tables": {name: OrderedDict(table) for name, table in self._indexes().items()}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._tables = dict(state.get("tables", {}))
        self._lock = threading.Lock()

    def get(self, name: str, key: Hashable) -> tuple[bool, Any]:
        """(found, value) for ``key`` in the table ``name``."""
        with self._lock:
            table = self._tables.get(name)
            if table is None or key not in table:
                return False, None
            table.move_to_end(key)
            return True, table[key]

    def put(self, name: str, key: Hashable, value: Any, maxsize: int) -> None:
        """Remember ``value``; the table keeps at most ``maxsize`` entries."""
        with self._lock:
            table = self._tables.setdefault(name, OrderedDict())
            table[key] = value
            table.move_to_end(key)
            while len(table) > maxsize:
                table.popitem(last=False)

    def forget_results(self) -> None:
        """Forget every per-state result; keep the indexes (``INDEXES``)."""
        with self._lock:
            self._tables = self._indexes()

    def _indexes(self) -> dict[str, OrderedDict[Hashable, Any]]:
        """The tables of indexes (``INDEXES``); the caller holds the lock."""
        return {name: table for name, table in self._tables.items() if name in INDEXES}

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._tables.clear()

    def size(self, name: str) -> int:
        """How many results the table ``name`` holds."""
        with self._lock:
            return len(self._tables.get(name, ()))


class HasMemo(Protocol):
    """Anything that owns a memo (a ``Dataset``)."""

    @property
    def memo(self) -> Memo:
        """The memo the results are stored in."""
        ...


D = TypeVar("D", bound=HasMemo)


def per_dataset(maxsize: int, index: bool = False,
                ) -> Callable[[Callable[Concatenate[D, P], R]], Callable[Concatenate[D, P], R]]:
    """Remember a function's results in the memo of its first argument (the dataset), keyed by
    the other arguments, which must be hashable. ``index``: the results depend on the dataset
    and those arguments alone, never on a filter state (``INDEXES``)."""

    def decorate(func: Callable[Concatenate[D, P], R]) -> Callable[Concatenate[D, P], R]:
        name = f"{func.__module__}.{func.__qualname__}"
        if index:
            INDEXES.add(name)

        @functools.wraps(func)
        def remembered(dataset: D, /, *args: P.args, **kwargs: P.kwargs) -> R:
            key = (args, tuple(sorted(kwargs.items())))
            found, value = dataset.memo.get(name, key)
            if found:
                return value  # type: ignore[no-any-return]
            result = func(dataset, *args, **kwargs)
            dataset.memo.put(name, key, result, maxsize)
            return result

        return remembered

    return decorate
