// Keyboard and screen-reader help the components cannot be told through their props.
//
// - Enter on a row of the projects table opens its project: AG Grid's cellKeyDown event calls
//   ketTableKeyDown (components/layout.py eventListeners), which reports the row as the grid's
//   eventData; the hub reads it like a click.
// - Inputs inside an element with data-input-labels="first|second|..." get those names, in
//   order (the period slider's year boxes, the upload's file input have no label prop).
// - dcc.Dropdown puts a hidden (aria-hidden) but focusable input in front of its button and
//   bounces focus from it to the button; the button itself is taken out of the Tab order. That
//   is a focusable element screen readers are told to ignore. The button becomes the Tab stop
//   and the hidden input leaves the Tab order (its blur handler puts it back: undone here).
// - When a project opens (from the table, the timeline, its list, a shared ?project= address)
//   its side sheet shows its top and focus moves to its heading; when it closes,
//   focus goes back to where the user opened it from (the same button or table cell), else the
//   table.
// - A button that re-renders under the focus (a cell of the matrix's table once it filtered)
//   hands the focus to its successor of the same id, instead of dropping it to the page.
(function () {
    "use strict";

    window.dashAgGridFunctions = window.dashAgGridFunctions || {};
    window.dashAgGridFunctions.ketTableKeyDown = function (params, setEventData) {
        const event = params && params.event;
        if (!event || event.key !== "Enter" || !params.data || !params.data.id) { return; }
        event.preventDefault();
        setEventData({rowId: params.data.id});
    };

    const TABLE = "projects-table";
    const DETAIL = "project-detail";

    function labelInputs() {
        document.querySelectorAll("[data-input-labels]").forEach(function (holder) {
            const names = holder.getAttribute("data-input-labels").split("|");
            holder.querySelectorAll("input:not([type=hidden])").forEach(function (input, i) {
                if (names[i] && input.getAttribute("aria-label") !== names[i]) {
                    input.setAttribute("aria-label", names[i]);
                }
            });
        });
    }

    function fixDropdowns() {
        document.querySelectorAll(".dash-dropdown-focus-target").forEach(function (trap) {
            const button = trap.nextElementSibling;
            if (!button || button.tagName !== "BUTTON" || button.disabled) { return; }
            if (trap.tabIndex !== -1) { trap.tabIndex = -1; }
            if (button.tabIndex !== 0) { button.tabIndex = 0; }
        });
    }

    // Where focus was when a project opened: an element id, or a cell of the grid.
    let origin = null;
    let shown = null;

    function describe(element) {
        if (!element || element === document.body) { return null; }
        const cell = element.closest && element.closest("#" + TABLE + " .ag-cell");
        if (cell) {
            const row = cell.closest(".ag-row");
            return {rowIndex: Number(row && row.getAttribute("row-index")) || 0,
                    colId: cell.getAttribute("col-id")};
        }
        return element.id ? {id: element.id} : null;
    }

    function focusTable(rowIndex, colId) {
        if (!(window.dash_ag_grid && dash_ag_grid.getApi)) { return false; }
        const api = dash_ag_grid.getApi(TABLE);
        if (!api) { return false; }
        const column = colId || (api.getAllDisplayedColumns()[0] || {}).colId;
        api.ensureIndexVisible(rowIndex || 0);
        api.setFocusedCell(rowIndex || 0, column);
        return true;
    }

    function restoreFocus() {
        const where = origin;
        origin = null;
        if (where && where.id) {
            const element = document.getElementById(where.id);
            if (element && element.offsetParent !== null) { element.focus(); return; }
        }
        if (where && where.colId) { focusTable(where.rowIndex, where.colId); return; }
        focusTable(0, null);
    }

    function reveal(heading) {
        const card = heading.closest(".card") || heading;
        const top = card.getBoundingClientRect().top;
        if (top < 0 || top > window.innerHeight * 0.4) { card.scrollIntoView({block: "start"}); }
    }

    // The panel lives in a side sheet (components/layout.py project_sheet) that is taken out of
    // the page while closed: no panel is no project shown.
    function followDetail() {
        const detail = document.getElementById(DETAIL);
        const heading = detail ? detail.querySelector("h4") : null;
        const now = heading ? heading.textContent : null;
        if (now === shown) { return; }
        const was = shown;
        shown = now;
        const holder = detail ? detail.closest(".offcanvas, .card") : null;
        const active = document.activeElement;
        if (now) {
            // The sheet takes the focus as it opens: what opened it is the last place outside.
            if (!(holder && holder.contains(active))) { origin = describe(active); }
            else if (!was) { origin = describe(lastOutside); }
            heading.setAttribute("tabindex", "-1");
            heading.focus({preventScroll: true});
            const body = detail.closest(".offcanvas-body");
            if (body) { body.scrollTop = 0; return; }
            reveal(heading);
            // The charts above grow as they draw (a shared address): look again once they have.
            [400, 1200].forEach(function (delay) {
                setTimeout(function () { if (document.activeElement === heading) { reveal(heading); } }, delay);
            });
        } else if (was && (!active || active === document.body || !active.isConnected
                           || (holder && holder.contains(active)))) {
            restoreFocus();
        }
    }

    let lastFocused = null;
    let lastOutside = null;
    document.addEventListener("focusin", function (event) {
        lastFocused = event.target;
        if (!(event.target.closest && event.target.closest(".offcanvas"))) { lastOutside = event.target; }
    });

    function keepFocus() {
        const gone = lastFocused;
        if (document.activeElement !== document.body || !gone || gone.isConnected || !gone.id) {
            return;
        }
        const successor = document.getElementById(gone.id);
        if (successor && successor.offsetParent !== null) { successor.focus(); }
    }

    let scheduled = false;
    function pass() {
        scheduled = false;
        labelInputs();
        fixDropdowns();
        followDetail();
        keepFocus();
    }
    function schedule() {
        if (!scheduled) { scheduled = true; window.requestAnimationFrame(pass); }
    }

    function start() {
        new MutationObserver(schedule).observe(document.body, {
            childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex"],
        });
        schedule();
    }
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
}());
