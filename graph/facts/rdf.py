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

from graph.facts.reconcile import SYMMETRIC, Fact, Mention
from graph.rdf.vocabulary import relation_table
from ontology import ENTITY_NS, GRAPH_NS, LG_NS

__all__ = ["FACTS_GRAPH", "PENDING", "fact_quads", "mention_batches", "mentions_query", "read_mentions"]

FACTS_GRAPH = GRAPH_NS + "facts"
_G = ox.NamedNode(FACTS_GRAPH)
_PROV = "http://www.w3.org/ns/prov#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
#: In the facts graph while its facts are derived batch by batch (:func:`graph.facts.update.rebuild_facts`).
PENDING = ox.Quad(_G, ox.NamedNode(LG_NS + "derivationPending"), ox.Literal("true", datatype=_XSD_BOOLEAN), _G)
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
    """SPARQL for every mention event (of these subject entity IRIs, when given), its
    columns in the order :func:`_mentions` reads them."""
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


def _mentions(rows) -> list[Mention]:
    """Mentions from the rows of :func:`mentions_query` (its columns in order)."""
    by_class = {str(t.event_class): t.name for t in relation_table().values()}
    out = []
    for row in rows:
        event, cls, s, o, status, confidence, evidence, article, date, published, amount, stake, title, start, end = (
            None if term is None else term.value for term in row
        )
        predicate = by_class.get(cls)
        if predicate is None:
            continue
        out.append(
            Mention(
                event=event,
                article=article,
                predicate=predicate,
                subject=s.removeprefix(ENTITY_NS),
                object=(o or "").removeprefix(ENTITY_NS) or None,
                status=status,
                confidence=float(confidence),
                evidence=evidence,
                date=date,
                published=published,
                amount_usd=float(amount) if amount else None,
                stake=float(stake) if stake else None,
                title=title,
                start=int(start),
                end=int(end),
            )
        )
    return out


def read_mentions(store: ox.Store, subjects: Iterable[str] | None = None) -> list[Mention]:
    """The mention events in the article graphs of ``store`` (of these subjects)."""
    return _mentions(store.query(mentions_query(subjects)))


#: About how many mentions :func:`mention_batches` reads at a time.
BATCH = 5_000
_SUBJECTS = f"""PREFIX lg: <{LG_NS}>
SELECT ?s (COUNT(?event) AS ?n) WHERE {{ GRAPH ?article {{ ?event lg:hasSubject ?s ; lg:evidenceStart ?start }} }}
GROUP BY ?s"""


def _owner(m: Mention) -> str:
    """The entity whose batch holds ``m``'s group: the subject, the first of a symmetric pair."""
    return min(m.subject, m.object or "") if m.predicate in SYMMETRIC else m.subject


def mention_batches(store: ox.Store, size: int | None = None) -> Iterator[list[Mention]]:
    """Every mention event of ``store``, in lists of about ``size`` (more when one entity is
    the subject of more) that never split a reconciliation group. A group's mentions share
    their subject, or, for a symmetric relation, their pair of entities: subjects are read in
    batches from the last in order back, and a symmetric mention whose pair's first entity is
    in no batch yet waits for that entity's batch (it comes later), or for the end."""
    size = BATCH if size is None else size
    counts = {row["s"].value: int(row["n"].value) for row in store.query(_SUBJECTS)}
    waiting: dict[str, list[Mention]] = {}
    batch: list[str] = []
    held = 0

    def read() -> list[Mention]:
        owners = {s.removeprefix(ENTITY_NS) for s in batch}
        out = []
        for m in _mentions(store.query(mentions_query(batch))):
            owner = _owner(m)
            (out if owner in owners else waiting.setdefault(owner, [])).append(m)
        for owner in owners:
            out += waiting.pop(owner, [])
        return out

    for subject in sorted(counts, reverse=True):
        if not _ENTITY.fullmatch(subject):
            continue  # not an entity of ours: never a mention (mentions_query reads our IRIs only)
        batch.append(subject)
        held += counts[subject]
        if held >= size:
            yield read()
            batch, held = [], 0
    if batch:
        yield read()
    if waiting:  # pairs whose first entity is never a subject
        yield [m for found in waiting.values() for m in found]
