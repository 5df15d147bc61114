"""Document-level inference, valuations kept apart by amount, and the confidence model,
on sentences written for these tests."""

from __future__ import annotations

import json

import pytest

from extractors.confidence import calibrated, vectorize
from extractors.evaluation import label_predictions
from extractors.pipeline import merge_duplicates
from tests.conftest import make_article, make_relation


def _triples(relations):
    return {(r.subject_label, r.predicate, r.object_label) for r in relations}


@pytest.mark.parametrize(
    "text",
    [
        "Amazon cut ties with Appen, its data-labeling vendor, in March.",
        "Apple is winding down its contract with Sama.",
        "Apple stopped working with Sama last year.",
    ],
)
def test_document_ending_implies_customer(extract, text):
    relations = extract(text, published="2024-06-01")
    ended = [r for r in relations if r.predicate == "ended_relationship_with"]
    assert ended
    customers = {(r.subject, r.object) for r in relations if r.predicate == "customer_of"}
    assert {(r.subject, r.object) for r in ended} <= customers
    inferred = [r for r in relations if r.qualifiers.get("inferred") == "ending-implies-customer"]
    assert all(r.predicate == "customer_of" and r.confidence < 1.0 for r in inferred)


@pytest.mark.parametrize(
    "text",
    [
        "Amazon did not cut ties with Appen.",
        "Apple could end its contract with Sama if costs rise.",
    ],
)
def test_document_no_ending_no_inferred_customer(extract, text):
    relations = extract(text)
    assert not [r for r in relations if r.qualifiers.get("inferred")]


def test_document_stated_customer_is_not_inferred_again(extract):
    text = "Amazon has used Appen since 2019. Amazon cut ties with Appen last month."
    relations = extract(text, published="2024-06-01")
    customers = [r for r in relations if r.predicate == "customer_of" and r.object_label == "Appen"]
    assert customers and not [r for r in customers if r.qualifiers.get("inferred")]


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("Founded in 2019, Labelbox sells annotation software. Its founder Manu Sharma spoke on Monday.", "2019"),
        ("Labelbox was founded in 2018. The company's co-founder Manu Sharma said demand is rising.", "2018"),
    ],
)
def test_document_founding_year_dates_founders(extract, text, year):
    founded = [r for r in extract(text, published="2025-03-03") if r.predicate == "founded"]
    assert founded and all(r.qualifiers.get("date") == year for r in founded)


def test_document_two_founding_years_date_nobody(extract):
    text = "Labelbox was founded in 2018. Labelbox was founded in 2017, a rival said. Founder Manu Sharma of Labelbox spoke."
    founded = [r for r in extract(text) if r.predicate == "founded"]
    assert all("date" not in r.qualifiers for r in founded)


def _valuation(amount, **kw):
    return make_relation(
        "valued_at",
        object="",
        object_label=f"${amount / 1e9:g}B",
        qualifiers={"amount": amount, "amount_usd": amount},
        **kw,
    )


def test_merge_keeps_valuations_apart_by_amount():
    merged = merge_duplicates([_valuation(2e9), _valuation(8e8, start=50), _valuation(2.01e9, start=90)])
    assert sorted(r.qualifiers["amount"] for r in merged) == [8e8, 2e9]


def test_rdf_two_valuations_in_one_sentence_are_two_events():
    from graph.rdf.mapping import article_graph
    from ontology.namespace import LG

    g = article_graph(make_article(), [_valuation(2e9), _valuation(8e8)])
    assert len(set(g.subjects(LG.amountUSD, None))) == 2


def test_confidence_vectorize_one_hot_and_numbers():
    v = vectorize({"predicate": "leads", "rule": "title", "prior": 0.8})
    assert v == {"predicate=leads": 1.0, "rule=title": 1.0, "prior": 0.8, "predicate*rule=leads*title": 1.0}


def test_confidence_is_a_probability_and_follows_the_prior_without_features():
    assert calibrated({}, 0.42) == 0.42
    p = calibrated({"predicate": "leads", "rule": "title", "prior": 0.85, "subject_via": "name"}, 0.85)
    assert 0.0 < p < 1.0


def test_confidence_model_is_shipped_and_was_measured_on_held_out_articles():
    from extractors.confidence import MODEL

    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert isinstance(data["intercept"], float) and data["weights"]
    report = data["report"]
    assert report["folds"] >= 2 and report["articles"] >= report["folds"]
    # the learned confidences, scored only on articles their model never saw, are closer to
    # how often relations are right than the rules' own priors
    assert report["learned_cross_validated"]["ece"] < report["rule_priors"]["ece"]
    assert report["learned_cross_validated"]["brier"] <= report["rule_priors"]["brier"]


def test_evaluation_labels_each_prediction():
    gold = [
        {
            "file": "a.txt",
            "entities": [{"name": "Scale AI", "aliases": ["Scale"]}],
            "relations": [{"subject": "Meta", "predicate": "invested_in", "object": "Scale AI"}],
        }
    ]
    preds = [
        {"article": "a.txt", "subject": "Meta", "predicate": "invested_in", "object": "Scale"},
        {"article": "a.txt", "subject": "Meta", "predicate": "acquired", "object": "Scale"},
        {"article": "b.txt", "subject": "Meta", "predicate": "invested_in", "object": "Scale"},
    ]
    assert label_predictions(gold, preds) == [True, False, False]


def test_document_inferred_customer_is_marked(extract):
    relations = extract("Amazon cut ties with Appen last month.", published="2024-06-01")
    inferred = [r for r in relations if r.predicate == "customer_of"]
    assert [r.qualifiers.get("inferred") for r in inferred] == ["ending-implies-customer"]
    assert inferred[0].status == "ended"


@pytest.mark.parametrize(
    "text",
    [
        "Manu Sharma founded Labelbox in 2018. Anthropic hired the team behind Labelbox last month.",
        "Manu Sharma founded Labelbox. The Labelbox team is joining Anthropic.",
        "Manu Sharma founded Labelbox. Anthropic hired Labelbox's founders and engineers.",
    ],
)
def test_document_acquihire_brings_staff_in(extract, text):
    joined = [r for r in extract(text, published="2025-08-01") if r.predicate == "joined"]
    assert [(r.subject_label, r.object_label, r.qualifiers.get("inferred")) for r in joined] == [
        ("Manu Sharma", "Anthropic", "acquihire-staff")
    ]
    assert "Anthropic" in joined[0].evidence


@pytest.mark.parametrize(
    "text",
    [
        "Manu Sharma founded Labelbox. Anthropic did not hire the team behind Labelbox.",
        "Manu Sharma founded Labelbox. Anthropic could hire the team behind Labelbox.",
        "Manu Sharma founded Labelbox. Anthropic hired a recruiter from Google.",
    ],
)
def test_document_no_team_hire_no_joined(extract, text):
    assert not [r for r in extract(text) if r.predicate == "joined"]


def test_calibration_report_measures_brier_and_bins():
    from extractors.calibrate import calibration_report

    report = calibration_report([0.9, 0.9, 0.1, 0.1], [True, True, False, True])
    assert report["brier"] == pytest.approx((0.01 + 0.01 + 0.01 + 0.81) / 4, abs=1e-4)
    assert [b[-1] for b in report["bins"]] == [2, 2]
