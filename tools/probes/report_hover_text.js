// The text of the hover label of the element matched by `selector` ('' if none).
(selector) => {
  const h = document.querySelector(selector + ' .hoverlayer .hovertext');
  return h ? h.textContent : '';
}
