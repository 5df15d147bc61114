"""From a raw page to an article body: markup stripped, page chrome dropped, title and
publication date found.

The chrome patterns are data (``chrome.json``), matched against whole lines: navigation,
bylines, share bars, counters and newsletter boxes are dropped line by line, and a
"Read more" / "Related posts" marker past 40% of the text and two body sentences ends the article,
together with the teasers of other stories that follow it.
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

__all__ = ["CHROME", "Cleaned", "clean_text", "html_to_text"]

#: The chrome patterns (see the ``_comment`` in the file).
CHROME = files(__package__) / "chrome.json"

_FORMATS = {"txt": "txt", "text": "txt", "md": "md", "markdown": "md", "html": "html", "htm": "html"}
#: Where the article ends at the earliest: a cut marker before 40% of the text, or before
#: two sentences of body, is only dropped (it belongs to the page header).
_CUT_FROM = 0.4
_CUT_AFTER_SENTENCES = 2
_TITLE_MAX = 150
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "article",
               "section", "main", "blockquote", "pre", "table", "tr", "figure", "figcaption", "hr", "address",
               "details", "summary"}  # fmt: skip
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
              "track", "wbr"}  # fmt: skip
_TITLE_META = {"og:title", "twitter:title"}
_DATE_META = {"article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publishdate",
              "publish-date", "publish_date", "publication_date", "dc.date", "dc.date.issued", "dcterms.date",
              "dcterms.created", "parsely-pub-date", "sailthru.date"}  # fmt: skip
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)
_SPACES = str.maketrans({"\u00a0": " ", "\t": " ", "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
                         "\u2028": "\n", "\u2029": "\n"})  # fmt: skip
_BULLET = re.compile(r"^\s*[-*+•·▪●◦‣]\s+")
_SENTENCE_END = re.compile(r"[.!?:;…][\"'”’)\]]*$")
_WORD = re.compile(r"[^\W\d_]{2,}")
_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_MD_SKIP = re.compile(r"^\s*(?:```.*|~~~.*|(?:[-*_]\s*){3,}|\[[^\]]+\]:\s*\S+.*|<!--.*-->)\s*$")
_MD_NUMBERED = re.compile(r"^\s*\d{1,3}[.)]\s+")
_MD_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_MD_IMAGE_OR_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
#: A stock ticker in parentheses, "(NYSE: XYZ)", "(ASX:APX)", or a wire code "(T.TO)": noise that
#: splits a name from its verb, removed with the space before it.
_TICKER = re.compile(
    r"\s*\((?:(?:NYSE|NASDAQ|Nasdaq|ASX|LSE|LON|TSX|TSXV|OTC|OTCQX|HKEX|HKG|NSE|BSE|SGX|TYO|KRX|SIX|ETR|XETRA|"
    r"Euronext|AMEX|NYSEAMERICAN)\s*:\s*[A-Za-z0-9.\-]{1,10}|[A-Z]{1,5}\.[A-Z]{1,3})\)"
)
#: A wire dateline opening a paragraph: "SYDNEY, May 4 (Reuters) -", "NEW DELHI–", "MADRID/BARCELONA :",
#: "June 12 (Reuters) -": an upper-case place and/or a date and/or an agency, then a dash or colon.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?"
_PLACE = r"[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+)*(?:\s*/\s*[A-Z][A-Z.'\-]+(?:\s+[A-Z][A-Z.'\-]+)*)*"
_AGENCY = r"\((?:Reuters|AP|AFP|IANS|PTI|Bloomberg|Xinhua|ANI|UPI|dpa)\)"
_DATELINE = re.compile(
    rf"^(?:(?:{_PLACE})(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)*)*(?:,?\s+{_MONTH})?(?:\s*{_AGENCY})?"
    rf"|{_MONTH}\s*{_AGENCY}|{_AGENCY})\s*[-–—:]+\s*(?=\S)"
)
_MD_EMPHASIS = re.compile(r"(?<![\w*_`])(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1(?![\w*_`])")


@dataclass(frozen=True)
class Cleaned:
    """A cleaned article.

    Attributes
    ----------
    text : str
        The body: paragraphs separated by ``"\\n\\n"``, chrome and title removed.
    title : str or None
        The title, from metadata, a heading or a short first line.
    published : str or None
        The publication date as an ISO prefix (``2025-09-02``, ``2025-09`` or ``2025``).
    """

    text: str
    title: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class _Chrome:
    lines: tuple[re.Pattern[str], ...]
    published_lines: tuple[re.Pattern[str], ...]
    date_lines: tuple[re.Pattern[str], ...]
    cut_markers: tuple[re.Pattern[str], ...]
    drop_tags: frozenset[str]
    keep_tags: frozenset[str]
    drop_roles: frozenset[str]
    drop_class_words: frozenset[str]


@functools.cache
def _chrome() -> _Chrome:
    data = json.loads(CHROME.read_text(encoding="utf-8"))

    def patterns(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in data[key])

    html = data["html"]
    return _Chrome(
        lines=patterns("lines"),
        published_lines=patterns("published_lines"),
        date_lines=patterns("date_lines"),
        cut_markers=patterns("cut_markers"),
        drop_tags=frozenset(html["drop_tags"]),
        keep_tags=frozenset(html["keep_tags"]),
        drop_roles=frozenset(html["drop_roles"]),
        drop_class_words=frozenset(html["drop_class_words"]),
    )


def _match(patterns: tuple[re.Pattern[str], ...], line: str) -> re.Match[str] | None:
    return next((m for p in patterns if (m := p.match(line))), None)


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


class _PageParser(HTMLParser):
    """Collects the visible text of a page twice: without the elements dropped by tag
    (``loose``) and also without those dropped by role, class or id (``strict``)."""

    def __init__(self, chrome: _Chrome) -> None:
        super().__init__(convert_charrefs=True)
        self.chrome = chrome
        self.strict: list[str] = []
        self.loose: list[str] = []
        self.meta_title: str | None = None
        self.doc_title: str | None = None
        self.h1: str | None = None
        self.published: str | None = None
        self._tag_drop: list[str] = []  # tags (by name) that opened a region dropped for every reading
        self._class_drop: list[str] = []  # same, for regions dropped by role/class/id
        self._capture: str | None = None  # "title", "h1" or "ld"
        self._captured: list[str] = []
        self._pre = 0

    def _by_attributes(self, tag: str, attrs: dict[str, str]) -> bool:
        if tag in self.chrome.keep_tags or tag in _VOID_TAGS:
            return False
        if "hidden" in attrs or attrs.get("role", "").lower() in self.chrome.drop_roles:
            return True
        words = re.split(r"[\s_-]+", f"{attrs.get('class', '')} {attrs.get('id', '')}".lower())
        return not self.chrome.drop_class_words.isdisjoint(words)

    def _metadata(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "meta":
            name = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
            if name in _TITLE_META and not self.meta_title:
                self.meta_title = _one_line(attrs.get("content"))
            if name in _DATE_META and not self.published:
                self.published = parse_published(attrs.get("content", ""))
        elif tag == "time" and not self.published and attrs.get("datetime"):
            self.published = parse_published(attrs["datetime"])
        elif tag == "title" and self.doc_title is None:
            self._start_capture("title")
        elif tag == "h1" and self.h1 is None:
            self._start_capture("h1")
        elif tag == "script" and attrs.get("type", "").lower() == "application/ld+json":
            self._start_capture("ld")

    def _start_capture(self, what: str) -> None:
        self._capture, self._captured = what, []

    def _end_capture(self) -> None:
        text = "".join(self._captured)
        if self._capture == "title":
            self.doc_title = _one_line(text) or ""
        elif self._capture == "h1":
            self.h1 = _one_line(text)
        elif self._capture == "ld" and not self.published and (m := _LD_DATE.search(text)):
            self.published = parse_published(m.group(1))
        self._capture = None

    def _emit(self, text: str) -> None:
        if not self._tag_drop:
            self.loose.append(text)
            if not self._class_drop:
                self.strict.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        self._metadata(tag, a)
        if tag == "br":
            self._emit("\n")
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")
        if tag == "pre":
            self._pre += 1
        if tag in _VOID_TAGS:
            return
        if self._tag_drop:
            if tag == self._tag_drop[0]:
                self._tag_drop.append(tag)
        elif tag in self.chrome.drop_tags:
            self._tag_drop.append(tag)
        elif self._class_drop:
            if tag == self._class_drop[0]:
                self._class_drop.append(tag)
        elif self._by_attributes(tag, a):
            self._class_drop.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._metadata(tag, {k.lower(): v or "" for k, v in attrs})
        if tag == "br":
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._capture and (tag == self._capture or (self._capture == "ld" and tag == "script")):
            self._end_capture()
        for stack in (self._tag_drop, self._class_drop):
            if stack and tag == stack[0]:
                stack.pop()
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in _BLOCK_TAGS:
            self._emit("\n\n")

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._captured.append(data)
            if self._capture in ("title", "ld"):
                return
        self._emit(data if self._pre else re.sub(r"\s+", " ", data))

    def title(self) -> str | None:
        if self.meta_title:
            return self.meta_title
        if self.doc_title and self.h1 and self.doc_title.startswith(self.h1):
            return self.h1  # "<title>Headline | Site</title>" with "<h1>Headline</h1>"
        return self.doc_title or self.h1


def html_to_text(raw: str) -> tuple[str, str | None, str | None]:
    """Read the visible text of an HTML page.

    Parameters
    ----------
    raw : str
        The page.

    Returns
    -------
    tuple of (str, str or None, str or None)
        The text (blocks separated by blank lines; scripts, styles, navigation and
        share/newsletter/related boxes left out), the title (``og:title``, else
        ``<title>``, else the first ``<h1>``) and the publication date (from
        ``article:published_time`` and similar meta tags, ``<time datetime>`` or JSON-LD).
    """
    parser = _PageParser(_chrome())
    parser.feed(raw)
    parser.close()
    strict, loose = "".join(parser.strict), "".join(parser.loose)
    # A class word can name a wrapper of the whole article ("page has-sidebar"): then
    # dropping by class would lose the body, and only the tag-based reading is kept.
    text = strict if len(strict.strip()) >= 0.4 * len(loose.strip()) else loose
    return text, parser.title(), parser.published


def _markdown_line(line: str) -> str:
    line = _MD_QUOTE.sub("", line)
    line = _MD_AUTOLINK.sub(r"\1", line)
    line = _MD_IMAGE_OR_LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), line)
    for _ in range(2):  # nested emphasis: ***bold italic***
        line = _MD_EMPHASIS.sub(r"\2", line)
    return line


def _markdown(lines: list[str]) -> tuple[list[tuple[str, bool]], str | None]:
    """Lines without Markdown syntax (with a flag for list items) and the first ``#`` heading."""
    out: list[tuple[str, bool]] = []
    heading = None
    for line in lines:
        if _MD_SKIP.match(line):
            out.append(("", False))
            continue
        m = _MD_HEADING.match(line)
        if m:
            text = _markdown_line(m.group(2)).strip()
            if heading is None and len(m.group(1)) == 1:
                heading = text
            out += [("", False), (text, False), ("", False)]
            continue
        item = bool(_BULLET.match(line) or _MD_NUMBERED.match(line))
        line = _MD_NUMBERED.sub("", _BULLET.sub("", line))
        out.append((_markdown_line(line), item))
    return out, heading


