"""Relations from verbs: "Polaris sank $80 million into Datamark", "Helix Bank plans
to stop working with Acme", "Nair, who co-founded Orbit Labs".

Each verb rule of ``triggers.json`` names the relation, where its subject and
object sit in the parse (slots), and the conditions it needs. The rules are read
once per process; :func:`verb_candidates` applies them to one sentence.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib.resources import files

from spacy.tokens import Span, Token

from extractors.entities import Mention, is_org, is_person
from extractors.frames import (
    Candidate,
    Context,
    clause_qualifiers,
    clause_span,
    conjuncts,
    is_passive,
    np_entities,
    other_orgs,
    referred_date,
    resolve_pronoun,
    subjects_of,
)
from extractors.modality import clause_modality
from extractors.money import Money, find_money
from extractors.tags import sentence_of, sentences_of, tags_of

__all__ = ["VerbRule", "apply_rule", "verb_candidates", "verb_rules"]

DATA = files(__package__) / "triggers.json"
SERVICE_DATA = files(__package__) / "service.json"

#: Nouns naming a business relationship that an ending verb can end.
_RELATIONSHIP_NOUNS = {
    "relationship",
    "relationships",
    "contract",
    "contracts",
    "deal",
    "deals",
    "tie",
    "ties",
    "partnership",
    "work",
    "business",
    "project",
    "projects",
    "agreement",
    "agreements",
    "collaboration",
    "engagement",
    "arrangement",
    "use",
    "spending",
    "order",
    "orders",
    "reliance",
    "dependence",
    "partner",
}
_CONTRACT_NOUNS = {"contract", "contracts", "deal", "deals", "agreement", "agreements"}
#: Relations that state a current role: "previously ran X" does not say X is led now.
_CURRENT_ONLY = {"leads", "works_for"}
_SAME_NOUNS = {"decision", "move", "step", "choice", "call"}
_SAME_ADJ = {"similar", "same", "identical", "comparable"}
_ROUND_NAME = re.compile(r"^(Series|Seed|Pre-seed)\b", re.IGNORECASE)
#: Verbs whose subject is an investor, not the round's company ("Accel joined a round led by X").
_INVESTING_LEMMAS = {"join", "participate", "lead", "co-lead", "invest", "back", "fund"}
#: Relations that a goal ("seeks to raise", "in talks to buy") does not give.
_DEAL_PREDICATES = {"invested_in", "acquired", "valued_at"}
#: Verbs whose "with" party shares in what the clause under them does ("teamed up with Y to start").
_TEAM_UP_LEMMAS = {"team", "partner", "join", "collaborate"}
_COPYABLE = ("ended_relationship_with", "invested_in", "partner_of", "customer_of")
_VAGUE_TIMES = {"recently", "lately"}  # no date of their own: a stated one is preferred
_SERIES = re.compile(r"\bSeries\s+([A-Z])\b", re.IGNORECASE)
_EARLIER_ROUND_CHARS = 1500  # how far back "its Series C" may point to the round stated


@dataclass(frozen=True)
class VerbRule:
    """One entry of ``triggers.json`` (see its ``_comment`` for the fields)."""

    lemmas: frozenset[str]
    predicate: str
    subject: str
    object: tuple[str, ...]
    confidence: float
    particles: frozenset[str] = frozenset()
    forbid_particles: bool = False
    dobj_lemmas: frozenset[str] = frozenset()
    forbid_dobj_lemmas: frozenset[str] = frozenset()
    subject_types: frozenset[str] = frozenset()
    object_types: frozenset[str] = frozenset()
    require_money: bool = False
    inverse: bool = False
    passive_swap: bool = False
    implicit_object: bool = False
    contract_customer: bool = False
    direct_object: bool = False
    vendor_object: bool = False
    vendor_subject: bool = False
    orient_by_type: bool = False
    prep_noun: tuple[str, ...] = ()
    vendor_pair: bool = False
    head_lemmas: frozenset[str] = frozenset()
    forbid_object_complement: bool = False
    round: bool = False
    round_object: bool = False
    reverse_for: frozenset[str] = frozenset()
    reverse_preps: frozenset[str] = frozenset()


@functools.cache
def trigger_data() -> dict:
    """``triggers.json`` read once per process; every lexicon of it is taken from here."""
    return json.loads(DATA.read_text(encoding="utf-8"))


@functools.cache
def round_words() -> dict[str, frozenset[str]]:
    """The ``rounds`` lexicon of ``triggers.json``: participation nouns and verbs,
    investor nouns and the verbs that list a company's investors."""
    data = trigger_data()["rounds"]
    return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}


@functools.cache
def target_words() -> dict[str, frozenset[str]]:
    """Words under which a deal is only a goal (``targets`` of ``triggers.json``):
    ``goals`` always, ``offers`` unless the sentence has one of ``agreements``."""
    data = trigger_data()["targets"]
    return {
        "goals": frozenset(data["verbs"]) | frozenset(data["nouns"]),
        "offers": frozenset(data["offers"]),
        "agreements": frozenset(data["agreements"]),
        "beliefs": frozenset(data["beliefs"]),
    }


def under_belief(token: Token) -> bool:
    """True when ``token``'s clause is the object of a verb of belief ("I mistakenly
    thought A had been acquired by B"): a belief, not a fact."""
    node = token
    for _ in range(3):
        if node.dep_ not in ("ccomp", "conj") or node.head.i == node.i:
            return False
        node = node.head
        if node.pos_ == "VERB" and _forms(node) & target_words()["beliefs"]:
            return True
    return False


def offer_agreed(token: Token) -> bool:
    """True when the sentence of ``token`` says a deal or offer was agreed, accepted or
    approved ("the board agreed to the deal"), not negated or hypothetical."""
    agreements = target_words()["agreements"]
    return any(
        t.pos_ == "VERB" and _forms(t) & agreements and clause_modality(t).asserted and t.i != token.i
        for t in sentence_of(token)
    )


#: Dependencies climbed from a deal verb to the goal it may serve ("seeks to raise").
_GOAL_DEPS = {"xcomp", "acl", "prep", "pobj", "pcomp", "dobj", "advcl", "ccomp", "attr", "nsubj", "nsubjpass"}


def under_target(token: Token) -> bool:
    """True when ``token`` states a goal rather than a fact: "seeks a valuation of",
    "is in talks to buy", "hopes to raise", "its bid to acquire"."""
    words = target_words()
    if any(c.dep_ in ("relcl", "acl") and _forms(c) & words["goals"] for c in token.children):
        return True  # "the valuation it is seeking", "the deal it hopes for"
    node = token
    offered = False
    for _ in range(7):
        if node.i != token.i and _forms(node) & words["goals"]:
            return True
        if node.i != token.i and _in_goal(node, words["goals"]):
            return True  # "is in talks to raise ... at a $1 billion valuation"
        offered = offered or (node.i != token.i and bool(_forms(node) & words["offers"]))
        if node.dep_ not in _GOAL_DEPS or node.head.i == node.i:
            break
        node = node.head
    return offered and not offer_agreed(token)


