"""Relations from noun phrases: "Polaris's $80 million stake purchase in Datamark", "a
partnership with Orbit Labs", "clients including Helix Bank and Acme", "rivals
like Acme and Datamark", "key labeling partner Datamark", "Nair's move to Acme",
"at a $10 billion valuation".
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files

from spacy.tokens import Span, Token

from extractors.entities import Mention, is_org, is_person
from extractors.frames import (
    Candidate,
    Context,
    clause_qualifiers,
    clause_span,
    conjuncts,
    np_entities,
    other_orgs,
    resolve_pronoun,
    subjects_of,
)
from extractors.modality import clause_modality
from extractors.money import find_money
from extractors.relations import announcement_date, is_speaker, under_target
from extractors.surface import country_gives_way, is_fragment
from extractors.tags import sentence_of

__all__ = ["listed_entities", "nominal_candidates", "noun_rules"]

DATA = files(__package__) / "nouns.json"
_LIST_PREPS = {"like", "including", "as", "include"}
_AI_BUYERS = {"AILab", "BigTech"}
_DEAL_WORDS = ("agreement", "partnership", "alliance", "deal", "contract", "collaboration")
_COUNT_VERBS = {"count", "number", "list", "include", "name"}
_ONE_OF = {"one", "some", "two", "three", "several", "many", "four", "five"}
_OWN_DEAL_PREPS = {"after", "following", "through", "via"}
_OWN_POSSESSIVES = {"its", "their"}


@functools.cache
def noun_rules() -> dict:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    pair = {lemma: rule for rule in data["pair"] for lemma in rule["lemmas"]}
    members = {lemma: rule for rule in data["members"] for lemma in rule["lemmas"]}
    return {
        "pair": pair,
        "members": members,
        "list_heads": frozenset(data["list_heads"]),
        "owner_nouns": frozenset(data["owner_nouns"]),
        "service_modifiers": frozenset(data["service_modifiers"]),
        "rival_owner_verbs": frozenset(data["rival_owner_verbs"]),
        "prospective_modifiers": frozenset(data["prospective_modifiers"]),
        "pursuit_verbs": frozenset(data["pursuit_verbs"]),
        "loss_verbs": frozenset(data["loss_verbs"]),
        "valuation": frozenset(data["valuation"]),
        "void_deal_words": frozenset(data["void_deal_words"]),
        "planned_deal_words": frozenset(data["planned_deal_words"]),
        "part_nouns": frozenset(data["part_nouns"]),
        "void_deal_phrases": frozenset(data["void_deal_phrases"]),
        "presupposing_preps": frozenset(data["presupposing_preps"]),
    }


def listed_entities(token: Token, ctx: Context) -> list[Mention]:
    """The entities a noun phrase stands for (:func:`np_entities`), with the lists that
    parse hangs elsewhere: "companies ranging from A to B", "the likes of A", "a
    startup called A"."""
    out = np_entities(token, ctx)
    for t in conjuncts(token, ctx.mentions):
        if ctx.mentions.at(t) is not None:
            # "Meta Platforms, Google, Microsoft": a name the parse hangs as a modifier
            out += [m for c in t.children if c.dep_ == "npadvmod" and ctx.mentions.at(c) for m in np_entities(c, ctx)]
            continue
        for c in t.children:
            if c.dep_ == "prep" and c.lower_ in _LIST_PREPS:
                out += [m for q in c.children if q.dep_ == "pobj" for m in np_entities(q, ctx)]  # "labs like A"
            if c.dep_ == "acl" and c.lemma_.lower() == "range":
                out += [m for p in c.subtree if p.dep_ == "prep" and p.lower_ in ("from", "to")
                        for q in p.children if q.dep_ == "pobj" for m in np_entities(q, ctx)]  # fmt: skip
            if c.dep_ == "acl" and c.lemma_.lower() in ("call", "name", "dub"):
                out += [m for q in c.children if q.dep_ in ("oprd", "attr", "dobj") for m in np_entities(q, ctx)]
    seen: set[str] = set()
    return [m for m in out if not (m.entity.id in seen or seen.add(m.entity.id))]


def _kind(m: Mention) -> str:
    return "person" if is_person(m.entity) else "place" if m.entity.type == "Place" else "org"


def _category(m: Mention) -> str:
    return "buyer" if m.entity.type in _AI_BUYERS else m.entity.type


