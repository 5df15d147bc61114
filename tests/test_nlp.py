"""The spaCy pipeline as labelgraph runs it: the model's attribute rules applied by lookup give
exactly what spaCy's AttributeRuler gives; catalogue names are phrase patterns; nothing unread
is loaded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from extractors.attributes import AttributeLookup
from extractors.lemmas import LemmaLookup
from extractors.nlp import get_nlp, model_name, ruler_patterns
from ontology.catalogue import market_entities

pytestmark = pytest.mark.slow

TEXTS = [
    "Datamark isn't gonna sell; it's raising $40 million, and y'all know it. Let's see.",
    "There are two rivals. Did Orbit Labs hire her? She has done it, and they do have a deal.",
    "Which firm did Priya Nair join in 2021?  That is what I asked you about it.",
    "The startup, whose founders ain't talking, gets funding and got nothin' else.\n\nC'mon, Helix.",
]


#: The bundled sample articles: some thousands of words of news prose.
SAMPLES = [
    p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parents[1] / "extractors" / "corpus").glob("*.md"))
]


def _annotations(doc: Doc) -> list[tuple]:
    return [(t.pos_, t.tag_, str(t.morph), t.lemma_, t.dep_) for t in doc]


def _as_it_reaches(model, name: str) -> Iterator[Doc]:
    """Each of our texts and samples parsed by the components before ``name``."""
    upstream = [model.get_pipe(n) for n in model.pipe_names[: model.pipe_names.index(name)]]
    for text in TEXTS + SAMPLES:
        doc = model.make_doc(text)
        for component in upstream:
            doc = component(doc)
        yield doc


def _copy(doc: Doc) -> Doc:
    return Doc(doc.vocab).from_bytes(doc.to_bytes())


def test_attribute_lookup_gives_what_the_attribute_ruler_gives() -> None:
    model = spacy.load(model_name())
    ruler = model.get_pipe("attribute_ruler")
    lookup = AttributeLookup(ruler)
    for doc in _as_it_reaches(model, "attribute_ruler"):
        assert _annotations(ruler(_copy(doc))) == _annotations(lookup(_copy(doc)))


def test_lemma_lookup_gives_what_the_lemmatizer_gives() -> None:
    model = spacy.load(model_name())
    lemmatizer = model.get_pipe("lemmatizer")
    lookup = LemmaLookup(lemmatizer)
    for doc in _as_it_reaches(model, "lemmatizer"):
        by_model = lemmatizer(_copy(doc))
        assert _annotations(by_model) == _annotations(lookup(_copy(doc)))
        assert _annotations(lookup(_copy(doc))) == _annotations(by_model)  # cached


def test_the_lemma_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.lemmas

    monkeypatch.setattr(extractors.lemmas, "MAX_CACHED", 5)
    model = spacy.load(model_name())
    lookup = LemmaLookup(model.get_pipe("lemmatizer"))
    doc = model(TEXTS[0])
    assert [t.lemma_ for t in lookup(Doc(model.vocab).from_bytes(doc.to_bytes()))] == [t.lemma_ for t in doc]
    assert len(lookup.cache) <= 5


def test_pipeline_runs_the_lookups_and_loads_nothing_unread() -> None:
    names = get_nlp().component_names
    assert "labelgraph_attribute_lookup" in names and "attribute_ruler" not in names
    assert "labelgraph_lemma_lookup" in names and "lemmatizer" not in names
    assert "senter" not in names


def test_catalogue_names_are_phrase_patterns() -> None:
    patterns = ruler_patterns(market_entities())
    assert patterns and all(isinstance(p["pattern"], str) for p in patterns)


def test_one_word_names_still_match_case_sensitively() -> None:
    one_word = next(p for p in ruler_patterns(market_entities()) if " " not in p["pattern"])
    name = one_word["pattern"]
    doc = get_nlp()(f"Analysts said {name} grew. Analysts said {name.lower()} grew.")
    assert [e.text for e in doc.ents if e.ent_id_ == one_word["id"]] == [name]


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Will Orbit Labs renew the deal?", True),
        ("The analyst asked whether Orbit Labs would renew the deal.", False),
        ('Does Datamark still count Orbit as a client?"', True),
        ('Does Datamark still count Orbit as a client?"\')"\'"', True),  # six closing tokens after the mark
        ("Orbit renewed the deal (for now).", False),
    ],
)
def test_a_question_is_read_from_the_end_of_the_sentence(text: str, asked: bool) -> None:
    from extractors.modality import is_question

    sent = next(get_nlp()(text).sents)
    assert is_question(sent) is asked


def test_the_rules_token_tags_are_the_tokens_own() -> None:
    from extractors.entities import find_mentions
    from extractors.frames import Context

    for doc in get_nlp().pipe(TEXTS + SAMPLES):
        ctx = Context(doc, find_mentions(doc), None)
        tags, tokens = ctx.tags(), ctx.tokens()
        assert [t.i for t in tokens] == list(range(len(doc))) and tokens is ctx.tokens()  # made once
        assert list(zip(tags.lower, tags.lemma, tags.pos, tags.tag, tags.dep, tags.ent, strict=True)) == [
            (t.lower_, t.lemma_.lower(), t.pos_, t.tag_, t.dep_, t.ent_type_) for t in doc
        ]
        assert tags.text == [t.text for t in doc] and tags.head == [t.head.i for t in doc]
        assert [list(tags.children(t.i)) for t in doc] == [[c.i for c in t.children] for t in doc]
        assert [tags.subtree(t.i) for t in doc] == [sorted(d.i for d in t.subtree) for t in doc]


def test_tree_by_index_follows_spacy_on_a_crossing_tree() -> None:
    """Children by index in spaCy's order and subtrees in text order where the tree is not
    projective (an arc crosses another: the subtree is not a run of the sentence)."""
    from extractors.tags import tags_of

    words = ["A", "hearing", "is", "scheduled", "on", "the", "issue", "today"]
    heads = [1, 2, 2, 2, 1, 6, 4, 3]  # "on the issue" hangs from "hearing", across "is scheduled"
    deps = ["det", "nsubj", "ROOT", "acomp", "prep", "det", "pobj", "npadvmod"]
    doc = Doc(get_nlp().vocab, words=words, heads=heads, deps=deps)
    tags = tags_of(doc)
    assert [tags.subtree(t.i) for t in doc] == [sorted(d.i for d in t.subtree) for t in doc]
    assert tags.subtree(1) == [0, 1, 4, 5, 6]  # not a run: "is scheduled" is outside it
    assert [list(tags.children(t.i)) for t in doc] == [[c.i for c in t.children] for t in doc]


def test_a_token_sentence_is_looked_up_once_per_doc() -> None:
    from extractors.tags import sentence_of, sentences_of

    for doc in get_nlp().pipe(TEXTS):
        assert sentences_of(doc) == list(doc.sents)
        assert [sentence_of(t) for t in doc] == [t.sent for t in doc]


def test_what_the_rules_keep_with_a_doc_does_not_keep_the_doc_alive() -> None:
    """A doc is freed with its article (no reference cycle through its user data, which
    only the garbage collector would break, the doc's tensors held until then)."""
    import gc
    import weakref

    from extractors.pipeline import relations_from_doc
    from extractors.records import Article

    doc = get_nlp()("Orbit Labs raised $40 million in a round led by Helix Capital. It hired Priya Nair as CEO.")
    article = Article("a", "a.txt", "a.txt", doc.text)
    list(relations_from_doc(doc, article))
    assert doc.user_data  # the rules kept what they read once
    alive = weakref.ref(doc)
    gc.disable()
    try:
        del doc
        assert alive() is None
    finally:
        gc.enable()


def test_a_question_is_asked_once_per_sentence_and_each_span_on_its_own() -> None:
    from extractors.modality import is_question

    doc = get_nlp()("Will Orbit Labs renew the deal? Orbit renewed it.")
    first, second = doc.sents
    assert is_question(first) and not is_question(second)
    assert is_question(first) and not is_question(doc[0:3])  # a span of its own, not the sentence's answer


def test_a_span_text_is_sliced_from_the_doc_text_kept_once() -> None:
    from extractors.entities import find_mentions
    from extractors.frames import Context
    from extractors.tags import text_of

    for doc in get_nlp().pipe(TEXTS):
        ctx = Context(doc, find_mentions(doc), None)
        assert text_of(doc) is text_of(doc) == doc.text
        assert [ctx.text(s) for s in doc.sents] == [s.text for s in doc.sents]
        assert ctx.text(doc[2:5]) == doc[2:5].text and ctx.text(doc[3:3]) == ""
