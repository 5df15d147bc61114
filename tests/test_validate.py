"""SHACL validation of stored events."""

from __future__ import annotations

from conftest import make_article, make_relation
from rdflib import Literal

from graph.rdf.mapping import article_graph
from graph.rdf.validate import validate, validate_graph
from ontology.namespace import LG


def test_validate_accepts_mapped_relations(store):
    rels = [make_relation(), make_relation("leads", subject="jane-doe", subject_label="Jane Doe", subject_type="Person",
                                           qualifiers={"role": "CEO"})]  # fmt: skip
    store.put_article(article_graph(make_article(), rels), "h")
    report = validate(store)
    assert report.conforms, report.text


def test_validate_reports_a_broken_event_readably():
    g = article_graph(make_article(), [make_relation()])
    (event,) = g.subjects(LG.hasSubject, None)
    g.remove((event, LG.hasSubject, None))
    g.set((event, LG.status, Literal("rumoured")))
    report = validate_graph(g)
    assert not report.conforms
    assert report.results >= 2
    assert "lg:status" in report.text and "hasSubject" in report.text