def _owners(noun: Token, ctx: Context) -> list[Mention]:
    """Who holds the relation a noun names: its possessor or a name compounded with
    it, else the subject of the verb it hangs from (climbing through prepositions)."""
    for c in noun.children:
        if c.dep_ == "poss":
            m = ctx.mentions.at(c)
            if m is None and c.pos_ == "PRON":
                m = resolve_pronoun(c, ctx)
            return [m] if m is not None else []
    compounds = [ctx.mentions.at(c) for c in noun.children if c.dep_ in ("compound", "nmod", "amod")]
    compounds = [m for m in compounds if m is not None]
    if compounds:
        return compounds
    node = noun
    for _ in range(5):
        if node.head.i == node.i:
            return []
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":
            return subjects_of(node, ctx)
        if node.pos_ in ("NOUN", "PROPN"):
            m = ctx.mentions.at(node)
            if m is not None:
                return []
            for c in node.children:
                if c.dep_ == "poss":
                    m = ctx.mentions.at(c) or (resolve_pronoun(c, ctx) if c.pos_ == "PRON" else None)
                    return [m] if m is not None else []
    return []


def _targets(noun: Token, preps: list[str], ctx: Context) -> list[Mention]:
    return [
        m
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ in preps
        for p in c.children
        if p.dep_ == "pobj"
        for m in listed_entities(p, ctx)
    ]


def _verb_targets(noun: Token, preps: list[str], ctx: Context) -> list[Mention]:
    """The targets of a deal noun hung on its verb, right after the noun phrase."""
    return [
        m
        for c in noun.head.children
        if c.dep_ == "prep" and c.lower_ in preps and c.i == noun.right_edge.i + 1
        for p in c.children
        if p.dep_ == "pobj"
        for m in listed_entities(p, ctx)
    ]


def _pair(noun: Token, rule: dict, ctx: Context) -> list[Candidate]:
    targets = [m for m in _targets(noun, rule["target"], ctx) if _kind(m) in rule["target_types"]]
    targets = [m for m in targets if not is_speaker(m, ctx)]  # "..., local unions A and B said"
    compounds = [m for c in noun.children if c.dep_ in ("compound", "nmod") and (m := ctx.mentions.at(c))]
    owners = [m for m in _owners(noun, ctx) if _kind(m) in rule["owner_types"]]
    confidence = rule["confidence"]
    status = "reported"
    if rule.get("deal"):
        state = _deal_status(noun, ctx)
        if state is None or _part_only(noun, rule):
            return []
        status = state
        if not targets and noun.dep_ == "dobj":
            # "is finalizing an investment into A": the parse hangs the target on the verb
            targets = [m for m in _verb_targets(noun, rule["target"], ctx) if _kind(m) in rule["target_types"]]
        agents = [m for m in _targets(noun, rule.get("agent", []), ctx) if _kind(m) in rule["owner_types"]]
        if agents:
            # "the purchase of A by B", "a $300 million investment from B" (B's in the clause's subject)
            taken = {m.entity.id for m in agents}
            if not targets and rule.get("agent_company"):
                targets = [m for m in _owners(noun, ctx) if is_org(m.entity) and m.entity.id not in taken]
            owners = agents
    if rule["predicate"] == "partner_of":
        parties = {m.entity.id: m for m in (*owners, *targets, *compounds) if is_org(m.entity)}
        if len(parties) < 2 and rule.get("anaphoric") and not targets:
            parties = _anaphoric_pair(noun, ctx) or parties
            confidence = 0.55
        if len(parties) < 2:
            return []
        ordered = list(parties.values())
        if "between" in {c.lower_ for c in noun.children} and len(targets) >= 2:
            ordered = targets
        first, *rest = ordered
        return [
            Candidate(first, "partner_of", o, noun, confidence * min(first.trust, o.trust), "reported", {}, "noun")
            for o in rest[:1]
        ]
    out = []
    qualifiers = clause_qualifiers(_np_span(noun), ctx, percent=rule["predicate"] == "invested_in")
    governing = _governing_verb(noun)
    if "date" not in qualifiers and governing is not None:
        date = clause_qualifiers(clause_span(governing), ctx, money=False, percent=False).get("date")
        if date:
            qualifiers["date"] = date
    if rule["predicate"] == "invested_in" and "amount" not in qualifiers and governing is not None:
        qualifiers = {**_own_deal_amount(noun, governing, rule, ctx), **qualifiers}
    if rule["predicate"] not in ("invested_in", "acquired", "customer_of"):
        qualifiers = {k: v for k, v in qualifiers.items() if k == "date"}
    reverse = _for_revenue(noun, rule)
    # "V lost its contract with A": whoever loses a contract was its vendor, and the client ended it
    lost = rule["predicate"] == "customer_of" and _lost(noun, ctx)
    for s in owners:
        for o in targets:
            subj, obj = (o, s) if reverse or lost else (s, o)
            if (
                not lost
                and rule.get("orient_by_type")
                and subj.entity.type == "DataVendor"
                and obj.entity.type != "DataVendor"
            ):
                subj, obj = obj, subj
            if lost:
                trust = confidence * min(s.trust, o.trust)
                out.append(
                    Candidate(subj, "ended_relationship_with", obj, noun, trust, "ended", dict(qualifiers), "noun")
                )
                out.append(Candidate(subj, "customer_of", obj, noun, trust, "ended", {}, "noun"))
                continue
            out.append(
                Candidate(
                    subj,
                    rule["predicate"],
                    obj,
                    noun,
                    confidence * min(s.trust, o.trust),
                    status,
                    dict(qualifiers),
                    "noun",
                )
            )
    return out


