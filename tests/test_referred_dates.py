"""Times and values a relation takes from elsewhere in its article, on sentences written for
these tests: a time referred back to ("that same year", "two weeks after that decision"), an
announcement in the next sentence ("disclosed this collaboration on March 3"), a report's date
("reported in May on X raising"), the year of an outcome a round led to, a deal named after
"following" under a denial, and what restatements of one relation share. Each has a form that
must give nothing."""

from __future__ import annotations

import pytest

from extractors.dates import anaphoric_date
from extractors.pipeline import extract_article
from extractors.records import Article

pytestmark = pytest.mark.slow


def _relations(text: str, published: str = "2025-06-18") -> list:
    return extract_article(Article(key="t", name="t", source="t", text=text, published=published))


def _find(text: str, triple: tuple[str, str, str], published: str = "2025-06-18") -> dict | None:
    for r in _relations(text, published):
        if (r.subject_label, r.predicate, r.object_label) == triple:
            return dict(r.qualifiers)
    return None


# (text, publication, relation, expected date)
REFERRED = [
    (
        "Priya Nair and Tom Reyes started Quillmark Labs together in 2017.\n\nThat same year, Tom Reyes left Quillmark Labs.",
        "2024-05",
        ("Tom Reyes", "left", "Quillmark Labs"),
        "2017",
    ),
    (
        "Quillmark Labs lost its largest client in January, when Orbit Labs said it would cut all ties.\n\n"
        "Two weeks after that decision, Quillmark Labs CEO Priya Nair left after only a year in charge.",
        "2024-05",
        ("Priya Nair", "left", "Quillmark Labs"),
        "2024",
    ),
    (
        "Harbor Metrics has picked Quillmark Labs to help test its speech models.\n\n"
        "Quillmark Labs, a company based in Ohio, disclosed this collaboration with the client's research office "
        "on March 3, ahead of a trade fair.",
        "2024-05",
        ("Harbor Metrics", "customer_of", "Quillmark Labs"),
        "2024-03-03",
    ),
    (
        "Last spring, as an example, a trade paper reported on Quillmark Labs raising $90 million at a "
        "$1.8 billion valuation.",
        "2025-08-01",
        ("Quillmark Labs", "valued_at", "$1.8B"),
        None,  # "last spring" is no time the reader can place; see the next row
    ),
    (
        "Earlier this year, a trade paper reported on Quillmark Labs raising $90 million at a $1.8 billion valuation.",
        "2025-08-01",
        ("Quillmark Labs", "valued_at", "$1.8B"),
        "2025",
    ),
    (
        "In 2021, Quillmark Labs raised $40 million at a $600 million valuation.",
        "2025-08-01",
        ("Quillmark Labs", "valued_at", "$600M"),
        "2021",
    ),
    (
        "Orbit AI turned into a unicorn in 2019 following its $100 million Series C, which Greycroft Partners led.",
        "2023-01",
        ("Greycroft Partners", "invested_in", "Orbit AI"),
        "2019",
    ),
    (
        "Orbit AI became a unicorn in March 2019 after a funding round led by Greycroft Partners.",
        "2023-01",
        ("Greycroft Partners", "invested_in", "Orbit AI"),
        "2019",  # the year only: "after" says before, not how long before
    ),
]


@pytest.mark.parametrize(("text", "published", "triple", "date"), REFERRED)
def test_referred_date(text: str, published: str, triple: tuple[str, str, str], date: str | None) -> None:
    qualifiers = _find(text, triple, published)
    if date is None:
        assert qualifiers is None or "date" not in qualifiers
    else:
        assert qualifiers is not None, f"no {triple}"
        assert qualifiers.get("date") == date


NO_REFERRED_DATE = [
    # nothing stated before "that same year"
    ("That same year, Tom Reyes left Quillmark Labs.", ("Tom Reyes", "left", "Quillmark Labs")),
    # the announcer is no party to the relation of the previous sentence
    (
        "Harbor Metrics has picked Quillmark Labs to help test its speech models.\n\n"
        "Tidewater Group, a company based in Ohio, disclosed this collaboration with the client's research office "
        "on March 3.",
        ("Harbor Metrics", "customer_of", "Quillmark Labs"),
    ),
    # an announcement that names no deal by reference
    (
        "Harbor Metrics has picked Quillmark Labs to help test its speech models.\n\n"
        "Quillmark Labs, a company based in Ohio, announced a new office in Dayton on March 3.",
        ("Harbor Metrics", "customer_of", "Quillmark Labs"),
    ),
]


@pytest.mark.parametrize(("text", "triple"), NO_REFERRED_DATE)
def test_no_referred_date(text: str, triple: tuple[str, str, str]) -> None:
    qualifiers = _find(text, triple, "2024-05")
    assert qualifiers is not None, f"no {triple}"
    assert "date" not in qualifiers


def test_anaphoric_dates_are_never_more_precise_than_certain() -> None:
    assert anaphoric_date("Two weeks after that decision, she left.", "2024-12") is None  # may be next year
    assert anaphoric_date("Two weeks after that decision, she left.", "2024-12-01") == "2024-12"
    assert anaphoric_date("Later that month they signed.", "2024") is None
    assert anaphoric_date("That year's revenue fell.", "2024") is None


