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

# Export menu, chart image buttons and report links (components/export_menu.py).
EXPORT_MENU = "export-menu"
EXPORT_PROJECTS_CSV = "export-menu-projects-csv"
EXPORT_PROJECTS_XLSX = "export-menu-projects-xlsx"
EXPORT_PARTICIPATIONS_CSV = "export-menu-participations-csv"
EXPORT_PARTICIPATIONS_XLSX = "export-menu-participations-xlsx"
EXPORT_ORGANISATIONS_CSV = "export-menu-organisations-csv"
EXPORT_ORGANISATIONS_XLSX = "export-menu-organisations-xlsx"
EXPORT_VIEW_HTML = "export-menu-view-html"
EXPORT_VIEW_PDF = "export-menu-view-pdf"
EXPORT_STORY_HTML = "export-menu-story-html"
EXPORT_STORY_PDF = "export-menu-story-pdf"
EXPORT_STORY_ITEMS = "export-menu-story-items"
STORY_EXPORT = "story-export"
"""The 'Export storyboard as HTML / PDF' links beside the storyboard, shown when one is open."""
STORY_EXPORT_HTML = "story-export-html"
STORY_EXPORT_PDF = "story-export-pdf"
EXPORT_CAPTION = "export-caption"
"""Hidden: the caption and file names of the chart images for the current state, as JSON text
(read by assets/export.js)."""
