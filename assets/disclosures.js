// A chart's table or list alternative (components/a11y.py `disclosure`) is sent by the server
// only while its <details> is open (callbacks/views.py `only_open`): the matrix's table alone
// is a third of what a click sends, and few open it. Dash's Details does not report its `open`
// prop when the reader opens or closes it, so this tells Dash, which asks for the body then.
(function () {
    "use strict";

    // `toggle` does not bubble: listen in the capture phase, for disclosures drawn later too.
    document.addEventListener("toggle", function (event) {
        var details = event.target;
        if (!details || !details.classList || !details.classList.contains("chart-alternative-wrap")
                || !details.id) {
            return;
        }
        if (window.dash_clientside && typeof window.dash_clientside.set_props === "function") {
            window.dash_clientside.set_props(details.id, {open: details.open});
        }
    }, true);
}());
