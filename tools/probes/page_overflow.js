// The page's scroll width against the viewport's width (wider: a horizontal scrollbar).
() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})
