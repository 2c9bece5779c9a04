// True once the click armed by click_clock.js has been timed.
() => window.__bench.done
