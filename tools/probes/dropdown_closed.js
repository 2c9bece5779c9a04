// True when no dropdown's list of options is open.
() => !document.querySelector('[role=listbox]')
