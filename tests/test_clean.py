"""Page chrome out, article in: teasers, newsletter boxes, bylines, breadcrumbs."""

from __future__ import annotations

from extractors.clean import clean_text

BODY = [
    "Acme Labs invested $5 million in Beta Data, the labeling startup said on Tuesday.",
    "Beta Data will use the money to hire reviewers and share the results with clients in the autumn.",
    "The round values Beta Data at $80 million, according to people familiar with the terms.",
]
PAGE = "\n\n".join(
    [
        "Home » News » Acme backs Beta",
        "Acme backs Beta Data",
        "Sep 3, 2025 | 12 views | 0 comments",
        "By Jane Writer",
        "Share",
        *BODY,
        "Read more",
        "Globex shipped a new phone with a larger battery and a brighter screen this week.",
        "Initech opened a factory in Ohio that will employ four hundred people.",
        "Subscribe to our weekly newsletter",
        "Get the week's biggest stories in your inbox. Sign up",
    ]
)


def test_clean_keeps_the_body_and_drops_chrome():
    cleaned = clean_text(PAGE, "txt")
    assert cleaned.text.split("\n\n") == BODY
    assert cleaned.title == "Acme backs Beta Data"
    assert cleaned.published == "2025-09-03"


def test_clean_keeps_a_sentence_that_mentions_share_or_subscribe():
    text = "Acme said readers who subscribe will share in the gains.\n\nBeta Data declined to comment on the plan."
    assert clean_text(text, "txt").text.count("\n\n") == 1


def test_clean_markdown_title_date_and_links():
    md = (
        "# Beta Data raises money\n\nPublished: 2025-06-14\n\n**Acme Labs** [invested](https://x.example) in Beta Data."
    )
    cleaned = clean_text(md, "md")
    assert cleaned.title == "Beta Data raises money" and cleaned.published == "2025-06-14"
    assert cleaned.text == "Acme Labs invested in Beta Data."


def test_clean_teaser_yields_no_relation(extract):
    from extractors.pipeline import extract_article
    from extractors.records import Article

    cleaned = clean_text(PAGE.replace("Globex shipped", "Google hired Appen and shipped"), "txt")
    rels = extract_article(Article("p", "p.txt", "p.txt", cleaned.text))
    assert not [r for r in rels if "Appen" in (r.subject_label, r.object_label)]
