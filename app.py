"""Entry point: ``python app.py [--host H] [--port P] [--data DIR]``.

``create_app`` loads and indexes the dataset once, builds the page and registers callbacks
and routes explicitly; nothing is loaded per request.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

import dash
import numpy as np

from callbacks import api, hub, upload, views
from components.layout import build_layout
from data import uploads
from data.countries import to_iso2
from data.geo import COUNTRIES_ATTRIBUTION, country_ids
from data.loader import DEFAULT_DATASET, DatasetError, load_dataset
from data.model import Dataset
from data.queries import project_detail, table_rows, year_bounds
from data.registry import DatasetRegistry

ASSETS = Path(__file__).resolve().parent / "assets"


def create_app(data_dir: Path | str = DEFAULT_DATASET, upload_dir: Path | None = None) -> dash.Dash:
    """The Dash app serving the dataset in ``data_dir`` (and datasets users upload, kept under
    ``upload_dir`` or a temporary folder). Raises DatasetError if the dataset is invalid."""
    dataset = load_dataset(data_dir)
    registry = DatasetRegistry(dataset, upload_dir)
    bounds = year_bounds(dataset)
    app = dash.Dash(
        __name__,
        title="KET cluster cooperation in Europe",
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
    )
    vocab = {d: dataset.vocabulary(d) for d in ("country", "ket", "sector", "programme")}
    app.layout = build_layout(vocab, bounds, COUNTRIES_ATTRIBUTION, uploads.MAX_UPLOAD_BYTES // 1024**2,
                              uploads.MAX_UPLOAD_ROWS)
    hub.register(app, registry)
    views.register(app, registry, app.get_relative_path(api.GEOJSON_PATH), country_ids(),
                   COUNTRIES_ATTRIBUTION)
    upload.register(app, registry)
    api.register(app.server, registry)
    _settle(dataset)
    return app


def _settle(dataset: Dataset) -> None:
    """Build what is otherwise built on first use (country names in every language, pandas'
    lookups), then move everything alive into the garbage collector's permanent generation.
    The indexed dataset is millions of objects that live as long as the server; left in view,
    each full collection would scan them all and stall a callback for 50-100 ms."""
    to_iso2("Deutschland")
    if dataset.size:
        project_detail(dataset, str(dataset.projects["project_id"].iloc[0]))
        table_rows(dataset, np.arange(1))
    gc.collect()
    gc.freeze()
    # Callbacks allocate many short-lived objects (frames, component trees); collecting the
    # young generation less often keeps full collections, which stall a request, rare.
    gc.set_threshold(50_000, 20, 20)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATASET,
                        help="dataset folder in the normalized format (default: the seed data)")
    parser.add_argument("--upload-dir", type=Path, default=None,
                        help="where uploaded datasets are kept (default: a temporary folder)")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    try:
        app = create_app(args.data, args.upload_dir)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
