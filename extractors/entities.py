"""Find the entities an article talks about, and what each mention refers to.

Mentions come, in order of trust, from the catalogue's EntityRuler (names and
aliases), from names defined in the article itself (an acronym in parentheses, a
person's surname, a catalogue short name once the full name was seen), from
catalogue descriptors ("the social media giant"), from generic descriptors ("the
San Francisco-based startup") resolved to the nearest fitting organization, and
last from the statistical NER, filtered.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.resources import files

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ontology.catalogue import Entity, load_catalogue, slugify

__all__ = ["Mention", "Mentions", "find_mentions", "is_org", "is_person", "lexicon"]

DATA = files(__package__) / "mentions.json"

_TRUST = {"name": 1.0, "acronym": 0.95, "short": 0.9, "descriptor": 0.85, "ner": 0.75, "generic": 0.7}
#: Generic heads that name a young company rather than a large one.
_SMALL_HEADS = {"startup", "start-up", "unicorn"}
_VENDOR_HEADS = {"vendor", "provider", "contractor", "supplier"}
_LARGE_HEADS = {"giant", "titan", "behemoth"}
_ORG_TYPES_LARGE = {"BigTech"}
#: Only these heads may stand for a venture investor ("the firm led the round").
_INVESTOR_HEADS = {"firm", "investor", "fund", "backer", "group"}
_POSSESSIVE = ("'s", "’s", "'", "’")


@dataclass(frozen=True)
class Mention:
    """A span of the doc that refers to an entity.

    ``start``/``end`` are token indices (end exclusive), ``head`` the token that
    heads the span in the parse; ``via`` says how it was found and ``trust`` is
    how sure that finding is (1.0 for a catalogue name).
    """

    entity: Entity
    start: int
    end: int
    head: int
    via: str
    trust: float


@dataclass(frozen=True)
class Lexicon:
    """Catalogue lookups built once per process."""

    by_id: dict[str, Entity]
    short_names: dict[str, str]
    descriptors: dict[str, str]
    ner_stop: frozenset[str]
    ner_labels: dict[str, str]
    generic_heads: frozenset[str]
    generic_determiners: frozenset[str]
    org_pronouns: frozenset[str]
    person_pronouns: frozenset[str]


@functools.cache
def lexicon() -> Lexicon:
    """The catalogue and ``mentions.json`` read into lookups (cached)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    entities = load_catalogue()
    short = {s: e.id for e in entities for s in e.short_names}
    descriptors = {d.lower().replace("’", "'"): e.id for e in entities for d in e.descriptors}
    return Lexicon(
        by_id={e.id: e for e in entities},
        short_names=short,
        descriptors=descriptors,
        ner_stop=frozenset(s.lower() for s in data["ner_stop"]),
        ner_labels=dict(data["ner_labels"]),
        generic_heads=frozenset(data["generic_heads"]),
        generic_determiners=frozenset(data["generic_determiners"]),
        org_pronouns=frozenset(data["org_pronouns"]),
        person_pronouns=frozenset(data["person_pronouns"]),
    )


def is_person(entity: Entity) -> bool:
    return entity.type == "Person"


def is_org(entity: Entity) -> bool:
    return entity.type not in ("Person", "Place")


@dataclass
class Mentions:
    """The mentions of one doc, indexed by token."""

    doc: Doc
    items: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)

    def add(self, mention: Mention) -> None:
        self.items.append(mention)
        for i in range(mention.start, mention.end):
            self.by_token.setdefault(i, mention)

    def at(self, token: Token | int) -> Mention | None:
        """The mention covering ``token``, if any."""
        return self.by_token.get(token if isinstance(token, int) else token.i)

    def within(self, span: Span) -> list[Mention]:
        """Mentions that start inside ``span``, in order."""
        return [m for m in self.items if span.start <= m.start < span.end]

    def focus(self) -> Entity | None:
        """The organization the article is most about (most mentioned, catalogue first)."""
        counts = Counter(m.entity.id for m in self.items if is_org(m.entity) and m.via != "generic")
        if not counts:
            return None
        best, _ = counts.most_common(1)[0]
        return next(m.entity for m in self.items if m.entity.id == best)

    def antecedent(
        self,
        token: Token,
        *,
        want_person: bool = False,
        exclude: frozenset[str] = frozenset(),
        sentences_back: int = 1,
        prefer_subject: bool = False,
        fits=None,
    ) -> Mention | None:
        """The mention that ``token`` (a pronoun or "the company") most likely refers to.

        In the token's own sentence the nearest fitting mention before it wins (the
        nearest subject when ``prefer_subject``, as for a subject pronoun); in earlier
        sentences the subject of the latest one wins, else its nearest mention.
        """
        sentence = token.sent
        sentences = [sentence]
        for _ in range(sentences_back):
            if sentences[-1].start == 0:
                break
            sentences.append(self.doc[sentences[-1].start - 1].sent)
        for index, sent in enumerate(sentences):
            candidates = [
                m
                for m in self.items
                if sent.start <= m.start < sent.end
                and m.start < token.i
                and m.via != "generic"
                and m.entity.id not in exclude
                and is_person(m.entity) == want_person
                and m.entity.type != "Place"
                and (fits is None or fits(m))
            ]
            if not candidates:
                continue
            candidates.sort(key=lambda m: m.start, reverse=True)
            subjects = [
                m for m in candidates if self.doc[m.head].dep_ in ("nsubj", "nsubjpass") or m.start == sent.start
            ]
            if subjects and (index > 0 or prefer_subject):
                return subjects[-1] if index > 0 else subjects[0]
            return candidates[0]
        return None

    def __iter__(self) -> Iterator[Mention]:
        return iter(self.items)


