// Tells Dash whether each deferred card (components/layout.py `deferred`: the organisation map
// and the network, below the table) is on or near the screen, by writing the store its
// `data-shown-store` names. Their views redraw only while it is true (callbacks/views.py
// DEFERRED_SCRIPT): a click costs no redraw of maps nobody sees.
(function () {
    "use strict";
    // Near enough to start drawing before the card scrolls in.
    var MARGIN = "600px 0px";
    var observer = null;

    function report(entries) {
        if (!window.dash_clientside || typeof window.dash_clientside.set_props !== "function") {
            return;
        }
        entries.forEach(function (entry) {
            var store = entry.target.getAttribute("data-shown-store");
            var shown = entry.isIntersecting;
            if (entry.target.__ketShown !== shown) {
                entry.target.__ketShown = shown;
                window.dash_clientside.set_props(store, {data: shown});
            }
        });
    }

    function watch() {
        if (!("IntersectionObserver" in window)) {
            // No way to know: draw them always.
            document.querySelectorAll("[data-shown-store]").forEach(function (card) {
                if (!card.__ketShown && window.dash_clientside && window.dash_clientside.set_props) {
                    card.__ketShown = true;
                    window.dash_clientside.set_props(card.getAttribute("data-shown-store"), {data: true});
                }
            });
            return;
        }
        observer = observer || new IntersectionObserver(report, {rootMargin: MARGIN});
        document.querySelectorAll("[data-shown-store]").forEach(function (card) {
            if (!card.__ketObserved) {
                card.__ketObserved = true;
                observer.observe(card);
            }
        });
    }

    // The cards arrive with Dash's first render of the layout, after this script runs, all in
    // one commit: once they are there, stop looking.
    var arrival = new MutationObserver(function () {
        if (document.querySelector("[data-shown-store]")) {
            arrival.disconnect();
            watch();
        }
    });
    arrival.observe(document.documentElement, {childList: true, subtree: true});
}());
