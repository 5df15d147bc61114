"""Relations from job titles: a person, a title and the organization it belongs to.

A title is found wherever it sits: before the name ("Scale CEO Alexandr Wang",
"Acme finance chief Jo Park", "its CFO Sarah Lee"), after it ("Jane Doe, director
of research at Acme", "Jo Park, Acme's CEO", "Jo Park (a former Acme employee)"),
or as the complement of a verb ("X served as vice president at Acme", "Acme
appointed X as its new CEO", "X stepped down as CEO of Acme"). Each title gives
``leads``, ``works_for`` or ``founded`` with the title as ``role``; "co-founder and
COO" gives two. A past title ("former", "ex-", "was", "served") keeps its relation
with the role marked " (former)"; it is never a departure. A title with no
organization named takes the one the article is about, with lower confidence.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files

from spacy.tokens import Doc, Span, Token

from extractors.entities import Mention, is_org, is_person, lexicon
from extractors.frames import Candidate, Context, clause_qualifiers, clause_span, resolve_pronoun, subjects_of
from extractors.tags import sentence_of
from ontology.catalogue import Entity

__all__ = ["Title", "find_titles", "role_candidates", "titles"]

DATA = files(__package__) / "roles.json"
_POSSESSIVE = {"'s", "’s", "'", "’"}
_JOINERS = {"and", "&"}
_OWNER_PREPS = {"of", "at", "for", "with"}
_SEGMENT_STOPS = {",", ";", ")", "(", "—", "–", ":", '"', "“", "”"}
_SKIP_AFTER_NAME = {"the", "a", "an", "its", "their", "now", "currently", "also", "then", "previously", "formerly"}
_OWNERLESS_CONFIDENCE = 0.55
_NOT_APPOSITION = {"ADP", "SCONJ", "CCONJ", "VERB", "AUX", "ADV", "PRON"}


@dataclass(frozen=True)
class Unit:
    """One job title: its tokens, its role text and the predicate it gives."""

    start: int
    end: int
    role: str
    predicate: str
    head: tuple[str, ...]


@dataclass(frozen=True)
class Title:
    """Titles joined by "and" ("co-founder and CEO"), with the past marked."""

    start: int
    end: int
    units: tuple[Unit, ...]
    former: bool


@functools.cache
def _data() -> dict:
    """``roles.json`` read into lookups (cached)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    out: dict = {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}
    out["heads"] = {tuple(k.replace("-", " - ").split()): v for k, v in data["heads"].items()}
    out["ownerless"] = frozenset(tuple(k.replace("-", " - ").split()) for k in data["ownerless"])
    out["demotable"] = frozenset(tuple(k.split()) for k in data["demotable"])
    out["at_only"] = frozenset(tuple(k.split()) for k in data["at_only"])
    return out


@functools.cache
def titles() -> dict[tuple[str, ...], str]:
    """Title head token sequences -> the predicate they give."""
    return _data()["heads"]


def _role_text(tokens: Span) -> str:
    """ "Chief Operating Officer" -> "chief operating officer"; acronyms stay upper."""
    words = []
    for t in tokens:
        words.append(t.text if t.text.isupper() and len(t.text) <= 5 else t.lower_)
    return " ".join(words).replace(" - ", "-").replace(" -", "-")


@functools.cache
def _heads_by_first_word() -> dict[str, tuple[tuple[int, tuple[str, ...], str], ...]]:
    """Title heads indexed by their first word, longest first (ties in data order)."""
    index: dict[str, list[tuple[int, tuple[str, ...], str]]] = {}
    for order, (key, predicate) in enumerate(titles().items()):
        index.setdefault(key[0], []).append((order, key, predicate))
    return {w: tuple(sorted(keys, key=lambda k: (-len(k[1]), k[0]))) for w, keys in index.items()}


@functools.cache
def _title_starts() -> frozenset[str]:
    """The words a title head can begin with (as written or as a plural's lemma)."""
    return frozenset(_heads_by_first_word()) | {"chief"}


def _head_at(doc: Doc, i: int, limit: int) -> tuple[int, tuple[str, ...], str] | None:
    """The longest title head starting at token ``i`` ("chief executive officer"), as
    (end, key, predicate); "chief <words> officer" is matched too ("chief AI officer")."""
    best = None
    index = _heads_by_first_word()
    first = doc[i]
    candidates = index.get(first.lower_, ())
    if first.tag_ == "NNS" and first.lemma_ != first.lower_:  # "co-founders A and B"
        candidates = tuple(sorted((*candidates, *index.get(first.lemma_, ())), key=lambda k: (-len(k[1]), k[0])))
    for _, key, predicate in candidates:
        n = len(key)
        if i + n > limit:
            continue
        words = [t.lower_ for t in doc[i : i + n]]
        if tuple(words) == key or (doc[i + n - 1].tag_ == "NNS" and (*words[:-1], doc[i + n - 1].lemma_) == key):
            best = (i + n, key, predicate)
            break
    if doc[i].lower_ == "chief":
        for n in range(2, 5):
            if i + n >= limit:
                break
            if doc[i + n].lower_ == "officer" and all(t.is_alpha for t in doc[i + 1 : i + n]):
                middle = tuple(t.lower_ for t in doc[i + 1 : i + n])
                predicate = "leads" if set(middle) <= _data()["chief_officer_leads"] else "works_for"
                if best is None or n + 1 > len(best[1]):
                    best = (i + n + 1, ("chief", *middle, "officer"), predicate)
                break
    return best


