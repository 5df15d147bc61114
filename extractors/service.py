"""The vendor-service grammar: who supplies whom.

"Datamark helps labs like Orbit prepare data", "supplies data to Orbit", "caters to
Orbit", "works for Orbit" (the subject is the vendor, the objects its clients);
"Orbit works with Datamark for its training data", "selected Datamark as its
evaluator", "entered into an agreement with Datamark" (the subject is the client);
and the endings of a custom: "stopped using Datamark", "no longer works with
Datamark", "switched from Datamark to Acme", "whose contract with Orbit ends".

Every ending implies that the client was a customer; :mod:`extractors.document` adds
that ``customer_of`` for every ending of the article, marked as inferred. The rules are
data in ``service.json``.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import replace
from difflib import SequenceMatcher
from importlib.resources import files

from spacy.tokens import Span, Token

from extractors.entities import Mention, is_org
from extractors.frames import Candidate, Context, clause_qualifiers, referred_date, subjects_of
from extractors.nominal import listed_entities
from extractors.relations import apply_rule, done_for, event_text, is_speaker, verb_rules
from extractors.tags import sentence_of

__all__ = ["service_candidates", "service_rules"]

DATA = files(__package__) / "service.json"
_NO_LONGER = ("longer", "more")
_HYPOTHETICAL = {"could", "might", "may", "would", "should", "must"}
_CONDITIONAL = {"if", "unless", "whether"}


@functools.cache
def service_rules() -> dict:
    """``service.json`` with its rules indexed by lemma."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    by_lemma = {
        kind: {lemma: [r for r in data[kind] if lemma in r["lemmas"]] for r in data[kind] for lemma in r["lemmas"]}
        for kind in ("serve", "hire")
    }
    sets = {k: frozenset(v) for k, v in data.items() if isinstance(v, list) and k not in ("serve", "hire")}
    return {**by_lemma, **sets, "client_verbs": data["client_verbs"]}


def _orgs(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if is_org(m.entity)]


def _slot(verb: Token, slot: str, ctx: Context) -> list[Mention]:
    """The entities of one slot of ``verb``: "dobj", "clause_subj", "dative" or "prep:a|b"."""
    if slot == "dobj":
        heads = [c for c in verb.children if c.dep_ == "dobj"]
    elif slot == "clause_subj":
        # "helps labs like A prepare data": the helped party is the subject of the clause
        heads = [s for c in verb.children if c.dep_ in ("ccomp", "xcomp") for s in c.children if s.dep_ == "nsubj"]
    elif slot == "dative":
        heads = [c for c in verb.children if c.dep_ == "dative"]
    else:
        preps = set(slot[5:].split("|"))
        holders = [verb, *(c for c in verb.children if c.dep_ in ("dobj", "prt", "advmod"))]
        # "provide a range of tools to A": the phrase may hang on the object's "of" noun
        holders += [q for d in holders[1:] if d.dep_ == "dobj" for p in d.children if p.dep_ == "prep"
                    and p.lower_ == "of" for q in p.children if q.dep_ == "pobj"]  # fmt: skip
        heads = [
            p
            for h in holders
            for c in h.children
            if c.dep_ in ("prep", "dative") and c.lower_ in preps
            for p in c.children
            if p.dep_ in ("pobj", "pcomp")
        ]
    return _orgs([m for h in heads for m in listed_entities(h, ctx)])


def _slots(verb: Token, slots: list[str], ctx: Context) -> list[Mention]:
    for slot in slots:
        found = _slot(verb, slot, ctx)
        if found:
            return found
    return []


def _has_service_word(verb: Token) -> bool:
    words = service_rules()["service_words"]
    return any(t.lower_ in words or t.lemma_.lower() in words for t in verb.subtree)


def _subjects(verb: Token, ctx: Context) -> list[Mention]:
    """The organizations acting as the verb's subject, minus names that only modify a
    person ("the company, founded by a former Orbit engineer, ...")."""
    found = _orgs(subjects_of(verb, ctx)) or _appositive_antecedent(verb, ctx) or _sibling_subject(verb, ctx)
    return [m for m in found if not _modifier_antecedent(m, sentence_of(verb), ctx) and not _owner_of_person(m, ctx)]