def _in_goal(node: Token, goals: frozenset[str]) -> bool:
    """ "is in talks to ...": the verb a goal phrase ("in talks", "in negotiations") hangs on."""
    return any(
        c.dep_ == "prep" and c.lower_ == "in" and any(p.dep_ == "pobj" and _forms(p) & goals for p in c.children)
        for c in node.children
    )


def _forms(token: Token) -> set[str]:
    """The lemma and plain stems of ``token`` (the tagger lemmatizes "hopes" as "hop")."""
    low = token.lower_
    forms = {token.lemma_.lower(), low, low.removesuffix("ing")}
    if low.endswith(("s", "d")):
        forms.add(low[:-1])
    if low.endswith(("es", "ed")):
        forms.add(low[:-2])
    return forms


@functools.cache
def verb_rules() -> dict[str, tuple[VerbRule, ...]]:
    """The verb rules by lemma ("*" for rules that any verb can trigger)."""
    data = trigger_data()
    by_lemma: dict[str, list[VerbRule]] = {}
    for entry in data["verbs"]:
        fields = {k: v for k, v in entry.items() if not k.startswith("_")}
        for key in (
            "lemmas",
            "particles",
            "dobj_lemmas",
            "forbid_dobj_lemmas",
            "subject_types",
            "object_types",
            "reverse_for",
            "reverse_preps",
        ):
            if key in fields:
                fields[key] = frozenset(fields[key])
        fields["object"] = tuple(fields["object"])
        fields["prep_noun"] = tuple(fields.get("prep_noun", ()))
        rule = VerbRule(**fields)
        for lemma in rule.lemmas:
            by_lemma.setdefault(lemma, []).append(rule)
    return {k: tuple(v) for k, v in by_lemma.items()}


def _fits(mention: Mention, types: frozenset[str]) -> bool:
    if not types:
        return True
    kind = "person" if is_person(mention.entity) else "place" if mention.entity.type == "Place" else "org"
    return kind in types


#: Modifiers that state facts of their own ("Acme, founded in 2019, raised ...").
_ASIDE_DEPS = {"relcl", "acl", "appos"}


def event_text(head: Token) -> str:
    """The words of the clause headed by ``head`` without the relative clauses, participle
    phrases and appositions of its arguments, nor full clauses of their own: where the
    amount and time of ``head``'s event are stated (worked out once per head of a doc: each
    rule that holds at a verb reads it)."""
    memo = head.doc.user_data.setdefault("labelgraph_event_texts", {})
    found = memo.get(head.i)
    if found is None:
        tags, skip = tags_of(head.doc), asides(head)
        found = memo[head.i] = tags.joined(t for t in tags.subtree(head.i) if t not in skip)
    return found


def asides(head: Token) -> set[int]:
    """The tokens of ``head``'s clause that are not about its event (see :func:`event_text`)."""
    tags = tags_of(head.doc)
    dep, subtree = tags.dep, tags.subtree(head.i)
    skip: set[int] = set()
    for t in subtree:
        if t == head.i or t in skip:
            continue
        relation = dep[t]
        subject = any(dep[c] in ("nsubj", "nsubjpass") for c in tags.children(t))
        own_clause = relation in ("advcl", "conj") and subject
        describing = relation == "advcl" and tags.tag[t] == "VBN" and not subject  # "Founded in 2020, A serves B"
        # "€50 million ($58 million)": an amount converted, not an apposition of its own
        converted = relation == "appos" and tags.pos[t] == "NUM" and tags.pos[tags.head[t]] == "NUM"
        if (relation in _ASIDE_DEPS and not converted) or own_clause or describing:
            skip.update(tags.subtree(t))
    return skip


def _fronted_participle(verb: Token) -> bool:
    """ "Founded in 2020 by X, the company ...": a passive participle opening the
    sentence, with a by-agent and no subject of its own."""
    return (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBN"
        and any(c.dep_ == "agent" for c in verb.children)
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    )


def _outside_participle(mention: Mention, verb: Token, ctx: Context) -> Mention | None:
    """ "Founded by former Orbit engineer X, the company ...": "the company" is not an
    organization named inside the participle phrase; resolve it past them."""
    if mention.via != "generic":
        return mention
    inside = frozenset(m.entity.id for t in verb.subtree if (m := ctx.mentions.at(t)) is not None)
    if mention.entity.id not in inside:
        return mention
    return ctx.mentions.antecedent(ctx.doc[mention.head], exclude=inside, sentences_back=2, prefer_subject=True)


def _antecedent(subject: Token) -> Token:
    """ "Acme, the company that was acquired by B": a relative pronoun stands for the
    noun its clause hangs from, and that noun for the name it is in apposition with."""
    verb = subject.head
    if subject.lower_ not in ("that", "which", "who") or verb.dep_ != "relcl":
        return subject
    noun = verb.head
    return noun.head if noun.dep_ == "appos" else noun


