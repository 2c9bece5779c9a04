"""Start and stop the server: ``python app.py [--host H] [--port P] [--data DIR]``.

Process-wide settings (garbage collection, logging) are made here, when a server starts, and
the upload folder the server made is removed when it stops.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from pathlib import Path

from data.io.loader import DatasetError
from data.io.paths import DEFAULT_DATASET
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
    parser.add_argument("--log-level", default="INFO",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    parser.add_argument("--debug", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Load the dataset, then serve until interrupted. 2 if the dataset is refused."""
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(args.data, args.upload_dir)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 2
    registry = registry_of(app)
    settle_memory()
    try:
        app.run(host=args.host, port=args.port, debug=args.debug)
    finally:
        registry.close()
    return 0
