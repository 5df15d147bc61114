"""The model's rule lemmatizer applied by lookup: a token's lemma depends only on its text,
part of speech and morphology, so each distinct combination is lemmatized once (by the
model's own lemmatizer) and a doc is read and written as arrays.

spaCy's ``Lemmatizer`` caches the same key but still walks every token in Python and skips
its cache for the common base forms; this gives the same lemmas for a fraction of the cost.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

__all__ = ["LemmaLookup"]

#: Distinct (text, POS, morphology) keys kept; past this the cache starts again, so a long
#: run over an open vocabulary cannot grow it without bound.
MAX_CACHED = 200_000


class LemmaLookup:
    """A drop-in for a rule-mode ``Lemmatizer`` that does not overwrite (same lemmas)."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise ValueError(f"only a rule lemmatizer that keeps set lemmas can be looked up, not {lemmatizer.mode!r}")
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        strings, cache, lemmatize = doc.vocab.strings, self.cache, self.lemmatizer.lemmatize
        values = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = values[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(values.tolist()):
            if lemma:  # set by the attribute rules
                continue
            key = (orth, pos, morph)
            found = cache.get(key)
            if found is None:
                if len(cache) >= MAX_CACHED:
                    cache.clear()
                found = cache[key] = strings.add(lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas)
        return doc
