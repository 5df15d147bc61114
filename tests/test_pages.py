"""HTML pages with realistic chrome (navigation, cookie banner, related stories, comments,
newsletter box), written here: the extracted text keeps every body sentence and no chrome
sentence. ``PYTHONPATH=. python tests/test_pages.py`` prints the README's comparison with the cleaner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.clean import clean_text
from extractors.pages import read_page

PAGES = Path(__file__).with_name("pages")
#: Per page: the body sentences and the chrome sentences (or chrome lines) the page holds.
EXPECTED = {
    "newsroom.html": {
        "title": "Quorvex Data buys Saltmere Vision",
        "date": "2026-02-11",
        "body": [
            "Quorvex Data has agreed to buy Saltmere Vision, a small image-labelling firm based in Tallinn, for $62 million in cash.",
            "The deal gives Quorvex a team of 300 annotators who specialise in satellite imagery and drone footage.",
            "Saltmere's founder, Ilsa Marrow, will join Quorvex as head of geospatial data once the purchase closes in April.",
            "Demand for labelled aerial images has grown as mapping companies train models to spot new roads and buildings.",
            "Quorvex said it expects the acquisition to add about $15 million to its revenue next year.",
        ],
        "chrome": [
            "Deals and funding", "People moves",
            "We use cookies to give you the best experience on Datawire Daily.",
            "By continuing to browse you agree to our use of cookies.", "Accept all cookies",
            "By Tamsin Orell, markets reporter",
            "Harbourline Data opens an office in Porto after a record quarter",
            "Why annotation vendors are hiring linguists again this spring",
            "Great reporting, I always wondered who funds these labelling shops.",
            "This will not end well for the contractors doing the actual work.",
            "Sign up for our free newsletter and get the top data-labelling stories every morning.",
            "Copyright 2026 Datawire Daily Media. All rights reserved.",
        ],
    },
    "divsoup.html": {
        "title": "Ferncove Systems raises $40 million",
        "date": "2026-01-20",
        "body": [
            "Ferncove Systems, which labels medical scans for hospitals and drug makers, has raised $40 million in a round led by Ironleaf Ventures.",
            "The company employs radiologists in Manila and Bogota who review images flagged by its software.",
            "Chief executive Oren Balfe said the money would pay for a second office in Nairobi and for new tools that check the work of reviewers.",
            "Ironleaf partner Maud Keswick will join Ferncove's board as part of the deal.",
            "Ferncove was valued at about $310 million after the round, according to a person familiar with the matter.",
        ],
        "chrome": [
            "Sign in to your account",
            "This site uses cookies and similar technologies to measure traffic and personalise ads.",
            "Manage preferences", "Get The Ledger Tech in your inbox every Friday.",
            "Virelle Health cuts a fifth of its annotation staff", "Share this article on LinkedIn",
            "Copperfen Capital closes its third fund at $900 million",
            "Five questions for the new head of Nimbrook Logistics",
            "Radiology labelling is brutal work, I hope they pay people fairly.",
            "Interesting to see Nairobi on the list again.", "Terms of use.",
        ],
    },
    "blog.html": {
        "title": "Brindlemark AI signs Conbright Audio as a customer",
        "date": "2026-03-09",
        "body": [
            "Brindlemark AI, a speech-data vendor, said on Monday that Conbright Audio will use its transcription teams to label voice recordings in twelve languages.",
            "Conbright, which makes hearing aids, wants the data to train a model that separates speech from background noise.",
            "We picked Brindlemark because its reviewers know the accents our customers actually have, said Petra Voss, Conbright's chief technology officer.",
            "The contract runs for three years, though neither company disclosed its value.",
            "Brindlemark already works with Pellmark Robotics and Hollowfen Labs.",
        ],
        "chrome": [
            "About this blog", "Posted on March 9, 2026 by Jonah Prell",
            "Twelve languages is ambitious for a team that size.",
            "I used to work there and the reviewers were treated well.",
            "Does anyone know if they are hiring in Lisbon?", "Your email address will not be published.",
            "Taskwell Annotate loses its biggest client", "A short history of crowd labelling",
            "Enter your email address to follow this blog and receive notifications of new posts.",
            "This website uses cookies to ensure you get the best experience.",
            "Proudly powered by a static site generator.",
        ],
    },
    "magazine.html": {
        "title": "Inside Lumtrail Labs, the quiet giant of robot training data",
        "date": "2026-02-27",
        "body": [
            "Lumtrail Labs records people doing household chores so that robot makers can teach machines to copy them.",
            "The company, founded in 2021 by Rafe Dunmore and Kasia Lind, now films in more than forty homes in Warsaw and Krakow.",
            "Pellmark Robotics became Lumtrail's largest customer last year, and Nimbrook Logistics signed a contract in January.",
            "Dunmore said the company turned a profit for the first time in the fourth quarter.",
            "Lumtrail competes with Taskwell Annotate, which runs a similar studio in Lyon.",
            "Investors led by Bluequay Partners valued Lumtrail at $1.2 billion in its most recent round.",
        ],
        "chrome": [
            "Shop the magazine", "You have 2 free articles left this month.",
            "The best budget laptops for students this year",
            "Ten podcasts about science that are worth your time", "Advertisement",
            "Share on Facebook", "Odile Fenwick covers robotics and automation for Frontier Weekly.",
            "Our best stories about technology and the future of work, delivered every Sunday.",
            "The robots are coming for the warehouse, slowly", "What a laundry-folding robot tells us about AI",
            "Frontier Weekly is published by Frontier Media Group.",
        ],
    },
}  # fmt: skip


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def score(text: str, expected: dict) -> tuple[int, int]:
    """(body sentences kept, chrome sentences leaked) in ``text``."""
    flat = _flat(text)
    return sum(s in flat for s in expected["body"]), sum(c in flat for c in expected["chrome"])


def _raw(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pages_trafilatura_keeps_every_body_sentence_and_no_chrome(name):
    expected = EXPECTED[name]
    cleaned = read_page(_raw(name), "https://news.example/" + name).cleaned
    flat = _flat(cleaned.text)
    assert [s for s in expected["body"] if s not in flat] == []
    assert [c for c in expected["chrome"] if c in flat] == []
    assert cleaned.published == expected["date"] and cleaned.title == expected["title"]


def test_pages_title_and_canonical():
    page = read_page(_raw("newsroom.html"), "https://datawire.example/deals/quorvex-saltmere?utm_source=feed")
    assert page.cleaned.title == "Quorvex Data buys Saltmere Vision"
    assert page.canonical == "https://datawire.example/deals/quorvex-saltmere"
    assert page.site == "Datawire Daily" and page.by == "trafilatura"


def test_pages_fragments_read_by_trafilatura_or_else_the_cleaner():
    fragment = read_page("<p>Quorvex Data hired Ilsa Marrow.</p>")
    assert fragment.by == "trafilatura" and fragment.cleaned.text == "Quorvex Data hired Ilsa Marrow."
    cell = "<html><body><table><tr><td>Quorvex Data hired Ilsa Marrow as chief executive on Monday.</td></tr></table></body></html>"
    table = read_page(cell)
    assert (
        table.by == "cleaner" and table.cleaned.text == "Quorvex Data hired Ilsa Marrow as chief executive on Monday."
    )


def comparison() -> list[str]:
    """The README's table: body sentences kept and chrome sentences leaked, per reader."""
    rows = ["| page | trafilatura path: body kept, chrome leaked, title, date | cleaner: body kept, chrome leaked, title, date |",
            "| --- | --- | --- |"]  # fmt: skip
    totals = {"trafilatura": [0, 0, 0, 0], "cleaner": [0, 0, 0, 0]}
    n_all = m_all = 0
    for name in sorted(EXPECTED):
        expected, raw = EXPECTED[name], _raw(name)
        n, m = len(expected["body"]), len(expected["chrome"])
        n_all, m_all = n_all + n, m_all + m
        cells = []
        for reader, cleaned in (("trafilatura", read_page(raw).cleaned), ("cleaner", clean_text(raw, "html"))):
            kept, leaked = score(cleaned.text, expected)
            title, date = cleaned.title == expected["title"], cleaned.published == expected["date"]
            for i, v in enumerate((kept, leaked, title, date)):
                totals[reader][i] += v
            cells.append(f"{kept}/{n}, {leaked}/{m}, {'right' if title else 'wrong'}, {'right' if date else 'wrong'}")
        rows.append(f"| {name} | {cells[0]} | {cells[1]} |")
    pages = len(EXPECTED)
    cells = [f"{k}/{n_all}, {lk}/{m_all}, {t}/{pages} right, {d}/{pages} right" for k, lk, t, d in totals.values()]
    rows.append(f"| all | {cells[0]} | {cells[1]} |")
    return rows


if __name__ == "__main__":  # pragma: no cover - prints the README table
    print("\n".join(comparison()))
