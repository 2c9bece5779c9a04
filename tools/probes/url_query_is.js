// True when the address bar's query is exactly `expected` (names and values, any order).
(expected) => JSON.stringify(Object.entries(probe("url_query")()).sort())
  === JSON.stringify(Object.entries(expected).sort())
