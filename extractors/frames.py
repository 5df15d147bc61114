"""Walking the dependency parse: who is the subject, what is the object, which
entities a noun phrase stands for, and what a clause says about money and dates.

These helpers are shared by the verb rules (:mod:`extractors.relations`), the noun
rules (:mod:`extractors.nominal`) and the title rules (:mod:`extractors.roles`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from extractors.dates import ANAPHORIC, anaphoric_date, find_dates, normalize_date
from extractors.entities import Mention, Mentions, is_org, is_person, lexicon
from extractors.modality import Modality, clause_modality
from extractors.money import find_money, find_percent, usd_equivalent
from extractors.records import Relation
from extractors.tags import Tags, sentence_of, tags_of, text_of

__all__ = [
    "Candidate",
    "Context",
    "clause_span",
    "conjuncts",
    "np_entities",
    "subjects_of",
]

_SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_QUANTIFIERS = {"all", "both", "each", "some", "many", "most", "several", "none", "either"}
#: Prepositions followed inside an object noun phrase ("contracts with X", "stake in X").
_OBJECT_NP_PREPS = {
    "with",
    "of",
    "in",
    "into",
    "on",
    "at",
    "for",
    "from",
    "to",
    "between",
    "including",
    "like",
    "as",
}
#: Nouns whose "of" phrase names the actor ("the appointment of X", "the departure of X").
_EVENT_NOUNS = {
    "appointment",
    "hiring",
    "hire",
    "recruitment",
    "nomination",
    "promotion",
    "naming",
    "arrival",
    "move",
    "departure",
    "exit",
    "resignation",
    "decision",
    "investment",
    "acquisition",
    "loss",
}
#: Parts of an organization: "to lead Meta's AI team" is not leading Meta.
_UNIT_NOUNS = {
    "team",
    "unit",
    "division",
    "group",
    "lab",
    "labs",
    "effort",
    "efforts",
    "arm",
    "department",
    "operation",
    "operations",
    "organization",
    "organisation",
    "branch",
    "office",
    "subsidiary",
    "project",
    "program",
}
#: Climb from a verb to the verb whose subject it shares.
_CLIMB_DEPS = {"xcomp", "conj", "advcl", "pcomp", "prep", "pobj", "ccomp", "acomp", "oprd", "dep"}


@dataclass(frozen=True)
class Candidate:
    """A relation found in one sentence, before deduplication."""

    subject: Mention
    predicate: str
    object: Mention | None
    trigger: Token
    confidence: float
    status: str = "reported"
    qualifiers: dict = field(default_factory=dict)
    rule: str = ""


@dataclass
class Context:
    """What a rule may look at: the doc, its mentions, and the article so far."""

    doc: Doc
    mentions: Mentions
    published: str | None
    #: The latest year the text names: only used to place a bare month ("in June").
    year_hint: str | None = None
    found: list[Relation] = field(default_factory=list)
    #: The owner of "X's competitors" when the members are not named in that sentence.
    pending_rivals: Mention | None = None
    pending_sentence: int = -1
    #: The latest funding round stated: (company, qualifiers, end offset), for "X led the round".
    last_round: tuple | None = None
    _modality: dict[int, Modality] = field(default_factory=dict)
    #: Whole-document scans a rule needs once per article (keyed by the rule's name).
    memo: dict[str, object] = field(default_factory=dict)
    #: What a verb rule found at a verb, by (token index, rule): two families apply some rules.
    applied: dict[tuple[int, int], list] = field(default_factory=dict)
    _words: dict[tuple[int, int], frozenset[str]] = field(default_factory=dict)
    _tokens: list[Token] | None = None

    def words(self, sent: Span) -> frozenset[str]:
        """The words of ``sent``, lower-cased, and their lemmas: a rule whose trigger words
        are all missing skips the sentence without visiting its tokens (computed once per
        sentence, from arrays of the whole doc)."""
        found = self._words.get((sent.start, sent.end))
        if found is None:
            tags = self.tags()
            start, end = sent.start, sent.end
            found = self._words[(start, end)] = frozenset(tags.lower[start:end]) | frozenset(tags.lemma[start:end])
        return found

    def may_start(self, i: int, words: frozenset[str]) -> bool:
        """Whether token ``i`` (lower-cased) or its lemma is one of ``words``."""
        tags = self.tags()
        return tags.lower[i] in words or tags.lemma[i] in words

    def tags(self) -> Tags:
        """Every token's annotations as strings, by index (:func:`extractors.tags.tags_of`)."""
        return tags_of(self.doc)

    def text(self, span: Span) -> str:
        """``span.text``, sliced from the doc's text (joined once per doc, not once per span)."""
        return text_of(self.doc)[span.start_char : span.end_char]

    def tokens(self) -> list[Token]:
        """The doc's tokens, each made once (``doc[i]`` makes a new one every time)."""
        if self._tokens is None:
            self._tokens = list(self.doc)
        return self._tokens

    def modality(self, token: Token) -> Modality:
        """The modality of ``token``'s clause, computed once per token."""
        found = self._modality.get(token.i)
        if found is None:
            found = self._modality[token.i] = clause_modality(token)
        return found