def _dobjs(verb: Token, rule: VerbRule) -> list[Token]:
    doc = verb.doc
    tags = tags_of(doc)
    dep, kids = tags.dep, tags.kids[verb.i]
    out = [_antecedent(doc[c]) for c in kids if dep[c] == "dobj"]
    if rule.passive_swap and is_passive(verb):
        out += [_antecedent(doc[c]) for c in kids if dep[c] == "nsubjpass"]
    if rule.passive_swap and _fronted_participle(verb):
        out += [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    if (
        rule.passive_swap
        and verb.dep_ == "acl"
        and verb.tag_ == "VBN"
        and any(c.dep_ == "agent" for c in verb.children)
    ):
        out.append(verb.head)  # "the unit led by X", "a startup founded by X"
    return out


def _pobjs(verb: Token, preps: set[str]) -> list[Token]:
    doc = verb.doc
    tags = tags_of(doc)
    dep, children = tags.dep, tags.children(verb.i)
    # "invested $5 million in X": the parser often hangs "in X" on the amount.
    amounts = [c for c in children if dep[c] == "dobj" and (doc[c].like_num or tags.ent[c] == "MONEY")]
    heads = [verb.i, *(c for c in children if dep[c] in ("prt", "advmod")), *amounts]
    return [
        doc[p]
        for h in heads
        for c in tags.children(h)
        if dep[c] in ("prep", "agent", "dative") and tags.lower[c] in preps
        for p in tags.children(c)
        if dep[p] in ("pobj", "pcomp")  # names the parser took for verbs ("with Turing") are pcomp
    ]


def _slot(verb: Token, slot: str, rule: VerbRule, ctx: Context) -> list[Mention]:
    """The entities found in one slot of ``verb``."""
    if slot == "subj":
        if rule.passive_swap and (
            (verb.dep_ == "acl" and any(c.dep_ == "agent" for c in verb.children)) or _fronted_participle(verb)
        ):
            return _agents(verb, ctx)
        found = subjects_of(verb, ctx, passive_agent=rule.passive_swap)
        if not found and rule.passive_swap and is_passive(verb):
            found = _agents(verb, ctx)
        return found
    if slot == "dobj":
        out: list[Mention] = []
        for obj in _dobjs(verb, rule):
            if rule.round_object and (owners := _round_owners(obj, ctx)):
                out += owners
            elif rule.round_object:
                out += [m for m in np_entities(obj, ctx) if _not_round_name(m)] or _described_round(obj, ctx)
            elif rule.direct_object:
                out += [m for t in conjuncts(obj, ctx.mentions) if (m := ctx.mentions.at(t)) is not None]
            else:
                out += np_entities(obj, ctx)
        if rule.passive_swap and _fronted_participle(verb):
            out = [r for m in out if (r := _outside_participle(m, verb, ctx)) is not None]
        return [m for m in out if _not_round_name(m)]
    if slot == "dative":
        datives = [c for c in verb.children if c.dep_ == "dative"]
        dobjs = [c for c in verb.children if c.dep_ == "dobj"]
        if not datives and len(dobjs) == 2:
            datives = dobjs[:1]
        return [m for d in datives for m in np_entities(d, ctx)]
    if slot.startswith("prep:"):
        preps = set(slot[5:].split("|"))
        return [m for p in _pobjs(verb, preps) for m in np_entities(p, ctx)]
    if slot == "favor":
        return [
            m
            for p in _pobjs(verb, {"in"})
            if p.lower_ in ("favor", "favour")
            for q in _pobjs(p, {"of"})
            for m in np_entities(q, ctx)
        ]
    if slot == "led_by":
        out = []
        for t in verb.subtree:
            if t.lemma_ in ("lead", "back", "co-lead") and t.i != verb.i:
                out += [m for p in _pobjs(t, {"by"}) for m in np_entities(p, ctx)]
        return out
    if slot == "subj_or_dobj":
        if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "acl", "xcomp", "conj"):
            # "Mercor raised $100 million, valuing the company at $2 billion"
            found = subjects_of(verb.head, ctx)
            if found:
                return found
        if verb.dep_ in ("acl", "relcl", "amod") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
            found = np_entities(verb.head, ctx, role="subject")
            if not found and verb.head.dep_ == "appos" and (named := ctx.mentions.at(verb.head.head)) is not None:
                found = [named]  # "Acme, a company based in Texas"
            return found
        passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
        if passive and passive[0].lower_ in ("which", "that", "who") and verb.dep_ == "relcl":
            own = ctx.mentions.at(verb.head)
            return [own] if own is not None else []
        if passive:
            return [m for s in passive for m in np_entities(s, ctx, role="subject")]
        dobjs = [c for c in verb.children if c.dep_ == "dobj"]
        if dobjs:
            return [m for d in dobjs for m in np_entities(d, ctx, role="subject")]
        return subjects_of(verb, ctx)
    return []


