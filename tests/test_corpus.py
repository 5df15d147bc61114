"""The bundled sample corpus: formats, shape, and written in our own words."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import pytest

CORPUS = Path(str(files("extractors.corpus")))
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _articles():
    return sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".html", ".jsonl"))


def test_corpus_has_every_format():
    suffixes = [p.suffix for p in _articles()]
    assert len(suffixes) >= 12 and {".md", ".html", ".jsonl"} <= set(suffixes)


def test_corpus_markdown_has_title_and_date():
    for path in CORPUS.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# ") and "\nPublished: 20" in text, path.name


def test_corpus_jsonl_rows_have_text():
    for path in CORPUS.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            assert json.loads(line)["text"].strip()


@pytest.mark.skipif(not SEEDS.exists(), reason="../shared/seeds is not present")
def test_corpus_copies_no_seed_sentence():
    seed_lines = {ln.strip() for p in SEEDS.glob("*.txt") for ln in p.read_text(encoding="utf-8").splitlines()}
    seed_lines = {ln for ln in seed_lines if len(ln) > 40}
    for path in _articles():
        for line in path.read_text(encoding="utf-8").splitlines():
            assert line.strip() not in seed_lines, f"{path.name} copies a seed line"