def _modifiers_before(doc: Doc, i: int, lo: int, ctx: Context) -> int:
    """Start of the words that qualify a title head at ``i`` ("global", "finance")."""
    data = _data()
    j = i
    while j - 1 >= lo:
        t = doc[j - 1]
        if ctx.mentions.at(j - 1) is not None or not t.is_alpha or not t.is_lower:
            break
        if t.lower_ in data["former"] or t.lower_ in data["drop_modifiers"]:
            break
        if t.pos_ == "ADJ" and t.lower_ not in data["keep_modifiers"]:
            break
        if t.pos_ not in ("ADJ", "NOUN", "PROPN") and t.dep_ != "compound" and t.lower_ not in data["keep_modifiers"]:
            break  # "acting" is often parsed as a verb
        j -= 1
    return j


def _complement_after(doc: Doc, end: int, limit: int, ctx: Context) -> int:
    """End of an "of <function>" after a head ("head of sales and partnerships")."""
    if end >= limit or doc[end].lower_ != "of":
        return end
    k = end + 1
    while k < limit:
        t = doc[k]
        acronym = t.is_upper and len(t.text) <= 4  # "head of AI"
        if ctx.mentions.at(k) is not None or not t.is_alpha or not (t.is_lower or acronym):
            break
        if t.pos_ not in ("NOUN", "ADJ", "PROPN") and t.lower_ not in _JOINERS:
            break
        if t.lower_ in _JOINERS and k + 1 < limit and _head_at(doc, k + 1, limit) is not None:
            break
        k += 1
    if k < limit and ctx.mentions.at(k) is not None:
        return end  # "CEO of data firm Acme": the words describe the organization
    while k > end + 1 and doc[k - 1].lower_ in _JOINERS:
        k -= 1
    return k if k > end + 1 else end


def _unit_at(doc: Doc, i: int, limit: int, lo: int, ctx: Context) -> Unit | None:
    """The title whose head starts at ``i``, with its modifiers and function, if any."""
    found = _head_at(doc, i, limit)
    if found is None or ctx.mentions.at(i) is not None:
        return None
    head_end, key, predicate = found
    if key == ("chief",) and head_end < limit and doc[head_end].is_lower and doc[head_end].pos_ == "NOUN":
        return None  # "chief scientist", "chief economist": a title of its own, not a bare "chief"
    start = _modifiers_before(doc, i, lo, ctx)
    end = _complement_after(doc, head_end, limit, ctx)
    data = _data()
    modifiers = list(doc[start:i])
    if predicate == "leads" and key in data["demotable"]:
        functional = any(
            (t.pos_ in ("NOUN", "PROPN") or t.dep_ == "compound") and t.lower_ not in data["keep_modifiers"]
            for t in modifiers
        )
        if functional or end > head_end or any(t.lower_ in data["demoting_modifiers"] for t in modifiers):
            predicate = "works_for"
    elif predicate == "leads" and any(t.lower_ in data["demoting_modifiers"] for t in modifiers):
        predicate = "works_for"
    role = _role_text(doc[start:end])
    if doc[head_end - 1].tag_ == "NNS" and end == head_end:
        role = role[: len(role) - len(doc[head_end - 1].text)] + doc[head_end - 1].lemma_
    return Unit(start, end, role, predicate, key)


def find_titles(sent: Span, ctx: Context) -> list[Title]:
    """Every title in ``sent``, titles joined by "and" or "&" merged into one."""
    doc = ctx.doc
    former_words = _data()["former"]
    out: list[Title] = []
    starts = _title_starts()
    if ctx.words(sent).isdisjoint(starts):
        return out
    i = sent.start
    while i < sent.end:
        if not ctx.may_start(i, starts):  # no title head begins with this word
            i += 1
            continue
        unit = _unit_at(doc, i, sent.end, sent.start, ctx)
        if unit is None or (out and unit.start < out[-1].end):
            i += 1
            continue
        units = [unit]
        k = unit.end
        while k + 1 < sent.end and doc[k].lower_ in _JOINERS:
            nxt = _next_unit(doc, k + 1, sent, ctx)
            if nxt is None:
                break
            units.append(nxt)
            k = nxt.end
        start = unit.start
        former = _former_before(doc, start, sent.start, ctx, former_words)
        out.append(Title(start, k, tuple(units), former))
        i = k
    return out


def _next_unit(doc: Doc, i: int, sent: Span, ctx: Context) -> Unit | None:
    """The title right after "and" ("co-founder and chief operating officer")."""
    for j in range(i, min(i + 4, sent.end)):
        unit = _unit_at(doc, j, sent.end, i, ctx)
        if unit is not None:
            return unit if unit.start == i else None
        if not doc[j].is_lower:
            return None
    return None


def _former_before(doc: Doc, start: int, lo: int, ctx: Context, former_words: frozenset[str]) -> bool:
    """ "former Scale AI executive", "ex-Acme moderator", "Acme's former CEO"."""
    j = start - 1
    for _ in range(8):
        if j < lo:
            return False
        t = doc[j]
        low = t.lower_
        if low in former_words or (low == "-" and j - 1 >= lo and doc[j - 1].lower_ in former_words | {"ex"}):
            return True
        mention = ctx.mentions.at(j)
        if mention is not None and is_org(mention.entity):
            j = mention.start - 1
            continue
        if t.text in _POSSESSIVE or low in _JOINERS or low == "," or low in _data()["drop_modifiers"]:
            j -= 1
            continue
        return False
    return False


def _as_org(mention: Mention, *, after_preposition: bool = False) -> Mention | None:
    """An organization mention, or a name the NER took for a person in an owner's place
    (after "of"/"at" any such name, before "'s" only a name that looks like a company's)."""
    if mention.entity.label.lower() in _data()["not_employers"]:
        return None
    if is_org(mention.entity):
        return mention
    words = set(mention.entity.label.lower().split())
    companyish = after_preposition or bool(words & _data()["org_name_words"])
    if is_person(mention.entity) and not mention.entity.in_catalogue and mention.via == "ner" and companyish:
        entity = Entity(mention.entity.id, mention.entity.label, "Organization", in_catalogue=False)
        return Mention(entity, mention.start, mention.end, mention.head, mention.via, mention.trust * 0.9)
    return None