def _owner_of_person(m: Mention, ctx: Context) -> bool:
    """ "Orbit's former engineer works for Acme": the possessor of the subject is not it."""
    head = ctx.doc[m.head]
    return head.dep_ == "poss" and head.head.lemma_.lower() not in service_rules()["staff_nouns"]


def _appositive_antecedent(verb: Token, ctx: Context) -> list[Mention]:
    """ "Datamark, the firm that once helped ...": the name the relative clause's
    noun stands in apposition to."""
    node = verb
    while node.dep_ in ("xcomp", "conj") and node.head.i != node.i:
        node = node.head
    if node.dep_ != "relcl":
        return []
    noun = node.head
    if noun.dep_ == "appos":
        m = ctx.mentions.at(noun.head)
        return _orgs([m]) if m is not None else []
    start = noun.left_edge.i  # "Datamark, the firm that ...", parsed as two subjects
    if start >= 2 and ctx.doc[start - 1].text == "," and (m := ctx.mentions.at(start - 2)) is not None:
        return _orgs([m])
    return []


def _sibling_subject(verb: Token, ctx: Context) -> list[Mention]:
    """ "..., as Datamark grows, supplying data to A": a participle the parse hangs on the
    main verb acts with the subject of the clause just before it."""
    if verb.tag_ != "VBG" or verb.dep_ != "advcl":
        return []
    before = [c for c in verb.head.children if c.dep_ == "advcl" and c.i < verb.i]
    return _orgs(subjects_of(before[-1], ctx)) if before else []


def _modifier_antecedent(mention: Mention, sent: Span, ctx: Context) -> bool:
    """True for a description ("the company") whose only antecedent in the sentence is
    a name modifying another noun ("a former Orbit engineer")."""
    if mention.via != "generic":
        return False
    same = [
        m
        for m in ctx.mentions.within(sent)
        if m.entity.id == mention.entity.id and m.via != "generic" and m.start < mention.start
    ]
    return bool(same) and all(ctx.doc[m.head].dep_ in ("compound", "amod", "nmod") for m in same)


def _candidate(client: Mention, predicate: str, vendor: Mention, verb: Token, confidence: float, status: str,
               ctx: Context, rule: str) -> Candidate:  # fmt: skip
    # the event's own words: not the founding year of "A, a startup founded in 2019, supplies B"
    text = event_text(verb)
    qualifiers = clause_qualifiers(text, ctx, money=predicate == "customer_of", percent=False)
    if "date" not in qualifiers and (referred := referred_date(text, verb, ctx)):
        qualifiers["date"] = referred
    if predicate == "customer_of" and not qualifiers:
        qualifiers = _contract_qualifiers(verb, ctx)
    if predicate != "customer_of":
        qualifiers = {k: v for k, v in qualifiers.items() if k == "date"}
    trust = min(client.trust, vendor.trust)
    return Candidate(client, predicate, vendor, verb, confidence * trust, status, qualifiers, rule)


def _contract_qualifiers(verb: Token, ctx: Context) -> dict:
    """ "won a $20 million contract last year to supply X": the service verb says what the
    contract is for, so the contract's value and time, stated before it, are the custom's."""
    head = verb.head
    if verb.dep_ not in ("advcl", "acl", "xcomp", "relcl") or head.i == verb.i:
        return {}
    nouns = service_rules()["agreement_nouns"]
    contract = head if head.lower_ in nouns else next((c for c in head.children if c.dep_ == "dobj"), None)
    if contract is None or contract.lower_ not in nouns:
        return {}
    start = min(t.i for t in head.subtree)
    before = ctx.doc[start : min(t.i for t in verb.subtree)]
    if not ctx.modality(head).asserted:
        return {}
    return clause_qualifiers(before, ctx, percent=False)


def _pairs(clients: list[Mention], vendors: list[Mention], ctx: Context) -> list[tuple[Mention, Mention]]:
    return [
        (c, v)
        for c in clients
        for v in vendors
        if not _same_name(c, v) and not _speaker(c, ctx) and not _speaker(v, ctx)
    ]