def _deal_status(noun: Token, ctx: Context) -> str | None:
    """The status of a deal a noun names: "planned" for a proposed or rumoured one, None
    for one withdrawn, blocked, refused, failed, sought or hypothetical (no relation)."""
    rules = noun_rules()
    modifiers = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "advmod")}
    if modifiers & rules["void_deal_words"] or modifiers & rules["prospective_modifiers"] or under_target(noun):
        return None
    verb = _governing_verb(noun)
    status = "planned" if modifiers & rules["planned_deal_words"] else "reported"
    if verb is None:
        return status
    if verb.lemma_.lower() in rules["void_deal_words"] or verb.lower_ in rules["void_deal_words"]:
        return None  # "regulators blocked its acquisition", "the takeover collapsed"
    particles = {f"{verb.lemma_.lower()} {c.lower_}" for c in verb.children if c.dep_ in ("prt", "prep", "advmod")}
    if particles & rules["void_deal_phrases"]:
        return None  # "the acquisition was called off", "the deal fell through"
    modality = ctx.modality(verb)
    if not modality.asserted:
        return status if modality.reason == "negated" and _presupposed(noun) else None
    return "planned" if modality.status == "planned" else status


def _presupposed(noun: Token) -> bool:
    """ "is not changing course after A's investment in B": a deal named as the time of the
    clause ("after", "following", "since") happened, whatever the clause denies."""
    prep = noun.head
    # "following" is often parsed as a verb with the deal as its object
    return noun.dep_ in ("pobj", "dobj") and prep.dep_ == "prep" and prep.lower_ in noun_rules()["presupposing_preps"]


def _part_only(noun: Token, rule: dict) -> bool:
    """ "the purchase of a 20% stake in A": a part bought is an investment, not the company."""
    words = noun_rules()["part_nouns"]
    return any(
        p.lemma_.lower() in words
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ in rule["target"]
        for p in c.children
        if p.dep_ == "pobj"
    )


def _for_revenue(noun: Token, rule: dict) -> bool:
    """ "V's reliance on A for revenue": the one relied on for money is the client."""
    words = rule.get("reverse_for", ())
    return any(
        c.dep_ == "prep" and c.lower_ == "for" and any(p.lemma_.lower() in words for p in c.children)
        for c in noun.children
    )


def _own_deal_amount(noun: Token, governing: Token, rule: dict, ctx: Context) -> dict:
    """ "A has a 49% stake in B after its $14.3 billion investment": the amount of the
    owner's own deal ("its", "their"), named by the same rule, that the clause says led to it."""
    for prep in governing.children:
        if prep.dep_ != "prep" or prep.lower_ not in _OWN_DEAL_PREPS or prep.i < noun.i:
            continue
        for deal in prep.children:
            if deal.dep_ != "pobj" or deal.lemma_.lower() not in rule["lemmas"] or deal.i == noun.i:
                continue
            if not any(c.dep_ == "poss" and c.lower_ in _OWN_POSSESSIVES for c in deal.children):
                continue
            if any(c.dep_ == "prep" for c in deal.children) or not ctx.modality(deal).asserted:
                continue  # "its investment in C" may be another deal
            found = clause_qualifiers(ctx.doc[deal.left_edge.i : deal.i + 1], ctx, percent=False)
            return {k: v for k, v in found.items() if k in ("amount", "currency", "amount_usd")}
    return {}


def _governing_verb(noun: Token) -> Token | None:
    node = noun
    for _ in range(5):
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":
            return node
    return None


