// True when map (MapLibre ready), matrix and timeline have drawn data and the table shows rows.
() => {
  const drawn = id => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    return !!(gd && gd._fullData && gd._fullData.length);
  };
  return drawn('map') && probe("map_ready")() && drawn('matrix') && drawn('timeline')
    && document.querySelectorAll('#projects-table .ag-center-cols-container .ag-row').length > 0;
}