def _agents(verb: Token, ctx: Context) -> list[Mention]:
    """The by-agents of a passive verb; "led by investors like A and B" gives A and B."""
    out: list[Mention] = []
    for p in (p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"):
        out += np_entities(p, ctx, role="subject") or listed_members(p, ctx)
    return out


def listed_members(noun: Token, ctx: Context) -> list[Mention]:
    """The names a plural noun lists: "investors like A and B", "backers such as A",
    "investors including A", "several investors: A and B"."""
    out: list[Mention] = []
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("like", "including", "as"):
            out += [m for p in c.children if p.dep_ == "pobj" for m in np_entities(p, ctx)]
        if c.dep_ in ("amod", "prep") and c.lower_ == "such":
            out += [m for a in c.children if a.lower_ == "as" for p in a.children if p.dep_ == "pobj"
                    for m in np_entities(p, ctx)]  # fmt: skip
        if c.dep_ == "appos":
            out += np_entities(c, ctx)
    if out:
        # "investors like A, B, and C": the parser may hang the last name on the head.
        out += [m for c in noun.children if c.dep_ == "conj" and (m := ctx.mentions.at(c)) is not None]
    return _dedupe_mentions(out)


def _round_owners(noun: Token, ctx: Context) -> list[Mention]:
    """The company whose round ``noun`` is: "Acme's round", "its Series B" (resolved),
    "Acme became a unicorn after a round led by X" (the subject of the verb the round's
    phrase hangs from)."""
    for c in noun.children:
        if c.dep_ == "poss":
            m = ctx.mentions.at(c)
            if m is None and c.pos_ == "PRON":
                m = resolve_pronoun(c, ctx)
            return [m] if m is not None and is_org(m.entity) else []
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        verb = noun.head.head
        if verb.lemma_.lower() not in _INVESTING_LEMMAS:
            return [m for m in subjects_of(verb, ctx) if is_org(m.entity)]
    return []


def _described_round(noun: Token, ctx: Context) -> list[Mention]:
    """ "Acme raised $40 million. B led the round": the company of the round just stated."""
    recent = _recent_round(noun, ctx)
    return [recent[0]] if recent is not None and _definite(noun) else []


def _recent_round(token: Token, ctx: Context) -> tuple | None:
    """The round stated in the last sentence or two before ``token``'s, if any."""
    held = ctx.last_round
    if held is None or not 0 <= sentence_of(token).start_char - held[2] <= 400:
        return None
    return held


def _not_round_name(mention: Mention) -> bool:
    """ "Series C" taken for a name by the NER is no company."""
    return not _ROUND_NAME.match(mention.entity.label)


def _object_complement(verb: Token, dobj: Token) -> bool:
    """ "left rivals competing", "left clients wondering": a verb form after the object
    that says what the object does (the causative sense, not a departure)."""
    return any(
        c.i > dobj.i and c.dep_ in ("xcomp", "oprd", "ccomp", "advcl") and c.tag_ in ("VBG", "VBN")
        for c in verb.children
    )


def _conditions_hold(verb: Token, rule: VerbRule) -> bool:
    tags = tags_of(verb.doc)
    dep, lower, kids = tags.dep, tags.lower, tags.kids[verb.i]
    particles = {lower[c] for c in kids if dep[c] in ("prt", "advmod", "dobj", "prep")}
    if rule.particles and not (particles & rule.particles):
        return False
    if rule.forbid_particles and any(dep[c] == "prt" for c in kids):
        return False
    dobjs = _dobjs(verb, rule)
    dobj_lemmas = {tags.lemma[d.i] for d in dobjs} | {lower[d.i] for d in dobjs}
    if rule.round_object:  # "a Series C led by X"
        dobj_lemmas |= {c.lower_ for d in dobjs for c in d.children if c.dep_ == "compound"}
    if rule.dobj_lemmas and not rule.particles and not (dobj_lemmas & rule.dobj_lemmas):
        return False
    if rule.particles and rule.implicit_object and dobjs:
        # "scaling back hiring" is not ending a relationship.
        named = any(t.ent_type_ for d in dobjs for t in d.subtree)
        if not named and not (dobj_lemmas & _RELATIONSHIP_NOUNS):
            return False
    if rule.forbid_dobj_lemmas and dobj_lemmas & rule.forbid_dobj_lemmas:
        return False
    if rule.forbid_object_complement and dobjs and _object_complement(verb, dobjs[0]):
        return False
    if rule.head_lemmas and (verb.head.i == verb.i or verb.head.lemma_.lower() not in rule.head_lemmas):
        return False
    for requirement in rule.prep_noun:
        prep, nouns = requirement.split(":")
        if not any(p.lemma_.lower() in nouns.split("|") for p in _pobjs(verb, {prep})):
            return False
    return not (rule.require_money and not find_money(clause_span(verb).text))


def _implicit_counterpart(verb: Token, subjects: list[Mention], rule: VerbRule, ctx: Context) -> Mention | None:
    """The other party of "Microsoft is also planning to withdraw": the vendor named in
    the same sentence, else the counterpart of the article's last such relation."""
    sent = sentence_of(verb)
    exclude = {m.entity.id for m in subjects}
    vendors = [m for m in other_orgs(sent, ctx, exclude) if m.entity.type == "DataVendor" and not is_speaker(m, ctx)]
    if vendors:
        return vendors[0]
    for rel in reversed(ctx.found):
        if rel.predicate == rule.predicate and rel.subject not in exclude and rel.object:
            found = _mention_for(rel.object, ctx)
            return found if found is not None and not is_speaker(found, ctx) else None
    return None


@functools.cache
def _reporting_verbs() -> frozenset[str]:
    return frozenset(json.loads(SERVICE_DATA.read_text(encoding="utf-8"))["reporting_verbs"])


def is_speaker(m: Mention, ctx: Context) -> bool:
    """True for the source of a report ("..., local unions A and B said"): the names
    right before a reporting verb (``reporting_verbs`` of ``service.json``), joined by
    "and" or commas only. A source is never a party of the deal it reports."""
    doc, reporting = ctx.doc, _reporting_verbs()
    i = m.end
    while i < m.head + 12 and i < len(doc):
        t = doc[i]
        if t.lemma_.lower() in reporting and t.pos_ == "VERB":
            return True
        if not (t.lower_ in ("and", ",") or ctx.mentions.at(t) is not None):
            return False
        i += 1
    return False


def _through(verb: Token, m: Mention, preps: frozenset[str]) -> bool:
    """True when ``m`` is the object of one of ``preps`` ("a contract from A and B")."""
    if not preps:
        return False
    node = verb.doc[m.head]
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
    return node.dep_ == "pobj" and node.head.lower_ in preps


def done_for(verb: Token, m: Mention) -> bool:
    """True when ``m`` is who the verb's object is done for ("cancelled its work for
    Orbit", "ended its services for Orbit"): the subject is the vendor."""
    doc = verb.doc
    node = doc[m.head]
    for _ in range(4):
        if node.dep_ == "pobj" and node.head.lower_ == "for":
            owner = node.head.head
            return owner.dep_ == "dobj" and owner.head.i == verb.i
        if node.dep_ not in ("conj", "appos", "compound") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _mention_for(entity_id: str, ctx: Context) -> Mention | None:
    for m in ctx.mentions:
        if m.entity.id == entity_id:
            return m
    return None


def _object_phrase_is_contract(verb: Token) -> bool:
    return any(c.dep_ == "dobj" and c.lemma_.lower() in _CONTRACT_NOUNS for c in verb.children) or any(
        p.lemma_.lower() in _CONTRACT_NOUNS for p in _pobjs(verb, {"from", "with"})
    )


def apply_rule(verb: Token, rule: VerbRule, ctx: Context) -> list[Candidate]:
    """What ``rule`` finds at ``verb``, worked out once per doc (the service rules read the
    ending rules' findings again)."""
    key = (verb.i, id(rule))
    found = ctx.applied.get(key)
    if found is None:
        found = ctx.applied[key] = _apply(verb, rule, ctx)
    return found


def _apply(verb: Token, rule: VerbRule, ctx: Context) -> list[Candidate]:
    if not _conditions_hold(verb, rule):
        return []
    objects: list[Mention] = []
    if rule.predicate != "valued_at":
        for slot in rule.object:
            objects = [m for m in _slot(verb, slot, rule, ctx) if _fits(m, rule.object_types)]
            if objects:
                break
        if not objects and not rule.implicit_object and not rule.round:
            return []  # cheap checks first: most verbs stop here
    modality = ctx.modality(verb)
    if not modality.asserted or (modality.past and rule.predicate in _CURRENT_ONLY) or under_belief(verb):
        return []
    if rule.predicate in _DEAL_PREDICATES and under_target(verb):
        return []
    subjects = [m for m in _slot(verb, rule.subject, rule, ctx) if _fits(m, rule.subject_types)]
    if not subjects:
        return []
    if rule.predicate == "valued_at":
        return _valuation(verb, subjects, rule, modality.status, ctx)
    if rule.predicate == "founded":
        subjects = _dedupe_mentions([*subjects, *_cofounders(verb, ctx)])
    if rule.round:
        return _round(verb, subjects, rule, modality.status, ctx)
    penalty = 0.0
    if not objects and rule.implicit_object:
        counterpart = _implicit_counterpart(verb, subjects, rule, ctx)
        if counterpart is not None:
            objects, penalty = [counterpart], 0.2
    if rule.vendor_object:
        objects = [m for m in objects if m.entity.type == "DataVendor" or not m.entity.in_catalogue]
    if rule.vendor_subject:
        subjects = [m for m in subjects if m.entity.type == "DataVendor" or not m.entity.in_catalogue]
    if rule.vendor_pair:
        subjects, objects = _vendor_pairs(subjects, objects)
    if rule.contract_customer or rule.implicit_object:
        objects = [m for m in objects if not is_speaker(m, ctx)]  # "..., local unions A and B said"
    reverse = bool(
        rule.reverse_for and {t.lemma_.lower() for p in _pobjs(verb, {"for"}) for t in p.subtree} & rule.reverse_for
    )
    status = modality.status
    if rule.predicate == "ended_relationship_with" and status == "reported":
        status = "ended"
    # "a $45 million Series B led by X": the amount is on the round the participle qualifies.
    text = clause_span(verb.head).text if rule.round_object and verb.dep_ == "acl" else event_text(verb)
    qualifiers = clause_qualifiers(text, ctx, percent=rule.predicate == "invested_in", forward=status == "planned")
    if "date" not in qualifiers and (
        announced := announcement_date(verb, ctx) or referred_date(text, verb, ctx) or _outcome_year(verb, ctx)
    ):
        qualifiers["date"] = announced
    if rule.predicate == "invested_in" and qualifiers.get("stake_pct", 0) > 50:
        return []  # a majority holding is control, not the minority stake the relation means
    recent = _recent_round(verb, ctx) if rule.round_object and "amount" not in qualifiers else None
    if recent is None and rule.round_object and "amount" not in qualifiers:
        recent = _earlier_round(verb, ctx)
    if recent is not None and any(o.entity.id == recent[0].entity.id for o in objects):
        qualifiers = {**recent[1], **qualifiers}  # the lead of the round just stated carries its amount
    if rule.predicate not in ("invested_in", "customer_of", "acquired"):
        for key in ("amount", "currency", "amount_usd"):
            qualifiers.pop(key, None)
    base = rule.confidence - penalty - (0.05 if modality.hedged else 0.0) - (0.05 if status == "planned" else 0.0)
    out = []
    for s in subjects:
        for o in objects:
            subj, obj = (o, s) if rule.inverse else (s, o)
            if (
                reverse
                or (rule.predicate == "ended_relationship_with" and done_for(verb, o))
                or _through(verb, o, rule.reverse_preps)
            ):
                subj, obj = obj, subj  # "relies on A for revenue": A is the client
            if rule.orient_by_type and subj.entity.type == "DataVendor" and obj.entity.type != "DataVendor":
                subj, obj = obj, subj
            trust = min(subj.trust, obj.trust)
            held = dict(qualifiers)
            family = "verb-implicit" if penalty else "verb"  # the object was taken from context
            out.append(Candidate(subj, rule.predicate, obj, verb, base * trust, status, held, family))
            if rule.round_object:  # "A led the round, with participation from B"
                out += _joined_round(verb, subj, obj, base, status, ctx)
            if rule.contract_customer and _object_phrase_is_contract(verb):
                out.append(Candidate(subj, "customer_of", obj, verb, base * trust * 0.9, "ended", {}, "verb"))
    return out


def founding_date(org: Mention, ctx: Context) -> str | None:
    """When the article says ``org`` was founded, in a sentence of its own: "Founded in
    2016, Acme ...", "Acme was founded in 2015", "Acme, founded in 2020, ..."; None when
    it gives two different times."""
    if "founding" not in ctx.memo:
        ctx.memo["founding"] = _founding_statements(ctx)
    dates = ctx.memo["founding"].get(org.entity.id, set())
    return next(iter(dates)) if len(dates) == 1 else None


def _founding_statements(ctx: Context) -> dict[str, set[str]]:
    """Entity id -> the founding dates the article states of it (one scan per article)."""
    out: dict[str, set[str]] = {}
    for t in ctx.doc:
        if t.tag_ != "VBN" or not t.lower_.replace("-", "").endswith("founded"):
            continue
        if not any(p.ent_type_ == "DATE" for p in _pobjs(t, {"in"})):
            continue
        if t.dep_ == "acl":
            named = [ctx.mentions.at(t.head)]
        elif t.dep_ == "advcl" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children):
            named = [ctx.mentions.at(c) for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        else:
            named = [ctx.mentions.at(c) for c in t.children if c.dep_ == "nsubjpass"]
        if not ctx.modality(t).asserted:
            continue
        date = clause_qualifiers(clause_span(t), ctx, money=False, percent=False).get("date")
        if date:
            for m in named:
                if m is not None:
                    out.setdefault(m.entity.id, set()).add(date)
    return out


def _round_investors(verb: Token, ctx: Context) -> tuple[list[Mention], list[Mention], bool]:
    """The leads of the round a raise verb states ("led by A", "co-led by A and B") and
    its other investors ("from A, B and C", "with participation from C", "with C also
    taking part")."""
    words = round_words()
    leads: list[Mention] = []
    sources = _pobjs(verb, {"from"})
    for t in verb.subtree:
        lemma = t.lemma_.lower()
        if t.i != verb.i and lemma in ("lead", "co-lead", "colead") and t.pos_ == "VERB":
            leads += _agents(t, ctx)
        elif lemma in words["round_nouns"] and t.pos_ == "NOUN" and verb.i in (t.head.i, t.head.head.i):
            sources += _pobjs(t, {"from"})  # "raising $6 million of seed money from A, B and C"
    others = [m for p in dict.fromkeys(sources) for m in np_entities(p, ctx) or listed_members(p, ctx)]
    # "from a dozen backers, such as A": more investors than the names given.
    several = any(p.tag_ in ("NNS", "NNPS") and ctx.mentions.at(p) is None for p in sources)
    joined = _participation(verb, ctx)
    others += joined
    # Participants ("with participation from C") are never the round's only investor.
    several = several or bool(joined)
    lead_ids = {m.entity.id for m in leads}
    return _dedupe_mentions(leads), _dedupe_mentions([m for m in others if m.entity.id not in lead_ids]), several


def _joined_round(
    verb: Token, lead: Mention, company: Mention, base: float, status: str, ctx: Context
) -> list[Candidate]:
    """The other investors of a round ``lead`` led, without its amount."""
    return [
        Candidate(p, "invested_in", company, verb, base * min(p.trust, company.trust), status, {}, "round")
        for p in _participation(verb, ctx)
        if p.entity.id not in (lead.entity.id, company.entity.id)
    ]


def _participation(verb: Token, ctx: Context) -> list[Mention]:
    """Investors who took part in the round ``verb`` states without leading it: "with
    participation from C", "with C and D also taking part"."""
    words = round_words()
    out: list[Mention] = []
    for t in verb.subtree:
        lemma = t.lemma_.lower()
        if lemma in words["participation_nouns"] and t.pos_ == "NOUN":
            out += [m for p in _pobjs(t, {"from", "by"}) for m in np_entities(p, ctx) or listed_members(p, ctx)]
        elif lemma in words["participation_verbs"] and t.dep_ in ("pcomp", "acl", "advcl", "relcl") and t.i != verb.i:
            if lemma == "take" and not any(c.lower_ == "part" for c in t.children):
                continue
            if ctx.modality(t).asserted:
                out += _participants(t, ctx)
    return out


def _participants(verb: Token, ctx: Context) -> list[Mention]:
    """ "with C and D also taking part": the subject of the participation verb, or the
    name it hangs from ("with C participating")."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if subjects:
        return [m for s in subjects for m in np_entities(s, ctx, role="subject")]
    if verb.dep_ == "acl" and ctx.mentions.at(verb.head) is not None:
        return [m for t in conjuncts(verb.head, ctx.mentions) if (m := ctx.mentions.at(t)) is not None]
    return []


def _round(verb: Token, subjects: list[Mention], rule: VerbRule, status: str, ctx: Context) -> list[Candidate]:
    """Every investor of a round: the amount goes on its leads, or on its only investor."""
    leads, others, several = _round_investors(verb, ctx)
    investors = [m for m in (*leads, *others) if _fits(m, rule.object_types)]
    qualifiers = clause_qualifiers(event_text(verb), ctx, percent=False)
    bare = {k: v for k, v in qualifiers.items() if k not in ("amount", "currency", "amount_usd")}
    if subjects and status != "planned":
        ctx.last_round = (subjects[0], qualifiers if not investors else bare, sentence_of(verb).end_char)
    lead_ids = {m.entity.id for m in leads}
    out = []
    for company in subjects:
        for investor in investors:
            if investor.entity.id == company.entity.id:
                continue
            keeps = investor.entity.id in lead_ids or (not lead_ids and len(investors) == 1 and not several)
            confidence = rule.confidence * min(company.trust, investor.trust)
            out.append(Candidate(investor, "invested_in", company, verb, confidence, status,
                                 dict(qualifiers if keeps else bare), "round"))  # fmt: skip
    return out


def _dedupe_mentions(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    return [m for m in mentions if not (m.entity.id in seen or seen.add(m.entity.id))]


def _with_persons(node: Token, ctx: Context) -> list[Mention]:
    """The persons of a "with" phrase on ``node``; "with whom" stands for the name the
    relative clause hangs from ("Jane Roe, with whom she later started Acme")."""
    out: list[Mention] = []
    for p in _pobjs(node, {"with"}):
        if p.lower_ in ("whom", "who") and node.dep_ == "relcl":
            found = ctx.mentions.at(node.head)
            out += [found] if found is not None else []
        else:
            out += np_entities(p, ctx, role="subject")
    return [m for m in out if is_person(m.entity)]


def _cofounders(verb: Token, ctx: Context) -> list[Mention]:
    """Founders named with "with": "X cofounded Acme with Y", "X teamed up with Y to start Acme"."""
    out = _with_persons(verb, ctx)
    for clause in verb.subtree:
        # "founded Acme in 2019, when he was a student, with Y": a time clause between.
        if clause.dep_ == "relcl" and clause.head.ent_type_ == "DATE" and clause.head.head.head.i == verb.i:
            out += _with_persons(clause, ctx)
    head = verb.head
    if verb.dep_ in ("xcomp", "advcl") and head.lemma_.lower() in _TEAM_UP_LEMMAS:
        out += _with_persons(head, ctx)
    return out


def _vendor_pairs(subjects: list[Mention], objects: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """ "Turing works with OpenAI": keep pairs of one data vendor and one other
    organization, the vendor as object."""
    vendors_s = [m for m in subjects if m.entity.type == "DataVendor"]
    vendors_o = [m for m in objects if m.entity.type == "DataVendor"]
    if vendors_s and not vendors_o:
        return [m for m in objects if m.entity.type != "DataVendor"], vendors_s
    if vendors_o and not vendors_s:
        return subjects, vendors_o
    return [], []


def _valuation(verb: Token, subjects: list[Mention], rule: VerbRule, status: str, ctx: Context) -> list[Candidate]:
    amounts = [money for p in _pobjs(verb, {"at"}) for money in find_money(clause_span(p).text)]
    if not amounts:
        return []
    if verb.tag_ == "VBG" and any(
        c.dep_ == "dobj" and (ctx.mentions.at(c) is None or ctx.mentions.at(c).via == "generic") for c in verb.children
    ):
        return []  # "a deal valuing it (the unit) at": surface.py finds whose value it is
    money = amounts[0]
    span = clause_span(verb)
    cut = older_value_start(span)
    date_span = span if cut is None else verb.doc[span.start : cut]
    # "A, founded in 2017, was valued at $4 billion last year": not the apposition's year
    skip = asides(verb)
    own = "".join(t.text_with_ws for t in date_span if t.i not in skip)
    date = _round_date(verb, date_span, ctx) or clause_qualifiers(own, ctx, money=False, percent=False).get("date")
    subjects = valued_companies([s for s in subjects if is_org(s.entity)], sentence_of(verb), ctx)
    return [
        Candidate(s, "valued_at", None, verb, rule.confidence * s.trust, status, value_qualifiers(money, date), "verb")
        for s in subjects
    ]


@functools.cache
def _announcing_words() -> frozenset[str]:
    return frozenset(trigger_data()["announcements"]["words"])


def announcement_date(verb: Token, ctx: Context) -> str | None:
    """ "disclosed in June that it is ending all work with X", "a decision last month to
    drop X", "reported in May on X raising ...": the date of the announcement whose
    content ``verb`` heads."""
    announcing = _announcing_words()
    content, head = verb, verb.head
    if verb.dep_ == "ccomp" and head.lemma_.lower() not in announcing:
        return _misattached_announcement_date(verb, ctx)
    # "reported on X raising": the content hangs from a preposition (or from a name the
    # parser took for a verb on the way)
    for _ in range(3):
        if head.lemma_.lower() in announcing or content.dep_ not in ("xcomp", "pcomp", "prep") or head.i == content.i:
            break
        content, head = head, head.head
    if content.dep_ not in ("ccomp", "xcomp", "acl", "prep") or head.lemma_.lower() not in announcing:
        return None
    if not ctx.modality(head).asserted or any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children):
        return None  # "announced on Monday that it had acquired X": done some time before
    inside = set(range(content.left_edge.i, content.right_edge.i + 1))
    for prep in head.children:
        if prep.dep_ in ("prep", "npadvmod") and prep.i not in inside:
            text = ctx.doc[prep.left_edge.i : prep.right_edge.i + 1]
            date = clause_qualifiers(text, ctx, money=False, percent=False).get("date")
            if date:
                return date
    return None


def _outcome_year(verb: Token, ctx: Context) -> str | None:
    """ "became a unicorn in 2019 following a Series C led by X": a round named as what led
    to a dated outcome took place that year (the year only: "following" says before, not
    how long before)."""
    noun = verb.head if verb.dep_ in ("acl", "relcl") else None
    if noun is None or noun.dep_ not in ("pobj", "dobj") or not _names_round(noun):
        return None
    prep = noun.head
    if prep.dep_ != "prep" or prep.lower_ not in ("after", "following") or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    for child in prep.head.children:
        if child.dep_ in ("prep", "npadvmod") and child.i != prep.i:
            text = ctx.doc[child.left_edge.i : child.right_edge.i + 1]
            date = clause_qualifiers(text, ctx, money=False, percent=False).get("date")
            if date:
                return date[:4]
    return None


def _names_round(noun: Token) -> bool:
    """ "a round", "seed funding", "a Series C": a noun naming a funding round."""
    words = {noun.lower_, noun.lemma_.lower(), *(c.lower_ for c in noun.children if c.dep_ == "compound")}
    return bool(words & round_words()["round_nouns"]) or "series" in words


def _misattached_announcement_date(verb: Token, ctx: Context) -> str | None:
    """ "comes after A's disclosure in June that it is ending all work with X": the parser
    hangs the that-clause and the date on the verb; the words between the announcement
    noun and "that" are the noun's."""
    nouns = [c for c in verb.head.children if c.dep_ == "dobj" and c.lemma_.lower() in _announcing_words()]
    mark = verb.left_edge
    if len(nouns) != 1 or mark.lower_ != "that" or not nouns[0].i < mark.i <= nouns[0].i + 6:
        return None
    between = ctx.doc[nouns[0].i + 1 : mark.i]
    return clause_qualifiers(between, ctx, money=False, percent=False).get("date") if len(between) else None


def _round_date(verb: Token, span: Span, ctx: Context) -> str | None:
    """ "(recently) worth $5 billion, valued so after securing $300 million in April 2022": the date
    of the round the valuation came from, when the valuation's own words give none but
    a vague "recently"."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("after", "following"):
            continue
        for raised in prep.children:
            lemma = raised.lemma_.lower()
            if raised.dep_ != "pcomp" or lemma not in round_words()["valuing_round_verbs"]:
                continue
            inside = set(range(raised.left_edge.i, raised.right_edge.i + 1))
            own = " ".join(t.text for t in span if t.i not in inside and t.lower_ not in _VAGUE_TIMES)
            if clause_qualifiers(own, ctx, money=False, percent=False).get("date") or not ctx.modality(raised).asserted:
                return None
            return clause_qualifiers(clause_span(raised), ctx, money=False, percent=False).get("date")
    return None


def value_qualifiers(money: Money, date: str | None = None) -> dict:
    """The qualifiers of a valuation: amount, currency, USD amount and date."""
    qualifiers = {"amount": money.amount, "currency": money.currency}
    if money.currency == "USD":
        qualifiers["amount_usd"] = money.amount
    if date:
        qualifiers["date"] = date
    return qualifiers


def older_value_start(span: Span) -> int | None:
    """The token where "up from $X" (an earlier valuation) starts within ``span``."""
    for t in span:
        if t.lower_ in ("up", "down") and t.i + 2 < span.end and t.nbor().lower_ == "from":
            found = find_money(t.doc[t.i + 2 : min(t.i + 7, span.end)].text)
            if found and found[0].start == 0:
                return t.i
    return None


#: Prepositions whose object is an investor or buyer, not the company valued.
_INVESTOR_PREPS = {"from", "by", "like", "as", "including"}


def investor_ids(sent: Span, ctx: Context) -> set[str]:
    """The organizations of ``sent`` named as investors or buyers ("raised from A",
    "led by B", "investors like C and D")."""
    out = set()
    for m in ctx.mentions.within(sent):
        node = ctx.doc[m.head]
        while node.dep_ in ("conj", "appos") and node.head.i != node.i:
            node = node.head
        if node.dep_ == "pobj" and node.head.lower_ in _INVESTOR_PREPS:
            out.add(m.entity.id)
    return out


def valued_companies(found: list[Mention], sent: Span, ctx: Context) -> list[Mention]:
    """``found`` without investors: a valuation is never an investor's ("Acme, backed by
    B, was valued at"; "the company" read as the investor gives the clause's subject)."""
    investors = investor_ids(sent, ctx)
    out = [m for m in found if m.entity.id not in investors]
    if found and not out:
        subjects = [
            m
            for m in ctx.mentions.within(sent)
            if is_org(m.entity) and m.entity.id not in investors and ctx.doc[m.head].dep_ in ("nsubj", "nsubjpass")
        ]
        out = subjects[:1]
    return out


def _same_again(verb: Token, ctx: Context) -> list[Candidate]:
    """ "Helix Bank made the same choice", "others followed suit": repeat the article's last
    relation of a copyable kind for a new subject."""
    lemma = verb.lemma_.lower()
    similar = lemma in ("make", "take") and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _SAME_NOUNS and any(a.lower_ in _SAME_ADJ for a in c.children)
        for c in verb.children
    )
    suit = lemma == "follow" and any(c.dep_ == "dobj" and c.lower_ == "suit" for c in verb.children)
    same = lemma == "do" and any(c.dep_ == "dobj" and c.lower_ == "same" for c in verb.children)
    if not (similar or suit or same):
        return []
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    subjects = [m for m in subjects_of(verb, ctx) if is_org(m.entity)]
    begins = sentence_of(verb).start_char
    previous = next(
        (r for r in reversed(ctx.found) if r.predicate in _COPYABLE and r.object and r.start < begins), None
    )
    if not subjects or previous is None:
        return []
    obj = _mention_for(previous.object, ctx)
    if obj is None:
        return []
    status = (
        "ended"
        if previous.predicate == "ended_relationship_with" and modality.status == "reported"
        else modality.status
    )
    qualifiers = clause_qualifiers(clause_span(verb), ctx, money=False, percent=False)
    return [
        Candidate(s, previous.predicate, obj, verb, 0.6 * s.trust, status, qualifiers, "same-again")
        for s in subjects
        if s.entity.id not in (previous.subject, previous.object)
    ]


