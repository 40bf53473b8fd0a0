"""A conversation: each message is understood, then completed from the turns before it.

The reader (``understand.py``) sees one message at a time. The session adds what a person
would: "and in French?" repeats the last answer in French, "as PDF" turns the last topic
into a PDF, "now the talking points" keeps the topic and changes the kind, "more about …"
continues the topic with facts not yet given, "and Somalia?" after a document asks for
the same kind of document on another topic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from diplobrief.chat import answer as answers
from diplobrief.chat import lexicon
from diplobrief.chat.answer import Answer
from diplobrief.chat.engine import ChatEngine, engine_for
from diplobrief.chat.text import clean, words
from diplobrief.chat.understand import (
    ALL_TOPICS,
    MAX_MESSAGE_CHARACTERS,
    MIN_FACT_COVERAGE,
    Understanding,
)
from diplobrief.errors import UsageProblem
from diplobrief.i18n import DEFAULT_LANGUAGE

# How many facts "more about …" adds at a time.
MORE_FACTS = 3
# A message this short that names a topic, after a document, asks for the same document
# on that topic ("and Somalia?", "en over Iran?").
SHORT_FOLLOW_UP_WORDS = 3


@dataclass
class Session:
    """The state of one conversation: its language and what was last asked and answered.

    ``language`` forces the output language (``--lang``); ``default_language`` is the
    language of replies to messages whose language cannot be told (a bare "Mali").
    """

    engine: ChatEngine
    language: str | None = None
    default_language: str = DEFAULT_LANGUAGE
    conversation_language: str = field(init=False)
    last: Answer | None = field(default=None, init=False)
    topic: str | None = field(default=None, init=False)
    document_topic: str | None = field(default=None, init=False)
    shown: set[str] = field(default_factory=set, init=False)
    # Whether the last answer was the source's author: "and his function?" refers to him.
    source_last: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.conversation_language = self.language or self.default_language

    def to_state(self) -> dict[str, Any]:
        """The conversation as a JSON-safe dict (the last answer only as far as
        follow-ups read it), for a web app whose next request may reach another process."""
        last = self.last
        return {
            "language": self.language,
            "default_language": self.default_language,
            "conversation_language": self.conversation_language,
            "topic": self.topic,
            "document_topic": self.document_topic,
            "shown": sorted(self.shown),
            "source_last": self.source_last,
            "last": None
            if last is None
            else {
                "intent": last.intent,
                "language": last.language,
                "topic": last.topic,
                "kind": last.kind,
                "format": last.format,
                "facts": list(last.facts),
                "confidence": last.confidence,
            },
        }

    @classmethod
    def from_state(cls, engine: ChatEngine, state: dict[str, Any]) -> Session:
        """The session ``to_state`` described; KeyError or TypeError if it is not one."""
        session = cls(engine, state["language"], state["default_language"])
        session.conversation_language = str(state["conversation_language"])
        session.topic, session.document_topic = state["topic"], state["document_topic"]
        session.shown = {str(fact) for fact in state["shown"]}
        session.source_last = bool(state.get("source_last", False))
        last = state["last"]
        if last is not None:
            session.last = Answer(
                last["intent"],
                str(last["language"]),
                "",
                last["topic"],
                last["kind"],
                last["format"],
                facts=tuple(str(fact) for fact in last["facts"]),
                confidence=float(last["confidence"]),
            )
        return session

    @property
    def reply_language(self) -> str:
        """The language of the chat's own phrases before the user has said anything."""
        return self.language or self.conversation_language

    def respond(self, message: str) -> Answer:
        """Answer one message; PDF answers still need ``answers.deliver`` to be written."""
        text = clean(message)
        if not text:
            return answers.prompt_answer(self.reply_language)
        if len(text) > MAX_MESSAGE_CHARACTERS:
            return answers.too_long_answer(self.reply_language, len(text), MAX_MESSAGE_CHARACTERS)
        understanding = self.engine.reader.read(text, self.conversation_language)
        if (
            (understanding.intent == "unknown" or understanding.elliptical)
            and understanding.is_follow_up
            and self.topic is not None
            and understanding.other_country is None
        ):
            recent = self.last.facts if self.last is not None else ()
            inside = self.engine.reader.read(
                text, self.conversation_language, within=self.topic, recent=recent
            )
            if inside.facts:
                understanding = inside
        if understanding.language_certain:
            self.conversation_language = understanding.language
        source_last, self.source_last = self.source_last, False
        reply = self._resolve(understanding, source_last)
        self.last = reply
        if reply.topic is not None and reply.topic != ALL_TOPICS:
            self.topic = reply.topic
            if reply.intent == "document":
                self.document_topic = reply.topic
        if reply.intent == "fact":
            self.shown.update(reply.facts)
        return reply

    def _output_language(
        self, understanding: Understanding, follow_up: bool, modifier: bool = False
    ) -> str:
        if self.language is not None:
            return self.language
        if understanding.requested_language is not None:
            return understanding.requested_language
        # "as PDF", "now the talking points" (modifiers of the last answer) keep its
        # language; a new follow-up question written in another language ("And which
        # committee did Belgium chair?" after French) changes it.
        if follow_up and self.last is not None and (modifier or not understanding.language_certain):
            return self.last.language
        return understanding.language

    def _resolve(self, understanding: Understanding, source_last: bool = False) -> Answer:
        dossier = self.engine.dossier
        last = self.last
        intent = understanding.intent
        if intent == "help":
            return answers.help_answer(dossier, self._output_language(understanding, False))
        if intent == "smalltalk":
            assert understanding.smalltalk is not None
            lang = self._output_language(understanding, False)
            return answers.smalltalk_answer(dossier, lang, understanding.smalltalk)
        if understanding.asks_source and (
            intent == "unknown" or "agent" in understanding.answer_types
        ):
            return self._source(understanding)
        if (
            source_last
            and understanding.is_question
            and any(word in lexicon.PERSON_PRONOUNS for word in words(understanding.text))
        ):
            # "And what is his function?" after the source's author.
            return self._source(understanding)
        if understanding.same_topic and understanding.topic is None and self.topic is not None:
            understanding = replace(
                understanding, topic=self.document_topic or self.topic, topic_confidence=1.0
            )
            intent = understanding.intent
        if understanding.other_country is not None:
            lang = self._output_language(understanding, False)
            country = self.engine.country_name(understanding.other_country, lang)
            return answers.unknown_answer(dossier, lang, (), country)
        if understanding.wants_more and (understanding.topic or self.topic):
            return self._more(understanding)
        if last is not None and understanding.only_modifiers:
            repeated = self._modified(understanding, last)
            if repeated is not None:
                return repeated
        if intent == "document":
            return self._document(understanding)
        if (
            last is not None
            and last.intent == "document"
            and last.kind is not None
            and understanding.topic is not None
            and not understanding.is_question
            and len(understanding.content) <= SHORT_FOLLOW_UP_WORDS
        ):
            lang = self._output_language(understanding, True)
            return answers.document_answer(
                dossier,
                understanding.topic,
                last.kind,
                lang,
                last.format or "md",
                understanding.topic_confidence,
            )
        if intent == "fact":
            lang = self._output_language(understanding, understanding.is_follow_up)
            best = understanding.facts[0]
            # The author's career is about the source, not about a topic of the mandate.
            about_author = understanding.names_source and best in self.engine.index.source_facts
            topic = None if about_author else self.engine.index.fact_topic[best]
            return answers.fact_answer(
                dossier, understanding.facts, lang, topic, understanding.fact_confidence
            )
        return answers.unknown_answer(
            dossier,
            self._output_language(understanding, False),
            understanding.closest_topics,
            None,
            understanding.missing_terms,
            understanding.missing_type,
        )

    def _source(self, understanding: Understanding) -> Answer:
        reply = answers.source_answer(
            self.engine.dossier, self._output_language(understanding, understanding.is_follow_up)
        )
        self.source_last = True
        return reply

    def _document(self, understanding: Understanding) -> Answer:
        dossier = self.engine.dossier
        last = self.last
        kind = understanding.kind
        if kind is None and understanding.is_follow_up and last is not None:
            kind = last.kind
        kind = kind or "briefing-note"
        topic = understanding.topic
        confidence = understanding.topic_confidence
        if topic is None and understanding.facts:
            topic = self.engine.index.fact_topic[understanding.facts[0]]
            confidence = understanding.fact_confidence
        if topic is None and self.topic is not None:
            topic, confidence = self.topic, 1.0
        if topic is None and kind == "lessons-learned":
            topic, confidence = ALL_TOPICS, 1.0
        output_format = understanding.format or "md"
        lang = self._output_language(understanding, understanding.is_follow_up)
        if topic is None:
            return answers.clarify_topic_answer(dossier, lang, kind, output_format)
        return answers.document_answer(dossier, topic, kind, lang, output_format, confidence)

    def _modified(self, understanding: Understanding, last: Answer) -> Answer | None:
        """The last answer again, in another language, format or kind."""
        dossier = self.engine.dossier
        lang = self._output_language(understanding, True, modifier=True)
        topic = last.topic or self.topic
        if understanding.kind is not None:
            # "Now the talking points" is about the last document's topic.
            topic = self.document_topic or topic
            if understanding.kind == "lessons-learned":
                topic = topic or ALL_TOPICS
            elif topic == ALL_TOPICS or (last.intent == "document" and last.topic == ALL_TOPICS):
                # The whole mandate has lessons learned only; its other documents are
                # those of the topic that holds the term's own record.
                topic = self.engine.index.fact_topic[dossier.mandate.term.facts[0]]
            if topic is None:
                return None
            output_format = understanding.format or (
                last.format if last.intent == "document" and last.format else "md"
            )
            return answers.document_answer(
                dossier, topic, understanding.kind, lang, output_format, 1.0
            )
        if understanding.format is not None:
            if topic is None:
                return None
            kind = last.kind if last.intent == "document" and last.kind else "briefing-note"
            return answers.document_answer(dossier, topic, kind, lang, understanding.format, 1.0)
        if understanding.requested_language is None:
            return None
        if last.intent == "document" and last.topic is not None and last.kind is not None:
            return answers.document_answer(
                dossier, last.topic, last.kind, lang, last.format or "md", last.confidence
            )
        if last.intent == "fact" and last.facts:
            return answers.fact_answer(dossier, last.facts, lang, last.topic, last.confidence)
        if last.intent == "help":
            return answers.help_answer(dossier, lang)
        return None

    def _more(self, understanding: Understanding) -> Answer:
        """Facts of the topic not given yet, those closest to the question first."""
        dossier = self.engine.dossier
        topic = understanding.topic or self.topic
        assert topic is not None
        if topic == ALL_TOPICS:
            topic = self.topic or next(iter(dossier.topics))
        lang = self._output_language(understanding, True)
        index = self.engine.index
        query = index.analyse(understanding.content)
        ranked = [
            fact_id
            for fact_id, score in index.rank_facts(query)
            if score > 0
            and index.fact_topic[fact_id] == topic
            and fact_id not in self.shown
            and index.fact_coverage(query, fact_id) >= MIN_FACT_COVERAGE
        ]
        rest = [fact.id for fact in dossier.topics[topic].facts if fact.id not in self.shown]
        chosen = tuple(dict.fromkeys([*ranked, *rest]))[:MORE_FACTS]
        if not chosen:
            return answers.nothing_more_answer(lang, topic)
        return answers.fact_answer(dossier, chosen, lang, topic, 1.0 if ranked else 0.5)


def ask(
    question: str,
    dossier_path: Path,
    language: str | None = None,
    default_language: str | None = None,
    output_dir: Path = Path("."),
    markdown_too: bool = False,
) -> Answer:
    """Answer one question without a conversation around it (``diplobrief ask``).

    ``language`` forces the output language; ``default_language`` is used only when the
    question's own language cannot be told. A PDF or DOCX is written to ``output_dir``,
    and a Markdown document too with ``markdown_too`` (at a terminal).
    """
    text = clean(question)
    example = 'Example: diplobrief ask "How many countries supported Belgium\'s candidacy?"'
    if not text:
        raise UsageProblem("The question is empty.", example)
    if len(text) > MAX_MESSAGE_CHARACTERS:
        raise UsageProblem(
            f"The question is too long ({len(text)} characters; at most {MAX_MESSAGE_CHARACTERS}).",
            "Ask one short question.",
        )
    engine = engine_for(dossier_path)
    session = Session(engine, language=language, default_language=default_language or "en")
    reply = session.respond(text)
    return answers.deliver(reply, engine.dossier, output_dir, markdown_too)
