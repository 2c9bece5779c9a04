// The centres of the timeline's activity markers in the viewport.
() => Array.from(
  document.querySelectorAll('#timeline .scatterlayer .point'), p => {
    const b = p.getBoundingClientRect(); return {x: b.left + b.width / 2, y: b.top + b.height / 2};
  })
