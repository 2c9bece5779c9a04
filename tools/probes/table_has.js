// True when the projects table shows exactly the rows `expected`, in any order.
(expected) => JSON.stringify(probe("table_ids")().sort()) === JSON.stringify([...expected].sort())