def _generic_antecedent(token: Token, ctx: Context) -> Mention | None:
    """ "the company" that the mention finder left unresolved: the organization before it."""
    if token.lemma_.lower() not in lexicon().generic_heads or token.pos_ != "NOUN":
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in token.children):
        return None
    return ctx.mentions.antecedent(token, sentences_back=2)


def _excluded(mention: Mention) -> bool:
    """Universities and events are no employer."""
    words = set(mention.entity.label.lower().split())
    return bool(words & _data()["excluded_org_words"]) or mention.entity.type in ("University", "Event")


def _owners_before(start: int, ctx: Context, lo: int) -> list[Mention]:
    """The organizations named right before a title ("Acme", "Acme's", "Amazon and Apple", "its")."""
    doc = ctx.doc
    j = start - 1
    while j >= lo and (doc[j].lower_ in _data()["former"] or doc[j].lower_ in _data()["drop_modifiers"]):
        j -= 1
    possessive = j >= lo and doc[j].text in _POSSESSIVE
    if possessive:
        j -= 1
    owners: list[Mention] = []
    listed = False
    while j >= lo:
        mention = ctx.mentions.at(j)
        org = _as_org(mention) if mention is not None and (possessive or is_org(mention.entity)) else None
        if org is None:
            if not owners and doc[j].lower_ == "whose" and doc[j].head.head.dep_ == "relcl":
                holder = ctx.mentions.at(doc[j].head.head.head)  # "Acme, whose CEO is ..."
                return [holder] if holder is not None and is_org(holder.entity) else []
            if not owners and doc[j].lower_ in ("its", "their"):
                resolved = resolve_pronoun(doc[j], ctx)
                return [resolved] if resolved is not None and is_org(resolved.entity) else []
            if not owners and possessive:
                generic = _generic_antecedent(doc[j], ctx)
                return [generic] if generic is not None else []
            member = ctx.mentions.at(j - 2) if j - 2 >= lo else None
            if doc[j].pos_ == "PROPN" and member is not None and doc[j - 1].lower_ in _JOINERS | {","}:
                listed, j = True, j - 2  # a list member that is no mention: "Google and Twitter engineer"
                continue
            break
        owners.append(org)
        j = org.start - 1
        if j >= lo and doc[j].lower_ in _JOINERS:
            listed, j = True, j - 1
            if j >= lo and doc[j].text == ",":
                j -= 1
        elif j >= lo and doc[j].text == "," and listed:
            j -= 1
        else:
            break
    return [m for m in reversed(owners) if not _excluded(m)]


def _owners_after(end: int, limit: int, ctx: Context) -> list[Mention]:
    """The organizations after "of", "at", "for": "CEO of data firm Acme", "veteran of A, B and C"."""
    doc = ctx.doc
    if end >= limit or doc[end].lower_ not in _OWNER_PREPS:
        return []
    k = end + 1
    owners: list[Mention] = []
    for _ in range(6):
        if k >= limit:
            break
        mention = ctx.mentions.at(k)
        org = _as_org(mention, after_preposition=True) if mention is not None else None
        if org is not None:
            if org.end < limit and doc[org.end].text in _POSSESSIVE:
                if org.end + 1 < limit and doc[org.end + 1].lemma_.lower() in _data()["board_nouns"]:
                    return [org]  # "chairman of Acme's board": the board is the company's
                return []  # "head of Acme's AI unit": the title belongs to the unit
            owners.append(org)
            k = org.end
            if k < limit and doc[k].text in (",",) and k + 1 < limit and doc[k + 1].lower_ in _JOINERS:
                k += 2
            elif k < limit and (doc[k].text == "," or doc[k].lower_ in _JOINERS):
                k += 1
            else:
                break
            continue
        if owners or doc[k].is_punct or doc[k].pos_ in ("VERB", "AUX", "ADP", "PRON"):
            break
        if doc[k].lower_ in _data()["adviser_words"]:
            return []  # "a partner at law firm Acme": advisers give nothing
        generic = _generic_antecedent(doc[k], ctx)
        if generic is not None:
            owners.append(generic)
            break
        k += 1
    if any(_excluded(m) for m in owners):
        return []
    return owners


def _emit(person: Mention, org: Mention, title: Title, trigger: Token, confidence: float, ctx: Context,
          former: bool | None = None, status: str = "reported") -> list[Candidate]:  # fmt: skip
    """``founded`` for each founder title, one ``leads``/``works_for`` for the rest."""
    former = title.former if former is None else former
    suffix = " (former)" if former else ""
    trust = min(person.trust, org.trust) * confidence
    out = []
    rest = [u for u in title.units if u.predicate != "founded"]
    for unit in title.units:
        if unit.predicate == "founded":
            out.append(Candidate(person, "founded", org, trigger, trust, status, {"role": unit.role}, "title"))
    if rest:
        predicate = "leads" if any(u.predicate == "leads" for u in rest) else "works_for"
        role = " and ".join(u.role for u in rest if u.predicate != "veteran")
        role = f"{role}{suffix}".strip() if role else "(former)"
        if any(u.predicate == "veteran" for u in rest):
            role = role if role.endswith("(former)") else f"{role} (former)".strip()
        # A title called former ("a former Acme engineer") is not the role a departure ends.
        rule = "title-former" if title.former or any(u.predicate == "veteran" for u in rest) else "title"
        since = {} if former else _held_since(title, ctx)
        out.append(Candidate(person, predicate, org, trigger, trust, status, {"role": role, **since}, rule))
    return out


