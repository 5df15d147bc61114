"""The stored RDF projected to a networkx ``MultiDiGraph``, computed from the store.

Nodes are entity IRIs (``label``, ``type``); edges, keyed by event IRI, carry the
relation (``predicate``), ``evidence``, source ``article`` and ``title``, ``date``,
``status``, ``confidence`` and ``amount_usd``. Entities are merged across articles
because an entity has one IRI wherever it is named.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox

from graph.facts.rdf import LEAD_EVIDENCE, lead_mentions
from graph.rdf.vocabulary import relation_table
from ontology import ENTITY_NS

if TYPE_CHECKING:
    from rdflib import Dataset

    from graph.facts.reconcile import Fact

__all__ = [
    "EVENTS",
    "EVIDENCE_KEPT",
    "Edge",
    "fact_edge",
    "project",
    "project_edges",
    "project_facts",
    "resolve_entity",
]

#: Every relation event with its context, over the union of all graphs.
EVENTS = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?event ?class ?s ?o ?status ?date ?confidence ?evidence ?amount ?article ?title ?published WHERE {
  ?event lg:hasSubject ?s ; a ?class ; lg:status ?status ; lg:confidence ?confidence ;
         lg:evidence ?evidence ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?event lg:hasObject ?o }
  OPTIONAL { ?event lg:date ?date }
  OPTIONAL { ?event lg:amountUSD ?amount }
  OPTIONAL { ?article dcterms:title ?title }
  OPTIONAL { ?article dcterms:date ?published }
}"""
#: Entity descriptions live once, in the shared entities graph.
ENTITIES = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
SELECT ?e ?label ?type WHERE {
  GRAPH <https://w3id.org/labelgraph/graph/entities> { ?e rdfs:label ?label ; a ?type }
}"""
_LG = "https://w3id.org/labelgraph/ontology#"


def _text(term) -> str | None:
    return None if term is None else str(term)


def project(dataset: Dataset) -> nx.MultiDiGraph:
    """Project the relation events of ``dataset`` (default graph = union) to networkx.

    An event without a stated date is dated by its article's publication date.
    """
    by_class = {str(t.event_class): t.name for t in relation_table().values()}
    g = nx.MultiDiGraph()
    for e, label, type_ in dataset.query(ENTITIES):
        node = str(e)
        kind = str(type_).removeprefix(_LG)
        if node not in g or g.nodes[node].get("type") == "Organization":
            g.add_node(node, label=str(label), type=kind)
    for row in dataset.query(EVENTS):
        event, cls, s, o, status, date, confidence, evidence, amount, article, title, published = row
        predicate = by_class.get(str(cls))
        if predicate is None or o is None:
            continue  # valuations have no object entity; they stay in the store
        g.add_edge(
            str(s),
            str(o),
            key=str(event),
            predicate=predicate,
            status=str(status),
            date=_text(date) or _text(published),
            confidence=float(confidence),
            evidence=str(evidence),
            amount_usd=float(amount) if amount is not None else None,
            article=str(article),
            title=_text(title),
        )
    for node in g.nodes:
        g.nodes[node].setdefault("label", node.rsplit("/", 1)[-1])
        g.nodes[node].setdefault("type", "Organization")
    return g


def resolve_entity(g: nx.MultiDiGraph, name: str) -> str:
    """The node IRI for a label ("Scale AI"), case-insensitively; ``LookupError`` with
    close matches otherwise."""
    if name in g:
        return name
    wanted = name.casefold().strip()
    labels = {str(data.get("label", "")).casefold(): node for node, data in g.nodes(data=True)}
    if wanted in labels:
        return labels[wanted]
    for label, node in labels.items():
        if wanted and (label.startswith(wanted + " ") or wanted.startswith(label + " ")):
            return node
    close = difflib.get_close_matches(wanted, list(labels), n=3)
    hint = f"; did you mean {', '.join(repr(g.nodes[labels[c]]['label']) for c in close)}?" if close else ""
    raise LookupError(f"no entity named {name!r} in the graph{hint}")


_FACTS = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
SELECT ?fact ?class ?s ?o ?status ?confidence ?articles ?mentions ?first ?last ?start ?end ?amount ?conflicting
WHERE {
  GRAPH <https://w3id.org/labelgraph/graph/facts> {
    ?fact a lg:Fact ; lg:relationKind ?class ; lg:hasSubject ?s ; lg:status ?status ;
          lg:confidence ?confidence ; lg:articleCount ?articles ; lg:mentionCount ?mentions .
    OPTIONAL { ?fact lg:hasObject ?o }
    OPTIONAL { ?fact lg:firstReported ?first }
    OPTIONAL { ?fact lg:lastReported ?last }
    OPTIONAL { ?fact lg:startDate ?start }
    OPTIONAL { ?fact lg:endDate ?end }
    OPTIONAL { ?fact lg:amountUSD ?amount }
    OPTIONAL { ?fact lg:conflicting ?conflicting }
  }
}"""
_STEPS = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
SELECT ?fact ?order ?status ?date WHERE {
  GRAPH <https://w3id.org/labelgraph/graph/facts> {
    ?fact lg:statusChange ?step . ?step lg:order ?order ; lg:status ?status . OPTIONAL { ?step lg:date ?date }
  }
}"""
_EVIDENCE = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?fact ?event ?evidence ?article ?title ?date ?published ?status ?confidence WHERE {
  GRAPH <https://w3id.org/labelgraph/graph/facts> { ?fact lg:leadEvidence ?event }
  GRAPH ?article {
    ?event lg:evidence ?evidence ; lg:status ?status ; lg:confidence ?confidence .
    OPTIONAL { ?event lg:date ?date }
    OPTIONAL { ?article dcterms:title ?title }
    OPTIONAL { ?article dcterms:date ?published }
  }
}"""