def _np_span(noun: Token) -> Span:
    return clause_span(noun)


def _anaphoric_pair(noun: Token, ctx: Context) -> dict[str, Mention] | None:
    """ "The partnership" with no parties named: the two organizations of the article's
    latest business relation."""
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children) and not any(
        c.dep_ == "case" for c in noun.children
    ):
        return None
    kinds = ("customer_of", "invested_in", "partner_of", "ended_relationship_with")
    recent = [r for r in reversed(ctx.found) if r.predicate in kinds and r.object]
    # a deal stated as one ("an agreement", "a stake"), not a client named in a list
    deals = [
        r
        for r in recent
        if r.predicate in ("partner_of", "invested_in") or any(w in r.evidence.lower() for w in _DEAL_WORDS)
    ]
    sent = sentence_of(noun)
    previous = sentence_of(ctx.doc[sent.start - 1]).start_char if sent.start else sent.start_char
    # else a single relation of the sentence just before (a client list is no one deal)
    near = [r for r in recent if r.start >= previous]
    near = [
        r
        for r in near
        if sum(1 for q in near if (q.start, q.predicate, q.object) == (r.start, r.predicate, r.object)) == 1
    ]
    for rel in deals + near:
        s = next((m for m in ctx.mentions if m.entity.id == rel.subject), None)
        o = next((m for m in ctx.mentions if m.entity.id == rel.object), None)
        if s and o:
            return {s.entity.id: s, o.entity.id: o}
    return None


def _members(noun: Token, ctx: Context) -> list[Mention]:
    """Entities listed with a noun: "rivals like A and B", "clients including A, B",
    "clients: A, B", "rival Surge", "Labelbox, another rival"."""
    out: list[Mention] = []
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in _LIST_PREPS and not _after_clause(noun, c):
            out += [
                m for p in c.children if p.dep_ == "pobj" for m in listed_entities(p, ctx) if _listed_under(m, p, ctx)
            ]
        if c.dep_ == "relcl" and c.lemma_.lower() == "include":
            # "V's clients, which include A and B"
            out += [m for d in c.children if d.dep_ == "dobj" for m in listed_entities(d, ctx)]
        if c.dep_ in ("amod", "prep") and c.lower_ == "such":
            out += [
                m
                for a in c.children
                if a.lower_ == "as"
                for p in a.children
                if p.dep_ == "pobj"
                for m in np_entities(p, ctx)
            ]
        if c.dep_ == "appos":
            out += np_entities(c, ctx)
        if c.dep_ == "compound" and (m := ctx.mentions.at(c)) is not None and not _appositive(noun, ctx):
            out.append(m)
    doc = noun.doc
    if noun.dep_ == "dobj" and not out:
        # "testing alternatives to V like A and B": the list hung on the verb, right after the noun
        out += [m for c in noun.head.children if c.dep_ == "prep" and c.lower_ in _LIST_PREPS
                and c.i == noun.right_edge.i + 1 for p in c.children if p.dep_ == "pobj"
                for m in listed_entities(p, ctx)]  # fmt: skip
    if noun.dep_ == "compound" and (m := ctx.mentions.at(noun.head)) is not None:
        out.append(m)  # "Orbit's outsourcing partner Datamark"
    follower = ctx.mentions.at(noun.i + 1) if noun.i + 1 < len(doc) else None
    if follower is not None and follower.start == noun.i + 1 and not out:
        out += np_entities(doc[follower.head], ctx)  # "Orbit's rival Acme grew", parsed as two subjects
    for c in noun.children:
        m = ctx.mentions.at(c)
        if c.dep_ == "conj" and m is not None and noun.i + 2 == m.start and doc[noun.i + 1].text == ",":
            out += np_entities(c, ctx)  # "its partners, A and B" parsed as a coordination
    if out:
        # "Firms like A, B, and C": the parser may hang the last name on the list's head.
        out += [m for c in noun.children if c.dep_ == "conj" and (m := ctx.mentions.at(c)) is not None]
    if noun.dep_ == "appos":
        head = ctx.mentions.at(noun.head)
        if head is not None:
            out += [ctx.mentions.at(t) for t in conjuncts(noun.head, ctx.mentions) if ctx.mentions.at(t)]
    if noun.dep_ in ("attr",) and noun.head.pos_ in ("AUX", "VERB"):
        out += subjects_of(noun.head, ctx)
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in _ONE_OF:
        # "OpenAI is one of Scale AI's customers"
        one = noun.head.head
        if one.dep_ == "attr" and one.head.pos_ in ("AUX", "VERB"):
            out += subjects_of(one.head, ctx)
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "range":
        # "V's clients range from A to B"
        out += [m for p in noun.head.subtree if p.dep_ == "prep" and p.lower_ in ("from", "to")
                for q in p.children if q.dep_ == "pobj" for m in np_entities(q, ctx)]  # fmt: skip
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "include":
        out += [m for c in noun.head.children if c.dep_ == "dobj" for m in listed_entities(c, ctx)]
    if noun.dep_ == "pobj" and noun.head.lower_ == "among" and noun.head.head.lemma_.lower() == "be":
        be = noun.head.head  # "A is among V's customers", "Among V's customers are A and B"
        out += subjects_of(be, ctx) + [m for c in be.children if c.dep_ == "attr" for m in listed_entities(c, ctx)]
    if noun.dep_ == "pobj" and noun.head.lower_ == "among" and noun.head.head.lemma_.lower() in _COUNT_VERBS:
        # "(V) counts A and B among its clients"
        out += [m for c in noun.head.head.children if c.dep_ == "dobj" for m in listed_entities(c, ctx)]
    if noun.dep_ == "nsubj" and noun.head.lemma_ == "be":
        # "V's client was A"
        out += [m for c in noun.head.children if c.dep_ in ("attr", "acomp") for m in listed_entities(c, ctx)]
    for c in noun.children:
        # "V's partner in Kenya, A": the parse hangs the name on the place
        if c.dep_ == "prep":
            for p in c.children:
                place = ctx.mentions.at(p)
                if place is not None and place.entity.type == "Place":
                    out += [m for a in p.children if a.dep_ == "appos" and (m := ctx.mentions.at(a)) is not None]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.lower_ in _ONE_OF:
        # "one of V's two biggest rivals, A"
        out += [m for c in noun.head.head.children if c.dep_ == "appos" for m in np_entities(c, ctx)]
    seen, unique = set(), []
    for m in out:
        if _modifies_common_noun(m, ctx):
            continue  # "its chatbot and Acme Search feature": a product, not an organization
        if m.entity.id not in seen:
            seen.add(m.entity.id)
            unique.append(m)
    return unique