def _investor_owner(noun: Token, ctx: Context) -> list[Mention]:
    """Whose investors ``noun`` names: "Acme's backers", "investors in Acme", "Acme,
    whose investors include", "Acme counts backers such as"."""
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ == "whose":
            return np_entities(noun.head.head, ctx, role="subject") if noun.head.dep_ == "relcl" else []
        if c.dep_ == "poss":
            m = ctx.mentions.at(c) or (resolve_pronoun(c, ctx) if c.pos_ == "PRON" else None)
            return [m] if m is not None else []
    found = [m for p in _pobjs(noun, {"in", "of"}) for m in np_entities(p, ctx)]
    if found:
        return found
    verb = noun.head
    if noun.dep_ == "dobj" and verb.lemma_.lower() in round_words()["list_verbs"]:
        return subjects_of(verb, ctx)
    return []


def _investor_list(noun: Token, ctx: Context) -> list[Candidate]:
    """ "Investors in Acme include A and B", "Acme counts backers such as A": each listed
    investor invested in the company, with no amount."""
    verb = noun.head
    members = listed_members(noun, ctx)
    if not members and noun.dep_ == "nsubj" and verb.lemma_.lower() in round_words()["list_verbs"]:
        members = [m for c in verb.children if c.dep_ == "dobj" for m in np_entities(c, ctx)]
    if not members and noun.dep_ == "pobj" and verb.lower_ == "among" and verb.head.lemma_ == "be":
        members = subjects_of(verb.head, ctx)  # "A and B are among the backers of X"
        verb = verb.head
    members = [m for m in members if is_org(m.entity) or is_person(m.entity)]
    if not members:
        return []
    modality = ctx.modality(verb if noun.dep_ in ("nsubj", "dobj") else noun)
    if not modality.asserted or under_target(noun):
        return []
    owners = [m for m in _investor_owner(noun, ctx) if is_org(m.entity)]
    return [
        Candidate(m, "invested_in", o, noun, 0.75 * min(m.trust, o.trust), modality.status, {}, "investors")
        for o in owners
        for m in members
        if m.entity.id != o.entity.id
    ]


