"""A doc's token annotations as lists of strings by token index, read once per doc from its
arrays: a rule or the mention finder looks at a token's tags by index and makes the spaCy
``Token`` (a new object at every ``doc[i]``) only where they match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, ENT_TYPE, HEAD, LEMMA, LOWER, ORTH, POS, SPACY, TAG
from spacy.tokens import Doc, Span, Token

__all__ = ["Tags", "sentence_of", "sentences_of", "tags_of", "text_of"]

_KEY = "labelgraph_tags"
_TEXT = "labelgraph_text"
_SENTS = "labelgraph_sentences"


@dataclass(frozen=True)
class Tags:
    """Every token's ``text``, ``lower_``, ``lemma_`` lower-cased, ``pos_``, ``tag_``,
    ``dep_`` and ``ent_type_``; its ``head`` (an index) and whether a space follows it;
    :meth:`children` gives a token's children by index."""

    text: list[str]
    lower: list[str]
    lemma: list[str]
    pos: list[str]
    tag: list[str]
    dep: list[str]
    ent: list[str]
    head: list[int]
    space: list[bool]
    #: Each token's children, by index, in order.
    kids: list[tuple[int, ...]]
    #: What is worked out from these on demand (the subtrees' extents).
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def children(self, i: int) -> tuple[int, ...]:
        """The indices of token ``i``'s children, in order (as ``Token.children``)."""
        return self.kids[i]

    def subtree(self, i: int) -> list[int]:
        """The indices of token ``i``'s subtree in text order (``Token.subtree`` walks
        each left child's subtree, the token, then the right ones: the same order unless
        an arc crosses another, where text order is what joining the words needs). The run
        of the doc between the subtree's edges when it has no gap, else walked."""
        low, high, size = self.extents()
        if size[i] == high[i] - low[i] + 1:
            return list(range(low[i], high[i] + 1))
        out, stack = [], [i]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(self.children(node))
        return sorted(out)

    def joined(self, indices: Iterable[int]) -> str:
        """The text of the tokens at ``indices``, each with the space that follows it."""
        text, space = self.text, self.space
        return "".join([text[i] + " " if space[i] else text[i] for i in indices])

    def extents(self) -> tuple[list[int], list[int], list[int]]:
        """Each token's leftmost and rightmost descendant and its subtree's size (once)."""
        found = self.memo.get("extents")
        if found is None:
            head = self.head
            n = len(head)
            order = [i for i in range(n) if head[i] == i]  # heads before their children
            for node in order:
                order.extend(self.children(node))
            low, high, size = list(range(n)), list(range(n)), [1] * n
            for i in reversed(order):  # children before their heads
                h = head[i]
                if h != i:
                    size[h] += size[i]
                    low[h] = min(low[h], low[i])
                    high[h] = max(high[h], high[i])
            found = self.memo["extents"] = (low, high, size)
        return found


_STRING_ATTRS = [ORTH, LOWER, LEMMA, POS, TAG, DEP, ENT_TYPE]
_LEMMA = _STRING_ATTRS.index(LEMMA)


def tags_of(doc: Doc) -> Tags:
    """The tags of ``doc``, read on the first call and kept with it (in ``doc.user_data``)."""
    found = doc.user_data.get(_KEY)
    if found is None:
        found = doc.user_data[_KEY] = _read(doc)
    return found


#: Strings by hash, and lemmas lower-cased by hash, as read so far in this process (a hash
#: names one string in every vocabulary): a token's tags are dictionary lookups, where
#: the string store would decode a new string for each.
_STRINGS: dict[int, str] = {}
_LOWERED: dict[int, str] = {}


def _read(doc: Doc) -> Tags:
    n, width = len(doc), len(_STRING_ATTRS)
    array = doc.to_array([*_STRING_ATTRS, HEAD, SPACY]).reshape(n, width + 2)
    columns = array[:, :width].T.tolist()
    text, lower, lemma, pos, tag, dep, ent = (
        _decoded(doc, column, _LOWERED if k == _LEMMA else _STRINGS) for k, column in enumerate(columns)
    )
    head = (numpy.arange(n) + array[:, width].astype(numpy.int64)).tolist()
    kids: list[list[int]] = [[] for _ in range(n)]
    for child, parent in enumerate(head):
        if child != parent:  # a root is its own head
            kids[parent].append(child)
    space = array[:, width + 1].astype(bool).tolist()
    return Tags(text, lower, lemma, pos, tag, dep, ent, head, space, list(map(tuple, kids)))


def _decoded(doc: Doc, hashes: list[int], known: dict[int, str]) -> list[str]:
    try:
        return list(map(known.__getitem__, hashes))
    except KeyError:
        strings = doc.vocab.strings
        for h in set(hashes).difference(known):
            known[h] = strings[h].lower() if known is _LOWERED else strings[h]
        return list(map(known.__getitem__, hashes))


def text_of(doc: Doc) -> str:
    """``doc.text`` (which spaCy joins from new token objects at every call), joined once
    from the doc's tags and kept with it: a span's text is
    ``text_of(doc)[span.start_char : span.end_char]``."""
    found = doc.user_data.get(_TEXT)
    if found is None:
        found = doc.user_data[_TEXT] = tags_of(doc).joined(range(len(doc)))
    return found


def sentences_of(doc: Doc) -> list[Span]:
    """``list(doc.sents)``, the boundaries found once per doc."""
    return [doc[start:end] for start, end in _sentences(doc)[0]]


def sentence_of(token: Token) -> Span:
    """``token.sent``, which spaCy finds by walking the doc at every call (a few
    microseconds): here looked up by token index in the doc's sentence boundaries, listed
    once."""
    bounds, index = _sentences(token.doc)
    start, end = bounds[index[token.i]]
    return token.doc[start:end]


def _sentences(doc: Doc) -> tuple[list[tuple[int, int]], list[int]]:
    # Boundaries, not spans: a span kept in the doc's user data would refer back to the
    # doc, and a doc in a reference cycle outlives its article until the garbage collector
    # runs (its tensors with it).
    found = doc.user_data.get(_SENTS)
    if found is None:
        bounds = [(sent.start, sent.end) for sent in doc.sents]
        index = [number for number, (start, end) in enumerate(bounds) for _ in range(start, end)]
        found = doc.user_data[_SENTS] = (bounds, index)
    return found
