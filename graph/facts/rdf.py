"""Facts to RDF (quads in the named graph ``graph/facts``) and mentions from the store.

A fact is ``lg:Fact`` with ``lg:relationKind`` (the event class of its mentions),
``lg:hasSubject``/``lg:hasObject``, its latest ``lg:status``, combined ``lg:confidence``,
``lg:articleCount``, ``lg:mentionCount``, ``lg:firstReported``/``lg:lastReported``,
``lg:startDate``/``lg:endDate`` (ISO intervals), ``lg:amountUSD``, ``lg:conflict``
notes, one ``lg:statusChange`` per step of its status history and ``prov:wasDerivedFrom``
each supporting mention event. ``lg:factGroup`` names its reconciliation group, which
is what an incremental update replaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

import pyoxigraph as ox

from graph.facts.reconcile import Fact, Mention
from graph.rdf.vocabulary import relation_table
from ontology import ENTITY_NS, GRAPH_NS, LG_NS

__all__ = ["FACTS_GRAPH", "fact_quads", "mentions_query", "read_mentions"]

FACTS_GRAPH = GRAPH_NS + "facts"
_G = ox.NamedNode(FACTS_GRAPH)
_PROV = "http://www.w3.org/ns/prov#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_ENTITY = re.compile(re.escape(ENTITY_NS) + r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _lg(name: str) -> ox.NamedNode:
    return ox.NamedNode(LG_NS + name)


def _dec(value: float) -> ox.Literal:
    return ox.Literal(str(Decimal(str(round(value, 6)))), datatype=ox.NamedNode(_XSD + "decimal"))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))


def fact_quads(facts: Iterable[Fact]) -> Iterator[ox.Quad]:
    """The quads of ``facts`` in the facts graph."""
    classes = {t.name: t.event_class for t in relation_table().values()}
    for f in facts:
        node = ox.NamedNode(f.iri)
        group = ox.Literal(f.group)

        def add(p: str, o, s=node) -> ox.Quad:
            return ox.Quad(s, _lg(p), o, _G)

        yield ox.Quad(node, _RDF_TYPE, _lg("Fact"), _G)
        yield add("factGroup", group)
        yield add("relationKind", ox.NamedNode(str(classes[f.predicate])))
        yield add("hasSubject", ox.NamedNode(ENTITY_NS + f.subject))
        if f.object:
            yield add("hasObject", ox.NamedNode(ENTITY_NS + f.object))
        yield add("status", ox.Literal(f.status))
        yield add("confidence", _dec(f.confidence))
        yield add("articleCount", _int(f.articles))
        yield add("mentionCount", _int(len(f.mentions)))
        for prop, value in (("firstReported", f.first_reported), ("lastReported", f.last_reported),
                            ("startDate", f.start), ("endDate", f.end)):  # fmt: skip
            if value:
                yield add(prop, ox.Literal(value))
        if f.amount_usd is not None:
            yield add("amountUSD", _dec(f.amount_usd))
        if f.stake is not None:
            yield add("stakePercent", _dec(f.stake))
        yield add(
            "conflicting", ox.Literal("true" if f.conflicts else "false", datatype=ox.NamedNode(_XSD + "boolean"))
        )
        for note in f.conflicts:
            yield add("conflict", ox.Literal(note))
        for m in f.mentions:
            yield ox.Quad(node, ox.NamedNode(_PROV + "wasDerivedFrom"), ox.NamedNode(m.event), _G)
        for i, (date, status) in enumerate(f.statuses):
            step = ox.NamedNode(f"{f.iri}/status/{i}")
            yield add("statusChange", step)
            yield ox.Quad(step, _RDF_TYPE, _lg("StatusChange"), _G)
            yield add("factGroup", group, step)
            yield add("status", ox.Literal(status), step)
            yield add("order", _int(i), step)
            if date:
                yield add("date", ox.Literal(date), step)


def mentions_query(subjects: Iterable[str] | None = None) -> str:
    """SPARQL for every mention event (of these subject entity IRIs, when given)."""
    values = ""
    if subjects is not None:
        iris = sorted(s for s in subjects if _ENTITY.fullmatch(s))  # our own IRIs only
        values = "VALUES ?s { " + " ".join(f"<{s}>" for s in iris) + " }"
    return f"""PREFIX lg: <{LG_NS}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?event ?class ?s ?o ?status ?confidence ?evidence ?article ?date ?published ?amount ?stake ?title ?start ?end
WHERE {{ {values}
  GRAPH ?article {{
    ?event lg:hasSubject ?s ; a ?class ; lg:status ?status ; lg:confidence ?confidence ;
           lg:evidence ?evidence ; lg:evidenceStart ?start ; lg:evidenceEnd ?end .
    OPTIONAL {{ ?event lg:hasObject ?o }}
    OPTIONAL {{ ?event lg:date ?date }}
    OPTIONAL {{ ?event lg:amountUSD ?amount }}
    OPTIONAL {{ ?event lg:stakePercent ?stake }}
    OPTIONAL {{ ?article dcterms:title ?title }}
    OPTIONAL {{ ?article dcterms:date ?published }}
  }}
}}"""


def _v(row, name: str) -> str | None:
    term = row[name]
    return None if term is None else term.value


def read_mentions(store: ox.Store, subjects: Iterable[str] | None = None) -> list[Mention]:
    """The mention events in the article graphs of ``store`` (of these subjects)."""
    by_class = {str(t.event_class): t.name for t in relation_table().values()}
    out = []
    for row in store.query(mentions_query(subjects)):
        predicate = by_class.get(row["class"].value)
        if predicate is None:
            continue
        amount, stake = _v(row, "amount"), _v(row, "stake")
        out.append(
            Mention(
                event=row["event"].value,
                article=row["article"].value,
                predicate=predicate,
                subject=row["s"].value.removeprefix(ENTITY_NS),
                object=(_v(row, "o") or "").removeprefix(ENTITY_NS) or None,
                status=row["status"].value,
                confidence=float(row["confidence"].value),
                evidence=row["evidence"].value,
                date=_v(row, "date"),
                published=_v(row, "published"),
                amount_usd=float(amount) if amount else None,
                stake=float(stake) if stake else None,
                title=_v(row, "title"),
                start=int(row["start"].value),
                end=int(row["end"].value),
            )
        )
    return out
