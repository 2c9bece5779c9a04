"""What shapes the view besides the filters is in the URL too: the table's sort."""

from __future__ import annotations

from test_browser import assert_clean, open_view, query_of, settle

from tools.probes import probe


def table(page) -> dict:
    return page.evaluate(probe("table_order"))


def test_a_url_with_a_sort_opens_the_table_so_sorted_and_a_header_click_writes_the_url(
        page, page_log, app_url) -> None:
    open_view(page, "/?sort=-start")
    page.wait_for_function(f"() => ({probe('table_order')})().sorted.length === 1")
    shown = table(page)
    assert shown["sorted"] == [["start", "descending"]]
    starts = [r["cells"]["start"] for r in shown["rows"] if r["cells"].get("start", "")[:1].isdigit()]
    assert len(starts) >= 3
    assert starts == sorted(starts, reverse=True), starts

    page.locator('#projects-table .ag-header-cell[col-id="acronym"] .ag-header-cell-label').click()
    page.wait_for_function(probe("url_query_is"), arg={"sort": "acronym"})
    settle(page)
    shown = table(page)
    assert shown["sorted"] == [["acronym", "ascending"]]
    acronyms = [r["cells"]["acronym"].lower() for r in shown["rows"]]
    assert acronyms == sorted(acronyms), acronyms
    assert query_of(page) == {"sort": "acronym"}

    page.go_back()
    page.wait_for_function(f"() => ({probe('table_order')})().sorted[0]?.[0] === 'start'")
    assert query_of(page) == {"sort": "-start"}
    assert_clean(page_log)
