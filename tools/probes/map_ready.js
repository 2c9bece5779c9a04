// True when MapLibre has loaded the map and drawn features (the countries).
() => {
  const gd = document.querySelector('#map .js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  return !!(sub && sub.map && sub.map.loaded() && sub.map.queryRenderedFeatures().length);
}
