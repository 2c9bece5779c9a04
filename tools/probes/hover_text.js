// The text of the hover label graph `id` shows ('' if none).
(id) => {
  const h = document.querySelector('#' + id + ' .hoverlayer .hovertext');
  return h ? h.textContent : '';
}
