// Draws the map's ranked country list from the data the server sends
// (components/country_list.py `country_list`) and reports a pressed row to the hub.
// Drawn by Dash as components, its forty rows cost the browser about a second per click: Dash
// dispatches one store action for every component a response brings, and each action visits
// every component on the page. Here a redraw is a few DOM writes.
// Every text is set as text (never as HTML): names come from the data.
(function () {
    "use strict";
    var presses = 0;

    function element(tag, className, text) {
        var node = document.createElement(tag);
        if (className) { node.className = className; }
        if (text !== undefined && text !== null) { node.textContent = String(text); }
        return node;
    }

    function rowButton(row, prefix) {
        var button = element("button", "country-row" + (row.selected ? " selected" : ""));
        button.type = "button";
        button.id = prefix + row.country;
        button.setAttribute("data-country", row.country);
        button.setAttribute("aria-pressed", row.selected ? "true" : "false");
        button.title = row.title;
        button.appendChild(element("span", "country-name", row.name));
        button.appendChild(element("span", "country-count", row.count));
        button.appendChild(element("span", "country-share", row.share));
        var bar = element("span", "country-bar");
        bar.setAttribute("aria-hidden", "true");
        var fill = element("span");
        fill.style.width = Math.max(0, Math.min(100, Number(row.bar) || 0)) + "%";
        bar.appendChild(fill);
        button.appendChild(bar);
        return button;
    }

    function listen(container, pickId) {
        if (container.__ketCountryList) { return; }
        container.__ketCountryList = true;
        container.addEventListener("click", function (event) {
            var button = event.target.closest && event.target.closest("button[data-country]");
            if (!button || !container.contains(button) || !window.dash_clientside) { return; }
            presses += 1;
            window.dash_clientside.set_props(pickId, {
                data: {country: button.getAttribute("data-country"), n: presses}});
        });
    }

    function draw(spec, containerId, pickId) {
        var container = document.getElementById(containerId);
        if (!container || !spec) { return window.dash_clientside.no_update; }
        listen(container, pickId);
        // The keyboard's place survives the redraw a press causes: Space undoes an Enter.
        var focused = document.activeElement;
        var keep = focused && container.contains(focused) ? focused.getAttribute("data-country") : null;
        var scroll = container.scrollTop;
        var parts = document.createDocumentFragment();
        if (!spec.rows || !spec.rows.length) {
            parts.appendChild(element("p", "small text-muted mb-0", spec.empty || ""));
        } else {
            var caption = element("p", "small text-muted mb-1", spec.caption);
            caption.id = spec.ids.caption;
            parts.appendChild(caption);
            var list = element("ol", "country-rows");
            list.setAttribute("aria-labelledby", spec.ids.caption);
            spec.rows.forEach(function (row) {
                var item = element("li");
                item.appendChild(rowButton(row, spec.ids.row));
                list.appendChild(item);
            });
            parts.appendChild(list);
        }
        container.replaceChildren(parts);
        container.scrollTop = scroll;
        if (keep) {
            var again = document.getElementById(spec.ids.row + keep);
            if (again) { again.focus({preventScroll: true}); }
        }
        return "false";
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside, {
        ketCountryList: {draw: draw}
    });
}());
