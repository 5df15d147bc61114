"""From a cleaned article to its relations: parse, find mentions, apply the rules.

>>> from extractors.records import Article
>>> rels = extract_article(Article("k", "k.txt", "k.txt", "Acme Corp hired Scale AI last year."))
>>> [(r.subject_label, r.predicate, r.object_label) for r in rels]
[('Acme Corp', 'customer_of', 'Scale AI')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.tokens import Doc, Span

from extractors.confidence import calibrated, candidate_features
from extractors.document import infer_relations
from extractors.entities import find_mentions, is_org, is_person
from extractors.frames import Candidate, Context
from extractors.modality import is_question
from extractors.nlp import get_nlp
from extractors.nominal import nominal_candidates
from extractors.records import SYMMETRIC, Article, Relation
from extractors.relations import verb_candidates
from extractors.roles import role_candidates
from extractors.service import service_candidates
from extractors.surface import surface_candidates
from extractors.tags import sentences_of

__all__ = ["extract_article", "extract_articles", "relations_from_doc", "to_prediction"]

#: Which kinds of entity each relation joins (subject, object).
_KINDS = {
    "invested_in": ({"org", "person"}, {"org"}),
    "acquired": ({"org"}, {"org"}),
    "customer_of": ({"org"}, {"org"}),
    "ended_relationship_with": ({"org"}, {"org"}),
    "competitor_of": ({"org"}, {"org"}),
    "partner_of": ({"org"}, {"org"}),
    "works_for": ({"person"}, {"org"}),
    "leads": ({"person"}, {"org"}),
    "founded": ({"person"}, {"org"}),
    "joined": ({"person"}, {"org"}),
    "left": ({"person"}, {"org"}),
    "valued_at": ({"org"}, set()),
    "headquartered_in": ({"org"}, {"place"}),
}
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def _kind(entity) -> str:
    return "person" if is_person(entity) else "org" if is_org(entity) else "place"


def year_hint(article: Article) -> str | None:
    """The latest year the article names: a weak stand-in for an unknown publication year."""
    years = [int(y) for y in _YEAR.findall(article.text)]
    return str(max(years)) if years else None


def _to_relation(c: Candidate, sent: Span, article: Article, offset: int, evidence: str) -> Relation | None:
    subject = c.subject.entity
    obj = c.object.entity if c.object is not None else None
    subject_kinds, object_kinds = _KINDS[c.predicate]
    if _kind(subject) not in subject_kinds:
        return None
    if obj is not None and (obj.id == subject.id or _kind(obj) not in object_kinds):
        return None
    if obj is None and c.predicate != "valued_at":
        return None
    qualifiers = {k: v for k, v in c.qualifiers.items() if v is not None}
    features = candidate_features(c, sent)
    return Relation(
        article=article.key,
        subject=subject.id,
        subject_label=subject.label,
        subject_type=subject.type,
        predicate=c.predicate,
        object=obj.id if obj else "",
        object_label=obj.label if obj else _amount_label(qualifiers),
        object_type=obj.type if obj else "Amount",
        evidence=evidence,
        start=offset + sent.start_char,
        end=offset + sent.end_char,
        status=c.status,
        confidence=round(max(0.05, min(1.0, calibrated(features, c.confidence))), 3),
        qualifiers=qualifiers,
        features=features,
    )


#: Nouns that say outright which side is the client.
_CLIENT_NOUNS = frozenset({"client", "customer"})


def _oriented_by_custom(candidates: list[Candidate]) -> list[Candidate]:
    """One sentence, one direction of custom. An ending the vendor states is turned round to run
    from client to vendor when the sentence itself says who the client is ("A ended its
    contract with B, its biggest customer"); then, and when the service rules turned it
    (:func:`_without_turned`), readings the other way go."""
    clients = {  # stated by the words "client" or "customer" ("B, its biggest customer")
        (c.subject.entity.id, c.object.entity.id)
        for c in candidates
        if c.predicate == "customer_of"
        and c.object is not None
        and c.status != "ended"
        and c.trigger.lemma_.lower() in _CLIENT_NOUNS
    }
    out = []
    for c in _without_turned(candidates):
        pair = (c.subject.entity.id, c.object.entity.id) if c.object is not None else None
        if pair is None or c.predicate not in ("ended_relationship_with", "customer_of") or pair in clients:
            out.append(c)
            continue
        if pair[::-1] not in clients:
            out.append(c)
        elif c.predicate == "ended_relationship_with":
            out.append(replace(c, subject=c.object, object=c.subject, rule="implied"))
        # a customer_of the wrong way round (the ended contract read from the vendor's side) goes
    return out


def _without_turned(candidates: list[Candidate]) -> list[Candidate]:
    """An ending the vendor states ("A, a labeling startup, stopped working with B") is read by
    the verb rules with A as the client and turned round by the service rules (rule
    "implied"): every reading of the sentence in the other direction goes."""
    turned = {
        (c.object.entity.id, c.subject.entity.id)
        for c in candidates
        if c.rule == "implied" and c.predicate == "ended_relationship_with" and c.object is not None
    }
    return [
        c
        for c in candidates
        if not (
            c.predicate == "ended_relationship_with"
            and c.rule != "implied"
            and c.object is not None
            and (c.subject.entity.id, c.object.entity.id) in turned
        )
    ]


def _prior(r: Relation) -> float:
    return float(r.features.get("prior", r.confidence))


def _amount_label(qualifiers: dict) -> str:
    amount = qualifiers.get("amount")
    if amount is None:
        return ""
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}.get(qualifiers.get("currency", ""), "")
    for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if amount >= size:
            return f"{symbol}{amount / size:g}{suffix}"
    return f"{symbol}{amount:g}"


def _key(r: Relation) -> tuple:
    s, o = r.subject, r.object or r.object_label  # each distinct valuation is its own fact
    if r.predicate in SYMMETRIC and o < s:
        s, o = o, s
    if r.predicate == "valued_at":
        o = _amount_label(dict(r.qualifiers))  # two valuations are two facts
    return (s, r.predicate, o, r.start)


def _same_amount(a: Relation, b: Relation) -> bool:
    """Two valuations of one company name the same amount (within 2%, as reporters round)."""
    x, y = a.qualifiers.get("amount"), b.qualifiers.get("amount")
    if x is None or y is None:
        return x is y
    return abs(x - y) <= 0.02 * max(x, y)


def split_text(text: str, limit: int) -> list[tuple[int, str]]:
    """Cut ``text`` into pieces shorter than ``limit`` characters, at paragraph breaks
    where possible (else at line breaks or spaces), as (offset, piece) pairs.

    >>> split_text("one.\n\ntwo.\n\nthree.", 12)
    [(0, 'one.\n\ntwo.\n\n'), (12, 'three.')]
    """
    if len(text) < limit:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + limit - 1, len(text))
        if end < len(text):
            for sep in ("\n\n", "\n", " "):
                cut = text.rfind(sep, start + limit // 2, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((start, text[start:end]))
        start = end
    return pieces


def relations_from_doc(doc: Doc, article: Article, offset: int = 0) -> Iterator[Relation]:
    """Relations stated in ``doc`` (the parse of ``article.text``, or of the piece of it
    that starts at ``offset``), sentence by sentence, then those the article implies
    (:mod:`extractors.document`)."""
    mentions = find_mentions(doc)
    ctx = Context(doc, mentions, article.published, year_hint(article))
    for sent in sentences_of(doc):
        if is_question(sent):
            continue
        candidates = _oriented_by_custom(
            [
                *role_candidates(sent, ctx),
                *verb_candidates(sent, ctx),
                *nominal_candidates(sent, ctx),
                *surface_candidates(sent, ctx),
                *service_candidates(sent, ctx),
            ]
        )
        best: dict[tuple, Relation] = {}
        evidence = ctx.text(sent).strip() if candidates else ""  # once per sentence
        for candidate in candidates:
            relation = _to_relation(candidate, sent, article, offset, evidence)
            if relation is None:
                continue
            key = _key(relation)
            held = best.get(key)
            # two readings of one relation: the rules' own ranking (prior) picks the reading;
            # the learned confidence only says how likely the relation is right
            if held is None or _prior(relation) > _prior(held):
                if held is not None:
                    relation = _merge_in_sentence(relation, held)
                best[key] = relation
            else:
                best[key] = _merge_in_sentence(held, relation)
        ctx.found += best.values()
    yield from infer_relations(ctx.found, ctx, offset)


def _merge_in_sentence(keep: Relation, other: Relation) -> Relation:
    """Two readings of one relation in one sentence: the one the rules rank first, its qualifiers
    completed by the other's; a sentence that says the relation ended says so for both."""
    merged = _merge_qualifiers(keep, other)
    if other.status == "ended" and merged.status == "reported":
        merged = replace(merged, status="ended")
    return merged


def _merge_qualifiers(keep: Relation, other: Relation) -> Relation:
    merged = {**other.qualifiers, **keep.qualifiers}
    if merged == dict(keep.qualifiers):
        return keep
    return replace(keep, qualifiers=merged)


def extract_article(article: Article) -> list[Relation]:
    """Parse ``article.text`` and return its relations."""
    return next(extract_articles([article]))[1]


def extract_articles(
    articles: Iterable[Article], *, batch_size: int = 32, n_process: int = 1
) -> Iterator[tuple[Article, list[Relation]]]:
    """Parse many articles with ``nlp.pipe`` (over ``n_process`` processes) and yield
    each with its relations, in input order. A text longer than the model's
    ``max_length`` is parsed in pieces cut at paragraph breaks."""
    nlp = get_nlp()
    items = list(articles)
    pieces = [(i, offset, text) for i, a in enumerate(items) for offset, text in split_text(a.text, nlp.max_length)]
    docs = nlp.pipe((text for _, _, text in pieces), batch_size=batch_size, n_process=n_process)
    current, found = 0, []
    for (index, offset, _text), doc in zip(pieces, docs, strict=True):
        while index != current:
            yield items[current], found
            current, found = current + 1, []
        found += relations_from_doc(doc, items[index], offset)
    while current < len(items):
        yield items[current], found
        current, found = current + 1, []


def merge_duplicates(relations: Iterable[Relation]) -> list[Relation]:
    """One relation per (subject, predicate, object), and per amount for valuations: the
    one the rules rank first (prior), its missing qualifiers filled from the others (the same fact stated
    in several sentences)."""
    groups: dict[tuple, list[list[Relation]]] = {}
    for r in relations:
        k = (r.subject, r.predicate, r.object) if r.predicate == "valued_at" else _key(r)[:3]
        bucket = groups.setdefault(k, [])
        same = next((g for g in bucket if r.predicate != "valued_at" or _same_amount(g[0], r)), None)
        if same is None:
            bucket.append([r])
        else:
            same.append(r)
    out = []
    for group in (g for bucket in groups.values() for g in bucket):
        group.sort(key=lambda r: (-_prior(r), -r.confidence))
        merged = group[0]
        for other in group[1:]:
            merged = _merge_qualifiers(merged, other)
        out.append(merged)
    return out


def to_prediction(article: Article, relation: Relation) -> dict:
    """A relation in the evaluation's JSON Lines format (../shared/eval/README.md)."""
    qualifiers = {k: v for k, v in relation.qualifiers.items() if k in ("amount_usd", "stake_pct", "date", "role")}
    return {
        "article": article.name,
        "subject": relation.subject_label,
        "predicate": relation.predicate,
        "object": relation.object_label,
        "qualifiers": qualifiers,
        "status": relation.status,
        "evidence": relation.evidence,
        "confidence": relation.confidence,
    }
