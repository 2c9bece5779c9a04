// How the document shows the theme and mode: <html>'s data-bs-theme and presenting class, the
// body's and each graph's card background, each graph's paper colour, and whether the
// filter controls are shown.
() => {
  const root = document.documentElement;
  const graphs = {};
  ['map', 'matrix', 'timeline'].forEach(id => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    const card = gd && gd.closest('.card');
    graphs[id] = {paper: gd && gd._fullLayout ? gd._fullLayout.paper_bgcolor : null,
                  card: card ? getComputedStyle(card).backgroundColor : null};
  });
  const visible = id => { const el = document.getElementById(id); return !!(el && el.offsetParent); };
  return {theme: root.getAttribute('data-bs-theme'), presenting: root.classList.contains('presenting'),
          body: getComputedStyle(document.body).backgroundColor, graphs,
          fullscreen: !!document.fullscreenElement,
          controls: {country: visible('filter-country'), period: visible('filter-period'),
                     search: visible('filter-search'), chips: visible('filter-chips'),
                     unfold: visible('filter-unfold')}};
}
