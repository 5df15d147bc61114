"""IRIs of entities, articles and events, and the relation table read from the ontology."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from ontology import ARTICLE_NS, ENTITY_NS, EVENT_NS, ONTOLOGY
from ontology.namespace import LG

__all__ = ["RelationTerm", "article_iri", "entity_iri", "event_iri", "relation_table"]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class RelationTerm:
    """A relation of the closed vocabulary with its event class and direct property."""

    name: str
    event_class: URIRef
    direct_property: URIRef
    symmetric: bool


@functools.cache
def relation_table() -> dict[str, RelationTerm]:
    """Relation name (``"invested_in"``) -> its terms, as ``labelgraph.ttl`` declares them."""
    g = Graph()
    g.parse(source=str(ONTOLOGY), format="turtle")
    table = {}
    for cls, name in g.subject_objects(LG.relationName):
        prop = g.value(cls, LG.directProperty)
        symmetric = g.value(cls, LG.symmetric) == Literal(True)
        table[str(name)] = RelationTerm(str(name), URIRef(cls), URIRef(prop), symmetric)
    return table


def _hex(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def entity_iri(slug: str) -> URIRef:
    """The IRI of an entity from its slug (``"scale-ai"``).

    >>> entity_iri("scale-ai")
    rdflib.term.URIRef('https://w3id.org/labelgraph/id/scale-ai')
    """
    if not _SLUG.fullmatch(slug):
        raise ValueError(f"not an entity slug: {slug!r}")
    return URIRef(ENTITY_NS + slug)


def article_iri(key: str) -> URIRef:
    """The IRI of an article (and of its named graph) from its key: a hash, so any key
    (a URL with ``<>"{}``, a file name with bytes that are not UTF-8) gives a valid IRI."""
    return URIRef(ARTICLE_NS + _hex(key))


def event_iri(article_key: str, predicate: str, subject: str, obj: str, start: int) -> URIRef:
    """The IRI of one relation event: stable for the same statement in the same article."""
    return URIRef(EVENT_NS + _hex(article_key, predicate, subject, obj, start))
