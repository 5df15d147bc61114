"""The store, RDF mapping, analytics, exports and command line of labelgraph."""