_LIST_PATH = {"conj", "appos", "pobj", "compound", "nmod", "amod"}


def _listed_under(m: Mention, top: Token, ctx: Context) -> bool:
    """True when the name hangs from ``top`` through list links only (coordination,
    apposition, "like"/"including"), not through another phrase ("images for V's staff")."""
    node = ctx.doc[m.head]
    for _ in range(30):
        if node.i == top.i or m.start <= top.i < m.end:
            return True
        if node.dep_ == "prep" and node.lower_ not in _LIST_PREPS and node.lower_ != "such":
            return False
        if (node.dep_ not in _LIST_PATH and node.dep_ != "prep") or node.head.i == node.i:
            return False
        node = node.head
    return False


def _after_clause(noun: Token, prep: Token) -> bool:
    """True when a clause of the noun stands between it and the list ("contractors
    working on projects, including A"): the list belongs to the clause's last noun."""
    return any(c.dep_ in ("acl", "relcl") and noun.i < c.i < prep.i for c in noun.children)


def _modifies_common_noun(m: Mention, ctx: Context) -> bool:
    head = ctx.doc[m.head]
    return head.dep_ == "compound" and head.head.pos_ == "NOUN" and ctx.mentions.at(head.head) is None


def _appositive(noun: Token, ctx: Context) -> bool:
    """ "Acme, a Datamark competitor": the noun describes a name before it."""
    return noun.dep_ == "appos" and ctx.mentions.at(noun.head) is not None


