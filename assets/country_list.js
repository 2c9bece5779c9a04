// Keeps the keyboard's place in the map's country list: the list is redrawn when a row is
// pressed, and a redrawn row would otherwise drop the focus to the page's start.
(function () {
  let last = null;
  document.addEventListener('focusin', function (event) {
    const row = event.target.closest && event.target.closest('button.country-row');
    last = row ? row.id : null;
  });
  document.addEventListener('focusout', function (event) {
    const left = event.target;
    // Still on the page: the reader moved on. Gone: the list was redrawn under it.
    setTimeout(function () {
      if (left.isConnected && last === left.id && document.activeElement !== left) { last = null; }
    }, 0);
  });
  new MutationObserver(function () {
    if (!last || (document.activeElement && document.activeElement !== document.body)) { return; }
    const row = document.getElementById(last);
    if (row) { row.focus({preventScroll: true}); }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
