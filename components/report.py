"""The self-contained HTML report of a view or a storyboard: one file that opens offline.

Pure: ``html_document`` takes the text of everything it embeds (plotly.js, the boundaries, the
figures' JSON, the comparison's HTML) and returns the document; ``callbacks/report.py`` gathers
them. plotly.js is inlined once, each set of boundaries the report draws once (the countries,
and the NUTS level of any regional view: the figures name them by ``GEOJSON_PLACEHOLDER`` and
``nuts_placeholder(level)``, replaced in the page by the inlined object, as the live maps name
the server's GeoJSON URLs), so the file needs no server, no network and no CDN, and its charts
keep their hover labels. ``component_html`` writes the page's own Dash components (the
comparison's table) as static HTML, its links as plain text: every link of the page points at
the server or outside, and the file stands alone.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dash.development.base_component import Component

from components.map_figure import EUROPE_CENTER, EUROPE_ZOOM

GEOJSON_PLACEHOLDER = "ket:countries.geojson"
"""What a country map trace of a report names as its ``geojson``; the page puts the inlined
object there."""
ID = "id"
"""The HTML attribute, named once: the report's element ids are the file's own, not the page's
component ids (which live in ``components/ids.py``, as ``tests/test_layout_ids.py`` checks)."""
FIGURE_HEIGHTS = {"map": 430, "regions": 430, "matrix": 430, "timeline": 360, "organisations": 430,
                  "network": 480, "compare": 200}
"""Height of a chart's box in pixels where its figure does not set one."""

EUROPE_GEO = {"visible": False, "resolution": 110, "projection": {"type": "mercator"},
              "lonaxis": {"range": [-25, 45]}, "lataxis": {"range": [33, 72]},
              "bgcolor": "rgba(0,0,0,0)"}
