"""The entity catalogue (``entities.ttl``) read into plain records."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entity", "load_catalogue", "slugify"]


@dataclass(frozen=True)
class Entity:
    """A company, person or place of the market.

    ``id`` is the slug after ``ENTITY_NS`` (``"scale-ai"``); ``type`` is the local
    name of its most specific class in ``labelgraph.ttl`` (``"DataVendor"``,
    ``"Person"``, ``"Place"``...). ``aliases`` are names that always mean this
    entity; ``short_names`` mean it only after its full name appeared in the same
    article ("Scale" for Scale AI); ``descriptors`` are noun phrases that refer to
    it in prose ("the social media giant").
    """

    id: str
    label: str
    type: str
    aliases: tuple[str, ...] = ()
    short_names: tuple[str, ...] = ()
    descriptors: tuple[str, ...] = ()
    in_catalogue: bool = True


def slugify(name: str) -> str:  # pragma: no cover - replaced by the ontology work
    raise NotImplementedError


def load_catalogue() -> list[Entity]:  # pragma: no cover - replaced by the ontology work
    raise NotImplementedError
