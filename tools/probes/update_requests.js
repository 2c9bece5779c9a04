// An init script (runs before the page's own): keeps, for each callback request
// (_dash-update-component), the outputs it asks for and the inputs that changed, in
// window.__updates, so a test can say which callbacks an event made the page call.
(() => {
  window.__updates = [];
  const origFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : (input && input.url) || String(input);
    if (url.includes('_dash-update-component') && init && typeof init.body === 'string') {
      const body = JSON.parse(init.body);
      window.__updates.push({output: String(body.output), changed: body.changedPropIds || []});
    }
    return origFetch(input, init);
  };
})();
