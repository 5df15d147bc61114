"""Mentions found without the catalogue: names re-typed by context, normalised and clustered.

Every name here is invented, so none of it is in ``entities.ttl``.
"""

from __future__ import annotations

import pytest

from extractors.clean import clean_text
from ontology.catalogue import NO_CATALOGUE_ENV, catalogue_enabled, market_entities

pytestmark = pytest.mark.slow


def _mentions(text: str) -> dict[str, tuple[str, str]]:
    """Surface text -> (entity label, entity type) for every mention of ``text``."""
    from extractors.entities import find_mentions
    from extractors.nlp import get_nlp

    doc = get_nlp()(text)
    return {doc[m.start : m.end].text: (m.entity.label, m.entity.type) for m in find_mentions(doc)}


def _triples(rels) -> set[tuple[str, str, str]]:
    return {(r.subject_label, r.predicate, r.object_label) for r in rels}


def test_switch_empties_the_catalogue_entities(monkeypatch):
    monkeypatch.delenv(NO_CATALOGUE_ENV, raising=False)
    assert catalogue_enabled() and market_entities()
    monkeypatch.setenv(NO_CATALOGUE_ENV, "1")
    assert not catalogue_enabled()
    assert market_entities() == []
    monkeypatch.setenv(NO_CATALOGUE_ENV, "0")
    assert catalogue_enabled()


@pytest.mark.parametrize(
    ("text", "surface", "label", "kind"),
    [
        (
            "Robotics startup Brindlewood hired forty engineers in Porto.",
            "Brindlewood",
            "Brindlewood",
            "Organization",
        ),
        (
            "Quillfeather, a data-labeling startup, opened an office in Leeds.",
            "Quillfeather",
            "Quillfeather",
            "DataVendor",
        ),
        ("Veldmark CEO Ines Carvalho spoke at the event.", "Veldmark", "Veldmark", "Organization"),
        ("Veldmark CEO Ines Carvalho spoke at the event.", "Ines Carvalho", "Ines Carvalho", "Person"),
        ("Lattice Harbor Inc. opened a second office.", "Lattice Harbor Inc.", "Lattice Harbor", "Organization"),
        ("Penrose Data raised $8 million from Halcyon Ventures.", "Halcyon Ventures", "Halcyon Ventures", "Investor"),
        ("Tamsin Orr launched her second startup, Tallyho, in 2023.", "Tallyho", "Tallyho", "Organization"),
        ("Engineers at Marlowe.ai label lidar scans.", "Marlowe.ai", "Marlowe.ai", "Organization"),
    ],
)
def test_names_typed_by_context(text, surface, label, kind):
    assert _mentions(text).get(surface) == (label, kind)


def test_a_list_with_companies_makes_companies():
    found = _mentions("Penrose Data raised $8 million from Halcyon Ventures, Dravik and Kestrel Capital.")
    assert found["Dravik"][1] == "Organization"
    assert found["Kestrel Capital"] == ("Kestrel Capital", "Investor")


def test_short_name_and_one_sense_per_article():
    text = "Corvid Labs hired Aino Virta in May. Later, Corvid opened a lab in Oslo. Virta leads it."
    found = _mentions(text)
    assert found["Corvid"] == ("Corvid Labs", "Organization")
    assert found["Virta"] == ("Aino Virta", "Person")
    assert found["Oslo"][1] == "Place"


@pytest.mark.parametrize(
    "text",
    [
        "The team trained the assistant with ChatGPT and Gemini in March.",
        "Reuters and Bloomberg reported the news on Monday.",
    ],
)
def test_products_outlets_and_months_are_no_organisations(text):
    assert not any(kind == "Organization" for _, kind in _mentions(text).values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Veldmark CEO Ines Carvalho spoke at the event.", ("Ines Carvalho", "leads", "Veldmark")),
        (
            "Annotation startup Brindlewood raised $12 million from Harrow Ventures.",
            ("Harrow Ventures", "invested_in", "Brindlewood"),
        ),
    ],
)
def test_relations_between_uncatalogued_names(extract, text, expected):
    assert expected in _triples(extract(text))


@pytest.mark.parametrize(
    "text",
    [
        "Annotation startup Brindlewood could raise $12 million from Harrow Ventures.",
        "Annotation startup Brindlewood did not raise money from Harrow Ventures.",
    ],
)
def test_hypothetical_or_negated_yields_nothing(extract, text):
    assert not any(r.predicate == "invested_in" for r in extract(text))


