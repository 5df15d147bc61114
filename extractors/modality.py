"""How a statement is made: asserted, negated, hypothetical, planned, done.

A relation is only drawn from an asserted or planned statement. Negated ("has not
signed the deal"), questioned ("will Acme do the same?") and hypothetical
("if Helix Bank left, ...", "could", "might") statements yield nothing.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib.resources import files

from spacy.tokens import Span, Token

from extractors.tags import Tags, sentence_of, tags_of, text_of

__all__ = ["Modality", "clause_modality", "is_question"]

DATA = files(__package__) / "modality.json"


@dataclass(frozen=True)
class Modality:
    """``asserted`` is False for negated, questioned or hypothetical statements;
    ``status`` is ``planned``, ``completed`` or ``reported``; ``hedged`` marks
    "reportedly", "said to", which lower confidence a little."""

    asserted: bool
    status: str
    hedged: bool = False
    reason: str = ""
    past: bool = False


@functools.cache
def _lexicon() -> dict[str, frozenset[str]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


#: What may follow a question mark at the end of a sentence.
_CLOSERS = "\"'”’)"


def is_question(sent: Span) -> bool:
    """True when the sentence asks rather than states: it ends in "?" before any closing
    quotes and brackets (read from its last few tokens, not its whole text; once per span of
    a doc, as every rule's modality asks it of its sentence)."""
    memo = sent.doc.user_data.setdefault("labelgraph_questions", {})
    found = memo.get((sent.start, sent.end))
    if found is None:
        found = memo[(sent.start, sent.end)] = _asks(sent)
    return found


def _asks(sent: Span) -> bool:
    if not len(sent):
        return False
    text = text_of(sent.doc)  # the text of the last four tokens, then of all
    tail = text[sent.doc[max(sent.start, sent.end - 4)].idx : sent.end_char].rstrip().rstrip(_CLOSERS)
    if not tail and len(sent) > 4:  # nothing but closers and spaces at the end
        tail = text[sent.start_char : sent.end_char].rstrip().rstrip(_CLOSERS)
    return tail.endswith("?")


_CHAIN_DEPS = frozenset({"xcomp", "conj", "pcomp", "advcl", "acomp", "ccomp", "prep", "pobj"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass")


def _chain(i: int, tags: Tags) -> list[int]:
    """Token ``i`` and the tokens it hangs from within its clause chain (xcomp, conj...)."""
    chain, dep, head = [i], tags.dep, tags.head
    node = i
    while dep[node] in _CHAIN_DEPS and head[node] != node:
        node = head[node]
        chain.append(node)
        if dep[node] in ("ROOT", "relcl"):
            break
    return chain


def _denied_subject(subject: int, tags: Tags, lex: dict[str, frozenset[str]]) -> bool:
    """ "Neither A nor B ...", "No lab ...": a subject that names who does not."""
    return any(tags.dep[c] in ("preconj", "det") and tags.lower[c] in lex["negators"] for c in tags.children(subject))


def _alternative_subject(subject: int, tags: Tags) -> bool:
    """ "Either A or B ...", "A or B ...": alternatives, neither of which is stated."""
    return any(
        (tags.dep[c] == "preconj" and tags.lower[c] == "either") or (tags.dep[c] == "cc" and tags.lower[c] == "or")
        for c in tags.children(subject)
    )


def clause_modality(trigger: Token) -> Modality:
    """The modality of the clause that ``trigger`` (a verb or noun) belongs to (read from
    the doc's tags by index: no token objects)."""
    lex = _lexicon()
    if is_question(sentence_of(trigger)):
        return Modality(False, "reported", reason="question")
    tags, t = tags_of(trigger.doc), trigger.i
    dep, lower, lemma = tags.dep, tags.lower, tags.lemma
    chain = _chain(t, tags)
    status = "reported"
    hedged = False
    reporting = [k for k, node in enumerate(chain) if lemma[node] in lex["reporting_verbs"]]
    for index, node in enumerate(chain):
        for child in tags.children(node):
            low, relation = lower[child], dep[child]
            if relation == "neg" or (low in lex["negators"] and relation in ("advmod", "det", "neg")):
                return Modality(False, status, reason="negated")
            if relation in _SUBJECT_DEPS and _denied_subject(child, tags, lex):
                return Modality(False, status, reason="negated")  # "Neither A nor B is a client"
            if relation in _SUBJECT_DEPS and _alternative_subject(child, tags):
                return Modality(False, status, reason="hypothetical")  # "Either A or B uses C": which is unsaid
            if relation == "aux" and low in lex["hypothetical_aux"]:
                if low in lex["reported_future_aux"] and any(r > index for r in reporting):
                    status = "planned"  # "she said they would continue": reported intent
                    continue
                return Modality(False, status, reason="hypothetical")
            if relation == "mark" and low in lex["conditional_marks"]:
                return Modality(False, status, reason="conditional")
            if relation == "aux" and low in lex["future_aux"]:
                status = "planned"
            if low in lex["hedges"]:
                hedged = True
        if node != t and lemma[node] in lex["denial_verbs"]:
            return Modality(False, status, reason="negated")  # "A denied that it had hired B"
        if node != t and lemma[node] in lex["planning_verbs"]:
            status = "planned"
        if node != t and lemma[node] in lex["hedge_verbs"]:
            hedged = True
        if lemma[node] in lex["completion_verbs"] and node != t:
            status = "completed"
    top = chain[-1]
    claim = tags.head[top] if dep[top] in ("acl", "ccomp", "relcl") else None
    if claim is not None and lemma[claim] in lex["claim_nouns"] and lemma[tags.head[claim]] in lex["denial_verbs"]:
        return Modality(False, status, reason="negated")  # "A dismissed reports that it had hired B"
    # "in talks to", "on track to": a planning noun above the trigger.
    for node in chain:
        if lemma[node] in lex["planning_nouns"] and node != t:
            status = "planned"
    past = any(lower[c] in lex["past_adverbs"] for c in tags.children(t) if dep[c] == "advmod")
    return Modality(True, status, hedged, past=past)
