"""Fail when a project file shares a run of N words with an evaluation article.

    python .ci/overlap.py ../shared [N]

The seed and dev articles of ../shared are for measuring, never for copying: no test
sentence, comment, pattern or sample article may repeat N consecutive words of one
(lower-cased, punctuation aside). Prints each offending line; exit 1 if any.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ("extractors", "graph", "ontology", "tests", "notebooks", "docs", "bench")
NAME_LINE = re.compile(r"\s*(?:skos:prefLabel|skos:altLabel|lg:shortName)\b")
SUFFIXES = {".py", ".json", ".jsonl", ".ttl", ".md", ".txt", ".html", ".ipynb", ".rq"}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9$%.']+", text.lower().replace("’", "'"))


def main(shared: Path, n: int) -> int:
    grams: dict[tuple[str, ...], str] = {}
    articles = [*shared.glob("seeds/*.txt"), *shared.glob("eval/dev/articles/*.txt")]
    for path in articles:
        w = words(path.read_text(encoding="utf-8", errors="replace"))
        for i in range(len(w) - n + 1):
            grams.setdefault(tuple(w[i : i + n]), path.name)
    files = [ROOT / "README.md", *(p for d in PROJECT for p in (ROOT / d).rglob("*") if p.suffix in SUFFIXES)]
    hits = 0
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if NAME_LINE.match(line):
                continue  # an organisation's name is a fact, not copied prose
            w = words(line)
            source = next((grams[g] for i in range(len(w) - n + 1) if (g := tuple(w[i : i + n])) in grams), None)
            if source:
                hits += 1
                print(f"{path.relative_to(ROOT)}:{number}: shares {n} words with {source}: {line.strip()[:100]}")
    print(f"overlap: {hits} project line(s) share {n} consecutive words with {len(articles)} evaluation articles")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 6))
