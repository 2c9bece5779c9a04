// Every view drawn down to its marks: the heatmap's image and the timeline's bars (seed data).
() => probe("views_drawn")()
  && document.querySelectorAll('#matrix .hm image').length > 0
  && document.querySelectorAll('#timeline .barlayer .point path').length > 0
