"""The entity catalogue (``entities.ttl``) read into plain records."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources.abc import Traversable
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SKOS
from rdflib.term import URIRef

from ontology import CATALOGUE, ENTITY_NS, LG_NS
from ontology.namespace import LG

__all__ = ["NO_CATALOGUE_ENV", "Entity", "catalogue_enabled", "load_catalogue", "market_entities", "slugify"]

#: Set to ``1`` to extract without the catalogue's entities (names, short names,
#: descriptors); the ontology's classes stay. Measures how far the extractor generalises.
NO_CATALOGUE_ENV = "LABELGRAPH_NO_CATALOGUE"

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


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


def slugify(name: str) -> str:
    """Make an entity slug: lowercase ASCII letters, digits and single hyphens.

    Parameters
    ----------
    name : str
        Any name, as written in an article or the catalogue.

    Returns
    -------
    str
        The name decomposed (NFKD) and reduced to ASCII, lowercased, with every run of
        other characters replaced by one hyphen and no hyphen at either end;
        ``"entity"`` when nothing is left.

    Examples
    --------
    >>> slugify("Scale AI")
    'scale-ai'
    >>> slugify("Défense  Ltd.")
    'defense-ltd'
    >>> slugify("¿?")
    'entity'
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = _NON_ALNUM.sub("-", ascii_name.lower()).strip("-")
    return slug or "entity"


def _texts(graph: Graph, subject: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(value) for value in graph.objects(subject, predicate)))


def _local_type(graph: Graph, subject: URIRef) -> str:
    types = sorted(str(t)[len(LG_NS) :] for t in graph.objects(subject, RDF.type) if str(t).startswith(LG_NS))
    if len(types) != 1:
        raise ValueError(f"catalogue entity {subject} needs exactly one lg: class, has {types}")
    return types[0]


@lru_cache(maxsize=4)
def load_catalogue(path: Traversable | os.PathLike[str] | str = CATALOGUE) -> list[Entity]:
    """Read the entity catalogue.

    The result is cached per ``path`` (the catalogue is read-only data), so every
    caller shares the same list: do not modify it.

    Parameters
    ----------
    path : Traversable, path-like or str, optional
        A Turtle file of entities; the packaged ``entities.ttl`` by default.

    Returns
    -------
    list of Entity
        One record per subject with a ``skos:prefLabel`` in the entity namespace,
        sorted by ``id``; aliases, short names and descriptors as sorted tuples.

    Raises
    ------
    ValueError
        If an entity has other than one preferred label or one ``lg:`` class.

    Examples
    --------
    >>> entities = {entity.id: entity for entity in load_catalogue()}
    >>> scale = entities["scale-ai"]
    >>> scale.label, scale.type, scale.short_names
    ('Scale AI', 'DataVendor', ('Scale',))
    >>> entities["meta"].descriptors[:2]
    ('the Facebook owner', 'the Facebook parent')
    """
    graph = Graph()
    graph.parse(data=_read_text(path), format="turtle")
    entities = []
    for subject in set(graph.subjects(SKOS.prefLabel, None)):
        if not isinstance(subject, URIRef) or not str(subject).startswith(ENTITY_NS):
            continue
        labels = _texts(graph, subject, SKOS.prefLabel)
        if len(labels) != 1:
            raise ValueError(f"catalogue entity {subject} needs exactly one skos:prefLabel, has {labels}")
        entities.append(
            Entity(
                id=str(subject)[len(ENTITY_NS) :],
                label=labels[0],
                type=_local_type(graph, subject),
                aliases=_texts(graph, subject, SKOS.altLabel),
                short_names=_texts(graph, subject, LG.shortName),
                descriptors=_texts(graph, subject, LG.descriptor),
            )
        )
    return sorted(entities, key=lambda entity: entity.id)


def catalogue_enabled() -> bool:
    """False when the environment variable :data:`NO_CATALOGUE_ENV` is set to a true value."""
    return os.environ.get(NO_CATALOGUE_ENV, "").strip().lower() in ("", "0", "false", "no")


def market_entities() -> list[Entity]:
    """The catalogue's entities for extraction: :func:`load_catalogue`, or none when
    :func:`catalogue_enabled` is false (the one place the switch is read)."""
    return load_catalogue() if catalogue_enabled() else []


def _read_text(path: Traversable | os.PathLike[str] | str) -> str:
    if isinstance(path, str | os.PathLike):
        path = Path(path)
    return path.read_text(encoding="utf-8")
