/* Storyboard keys: Left/Right and PageUp/PageDown (what presenter clickers send) step through
   the storyboard by clicking the step bar's own previous/next buttons, so the keyboard goes
   exactly the way the mouse goes. Only while the step bar is shown, and never while the focus
   is somewhere the keys already mean something: a text field, a dropdown, a slider, the map,
   the table. Escape closes the storyboard panel. */
(function () {
    var KEYS = {ArrowLeft: "story-bar-prev", PageUp: "story-bar-prev",
                ArrowRight: "story-bar-next", PageDown: "story-bar-next"};
    var BUSY = "input, textarea, select, [contenteditable=''], [contenteditable='true'], " +
               "[role='slider'], [role='combobox'], [role='listbox'], [role='grid'], " +
               ".rc-slider, .dash-dropdown, .Select, .maplibregl-canvas-container, .ag-root-wrapper";

    function busy(target) {
        return Boolean(target && target.closest && target.closest(BUSY));
    }

    /* dcc.Upload draws its file input without an id, so no <label> can point at it: name it
       here, whenever Dash (re)draws it. */
    function nameUpload() {
        var input = document.querySelector("#story-upload input[type=file]");
        if (input && !input.hasAttribute("aria-label")) {
            // The name, in the page's language, is the component's (data-input-name).
            var holder = document.querySelector("[data-input-name]");
            input.setAttribute("aria-label", (holder && holder.getAttribute("data-input-name")) ||
                               "Open a storyboard file (.json)");
        }
    }
    new MutationObserver(nameUpload).observe(document.documentElement, {childList: true, subtree: true});

    document.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
            // Escape closes the panel when the focus is in it (the close button returns focus).
            var panel = document.getElementById("story-panel");
            if (panel && !panel.hidden && panel.contains(event.target)) {
                document.getElementById("story-close").click();
            }
            return;
        }
        var id = KEYS[event.key];
        if (!id || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) {
            return;
        }
        var bar = document.getElementById("story-bar");
        if (!bar || bar.hidden || busy(event.target) || document.querySelector(".modal.show")) {
            return;
        }
        event.preventDefault();
        var button = document.getElementById(id);
        if (button && !button.disabled) {
            button.click();
        }
    });
})();
