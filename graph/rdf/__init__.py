"""Relation records as RDF: the vocabulary, the mapping, the SHACL check."""