"""The report map's frame: Europe, with no base layers (our GeoJSON draws every country)."""
EMPTY_TOPOLOGY = {"type": "Topology", "arcs": [], "objects": {
    name: {"type": "GeometryCollection", "geometries": []}
    for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")}}
"""What plotly.js finds in place of its base-map topojson, which it would otherwise fetch from
a CDN; the map hides the base layers anyway."""


LON_SPAN_AT_ZOOM_0, LAT_SPAN_AT_ZOOM_0 = 320.0, 180.0
"""Degrees a MapLibre view shows across and up at zoom 0, as the ``geo`` frame approximates it
(Europe's frame, 70 by 39 degrees, is the default view at ``EUROPE_ZOOM``)."""


def nuts_placeholder(level: int) -> str:
    """What a regional map trace of a report names as its ``geojson`` (level 1, 2 or 3)."""
    return f"ket:nuts2021_levl{level}.geojson"


def _geo_frame(view: Mapping[str, Any]) -> dict[str, Any]:
    """The ``geo`` frame of a MapLibre view (``layout.map``): Europe for the default view, else
    the degrees around its centre that its zoom shows."""
    centre = view.get("center") or EUROPE_CENTER
    zoom = float(view.get("zoom", EUROPE_ZOOM))
    if centre == EUROPE_CENTER and zoom == EUROPE_ZOOM:
        return EUROPE_GEO
    lon_half, lat_half = LON_SPAN_AT_ZOOM_0 / 2 ** zoom / 2, LAT_SPAN_AT_ZOOM_0 / 2 ** zoom / 2
    lat, lon = float(centre["lat"]), float(centre["lon"])
    return {**EUROPE_GEO, "lonaxis": {"range": [lon - lon_half, lon + lon_half]},
            "lataxis": {"range": [max(-85.0, lat - lat_half), min(85.0, lat + lat_half)]}}


def offline_map(figure: dict[str, Any]) -> dict[str, Any]:
    """A MapLibre map figure (``Figure.to_plotly_json`` of the country map, the regional map
    or the organisation map) as plotly ``geo`` traces drawn in SVG, for a file opened from disk,
    framed on the map's own view.

    The live map draws with MapLibre, whose web worker is an ES module made from a blob; a page
    opened as a file (``file://``, an opaque origin) cannot start such a worker in Chromium, so
    its map would stay blank. The same layers as ``choropleth`` traces on our GeoJSON keep their
    colours, outlines and hover labels, and need no worker and no tiles; the small countries'
    circles, the organisations' points and the policy instruments' dots become ``scattergeo``
    markers."""
    flat = {"choroplethmap": {"type": "choropleth", "featureidkey": "id"},
            "scattermap": {"type": "scattergeo"}}
    traces = [{**trace, **flat.get(str(trace.get("type")), {})} for trace in figure.get("data", [])]
    layout = {key: value for key, value in figure.get("layout", {}).items() if key != "map"}
    return {"data": traces,
            "layout": {**layout, "geo": _geo_frame(figure.get("layout", {}).get("map") or {}),
                       "dragmode": False}}


BLOCK_TAGS = frozenset({"div", "p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
                        "h3", "h4", "h5", "h6", "details", "summary", "section"})
INLINE_TAGS = frozenset({"span", "strong", "em", "b", "i", "small", "br"})
ATTRIBUTES = {"className": "class", "title": "title", "scope": "scope", "colSpan": "colspan",
              "rowSpan": "rowspan"}
"""The attributes of a Dash component kept in the report; ids and events stay with the page."""
CAMEL = re.compile(r"(?<!^)([A-Z])")


def _tag(node: Component) -> str:
    name = str(getattr(node, "_type", "")).lower()
    if getattr(node, "_namespace", "") == "dash_html_components" and name in BLOCK_TAGS | INLINE_TAGS:
        return name
    # A link becomes its text (it points at the server or outside); any other component
    # (a Bootstrap alert) its children in a box.
    return "span" if name == "a" else "div"


def _style(style: Mapping[str, Any]) -> str:
    """A Dash style dict ('backgroundColor') as CSS text ('background-color:...')."""
    return ";".join(CAMEL.sub(r"-\1", key).lower() + f":{value}" for key, value in style.items())


def component_html(node: Any) -> str:
    """Dash components (``html.*``, as the page's panels make them) as static, escaped HTML."""
    if node is None or node is False:
        return ""
    if isinstance(node, list | tuple):
        return "".join(component_html(child) for child in node)
    if not isinstance(node, Component):
        return html.escape(str(node))
    tag = _tag(node)
    attributes = "".join(f' {name}="{html.escape(str(getattr(node, prop)))}"'
                         for prop, name in ATTRIBUTES.items() if getattr(node, prop, None) not in (None, ""))
    style = getattr(node, "style", None)
    if isinstance(style, Mapping) and style:
        attributes += f' style="{html.escape(_style(style))}"'
    if tag == "br":
        return "<br>"
    return f"<{tag}{attributes}>{component_html(getattr(node, 'children', None))}</{tag}>"


def component_text(node: Any) -> str:
    """The words of Dash components, one line per block (a paragraph, a list item, a row)."""
    if node is None or node is False:
        return ""
    if isinstance(node, list | tuple):
        return "".join(component_text(child) for child in node)
    if not isinstance(node, Component):
        return str(node)
    inner = component_text(getattr(node, "children", None))
    return f"\n{inner}\n" if _tag(node) in BLOCK_TAGS else inner


def text_lines(node: Any) -> list[str]:
    """``component_text`` as its non-empty lines, spaces tidied."""
    return [" ".join(line.split()) for line in component_text(node).split("\n") if line.strip()]


def find_components(node: Any, kind: str) -> list[Component]:
    """Every component of type ``kind`` ('Tr', 'Summary') in a tree, in document order."""
    if isinstance(node, list | tuple):
        return [found for child in node for found in find_components(child, kind)]
    if not isinstance(node, Component):
        return []
    own = [node] if getattr(node, "_type", "") == kind else []
    return own + find_components(getattr(node, "children", None), kind)


def table_rows(node: Any) -> list[list[str]]:
    """The rows of the tables in a tree of components, each a list of its cells' words."""
    rows = []
    for row in find_components(node, "Tr"):
        cells = getattr(row, "children", None) or []
        listed = cells if isinstance(cells, list | tuple) else [cells]
        rows.append([" ".join(text_lines(cell)) for cell in listed])
    return rows


STYLE = """
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0; color: #212529;
       background: #f8f9fa; }
header.report-head { padding: 16px 24px 4px; }
header.report-head h1 { font-size: 1.4rem; margin: 0 0 4px; }
section.report-view { background: #fff; margin: 12px 24px 20px; padding: 12px 16px;
                      border: 1px solid #dee2e6; border-radius: 6px; page-break-after: always; }
section.report-view h2 { font-size: 1.2rem; margin: 0 0 4px; }
.report-note { white-space: pre-wrap; margin: 4px 0 8px; }
.report-caption { font-size: 0.8rem; color: #495057; margin: 0 0 8px; padding: 0; list-style: none; }
.report-notices { font-size: 0.8rem; color: #8a4b00; }
.report-grid { display: grid; grid-template-columns: 5fr 7fr; gap: 12px; }
.report-chart { min-width: 0; }
.report-chart h3 { font-size: 0.95rem; margin: 0 0 2px; }
.report-chart.timeline, .report-chart.compare, .report-compare { grid-column: 1 / -1; }
.report-chart-notes { font-size: 0.8rem; color: #495057; margin: 2px 0 0; padding-left: 1.1rem; }
.report-compare { font-size: 0.85rem; }
.report-compare table { border-collapse: collapse; width: 100%; margin: 6px 0; }
.report-compare th, .report-compare td { border-top: 1px solid #dee2e6; padding: 3px 6px;
                                         text-align: left; vertical-align: top; }
.report-compare ul, .report-compare ol { margin: 0; padding-left: 1.1rem; }
.report-compare .list-unstyled { list-style: none; padding-left: 0; }
.report-compare h3 { font-size: 0.9rem; margin: 6px 0 2px; }
.report-compare .compare-swatch { display: inline-block; width: 0.8em; height: 0.8em;
                                  margin-right: 4px; border-radius: 2px; }
.report-compare .text-muted { color: #6c757d; }
.report-compare .fst-italic { font-style: italic; }
.report-compare .source-ref { color: #495057; font-size: 0.75rem; }
footer.report-foot { font-size: 0.75rem; color: #6c757d; padding: 0 24px 16px; }
"""

SCRIPT = """
(function () {
  var shapes = {};
  document.querySelectorAll("script.ket-geojson").forEach(function (holder) {
    shapes[holder.dataset.name] = JSON.parse(holder.textContent);
  });
  document.querySelectorAll("script.ket-figure").forEach(function (holder) {
    var figure = JSON.parse(holder.textContent);
    (figure.data || []).forEach(function (trace) {
      if (typeof trace.geojson === "string" && shapes[trace.geojson]) {
        trace.geojson = shapes[trace.geojson];
      }
    });
    var target = document.getElementById(holder.dataset.target);
    Plotly.newPlot(target, figure.data, figure.layout,
                   {displaylogo: false, responsive: true, scrollZoom: false});
  });
})();
"""


@dataclass(frozen=True)
class ChartPart:
    """One chart of a report section: ``name`` ('map' or 'regions', 'matrix', 'timeline',
    'organisations', 'network', 'compare'), its heading, the figure's JSON text
    (``Figure.to_json``) and the lines the page shows beside it (what it cannot draw)."""

    name: str
    heading: str
    figure_json: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSection:
    """One view of a report: its title, the presenter's note, the caption lines (filters,
    dataset, sources), notices about its query, its charts and, with ``compare=``, the
    comparison's table as HTML (``component_html`` of the page's panel)."""

    title: str
    note: str
    caption: list[str]
    charts: list[ChartPart]
    notices: list[str] = field(default_factory=list)
    comparison: str = ""


def _script_text(text: str) -> str:
    """JSON safe inside a <script> element: no '</' can close it early."""
    return text.replace("</", "<\\/")


def _inline_script(code: str) -> str:
    """JavaScript safe inside a <script> element: only '</script' would end it early (a general
    '</' rewrite could break a regular expression literal)."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _chart(index: int, chart: ChartPart) -> str:
    target = f"chart-{index}-{chart.name}"
    height = FIGURE_HEIGHTS.get(chart.name, 400)
    notes = ('<ul class="report-chart-notes">' + "".join(
        f"<li>{html.escape(n)}</li>" for n in chart.notes) + "</ul>") if chart.notes else ""
    return (f'<div class="report-chart {html.escape(chart.name)}"><h3>{html.escape(chart.heading)}</h3>'
            f'<div {ID}="{target}" class="report-plot" data-chart="{html.escape(chart.name)}" '
            f'style="min-height:{height}px"></div>'
            f'<script type="application/json" class="ket-figure" data-target="{target}">'
            f"{_script_text(chart.figure_json)}</script>{notes}</div>")


def _section(index: int, section: ReportSection) -> str:
    charts = [_chart(index, chart) for chart in section.charts]
    if section.comparison:
        charts.append(f'<div class="report-compare">{section.comparison}</div>')
    note = f'<p class="report-note">{html.escape(section.note)}</p>' if section.note else ""
    notices = ("<ul class=\"report-notices\">" + "".join(
        f"<li>{html.escape(n)}</li>" for n in section.notices) + "</ul>") if section.notices else ""
    caption = "".join(f"<li>{html.escape(line)}</li>" for line in section.caption)
    return (f'<section class="report-view" {ID}="view-{index}" data-view="{index}">'
            f"<h2>{html.escape(section.title)}</h2>{note}"
            f'<ul class="report-caption">{caption}</ul>{notices}'
            f'<div class="report-grid">{"".join(charts)}</div></section>')


def html_document(title: str, subtitle: str, sections: list[ReportSection], plotly_js: str,
                  boundaries: Mapping[str, str], footer: str, lang: str = "en") -> str:
    """The whole report in ``lang`` (its texts already are): a heading, one ``<section>`` per
    view, plotly.js and each set of boundaries inlined once (``boundaries``: the GeoJSON text
    by the placeholder the figures name it with), and a script drawing every chart when the
    file opens (no request is made)."""
    body = "".join(_section(i, s) for i, s in enumerate(sections, start=1))
    shapes = "".join(
        f'<script type="application/json" class="ket-geojson" {ID}="ket-geojson-{number}" '
        f'data-name="{html.escape(name)}">{_script_text(text)}</script>'
        for number, (name, text) in enumerate(boundaries.items(), start=1))
    return (
        f"<!DOCTYPE html>\n<html lang=\"{html.escape(lang)}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        # Nothing may be fetched: a projector laptop has no network.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; "
        "font-src data:; worker-src blob:; child-src blob:; connect-src data: blob:\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style>"
        f"<script>window.PlotlyGeoAssets = {{topojson: {{world_110m: {json.dumps(EMPTY_TOPOLOGY)}}}}};"
        f"</script><script>{_inline_script(plotly_js)}</script></head><body>"
        f'<header class="report-head"><h1>{html.escape(title)}</h1>'
        f"<div class=\"report-subtitle\">{html.escape(subtitle)}</div></header>"
        f"{body}"
        f'<footer class="report-foot">{html.escape(footer)}</footer>'
        f"{shapes}<script>{SCRIPT}</script></body></html>\n")
