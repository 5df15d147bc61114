"""Relation records to RDF: events, direct edges, typed qualifiers, safe IRIs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import make_article, make_relation
from rdflib import Literal
from rdflib.namespace import PROV, XSD

from graph.rdf.mapping import article_graph
from graph.rdf.vocabulary import article_iri, entity_iri, relation_table
from ontology.namespace import LG


def test_rdf_event_has_decimal_amount_and_direct_edge():
    g = article_graph(make_article(), [make_relation()])
    (event,) = g.subjects(LG.hasSubject, entity_iri("acme-labs"))
    assert g.value(event, LG.amountUSD) == Literal(Decimal("5000000.0"), datatype=XSD.decimal)
    assert (entity_iri("acme-labs"), LG.investedIn, entity_iri("beta-data")) in g
    assert g.value(event, PROV.wasDerivedFrom) == article_iri("acme.txt")
    assert g.identifier == article_iri("acme.txt")


def test_rdf_valuation_has_no_object_but_a_value():
    rel = make_relation("valued_at", object="", object_label="$2B", object_type="Amount",
                        qualifiers={"amount": 2e9, "currency": "USD", "amount_usd": 2e9})  # fmt: skip
    g = article_graph(make_article(), [rel])
    assert g.value(entity_iri("acme-labs"), LG.valuedAt) == Literal(Decimal("2000000000.0"), datatype=XSD.decimal)
    assert not list(g.objects(None, LG.hasObject))


def test_rdf_relation_table_covers_the_vocabulary():
    from extractors.records import PREDICATES

    assert set(relation_table()) == set(PREDICATES)


@pytest.mark.parametrize("slug", ["Scale AI", "a>b", "x y", "", "<script>"])
def test_rdf_entity_iri_rejects_text(slug):
    with pytest.raises(ValueError):
        entity_iri(slug)