def _round_follower(verb: Token, ctx: Context) -> list[Candidate]:
    """ "Existing investors A and B also participated", "C joined the round": investors of
    the round the article just described, named in a sentence of their own (no amount)."""
    lemma = verb.lemma_.lower()
    if lemma not in round_words()["participation_verbs"]:
        return []
    children = list(verb.children)
    if lemma == "take" and not any(c.lower_ == "part" for c in children):
        return []
    if lemma == "invest" and _pobjs(verb, {"in", "into"}):
        return []
    objects = [c for c in children if c.dep_ == "dobj" and c.lower_ != "part"] + _pobjs(verb, {"in"})
    if any(o.lemma_.lower() not in round_words()["round_nouns"] or _round_owners(o, ctx) for o in objects):
        return []  # "joined Google", "participated in Acme's round": other rules read those
    if any(o.lemma_.lower() in round_words()["round_nouns"] and not _definite(o) for o in objects):
        return []  # "joined a round" is not the round just described
    previous = next((r for r in reversed(ctx.found) if r.predicate == "invested_in" and r.object), None)
    recent = _recent_round(verb, ctx)
    if recent is not None and (previous is None or recent[2] > previous.end):
        company = recent[0]
    elif previous is not None and sentence_of(verb).start_char - previous.end <= 400:
        company = _mention_for(previous.object, ctx)
    else:
        return []
    modality = ctx.modality(verb)
    if company is None or not modality.asserted or under_target(verb):
        return []
    investors = [m for m in subjects_of(verb, ctx) if is_org(m.entity) and m.entity.id != company.entity.id]
    return [
        Candidate(m, "invested_in", company, verb, 0.6 * m.trust, modality.status, {}, "round-follower")
        for m in investors
    ]


