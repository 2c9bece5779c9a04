// True when the address bar's query string (with its '?') is exactly `search`.
(search) => location.search === search