def _held_since(title: Title, ctx: Context) -> dict:
    """ "chief of staff at Y, a post she has occupied since 2019": the date the
    apposition after the title says the post began, as ``{"date": ...}``."""
    sent = sentence_of(ctx.doc[title.start])
    for t in ctx.doc[title.end : sent.end]:
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "conj", "ccomp", "advcl"):
            return {}
        if t.dep_ not in ("appos", "npadvmod") or t.lemma_.lower() not in _data()["post_nouns"]:
            continue
        for verb in t.children:
            if verb.dep_ != "relcl" or verb.lemma_.lower() not in _data()["held_verbs"]:
                continue
            if not ctx.modality(verb).asserted:
                return {}
            for prep in verb.children:
                if prep.dep_ == "prep" and prep.lower_ == "since":
                    found = clause_qualifiers(ctx.doc[prep.i : prep.right_edge.i + 1], ctx, money=False, percent=False)
                    return {"date": found["date"]} if "date" in found else {}
        return {}
    return {}


def _ownerless_owner(person: Mention, title: Title, ctx: Context) -> Mention | None:
    """The organization of a title with no owner: the article's own, unless the person is
    known elsewhere in the article."""
    keys = {u.head for u in title.units}
    if not keys <= _data()["ownerless"]:
        return None
    doc = ctx.doc
    before = title.start - 1
    if before >= sentence_of(doc[title.start]).start:
        t = doc[before]
        if not (t.is_punct or t.is_lower or t.pos_ in ("DET", "ADP", "CCONJ", "SCONJ", "VERB", "AUX")):
            return None
        if t.lower_ in _data()["former"]:
            return None
    predicates = {u.predicate for u in title.units}
    for rel in reversed(ctx.found):
        if rel.subject == person.entity.id and rel.predicate in predicates and "role" in rel.qualifiers:
            return _mention_for(rel.object, ctx)
    sent = sentence_of(doc[title.start])
    before = doc[sent.start : title.start]
    named = [m for m in ctx.mentions.within(before) if is_org(m.entity) and m.via != "generic"]
    # "Acme has struggled, but CEO Jo Park ...", "The startup counts A and B among its
    # clients, CEO Jo Park said": the subject before (a description resolved to its company
    # included); with no subject, the one company named
    subjects = _subject_orgs(before, ctx, descriptions=True)
    if subjects or named:
        if (subjects or named)[-1].entity.type == "OrganizationalUnit":
            return None  # a unit has no CEO, and which company's is meant is unsure
        if subjects:
            return subjects[-1]
        return named[-1] if len({m.entity.id for m in named}) == 1 else None
    if sent.start > 0:
        previous = _subject_orgs(sentence_of(doc[sent.start - 1]), ctx)
        if previous:
            return previous[0]
    focus = ctx.mentions.focus()
    if focus is None or _possessor_after(focus.id, title, ctx):
        return None
    return _mention_for(focus.id, ctx)


def _possessor_after(entity_id: str, title: Title, ctx: Context) -> bool:
    """True when the entity is named after the title as the host of a venue ("CEO Jo Park
    appeared on Acme's podcast"): the title is not Acme's."""
    doc = ctx.doc
    sent = sentence_of(doc[title.start])
    venues = _data()["venue_nouns"]
    return any(
        m.entity.id == entity_id
        and m.start >= title.end
        and m.end < sent.end
        and doc[m.end].text in _POSSESSIVE
        and doc[m.head].head.lemma_.lower() in venues
        for m in ctx.mentions.within(sent)
    )


def _subject_orgs(span: Span, ctx: Context, *, descriptions: bool = False) -> list[Mention]:
    """Organizations named (or, with ``descriptions``, described: "the startup") as the
    subject of a clause within ``span``."""
    out = []
    for m in ctx.mentions.within(span):
        if is_org(m.entity) and ctx.doc[m.head].dep_ in ("nsubj", "nsubjpass") and (descriptions or m.via != "generic"):
            out.append(m)
    return out


def _mention_for(entity_id: str, ctx: Context) -> Mention | None:
    return next((m for m in ctx.mentions if m.entity.id == entity_id), None)


def _commentator(title: Title) -> bool:
    """ "Jo Park, an analyst at Acme", "Acme analyst Jo Park": analysts introduced by a
    title next to their name are commentators, whose employers give nothing."""
    return bool({u.head[-1] for u in title.units} & _data()["commentator_heads"])


def _segment_after(person: Mention, sent: Span, ctx: Context) -> tuple[int, int] | None:
    """The apposition after a name: "Jo Park, the CEO of Acme," / "Jo Park (a former Acme employee)"."""
    doc = ctx.doc
    i = person.end
    owner = ctx.mentions.at(i) if i < sent.end else None
    if owner is not None and is_org(owner.entity) and owner.end < sent.end and doc[owner.end].text in _POSSESSIVE:
        i -= 1  # "Jo Park Acme's CEO" (an attribution line)
    elif i >= sent.end or doc[i].text not in (",", "("):
        return None
    start = i + 1
    if start + 1 < sent.end and doc[start].like_num and doc[start + 1].text == ",":
        start += 2  # "Jo Park, 45, a former Acme engineer"
    opening = doc[start] if start < sent.end else None
    if opening is not None and opening.pos_ in _NOT_APPOSITION and opening.lower_ not in _SKIP_AFTER_NAME:
        return None  # "A, along with other Acme employees, ...": no apposition
    k = start
    while k < sent.end and doc[k].text not in _SEGMENT_STOPS and k - start < 16:
        mention = ctx.mentions.at(k)
        person_here = mention is not None and is_person(mention.entity)
        if person_here and k > start and not (mention.end < sent.end and doc[mention.end].text in _POSSESSIVE):
            break
        if doc[k].pos_ == "VERB" and doc[k].tag_ not in ("VBN", "VBG") and doc[k].lower_ not in ("founded",):
            break
        if doc[k].lower_ in ("who", "which", "that"):
            break
        k += 1
    return (start, k) if k > start else None


