"""The self-contained HTML report of a view or a storyboard: one file that opens offline.

Pure: ``html_document`` takes the text of everything it embeds (plotly.js, the boundaries, the
figures' JSON) and returns the document; ``callbacks/report.py`` gathers them. plotly.js is
inlined once, the map's GeoJSON once (the figures name it by ``GEOJSON_PLACEHOLDER``, replaced
in the page by the inlined object, as the live map names the server's GeoJSON URL), so the
file needs no server, no network and no CDN, and its charts keep their hover labels.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Any

GEOJSON_PLACEHOLDER = "ket:countries.geojson"
"""What a map trace of a report names as its ``geojson``; the page puts the inlined object there."""
ID = "id"
"""The HTML attribute, named once: the report's element ids are the file's own, not the page's
component ids (which live in ``components/ids.py``, as ``tests/test_layout_ids.py`` checks)."""
FIGURE_HEIGHTS = {"map": 430, "matrix": 430, "timeline": 360}
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


def offline_map(figure: dict[str, Any]) -> dict[str, Any]:
    """The map figure (``Figure.to_plotly_json`` of ``components.map_figure.map_figure``) as a
    plotly ``geo`` choropleth drawn in SVG, for a file opened from disk.

    The live map draws with MapLibre, whose web worker is an ES module made from a blob; a page
    opened as a file (``file://``, an opaque origin) cannot start such a worker in Chromium, so
    its map would stay blank. The same layers as ``choropleth`` traces on our GeoJSON keep their
    colours, outlines and hover labels, and need no worker and no tiles; the small countries'
    circles become ``scattergeo`` markers."""
    flat = {"choroplethmap": {"type": "choropleth", "featureidkey": "id"},
            "scattermap": {"type": "scattergeo"}}
    traces = [{**trace, **flat.get(str(trace.get("type")), {})} for trace in figure.get("data", [])]
    layout = {key: value for key, value in figure.get("layout", {}).items() if key != "map"}
    return {"data": traces, "layout": {**layout, "geo": EUROPE_GEO, "dragmode": False}}


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
.report-chart.timeline { grid-column: 1 / -1; }
footer.report-foot { font-size: 0.75rem; color: #6c757d; padding: 0 24px 16px; }
"""

SCRIPT = """
(function () {
  var shapes = JSON.parse(document.getElementById("ket-geojson").textContent);
  document.querySelectorAll("script.ket-figure").forEach(function (holder) {
    var figure = JSON.parse(holder.textContent);
    (figure.data || []).forEach(function (trace) {
      if (trace.geojson === "@GEOJSON@") { trace.geojson = shapes; }
    });
    var target = document.getElementById(holder.dataset.target);
    Plotly.newPlot(target, figure.data, figure.layout,
                   {displaylogo: false, responsive: true, scrollZoom: false});
  });
})();
""".replace("@GEOJSON@", GEOJSON_PLACEHOLDER)


@dataclass(frozen=True)
class ChartPart:
    """One chart of a report section: ``name`` ('map', 'matrix', 'timeline'), its heading and
    the figure's JSON text (``Figure.to_json``)."""

    name: str
    heading: str
    figure_json: str


@dataclass(frozen=True)
class ReportSection:
    """One view of a report: its title, the presenter's note, the caption lines (filters,
    dataset, sources), notices about its query, and its charts."""

    title: str
    note: str
    caption: list[str]
    charts: list[ChartPart]
    notices: list[str] = field(default_factory=list)


def _script_text(text: str) -> str:
    """JSON safe inside a <script> element: no '</' can close it early."""
    return text.replace("</", "<\\/")


def _inline_script(code: str) -> str:
    """JavaScript safe inside a <script> element: only '</script' would end it early (a general
    '</' rewrite could break a regular expression literal)."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _section(index: int, section: ReportSection) -> str:
    charts = []
    for chart in section.charts:
        target = f"chart-{index}-{chart.name}"
        height = FIGURE_HEIGHTS.get(chart.name, 400)
        charts.append(
            f'<div class="report-chart {html.escape(chart.name)}"><h3>{html.escape(chart.heading)}</h3>'
            f'<div {ID}="{target}" class="report-plot" data-chart="{html.escape(chart.name)}" '
            f'style="min-height:{height}px"></div>'
            f'<script type="application/json" class="ket-figure" data-target="{target}">'
            f"{_script_text(chart.figure_json)}</script></div>")
    note = f'<p class="report-note">{html.escape(section.note)}</p>' if section.note else ""
    notices = ("<ul class=\"report-notices\">" + "".join(
        f"<li>{html.escape(n)}</li>" for n in section.notices) + "</ul>") if section.notices else ""
    caption = "".join(f"<li>{html.escape(line)}</li>" for line in section.caption)
    return (f'<section class="report-view" {ID}="view-{index}" data-view="{index}">'
            f"<h2>{html.escape(section.title)}</h2>{note}"
            f'<ul class="report-caption">{caption}</ul>{notices}'
            f'<div class="report-grid">{"".join(charts)}</div></section>')


def html_document(title: str, subtitle: str, sections: list[ReportSection], plotly_js: str,
                  geojson_json: str, footer: str, lang: str = "en") -> str:
    """The whole report in ``lang`` (its texts already are): a heading, one ``<section>`` per
    view, plotly.js and the boundaries inlined once, and a script drawing every chart when the
    file opens (no request is made)."""
    body = "".join(_section(i, s) for i, s in enumerate(sections, start=1))
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
        f'<script type="application/json" {ID}="ket-geojson">{_script_text(geojson_json)}</script>'
        f"<script>{SCRIPT}</script></body></html>\n")
