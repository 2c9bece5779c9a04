// True when the filter chips read exactly `expected`, in order.
(expected) => JSON.stringify(probe("chips")()) === JSON.stringify(expected)
