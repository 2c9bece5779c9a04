// True when map (MapLibre ready), matrix and timeline have figures, rows or none: a view of no
// project (a URL value that matches nothing) has no bars, no cells and no table rows to wait for.
() => {
  const drawn = id => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    return !!(gd && gd._fullLayout);
  };
  return drawn('map') && probe("map_ready")() && drawn('matrix') && drawn('timeline');
}
