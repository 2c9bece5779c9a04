"""Reports of a view or a storyboard: one self-contained HTML file, or a PDF made on the server.

Both are drawn from the page's own render functions (``callbacks/views.py``, pure), so a report
shows what the page shows for the same query. A report has one section (HTML) per view: the
current view, or each view of the storyboard named by ``story=``, at most ``MAX_REPORT_VIEWS``.
Each carries its title, note, caption (filters, dataset, date, sources) and the page's charts:
the map (the regional map of the state's NUTS level with ``geo=nuts1|2|3``, else the country
map), the matrix, the timeline, the organisation map, the collaboration network and, with
``compare=``, the comparison (its timeline and its table). In the PDF a view takes two pages
(``PDF_PAGES``: map, matrix and timeline; then the organisation map and the network), and a
third and maybe more for its comparison, each page with the view's title and caption.

The PDF's charts are rendered by kaleido, which drives a headless Chromium (Debian's
``/usr/bin/chromium``, or ``KET_CHROMIUM``) on plotly.js from the plotly package and nothing
from the network; fpdf2 lays the pages out (A4 landscape) in a Unicode TTF font. One PDF is made
at a time, each within ``PDF_TIMEOUT`` seconds; ``ReportError`` carries the status and the
plain message of every refusal (400, 413, 503), never a 500.
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import json
import logging
import os
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

import plotly.io
import plotly.offline

from callbacks import views
from callbacks.compare import render_compare
from callbacks.network import render_network
from callbacks.org_map import render_org_map
from components.figure_kit import Figure
from components.network_view import network_note
from components.report import (
    GEOJSON_PLACEHOLDER,
    ChartPart,
    ReportSection,
    component_html,
    find_components,
    html_document,
    nuts_placeholder,
    offline_map,
    table_rows,
    text_lines,
)
from data.engine import export, storyboard
from data.engine import network as net
from data.engine.model import Dataset
from data.engine.region_queries import LEVEL_OF_GEO
from data.engine.state import FilterState, Notice, parse_query, requested_dataset
from data.io.geo import COUNTRIES_ATTRIBUTION, NUTS_ATTRIBUTION, countries_geojson, country_ids, nuts_geojson
from data.io.i18n import N_, translator

log = logging.getLogger(__name__)

MAX_REPORT_VIEWS = 12
"""Views (sections, pages) in one report: 12 x 3 charts. A storyboard with more is refused (413)."""
PDF_TIMEOUT = 120.0
"""Seconds one PDF may take, Chromium's start included."""
IMAGE_TIMEOUT = 45.0
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
FONT_CANDIDATES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                   "/usr/share/fonts/TTF/DejaVuSans.ttf")
CHART_HEADINGS = {"map": N_("Partner countries"), "regions": N_("Map of NUTS regions"),
                  "matrix": N_("Technologies x sectors"), "timeline": N_("Timeline"),
                  "organisations": N_("Partner organisations"), "network": N_("Collaboration network"),
                  "compare": N_("Comparison")}
MAPS = frozenset({"map", "regions", "organisations"})
"""The charts drawn with MapLibre on the page, drawn as SVG ``geo`` maps in the HTML file."""
PDF_PAGES = (("map", "regions", "matrix", "timeline"), ("organisations", "network"), ("compare",))
"""The charts of each page of a view in the PDF (a view has its map or its regional map; a page
whose charts the view has none of, the comparison's without ``compare=``, is left out)."""
PDF_IMAGE_PX = {"map": (560, 420), "regions": (560, 420), "matrix": (840, 420), "timeline": (1400, 330),
                "organisations": (680, 520), "network": (680, 520), "compare": (1400, 260)}
"""The pixel size each chart is drawn at for the PDF (then at twice the resolution)."""
INSTALL_HINT = ("PDF export needs kaleido (pip install kaleido==1.5.1), fpdf2 (pip install "
                "fpdf2==2.8.9), Chromium (apt-get install chromium) and a Unicode TTF font "
                "(apt-get install fonts-dejavu-core); see the README.")

_pdf_lock = threading.Lock()


