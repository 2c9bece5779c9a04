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
TABLE_SORT = "projects-table-sort"
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
FILTER_INSTRUMENT = "filter-instrument"
FILTER_INSTRUMENT_WRAP = "filter-instrument-wrap"
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
DETAIL_SHEET = "project-sheet"
"""The side sheet (an offcanvas) that holds the open project's panel."""
DETAIL_TITLE = "project-sheet-title"
API_LINK = "api-link"
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


def disclosure_id(body_id: str) -> str:
    """The ``<details>`` around a chart's alternative (``a11y.disclosure``) whose body is
    ``body_id``: its ``open`` decides whether the render callback sends the body. A body
    without a declared disclosure (``DISCLOSURES``) is a KeyError."""
    return DISCLOSURES[body_id]


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

# Storyboard: the panel, its list of saved views, and the step bar.
STORY_OPEN = "story-open"
STORY_PANEL = "story-panel"
STORY_PANEL_HEADING = "story-panel-heading"
STORY_CLOSE = "story-close"
STORY_TITLE = "story-title"
STORY_NOTE = "story-note"
STORY_SAVE = "story-save"
STORY_STATUS = "story-status"
"""What the last storyboard action said: a refused save, a bad file, a storyboard opened."""
STORY_LIST = "story-list"
STORY_ACTION = "story-action"
"""Pattern-matching type of a saved view's buttons: ``story_action_id(action, index)``."""
STORY_PREV = "story-prev"
STORY_NEXT = "story-next"
STORY_POSITION = "story-position"
STORY_DOWNLOAD_BUTTON = "story-download-button"
STORY_DOWNLOAD = "story-download"
STORY_UPLOAD = "story-upload"
STORY_FOLDER = "story-folder"
"""The offer of the storyboard that comes with the dataset (its text and its button)."""
STORY_FOLDER_TEXT = "story-folder-text"
STORY_FOLDER_OPEN = "story-folder-open"
STORY_BAR = "story-bar"
STORY_BAR_PREV = "story-bar-prev"
STORY_BAR_NEXT = "story-bar-next"
STORY_BAR_TEXT = "story-bar-text"
STORY_BAR_NOTE = "story-bar-note"


def story_action_id(action: Any, index: Any) -> dict[str, Any]:
    """A button of the saved view at ``index`` (0-based): show, up, down or remove."""
    return {"type": STORY_ACTION, "action": action, "index": index}
# Presentation mode and theme (components/presentation.py, assets/presentation.js).
PRESENT = "present-open"
PRESENT_EXIT = "present-exit"
"""Leaves presentation mode; assets/presentation.js clicks it on Escape and when the browser
leaves full screen, so those reach the hub as a click."""
THEME = "theme-switch"
FILTER_UNFOLD = "filter-unfold"
"""Shows the folded filter controls in presentation mode (the page only, not the URL)."""
VIEW_APPLIED = "view-applied"
"""Written by the script that puts the state's theme and mode on the document."""
# Keyboard and screen-reader alternatives of the charts (components/a11y.py).
MAP_FIGURE = "map-figure"
MATRIX_FIGURE = "matrix-figure"
MATRIX_TABLE = "matrix-table"
MATRIX_CELL = "matrix-cell"
"""Pattern-matching type of the matrix table's buttons: ``matrix_cell_id(ket, sector)``."""
TIMELINE_FIGURE = "timeline-figure"
TIMELINE_LIST = "timeline-list"
TIMELINE_ITEM = "timeline-item"
"""Pattern-matching type of the timeline list's buttons: ``timeline_item_id(project)``."""
UPLOAD_TITLE = "upload-title"
SHARE_TITLE = "share-title"


def matrix_cell_id(ket: Any, sector: Any) -> dict[str, Any]:
    """The button of one cell of the matrix's table alternative."""
    return {"type": MATRIX_CELL, "ket": ket, "sector": sector}


def timeline_item_id(project: Any) -> dict[str, Any]:
    """The button naming one project of the timeline's list alternative."""
    return {"type": TIMELINE_ITEM, "project": project}
