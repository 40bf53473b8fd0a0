"""Answers built from the dossier only: facts with their sources, documents, help, "unknown".

A fact answer is the fact's own statement in the output language, its figures formatted by
``i18n.fill``, followed by its source; the chat never writes a sentence of its own about
the mandate, so it cannot state a number, name or date the dossier does not hold. The
fixed phrases around those statements go through the gettext catalogs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from diplobrief import i18n
from diplobrief.chat.understand import Intent
from diplobrief.dossier import Dossier
from diplobrief.errors import OutputError
from diplobrief.render import N_, UNTITLED_SECTION, RenderedDocument, render_document

# Examples shown by "help"; the tests check that the chat understands every translation.
HELP_EXAMPLES = (
    N_("How many countries supported Belgium's candidacy?"),
    N_("Talking points on children and armed conflict"),
    N_("Lessons learned on the whole mandate, in French"),
    N_("Briefing note on peacekeeping as PDF"),
)
# A footnote definition of a rendered document: one per fact it cites.
_FOOTNOTE = re.compile(r"^\[\^([a-z0-9-]+)\]:", re.MULTILINE)


@dataclass(frozen=True)
class SourceNote:
    """Where a fact comes from: the article section and the supporting quote."""

    fact: str
    section: str
    quote: str
    author: str
    title: str

    def as_json(self) -> dict[str, str]:
        return {"fact": self.fact, "section": self.section, "quote": self.quote}


@dataclass(frozen=True)
class Answer:
    """One reply: what was understood, the text to show, and where it comes from."""

    intent: Intent
    language: str
    text: str
    topic: str | None = None
    kind: str | None = None
    format: str | None = None
    sources: tuple[SourceNote, ...] = ()
    confidence: float = 0.0
    facts: tuple[str, ...] = ()
    document: RenderedDocument | None = None
    path: Path | None = None
    notice: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The ``ask --json`` object; ``answer`` is the whole Markdown for a document."""
        return {
            "intent": self.intent,
            "language": self.language,
            "topic": self.topic,
            "kind": self.kind,
            "format": self.format,
            "answer": self.text,
            "sources": [source.as_json() for source in self.sources],
            "confidence": round(self.confidence, 3),
            "path": str(self.path) if self.path is not None else None,
        }


def _translator(lang: str) -> Any:
    """The catalog's gettext for ``lang``; call it as ``gettext("literal")`` for extraction."""
    return i18n.translations(lang).ugettext


def _sources(dossier: Dossier, fact_ids: tuple[str, ...], lang: str) -> tuple[SourceNote, ...]:
    notes = []
    for fact_id in fact_ids:
        fact = dossier.facts[fact_id]
        origin = dossier.source(fact.source.ref)
        notes.append(
            SourceNote(
                fact_id,
                fact.source.section or i18n.gettext(lang, UNTITLED_SECTION),
                " ".join(fact.source.quote.split()),
                origin.author,
                origin.title,
            )
        )
    return tuple(notes)


def fact_answer(
    dossier: Dossier, fact_ids: tuple[str, ...], lang: str, topic: str | None, confidence: float
) -> Answer:
    """Each fact's statement in ``lang``, its figures formatted, then where it comes from."""
    gettext = _translator(lang)
    sources = _sources(dossier, fact_ids, lang)
    blocks = []
    for fact_id, note in zip(fact_ids, sources, strict=True):
        fact = dossier.facts[fact_id]
        # The language's spacing goes into the label, never into the quote: it is verbatim.
        label = i18n.typography(
            gettext("Source: %(author)s, “%(title)s”, section “%(section)s”: “%(quote)s”"), lang
        )
        source_line = label % {
            "author": note.author,
            "title": note.title,
            "section": note.section,
            "quote": note.quote,
        }
        statement = i18n.fill(fact.text.get(lang), fact.values, lang)
        blocks.append(f"{statement}\n  {source_line}")
    return Answer(
        intent="fact",
        language=lang,
        text="\n\n".join(blocks),
        topic=topic,
        sources=sources,
        confidence=confidence,
        facts=fact_ids,
    )


def nothing_more_answer(lang: str, topic: str) -> Answer:
    """'More about' a topic whose facts have all been given already."""
    gettext = _translator(lang)
    text = gettext("That is everything the dossier holds on this topic.")
    return Answer(intent="fact", language=lang, text=text, topic=topic, confidence=1.0)