def _dateline(line: str) -> str | None:
    """The date of a dateline ("Mar 4, 2025 | 57 views", "Tuesday, 2 September 2025 10:00"):
    a short line holding a full date and few other words, not a sentence."""
    if len(line) > 120 or (_SENTENCE_END.search(line) and not line.endswith(":")):
        return None
    m = ABSOLUTE.search(line)
    if not m:
        return None
    date = parse_published(m.group(0))
    rest = line[: m.start()] + " " + line[m.end() :]
    if date is None or len(date) < 10 or len(_WORD.findall(rest)) > 5:
        return None
    return date


def _paragraphs(block: list[tuple[str, bool]]) -> list[str]:
    """Join the lines of a block into paragraphs: a line continues the previous one when
    that one was long for the block (hard-wrapped text) and did not end a sentence; list
    items and lines after a short one start a new paragraph."""
    width = max(len(text) for text, _ in block)
    out: list[str] = []
    previous = ""
    for text, item in block:
        joins = out and not item and len(previous) >= 0.6 * width and not _SENTENCE_END.search(previous)
        if joins and not _headline(previous) and not _headline(text):
            glue = "" if re.search(r"[^\W\d_]-$", previous) and text[:1].islower() else " "
            out[-1] += glue + text
        else:
            out.append(text)
        previous = text
    return out


