"""Calibrated confidence: how often a relation found this way is right.

Each candidate is described by a few features of how it was found (the rule family,
the relation, how each end was named, whether the ends are in the catalogue, their
distance, the sentence's crowding, the modality and the rule's own prior). A logistic
model over them, trained by ``python -m extractors.calibrate`` on annotated articles
and shipped as ``confidence.json``, turns them into a probability. Without that file
the rule's prior is the confidence.

>>> features = {"predicate": "leads", "rule": "title", "prior": 0.85}
>>> 0.0 < calibrated(features, 0.85) < 1.0
True
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from spacy.tokens import Span

__all__ = ["MODEL", "calibrated", "candidate_features", "load_model", "vectorize"]

MODEL = files(__package__) / "confidence.json"


def candidate_features(candidate, sent: Span) -> dict[str, Any]:
    """What the confidence model reads about one candidate (a :class:`~extractors.frames.Candidate`)."""
    subject, obj = candidate.subject, candidate.object
    ends = [subject] if obj is None else [subject, obj]
    distance = 0 if obj is None else max(0, max(subject.start, obj.start) - min(subject.end, obj.end))
    return {
        "predicate": candidate.predicate,
        "rule": candidate.rule or "other",
        "subject_via": subject.via,
        "object_via": obj.via if obj is not None else "amount",
        "in_catalogue": sum(m.entity.in_catalogue for m in ends),
        "log_distance": math.log1p(distance),
        "log_sentence_length": math.log1p(len(sent)),
        "status": candidate.status,
        "prior": float(candidate.confidence),
    }


def vectorize(features: Mapping[str, Any]) -> dict[str, float]:
    """Features as the model's named inputs: strings one-hot ("rule=title"), numbers as
    they are, and the relation crossed with the rule family."""
    out: dict[str, float] = {}
    for key, value in features.items():
        if isinstance(value, str):
            out[f"{key}={value}"] = 1.0
        else:
            out[key] = float(value)
    if "predicate" in features and "rule" in features:
        out[f"predicate*rule={features['predicate']}*{features['rule']}"] = 1.0
    return out


@functools.cache
def load_model() -> tuple[float, dict[str, float]] | None:
    """The shipped model (intercept, weights by input name), or None when absent."""
    try:
        data = json.loads(MODEL.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return float(data["intercept"]), {k: float(v) for k, v in data["weights"].items()}


def calibrated(features: Mapping[str, Any], prior: float) -> float:
    """The probability that a relation with these features is right (``prior`` without a model)."""
    model = load_model()
    if model is None or not features:
        return prior
    intercept, weights = model
    z = intercept + sum(weights.get(k, 0.0) * v for k, v in vectorize(features).items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
