"""Answers built from the dossier only: facts with their sources, the source itself,
documents (and their summaries), help, small talk and refusals.

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
    ends_conversation: bool = False

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
    """The best fact's statement in ``lang``, its figures formatted, then its source; each
    further fact (one that adds to the answer, never a duplicate) follows as "Related:"."""
    gettext = _translator(lang)
    sources = _sources(dossier, fact_ids, lang)
    blocks: list[str] = []
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
        if blocks:
            statement = i18n.typography(gettext("Related: %(statement)s"), lang) % {
                "statement": statement
            }
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


def _missing_value(gettext: Any, kind: str) -> str:
    """What a question asked for that no fact holds, as a phrase in the user's language."""
    phrases = {
        "count": gettext("a number"),
        "time": gettext("a date"),
        "future": gettext("a date"),
        "date": gettext("an exact date"),
        "resolution": gettext("a resolution number"),
        "name": gettext("a name"),
        "identity": gettext("a name"),
        "country": gettext("the countries"),
        "agent": gettext("a name"),
        "amount": gettext("an amount"),
        "vote": gettext("a vote result"),
        "duration": gettext("a duration"),
        "ordinal": gettext("a rank"),
        "clock": gettext("the time of day"),
        "speech": gettext("what was said"),
    }
    return str(phrases.get(kind, gettext("that")))


def unknown_answer(
    dossier: Dossier,
    lang: str,
    closest_topics: tuple[str, ...],
    other_country: str | None,
    missing_terms: tuple[str, ...] = (),
    missing_type: str | None = None,
) -> Answer:
    """No guessing: say what the dossier lacks, the closest topics, and what to ask instead."""
    gettext = _translator(lang)
    if other_country is not None:
        lines = [
            gettext(
                "The dossier covers Belgium's term only; it has no sourced information on "
                "another country's term (%(country)s)."
            )
            % {"country": other_country}
        ]
    elif missing_type is not None:
        lines = [
            gettext("The dossier has facts on this, but none of them gives %(what)s.")
            % {"what": _missing_value(gettext, missing_type)}
        ]
    elif missing_terms:
        lines = [
            gettext("The dossier says nothing about “%(terms)s”.")
            % {"terms": ", ".join(missing_terms)}
        ]
    else:
        lines = [gettext("The dossier has no sourced information on that.")]
    if closest_topics:
        titles = ", ".join(
            f"{dossier.topics[topic_id].title.get(lang)} ({topic_id})"
            for topic_id in closest_topics
        )
        lines.append(gettext("Closest topics: %(topics)s") % {"topics": titles})
        example = gettext("Briefing note on %(topic)s") % {
            "topic": dossier.topics[closest_topics[0]].title.get(lang)
        }
    else:
        example = gettext(HELP_EXAMPLES[0])
    lines.append(gettext("You can ask, for example: “%(example)s”") % {"example": example})
    return Answer(
        intent="unknown",
        language=lang,
        text=i18n.typography("\n".join(lines), lang),
        confidence=0.0,
    )


def smalltalk_answer(dossier: Dossier, lang: str, act: str) -> Answer:
    """A short, polite reply to a greeting, thanks, goodbye or "who are you?", in the user's
    language."""
    gettext = _translator(lang)
    if act == "thanks":
        text = gettext("You're welcome. Anything else on the mandate?")
    elif act == "goodbye":
        text = gettext("Goodbye.")
    elif act == "identity":
        return Answer(
            intent="smalltalk", language=lang, text=greeting(dossier, lang), confidence=1.0
        )
    else:
        text = gettext(
            "Hello! Ask me about “%(title)s”, or for a briefing note, talking points or "
            "lessons learned. Type “help” for examples."
        ) % {"title": dossier.mandate.title.get(lang)}
    return Answer(
        intent="smalltalk",
        language=lang,
        text=i18n.typography(text, lang),
        confidence=1.0,
        ends_conversation=act == "goodbye",
    )