def _same_name(a: Mention, b: Mention) -> bool:
    """One organization under two spellings ("Department of Defence" and "U.S.
    Department of Defense") is no pair."""
    if a.entity.id == b.entity.id:
        return True
    x, y = a.entity.label.lower(), b.entity.label.lower()
    return SequenceMatcher(None, x, y).ratio() > 0.85 or (min(len(x), len(y)) > 8 and (x in y or y in x))


def _serve(verb: Token, ctx: Context) -> list[Candidate]:
    """The subject serves the slot's entities: "helps labs like A prepare data"."""
    out = []
    for rule in service_rules()["serve"].get(verb.lemma_.lower(), ()):
        if rule.get("needs_service") and not (_has_service_word(verb) or _client_object(verb)):
            continue
        if not _serve_conditions(verb, rule):
            continue
        clients = _slots(verb, rule["slots"], ctx)
        if not clients:
            continue
        modality = ctx.modality(verb)
        if not modality.asserted:
            return []
        vendors = _subjects(verb, ctx)
        if rule.get("vendor_only"):
            vendors = [v for v in vendors if v.entity.type not in service_rules()["client_types"]]
        for c, v in _pairs(clients, vendors, ctx):
            out.append(_candidate(c, "customer_of", v, verb, rule["confidence"], modality.status, ctx, "serve"))
        if out:
            return out
    return out


def _serve_conditions(verb: Token, rule: dict) -> bool:
    """The structural conditions a serve rule may set."""
    rules = service_rules()
    preps = {c.lower_: c for c in verb.children if c.dep_ == "prep"}
    if rule.get("needs_with") and "with" not in preps:
        return False
    if rule.get("needs_as_client") and not (
        "as" in preps and any(p.lemma_.lower() in rules["client_nouns"] for p in preps["as"].children)
    ):
        return False
    dobjs = {c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"}
    if (rule.get("no_dobj") and dobjs) or dobjs & set(rule.get("forbid_dobj", ())):
        return False
    return not (rule.get("needs_contract") and not dobjs & rules["agreement_nouns"])


def _client_object(verb: Token) -> bool:
    """ "helps about 120 clients, including A": the object is called a client."""
    nouns = service_rules()["client_nouns"]
    return any(c.dep_ == "dobj" and c.lemma_.lower() in nouns for c in verb.children)


def _has_as(verb: Token) -> bool:
    return any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children) or any(
        c.dep_ in ("oprd", "advcl") and c.lower_ == "as" for c in verb.children
    )


def _for_service(verb: Token) -> bool:
    """ "works with X for its training data": a "for" phrase naming a service."""
    words = service_rules()["service_words"]
    return any(
        c.dep_ == "prep" and c.lower_ == "for" and any(t.lower_ in words for t in c.subtree)
        for h in (verb, *(c for c in verb.children if c.dep_ == "prep"))
        for c in h.children
    )


def _hire(verb: Token, ctx: Context) -> list[Candidate]:
    """The subject is a client of the slot's entities: "works with X for its data"."""
    out = []
    for rule in service_rules()["hire"].get(verb.lemma_.lower(), ()):
        if rule.get("requires_as") and not _has_as(verb):
            continue
        if rule.get("needs_service") and not _has_service_word(verb):
            continue
        vendors = _slots(verb, rule["slots"], ctx)
        if not vendors:
            continue
        # "works with X" alone says no service unless one side is known to be a vendor
        stated = not rule.get("requires_for_service") or _for_service(verb) or _named_vendor(verb, ctx)
        modality = ctx.modality(verb)
        if not modality.asserted:
            return []
        for s, o in _pairs(_subjects(verb, ctx), vendors, ctx):
            pair = orient(s, o, ctx) or ((s, o) if stated else None)
            if pair is not None:
                c, v = pair
                out.append(_candidate(c, "customer_of", v, verb, rule["confidence"], modality.status, ctx, "hire"))
    return out


