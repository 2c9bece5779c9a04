// True when the address bar's query has the parameter `name`.
(name) => new URLSearchParams(location.search).has(name)