def source_answer(dossier: Dossier, lang: str) -> Answer:
    """Where the dossier comes from: each source, its author and the author's function."""
    gettext = _translator(lang)
    lines = []
    for origin in dossier.mandate.sources:
        line = gettext("The dossier's source is %(author)s, “%(title)s”.") % {
            "author": origin.author,
            "title": origin.title,
        }
        line += " " + gettext("%(author)s: %(function)s.") % {
            "author": origin.author,
            "function": origin.author_function.get(lang),
        }
        lines.append(line)
    return Answer(
        intent="fact",
        language=lang,
        text=i18n.typography("\n".join(lines), lang),
        confidence=1.0,
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


_EXTENSIONS = {"md": "md", "pdf": "pdf", "docx": "docx", "html": "html"}
_FOOTNOTE_REFERENCE = re.compile(r"\[\^[^\]]+\]")
_TOP_LEVEL_ITEM = re.compile(r"^(?:\d+\.|[-*])\s+")
# Key lines shown in a document's summary.
KEY_LINES = 3


def file_name(answer: Answer) -> str:
    """``<topic>-<kind>-<lang>.<md|pdf|docx|html>``."""
    extension = _EXTENSIONS.get(answer.format or "md", "md")
    return f"{answer.topic}-{answer.kind}-{answer.language}.{extension}"


def docx_bytes(dossier: Dossier, document: RenderedDocument) -> bytes:
    """A document as Word (DOCX) bytes, from ``diplobrief.docx`` when it is installed."""
    try:
        from diplobrief.docx import document_docx
    except ImportError:
        raise OutputError(
            "Word (DOCX) output is not available in this installation "
            "(the diplobrief.docx module is missing); ask for Markdown or PDF instead."
        ) from None
    return document_docx(dossier, document)


def document_bytes(dossier: Dossier, answer: Answer) -> bytes:
    """The file of a document answer in its format: Markdown, PDF, DOCX or HTML (the
    same self-contained page ``generate`` writes).

    WeasyPrint is imported here, and only here, when a PDF is really asked for.
    """
    assert answer.document is not None
    if answer.format == "html":
        from diplobrief.pdf import document_html

        return document_html(dossier, answer.document, embed_fonts=True).encode("utf-8")
    if answer.format == "pdf":
        try:
            from diplobrief.pdf import document_pdf
        except ImportError:
            raise OutputError("PDF output is not available in this installation.") from None
        return document_pdf(dossier, answer.document)
    if answer.format == "docx":
        return docx_bytes(dossier, answer.document)
    return answer.document.markdown.encode("utf-8")


def deliver(
    answer: Answer, dossier: Dossier, output_dir: Path, markdown_too: bool = False
) -> Answer:
    """Write a PDF, DOCX or HTML answer (and a Markdown one too with ``markdown_too``, as
    the chat does) to ``output_dir``; every other answer is returned as it is."""
    if answer.document is None or (answer.format in (None, "md") and not markdown_too):
        return answer
    from diplobrief.output import write_atomic

    path = output_dir / file_name(answer)
    write_atomic(path, document_bytes(dossier, answer))
    gettext = _translator(answer.language)
    notice = gettext("Wrote %(path)s") % {"path": path}
    return replace(answer, path=path, notice=notice)


def _plain(line: str) -> str:
    """One Markdown line as plain text: no footnote marks, emphasis or escapes."""
    import html

    import markdown

    rendered = markdown.markdown(_FOOTNOTE_REFERENCE.sub("", line))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).split())


def document_summary(answer: Answer) -> str:
    """What the chat shows of a document instead of its Markdown: the title, the
    sections and the first key lines, then where the file was written."""
    assert answer.document is not None
    gettext = _translator(answer.language)
    sections: list[tuple[str, list[str]]] = []
    in_front_matter = False
    for number, line in enumerate(answer.document.markdown.splitlines()):
        if line.strip() == "---" and (number == 0 or in_front_matter):
            in_front_matter = not in_front_matter
            continue
        if in_front_matter:
            continue
        if line.startswith("## "):
            sections.append((_plain(line[3:]), []))
        elif sections and line[:1] not in ("", " ", "|", "[", "#", ">"):
            text = _plain(_TOP_LEVEL_ITEM.sub("", line))
            if text:
                sections[-1][1].append(text)
    later = [text for _, lines in sections[1:] for text in lines]
    first = [text for _, lines in sections[:1] for text in lines]
    key_lines = (later + first)[:KEY_LINES]
    lines = [answer.document.title]
    if sections:
        lines.append(
            gettext("Sections: %(sections)s")
            % {"sections": " · ".join(name for name, _ in sections)}
        )
    if key_lines:
        lines.append(gettext("Key lines:"))
        lines.extend(f"  • {text}" for text in key_lines)
    if answer.notice:
        lines.append(answer.notice)
    return i18n.typography("\n".join(lines), answer.language)
