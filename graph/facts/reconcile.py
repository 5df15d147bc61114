"""Mentions to facts: a pure function, no store.

A **group** is what reconciliation looks at together: one predicate (``customer_of`` and
``ended_relationship_with`` of the same pair share one, as an ending closes a client
relationship), one subject, one object (symmetric relations sort the pair). Inside a
group every mention is one fact, except for deals (``invested_in``, ``acquired``,
``valued_at``): mentions whose amounts agree within ``TOLERANCE`` and whose stated years
agree are one deal; a mention without an amount joins the deal of its year (the only
deal, or the nearest in time). A $14B and a $29B valuation are two facts; the same
$14.3B stake reported by ten outlets is one.

The combined confidence is a noisy-or over distinct articles, each article counting with
its most confident mention: ``1 - prod(1 - c_article)``.

>>> m = [Mention("e1", "a1", "invested_in", "meta", "scale-ai", "reported", 0.8, "..", date="2025-06",
...              published="2025-06-13", amount_usd=14.3e9),
...      Mention("e2", "a2", "invested_in", "meta", "scale-ai", "reported", 0.5, "..",
...              published="2025-06-20", amount_usd=14e9)]
>>> [f.confidence for f in reconcile(m)], reconcile(m)[0].articles, reconcile(m)[0].conflicting
([0.9], 2, False)
"""

from __future__ import annotations

import hashlib
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from graph.facts.time import Interval, interval, merge, show

__all__ = ["DEALS", "Fact", "Mention", "group_key", "reconcile"]

DEALS = frozenset({"invested_in", "acquired", "valued_at"})
SYMMETRIC = frozenset({"competitor_of", "partner_of"})
#: Amounts within this relative difference are the same deal ($14B and $14.3B are).
TOLERANCE = 0.1
#: Status order: a later stage wins as the latest status.
RANK = {"planned": 0, "reported": 1, "completed": 2, "ended": 3}
FACT_NS = "https://w3id.org/labelgraph/fact/"


@dataclass(frozen=True)
class Mention:
    """One relation event as stored (one sentence of one article)."""

    event: str
    article: str
    predicate: str
    subject: str
    object: str | None
    status: str
    confidence: float
    evidence: str
    date: str | None = None  # as stated in the sentence
    published: str | None = None  # the article's date
    amount_usd: float | None = None
    stake: float | None = None
    title: str | None = None
    start: int = 0
    end: int = 0

    @property
    def when(self) -> str | None:
        """The date the mention speaks of: stated, else its article's."""
        return self.date or self.published

    @property
    def span(self) -> Interval | None:
        """The days of :attr:`when`, never after the article reporting it."""
        stated, report = interval(self.date), interval(self.published)
        if stated is None:
            return report
        if report is not None and report.hi < stated.hi and report.hi >= stated.lo:
            return Interval(stated.lo, report.hi)
        return stated


@dataclass
class Fact:
    """One market fact with its evidence ledger."""

    iri: str
    group: str
    predicate: str
    subject: str
    object: str | None
    mentions: list[Mention]
    status: str = "reported"
    statuses: list[tuple[str | None, str]] = field(default_factory=list)
    start: str | None = None
    end: str | None = None
    first_reported: str | None = None
    last_reported: str | None = None
    amount_usd: float | None = None
    stake: float | None = None
    confidence: float = 0.0
    articles: int = 0
    conflicts: list[str] = field(default_factory=list)

    @property
    def conflicting(self) -> bool:
        return bool(self.conflicts)

    @property
    def date(self) -> str | None:
        """Start, else first reported."""
        return self.start or self.first_reported


def _family(predicate: str) -> str:
    return "customer_of" if predicate == "ended_relationship_with" else predicate


def group_key(predicate: str, subject: str, obj: str | None) -> str:
    """The reconciliation group of a mention: ``family|subject|object``."""
    ends = sorted((subject, obj or "")) if predicate in SYMMETRIC else [subject, obj or ""]
    return "|".join([_family(predicate), *ends])


def _hex(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


def _year(m: Mention) -> str | None:
    return m.date[:4] if m.date else None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b))


def _deals(mentions: list[Mention]) -> list[list[Mention]]:
    """Mentions of one deal group split into deals by amount and stated year."""
    clusters: list[list[Mention]] = []
    for m in sorted((m for m in mentions if m.amount_usd), key=lambda m: m.amount_usd):
        home = next(
            (c for c in clusters if _close(c[0].amount_usd, m.amount_usd) and _years_agree(c, m)),
            None,
        )
        if home is None:
            clusters.append([m])
        else:
            home.append(m)
    loose = [m for m in mentions if not m.amount_usd]
    for m in sorted(loose, key=lambda m: (m.when or "", m.event)):
        if not clusters:
            clusters.append([m])
            continue
        same_year = [c for c in clusters if _years_agree(c, m)]
        candidates = same_year or clusters
        clusters_by_gap = sorted(candidates, key=lambda c: (_gap(c, m), -len(c)))
        clusters_by_gap[0].append(m)
    return clusters


def _years_agree(cluster: list[Mention], m: Mention) -> bool:
    years = {_year(x) for x in cluster} - {None}
    mine = _year(m) or ((m.published or "")[:4] if not m.amount_usd else None)
    return not years or mine is None or mine in years


def _gap(cluster: list[Mention], m: Mention) -> int:
    def days(d: str | None) -> int:
        return int(d[:4]) * 372 + int(d[5:7] or 1) * 31 + int(d[8:10] or 1) if d and len(d) >= 4 else 0

    mine = days((m.span or Interval("", "")).lo)
    return min(abs(days((x.span or Interval("", "")).lo) - mine) for x in cluster)


