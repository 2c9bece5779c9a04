// Regions of the regional map drawn with a thick outline (the selection); sorted.
() => {
  const gd = document.querySelector('#region-map .js-plotly-plot');
  return gd._fullData.filter(t => t.marker && t.marker.line && t.marker.line.width >= 2)
    .flatMap(t => Array.from(t.locations)).sort();
}
