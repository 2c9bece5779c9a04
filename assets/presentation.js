/* Presentation mode and theme on the document.
 *
 * The filter state (the hub) decides the theme and the mode; this script only shows them:
 * `data-bs-theme` on <html> (Bootstrap 5.3), `data-ag-theme-mode` (the table), the
 * `presenting` class (the folded filter bar and large text, assets/style.css). Full screen
 * needs the user's gesture, so it is asked for on the Present button's own click; Escape and
 * leaving full screen click the hidden "Leave presentation" button, which reaches the hub like
 * any click, so the URL loses present=1.
 */
(function () {
  "use strict";
  var PRESENT = "present-open";
  var EXIT = "present-exit";
  var UNFOLD = "filter-unfold";
  var root = document.documentElement;
  var enteredFullscreen = false;

  function show(theme, presenting) {
    var dark = theme === "dark";
    root.setAttribute("data-bs-theme", dark ? "dark" : "light");
    root.setAttribute("data-ag-theme-mode", dark ? "dark" : "light");
    root.classList.toggle("presenting", presenting);
    if (!presenting) {
      unfold(false);
    }
  }

  function unfold(open) {
    root.classList.toggle("filters-open", open);
    var button = document.getElementById(UNFOLD);
    if (button) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      // The component writes both texts in the page's language (data-show, data-hide).
      button.textContent = (open ? button.dataset.hide : button.dataset.show) || button.textContent;
    }
  }

  function leave() {
    var button = document.getElementById(EXIT);
    if (button && root.classList.contains("presenting")) {
      button.click();
    }
  }

  // Before Dash draws anything, so a dark or presenting link does not flash light first.
  var params = new URLSearchParams(window.location.search);
  show((params.get("theme") || "").toLowerCase(),
       ["1", "on", "true", "yes"].indexOf((params.get("present") || "").toLowerCase()) >= 0);

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("button") : null;
    if (!target) {
      return;
    }
    if (target.id === PRESENT && root.requestFullscreen && !document.fullscreenElement) {
      enteredFullscreen = true;
      root.requestFullscreen().catch(function () { enteredFullscreen = false; });
    } else if (target.id === EXIT && document.fullscreenElement && document.exitFullscreen) {
      document.exitFullscreen().catch(function () {});
    } else if (target.id === UNFOLD) {
      unfold(!root.classList.contains("filters-open"));
    }
  });

  // Seen first (capture), while what Escape closes on top is still open: a dialog or a
  // dropdown's list of options is closed by it, and presentation mode stays.
  window.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || document.querySelector(".modal.show, .offcanvas.show, [role=listbox]")) {
      return;
    }
    leave();
  }, true);

  document.addEventListener("fullscreenchange", function () {
    if (!document.fullscreenElement && enteredFullscreen) {
      enteredFullscreen = false;
      leave();
    }
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    ket_view: {
      apply: function (data) {
        var state = data || {};
        show(state.theme, state.present === true);
        if (state.present !== true && document.fullscreenElement && document.exitFullscreen) {
          enteredFullscreen = false;
          document.exitFullscreen().catch(function () {});
        }
        return (state.theme || "light") + (state.present ? " presenting" : "");
      }
    }
  });
}());
