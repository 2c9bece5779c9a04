// True while some element is marked by Dash as waiting for a callback's answer.
() => Array.from(document.querySelectorAll('[data-dash-is-loading]'))
  .some(e => e.getAttribute('data-dash-is-loading') !== 'false')
