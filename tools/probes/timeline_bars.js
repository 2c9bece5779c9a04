// The timeline's bars: project id, colour and box in the viewport.
() => {
  const out = [];
  document.querySelectorAll('#timeline .barlayer .trace').forEach(tr => {
    const trace = tr.__data__[0].trace;
    tr.querySelectorAll('.point').forEach(pt => {
      const box = pt.querySelector('path').getBoundingClientRect();
      out.push({project: trace.customdata[pt.__data__.i][0], colour: trace.marker.color,
                left: box.left, x: box.left + box.width / 2, y: box.top + box.height / 2,
                width: box.width, height: box.height});
    });
  });
  return out;
}
