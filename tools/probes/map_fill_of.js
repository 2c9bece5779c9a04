// The colour Plotly gave MapLibre for the country `id` on the country map: the fill of the topmost
// layer that paints it (null if none does).
(id) => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const traces = gd._fullData.filter(t => t.type === 'choroplethmap' && t.visible === true).reverse();
  for (const t of traces) {
    const f = t._opts && t._opts.geojson && t._opts.geojson.features.find(x => x.id === id);
    if (f && f.properties.fc && !/^rgba\(.*,\s*0\)$/.test(f.properties.fc) && t.marker.opacity !== 0) return f.properties.fc;
  }
  return null;
}
