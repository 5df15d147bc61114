"""Facts to RDF (quads in the named graph ``graph/facts``) and mentions from the store.

A fact is ``lg:Fact`` with ``lg:relationKind`` (the event class of its mentions),
``lg:hasSubject``/``lg:hasObject``, its latest ``lg:status``, combined ``lg:confidence``,
``lg:articleCount``, ``lg:mentionCount``, ``lg:firstReported``/``lg:lastReported``,
``lg:startDate``/``lg:endDate`` (ISO intervals), ``lg:amountUSD``, ``lg:conflict``
notes, one ``lg:statusChange`` per step of its status history, ``prov:wasDerivedFrom``
each supporting mention event and ``lg:leadEvidence`` the earliest of them (:func:`lead_mentions`:
what a graph shows, read without reading every mention). ``lg:factGroup`` names its
reconciliation group, which is what an incremental update replaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal

import pyoxigraph as ox

from graph.facts.reconcile import SYMMETRIC, Fact, Mention
from graph.rdf.vocabulary import relation_table
from ontology import ENTITY_NS, GRAPH_NS, LG_NS

__all__ = [
    "FACTS_GRAPH",
    "LEAD_EVIDENCE",
    "PENDING",
    "fact_quads",
    "lead_mentions",
    "mentions_query",
    "owned_mentions",
    "owner_batches",
    "read_mentions",
]

FACTS_GRAPH = GRAPH_NS + "facts"
_G = ox.NamedNode(FACTS_GRAPH)
_PROV = "http://www.w3.org/ns/prov#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
#: In the facts graph while its facts are derived batch by batch (:func:`graph.facts.update.rebuild_facts`).
PENDING = ox.Quad(_G, ox.NamedNode(LG_NS + "derivationPending"), ox.Literal("true", datatype=_XSD_BOOLEAN), _G)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ENTITY = re.compile(re.escape(ENTITY_NS) + _SLUG.pattern)


def _lg(name: str) -> ox.NamedNode:
    return ox.NamedNode(LG_NS + name)


def _dec(value: float) -> ox.Literal:
    return ox.Literal(str(Decimal(str(round(value, 6)))), datatype=ox.NamedNode(_XSD + "decimal"))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(_XSD + "integer"))


#: How many of a fact's mentions are its ``lg:leadEvidence``.
LEAD_EVIDENCE = 10


def lead_mentions(mentions: Iterable[Mention], n: int = LEAD_EVIDENCE) -> list[Mention]:
    """The ``n`` earliest of ``mentions``: by the date they speak of (stated, else their
    article's; undated last), then by article and event, so that the choice is the same
    whatever order the store returns them in."""
    return sorted(mentions, key=lambda m: (m.when or "9999", m.article, m.event))[:n]


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
        for m in lead_mentions(f.mentions):
            yield add("leadEvidence", ox.NamedNode(m.event))
        for i, (date, status) in enumerate(f.statuses):
            step = ox.NamedNode(f"{f.iri}/status/{i}")
            yield add("statusChange", step)
            yield ox.Quad(step, _RDF_TYPE, _lg("StatusChange"), _G)
            yield add("factGroup", group, step)
            yield add("status", ox.Literal(status), step)
            yield add("order", _int(i), step)
            if date:
                yield add("date", ox.Literal(date), step)


def mentions_query(subjects: Iterable[str] | None = None, *, objects: Iterable[str] | None = None) -> str:
    """SPARQL for every mention event (of these subject entity IRIs, when given; of a
    symmetric relation with one of these object IRIs, when ``objects`` are given), its
    columns in the order :func:`_mentions` reads them."""
    values = ""
    for var, iris in (("s", subjects), ("o", objects)):
        if iris is not None:
            ours = sorted(i for i in iris if _ENTITY.fullmatch(i))  # our own IRIs only
            values += f"VALUES ?{var} {{ " + " ".join(f"<{i}>" for i in ours) + " }\n"
    if objects is None:
        head, tail = "?event lg:hasSubject ?s ; a ?class ;", "OPTIONAL { ?event lg:hasObject ?o }"
    else:  # the object's pattern first, the class as a filter: Oxigraph then starts from the object index
        table = relation_table()
        classes = ", ".join(f"<{table[name].event_class}>" for name in sorted(SYMMETRIC))
        head, tail = "?event lg:hasObject ?o ; a ?class ; lg:hasSubject ?s ;", f"FILTER(?class IN ({classes}))"
    return f"""PREFIX lg: <{LG_NS}>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?event ?class ?s ?o ?status ?confidence ?evidence ?article ?date ?published ?amount ?stake ?title ?start ?end
WHERE {{ {values}
  GRAPH ?article {{
    {head} lg:status ?status ; lg:confidence ?confidence ;
           lg:evidence ?evidence ; lg:evidenceStart ?start ; lg:evidenceEnd ?end .
    {tail}
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


#: About how many mentions a batch of :func:`owner_batches` holds.
BATCH = 5_000
_GROUP_SIZES = f"""PREFIX lg: <{LG_NS}>
SELECT ?class ?s ?o (COUNT(?event) AS ?n)
WHERE {{ GRAPH ?article {{ ?event lg:hasSubject ?s ; a ?class ; lg:evidenceStart ?start .
                          OPTIONAL {{ ?event lg:hasObject ?o }} }} }}
GROUP BY ?class ?s ?o"""


def _owner(predicate: str, subject: str, obj: str | None) -> str:
    """The entity (IRI) whose batch holds a group: its subject, or the first of a symmetric
    pair of our entities."""
    return min(subject, obj) if predicate in SYMMETRIC and obj and _ENTITY.fullmatch(obj) else subject


def _owner_of(m: Mention) -> str:
    obj = None if m.object is None else (ENTITY_NS + m.object if _SLUG.fullmatch(m.object) else m.object)
    return _owner(m.predicate, ENTITY_NS + m.subject, obj)


def _group_owner(key: str) -> str | None:
    """:func:`_owner` of a reconciliation group from its key (``family|subject|object``,
    :func:`graph.facts.reconcile.group_key`); None when its subject is not an entity of ours."""
    family, subject, obj = key.split("|")
    ours = [e for e in ((subject, obj) if family in SYMMETRIC else (subject,)) if _SLUG.fullmatch(e)]
    return ENTITY_NS + min(ours) if ours else None


def owner_batches(store: ox.Store, size: int | None = None, groups: Mapping[str, int] | None = None) -> list[list[str]]:
    """The entity IRIs that own the store's reconciliation groups (:func:`_owner`), in
    lists whose groups hold about ``size`` mentions (more when one entity owns more).
    Every group has one owner, so the batches' mentions (:func:`owned_mentions`) never
    split a group, and each batch can be derived on its own. ``groups`` (group key ->
    mentions), when the caller knows every group of the store (it wrote them all), spares
    reading all the mentions to count them."""
    size = BATCH if size is None else size
    held: dict[str, int] = {}
    if groups is not None:
        for key, n in groups.items():
            if (owner := _group_owner(key)) is not None:
                held[owner] = held.get(owner, 0) + n
    else:
        by_class = {str(t.event_class): t.name for t in relation_table().values()}
        for row in store.query(_GROUP_SIZES):
            predicate = by_class.get(row["class"].value)
            s, o = row["s"].value, None if row["o"] is None else row["o"].value
            if predicate is None or not _ENTITY.fullmatch(s):
                continue  # not a mention, or not an entity of ours (mentions_query reads our IRIs only)
            owner = _owner(predicate, s, o)
            held[owner] = held.get(owner, 0) + int(row["n"].value)
    batches: list[list[str]] = [[]]
    count = 0
    for owner in sorted(held):
        if count >= size:
            batches.append([])
            count = 0
        batches[-1].append(owner)
        count += held[owner]
    return batches if batches[0] else []


def owned_mentions(store: ox.Store, owners: Iterable[str]) -> list[Mention]:
    """The mentions of the groups ``owners`` (entity IRIs) own: those they are the subject
    of, and those of a symmetric relation stated from the pair's second entity."""
    mine = set(owners)
    out = [m for m in read_mentions(store, mine) if _owner_of(m) in mine]
    for m in _mentions(store.query(mentions_query(objects=mine))):
        if ENTITY_NS + m.subject not in mine and _owner_of(m) in mine:
            out.append(m)
    return out
