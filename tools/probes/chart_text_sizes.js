// Every visible SVG text of the graphs `ids` as drawn: graph, kind (the nearest Plotly group
// naming it: tick, legend, colour bar, annotation, hover label), text and its rendered size in
// px (computed font size times the scale the SVG is drawn at).
(ids) => {
  const kinds = ['hovertext', 'legend', 'colorbar', 'annotation', 'xtick', 'ytick', 'g-xtitle',
                 'g-ytitle', 'gtitle'];
  const out = [];
  ids.forEach(id => {
    document.querySelectorAll('#' + id + ' svg text').forEach(t => {
      if (!t.textContent.trim()) return;
      const box = t.getBoundingClientRect();
      const style = getComputedStyle(t);
      if (!box.width || !box.height || style.visibility === 'hidden' || style.display === 'none') return;
      let kind = 'other';
      for (let node = t.parentElement; node && node.tagName !== 'svg'; node = node.parentElement) {
        const found = kinds.find(k => node.classList.contains(k));
        if (found) { kind = found; break; }
      }
      const m = t.getScreenCTM();
      const scale = m ? Math.hypot(m.a, m.b) : 1;
      out.push({graph: id, kind, text: t.textContent.slice(0, 40), px: parseFloat(style.fontSize) * scale});
    });
  });
  return out;
}