def _named_vendor(verb: Token, ctx: Context) -> bool:
    """ "works with a vendor called X", "works with labeling firm X": the object is
    described as a vendor."""
    vendors = service_rules()["vendor_nouns"]
    return any(
        ctx.mentions.at(p) is None
        and p.tag_ == "NN"
        and (
            p.lemma_.lower() in vendors
            or any(a.dep_ == "acl" and a.lemma_.lower() in ("call", "name") for a in p.children)
        )
        for c in verb.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for p in c.children
        if p.dep_ == "pobj"
    )


def _agreement(verb: Token, ctx: Context) -> list[Candidate]:
    """ "entered into a three-year agreement with X": one side a vendor, the other its client."""
    rules = service_rules()
    if verb.lemma_.lower() not in rules["agreement_verbs"]:
        return []
    nouns = [
        t
        for t in (*verb.children, *(p for c in verb.children if c.dep_ == "prep" for p in c.children))
        if t.dep_ in ("dobj", "pobj") and t.lower_ in rules["agreement_nouns"]
    ]
    others = [m for n in nouns for m in _slot(n, "prep:with", ctx)]
    if not others:
        return []
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    out = []
    for s in _subjects(verb, ctx):
        for o in others:
            pair = orient(s, o, ctx)
            if pair is not None:
                client, vendor = pair
                out.append(_candidate(client, "customer_of", vendor, verb, 0.7, modality.status, ctx, "agreement"))
    return out


def orient(a: Mention, b: Mention, ctx: Context) -> tuple[Mention, Mention] | None:
    """(client, vendor) for two parties of a deal, when one of them is known (from the
    catalogue or from the article so far) to be a vendor and the other not."""
    va, vb = _vendorish(a, ctx), _vendorish(b, ctx)
    if a.entity.id == b.entity.id or va == vb:
        return None
    return (b, a) if va else (a, b)


def _vendorish(m: Mention, ctx: Context) -> bool:
    rules = service_rules()
    if m.entity.type in rules["vendor_types"]:
        return True
    if m.entity.type in rules["client_types"]:
        return False
    served = sum(1 for r in ctx.found if r.predicate == "customer_of" and r.object == m.entity.id)
    serving = sum(1 for r in ctx.found if r.predicate == "customer_of" and r.subject == m.entity.id)
    return served > serving


def _clean_no_longer(verb: Token) -> bool:
    """True for "no longer works with": negated by "no longer" only, and neither
    hypothetical nor conditional."""
    node, chain = verb, [verb]
    while node.dep_ in ("xcomp", "conj", "ccomp") and node.head.i != node.i:
        node = node.head
        chain.append(node)
    found = False
    for n in chain:
        for c in n.children:
            if c.dep_ == "advmod" and c.lower_ in _NO_LONGER and any(g.lower_ == "no" for g in c.children):
                found = True
            elif _blocks(c):
                return False
    return found


def _blocks(child: Token) -> bool:
    """A negation, a hypothetical auxiliary or a conditional mark."""
    hypothetical = child.dep_ == "aux" and child.lower_ in _HYPOTHETICAL
    return child.dep_ == "neg" or hypothetical or (child.dep_ == "mark" and child.lower_ in _CONDITIONAL)


def _ended_use(verb: Token, ctx: Context) -> list[Candidate]:
    """ "stopped using X", "no longer works with X", "has ceased relying on X"."""
    rules = service_rules()
    slots = rules["client_verbs"].get(verb.lemma_.lower())
    if slots is None:
        return []
    stopped = verb.dep_ in ("xcomp", "pcomp") and verb.head.lemma_.lower() in rules["stop_heads"]
    if not stopped and not _clean_no_longer(verb):
        return []
    vendors = _slots(verb, slots, ctx)
    if not vendors:
        return []
    if stopped:
        modality = ctx.modality(verb.head)
        if not modality.asserted:
            return []
        status = "ended" if modality.status == "reported" else modality.status
    else:
        status = "ended"
    clients = _subjects(verb, ctx)
    return _ended_pairs(_pairs(clients, vendors, ctx), verb.head if stopped else verb, status, ctx, "ended-use")


