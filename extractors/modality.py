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

from extractors.tags import text_of

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


def _chain(verb: Token) -> list[Token]:
    """The verb and the verbs it hangs from within its clause chain (xcomp, conj...)."""
    chain = [verb]
    node = verb
    while node.dep_ in ("xcomp", "conj", "pcomp", "advcl", "acomp", "ccomp", "prep", "pobj") and node.head.i != node.i:
        node = node.head
        chain.append(node)
        if node.dep_ in ("ROOT", "relcl"):
            break
    return chain


def _denied_subject(subject: Token, lex: dict[str, frozenset[str]]) -> bool:
    """ "Neither A nor B ...", "No lab ...": a subject that names who does not."""
    return any(c.dep_ in ("preconj", "det") and c.lower_ in lex["negators"] for c in subject.children)


def _alternative_subject(subject: Token) -> bool:
    """ "Either A or B ...", "A or B ...": alternatives, neither of which is stated."""
    return any(c.dep_ == "preconj" and c.lower_ == "either" for c in subject.children) or any(
        c.dep_ == "cc" and c.lower_ == "or" for c in subject.children
    )


def clause_modality(trigger: Token) -> Modality:
    """The modality of the clause that ``trigger`` (a verb or noun) belongs to."""
    lex = _lexicon()
    if is_question(trigger.sent):
        return Modality(False, "reported", reason="question")
    chain = _chain(trigger)
    status = "reported"
    hedged = False
    reporting = [i for i, node in enumerate(chain) if node.lemma_.lower() in lex["reporting_verbs"]]
    for index, node in enumerate(chain):
        for child in node.children:
            low = child.lower_
            if child.dep_ == "neg" or (low in lex["negators"] and child.dep_ in ("advmod", "det", "neg")):
                return Modality(False, status, reason="negated")
            if child.dep_ in ("nsubj", "nsubjpass") and _denied_subject(child, lex):
                return Modality(False, status, reason="negated")  # "Neither A nor B is a client"
            if child.dep_ in ("nsubj", "nsubjpass") and _alternative_subject(child):
                return Modality(False, status, reason="hypothetical")  # "Either A or B uses C": which is unsaid
            if child.dep_ == "aux" and low in lex["hypothetical_aux"]:
                if low in lex["reported_future_aux"] and any(r > index for r in reporting):
                    status = "planned"  # "she said they would continue": reported intent
                    continue
                return Modality(False, status, reason="hypothetical")
            if child.dep_ == "mark" and low in lex["conditional_marks"]:
                return Modality(False, status, reason="conditional")
            if child.dep_ == "aux" and low in lex["future_aux"]:
                status = "planned"
            if low in lex["hedges"]:
                hedged = True
        lemma = node.lemma_.lower()
        if node.i != trigger.i and lemma in lex["denial_verbs"]:
            return Modality(False, status, reason="negated")  # "A denied that it had hired B"
        if node.i != trigger.i and lemma in lex["planning_verbs"]:
            status = "planned"
        if node.i != trigger.i and lemma in lex["hedge_verbs"]:
            hedged = True
        if lemma in lex["completion_verbs"] and node.i != trigger.i:
            status = "completed"
    top = chain[-1]
    claim = top.head if top.dep_ in ("acl", "ccomp", "relcl") else None
    if (
        claim is not None
        and claim.lemma_.lower() in lex["claim_nouns"]
        and claim.head.lemma_.lower() in lex["denial_verbs"]
    ):
        return Modality(False, status, reason="negated")  # "A dismissed reports that it had hired B"
    # "in talks to", "on track to": a planning noun above the trigger.
    for node in chain:
        if node.lemma_.lower() in lex["planning_nouns"] and node.i != trigger.i:
            status = "planned"
    past = any(c.lower_ in lex["past_adverbs"] for c in trigger.children if c.dep_ == "advmod")
    return Modality(True, status, hedged, past=past)
