// The projects table as shown: its rows in display order (id and each cell's text by column,
// pinned columns included), and the columns it is sorted by, from the headers' aria-sort.
() => {
    const rows = new Map();
    for (const row of document.querySelectorAll('#projects-table .ag-row[row-id]')) {
        const id = row.getAttribute('row-id');
        const entry = rows.get(id) || {id, index: Number(row.getAttribute('row-index')), cells: {}};
        for (const cell of row.querySelectorAll('.ag-cell[col-id]')) {
            entry.cells[cell.getAttribute('col-id')] = cell.innerText.trim();
        }
        rows.set(id, entry);
    }
    const sorted = [...document.querySelectorAll('#projects-table .ag-header-cell[aria-sort]')]
        .filter(h => ['ascending', 'descending'].includes(h.getAttribute('aria-sort')))
        .map(h => [h.getAttribute('col-id'), h.getAttribute('aria-sort')]);
    return {rows: [...rows.values()].sort((a, b) => a.index - b.index), sorted};
}
