"""Shared fixtures: the spaCy pipeline is loaded once for the whole session."""

from __future__ import annotations

import pytest

from extractors.records import Article


@pytest.fixture(scope="session")
def extract():
    """Extract relations from a text, as one article."""
    from extractors.pipeline import extract_article

    def run(text: str, published: str | None = None):
        return extract_article(Article("test", "test.txt", "test.txt", text, published=published))

    return run