#: The evidence sentences a fact carries in the projection: the earliest, its lead evidence (the
#: store has all; a graph or a table shows a few, and the projection reads no more than these).
EVIDENCE_KEPT = LEAD_EVIDENCE


def _earliest(evidence: list[dict]) -> list[dict]:
    def order(e: dict) -> tuple:  # the same order however the evidence was read
        return e["date"] or "9999", e["article"] or "", e["sentence"] or "", e["status"] or "", e["confidence"]

    return sorted(evidence, key=order)[:EVIDENCE_KEPT]


def _oxigraph(source) -> ox.Store | None:
    """The pyoxigraph store under ``source`` (a ``Store``, a ``pyoxigraph.Store`` or an rdflib
    Dataset over Oxigraph), to query natively; None for any other rdflib graph."""
    if isinstance(source, ox.Store):
        return source
    for inner in (getattr(source, "ox", None), getattr(getattr(source, "store", None), "_store", None)):
        if isinstance(inner, ox.Store):  # (an empty store is falsy: no truth test here)
            return inner
    return None


def _select(source, sparql: str):
    """The rows of a SELECT as tuples of terms: pyoxigraph's own when ``source`` is on Oxigraph."""
    store = _oxigraph(source)
    if store is None:
        return source.query(sparql)
    from graph.sparql.query import DEFAULT_PREFIXES  # rdfs: undeclared, as through rdflib

    return (tuple(row) for row in store.query(sparql, prefixes=DEFAULT_PREFIXES, use_default_graph_as_union=True))


def _lex(term) -> str | None:
    """A term's lexical form (IRI, literal text), for pyoxigraph and rdflib terms alike."""
    if term is None:
        return None
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else str(term)


def _entities(dataset) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for e, label, type_ in _select(dataset, ENTITIES):
        node = _lex(e)
        kind = _lex(type_).removeprefix(_LG)
        if node not in g or g.nodes[node].get("type") == "Organization":
            g.add_node(node, label=_lex(label), type=kind)
    return g