def _combined(mentions: list[Mention]) -> tuple[float, int]:
    best: dict[str, float] = {}
    for m in mentions:
        best[m.article] = max(best.get(m.article, 0.0), m.confidence)
    miss = math.prod(1.0 - c for c in best.values())
    return round(1.0 - miss, 3), len(best)


def _mode(values: list[float]) -> float | None:
    if not values:
        return None
    counts: dict[float, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda v: (counts[v], v))


def _rounded(coarse: float, fine: float) -> bool:
    """True when ``coarse`` is ``fine`` rounded to fewer significant digits ($14B for $14.3B)."""
    digits = len(f"{coarse:.6g}".split("e")[0].replace(".", "").replace("-", "").rstrip("0")) or 1
    return float(f"{fine:.{digits}g}") == coarse


def _conflicts(mentions: list[Mention]) -> list[str]:
    """The values the mentions disagree on (a rounded amount is not a disagreement)."""
    out = []
    amounts = sorted({m.amount_usd for m in mentions if m.amount_usd})
    if any(not (_rounded(a, b) or _rounded(b, a)) for a, b in itertools.combinations(amounts, 2)):
        out.append("amount_usd: " + ", ".join(f"{a:.6g}" for a in amounts))
    stakes = sorted({m.stake for m in mentions if m.stake})
    if len(stakes) > 1:
        out.append("stake_pct: " + ", ".join(f"{s:g}" for s in stakes))
    spans = [s for s in (interval(m.date) for m in mentions) if s]
    if spans and max(s.lo for s in spans) > min(s.hi for s in spans):
        out.append("date: " + ", ".join(sorted({m.date for m in mentions if m.date})))
    return out


def _history(mentions: list[Mention]) -> list[tuple[str | None, str]]:
    """Each status with the first date it is reported for, in time order."""
    first: dict[str, str | None] = {}
    for m in mentions:
        when = m.date or m.published
        if m.status not in first or (when and (first[m.status] is None or when < first[m.status])):
            first[m.status] = when
    order = sorted(first.items(), key=lambda kv: (kv[1] is None, kv[1] or "", RANK.get(kv[0], 1)))
    return [(date, status) for status, date in order]


def _when(mentions: list[Mention]) -> Interval | None:
    """When what ``mentions`` report happened: their stated dates taken together, no later
    than the first report of a mention that states no date (it happened by then); the first
    report when no mention states a date."""
    stated = merge([s for s in (m.span for m in mentions if m.date) if s])
    reports = [r for r in (interval(m.published) for m in mentions if not m.date) if r]
    first = min(reports) if reports else None
    if stated is None or (first is not None and first.hi < stated.lo):
        return first if first is not None else stated
    if first is not None and first.hi < stated.hi:
        return Interval(stated.lo, first.hi)
    return stated


def _fact(group: str, predicate: str, mentions: list[Mention], endings: list[Mention], extra: str) -> Fact:
    mentions = sorted(mentions, key=lambda m: (m.when or "9999", m.article, m.start))
    m0 = mentions[0]
    obj = m0.object
    subject = m0.subject
    if predicate in SYMMETRIC:
        subject, obj = sorted((m0.subject, m0.object or ""))
    confidence, articles = _combined(mentions)
    reports = sorted(m.published for m in mentions if m.published)
    active = [m for m in mentions if m.status in ("reported", "completed")]
    start = _when(active)
    closing = [m for m in [*mentions, *endings] if m.status == "ended"]
    end = _when(closing)
    history = _history([*mentions, *(m for m in endings if m.status == "ended")])
    status = max((s for _, s in history), key=lambda s: RANK.get(s, 1))
    return Fact(
        iri=FACT_NS + _hex(group, extra),
        group=group,
        predicate=predicate,
        subject=subject,
        object=obj,
        mentions=mentions,
        status=status,
        statuses=history,
        start=show(start),
        end=show(end),
        first_reported=reports[0] if reports else None,
        last_reported=reports[-1] if reports else None,
        amount_usd=_mode([m.amount_usd for m in mentions if m.amount_usd]),
        stake=_mode([m.stake for m in mentions if m.stake]),
        confidence=confidence,
        articles=articles,
        conflicts=_conflicts(mentions),
    )


def reconcile(mentions: Iterable[Mention]) -> list[Fact]:
    """The facts the ``mentions`` support, in a stable order."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        groups.setdefault(group_key(m.predicate, m.subject, m.object), []).append(m)
    facts = []
    for key in sorted(groups):
        by_predicate: dict[str, list[Mention]] = {}
        for m in groups[key]:
            by_predicate.setdefault(m.predicate, []).append(m)
        endings = by_predicate.get("ended_relationship_with", [])
        for predicate in sorted(by_predicate):
            found = by_predicate[predicate]
            if predicate in DEALS:
                for deal in _deals(found):
                    amount = _mode([m.amount_usd for m in deal if m.amount_usd])
                    years = sorted({_year(m) for m in deal} - {None})
                    tag = f"{amount:.2g}" if amount else ""
                    facts.append(_fact(key, predicate, deal, [], f"{predicate}|{tag}|{years[:1]}"))
            else:
                closing = endings if predicate == "customer_of" else []
                facts.append(_fact(key, predicate, found, closing, predicate))
    seen: dict[str, int] = {}
    for f in facts:  # two deals whose tags coincide still get two IRIs
        n = seen.get(f.iri, 0)
        seen[f.iri] = n + 1
        if n:
            f.iri = f"{f.iri[:-4]}{_hex(f.iri, n)[:4]}"
    return facts