@pytest.mark.parametrize(
    ("raw", "start"),
    [
        ("SYDNEY, May 4 (Reuters) - Orbit Labs said it hired staff.", "Orbit Labs said"),
        ("NEW DELHI– Orbit Labs said it hired staff.", "Orbit Labs said"),
        ("MADRID/BARCELONA :Orbit Labs said it hired staff.", "Orbit Labs said"),
        ("June 12 (Reuters) - Orbit Labs (NYSE: ORBL) said it hired staff.", "Orbit Labs said"),
        ("Orbit Labs Ltd (ASX:ORB) said it hired staff.", "Orbit Labs Ltd said"),
        ("The U.S. — a large market — grew.", "The U.S. — a large market"),
    ],
)
def test_datelines_and_tickers_are_removed(raw, start):
    assert clean_text(raw + "\n\nA second paragraph follows here.").text.startswith(start)


@pytest.mark.parametrize(
    ("text", "surface", "label"),
    [
        # the subject of the sentence before beats a later object
        (
            "Brindlewood signed a deal with Harrow Group last year. The startup now has 90 staff.",
            "The startup",
            "Brindlewood",
        ),
        # a description followed by its name in apposition binds to that name
        ("Harrow Group sold a unit to the startup, Quillfeather, in May.", "the startup", "Quillfeather"),
        # a parent qualifying another name is not what "the company" means
        ("Orvane's Tessaly trained its model with Marrick Labs, and the company grew.", "the company", "Marrick Labs"),
    ],
)
def test_descriptions_resolved_by_salience(text, surface, label):
    assert _mentions(text).get(surface, ("", ""))[0] == label


def test_a_description_the_investor_cannot_fill():
    text = "Halcyon Ventures led the round. The company said it would hire."
    assert "The company" not in _mentions(text)


@pytest.mark.parametrize(
    ("text", "surface", "kind"),
    [
        ("Quillfeather, a data-labeling startup, opened an office in Leeds.", "Quillfeather", "DataVendor"),
        ("Annotation provider Brindlewood hired forty engineers.", "Brindlewood", "DataVendor"),
        ("The tech giant Harrowgate signed a deal.", "Harrowgate", "BigTech"),
        ("Brindlewood, a robotics startup, hired forty engineers.", "Brindlewood", "Organization"),
    ],
)
def test_class_from_the_description(text, surface, kind):
    assert _mentions(text)[surface][1] == kind


def test_a_place_listed_only_with_companies_is_a_company():
    found = _mentions("Penrose Data works with companies like Harrowgate Labs, Veltria Systems, and Ostrava.")
    assert found["Ostrava"][1] == "Organization"


def test_a_funding_round_is_no_company():
    found = _mentions("Penrose Data closed its Series C in May. The firm plans to hire.")
    assert "Series C" not in found
    assert found.get("The firm", ("", ""))[0] == "Penrose Data"


def test_a_based_description_must_not_contradict_a_stated_base():
    text = "Lisbon-based Quillfeather hired engineers. The Toronto-based startup opened an office."
    assert "The Toronto-based startup" not in _mentions(text)
    text = "Lisbon-based Quillfeather hired engineers. The Lisbon-based startup opened an office."
    assert _mentions(text)["The Lisbon-based startup"][0] == "Quillfeather"


@pytest.mark.parametrize(
    ("text", "surface", "label", "kind"),
    [
        ("“We label faster,” the statement said.\n\n— Priya Nair Orbit AI's CEO", "Priya Nair", "Priya Nair", "Person"),
        (
            "“We label faster,” the statement said.\n\n— Priya Nair Orbit AI's CEO",
            "Orbit AI",
            "Orbit AI",
            "Organization",
        ),
        ("Her stake in her second startup, Tallyho, is worth $5 million.", "Tallyho", "Tallyho", "Organization"),
        ("Tessaly acquired data labeling startup Quorra.ai last year.", "Quorra.ai", "Quorra.ai", "DataVendor"),
    ],
)
def test_attribution_lines_and_names_cued_by_apposition(text, surface, label, kind):
    assert _mentions(text).get(surface) == (label, kind)