def _normalise(paragraph: str) -> str:
    """A paragraph without a leading wire dateline and without stock tickers.

    Done before any offset is taken: evidence stays a substring of the cleaned text.
    """
    m = _DATELINE.match(paragraph)
    if m and (len(m.group(0)) >= 6 or "(" in m.group(0)):
        paragraph = paragraph[m.end() :]
    return _TICKER.sub("", paragraph)


def _headline(line: str) -> bool:
    """An all-caps or Title-Case line of four words or more ("Orbit Labs Opens Office In
    Lisbon"): a heading, never glued to the line before or after it."""
    words = [w for w in line.split() if w[:1].isalpha()]
    if len(words) < 4 or _SENTENCE_END.search(line):
        return False
    return line.isupper() or sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _looks_like_title(line: str) -> bool:
    return len(line) < _TITLE_MAX and not line.endswith((".", ",", ";", ":")) and bool(_WORD.search(line))


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def clean_text(
    raw: str, fmt: str = "txt", *, published_hint: str | None = None, title_hint: str | None = None
) -> Cleaned:
    """Clean one article: strip markup, drop page chrome, find the title and date.

    Parameters
    ----------
    raw : str
        The article as read (already decoded).
    fmt : {"txt", "md", "html"}
        How to read ``raw``.
    published_hint, title_hint : str, optional
        Publication date and title known from metadata (a JSON Lines row); they win over
        what the text says.

    Returns
    -------
    Cleaned
        The body (paragraphs separated by ``"\\n\\n"``), its title and publication date.
        The date comes from metadata, else a "Published: …" line or a dateline in the text,
        else a weaker hint such as "Data as of …".

    Raises
    ------
    ValueError
        When ``fmt`` is not a known format.
    """
    try:
        fmt = _FORMATS[fmt.lower().lstrip(".")]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; expected txt, md or html") from None
    chrome = _chrome()
    title = _one_line(title_hint)
    published = parse_published(published_hint) if published_hint else None
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    heading = None
    if fmt == "html":
        raw, page_title, page_date = html_to_text(raw)
        title, published = title or page_title, published or page_date
    else:
        raw = _ENTITY.sub(lambda m: unescape(m.group(0)), raw)
    raw = raw.translate(_SPACES)
    if fmt == "md":
        lines, heading = _markdown(raw.split("\n"))
    else:
        lines = [(_BULLET.sub("", line), bool(_BULLET.match(line))) for line in raw.split("\n")]
    lines = [(" ".join(text.split()), item) for text, item in lines]

    total = sum(len(text) for text, _ in lines)
    offset = 0
    stated = hinted = None
    blocks: list[list[tuple[str, bool]]] = [[]]
    for text, item in lines:
        position, offset = offset, offset + len(text)
        if not text:
            blocks.append([])
            continue
        if _match(chrome.cut_markers, text):
            body = sum(1 for block in blocks for line, _ in block if _SENTENCE_END.search(line))
            if position >= _CUT_FROM * total and body >= _CUT_AFTER_SENTENCES:
                break
        m = _match(chrome.published_lines, text)
        date = parse_published(m["date"]) if m else _dateline(text)
        if date or _match(chrome.lines, text):
            stated = stated or date
            blocks.append([])
            continue
        m = _match(chrome.date_lines, text)
        if m:
            hinted = hinted or parse_published(m["date"])
            blocks.append([])
            continue
        blocks[-1].append((text, item))

    paragraphs = [p for block in blocks if block for p in _paragraphs(block) if not _match(chrome.lines, p)]
    paragraphs = [q for p in paragraphs if (q := _normalise(p))]
    title = title or heading
    if title is None and fmt != "html" and paragraphs and _looks_like_title(paragraphs[0]):
        title = paragraphs[0]
    seen = {_key(title)} if title else set()
    kept = []
    for paragraph in paragraphs:
        if _key(paragraph) not in seen:
            seen.add(_key(paragraph))
            kept.append(paragraph)
    return Cleaned("\n\n".join(kept), title, published or stated or hinted)
