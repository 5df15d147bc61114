"""Facts kept up to date in the store, incrementally and atomically.

An article added, changed or removed touches some reconciliation groups (the groups of
the mentions it had and has). Only those groups are re-derived, from the mentions the
store holds for them, and written in **one** SPARQL update (Oxigraph runs an update in
one transaction): the old facts of those groups deleted, the new ones inserted, and, for
``forget``, the article graphs dropped in the same update.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.errors import StoreError
from graph.facts.rdf import BATCH, FACTS_GRAPH, PENDING, fact_quads, owned_mentions, owner_batches, read_mentions
from graph.facts.reconcile import Fact, group_key, reconcile
from graph.storage.store import Store
from ontology import ENTITY_NS, LG_NS

__all__ = [
    "Forgotten",
    "article_groups",
    "derive_owned",
    "facts_missing",
    "find_articles",
    "forget_articles",
    "rebuild_facts",
    "update_facts",
]

#: ``ordered(fn, tasks)``: ``fn(*task)`` for each task, in order (in other processes).
Ordered = Callable[[Callable[..., tuple[int, bytes, list]], list[tuple]], Iterator[tuple[int, bytes, list]]]
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FACT = ox.NamedNode(LG_NS + "Fact")
_LEAD = ox.NamedNode(LG_NS + "leadEvidence")
_ARTICLE = re.compile(r"https://w3id\.org/labelgraph/article/[0-9a-f]{16}")
_GROUPS = f"""PREFIX lg: <{LG_NS}>
SELECT DISTINCT ?g ?class ?s ?o WHERE {{
  GRAPH ?g {{ ?e lg:hasSubject ?s ; a ?class . OPTIONAL {{ ?e lg:hasObject ?o }} }}
}}"""


def article_groups(store: Store, article: str) -> set[str]:
    """The reconciliation groups of the mentions stored in one article graph."""
    from graph.rdf.vocabulary import relation_table

    by_class = {str(t.event_class): t.name for t in relation_table().values()}
    out = set()
    rows = store.ox.query(_GROUPS, substitutions={ox.Variable("g"): ox.NamedNode(article)})
    for row in rows:
        predicate = by_class.get(row["class"].value)
        if predicate is None:
            continue
        obj = row["o"].value.removeprefix(ENTITY_NS) if row["o"] is not None else None
        out.add(group_key(predicate, row["s"].value.removeprefix(ENTITY_NS), obj))
    return out


def facts_missing(store: Store) -> bool:
    """True when the store holds mentions but no facts graph (built before facts existed,
    or loaded by another route), a facts graph whose derivation did not finish, or one
    written before facts named their lead evidence: its facts must be derived once, from
    all mentions."""
    if FACTS_GRAPH in store.graph_names():
        graph = ox.NamedNode(FACTS_GRAPH)
        pending = store.ox.quads_for_pattern(PENDING.subject, PENDING.predicate, None, graph)
        facts = store.ox.quads_for_pattern(None, _RDF_TYPE, _FACT, graph)
        lead = store.ox.quads_for_pattern(None, _LEAD, None, graph)
        return any(True for _ in pending) or (any(True for _ in facts) and not any(True for _ in lead))
    evidence = ox.NamedNode(LG_NS + "evidence")
    return any(True for _ in store.ox.quads_for_pattern(None, evidence, None, None))


def _subjects(groups: Iterable[str]) -> set[str]:
    out = set()
    for g in groups:
        _, subject, obj = g.split("|")
        out.update(ENTITY_NS + e for e in (subject, obj) if e)
    return out


def _update_text(groups: set[str], facts: list[Fact], drop: Iterable[str]) -> str:
    parts = []
    for article in drop:
        if not _ARTICLE.fullmatch(article):
            raise StoreError(f"refusing to drop a graph with a foreign name: {article}")
        parts.append(f"DROP SILENT GRAPH <{article}>")
    if groups:
        values = " ".join(str(ox.Literal(g)) for g in sorted(groups))  # N-Triples escaped terms
        parts.append(
            f"DELETE {{ GRAPH <{FACTS_GRAPH}> {{ ?x ?p ?v }} }} WHERE {{ GRAPH <{FACTS_GRAPH}> "
            f"{{ VALUES ?k {{ {values} }} ?x <{LG_NS}factGroup> ?k ; ?p ?v }} }}"
        )
    if facts:
        body = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in fact_quads(facts))
        parts.append(f"INSERT DATA {{ GRAPH <{FACTS_GRAPH}> {{\n{body}\n}} }}")
    return " ;\n".join(parts)


def update_facts(store: Store, groups: set[str], *, drop: Iterable[str] = ()) -> list[Fact]:
    """Re-derive the facts of ``groups`` (after dropping the article graphs ``drop``) and
    write them in one atomic update; return the new facts of those groups."""
    drop = sorted(set(drop))
    if not groups and not drop:
        return []
    gone = set(drop)
    mentions = [
        m
        for m in read_mentions(store.ox, _subjects(groups))
        if m.article not in gone and group_key(m.predicate, m.subject, m.object) in groups
    ]
    facts = reconcile(mentions)
    text = _update_text(groups, facts, drop)
    if text:
        store.ox.update(text)
    return facts


#: The read-only copies a worker process has opened (:func:`derive_owned`): one at a time.
_COPIES: dict[str, ox.Store] = {}
#: Tasks of a parallel derivation: smaller batches than one process reads, for balance.
PARALLEL_BATCH = BATCH // 4


def _edges(facts: list[Fact]) -> list:
    from graph.analytics.project import fact_edge

    return [e for e in map(fact_edge, facts) if e is not None]


def derive_owned(copy: str, owners: list[str]) -> tuple[int, bytes, list]:
    """Worker task: the facts of the groups ``owners`` own (:func:`owner_batches`), derived
    from the read-only store copy at ``copy``; their number, their N-Quads and their
    projection edges (:func:`graph.analytics.project.fact_edge`)."""
    store = _COPIES.get(copy)
    if store is None:
        _COPIES.clear()
        store = _COPIES[copy] = ox.Store.read_only(copy)
    facts = reconcile(owned_mentions(store, owners))
    return len(facts), ox.serialize(fact_quads(facts), format=ox.RdfFormat.N_QUADS), _edges(facts)


def _derive_here(store: Store, owners: list[str], edges: list | None) -> int:
    facts = reconcile(owned_mentions(store.ox, owners))
    store.bulk_load(fact_quads(facts))
    if edges is not None:
        edges += _edges(facts)
    return len(facts)


def rebuild_facts(
    store: Store, ordered: Ordered | None = None, edges: list | None = None, groups: Mapping[str, int] | None = None
) -> int:
    """Every fact of the store derived again; the number of facts. No more than a batch of
    mentions is held at once: the facts are derived and written a batch of whole groups at a
    time (:func:`graph.facts.rdf.owner_batches`), each by Oxigraph's bulk loader (new table
    files, no write buffers; 3× faster than a transaction). The old facts graph is dropped
    and marked :data:`PENDING` in one update, and the mark is removed after the last batch:
    a derivation that stops midway leaves a graph that :func:`facts_missing` reports, and
    the next build derives it again.

    With ``ordered`` (``ordered(fn, tasks)`` yields ``fn(*task)`` for each task, in order:
    ``graph.ingest.workers.Workers.ordered``), the batches are derived by
    :func:`derive_owned` from a checkpoint of the store (:meth:`Store.checkpoint`), in
    other processes, while this one writes the facts they return; when a task fails
    there, this process derives the batches not yet written. With ``edges`` (a list), the
    facts' projection edges are added to it (:func:`graph.analytics.project.project_edges`
    makes the projection of them without reading the facts back). ``groups`` (group key ->
    mentions) is every group of the store when the caller wrote them all (:func:`owner_batches`)."""
    mark = f"{PENDING.subject} {PENDING.predicate} {PENDING.object}"
    store.ox.update(f"DROP SILENT GRAPH <{FACTS_GRAPH}> ; INSERT DATA {{ GRAPH <{FACTS_GRAPH}> {{ {mark} }} }}")
    written = 0
    with contextlib.ExitStack() as stack:
        copy = stack.enter_context(store.checkpoint()) if ordered is not None else None
        if copy is None:
            for owners in owner_batches(store.ox, None, groups):
                written += _derive_here(store, owners, edges)
        else:
            tasks = [(str(copy), owners) for owners in owner_batches(store.ox, PARALLEL_BATCH, groups)]
            done = 0
            try:
                for count, nquads, made in ordered(derive_owned, tasks):
                    store.bulk_load(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))
                    written += count
                    done += 1
                    if edges is not None:
                        edges += made
            except Exception:  # a task failed over there (the copy unreadable, ...): the rest here, from the store
                for _, owners in tasks[done:]:
                    written += _derive_here(store, owners, edges)
    store.ox.remove(PENDING)
    return written


@dataclass(frozen=True)
class Forgotten:
    """What ``forget`` did: articles removed; facts gone (only they supported them),
    facts that lost evidence but stay, and facts of the same groups left as they were."""

    articles: list[str]
    removed: list[str]
    weakened: list[str]
    unchanged: int


_ARTICLES = """PREFIX lg: <https://w3id.org/labelgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?a ?source ?name WHERE { GRAPH ?a { ?a a lg:Article ; dcterms:source ?source ; lg:fileName ?name } }"""
_FACT_COUNTS = f"""PREFIX lg: <{LG_NS}>
SELECT ?f ?k ?n WHERE {{ GRAPH <{FACTS_GRAPH}> {{ ?f a lg:Fact ; lg:factGroup ?k ; lg:mentionCount ?n }} }}"""