def _linked_before(person: Mention, found: list[Title], sent: Span, ctx: Context) -> Title | None:
    """A title right before the name ("Acme CEO Jo Park", "Acme's chief executive, Jo Park")."""
    doc = ctx.doc
    end = person.start
    if end - 1 >= sent.start and doc[end - 1].text == ",":
        end -= 1
    return next((t for t in found if t.end == end), None)


def role_candidates(sent: Span, ctx: Context) -> list[Candidate]:
    """Titles around each person named in ``sent``, and the relations of title verbs."""
    found = find_titles(sent, ctx)
    if not found:
        return _unit_verbs(sent, ctx) + _past_roles(sent, ctx) + _board_seats(sent, ctx)
    out: list[Candidate] = []
    used: set[int] = set()
    people = [m for m in ctx.mentions.within(sent) if is_person(m.entity)]
    for index, person in enumerate(people):
        title = _linked_before(person, found, sent, ctx) or _listed_after_title(index, people, found, sent, ctx)
        if title is not None:
            used.add(title.start)
            out += _before_name(person, title, sent, ctx)
    for index, person in enumerate(people):  # after the pre-name titles: "A, and its CFO, B" gives A nothing
        segment = _segment_after(person, sent, ctx)
        if segment is None:
            continue
        title = next((t for t in found if segment[0] <= t.start < segment[1] and t.end <= segment[1]), None)
        if title is None or title.start in used:
            continue
        used.add(title.start)
        holders = [person]
        if ctx.doc[title.units[-1].end - 1].tag_ == "NNS":  # "A and B, Acme's co-founders,"
            holders += _listed_before(index, people, ctx)
        for holder in holders:
            out += _after_name(holder, title, segment, ctx)
    for title in found:
        if title.start not in used:
            out += _verb_title(title, sent, ctx) or _aged_title(title, sent, ctx)
    out += _departures(sent, out, ctx)
    out += _unit_verbs(sent, ctx)
    out += _past_roles(sent, ctx)
    out += _board_seats(sent, ctx)
    return out


def _listed_after_title(
    index: int, people: list[Mention], found: list[Title], sent: Span, ctx: Context
) -> Title | None:
    """ "co-founders A, B and C": a title before a list of names is each one's."""
    doc = ctx.doc
    while index > 0:
        person, previous = people[index], people[index - 1]
        between = [t.lower_ for t in doc[previous.end : person.start]]
        if between not in ([","], ["and"], [",", "and"], ["&"]):
            return None
        title = _linked_before(previous, found, sent, ctx)
        if title is not None:
            return title
        index -= 1
    return None


def _at_only(title: Title) -> bool:
    """ "a partner at Accel", "an investor at Accel": employed only when "at" says so
    ("Acme investor Jo Park" put money in Acme)."""
    return any(u.head in _data()["at_only"] for u in title.units)


def _listed_before(index: int, people: list[Mention], ctx: Context) -> list[Mention]:
    """The names coordinated before ``people[index]`` ("A, B and C")."""
    out = []
    while index > 0:
        person, previous = people[index], people[index - 1]
        between = [t.lower_ for t in ctx.doc[previous.end : person.start]]
        if between not in ([","], ["and"], [",", "and"], ["&"]):
            break
        out.append(previous)
        index -= 1
    return out


def _before_name(person: Mention, title: Title, sent: Span, ctx: Context) -> list[Candidate]:
    if _commentator(title) or _at_only(title):
        return []
    owners = _owners_before(title.start, ctx, sent.start) or _owners_after(person.end, sent.end, ctx)
    trigger = ctx.doc[title.start]
    if owners:  # "Acme CEO Jo Park", "CEO Jo Park of Acme"
        return [c for org in owners for c in _emit(person, org, title, trigger, 0.85, ctx)]
    appointer = _appointing_subject(person, ctx)
    if appointer is not None:  # "Acme promoted COO Jo Park to CEO": Acme's COO
        return _emit(person, appointer, title, trigger, 0.8, ctx)
    if title.former:
        return []
    org = _ownerless_owner(person, title, ctx)
    if org is None or org.entity.id == person.entity.id:
        return []
    return _emit(person, org, title, trigger, _OWNERLESS_CONFIDENCE, ctx)


def _after_name(person: Mention, title: Title, segment: tuple[int, int], ctx: Context) -> list[Candidate]:
    if _commentator(title):
        return []
    owners = [] if _at_only(title) else _owners_before(title.start, ctx, segment[0])
    if not owners and (not _at_only(title) or ctx.doc[title.end].lower_ == "at"):
        owners = _owners_after(title.end, sentence_of(ctx.doc[title.start]).end, ctx)
    former = title.former or any(ctx.doc[k].lower_ in _data()["former"] for k in range(segment[0], title.start))
    trigger = ctx.doc[title.start]
    return [c for org in owners for c in _emit(person, org, title, trigger, 0.85, ctx, former)]


def _aged_title(title: Title, sent: Span, ctx: Context) -> list[Candidate]:
    """ "P studied in Lagos. Today the 31-year-old CEO of Acme ...": a subject that gives an
    age and a title stands for the person the sentence before was about."""
    doc = ctx.doc
    root = doc[title.start : title.end].root
    if root.dep_ not in ("nsubj", "nsubjpass") or sent.start == 0:
        return []
    words = [t.lower_ for t in doc[max(sent.start, title.start - 6) : title.start]]
    if "the" not in words or not ("old" in words and "year" in words):
        return []
    previous = sentence_of(doc[sent.start - 1])
    people = {m.entity.id: m for m in ctx.mentions.within(previous) if is_person(m.entity)}
    subjects = [m for m in people.values() if doc[m.head].dep_ in ("nsubj", "nsubjpass")]
    if len(people) != 1 or not subjects:
        return []
    owners = _owners_after(title.end, sent.end, ctx)
    person = subjects[0]
    return [c for org in owners for c in _emit(person, org, title, doc[title.start], 0.6, ctx)]


