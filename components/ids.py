"""Every component id of the page, in one place.

``MAP``, ``TIMELINE``, ``MATRIX`` and ``TABLE`` are public: automation and embedding rely on them.
Pattern-matching ids (a dict with a ``type``) are built by the functions below, so their keys are
written here too; a callback passes ``dash.ALL`` for the keys it matches on.
"""

from __future__ import annotations

import json
from typing import Any

# Views (stable, documented in the README).
MAP = "map"
TIMELINE = "timeline"
MATRIX = "matrix"
TABLE = "projects-table"
TABLE_REFRESH = "projects-table-refresh"
TABLE_COUNT = "projects-table-count"

# State and navigation.
URL = "url"
STATE = "filter-state"
NOTICES = "notices"

# Filter bar.
FILTER_COUNTRY = "filter-country"
FILTER_KET = "filter-ket"
FILTER_SECTOR = "filter-sector"
FILTER_PROGRAMME = "filter-programme"
FILTER_PERIOD = "filter-period"
FILTER_SEARCH = "filter-search"
MAP_METRIC = "map-metric"
RESET = "reset"
CHIPS = "filter-chips"
CHIP = "filter-chip"
"""Pattern-matching type of the remove buttons: ``chip_id(dimension, value)``."""

# Read-only panels.
HEADLINE = "headline"
HEADLINE_PROJECTS = "headline-projects"
HEADLINE_ORGANISATIONS = "headline-organisations"
HEADLINE_ORGANISATIONS_IN_COUNTRIES = "headline-organisations-in-countries"
HEADLINE_COUNTRIES = "headline-countries"
HEADLINE_EU = "headline-eu"
HEADLINE_COMPLETENESS = "headline-completeness"
UNDATED = "undated-projects"
UNDATED_ITEM = "undated-project"
"""Pattern-matching type of the undated list's buttons: ``undated_item_id(project)``."""
DETAIL = "project-detail"
DETAIL_REJECTED_ROWS = "detail-rejected-rows"
DETAIL_CLOSE = "project-detail-close"
API_LINK = "api-link"
EXPORT_CSV_LINK = "export-projects-csv-link"
EXPORT_XLSX_LINK = "export-projects-xlsx-link"
INFERRED = "inferred-switch"
INFERRED_WRAP = "inferred-switch-wrap"

# Upload dialog.
UPLOAD_OPEN = "upload-open"
UPLOAD_MODAL = "upload-modal"
UPLOAD = "upload"
UPLOAD_STORE = "upload-store"
"""What the dialog has so far: file token and name, kind, columns, mapping, dataset id."""
UPLOAD_STATUS = "upload-status"
UPLOAD_PREVIEW = "upload-preview"
UPLOAD_MAPPING = "upload-mapping"
UPLOAD_FIELD = "upload-field"
"""Pattern-matching type of the mapping dropdowns: ``upload_field_id(target)``."""
UPLOAD_IMPORT = "upload-import"
UPLOAD_REPORT = "upload-report"
UPLOAD_SWITCH = "upload-switch"


def chip_id(dimension: Any, value: Any) -> dict[str, Any]:
    """The remove button of the chip of one filter value."""
    return {"type": CHIP, "dimension": dimension, "value": value}


def undated_item_id(project: Any) -> dict[str, Any]:
    """The button naming one project of the undated list."""
    return {"type": UNDATED_ITEM, "project": project}


def upload_field_id(target: Any) -> dict[str, Any]:
    """The mapping dropdown of one field of ours (``data.importers.spreadsheet.mapping_fields``)."""
    return {"type": UPLOAD_FIELD, "target": target}


def dom_id(component_id: str | dict[str, Any]) -> str:
    """The id a component has in the page's HTML, for ``htmlFor``: a pattern-matching id is
    written as JSON with sorted keys and no spaces, as Dash writes it."""
    if isinstance(component_id, str):
        return component_id
    return json.dumps(component_id, sort_keys=True, separators=(",", ":"))

SHARE_OPEN = "share-open"
SHARE_MODAL = "share-modal"
SHARE_URL = "share-url"
SHARE_QR = "share-qr"
SHARE_COPY = "share-copy"
SHARE_COPIED = "share-copied"

LANG_SWITCH = "lang-switch"
LANG_LINK_EN = "lang-link-en"
LANG_LINK_DE = "lang-link-de"
LANG_LINK_FR = "lang-link-fr"
LANG_LINK_ES = "lang-link-es"
LANG_LINKS = {"en": LANG_LINK_EN, "de": LANG_LINK_DE, "fr": LANG_LINK_FR, "es": LANG_LINK_ES}
"""The language switch's links, one per language of ``data.io.i18n.LANGUAGES``."""


def lang_link_id(lang: str) -> str:
    """The switch's link to the current view in ``lang``."""
    return LANG_LINKS[lang]