# The map's country list and legend, and the state without the map's view.
COUNTRY_LIST = "country-list"
COUNTRY_LIST_CAPTION = "country-list-caption"
COUNTRY_LIST_DATA = "country-list-data"
"""The country list as data (``components.country_list.country_list``); the page draws it
into ``COUNTRY_LIST`` (``assets/country_list.js``), as forty rows of Dash components cost the
browser a second per click."""
COUNTRY_LIST_PICK = "country-list-pick"
"""What the page writes when a country-list row is pressed: ``{"country": code, "n": count}``."""
COUNTRY_ROW_PREFIX = "country-row-"
"""A drawn row's DOM id is this and its country code (``assets/country_list.js``)."""
MAP_LEGEND = "map-legend"
VIEW_FILTERS = "filter-state-views"
"""The filter state without the maps' zoom and centre (``state.MAP_VIEW_FIELDS``), written in
the browser only when something else changed: the views redraw from it, so a pan redraws none."""
ORG_MAP_SHOWN = "org-map-shown"
NETWORK_SHOWN = "network-shown"
"""Whether the organisation map's or the network's card is on (or near) the screen, written by
the page (``assets/deferred_views.js``)."""
ORG_MAP_FILTERS = "org-map-filters"
NETWORK_FILTERS = "network-filters"
"""``VIEW_FILTERS`` as the organisation map and the network draw it: passed on only while
their card is on screen (``callbacks/views.py`` ``DEFERRED_SCRIPT``), so a click redraws
the views below the table only when the reader scrolls to them."""
DEFERRED_VIEWS = {ORG_MAP_FILTERS: ORG_MAP_SHOWN, NETWORK_FILTERS: NETWORK_SHOWN}
"""Each deferred view's filter store and the store saying whether it is on screen."""

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
# The regional map (components/regions_panel.py, components/region_map_figure.py).
REGION_MAP = "region-map"
"""Public: the regional map's graph (NUTS 1, 2 or 3 regions, ``geo=``); shown instead of the
country map (``MAP``) when the switch above the map picks a NUTS level."""
REGION_MAP_WRAP = "region-map-wrap"
"""The regional map with its credit line and unplaced organisations; hidden for countries."""
REGION_UNPLACED = "region-unplaced"
"""The line under the regional map: organisations that could not be placed, with their list."""
GEO_LEVEL = "geo-level"
"""The switch above the map: countries, NUTS 1, NUTS 2 or NUTS 3."""
GEO_LEVEL_LABEL = "geo-level-label"
REGION_ROW = "region-row"
"""Pattern-matching type of the regional map's list buttons: ``region_row_id(region)``."""


def region_row_id(region: Any) -> dict[str, Any]:
    """The button of one region in the regional map's ranked list (its keyboard alternative)."""
    return {"type": REGION_ROW, "region": region}

# Comparison of two to four projects (components/compare.py, callbacks/compare.py).
COMPARE = "compare"
"""The comparison panel (stable, documented in the README); ``/compare?projects=a,b`` opens it."""
COMPARE_BODY = "compare-body"
COMPARE_TIMELINE = "compare-timeline"
COMPARE_CLOSE = "compare-close"
COMPARE_BUTTON = "compare-button"
"""'Compare (2)' beside the projects table: compares the rows ticked."""
COMPARE_HINT = "compare-hint"
COMPARE_REQUEST = "compare-request"
"""Store: the ids ticked when 'Compare' was pressed; the hub turns it into the state's comparison."""
COMPARE_VIEW = "compare-view"
"""Store: the part of the state the comparison draws from, written only when that part changes."""
COMPARE_TITLE = "compare-title"
COMPARE_FIGURE = "compare-figure"
# The organisation map (components/org_map_panel.py, callbacks/org_map.py). ORG_MAP is public.
ORG_MAP = "org-map"
ORG_MAP_FIGURE = "org-map-figure"
ORG_MAP_LEGEND = "org-map-legend"
ORG_MAP_NOTE = "org-map-note"
"""How many organisations are drawn, whether the map is cut, how many have no coordinates."""
ORG_MAP_UNPLACED = "org-map-unplaced"
"""The organisations of the selection without coordinates (the first of them, and a count)."""
ORG_MAP_LIST = "org-map-list"
ORG_ROW = "org-row"
"""Pattern-matching type of the organisation list's buttons: ``org_row_id(organisation)``."""


def org_row_id(organisation: Any) -> dict[str, Any]:
    """The button of one organisation in the organisation map's list alternative."""
    return {"type": ORG_ROW, "org": organisation}
# The collaboration network (components/network_view.py, callbacks/network.py).
NETWORK = "network"
"""Public: the network graph (automation relies on it)."""
NETWORK_FIGURE = "network-figure"
NETWORK_KIND = "network-kind"
"""The switch of what the nodes are: countries or organisations (``net=`` in the URL)."""
NETWORK_NOTE = "network-note"
"""What the network draws and what it cut (the strongest links, the nodes with most projects)."""
NETWORK_TABLE = "network-table"
NETWORK_NODE = "network-node"
"""Pattern-matching type of the network table's node buttons: ``network_node_id(kind, node)``."""


def network_node_id(kind: Any, node: Any) -> dict[str, Any]:
    """The button of one node of the network's table alternative (a country or an organisation)."""
    return {"type": NETWORK_NODE, "kind": kind, "node": node}

# The <details> around each chart alternative the server sends only while open.
MATRIX_TABLE_DISCLOSURE = "matrix-table-disclosure"
TIMELINE_LIST_DISCLOSURE = "timeline-list-disclosure"
ORG_MAP_LIST_DISCLOSURE = "org-map-list-disclosure"
NETWORK_TABLE_DISCLOSURE = "network-table-disclosure"
DISCLOSURES = {MATRIX_TABLE: MATRIX_TABLE_DISCLOSURE, TIMELINE_LIST: TIMELINE_LIST_DISCLOSURE,
               ORG_MAP_LIST: ORG_MAP_LIST_DISCLOSURE, NETWORK_TABLE: NETWORK_TABLE_DISCLOSURE}
"""Body id -> the id of the disclosure around it (``disclosure_id``)."""