def _earlier_round(verb: Token, ctx: Context) -> tuple | None:
    """ "A raised $350 million. (...) Its Series C was led by B": the latest round the
    article stated, further back than ``_recent_round`` looks, for a round noun that
    points back to it ("its", "the") and names no time of its own."""
    held = ctx.last_round
    noun = verb.head if verb.dep_ == "acl" else None
    if held is None or noun is None or not 0 <= sentence_of(verb).start_char - held[2] <= _EARLIER_ROUND_CHARS:
        return None
    pointing = _definite(noun) or any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in noun.children)
    if not pointing or clause_qualifiers(sentence_of(verb), ctx, money=False, percent=False).get("date"):
        return None
    earlier = next((sent for sent in sentences_of(ctx.doc) if sent.end_char == held[2]), None)
    named = {m.group(1).upper() for m in _SERIES.finditer(sentence_of(verb).text)}
    stated = {m.group(1).upper() for m in _SERIES.finditer(earlier.text)} if earlier is not None else set()
    return held if not (named and stated and named != stated) else None  # a Series D is not the Series C


def _definite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children)


def _misread_verb(token: Token) -> bool:
    """ "Acme, which was founded in 2021, competes with B", "A and B use C": a verb the tagger
    took for a noun, seen by its subject (a noun has none)."""
    tags = tags_of(token.doc)
    i = token.i
    return (
        tags.pos[i] == "NOUN" and tags.tag[i] in ("NN", "NNS") and any(tags.dep[c] == "nsubj" for c in tags.children(i))
    )


