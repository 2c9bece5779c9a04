"""What shapes the view besides the filters is in the URL too: the table's sort."""

from __future__ import annotations

from typing import Any

from test_browser import assert_clean, open_view, query_of, settle

from tools.probes import probe

# The grid fetches its rows after the sort changes: wait until the rows shown are in the
# expected order (numbers-first start dates descending, or acronyms ascending), then check.
SORTED_AS = """([column, way]) => {
    const shown = (""" + probe("table_order") + """)();
    if (shown.sorted.length !== 1 || shown.sorted[0][0] !== column || shown.sorted[0][1] !== way) {
        return false;
    }
    let cells = shown.rows.map(r => (r.cells[column] || '').toLowerCase());
    if (column === 'start') { cells = cells.filter(c => /^[0-9]/.test(c)); }
    if (cells.length < 3) { return false; }
    const ordered = [...cells].sort();
    if (way === 'descending') { ordered.reverse(); }
    return JSON.stringify(cells) === JSON.stringify(ordered);
}"""


def table(page) -> dict[str, Any]:
    return page.evaluate(probe("table_order"))


def wait_sorted(page, column: str, way: str) -> None:
    try:
        page.wait_for_function(SORTED_AS, arg=[column, way])
    except Exception as exc:  # show what the table had instead of a bare timeout
        raise AssertionError(f"the table is not sorted by {column} {way}: {table(page)}") from exc


def test_a_url_with_a_sort_opens_the_table_so_sorted_and_a_header_click_writes_the_url(
        page, page_log, app_url) -> None:
    open_view(page, "/?sort=-start")
    wait_sorted(page, "start", "descending")
    starts = [r["cells"]["start"] for r in table(page)["rows"] if r["cells"].get("start", "")[:1].isdigit()]
    assert starts == sorted(starts, reverse=True) and len(starts) >= 3, starts

    page.locator('#projects-table .ag-header-cell[col-id="acronym"] .ag-header-cell-label').click()
    page.wait_for_function(probe("url_query_is"), arg={"sort": "acronym"})
    settle(page)
    wait_sorted(page, "acronym", "ascending")
    assert query_of(page) == {"sort": "acronym"}

    page.go_back()
    wait_sorted(page, "start", "descending")
    assert query_of(page) == {"sort": "-start"}
    assert_clean(page_log)
