"""Relations read from the word sequence, for constructions the small parser often
gets wrong: "X values the firm at $3 billion", "Acme, valued at $900 million",
"Nair, who co-founded Datamark in 2018", "Acme, a Paris-based vendor".

Each pattern anchors on one word, looks at a few tokens around it for mentions,
and yields the same candidates as the dependency rules (duplicates merge later).
"""

from __future__ import annotations

import functools
from dataclasses import replace

from spacy.tokens import Span, Token

from extractors.entities import Mention, is_org, is_person, lexicon
from extractors.frames import (
    Candidate,
    Context,
    clause_qualifiers,
    clause_span,
    conjuncts,
    np_entities,
    resolve_pronoun,
    subjects_of,
)
from extractors.modality import clause_modality
from extractors.money import Money, find_money
from extractors.relations import (
    investor_ids,
    offer_agreed,
    older_value_start,
    trigger_data,
    under_target,
    value_qualifiers,
    valued_companies,
    verb_rules,
)
from ontology.catalogue import Entity, slugify

__all__ = ["country_gives_way", "is_fragment", "surface_candidates"]

#: "A competes with B", "A invested in B": verb forms -> (relation, prepositions).
_ADJACENT = {
    **dict.fromkeys(("compete", "competes", "competed", "competing"), ("competitor_of", {"with", "against"})),
    **dict.fromkeys(("partner", "partners", "partnered", "partnering"), ("partner_of", {"with"})),
    **dict.fromkeys(("team", "teams", "teamed", "teaming"), ("partner_of", {"with"})),
    **dict.fromkeys(("invest", "invests", "invested", "investing"), ("invested_in", {"in", "into"})),
    **dict.fromkeys(("rely", "relies", "relied", "relying"), ("customer_of", {"on", "upon"})),
    **dict.fromkeys(("depend", "depends", "depended", "depending"), ("customer_of", {"on", "upon"})),
}
_NEGATORS = {"not", "n't", "never", "no"}
_VALUE_WORDS = {"value", "values", "valued", "valuing"}
_FOUND_WORDS = {"founded", "cofounded", "co-founded"}
_VALUATION_NOUNS = {"valuation", "valuations"}
_HQ_WORDS = {"headquarters", "hq"}
_TAKE_WORDS = {"take", "takes", "took", "taken", "taking"}
_PLACE_TYPES = ("GPE", "LOC", "FAC")
#: Every word a pattern of :func:`surface_candidates` starts on (besides "acqui-", "-based", places, names).
_SURFACE_WORDS = frozenset(
    {"worth", "based", "backed"}
    | _VALUATION_NOUNS
    | _HQ_WORDS
    | _TAKE_WORDS
    | set(_ADJACENT)
    | _VALUE_WORDS
    | _FOUND_WORDS
)
_WINDOW = 8


def _org_at(ctx: Context, i: int) -> Mention | None:
    m = ctx.mentions.at(i)
    return m if m is not None and is_org(m.entity) else None


def _org_before(ctx: Context, i: int, limit: int, skip: set[str] | frozenset[str] = frozenset()) -> Mention | None:
    """The nearest organization ending before token ``i``, not crossing a verb, other than ``skip``."""
    doc = ctx.doc
    j = i - 1
    while j >= limit:
        m = _org_at(ctx, j)
        if m is not None and m.entity.id not in skip:
            return m
        if doc[j].pos_ == "VERB" or doc[j].text in (";", ":"):
            return None
        j -= 1
    return None


