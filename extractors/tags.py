"""A doc's token annotations as lists of strings by token index, read once per doc from its
arrays: a rule or the mention finder looks at a token's tags by index and makes the spaCy
``Token`` (a new object at every ``doc[i]``) only where they match."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.attrs import DEP, ENT_TYPE, LEMMA, LOWER, ORTH, POS, TAG
from spacy.tokens import Doc

__all__ = ["Tags", "tags_of", "text_of"]

_KEY = "labelgraph_tags"
_TEXT = "labelgraph_text"


@dataclass(frozen=True)
class Tags:
    """Every token's ``text``, ``lower_``, ``lemma_`` lower-cased, ``pos_``, ``tag_``,
    ``dep_`` and ``ent_type_``."""

    text: list[str]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent: list[str]


def tags_of(doc: Doc) -> Tags:
    """The tags of ``doc``, read on the first call and kept with it (in ``doc.user_data``)."""
    found = doc.user_data.get(_KEY)
    if found is None:
        strings, n = doc.vocab.strings, len(doc)
        columns = doc.to_array([ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE]).reshape(n, 7).T.tolist()
        text, lower, lemma, pos, tag, dep, ent = ([strings[h] for h in column] for column in columns)
        found = doc.user_data[_KEY] = Tags(text, lower, [x.lower() for x in lemma], pos, tag, dep, ent)
    return found


def text_of(doc: Doc) -> str:
    """``doc.text`` (which spaCy joins from the tokens at every call), kept with the doc: a
    span's text is ``text_of(doc)[span.start_char : span.end_char]``."""
    found = doc.user_data.get(_TEXT)
    if found is None:
        found = doc.user_data[_TEXT] = doc.text
    return found
