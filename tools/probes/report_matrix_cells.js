// The non-empty cells of the matrix of a report file's section `n` (components/report.py):
// count and centre in the viewport (the plot's box + axis offset + l2p of the index).
(n) => {
  const gd = document.querySelector('#chart-' + n + '-matrix');
  const t = gd._fullData[0], xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
  const box = gd.getBoundingClientRect();
  const cells = [];
  Array.from(t.z || []).forEach((row, r) => Array.from(row || []).forEach((v, c) => {
    if (v > 0) cells.push({count: v, x: box.left + xa._offset + xa.l2p(c), y: box.top + ya._offset + ya.l2p(r)});
  }));
  return cells;
}
