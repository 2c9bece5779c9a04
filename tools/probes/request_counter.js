// An init script (runs before the page's own): counts callback requests (fetch of
// _dash-update-component) in flight until their body has been read, and starts the click clock
// of an armed benchmark (window.__bench, see click_clock.js) at the mouse press.
(() => {
  window.__pending = 0; window.__requests = 0; window.__lastDone = 0;
  const origFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    if (!url.includes('_dash-update-component')) return origFetch(input, init);
    window.__pending += 1; window.__requests += 1;
    let done = false;
    const finish = () => {
      if (!done) { done = true; window.__pending -= 1; window.__lastDone = performance.now(); }
    };
    return origFetch(input, init).then(res => {
      if (res.status !== 200) { finish(); return res; }
      for (const m of ['json', 'text', 'arrayBuffer', 'blob']) {
        const f = res[m].bind(res);
        res[m] = () => f().finally(finish);
      }
      return res;
    }, err => { finish(); throw err; });
  };
  document.addEventListener('mousedown', () => {
    const b = window.__bench;
    if (b && b.armed && !b.t0) b.t0 = performance.now();
  }, true);
})();
