"""Document-level inference: relations that no single sentence states but that the
article's other relations imply (README, "Document-level inference").

Each inferred relation carries ``qualifiers["inferred"]``, the name of its rule, and a
lower confidence than the relation it comes from:

- ``ending-implies-customer``: a client that ended (or plans to end) its relationship
  with a vendor was that vendor's customer.
- ``acquihire-staff``: when an organisation hires another's team ("Acme hired the team
  behind Beta", "Beta's team is joining Acme") or acquihires it, the people the article
  names as Beta's founders, leaders or staff joined Acme.
- founding dates: "Founded in 2016, Acme ..." or "Acme was founded in 2016"
  (:func:`extractors.relations.founding_date`) dates every ``founded`` relation of Acme
  in the article that has no date of its own (no new relation, so no rule name).
- announced later: "A has chosen B to ...", then "B disclosed this collaboration on
  February 20": the announcement's date dates the previous sentence's relations that
  have none and that its announcer is party to.
- restated relations: one relation of two parties stated in several sentences is one event;
  the time, amount or stake one sentence gives it completes the others, unless the
  sentences disagree (two amounts are two deals, two years two events: nothing is shared).

>>> from extractors.records import Article
>>> from extractors.pipeline import extract_article
>>> text = "Google cut ties with Appen in March 2024."
>>> rels = extract_article(Article("k", "k.txt", "k.txt", text, published="2024-06-01"))
>>> sorted((r.predicate, r.qualifiers.get("inferred")) for r in rels)
[('customer_of', 'ending-implies-customer'), ('ended_relationship_with', None)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from extractors.entities import Mention, is_org
from extractors.frames import Context, clause_qualifiers, np_entities, subjects_of
from extractors.records import Relation
from extractors.relations import founding_date, trigger_data
from extractors.tags import sentence_of, sentences_of

__all__ = ["acquihires", "infer_relations", "share_qualifiers"]

#: The people of a company taken as a whole ("hired the team behind Beta").
_STAFF_NOUNS = {"team", "founder", "co-founder", "cofounder", "staff", "employee", "talent", "engineer", "people"}
_HIRE_LEMMAS = {"hire", "poach", "recruit", "acquihire", "acqui-hire", "absorb"}
_STAFF_ROLES = ("founded", "leads", "works_for")


def _prep_orgs(head, preps: tuple[str, ...], ctx: Context) -> list[Mention]:
    """Organisations in the ``preps`` phrases hanging on ``head``."""
    return [
        m
        for c in head.children
        if c.dep_ == "prep" and c.lower_ in preps
        for p in c.children
        if p.dep_ == "pobj"
        for m in np_entities(p, ctx)
        if is_org(m.entity)
    ]


def _staff_owner(noun, ctx: Context) -> list[Mention]:
    """Whose staff "the team behind Beta", "Beta's founders", "the Beta team" are."""
    own = [m for m in np_entities(noun, ctx) if is_org(m.entity)]
    return own + _prep_orgs(noun, ("behind", "at", "from", "of"), ctx)


def acquihires(ctx: Context) -> list[tuple[Mention, Mention, object]]:
    """(hirer, hired company, sentence) for every team hire the article states as done."""
    out = []
    for token in ctx.doc:
        lemma = token.lemma_.lower()
        pairs: list[tuple[list[Mention], list[Mention]]] = []
        if lemma in _HIRE_LEMMAS and token.pos_ == "VERB":
            staff = [c for c in token.children if c.dep_ == "dobj" and c.lemma_.lower() in _STAFF_NOUNS]
            # "hired the team behind Beta": the parser may hang "behind Beta" on the verb
            behind = _prep_orgs(token, ("behind", "from"), ctx)
            pairs = [(subjects_of(token, ctx), _staff_owner(s, ctx) + behind) for s in staff]
        elif lemma == "join" and token.pos_ == "VERB":
            staff = [c for c in token.children if c.dep_ == "nsubj" and c.lemma_.lower() in _STAFF_NOUNS]
            joined = [m for c in token.children if c.dep_ == "dobj" for m in np_entities(c, ctx) if is_org(m.entity)]
            pairs = [(joined, _staff_owner(s, ctx)) for s in staff]
        if not pairs or not ctx.modality(token).asserted:
            continue
        for hirers, owners in pairs:
            for hirer in hirers:
                for owner in owners:
                    if is_org(hirer.entity) and hirer.entity.id != owner.entity.id:
                        out.append((hirer, owner, sentence_of(token)))
    return out


def _acquihire_staff(relations: list[Relation], ctx: Context, offset: int) -> list[Relation]:
    hires = acquihires(ctx) if any(r.predicate in _STAFF_ROLES for r in relations) else []
    out, seen = [], {(r.subject, r.object) for r in relations if r.predicate == "joined"}
    for hirer, company, sent in hires:
        for r in relations:
            if r.predicate not in _STAFF_ROLES or r.object != company.entity.id:
                continue
            if (r.subject, hirer.entity.id) in seen:
                continue
            seen.add((r.subject, hirer.entity.id))
            out.append(
                replace(
                    r,
                    predicate="joined",
                    object=hirer.entity.id,
                    object_label=hirer.entity.label,
                    object_type=hirer.entity.type,
                    evidence=sent.text.strip(),
                    start=offset + sent.start_char,
                    end=offset + sent.end_char,
                    status="reported",
                    confidence=min(r.confidence, hirer.trust) * 0.75,
                    qualifiers={"inferred": "acquihire-staff"},
                    features={**r.features, "predicate": "joined", "rule": "inferred"},
                )
            )
    return out


def _ending_customers(relations: list[Relation]) -> list[Relation]:
    held = {(r.subject, r.object) for r in relations if r.predicate == "customer_of"}
    out = []
    for r in relations:
        if r.predicate != "ended_relationship_with" or (r.subject, r.object) in held:
            continue
        held.add((r.subject, r.object))
        status = "reported" if r.status == "planned" else "ended"
        qualifiers = {"inferred": "ending-implies-customer"}
        features = {**r.features, "predicate": "customer_of", "rule": "inferred"}
        out.append(
            replace(
                r,
                predicate="customer_of",
                status=status,
                confidence=r.confidence * 0.9,
                qualifiers=qualifiers,
                features=features,
            )
        )
    return out


def infer_relations(relations: Iterable[Relation], ctx: Context, offset: int = 0) -> list[Relation]:
    """The article's relations with the document-level rules applied: dates filled in,
    inferred relations appended (``offset``: where the parsed text starts in the article)."""
    relations = list(relations)
    years: dict[str, str | None] = {}
    for r in relations:
        if r.predicate == "founded" and not r.qualifiers.get("date") and r.object not in years:
            org = next((m for m in ctx.mentions if m.entity.id == r.object), None)
            years[r.object] = founding_date(org, ctx) if org is not None else None
    dated = [
        replace(r, qualifiers={**r.qualifiers, "date": years[r.object]})
        if r.predicate == "founded" and years.get(r.object) and not r.qualifiers.get("date")
        else r
        for r in relations
    ]
    dated = _announced_next(dated, ctx, offset)
    dated = share_qualifiers(dated)
    return dated + _ending_customers(dated) + _acquihire_staff(dated, ctx, offset)


def _announcement(sent, ctx: Context) -> tuple[set[str], str] | None:
    """ "B disclosed this collaboration with C on February 20": who announced a deal named
    by reference, and the announcement's date (None when ``sent`` is not such a sentence)."""
    words = trigger_data()["announcements"]
    tags, tokens = ctx.tags(), ctx.tokens()
    for i in range(sent.start, sent.end):
        if tags.pos[i] != "VERB" or tags.lemma[i] not in words["words"]:
            continue
        verb = tokens[i]
        if not ctx.modality(verb).asserted:
            continue
        named = [
            c
            for c in verb.children
            if c.dep_ in ("dobj", "nsubjpass")
            and c.lemma_.lower() in words["referring_nouns"]
            and any(d.dep_ == "det" and d.lower_ in words["referring_determiners"] for d in c.children)
        ]
        if not named:
            continue
        date = None
        inside = range(named[0].left_edge.i, named[0].right_edge.i + 1)
        for prep in verb.children:
            if prep.dep_ in ("prep", "npadvmod") and prep.i not in inside:
                text = ctx.doc[prep.left_edge.i : prep.right_edge.i + 1]
                date = date or clause_qualifiers(text, ctx, money=False, percent=False).get("date")
        announcers = {m.entity.id for m in subjects_of(verb, ctx, passive_agent=True)}
        if date and announcers:
            return announcers, date
    return None


