"""Deals and custom stated by nouns, goals and negations of them, "-based" places and
the orientation of client and vendor, on sentences written for these tests with invented
companies (so the rules are shown to work outside the catalogue)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.slow

PUBLISHED = "2025-06-15"
#: A qualifier that must be absent.
NONE = object()

# (text, [(subject, predicate, object, qualifiers that must hold)]) -- each must be found.
FOUND = [
    # valuations stated as facts
    (
        "Datamark Inc. raised $50 million at a valuation of $2 billion.",
        [("Datamark Inc.", "valued_at", None, {"amount_usd": 2e9})],
    ),
    ("Helix Bank said its valuation of $5 billion was fair.", [("Helix Bank", "valued_at", None, {"amount_usd": 5e9})]),
    (
        "Datamark Inc. reached a valuation of $3 billion in March.",
        [("Datamark Inc.", "valued_at", None, {"amount_usd": 3e9, "date": "2025-03"})],
    ),
    # acquisitions stated by nouns
    (
        "Helix Bank's $105 million acquisition of Datamark Inc. closed in May.",
        [("Helix Bank", "acquired", "Datamark Inc.", {"amount_usd": 105e6, "date": "2025-05"})],
    ),
    (
        "Helix Bank completed its acquisition of Datamark Inc. in March.",
        [("Helix Bank", "acquired", "Datamark Inc.", {"date": "2025-03"})],
    ),
    (
        "Following the $1.2 billion buyout of Datamark Inc., Helix Bank cut jobs.",
        [("Helix Bank", "acquired", "Datamark Inc.", {"amount_usd": 1.2e9})],
    ),
    (
        "Datamark Inc., which Helix Bank bought for $300 million, is growing.",
        [("Helix Bank", "acquired", "Datamark Inc.", {"amount_usd": 300e6})],
    ),
    (
        "The purchase of Datamark Inc. by Helix Bank closed on Friday.",
        [("Helix Bank", "acquired", "Datamark Inc.", {"date": "2025-06-13"})],
    ),
    (
        "Helix Bank's purchase of a 20% stake in Datamark Inc. closed on Friday.",
        [("Helix Bank", "invested_in", "Datamark Inc.", {"stake_pct": 20.0})],
    ),
    (
        "Helix Bank's proposed acquisition of Datamark Inc. faces scrutiny.",
        [("Helix Bank", "acquired", "Datamark Inc.", {"status": "planned"})],
    ),
    (
        "Helix Bank's rumoured acquisition of Datamark Inc. has unsettled staff.",
        [("Helix Bank", "acquired", "Datamark Inc.", {"status": "planned"})],
    ),
    # investments stated by nouns
    (
        "Helix Bank announced its $14.3 billion investment into Datamark Inc. in June.",
        [("Helix Bank", "invested_in", "Datamark Inc.", {"amount_usd": 14.3e9, "date": "2025-06"})],
    ),
    (
        "Helix Bank's investment in Datamark Inc. doubled its staff.",
        [("Helix Bank", "invested_in", "Datamark Inc.", {"amount_usd": NONE})],
    ),
    (
        "Datamark Inc. grew after a $300 million investment from Helix Bank last year.",
        [("Helix Bank", "invested_in", "Datamark Inc.", {"amount_usd": 300e6, "date": "2024"})],
    ),
    (
        "Helix Bank is finalizing a $2 billion investment into labeling startup Datamark Inc., two sources said.",
        [("Helix Bank", "invested_in", "Datamark Inc.", {"amount_usd": 2e9})],
    ),
    (
        "Helix Bank is selling shares to fund the acquisition of Datamark Inc.",
        [("Helix Bank", "acquired", "Datamark Inc.", {})],
    ),
    # partnerships stated as such
    ("Orbit Labs Inc. partnered with Helix Bank in May.", [("Orbit Labs Inc.", "partner_of", "Helix Bank", {})]),
    ("Orbit Labs Inc. formed an alliance with Helix Bank.", [("Orbit Labs Inc.", "partner_of", "Helix Bank", {})]),
    ("Orbit Labs Inc. teamed up with Helix Bank last year.", [("Orbit Labs Inc.", "partner_of", "Helix Bank", {})]),
    # client and vendor the right way round
    (
        "Datamark Inc. cancelled its work for Orbit Labs Inc. in May.",
        [("Orbit Labs Inc.", "ended_relationship_with", "Datamark Inc.", {"date": "2025-05"})],
    ),
    ("Datamark Inc. won a contract from Orbit Labs Inc.", [("Orbit Labs Inc.", "customer_of", "Datamark Inc.", {})]),
    (
        "Datamark Inc. won a $20 million contract from Helix Bank in April.",
        [("Helix Bank", "customer_of", "Datamark Inc.", {"amount_usd": 20e6})],
    ),
    ("Datamark Inc. relies on Orbit Labs Inc. for revenue.", [("Orbit Labs Inc.", "customer_of", "Datamark Inc.", {})]),
    (
        "Datamark Inc. terminated its services for Orbit Labs Inc.",
        [("Orbit Labs Inc.", "ended_relationship_with", "Datamark Inc.", {})],
    ),
    (
        "Datamark Inc. secured a contract from Orbit Labs Inc. in May.",
        [("Orbit Labs Inc.", "customer_of", "Datamark Inc.", {"date": "2025-05"})],
    ),
    (
        "Datamark Inc. stopped working for Orbit Labs Inc. last year.",
        [("Orbit Labs Inc.", "ended_relationship_with", "Datamark Inc.", {"date": "2024"})],
    ),
    (
        "Datamark Inc. depends on Orbit Labs Inc. for most of its revenue.",
        [("Orbit Labs Inc.", "customer_of", "Datamark Inc.", {})],
    ),
    ("Datamark Inc. relies on Orbit Labs Inc. for data.", [("Datamark Inc.", "customer_of", "Orbit Labs Inc.", {})]),
    (
        "Helix Bank ended its contract with Datamark Inc., local unions Orbit Labs Inc. and Quantix Corp. said.",
        [("Helix Bank", "ended_relationship_with", "Datamark Inc.", {})],
    ),
    # "-based": the most specific place
    (
        "Datamark Inc., an Austin-based startup, hired ten engineers.",
        [("Datamark Inc.", "headquartered_in", "Austin", {})],
    ),
    ("Datamark Inc. is a Denver-based data firm.", [("Datamark Inc.", "headquartered_in", "Denver", {})]),
]

# (text, (subject, predicate, object)) -- must NOT be found (None: any object).
ABSENT = [
    # goals and negations of a valuation
    ("Datamark Inc. sought a valuation of $1 billion last year.", ("Datamark Inc.", "valued_at", None)),
    ("Datamark Inc. is seeking a valuation of $3 billion.", ("Datamark Inc.", "valued_at", None)),
    ("Datamark Inc. did not reach a valuation of $2 billion.", ("Datamark Inc.", "valued_at", None)),
    ("Datamark Inc. hopes for a valuation of $4 billion.", ("Datamark Inc.", "valued_at", None)),
    ("Datamark Inc. named the valuation it hopes to reach: $3 billion.", ("Datamark Inc.", "valued_at", None)),
    (
        "Datamark Inc. announced a new round and the valuation it is seeking, $3 billion.",
        ("Datamark Inc.", "valued_at", None),
    ),
    ("Datamark Inc. is targeting a $3 billion valuation in its next round.", ("Datamark Inc.", "valued_at", None)),
    ("Datamark Inc. could fetch a valuation of $3 billion.", ("Datamark Inc.", "valued_at", None)),
    # a part bought, a deal withdrawn, blocked, refused, sought or hypothetical
    ("Helix Bank's purchase of a 20% stake in Datamark Inc. closed on Friday.", ("Helix Bank", "acquired", None)),
    ("Helix Bank withdrew its acquisition of Datamark Inc. in June.", ("Helix Bank", "acquired", None)),
    ("Regulators blocked Helix Bank's acquisition of Datamark Inc.", ("Helix Bank", "acquired", None)),
    ("Datamark Inc. refused the acquisition by Helix Bank.", ("Helix Bank", "acquired", None)),
    ("Helix Bank's failed takeover of Datamark Inc. cost it dearly.", ("Helix Bank", "acquired", None)),
    ("Helix Bank is in talks over an acquisition of Datamark Inc.", ("Helix Bank", "acquired", None)),
    ("Helix Bank could complete its acquisition of Datamark Inc. next year.", ("Helix Bank", "acquired", None)),
    ("Helix Bank did not make an investment in Datamark Inc.", ("Helix Bank", "invested_in", None)),
    ("Helix Bank's potential investment in Datamark Inc. worries staff.", ("Helix Bank", "invested_in", None)),
    ("Helix Bank is selling shares to fund the acquisition of Datamark Inc.", ("Helix Bank", "invested_in", None)),
    ("Helix Bank abandoned its $2 billion takeover of Datamark Inc.", ("Helix Bank", "acquired", None)),
    ("The acquisition of Datamark Inc. by Helix Bank was blocked by regulators.", ("Helix Bank", "acquired", None)),
    ("Helix Bank's takeover of Datamark Inc. was called off in May.", ("Helix Bank", "acquired", None)),
    ("Helix Bank's acquisition of Datamark Inc. fell through.", ("Helix Bank", "acquired", None)),
    ("At first I wrongly thought Datamark Inc. had been bought by Helix Bank.", ("Helix Bank", "acquired", None)),
    ("Some investors assume Helix Bank acquired Datamark Inc. last year.", ("Helix Bank", "acquired", None)),
    # collaborating with firms, or working with partners, is no stated alliance
    (
        "Orbit Labs Inc. collaborates with firms like Datamark Inc. and Helix Bank.",
        ("Orbit Labs Inc.", "partner_of", None),
    ),
    ("Orbit Labs Inc. works with partners such as Datamark Inc.", ("Orbit Labs Inc.", "partner_of", None)),
    ("Orbit Labs Inc. never partnered with Helix Bank.", ("Orbit Labs Inc.", "partner_of", None)),
    # the sources of a report are no party of it
    (
        "Helix Bank ended its contract with Datamark Inc., local unions Orbit Labs Inc. and Quantix Corp. said.",
        ("Helix Bank", None, "Orbit Labs Inc."),
    ),
    (
        "Helix Bank ended its contract with Datamark Inc., local unions Orbit Labs Inc. and Quantix Corp. said.",
        ("Helix Bank", None, "Quantix Corp."),
    ),
    # the wrong way round
    ("Datamark Inc. cancelled its work for Orbit Labs Inc. in May.", ("Datamark Inc.", None, "Orbit Labs Inc.")),
    ("Datamark Inc. won a contract from Orbit Labs Inc.", ("Datamark Inc.", "customer_of", "Orbit Labs Inc.")),
    ("Datamark Inc. relies on Orbit Labs Inc. for revenue.", ("Datamark Inc.", "customer_of", "Orbit Labs Inc.")),
    ("Datamark Inc. secured a contract from Orbit Labs Inc. in May.", ("Datamark Inc.", None, "Orbit Labs Inc.")),
    ("Datamark Inc. terminated its services for Orbit Labs Inc.", ("Datamark Inc.", None, "Orbit Labs Inc.")),
    ("Datamark Inc. has not terminated its services for Orbit Labs Inc.", ("Orbit Labs Inc.", None, "Datamark Inc.")),
    ("Datamark Inc. stopped working for Orbit Labs Inc. last year.", ("Datamark Inc.", None, "Orbit Labs Inc.")),
    ("Datamark Inc. did not win a contract from Orbit Labs Inc.", ("Orbit Labs Inc.", "customer_of", None)),
    ("Datamark Inc. may stop working for Orbit Labs Inc.", ("Orbit Labs Inc.", "ended_relationship_with", None)),
    # a country gives way to the more specific place; a fragment states nothing
    (
        "Helix Bank signed a deal with U.S.-based data firm Datamark Inc. on Monday. "
        "Datamark Inc. is a San Francisco-based firm.",
        ("Datamark Inc.", "headquartered_in", "United States"),
    ),
    ("The Austin-based Datamark Inc. office.", ("Datamark Inc.", "headquartered_in", None)),
    ("Datamark Inc., an Austin-based vendor.", ("Datamark Inc.", "headquartered_in", None)),
    ("Photo: Austin-based Datamark Inc.", ("Datamark Inc.", "headquartered_in", None)),
    ("Datamark Inc. is not a Denver-based data firm.", ("Datamark Inc.", "headquartered_in", None)),
    ("Datamark Inc. could become a Denver-based data firm.", ("Datamark Inc.", "headquartered_in", None)),
]


def _name(label: str) -> str:
    """A name without its legal suffix ("Datamark Inc." and "Datamark" are one company)."""
    return re.sub(r"\s+(Inc|Corp|Ltd|LLC)\.?$", "", label)


def _matches(r, subject, predicate, obj) -> bool:
    return (
        _name(r.subject_label) == _name(subject)
        and (predicate is None or r.predicate == predicate)
        and (obj is None or _name(r.object_label) == _name(obj))
    )


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t[:48] for t, _ in FOUND])
def test_nominal_found(extract, text, expected):
    relations = extract(text, published=PUBLISHED)
    for subject, predicate, obj, qualifiers in expected:
        hits = [r for r in relations if _matches(r, subject, predicate, obj)]
        assert hits, (
            f"{(subject, predicate, obj)} not in {[(r.subject_label, r.predicate, r.object_label) for r in relations]}"
        )
        for key, value in qualifiers.items():
            if key == "status":
                assert any(r.status == value for r in hits), (key, [r.status for r in hits])
            elif value is NONE:
                assert any(key not in r.qualifiers for r in hits), (key, [r.qualifiers for r in hits])
            else:
                assert any(r.qualifiers.get(key) == value for r in hits), (key, [r.qualifiers for r in hits])


@pytest.mark.parametrize(("text", "triple"), ABSENT, ids=[t[:48] for t, _ in ABSENT])
def test_nominal_absent(extract, text, triple):
    relations = extract(text, published=PUBLISHED)
    found = [(r.subject_label, r.predicate, r.object_label) for r in relations if _matches(r, *triple)]
    assert not found, found
