"""Documents: build a localized context from the dossier and render Jinja templates.

Fact text reaches the templates as data (already localized strings) and is
escaped for Markdown there; it is never parsed as a template.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from pydantic_core import to_json, to_jsonable_python

from diplobrief import i18n
from diplobrief.cache import read_regular, sign, signed_content
from diplobrief.dossier import (
    LANGUAGES,
    LESSON_PARTS,
    Dossier,
    Fact,
    Lesson,
    Recommendation,
    Statement,
    Text,
    Topic,
    normalize_space,
    topic_spellings,
)
from diplobrief.errors import OutputError, TemplateError, UsageProblem
from diplobrief.output import write_atomic
from diplobrief.paths import TEMPLATES_DIR, private_cache_folder

KINDS = ("briefing-note", "talking-points", "lessons-learned")
ALL_TOPICS = "all"


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


KIND_TITLES = {
    "briefing-note": N_("Briefing note"),
    "talking-points": N_("Talking points"),
    "lessons-learned": N_("Lessons learned"),
}
CLASSIFICATIONS = {
    "unclassified": N_("UNCLASSIFIED"),
    "restricted": N_("RESTRICTED"),
    "confidential": N_("CONFIDENTIAL"),
    "secret": N_("SECRET"),
    "top-secret": N_("TOP SECRET"),
}

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|#+!~^])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
# Any run of white space except the no-break spaces that typography put there on purpose.
_BREAKING_SPACE = re.compile(r"[^\S\u00a0\u202f\u2007]+")
_CITATION = re.compile(r"\[\^([a-z0-9-]+)\]")
# A list marker at the start of the text: "-", "1." or "1)".
_LIST_MARKER = re.compile(r"^(\d+[.)]|-)(?=\s|$)")


def escape_markdown(text: object) -> str:
    """Make data literal in Markdown: one line, no markup, no raw HTML, no links, and
    no list: a leading ``- `` or ``1. `` would open one where the text starts a line."""
    flat = _BREAKING_SPACE.sub(" ", str(text)).strip()
    flat = _ENTITY_LIKE.sub("&amp;", flat)
    flat = flat.replace("<", "&lt;").replace(">", "&gt;")
    flat = _MD_SPECIAL.sub(r"\\\1", flat)
    return _LIST_MARKER.sub(lambda marker: f"{marker[0][:-1]}\\{marker[0][-1]}", flat, count=1)


@dataclass(frozen=True)
class Item:
    """A localized sentence and the facts (footnotes) that support it."""

    text: str
    notes: tuple[str, ...]
    # A pointer to where else the document says it ("See also part 9."), after the notes.
    pointer: str = ""


@dataclass(frozen=True)
class Reactive:
    """A localized if-raised line."""

    trigger: str
    response: Item
    background: bool = False


@dataclass(frozen=True)
class Anchor:
    """The facts behind one spoken line, each given once in a talking-points document.

    ``said`` cites the facts the line already states (their source only); ``more``
    are the facts behind it that the line does not state, written out.
    """

    where: str
    number: int
    trigger: str
    said: Item
    more: tuple[Item, ...]


@dataclass(frozen=True)
class LessonView:
    """A localized lesson: its theme, the lesson and its parts."""

    theme: str
    lesson: Item
    parts: tuple[tuple[str, Item], ...]
    # The drafting team's inference, not the article's: labelled, and not footnoted.
    inferred: bool = False
    # The facts behind the lesson and behind each part (also where no footnote shows).
    lesson_facts: tuple[str, ...] = ()
    part_facts: tuple[tuple[str, ...], ...] = ()
    # The sections of the source the theme's footnotes quote.
    evidence: str = ""

    @property
    def observed(self) -> tuple[tuple[str, Item], ...]:
        """The parts before the lesson: what was intended, happened, worked or not."""
        return tuple(part for part in self.parts if part[0] not in ADVICE)

    @property
    def advised(self) -> tuple[tuple[str, Item], ...]:
        """The parts after the lesson: the recommendation."""
        return tuple(part for part in self.parts if part[0] in ADVICE)

    @property
    def silent(self) -> bool:
        """Whether the article says nothing of what worked, or of what did not."""
        labels = {label for label, _ in self.parts}
        return not all(label in labels for label in ASKED_PARTS)

    @property
    def lesson_label(self) -> str:
        return INFERRED_LESSON_LABEL if self.inferred else LESSON_LABEL


LESSON_LABELS = {
    "context": N_("Context and objectives"),
    "what_happened": N_("What happened"),
    "worked": N_("What worked"),
    "did_not_work": N_("What did not work"),
    "recommendation": N_("Recommendation (drafting team, not in the source)"),
    "follow_up": N_("Follow-up (owner, moment)"),
}
# The lesson in its theme, after the observations it is drawn from (DOCUMENT-FORMS:
# observation -> lesson -> recommendation); the drafters' own lesson says so.
LESSON_LABEL = N_("Lesson")
INFERRED_LESSON_LABEL = N_("Lesson (drafting team's inference)")
# DOCUMENT-FORMS: "follow-up (owner, moment)". The article names no owner for a lesson:
# the issuing directorate owns it; what records this term is done on receipt, the rest
# when the next term's team is set up (REVIEW r14 B4, r15 B2, r16 B5).
# It is the same for every theme, so a document states it once, after its themes.
FOLLOW_UP = N_(
    "Owner: the %(directorate)s; moment: on receipt of this document for the recommendations"
    " that record the experience of this term, and when the team for the %(term)s term is set"
    " up for the others."
)
# DOCUMENT-FORMS: "evidence". The footnotes quote each passage; the theme names the
# sections of the source they come from, so a reader sees where to read further.
EVIDENCE_LABEL = N_("Evidence")
EVIDENCE_SECTION = N_("In the source, section %(sections)s.")
EVIDENCE_SECTIONS = N_("In the source, sections %(sections)s.")
# Positions are stated in the present tense as the source states them: a standing caveat
# dates them and says whom to ask before use.
POSITIONS_CAVEAT = N_(
    "Positions are as stated in the source (%(period)s); confirm them with the"
    " %(directorate)s before use."
)
# The part of a year an as-of month falls in: four months each.
YEAR_PARTS = (N_("early %(year)s"), N_("mid-%(year)s"), N_("late %(year)s"))
# DOCUMENT-FORMS: a bottom line and three to five key points. The summary's own facts
# are key points up to the most; further paragraphs of the later sections only up to the
# fewest, so that the sections keep their content.
KEY_POINTS = (3, 5)
# The sections key points are topped up from, in that order: Belgium's role last, so that
# the section a note is about keeps its substance.
KEY_POINT_SOURCES = ("background", "challenges", "role")
# The sections that keep their first, main paragraph: the background is short dated facts
# the summary may take whole.
KEPT_SECTIONS = ("role", "challenges")
# A recommendation drawn from the article is Belgium's view as the article states it, not
# a recommendation the article makes: labelled so, not as the drafters'.
SOURCED_RECOMMENDATION = N_("Belgium's stated view (from the source)")
INFERENCE = N_("drafting team's inference")
# DOCUMENT-FORMS asks every theme what worked and what did not: where the article is
# silent the part is left out, not shown empty (REVIEW r14 B2), and the document says so
# once, so that the gap is not read as an oversight (REVIEW r12 B5, r13 B1).
ASKED_PARTS = (LESSON_LABELS["worked"], LESSON_LABELS["did_not_work"])
# The parts that come after the lesson: what the next team should do.
ADVICE = (LESSON_LABELS["recommendation"], SOURCED_RECOMMENDATION)


def lesson_label(name: str, part: Statement) -> str:
    """The untranslated label of a lesson part; a recommendation says whose it is."""
    if isinstance(part, Recommendation) and part.sourced:
        return SOURCED_RECOMMENDATION
    return LESSON_LABELS[name]


@dataclass(frozen=True)
class TopicView:
    """A localized topic, with what each document kind shows of it."""

    id: str
    title: str
    summary: Item
    role: tuple[Item, ...]
    challenges: tuple[Item, ...]
    opening: Item | None
    closing: Item | None
    key_messages: tuple[Item, ...]
    lines_to_take: tuple[Item, ...]
    if_raised: tuple[Reactive, ...]
    lessons: tuple[LessonView, ...]
    # Briefing note: the topic's facts that no sentence of the note already states.
    background: tuple[Item, ...]
    # Talking points: each fact behind a spoken line, once, in the order spoken.
    anchors: tuple[Anchor, ...]
    # Briefing note: the if-raised lines that add something to the note.
    note_if_raised: tuple[Reactive, ...]
    # Talking points: defensive lines not to be said, citing only facts not anchored above.
    unsayable: tuple[Reactive, ...]
    # Briefing note: the summary's bottom line and its key points, each fact once; the
    # paragraphs the key points were taken from leave their sections.
    bottom_line: Item
    key_points: tuple[Item, ...]
    # Whole-mandate lessons: the themes whose every fact an earlier part states, said so.
    folded: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceView:
    """A localized source, for the list of sources."""

    author: str
    title: str
    function: str


@dataclass(frozen=True)
class Footnote:
    """A footnote: the fact's source, section and quote."""

    id: str
    author: str
    title: str
    section: str
    quote: str


