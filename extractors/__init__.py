"""Turn article text into typed relation records (never RDF)."""