_TRAILING_FUNCTION_POS = {"ADP", "SCONJ", "CCONJ", "DET", "PART", "ADV", "AUX", "VERB", "PRON"}


def _strip(span: Span) -> Span:
    """Drop a leading "the", a trailing possessive and trailing lowercase function words
    ("Scale after" -> "Scale": a name does not end in a preposition) from a NER span."""
    start, end = span.start, span.end
    doc = span.doc
    if start < end and doc[start].lower_ == "the":
        start += 1
    while end - 1 > start and (
        doc[end - 1].text in _POSSESSIVE or (doc[end - 1].is_lower and doc[end - 1].pos_ in _TRAILING_FUNCTION_POS)
    ):
        end -= 1
    return doc[start:end]


@functools.cache
def _descriptor_matcher(vocab_id: int) -> Matcher:  # keyed by the vocab's id
    """Descriptors as token patterns on NORM (so ’s matches 's), quotes allowed between words."""
    from extractors.nlp import get_nlp

    nlp = get_nlp()
    matcher = Matcher(nlp.vocab)
    for phrase, entity_id in lexicon().descriptors.items():
        pattern: list[dict] = []
        for i, token in enumerate(nlp.make_doc(phrase)):
            if i:
                pattern.append({"IS_QUOTE": True, "OP": "?"})
            pattern.append({"NORM": token.norm_})
        matcher.add(entity_id, [pattern])
    return matcher


def find_mentions(doc: Doc) -> Mentions:
    """Find every entity mention in ``doc`` (see the module docstring for the order)."""
    lex = lexicon()
    found = Mentions(doc)
    named: list[Mention] = []
    for ent in doc.ents:
        if ent.ent_id_ and ent.ent_id_ in lex.by_id:
            named.append(Mention(lex.by_id[ent.ent_id_], ent.start, ent.end, ent.root.i, "name", 1.0))
            continue
        entity_type = lex.ner_labels.get(ent.label_)
        span = _strip(ent)
        text = span.text.strip()
        if not entity_type or not text or text.lower() in lex.ner_stop or not text[0].isupper() or "\n" in text:
            continue
        if entity_type != "Person" and len(text) <= 2:
            continue
        entity = Entity(slugify(text), text, entity_type, in_catalogue=False)
        named.append(Mention(entity, span.start, span.end, span.root.i, "ner", _TRUST["ner"]))

    # Descriptors from the catalogue ("the social media giant").
    # A descriptor may contain a name ("Meta's superintelligence team"); it then wins.
    matcher = _descriptor_matcher(id(doc.vocab))
    for match_id, start, end in sorted(matcher(doc), key=lambda m: m[1] - m[2]):
        inside = [m for m in named if start <= m.start and m.end <= end]
        if any(m.start < end and start < m.end and m not in inside for m in named):
            continue
        named = [m for m in named if m not in inside]
        entity = lex.by_id[doc.vocab.strings[match_id]]
        named.append(Mention(entity, start, end, doc[start:end].root.i, "descriptor", _TRUST["descriptor"]))
    named.sort(key=lambda m: m.start)

    # Walk in text order: names defined in the article only count after their definition.
    seen: set[str] = set()
    local: dict[str, Entity] = {}  # surname / acronym / short name -> entity
    queue = iter(named)
    pending = next(queue, None)
    i = 0
    while i < len(doc):
        if pending is not None and pending.start <= i:
            mention = pending
            pending = next(queue, None)
            if mention.via == "ner":
                single = mention.end - mention.start == 1
                short = local.get(mention.entity.label) if single else None
                coordinated = single and _coordinated_with_org(doc[mention.start], named)
                if short is None and coordinated:
                    short = lex.by_id.get(lex.short_names.get(mention.entity.label, ""))
            if mention.via == "ner" and short is not None:
                entity = short
                mention = Mention(entity, mention.start, mention.end, mention.head, "short", _TRUST["short"])
            if found.at(mention.start) is not None:
                continue
            found.add(mention)
            _learn_names(mention, doc, seen, local, lex)
            i = max(i, mention.end)
            continue
        token = doc[i]
        entity = local.get(token.text) if token.text[:1].isupper() else None
        if entity is None and token.text in lex.short_names and _coordinated_with_org(token, named):
            entity = lex.by_id[lex.short_names[token.text]]
        if entity is not None and found.at(i) is None:
            found.add(Mention(entity, i, i + 1, i, "short", _TRUST["short"]))
        i += 1

    _add_generic(doc, found, lex)
    return found


