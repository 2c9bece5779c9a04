// Arms the click clock (window.__bench) for the graphs `graphs`: from the mouse press
// (request_counter.js) until a callback request was sent, none is in flight, nothing is loading
// (Dash's marks, the grid's loading rows) and every graph emitted plotly_afterplot since the
// press, plus one animation frame (the frame that paints it). Sets b.done, b.ms and the details.
(graphs) => {
  window.__afterplot = window.__afterplot || {};
  for (const id of graphs) {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    if (gd && !gd.__benchHooked) {
      gd.on('plotly_afterplot', () => { window.__afterplot[id] = performance.now(); });
      gd.__benchHooked = true;
    }
  }
  const b = window.__bench = {armed: true, t0: 0, requests0: window.__requests, seen: 0,
                              done: false, ms: null, missing: [], waiting: ''};
  const loading = () => probe("dash_loading")()
    || document.querySelector('#projects-table .ag-row-loading') !== null;
  const tick = () => {
    if (b.done) return;
    if (b.t0) {
      const started = window.__requests > b.requests0;
      const missing = graphs.filter(id => !((window.__afterplot[id] || 0) > b.t0));
      const idle = started && window.__pending === 0 && !loading();
      b.missing = missing;
      b.waiting = !started ? 'no request yet' : window.__pending ? window.__pending + ' requests'
        : loading() ? 'loading' : missing.length ? 'afterplot ' + missing.join(',') : '';
      if (idle && !missing.length) {
        b.seen += 1;
        if (b.seen >= 2) {
          b.ms = performance.now() - b.t0; b.done = true;
          b.requests = window.__requests - b.requests0;
          b.requests_done_ms = window.__lastDone - b.t0;
          b.afterplot_ms = Object.fromEntries(graphs.map(id => [id, window.__afterplot[id] - b.t0]));
          return;
        }
      } else { b.seen = 0; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