def test_a_place_compounded_onto_a_body_is_part_of_its_name():
    found = _mentions("The Danish Data Standards Institute chose Quorra.ai as its evaluator.")
    assert any(label.endswith("Data Standards Institute") for label, _ in found.values())
    assert _mentions("The U.S. Data Standards Institute chose Quorra.ai as its evaluator.")[
        "U.S. Data Standards Institute"
    ] == (
        "U.S. Data Standards Institute",
        "Organization",
    )


@pytest.mark.parametrize(
    "text",
    [
        "Firms like Quorra, Tessaly, Brindle, and Marrick report rising orders.",
        "Penrose Data counts clients including Quorra, Tessaly and Marrick.",
    ],
)
def test_a_list_a_company_noun_introduces_holds_companies(text):
    found = _mentions(text)
    assert all(found[name][1] == "Organization" for name in ("Quorra", "Tessaly", "Marrick"))


def test_people_listed_as_investors_stay_people():
    found = _mentions("Angel investors like Jo Park and Ann Lee joined the round.")
    assert found["Jo Park"][1] == "Person" and found["Ann Lee"][1] == "Person"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Vantor Group's investment in Quorra Labs values the startup at $2 billion.", "Quorra Labs"),
        ("Quorra hired staff. Quorra's CEO said the startup would grow.", "Quorra"),
    ],
)
def test_the_owner_of_the_subject_is_not_the_object(text, label):
    assert next(v for k, v in _mentions(text).items() if k.endswith("startup"))[0] == label


def test_the_unit_is_the_named_subsidiary():
    text = "Harrowgate Group offered to buy the rest of Quorra Labs, valuing the unit at $2 billion."
    assert _mentions(text)["the unit"][0] == "Quorra Labs"


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("Priya Nair spent six years at Quorra Labs. The executive left in May.", "Priya Nair"),
        ("Priya Nair met Tomas Brandt at Quorra Labs. The executive left in May.", None),
    ],
)
def test_person_descriptions(text, resolved):
    assert _mentions(text).get("The executive", (None, None))[0] == resolved


def test_person_description_in_a_relation_and_its_negation(extract):
    left = ("Priya Nair", "left", "Quorra Labs")
    assert left in _triples(extract("Priya Nair joined Quorra Labs in 2021. The executive left Quorra Labs in May."))
    text = "Priya Nair joined Quorra Labs in 2021. The executive did not leave Quorra Labs in May."
    assert left not in _triples(extract(text))


def test_a_title_case_heading_line_is_its_own_paragraph():
    raw = (
        "Orbit Labs raised $5 million from Harrow Ventures on Monday, a filing showed.\n"
        "Orbit Labs Expands Into Europe With Its Largest New Office In Lisbon So Far\n"
        "The company said it would hire forty engineers in the city by the end of the year.\n"
    )
    assert "\n\nOrbit Labs Expands Into Europe With Its Largest New Office In Lisbon So Far\n\n" in clean_text(raw).text


def test_a_leading_imperative_is_not_part_of_a_name():
    found = _mentions("Meet Priya Nair, the founder and CEO of Quorra Labs, which sells labeled images.")
    assert found.get("Priya Nair") == ("Priya Nair", "Person")


def test_an_investor_in_apposition_is_not_made_a_person():
    found = _mentions("Quorra Labs raised $4 million. Pellworth Vantor, an investor in the round, declined to comment.")
    assert found.get("Pellworth Vantor", ("", ""))[1] != "Person"


def test_the_name_of_a_body_runs_over_its_coordinated_words():
    found = _mentions("Quorra Labs signed a deal with the Chief Data and Analytics Office in March.")
    assert any(label == "Chief Data and Analytics Office" for label, _ in found.values())


def test_a_body_name_does_not_swallow_a_listed_company():
    text = "Quorra Labs works with Harrowgate. Quorra Labs also works with Harrowgate and the Data Standards Office."
    found = _mentions(text)
    assert found["Harrowgate"][0] == "Harrowgate"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('Analysts said the "ChatGPT maker" hired Appen last year.', True),  # a quote between its words
        ("The maker of ChatGPT hired Appen.", False),  # its words, not the descriptor
        ("Appen hired more reviewers.", False),  # none of its words: the matcher is not run
    ],
)
def test_catalogue_descriptors_are_matched_where_their_words_are(text, found):
    from extractors.entities import find_mentions
    from extractors.nlp import get_nlp

    mentions = find_mentions(get_nlp()(text)).items
    assert any(m.via == "descriptor" and m.entity.label == "OpenAI" for m in mentions) is found
    assert any(m.entity.label == "Appen" for m in mentions)
