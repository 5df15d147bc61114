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

>>> from extractors.records import Article
>>> from extractors.pipeline import extract_article
>>> text = "Google cut ties with Appen, its data-labeling vendor, in March 2024."
>>> rels = extract_article(Article("k", "k.txt", "k.txt", text, published="2024-06-01"))
>>> sorted((r.predicate, r.qualifiers.get("inferred")) for r in rels)
[('customer_of', 'ending-implies-customer'), ('ended_relationship_with', None)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from extractors.entities import Mention, is_org
from extractors.frames import Context, np_entities, subjects_of
from extractors.records import Relation
from extractors.relations import founding_date

__all__ = ["acquihires", "infer_relations"]

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
                        out.append((hirer, owner, token.sent))
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
    return dated + _ending_customers(dated) + _acquihire_staff(dated, ctx, offset)
