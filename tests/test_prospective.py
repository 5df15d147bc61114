"""Contracts and roles that are only possible, sought or proposed, on sentences written for
these tests: a contract that could be signed or is being considered is no custom; a nomination
is a planned role, not a role held."""

from __future__ import annotations

import pytest

from extractors.pipeline import extract_article
from extractors.records import Article

pytestmark = pytest.mark.slow


def _relations(text: str) -> list:
    return extract_article(Article(key="t", name="t", source="t", text=text, published="2025-06-18"))


@pytest.mark.parametrize(
    "text",
    [
        "Helix Capital could sign a contract with Quillmark Labs next year.",
        "Helix Capital may sign a contract with Quillmark Labs, a labeling vendor.",
        "Helix Capital is considering a contract with Quillmark Labs, a labeling vendor.",
        "Helix Capital is in talks over a contract with Quillmark Labs, a labeling vendor.",
    ],
)
def test_a_possible_contract_is_no_custom(text: str) -> None:
    assert not [r for r in _relations(text) if r.predicate == "customer_of"]


@pytest.mark.parametrize(
    "text",
    [
        "Helix Capital signed a contract with Quillmark Labs, a data-labeling startup.",
        "Helix Capital has a contract with Quillmark Labs, a labeling vendor.",
    ],
)
def test_a_contract_made_is_custom(text: str) -> None:
    assert [(r.subject_label, r.object_label) for r in _relations(text) if r.predicate == "customer_of"] == [
        ("Helix Capital", "Quillmark Labs")
    ]


def test_a_nomination_is_a_planned_role() -> None:
    (role,) = [r for r in _relations("Priya Nair was nominated to serve as a director of Quillmark Labs.")]
    assert (role.predicate, role.status) == ("works_for", "planned")
    (held,) = [r for r in _relations("Priya Nair was appointed to serve as a director of Quillmark Labs.")]
    assert held.status == "reported"


@pytest.mark.parametrize(
    "text",
    [
        "Helix Capital denied that it had hired Quillmark Labs to label images.",
        "Helix Capital dismissed reports that it had hired Quillmark Labs, a labeling startup.",
        "Is Helix Capital a client of Quillmark Labs?\n",
    ],
)
def test_a_denied_or_asked_custom_gives_nothing(text: str) -> None:
    assert not [r for r in _relations(text) if r.predicate == "customer_of"]


def test_a_confirmed_report_still_states_the_custom() -> None:
    text = "Helix Capital confirmed reports that it had hired Quillmark Labs, a labeling startup."
    assert [r.predicate for r in _relations(text)] == ["customer_of"]


@pytest.mark.parametrize(
    "text",
    [
        "Neither OpenAI nor Anthropic is a Quillmark Labs customer, the company said.",
        "No frontier lab uses Quillmark Labs.",
        "Either OpenAI or Anthropic uses Quillmark Labs.",
        "OpenAI or Anthropic will buy Quillmark Labs.",
    ],
)
def test_a_denied_or_alternative_subject_states_nothing(text: str) -> None:
    assert _relations(text) == []


def test_a_valuation_sought_in_talks_is_no_valuation() -> None:
    assert (
        _relations("Annotera Labs is reportedly in early talks to raise a further round at a $1 billion valuation.")
        == []
    )
    (value,) = _relations("Annotera Labs raised money at a $1 billion valuation.")
    assert value.predicate == "valued_at"


def test_a_fronted_founding_participle_does_not_date_the_custom() -> None:
    text = "Founded in 2020 by Jonas Weber, Annotera Labs labels speech data for AI labs, including Mistral AI."
    customs = [r for r in _relations(text) if r.predicate == "customer_of"]
    assert customs and all("date" not in r.qualifiers for r in customs)