def _coordinated_with_org(token: Token, named: list[Mention]) -> bool:
    """ "rivals like Surge and Mercor": a short name in a list with a named organization."""
    heads = {m.head for m in named if is_org(m.entity)}
    linked = [c.i for c in token.children if c.dep_ == "conj"]
    if token.dep_ == "conj":
        linked.append(token.head.i)
    return any(i in heads for i in linked)


def _learn_names(mention: Mention, doc: Doc, seen: set[str], local: dict[str, Entity], lex: Lexicon) -> None:
    """Record the names that ``mention`` makes usable later in the article."""
    entity = mention.entity
    if entity.id in seen:
        return
    seen.add(entity.id)
    if is_person(entity):
        parts = entity.label.split()
        if len(parts) >= 2:
            local.setdefault(parts[-1], entity)
    for short, entity_id in lex.short_names.items():
        if entity_id == entity.id:
            local.setdefault(short, entity)
    # "Meta Superintelligence Labs (MSL)": an acronym defined in the article.
    end = mention.end
    if end + 2 < len(doc) + 0 and doc[end].text == "(" and end + 2 < len(doc) and doc[end + 2].text == ")":
        acronym = doc[end + 1].text
        if acronym.isupper() and acronym.isalnum() and 2 <= len(acronym) <= 6:
            local.setdefault(acronym, entity)


def _add_generic(doc: Doc, found: Mentions, lex: Lexicon) -> None:
    """Resolve "the company", "this startup", "the San Francisco-based startup"."""
    for token in doc:
        if token.lemma_.lower() not in lex.generic_heads or token.pos_ != "NOUN" or found.at(token) is not None:
            continue
        dets = [c for c in token.children if c.dep_ == "det"]
        if not dets or dets[0].lower_ not in lex.generic_determiners:
            continue
        if any(c.dep_ == "relcl" for c in token.children):
            # "the company that ..." defines itself; it is not an anaphor.
            continue
        if any(c.dep_ == "poss" for c in token.children) or token.tag_ == "NNS":
            continue
        if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            continue  # "the small group of labeling companies" is not an anaphor
        exclude = frozenset(m.entity.id for m in _clause_subjects(token, found))
        antecedent = _fitting_antecedent(token, found, exclude)
        if antecedent is None:
            continue
        start = dets[0].i
        found.add(Mention(antecedent.entity, start, token.i + 1, token.i, "generic", _TRUST["generic"]))


_VENDOR_WORDS = {"data", "labeling", "labelling", "annotation", "data-labeling", "data-labelling", "training-data"}


def _fitting_antecedent(token: Token, found: Mentions, exclude: frozenset[str]) -> Mention | None:
    """The organization "the startup", "the data supplier", "the search company" refers to."""
    head = token.lemma_.lower()
    modifiers = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod", "nmod")}
    modifiers |= {w for c in token.children for w in c.lower_.split("-")}

    def fits(m: Mention) -> bool:
        kind = m.entity.type
        if kind == "Investor" and head not in _INVESTOR_HEADS:
            return False  # "the San Francisco company" is not the fund that led its round
        if head in _VENDOR_HEADS or modifiers & _VENDOR_WORDS:
            return kind == "DataVendor" or not m.entity.in_catalogue
        if head in _SMALL_HEADS:
            return kind not in _ORG_TYPES_LARGE
        if head in _LARGE_HEADS:
            return kind in _ORG_TYPES_LARGE
        if head == "lab":
            return kind in ("AILab", "BigTech", "OrganizationalUnit") or not m.entity.in_catalogue
        return True

    subject = token.dep_ in ("nsubj", "nsubjpass")
    return found.antecedent(token, exclude=exclude, sentences_back=2, fits=fits, prefer_subject=subject)


def _clause_subjects(token: Token, found: Mentions) -> list[Mention]:
    """The named subjects of the verbs above ``token`` (a subject is not the antecedent
    of "the company" in its own object: "Meta bought a stake in the company")."""
    out = []
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            for child in node.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    coordinated = [
                        child,
                        *(
                            c
                            for c in child.subtree
                            if (c.dep_ == "conj" and c.head.i != child.i) or (c.dep_ == "conj" and c.head.i == child.i)
                        ),
                    ]
                    out += [m for t in coordinated if (m := found.at(t)) is not None]
            if node.dep_ in ("relcl", "acl"):
                break  # "X raised money in a deal that values the company at ...": X is outside
    return out
