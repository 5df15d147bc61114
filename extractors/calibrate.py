"""Train the confidence model (``extractors/confidence.json``) on annotated articles.

Usage::

    python -m extractors.calibrate ARTICLE... --gold GOLD.json [--out PATH] [--folds 5]

Every relation the extractor finds (one per sentence, before duplicates are merged) is
labelled right or wrong against the gold, and a logistic regression over
:func:`extractors.confidence.candidate_features` is fitted. Before the final fit on
all articles, it is measured by article-grouped cross-validation (no article is ever
scored by a model that saw it), against the rules' own priors: Brier score and expected
calibration error, and a reliability table. Needs scikit-learn (``pip install
'.[train]'``); nothing here runs at extraction time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

__all__ = ["calibration_report", "main", "training_rows"]


def training_rows(paths: list[Path], gold: list[dict]) -> tuple[list[dict], list[bool], list[str]]:
    """Features, labels and article names of every relation found in ``paths``."""
    from extractors.evaluation import label_predictions
    from extractors.pipeline import extract_articles, to_prediction
    from extractors.reader import read_paths
    from extractors.records import Skipped

    articles = [a for a in read_paths(paths) if not isinstance(a, Skipped)]
    features, predictions, groups = [], [], []
    for article, relations in extract_articles(articles):
        for r in relations:
            features.append(dict(r.features))
            predictions.append(to_prediction(article, r))
            groups.append(article.name)
    return features, label_predictions(gold, predictions), groups


def _bins(probabilities, labels, n: int = 5) -> list[tuple[float, float, float, int]]:
    rows = []
    for i in range(n):
        lo, hi = i / n, (i + 1) / n
        idx = [j for j, p in enumerate(probabilities) if lo <= p < hi or (i == n - 1 and p == 1.0)]
        if idx:
            mean_p = sum(probabilities[j] for j in idx) / len(idx)
            rate = sum(labels[j] for j in idx) / len(idx)
            rows.append((lo, hi, round(mean_p, 3), round(rate, 3), len(idx)))
    return rows


def calibration_report(probabilities: list[float], labels: list[bool]) -> dict:
    """Brier score, expected calibration error (5 bins) and the reliability table."""
    n = len(labels)
    brier = sum((p - y) ** 2 for p, y in zip(probabilities, labels, strict=True)) / n
    table = _bins(probabilities, labels)
    ece = sum(count / n * abs(mean_p - rate) for _, _, mean_p, rate, count in table)
    return {"brier": round(brier, 4), "ece": round(ece, 4), "bins": table}


def _fit(x_rows: list[dict], labels: list[bool]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from extractors.confidence import vectorize

    vec = DictVectorizer()
    x = vec.fit_transform([vectorize(f) for f in x_rows])
    model = LogisticRegression(C=0.5, max_iter=2000).fit(x, labels)
    return vec, model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors.calibrate", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--gold", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("confidence.json"))
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    try:
        from sklearn.model_selection import GroupKFold
    except ImportError:
        print("calibrate: scikit-learn is needed: pip install '.[train]'", file=sys.stderr)
        return 2
    from extractors.confidence import vectorize

    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    features, labels, groups = training_rows(args.paths, gold)
    if len(set(labels)) < 2:
        print("calibrate: need both right and wrong relations to learn from", file=sys.stderr)
        return 2
    held_out = [0.0] * len(labels)
    for train, test in GroupKFold(n_splits=args.folds).split(features, labels, groups):
        vec, model = _fit([features[i] for i in train], [labels[i] for i in train])
        probs = model.predict_proba(vec.transform([vectorize(features[i]) for i in test]))[:, 1]
        for i, p in zip(test, probs, strict=True):
            held_out[i] = float(p)
    priors = [min(1.0, max(0.0, float(f.get("prior", 0.5)))) for f in features]
    report = {
        "relations": len(labels),
        "right": sum(labels),
        "articles": len(set(groups)),
        "folds": args.folds,
        "rule_priors": calibration_report(priors, labels),
        "learned_cross_validated": calibration_report(held_out, labels),
    }
    vec, model = _fit(features, labels)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), model.coef_[0], strict=True)}
    data = {
        "_comment": "Written by python -m extractors.calibrate; see extractors/confidence.py.",
        "intercept": round(float(model.intercept_[0]), 5),
        "weights": dict(sorted(weights.items())),
        "report": report,
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