def _member_owner(noun: Token, ctx: Context, members: list[Mention]) -> list[Mention]:
    if _appositive(noun, ctx):
        named = [m for c in noun.children if c.dep_ == "compound" and (m := ctx.mentions.at(c)) is not None]
        if named:
            return named  # "Acme, a Datamark competitor"
    holders = [noun]
    if noun.dep_ == "compound" and ctx.mentions.at(noun.head) is not None:
        holders.append(noun.head)  # "Orbit's outsourcing partner Datamark": Orbit's hangs on the name
    for c in (c for h in holders for c in h.children):
        if c.dep_ == "poss" and c.lower_ == "whose":
            # "Surge AI, whose clients include ...": the relative clause's antecedent
            verb = noun.head
            if verb.dep_ == "relcl":
                return np_entities(verb.head, ctx, role="subject")
            return []
        if c.dep_ == "poss":
            if c.pos_ == "PRON" and noun.dep_ == "pobj" and noun.head.head.lemma_.lower() in _COUNT_VERBS:
                verb = noun.head.head
                found = [m for m in subjects_of(verb, ctx) if m not in members]
                named = any(d.dep_ == "nsubj" and d.pos_ in ("PROPN", "NOUN") for d in verb.children)
                if found or named:
                    return found  # "Acme counts A among its clients": its = the subject
            exclude = frozenset(m.entity.id for m in members)
            m = ctx.mentions.at(c) or (resolve_pronoun(c, ctx, exclude) if c.pos_ == "PRON" else None)
            return [m] if m is not None else []
        if c.dep_ == "prep" and c.lower_ in ("of", "to", "for"):
            found = [m for p in c.children if p.dep_ == "pobj" for m in listed_entities(p, ctx)]
            if found:
                return found
    return []


def _acting_on_rival(noun: Token, ctx: Context) -> list[Mention]:
    """ "Datamark is acquiring competitor Acme": the subject of the verb acting on the rival."""
    head = noun.head if noun.dep_ == "compound" and ctx.mentions.at(noun.head) else noun
    verb = head.head
    if head.dep_ != "dobj" or verb.lemma_.lower() not in noun_rules()["rival_owner_verbs"]:
        return []
    return [m for m in subjects_of(verb, ctx) if is_org(m.entity)]


def _lost(noun: Token, ctx: Context) -> bool:
    verb = _governing_verb(noun)
    return verb is not None and noun.dep_ == "dobj" and verb.lemma_.lower() in noun_rules()["loss_verbs"]


def _possessor_in_clause(noun: Token, ctx: Context, members: list[Mention]) -> list[Mention]:
    """ "Four customers, A and B, accounted for 70% of V's revenue", "clients such as A
    upload data for V's workforce": the owner of the clause's revenue, workforce, platform."""
    verb = noun.head
    if noun.dep_ not in ("nsubj", "nsubjpass") or verb.pos_ not in ("VERB", "AUX"):
        return []
    nouns = noun_rules()["owner_nouns"]
    exclude = {m.entity.id for m in members}
    found: dict[str, Mention] = {}
    for t in verb.subtree:
        if (t.lemma_.lower() not in nouns and t.lower_ not in nouns) or t.i < noun.i:
            continue
        for c in t.children:
            if c.dep_ != "poss":
                continue
            m = ctx.mentions.at(c) or (_its(c, ctx, frozenset(exclude)) if c.pos_ == "PRON" else None)
            if m is not None and is_org(m.entity) and m.entity.id not in exclude:
                found[m.entity.id] = m
    return list(found.values()) if len(found) == 1 else []


def _its(pronoun: Token, ctx: Context, exclude: frozenset[str]) -> Mention | None:
    """What "its" refers to, never a member of the list: else the subject of the sentence
    before, a description ("the company") included."""
    if pronoun.lower_ not in ("its", "their"):
        return None
    found = resolve_pronoun(pronoun, ctx, exclude)
    sent = sentence_of(pronoun)
    if found is not None or sent.start == 0:
        return found
    previous = sentence_of(ctx.doc[sent.start - 1])
    subjects = [
        m
        for m in ctx.mentions.within(previous)
        if is_org(m.entity) and m.entity.id not in exclude and ctx.doc[m.head].dep_ in ("nsubj", "nsubjpass")
    ]
    return subjects[0] if subjects else None  # "The company ... . Partners such as A appear on its roster"


def _fallback_owner(noun: Token, ctx: Context, members: list[Mention]) -> Mention | None:
    """The rival of whom, when unsaid: the other organization of the sentence of the same
    kind as the members (nearest first), else the article's main organization of that kind."""
    if not members:
        return None
    kinds = {_category(m) for m in members}
    exclude = {m.entity.id for m in members}
    same = [
        m
        for m in other_orgs(sentence_of(noun), ctx, exclude)
        if _category(m) in kinds
        and ctx.doc[m.head].dep_ not in ("npadvmod", "amod")
        and not _modifies_common_noun(m, ctx)
    ]
    if same:
        return min(same, key=lambda m: abs(m.start - noun.i))
    return None


