"""Every component id of the page, in one place.

``MAP``, ``TIMELINE``, ``MATRIX`` and ``TABLE`` are public: automation and embedding rely on them.
"""

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
"""Pattern-matching type of the remove buttons: {"type": CHIP, "dimension": ..., "value": ...}."""

# Read-only panels.
HEADLINE = "headline"
UNDATED = "undated-projects"
UNDATED_ITEM = "undated-project"
"""Pattern-matching type of the undated list's buttons: {"type": UNDATED_ITEM, "project": id}."""
DETAIL = "project-detail"
DETAIL_CLOSE = "project-detail-close"
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
"""Pattern-matching type of the mapping dropdowns: {"type": UPLOAD_FIELD, "target": field}."""
UPLOAD_IMPORT = "upload-import"
UPLOAD_REPORT = "upload-report"
UPLOAD_SWITCH = "upload-switch"
