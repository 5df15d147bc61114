"""Clients, vendors, endings, rivals and partners, from sentences written for these
tests with invented company names (outside the catalogue) beside catalogue ones."""

from __future__ import annotations

import pytest

from extractors.evaluation import normalize_name

pytestmark = pytest.mark.slow

C, E, R, P = "customer_of", "ended_relationship_with", "competitor_of", "partner_of"


def _clients(vendor: str, *clients: str) -> set[tuple[str, str, str]]:
    return {(c, C, vendor) for c in clients}


# (text, every triple that must be found)
FOUND = [
    # client lists of any length and head
    (
        "Datamark Inc. counts Helix Bank, Acme Corp, Keystone Motors and Zeta Systems among its clients.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp", "Keystone Motors", "Zeta Systems"),
    ),
    (
        "Datamark Inc.'s customers include Helix Bank, Acme Corp, Zeta Systems and Keystone Motors.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp", "Zeta Systems", "Keystone Motors"),
    ),
    (
        "Several of Datamark Inc.'s clients, which include Helix Bank and Acme Corp, were told of the closure.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    (
        "Four customers — Helix Bank, Acme Corp, Zeta Systems and Keystone Motors — accounted for 70% of "
        "Datamark Inc.'s revenue.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp", "Zeta Systems", "Keystone Motors"),
    ),
    (
        "Clients including Helix Bank and Acme Corp upload scans for Datamark Inc.'s remote workforce to tag.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    ("Since 2021 Helix Bank has also been a paying client of Datamark Inc.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank is one of Datamark Inc.'s largest customers.", _clients("Datamark Inc.", "Helix Bank")),
    ("Union officials said Datamark Inc.'s client was Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    (
        "Datamark Inc. serves major clients such as Helix Bank and AI firms like Zeta Systems and Keystone Motors.",
        _clients("Datamark Inc.", "Helix Bank", "Zeta Systems", "Keystone Motors"),
    ),
    (
        "Investors worried about Datamark Inc.'s reliance on Helix Bank and Acme Corp for revenue.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    ("Helix Bank's reliance on Datamark Inc. has grown.", _clients("Datamark Inc.", "Helix Bank")),
    (
        "Helix Bank's main subcontractor for moderation in Kenya, Datamark Inc., announced job cuts.",
        _clients("Datamark Inc.", "Helix Bank"),
    ),
    (
        "Datamark Inc., which counts Helix Bank and Acme Corp as customers, raised money.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    (
        "Datamark Inc.'s clients range from Helix Bank to Acme Corp.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    ("Helix Bank accounts for 30% of Datamark Inc.'s revenue.", _clients("Datamark Inc.", "Helix Bank")),
    (
        "Helix Bank and Acme Corp made up half of Datamark Inc.'s sales last year.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    # the vendor-service grammar: the vendor is the subject
    (
        "Datamark Inc. annotates images for automakers such as Keystone Motors.",
        _clients("Datamark Inc.", "Keystone Motors"),
    ),
    (
        "Datamark Inc. helps labs like Helix Bank and Acme Corp prepare data.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    (
        "Datamark Inc., which once helped annotate speech data for lenders including Helix Bank and Zeta Systems, "
        "cut 40 jobs.",
        _clients("Datamark Inc.", "Helix Bank", "Zeta Systems"),
    ),
    (
        "Pinecrest Health, the firm that once helped label scans for hospitals including Helix Bank, hired staff.",
        _clients("Pinecrest Health", "Helix Bank"),
    ),
    ("Datamark Inc. has catered to Helix Bank for years.", _clients("Datamark Inc.", "Helix Bank")),
    ("Scale AI caters to Helix Bank and Acme Corp.", _clients("Scale AI", "Helix Bank", "Acme Corp")),
    ("Datamark Inc. works for Helix Bank and Zeta Systems.", _clients("Datamark Inc.", "Helix Bank", "Zeta Systems")),
    (
        "Datamark Inc. grew as a labeling shop, catering mostly to the likes of Helix Bank.",
        _clients("Datamark Inc.", "Helix Bank"),
    ),
    (
        "Datamark Inc. grew by providing labeled data to developers including Helix Bank.",
        _clients("Datamark Inc.", "Helix Bank"),
    ),
    (
        "Datamark Inc. now helps about 120 clients, including Helix Bank, with labeling.",
        _clients("Datamark Inc.", "Helix Bank"),
    ),
    ("Datamark Inc. sells to labs including Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. provides a range of labeling tools to Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. landed Helix Bank as a client.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. won a contract from Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. provides Helix Bank with annotation services.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank is among Datamark Inc.'s customers.", _clients("Datamark Inc.", "Helix Bank")),
    (
        "Datamark Inc. labels images for Helix Bank. Acme Corp also works with Datamark Inc.",
        _clients("Datamark Inc.", "Helix Bank", "Acme Corp"),
    ),
    # the client is the subject
    ("Helix Bank licenses training data from Datamark Inc.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank works with Datamark Inc. for its training data.", _clients("Datamark Inc.", "Helix Bank")),
    (
        "To label its scans, Helix Bank works with a vendor called Datamark Inc.",
        _clients("Datamark Inc.", "Helix Bank"),
    ),
    ("Helix Bank named Datamark Inc. as its evaluator.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank entered into a three-year agreement with Scale AI.", _clients("Scale AI", "Helix Bank")),
    (
        "Helix Bank's new content moderation partner, Datamark Inc., hired staff.",
        {("Helix Bank", C, "Datamark Inc."), ("Datamark Inc.", P, "Helix Bank")},
    ),
    (
        "Helix Bank's outsourcing partner Datamark Inc. hired 300 workers.",
        {("Helix Bank", C, "Datamark Inc."), ("Datamark Inc.", P, "Helix Bank")},
    ),
    ("Helix Bank's rival Acme Corp grew.", {("Acme Corp", R, "Helix Bank")}),
    # endings, each with the custom it ends
    (
        "Helix Bank no longer works with Datamark Inc.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc.")},
    ),
    (
        "Helix Bank stopped using Datamark Inc. last year.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc.")},
    ),
    (
        "Helix Bank switched from Datamark Inc. to Acme Corp in May.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc."), ("Helix Bank", C, "Acme Corp")},
    ),
    (
        "Scale AI, whose contract with Helix Bank ends this month, cut jobs.",
        {("Helix Bank", E, "Scale AI"), ("Helix Bank", C, "Scale AI")},
    ),
    (
        "Datamark Inc., whose contract with Helix Bank ends this month, cut jobs.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc.")},
    ),
    (
        "Helix Bank's contract with Scale AI expires in March.",
        {("Helix Bank", E, "Scale AI"), ("Helix Bank", C, "Scale AI")},
    ),
    (
        "Helix Bank cut ties with Datamark Inc.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc.")},
    ),
    (
        "Helix Bank parted ways with Datamark Inc.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc.")},
    ),
    (
        "Helix Bank replaced Datamark Inc. with Acme Corp.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc."), ("Helix Bank", C, "Acme Corp")},
    ),
    (
        "Sama cancelled all its projects for Helix Bank in 2023.",
        {("Helix Bank", E, "Sama"), ("Helix Bank", C, "Sama")},
    ),
    (
        "Mercor ended a major labeling programme tied to Helix Bank.",
        {("Helix Bank", E, "Mercor"), ("Helix Bank", C, "Mercor")},
    ),
    (
        "Datamark Inc. lost clients such as Helix Bank last year.",
        {("Helix Bank", E, "Datamark Inc."), ("Helix Bank", C, "Datamark Inc.")},
    ),
    # rivals
    ("Datamark Inc. is a rival of Helix Bank.", {("Datamark Inc.", R, "Helix Bank")}),
    ("One of Datamark Inc.'s two biggest rivals, Acme Corp, hired staff.", {("Acme Corp", R, "Datamark Inc.")}),
    (
        "Datamark Inc. now finds itself in direct competition with vendors such as Acme Corp and Zeta Systems.",
        {("Datamark Inc.", R, "Acme Corp"), ("Datamark Inc.", R, "Zeta Systems")},
    ),
    ("Datamark Inc. is buying Berlin-based competitor Acme Corp for $60 million.", {("Acme Corp", R, "Datamark Inc.")}),
    (
        "Helix Bank is locked in a race with Acme Corp and Zeta Systems for new accounts.",
        {("Helix Bank", R, "Acme Corp"), ("Helix Bank", R, "Zeta Systems")},
    ),
    (
        "Datamark Inc., a startup that raised $5 million in April, has undercut Acme Corp on price.",
        {("Datamark Inc.", R, "Acme Corp")},
    ),
    ("Datamark Inc. and Acme Corp are rivals.", {("Acme Corp", R, "Datamark Inc.")}),
    ("Datamark Inc. faces competition from Acme Corp.", {("Datamark Inc.", R, "Acme Corp")}),
    ("Acme Corp, a Datamark Inc. competitor, raised money.", {("Acme Corp", R, "Datamark Inc.")}),
    (
        "Clients are testing alternatives to Datamark Inc. like Acme Corp and Zeta Systems.",
        {("Acme Corp", R, "Datamark Inc."), ("Zeta Systems", R, "Datamark Inc.")},
    ),
    # partners
    (
        "Datamark Inc. was founded in 2019. The company raised $50 million in May. Partners such as Helix Bank "
        "and Acme Corp appear on its roster.",
        {("Helix Bank", P, "Datamark Inc."), ("Acme Corp", P, "Datamark Inc.")},
    ),
    (
        "Datamark Inc. is now a key partner of labs ranging from Helix Bank to Acme Corp.",
        {("Datamark Inc.", P, "Helix Bank"), ("Datamark Inc.", P, "Acme Corp")},
    ),
    (
        "Helix Bank and its moderation partners, Datamark Inc. and Acme Corp, were sued.",
        {("Datamark Inc.", P, "Helix Bank"), ("Acme Corp", P, "Helix Bank")},
    ),
]