def _appointing_subject(person: Mention, ctx: Context) -> Mention | None:
    """The organization that appoints ``person`` in "Acme appointed/promoted X ..."."""
    token = ctx.doc[person.head]
    verb = token.head
    if token.dep_ not in ("dobj", "nsubjpass") or verb.lemma_.lower() not in _data()["appoint_verbs"]:
        return None
    orgs = [m for m in subjects_of(verb, ctx) if is_org(m.entity)]
    return orgs[0] if orgs else None


def _verb_of(title: Title, ctx: Context) -> tuple[Token, str] | None:
    """The verb a title is the complement of, and how: "copular", "as" or "appoint"."""
    root = ctx.doc[title.start : title.end].root
    data = _data()
    while root.dep_ == "conj" and root.head.i != root.i:  # "as a partner at A and a VP at B"
        root = root.head
    head = root.head
    if root.dep_ == "relcl" and any(c.dep_ in ("aux", "cop") and c.lemma_ == "be" for c in root.children):
        return root, "copular"  # "B, who was marketing chief," parsed with the title as the clause head
    if root.dep_ in ("attr", "acomp") and head.lemma_.lower() in data["copular"]:
        if head.dep_ == "xcomp":  # "nominated to be", "expected to become": not a role held
            return None
        return head, "copular"
    as_object = root.dep_ == "pobj" or (root.dep_ == "pcomp" and root.lower_ in data["keep_modifiers"])
    if as_object and head.lower_ in ("as", "to") and head.head.lemma_.lower() in data["as_verbs"]:
        return head.head, "as"
    if root.dep_ in ("oprd", "dobj", "xcomp", "ccomp", "attr") and head.lemma_.lower() in data["appoint_verbs"]:
        return head, "appoint"
    if root.dep_ == "pobj" and head.lower_ == "as" and head.i == sentence_of(head).start and head.head.pos_ == "VERB":
        return head.head, "opening"  # "As vice president of sales at Acme, Jo Park oversaw ..."
    if root.dep_ == "nsubj" and head.lemma_.lower() == "be" and any(c.dep_ == "attr" for c in head.children):
        return head, "named"  # "Acme's CEO is Jo Park", "Acme, whose CEO is Jo Park,"
    return None


def _actors(verb: Token, how: str, title: Title, ctx: Context) -> list[Mention]:
    """The persons who hold the title of ``verb``'s complement."""
    if how == "appoint" or (how == "as" and verb.lemma_.lower() in _data()["appoint_verbs"]):
        passive = [m for c in verb.children if c.dep_ == "nsubjpass" and (m := ctx.mentions.at(c)) is not None]
        if passive:  # "Jo Park was named CEO of Acme"
            return [m for m in passive if is_person(m.entity)]
        between = [m for m in ctx.mentions.within(sentence_of(verb)) if verb.i < m.start < title.start]
        return [m for m in between if is_person(m.entity)]
    if how == "named":
        named = [ctx.mentions.at(c) for c in verb.children if c.dep_ == "attr"]
        return [m for m in named if m is not None and is_person(m.entity)]
    if verb.dep_ == "relcl" and (holder := ctx.mentions.at(verb.head)) is not None:
        return [holder] if is_person(holder.entity) else []  # "A, who was CRO, and B": A only
    found = _person_subjects(verb, ctx)
    if not found and verb.dep_ in ("xcomp", "advcl") and verb.head.i != verb.i:
        # "Acme promoted Jo Park to serve as its CEO": the object of the verb above.
        objects = [c for c in verb.head.children if c.dep_ == "dobj"]
        found = [m for c in objects if (m := ctx.mentions.at(c)) is not None and is_person(m.entity)]
    return found


def _person_subjects(verb: Token, ctx: Context) -> list[Mention]:
    """The persons subject of ``verb``; "he"/"she" looked up to three sentences back."""
    found = [m for m in subjects_of(verb, ctx) if is_person(m.entity)]
    pronouns = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("he", "she")]
    if not found and pronouns:  # "She previously worked as an engineer at ...", two sentences after the name
        found = [m for m in [ctx.mentions.antecedent(pronouns[0], want_person=True, sentences_back=3)] if m]
    return found


def _verb_owners(verb: Token, how: str, title: Title, ctx: Context) -> list[Mention]:
    sent = sentence_of(verb)
    if _at_only(title):
        return _owners_after(title.end, sent.end, ctx) if ctx.doc[title.end].lower_ == "at" else []
    owners = _owners_before(title.start, ctx, sent.start)
    if not owners:
        owners = _owners_after(title.end, sent.end, ctx)
    if not owners:
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("at", "with", "for", "of") and prep.i > title.end - 1:
                owners = _owners_after(prep.i, sent.end, ctx)
                if owners:
                    break
    if not owners and (how == "appoint" or verb.lemma_.lower() in _data()["appoint_verbs"]):
        owners = [m for m in subjects_of(verb, ctx) if is_org(m.entity)]
    return owners


def _is_past(verb: Token) -> bool:
    """ "was", "served", "had worked", "spent three years": a role held before."""
    if verb.pos_ in ("NOUN", "PROPN"):
        return any(c.dep_ in ("aux", "cop") and c.lower_ in ("was", "were") for c in verb.children)
    if verb.lemma_.lower() not in _data()["past_verbs"]:
        return False
    if verb.tag_ == "VBD":
        return not any(c.dep_ == "aux" and c.lower_ in ("will", "would") for c in verb.children)
    return any(c.dep_ == "aux" and c.lower_ in ("had", "was", "were") for c in verb.children)


