// Every view drawn and nothing in flight: no callback request (request_counter.js), no output
// Dash marks as loading.
() => probe("views_drawn")() && window.__pending === 0 && !probe("dash_loading")()
