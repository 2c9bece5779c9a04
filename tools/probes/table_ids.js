// The row ids the projects table shows.
() => Array.from(
  document.querySelectorAll('#projects-table .ag-center-cols-container .ag-row'),
  row => row.getAttribute('row-id'))
