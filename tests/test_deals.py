"""Deals: rounds with every investor, valuations, acquisitions, founding and
headquarters, on sentences written for these tests with invented companies and people
(so the rules are shown to work outside the catalogue)."""

from __future__ import annotations

import pytest

from extractors.evaluation import normalize_name

pytestmark = pytest.mark.slow

PUBLISHED = "2025-06-15"
#: A qualifier that must be absent.
NONE = object()

# (text, [(subject, predicate, object, qualifiers that must hold)]) -- each must be found.
FOUND = [
    # rounds: the amount goes on the lead (or each co-lead, or the only investor)
    (
        "Datamark Inc. raised $40 million in a Series B led by Kestrel Capital, with Sequoia and Nvidia also "
        "taking part.",
        [
            ("Kestrel Capital", "invested_in", "Datamark Inc.", {"amount_usd": 40e6}),
            ("Sequoia Capital", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
            ("Nvidia", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "Datamark Inc. raised $40 million in a round led by Kestrel Capital with participation from Accel, "
        "Index Ventures and Brightline Partners.",
        [
            ("Kestrel Capital", "invested_in", "Datamark Inc.", {"amount_usd": 40e6}),
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
            ("Index Ventures", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
            ("Brightline Partners", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "Datamark Inc. raised $9 million from Accel, Index Ventures and Brightline Partners.",
        [
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
            ("Index Ventures", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
            ("Brightline Partners", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "Datamark Inc. raised $9 million from Brightline Partners.",
        [("Brightline Partners", "invested_in", "Datamark Inc.", {"amount_usd": 9e6})],
    ),
    (
        "Datamark Inc. closed a $25 million round co-led by Accel and Brightline Partners.",
        [
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": 25e6}),
            ("Brightline Partners", "invested_in", "Datamark Inc.", {"amount_usd": 25e6}),
        ],
    ),
    (
        "Last spring Datamark Inc. raised $18 million from a dozen backers, such as Sequoia and Accel.",
        [
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
            ("Sequoia Capital", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "Investors in Datamark Inc. include Accel, Sequoia and Brightline Partners.",
        [
            ("Accel", "invested_in", "Datamark Inc.", {}),
            ("Brightline Partners", "invested_in", "Datamark Inc.", {}),
        ],
    ),
    ("Datamark Inc.'s investors include Accel and Sequoia.", [("Accel", "invested_in", "Datamark Inc.", {})]),
    (
        "Accel and Sequoia are among the backers of Datamark Inc.",
        [("Accel", "invested_in", "Datamark Inc.", {}), ("Sequoia Capital", "invested_in", "Datamark Inc.", {})],
    ),
    (
        "Datamark Inc. counts backers such as Accel and Sequoia.",
        [("Sequoia Capital", "invested_in", "Datamark Inc.", {})],
    ),
    (
        "Datamark Inc., whose backers include Accel and Sequoia, sells data.",
        [("Accel", "invested_in", "Datamark Inc.", {})],
    ),
    (
        "Datamark Inc. is backed by Accel and Sequoia.",
        [("Accel", "invested_in", "Datamark Inc."), ("Sequoia Capital", "invested_in", "Datamark Inc.")],
    ),
    ("Polaris Data bought a 30% stake in Datamark Inc.", [("Polaris Data", "invested_in", "Datamark Inc.", {})]),
    (
        "Datamark Inc. hired 50 engineers in 2022 after a $45 million Series B led by Brightline Partners.",
        [("Brightline Partners", "invested_in", "Datamark Inc.", {"amount_usd": 45e6})],
    ),
    (
        "Brightline Partners led Datamark Inc.'s $30 million Series A.",
        [("Brightline Partners", "invested_in", "Datamark Inc.", {"amount_usd": 30e6})],
    ),
    (
        "Datamark Inc. labels images. In April it revealed its Series C funding, led by investors like Brightline Partners, "
        "Sequoia and Accel.",
        [("Accel", "invested_in", "Datamark Inc.", {}), ("Brightline Partners", "invested_in", "Datamark Inc.", {})],
    ),
    (
        "Datamark Inc. raised $60 million in a round led by Brightline Partners. Existing investors Accel and "
        "Index Ventures also participated.",
        [
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
            ("Index Ventures", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "Datamark Inc. raised $60 million in a round led by Brightline Partners. Index Ventures joined the round too.",
        [("Index Ventures", "invested_in", "Datamark Inc.", {})],
    ),
    (
        "Datamark Inc. raised $40 million in a Series B round. Accel led the round, with participation from "
        "Index Ventures.",
        [
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": 40e6}),
            ("Index Ventures", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "Datamark Inc. said on Monday it had raised $40 million. Brightline Partners led the round. Index "
        "Ventures also participated.",
        [
            ("Brightline Partners", "invested_in", "Datamark Inc.", {"amount_usd": 40e6}),
            ("Index Ventures", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "The Y Combinator-backed company Datamark Inc. builds annotation tools for hospitals.",
        [("Y Combinator", "invested_in", "Datamark Inc.", {})],
    ),
    (
        "Datamark Inc. sells data. The Accel-backed startup hired Priya Nair.",
        [("Accel", "invested_in", "Datamark Inc.", {})],
    ),
    # valuations
    (
        "Polaris Data bought Datamark Inc. in a deal valuing it at $400 million.",
        [("Datamark Inc.", "valued_at", "$400M", {"amount_usd": 400e6})],
    ),
    (
        "Datamark Inc. closed a round that values it at $2 billion, up from $800 million last May.",
        [
            ("Datamark Inc.", "valued_at", "$2B", {"amount_usd": 2e9, "date": NONE}),
            ("Datamark Inc.", "valued_at", "$800M", {"amount_usd": 800e6, "date": "2025-05"}),
        ],
    ),
    (
        "Datamark Inc. is valued at $3 billion, up from $1 billion in 2023.",
        [("Datamark Inc.", "valued_at", "$3B", {}), ("Datamark Inc.", "valued_at", "$1B", {"date": "2023"})],
    ),
    (
        "Datamark Inc. raised $50 million last year at a $1.3 billion post-money valuation.",
        [("Datamark Inc.", "valued_at", "$1.3B", {"amount_usd": 1.3e9, "date": "2024"})],
    ),
    ("Datamark Inc. was valued at $85 million.", [("Datamark Inc.", "valued_at", "$85M", {})]),
    ("The round gave Datamark Inc. a $2 billion valuation.", [("Datamark Inc.", "valued_at", "$2B", {})]),
    ("Datamark Inc., now worth $2 billion, hired Priya Nair.", [("Datamark Inc.", "valued_at", "$2B", {})]),
    ("Datamark Inc. is worth $2 billion.", [("Datamark Inc.", "valued_at", "$2B", {})]),
    (
        "Accel invested in Datamark Inc., a startup worth $2 billion.",
        [
            ("Datamark Inc.", "valued_at", "$2B", {}),
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    (
        "Accel invested in the $2 billion labeling company Datamark Inc. last year.",
        [
            ("Datamark Inc.", "valued_at", "$2B", {"amount_usd": 2e9}),
            ("Accel", "invested_in", "Datamark Inc.", {"amount_usd": NONE}),
        ],
    ),
    ("Datamark Inc., a $2 billion startup, hired Priya Nair.", [("Datamark Inc.", "valued_at", "$2B", {})]),
    (
        "Datamark Inc. labels audio. A round in March pushed its valuation to $2.4 billion.",
        [("Datamark Inc.", "valued_at", "$2.4B", {"date": "2025-03"})],
    ),
    (
        "Datamark Inc., backed by Brightline Partners, was valued at $300 million.",
        [("Datamark Inc.", "valued_at", "$300M", {})],
    ),
    # acquisitions
    ("Polaris Data agreed to buy Datamark Inc. for $120 million.", [("Polaris Data", "acquired", "Datamark Inc.", {})]),
    ("Polaris Data will acquire Datamark Inc. for $300 million.", [("Polaris Data", "acquired", "Datamark Inc.", {})]),
    (
        "Polaris Data's $105 million acquisition of Datamark Inc. closed last week.",
        [("Polaris Data", "acquired", "Datamark Inc.", {"amount_usd": 105e6})],
    ),
    (
        "Acquired by Polaris Data in 2021, Datamark Inc. now sells robots.",
        [("Polaris Data", "acquired", "Datamark Inc.", {"date": "2021"})],
    ),
    (
        "Quill Analytics offered to take Datamark Inc. private, and the board agreed to the deal.",
        [("Quill Analytics", "acquired", "Datamark Inc.", {})],
    ),
    (
        "Quill Analytics agreed to take Datamark Inc. private for $2 billion.",
        [("Quill Analytics", "acquired", "Datamark Inc.", {})],
    ),
    (
        "The board of Datamark Inc. accepted a take-private offer from Quill Analytics.",
        [("Quill Analytics", "acquired", "Datamark Inc.", {})],
    ),
    (
        "Accel invested in Quill Analytics, the San Francisco company that was acquired by Polaris Data last year.",
        [("Polaris Data", "acquired", "Quill Analytics", {"date": "2024"})],
    ),
    (
        "Polaris Data acqui-hired Datamark Inc. last year.",
        [("Polaris Data", "acquired", "Datamark Inc.", {"date": "2024"})],
    ),
    (
        "Polaris Data completed an acquihire of Datamark Inc. in May.",
        [("Polaris Data", "acquired", "Datamark Inc.", {"date": "2025-05"})],
    ),
    (
        "Datamark Inc. was sold to Polaris Data for $90 million.",
        [("Polaris Data", "acquired", "Datamark Inc.", {"amount_usd": 90e6})],
    ),
    ("Priya Nair sold Datamark Inc. to Polaris Data in 2022.", [("Polaris Data", "acquired", "Datamark Inc.", {})]),
    # founding
    (
        "Datamark Inc. was started in 2017 by Priya Nair.",
        [("Priya Nair", "founded", "Datamark Inc.", {"date": "2017"})],
    ),
    ("Priya Nair launched Datamark Inc. in 2023.", [("Priya Nair", "founded", "Datamark Inc.", {"date": "2023"})]),
    (
        "Tomas Berg is a veteran of Polaris Data. He has started Datamark Inc., a data-labeling startup.",
        [("Tomas Berg", "founded", "Datamark Inc.", {"date": NONE})],
    ),
    (
        "Founded in 2020 by Priya Nair and Tomas Berg, Datamark Inc. sells labeled data.",
        [
            ("Priya Nair", "founded", "Datamark Inc.", {"date": "2020"}),
            ("Tomas Berg", "founded", "Datamark Inc.", {"date": "2020"}),
        ],
    ),
    (
        "Datamark Inc. annotates video for drone makers. Founded in 2021 by ex-Orbit designer Priya Nair, "
        "the firm has 40 staff.",
        [("Priya Nair", "founded", "Datamark Inc.", {"date": "2021"})],
    ),
    (
        "Datamark Inc., an annotation vendor that was co-founded by Priya Nair in 2018, opened a Lisbon office.",
        [("Priya Nair", "founded", "Datamark Inc.", {"date": "2018"})],
    ),
    (
        "Priya Nair cofounded Datamark Inc. in 2016 with Tomas Berg.",
        [
            ("Priya Nair", "founded", "Datamark Inc.", {"date": "2016"}),
            ("Tomas Berg", "founded", "Datamark Inc.", {"date": "2016"}),
        ],
    ),
    (
        "Tomas Berg cofounded Datamark Inc. in 2019, when he was a student in Oslo, with Priya Nair.",
        [("Priya Nair", "founded", "Datamark Inc.", {"date": "2019"})],
    ),
    (
        "Priya Nair teamed up with Tomas Berg to start Datamark Inc. in 2019.",
        [("Priya Nair", "founded", "Datamark Inc.", {}), ("Tomas Berg", "founded", "Datamark Inc.", {})],
    ),
    (
        "Priya Nair met Tomas Berg, with whom she teamed up to start Datamark Inc. in 2016.",
        [("Tomas Berg", "founded", "Datamark Inc.", {"date": "2016"})],
    ),
    (
        "Priya Nair launched Datamark Inc. with Tomas Berg. Founded in 2019, Datamark Inc. now employs 80 people.",
        [
            ("Priya Nair", "founded", "Datamark Inc.", {"date": "2019"}),
            ("Tomas Berg", "founded", "Datamark Inc.", {"date": "2019"}),
        ],
    ),
    (
        "Priya Nair started Datamark Inc. to label medical images. Datamark Inc. was founded in 2015.",
        [("Priya Nair", "founded", "Datamark Inc.", {"date": "2015"})],
    ),
    (
        "Priya Nair started Datamark Inc. to label medical images. Orbit Labs was founded in 2015.",
        [("Priya Nair", "founded", "Datamark Inc.", {"date": NONE})],
    ),
    # headquarters
    (
        "Accel invested in Datamark Inc., a company based in Texas.",
        [("Datamark Inc.", "headquartered_in", "Texas", {})],
    ),
    ("Accel invested in the Austin-based Datamark Inc. last year.", [("Datamark Inc.", "headquartered_in", "Austin")]),
    (
        "Accel invested in Datamark Inc., a U.S.-based firm.",
        [("Datamark Inc.", "headquartered_in", "United States", {})],
    ),
    (
        "Canadian-based labeling firm Datamark Inc. hired Priya Nair.",
        [("Datamark Inc.", "headquartered_in", "Canada", {})],
    ),
    ("Accel invested in the London company Datamark Inc.", [("Datamark Inc.", "headquartered_in", "London", {})]),
    (
        "Datamark Inc. sells data. Accel invested in the London startup last year.",
        [("Datamark Inc.", "headquartered_in", "London", {})],
    ),
    (
        "Datamark Inc., a Silicon Valley lab now valued at $900 million, hired Priya Nair.",
        [("Datamark Inc.", "headquartered_in", "Silicon Valley", {})],
    ),
    (
        "Polaris Data hired its Kenya-based labeling partners, Datamark Inc. and Quill Analytics.",
        [("Datamark Inc.", "headquartered_in", "Kenya", {}), ("Quill Analytics", "headquartered_in", "Kenya", {})],
    ),
    (
        "Datamark Inc. moved its headquarters from Berlin to Munich in 2023.",
        [("Datamark Inc.", "headquartered_in", "Munich", {})],
    ),
    ("Datamark Inc.'s headquarters in Austin employs 300 people.", [("Datamark Inc.", "headquartered_in", "Austin")]),
    (
        "Datamark Inc., with headquarters in Austin, hired Priya Nair.",
        [("Datamark Inc.", "headquartered_in", "Austin")],
    ),
    (
        "Datamark Inc., which is based in Berlin, hired Priya Nair.",
        [("Datamark Inc.", "headquartered_in", "Berlin", {})],
    ),
]

# (text, predicate or "predicate:subject") -- no such relation may come out.
SILENT = [
    ("Datamark Inc. did not raise money from Accel.", "invested_in"),
    ("Datamark Inc. hopes to raise $40 million from Accel.", "invested_in"),
    ("Datamark Inc. hopes to add investors such as Accel and Sequoia.", "invested_in"),
    (
        "Datamark Inc. raised $40 million in a round led by Kestrel Capital, with Sequoia not taking part.",
        "invested_in:Sequoia",
    ),
    ("Datamark Inc. is not an Accel-backed company.", "invested_in"),
    ("Accel joined a round led by Brightline Partners.", "invested_in"),
    ("Priya Nair led Datamark Inc.'s seed round.", "leads"),
    ("Datamark Inc. labels images. In April it revealed its Series C funding, led by investors like Accel.", "leads"),
    ("Datamark Inc. hopes to raise $40 million. Accel will lead the round.", "invested_in"),
    ("Datamark Inc. raised $40 million. Accel led a round for Polaris Data last year.", "invested_in:Accel:Datamark"),
    (
        "Datamark Inc. raised $60 million in a round led by Brightline Partners. Sequoia did not participate.",
        "invested_in:Sequoia",
    ),
    (
        "Datamark Inc. raised $60 million in a round led by Brightline Partners. Index Ventures declined to invest.",
        "invested_in:Index",
    ),
    (
        "Datamark Inc. raised $60 million in a round led by Brightline Partners. Index Ventures joined Polaris Data.",
        "invested_in:Index",
    ),
    ("The deal could value Datamark Inc. at $5 billion.", "valued_at"),
    ("Datamark Inc., backed by Brightline Partners, was valued at $300 million.", "valued_at:Brightline"),
    (
        "Datamark Inc. raised $31 million from backers such as Accel and Brightline Partners, which resulted in the "
        "firm being valued at $140 million.",
        "valued_at:Brightline",
    ),
    ("Polaris Data bought Datamark Inc. in a deal valuing it at $400 million.", "valued_at:Polaris"),
    ("Polaris Data did not acquire Datamark Inc.", "acquired"),
    ("Polaris Data could acquire Datamark Inc. next year.", "acquired"),
    ("Polaris Data is in talks to buy Datamark Inc.", "acquired"),
    ("Quill Analytics intends to acquire Datamark Inc.", "acquired"),
    ("Quill Analytics offered to take Datamark Inc. private.", "acquired"),
    ("The board of Datamark Inc. rejected a take-private offer from Quill Analytics.", "acquired"),
    ("Polaris Data bought a 30% stake in Datamark Inc.", "acquired"),
    ("Polaris Data bought the assets of Datamark Inc.", "acquired"),
    ("Polaris Data withdrew its bid for Datamark Inc.", "acquired"),
    ("Quill Analytics has offered $7.25 a share to acquire the remaining stock of Datamark Inc.", "acquired"),
    ("Polaris Data did not acqui-hire Datamark Inc.", "acquired"),
    ("Datamark Inc. sells labeled data to Polaris Data.", "acquired"),
    ("Datamark Inc. will not be sold to Polaris Data.", "acquired"),
    ("Polaris Data, which owns Datamark Inc., reported earnings.", "acquired"),
    ("Priya Nair did not found Datamark Inc.", "founded"),
    ("Priya Nair launched her company in 2019.", "founded"),
    ("The deal would give Datamark Inc. a valuation of $500 million.", "valued_at"),
    ("Datamark Inc. could be worth $5 billion.", "valued_at"),
    ("Datamark Inc. is not worth $5 billion.", "valued_at"),
    ("Polaris Data signed a deal worth $300 million with Datamark Inc.", "valued_at"),
    ("Priya Nair might launch Datamark Inc. next year.", "founded"),
    ("Datamark Inc. was founded by a team of former Google engineers.", "founded"),
    ("Priya Nair launched a new product at Datamark Inc. last year.", "founded"),
    ("Priya Nair started working at Datamark Inc. in 2019.", "founded"),
    ("Priya Nair founded Datamark Inc. with $2 million from Accel.", "founded:Accel"),
    ("Datamark Inc. is not based in Berlin.", "headquartered_in"),
    ("Accel invested in Datamark Inc., the Australian firm.", "headquartered_in"),
    ("Datamark Inc. hired US tech giant Polaris Data.", "headquartered_in"),
    ("Datamark Inc. opened offices in London and Paris.", "headquartered_in"),
    ("Datamark Inc. may move its headquarters to Munich.", "headquartered_in"),
    ("Datamark Inc. does not have its headquarters in Austin.", "headquartered_in"),
    ("Datamark Inc. moved its headquarters from Berlin to Munich in 2023.", "headquartered_in:Berlin"),
    ("Polaris Data sells data. The Paris company Orbit Labs is expanding.", "headquartered_in:Polaris"),
    ("Polaris Data sells data. Priya Nair worked at the New York office of Orbit Labs.", "headquartered_in"),
    (
        "Accel invested in Datamark Inc., a U.S.-based firm. Datamark Inc. is a San Francisco-based firm.",
        "headquartered_in:United States",
    ),
]


def _holds(qualifiers: dict, wanted: dict) -> bool:
    return all(
        (key not in qualifiers) if value is NONE else qualifiers.get(key) == value for key, value in wanted.items()
    )


def _names3(subject: str, predicate: str, obj: str) -> tuple[str, str, str]:
    """A triple with names as the scorer compares them (legal suffixes, case aside)."""
    return (normalize_name(subject), predicate, normalize_name(obj))


def _names(r) -> tuple[str, str, str]:
    return _names3(r.subject_label, r.predicate, r.object_label)


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t[:50] for t, _ in FOUND])
def test_deal_found(extract, text, expected):
    relations = extract(text, published=PUBLISHED)
    for subject, predicate, obj, *rest in expected:
        wanted = rest[0] if rest else {}
        same = [r for r in relations if _names(r) == _names3(subject, predicate, obj)]
        assert same, (
            f"{(subject, predicate, obj)} not in {[(r.subject_label, r.predicate, r.object_label) for r in relations]}"
        )
        assert any(_holds(r.qualifiers, wanted) for r in same), f"{wanted} not in {[r.qualifiers for r in same]}"


@pytest.mark.parametrize(("text", "predicate"), SILENT, ids=[t[:50] for t, _ in SILENT])
def test_deal_silent(extract, text, predicate):
    predicate, _, who = predicate.partition(":")
    who, _, whom = who.partition(":")
    whom, who = normalize_name(whom), normalize_name(who)
    found = [
        r
        for r in extract(text, published=PUBLISHED)
        if r.predicate == predicate and whom in normalize_name(r.object_label)
    ]
    if who:
        found = [
            r
            for r in found
            if who in normalize_name(r.subject_label)
            or (predicate == "headquartered_in" and who == normalize_name(r.object_label))
        ]
    assert not found, [(r.subject_label, r.predicate, r.object_label) for r in found]


def test_fronted_participle_skips_names_inside_it(extract):
    text = (
        "Datamark Inc. annotates video for drone makers. Founded in 2021 by ex-Orbit designer Priya Nair, "
        "the firm has 40 staff."
    )
    founded = {normalize_name(r.object_label) for r in extract(text) if r.predicate == "founded"}
    assert founded == {"datamark"}


@pytest.mark.parametrize(
    ("text", "currency"),
    [("$US175 million", "USD"), ("US $2 billion", "USD"), ("US$2 billion", "USD"), ("$A249 million", "AUD"),
     ("A$249 million", "AUD"), ("C$300 million", "CAD"), ("£700m", "GBP")],
)  # fmt: skip
def test_money_currency_signs(text, currency):
    from extractors.money import find_money

    assert [m.currency for m in find_money(text)] == [currency]


def test_round_amount_only_in_usd(extract):
    relations = extract("Datamark Inc. raised €40 million from Brightline Partners.")
    found = [r for r in relations if r.predicate == "invested_in"]
    assert found and all("amount_usd" not in r.qualifiers for r in found)


# Qualifiers come from the event's own clause, not from a relative clause or an
# apposition about one of its parties.
OWN_CLAUSE = [
    (
        "Datamark Inc., founded in 2019, raised $40 million from Accel on Monday.",
        ("Accel", "invested_in", "Datamark Inc."),
        {"amount_usd": 40e6, "date": "2025-06-09"},
    ),
    (
        "Datamark Inc. raised $40 million from Accel, which was founded in 1983.",
        ("Accel", "invested_in", "Datamark Inc."),
        {"date": NONE},
    ),
    (
        "Polaris Data, which raised $10 million in 2021, bought Datamark Inc.",
        ("Polaris Data", "acquired", "Datamark Inc."),
        {"amount_usd": NONE, "date": NONE},
    ),
    (
        "Datamark Inc., which Priya Nair started in 2019, was acquired by Polaris Data last week.",
        ("Polaris Data", "acquired", "Datamark Inc."),
        {"date": "2025-06"},
    ),
    (
        "Datamark Inc., which Priya Nair started in 2019, was acquired by Polaris Data last week.",
        ("Priya Nair", "founded", "Datamark Inc."),
        {"date": "2019"},
    ),
    (
        "Datamark Inc., which Polaris Data acquired in 2020, sells data.",
        ("Polaris Data", "acquired", "Datamark Inc."),
        {"date": "2020"},
    ),
]


@pytest.mark.parametrize(("text", "triple", "wanted"), OWN_CLAUSE, ids=[t[:50] for t, _, _ in OWN_CLAUSE])
def test_qualifiers_from_own_clause(extract, text, triple, wanted):
    same = [r for r in extract(text, published=PUBLISHED) if _names(r) == _names3(*triple)]
    assert same and any(_holds(r.qualifiers, wanted) for r in same), [r.qualifiers for r in same]


@pytest.mark.parametrize(
    ("text", "stake"),
    [
        ("Helix Capital bought 49% of Quillmark Labs for $1 billion.", 49.0),
        ("Helix Capital purchased 15 percent of Quillmark Labs.", 15.0),
        ("Helix Capital bought 15 per cent of Quillmark Labs in March.", 15.0),
    ],
)
def test_deals_a_share_bought_is_an_investment_not_an_acquisition(text, stake):
    from extractors.pipeline import extract_article
    from extractors.records import Article

    rels = extract_article(Article(key="t", name="t", source="t", text=text, published="2025-07-10"))
    assert [(r.predicate, r.qualifiers.get("stake_pct")) for r in rels] == [("invested_in", stake)]


def test_deals_a_share_not_bought_gives_nothing():
    from extractors.pipeline import extract_article
    from extractors.records import Article

    text = "Helix Capital did not buy 49% of Quillmark Labs."
    assert extract_article(Article(key="t", name="t", source="t", text=text, published="2025-07-10")) == []


def test_deals_a_majority_holding_is_no_minority_investment():
    from extractors.pipeline import extract_article
    from extractors.records import Article

    text = "Helix Capital holds about 57% of Quillmark Labs' shares."
    rels = extract_article(Article(key="t", name="t", source="t", text=text, published="2025-07-10"))
    assert not [r for r in rels if r.predicate == "invested_in"]


def test_deals_the_lead_named_only_by_led_by_and_the_dollar_equivalent():
    from extractors.pipeline import extract_article
    from extractors.records import Article

    text = "Berlin-based Annotera has raised €50 million ($58 million) in a round led by Northzone."
    rels = extract_article(Article(key="t", name="t", source="t", text=text, published="2025-12-01"))
    (deal,) = [r for r in rels if r.predicate == "invested_in"]
    assert (deal.subject_label, deal.object_label) == ("Northzone", "Annotera")
    assert deal.qualifiers["currency"] == "EUR" and deal.qualifiers["amount_usd"] == 58e6
    text = "The study was led by Johnson at the lab."
    assert extract_article(Article(key="t", name="t", source="t", text=text, published="2025-12-01")) == []