def _ended_pairs(pairs: list[tuple[Mention, Mention]], verb: Token, status: str, ctx: Context,
                 rule: str) -> list[Candidate]:  # fmt: skip
    out = []
    for c, v in pairs:
        out.append(_candidate(c, "ended_relationship_with", v, verb, 0.75, status, ctx, rule))
    return out


def _switch(verb: Token, ctx: Context) -> list[Candidate]:
    """ "switched from X to Y": the custom with X ends (Y's is left to the verb rules)."""
    if verb.lemma_.lower() not in service_rules()["switch_verbs"]:
        return []
    left = _slot(verb, "prep:from", ctx)
    moved = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() not in service_rules()["work_nouns"]]
    if not left or moved:
        return []  # "moved 50 engineers from X" is no ending
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    status = "ended" if modality.status == "reported" else modality.status
    return _ended_pairs(_pairs(_subjects(verb, ctx), left, ctx), verb, status, ctx, "switch")


def _contract_ends(verb: Token, ctx: Context) -> list[Candidate]:
    """ "X, whose contract with Y ends this month", "Y's deal with X expires in March"."""
    rules = service_rules()
    lemma = verb.lemma_.lower()
    if lemma not in rules["contract_end_verbs"]:
        return []
    if lemma == "come" and not any(t.lower_ == "end" for t in verb.subtree):
        return []
    if lemma in ("run", "wind") and not any(c.dep_ == "prt" and c.lower_ in ("out", "down") for c in verb.children):
        return []
    nouns = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in rules["contract_nouns"]]
    if not nouns or _term_only(verb):
        return []
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    out = []
    for noun in nouns:
        others = _slot(noun, "prep:with", ctx)
        for owner in _contract_owner(noun, ctx):
            for o in others:
                # unknown sides: "V, whose contract with A ends" is said of the vendor
                relative = any(c.dep_ == "poss" and c.lower_ == "whose" for c in noun.children)
                pair = orient(owner, o, ctx) or ((o, owner) if relative else (owner, o))
                status = "ended" if modality.status == "reported" else modality.status
                out += _ended_pairs([pair], verb, status, ctx, "contract-ends")
    return out


def _end_work(verb: Token, ctx: Context) -> list[Candidate]:
    """ "Datamark ended a training project tied to Orbit", "dropped Orbit's contract": the
    work's other party, the client and the vendor told apart by :func:`orient`."""
    rules = service_rules()
    if verb.lemma_.lower() not in rules["end_verbs"]:
        return []
    works = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in rules["work_nouns"]]
    others = [m for w in works for m in _work_parties(w, ctx)]
    if not others:
        return []
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    status = "ended" if modality.status == "reported" else modality.status
    pairs = [
        orient(s, o, ctx) or ((o, s) if done_for(verb, o) else (s, o))  # "cancelled its work for Orbit"
        for s in _subjects(verb, ctx)
        for o in others
        if s.entity.id != o.entity.id
    ]
    return _ended_pairs([p for p in pairs if not (_speaker(p[0], ctx) or _speaker(p[1], ctx))], verb, status, ctx,
                        "end-work")  # fmt: skip


def _work_parties(work: Token, ctx: Context) -> list[Mention]:
    """The organization a piece of work is for: "Orbit's contract", "a project for Orbit",
    "an initiative tied to Orbit"."""
    out = [m for c in work.children if c.dep_ == "poss" and (m := ctx.mentions.at(c)) is not None]
    out += _slot(work, "prep:for|with", ctx)
    for c in work.children:
        if c.dep_ == "acl" and c.lemma_.lower() in ("tie", "link", "relate", "dedicate"):
            out += _slot(c, "prep:to", ctx)
    return _orgs(out)


def _term_only(verb: Token) -> bool:
    """ "the contract runs until 2030", "expires in 2029": a term, not an ending (a year
    alone with a verb not in the past)."""
    if verb.tag_ in ("VBD", "VBN"):
        return False
    return any(t.like_num and len(t.text) == 4 and t.head.lower_ in ("in", "until", "through") for t in verb.subtree)


