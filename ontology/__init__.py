"""The labelgraph vocabulary, SHACL shapes and entity catalogue, kept as Turtle.

Nothing is loaded at import time; the Turtle files are found through the
constants below and read by whoever needs them.
"""

from importlib.resources import files

__all__ = [
    "ARTICLE_NS",
    "CATALOGUE",
    "ENTITIES_GRAPH",
    "ENTITY_NS",
    "EVENT_NS",
    "GRAPH_NS",
    "LG_NS",
    "ONTOLOGY",
    "SHAPES",
]

ONTOLOGY = files(__package__) / "labelgraph.ttl"
SHAPES = files(__package__) / "shapes.ttl"
CATALOGUE = files(__package__) / "entities.ttl"

#: The vocabulary (classes and properties).
LG_NS = "https://w3id.org/labelgraph/ontology#"
#: Entities: companies, people, places (``id/scale-ai``).
ENTITY_NS = "https://w3id.org/labelgraph/id/"
#: Relation events (``event/<hash>``).
EVENT_NS = "https://w3id.org/labelgraph/event/"
#: Articles; an article's IRI is also the name of its graph (``article/<hash>``).
ARTICLE_NS = "https://w3id.org/labelgraph/article/"
#: Graphs that are not articles (``graph/catalogue``, ``graph/derived``).
GRAPH_NS = "https://w3id.org/labelgraph/graph/"
#: The one graph describing every entity named in the articles (label, type).
ENTITIES_GRAPH = GRAPH_NS + "entities"