def conjuncts(token: Token, mentions: Mentions | None = None) -> list[Token]:
    """``token`` and what is coordinated or in apposition with it ("A, B and C").

    With ``mentions``, a coordination hanging from any word of a multi-word name
    counts ("the Bank of Montreal, Orbit Labs and Acme": "Orbit Labs" hangs from "Montreal").
    """
    doc = token.doc
    tags = tags_of(doc)
    dep, kids = tags.dep, tags.kids
    found, stack = set(), [token.i]
    while stack:
        node = stack.pop()
        if node in found:
            continue
        found.add(node)
        mention = mentions.at(node) if mentions is not None else None
        words = range(mention.start, mention.end) if mention is not None else (node,)
        stack.extend(c for w in words for c in kids[w] if dep[c] in ("conj", "appos") and c not in found)
    return [token if i == token.i else doc[i] for i in sorted(found)]


def _dedupe(mentions: Iterable[Mention]) -> list[Mention]:
    out, seen = [], set()
    for m in mentions:
        if m.entity.id not in seen:
            seen.add(m.entity.id)
            out.append(m)
    return out


def resolve_pronoun(token: Token, ctx: Context, exclude: frozenset[str] = frozenset()) -> Mention | None:
    """Resolve "it", "its", "they", "he", "her"... (a subject pronoun to a subject)."""
    lex = lexicon()
    low = token.lower_
    subject = token.dep_ in ("nsubj", "nsubjpass")
    if low in lex.org_pronouns:
        parallel = _parallel_subject(token, ctx, exclude)
        return parallel or ctx.mentions.antecedent(token, exclude=exclude, prefer_subject=subject)
    if low in lex.person_pronouns:
        return ctx.mentions.antecedent(token, want_person=True, exclude=exclude, prefer_subject=subject)
    return None