def test_deal_named_after_following_survives_a_denial() -> None:
    text = (
        "Orbit Labs told staff on Friday that the firm is not shifting strategy after Helix Capital's "
        "big investment in the company last month."
    )
    assert _find(text, ("Helix Capital", "invested_in", "Orbit Labs")) == {"date": "2025-05"}


@pytest.mark.parametrize(
    "text",
    [
        "Orbit Labs might struggle following Helix Capital's investment in the company.",
        "Orbit Labs will not change course if Helix Capital's investment in the company goes ahead.",
        "Orbit Labs did not grow after Helix Capital's failed acquisition of Orbit Labs.",
        "Orbit Labs is not changing course although Helix Capital did not invest in it.",
    ],
)
def test_hypothetical_or_void_deals_after_following_give_nothing(text: str) -> None:
    assert not [r for r in _relations(text) if r.predicate in ("invested_in", "acquired")]


def test_the_company_in_a_possessed_deal_is_not_its_possessor() -> None:
    text = "Orbit Labs grew quickly after Helix Capital's investment in the company."
    assert _find(text, ("Helix Capital", "invested_in", "Orbit Labs")) is not None
    assert _find(text, ("Helix Capital", "invested_in", "Helix Capital")) is None


def test_restatements_share_their_time_and_amount() -> None:
    text = (
        "Orbit Labs has not altered its plans since Helix Capital's big investment in the company last month.\n\n"
        "Helix Capital holds a 30% stake in Orbit Labs after its $2 billion investment."
    )
    mentions = [r for r in _relations(text) if r.predicate == "invested_in"]
    assert len(mentions) == 2
    for r in mentions:
        assert (r.qualifiers.get("date"), r.qualifiers.get("amount_usd"), r.qualifiers.get("stake_pct")) == (
            "2025-05",
            2e9,
            30.0,
        )


def test_restatements_that_disagree_share_nothing() -> None:
    text = (
        "Helix Capital invested $5 million in Orbit Labs in 2019.\n\n"
        "Helix Capital invested $40 million more in Orbit Labs in 2024."
    )
    dates = sorted(r.qualifiers.get("date") for r in _relations(text) if r.predicate == "invested_in")
    assert dates == ["2019", "2024"]


@pytest.mark.parametrize(
    ("expr", "published", "expected"),
    [
        ("by March", "2024-02-05", "2024-03"),
        ("until May", "2024-05-20", "2024-05"),
        ("in March", "2024-02-05", "2023-03"),
    ],
)
def test_a_deadline_points_forward(expr: str, published: str, expected: str) -> None:
    from extractors.dates import normalize_date

    assert normalize_date(expr, published) == expected


def test_an_apposition_s_founding_year_does_not_date_the_custom() -> None:
    text = "Quillmark Labs, a startup founded in 2019, supplies training data to Helix Capital."
    qualifiers = _find(text, ("Helix Capital", "customer_of", "Quillmark Labs"))
    assert qualifiers is not None and "date" not in qualifiers
    dated = _find(
        "Since 2021, Quillmark Labs has supplied training data to Helix Capital.",
        ("Helix Capital", "customer_of", "Quillmark Labs"),
    )
    assert dated == {"date": "2021"}


def test_an_apposition_s_founding_year_does_not_date_a_valuation() -> None:
    text = "Appleby AI, founded in 2017 by Victor Chen, was valued at $4 billion in 2023."
    assert _find(text, ("Appleby AI", "valued_at", "$4B"), "2024-10-08")["date"] == "2023"
    undated = "Appleby AI, founded in 2017 by Victor Chen, was valued at $4 billion."
    assert "date" not in _find(undated, ("Appleby AI", "valued_at", "$4B"), "2024-10-08")


@pytest.mark.parametrize(
    ("text", "triple", "date"),
    [
        ("Kestrel Data said on Monday its chief executive, Hannah Moore, would step down in June.",
         ("Hannah Moore", "left", "Kestrel Data"), "2025-06"),
        ("Hannah Moore will join Kestrel Data as CFO in January.", ("Hannah Moore", "joined", "Kestrel Data"), "2026-01"),
        ("Hannah Moore stepped down from Kestrel Data in June.", ("Hannah Moore", "left", "Kestrel Data"), "2024-06"),
    ],
)  # fmt: skip
def test_a_plan_s_month_is_the_next_one(text: str, triple: tuple[str, str, str], date: str) -> None:
    assert _find(text, triple, "2025-03-04")["date"] == date


def test_a_contract_lost_ends_the_custom_from_the_client_s_side() -> None:
    found = {(r.subject_label, r.predicate, r.object_label, r.status) for r in _relations(
        "Kestrel Data lost its contract with Waymo last year.", "2025-03-04")}  # fmt: skip
    assert ("Waymo", "ended_relationship_with", "Kestrel Data", "ended") in found
    assert not {f for f in found if f[0] == "Kestrel Data"}
    assert not _relations("Kestrel Data could lose its contract with Waymo.", "2025-03-04")
