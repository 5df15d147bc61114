"""Relations from job titles next to a person's name.

"Scale CEO Alexandr Wang", "Scale's chief executive, Alexandr Wang,", "Jane Doe,
co-founder and CEO of Acme", "its CFO Sarah Lee": a title between a person and an
organization gives ``leads``, ``works_for`` or ``founded``, with the title as
``role``. A title preceded by "former" gives nothing.
"""

from __future__ import annotations

import functools
import json
from importlib.resources import files

from spacy.tokens import Doc, Span

from extractors.entities import Mention, is_org, is_person
from extractors.frames import Candidate, Context, resolve_pronoun

__all__ = ["role_candidates", "titles"]

DATA = files(__package__) / "roles.json"
_POSSESSIVE = {"'s", "’s", "'", "’"}
_WINDOW = 10


@functools.cache
def titles() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Title token sequences -> the predicates they give."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out: dict[tuple[str, ...], list[str]] = {}
    for predicate in ("leads", "works_for", "founded"):
        for title in data[predicate]:
            key = tuple(title.replace("-", " - ").split())
            out.setdefault(key, []).append(predicate)
    return {k: tuple(v) for k, v in out.items()}


@functools.cache
def _former() -> frozenset[str]:
    return frozenset(json.loads(DATA.read_text(encoding="utf-8"))["former"])


def _title_ending_at(doc: Doc, end: int, start_limit: int) -> tuple[int, tuple[str, ...]] | None:
    """The longest title whose last token is ``end - 1``."""
    best = None
    for key in titles():
        n = len(key)
        start = end - n
        if start < start_limit:
            continue
        if tuple(t.lower_ for t in doc[start:end]) == key and (best is None or n > len(best[1])):
            best = (start, key)
    return best


def _title_starting_at(doc: Doc, start: int, end_limit: int) -> tuple[int, tuple[str, ...]] | None:
    best = None
    for key in titles():
        n = len(key)
        if start + n > end_limit:
            continue
        if tuple(t.lower_ for t in doc[start : start + n]) == key and (best is None or n > len(best[1])):
            best = (start + n, key)
    return best


def _org_before(index: int, ctx: Context, sent_start: int) -> Mention | None:
    """The organization named right before token ``index`` ("Scale's", "Scale", "its")."""
    doc = ctx.doc
    i = index - 1
    if i < sent_start:
        return None
    if doc[i].text in _POSSESSIVE:
        i -= 1
    if i < sent_start:
        return None
    mention = ctx.mentions.at(i)
    if mention is not None and is_org(mention.entity):
        return mention
    if doc[i].lower_ in ("its", "their"):
        return resolve_pronoun(doc[i], ctx)
    return None


def _emit(person: Mention, org: Mention, key: tuple[str, ...], trigger, confidence: float) -> list[Candidate]:
    role = " ".join(key).replace(" - ", "-")
    role = role.upper() if len(role) <= 3 else role
    trust = min(person.trust, org.trust) * confidence
    return [
        Candidate(person, predicate, org, trigger, trust, "reported", {"role": role}, "title")
        for predicate in titles()[key]
    ]


def role_candidates(sent: Span, ctx: Context) -> list[Candidate]:
    """Titles around each person named in ``sent``."""
    doc = ctx.doc
    out: list[Candidate] = []
    sent_orgs = [m for m in ctx.mentions.within(sent) if is_org(m.entity)]
    for person in ctx.mentions.within(sent):
        if not is_person(person.entity):
            continue
        # Title before the name: "Scale CEO Alexandr Wang", "Scale's chief executive, Alexandr Wang".
        end = person.start
        if end - 1 >= sent.start and doc[end - 1].text == ",":
            end -= 1
        found = _title_ending_at(doc, end, max(sent.start, person.start - _WINDOW))
        if found is not None:
            start, key = found
            if start - 1 >= sent.start and doc[start - 1].lower_ in _former():
                continue
            org = _org_before(start, ctx, sent.start)
            if org is not None and org.start - 1 >= sent.start and doc[org.start - 1].lower_ in _former():
                continue  # "Former Scale AI executive Lucy Guo"
            confidence = 0.85
            if org is None and "leads" in titles()[key] and end == person.start:
                others = [m for m in sent_orgs if m.entity.id != person.entity.id]
                if len({m.entity.id for m in others}) == 1:
                    org, confidence = others[0], 0.6
            if org is not None:
                out += _emit(person, org, key, doc[start], confidence)
                continue
        # Title after the name: "Jane Doe, chief executive of Acme" / "Jane Doe, Acme's CEO".
        i = person.end
        if i < sent.end and doc[i].text == ",":
            i += 1
            while i < sent.end and doc[i].lower_ in ("the", "a", "an", "its", "now", "currently"):
                i += 1
            org = None
            if ctx.mentions.at(i) is not None and is_org(ctx.mentions.at(i).entity):
                org = ctx.mentions.at(i)
                i = org.end
                if i < sent.end and doc[i].text in _POSSESSIVE:
                    i += 1
            if i < sent.end and doc[i].lower_ in _former():
                continue
            found = _title_starting_at(doc, i, sent.end)
            if found is None:
                continue
            after, key = found
            if org is None and after < sent.end and doc[after].lower_ in ("of", "at"):
                org = ctx.mentions.at(after + 1)
                if org is not None and not is_org(org.entity):
                    org = None
            if org is not None:
                out += _emit(person, org, key, doc[i], 0.85)
    return out
