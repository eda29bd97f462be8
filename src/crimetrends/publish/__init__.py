"""Public outputs: the tables behind the static site and the read-only API."""
