// True when MapLibre has loaded the regional map (#region-map) and drawn its regions.
() => {
  const gd = document.querySelector('#region-map .js-plotly-plot');
  const sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
  return !!(sub && sub.map && sub.map.loaded() && sub.map.queryRenderedFeatures().length
            && gd.getBoundingClientRect().width > 0);
}
