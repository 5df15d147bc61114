"""Qualifiers (dates, amounts) on relations, from sentences written for these tests:
a qualifier the text states for the event is attached; one it does not state, or
states only in a negated or hypothetical form, is not."""

from __future__ import annotations

import pytest

from extractors.pipeline import extract_article
from extractors.records import Article

pytestmark = pytest.mark.slow


def _qualifiers(text: str, subject: str, predicate: str, obj: str) -> dict | None:
    article = Article(key="t", name="t", source="t", text=text, published="2025-06-18")
    for r in extract_article(article):
        if (r.subject_label, r.predicate, r.object_label) == (subject, predicate, obj):
            return r.qualifiers
    return None


# (text, (subject, predicate, object), qualifier, expected value)
STATED = [
    (
        "Priya Nair is serving as managing director of Datamark, a position she has held since 2021.",
        ("Priya Nair", "works_for", "Datamark"),
        "date",
        "2021",
    ),
    (
        "Priya Nair, chief executive of Datamark, a role she has held since March 2022, spoke on Monday.",
        ("Priya Nair", "leads", "Datamark"),
        "date",
        "2022-03",
    ),
    (
        "Datamark has a 20% stake in Orbit Labs after its $1.3 billion investment.",
        ("Datamark", "invested_in", "Orbit Labs"),
        "amount_usd",
        1.3e9,
    ),
    (
        "Datamark was recently valued at $5 billion after securing $300 million in April 2022.",
        ("Datamark", "valued_at", "$5B"),
        "date",
        "2022-04",
    ),
    (
        "Datamark was valued at $2 billion in 2024 after raising $100 million in 2023.",
        ("Datamark", "valued_at", "$2B"),
        "date",
        "2024",
    ),
    (
        "Amazon disclosed in June that it is ending all work with Sama.",
        ("Amazon", "ended_relationship_with", "Sama"),
        "date",
        "2025-06",
    ),
    (
        "Amazon's decision in March to end its contract with Sama hurt the company.",
        ("Amazon", "ended_relationship_with", "Sama"),
        "date",
        "2025-03",
    ),
    (
        "The layoffs come after Amazon's disclosure in June that it is ending all work with Sama.",
        ("Amazon", "ended_relationship_with", "Sama"),
        "date",
        "2025-06",
    ),
]

# (text, (subject, predicate, object), qualifier that must be absent)
NOT_STATED = [
    (
        "Priya Nair is managing director of Datamark, a position she might have held since 2021.",
        ("Priya Nair", "leads", "Datamark"),
        "date",
    ),
    (
        "Priya Nair is a former engineer at Datamark, a position she held since 2019.",
        ("Priya Nair", "works_for", "Datamark"),
        "date",
    ),
    (
        "Datamark has a 20% stake in Orbit Labs after its $1.3 billion investment in Kestrel Robotics.",
        ("Datamark", "invested_in", "Orbit Labs"),
        "amount_usd",
    ),
    (
        "Amazon announced on Monday that it had acquired Sama.",
        ("Amazon", "acquired", "Sama"),
        "date",
    ),
    (
        "Amazon might announce in January that it is cutting all ties with Sama.",
        ("Amazon", "ended_relationship_with", "Sama"),
        "date",
    ),
]


@pytest.mark.parametrize(("text", "triple", "key", "value"), STATED)
def test_stated_qualifier(text: str, triple: tuple[str, str, str], key: str, value: object) -> None:
    qualifiers = _qualifiers(text, *triple)
    assert qualifiers is not None, f"{triple} not found"
    assert qualifiers.get(key) == value


@pytest.mark.parametrize(("text", "triple", "key"), NOT_STATED)
def test_unstated_qualifier(text: str, triple: tuple[str, str, str], key: str) -> None:
    qualifiers = _qualifiers(text, *triple)
    assert qualifiers is None or key not in qualifiers


# (text, (subject, predicate, object), qualifier, a value it must not take)
NOT_THAT_VALUE = [
    (
        "Datamark was recently valued at $5 billion before securing $300 million in April 2022.",
        ("Datamark", "valued_at", "$5B"),
        "date",
        "2022-04",
    ),
    (
        "Datamark was recently valued at $5 billion after it might have secured $300 million in April 2022.",
        ("Datamark", "valued_at", "$5B"),
        "date",
        "2022-04",
    ),
]


@pytest.mark.parametrize(("text", "triple", "key", "value"), NOT_THAT_VALUE)
def test_not_that_value(text: str, triple: tuple[str, str, str], key: str, value: object) -> None:
    qualifiers = _qualifiers(text, *triple)
    assert qualifiers is None or qualifiers.get(key) != value


_FILLER = (
    " Datamark builds labeling tools for robotics teams in Europe and Asia, and its staff grew quickly"
    " over the past two years as demand for annotated sensor data rose."
) * 4

# A round's amount stated paragraphs before the sentence naming its leads.
EARLIER_ROUND = [
    (
        "Datamark raised $420 million in new funding." + _FILLER + " The firm announced its Series C round,"
        " led by Accel, Benchmark and Sequoia.",
        4.2e8,
    ),
    # another series than the one stated: not the same round
    (
        "Datamark raised $420 million in a Series B round." + _FILLER + " The firm announced its Series C round,"
        " led by Accel, Benchmark and Sequoia.",
        None,
    ),
    # a time of its own: maybe another round
    (
        "Datamark raised $420 million in new funding." + _FILLER + " In May 2023, the firm announced its"
        " Series C round, led by Accel, Benchmark and Sequoia.",
        None,
    ),
]


@pytest.mark.parametrize(("text", "amount"), EARLIER_ROUND)
def test_earlier_round_amount(text: str, amount: float | None) -> None:
    for lead in ("Accel", "Benchmark"):
        qualifiers = _qualifiers(text, lead, "invested_in", "Datamark")
        assert qualifiers is not None, f"{lead} not found"
        assert qualifiers.get("amount_usd") == amount


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "Orbit Labs is a data company. It won a $20 million contract in 2022 to supply labeled images to Helix Bank.",
            {"amount_usd": 20e6, "date": "2022"},
        ),
    ],
)
def test_qualifiers_contract_value_and_time_go_to_the_custom_it_is_for(extract, text, wanted):
    customers = [r for r in extract(text, published="2023-05-01") if r.predicate == "customer_of"]
    assert customers and all(r.qualifiers.get(k) == v for r in customers for k, v in wanted.items())


def test_qualifiers_hypothetical_contract_gives_no_custom(extract):
    text = "Orbit Labs is a data company. It could win a $20 million contract next year to supply images to Helix Bank."
    assert not [r for r in extract(text, published="2023-05-01") if r.predicate == "customer_of"]
