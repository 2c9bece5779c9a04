// The notes drawn on the regional map (its boundaries' credit), '' if none is visible.
() => {
  const notes = Array.from(document.querySelectorAll('#region-map .annotation-text'))
    .filter(n => n.getBoundingClientRect().width > 0);
  return notes.map(n => n.getAttribute('data-unformatted')).join(' | ');
}