def _announced_next(relations: list[Relation], ctx: Context, offset: int) -> list[Relation]:
    """Date undated relations by the announcement the next sentence makes of them."""
    if not any(not r.qualifiers.get("date") for r in relations):
        return relations
    sents = sentences_of(ctx.doc)
    starts = {offset + s.start_char: i for i, s in enumerate(sents)}
    out = []
    for r in relations:
        i = starts.get(r.start)
        if r.qualifiers.get("date") or i is None or i + 1 >= len(sents) or "inferred" in r.qualifiers:
            out.append(r)
            continue
        found = _announcement(sents[i + 1], ctx)
        if found and found[0] & {r.subject, r.object}:
            r = replace(r, qualifiers={**r.qualifiers, "date": found[1]})
        out.append(r)
    return out


#: Relations that are one event per pair of parties within an article.
_ONE_EVENT = frozenset(
    {"invested_in", "acquired", "customer_of", "ended_relationship_with", "joined", "left", "founded", "valued_at"}
)
_AMOUNT = ("amount", "currency", "amount_usd")


def _event_key(r: Relation) -> tuple:
    value = r.qualifiers.get("amount") if r.predicate == "valued_at" else None
    return (r.subject, r.predicate, r.object or r.object_label, r.status == "ended", value)


def _one_value(values: list, close) -> object | None:
    """The value all ``values`` agree on (None when they disagree or there is none)."""
    first = values[0] if values else None
    return first if all(close(first, v) for v in values) else None


