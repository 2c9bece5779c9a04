"""Entry point: ``python app.py [--host H] [--port P] [--data DIR]``.

``create_app`` loads and indexes the dataset once, builds the page and registers callbacks
and routes explicitly; nothing is loaded per request.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import dash

from callbacks import api, hub, views
from components.layout import build_layout
from data.geo import COUNTRIES_ATTRIBUTION, country_ids
from data.loader import DEFAULT_DATASET, DatasetError, load_dataset

ASSETS = Path(__file__).resolve().parent / "assets"


def year_bounds(start_years: list[int], end_years: list[int]) -> tuple[int, int]:
    """Ends of the period slider: the earliest and latest year any project states."""
    years = [y for y in [*start_years, *end_years] if y]
    return (min(years), max(years)) if years else (2000, 2030)


def create_app(data_dir: Path | str = DEFAULT_DATASET) -> dash.Dash:
    """The Dash app serving the dataset in ``data_dir``. Raises DatasetError if it is invalid."""
    dataset = load_dataset(data_dir)
    projects = dataset.projects
    bounds = year_bounds(projects["start"].dt.year.dropna().astype(int).tolist(),
                         projects["end"].dt.year.dropna().astype(int).tolist())
    app = dash.Dash(
        __name__,
        title="KET cluster cooperation in Europe",
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,
    )
    vocab = {d: dataset.vocabulary(d) for d in ("country", "ket", "sector", "programme")}
    app.layout = build_layout(vocab, bounds, COUNTRIES_ATTRIBUTION)
    hub.register(app, dataset, bounds)
    views.register(app, dataset, app.get_relative_path(api.GEOJSON_PATH), country_ids(),
                   COUNTRIES_ATTRIBUTION)
    api.register(app.server, dataset)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATASET,
                        help="dataset folder in the normalized format (default: the seed data)")
    parser.add_argument("--debug", action="store_true")
    args = parser.parse_args(argv)
    try:
        app = create_app(args.data)
    except DatasetError as exc:
        print(exc, file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, debug=args.debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())