def _parallel_subject(token: Token, ctx: Context, exclude: frozenset[str]) -> Mention | None:
    """ "B's staff will join A, and its founder will become A's CTO": a possessive in the
    subject of a conjoined clause refers to the company the first clause's subject is (or
    belongs to), not to the nearest name."""
    noun = token.head
    if token.dep_ != "poss":
        return None
    doc = token.doc
    if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.dep_ == "conj":
        first_verb = noun.head.head
    elif token.i >= 2 and doc[token.i - 1].lower_ in ("and", "but") and doc[token.i - 2].text == ",":
        first_verb = sentence_of(token).root  # the parser lost the second clause's verb: the sentence's first clause
        if first_verb.i > token.i:
            return None
    else:
        return None
    for first in (c for c in first_verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        owners = [ctx.mentions.at(first), *(ctx.mentions.at(c) for c in first.children if c.dep_ == "poss")]
        for m in owners:
            if m is not None and is_org(m.entity) and m.entity.id not in exclude:
                return m
    return None


def _possessor(mention: Mention, doc: Doc) -> bool:
    """True when the name is followed by a possessive "'s" ("Musk's xAI")."""
    return mention.end < len(doc) and doc[mention.end].tag_ == "POS"


def np_entities(token: Token, ctx: Context, *, role: str = "object", depth: int = 0) -> list[Mention]:
    """The entities a noun phrase headed by ``token`` stands for.

    A name stands for itself; coordination and apposition add entities; a noun that
    is not a name stands for its possessor ("Meta's researchers" -> Meta), its
    apposition ("a key supplier: Scale AI") and, for objects, the entity in its
    prepositional phrase ("their contracts with Scale" -> Scale).
    """
    if depth > 3:
        return []
    out: list[Mention] = []
    for t in conjuncts(token, ctx.mentions):
        mention = ctx.mentions.at(t)
        if mention is not None:
            if t.i != token.i and _possessor(mention, t.doc):
                continue  # "Google, Elon Musk's xAI and OpenAI": Musk only owns a list member
            out.append(mention)
            continue
        if t.pos_ == "PRON":
            if t.lower_ in _QUANTIFIERS or t.lower_ in _RELATIVE:
                continue
            resolved = resolve_pronoun(t, ctx)
            if resolved is not None:
                out.append(resolved)
            continue
        if t.pos_ not in ("NOUN", "PROPN", "NUM", "ADJ", "X"):
            continue
        if t.dep_ == "appos" and ctx.mentions.at(t.head) is not None and role == "object":
            out.append(ctx.mentions.at(t.head))
            continue
        children = list(t.children)
        found_here: list[Mention] = []
        for c in children:
            if c.dep_ in ("compound", "nmod") and ctx.mentions.at(c) is not None and role == "object":
                found_here.append(ctx.mentions.at(c))
        unit = role == "object" and t.lemma_.lower() in _UNIT_NOUNS
        if (role == "object" or t.lemma_.lower() in _EVENT_NOUNS) and not unit:
            for c in children:
                if c.dep_ == "prep" and c.lower_ in _OBJECT_NP_PREPS:
                    if role != "object" and c.lower_ != "of":
                        continue
                    for p in c.children:
                        if p.dep_ == "pobj":
                            found_here.extend(np_entities(p, ctx, role=role, depth=depth + 1))
        if not found_here and not (role == "object" and t.lemma_.lower() in _UNIT_NOUNS):
            for c in children:
                if c.dep_ == "poss":
                    m = ctx.mentions.at(c)
                    if m is None and c.pos_ == "PRON" and role == "object":
                        continue
                    if m is None and c.pos_ == "PRON":
                        m = resolve_pronoun(c, ctx)
                    if m is not None:
                        found_here.append(m)
        out.extend(found_here)
    return _dedupe(out)


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def subjects_of(verb: Token, ctx: Context, *, passive_agent: bool = False) -> list[Mention]:
    """The entities acting as subject of ``verb``, climbing through clause chains.

    ``passive_agent``: for a passive verb, the "by" agent is the subject.
    """
    node = verb
    for _ in range(6):
        if passive_agent and is_passive(node):
            agents = [p for c in node.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            return _dedupe(m for a in agents for m in np_entities(a, ctx, role="subject"))
        subjects = [c for c in node.children if c.dep_ in _SUBJECT_DEPS]
        if subjects:
            subject = subjects[0]
            if (subject.lower_ in _RELATIVE or subject.lower_ in _QUANTIFIERS) and node.dep_ == "relcl":
                found = np_entities(node.head, ctx, role="subject")
                return found or _list_before(subject, ctx)
            return np_entities(subject, ctx, role="subject")
        if node.dep_ in ("relcl", "acl") and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            found = np_entities(node.head, ctx, role="subject")
            if found or node.head.dep_ not in ("dobj", "pobj", "attr", "nsubj"):
                return found
            # "Amazon is weighing a deal to acquire Appen": the deal's holder acts.
            node = node.head.head if node.head.dep_ != "pobj" else node.head.head.head
            continue
        if node.dep_ in _CLIMB_DEPS and node.head.i != node.i:
            node = node.head
            continue
        if node.dep_ == "advcl" or node.head.i == node.i:
            break
        node = node.head
    return []


def _list_before(pronoun: Token, ctx: Context) -> list[Mention]:
    """ "A, B and C, all of whom ...": when the parse hangs the relative clause elsewhere,
    its antecedent is the coordinated names right before the pronoun."""
    i, start = pronoun.i - 1, sentence_of(pronoun).start
    while i >= start and ctx.doc[i].is_punct:
        i -= 1
    if i < start or ctx.mentions.at(i) is None:
        return []
    node = ctx.doc[i]
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
    return np_entities(node, ctx, role="subject")


def clause_span(token: Token) -> Span:
    """The tokens of the clause headed by ``token``, without relative clauses of others."""
    low, high, _size = tags_of(token.doc).extents()
    return token.doc[low[token.i] : high[token.i] + 1]


_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
_VALUATION_BEFORE = re.compile(
    r"\b(valued at|valuing \w+ at|values? \w+ at|valuation of|at|(?:company|startup|firm|unicorn|now) worth)"
    r"\s+(over|about|around|nearly|roughly|some)?\s*$",
    re.IGNORECASE,
)
_VALUATION_AFTER = re.compile(
    r"^\s*(valuation|pre-money|post-money|(?:[\w-]+\s+){0,3}(?:company|startup|start-up|firm|unicorn)\b)",
    re.IGNORECASE,
)  # "the $2 billion labeling company" is what the company is worth


def _is_valuation(text: str, start: int, end: int) -> bool:
    """True when the amount at ``text[start:end]`` is a valuation, not money paid."""
    return bool(_VALUATION_BEFORE.search(text[max(0, start - 30) : start]) or _VALUATION_AFTER.match(text[end:]))


def clause_qualifiers(
    span: Span | str, ctx: Context, *, money: bool = True, percent: bool = True, forward: bool = False
) -> dict:
    """Amount, stake and date stated within ``span`` (a span or its text); ``forward`` when the
    clause states a plan (a month alone is then the next one)."""
    out: dict = {}
    text = span if isinstance(span, str) else ctx.text(span)
    if money:
        amounts = [m for m in find_money(text) if not _is_valuation(text, m.start, m.end)]
        if amounts:
            first = amounts[0]
            out["amount"] = first.amount
            out["currency"] = first.currency
            usd = usd_equivalent(text, amounts)
            if usd is not None:
                out["amount_usd"] = usd
    if percent:
        stakes = find_percent(text)
        if stakes:
            out["stake_pct"] = stakes[0][0]
    for expr, _start, _end in find_dates(text):
        date = normalize_date(expr, ctx.published, forward=forward)
        if date is None and ctx.published is None and ctx.year_hint and _MONTH.search(expr):
            date = normalize_date(expr, ctx.year_hint)
        if date:
            out["date"] = date
            break
    if "date" not in out and not isinstance(span, str):
        date = referred_date(text, span[0], ctx) if len(span) else None
        if date:
            out["date"] = date
    return out


def referred_date(text: str, token: Token, ctx: Context) -> str | None:
    """The time ``text`` (words of ``token``'s sentence) gives by referring back: "that same
    year", "two weeks after that decision" (:func:`extractors.dates.anaphoric_date`)."""
    return anaphoric_date(text, _time_before(sentence_of(token), ctx)) if _refers_back(text) else None


@functools.lru_cache(maxsize=4096)
def _refers_back(text: str) -> bool:
    """Whether ``text`` refers back to a time (kept for the latest texts: each rule that
    holds in a clause asks it of the clause's words)."""
    return ANAPHORIC.search(text) is not None


def _time_before(sent: Span, ctx: Context, sentences: int = 2) -> str | None:
    """The latest time stated in the ``sentences`` before ``sent`` (what "that same year"
    or "two weeks after that decision" refers back to)."""
    for _ in range(sentences):
        if sent.start == 0:
            return None
        sent = sentence_of(ctx.doc[sent.start - 1])
        for expr, _start, _end in reversed(find_dates(sent.text)):
            date = normalize_date(expr, ctx.published)
            if date:
                return date
    return None


def other_orgs(sent: Span, ctx: Context, exclude: Iterable[str]) -> list[Mention]:
    """Organizations named in ``sent`` other than ``exclude``, in order."""
    skip = set(exclude)
    return [m for m in ctx.mentions.within(sent) if is_org(m.entity) and m.entity.id not in skip]


def persons(mentions: Iterable[Mention]) -> list[Mention]:
    return [m for m in mentions if is_person(m.entity)]


def orgs(mentions: Iterable[Mention]) -> list[Mention]:
    return [m for m in mentions if is_org(m.entity)]
