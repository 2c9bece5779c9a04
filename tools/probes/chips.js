// The texts of the filter chips, in order.
() => Array.from(document.querySelectorAll('#filter-chips .filter-chip'),
                 c => c.firstChild.textContent.trim())