def _same_number(a: float, b: float) -> bool:
    return abs(a - b) <= 0.02 * max(abs(a), abs(b))


def _one_date(dates: list[str]) -> str | None:
    """The most precise of dates that all agree ("2025", "2025-06" and "2025-06-12" agree)."""
    if not dates:
        return None
    best = max(dates, key=len)
    return best if all(best.startswith(d) for d in dates) else None


def share_qualifiers(relations: list[Relation]) -> list[Relation]:
    """Complete the date, amount and stake of each relation from the other sentences of the
    article that state the same one, when they agree (see the module docstring).

    >>> from extractors.records import Relation
    >>> def said(evidence, **qualifiers):
    ...     return Relation("k", "helix", "Helix", "Organization", "invested_in", "orbit", "Orbit",
    ...                     "Organization", evidence, 0, 1, qualifiers=qualifiers)
    >>> a = said("after Helix's investment last week", date="2025-06")
    >>> b = said("its $2 billion investment", amount=2e9, currency="USD", amount_usd=2e9)
    >>> [sorted(r.qualifiers) for r in share_qualifiers([a, b])]
    [['amount', 'amount_usd', 'currency', 'date'], ['amount', 'amount_usd', 'currency', 'date']]
    """
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(relations):
        if r.predicate in _ONE_EVENT and "inferred" not in r.qualifiers:
            groups.setdefault(_event_key(r), []).append(i)
    out = list(relations)
    for members in groups.values():
        if len(members) < 2:
            continue
        stated = [relations[i].qualifiers for i in members]
        amounts = [q["amount"] for q in stated if q.get("amount") is not None]
        amount = _one_value(amounts, _same_number)
        if amounts and amount is None:
            continue  # two amounts: two deals
        shared: dict = {}
        if amount is not None:
            shared.update({k: v for q in stated if q.get("amount") == amount for k, v in q.items() if k in _AMOUNT})
        stake = _one_value([q["stake_pct"] for q in stated if q.get("stake_pct") is not None], _same_number)
        if stake is not None:
            shared["stake_pct"] = stake
        dates = [q["date"] for q in stated if q.get("date")]
        date = _one_date(dates)
        if dates and date is None:
            continue  # two times: two events
        if date is not None:
            shared["date"] = date
        for i in members:
            own = relations[i].qualifiers
            fill = {k: v for k, v in shared.items() if own.get(k) is None or k == "date"}
            if any(own.get(k) != v for k, v in fill.items()):
                out[i] = replace(relations[i], qualifiers={**own, **fill})
    return out