@dataclass(frozen=True)
class DocumentContext:
    """Everything a document template needs, localized."""

    kind: str
    lang: str
    title: str
    kind_title: str
    classification: str
    date: str
    as_of: str
    # The standing caveat on the positions the document states.
    caveat: str
    audience: str
    reference: str
    issuer: str
    dossier_title: str
    purpose: Item
    topics: tuple[TopicView, ...]
    whole_mandate: bool
    sources: tuple[SourceView, ...]
    front_matter: str
    footnotes: tuple[Footnote, ...] = field(default=())
    cited: frozenset[str] = frozenset()
    # The dossier's names in this language: they keep their capital after a label.
    names: i18n.Names = i18n.NO_NAMES
    # Lessons learned: the one follow-up line every theme shares, stated once.
    follow_up: str = ""


@dataclass(frozen=True)
class RenderedDocument:
    """A Markdown document and what identifies it."""

    markdown: str
    title: str
    kind: str
    topic: str
    lang: str
    date: dt.date
    classification: str


def _unique(ids: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


NEAR_DUPLICATE = 90
COVERED = 0.75
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def _sentences(text: str) -> list[str]:
    return [part for part in _SENTENCE_END.split(text) if len(part.split()) >= 4]


def _says_again(text: str, said: list[str], covered_share: float = 0.0) -> bool:
    """True when every sentence of ``text`` near-duplicates one already said.

    Near-duplicate: rapidfuzz's token_set_ratio of 90 or more and, with
    ``covered_share``, that share of the later sentence's words already in the earlier
    one (so a short earlier sentence whose few words recur everywhere does not
    swallow what follows).
    """
    from rapidfuzz import fuzz, utils

    def repeats(part: str, earlier: str) -> bool:
        words, before = (
            set(utils.default_process(part).split()),
            set(utils.default_process(earlier).split()),
        )
        covered = len(words & before) / len(words) if words else 0.0
        return covered >= covered_share and (
            fuzz.token_set_ratio(part, earlier, processor=utils.default_process) >= NEAR_DUPLICATE
        )

    parts = _sentences(text)
    return bool(parts) and all(any(repeats(part, earlier) for earlier in said) for part in parts)


def _note_repeats(dossier: Dossier, topic: Topic) -> frozenset[tuple[str, int]]:
    """The briefing-note statements that would only repeat what the note already says.

    A statement is left out in every language when it repeats in any of them, so the
    three language versions of a note always have the same paragraphs.
    """
    dropped: set[tuple[str, int]] = set()
    stable = False
    while not stable:
        stable = True
        for lang in LANGUAGES:
            localizer = _Localizer(dossier, lang)
            said: list[str] = []
            for key, text in _note_texts(localizer, topic):
                if key in dropped:
                    continue
                if key[0] != "summary" and _says_again(text, said, COVERED):
                    dropped.add(key)
                    stable = False
                    continue
                said.extend(_sentences(text))
    return frozenset(dropped)


def _said_facts(dossier: Dossier, topic: Topic) -> frozenset[str]:
    """The facts behind the talking points that their spoken lines already say.

    Decided once for all languages (said in any one of them), so the three language
    versions of a talking-points document carry the same background anchors.
    """
    lines = [
        *([topic.opening] if topic.opening else []),
        *topic.key_messages,
        *([topic.closing] if topic.closing else []),
    ]
    spoken_lines = [(line.text, line.facts) for line in lines]
    spoken_lines += [
        (reactive.response, reactive.facts)
        for reactive in topic.if_raised
        if not reactive.background
    ]
    fact_ids = _unique(fact_id for _, facts in spoken_lines for fact_id in facts)
    said: set[str] = set()
    for lang in LANGUAGES:
        localizer = _Localizer(dossier, lang)
        spoken = [
            sentence
            for text, facts in spoken_lines
            for sentence in _sentences(localizer.text(text, facts))
        ]
        said.update(
            fact_id
            for fact_id in fact_ids
            if fact_id not in said and _says_again(localizer.fact(fact_id).text, spoken)
        )
    return frozenset(said)


def _note_texts(localizer: _Localizer, topic: Topic) -> list[tuple[tuple[str, int], str]]:
    """Every paragraph of a briefing note, keyed by section and index, in order of
    precedence: when two say the same, the later one here is the one left out."""
    # The note shows the summary as its bottom line, the first fact; its other facts are
    # key points only where no section keeps them (_Localizer.key_points).
    bottom = topic.summary.facts[:1]
    texts = [(("summary", 0), " ".join(localizer.fact(fact_id).text for fact_id in bottom))]
    for name in ("role", "lines_to_take", "background"):
        for index, item in enumerate(getattr(topic, name)):
            texts.append(((name, index), localizer.text(item.text, item.facts)))
    for index, fact in enumerate(_unstated_facts(topic)):
        texts.append((("unstated", index), localizer.text(fact.text, [fact.id])))
    for index, item in enumerate(topic.challenges):
        texts.append((("challenges", index), localizer.text(item.text, item.facts)))
    for index, reactive in enumerate(topic.if_raised):
        texts.append((("if_raised", index), localizer.text(reactive.response, reactive.facts)))
    return texts


def _unstated_facts(topic: Topic) -> list[Fact]:
    """The topic's facts that no statement of its briefing note cites, less those
    about the source itself (captions, the author), which are not background."""
    statements = [
        topic.summary,
        *topic.background,
        *topic.role,
        *topic.challenges,
        *topic.lines_to_take,
    ]
    stated = {fact_id for item in statements for fact_id in item.facts}
    stated |= {fact_id for item in topic.if_raised for fact_id in item.facts}
    return [fact for fact in topic.facts if fact.id not in stated and not fact.about_source]


class _Localizer:
    """Turns dossier models into localized view objects for one language."""

    def __init__(self, dossier: Dossier, lang: str) -> None:
        self.dossier = dossier
        self.lang = lang
        self.used: set[str] = set()

    def text(self, text: Text, fact_ids: list[str] | tuple[str, ...] = ()) -> str:
        values: dict[str, Any] = {}
        for fact_id in fact_ids:
            values.update(self.dossier.facts[fact_id].values)
        return i18n.fill(text.get(self.lang), values, self.lang, words=True)

    def fact(self, fact_id: str) -> Item:
        fact = self.dossier.facts[fact_id]
        self.used.add(fact.id)
        return Item(
            i18n.fill(fact.text.get(self.lang), fact.values, self.lang, words=True), (fact.id,)
        )

    def statement(self, statement: Statement) -> Item:
        self.used.update(statement.facts)
        return Item(self.text(statement.text, statement.facts), tuple(statement.facts))

    def lesson(self, lesson: Lesson) -> LessonView:
        """A lesson's parts, each footnoted with its own facts, but for the drafting team's
        own words (an inferred lesson, an unsourced recommendation): those are labelled
        as theirs and carry no footnote, which would make them look sourced. A part the
        article gives nothing for is left out: an empty part tells the next team nothing
        (the document says so once, see ``LessonView.silent``)."""
        parts = lesson.parts()
        drawn = self.statement(parts.pop("lesson"))
        views = []
        part_facts: list[tuple[str, ...]] = []
        for name in (part for part in LESSON_PARTS if part != "lesson"):
            part = parts.get(name)
            if part is None:
                continue
            item = self.statement(part)
            if isinstance(part, Recommendation) and not part.sourced:
                item = Item(item.text, ())
            views.append((lesson_label(name, part), item))
            part_facts.append(tuple(part.facts))
        inferred = not lesson.lesson.sourced
        return LessonView(
            theme=self.text(lesson.theme, lesson.facts),
            lesson=Item(drawn.text, ()) if inferred else drawn,
            parts=tuple(views),
            inferred=inferred,
            lesson_facts=tuple(lesson.lesson.facts),
            part_facts=tuple(part_facts),
            evidence=self.evidence(lesson.facts),
        )

    def evidence(self, fact_ids: list[str]) -> str:
        """The sections of the source a theme's facts are quoted from, in reading order."""
        untitled = i18n.gettext(self.lang, UNTITLED_SECTION)
        sections = _unique(
            self.dossier.facts[fact_id].source.section or untitled for fact_id in fact_ids
        )
        if not sections:
            return ""
        quoted = [f"\u201c{section}\u201d" for section in sections]  # typeset with the page
        message = EVIDENCE_SECTION if len(sections) == 1 else EVIDENCE_SECTIONS
        return i18n.gettext(self.lang, message) % {"sections": i18n.format_list(quoted, self.lang)}

    def topic(self, topic: Topic) -> TopicView:
        repeats = _repeats(self.dossier, topic)

        def kept(name: str, items: list[Any]) -> list[Any]:
            return [item for index, item in enumerate(items) if (name, index) not in repeats.note]

        summary = self.statement(topic.summary)
        role = tuple(self.statement(item) for item in kept("role", topic.role))
        lines_to_take = tuple(
            self.statement(item) for item in kept("lines_to_take", topic.lines_to_take)
        )
        background = tuple(
            self.statement(item) for item in kept("background", topic.background)
        ) + tuple(self.fact(fact.id) for fact in kept("unstated", _unstated_facts(topic)))
        challenges = tuple(self.statement(item) for item in kept("challenges", topic.challenges))
        bottom_line, key_points, taken = self.key_points(
            summary, {"role": role, "challenges": challenges, "background": background}
        )
        role, challenges, background = (
            tuple(item for index, item in enumerate(items) if (name, index) not in taken)
            for name, items in (
                ("role", role),
                ("challenges", challenges),
                ("background", background),
            )
        )
        if_raised = tuple(
            Reactive(
                self.text(item.trigger, item.facts),
                Item(self.text(item.response, item.facts), tuple(item.facts)),
                item.background,
            )
            for item in topic.if_raised
        )
        # An "if raised" line must add a fact the note has not already stated.
        stated = {
            note
            for item in (summary, *key_points, *background, *role, *challenges, *lines_to_take)
            for note in item.notes
        }
        note_if_raised = tuple(
            reactive
            for index, reactive in enumerate(if_raised)
            if ("if_raised", index) not in repeats.note
            and not set(reactive.response.notes) <= stated
        )
        opening = self.statement(topic.opening) if topic.opening else None
        closing = self.statement(topic.closing) if topic.closing else None
        key_messages = tuple(self.statement(item) for item in topic.key_messages)
        anchors = self.anchors(opening, key_messages, closing, if_raised, repeats.said)
        anchored = {
            note
            for anchor in anchors
            for note in (*anchor.said.notes, *(item.notes[0] for item in anchor.more))
        }
        return TopicView(
            id=topic.id,
            title=topic.title.get(self.lang),
            summary=summary,
            role=role,
            challenges=challenges,
            opening=opening,
            closing=closing,
            key_messages=key_messages,
            lines_to_take=lines_to_take,
            if_raised=if_raised,
            lessons=tuple(self.lesson(lesson) for lesson in topic.lessons),
            background=background,
            anchors=anchors,
            note_if_raised=note_if_raised,
            unsayable=tuple(
                Reactive(
                    reactive.trigger,
                    Item(
                        reactive.response.text,
                        tuple(note for note in reactive.response.notes if note not in anchored),
                    ),
                    True,
                )
                for reactive in if_raised
                if reactive.background
            ),
            bottom_line=bottom_line,
            key_points=key_points,
        )

    def key_points(
        self, summary: Item, sections: dict[str, tuple[Item, ...]]
    ) -> tuple[Item, tuple[Item, ...], set[tuple[str, int]]]:
        """The summary's bottom line (its first fact), and three to five key points, each
        on facts not stated before it. Belgium's role and the challenges keep their first,
        main paragraph, so that a note about Belgium's role still has its role section: a
        summary fact that paragraph states stays there and is no key point. The summary's
        other facts (five at most) come each as the later paragraph that states it if
        there is one (that paragraph moves up); then, up to three, further paragraphs of
        the background, the challenges and Belgium's role, in that order. Returns them
        and the paragraphs taken, which leave their sections. Fewer key points when the
        note has fewer facts to spare: a key point never repeats one.
        """
        if not summary.notes:
            return summary, (), set()
        bottom = self.fact(summary.notes[0])
        said = set(bottom.notes)
        points: list[Item] = []
        taken: set[tuple[str, int]] = set()
        kept = {
            note for name in KEPT_SECTIONS if sections[name] for note in sections[name][0].notes
        }
        paragraphs = [
            ((name, index), item)
            for name in KEY_POINT_SOURCES
            for index, item in enumerate(sections[name])
            if index > 0 or name not in KEPT_SECTIONS
        ]

        def free(item: Item) -> bool:
            return bool(item.notes) and not (said | kept) & set(item.notes)

        def take(key: tuple[str, int] | None, item: Item) -> None:
            points.append(item)
            said.update(item.notes)
            if key is not None:
                taken.add(key)

        for fact_id in summary.notes[1:]:
            if len(points) >= KEY_POINTS[1] or fact_id in said or fact_id in kept:
                continue
            stating = next(
                (
                    (key, item)
                    for key, item in paragraphs
                    if fact_id in item.notes and key not in taken and free(item)
                ),
                (None, self.fact(fact_id)),
            )
            take(*stating)
        for key, item in paragraphs:
            if len(points) < KEY_POINTS[0] and key not in taken and free(item):
                take(key, item)
        return bottom, tuple(points), taken

    def anchors(
        self,
        opening: Item | None,
        key_messages: tuple[Item, ...],
        closing: Item | None,
        if_raised: tuple[Reactive, ...],
        said_facts: frozenset[str],
    ) -> tuple[Anchor, ...]:
        """Each fact once; a fact a spoken line already says (``said_facts``, decided
        for all languages at once) is given by its source only."""
        lines: list[tuple[str, int, str, Item]] = []
        if opening:
            lines.append(("opening", 0, "", opening))
        lines += [("message", number, "", item) for number, item in enumerate(key_messages, 1)]
        if closing:
            lines.append(("closing", 0, "", closing))
        lines += [
            ("reactive", 0, reactive.trigger, reactive.response)
            for reactive in if_raised
            if not reactive.background
        ]
        seen: set[str] = set()
        anchors = []
        for where, number, trigger, line in lines:
            said: list[str] = []
            more: list[Item] = []
            for fact_id in line.notes:
                if fact_id in seen:
                    continue
                seen.add(fact_id)
                fact = self.fact(fact_id)
                if fact_id in said_facts:
                    said.append(fact_id)
                else:
                    more.append(fact)
            if said or more:
                anchors.append(Anchor(where, number, trigger, Item("", tuple(said)), tuple(more)))
        return tuple(anchors)


# --- Repeats remembered: a checksummed JSON file per topic content ----------------------


@dataclass(frozen=True)
class Repeats:
    """What a topic's documents leave out, the same in every language: the briefing-note
    paragraphs that repeat others (``note``) and the facts the talking points' spoken
    lines already say (``said``)."""

    note: frozenset[tuple[str, int]]
    said: frozenset[str]


_NOTE_PARTS = ("role", "lines_to_take", "background", "unstated", "challenges", "if_raised")
MAX_REPEATS_BYTES = 1 << 20


def _repeats(dossier: Dossier, topic: Topic) -> Repeats:
    """The topic's repeats, remembered in the cache: they depend only on the topic, the
    facts it cites and this code, and finding them takes a fuzzy matcher that costs a
    warm start more than the rest of the document."""
    entry = _repeats_entry(dossier, topic)
    found = _recall(entry, topic) if entry is not None else None
    if found is None:
        found = Repeats(note=_note_repeats(dossier, topic), said=_said_facts(dossier, topic))
        if entry is not None:
            _remember(entry, found)
    return found


def _cited(topic: Topic) -> set[str]:
    """The facts the briefing note's and the talking points' statements cite."""
    statements = [
        topic.summary,
        topic.opening,
        topic.closing,
        *topic.role,
        *topic.background,
        *topic.challenges,
        *topic.key_messages,
        *topic.lines_to_take,
        *topic.if_raised,
    ]
    return {fact_id for item in statements if item is not None for fact_id in item.facts}


def _repeats_entry(dossier: Dossier, topic: Topic) -> Path | None:
    """The cache file of a topic's repeats, named by a hash of all they depend on: the
    topic and the facts it cites (their content, not the files they came from) and the
    code; None without a cache folder."""
    code = _code_digest()
    folder = private_cache_folder("repeats")
    if code is None or folder is None:
        return None
    digest = hashlib.sha256(code)
    digest.update(to_json(topic))
    digest.update(to_json([dossier.facts[fact_id] for fact_id in sorted(_cited(topic))]))
    return folder / f"{digest.hexdigest()}.json"


@lru_cache(maxsize=1)
def _code_digest() -> bytes | None:
    """A hash of the code that finds repeats: this module, the localizing code and the
    matcher (its version); None when the matcher is not installed."""
    import importlib.util

    from diplobrief import __version__
    from diplobrief import dossier as models

    matcher = importlib.util.find_spec("rapidfuzz")
    if matcher is None or matcher.origin is None:
        return None
    digest = hashlib.sha256(__version__.encode())
    try:
        for module in (__file__, i18n.__file__, models.__file__, matcher.origin):
            digest.update(hashlib.sha256(Path(str(module)).read_bytes()).digest())
    except OSError:
        return None
    return digest.digest()


def _recall(entry: Path, topic: Topic) -> Repeats | None:
    """The remembered repeats, or None for a miss (absent, damaged, not ours)."""
    try:
        raw = read_regular(entry, MAX_REPEATS_BYTES)
    except OSError:
        return None
    content = signed_content(raw)
    if content is None:
        return None
    try:
        data = json.loads(content)
        note = frozenset((name, index) for name, index in data["note"])
        said = frozenset(data["said"])
    except (ValueError, KeyError, TypeError):
        return None
    if (
        set(data) != {"note", "said"}
        or not all(
            name in _NOTE_PARTS and type(index) is int and index >= 0 for name, index in note
        )
        or not all(type(fact_id) is str for fact_id in said)
        or not said <= _cited(topic)
    ):
        return None
    return Repeats(note=note, said=said)


def _remember(entry: Path, repeats: Repeats) -> None:
    """Store the repeats; a cache that cannot be written only costs time."""
    content = json.dumps({"note": sorted(repeats.note), "said": sorted(repeats.said)})
    with contextlib.suppress(OutputError):
        write_atomic(entry, sign(content.encode()), follow_symlinks=False)


# Whole-mandate lessons: a fact is stated once, in the first part that states it; a later
# part whose facts were all stated before refers to those parts instead.
SEE_PART = N_("See part %(parts)s.")
SEE_PARTS = N_("See parts %(parts)s.")
SEE_KEY_LESSON = N_("See key lesson %(number)s.")
SEE_ALSO_PART = N_("See also part %(parts)s.")
SEE_ALSO_PARTS = N_("See also parts %(parts)s.")
# DOCUMENT-FORMS: a lesson is "readable without context". What was intended and what
# worked keep their own text even when an earlier part stated its facts; a pointer to
# that part follows. The other parts refer instead of restating.
# A theme all of whose facts earlier parts state is not repeated; the document says where.
FOLDED = N_("“%(theme)s” is not repeated as a theme: part %(parts)s states its facts.")
FOLDED_SEVERAL = N_("“%(theme)s” is not repeated as a theme: parts %(parts)s state its facts.")
SELF_STANDING = (LESSON_LABELS["context"], LESSON_LABELS["worked"])
# Two facts quoting the same passage of the source are one fact: a stretch of this many
# characters in common is the same passage, and a fact whose quote is this much covered
# by quotes already stated has been stated.
_SAME_PASSAGE = 20
_STATED_SHARE = 0.9


@lru_cache(maxsize=4096)
def _passage(quote: str) -> str:
    return normalize_space(quote).rstrip(".;:,").casefold()


@lru_cache(maxsize=4096)
def _shingles(passage: str) -> frozenset[str]:
    return frozenset(
        passage[i : i + _SAME_PASSAGE] for i in range(len(passage) - _SAME_PASSAGE + 1)
    )


@lru_cache(maxsize=65536)
def _matches(passage: str, other: str) -> frozenset[int]:
    """The positions of ``passage`` that ``other`` quotes too (stretches of some length)."""
    import difflib

    if not _shingles(passage) & _shingles(other):  # no stretch in common: the quick answer
        return frozenset()
    matcher = difflib.SequenceMatcher(None, passage, other, autojunk=False)
    return frozenset(
        position
        for block in matcher.get_matching_blocks()
        if block.size >= _SAME_PASSAGE
        for position in range(block.a, block.a + block.size)
        if not passage[position].isspace()
    )


def _covering(quote: str, earlier: list[str]) -> list[int]:
    """The fewest ``earlier`` quotes (their indexes) that together quote most of the
    passage ``quote``, the largest share first; none if they cannot."""
    passage = _passage(quote)
    letters = sum(not char.isspace() for char in passage)
    shares = [(_matches(passage, _passage(other)), index) for index, other in enumerate(earlier)]
    covered: set[int] = set()
    found: list[int] = []
    while letters and len(covered) < _STATED_SHARE * letters:
        gain, index = max(
            ((len(share - covered), index) for share, index in shares), default=(0, -1)
        )
        if gain == 0:
            return []
        covered |= shares[index][0]
        found.append(index)
    return found


def stated_before(quote: str, earlier: list[str]) -> bool:
    """True when the passage ``quote`` is, for the most part, quoted in ``earlier``."""
    return bool(_covering(quote, earlier))


def cross_reference(
    dossier: Dossier, topics: tuple[TopicView, ...], lang: str
) -> tuple[TopicView, ...]:
    """State each fact once across the parts of the whole-mandate lessons.

    Lessons are numbered through the document. A part whose facts were all stated by
    earlier lessons becomes a reference to them ("See part 12."), except the context and
    what worked, which keep their text and point on ("See also part 12."); and a key lesson
    resting only on what an earlier lesson stated refers to that key lesson;
    recommendations are the drafters' and state no fact, so they stay. A lesson left
    with nothing but references is dropped: a bare "See part 3" tells the next team
    nothing.
    """
    translations = i18n.translations(lang)
    quote = {fact_id: fact.source.quote for fact_id, fact in dossier.facts.items()}
    stated: list[str] = []  # every quote stated so far, in document order
    stated_in: list[int] = []  # the lesson number of each
    by_lesson: list[tuple[int, list[str], list[str]]] = []
    number = 0
    result = []
    for topic in topics:
        views = []
        folded: list[str] = []
        for lesson in topic.lessons:
            number += 1
            parts = []
            adds = False  # whether any part says something no earlier part has said
            for (label, item), facts in zip(lesson.parts, lesson.part_facts, strict=True):
                covering = [_covering(quote[fact_id], stated) for fact_id in facts]
                drafters = label in (LESSON_LABELS["recommendation"], SOURCED_RECOMMENDATION)
                if facts and not drafters and all(covering):
                    numbers = sorted({stated_in[index] for found in covering for index in found})
                    listed = i18n.format_list([str(n) for n in numbers], lang)
                    if label in SELF_STANDING:
                        also = SEE_ALSO_PART if len(numbers) == 1 else SEE_ALSO_PARTS
                        pointer = translations.ugettext(also) % {"parts": listed}
                        item = dataclasses.replace(item, pointer=pointer)
                    else:
                        see = SEE_PART if len(numbers) == 1 else SEE_PARTS
                        item = Item(translations.ugettext(see) % {"parts": listed}, ())
                elif not drafters:  # the drafters' advice alone does not keep a theme
                    adds = True
                parts.append((label, item))
            if not adds:  # nothing but references: the earlier parts are the lesson
                number -= 1
                referred = sorted(
                    {
                        stated_in[index]
                        for facts in lesson.part_facts
                        for fact_id in facts
                        for index in _covering(quote[fact_id], stated)
                    }
                )
                folded.append(
                    translations.ugettext(FOLDED if len(referred) == 1 else FOLDED_SEVERAL)
                    % {
                        "theme": i18n.typeset(lesson.theme, lang),  # set before it is quoted
                        "parts": i18n.format_list([str(n) for n in referred], lang),
                    }
                )
                continue
            own = [quote[fact_id] for facts in lesson.part_facts for fact_id in facts]
            stated.extend(own)
            stated_in.extend([number] * len(own))
            # The same key lesson as an earlier one: resting on what that lesson stated,
            # and drawn from the same passage as that key lesson.
            mine = [quote[fact_id] for fact_id in lesson.lesson_facts]
            same = next(
                (
                    earlier
                    for earlier, quotes, drawn in by_lesson
                    if all(stated_before(text, quotes) for text in mine)
                    and any(
                        _matches(_passage(text), _passage(other))
                        for text in mine
                        for other in drawn
                    )
                ),
                None,
            )
            key = lesson.lesson
            if same is not None:
                key = Item(translations.ugettext(SEE_KEY_LESSON) % {"number": same}, ())
            by_lesson.append((number, own + mine, mine))
            views.append(
                dataclasses.replace(
                    lesson,
                    parts=tuple(parts),
                    lesson=key,
                    inferred=lesson.inferred and same is None,
                )
            )
        result.append(dataclasses.replace(topic, lessons=tuple(views), folded=tuple(folded)))
    return tuple(result)


_HTML_NAMES = (".html", ".htm", ".xml", ".html.j2", ".htm.j2", ".xml.j2")


def autoescape_for(name: str | None) -> bool:
    """HTML and XML templates escape every value; Markdown ones escape with ``|md``.

    A template without a name (from a string) escapes too: it is never Markdown here.
    """
    return name is None or name.endswith(_HTML_NAMES)


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates in the user cache folder.

    Compiled templates are code, so an entry is loaded only from a regular file (not
    a link) owned by this user and writable by no one else, in a private folder
    (see ``template_cache``); anything else, and any damaged entry, means compiling
    again. Writes never follow a link planted in the folder.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self._get_cache_filename(bucket), flags)
        except OSError:
            return
        with os.fdopen(fd, "rb") as stream:
            if not _private_file(os.fstat(fd)):
                return
            try:
                bucket.load_bytecode(stream)
            except (OSError, ValueError, EOFError, TypeError):
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        stream = io.BytesIO()
        bucket.write_bytecode(stream)
        target = Path(self._get_cache_filename(bucket))
        # A fresh file, not one inheriting the mode of an entry that was not private.
        with contextlib.suppress(OSError):
            target.unlink()
        with contextlib.suppress(OutputError):
            write_atomic(target, stream.getvalue(), follow_symlinks=False)