def project_facts(dataset) -> nx.MultiDiGraph:
    """Project the facts of ``dataset`` to networkx: one edge per fact, keyed by its IRI.

    ``dataset`` is a store's rdflib Dataset, the ``Store`` itself or its pyoxigraph
    store; on Oxigraph the queries run natively (no rdflib terms on the way).
    Edge attributes: ``predicate``, ``status`` (latest), ``statuses`` (``[date, status]``
    in order), ``start``, ``end`` (ISO intervals or None), ``date`` (start, else first
    reported), ``confidence`` (combined), ``amount_usd``, ``articles`` (distinct),
    ``first_reported``, ``last_reported``, ``conflicting``, ``mentions`` (how many sentences
    support it) and ``evidence`` (dicts with ``sentence``, ``article``, ``title``, ``date``,
    ``status``, ``confidence``: the first :data:`EVIDENCE_KEPT` by date, the fact's
    ``lg:leadEvidence``, so that a fact reported 1,000 times costs no more to read than one
    reported ten times; the store keeps every one).
    Valuations (no object entity) are not edges; they stay in the store.
    :func:`fact_edge` makes the same edge from a derived fact, without reading the store.
    """
    by_class = {str(t.event_class): t.name for t in relation_table().values()}
    steps: dict[str, list[tuple[int, str | None, str]]] = {}
    for fact, order, status, date in _select(dataset, _STEPS):
        steps.setdefault(_lex(fact), []).append((int(_lex(order)), _lex(date), _lex(status)))
    evidence: dict[str, list[dict]] = {}
    for fact, _event, sentence, article, title, date, published, status, confidence in _select(dataset, _EVIDENCE):
        evidence.setdefault(_lex(fact), []).append(
            _evidence(_lex(sentence), _lex(article), _lex(title), _lex(date) or _lex(published), _lex(status),
                      float(_lex(confidence)))
        )  # fmt: skip
    edges = []
    for row in _select(dataset, _FACTS):
        fact, cls, s, o, status, confidence, articles, mentions, first, last, start, end, amount, conflicting = row
        predicate = by_class.get(_lex(cls))
        if predicate is None or o is None:
            continue
        key = _lex(fact)
        edges.append(_edge(
            _lex(s), _lex(o), key, predicate, _lex(status), [[d, st] for _, d, st in sorted(steps.get(key, []))],
            start=_lex(start), end=_lex(end), first=_lex(first), last=_lex(last),
            confidence=float(_lex(confidence)), amount=float(_lex(amount)) if amount is not None else None,
            articles=int(_lex(articles)), mentions=int(_lex(mentions)),
            conflicting=_lex(conflicting) in ("true", "1"), evidence=evidence.get(key, []),
        ))  # fmt: skip
    return project_edges(dataset, edges)


#: A projection edge: subject node, object node, fact IRI, attributes.
Edge = tuple[str, str, str, dict]


def _evidence(sentence, article, title, date, status, confidence) -> dict:
    return {"sentence": sentence, "article": article, "title": title, "date": date, "status": status,
            "confidence": confidence}  # fmt: skip


def _edge(s: str, o: str, key: str, predicate: str, status: str, statuses: list, *, start, end, first, last,
          confidence, amount, articles, mentions, conflicting, evidence: list[dict]) -> Edge:  # fmt: skip
    """One fact's edge, the same whether read from the store or made from the fact."""
    return (s, o, key, {
        "predicate": predicate, "status": status, "statuses": statuses, "start": start, "end": end,
        "date": start or first, "confidence": confidence, "amount_usd": amount, "articles": articles,
        "first_reported": first, "last_reported": last, "conflicting": conflicting, "mentions": mentions,
        "evidence": _earliest(evidence),
    })  # fmt: skip


def _stored(value: float | None) -> float | None:
    """A number as the store gives it back (``graph.facts.rdf`` writes it rounded to 6 places)."""
    return None if value is None else float(Decimal(str(round(value, 6))))


def fact_edge(fact: Fact) -> Edge | None:
    """The projection edge of a derived fact, the same as :func:`project_facts` reads back
    once the fact is stored (None for a fact without an object entity: a valuation), so that
    whoever derives the facts can hand the projection over without the store being read again."""
    if not fact.object:
        return None
    evidence = [
        _evidence(m.evidence, m.article, m.title, m.date or m.published, m.status, m.confidence)
        for m in lead_mentions(fact.mentions)
    ]
    return _edge(
        ENTITY_NS + fact.subject, ENTITY_NS + fact.object, fact.iri, fact.predicate, fact.status,
        [[d, st] for d, st in fact.statuses], start=fact.start, end=fact.end, first=fact.first_reported,
        last=fact.last_reported, confidence=_stored(fact.confidence), amount=_stored(fact.amount_usd),
        articles=fact.articles, mentions=len(fact.mentions), conflicting=bool(fact.conflicts), evidence=evidence,
    )  # fmt: skip


def project_edges(dataset, edges: Iterable[Edge]) -> nx.MultiDiGraph:
    """The fact projection made of ``edges`` (:func:`fact_edge`), its nodes the entities of
    ``dataset`` (the shared entities graph: labels and types); the edges in the order of their
    fact IRIs, whoever derived them in which order."""
    g = _entities(dataset)
    for s, o, key, attributes in sorted(edges, key=lambda e: e[2]):
        g.add_edge(s, o, key=key, **attributes)
    for node in g.nodes:
        g.nodes[node].setdefault("label", node.rsplit("/", 1)[-1])
        g.nodes[node].setdefault("type", "Organization")
    return g
