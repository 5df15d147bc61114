"""The typed records that flow from reading an article to its relations."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["PREDICATES", "STATUSES", "SYMMETRIC", "Article", "Relation", "Skipped"]

#: The closed relation vocabulary (see README and ../shared/eval/README.md).
PREDICATES = (
    "invested_in",
    "acquired",
    "customer_of",
    "ended_relationship_with",
    "competitor_of",
    "partner_of",
    "works_for",
    "leads",
    "founded",
    "joined",
    "left",
    "valued_at",
    "headquartered_in",
)
SYMMETRIC = frozenset({"competitor_of", "partner_of"})
#: reported: stated as fact; planned: announced, preparing, considering, in talks;
#: completed: stated as done; ended: a relation the text says is over.
STATUSES = ("reported", "planned", "completed", "ended")


@dataclass(frozen=True)
class Article:
    """One article after reading and cleaning.

    ``key`` identifies the article across runs (its URL when known, else its
    file name, ``name.jsonl#7`` for the 7th line of a JSON Lines file); ``name``
    is what the evaluation calls ``article`` (the input file's name). Offsets of
    relations refer to ``text``, the cleaned body.
    """

    key: str
    name: str
    source: str
    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    content_hash: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An input that could not be read, with the reason, for a one-line message."""

    source: str
    reason: str


@dataclass(frozen=True)
class Relation:
    """One relation between two entities, with its evidence.

    ``article`` is the ``Article.key`` of the article it was read from.

    ``subject``/``object`` are entity ids (slugs after ``ENTITY_NS``); for
    ``valued_at`` the object is empty and the amount is in ``qualifiers``.
    ``qualifiers`` may hold ``amount`` (number), ``currency`` (ISO code),
    ``amount_usd`` (number, only for US dollars), ``stake_pct``, ``date`` (ISO
    prefix) and ``role``. ``start``/``end`` are the evidence sentence's character
    offsets in ``Article.text``.
    """

    article: str
    subject: str
    subject_label: str
    subject_type: str
    predicate: str
    object: str
    object_label: str
    object_type: str
    evidence: str
    start: int
    end: int
    status: str = "reported"
    confidence: float = 0.5
    qualifiers: Mapping[str, Any] = field(default_factory=dict)
    #: How the extractor found it (rule, trigger, how each end was named, distance...):
    #: what :mod:`extractors.confidence` scores; not written to the graph.
    features: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
