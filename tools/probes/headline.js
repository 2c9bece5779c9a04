// The headline figures: element id -> text.
() => Object.fromEntries(Array.from(
  document.querySelectorAll('#headline [id^="headline-"]'), e => [e.id, e.textContent.trim()]))
