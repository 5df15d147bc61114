"""Relation records to RDF: an event node per relation plus the direct edge, one named
graph per article (see docs/ARCHITECTURE.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SDO, XSD
from rdflib.term import Node

from extractors.records import Article, Relation
from graph.rdf.vocabulary import article_iri, entity_iri, event_iri, relation_table
from ontology import ENTITIES_GRAPH
from ontology.namespace import LG

__all__ = ["Triple", "article_graph", "article_triples", "decimal", "entity_graph", "entity_triples"]

Triple = tuple[Node, Node, Node]

_DECIMAL_QUALIFIERS = {"amount": LG.amount, "amount_usd": LG.amountUSD, "stake_pct": LG.stakePercent}
_STRING_QUALIFIERS = {"currency": LG.currency, "date": LG.date, "role": LG.role, "inferred": LG.inferredFrom}


def decimal(value: float | int | str) -> Literal:
    """An ``xsd:decimal`` literal (the shapes require decimals, not doubles)."""
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _iri(url: str | None) -> URIRef | None:
    """``url`` as an IRI when it is an absolute http(s) IRI that the store accepts, else ``None``."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    try:
        ox.NamedNode(url)
    except ValueError:
        return None
    return URIRef(url)


def _entity_class(type_name: str) -> URIRef:
    try:
        return getattr(LG, type_name)
    except AttributeError:
        return LG.Organization


def entity_triples(relations: Iterable[Relation]) -> Iterator[Triple]:
    """Label and type of every entity the relations name (once each), for the shared
    entities graph (one description per entity, however many articles name it)."""
    seen: set[tuple[str, str, str]] = set()
    for rel in relations:
        ends = [(rel.subject, rel.subject_label, rel.subject_type)]
        if rel.object:
            ends.append((rel.object, rel.object_label, rel.object_type))
        for end in ends:
            if end in seen:
                continue
            seen.add(end)
            slug, label, type_name = end
            node = entity_iri(slug)
            yield node, RDFS.label, Literal(label)
            yield node, RDF.type, _entity_class(type_name)


def entity_graph(relations: Iterable[Relation]) -> Graph:
    """:func:`entity_triples` as the entities graph."""
    return _graph(URIRef(ENTITIES_GRAPH), entity_triples(relations))


def _graph(identifier: URIRef, triples: Iterable[Triple]) -> Graph:
    g = Graph(identifier=identifier)
    for triple in triples:
        g.add(triple)
    return g


def _amount_key(rel: Relation) -> str:
    """What tells two valuations of one company in one sentence apart: the amount."""
    amount = rel.qualifiers.get("amount")
    return "" if amount is None else f"${amount:.6g}"


def article_graph(article: Article, relations: Iterable[Relation]) -> Graph:
    """The named graph of one article: its metadata and its relations (the entities'
    labels and types go to :func:`entity_graph`)."""
    return _graph(article_iri(article.key), article_triples(article, relations))


def article_triples(article: Article, relations: Iterable[Relation]) -> Iterator[Triple]:
    """The triples of :func:`article_graph` (a triple may come twice)."""
    art = article_iri(article.key)
    g = _Sink()
    g.add((art, RDF.type, LG.Article))
    g.add((art, LG.contentHash, Literal(article.content_hash)))
    g.add((art, LG.fileName, Literal(article.name)))
    g.add((art, DCTERMS.source, Literal(article.source)))
    if article.title:
        g.add((art, DCTERMS.title, Literal(article.title)))
    if article.published:
        g.add((art, DCTERMS.date, Literal(article.published)))
    url = _iri(article.url)
    if url is not None:
        g.add((art, SDO.url, url))
    table = relation_table()
    for rel in relations:
        term = table[rel.predicate]
        subject = entity_iri(rel.subject)
        event = event_iri(article.key, rel.predicate, rel.subject, rel.object or _amount_key(rel), rel.start)
        g.add((event, RDF.type, term.event_class))
        g.add((event, LG.hasSubject, subject))
        if rel.object:
            obj = entity_iri(rel.object)
            g.add((event, LG.hasObject, obj))
            g.add((subject, term.direct_property, obj))
        q = rel.qualifiers
        for key, prop in _DECIMAL_QUALIFIERS.items():
            if q.get(key) is not None:
                g.add((event, prop, decimal(q[key])))
        if rel.predicate == "valued_at" and q.get("amount_usd") is not None:
            g.add((subject, term.direct_property, decimal(q["amount_usd"])))
        for key, prop in _STRING_QUALIFIERS.items():
            if q.get(key):
                g.add((event, prop, Literal(str(q[key]))))
        g.add((event, LG.status, Literal(rel.status)))
        g.add((event, LG.confidence, decimal(round(rel.confidence, 3))))
        g.add((event, LG.evidence, Literal(rel.evidence)))
        g.add((event, LG.evidenceStart, Literal(rel.start, datatype=XSD.integer)))
        g.add((event, LG.evidenceEnd, Literal(rel.end, datatype=XSD.integer)))
        g.add((event, PROV.wasDerivedFrom, art))
    return iter(g.triples)


class _Sink:
    """Collects triples in order (``add`` as on a Graph)."""

    def __init__(self) -> None:
        self.triples: list[Triple] = []

    def add(self, triple: Triple) -> None:
        self.triples.append(triple)
