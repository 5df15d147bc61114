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
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib.resources import files

from spacy.attrs import NORM
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from extractors.tags import sentence_of, tags_of
from ontology.catalogue import Entity, market_entities, slugify

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
class Cues:
    """Words that say a name is a company or a person without the catalogue (``mentions.json``)."""

    retype_labels: frozenset[str]
    org_tail_words: frozenset[str]
    investor_tail_words: frozenset[str]
    legal_suffixes: frozenset[str]
    short_tail_words: frozenset[str]
    org_nouns: frozenset[str]
    role_words: frozenset[str]
    person_titles: frozenset[str]
    org_possessed: frozenset[str]
    org_verbs: frozenset[str]
    not_names: frozenset[str]
    person_heads: frozenset[str]
    vendor_words: frozenset[str]
    big_tech_words: frozenset[str]
    large_heads: frozenset[str]
    broad_places: frozenset[str]
    lead_verbs: frozenset[str]
    body_tail_words: frozenset[str]
    openers: frozenset[str]


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
    by_alias: dict[str, Entity] = field(default_factory=dict)
    cues: Cues | None = None


@functools.cache
def lexicon() -> Lexicon:
    """The catalogue and ``mentions.json`` read into lookups (cached)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    entities = market_entities()
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
        by_alias={_alias_key(n): e for e in entities for n in (e.label, *e.aliases)},
        cues=Cues(**{f: frozenset(data[f]) for f in Cues.__dataclass_fields__}),
    )


def _alias_key(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


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
        sentence = sentence_of(token)
        sentences = [sentence]
        for _ in range(sentences_back):
            if sentences[-1].start == 0:
                break
            sentences.append(sentence_of(self.doc[sentences[-1].start - 1]))
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
    """Drop a leading "the", a leading sentence-initial verb ("Meet Jo Park"), everything from
    a possessive on ("Orbit's Interim" -> "Orbit"), trailing punctuation and trailing lowercase
    function words ("Scale after" -> "Scale": a name does not end in a preposition) from a NER span."""
    start, end = span.start, span.end
    doc = span.doc
    if start < end and doc[start].lower_ == "the":
        start += 1
    if (
        end - start > 1
        and doc[start].is_sent_start
        and (doc[start].pos_ in ("VERB", "AUX", "INTJ", "ADV") or doc[start].lower_ in lexicon().cues.openers)
    ):
        start += 1  # "Meanwhile Acme said ...": the tagger reads the opener as part of the name
    for i in range(start + 1, end):
        if doc[i].text in _POSSESSIVE or doc[i].text in ("(", "["):
            end = i
            break
    while end - 1 > start and (
        doc[end - 1].text in _POSSESSIVE
        or (doc[end - 1].is_punct and doc[end - 1].text not in (".",))
        or (doc[end - 1].is_lower and doc[end - 1].pos_ in _TRAILING_FUNCTION_POS)
    ):
        end -= 1
    return doc[start:end]


@functools.cache
def _descriptor_matcher(vocab_id: int) -> tuple[Matcher, list[frozenset[int]]]:  # keyed by the vocab's id
    """Descriptors as token patterns on NORM (so ’s matches 's), quotes allowed between words;
    and each pattern's words (NORM hashes): a doc lacking a word of every pattern is not matched."""
    from extractors.nlp import get_nlp

    nlp = get_nlp()
    matcher = Matcher(nlp.vocab)
    needs = []
    for phrase, entity_id in lexicon().descriptors.items():
        pattern: list[dict] = []
        words = nlp.make_doc(phrase)
        for i, token in enumerate(words):
            if i:
                pattern.append({"IS_QUOTE": True, "OP": "?"})
            pattern.append({"NORM": token.norm_})
        matcher.add(entity_id, [pattern])
        needs.append(frozenset(t.norm for t in words))
    return matcher, needs


def find_mentions(doc: Doc) -> Mentions:
    """Find every entity mention in ``doc`` (see the module docstring for the order)."""
    lex = lexicon()
    found = Mentions(doc)
    named: list[Mention] = []
    for ent in doc.ents:
        if ent.ent_id_ and ent.ent_id_ in lex.by_id:
            named.append(Mention(lex.by_id[ent.ent_id_], ent.start, ent.end, ent.root.i, "name", 1.0))
            continue
        named += _ner_mentions(ent, lex)
    named += _chunk_mentions(doc, named, lex)
    named = _retype_listed(doc, named, lex)
    named = _extend_bodies(doc, named, lex)
    named = _merge_place_prefix(doc, named, lex)
    named = _one_sense(doc, named)

    # Descriptors from the catalogue ("the social media giant").
    # A descriptor may contain a name ("Meta's superintelligence team"); it then wins.
    matcher, needs = _descriptor_matcher(id(doc.vocab))
    norms = set(doc.to_array(NORM).tolist()) if needs else set()
    matches = matcher(doc) if any(words <= norms for words in needs) else []  # only where one can match
    for match_id, start, end in sorted(matches, key=lambda m: m[1] - m[2]):
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
    texts = tags_of(doc).text
    i = 0
    while i < len(doc):
        if pending is not None and pending.start <= i:
            mention = pending
            pending = next(queue, None)
            if mention.via == "ner":
                single = mention.end - mention.start == 1
                short = local.get(mention.entity.label)
                if short is not None and (short.id == mention.entity.id or short is _SHARED_SHORT):
                    short = None
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
        text = texts[i]
        entity = local.get(text) if text[:1].isupper() else None
        if entity is _SHARED_SHORT:
            entity = None
        if entity is None and text in lex.short_names and _coordinated_with_org(doc[i], named):
            entity = lex.by_id[lex.short_names[text]]
        if entity is not None and found.at(i) is None:
            found.add(Mention(entity, i, i + 1, i, "short", _TRUST["short"]))
        i += 1

    found = _type_by_description(found, lex, generic=False)
    _add_generic(doc, found, lex)
    return _type_by_description(found, lex, generic=True)


#: Nouns that make the name beside them a company even when the NER calls it a person.
_COMPANY_WORDS = {"startup", "start-up", "company", "firm", "unicorn", "vendor", "provider", "lab", "subsidiary"}
#: Role words that may follow "of" before a place-looking company ("CEO of Scale"); not
#: "president of France".
_PLACE_SAFE_ROLES = {"ceo", "founder", "co-founder", "cofounder", "cto", "cfo", "coo", "spokesperson", "employee"}
_NAME_POS = {"PROPN"}


def _ner_mentions(ent: Span, lex: Lexicon) -> list[Mention]:
    """The mention(s) of a NER span, re-typed by its words and context ("data startup
    Orbit" is a company even when tagged PERSON or GPE); "Orbit CEO Jo Park" is split."""
    cues = lex.cues
    if ent.label_ not in cues.retype_labels:
        return []
    span = _strip(ent)
    if len(span) > 1 and span[0].text in cues.lead_verbs and span[0].is_sent_start:
        span = span[1:]  # "Meet Jo Park, the founder of Orbit"
    if len(span) == 0 or "\n" in span.text:
        return []
    commas = [t.i for t in span if t.text in (",", ";") or _joins_two_names(t, span, cues)]
    if commas:
        # "Labelbox, Turing, Handshake" read as one name: a name holds no comma
        bounds = [span.start - 1, *commas, span.end]
        parts = [Span(ent.doc, a + 1, b, label=ent.label_) for a, b in itertools.pairwise(bounds) if b > a + 1]
        return [m for part in parts for m in _ner_mentions(part, lex)]
    if ent.label_ == "ORG":
        span = _extend_left(span, cues)
    split = _split_at_role(span, cues) or _split_attribution(span, ent.label_, cues)
    if split is not None:
        org, person = split
        return [m for m in (_make(org, "Organization", lex), _make(person, "Person", lex)) if m]
    cut = span.end < ent.end and ent.doc[span.end].text in _POSSESSIVE
    # "Qatar's Ministry of ...": the possessor is not what the NER label named
    kind = _kind_of(span, "" if cut else ent.label_, lex)
    mention = _make(span, kind, lex) if kind else None
    return [mention] if mention else []


def _common_noun(word: str, lex: Lexicon) -> bool:
    """Whether ``word`` is one of the nouns companies are described by, or its plural."""
    nouns = lex.cues.org_nouns | lex.generic_heads
    return word in nouns or (word.endswith("s") and word[:-1] in nouns)


def _joins_two_names(token: Token, span: Span, cues: Cues) -> bool:
    """ "Cobalt Data and Harbor Metrics" read as one name: an "and" after a company's tail
    word and before a capitalised word joins two names."""
    i = token.i
    return (
        token.lower_ == "and"
        and span.start < i < span.end - 1
        and token.doc[i - 1].text in cues.org_tail_words
        and token.doc[i + 1].text[:1].isupper()
    )


def _extend_left(span: Span, cues: Cues) -> Span:
    """ "Telus Digital" read as "Digital": take back the proper nouns compounded onto the name."""
    doc = span.doc
    start = span.start
    while start > 0:
        prev = doc[start - 1]
        inside = span.start <= prev.head.i < span.end
        if not (prev.pos_ == "PROPN" and prev.dep_ == "compound" and inside and _is_name_word(prev.text)):
            break
        if prev.ent_type_ or prev.text in cues.not_names or prev.lower_ in cues.role_words:
            break
        start -= 1
    return doc[start : span.end]


def _kind_of(span: Span, label: str, lex: Lexicon) -> str | None:
    """Organization, Person, Place or None (not a market entity) for a NER span."""
    cues = lex.cues
    base = lex.ner_labels.get(label)
    person_name = label == "PERSON" and len(span) > 1
    if _org_cue(span, cues, strict=person_name, place=label == "GPE"):
        return "Organization"
    if not person_name and _listed_after_org_noun(span.root, cues):
        return "Organization"
    if base in ("Organization", "Place") or (base == "Person" and person_name):
        return base
    if base == "Person":
        return "Organization" if _context_org_cue(span, cues) else base
    return "Organization" if _context_org_cue(span, cues) else None


def _listed_after_org_noun(token: Token, cues: Cues) -> bool:
    """ "firms like Orbit, Quorra and Tessaly", "clients including Orbit", "startups such as
    Orbit": a member of a list that a company noun introduces."""
    top = token
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    prep = top.head
    if top.dep_ != "pobj" or prep.lower_ not in ("like", "including", "as"):
        return False
    noun = prep.head.head if prep.lower_ == "as" and prep.head.lower_ == "such" else prep.head
    return noun.pos_ == "NOUN" and noun.lemma_.lower() in cues.org_nouns


def _split_at_role(span: Span, cues: Cues) -> tuple[Span, Span] | None:
    """ "Orbit CEO Jo Park" tagged as one name: the company before the title, the person after."""
    doc = span.doc
    for i in range(span.start + 1, span.end - 2):
        if doc[i].lower_ in cues.role_words and doc[i].text[:1].isupper():
            j = i
            while j < span.end and doc[j].lower_ in cues.role_words | {"of", "and"}:
                j += 1
            if span.end - j >= 2 and all(t.text[:1].isupper() for t in doc[j : span.end]):
                return doc[span.start : i], doc[j : span.end]
    return None


def _split_attribution(span: Span, label: str, cues: Cues) -> tuple[Span, Span] | None:
    """ "— Jo Park Orbit AI's CEO" (an attribution line) read as one person: a two-word
    person, then the company whose title follows."""
    doc = span.doc
    dashed = span.start > 0 and doc[span.start - 1].text in ("—", "–", "-", "―")
    if not (label == "PERSON" or (label == "ORG" and dashed)) or len(span) < 4:
        return None
    if not (_possessed_cue(span, cues) or _role_after(span, cues)):
        return None
    company_tail = span[-1].text in cues.org_tail_words or _dotted(span[-1].text)
    if not company_tail or not all(t.text[:1].isupper() for t in span):
        return None
    return doc[span.start + 2 : span.end], doc[span.start : span.start + 2]


def _is_name_word(text: str) -> bool:
    """ "Orbit", "eBay", "Segments.ai", "AI21": a word that can be (part of) a name."""
    return bool(text) and (text[0].isupper() or (text[0].islower() and any(c.isupper() for c in text[1:])))


def _org_cue(span: Span, cues: Cues, *, strict: bool = False, place: bool = False) -> bool:
    """Does the name itself, or the noun in apposition to it, say it is a company?"""
    doc = span.doc
    last = span[-1].text
    if last in cues.org_tail_words or _dotted(last):
        return True
    if span.end < len(doc) and doc[span.end].text in cues.legal_suffixes:
        return True
    nouns = _COMPANY_WORDS if strict else cues.org_nouns
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.pos_ == "NOUN" and before.lemma_.lower() in nouns:
        return True
    if span.start > 1 and doc[span.start - 1].text == "," and doc[span.start - 2].lemma_.lower() in nouns:
        return doc[span.start - 2].pos_ == "NOUN"  # "her second startup, Passes"
    root = span.root
    outside = not (span.start <= root.head.i < span.end)
    if root.dep_ == "appos" and outside and root.head.lemma_.lower() in nouns and root.head.pos_ == "NOUN":
        return True
    if any(c.dep_ == "appos" and c.pos_ == "NOUN" and c.lemma_.lower() in nouns for c in root.children):
        return True
    if strict:
        return False
    roles = _PLACE_SAFE_ROLES if place else cues.role_words
    if before is not None and before.lower_ in ("of", "at") and span.start > 1 and doc[span.start - 2].lower_ in roles:
        return True
    return _role_after(span, cues)


def _role_apposed(span: Span, cues: Cues) -> bool:
    """ "Jo Park, the founder of Orbit", "Jo Park, CEO of Orbit": a title in apposition."""
    doc = span.doc
    k = span.end
    if k >= len(doc) or doc[k].text != ",":
        return False
    k += 1
    if k < len(doc) and doc[k].lower_ in ("the", "a", "an", "its", "their"):
        k += 1
    if k < len(doc) and doc[k].pos_ == "ADJ":
        k += 1
    return k < len(doc) and doc[k].lower_ in cues.person_titles


def _role_after(span: Span, cues: Cues) -> bool:
    """ "Orbit CEO Jo Park", "Orbit Chief Executive Jo Park": a capitalised title after the name."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    return after is not None and after.lower_ in cues.role_words and after.text[:1].isupper()


def _context_org_cue(span: Span, cues: Cues) -> bool:
    """Weaker cues for a name the NER did not call an organization: "Orbit's CEO",
    "Orbit's valuation", "Orbit raised", "CEO of Orbit"."""
    if _org_cue(span, cues):
        return True
    if _possessed_cue(span, cues):
        return True
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "by" and root.head.head.lemma_.lower() in _BACKING_VERBS:
        return True  # "a round led by Northzone", "backed by Northzone"
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in cues.org_verbs


#: Participles whose agent is an investor: "a round led by X", "backed by X".
_BACKING_VERBS = frozenset({"lead", "co-lead", "colead", "back", "fund", "finance"})


def _possessed_cue(span: Span, cues: Cues) -> bool:
    """ "Orbit's valuation", "Orbit's largest customer", "Orbit's CEO"."""
    after = _after_possessive(span)
    if after is None or after.i == span.end:
        return False
    if after.pos_ == "ADJ" and after.i + 1 < len(span.doc):
        after = span.doc[after.i + 1]
    return after.lower_ in cues.org_possessed or after.lower_ in cues.role_words


def _common_in_doc(token: Token, lower_words: frozenset[str]) -> bool:
    """A capitalised word that the text also writes in lower case is a common word."""
    return token.lower_ in lower_words


def _after_possessive(span: Span) -> Token | None:
    """The token after ``span``, past a possessive "'s"."""
    doc = span.doc
    i = span.end
    if i < len(doc) and doc[i].text in _POSSESSIVE:
        i += 1
    return doc[i] if i < len(doc) else None


def _dotted(word: str) -> bool:
    """ "Segments.ai", "Scale.com": a name with a web suffix."""
    stem, dot, tld = word.rpartition(".")
    return bool(dot and stem and tld.lower() in ("ai", "io", "com", "co", "net", "app", "tech") and stem[0].isalnum())


def _label(span: Span, cues: Cues) -> str:
    """The name a span gives: without legal suffixes ("Orbit Inc." -> "Orbit")."""
    tokens = list(span)
    while len(tokens) > 1 and (tokens[-1].text in cues.legal_suffixes or tokens[-1].is_punct):
        tokens.pop()
    return span.doc[tokens[0].i : tokens[-1].i + 1].text.strip()


def _make(span: Span, kind: str, lex: Lexicon, via: str = "ner") -> Mention | None:
    """A mention of ``span`` as an entity of ``kind``; a catalogue name wins."""
    cues = lex.cues
    if len(span) > 1 and span[0].is_sent_start and span[0].lower_ in cues.openers:
        span = span[1:]  # "Meanwhile Acme said ...": the opener is no part of the name
    if len(span) == 0 or (len(span) == 1 and span[0].is_sent_start and _common_noun(span[0].lower_, lex)):
        return None  # "Labs including A and B use C": a capitalised common noun is no name
    text = _label(span, cues)
    if not text or text.lower() in lex.ner_stop or text in cues.not_names or not _is_name_word(text):
        return None
    if kind != "Person" and len(text) <= 2:
        return None
    known = lex.by_alias.get(_alias_key(text))
    if known is not None:
        return Mention(known, span.start, span.end, span.root.i, "name", _TRUST["acronym"])
    if kind == "Organization" and text.split()[-1] in cues.investor_tail_words:
        kind = "Investor"
    entity = Entity(slugify(text), text, kind, in_catalogue=False)
    return Mention(entity, span.start, span.end, span.root.i, via, _TRUST["ner"])


def _chunk_mentions(doc: Doc, named: list[Mention], lex: Lexicon) -> list[Mention]:
    """Names the NER missed: a run of proper nouns with a company cue ("data startup
    Orbit", "Orbit raised"), a capitalised word in apposition to a company noun ("her
    second startup, Passes") or a person by title ("said Jo Park")."""
    cues = lex.cues
    taken = {i for m in named for i in range(m.start, m.end)}
    lower_words = _lower_words(doc)
    out: list[Mention] = []
    tags = tags_of(doc)
    i = 0
    while i < len(doc):
        if i in taken or tags.ent[i] or not _is_name_word(tags.text[i]) or tags.text[i] in cues.not_names:
            i += 1
            continue
        token = doc[i]
        j = i
        while j < len(doc) and j not in taken and not tags.ent[j] and tags.pos[j] in _NAME_POS:
            if not _is_name_word(tags.text[j]):
                break
            j += 1
        if j == i:
            # a common word used as a name: only in apposition to a company noun, mid-sentence
            span = doc[i : i + 1]
            after_comma = i > 0 and doc[i - 1].text == ","
            cued = token.pos_ in ("NOUN", "PROPN", "ADJ", "X", "VERB") and (token.tag_ != "NNS" or after_comma)
            cued = cued and not _common_in_doc(token, lower_words) and (token.pos_ != "VERB" or after_comma)
            cued = cued and (
                (not token.is_sent_start and _org_cue(span, cues, strict=True))
                or _possessed_cue(span, cues)
                or _role_after(span, cues)
            )
            if cued and (m := _make(span, "Organization", lex)) is not None:
                out.append(m)
            i += 1
            continue
        if j - i >= 3 and token.is_sent_start and token.text in cues.lead_verbs:
            i += 1  # "Meet Jo Park, ..."
        span = doc[i:j]
        mention = None
        split = _split_attribution(span, "ORG", cues)
        if split is not None:
            out += [m for m in (_make(split[0], "Organization", lex), _make(split[1], "Person", lex)) if m]
        elif _context_org_cue(span, cues):
            mention = _make(span, "Organization", lex)
        elif j - i >= 2 and ((i > 0 and doc[i - 1].lower_ in cues.person_titles) or _role_apposed(span, cues)):
            mention = _make(span, "Person", lex)
        if mention is not None:
            out.append(mention)
        i = j
    return out


def _retype_listed(doc: Doc, named: list[Mention], lex: Lexicon) -> list[Mention]:
    """A one-word name in a list with companies is a company ("Accel, Dragoneer and
    Index Ventures"), whatever the NER called it; proper nouns missed in such a list too."""
    org_heads = {m.head for m in named if is_org(m.entity)}
    out = []
    for m in named:
        single_person = m.via == "ner" and m.entity.type == "Person" and m.end - m.start == 1
        if (single_person or _place_among_orgs(doc, m, named)) and _conj_group(doc[m.head]) & org_heads:
            entity = Entity(m.entity.id, m.entity.label, "Organization", in_catalogue=False)
            m = Mention(entity, m.start, m.end, m.head, m.via, m.trust)
        out.append(m)
    taken = {i for m in out for i in range(m.start, m.end)}
    tags = tags_of(doc)
    for i in range(len(doc)):
        if i in taken or tags.ent[i] or tags.pos[i] != "PROPN" or not _is_name_word(tags.text[i]):
            continue
        token = doc[i]
        if token.dep_ != "conj" and not any(c.dep_ == "conj" for c in token.children):
            continue
        if token.text in lex.cues.not_names:
            continue
        if not (_conj_group(token) & org_heads or _listed_after_org_noun(token, lex.cues)):
            continue
        start, end = token.i, token.i + 1
        while start - 1 >= 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
            start -= 1
        if any(i in taken for i in range(start, end)):
            continue
        if (m := _make(doc[start:end], "Organization", lex)) is not None:
            out.append(m)
            taken.update(range(start, end))
    return sorted(out, key=lambda m: m.start)


def _extend_bodies(doc: Doc, named: list[Mention], lex: Lexicon) -> list[Mention]:
    """ "the Office of Data and Model Safety" read as "Data" and "Model Safety": the name of a
    body runs back over capitalised words and the "and"/"of"/"for" between them."""
    out = list(named)
    labels = Counter(m.entity.label for m in named)
    for m in named:
        if (
            m.via != "ner"
            or not is_org(m.entity)
            or doc[m.end - 1].text not in lex.cues.body_tail_words
            or m not in out  # (compares every field: last)
        ):
            continue
        k = m.start
        while k > sentence_of(doc[m.start]).start:
            t = doc[k - 1]
            inner = _found_at(out, k - 1)
            if inner is not None and (inner.via != "ner" or not is_org(inner.entity) or labels[inner.entity.label] > 1):
                break  # a name used on its own elsewhere ("Microsoft") is no part of the body's name
            if (t.pos_ in ("PROPN", "NOUN", "ADJ") and t.text[:1].isupper()) or (
                t.lower_ in ("and", "of", "for", "&") and k - 2 >= 0 and doc[k - 2].text[:1].isupper()
            ):
                k -= 1
            else:
                break
        if doc[k].lower_ in ("and", "of", "for", "&"):
            k += 1
        if k == m.start:
            continue
        merged = _make(doc[k : m.end], "Organization", lex)
        if merged is not None:
            out = [x for x in out if not (k <= x.start and x.end <= m.end)] + [merged]
    return sorted(out, key=lambda x: x.start)


def _found_at(mentions: list[Mention], i: int) -> Mention | None:
    """The mention of ``mentions`` covering token ``i``."""
    return next((m for m in mentions if m.start <= i < m.end), None)


def _merge_place_prefix(doc: Doc, named: list[Mention], lex: Lexicon) -> list[Mention]:
    """ "U.S." + "AI Safety Institute": a place compounded onto a body's name is part of it."""
    out: list[Mention] = []
    for m in named:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.entity.type == "Place"
            and prev.end == m.start
            and m.via == "ner"
            and is_org(m.entity)
            and doc[m.end - 1].text in lex.cues.org_tail_words
            and m.start <= doc[prev.head].head.i < m.end
        ):
            merged = _make(doc[prev.start : m.end], "Organization", lex)
            if merged is not None:
                out[-1] = merged
                continue
        out.append(m)
    return out


def _one_sense(doc: Doc, named: list[Mention]) -> list[Mention]:
    """One name, one entity per article: once "Orbit" is known as a company, "Orbit" tagged
    as a person or a place is that company, and "Orbit" the NER missed is a mention of it."""
    orgs: dict[tuple[str, ...], Entity] = {}
    for m in named:
        if is_org(m.entity) and not m.entity.in_catalogue and m.via == "ner":
            orgs.setdefault(tuple(t.text for t in doc[m.start : m.end]), m.entity)
            orgs.setdefault(tuple(m.entity.label.split()), m.entity)
    if not orgs:
        return named
    out = []
    for m in named:
        words = tuple(t.text for t in doc[m.start : m.end])
        entity = orgs.get(words)
        if entity is not None and not is_org(m.entity) and (m.entity.type == "Place" or len(words) == 1):
            m = Mention(entity, m.start, m.end, m.head, m.via, m.trust)
        out.append(m)
    taken = {i for m in out for i in range(m.start, m.end)}
    longest = max(len(k) for k in orgs)
    texts = [t.text for t in doc]
    firsts = {k[0] for k in orgs}
    i = 0
    while i < len(doc):
        if texts[i] not in firsts:
            i += 1
            continue
        for size in range(longest, 0, -1):
            words = tuple(texts[i : i + size])
            if len(words) == size and words in orgs and not taken.intersection(range(i, i + size)):
                span = doc[i : i + size]
                out.append(Mention(orgs[words], i, i + size, span.root.i, "ner", _TRUST["ner"]))
                taken.update(range(i, i + size))
                i += size - 1
                break
        i += 1
    return sorted(out, key=lambda m: m.start)


def _place_among_orgs(doc: Doc, m: Mention, named: list[Mention]) -> bool:
    """ "Meta, Microsoft and OpenAI": a "place" listed only with organizations is one."""
    if m.via != "ner" or m.entity.type != "Place":
        return False
    group = _conj_group(doc[m.head])
    kinds = [x.entity.type for x in named if x.head in group]
    return "Place" not in kinds and sum(k != "Person" for k in kinds) >= 2


def _conj_group(token: Token) -> set[int]:
    """The token indices of the list ``token`` is a member of (itself excluded)."""
    top = token
    while top.dep_ == "conj" and top.head.i != top.i:
        top = top.head
    members = {top.i} | {t.i for t in top.subtree if t.dep_ == "conj"}
    return members - {token.i} if len(members) > 1 else set()


def _coordinated_with_org(token: Token, named: list[Mention]) -> bool:
    """ "rivals like Acme and Datamark": a short name in a list with a named organization."""
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
    if is_org(entity) and not entity.in_catalogue:
        # "Datamark Labs" ... "Datamark": the name without its generic tail
        words = entity.label.split()
        while len(words) > 1 and words[-1] in lex.cues.short_tail_words:
            words.pop()
            local.setdefault(" ".join(words), entity)
        _learn_head_word(entity, doc, local, lex)
    # "Meta Superintelligence Labs (MSL)": an acronym defined in the article.
    end = mention.end
    if end + 2 < len(doc) + 0 and doc[end].text == "(" and end + 2 < len(doc) and doc[end + 2].text == ")":
        acronym = doc[end + 1].text
        if acronym.isupper() and acronym.isalnum() and 2 <= len(acronym) <= 6:
            local.setdefault(acronym, entity)


#: Marks a short form that two companies of one article share: it names neither.
_SHARED_SHORT = Entity(id="", label="", type="Organization")


def _learn_head_word(entity: Entity, doc: Doc, local: dict[str, Entity], lex: Lexicon) -> None:
    """ "Vantage Annotate" ... "Vantage": the first word of a two-word company name, alone, is
    the company, when it is a name (capitalised, never written in lower case in the article,
    no catalogue company's), no other company of the article starts with it, and the second
    word is no word that names a part or kind of a company ("Telus Digital", "Orbit Health",
    "Acme Ventures" are units or arms of "Telus", "Orbit", "Acme")."""
    words = entity.label.split()
    head = words[0]
    if len(words) != 2 or words[1] in lex.cues.org_tail_words or words[1] in lex.cues.body_tail_words:
        return
    if len(head) < 3 or not head.isalpha() or not head[0].isupper() or head.isupper():
        return
    if head in lex.cues.not_names or head in lex.short_names or head.lower() in lex.ner_stop:
        return
    if _written_lower(doc, head.lower()):
        return
    held = local.get(head)
    if held is None:
        local[head] = entity
    elif held.id != entity.id:
        local[head] = _SHARED_SHORT


def _lower_words(doc: Doc) -> frozenset[str]:
    """The words ``doc`` writes in lower case (common words, not names), computed once per doc."""
    key = "labelgraph_lower_words"
    if key not in doc.user_data:
        tags = tags_of(doc)  # spaCy's is_lower is str.islower of the text
        doc.user_data[key] = frozenset(low for text, low in zip(tags.text, tags.lower, strict=True) if text.islower())
    return doc.user_data[key]


def _written_lower(doc: Doc, word: str) -> bool:
    """Whether ``word`` appears in lower case in ``doc`` (a common word, not a name)."""
    return word in _lower_words(doc)


def _type_by_description(found: Mentions, lex: Lexicon, *, generic: bool) -> Mentions:
    """Give an uncatalogued organization the class its description states: "data-labeling
    startup Orbit", "Orbit, an annotation provider", "Orbit is a data-labeling company" or a
    resolved "the annotation vendor" make a DataVendor; "tech giant Orbit" a BigTech."""
    types: dict[str, str] = {}
    for m in found:
        if not is_org(m.entity) or m.entity.in_catalogue or m.entity.type != "Organization":
            continue
        if (m.via == "generic") != generic:
            continue
        words = _description_words(found.doc, m)
        kind = _described_type(words, lex.cues)
        if generic and kind == "BigTech":
            kind = None  # a resolved "the tech giant" is no evidence of its own
        if kind and types.setdefault(m.entity.id, kind) != kind:
            types[m.entity.id] = ""  # described two ways: keep it plain
    types = {k: v for k, v in types.items() if v}
    if not types:
        return found
    out = Mentions(found.doc)
    for m in found:
        kind = types.get(m.entity.id)
        if kind and not m.entity.in_catalogue and m.entity.type == "Organization":
            m = Mention(replace(m.entity, type=kind), m.start, m.end, m.head, m.via, m.trust)
        out.add(m)
    return out


def _description_words(doc: Doc, m: Mention) -> list[str]:
    """The words describing ``m``: the generic mention itself, the noun phrase before the
    name, a noun in apposition or the noun after "is a"."""
    if m.via == "generic":
        return _words(doc[m.start : m.end])
    out: list[str] = []
    k = m.start
    while k > 0 and m.start - k < 5 and doc[k - 1].text != ",":
        prev = doc[k - 1]
        if not (prev.pos_ in ("NOUN", "ADJ", "PROPN", "PUNCT") or prev.tag_ in ("VBG", "VBN")):
            break
        k -= 1
    out += _words(doc[k : m.start])
    # "Orbit, a data-labeling startup," / "Orbit—an annotation firm": read on the surface too
    if m.end + 2 < len(doc) and doc[m.end].text in (",", "—", "–", "-") and doc[m.end + 1].lower_ in ("a", "an"):
        end, limit = m.end + 2, min(len(doc), m.end + 10)
        while end < limit and (not doc[end].is_punct or doc[end].text == "-"):
            end += 1
        out += _words(doc[m.end + 2 : end])
    head = doc[m.head]
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ == "NOUN":
            out += _words(doc[child.left_edge.i : child.i + 1])
    if head.dep_ == "nsubj" and head.head.lemma_ == "be":
        for child in head.head.children:
            if child.dep_ == "attr" and child.pos_ == "NOUN":
                out += _words(doc[child.left_edge.i : child.i + 1])
    return out


def _words(span: Span) -> list[str]:
    return [w for t in span for w in (t.lower_, *t.lower_.split("-"))]


def _described_type(words: list[str], cues: Cues) -> str | None:
    """DataVendor, BigTech or None for the words of a description that names a company noun."""
    if not words or not set(words) & (cues.org_nouns | cues.large_heads):
        return None
    if set(words) & cues.vendor_words:
        return "DataVendor"
    if set(words) & cues.large_heads and set(words) & cues.big_tech_words:
        return "BigTech"
    return None


def _add_generic(doc: Doc, found: Mentions, lex: Lexicon) -> None:
    """Resolve "the company", "this startup", "the Austin-based startup"."""
    tags = tags_of(doc)
    for i in range(len(doc)):
        lemma = tags.lemma[i]
        if lemma in lex.cues.person_heads and tags.pos[i] == "NOUN" and found.at(i) is None:
            _add_person_description(doc[i], found, lex)
            continue
        if lemma not in lex.generic_heads or tags.pos[i] != "NOUN" or found.at(i) is not None:
            continue
        token = doc[i]
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
        owners = _noun_phrase_owners(token, found)
        bound = owners if owners is not None else _clause_subjects(token, found) + _subject_possessors(token, found)
        exclude = frozenset(m.entity.id for m in bound)
        antecedent = _fitting_antecedent(token, found, exclude)
        place = _based_place(token, found)
        if antecedent is not None and place is not None and place.entity.label not in lex.cues.broad_places:
            known = _stated_bases(found).get(antecedent.entity.id, {})
            cities = {p for p, label in known.items() if label not in lex.cues.broad_places}
            if cities and place.entity.id not in cities:
                continue  # "the Toronto-based firm" is not the company said to be based in Sydney
        if antecedent is None:
            continue
        start = dets[0].i
        found.add(Mention(antecedent.entity, start, token.i + 1, token.i, "generic", _TRUST["generic"]))


def _add_person_description(token: Token, found: Mentions, lex: Lexicon) -> None:
    """ "the employee", "the executive": the one person in view (this sentence and the one
    before); two people in view make it ambiguous and it yields nothing."""
    dets = [c for c in token.children if c.dep_ == "det"]
    if not dets or dets[0].lower_ not in lex.generic_determiners or token.tag_ == "NNS":
        return
    for child in token.children:
        if child.dep_ in ("relcl", "poss", "compound", "amod") or (child.dep_ == "prep" and child.lower_ == "of"):
            return  # "the former employee of X", "the company's executive", "the executive who ..."
    sent = sentence_of(token)
    start = sentence_of(found.doc[sent.start - 1]).start if sent.start > 0 else sent.start
    people = {m.entity.id: m for m in found.items if is_person(m.entity) and start <= m.start < token.i}
    if len(people) != 1 or any(m.via == "generic" for m in people.values()):
        return
    (antecedent,) = people.values()
    found.add(Mention(antecedent.entity, dets[0].i, token.i + 1, token.i, "generic", _TRUST["generic"]))


def _based_place(noun: Token, found: Mentions) -> Mention | None:
    """The place of "the Austin-based startup", if stated."""
    for child in noun.children:
        if child.lower_ == "based" and child.i >= 2 and child.doc[child.i - 1].text in ("-", "–"):
            place = found.at(child.i - 2)
            if place is not None and place.entity.type == "Place":
                return place
    return None


def _stated_bases(found: Mentions) -> dict[str, dict[str, str]]:
    """Organization id -> the places (id -> label) a description next to its name says it is
    based in ("Virginia-based Orbit", "Orbit, a Lisbon-based startup", "Lisbon-based rival Orbit")."""
    out: dict[str, dict[str, str]] = {}
    for token in found.doc:
        if token.lower_ != "based" or token.i < 2 or token.doc[token.i - 1].text not in ("-", "–"):
            continue
        place = found.at(token.i - 2)
        if place is None or place.entity.type != "Place":
            continue
        noun = token.head
        org = found.at(noun)
        if (org is None or org.via == "generic") and noun.dep_ in ("appos", "compound"):
            org = found.at(noun.head)
        if org is not None and org.via != "generic" and is_org(org.entity):
            out.setdefault(org.entity.id, {})[place.entity.id] = place.entity.label
    return out


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
        uncatalogued = not m.entity.in_catalogue
        if head in _VENDOR_HEADS or modifiers & _VENDOR_WORDS:
            return kind == "DataVendor" or (uncatalogued and kind not in _ORG_TYPES_LARGE)
        if head in _SMALL_HEADS:
            return kind not in _ORG_TYPES_LARGE
        if head in _LARGE_HEADS:
            return kind in _ORG_TYPES_LARGE or (uncatalogued and kind == "Organization")
        if head == "lab":
            return kind in ("AILab", "BigTech", "OrganizationalUnit") or not m.entity.in_catalogue
        return True

    named = _apposed(token, found)
    if named is not None and is_org(named.entity):
        return named if fits(named) else None
    return _salient(token, found, exclude, fits)


def _apposed(token: Token, found: Mentions) -> Mention | None:
    """ "the startup, Orbit," or "Orbit, the startup": the name in apposition."""
    for child in token.children:
        if child.dep_ == "appos" and (m := found.at(child)) is not None and m.via != "generic":
            return m
    if token.dep_ == "appos" and (m := found.at(token.head)) is not None and m.via != "generic":
        return m
    return None


#: Salience of a mention by its grammatical role, and what each sentence back costs.
_ROLE_SCORE = {"nsubj": 3.0, "nsubjpass": 3.0, "poss": 2.0}
_SENTENCE_COST = 1.5
#: Two candidates closer than this are too close to call: the description yields nothing.
_AMBIGUOUS = 0.05


def _salient(token: Token, found: Mentions, exclude: frozenset[str], fits) -> Mention | None:
    """The most salient fitting organization before ``token`` in its sentence and the two
    before: subjects over possessors over other mentions (a parent qualifying another name,
    "Alphabet's Google", least), recent sentences first, later in a sentence slightly
    ahead; a tie yields nothing."""
    doc = found.doc
    sentences = [sentence_of(token)]
    while len(sentences) < 3 and sentences[-1].start > 0:
        sentences.append(sentence_of(doc[sentences[-1].start - 1]))
    best: dict[str, tuple[float, Mention]] = {}
    for back, sent in enumerate(sentences):
        for m in found.items:
            if not (sent.start <= m.start < sent.end and m.start < token.i) or m.via == "generic":
                continue
            if not is_org(m.entity) or m.entity.id in exclude or not fits(m):
                continue
            role = max(_ROLE_SCORE.get(doc[m.head].dep_, 1.0), 2.0 if m.start == sent.start else 1.0)
            if doc[m.head].dep_ == "poss" and found.at(doc[m.head].head) is not None:
                role = 0.5  # "Alphabet's Google": the parent only qualifies the actor
            score = role - _SENTENCE_COST * back + 0.1 * (m.start - sent.start) / max(1, len(sent))
            if m.entity.id not in best or best[m.entity.id][0] < score:
                best[m.entity.id] = (score, m)
    ranked = sorted(best.values(), key=lambda pair: pair[0], reverse=True)
    if not ranked or (len(ranked) > 1 and ranked[0][0] - ranked[1][0] < _AMBIGUOUS):
        return None
    return ranked[0][1]


def _subject_possessors(token: Token, found: Mentions) -> list[Mention]:
    """ "Meta's investment in Orbit values the startup": the owner of the subject of the
    object's own verb is not the object either (only that verb: in "Orbit's CEO said the
    startup grew", the startup is Orbit)."""
    if token.dep_ in ("nsubj", "nsubjpass"):
        return []
    verb = token.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    out = []
    for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
        out += [m for c in subject.children if c.dep_ == "poss" and (m := found.at(c)) is not None]
    return out


def _noun_phrase_owners(token: Token, found: Mentions) -> list[Mention] | None:
    """ "after Helix's investment in the company": a noun with a possessor is the company's own
    binding domain, so only the possessor is excluded (the clause's subject may well be the
    company); None when ``token`` is not inside such a phrase."""
    node = token
    while node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.pos_ in ("NOUN", "PROPN"):
        noun = node.head.head
        owners = [m for c in noun.children if c.dep_ == "poss" and (m := found.at(c)) is not None]
        if owners:
            return owners
        node = noun
    return None


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
