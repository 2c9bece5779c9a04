// The address bar's query as an object (name -> last value).
() => Object.fromEntries(new URLSearchParams(location.search))
