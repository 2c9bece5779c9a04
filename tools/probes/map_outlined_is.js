// True when the outlined countries are exactly `expected` (sorted).
(expected) => JSON.stringify(probe("map_outlined")()) === JSON.stringify(expected)