def _prospective(noun: Token, ctx: Context) -> bool:
    """ "potential clients like A", "is courting customers such as A", "hopes to sign
    clients like A": clients sought, not had."""
    rules = noun_rules()
    if any(c.dep_ == "amod" and c.lower_ in rules["prospective_modifiers"] for c in noun.children):
        return True
    verb = _governing_verb(noun)
    if verb is None:
        return False
    if ctx.modality(verb).status == "planned":
        return True
    chain = [verb]
    while chain[-1].dep_ in ("xcomp", "conj") and len(chain) < 4:
        chain.append(chain[-1].head)
    # by word as well as lemma: the tagger lemmatizes "hopes" to "hop"
    return any(v.lemma_.lower() in rules["pursuit_verbs"] or v.lower_ in rules["pursuit_verbs"] for v in chain)


def _member_relations(noun: Token, rule: dict, ctx: Context) -> list[Candidate]:
    if rule["predicate"] == "customer_of" and _prospective(noun, ctx):
        return []
    members = [m for m in _members(noun, ctx) if is_org(m.entity)]
    owners = [m for m in _member_owner(noun, ctx, members) if is_org(m.entity)]
    confidence = rule["confidence"]
    if not members:
        if rule.get("pending") and owners and noun.tag_ in ("NNS", "NNPS"):
            ctx.pending_rivals, ctx.pending_sentence = owners[0], sentence_of(noun).start
        return []
    blocked = noun.dep_ == "pobj" and noun.head.lower_ in rule.get("no_climb_after", ())
    blocked = blocked or _worked_with(noun, rule)
    if not owners and rule.get("climb_owner") and not blocked:
        # not "(workers) label content for partners like A": work done for A is no alliance
        owners = [m for m in _owners(noun, ctx) if is_org(m.entity) and m not in members]
    if not owners and rule["predicate"] == "competitor_of":
        owners = _acting_on_rival(noun, ctx)
    if not owners and rule.get("owner_nouns"):
        owners = _possessor_in_clause(noun, ctx, members)
    if not owners and rule["fallback_owner"]:
        owner = _fallback_owner(noun, ctx, members)
        owners, confidence = ([owner], confidence * 0.85) if owner else ([], confidence)
    if not owners and rule.get("pairwise") and noun.dep_ == "attr" and noun.tag_ == "NNS" and len(members) >= 2:
        # "A and B are rivals": each with the first
        owners, members = members[:1], members[1:]
    out = []
    for o in owners:
        for m in members:
            if m.entity.id == o.entity.id:
                continue
            subj, obj = (m, o) if rule["member_is_subject"] else (o, m)
            trust = confidence * min(m.trust, o.trust)
            out.append(Candidate(subj, rule["predicate"], obj, noun, trust, "reported", {}, "list"))
            if rule["predicate"] == "customer_of" and _lost(noun, ctx):
                # "V lost clients such as A": the custom ended
                out.append(Candidate(subj, "ended_relationship_with", obj, noun, trust * 0.9, "ended", {}, "list"))
            if rule.get("service_customer") and _service_modified(noun):
                # "Orbit's outsourcing partner Datamark": Orbit buys the service
                out.append(Candidate(o, "customer_of", m, noun, trust * 0.95, "reported", {}, "list"))
    return out


def _worked_with(noun: Token, rule: dict) -> bool:
    """ "works with partners such as A": work with a vendor, no stated alliance."""
    verbs = rule.get("no_climb_verbs", ())
    prep = noun.head
    return noun.dep_ == "pobj" and prep.lower_ == "with" and prep.head.lemma_.lower() in verbs


def _service_modified(noun: Token) -> bool:
    words = noun_rules()["service_modifiers"]
    modifiers = [*noun.children, *(noun.head.children if noun.dep_ == "compound" else ())]
    return any(c.dep_ in ("amod", "compound", "nmod") and c.lemma_.lower() in words for c in modifiers)


def _pending_list(noun: Token, ctx: Context) -> list[Candidate]:
    """ "X's competitors are gaining. Firms like A and B ...": the list names the rivals."""
    owner, start = ctx.pending_rivals, sentence_of(noun).start
    if owner is None or start == ctx.pending_sentence:
        return []
    previous = sentence_of(ctx.doc[start - 1]).start if start else -1
    if previous != ctx.pending_sentence:
        return []
    members = [m for m in _members(noun, ctx) if is_org(m.entity) and m.entity.id != owner.entity.id]
    return [Candidate(m, "competitor_of", owner, noun, 0.6 * m.trust, "reported", {}, "bridge") for m in members]


