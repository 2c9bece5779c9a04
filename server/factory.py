"""The app factory: one dataset loaded and indexed, the page built, callbacks and routes registered.

``create_app`` is the one place where every layer meets; nothing is loaded per request. Starting
and stopping the server (GC settings, temp folders) belong to ``server.main``, so an app made in
a test changes nothing about the process that made it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dash
import flask
import numpy as np

from callbacks import api, hub, network, org_map, share, storyboard, upload, views
from callbacks import compare as compare_callbacks
from components.layout import build_layout
from data.engine import snapshot as snapshots
from data.engine.masks import searched
from data.engine.model import Dataset
from data.engine.network import warm as warm_network
from data.engine.queries import project_detail, table_rows, year_bounds
from data.engine.state import FilterState
from data.io.geo import COUNTRIES_ATTRIBUTION, country_ids
from data.io.i18n import LANGUAGES, language, translator
from data.io.paths import DEFAULT_DATASET
from server import uploads
from server.registry import DatasetRegistry

log = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
REGISTRY_KEY = "ket_registry"
"""Where the app keeps its dataset registry: ``app.server.extensions[REGISTRY_KEY]``."""


def request_language() -> str:
    """The language the address asks for (``?lang=de``), English outside a request or for
    anything else."""
    if not flask.has_request_context():
        return "en"
    wanted = flask.request.args.get("lang", "", type=str)
    if not wanted and flask.request.referrer:
        # Dash's renderer asks for the layout (/_dash-layout) without the page's query; the
        # page's address is the request's referrer (same origin, so browsers send it whole).
        wanted = (parse_qs(urlsplit(flask.request.referrer[:4096]).query).get("lang") or [""])[-1]
    return language(wanted[:8].strip().lower())


class LocalisedDash(dash.Dash):
    """A Dash app whose page says its language: ``<html lang="de">`` for ``?lang=de``."""

    def interpolate_index(self, **kwargs: str) -> str:  # type: ignore[override]
        """Dash's page, with the ``lang`` attribute and the title in the request's language."""
        lang = request_language()
        kwargs["title"] = translator(lang)(kwargs.get("title", ""))
        page: str = super().interpolate_index(**kwargs)  # type: ignore[no-untyped-call]
        return page.replace("<html>", f'<html lang="{lang}">', 1)


def create_app(data_dir: Path | str = DEFAULT_DATASET, upload_dir: Path | None = None,
               snapshot_dir: Path | None = None) -> dash.Dash:
    """The Dash app serving the dataset in ``data_dir`` (and datasets users upload, kept under
    ``upload_dir`` or a temporary folder). Raises DatasetError if the dataset is invalid.
    With ``snapshot_dir``, the indexed dataset is read from its snapshot there when one matches
    its files, and written there when none does (``data.engine.snapshot``)."""
    loaded = snapshots.load(data_dir, snapshot_dir)
    dataset = loaded.dataset
    registry = DatasetRegistry(dataset, upload_dir)
    bounds = year_bounds(dataset)
    app = LocalisedDash(
        __name__,
        title="KET cluster cooperation in Europe",
        assets_folder=str(ASSETS),
        serve_locally=True,
        update_title=None,  # type: ignore[arg-type]  # None turns the title update off (Dash's docs)
    )
    layouts = {}
    for lang in LANGUAGES:
        vocab = {d: dataset.vocabulary(d, lang) for d in views.DROPDOWN_DIMENSIONS}
        layouts[lang] = build_layout(vocab, bounds, COUNTRIES_ATTRIBUTION,
                                     uploads.MAX_UPLOAD_BYTES // 1024**2, uploads.MAX_UPLOAD_ROWS, lang)
    # A function: Dash calls it on every page load, so the page comes in the address's language
    # (a language switch is a new page load). Each language's page is built once, here.
    app.layout = lambda: layouts[request_language()]
    hub.register(app, registry)
    geojson_url: str = app.get_relative_path(api.GEOJSON_PATH)  # type: ignore[no-untyped-call]
    views.register(app, registry, geojson_url, country_ids(),
                   COUNTRIES_ATTRIBUTION)
    org_map.register(app, registry, geojson_url, country_ids())
    upload.register(app, registry)
    share.register(app)
    storyboard.register(app, registry)
    compare_callbacks.register(app, registry)
    network.register(app, registry)
    api.register(app.server, registry)
    app.server.extensions[REGISTRY_KEY] = registry
    _warm(dataset)
    snapshots.save(loaded, snapshot_dir)
    log.info("serving %s: %d projects, %d participations", data_dir, dataset.size,
             len(dataset.participations))
    return app


def registry_of(app: dash.Dash) -> DatasetRegistry:
    """The dataset registry ``create_app`` made for this app."""
    registry: DatasetRegistry = app.server.extensions[REGISTRY_KEY]
    return registry


def _warm(dataset: Dataset) -> None:
    """Build what is otherwise built on the first request (pandas' lookups, the organisation
    map's and the network's indexes, the page views' vocabularies and bounds), so the first
    person to click does not wait for it, and a snapshot written after it holds them."""
    if dataset.size:
        project_detail(dataset, str(dataset.projects["project_id"].iloc[0]))
        table_rows(dataset, np.arange(1))
        # The organisation map's coordinates and id lookup are read once, here.
        org_map.organisations_of(dataset, FilterState())
        warm_network(dataset)
        views.warm(dataset, country_ids())
        searched(dataset)
