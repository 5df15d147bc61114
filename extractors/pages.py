"""An HTML page to an article: main text, title, date, canonical URL and site, by trafilatura.

trafilatura finds the main text (navigation, cookie banners, related stories, comments and
newsletter boxes left out) and the metadata; htmldate, on a tree parsed here, dates a page
trafilatura could not date. The text then goes through :func:`extractors.clean.clean_text`
as plain text (wire datelines, tickers and chrome lines dropped, paragraphs kept). The
hand-written cleaner reads the page itself only where trafilatura finds no main text (text
in a bare table cell, a lone short line), and its chrome boxes (by role, class or id in
``chrome.json``) are removed before trafilatura reads the page: there it still does better
(README, "Web pages").
No function here fetches anything: trafilatura and htmldate are given markup, never a URL.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from extractors.clean import Cleaned, _chrome, clean_text
from extractors.dates import parse_published

__all__ = ["Page", "decode_page", "read_page"]


@dataclass(frozen=True)
class Page:
    """A read page: the cleaned article, its canonical URL and site name, when known;
    ``by`` says which reader found the text (``trafilatura`` or ``cleaner``)."""

    cleaned: Cleaned
    canonical: str | None = None
    site: str | None = None
    by: str = "trafilatura"


def decode_page(body: bytes, charset: str | None = None) -> str:
    """The text of a fetched body: the declared charset, else what trafilatura detects."""
    if charset:
        try:
            return body.decode(charset, "replace")
        except LookupError:
            pass
    from trafilatura.utils import decode_file

    text = decode_file(body)
    return text if isinstance(text, str) else body.decode("utf-8", "replace")


def _canonical(found: str | None, base: str | None) -> str | None:
    from extractors.fetch import is_url

    if not found:
        return None
    url = urljoin(base, found) if base else found
    return url if is_url(url) else None


def _htmldate(raw: str) -> str | None:
    """htmldate's original publication date of the page, on a tree (never a URL string)."""
    import lxml.html
    from htmldate import find_date

    try:
        tree = lxml.html.fromstring(raw)
        found = find_date(tree, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # a page htmldate cannot read has no date from it
        return None
    return parse_published(found) if found else None


#: Elements never read as text, removed before trafilatura sees the page (it keeps ``<noscript>``).
_NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object", "canvas", "dialog", "button",
               "select")  # fmt: skip


#: Boxes dropped by class are kept when less than this share of the page's text would be left.
_KEEP_SHARE = 0.4


def _chrome_box(element, chrome) -> bool:
    """An element the cleaner drops by role or by a word of its class or id (``chrome.json``)."""
    if not isinstance(element.tag, str) or element.tag in chrome.keep_tags:
        return False
    if element.get("role", "").lower() in chrome.drop_roles:
        return True
    words = re.split(r"[\s_-]+", f"{element.get('class', '')} {element.get('id', '')}".lower())
    return not chrome.drop_class_words.isdisjoint(words)


def _stripped(raw: str):
    """The page as an lxml tree without the elements that are never text, hidden ones, and
    the boxes the cleaner knows as chrome by role, class or id (an inline sign-up box that
    trafilatura keeps); those boxes stay when dropping them would lose most of the text (a
    class word naming a wrapper of the whole article)."""
    import lxml.html

    tree = lxml.html.document_fromstring(raw)
    for element in tree.xpath("//" + " | //".join(_NEVER_TEXT) + " | //*[@hidden]"):
        if element.getparent() is not None:
            element.drop_tree()
    before = len(tree.text_content().strip())
    pruned = copy.deepcopy(tree)
    chrome = _chrome()
    for element in [e for e in pruned.iter() if _chrome_box(e, chrome)]:
        if element.getparent() is not None:
            element.drop_tree()
    return pruned if len(pruned.text_content().strip()) >= _KEEP_SHARE * before else tree


def _stated_url(tree) -> str | None:
    """The URL a page states for itself: ``<link rel=canonical>``, else ``og:url``."""
    for found in tree.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content"):
        if found.strip():
            return found.strip()
    return None


def read_page(raw: str, url: str | None = None, *, title_hint: str | None = None,
              published_hint: str | None = None) -> Page:  # fmt: skip
    """Read one HTML page.

    Parameters
    ----------
    raw : str
        The page's markup.
    url : str, optional
        Where it was fetched from (resolves a relative ``rel=canonical``).
    title_hint, published_hint : str, optional
        A feed item's title and date: used when the page has none.

    Returns
    -------
    Page
        The cleaned article (empty text when the page holds none), with the canonical URL
        (``rel=canonical``, ``og:url``) and site name when the page states them.
    """
    import trafilatura

    if not raw.strip():
        return Page(Cleaned(""), by="cleaner")
    stated = None
    try:
        tree = _stripped(raw)
        stated = _stated_url(tree)
        options = {"include_comments": False, "include_tables": True, "include_images": False, "deduplicate": False}
        doc = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **options)
    except Exception:  # markup trafilatura cannot read is read by the cleaner
        doc = None
    fallback = clean_text(raw, "html", title_hint=title_hint, published_hint=published_hint)
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        return Page(fallback, by="cleaner")
    title = doc.title or title_hint or fallback.title
    published = parse_published(doc.date) if doc.date else None
    published = (
        published or _htmldate(raw) or fallback.published or (published_hint and parse_published(published_hint))
    )
    body = "\n\n".join(line.strip() for line in text.split("\n") if line.strip())
    cleaned = clean_text(body, "txt", title_hint=title, published_hint=published)
    if not cleaned.text.strip():  # trafilatura kept only the title, or nothing
        return Page(fallback, _canonical(stated, url), doc.sitename or None, by="cleaner")
    return Page(cleaned, _canonical(stated, url), doc.sitename or None)
