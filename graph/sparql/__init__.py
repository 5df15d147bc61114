"""Read-only SPARQL over the store and the named queries."""
