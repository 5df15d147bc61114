"""The vocabulary, SHACL shapes and entity catalogue in ``ontology/``."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, SKOS

from extractors.records import PREDICATES, SYMMETRIC
from ontology import ARTICLE_NS, CATALOGUE, ENTITY_NS, EVENT_NS, LG_NS, ONTOLOGY, SHAPES
from ontology.catalogue import load_catalogue, slugify
from ontology.namespace import LG

#: Local names of the subclasses of lg:Organization.
ORGANIZATION_TYPES = {
    "AILab",
    "BigTech",
    "DataVendor",
    "Investor",
    "GovernmentAgency",
    "OrganizationalUnit",
    "Enterprise",
}

#: Preferred labels the evaluation matches on, with the class each must have.
REQUIRED_LABELS = {
    "Meta": "BigTech",
    "Scale AI": "DataVendor",
    "Google": "BigTech",
    "Microsoft": "BigTech",
    "OpenAI": "AILab",
    "xAI": "AILab",
    "Appen": "DataVendor",
    "Sama": "DataVendor",
    "Surge AI": "DataVendor",
    "Mercor": "DataVendor",
    "Labelbox": "DataVendor",
    "Turing": "DataVendor",
    "Handshake": "DataVendor",
    "Midjourney": "AILab",
    "General Motors": "Enterprise",
    "U.S. Department of Defense": "GovernmentAgency",
    "Meta Superintelligence Labs": "OrganizationalUnit",
    "San Francisco": "Place",
    "Alexandr Wang": "Person",
    "Mark Zuckerberg": "Person",
    "Alphabet": "BigTech",
}


def _parse(resource) -> Graph:
    return Graph().parse(data=resource.read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return _parse(ONTOLOGY)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return _parse(SHAPES)


def _namespace_terms() -> set[str]:
    return {name for name in LG.__annotations__ if not name.startswith("_")}


def _event(overrides: dict | None = None) -> Graph:
    """A one-event graph: Meta invested in Scale AI, with any property replaced or removed (None)."""
    event = URIRef(EVENT_NS + "0123456789abcdef")
    values = {
        RDF.type: LG.Investment,
        LG.hasSubject: URIRef(ENTITY_NS + "meta"),
        LG.hasObject: URIRef(ENTITY_NS + "scale-ai"),
        LG.amount: Literal(Decimal("14300000000")),
        LG.currency: Literal("USD"),
        LG.amountUSD: Literal(Decimal("14300000000")),
        LG.stakePercent: Literal(Decimal("49")),
        LG.date: Literal("2025-06"),
        LG.status: Literal("reported"),
        LG.confidence: Literal(Decimal("0.9")),
        LG.evidence: Literal("Scale AI sold 49% of itself to Meta for $14.3 billion."),
        LG.evidenceStart: Literal(120),
        LG.evidenceEnd: Literal(177),
        PROV.wasDerivedFrom: URIRef(ARTICLE_NS + "fedcba9876543210"),
    }
    values.update(overrides or {})
    graph = Graph()
    for predicate, value in values.items():
        if value is not None:
            graph.add((event, predicate, value))
    return graph


@pytest.mark.parametrize("resource", [ONTOLOGY, SHAPES, CATALOGUE], ids=["ontology", "shapes", "catalogue"])
def test_ontology_turtle_files_parse(resource):
    assert len(_parse(resource)) > 0


def test_ontology_has_ontology_header(ontology):
    assert (URIRef(LG_NS.rstrip("#")), RDF.type, OWL.Ontology) in ontology


def test_ontology_namespace_terms_are_defined_with_label_and_comment(ontology):
    for name in sorted(_namespace_terms()):
        term = LG[name]
        assert (term, RDF.type, None) in ontology, f"lg:{name} is not defined in labelgraph.ttl"
        assert ontology.value(term, RDFS.label) is not None, f"lg:{name} has no rdfs:label"
        assert ontology.value(term, RDFS.comment) is not None, f"lg:{name} has no rdfs:comment"


def test_ontology_defined_terms_are_in_namespace(ontology):
    defined = {
        str(subject)[len(LG_NS) :]
        for subject in ontology.subjects(RDF.type, None)
        if isinstance(subject, URIRef) and str(subject).startswith(LG_NS)
    }
    used = {
        str(term)[len(LG_NS) :]
        for triple in ontology
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(LG_NS)
    }
    assert defined == _namespace_terms()
    assert used <= _namespace_terms()


def test_ontology_relation_names_map_to_event_classes_and_direct_properties(ontology):
    names = [str(name) for name in ontology.objects(None, LG.relationName)]
    assert sorted(names) == sorted(PREDICATES)
    for name in PREDICATES:
        (event_class,) = ontology.subjects(LG.relationName, Literal(name))
        assert (event_class, RDFS.subClassOf, LG.RelationEvent) in ontology
        prop = ontology.value(event_class, LG.directProperty)
        assert prop is not None, f"{name} has no lg:directProperty"
        expected = OWL.DatatypeProperty if name == "valued_at" else OWL.ObjectProperty
        assert (prop, RDF.type, expected) in ontology
        assert ontology.value(prop, RDFS.domain) is not None
        assert ontology.value(prop, RDFS.range) is not None


def test_ontology_symmetric_relations_match_records(ontology):
    symmetric = {
        str(ontology.value(event_class, LG.relationName))
        for event_class in ontology.subjects(LG.symmetric, Literal(True))
    }
    assert symmetric == set(SYMMETRIC)
    for name in SYMMETRIC:
        event_class = ontology.value(predicate=LG.relationName, object=Literal(name))
        prop = ontology.value(event_class, LG.directProperty)
        assert (prop, RDF.type, OWL.SymmetricProperty) in ontology


def test_ontology_shapes_target_every_event_class(ontology, shapes):
    event_classes = set(ontology.subjects(RDFS.subClassOf, LG.RelationEvent))
    targeted = set(shapes.objects(None, SH.targetClass))
    assert event_classes <= targeted
    assert LG.Article in targeted


def test_ontology_shapes_accept_a_conforming_event(shapes):
    conforms, _, text = validate(_event(), shacl_graph=shapes)
    assert conforms, text


def test_ontology_shapes_report_a_broken_event(shapes):
    conforms, _, text = validate(_event({LG.hasSubject: None, LG.status: Literal("rumoured")}), shacl_graph=shapes)
    assert not conforms
    assert "An investment needs exactly one investor (lg:hasSubject)" in text
    assert "lg:status" in text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({LG.confidence: Literal(Decimal("1.5"))}, "lg:confidence"),
        ({LG.date: Literal("June 2025")}, "lg:date"),
        ({LG.currency: Literal("usd")}, "lg:currency"),
        ({LG.stakePercent: Literal(Decimal("149"))}, "lg:stakePercent"),
        ({LG.evidence: Literal("")}, "lg:evidence"),
        ({PROV.wasDerivedFrom: None}, "prov:wasDerivedFrom"),
        ({RDF.type: LG.Valuation}, "A valuation has no object"),
    ],
)
def test_ontology_shapes_reject_bad_qualifiers(shapes, overrides, message):
    conforms, _, text = validate(_event(overrides), shacl_graph=shapes)
    assert not conforms
    assert message in text


def test_ontology_shapes_accept_a_valuation_without_object(shapes):
    graph = _event({RDF.type: LG.Valuation, LG.hasObject: None, LG.stakePercent: None})
    conforms, _, text = validate(graph, shacl_graph=shapes)
    assert conforms, text


def test_ontology_catalogue_size():
    entities = load_catalogue()
    organizations = [entity for entity in entities if entity.type in ORGANIZATION_TYPES]
    people = [entity for entity in entities if entity.type == "Person"]
    places = [entity for entity in entities if entity.type == "Place"]
    assert len(organizations) >= 60
    assert len(people) >= 15
    assert places


def test_ontology_catalogue_types_are_entity_classes(ontology):
    allowed = ORGANIZATION_TYPES | {"Person", "Place"}
    for entity in load_catalogue():
        assert entity.type in allowed, entity
    for name in ORGANIZATION_TYPES - {"Organization"}:
        assert (LG[name], RDFS.subClassOf, LG.Organization) in ontology


def test_ontology_catalogue_ids_are_slugs():
    for entity in load_catalogue():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entity.id), entity.id


def test_ontology_catalogue_names_are_unique():
    owner: dict[str, str] = {}
    for entity in load_catalogue():
        names = {entity.label, *entity.aliases, *entity.short_names, *entity.descriptors}
        for name in {name.casefold() for name in names}:
            assert name not in owner, f"{name!r} names both {owner[name]} and {entity.id}"
            owner[name] = entity.id


def test_ontology_catalogue_labels_are_plain_literals():
    graph = _parse(CATALOGUE)
    for predicate in (SKOS.prefLabel, SKOS.altLabel, LG.shortName, LG.descriptor):
        for value in graph.objects(None, predicate):
            assert isinstance(value, Literal) and value.language is None and value.datatype is None, value


@pytest.mark.parametrize(("label", "type_"), sorted(REQUIRED_LABELS.items()))
def test_ontology_catalogue_has_required_labels(label, type_):
    by_label = {entity.label: entity for entity in load_catalogue()}
    assert label in by_label
    assert by_label[label].type == type_


@pytest.mark.parametrize(
    ("label", "alias"),
    [
        ("Handshake", "Handshake AI"),
        ("General Motors", "GM"),
        ("U.S. Department of Defense", "the Pentagon"),
        ("U.S. Department of Defense", "DoD"),
        ("Meta Superintelligence Labs", "MSL"),
        ("Google", "Google LLC"),
        ("Meta", "Meta Platforms"),
    ],
)
def test_ontology_catalogue_has_aliases(label, alias):
    by_label = {entity.label: entity for entity in load_catalogue()}
    assert alias in by_label[label].aliases


@pytest.mark.parametrize(
    ("label", "short_name"),
    [("Scale AI", "Scale"), ("Surge AI", "Surge"), ("Invisible Technologies", "Invisible")],
)
def test_ontology_catalogue_short_names_are_not_aliases(label, short_name):
    entity = {entity.label: entity for entity in load_catalogue()}[label]
    assert short_name in entity.short_names
    assert short_name not in entity.aliases


def test_ontology_catalogue_is_sorted_and_cached():
    entities = load_catalogue()
    assert [entity.id for entity in entities] == sorted(entity.id for entity in entities)
    assert load_catalogue() is entities


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Scale AI", "scale-ai"),
        ("Défense  Ltd.", "defense-ltd"),
        ("", "entity"),
        ("U.S. Department of Defense", "u-s-department-of-defense"),
        ("--Meta--", "meta"),
        ("日本", "entity"),
    ],
)
def test_ontology_slugify(name, slug):
    assert slugify(name) == slug
