// Countries drawn with a thick outline (a selection), whatever the trace is called; sorted.
() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  return gd._fullData.filter(t => t.marker && t.marker.line && t.marker.line.width >= 2)
    .flatMap(t => Array.from(t.locations)).sort();
}
