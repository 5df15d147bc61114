"""From raw page text to an article body: HTML stripped, page chrome dropped, title
and publication date found.

The chrome patterns are data (``chrome.json``): whole lines that are navigation,
bylines, share or subscribe boxes are dropped, and a "Read more" / "Related posts"
marker late in the text ends the article, with the teasers that follow it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from importlib.resources import files

from extractors.dates import ABSOLUTE, parse_published

__all__ = ["Cleaned", "clean_text", "html_to_text"]

DATA = files(__package__) / "chrome.json"
_DROP_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "button"}
_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "article", "section", "tr", "blockquote",
               "ul", "ol", "table", "main", "figure", "figcaption"}  # fmt: skip
_PUBLISHED_LINE = re.compile(r"^\s*(published|posted|updated|date)\s*:?\s*(?P<date>.+)$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*[-*•·]\s+")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


@dataclass(frozen=True)
class Cleaned:
    """The article body (paragraphs separated by blank lines), its title and date."""

    text: str
    title: str | None = None
    published: str | None = None


@functools.cache
def _patterns() -> tuple[list[re.Pattern], list[re.Pattern]]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    compile_all = lambda items: [re.compile(p, re.IGNORECASE) for p in items]  # noqa: E731
    return compile_all(data["lines"]), compile_all(data["cut_markers"])


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: str | None = None
        self.published: str | None = None
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "meta":
            prop = (a.get("property") or a.get("name") or "").lower()
            if prop in ("og:title",) and not self.title:
                self.title = a.get("content") or None
            if prop in ("article:published_time", "date", "pubdate", "publish-date") and not self.published:
                self.published = parse_published(a.get("content", ""))
        if tag == "time" and a.get("datetime") and not self.published:
            self.published = parse_published(a["datetime"])
        if tag in _DROP_TAGS:
            self.skip += 1
        if tag == "title":
            self._in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_TAGS and self.skip:
            self.skip -= 1
        if tag == "title":
            self._in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = self.title or data.strip() or None
            return
        if not self.skip:
            self.parts.append(data)


def html_to_text(raw: str) -> tuple[str, str | None, str | None]:
    """Text of an HTML page (scripts, styles, navigation dropped), its title and date."""
    parser = _TextParser()
    parser.feed(raw)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return text, parser.title, parser.published


def _markdown_line(line: str) -> str:
    line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)
    line = re.sub(r"^\s*[-*+]\s+", "", line)
    line = re.sub(r"^\s*>\s?", "", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_EMPHASIS.sub(r"\2", line)


def _paragraphs(text: str) -> list[str]:
    """Paragraphs: blocks separated by blank lines; a short line on its own (a heading,
    a bullet) is its own paragraph."""
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        current: list[str] = []
        for line in lines:
            if current and (len(line) < 80 or len(current[-1]) < 80) and not current[-1].endswith(("-", ",")):
                out.append(" ".join(current))
                current = []
            current.append(line)
        if current:
            out.append(" ".join(current))
    return out


def clean_text(
    raw: str, fmt: str = "txt", *, published_hint: str | None = None, title_hint: str | None = None
) -> Cleaned:
    """Clean one page: ``fmt`` is ``txt``, ``md`` or ``html``."""
    title, published = title_hint, published_hint
    if fmt == "html":
        raw, html_title, html_date = html_to_text(raw)
        title = title or (html_title.strip() if html_title else None)
        published = published or html_date
    raw = unescape(raw) if fmt != "html" else raw
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = raw.split("\n")
    if fmt == "md":
        heading = next((ln for ln in lines if re.match(r"^\s{0,3}#\s+\S", ln)), None)
        if heading and not title:
            title = _markdown_line(heading).strip()
        lines = [_markdown_line(ln) for ln in lines]
    else:
        lines = [_BULLET.sub("", ln) for ln in lines]
    drop, cut = _patterns()
    paragraphs = _paragraphs("\n".join(lines))
    total = sum(len(p) for p in paragraphs) or 1
    kept: list[str] = []
    seen: set[str] = set()
    position = 0
    date_hint = None
    for para in paragraphs:
        position += len(para)
        m = _PUBLISHED_LINE.match(para)
        if m and len(para) < 80:
            published = published or parse_published(m.group("date"))
            continue
        dateline = re.sub(r"\s*[|·•].*$", "", para).strip()
        if len(para) < 80 and ABSOLUTE.fullmatch(dateline):
            published = published or parse_published(dateline)
            continue
        if any(p.match(para) for p in cut) and position / total > 0.6:
            break
        if any(p.match(para) for p in drop):
            if para.lower().startswith("data as of"):
                date_hint = date_hint or parse_published(para[len("data as of") :])
            continue
        if para in seen or (title and para == title and kept):
            continue
        seen.add(para)
        kept.append(para)
    if title is None and kept and len(kept[0]) < 150 and not kept[0].endswith("."):
        title = kept[0]
    if title and kept and kept[0] == title:
        kept = kept[1:]
    kept = [p for p in kept if p != title]
    if published is None:
        for para in kept[:3]:
            m = ABSOLUTE.search(para)
            if m and len(para) < 200:
                published = parse_published(m.group(0))
                break
    return Cleaned("\n\n".join(kept), title, published or date_hint)
