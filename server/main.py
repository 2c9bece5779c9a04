"""Start and stop the server: ``python app.py [--host H] [--port P] [--data DIR]``.

Process-wide settings (garbage collection, logging) are made here, when a server starts, and
the upload folder the server made is removed when it stops.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import threading
from pathlib import Path

from data.engine.memo import forget_on_new_state
from data.io.countries import to_iso2
from data.io.loader import DatasetError
from data.io.paths import DEFAULT_DATASET
from data.io.snapshot import default_folder
from server.factory import create_app, registry_of

log = logging.getLogger(__name__)


def settle_memory() -> None:
    """Move everything alive into the garbage collector's permanent generation. The indexed
    dataset is millions of objects that live as long as the server; left in view, each full
    collection would scan them all and stall a callback for 50-100 ms."""
    gc.collect()
    gc.freeze()
    # Callbacks allocate many short-lived objects (frames, component trees); collecting the
    # young generation less often keeps full collections, which stall a request, rare.
    gc.set_threshold(50_000, 20, 20)


def snapshot_folder(args: argparse.Namespace) -> Path | None:
    """Where the dataset's snapshot is read and written; None with ``--no-snapshot``."""
    if args.no_snapshot:
        return None
    if args.snapshot_dir is not None:
        return Path(args.snapshot_dir)
    from_env = os.environ.get("KET_SNAPSHOT_DIR", "")
    return Path(from_env) if from_env else default_folder()


def warm_country_names() -> None:
    """Build the index of country names in every language (about 1 s) beside the server, not
    before it: only a country named in words (an upload, ``?country=Deutschland``) needs it,
    and such a request waits for it (``functools.lru_cache``) rather than failing."""
    threading.Thread(target=to_iso2, args=("Deutschland",), name="country-names", daemon=True).start()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line of ``app.py`` and ``ket-dashboard``."""
    parser = argparse.ArgumentParser(description="Serve the KET cluster-cooperation dashboard.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATASET,
                        help="dataset folder in the normalized format (default: the seed data)")
    parser.add_argument("--upload-dir", type=Path, default=None,
                        help="where uploaded datasets are kept (default: a temporary folder, "
                             "removed when the server stops)")
    parser.add_argument("--snapshot-dir", type=Path, default=None,
                        help="where the indexed dataset is kept between starts (default: "
                             "$KET_SNAPSHOT_DIR, else $XDG_CACHE_HOME/ket-dashboard/snapshots)")
    parser.add_argument("--no-snapshot", action="store_true",
                        help="read and index the dataset's files on every start")
    parser.add_argument("--forget-states", action="store_true",
                        help="for measuring: forget the results of a filter state when the next "
                             "comes, so every state is computed anew (the benchmark runs so)")
    parser.add_argument("--log-level", default="INFO",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    parser.add_argument("--debug", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Load the dataset, then serve until interrupted. 2 if the dataset is refused."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    forget_on_new_state(args.forget_states)
    try:
        app = create_app(args.data, args.upload_dir, snapshot_folder(args))
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 2
    registry = registry_of(app)
    warm_country_names()
    settle_memory()
    try:
        app.run(host=args.host, port=args.port, debug=args.debug)
    finally:
        registry.close()
    return 0
