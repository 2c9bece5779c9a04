// The non-empty cells of the KET x sector heatmap: indices, count, the KET and sector as the
// axes hold them (slugs) and as the axes show them (tick text), and the cell's centre in the
// viewport (the plot's box + axis offset + l2p of the index).
() => {
  const gd = document.querySelector('#matrix .js-plotly-plot');
  const t = gd._fullData[0], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const shown = (ax, i) => {
    const value = ax._categories[i];
    const k = ax.tickmode === 'array' && ax.tickvals ? ax.tickvals.indexOf(value) : -1;
    return k >= 0 ? String(ax.ticktext[k]) : String(value);
  };
  const box = gd.getBoundingClientRect();
  const cells = [];
  Array.from(t.z || []).forEach((row, r) => Array.from(row || []).forEach((v, c) => {
    if (v > 0) cells.push({r, c, count: v, ket: String(ya._categories[r]), sector: String(xa._categories[c]),
      row: shown(ya, r), column: shown(xa, c),
      x: box.left + xa._offset + xa.l2p(c), y: box.top + ya._offset + ya.l2p(r)});
  }));
  return cells;
}
