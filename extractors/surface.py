"""Relations read from the word sequence, for constructions the small parser often
gets wrong: "X values the startup at $29 billion", "Scale, valued at $7 billion",
"Wang, who co-founded Scale in 2016", "Acme, a Paris-based vendor".

Each pattern anchors on one word, looks at a few tokens around it for mentions,
and yields the same candidates as the dependency rules (duplicates merge later).
"""

from __future__ import annotations

from spacy.tokens import Span

from extractors.entities import Mention, is_org, is_person
from extractors.frames import Candidate, Context, clause_qualifiers, np_entities, subjects_of
from extractors.modality import clause_modality
from extractors.money import find_money

__all__ = ["surface_candidates"]

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
_WINDOW = 8


def _org_at(ctx: Context, i: int) -> Mention | None:
    m = ctx.mentions.at(i)
    return m if m is not None and is_org(m.entity) else None


def _org_before(ctx: Context, i: int, limit: int) -> Mention | None:
    """The nearest organization ending before token ``i``, not crossing a verb."""
    doc = ctx.doc
    j = i - 1
    while j >= limit:
        m = _org_at(ctx, j)
        if m is not None:
            return m
        if doc[j].pos_ == "VERB" or doc[j].text in (";", ":"):
            return None
        j -= 1
    return None


def _valuation(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "values the startup at $29 billion" / "Scale AI, valued at over $7 billion"."""
    doc = ctx.doc
    at = next((j for j in range(i + 1, min(i + _WINDOW, sent.end)) if doc[j].lower_ == "at"), None)
    if at is None:
        return []
    after = doc[at + 1 : min(at + 8, sent.end)]
    amounts = [m for m in find_money(after.text) if m.start <= 12]
    if not amounts:
        return []
    org = next((m for j in range(i + 1, at) if (m := _org_at(ctx, j)) is not None), None)
    token = doc[i]
    participle = token.tag_ == "VBG" and token.dep_ in ("advcl", "acl", "xcomp", "conj")
    if (org is None or org.via == "generic") and participle:
        # "Mercor raised $100 million, valuing the company at $2 billion"
        org = next((m for m in subjects_of(token.head, ctx) if is_org(m.entity)), org)
    if org is None and doc[i].lower_ == "valued":
        org = _org_before(ctx, i, max(sent.start, i - _WINDOW))
    if org is None or not clause_modality(doc[i]).asserted:
        return []
    money = amounts[0]
    qualifiers = {"amount": money.amount, "currency": money.currency}
    if money.currency == "USD":
        qualifiers["amount_usd"] = money.amount
    tail = doc[at : min(at + 12, sent.end)]
    date = clause_qualifiers(tail, ctx, money=False, percent=False).get("date")
    if date:
        qualifiers["date"] = date
    return [Candidate(org, "valued_at", None, doc[i], 0.75 * org.trust, "reported", qualifiers, "surface")]


def _founded(sent: Span, i: int, ctx: Context) -> list[Candidate]:
    """ "Wang, who co-founded Scale in 2016" / "Jane Doe founded Acme"."""
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
    """ "Scale AI, a San Francisco-based startup": the place names the apposition's org."""
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
    return [
        Candidate(subj, predicate, o, doc[i], 0.75 * min(subj.trust, o.trust), "reported", {}, "surface")
        for o in objects
        if o.entity.id != subj.entity.id
    ]


def surface_candidates(sent: Span, ctx: Context) -> list[Candidate]:
    """Apply the word-sequence patterns to ``sent``."""
    out: list[Candidate] = []
    for token in sent:
        low = token.lower_
        if low in _ADJACENT:
            out += _adjacent(sent, token.i, ctx)
        if low in _VALUE_WORDS:
            out += _valuation(sent, token.i, ctx)
        elif low in _FOUND_WORDS and token.i + 1 < sent.end:
            out += _founded(sent, token.i, ctx)
        elif low == "based":
            out += _based_apposition(sent, token.i, ctx)
    return out
