// The id of the element that has the keyboard focus ('' if none).
() => (document.activeElement && document.activeElement.id) || ''
