"""The model's attribute rules (tag → POS and morphology, plus word exceptions) applied by
lookup instead of by spaCy's ``Matcher``.

``en_core_web_sm``'s ``attribute_ruler`` holds some 180 patterns, almost all of one token
keyed on its tag or its lower-case form. Matching them with the ``Matcher`` costs about a
tenth of the parse; looking each token's tag and word up in a table of the same patterns
gives the same annotations for less. :class:`AttributeLookup` is built from the loaded
ruler's own patterns (no data of its own), keeps its semantics — every pattern is matched
on the tokens as the parser left them, then the matches are applied in pattern order, later
patterns winning — and hands the few patterns of two tokens to a small ``Matcher``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.tokens._retokenize import normalize_token_attrs, set_token_attrs

__all__ = ["AttributeLookup"]

#: The token attributes the model's patterns read, as Token properties.
_READ: dict[str, Callable[[Token], Any]] = {
    "TAG": lambda t: t.tag_,
    "LOWER": lambda t: t.lower_,
    "DEP": lambda t: t.dep_,
    "IS_SPACE": lambda t: t.is_space,
    "ORTH": lambda t: t.text,
    "POS": lambda t: t.pos_,
}


def _test(value: Any) -> Callable[[Any], bool]:
    """One attribute's condition in a Matcher token pattern as a function of its value."""
    if not isinstance(value, dict):
        return lambda v: v == value
    (op, arg), *rest = value.items()
    if rest:
        raise ValueError(f"unsupported condition {value!r}")
    if op == "IN":
        allowed = frozenset(arg)
        return lambda v: v in allowed
    if op == "NOT_IN":
        banned = frozenset(arg)
        return lambda v: v not in banned
    if op == "REGEX":
        regex = re.compile(arg)
        return lambda v: bool(regex.search(str(v)))
    raise ValueError(f"unsupported condition {value!r}")


def _predicate(pattern: dict) -> Callable[[Token], bool]:
    tests = [(_READ[key], _test(value)) for key, value in pattern.items()]
    return lambda token: all(test(read(token)) for read, test in tests)


def _keys(pattern: dict) -> list[tuple[str, str]] | None:
    """The (attribute, value) pairs one of which a token must have to match, for the lookup
    table; None when no tag or word is required (checked on every token)."""
    for attr in ("TAG", "LOWER"):
        value = pattern.get(attr)
        if isinstance(value, str):
            return [(attr, value)]
        if isinstance(value, dict) and list(value) == ["IN"]:
            return [(attr, v) for v in value["IN"]]
    return None


class AttributeLookup:
    """A drop-in for the model's ``AttributeRuler`` (same patterns, same result)."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.by_key: dict[tuple[str, str], list[tuple[int, Callable[[Token], bool], dict]]] = {}
        self.always: list[tuple[int, Callable[[Token], bool], dict]] = []
        self.matcher = Matcher(ruler.vocab)
        self.long: dict[str, tuple[int, int, dict]] = {}
        for order, entry in enumerate(ruler.patterns):
            attrs = normalize_token_attrs(ruler.vocab, entry["attrs"])
            self._add(order, entry["patterns"], attrs, entry.get("index", 0))

    def _add(self, order: int, patterns: Iterable[list[dict]], attrs: dict, index: int) -> None:
        for pattern in patterns:
            if len(pattern) == 1:
                rule = (order, _predicate(pattern[0]), attrs)
                keys = _keys(pattern[0])
                if keys is None:
                    self.always.append(rule)
                for key in dict.fromkeys(keys or ()):
                    self.by_key.setdefault(key, []).append(rule)
            else:
                name = f"attributes-{order}-{len(self.long)}"
                self.matcher.add(name, [pattern])
                self.long[name] = (order, index, attrs)

    def __call__(self, doc: Doc) -> Doc:
        # every pattern is matched on the doc as it came in, then applied in pattern order
        found: dict[tuple[int, int], dict] = {}
        by_key, always = self.by_key, self.always
        for token in doc:
            for rules in (by_key.get(("TAG", token.tag_), ()), by_key.get(("LOWER", token.lower_), ()), always):
                for order, test, attrs in rules:
                    if (order, token.i) not in found and test(token):
                        found[(order, token.i)] = attrs
        if self.long:
            for match_id, start, end in self.matcher(doc):
                order, index, attrs = self.long[doc.vocab.strings[match_id]]
                found.setdefault((order, doc[start:end][index].i), attrs)
        for order_and_i in sorted(found):
            set_token_attrs(doc[order_and_i[1]], found[order_and_i])
        return doc