def _contract_owner(noun: Token, ctx: Context) -> list[Mention]:
    for c in noun.children:
        if c.dep_ == "poss" and c.lower_ == "whose":
            verb = noun.head
            return _orgs([ctx.mentions.at(verb.head)]) if verb.dep_ == "relcl" and ctx.mentions.at(verb.head) else []
        if c.dep_ in ("poss", "compound") and (m := ctx.mentions.at(c)) is not None:
            return _orgs([m])
    return []


@functools.cache
def _ending_rules() -> dict[str, tuple]:
    return {
        lemma: tuple(r for r in rules if r.predicate == "ended_relationship_with")
        for lemma, rules in verb_rules().items()
        if any(r.predicate == "ended_relationship_with" for r in rules)
    }


def _vendor_side_endings(verb: Token, ctx: Context) -> list[Candidate]:
    """An ending the verb rules read with the vendor as subject ("Datamark cancelled its
    work for Orbit"), turned round: the client ended it. (The custom every ending implies
    is added for the whole article by :mod:`extractors.document`.)"""
    out = []
    for rule in _ending_rules().get(verb.lemma_.lower(), ()):
        for c in apply_rule(verb, rule, ctx):
            if c.predicate != "ended_relationship_with" or _speaker(c.object, ctx) or _speaker(c.subject, ctx):
                continue
            client, vendor = orient(c.subject, c.object, ctx) or (c.subject, c.object)
            if client is not c.subject:
                out.append(replace(c, subject=client, object=vendor, rule="implied"))
    return out


def _speaker(m: Mention, ctx: Context) -> bool:
    """The source of a report ("..., local unions A and B said"): :func:`is_speaker`."""
    return is_speaker(m, ctx)


def _part_or_replace(verb: Token, ctx: Context) -> list[Candidate]:
    """ "parted ways with X"; "replaced X with Y" (the custom with X ends, Y is a vendor)."""
    rules = service_rules()
    lemma = verb.lemma_.lower()
    if lemma in rules["part_ways"] and any(c.dep_ == "dobj" and c.lower_ == "ways" for c in verb.children):
        left, new = _slot(verb, "prep:with", ctx), []
    elif lemma in rules["replace_verbs"]:
        left = [m for c in verb.children if c.dep_ == "dobj" and (m := ctx.mentions.at(c)) and is_org(m.entity)]
        new = _slot(verb, "prep:with|by", ctx) if left else []
    else:
        return []
    if not left:
        return []
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    status = "ended" if modality.status == "reported" else modality.status
    subjects = _subjects(verb, ctx)
    out = _ended_pairs(_pairs(subjects, left, ctx), verb, status, ctx, "part")
    out += [
        _candidate(c, "customer_of", v, verb, 0.65, modality.status, ctx, "replace")
        for c, v in _pairs(subjects, new, ctx)
    ]
    return out


def _revenue_share(verb: Token, ctx: Context) -> list[Candidate]:
    """ "Orbit accounts for 30% of Datamark's revenue": Orbit is Datamark's client."""
    rules = service_rules()
    lemma = verb.lemma_.lower()
    if lemma not in rules["revenue_verbs"]:
        return []
    if lemma == "make" and not any(c.dep_ == "prt" and c.lower_ == "up" for c in verb.children):
        return []
    vendors = [
        m
        for t in verb.subtree
        if (t.lower_ in rules["revenue_nouns"] or t.lemma_.lower() in rules["revenue_nouns"]) and t.i > verb.i
        for c in t.children
        if c.dep_ == "poss" and (m := ctx.mentions.at(c)) is not None and is_org(m.entity)
    ]
    if not vendors:
        return []
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    return [
        _candidate(c, "customer_of", v, verb, 0.7, modality.status, ctx, "revenue")
        for c, v in _pairs(_subjects(verb, ctx), vendors, ctx)
    ]


