// The viewport's [width, height] in CSS pixels.
() => [window.innerWidth, window.innerHeight]
