"""Scoring extracted relations against hand-annotated gold relations.

The rules are those of the project's evaluation (``../shared/eval/README.md``): a
prediction is correct when the same article's gold holds the same predicate
between the same entities, names compared after case folding and punctuation
removal through the gold entity's aliases; ``competitor_of`` and ``partner_of``
are symmetric; ``valued_at`` compares amounts within 2%; duplicates count once.
Qualifiers (amount, stake, date) are scored on correct relations.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from extractors.records import SYMMETRIC

__all__ = ["Score", "label_predictions", "normalize_name", "score"]

_SUFFIXES = re.compile(r"\b(inc|inc\.|corp|corporation|co|ltd|llc|plc)\b\.?$")
_AMOUNT = re.compile(r"([\d.]+)\s*([kmbt]|thousand|million|billion|trillion)?")
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "b": 1e9, "billion": 1e9, "t": 1e12, "trillion": 1e12}


def normalize_name(name: str) -> str:
    """Case-folded name without punctuation, possessive or legal suffix.

    >>> normalize_name("Meta Platforms Inc.")
    'meta platforms'
    >>> normalize_name("Scale’s")
    'scale'
    """
    s = unicodedata.normalize("NFKC", str(name)).replace("’", "'").casefold().strip()
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"[^\w&$. ]+", " ", s)
    s = _SUFFIXES.sub("", s.strip())
    return re.sub(r"\s+", " ", s).strip(" .")


def _amount(relation: Mapping) -> float | None:
    value = (relation.get("qualifiers") or {}).get("amount_usd")
    if isinstance(value, int | float):
        return float(value)
    m = _AMOUNT.search(str(relation.get("object", "")).lower())
    if not m:
        return None
    try:
        return float(m.group(1)) * _SCALE.get(m.group(2) or "", 1)
    except ValueError:
        return None


@dataclass
class Score:
    """Counts per predicate, qualifier checks and the listed errors."""

    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    qualifiers: Counter = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @staticmethod
    def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def overall(self) -> tuple[float, float, float]:
        return self.prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))

    def per_predicate(self) -> dict[str, tuple[float, float, float, int, int, int]]:
        names = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        return {k: (*self.prf(self.tp[k], self.fp[k], self.fn[k]), self.tp[k], self.fp[k], self.fn[k]) for k in names}

    def qualifier_accuracy(self) -> float | None:
        checked = sum(self.qualifiers.values())
        return self.qualifiers[True] / checked if checked else None


def _key(relation: Mapping, resolve) -> tuple:
    predicate = relation["predicate"]
    subject = resolve(relation["subject"])
    if predicate == "valued_at":
        return (subject, predicate, ("$", _amount(relation)))
    obj = resolve(relation["object"])
    if predicate in SYMMETRIC and obj < subject:
        subject, obj = obj, subject
    return (subject, predicate, obj)


def _same(a: tuple, b: tuple) -> bool:
    if a[1] == b[1] == "valued_at":
        x, y = a[2][1], b[2][1]
        return a[0] == b[0] and bool(x) and bool(y) and abs(x - y) <= 0.02 * max(x, y)
    return a == b


def _qualifier_ok(name: str, gold, predicted) -> bool:
    if predicted is None:
        return False
    if name in ("amount_usd", "stake_pct"):
        return abs(float(predicted) - float(gold)) <= 0.01 * abs(float(gold))
    return str(predicted).startswith(str(gold))


def _resolver(article: Mapping):
    aliases: dict[str, str] = {}
    for entity in article["entities"]:
        for alias in (entity["name"], *entity.get("aliases", [])):
            aliases.setdefault(normalize_name(alias), entity["name"])

    def resolve(name: str) -> str:
        return aliases.get(normalize_name(name), normalize_name(name))

    return resolve


def label_predictions(gold: Iterable[Mapping], predictions: list[Mapping]) -> list[bool]:
    """For each prediction, whether the gold of its article holds that relation (the
    scorer's matching, without its once-per-article counting): training labels."""
    articles = {a["file"]: (a, _resolver(a)) for a in gold}
    keys = {f: [_key(g, r) for g in a["relations"]] for f, (a, r) in articles.items()}
    out = []
    for p in predictions:
        if p.get("article") not in articles:
            out.append(False)
            continue
        key = _key(p, articles[p["article"]][1])
        out.append(any(_same(key, g) for g in keys[p["article"]]))
    return out


def score(gold: Iterable[Mapping], predictions: Iterable[Mapping]) -> Score:
    """Score ``predictions`` (dicts in the evaluation's format) against ``gold``."""
    result = Score()
    by_article: dict[str, list[Mapping]] = {}
    for p in predictions:
        by_article.setdefault(p.get("article", ""), []).append(p)
    for article in gold:
        resolve = _resolver(article)
        gold_keys: dict[tuple, Mapping] = {}
        for g in article["relations"]:
            gold_keys.setdefault(_key(g, resolve), g)
        predicted: dict[tuple, Mapping] = {}
        for p in by_article.get(article["file"], []):
            if all(k in p for k in ("subject", "predicate", "object")):
                predicted.setdefault(_key(p, resolve), p)
        matched: set[tuple] = set()
        for key, p in predicted.items():
            hit = next((g for g in gold_keys if g not in matched and _same(key, g)), None)
            line = f"{article['file']}: {p['subject']} {key[1]} {p['object']} | {p.get('evidence', '')}"
            if hit is None:
                result.fp[key[1]] += 1
                result.false_positives.append(line)
                continue
            matched.add(hit)
            result.tp[key[1]] += 1
            gold_q, pred_q = gold_keys[hit].get("qualifiers") or {}, p.get("qualifiers") or {}
            for name, value in gold_q.items():
                if name != "role" and value is not None:
                    result.qualifiers[_qualifier_ok(name, value, pred_q.get(name))] += 1
        for key, g in gold_keys.items():
            if key not in matched:
                result.fn[key[1]] += 1
                result.missed.append(
                    f"{article['file']}: {g['subject']} {g['predicate']} {g['object']} | {g['evidence']}"
                )
    return result