def _rival_verb(verb: Token, ctx: Context) -> list[Candidate]:
    """ "Datamark undercut Acme on price", "outpaced Acme's growth": the subject competes
    with the object (not in a sentence about a court case)."""
    rules = service_rules()
    if verb.lemma_.lower() not in rules["rival_verbs"]:
        return []
    targets = []
    for d in (c for c in verb.children if c.dep_ == "dobj"):
        m = ctx.mentions.at(d)
        if m is None and d.lemma_.lower() in rules["standing_nouns"]:
            m = next((ctx.mentions.at(c) for c in d.children if c.dep_ == "poss" and ctx.mentions.at(c)), None)
        if m is not None and is_org(m.entity):
            targets.append(m)
    if not targets or any(t.lemma_.lower() in rules["legal_words"] for t in sentence_of(verb)):
        return []
    modality = ctx.modality(verb)
    if not modality.asserted or modality.status == "planned":
        return []  # "wants to challenge A" is an aim
    return [
        _candidate(s, "competitor_of", o, verb, 0.65, modality.status, ctx, "rival-verb")
        for s, o in _pairs(_subjects(verb, ctx), targets, ctx)
    ]


def _misread_verb(token: Token, ctx: Context) -> list[Candidate]:
    """ "Datamark caters to Orbit" read as a plural noun ("caters") with the name as its
    compound: the tagger's slip on a verb in -s after a name."""
    if token.dep_ != "ROOT" or token.tag_ != "NNS" or not token.lower_.endswith("s"):
        return []
    vendors = _orgs([m for c in token.children if c.dep_ == "compound" and (m := ctx.mentions.at(c)) is not None])
    if not vendors:
        return []
    stem = token.lower_[:-3] + "y" if token.lower_.endswith("ies") else token.lower_[:-1]
    out = []
    for rule in service_rules()["serve"].get(stem, ()):
        slots = [slot for slot in rule["slots"] if slot.startswith("prep:")]
        clients = _slots(token, slots, ctx)
        if clients and (not rule.get("needs_service") or _has_service_word(token)) and ctx.modality(token).asserted:
            out += [_candidate(c, "customer_of", v, token, rule["confidence"] * 0.9, "reported", ctx, "serve")
                    for c, v in _pairs(clients, vendors, ctx)]  # fmt: skip
    return out


#: The verb handlers, in the order they run, each with the entries of ``service.json``
#: whose lemmas trigger it (None: the verb rules' endings, :func:`_ending_rules`).
_VERB_HANDLERS: tuple[tuple[Callable[[Token, Context], list[Candidate]], tuple[str, ...] | None], ...] = (
    (_serve, ("serve",)),
    (_hire, ("hire",)),
    (_agreement, ("agreement_verbs",)),
    (_ended_use, ("client_verbs",)),
    (_switch, ("switch_verbs",)),
    (_contract_ends, ("contract_end_verbs",)),
    (_end_work, ("end_verbs",)),
    (_rival_verb, ("rival_verbs",)),
    (_part_or_replace, ("part_ways", "replace_verbs")),
    (_revenue_share, ("revenue_verbs",)),
    (_vendor_side_endings, None),
)


@functools.cache
def _handlers_by_lemma() -> dict[str, tuple[Callable[[Token, Context], list[Candidate]], ...]]:
    """Lemma -> the verb handlers it can trigger, in order: a verb no handler names costs one
    lookup."""
    rules = service_rules()
    index: dict[str, list] = {}
    for handler, keys in _VERB_HANDLERS:
        lemmas = _ending_rules() if keys is None else {lemma for key in keys for lemma in rules[key]}
        for lemma in lemmas:
            index.setdefault(lemma, []).append(handler)
    return {lemma: tuple(handlers) for lemma, handlers in index.items()}


def service_candidates(sent: Span, ctx: Context) -> list[Candidate]:
    """Apply the vendor-service rules to the verbs of ``sent``."""
    out: list[Candidate] = []
    handlers = _handlers_by_lemma()
    tags, tokens = ctx.tags(), ctx.tokens()
    for i in range(sent.start, sent.end):
        if tags.pos[i] not in ("VERB", "AUX") and not tags.tag[i].startswith("VB"):
            if tags.dep[i] == "ROOT" and tags.tag[i] == "NNS":  # what _misread_verb looks at first
                out += _misread_verb(tokens[i], ctx)
            continue
        for handler in handlers.get(tags.lemma[i], ()):
            out += handler(tokens[i], ctx)
    return out
