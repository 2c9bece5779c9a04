// True when every AG Grid on the page has drawn its header cells and its rows (or its "no
// rows" overlay) and none of them has changed for half a second. A grid re-fetching its rows
// (a new state refreshes its cache) or laying out its columns again is briefly half drawn, and
// a check of the page's accessibility that starts then reads it so.
() => {
  if (window.__ketGridChange === undefined) {
    window.__ketGridChange = performance.now();
    const inGrid = m => m.target.closest && m.target.closest('.ag-root-wrapper, [class*="ag-theme"]');
    new MutationObserver(ms => { if (ms.some(inGrid)) { window.__ketGridChange = performance.now(); } })
      .observe(document.body, {subtree: true, childList: true, attributes: true,
                               attributeFilter: ['row-id', 'aria-rowcount', 'class']});
  }
  const drawn = Array.from(document.querySelectorAll('.ag-root-wrapper')).every(grid => {
    const headersDrawn = Array.from(grid.querySelectorAll('.ag-header-row-column')).every(row =>
      row.closest('.ag-hidden') || row.querySelector('[role="columnheader"]'));
    const cells = grid.querySelectorAll('.ag-center-cols-container .ag-row [role="gridcell"]');
    const overlay = grid.querySelector('.ag-overlay-no-rows-wrapper, .ag-overlay-no-rows-center');
    return headersDrawn && (cells.length > 0 || overlay !== null);
  });
  return drawn && performance.now() - window.__ketGridChange > 500;
}
