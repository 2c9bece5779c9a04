// How many charts of an opened report file plotly has drawn, and how many there are.
() => {
  const plots = Array.from(document.querySelectorAll('.report-plot'));
  return {total: plots.length, drawn: plots.filter(p => p._fullLayout && p.querySelector('.main-svg')).length};
}
