// The shapes of the matrix's layout (the outlines of selected cells).
() => document.querySelector('#matrix .js-plotly-plot').layout.shapes || []
