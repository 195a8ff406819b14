"""Q.921 LAPD: frame codec, data-link state machine, TEI management, and the driver
that runs them on a port."""