def _valuation(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "values the firm at $3 billion" / "Datamark, valued at over $900 million", and
    the earlier valuation of "values it at $2 billion, up from $800 million last May"."""
    doc = ctx.doc
    at = next((j for j in range(i + 1, min(i + _WINDOW, sent.end)) if doc[j].lower_ == "at"), None)
    if at is None:
        return []
    after = doc[at + 1 : min(at + 8, sent.end)]
    amounts = [m for m in find_money(after.text) if m.start <= 12]
    if not amounts:
        return []
    token = doc[i]
    if not clause_modality(token).asserted or under_target(token):
        return []
    org = _valued_org(sent, i, at, ctx)
    if org is None:
        return []
    older = older_value_start(doc[at : min(at + 16, sent.end)])
    tail = doc[at : older if older is not None else min(at + 12, sent.end)]
    date = clause_qualifiers(tail, ctx, money=False, percent=False).get("date")
    out = [_value(org, amounts[0], date, token)]
    if older is not None:
        earlier = doc[older + 2 : min(older + 12, sent.end)]
        money = find_money(earlier.text)[0]
        when = clause_qualifiers(earlier, ctx, money=False, percent=False).get("date")
        out.append(_value(org, money, when, token))
    return out


def _value(org: Mention, money: Money, date: str | None, token: Token) -> Candidate:
    return Candidate(org, "valued_at", None, token, 0.75 * org.trust, "reported", value_qualifiers(money, date),
                     "surface")  # fmt: skip


def _valued_org(sent: Span, i: int, at: int, ctx: Context) -> Mention | None:
    """Who a valuation verb values: the name between the verb and "at"; for "valuing it"
    or "valuing the unit", the nearest organization before that is no investor; for
    "X, valued at", the name before it."""
    doc = ctx.doc
    token = doc[i]
    org = next((m for j in range(i + 1, at) if (m := _org_at(ctx, j)) is not None), None)
    investors = investor_ids(sent, ctx)
    if (org is None or org.via == "generic") and i + 1 < at and token.tag_ in ("VBG", "VBZ", "VBP", "VBD"):
        # "a deal valuing it at", "a round that values the company at": the deal's company.
        before = [m for m in ctx.mentions.within(sent) if m.end <= i and is_org(m.entity)]
        before = [m for m in before if m.entity.id not in investors and not _parenthesized(m, ctx)]
        if before:
            org = before[-1]
    if org is None and token.lower_ == "valued":
        org = _org_before(ctx, i, max(sent.start, i - _WINDOW), skip=investors)
    if org is None:
        return None
    kept = valued_companies([org], sent, ctx)
    return kept[0] if kept else None


def _parenthesized(m: Mention, ctx: Context) -> bool:
    """A name in parentheses after another ("Telus Digital (TIXT.TO)") is a ticker or acronym."""
    return m.start > 0 and ctx.doc[m.start - 1].text == "("


#: Words a valuation noun's amount may follow or precede ("a $61.5bn post-money valuation").
_VALUATION_LINKS = {"of", "to", "at", "near", "around", "above", "topping", "reaching"}
_APPROX = {"about", "around", "nearly", "over", "roughly", "some", "almost", "more", "than", "just", "under"}


def _worth(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Acme, now worth $2 billion", "Acme is worth $2 billion", "Acme, a startup worth
    $2 billion": what a company (never a deal) is worth is its valuation."""
    doc = ctx.doc
    token = doc[i]
    j = i + 1
    while j < sent.end and doc[j].lower_ in _APPROX:
        j += 1
    found = find_money(doc[j : min(j + 5, sent.end)].text)
    if not found or found[0].start != 0 or not clause_modality(token).asserted or under_target(token):
        return []
    org = None
    k = i - 1
    while k > sent.start and doc[k].pos_ == "ADV":
        k -= 1
    if doc[k].text == ",":
        org = _org_at(ctx, k - 1)
    elif doc[k].lemma_.lower() in lexicon().generic_heads:
        # "Acme, a startup worth $2 billion"
        while k > sent.start and doc[k - 1].lower_ not in ("a", "an", "the", ","):
            k -= 1
        if k - 2 >= sent.start and doc[k - 1].lower_ in ("a", "an", "the") and doc[k - 2].text == ",":
            org = _org_at(ctx, k - 3)
    elif token.dep_ == "acomp" and token.head.lemma_ == "be":
        org = next((m for m in subjects_of(token.head, ctx) if is_org(m.entity)), None)
    elif token.dep_ == "amod" and token.head.lemma_.lower() in lexicon().generic_heads:
        head = token.head
        org = ctx.mentions.at(head.head) if head.dep_ == "appos" else None
    if org is None or not ctx.modality(token.head).asserted:
        return []
    return [_value(org, found[0], None, token)]


def _valuation_noun(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "raised $90 million at a $1.6 billion valuation", "pushed its valuation to $2.4
    billion", "a valuation of $X": the owner is the noun's possessor, else the subject
    of the verb it hangs from. A goal ("seeks a valuation of") gives nothing."""
    doc = ctx.doc
    noun = doc[i]
    money = _amount_before(sent, i, ctx) or _amount_after(sent, i, ctx)
    verb = _governing_verb(noun)
    if money is None or under_target(noun) or not clause_modality(noun).asserted:
        return []
    if verb is not None and not ctx.modality(verb).asserted:
        return []
    owner = None
    poss = [c for c in noun.children if c.dep_ == "poss"]
    if poss:
        owner = ctx.mentions.at(poss[0]) or (resolve_pronoun(poss[0], ctx) if poss[0].pos_ == "PRON" else None)
    elif verb is not None and (given := _given_to(verb, noun, ctx)) is not None:
        owner = given  # "the round gives Acme a valuation of $X"
    elif verb is not None:
        owner = next(iter(valued_companies([m for m in subjects_of(verb, ctx) if is_org(m.entity)], sent, ctx)), None)
        if owner is None:
            owner = _org_before(ctx, verb.i, sent.start, skip=investor_ids(sent, ctx))
    if owner is None or not is_org(owner.entity) or not valued_companies([owner], sent, ctx):
        return []
    date = None
    if verb is not None:
        clause = verb.head if verb.dep_ == "relcl" and verb.head.head.pos_ == "VERB" else verb
        clause = clause.head if clause.dep_ == "relcl" or clause.pos_ != "VERB" else clause
        date = clause_qualifiers(clause_span(clause), ctx, money=False, percent=False).get("date")
    return [Candidate(owner, "valued_at", None, noun, 0.75 * owner.trust, "reported", value_qualifiers(money, date),
                      "surface")]  # fmt: skip


def _given_to(verb: Token, noun: Token, ctx: Context) -> Mention | None:
    """The receiver of "gives Acme a valuation": a dative, or a first object before the noun."""
    if verb.lemma_.lower() not in ("give", "hand", "earn", "win"):
        return None
    receivers = [c for c in verb.children if c.dep_ in ("dative", "dobj") and c.i < noun.i and c.i != noun.i]
    found = [m for c in receivers if (m := ctx.mentions.at(c)) is not None and is_org(m.entity)]
    return found[0] if found else None


def _governing_verb(noun: Token) -> Token | None:
    node = noun
    for _ in range(5):
        if node.head.i == node.i:
            return node if node.pos_ in ("VERB", "AUX") else None
        node = node.head
        if node.pos_ in ("VERB", "AUX") and node.dep_ != "prep":
            return node
    return None


def _amount_before(sent: Span, i: int, ctx: Context) -> Money | None:
    """The amount right before a valuation noun: "a $13.8 billion (post-money) valuation"."""
    doc = ctx.doc
    j = i - 1
    while j > sent.start and (doc[j].lower_ in ("post-money", "pre-money", "post", "pre", "money", "-")):
        j -= 1
    window = doc[max(sent.start, j - 5) : j + 1]
    found = find_money(window.text)
    return found[-1] if found and found[-1].end >= len(window.text) - 1 else None


def _amount_after(sent: Span, i: int, ctx: Context) -> Money | None:
    """The amount right after "valuation of/to/at" ("a valuation of about $2 billion")."""
    doc = ctx.doc
    j = i + 1
    if j >= sent.end or doc[j].lower_ not in _VALUATION_LINKS:
        return None
    j += 1
    while j < sent.end and doc[j].lower_ in _APPROX:
        j += 1
    found = find_money(doc[j : min(j + 5, sent.end)].text)
    return found[0] if found and found[0].start == 0 else None


def _amount_company(sent: Span, ctx: Context) -> list[Candidate]:
    """ "the $2 billion labeling company Datamark", "Datamark, a $2 billion startup": an
    amount in front of a company noun is what the company is worth."""
    doc = ctx.doc
    heads = lexicon().generic_heads
    out = []
    for money in find_money(ctx.text(sent)):
        span = sent.char_span(money.start, money.end, alignment_mode="expand")
        if span is None or span.start == sent.start or doc[span.start - 1].lower_ not in ("a", "an", "the"):
            continue
        j = span.end
        while j < min(span.end + 5, sent.end) and doc[j].lemma_.lower() not in heads:
            if doc[j].pos_ not in ("ADJ", "NOUN", "PROPN", "PUNCT") or doc[j].text in (",", ";", ":"):
                break
            j += 1
        if j >= sent.end or doc[j].lemma_.lower() not in heads or doc[j].tag_ == "NNS":
            continue
        org = _org_at(ctx, j + 1) or _org_at(ctx, j)
        if org is None and span.start - 2 >= sent.start and doc[span.start - 2].text == ",":
            org = _org_at(ctx, span.start - 3)
        if org is None or not clause_modality(doc[j]).asserted or under_target(doc[j]):
            continue
        out.append(_value(org, money, None, doc[j]))
    return out


def _founded(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Nair, who co-founded Datamark in 2018" / "Jane Doe founded Acme"."""
    doc = ctx.doc
    j = i + 1
    org = _org_at(ctx, j)
    if org is None or doc[i - 1].lower_ == "was" or doc[i + 1].lower_ == "by":
        return []
    k = i - 1
    while k >= sent.start and doc[k].text in ("-", "co"):
        k -= 1
    if k >= sent.start and doc[k].lower_ == "who":
        k -= 1
        while k >= sent.start and doc[k].text == ",":
            k -= 1
        # "X, the 28-year-old who co-founded": skip an apposition back to the name.
        person = None
        for back in range(k, max(sent.start, k - 2 * _WINDOW) - 1, -1):
            m = ctx.mentions.at(back)
            if m is not None:
                person = m if is_person(m.entity) else None
                break
            if doc[back].pos_ in ("VERB", "AUX"):
                break
    else:
        person = ctx.mentions.at(k) if k >= sent.start else None
    if person is None or not is_person(person.entity) or not clause_modality(doc[i]).asserted:
        return []
    span = doc[i : min(org.end + 4, sent.end)]
    qualifiers = clause_qualifiers(span, ctx, money=False, percent=False)
    return [
        Candidate(person, "founded", org, doc[i], 0.8 * min(person.trust, org.trust), "reported", qualifiers, "surface")
    ]


def _based_apposition(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Datamark, a Lisbon-based startup": the place names the apposition's org."""
    doc = ctx.doc
    if i < 2 or doc[i - 1].text not in ("-", "–"):
        return []
    place = ctx.mentions.at(i - 2)
    if place is None or place.entity.type != "Place":
        return []
    k = place.start - 1
    if k >= sent.start and doc[k].lower_ in ("a", "an", "the"):
        k -= 1
    if k < sent.start or doc[k].text != ",":
        return []
    org = _org_at(ctx, k - 1)
    if org is None:
        return []
    return [Candidate(org, "headquartered_in", place, doc[i], 0.8 * org.trust, "reported", {}, "surface")]


@functools.cache
def _places() -> dict:
    """The ``places`` lexicon of ``triggers.json`` (demonyms and country names)."""
    data = trigger_data()["places"]
    return {"demonyms": dict(data["demonyms"]), "countries": frozenset(data["countries"])}


def _place_entity(name: str) -> Entity:
    """The catalogue place called ``name``, else a new place entity."""
    found = lexicon().by_id.get(slugify(name))
    return found if found is not None else Entity(slugify(name), name, "Place", in_catalogue=False)


def _is_country(mention: Mention) -> bool:
    countries = _places()["countries"]
    names = {mention.entity.label.lower(), *(a.lower() for a in mention.entity.aliases)}
    return bool(names & countries)


def _described_orgs(sent: Span, j: int, start: int, ctx: Context) -> list[Mention]:
    """The organizations a descriptor whose modifiers start at token ``j`` stands for:
    "the London [AI] company Acme", "the San Francisco startup" (resolved), "Acme, a
    Kenya-based vendor", "its Kenya-based partners, A and B". ``start`` is the first
    token of the descriptor (its determiner or place)."""
    doc = ctx.doc
    heads = lexicon().generic_heads | {"partner", "competitor", "rival", "vendor", "provider", "supplier"}
    limit = min(j + 5, sent.end)
    while j < limit and doc[j].lemma_.lower() not in heads:
        if _org_at(ctx, j) is not None or doc[j].pos_ not in ("ADJ", "NOUN", "PROPN", "PUNCT") or doc[j].text in ",;:":
            break
        j += 1
    if j >= limit or doc[j].lemma_.lower() not in heads:
        return []
    head = doc[j]
    after = _org_at(ctx, j + 1) if j + 1 < sent.end else None
    if after is not None:
        return [after]
    if j + 1 < sent.end and doc[j + 1].pos_ == "PROPN" and doc[j + 1].text[:1].isupper():
        return []  # "the Paris company Orbit Labs" with a name the NER missed: not an anaphor
    generic = ctx.mentions.at(j)
    if generic is not None and is_org(generic.entity):
        return [generic]
    if j + 2 < sent.end and doc[j + 1].text == "," and (first := _org_at(ctx, j + 2)) is not None:
        # "its Kenya-based partners, Sama and Majorel"
        listed = [m for t in conjuncts(doc[first.head], ctx.mentions) if (m := ctx.mentions.at(t)) is not None]
        return [m for m in listed if is_org(m.entity)] if head.tag_ in ("NNS", "NNPS") else [first]
    k = start - 1
    if k >= sent.start and doc[k].lower_ in ("a", "an", "the"):
        k -= 1
    if k > sent.start and doc[k].text == "," and head.tag_ not in ("NNS", "NNPS"):
        before = _org_at(ctx, k - 1)  # "Datamark, a Silicon Valley lab"
        return [before] if before is not None else []
    return []


def _hq(org: Mention, place: Mention, token: Token, ctx: Context) -> Candidate | None:
    if not is_org(org.entity) or not clause_modality(token).asserted:
        return None
    return Candidate(org, "headquartered_in", place, token, 0.75 * org.trust, "reported", {}, "surface")


def _place_company(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "the London company", "Sydney AI firm Appen", "Acme, a Silicon Valley startup":
    a city or region before a company noun. A country there is a nationality ("US tech
    giant") and gives nothing."""
    doc = ctx.doc
    place = ctx.mentions.at(i)
    if place is None or place.start != i or place.entity.type != "Place" or _is_country(place):
        return []
    if i > sent.start and (doc[i - 1].pos_ == "ADP" or doc[i - 1].tag_ == "POS"):
        return []  # "offices in London", "London's startups"
    if place.end < sent.end and doc[place.end].text in ("-", "–"):
        return []  # "London-based": read by the "based" rules
    out = [_hq(org, place, doc[i], ctx) for org in _described_orgs(sent, place.end, i, ctx)]
    return [c for c in out if c is not None]


def _based_compound(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Canadian-based labeling firm Datamark" (a place adjective names the country),
    "its Kenya-based partners, A and B"; a country is given only when the article
    names no more specific place for the company."""
    doc = ctx.doc
    if i < 2 or doc[i - 1].text not in ("-", "–"):
        return []
    place = ctx.mentions.at(i - 2)
    start = place.start if place is not None else i - 2
    if place is None or place.entity.type != "Place":
        country = _places()["demonyms"].get(doc[i - 2].lower_)
        if country is None:
            return []
        place = Mention(_place_entity(country), i - 2, i - 1, i - 2, "demonym", 0.8)
    out = []
    for org in _described_orgs(sent, i + 1, start, ctx):
        if country_gives_way(org, place, ctx):
            continue
        if (candidate := _hq(org, place, doc[i], ctx)) is not None:
            out.append(candidate)
    return out


def _based_token(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "a U.S.-based firm": the tokenizer keeps "U.S.-based" as one word."""
    doc = ctx.doc
    prefix = doc[i].text[: -len("-based")]
    name = _places()["demonyms"].get(prefix.lower()) or _catalogue_place(prefix)
    if name is None:
        return []
    place = Mention(_place_entity(name), i, i + 1, i, "demonym", 0.8)
    out = []
    for org in _described_orgs(sent, i + 1, i, ctx):
        if country_gives_way(org, place, ctx):
            continue
        if (candidate := _hq(org, place, doc[i], ctx)) is not None:
            out.append(candidate)
    return out


def _catalogue_place(name: str) -> str | None:
    low = name.lower()
    for entity in lexicon().by_id.values():
        if entity.type == "Place" and low in {entity.label.lower(), *(a.lower() for a in entity.aliases)}:
            return entity.label
    return None


def _backed_compound(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "the Y Combinator-backed company Datamark", "Accel-backed Datamark": the investor named
    before "-backed" invested in the company the phrase stands for."""
    doc = ctx.doc
    if i < 2 or doc[i - 1].text not in ("-", "–"):
        return []
    investor = ctx.mentions.at(i - 2)
    if investor is None or investor.entity.type == "Place" or not clause_modality(doc[i]).asserted:
        return []
    named = _org_at(ctx, i + 1) if i + 1 < sent.end else None
    companies = [named] if named is not None else _described_orgs(sent, i + 1, investor.start, ctx)
    return [
        Candidate(investor, "invested_in", c, doc[i], 0.75 * min(investor.trust, c.trust), "reported", {}, "surface")
        for c in companies
        if c.entity.id != investor.entity.id
    ]


def _headquarters_noun(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Acme's headquarters in Austin", "Acme moved its headquarters to Munich",
    "Acme, with headquarters in Austin": the headquarters' place."""
    doc = ctx.doc
    noun = doc[i]
    j = i + 1
    while j < sent.end and doc[j].lower_ in ("are", "is", "remain", "remains", "now"):
        j += 1
    if j + 1 < sent.end and doc[j].lower_ == "from" and (old := ctx.mentions.at(j + 1)) is not None:
        j = old.end  # "moved its headquarters from Berlin to Munich"
    if j + 1 >= sent.end or doc[j].lower_ not in ("in", "to"):
        return []
    place = ctx.mentions.at(j + 1)
    if place is None or place.entity.type != "Place" or not clause_modality(noun).asserted or under_target(noun):
        return []
    owner = None
    poss = [c for c in noun.children if c.dep_ == "poss"]
    if poss:
        owner = ctx.mentions.at(poss[0]) or (resolve_pronoun(poss[0], ctx) if poss[0].pos_ == "PRON" else None)
    elif i >= 2 and doc[i - 1].lower_ == "with" and doc[i - 2].text == ",":
        owner = _org_at(ctx, i - 3)
    if doc[j].lower_ == "to" and not (noun.head.lemma_.lower() in ("move", "relocate", "shift") and poss):
        return []  # "to" only after a move of the company's own headquarters
    if owner is None or not is_org(owner.entity) or not ctx.modality(noun.head).asserted:
        return []
    return [Candidate(owner, "headquartered_in", place, noun, 0.7 * owner.trust, "reported", {}, "surface")]


def is_fragment(sent: Span) -> bool:
    """True for a sentence with no verb (a caption, a heading, a list item): it states
    no place of a company."""
    return not any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in sent)


def country_gives_way(org: Mention, place: Mention, ctx: Context) -> bool:
    """True when ``place`` is a country and the article bases ``org`` somewhere more
    specific: the one test every "-based" rule uses (the most specific place wins)."""
    return _is_country(place) and _specific_elsewhere(org, ctx)


def _specific_elsewhere(org: Mention, ctx: Context) -> bool:
    """True when the article also bases ``org`` in a place that is not a country
    ("U.S.-based firm X" ... "the San Francisco-based firm"): the most specific wins."""
    doc = ctx.doc
    for t in doc:
        if t.lower_ not in ("based", "headquartered"):
            continue
        near = [m for m in ctx.mentions.within(doc[max(0, t.i - 3) : min(len(doc), t.i + 4)])]
        places = [m for m in near if m.entity.type == "Place" and not _is_country(m)]
        window = doc[max(0, t.i - 12) : min(len(doc), t.i + 12)]
        if places and any(m.entity.id == org.entity.id for m in ctx.mentions.within(window)):
            return True
    return False


def _adjacent(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Surge AI competes with Scale AI": two names around a relation verb and its
    preposition, read as words when the parse does not join them."""
    doc = ctx.doc
    predicate, preps = _ADJACENT[doc[i].lower_]
    j = i + 1
    while j < sent.end and (doc[j].lower_ == "up" or (doc[j].pos_ == "ADV" and doc[j].lower_ not in _NEGATORS)):
        j += 1
    if j >= sent.end or doc[j].lower_ not in preps:
        return []
    obj = _org_at(ctx, j + 1)
    k = i - 1
    while k >= sent.start and doc[k].pos_ == "ADV" and doc[k].lower_ not in _NEGATORS:
        k -= 1
    subj = _org_at(ctx, k) if k >= sent.start else None
    if subj is None or obj is None or subj.entity.id == obj.entity.id:
        return []
    if any(t.lower_ in _NEGATORS for t in doc[subj.end : i]) or not clause_modality(doc[i]).asserted:
        return []
    objects = [obj] + [m for m in np_entities(doc[obj.head], ctx) if is_org(m.entity) and m.entity.id != obj.entity.id]
    reverse = _for_revenue(doc[i], doc[obj.end : min(obj.end + 6, sent.end)])
    return [
        Candidate(o, predicate, subj, doc[i], 0.75 * min(subj.trust, o.trust), "reported", {}, "surface")
        if reverse
        else Candidate(subj, predicate, o, doc[i], 0.75 * min(subj.trust, o.trust), "reported", {}, "surface")
        for o in objects
        if o.entity.id != subj.entity.id
    ]


def _for_revenue(verb: Token, after: Span) -> bool:
    """ "relies on A for revenue": the verb rule's ``reverse_for`` nouns after "for" make A
    the client (the same words the verb rules read)."""
    words = frozenset().union(*(r.reverse_for for r in verb_rules().get(verb.lemma_.lower(), ())))
    return len(after) >= 2 and after[0].lower_ == "for" and any(t.lemma_.lower() in words for t in after[1:])


#: Nouns a "take-private" compound qualifies ("a take-private offer from X for Y").
_DEAL_NOUNS = {"offer", "deal", "bid", "transaction", "buyout", "proposal", "agreement", "merger"}


def _take_private(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "X agreed to take Y private" / "X offered to take Y private, and the board agreed":
    a take-private is an acquisition when stated as done or agreed, not as a mere offer."""
    doc = ctx.doc
    token = doc[i]
    j = i + 1
    while j < min(i + 6, sent.end) and _org_at(ctx, j) is None:
        j += 1
    target = _org_at(ctx, j) if j < sent.end else None
    if target is None or target.end >= sent.end or doc[target.end].lower_ != "private":
        return []
    if not clause_modality(token).asserted or under_target(token):
        return []
    buyers = [m for m in subjects_of(token, ctx) if is_org(m.entity) and m.entity.id != target.entity.id]
    return [_acquired(b, target, token) for b in buyers]


def _take_private_noun(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Y's board accepted a take-private offer from X": the compound names the deal;
    the buyer is in its "from"/"by" phrase, the company in "for" or the sentence's subject."""
    doc = ctx.doc
    if i + 3 >= sent.end or doc[i + 1].text not in ("-", "–") or doc[i + 2].lower_ != "private":
        return []
    noun = doc[i + 3]
    if noun.lemma_.lower() not in _DEAL_NOUNS or not offer_agreed(noun) or not clause_modality(noun).asserted:
        return []
    preps = {c.lower_: [p for p in c.children if p.dep_ == "pobj"] for c in noun.children if c.dep_ == "prep"}
    buyers = [m for p in preps.get("from", []) + preps.get("by", []) for m in np_entities(p, ctx)]
    targets = [m for p in preps.get("for", []) for m in np_entities(p, ctx)]
    if not targets and noun.head.pos_ == "VERB":
        targets = [m for m in subjects_of(noun.head, ctx) if is_org(m.entity)]
        targets += [m for c in noun.head.children if c.dep_ == "nsubj" for m in np_entities(c, ctx)]
    return [
        _acquired(b, t, noun)
        for b in buyers
        for t in targets
        if is_org(b.entity) and is_org(t.entity) and b.entity.id != t.entity.id
    ]


def _acquired(buyer: Mention, target: Mention, token: Token) -> Candidate:
    return Candidate(buyer, "acquired", target, token, 0.75 * min(buyer.trust, target.trust), "reported", {},
                     "surface")  # fmt: skip


def _acquihire(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "X acqui-hired Y", "X's acquihire of Y", "X completed an acquihire of Y": an
    acquihire is an acquisition (the parser splits "acqui-hired" into pieces)."""
    doc = ctx.doc
    j = i + 2 if i + 2 < sent.end and doc[i + 1].text in ("-", "–") else i
    word = doc[i].lower_ + doc[j].lower_ if j != i else doc[i].lower_
    if not word.startswith("acquihir") and word not in ("acquihire", "acquihires"):
        return []
    if not clause_modality(doc[j]).asserted or under_target(doc[j]):
        return []
    k = j + 1
    if k < sent.end and doc[k].lower_ == "of":
        k += 1
    target = _org_at(ctx, k) if k < sent.end else None
    if target is None:
        return []
    buyer = _org_before(ctx, i, sent.start, skip={target.entity.id})
    if buyer is None and (verb := _governing_verb(doc[j])) is not None:
        buyer = next((m for m in subjects_of(verb, ctx) if is_org(m.entity) and m.entity.id != target.entity.id), None)
    if buyer is None:
        return []
    date = clause_qualifiers(doc[i : min(target.end + 6, sent.end)], ctx, money=False, percent=False).get("date")
    return [replace(_acquired(buyer, target, doc[j]), qualifiers={"date": date} if date else {})]


def surface_candidates(sent: Span, ctx: Context) -> list[Candidate]:
    """Apply the word-sequence patterns to ``sent``."""
    out: list[Candidate] = _amount_company(sent, ctx)
    tags, tokens = ctx.tags(), ctx.tokens()
    for i in range(sent.start, sent.end):
        low = tags.lower[i]
        if not (
            low in _SURFACE_WORDS
            or low.startswith("acqui")
            or low.endswith("-based")
            or tags.ent[i] in _PLACE_TYPES
            or ctx.mentions.at(i) is not None
        ):
            continue  # none of the patterns below starts here
        token = tokens[i]
        if low in _VALUATION_NOUNS and token.pos_ == "NOUN":
            out += _valuation_noun(sent, token.i, ctx)
        if low == "worth":
            out += _worth(sent, token.i, ctx)
        if low in _HQ_WORDS and token.pos_ in ("NOUN", "PROPN"):
            out += _headquarters_noun(sent, token.i, ctx)
        if low.startswith("acqui") and low[:6] != "acquir":
            out += _acquihire(sent, token.i, ctx)
        if low in _TAKE_WORDS:
            out += _take_private(sent, token.i, ctx) + _take_private_noun(sent, token.i, ctx)
        if low in _ADJACENT:
            out += _adjacent(sent, token.i, ctx)
        if low in _VALUE_WORDS:
            out += _valuation(sent, token.i, ctx)
        elif low in _FOUND_WORDS and token.i + 1 < sent.end:
            out += _founded(sent, token.i, ctx)
        elif low == "based" and not is_fragment(sent):
            out += _based_apposition(sent, token.i, ctx) + _based_compound(sent, token.i, ctx)
        elif low == "backed":
            out += _backed_compound(sent, token.i, ctx)
        elif low.endswith("-based") and len(low) > len("-based") and not is_fragment(sent):
            out += _based_token(sent, token.i, ctx)
        if tags.ent[i] in _PLACE_TYPES or ctx.mentions.at(i) is not None:
            out += _place_company(sent, token.i, ctx)
    return out