def _verb_title(title: Title, sent: Span, ctx: Context) -> list[Candidate]:
    """ "X served as VP at Acme", "Acme named X chief executive", "X stepped down as CEO"."""
    found = _verb_of(title, ctx)
    if found is None:
        return []
    verb, how = found
    modality = ctx.modality(verb)
    if not modality.asserted:
        return []
    lemma = verb.lemma_.lower()
    actors = _actors(verb, how, title, ctx)
    if not actors:
        return []
    if lemma in _data()["arrival_only_verbs"]:
        return _arrival(verb, actors, title, ctx)
    owners = _verb_owners(verb, how, title, ctx)
    confidence = 0.8
    if not owners and not title.former:
        org = _ownerless_owner(actors[0], title, ctx)
        owners, confidence = ([org], _OWNERLESS_CONFIDENCE) if org is not None else ([], 0.0)
    former = title.former or (how != "opening" and (_is_past(verb) or _leaving(verb)))
    out: list[Candidate] = []
    qualifiers = clause_qualifiers(
        clause_span(verb), ctx, money=False, percent=False, forward=ctx.modality(verb).status == "planned"
    )
    for person in actors:
        for org in owners:
            if org.entity.id == person.entity.id:
                continue
            out += _emit(person, org, title, verb, confidence, ctx, former, modality.status)
            if lemma in _data()["arrival_verbs"] and _origin(person, org, sent, ctx) == "outside":
                date = {"date": qualifiers["date"]} if "date" in qualifiers else {}
                trust = min(person.trust, org.trust) * 0.6
                out.append(Candidate(person, "joined", org, verb, trust, modality.status, date, "title"))
    return out


def _arrival(verb: Token, actors: list[Mention], title: Title, ctx: Context) -> list[Candidate]:
    """ "X joined Acme as CFO", "Acme hired X as CFO": a ``joined`` with the role, no
    ``works_for`` (the arrival states the role)."""
    modality = ctx.modality(verb)
    if verb.lemma_.lower() in _data()["appoint_verbs"]:
        owners = [m for m in subjects_of(verb, ctx) if is_org(m.entity)]
    else:
        owners = [m for c in verb.children if c.dep_ == "dobj" and (m := ctx.mentions.at(c)) is not None]
    role = " and ".join(u.role for u in title.units)
    qualifiers = clause_qualifiers(
        clause_span(verb), ctx, money=False, percent=False, forward=ctx.modality(verb).status == "planned"
    )
    extra = {"date": qualifiers["date"]} if "date" in qualifiers else {}
    return [
        Candidate(p, "joined", o, verb, min(p.trust, o.trust) * 0.8, modality.status, {"role": role, **extra}, "title")
        for p in actors
        for o in owners
        if is_org(o.entity)
    ]


def _origin(person: Mention, org: Mention, sent: Span, ctx: Context) -> str | None:
    """Where an appointee comes from: "inside" when a title of theirs at ``org`` (or with no
    organization: "promoted COO Jo Park") is stated, "outside" when only a title elsewhere
    is ("a former Google executive"), None when the text does not say."""
    earlier = [r.object for r in ctx.found if r.subject == person.entity.id and r.predicate != "joined"]
    if org.entity.id in earlier:
        return "inside"
    doc = ctx.doc
    titles_here = find_titles(sent, ctx)
    segment = _segment_after(person, sent, ctx)
    held = []
    for title in titles_here:
        if title.end == person.start or (title.end + 1 == person.start and doc[title.end].text == ","):
            held.append(_owners_before(title.start, ctx, sent.start))
        elif segment is not None and segment[0] <= title.start < segment[1]:
            held.append(_owners_before(title.start, ctx, segment[0]) or _owners_after(title.end, sent.end, ctx))
    if any(not owners or any(m.entity.id == org.entity.id for m in owners) for owners in held):
        return "inside"
    return "outside" if held or earlier else None


def _leaving(verb: Token) -> bool:
    """ "left", "resigned", "stepped down" (not "stepped in")."""
    lemma = verb.lemma_.lower()
    if lemma not in _data()["leave_verbs"] or verb.pos_ != "VERB":
        return False
    return lemma != "step" or any(c.lower_ in ("down", "aside", "away") for c in verb.children)


def _departures(sent: Span, titled: list[Candidate], ctx: Context) -> list[Candidate]:
    """ "X, who was Acme's CRO, stepped down": the organization of the role left; also
    "Acme CEO X stepped down from the company" when a dateline took the subject's place."""
    out: list[Candidate] = []
    for verb in sent:
        if not _leaving(verb):
            continue
        modality = ctx.modality(verb)
        if not modality.asserted:
            continue
        if any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children):
            continue  # "resigned as CEO of Acme": the title of that phrase is the one left
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        sources = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "from" for p in c.children]
        named = [m for t in objects + sources if (m := ctx.mentions.at(t)) is not None and is_org(m.entity)]
        if not named and any(t.lemma_.lower() not in _data()["post_nouns"] for t in objects + sources):
            continue  # "left the meeting", "resigned from the panel"
        qualifiers = clause_qualifiers(
            clause_span(verb), ctx, money=False, percent=False, forward=ctx.modality(verb).status == "planned"
        )
        date = {"date": qualifiers["date"]} if "date" in qualifiers else {}
        people = _person_subjects(verb, ctx) + [
            m
            for c in verb.children
            if c.dep_ == "nsubj" and (m := ctx.mentions.at(c)) is not None and is_person(m.entity)
        ]
        for person in _unique(people):
            orgs = named or [c.object for c in titled if _current_title_of(c, person)]
            for org in orgs:
                trust = min(person.trust, org.trust) * 0.8
                out.append(Candidate(person, "left", org, verb, trust, modality.status, date, "title"))
    return out