def find_articles(store: Store, path: Path) -> list[str]:
    """The article graphs read from ``path`` (a file: its articles, JSON Lines rows
    included; a folder: every article under it), matched by the stored source, else by
    file name when exactly one stored article has that name."""
    resolved = str(path.resolve())
    rows = [(r["a"].value, r["source"].value, r["name"].value) for r in store.ox.query(_ARTICLES)]
    found = [a for a, source, _ in rows if source in (resolved, str(path)) or source.startswith(resolved + "/")]
    if not found:
        named = [a for a, _, name in rows if name == path.name]
        found = named if len(named) == 1 else []
    return sorted(set(found))


def _counts(store: Store, groups: set[str]) -> dict[str, int]:
    return {r["f"].value: int(r["n"].value) for r in store.ox.query(_FACT_COUNTS) if r["k"].value in groups}


def forget_articles(store: Store, articles: Iterable[str]) -> Forgotten:
    """Remove article graphs and re-derive the facts they touched, in one atomic update:
    a fact only they supported disappears, one that loses some evidence stays."""
    articles = sorted(set(articles))
    groups: set[str] = set()
    for article in articles:
        groups |= article_groups(store, article)
    before = _counts(store, groups)
    after = {f.iri: len(f.mentions) for f in update_facts(store, groups, drop=articles)}
    removed = sorted(f for f in before if f not in after)
    weakened = sorted(f for f, n in before.items() if f in after and after[f] < n)
    return Forgotten(articles, removed, weakened, len(after) - len(weakened))
