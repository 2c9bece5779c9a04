// Chart images: the PNG (twice the chart's size) and SVG buttons of every chart (the maps of
// countries, regions and organisations, the matrix, the timeline, the network, the comparison;
// components/export_menu.py chart_buttons). Each image is made by the plotly.js
// the page already has (Dash serves it from our own server, so this works offline), from a copy
// of the figure with a caption band added below the plot area: the chart's title, the filters,
// the dataset and its date, and the sources. The caption and the file names come from the
// server for the current state, as JSON in the hidden #export-caption (callbacks/views.py
// render_export_caption); nothing here decides what the caption says.
(function () {
    "use strict";

    var CAPTION_ID = "export-caption";
    var FONT_SIZE = 11;
    var LINE_HEIGHT = 15;
    var MAX_LINES = 10;

    function captionInfo() {
        var holder = document.getElementById(CAPTION_ID);
        try {
            return JSON.parse((holder && holder.textContent) || "{}");
        } catch (error) {
            return {};
        }
    }

    // Word-wrap one line of the caption to about `width` characters.
    function wrap(line, width) {
        var out = [];
        var current = "";
        line.split(" ").forEach(function (word) {
            if (current && (current + " " + word).length > width) {
                out.push(current);
                current = word;
            } else {
                current = current ? current + " " + word : word;
            }
        });
        if (current) { out.push(current); }
        return out;
    }

    function escapeHtml(text) {
        return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }

    function copy(value) {
        // Typed arrays (the figures' numbers) survive structuredClone, not JSON.
        return typeof structuredClone === "function" ? structuredClone(value) : JSON.parse(JSON.stringify(value));
    }

    // The figure of graph div `gd` with the caption band below its plot area.
    function captioned(gd, title, lines) {
        var full = gd._fullLayout;
        var size = full._size;
        var width = Math.round(full.width);
        var perLine = Math.max(30, Math.floor((width - 16) / (FONT_SIZE * 0.56)));
        var wrapped = [];
        lines.forEach(function (line) { wrapped = wrapped.concat(wrap(line, perLine)); });
        wrapped = wrapped.slice(0, MAX_LINES);
        var text = (title ? "<b>" + escapeHtml(title) + "</b><br>" : "")
            + wrapped.map(escapeHtml).join("<br>");
        var count = wrapped.length + (title ? 1 : 0);
        var band = count * LINE_HEIGHT + 14;
        var layout = copy(gd.layout);
        // The plot area keeps its size: the margins are frozen where plotly put them.
        layout.width = width;
        layout.height = Math.round(full.height) + band;
        layout.margin = {l: size.l, r: size.r, t: size.t, b: size.b + band, autoexpand: false};
        // A note the caption repeats (a map's boundaries' credit) is said once, in the caption.
        layout.annotations = (layout.annotations || []).filter(function (note) {
            return lines.indexOf(note && note.text) < 0;
        }).concat([{
            text: text, showarrow: false, xref: "paper", yref: "paper",
            x: size.w ? -size.l / size.w + 8 / size.w : 0, y: 0, xanchor: "left", yanchor: "top",
            yshift: -(size.b + 6), align: "left",
            font: {size: FONT_SIZE, color: (full.font && full.font.color) || "#333"}
        }]);
        return {data: copy(gd.data), layout: layout, width: width, height: layout.height};
    }

    function download(url, name) {
        var link = document.createElement("a");
        link.href = url;
        link.download = name;
        link.style.display = "none";
        document.body.appendChild(link);
        link.click();
        link.remove();
    }

    function plotOf(graphId) {
        return document.querySelector("#" + graphId + " .js-plotly-plot");
    }

    // The graph a button exports: the first of the graphs shown in its place (data-instead:
    // the regional map in the country map's card) that is on screen, else its own.
    function shownGraph(button) {
        var instead = (button.dataset.instead || "").split(" ").filter(Boolean);
        for (var i = 0; i < instead.length; i += 1) {
            var gd = plotOf(instead[i]);
            if (gd && gd.getClientRects().length > 0) { return instead[i]; }
        }
        return button.dataset.graph;
    }

    // Export graph `graphId` as "png" (scale 2) or "svg"; resolves to the file name.
    function exportChart(graphId, format) {
        var gd = plotOf(graphId);
        if (!gd || !window.Plotly || !gd._fullLayout) {
            return Promise.reject(new Error("the chart " + graphId + " is not drawn yet"));
        }
        var info = captionInfo();
        // A chart of its own in the caption holder: its lines (a map's boundaries' credit, the
        // comparison's projects and sources) and its title instead of its card's heading.
        var own = (info.views && info.views[graphId]) || {};
        var card = gd.closest(".card");
        var heading = card && card.querySelector(".card-title");
        var title = own.title || (heading ? heading.textContent : "");
        var figure = captioned(gd, title, own.lines || info.lines || []);
        var name = ((info.names && info.names[graphId]) || ("ket-" + graphId)) + "." + format;
        return Plotly.toImage({data: figure.data, layout: figure.layout, config: {staticPlot: true}}, {
            format: format, width: figure.width, height: figure.height, scale: format === "png" ? 2 : 1
        }).then(function (url) {
            download(url, name);
            return name;
        });
    }

    document.addEventListener("click", function (event) {
        var button = event.target.closest && event.target.closest(".chart-export");
        if (!button || button.getAttribute("aria-busy") === "true") { return; }
        button.setAttribute("aria-busy", "true");
        exportChart(shownGraph(button), button.dataset.format).catch(function (error) {
            console.warn("chart export failed:", error);
        }).then(function () {
            button.removeAttribute("aria-busy");
        });
    });

    window.ketExport = {chart: exportChart};
})();