def unknown_answer(
    dossier: Dossier, lang: str, closest_topics: tuple[str, ...], other_country: str | None
) -> Answer:
    """No guessing: say that the dossier has nothing sourced, and where to look instead."""
    gettext = _translator(lang)
    if other_country is not None:
        lines = [
            gettext(
                "The dossier covers Belgium's term only; it has no sourced information on "
                "another country's term (%(country)s)."
            )
            % {"country": other_country}
        ]
    else:
        lines = [gettext("The dossier has no sourced information on that.")]
    if closest_topics:
        titles = ", ".join(
            f"{dossier.topics[topic_id].title.get(lang)} ({topic_id})"
            for topic_id in closest_topics
        )
        lines.append(gettext("Closest topics: %(topics)s") % {"topics": titles})
    lines.append(gettext("Type “help” to see what I can do."))
    return Answer(
        intent="unknown",
        language=lang,
        text=i18n.typography("\n".join(lines), lang),
        confidence=0.0,
    )


def help_answer(dossier: Dossier, lang: str) -> Answer:
    """What the chat can do, with examples and the topics, in the user's language."""
    gettext = _translator(lang)
    lines = [
        gettext(
            "Ask me a question about the mandate, or ask for a document (a briefing note, "
            "talking points or lessons learned), in Dutch, French or English. For example:"
        ),
        *(f"  {gettext(example)}" for example in HELP_EXAMPLES),
        gettext(
            "Follow-up questions work too: “and in Dutch?”, “as PDF”, “now the talking "
            "points”, “more about …”."
        ),
        "",
        gettext("Topics:"),
    ]
    lines.extend(f"  {topic.id}: {topic.title.get(lang)}" for topic in dossier.topics.values())
    lines.append("")
    lines.append(gettext("Type “quit” to leave."))
    return Answer(
        intent="help", language=lang, text=i18n.typography("\n".join(lines), lang), confidence=1.0
    )


def greeting(dossier: Dossier, lang: str) -> str:
    """The first words of an interactive chat."""
    gettext = _translator(lang)
    return i18n.typography(
        gettext(
            "Hello! I answer questions on “%(title)s” from the dossier's sourced facts, and "
            "I write briefing notes, talking points and lessons learned. Type “help” for "
            "examples, “quit” to leave."
        )
        % {"title": dossier.mandate.title.get(lang)},
        lang,
    )


def farewell(lang: str) -> str:
    gettext = _translator(lang)
    return str(gettext("Goodbye."))


def prompt_answer(lang: str) -> Answer:
    """An empty message: say what to type rather than nothing."""
    gettext = _translator(lang)
    text = gettext("Please type a question, or “help”.")
    return Answer(intent="help", language=lang, text=i18n.typography(text, lang))


def too_long_answer(lang: str, length: int, limit: int) -> Answer:
    """A message longer than any question: refuse plainly instead of reading a novel."""
    gettext = _translator(lang)
    text = gettext(
        "Your message is too long (%(length)s characters); please ask a question of at most "
        "%(limit)s characters."
    ) % {"length": i18n.format_number(length, lang), "limit": i18n.format_number(limit, lang)}
    return Answer(intent="unknown", language=lang, text=i18n.typography(text, lang))


def clarify_topic_answer(dossier: Dossier, lang: str, kind: str, output_format: str) -> Answer:
    """A document was asked for without a topic: list the topics to choose from."""
    topics = ", ".join(dossier.topics)
    gettext = _translator(lang)
    text = gettext("Which topic? Choose one of: %(topics)s.") % {"topics": topics}
    return Answer(
        intent="document",
        language=lang,
        text=i18n.typography(text, lang),
        kind=kind,
        format=output_format,
        confidence=0.0,
    )


def document_answer(
    dossier: Dossier, topic: str, kind: str, lang: str, output_format: str, confidence: float
) -> Answer:
    """The same document ``generate`` writes; for PDF, ``deliver`` writes the file."""
    document = render_document(dossier, topic, kind, lang)
    fact_ids = tuple(_FOOTNOTE.findall(document.markdown))
    return Answer(
        intent="document",
        language=lang,
        text=document.markdown,
        topic=topic,
        kind=kind,
        format=output_format,
        sources=_sources(dossier, fact_ids, lang),
        confidence=confidence,
        facts=fact_ids,
        document=document,
    )


def pdf_name(answer: Answer) -> str:
    """``<topic>-<kind>-<lang>.pdf``, the name the issue asks for."""
    return f"{answer.topic}-{answer.kind}-{answer.language}.pdf"


def deliver(answer: Answer, dossier: Dossier, output_dir: Path) -> Answer:
    """Write a PDF answer to ``output_dir``; every other answer is returned as it is.

    WeasyPrint is imported here, and only here, when a PDF is really asked for.
    """
    if answer.format != "pdf" or answer.document is None:
        return answer
    from diplobrief.output import write_atomic

    try:
        from diplobrief.pdf import document_pdf
    except ImportError:
        raise OutputError("PDF output is not available in this installation.") from None
    path = output_dir / pdf_name(answer)
    write_atomic(path, document_pdf(dossier, answer.document))
    gettext = _translator(answer.language)
    notice = gettext("Wrote %(path)s") % {"path": path}
    return replace(answer, path=path, notice=notice)
