// True when Dash has no callback pending (its store lists none and is not loading).
() => {
  const s = window.store && window.store.getState();
  if (!s) return false;
  const cbs = Object.assign({}, s.callbacks || {});
  delete cbs.stored; delete cbs.completed;
  return Object.values(cbs).every(v => !v || v.length === 0) && !s.isLoading;
}
