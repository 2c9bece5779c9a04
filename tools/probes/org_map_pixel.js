// Where the organisation map's MapLibre draws [lon, lat] in the viewport, and whether that is
// inside its canvas.
([lon, lat]) => {
  const map = document.querySelector('#org-map .js-plotly-plot')._fullLayout.map._subplot.map;
  const p = map.project([lon, lat]);
  const r = map.getCanvas().getBoundingClientRect();
  return {x: r.left + p.x, y: r.top + p.y, inside: p.x > 0 && p.y > 0 && p.x < r.width && p.y < r.height};
}
