// The collaboration network's nodes where the page draws them: id and kind (the node's
// customdata), centre in the viewport (the plot's box + axis offset + l2p of its position), and
// the width of its outline (a selected country's is wider).
() => {
  const gd = document.querySelector('#network .js-plotly-plot');
  if (!gd || !gd._fullLayout || !gd._fullLayout.xaxis) return [];
  const t = (gd._fullData || []).find(d => d.mode === 'markers+text');
  if (!t) return [];
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  const widths = t.marker.line.width;
  return Array.from(t.customdata, (c, i) => ({id: c[0], kind: c[1],
    x: box.left + xa._offset + xa.l2p(t.x[i]), y: box.top + ya._offset + ya.l2p(t.y[i]),
    outline: Array.isArray(widths) ? widths[i] : widths}));
}