def _private_file(info: os.stat_result, kind: int = stat.S_IFREG) -> bool:
    """Of ``kind``, owned by this user, and not writable by group or others."""
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return stat.S_IFMT(info.st_mode) == kind and info.st_uid == owner and not info.st_mode & 0o022


_ENVIRONMENT_OPTIONS: dict[str, Any] = {
    "undefined": jinja2.StrictUndefined,
    "autoescape": autoescape_for,
    "keep_trailing_newline": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "extensions": ["jinja2.ext.i18n"],
}


@lru_cache(maxsize=8)
def template_cache(lang: str) -> jinja2.BytecodeCache | None:
    """The compiled-template cache, private to the user: one folder per language and
    set of options, since Jinja keys entries by template file only and folds constant
    filters (``colon`` differs by language) into the compiled code."""
    options = repr(sorted((k, getattr(v, "__name__", v)) for k, v in _ENVIRONMENT_OPTIONS.items()))
    tag = hashlib.sha256(f"{jinja2.__version__}{lang}{options}".encode()).hexdigest()[:16]
    folder = private_cache_folder(f"templates-{lang}-{tag}")
    if folder is None or not _private_file(os.lstat(folder), stat.S_IFDIR):
        return None
    return _TemplateCache(str(folder))


@lru_cache(maxsize=16)
def environment(lang: str, templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    """One strict Jinja environment per language, with its gettext catalog installed."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        bytecode_cache=template_cache(lang),
        **_ENVIRONMENT_OPTIONS,
    )
    env.install_gettext_translations(i18n.translations(lang), newstyle=True)  # type: ignore[attr-defined]
    env.filters["md"] = escape_markdown
    env.filters["colon"] = lambda label: f"{label}{i18n.colon(lang)}"
    env.filters["typeset"] = lambda text: i18n.typeset(text, lang)
    env.filters["after_label"] = lambda text, names=i18n.NO_NAMES: i18n.after_label(
        text, lang, names
    )
    return env


def _texts(value: object, lang: str) -> Iterator[str]:
    """Every text of a dossier record in one language, in a stable order."""
    if isinstance(value, Text):
        yield value.get(lang)
    elif isinstance(value, (list, tuple)):
        for part in value:
            yield from _texts(part, lang)
    elif isinstance(value, dict):
        for part in value.values():
            yield from _texts(part, lang)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _texts(getattr(value, item.name), lang)


_NAMES: dict[tuple[int, str], tuple[Dossier, i18n.Names]] = {}


def dossier_names(dossier: Dossier, lang: str) -> i18n.Names:
    """The names the dossier's own texts capitalise in mid-sentence, in ``lang``;
    remembered for the last dossiers read (by identity: a dossier is not hashable)."""
    found = _NAMES.get((id(dossier), lang))
    if found is not None and found[0] is dossier:
        return found[1]
    records = (dossier.mandate, list(dossier.topics.values()), list(dossier.facts.values()))
    names = i18n.names_in(_texts(records, lang))
    if len(_NAMES) >= 8:
        _NAMES.clear()
    _NAMES[(id(dossier), lang)] = (dossier, names)
    return names


def render_template(language: str, name: str, **context: Any) -> str:
    """Render one template; broken templates raise TemplateError with file and line."""
    env = environment(language, TEMPLATES_DIR)
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or exc.name}: line {exc.lineno}: template syntax error: {exc.message}"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"{TEMPLATES_DIR}: template '{exc.name}' not found") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"{_template_place(exc, name)}: template error: {exc}") from None


def _template_place(exc: BaseException, name: str) -> str:
    """The deepest template file and line in a Jinja traceback."""
    place = f"{TEMPLATES_DIR / name}"
    traceback = exc.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            place = f"{filename}: line {traceback.tb_lineno}"
        traceback = traceback.tb_next
    return place


def render_title(dossier: Dossier, topic: str, kind: str, lang: str) -> str:
    """A document's title without rendering it: ``Briefing note: Covid-19``."""
    topics = resolve_topic(dossier, topic, kind)
    subject = dossier.mandate.title.get(lang) if topic == ALL_TOPICS else topics[0].title.get(lang)
    kind_title = i18n.gettext(lang, KIND_TITLES[kind])
    subject = i18n.after_label(subject, lang, dossier_names(dossier, lang))
    return f"{kind_title}{i18n.colon(lang)} {subject}"


def resolve_topic(dossier: Dossier, topic: str, kind: str) -> list[Topic]:
    """The topics a document covers; unknown ids are usage errors with a suggestion."""
    if topic == ALL_TOPICS:
        if kind != "lessons-learned":
            raise UsageProblem(
                f"Topic '{ALL_TOPICS}' is only available for lessons-learned.",
                "Name one topic, or use --kind lessons-learned.",
            )
        return list(dossier.topics.values())
    current = dossier.topic_id(topic)
    if current is None:
        raise UsageProblem(f"Unknown topic '{topic}'.", suggest_topic(dossier, topic))
    return [dossier.topics[current]]


def topic_names(dossier: Dossier) -> dict[str, set[str]]:
    """Every folded id, replaced id, title and alias (in nl, fr and en) and the topics
    it names."""
    from diplobrief.resolve import fold

    names: dict[str, set[str]] = {}
    for topic in dossier.topics.values():
        for spelling in [topic.id, *topic.replaces, *topic_spellings(topic)]:
            names.setdefault(fold(spelling), set()).add(topic.id)
    return names


def find_topic(dossier: Dossier, value: str) -> str:
    """The topic id that ``value`` names: an id (or the id of a topic it replaced) in any
    case, or a title or alias in any language when it names one topic only; else a usage
    error with the closest ids."""
    from diplobrief.resolve import fold

    current = dossier.topic_id(value)
    if current is not None:
        return current
    if value == ALL_TOPICS:
        return value
    wanted = fold(value)
    if wanted == ALL_TOPICS:
        return ALL_TOPICS
    found = topic_names(dossier).get(wanted, set())
    if len(found) == 1:
        return found.pop()
    if found:
        ids = ", ".join(topic for topic in dossier.topics if topic in found)
        raise UsageProblem(f"'{value}' names several topics: {ids}.", "Give one of these ids.")
    raise UsageProblem(f"Unknown topic '{value}'.", suggest_topic(dossier, value))


def suggest_topic(dossier: Dossier, value: str) -> str:
    """The closest topic by id, title or alias, as ``Did you mean 'id'?``."""
    from diplobrief.resolve import did_you_mean

    names = {name: min(ids) for name, ids in topic_names(dossier).items() if len(ids) == 1}
    return did_you_mean(value, names, dossier.topics)


def suggest(value: str, choices: list[str]) -> str:
    """``Did you mean 'x'?`` for the closest choice, or the list of choices."""
    from rapidfuzz import fuzz, process, utils

    best = process.extractOne(value, choices, scorer=fuzz.WRatio, processor=utils.default_process)
    if best and best[1] >= 60:
        return f"Did you mean '{best[0]}'?"
    return f"Choose one of: {', '.join(choices)}."


def facts_hash(dossier: Dossier, fact_ids: set[str]) -> str:
    """A short hash of the facts a document uses, so readers can tell versions apart."""
    payload = [to_jsonable_python(dossier.facts[fact_id]) for fact_id in sorted(fact_ids)]
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


UNTITLED_SECTION = N_("introduction (untitled)")
KIND_CODES = {"briefing-note": "BN", "talking-points": "TP", "lessons-learned": "LL"}
PURPOSES = {
    "briefing-note": N_(
        "For information: the facts and the line to take on “%(subject)s”, as reported after "
        "%(country)s's %(ordinal)s term on the %(body)s (%(start)s to %(end)s)."
    ),
    "talking-points": N_(
        "For use in conversation: points to be spoken on “%(subject)s”, based on the account of "
        "%(country)s's %(ordinal)s term on the %(body)s (%(start)s to %(end)s); the background"
        " is not for use."
    ),
    "lessons-learned": N_(
        "For information: lessons for the next team on “%(subject)s”, from %(country)s's "
        "%(ordinal)s term on the %(body)s (%(start)s to %(end)s)."
    ),
}
# A briefing note with no line to take (the source states no position on its subject)
# says it brings the facts only.
FACTS_PURPOSE = N_(
    "For information: the facts on “%(subject)s”, as reported after "
    "%(country)s's %(ordinal)s term on the %(body)s (%(start)s to %(end)s)."
)


def document_date(date: dt.date | None = None) -> dt.date:
    """The day a document is made: ``date``, else SOURCE_DATE_EPOCH (rebuilds), else today."""
    if date is not None:
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise UsageProblem(
                f"SOURCE_DATE_EPOCH '{epoch}' is not a number of seconds since 1970.",
                "Set it to a whole number, e.g. SOURCE_DATE_EPOCH=1612137600, or unset it.",
            ) from None
    return dt.datetime.now(dt.UTC).date()


def format_as_of(as_of: dt.date | str, lang: str) -> str:
    """A dossier's ``as_of``: a day (``1 February 2021``) or a month (``January 2021``)."""
    if isinstance(as_of, dt.date):
        return i18n.format_long_date(as_of, lang)
    year, month = as_of.split("-")
    return i18n.format_month(dt.date(int(year), int(month), 1), lang)


def directorate(dossier: Dossier, lang: str) -> str:
    """The issuing directorate: the issuer's last part ("FPS … – Directorate for the
    United Nations"), or the whole issuer when it has no parts."""
    return dossier.mandate.issuer.get(lang).rsplit(" \u2013 ", 1)[-1].strip()


def year_part(as_of: dt.date | str, lang: str) -> str:
    """When in its year the dossier's information dates from: "early 2021"."""
    year, month = (
        (as_of.year, as_of.month) if isinstance(as_of, dt.date) else map(int, as_of.split("-"))
    )
    return i18n.gettext(lang, YEAR_PARTS[(month - 1) // 4]) % {"year": year}


def positions_caveat(dossier: Dossier, lang: str) -> str:
    """The standing caveat on the positions stated, from the dossier's as-of date and
    issuer."""
    text = i18n.gettext(lang, POSITIONS_CAVEAT) % {
        "period": year_part(dossier.mandate.as_of, lang),
        "directorate": directorate(dossier, lang),
    }
    return i18n.typography(text, lang)


def follow_up(dossier: Dossier, lang: str) -> str:
    """A lesson's follow-up where the dossier gives none: owner and moment to be set."""
    span = dossier.mandate.next_candidacy
    text = i18n.gettext(lang, FOLLOW_UP) % {
        "directorate": directorate(dossier, lang),
        "term": f"{span.start_year}\u2013{span.end_year}",
    }
    return i18n.typography(text, lang)


def document_reader(dossier: Dossier, lang: str, audience: str | None = None) -> str:
    """The one 'To' of a document: the given reader (a pack's audience, ``--for``), else
    the dossier's audience. Packs and single documents share it, so the same document
    built either way names the same reader."""
    mandate = dossier.mandate
    if audience:
        return audience
    return mandate.audience.get(lang) if mandate.audience else mandate.issuer.get(lang)


def reference(dossier: Dossier, topic: str, kind: str, lang: str) -> str:
    """A stable reference: the same document always carries the same one."""
    return f"{dossier.id}/{topic}/{KIND_CODES[kind]}/{lang}".upper()


def build_context(
    dossier: Dossier,
    topic: str,
    kind: str,
    lang: str,
    date: dt.date | None = None,
    audience: str | None = None,
) -> DocumentContext:
    """Everything a template needs, localized; no template logic touches the models."""
    if kind not in KINDS:
        raise UsageProblem(f"Unknown kind '{kind}'.", suggest(kind, list(KINDS)))
    topic = dossier.topic_id(topic) or topic  # a replaced id names its successor
    topics = resolve_topic(dossier, topic, kind)
    translations = i18n.translations(lang)
    mandate = dossier.mandate
    localizer = _Localizer(dossier, lang)
    views = tuple(localizer.topic(item) for item in topics)
    whole = topic == ALL_TOPICS
    if whole and kind == "lessons-learned":
        views = cross_reference(dossier, views, lang)
    title = mandate.title.get(lang) if whole else views[0].title
    localizer.used.update(mandate.term.facts)
    stated = kind != "briefing-note" or any(view.lines_to_take for view in views)
    purpose = PURPOSES[kind] if stated else FACTS_PURPOSE
    purpose_text = translations.ugettext(purpose) % {
        "subject": i18n.typeset(title, lang),  # set before it is quoted
        "country": mandate.country.get(lang),
        "ordinal": i18n.spell_ordinal(mandate.term.ordinal, lang),
        "body": mandate.body.get(lang),
        "start": i18n.format_long_date(mandate.term.start, lang),
        "end": i18n.format_long_date(mandate.term.end, lang),
    }
    purpose_item = Item(i18n.typography(purpose_text, lang), tuple(mandate.term.facts))
    made = document_date(date)
    kind_title = translations.ugettext(KIND_TITLES[kind])
    classification = translations.ugettext(CLASSIFICATIONS[mandate.classification])
    reader = document_reader(dossier, lang, audience)
    front = {
        "title": render_title(dossier, topic, kind, lang),
        "lang": lang,
        "kind": kind,
        "topic": topic,
        "dossier": dossier.id,
        "reference": reference(dossier, topic, kind, lang),
        "classification": classification,
        "date": made.isoformat(),
        "as_of": str(mandate.as_of),
        "facts_hash": facts_hash(dossier, localizer.used),
    }
    return DocumentContext(
        kind=kind,
        lang=lang,
        title=title,
        kind_title=kind_title,
        classification=classification,
        date=i18n.format_long_date(made, lang),
        as_of=format_as_of(mandate.as_of, lang),
        caveat=positions_caveat(dossier, lang),
        audience=reader,
        reference=reference(dossier, topic, kind, lang),
        issuer=spell_out_in_header(dossier, mandate.issuer.get(lang), lang),
        dossier_title=mandate.title.get(lang),
        purpose=purpose_item,
        topics=views,
        whole_mandate=whole,
        sources=tuple(
            SourceView(source.author, source.title, source.author_function.get(lang))
            for source in mandate.sources
        ),
        front_matter=yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000),
        cited=frozenset(_notes_in((purpose_item, views))),
        names=dossier_names(dossier, lang),
        follow_up=follow_up(dossier, lang) if kind == "lessons-learned" else "",
    )


def _notes_in(value: object) -> Iterator[str]:
    """Every fact id the view objects carry as notes: the only ids a footnote can be for."""
    if isinstance(value, tuple):
        for part in value:
            yield from _notes_in(part)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        yield from getattr(value, "notes", ())
        for item in dataclasses.fields(value):
            yield from _notes_in(getattr(value, item.name))


def footnotes(
    dossier: Dossier, body: str, cited: frozenset[str], lang: str = "en"
) -> tuple[Footnote, ...]:
    """One footnote per fact the document cites, in the order of first citation.

    Only ``cited`` (the facts the renderer used) can have a footnote, and the front
    matter is not searched: a title holding ``[^x]`` neither fails nor adds one.
    Dossier text cannot forge a citation in the body: ``|md`` escapes ``[`` and ``^``.
    """
    text = body.split("\n---\n", 1)[1] if body.startswith("---\n") else body
    seen = [fact_id for fact_id in dict.fromkeys(_CITATION.findall(text)) if fact_id in cited]
    untitled = i18n.gettext(lang, UNTITLED_SECTION)
    notes = []
    for fact_id in seen:
        fact = dossier.facts[fact_id]
        source = dossier.source(fact.source.ref)
        section = fact.source.section or untitled
        notes.append(Footnote(fact_id, source.author, source.title, section, fact.source.quote))
    return tuple(notes)


def spell_out_in_header(dossier: Dossier, text: str, lang: str) -> str:
    """Write ``long (SHORT)`` at the first use of each of the dossier's acronyms in a
    header line (the issuer: "Federal Public Service (FPS) Foreign Affairs"): a header
    names things in full, and the body then uses the short form plainly."""
    for acronym in dossier.mandate.acronyms:
        short, long = acronym.short.get(lang), acronym.long.get(lang)
        if long in text:
            continue
        found = re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text)
        if found is not None:
            text = f"{text[: found.start()]}{long} ({short}){text[found.end() :]}"
    return text


# English "an" before an acronym said letter by letter ("an EU stake-out") becomes "a"
# before a long form that starts with a consonant sound ("a European Union (EU) stake-out").
_ENGLISH_AN = re.compile(r"(?<!\w)([Aa])n $")
_VOWEL_SOUND = re.compile(r"^(?!Eu|Un[aeiou]|Uni|One)[AEIOUaeiou]")
# An acronym said as a name takes no article ("in MINUSMA"); its long form, a name with
# an article, does ("in the United Nations … Mission in Mali (MINUSMA)"). French writes
# the article before the acronym already (« au sein de la MINUSMA »).
_NAME_ARTICLE = {"en": "the", "nl": "de"}
_PREPOSITION_BEFORE = {
    "en": re.compile(r"(?<!\w)(?:in|of|to|by|for|with|from|at|on|within|into) $", re.IGNORECASE),
    "nl": re.compile(r"(?<!\w)(?:in|van|aan|bij|voor|met|uit|op|binnen|naar) $", re.IGNORECASE),
}
# The acronym ends its noun phrase (it qualifies no noun after it): punctuation, a
# footnote or a function word follows.
_ENDS_PHRASE = {
    "en": re.compile(r"^(?:\[\^|[.,;:)]|\s*$| (?:and|as|in|to|was|is|were|with|for)\b)"),
    "nl": re.compile(r"^(?:\[\^|[.,;:)]|\s*$| (?:als|en|in|was|is|tot|te|met|voor)\b)"),
}


def spell_out_acronyms(dossier: Dossier, body: str, lang: str) -> str:
    """Write ``long (SHORT)`` at the first use of each of the dossier's acronyms: the
    full name first, then the acronym ("the United Nations (UN) High Commissioner",
    « l'Organisation des Nations Unies (ONU) », "de Verenigde Naties (VN)").

    Only the text after the header block is touched; a use inside a compound word
    (``VN-Veiligheidsraad``) is left alone, and so is one the header or the text already
    explains (``long (SHORT)``, as the issuer's). The long form merely written earlier
    ("to the United Nations in New York") explains no acronym: each is spelled out the
    same way in every language. Later uses keep the acronym.
    """
    head, marker, text = body.partition("\n## ")
    if not marker:
        return body
    for acronym in dossier.mandate.acronyms:
        short, long = (
            escape_markdown(acronym.short.get(lang)),
            escape_markdown(acronym.long.get(lang)),
        )
        pattern = re.compile(rf"(?<![\w\\-]){re.escape(short)}(?![\w-])")
        found = pattern.search(text)
        if found is None or f"{long} ({short})" in head + text[: found.start()]:
            continue
        before = text[: found.start()]
        after = text[found.end() :]
        if lang == "en" and not _VOWEL_SOUND.match(long):
            before = _ENGLISH_AN.sub(r"\1 ", before)
        preposition = _PREPOSITION_BEFORE.get(lang)
        if preposition and preposition.search(before) and _ENDS_PHRASE[lang].match(after):
            before = f"{before}{_NAME_ARTICLE[lang]} "
        text = f"{before}{long} ({short}){after}"
    return head + marker + text


def render_document(
    dossier: Dossier,
    topic: str,
    kind: str,
    lang: str,
    date: dt.date | None = None,
    audience: str | None = None,
) -> RenderedDocument:
    """Render one document as Markdown with front matter, footnotes and sources."""
    made = document_date(date)
    topic = dossier.topic_id(topic) or topic
    context = build_context(dossier, topic, kind, lang, made, audience)
    body = render_template(lang, f"{kind}.md.j2", doc=context)
    if kind != "talking-points":  # spoken text says names as the speaker says them
        body = spell_out_acronyms(dossier, body, lang)
    notes = footnotes(dossier, body, context.cited, lang)
    markdown = i18n.typeset_markdown(
        body + render_template(lang, "footnotes.md.j2", notes=notes), lang
    )
    return RenderedDocument(
        markdown=markdown,
        title=render_title(dossier, topic, kind, lang),
        kind=kind,
        topic=topic,
        lang=lang,
        date=made,
        classification=context.classification,
    )


def topic_list(dossier: Dossier, lang: str) -> list[dict[str, str]]:
    """Ids, titles and summaries in one language, in the dossier's order."""
    localizer = _Localizer(dossier, lang)
    return [
        {
            "id": topic.id,
            "title": topic.title.get(lang),
            "summary": localizer.statement(topic.summary).text,
        }
        for topic in dossier.topics.values()
    ]
