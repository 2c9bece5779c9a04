// True when Plotly's hover is on the matrix cell [sector, ket] (a click there reports that cell).
([sector, ket]) => {
  const gd = document.querySelector('#matrix .js-plotly-plot');
  const h = gd && gd._hoverdata;
  return !!(h && h.length && String(h[0].x) === sector && String(h[0].y) === ket);
}