@functools.cache
def _needed_words(rule: VerbRule) -> frozenset[str] | None:
    """Words one of which a sentence must hold for ``rule`` to find its object there (the
    prepositions of its "prep:" slots, "favor" for its "in favor of" slot); None when it
    can do without (another slot, an implicit object, a round, a valuation)."""
    if rule.implicit_object or rule.round or rule.predicate == "valued_at":
        return None
    needed: set[str] = set()
    for slot in rule.object:
        if slot == "favor":
            needed |= {"favor", "favour"}
        elif slot.startswith("prep:"):
            needed |= set(slot[5:].split("|"))
        else:
            return None
    return frozenset(needed)


def verb_candidates(sent: Span, ctx: Context) -> list[Candidate]:
    """Apply every verb rule to the verbs of ``sent``."""
    rules = verb_rules()
    words = ctx.words(sent)
    anywhere = [r for r in rules.get("*", ()) if (needed := _needed_words(r)) is None or not words.isdisjoint(needed)]
    out: list[Candidate] = []
    investor_nouns = round_words()["investor_nouns"]
    tags, tokens = ctx.tags(), ctx.tokens()
    for i in range(sent.start, sent.end):
        pos = tags.pos[i]
        if pos == "NOUN" and tags.lemma[i] in investor_nouns:
            out += _investor_list(tokens[i], ctx)
        if pos not in ("VERB", "AUX") and not (
            tags.tag[i].startswith("VB")
            or tags.dep[i] in ("acl", "amod")
            or (pos == "NOUN" and tags.tag[i] in ("NN", "NNS") and _misread_verb(tokens[i]))
        ):
            continue
        token = tokens[i]
        lemma = tags.lemma[i]
        if lemma.startswith("co-") or lemma.startswith("co"):
            lemma = {"cofound": "found", "co-found": "found"}.get(lemma, lemma)
        if token.lower_.replace("-", "").startswith("cofound"):
            lemma = "found"  # the tagger's lemma of "cofounded" is "cofounde"
        for rule in (*rules.get(lemma, ()), *anywhere):
            out += apply_rule(token, rule, ctx)
        out += _same_again(token, ctx)
        if token.pos_ == "VERB":
            out += _round_follower(token, ctx)
    return out
