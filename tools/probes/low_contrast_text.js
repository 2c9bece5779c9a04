// Visible HTML text (not the charts' SVG) whose WCAG 2 contrast with the background behind it is
// under AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The background is the first
// opaque background colour up the tree (a translucent one is blended over what is behind it).
() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const background = el => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let colour = [255, 255, 255, 1];
    layers.reverse().forEach(c => { colour = over(c, colour); });
    return colour;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el || el.closest('svg, .js-plotly-plot, [disabled], .disabled, [aria-hidden=true]')) continue;
    if (!el.offsetParent && getComputedStyle(el).position !== 'fixed') continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const bg = background(el);
    const fg = over(parse(style.color) || [0, 0, 0, 1], bg);
    const hi = Math.max(lum(fg), lum(bg)), lo = Math.min(lum(fg), lum(bg));
    const ratio = (hi + 0.05) / (lo + 0.05);
    const px = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = px >= 24 || (bold && px >= 18.66) ? 3 : 4.5;
    if (ratio < needed) out.push({text: t.textContent.trim().slice(0, 40), ratio: Math.round(ratio * 100) / 100,
                                  needed, color: style.color, cls: el.className && String(el.className).slice(0, 60)});
  }
  return out;
}