class ReportError(Exception):
    """A report that cannot be made: the HTTP status and a plain message for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class PlannedView:
    """One view of a report: what it is called, the note, its dataset and filter state."""

    title: str
    note: str
    dataset: Dataset
    state: FilterState
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    """What a report shows: its title and its views, in order, and its language (the page's:
    a storyboard's views are shown in it too)."""

    title: str
    views: list[PlannedView]
    lang: str = "en"


def plan(state: FilterState, dataset: Dataset, dataset_of: Callable[[str | None], Dataset | None],
         max_views: int = MAX_REPORT_VIEWS) -> Plan:
    """The views of the report of ``state``: its storyboard's views (``story=``), each parsed
    against the dataset it names (else ``dataset``), or the current view alone.

    Raises ``ReportError`` (400) for a storyboard token that cannot be read, (413) for one with
    more than ``max_views`` views."""
    _ = translator(state.lang)
    if not state.story:
        return Plan(_("KET cluster cooperation: exported view"),
                    [PlannedView(_("Current view"), "", dataset, state)], state.lang)
    try:
        board = storyboard.decode(state.story)
    except storyboard.StoryboardError as error:
        raise ReportError(400, f"the storyboard cannot be read: {error}") from None
    if len(board.views) > max_views:
        raise ReportError(413, f"this storyboard has {len(board.views)} views; a report holds at "
                               f"most {max_views}: split the storyboard")
    if not board.views:
        raise ReportError(400, "the storyboard has no views to export")
    planned = []
    for number, view in enumerate(board.views, start=1):
        wanted = requested_dataset(view.query)
        found = dataset_of(wanted) if wanted else dataset
        notices = [] if found is not None else [f"dataset {wanted!r} is not on this server; "
                                                "shown on the server's dataset"]
        view_dataset = found or dataset
        view_state, problems = parse_query(view.query, view_dataset)
        # A saved view keeps no language (the presenter's), so it is shown in the report's.
        view_state = replace(view_state, lang=state.lang)
        planned.append(PlannedView(view.title or _("View {number}", number=number), view.note,
                                   view_dataset, view_state,
                                   notices + [_notice(p, state.lang) for p in problems]))
    return Plan(board.title or _("KET cluster cooperation: storyboard"), planned, state.lang)


def _notice(notice: Notice, lang: str) -> str:
    """A notice of a saved view's query in ``lang``, as the page's notices word it."""
    _ = translator(lang)
    fields = {"param": notice.param, "value": repr(notice.value), "message": _.message(notice.message)}
    if notice.kept:
        return _("{param}={value} kept: {message}", **fields)
    return _("{param}={value} ignored: {message}", **fields)


@dataclass(frozen=True)
class ViewCharts:
    """What a report shows of one view beside its caption: its figures by chart name (in the
    order they are shown), the lines the page writes beside a chart (what it cannot draw, the
    boundaries' credit), and, with ``compare=``, the comparison panel's components."""

    figures: dict[str, Figure]
    notes: dict[str, list[str]]
    comparison: list[Any] = field(default_factory=list)


def view_charts(dataset: Dataset, state: FilterState, countries: str | dict[str, Any],
                nuts: Callable[[int], str | dict[str, Any]]) -> ViewCharts:
    """The charts of a view, from the page's render functions. ``countries`` is the country
    boundaries (their placeholder in the HTML file, the object for the PDF); ``nuts`` gives the
    boundaries of one NUTS level, asked only for the level the view draws."""
    figures: dict[str, Figure] = {}
    notes: dict[str, list[str]] = {}
    level = LEVEL_OF_GEO.get(state.geo)
    if level is None:
        figures["map"] = views.render_map(dataset, state, country_ids(), countries,
                                          COUNTRIES_ATTRIBUTION)["figure"]
    else:
        regional = views.render_region_map(dataset, state, {level: nuts(level)})
        figures["regions"] = regional["figure"]
        # The heads of the page's disclosures under the map (what cannot be placed, the pilot
        # actions not drawn); their lists, the help line and the ranked list of regions (always
        # last) are for the page. The credit is the figure's own.
        notes["regions"] = [line for summary in find_components(regional["unplaced"][:-1], "Summary")
                            for line in text_lines(summary)]
    figures["matrix"] = views.render_matrix(dataset, state, table=False)["figure"]
    figures["timeline"] = views.render_timeline(dataset, state, listed=False)["figure"]
    organisations = render_org_map(dataset, state, countries, country_ids(), listed=False)
    figures["organisations"] = organisations["figure"]
    notes["organisations"] = text_lines(organisations["note"])
    figures["network"] = render_network(dataset, state)["figure"]
    found = net.network(dataset, state.filters, state.net)
    # Said as the page says it, less 'click a node': nothing in a report filters.
    notes["network"] = [network_note(found, False, state.lang)]
    comparison: list[Any] = []
    if state.compare:
        panel = render_compare(dataset, state)
        if panel["figure"].to_plotly_json()["data"]:
            figures["compare"] = panel["figure"]
        comparison = list(panel["body"])
    return ViewCharts(figures, notes, comparison)


def _subtitle(report: Plan, today: date) -> str:
    _ = translator(report.lang)
    names = sorted({v.dataset.folder.name for v in report.views})
    return _.ngettext("Exported {date} from the KET cluster dashboard; dataset {datasets}; {n} view.",
                      "Exported {date} from the KET cluster dashboard; dataset {datasets}; {n} views.",
                      len(report.views), date=today.isoformat(), datasets=", ".join(names))


FOOTER = N_("Every chart draws the dataset's projects for the filters above it; the sources are "
            "the dataset's source documents, cited by id. This file needs no network.")


def _figure_json(name: str, figure: Figure) -> str:
    """A chart's JSON for the HTML report; a map as an SVG ``geo`` map (``offline_map``)."""
    if name not in MAPS:
        return figure.to_json()
    text: str = plotly.io.json.to_json_plotly(offline_map(figure.to_plotly_json()))
    return text


def build_html(report: Plan, today: date | None = None) -> str:
    """The self-contained HTML file of ``report`` (plotly.js and each set of boundaries it
    draws inlined once: the countries, and the NUTS level of each regional view)."""
    day = today or date.today()
    _ = translator(report.lang)
    sections = []
    levels: set[int] = set()

    def nuts(level: int) -> str:
        levels.add(level)
        return nuts_placeholder(level)

    for view in report.views:
        charts = view_charts(view.dataset, view.state, GEOJSON_PLACEHOLDER, nuts)
        sections.append(ReportSection(
            view.title, view.note, export.caption_lines(view.dataset, view.state, day),
            [ChartPart(name, _.message(CHART_HEADINGS[name]), _figure_json(name, figure),
                       tuple(charts.notes.get(name, ())))
             for name, figure in charts.figures.items()],
            view.notices, component_html(charts.comparison)))
    boundaries = {GEOJSON_PLACEHOLDER: json.dumps(countries_geojson(), separators=(",", ":")),
                  **{nuts_placeholder(level): json.dumps(nuts_geojson(level), separators=(",", ":"))
                     for level in sorted(levels)}}
    return html_document(report.title, _subtitle(report, day), sections, plotly.offline.get_plotlyjs(),
                         boundaries, _.message(FOOTER), report.lang)


# --- PDF ------------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """The Chromium kaleido drives: ``KET_CHROMIUM``, else a known path, else one on PATH."""
    wanted = os.environ.get("KET_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).is_file() else None
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def font_path() -> str | None:
    """A Unicode TTF font for the PDF's text: ``KET_PDF_FONT``, else DejaVu Sans."""
    wanted = os.environ.get("KET_PDF_FONT")
    candidates = (wanted,) if wanted else FONT_CANDIDATES
    return next((c for c in candidates if c and Path(c).is_file()), None)


def renderer_problem() -> str | None:
    """What is missing to make a PDF on this server (None when nothing is)."""
    missing = []
    for module, package in (("kaleido", "kaleido"), ("fpdf", "fpdf2")):
        if importlib.util.find_spec(module) is None:
            missing.append(f"the Python package {package}")
    if chromium_path() is None:
        missing.append("Chromium")
    if font_path() is None:
        missing.append("a Unicode TTF font (DejaVu Sans)")
    return f"PDF export is not available on this server: missing {', '.join(missing)}. {INSTALL_HINT}" \
        if missing else None


async def _render_images(figures: list[dict[str, Figure]]) -> list[dict[str, bytes]]:
    """Every view's charts as PNGs, in one Chromium, one chart at a time."""
    import kaleido  # type: ignore[import-untyped]

    images: list[dict[str, bytes]] = []
    # mathjax off and plotly.js from the plotly package: Chromium fetches nothing from outside.
    async with kaleido.Kaleido(path=chromium_path(), mathjax=False, timeout=IMAGE_TIMEOUT) as renderer:
        for view in figures:
            done: dict[str, bytes] = {}
            for name, figure in view.items():
                width, height = PDF_IMAGE_PX[name]
                fig = figure.to_plotly_json()
                fig["layout"] = {**fig["layout"], "width": width, "height": height}
                done[name] = await renderer.calc_fig(
                    fig, opts={"format": "png", "width": width, "height": height, "scale": 2})
            images.append(done)
    return images


def _pdf_pages(charts: ViewCharts) -> list[tuple[str, ...]]:
    """The charts of each page of one view (``PDF_PAGES``); the comparison's page whenever the
    view compares projects, even when their periods draw nothing (its table is there)."""
    pages = [tuple(name for name in page if name in charts.figures) for page in PDF_PAGES]
    return [page for page, names in zip(pages, PDF_PAGES, strict=True)
            if page or ("compare" in names and charts.comparison)]


def _layout_pdf(report: Plan, charts: list[ViewCharts], images: list[dict[str, bytes]],
                captions: list[list[str]], day: date) -> bytes:
    """The pages, A4 landscape, each headed by its view's title and caption: per view, the map,
    matrix and timeline; the organisation map and the network; with ``compare=``, the
    comparison's timeline and table (continued on further pages if it is long)."""
    from fpdf import FPDF

    _ = translator(report.lang)
    footer = _("{title} · page {number} of {count} · exported {date}", title=report.title,
               number="{page}", count="{nb}", date=day.isoformat())

    class Pages(FPDF):
        running: tuple[str, ...] = ()
        """The view's title and filters, repeated atop a page a long comparison runs on to."""

        def header(self) -> None:
            if self.running:
                self.set_font("DejaVu", size=11)
                self.multi_cell(self.w - 20, 5.5, self.running[0], new_x="LMARGIN", new_y="NEXT")
                lines(list(self.running[1:]))
                self.ln(1)

        def footer(self) -> None:
            # fpdf calls this as each page ends, table pages included; {nb} is the page count.
            self.set_xy(10, self.h - 10)
            self.set_font("DejaVu", size=7)
            self.set_text_color(0, 0, 0)
            self.cell(self.w - 20, 4, footer.replace("{page}", str(self.page_no())), align="R")

    pdf = Pages(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(10, 10, 10)
    pdf.add_font("DejaVu", "", font_path())
    pdf.set_title(report.title)
    pdf.set_creator("KET cluster dashboard")
    width = pdf.w - 20
    bottom = pdf.h - 14

    def lines(texts: list[str], size: float = 7.5, height: float = 3.6, w: float = width) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.set_text_color(70, 70, 70)
        x = pdf.get_x()
        for line in texts:
            pdf.set_x(x)
            pdf.multi_cell(w, height, line, new_x="LEFT", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)

    def head(view: PlannedView, caption: list[str], extra: list[str], first: bool) -> float:
        pdf.add_page()
        pdf.set_font("DejaVu", size=15)
        pdf.multi_cell(width, 7, view.title, new_x="LMARGIN", new_y="NEXT")
        if first and view.note:
            pdf.set_font("DejaVu", size=9.5)
            pdf.multi_cell(width, 4.6, view.note[:600], new_x="LMARGIN", new_y="NEXT")
        lines([*caption, *view.notices[:3], *extra])
        return float(pdf.get_y()) + 2

    def heading(text: str, x: float, y: float) -> float:
        pdf.set_xy(x, y)
        pdf.set_font("DejaVu", size=10)
        pdf.cell(0, 5, text)
        return y + 5.5

    for view, drawn, pictures, caption in zip(report.views, charts, images, captions, strict=True):
        for page in _pdf_pages(drawn):
            if "matrix" in page:
                map_name = "regions" if "regions" in page else "map"
                # The regional map's credit in words too, beside what it cannot place.
                credit = [_.message(NUTS_ATTRIBUTION)] if map_name == "regions" else []
                top = head(view, caption, [*credit, *drawn.notes.get(map_name, [])], True)
                rows = max(40.0, bottom - top)
                upper = rows * 0.56
                map_w = width * 0.4
                pdf.image(io.BytesIO(pictures[map_name]), x=10, y=top, w=map_w - 2, h=upper,
                          keep_aspect_ratio=True)
                pdf.image(io.BytesIO(pictures["matrix"]), x=10 + map_w, y=top, w=width - map_w, h=upper,
                          keep_aspect_ratio=True)
                pdf.image(io.BytesIO(pictures["timeline"]), x=10, y=top + upper + 2, w=width,
                          h=rows - upper - 2, keep_aspect_ratio=True)
            elif "network" in page:
                top = head(view, caption, [], False)
                column = (width - 6) / 2
                picture_h = max(40.0, bottom - top - 5.5 - 16)
                for index, name in enumerate(page):
                    x = 10 + index * (column + 6)
                    y = heading(_.message(CHART_HEADINGS[name]), x, top)
                    pdf.image(io.BytesIO(pictures[name]), x=x, y=y, w=column, h=picture_h,
                              keep_aspect_ratio=True)
                    pdf.set_xy(x, y + picture_h + 1)
                    lines(drawn.notes.get(name, []), size=7, height=3.2, w=column)
            else:
                top = head(view, caption, [], False)
                y = heading(_.message(CHART_HEADINGS["compare"]), 10, top)
                if "compare" in pictures:
                    pdf.image(io.BytesIO(pictures["compare"]), x=10, y=y, w=width, h=38,
                              keep_aspect_ratio=True)
                    y += 39
                pdf.set_xy(10, y)
                # A long comparison runs on to further pages, each ending in the footer.
                pdf.set_auto_page_break(True, margin=14)
                pdf.running = (view.title, *caption[:1])
                _comparison_pdf(pdf, drawn.comparison, width, lines)
                pdf.running = ()
                pdf.set_auto_page_break(False)
    pdf.alias_nb_pages()
    return bytes(pdf.output())


COMPARE_CELL_CHARS = 600
"""A comparison cell longer than this is cut in the PDF (the HTML file has all of it)."""


def _comparison_pdf(pdf: Any, body: list[Any], width: float, lines: Callable[..., None]) -> None:
    """The comparison panel's words in the PDF: each of its tables as a table, the rest as lines
    (the overlap above, the shared partners and countries below), as the panel has them."""
    from fpdf.fonts import FontFace

    for part in body:
        rows = table_rows(part)
        if not rows:
            pdf.set_x(10)
            lines(text_lines(part), size=7.5, height=3.6, w=width)
            continue
        columns = max(len(r) for r in rows)
        pdf.set_font("DejaVu", size=6.5)
        with pdf.table(width=width, col_widths=(1.3, *([3.0] * (columns - 1))), text_align="LEFT",
                       line_height=3.0, first_row_as_headings=True, padding=0.8,
                       headings_style=FontFace(fill_color=(235, 235, 235)),
                       borders_layout="HORIZONTAL_LINES") as table:
            for cells in rows:
                row = table.row()
                for cell in [*cells, *([""] * (columns - len(cells)))]:
                    row.cell(cell if len(cell) <= COMPARE_CELL_CHARS else cell[:COMPARE_CELL_CHARS] + " …")
        pdf.ln(1)


def build_pdf(report: Plan, today: date | None = None, timeout: float | None = None) -> bytes:
    """The PDF of ``report``, two or three pages per view (``PDF_PAGES``), drawn within
    ``timeout`` seconds (default ``PDF_TIMEOUT``). One at a time: while another is being made,
    or when the renderer is missing or too slow, ``ReportError`` (503) says so."""
    timeout = PDF_TIMEOUT if timeout is None else timeout
    problem = renderer_problem()
    if problem:
        raise ReportError(503, problem)
    if not _pdf_lock.acquire(blocking=False):
        raise ReportError(503, "another PDF is being made on this server; try again in a minute")
    day = today or date.today()
    try:
        charts = [view_charts(v.dataset, v.state, countries_geojson(), nuts_geojson) for v in report.views]
        figures = [c.figures for c in charts]
        captions = [export.caption_lines(v.dataset, v.state, day) for v in report.views]
        try:
            # In a thread of its own: the calling thread may already run an event loop (an
            # async host, or Playwright's sync API in the tests), where asyncio.run refuses.
            with ThreadPoolExecutor(max_workers=1) as pool:
                images = pool.submit(asyncio.run, asyncio.wait_for(_render_images(figures), timeout)).result()
        except TimeoutError:
            log.warning("PDF of %d views: not rendered within %.0f s", len(report.views), timeout)
            raise ReportError(503, f"the PDF took longer than {timeout:.0f} s to draw; export "
                                   "fewer views or try again") from None
        except (RuntimeError, OSError) as error:
            # Chromium missing, crashed or refusing to start (choreographer's errors are these).
            log.warning("PDF: the chart renderer failed: %s", error)
            raise ReportError(503, f"the chart renderer (Chromium via kaleido) failed: {error}. "
                                   f"{INSTALL_HINT}") from None
        return _layout_pdf(report, charts, images, captions, day)
    finally:
        _pdf_lock.release()


def report_filename(state: FilterState, extension: str) -> str:
    """'ket-view-country-DE.html', or 'ket-storyboard.pdf' when a storyboard is exported (the
    filters of the view on screen do not name a storyboard of several views)."""
    if state.story:
        return export.view_filename("storyboard", FilterState(), extension)
    return export.view_filename("view", state, extension)
