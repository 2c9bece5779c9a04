// Makes a redraw of a MapLibre map (the country map, the regional and organisation maps) cost one
// painted frame instead of three or four, without changing what it shows.
//
// On every Plotly.react, Plotly's map subplot hands every trace's GeoJSON to MapLibre again
// (setData: the worker re-indexes it and reloads its tiles, even for the grey context layer
// that never changes), removes and re-adds every trace's layers to keep their order, and
// MapLibre paints a frame at each step while the new tiles load: frames that still show the old
// picture. Without a GPU (headless Chromium, software WebGL) each frame holds the page's main
// thread for about 100 ms, so the map was drawn long after the other views. Here:
//   - a source is not given GeoJSON equal to what it already holds (same features, same
//     geometry objects, same properties): nothing to re-index or reload;
//   - when a redraw has the same traces, in the same order, as the last one, their layers stay
//     where they are (their order cannot have changed);
//   - while a redraw's sources load, MapLibre is not asked to paint: the canvas keeps the
//     previous picture, and the first frame painted is the finished one (at most MAX_WAIT_MS
//     later; a map the user is moving paints as usual).
// Plotly's own drawing, hover, clicks and events are untouched.
(function () {
    "use strict";
    var MAX_WAIT_MS = 2000;
    var geometryIds = new WeakMap();
    var nextGeometryId = 1;

    function geometryKey(geometry) {
        if (!geometry) {
            return "-";
        }
        // Plotly builds point geometries anew on each redraw; polygons are the fetched
        // GeoJSON's own objects, the same from one redraw to the next.
        if (geometry.type === "Point") {
            return JSON.stringify(geometry.coordinates);
        }
        var id = geometryIds.get(geometry);
        if (!id) {
            id = nextGeometryId++;
            geometryIds.set(geometry, id);
        }
        return "#" + id;
    }

    function signature(data) {
        if (!data || data.type !== "FeatureCollection" || !Array.isArray(data.features)) {
            return null;
        }
        return data.features.map(function (f) {
            return f.id + "|" + geometryKey(f.geometry) + "|" + JSON.stringify(f.properties);
        }).join("\n");
    }

    function patchSources(proto) {
        if (!proto || proto.__ketRedraw || typeof proto.setData !== "function") {
            return;
        }
        proto.__ketRedraw = true;
        var setData = proto.setData;
        proto.setData = function (data) {
            var key = signature(data);
            if (key !== null && key === this.__ketSignature) {
                return this;
            }
            this.__ketSignature = key;
            return setData.apply(this, arguments);
        };
    }

    function patchPainter(proto) {
        if (!proto || proto.__ketRedraw || typeof proto.render !== "function") {
            return;
        }
        proto.__ketRedraw = true;
        var render = proto.render;
        proto.render = function () {
            var map = this.__ketMap;
            if (map && map.__ketRedrawSince) {
                var waiting = performance.now() - map.__ketRedrawSince < MAX_WAIT_MS;
                if (waiting && !map.loaded() && !map.isMoving()) {
                    return undefined;
                }
                map.__ketRedrawSince = 0;
            }
            return render.apply(this, arguments);
        };
    }

    function sourceOf(subplot) {
        var hash = subplot.traceHash || {};
        for (var uid in hash) {
            var trace = hash[uid];
            var id = trace.sourceId || (trace.sourceIds && trace.sourceIds.circle);
            var source = id && subplot.map.getSource(id);
            if (source) {
                return source;
            }
        }
        return null;
    }

    function patchSubplot(proto) {
        if (proto.__ketRedraw || typeof proto.updateMap !== "function"
                || typeof proto.fillBelowLookup !== "function") {
            return;
        }
        proto.__ketRedraw = true;
        var updateMap = proto.updateMap;
        proto.updateMap = function () {
            var map = this.map;
            if (map && map.painter) {
                map.painter.__ketMap = map;
                patchPainter(Object.getPrototypeOf(map.painter));
                var source = sourceOf(this);
                if (source) {
                    patchSources(Object.getPrototypeOf(source));
                }
                map.__ketRedrawSince = performance.now();
            }
            return updateMap.apply(this, arguments);
        };
        // Plotly forgets where each trace's layers go when several share a place (all of ours
        // do), so that it re-adds them all in order; the same traces in the same order need not.
        var fillBelowLookup = proto.fillBelowLookup;
        proto.fillBelowLookup = function (calcData) {
            fillBelowLookup.apply(this, arguments);
            var order = calcData.map(function (cd) {
                return cd[0].trace.uid + ":" + cd[0].trace.type;
            }).join(",");
            if (order === this.__ketOrder) {
                for (var i = 0; i < calcData.length; i++) {
                    var uid = calcData[i][0].trace.uid;
                    if (this.traceHash[uid]) {
                        this.traceHash[uid].below = this.belowLookup["trace-" + uid];
                    }
                }
            }
            this.__ketOrder = order;
        };
    }

    function findSubplot() {
        var graphs = document.querySelectorAll(".js-plotly-plot");
        for (var i = 0; i < graphs.length; i++) {
            var layout = graphs[i]._fullLayout;
            var subplots = layout && layout._subplots && layout._subplots.map;
            for (var j = 0; subplots && j < subplots.length; j++) {
                var subplot = layout[subplots[j]] && layout[subplots[j]]._subplot;
                if (subplot && subplot.map) {
                    return subplot;
                }
            }
        }
        return null;
    }

    // Plotly and its map subplot exist only once a map has been drawn: look for one until then.
    var timer = setInterval(function () {
        var subplot = findSubplot();
        if (subplot) {
            clearInterval(timer);
            patchSubplot(Object.getPrototypeOf(subplot));
        }
    }, 250);
})();
