// True when the organisation map's MapLibre has loaded and drawn its points (a circle layer).
() => {
  const gd = document.querySelector('#org-map .js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  if (!(sub && sub.map && sub.map.loaded())) { return false; }
  return sub.map.queryRenderedFeatures().some(f => f.layer && f.layer.type === 'circle');
}
