"""Who "the company", "MSL", "Wang" and "the social media giant" are."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def _triples(rels):
    return {(r.subject_label, r.predicate, r.object_label) for r in rels}


def test_coreference_catalogue_descriptor(extract):
    rels = extract("The social media giant began winding down its projects with Appen.")
    assert ("Meta", "ended_relationship_with", "Appen") in _triples(rels)


def test_coreference_generic_descriptor_to_the_fitting_company(extract):
    text = "Google announced the change on Monday. Meta bought a 20% stake in Mercor, and the startup is now hiring."
    rels = extract(text + " Accel said it had invested $10 million in the startup.")
    assert ("Meta", "invested_in", "Mercor") in _triples(rels)
    assert ("Accel", "invested_in", "Mercor") in _triples(rels)


def test_coreference_acronym_defined_in_the_article(extract):
    text = "Acme created the Frontier Data Group (FDG) in May. Jane Doe now leads FDG."
    triples = _triples(extract(text))
    assert ("Jane Doe", "leads", "Frontier Data Group") in triples


def test_coreference_short_name_after_full_name(extract):
    text = "Alexandr Wang left Scale AI in June. Wang joined Meta a week later."
    triples = _triples(extract(text))
    assert ("Alexandr Wang", "joined", "Meta") in triples
    assert ("Alexandr Wang", "left", "Scale AI") in triples


def test_coreference_short_company_name_needs_the_full_name_first(extract):
    assert not extract("Scale matters for Meta, and Meta relies on Scale.")  # "Scale" alone is a common word
    assert _triples(extract("Scale AI grew fast. Meta relies on Scale for data.")) == {
        ("Meta", "customer_of", "Scale AI")
    }


def test_coreference_pronoun_subject_follows_the_subject(extract):
    text = "Surge AI competes with Scale AI and Mercor, and it counts Anthropic among its customers."
    assert ("Anthropic", "customer_of", "Surge AI") in _triples(extract(text))