def _current_title_of(candidate: Candidate, person: Mention) -> bool:
    """A current ``leads``/``works_for`` title of ``person`` (not one called former)."""
    same = candidate.subject.entity.id == person.entity.id
    return same and candidate.predicate in ("leads", "works_for") and candidate.rule == "title"


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[str] = set()
    return [m for m in mentions if not (m.entity.id in seen or seen.add(m.entity.id))]


@functools.cache
def _lemmas_of(kinds: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(_data()[kind] for kind in kinds))


def _verbs_of(sent: Span, ctx: Context, *kinds: str) -> Iterator[tuple[Token, str]]:
    """The verbs of ``sent`` (with their lemma) whose lemma is in one of the ``kinds`` of
    ``roles.json``; a sentence that holds none of those words is not walked."""
    lemmas = _lemmas_of(kinds)
    if ctx.words(sent).isdisjoint(lemmas):
        return
    tags, tokens = ctx.tags(), ctx.tokens()
    for i in range(sent.start, sent.end):
        if tags.pos[i] == "VERB" and tags.lemma[i] in lemmas:
            yield tokens[i], tags.lemma[i]


def _unit_verbs(sent: Span, ctx: Context) -> list[Candidate]:
    """ "X ran the sales team at Acme": leading a unit is working for its organization;
    "X spent seven years at Acme": a past tenure there."""
    data = _data()
    out: list[Candidate] = []
    for verb, lemma in _verbs_of(sent, ctx, "unit_verbs", "tenure_verbs"):
        nouns = data["unit_nouns"] if lemma in data["unit_verbs"] else data["time_nouns"]
        objects = [c for c in verb.children if c.dep_ == "dobj" and c.lower_ in nouns]
        if not objects:
            continue
        qualifiers = {"role": "(former)"} if lemma in data["tenure_verbs"] and verb.tag_ == "VBD" else {}
        modality = ctx.modality(verb)
        own_subject = any(c.dep_ == "nsubj" for c in verb.children)
        if not modality.asserted or modality.status == "planned" or not own_subject:
            continue
        owners = [m for c in objects[0].children if c.dep_ == "poss" and (m := ctx.mentions.at(c)) is not None]
        unit = objects[0].i  # "leads Acme's sales team"; a named unit ("Acme's AI team") is no owner
        owners = [m for m in owners if is_org(m.entity) and not m.start <= unit < m.end]
        for holder in (objects[0], verb):
            for prep in holder.children:
                if prep.dep_ == "prep" and prep.lower_ in ("at", "of", "for"):
                    owners = owners or _owners_after(prep.i, sent.end, ctx)
        for person in _person_subjects(verb, ctx):
            for org in owners:
                trust = min(person.trust, org.trust) * 0.75
                out.append(Candidate(person, "works_for", org, verb, trust, modality.status, qualifiers, "title"))
    return out


def _past_roles(sent: Span, ctx: Context) -> list[Candidate]:
    """ "X previously worked at Acme", "X ran Acme until 2020": a past role is kept with
    the role marked former (the verb rules only take current ones)."""
    data = _data()
    out: list[Candidate] = []
    for verb, lemma in _verbs_of(sent, ctx, "work_verbs", "lead_verbs"):
        modality = ctx.modality(verb)
        past = modality.past or verb.tag_ == "VBD" or any(c.lower_ == "had" for c in verb.children)
        if not modality.asserted or not past:
            continue
        if lemma in data["work_verbs"]:
            predicate = "works_for"
            preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("at", "for")]
            orgs = [m for p in preps for m in _owners_after(p.i, sent.end, ctx)]
        else:
            predicate = "leads"
            objects = [c for c in verb.children if c.dep_ == "dobj"]
            orgs = [m for c in objects if (m := ctx.mentions.at(c)) is not None and is_org(m.entity)]
        for person in _person_subjects(verb, ctx):
            for org in orgs:
                trust = min(person.trust, org.trust) * 0.75
                role = {"role": "(former)"}
                out.append(Candidate(person, predicate, org, verb, trust, modality.status, role, "title"))
    return out


def _board_owner(noun: Token, ctx: Context) -> Mention | None:
    """The company whose board ``noun`` is: "Acme's board", "the board of Acme"."""
    for child in noun.children:
        mention = ctx.mentions.at(child) if child.dep_ == "poss" else None
        if mention is None and child.dep_ == "prep" and child.lower_ == "of":
            mention = next((ctx.mentions.at(p) for p in child.children if p.dep_ == "pobj"), None)
        if mention is not None and is_org(mention.entity):
            return mention
    return None


def _board_seats(sent: Span, ctx: Context) -> list[Candidate]:
    """ "X serves on Acme's board" (works_for, board member); "X joined Acme's board"
    (joined, board member)."""
    data = _data()
    out: list[Candidate] = []
    for verb, lemma in _verbs_of(sent, ctx, "seat_verbs", "arrival_only_verbs"):
        if lemma in data["seat_verbs"]:
            predicate = "works_for"
            boards = [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "on" for p in c.children]
        else:
            predicate = "joined"
            boards = [c for c in verb.children if c.dep_ == "dobj"]
        owners = [o for b in boards if b.lemma_.lower() in data["board_nouns"] and (o := _board_owner(b, ctx))]
        modality = ctx.modality(verb)
        if not owners or not modality.asserted:
            continue
        qualifiers = clause_qualifiers(
            clause_span(verb), ctx, money=False, percent=False, forward=ctx.modality(verb).status == "planned"
        )
        extra = {"date": qualifiers["date"]} if predicate == "joined" and "date" in qualifiers else {}
        for person in _person_subjects(verb, ctx):
            for org in owners:
                trust = min(person.trust, org.trust) * 0.8
                role = {"role": "board member", **extra}
                out.append(Candidate(person, predicate, org, verb, trust, modality.status, role, "title"))
    return out