def _valuation(noun: Token, ctx: Context) -> list[Candidate]:
    """ "its valuation of $5 billion", "at a valuation of $2 billion"; a goal ("sought a
    valuation of", "hopes for a valuation of") or a negated one ("did not reach") gives
    nothing."""
    span = clause_span(noun)
    amounts = find_money(span.text)
    if not amounts or under_target(noun) or not clause_modality(noun).asserted:
        return []
    verb = _governing_verb(noun)
    if verb is not None and not ctx.modality(verb).asserted:
        return []
    owners = [m for m in _owners(noun, ctx) if is_org(m.entity)]
    money = amounts[0]
    qualifiers = {"amount": money.amount, "currency": money.currency}
    if money.currency == "USD":
        qualifiers["amount_usd"] = money.amount
    # "raised $50 million at a $1 billion valuation in 2021": the round's time is the valuation's
    date = _clause_date(verb, ctx) if verb is not None else None
    if date:
        qualifiers["date"] = date
    return [Candidate(o, "valued_at", None, noun, 0.75 * o.trust, "reported", qualifiers, "noun") for o in owners]


def _clause_date(verb: Token, ctx: Context) -> str | None:
    """The time the clause of ``verb`` gives, else that of the report it is the content of."""
    date = clause_qualifiers(clause_span(verb), ctx, money=False, percent=False).get("date")
    return date or announcement_date(verb, ctx)


def _based(token: Token, ctx: Context) -> list[Candidate]:
    """ "the Austin-based startup", "Acme, a Paris-based vendor", "Acme is a
    Paris-based firm": a place name joined to "based" locates the organization the
    phrase refers to (a country only when no more specific place is stated)."""
    doc = ctx.doc
    if token.lower_ != "based" or token.i < 2 or doc[token.i - 1].text not in ("-", "–"):
        return []
    place = ctx.mentions.at(token.i - 2)
    if place is None or place.entity.type != "Place" or is_fragment(sentence_of(token)):
        return []
    node = token.head if token.head.i != token.i else token
    while node.dep_ in ("compound", "amod") and node.head.i != node.i and ctx.mentions.at(node) is None:
        node = node.head
    org = ctx.mentions.at(node)
    if org is None and node.dep_ == "appos":
        org = ctx.mentions.at(node.head)
    if org is None and node.dep_ == "attr" and node.head.lemma_ == "be" and ctx.modality(node.head).asserted:
        org = next((m for m in subjects_of(node.head, ctx) if is_org(m.entity)), None)  # "A is a Paris-based firm"
    if org is None or not is_org(org.entity) or not clause_modality(token).asserted:
        return []
    if country_gives_way(org, place, ctx):
        return []
    return [Candidate(org, "headquartered_in", place, token, 0.85 * org.trust, "reported", {}, "based")]


@functools.cache
def _noun_triggers() -> frozenset[str]:
    """Every word a noun rule starts from (lemmas, and "based")."""
    rules = noun_rules()
    return frozenset({*rules["pair"], *rules["members"], *rules["list_heads"], *rules["valuation"], "based"})


def nominal_candidates(sent: Span, ctx: Context) -> list[Candidate]:
    """Apply the noun rules to the nouns of ``sent``."""
    rules = noun_rules()
    out: list[Candidate] = []
    if ctx.words(sent).isdisjoint(_noun_triggers()):
        return out
    tags, tokens = ctx.tags(), ctx.tokens()
    for i in range(sent.start, sent.end):
        if tags.lower[i] == "based":
            out += _based(tokens[i], ctx)
        if tags.pos[i] not in ("NOUN", "PROPN"):
            continue
        token, lemma = tokens[i], tags.lemma[i]
        rule_pair = rules["pair"].get(lemma)
        rule_members = rules["members"].get(lemma)
        if not (rule_pair or rule_members or lemma in rules["list_heads"] or lemma in rules["valuation"]):
            continue
        modality = ctx.modality(token)
        denied = modality.reason == "negated" and not (rule_pair and rule_pair.get("deal") and _presupposed(token))
        if not modality.asserted and (modality.reason == "question" or denied):
            continue
        if token.dep_ in ("attr", "acomp") and not ctx.modality(token.head).asserted:
            continue  # "A and B are not rivals", "A could become a client of B"
        if rule_pair:
            out += _pair(token, rule_pair, ctx)
        if rule_members:
            out += _member_relations(token, rule_members, ctx)
        if lemma in rules["list_heads"]:
            out += _pending_list(token, ctx)
        if lemma == "valuation":
            out += _valuation(token, ctx)
    return out
