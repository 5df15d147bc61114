"""People relations from job titles and career verbs, on sentences written for these
tests with invented people (and organizations where the parser names them)."""

from __future__ import annotations

import pytest

from extractors.evaluation import normalize_name

pytestmark = pytest.mark.slow

# (text, expected (subject, predicate, object, role or None)) -- each must be found.
FOUND = [
    # Titles after the name, with "of"/"at", a possessive or a description.
    (
        "Priya Nair, director of research at Datamark Inc., said the tools improved.",
        ("Priya Nair", "works_for", "Datamark Inc.", "director of research"),
    ),
    ("Priya Nair, COO and co-founder of Labelbox, spoke.", ("Priya Nair", "founded", "Labelbox", "co-founder")),
    ("Priya Nair, COO and co-founder of Labelbox, spoke.", ("Priya Nair", "works_for", "Labelbox", "COO")),
    ("Tom Reyes, co-founder and CEO of Brightlabel, spoke.", ("Tom Reyes", "leads", "Brightlabel", "CEO")),
    ("Jo Park, Labelbox's CEO, spoke at the event.", ("Jo Park", "leads", "Labelbox", "CEO")),
    (
        "Turing opened an office in Austin. Hiring will continue, said Tom Reyes, global head of sales at the firm.",
        ("Tom Reyes", "works_for", "Turing", "global head of sales"),
    ),
    ("Tom Reyes, the chief executive of Brightlabel, said sales rose.", ("Tom Reyes", "leads", "Brightlabel", None)),
    # Titles before the name.
    ("Veridian Data finance chief Tom Reyes said sales rose.", ("Tom Reyes", "works_for", "Veridian Data", None)),
    (
        "Labelbox's CEO and managing director, Priya Nair, spoke.",
        ("Priya Nair", "leads", "Labelbox", "CEO and managing director"),
    ),
    ("Veridian Data CEO Priya Nair said sales rose.", ("Priya Nair", "leads", "Veridian Data", "CEO")),
    (
        "Labelbox reported higher sales. CEO Priya Nair said demand was strong.",
        ("Priya Nair", "leads", "Labelbox", "CEO"),
    ),
    (
        "Labelbox is expanding in Asia. CEO Tom Reyes spoke on Turing's podcast on Monday.",
        ("Tom Reyes", "leads", "Labelbox", "CEO"),
    ),
    # Former roles keep their relation, marked former.
    (
        "Datamark Inc. hired a former Amazon and Apple designer, Jo Park.",
        ("Jo Park", "works_for", "Apple", "designer (former)"),
    ),
    (
        "Datamark Inc. hired a former Amazon and Apple designer, Jo Park.",
        ("Jo Park", "works_for", "Amazon", "designer (former)"),
    ),
    ("Jo Park (a former Labelbox employee) met investors.", ("Jo Park", "works_for", "Labelbox", "employee (former)")),
    ("Tom Reyes, a veteran of Nvidia, Cisco and Labelbox, spoke.", ("Tom Reyes", "works_for", "Cisco", "(former)")),
    ("Turing's former CEO Tom Reyes now advises startups.", ("Tom Reyes", "leads", "Turing", "CEO (former)")),
    # Verb forms.
    (
        "Tom Reyes served as vice president at Labelbox.",
        ("Tom Reyes", "works_for", "Labelbox", "vice president (former)"),
    ),
    (
        "Tom Reyes served as a data scientist at Accel and a senior vice president at Uber.",
        ("Tom Reyes", "works_for", "Uber", "senior vice president (former)"),
    ),
    ("Tom Reyes was an analyst at Labelbox before he founded a startup.", ("Tom Reyes", "works_for", "Labelbox", None)),
    ("Tom Reyes ran the sales team at Labelbox.", ("Tom Reyes", "works_for", "Labelbox", None)),
    ("Labelbox appointed Tom Reyes as its new CEO.", ("Tom Reyes", "leads", "Labelbox", "CEO")),
    ("Labelbox named Tom Reyes chief executive.", ("Tom Reyes", "leads", "Labelbox", "chief executive")),
    ("Labelbox promoted COO Tom Reyes to CEO.", ("Tom Reyes", "leads", "Labelbox", "CEO")),
    ("Labelbox promoted COO Tom Reyes to CEO.", ("Tom Reyes", "works_for", "Labelbox", "COO")),
    ("Tom Reyes will take over as CEO of Labelbox.", ("Tom Reyes", "leads", "Labelbox", "CEO")),
    ("Tom Reyes stepped down as CEO of Labelbox.", ("Tom Reyes", "leads", "Labelbox", "CEO (former)")),
    ("Tom Reyes stepped down as CEO of Labelbox.", ("Tom Reyes", "left", "Labelbox", None)),
    (
        "Tom Reyes, who was Labelbox's chief revenue officer, quit last week.",
        ("Tom Reyes", "works_for", "Labelbox", "chief revenue officer (former)"),
    ),
    (
        "Tom Reyes, who was Labelbox's chief revenue officer, quit last week.",
        ("Tom Reyes", "left", "Labelbox", None),
    ),
    (
        "Nora Quinn, who had been Appen's head of finance, and Mia Cole, who was sales chief, resigned on Friday.",
        ("Mia Cole", "works_for", "Appen", "sales chief (former)"),
    ),
    (
        "Nora Quinn, who had been Appen's head of finance, and Mia Cole, who was sales chief, resigned on Friday.",
        ("Mia Cole", "left", "Appen", None),
    ),
    (
        "At Labelbox, co-founders Raza Amin, Jo Park and Tom Reyes stayed on.",
        ("Jo Park", "founded", "Labelbox", "co-founder"),
    ),
    (
        "As head of partnerships at Labelbox, Tom Reyes signed the first contracts.",
        ("Tom Reyes", "works_for", "Labelbox", "head of partnerships"),
    ),
    (
        "Labelbox finance chief Jo Park (formerly a Microsoft engineer) met investors.",
        ("Jo Park", "works_for", "Microsoft", "engineer (former)"),
    ),
    ("Then-CEO Tom Reyes of Labelbox spoke.", ("Tom Reyes", "leads", "Labelbox", "CEO (former)")),
    ("Labelbox's head of AI, Priya Nair, spoke.", ("Priya Nair", "works_for", "Labelbox", "head of AI")),
    (
        "Priya Nair, chief executive of annotation firm Labelbox, spoke.",
        ("Priya Nair", "leads", "Labelbox", "chief executive"),
    ),
    ("Labelbox lost its CEO. Tom Reyes will step in as acting CEO.", ("Tom Reyes", "leads", "Labelbox", "acting CEO")),
    ("Tom Reyes, who leads Labelbox's sales team, spoke.", ("Tom Reyes", "works_for", "Labelbox", None)),
    ("Tom Reyes, 45, a former Google engineer, spoke.", ("Tom Reyes", "works_for", "Google", "engineer (former)")),
    ("Ex-Appen rater Jo Park sued.", ("Jo Park", "works_for", "Appen", "rater (former)")),
    ("Appen named Tom Reyes, a former Google executive, as CEO.", ("Tom Reyes", "joined", "Appen", None)),
    (
        "Tom Reyes founded Brightlabel. Before that, he spent four years at Labelbox in Austin.",
        ("Tom Reyes", "works_for", "Labelbox", "(former)"),
    ),
    (
        "Tom Reyes, who had been Appen's chief product officer, resigned from the post on Friday.",
        ("Tom Reyes", "left", "Appen", None),
    ),
    ("Jo Park, now chief scientist at Labelbox, spoke.", ("Jo Park", "works_for", "Labelbox", "chief scientist")),
    (
        "Jo Park, previously a vice president at Labelbox, spoke.",
        ("Jo Park", "works_for", "Labelbox", "vice president (former)"),
    ),
    (
        "Labelbox's chief executive, Priya Nair, and its CFO, Tom Reyes, spoke.",
        ("Tom Reyes", "works_for", "Labelbox", "CFO"),
    ),
    ("Labelbox, led by CEO Jo Park, raised money.", ("Jo Park", "leads", "Labelbox", "CEO")),
    (
        "BERLIN — Labelbox chief executive Tom Reyes resigned from the labeling company on Tuesday.",
        ("Tom Reyes", "left", "Labelbox", None),
    ),
    ("Jo Park, a partner at Accel, said the round was large.", ("Jo Park", "works_for", "Accel", "partner")),
    (
        "Tom Reyes studied physics in Lagos. Today the 31-year-old chief executive of Labelbox is hiring fast.",
        ("Tom Reyes", "leads", "Labelbox", "chief executive"),
    ),
    ("Labelbox's CEO is Tom Reyes.", ("Tom Reyes", "leads", "Labelbox", "CEO")),
    ("Labelbox, whose CEO is Tom Reyes, raised money.", ("Tom Reyes", "leads", "Labelbox", "CEO")),
    ("Tom Reyes was named CEO of Labelbox in May.", ("Tom Reyes", "leads", "Labelbox", "CEO")),
    ("Tom Reyes previously worked at Labelbox.", ("Tom Reyes", "works_for", "Labelbox", "(former)")),
    (
        "Tom Reyes had worked for Labelbox before joining Turing.",
        ("Tom Reyes", "works_for", "Labelbox", "(former)"),
    ),
    ("Tom Reyes serves on Labelbox's board.", ("Tom Reyes", "works_for", "Labelbox", "board member")),
    ("Tom Reyes sits on the board of Labelbox.", ("Tom Reyes", "works_for", "Labelbox", "board member")),
    ("Tom Reyes joined Labelbox's board in May.", ("Tom Reyes", "joined", "Labelbox", "board member")),
    ("Tom Reyes is chairman of Labelbox's board.", ("Tom Reyes", "leads", "Labelbox", "chairman")),
    ("Jo Park and Tom Reyes, Labelbox's co-founders, spoke.", ("Jo Park", "founded", "Labelbox", "co-founder")),
    ("Tom Reyes joined Labelbox as CFO in March.", ("Tom Reyes", "joined", "Labelbox", "CFO")),
    ("Tom Reyes joined Labelbox last year.", ("Tom Reyes", "joined", "Labelbox", None)),
    ("Labelbox hired Tom Reyes to lead its new unit.", ("Tom Reyes", "joined", "Labelbox", None)),
]

