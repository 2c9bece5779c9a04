"""The app factory: one dataset loaded and indexed, the page built, callbacks and routes registered.

``create_app`` is the one place where every layer meets; nothing is loaded per request. Starting
and stopping the server (GC settings, temp folders) belong to ``server.main``, so an app made in
a test changes nothing about the process that made it.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dash
import numpy as np

from callbacks import api, hub, share, storyboard, upload, views
from components.layout import build_layout
from data.engine.model import Dataset, load_dataset
from data.engine.queries import project_detail, table_rows, year_bounds
from data.io.countries import to_iso2
from data.io.geo import COUNTRIES_ATTRIBUTION, country_ids
from data.io.paths import DEFAULT_DATASET
from server import uploads
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
REGISTRY_KEY = "ket_registry"
PAGE_LANG = "en"
"""The page's language (``<html lang>``): screen readers pick their voice by it."""
INDEX_STRING = """<!DOCTYPE html>
<html lang="{lang}">
    <head>
        {{%metas%}}
        <title>{{%title%}}</title>
        {{%favicon%}}
        {{%css%}}
    </head>
    <body>
        {{%app_entry%}}
        <footer>
            {{%config%}}
            {{%scripts%}}
            {{%renderer%}}
        </footer>
    </body>
</html>"""
"""Dash's page template with the language set (``INDEX_STRING.format(lang=...)``)."""
"""Where the app keeps its dataset registry: ``app.server.extensions[REGISTRY_KEY]``."""


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
        update_title=None,  # type: ignore[arg-type]  # None turns the title update off (Dash's docs)
    )
    app.index_string = INDEX_STRING.format(lang=PAGE_LANG)
    vocab = {d: dataset.vocabulary(d) for d in ("country", "ket", "sector", "programme")}
    app.layout = build_layout(vocab, bounds, COUNTRIES_ATTRIBUTION, uploads.MAX_UPLOAD_BYTES // 1024**2,
                              uploads.MAX_UPLOAD_ROWS)
    hub.register(app, registry)
    geojson_url: str = app.get_relative_path(api.GEOJSON_PATH)  # type: ignore[no-untyped-call]
    views.register(app, registry, geojson_url, country_ids(),
                   COUNTRIES_ATTRIBUTION)
    upload.register(app, registry)
    share.register(app)
    storyboard.register(app, registry)
    api.register(app.server, registry)
    app.server.extensions[REGISTRY_KEY] = registry
    _warm(dataset)
    log.info("serving %s: %d projects, %d participations", data_dir, dataset.size,
             len(dataset.participations))
    return app


def registry_of(app: dash.Dash) -> DatasetRegistry:
    """The dataset registry ``create_app`` made for this app."""
    registry: DatasetRegistry = app.server.extensions[REGISTRY_KEY]
    return registry


def _warm(dataset: Dataset) -> None:
    """Build what is otherwise built on the first request (country names in every language,
    pandas' lookups), so the first person to click does not wait for it."""
    to_iso2("Deutschland")
    if dataset.size:
        project_detail(dataset, str(dataset.projects["project_id"].iloc[0]))
        table_rows(dataset, np.arange(1))