# (text, triples that must NOT be found)
ABSENT = [
    # negated and hypothetical forms yield nothing
    ("Datamark Inc. does not help labs like Helix Bank prepare data.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. might supply training data to Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. never worked for Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank could sign a three-year agreement with Scale AI.", _clients("Scale AI", "Helix Bank")),
    ("Helix Bank might stop using Datamark Inc.", {("Helix Bank", E, "Datamark Inc.")}),
    ("If Helix Bank no longer works with Datamark Inc., Acme Corp gains.", {("Helix Bank", E, "Datamark Inc.")}),
    ("Helix Bank did not switch from Datamark Inc. to Acme Corp.", {("Helix Bank", E, "Datamark Inc.")}),
    ("Datamark Inc. is not in competition with Acme Corp.", {("Datamark Inc.", R, "Acme Corp")}),
    ("Datamark Inc. challenged Acme Corp in court over the patent.", {("Datamark Inc.", R, "Acme Corp")}),
    ("Datamark Inc. undercut Acme Corp's prices, the court ruling said.", {("Datamark Inc.", R, "Acme Corp")}),
    ("Datamark Inc. could overtake Acme Corp.", {("Datamark Inc.", R, "Acme Corp")}),
    ("Datamark Inc. wants to undercut Acme Corp's dominance.", {("Datamark Inc.", R, "Acme Corp")}),
    ("Datamark Inc. and Acme Corp are not rivals.", {("Acme Corp", R, "Datamark Inc.")}),
    ("Helix Bank could become a client of Datamark Inc.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank did not part ways with Datamark Inc.", {("Helix Bank", E, "Datamark Inc.")}),
    ("Helix Bank replaced its chief executive with Jane Doe.", {("Helix Bank", E, "Jane Doe")}),
    ("Helix Bank bought a stake from Acme Corp.", {("Helix Bank", C, "Acme Corp")}),
    ("Helix Bank does not account for much of Datamark Inc.'s revenue.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank's revenue fell after Datamark Inc. cut prices.", _clients("Datamark Inc.", "Helix Bank")),
    ("Helix Bank's five-year contract with Scale AI expires in 2030.", {("Helix Bank", E, "Scale AI")}),
    # "help" outside a service is no custom
    ("Datamark Inc. helped Helix Bank raise money from investors.", _clients("Datamark Inc.", "Helix Bank")),
    ("Microsoft helped OpenAI train its first models.", {("OpenAI", C, "Microsoft")}),
    (
        "Helix Bank works with Acme Corp on a joint report.",
        {("Helix Bank", C, "Acme Corp"), ("Acme Corp", C, "Helix Bank")},
    ),
    # selling a business is no service
    ("Helix Bank sold its AI unit to Acme Corp.", {("Acme Corp", C, "Helix Bank")}),
    ("Helix Bank sold its stake to Acme Corp last year.", {("Acme Corp", C, "Helix Bank")}),
    # clients sought are no clients
    ("Datamark Inc. hopes to sign clients such as Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. is courting customers like Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    ("Datamark Inc. is pitching potential clients like Helix Bank.", _clients("Datamark Inc.", "Helix Bank")),
    # a list of clients of A is not given to B named elsewhere in the sentence
    (
        "Founded by a former Acme Corp engineer, the company sells data to labs including Helix Bank.",
        {("Helix Bank", C, "Acme Corp")},
    ),
    (
        "Founded by a former Google engineer, the company grew by providing data to labs including Anthropic "
        "and Google.",
        {("Anthropic", C, "Google")},
    ),
    (
        "Clients including Helix Bank upload images for Datamark Inc.'s workforce to annotate.",
        {("Datamark Inc.", C, "Datamark Inc.")},
    ),
    # a product is no organization; people working on projects are no vendor list
    (
        "Helix Bank laid off 200 contractors working on projects, including its chatbot and Acme Search feature.",
        {("Helix Bank", C, "Acme Search")},
    ),
    ("Sama did not end its project for Helix Bank.", {("Helix Bank", E, "Sama")}),
    # work done for partners is no partnership
    (
        "Datamark Inc.'s workers, who label content for partners such as Helix Bank, earn $2 an hour.",
        {("Helix Bank", P, "Datamark Inc.")},
    ),
    # a possessor of the subject is not the vendor; moving staff is no ending
    ("Helix Bank's former engineer works for Acme Corp.", {("Acme Corp", C, "Helix Bank")}),
    ("Helix Bank moved 50 engineers from Acme Corp to its lab.", {("Helix Bank", E, "Acme Corp")}),
    # "the partnership" does not refer to one client of a list
    (
        "Datamark Inc. serves clients such as Helix Bank and Acme Corp. Zeta Systems praised the partnership.",
        {("Acme Corp", P, "Datamark Inc."), ("Helix Bank", P, "Datamark Inc.")},
    ),
    # the speakers of a report are no parties
    (
        "About 400 moderators were let go once Helix Bank terminated its contract, local unions Acme Corp and "
        "Zeta Systems said.",
        {("Helix Bank", C, "Acme Corp"), ("Helix Bank", C, "Zeta Systems")},
    ),
    # rivals of a list member in a company name's modifier
    (
        "Datamark Inc. is acquiring competitor Acme Corp, in a deal that should turn the ASX-listed firm into Asia's "
        "largest vendor.",
        {("Acme Corp", R, "ASX")},
    ),
    # working with a list of clients: the subject (a vendor) is not their client
    (
        "Scale AI collaborates with firms like Helix Bank and Zeta Systems.",
        {("Scale AI", C, "Helix Bank"), ("Scale AI", C, "Zeta Systems")},
    ),
]


def _triples(relations) -> set[tuple[str, str, str]]:
    return {(normalize_name(r.subject_label), r.predicate, normalize_name(r.object_label)) for r in relations}


def _norm(triples: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Names as the scorer compares them (legal suffixes, case and punctuation aside)."""
    return {(normalize_name(s), p, normalize_name(o)) for s, p, o in triples}


def _with_symmetric(triples: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return triples | {(o, p, s) for s, p, o in triples if p in (R, P)}


@pytest.mark.parametrize(("text", "expected"), FOUND, ids=[t[:50] for t, _ in FOUND])
def test_clients_found(extract, text, expected):
    found = _with_symmetric(_triples(extract(text)))
    assert _norm(expected) <= found, f"missing {_norm(expected) - found} in {found}"


@pytest.mark.parametrize(("text", "unwanted"), ABSENT, ids=[t[:50] for t, _ in ABSENT])
def test_clients_absent(extract, text, unwanted):
    found = _with_symmetric(_triples(extract(text)))
    assert not (_norm(unwanted) & found), f"unexpected {_norm(unwanted) & found}"


def test_ended_relationship_implies_customer(extract):
    """Every ending found in a sentence has its customer_of, marked ended."""
    rels = extract("Helix Bank terminated its contract with Datamark Inc. in March.")
    ended = {(r.subject_label, r.object_label) for r in rels if r.predicate == E}
    customers = {(r.subject_label, r.object_label): r for r in rels if r.predicate == C}
    assert ended and ended <= set(customers)
    assert all(customers[pair].status == "ended" for pair in ended)