# (text, (subject, predicate, object)) -- must not be found.
ABSENT = [
    # An internal promotion is no arrival.
    ("Labelbox promoted COO Tom Reyes to CEO.", ("Tom Reyes", "joined", "Labelbox")),
    (
        "Labelbox elevated Tom Reyes, the firm's operations chief, to chief executive.",
        ("Tom Reyes", "joined", "Labelbox"),
    ),
    # An arrival states the role: no works_for besides the joined.
    ("Tom Reyes joined Labelbox as CFO in March.", ("Tom Reyes", "works_for", "Labelbox")),
    # A relative clause is its own antecedent's, not the next list member's.
    (
        "Nora Quinn, who had been Appen's head of finance, and Mia Cole, who was sales chief, resigned on Friday.",
        ("Mia Cole", "leads", "Appen"),
    ),
    # "along with" opens no apposition.
    ("Labelbox's founder Jo Park, along with other Turing employees, joined Meta.", ("Jo Park", "works_for", "Turing")),
    ("Tom Reyes will step in as acting CEO of Labelbox.", ("Tom Reyes", "left", "Labelbox")),
    ("Tom Reyes spent two years at Stanford University.", ("Tom Reyes", "works_for", "Stanford University")),
    ("Tom Reyes might spend two years at Labelbox.", ("Tom Reyes", "works_for", "Labelbox")),
    ("Tom Reyes does not run the sales team at Labelbox.", ("Tom Reyes", "works_for", "Labelbox")),
    ("Tom Reyes, who hopes to become CEO of Labelbox, declined to comment.", ("Tom Reyes", "leads", "Labelbox")),
    ("Labelbox CEO Tom Reyes left the meeting early.", ("Tom Reyes", "left", "Labelbox")),
    ("Tom Reyes, a former Google engineer, resigned last week.", ("Tom Reyes", "left", "Google")),
    ("Labelbox's chief executive, Priya Nair, and its CFO, Tom Reyes, spoke.", ("Priya Nair", "works_for", "Labelbox")),
    ("Jo Park, now chief scientist at Labelbox, spoke.", ("Jo Park", "leads", "Labelbox")),
    ("Tom Reyes did not resign from Labelbox.", ("Tom Reyes", "left", "Labelbox")),
    ("Jo Park, a partner at law firm Cooley, advised Labelbox.", ("Jo Park", "works_for", "Cooley")),
    ("Labelbox investor Jo Park praised the results.", ("Jo Park", "works_for", "Labelbox")),
    (
        "Tom Reyes studied physics in Lagos. The chief executive of Labelbox is hiring fast.",
        ("Tom Reyes", "leads", "Labelbox"),
    ),
    (
        "Tom Reyes met Jo Park. The 40-year-old chief executive of Labelbox is hiring fast.",
        ("Tom Reyes", "leads", "Labelbox"),
    ),
    ("Labelbox's CEO is not Tom Reyes.", ("Tom Reyes", "leads", "Labelbox")),
    # An appointment whose appointee's origin is not stated is no arrival.
    ("The board appointed Tom Reyes chairman of Labelbox.", ("Tom Reyes", "joined", "Labelbox")),
    ("Tom Reyes did not work at Labelbox.", ("Tom Reyes", "works_for", "Labelbox")),
    ("Tom Reyes does not sit on Labelbox's board.", ("Tom Reyes", "works_for", "Labelbox")),
    ("Tom Reyes might join Labelbox's board.", ("Tom Reyes", "joined", "Labelbox")),
    ("Jo Park and Tom Reyes, Labelbox's CEO, spoke.", ("Jo Park", "leads", "Labelbox")),
    # A former role is no departure.
    ("Turing's former CEO Tom Reyes now advises startups.", ("Tom Reyes", "left", "Turing")),
    # Negated and hypothetical forms.
    ("Tom Reyes is not the CEO of Labelbox.", ("Tom Reyes", "leads", "Labelbox")),
    ("Tom Reyes could become CEO of Labelbox next year.", ("Tom Reyes", "leads", "Labelbox")),
    ("If Labelbox named Tom Reyes chief executive, investors would cheer.", ("Tom Reyes", "leads", "Labelbox")),
    ("Tom Reyes did not serve as vice president at Labelbox.", ("Tom Reyes", "works_for", "Labelbox")),
    ("Tom Reyes was nominated to be the next director of Labelbox.", ("Tom Reyes", "works_for", "Labelbox")),
    ("Tom Reyes might step down as CEO of Labelbox.", ("Tom Reyes", "left", "Labelbox")),
    # Exclusions: a platform's podcast, a government title, a university, a quoted analyst.
    ("CEO Tom Reyes appeared on Turing's podcast last week.", ("Tom Reyes", "leads", "Turing")),
    (
        "Labelbox is expanding in Asia. CEO Tom Reyes spoke on Turing's podcast on Monday.",
        ("Tom Reyes", "leads", "Turing"),
    ),
    ("Labelbox praised President Tom Reyes for the new rules.", ("Tom Reyes", "leads", "Labelbox")),
    (
        "Priya Nair, a researcher at Stanford University, studies labeling.",
        ("Priya Nair", "works_for", "Stanford University"),
    ),
    ("Demand is cooling, said Priya Nair, an analyst at Morningstar.", ("Priya Nair", "works_for", "Morningstar")),
    ("Industry veteran Tom Reyes opened a studio.", ("Tom Reyes", "works_for", "Industry")),
    ("Morningstar analyst Priya Nair expects growth.", ("Priya Nair", "works_for", "Morningstar")),
    ("Labelbox's head of AI, Priya Nair, spoke.", ("Priya Nair", "leads", "Labelbox")),
    ("Priya Nair, the head of Labelbox's AI unit, spoke.", ("Priya Nair", "leads", "Labelbox")),
]


def _facts(relations) -> dict[tuple[str, str, str], set[str | None]]:
    out: dict[tuple[str, str, str], set[str | None]] = {}
    for r in relations:
        key = (normalize_name(r.subject_label), r.predicate, normalize_name(r.object_label))
        out.setdefault(key, set()).add(r.qualifiers.get("role"))
    return out


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[f"{t[:40]}-{e[1]}" for t, e in FOUND])
def test_people_relation_found(extract, text, expected):
    subject, predicate, obj, role = expected
    subject, obj = normalize_name(subject), normalize_name(obj)
    facts = _facts(extract(text))
    assert (subject, predicate, obj) in facts, f"{expected} not in {sorted(facts)}"
    if role is not None:
        assert role in facts[(subject, predicate, obj)]


@pytest.mark.parametrize(("text", "triple"), ABSENT, ids=[f"{t[:40]}-{e[1]}" for t, e in ABSENT])
def test_people_relation_absent(extract, text, triple):
    subject, predicate, obj = triple
    assert (normalize_name(subject), predicate, normalize_name(obj)) not in _facts(extract(text))


def test_ownerless_title_has_lower_confidence(extract):
    rels = extract(
        "Labelbox reported higher sales. CEO Priya Nair said demand was strong. Labelbox CEO Jo Park agreed."
    )
    by_person = {r.subject_label: r.confidence for r in rels if r.predicate == "leads"}
    assert by_person["Priya Nair"] < by_person["Jo Park"]
