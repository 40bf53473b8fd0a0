"""Print HTML and PDF: Markdown documents through python-markdown and WeasyPrint.

WeasyPrint is imported only inside the functions that render PDF, so the
Markdown and chat paths never pay for it. Every URL the renderer asks for goes
through ``AssetFetcher``, which serves files from the project's assets folder
and refuses everything else: no network, no file outside the assets.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
from babel.dates import get_month_names
from markupsafe import Markup, escape

from diplobrief import __version__, i18n
from diplobrief.dossier import Dossier
from diplobrief.errors import RenderError
from diplobrief.paths import TEMPLATES_DIR
from diplobrief.render import KIND_TITLES, N_, RenderedDocument, render_template

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse

ASSETS_DIR = TEMPLATES_DIR / "assets"
PAGE_COUNTER = N_("page %(page)s of %(pages)s")
PAGE_NUMBER = N_("page %(page)s")
BLANK_PAGE = N_("This page is intentionally left blank")
COVER_LABEL = N_("Cover")
MARKDOWN_EXTENSIONS = ["footnotes", "tables", "toc", "attr_list", "sane_lists"]
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# Inside a tag (text nodes cannot hold a raw "<"): an id, or a link to an id.
_ID_IN_TAG = re.compile(r'(<[^<>]*\s(?:id="|href="#))')


RUNNING_HEAD_WIDTH = 168.0  # points: a third of the head line (36% of 168 mm), at 7.5 pt
RUNNING_HEAD_SIZE = 7.5
# Words a cut subject never ends on: "Multilateralism and why…", not "…and…".
_WEAK_WORDS = (
    "a an and of on the to for in why with by at among "  # en
    "de des du la le les et en au aux pour sur un une d’un d’une entre dans "  # fr
    "het een van op voor tot te tussen met bij"  # nl
)
_WEAK_ENDINGS = frozenset(_WEAK_WORDS.split())


@lru_cache(maxsize=1)
def _advances() -> tuple[dict[int, int], float]:
    """DejaVu Sans advance widths by code point, per point of font size."""
    from fontTools.ttLib import TTFont

    with TTFont(ASSETS_DIR / "fonts" / "DejaVuSans.ttf") as font:
        metrics = font["hmtx"]
        widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
        return widths, float(font["head"].unitsPerEm)


def text_width(text: str, size: float = RUNNING_HEAD_SIZE) -> float:
    """The width in points of ``text`` set in the running head's font."""
    widths, units = _advances()
    return sum(widths.get(ord(char), units // 2) for char in text) / units * size


def running_head(title: str) -> tuple[str, str]:
    """The head line's two ends: the kind (left) and the subject (right), each on one
    line; a subject too long for its third is cut after a full word, with an ellipsis."""
    kind, colon, subject = title.partition(":")
    if not colon:
        kind, subject = "", title
    kind, subject = kind.strip(" \u00a0"), subject.strip()
    subject = subject[:1].upper() + subject[1:]  # stands alone, no colon before it
    if text_width(subject) <= RUNNING_HEAD_WIDTH:
        return kind, subject
    words = subject.split()
    while len(words) > 1 and (
        text_width(" ".join(words) + "\u2026") > RUNNING_HEAD_WIDTH
        or words[-1].lower() in _WEAK_ENDINGS
    ):
        words.pop()
    return kind, " ".join(words).rstrip(" :,;–-") + "\u2026"


@dataclass(frozen=True)
class PrintDocument:
    """One document's HTML body, ready to be placed in the print template."""

    anchor: str
    title: str
    html: Markup
    page: int | None = None
    running: str | None = None  # the subject for the running head, when shorter

    @property
    def running_head(self) -> tuple[str, str]:
        kind, subject = running_head(self.title)
        return (kind, running_head(self.running)[1]) if self.running else (kind, subject)


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    issuer: str
    dossier: str
    audience: str
    reference: str
    date: str
    language: str


def markdown_body(text: str) -> str:
    """Convert a document's Markdown (without its front matter) to HTML."""
    return markdown.markdown(
        _FRONT_MATTER.sub("", text, count=1),
        extensions=MARKDOWN_EXTENSIONS,
        extension_configs={"footnotes": {"BACKLINK_TEXT": ""}},
        output_format="html",
    )


def _scoped(html: str, anchor: str) -> str:
    """Prefix ids and in-page links so documents of one pack cannot collide."""
    return _ID_IN_TAG.sub(lambda match: f"{match.group(1)}{anchor}-", html)


FOOTNOTE = N_("Footnote %(number)s")
FOOTNOTES = N_("Footnotes %(numbers)s")
_NOTES_BLOCK = re.compile(r'<div class="footnote">\n<hr ?/?>\n<ol>\n(.*?)</ol>\n</div>', re.S)
_NOTE = re.compile(
    r'<li id="fn:([^"]+)">\n<p>(.*?)(?:&#160;)?'
    r'(?:<a class="footnote-backref"[^>]*></a>)*</p>\n</li>',
    re.S,
)
_REF = r'<sup id="fnref\d*:[^"]+"><a class="footnote-ref" href="#fn:([^"]+)">\d+</a></sup>'
# A run of calls and the word (with its punctuation) it follows, kept on one line.
_REF_RUN = re.compile(f'((?:<span class="nh">[^<]*</span>|[^\\s<>])*)((?:{_REF})+)')
_REF_ID = re.compile(_REF)
# The source quote closes a note: the last quoted passage before its end.
_NOTE_QUOTE = re.compile(r"(“|«\u202f)((?:(?!“|«).)*)(”|\u202f»)\Z", re.S)
# A paragraph's or list item's last word, before any closing punctuation and note calls.
_LAST_WORD = re.compile(
    r"(?<=[\s>(«“‘\u00a0\u202f])([^\W\d_][\w'’\u2011-]*)(?=[^\w<]*(?:" + _REF + r")*</(?:p|li)>)"
)
_HEADER_TABLE = re.compile(
    r"<table>\n<thead>\n<tr>\n(?:<th></th>\n)+</tr>\n</thead>\n(.*?)</table>", re.S
)
_ROW_LABEL = re.compile(r"<tr>\n<td>(?:<strong>)?(.*?)(?:</strong>)?</td>")
_TOKEN = re.compile(r"&[#\w]+;|[\w'’\u2011-]+")
# French ordinals: "1er", "6e", and centuries in Roman figures ("XXe siècle"), whose
# letters alone could be a word ("Ve" is not, "Ce" is): only before "siècle".
_ORDINAL = re.compile(r"\b(\d{1,3}|[IVX]{1,6}(?=e(?:</span>)?[ \u00a0\u202f]siècle))(er|re|e)\b ?")
_TAG = re.compile(r"(<[^>]*>)")
# A title's last two words share a line: no word or year alone under a heading.
_HEADING_END = re.compile(r"(<h[12][^>]*>[^<]*?)([^ <]+ [^ <]+)(</h[12]>)")
# A document title's kind and its colon on one line: "Note de briefing :", never
# "Note" alone at the end of the first line.
_HEADING_KIND = re.compile(r"(<h1(?![^>]*pack-title)[^>]*>)([^<:]+:)")
# The start of a paragraph or list item without attributes of its own, less a line in
# italics only (the "Information as of" line).
_CONTENT_BLOCK = re.compile(r"<(p|li)(?=>(?!<em>[^<]*</em></p>))")
_ANY_BLOCK = re.compile(r"<(p|li)(?=>)")
_MIN_HYPHENATED = 6  # as hyphenate-limit-chars in print.css: shorter words never split
# A compound kept on one line (a no-break span keeps the plain hyphen for search and
# screen readers): an acronym or a short part (VN-Veiligheidsraad, COVID-resolutie,
# COVID-19), a name in capitals (Haute-Commissaire), or any short compound: WeasyPrint
# 70 breaks a line too early when the text after an inline box holds a hyphen
# ("before the Council,⏎with a high-level debate").
_COMPOUND = re.compile(r"(?<![\w\u2011-])[^\W_]+(?:-[^\W_]+)+(?![\w\u2011-])")
_SHORT_PART = 3
_SHORT_COMPOUND = 24
# French high punctuation opening a text node, right after a note call or a tag.
_FRENCH_LEAD = re.compile(r"\A([;!?:])")


def _number_ranges(numbers: list[int]) -> str:
    """``[2, 3, 4, 7]`` as ``2–4, 7``."""
    groups: list[list[int]] = []
    for number in numbers:
        if groups and number == groups[-1][-1] + 1:
            groups[-1].append(number)
        else:
            groups.append([number])
    return ", ".join(
        str(group[0]) if len(group) == 1 else f"{group[0]}\u2013{group[-1]}" for group in groups
    )


@dataclass
class _Notes:
    """A document's notes: number and body by id, and which are placed already."""

    lang: str
    numbers: dict[str, int]
    bodies: dict[str, str]
    quote_langs: dict[str, str]
    placed: set[str]

    def body(self, note: str) -> str:
        body = i18n.typeset(self.bodies[note], self.lang)
        quote_lang = self.quote_langs.get(note)
        if quote_lang and quote_lang != self.lang:
            body = _NOTE_QUOTE.sub(
                lambda m: (
                    f'{m.group(1)}<span class="quote" lang="{quote_lang}">{m.group(2)}'
                    f"</span>{m.group(3)}"
                ),
                body,
                count=1,
            )
        return body

    def calls(self, match: re.Match[str]) -> str:
        """One run of note calls: a single link reading ``2–4``, then each new note as a
        page-foot float. A note already placed is cited by its number, not printed again."""
        word, calls = match.group(1), match.group(2)
        notes = list(dict.fromkeys(_REF_ID.findall(calls)))
        numbers = sorted(self.numbers[note] for note in notes)
        text = _number_ranges(numbers)
        first = min(notes, key=lambda note: self.numbers[note])
        message = FOOTNOTE if len(numbers) == 1 else FOOTNOTES
        label = i18n.gettext(self.lang, message) % {"number": text, "numbers": text}
        floats = []
        for note in sorted(notes, key=lambda note: self.numbers[note]):
            if note in self.placed:
                continue
            self.placed.add(note)
            floats.append(
                f'<span class="fn" id="fn-{note}" data-n="{self.numbers[note]}">'
                f"{self.body(note)}</span>"
            )
        # Only a figure right before the call ("Key message 1 ²"); after punctuation
        # ("2020).¹") the call keeps to it.
        after_figure = " after-figure" if re.search(r"\d\Z", _TAG.sub("", word)) else ""
        link = f'<a class="fnref{after_figure}" href="#fn-{first}" title="{label}">{text}</a>'
        return f'<span class="nobr">{word}{link}</span>' + "".join(floats)


def _row_headers(match: re.Match[str]) -> str:
    """A Markdown key-value table (empty header row) gets row header cells."""
    body = _ROW_LABEL.sub(r'<tr>\n<th scope="row">\1</th>', match.group(1))
    return f'<table class="header-block">\n{body}</table>'


def _guarded(token: str) -> bool:
    """Acronyms and names (a capital) and words with figures are never hyphenated;
    words too short to split and figures alone need no guard."""
    return (
        len(token) >= _MIN_HYPHENATED
        and not token.startswith("&")
        and any(char.isalpha() for char in token)
        and any(char.isupper() or char.isdigit() for char in token)
    )


def _kept_compound(token: str) -> bool:
    parts = token.split("-")
    if len(parts) < 2 or not all(parts):
        return False
    letters = [part for part in parts if not part.isdigit()]
    return bool(letters) and (
        len(token) <= _SHORT_COMPOUND
        or any(len(part) <= _SHORT_PART or part.isdigit() for part in parts)
        or any(len(part) > 1 and part.isupper() for part in letters)
        or all(part[0].isupper() for part in letters)
    )


def _keep_compounds(text: str) -> str:
    """Wrap each compound that must not break at its hyphen in a no-break span."""
    return _COMPOUND.sub(
        lambda m: (
            f'<span class="nobr">{m.group(0)}</span>' if _kept_compound(m.group(0)) else m.group(0)
        ),
        text,
    )


def _protect(text: str) -> str:
    """Wrap guarded words in ``.nh``; neighbours separated by spaces share one span
    (fewer inline boxes: each one costs layout time)."""
    out: list[str] = []
    run: list[str] = []  # the open span's words and the spaces between them
    position = 0
    for match in _TOKEN.finditer(text):
        gap = text[position : match.start()]
        token = match.group(0)
        position = match.end()
        if _kept_compound(token):
            if run:
                out.append(f'<span class="nh">{"".join(run)}</span>')
                run = []
            out += [gap, f'<span class="nh nobr">{token}</span>']
            continue
        if run and _guarded(token) and gap.strip(" \u00a0") == "":
            run += [gap, token]
            continue
        if run:
            out.append(f'<span class="nh">{"".join(run)}</span>')
            run = []
        out.append(gap)
        if _guarded(token):
            run = [token]
        else:
            out.append(token)
    if run:
        out.append(f'<span class="nh">{"".join(run)}</span>')
    out.append(text[position:])
    return "".join(out)


def _ordinal(match: re.Match[str]) -> str:
    """``1er`` with a raised suffix, tied to the word after it (``1er\u00a0janvier``)."""
    space = "\u00a0" if match.group(0).endswith(" ") else ""
    return f'{match.group(1)}<sup class="ordinal">{match.group(2)}</sup>{space}'


def _raised_ordinals(text: str, lang: str) -> Markup:
    """Escaped text with French ordinals raised, as in the documents' own tables (the
    cover is set by the template, outside the text pass)."""
    escaped = str(escape(text))
    return Markup(_ORDINAL.sub(_ordinal, escaped) if lang == "fr" else escaped)


@cache
def _day_month(lang: str) -> re.Pattern[str]:
    """A day and the month after it, in the language's month names: "1 January"."""
    names = get_month_names("wide", locale=i18n.LOCALES[lang]).values()
    months = "|".join(sorted((re.escape(name) for name in names), key=len, reverse=True))
    return re.compile(rf"\b(\d{{1,2}}) (?=(?:{months})\b)", re.IGNORECASE)


def _dates_held(text: str, lang: str) -> str:
    """A no-break space between day and month: a date never breaks as "1 | January"."""
    return _day_month(lang).sub("\\1\u00a0", text)


def _text_pass(html: str, lang: str) -> str:
    """Typography and hyphenation guards on every text node, in the node's language."""
    out = []
    quote_lang: str | None = None  # a source quote holds only text, no other span
    guarded = False
    after_closing = False
    for index, part in enumerate(_TAG.split(html)):
        if index % 2:
            after_closing = part.startswith("</")
            if part.startswith('<span class="quote" lang="'):
                quote_lang = part.split('lang="', 1)[1].split('"', 1)[0]
            elif part == "</span>":
                quote_lang = None
            guarded = part.startswith(('<span class="nh">', '<a class="fnref"'))
            out.append(part)
            continue
        text_lang = quote_lang or lang
        text = _dates_held(i18n.typeset(part, text_lang, quoted=quote_lang is not None), text_lang)
        if after_closing and text[:1] == "'":  # an apostrophe right after a tag: "Council’s"
            text = "\u2019" + text[1:]
        if after_closing and text_lang == "fr":  # "Message clé 1²\u202f; Conclusion"
            text = _FRENCH_LEAD.sub(lambda m: ("\u00a0" if m[1] == ":" else "\u202f") + m[1], text)
        if guarded:
            text = _keep_compounds(text)
        else:
            text = _protect(text)
            if text_lang == "fr":
                text = _ORDINAL.sub(_ordinal, text)
        out.append(text)
    return "".join(out)


def print_body(html: str, lang: str, classification: str, quote_langs: dict[str, str]) -> str:
    """Turn python-markdown's HTML into print HTML.

    The marking paragraphs go (the page margins carry the marking); key-value tables
    get row headers; notes become page-foot floats cited by number ranges; every text
    node gets the language's typography and hyphenation guards.
    """
    marking = f"<p><strong>{escape(classification)}</strong></p>\n"
    html = html.replace(marking, "")
    html = _HEADER_TABLE.sub(_row_headers, html)
    html = _HEADING_END.sub(r'\1<span class="nobr">\2</span>\3', html)
    html = _HEADING_KIND.sub(r'\1<span class="nobr">\2</span>', html)
    html = _LAST_WORD.sub(r'<span class="nh">\1</span>', html)
    block = _NOTES_BLOCK.search(html)
    if block:
        bodies = dict(_NOTE.findall(block.group(1)))
        numbers = {note: number for number, note in enumerate(bodies, 1)}
        notes = _Notes(lang, numbers, bodies, quote_langs, set())
        html = html[: block.start()] + html[block.end() :]
        html = _REF_RUN.sub(notes.calls, html)
    return _text_pass(_kept_sources(html, lang), lang)


def _kept_sources(html: str, lang: str) -> str:
    """The closing Sources section as one block that stays with the text before it,
    and that text's last paragraph stays with the one before it: a note that runs on
    to a second page never ends there with only its sources, or one line to take or
    one background line cut off from the rest (REVIEW C11)."""
    label = re.escape(escape(i18n.gettext(lang, "Sources")))
    heading = re.search(rf'<h2 id="[^"]*">(?:[0-9]+\.\s*)?{label}</h2>', html)
    if heading is None:
        return html
    head = html[: heading.start()]
    blocks = list(_CONTENT_BLOCK.finditer(head))
    if len(blocks) >= 2:
        start = blocks[-2].start()
        kept = _ANY_BLOCK.sub(r'<\1 class="keep-next"', head[start:])
        head = head[:start] + kept
    return f'{head}<div class="sources">{html[heading.start() :]}</div>'


def _quote_languages(dossier: Dossier | None, markdown_text: str) -> dict[str, str]:
    """The language of each cited fact's source quote."""
    if dossier is None:
        return {}
    langs: dict[str, str] = {}
    for fact_id in re.findall(r"\[\^([^\]]+)\]:", markdown_text):
        fact = dossier.facts.get(fact_id)
        if fact is not None:
            langs[fact_id] = dossier.source(fact.source.ref).language
    return langs


def print_document(
    document: RenderedDocument, anchor: str, dossier: Dossier | None = None
) -> PrintDocument:
    """One document's print HTML; with ``dossier``, source quotes carry their language."""
    body = print_body(
        markdown_body(document.markdown),
        document.lang,
        document.classification,
        _quote_languages(dossier, document.markdown),
    )
    title = i18n.typeset(document.title, document.lang)
    running = _running_title(dossier, document)
    return PrintDocument(
        anchor=anchor,
        title=title,
        html=Markup(_scoped(body, anchor)),
        running=i18n.typeset(running, document.lang) if running else None,
    )


def _running_title(dossier: Dossier | None, document: RenderedDocument) -> str | None:
    """The dossier's short title for the running head of this document, if it has one."""
    if dossier is None:
        return None
    topic = dossier.topics.get(document.topic)
    short = topic.running_title if topic else dossier.mandate.running_title
    return short.get(document.lang) if short else None


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def page_counter_css(lang: str, message: str = PAGE_COUNTER) -> Markup:
    """``"page " counter(page) " of " counter(pages)`` in the document's language."""
    template = i18n.gettext(lang, message)
    parts = re.split(r"(%\((?:page|pages)\)s)", template)
    css = []
    for part in parts:
        if part == "%(page)s":
            css.append("counter(page)")
        elif part == "%(pages)s":
            css.append("counter(pages)")
        elif part:
            css.append(_css_string(part))
    return Markup(" ".join(css))


_FONT_URL = re.compile(r'url\("(fonts/[A-Za-z0-9_.-]+\.ttf)"\)')


@lru_cache(maxsize=2)
def _stylesheet(embed_fonts: bool = False) -> Markup:
    """The print CSS; with ``embed_fonts`` the fonts travel inside it as data URLs."""
    css = (ASSETS_DIR / "print.css").read_text(encoding="utf-8")
    if embed_fonts:

        def inline(match: re.Match[str]) -> str:
            data = base64.b64encode((ASSETS_DIR / match.group(1)).read_bytes()).decode()
            return f'url("data:font/ttf;base64,{data}")'

        css = _FONT_URL.sub(inline, css)
    return Markup(css)


def print_html(
    dossier: Dossier,
    documents: list[PrintDocument],
    lang: str,
    title: str,
    classification: str,
    date: dt.date,
    subject: str,
    keywords: list[str],
    cover: Cover | None = None,
    duplex: bool = False,
    first_page: int = 1,
    page_counter: str = PAGE_COUNTER,
    toc: list[PrintDocument] | None = None,
    embed_fonts: bool = False,
    filler: bool = False,
    part: bool = False,
) -> str:
    """The complete, self-contained print HTML (CSS inlined).

    ``part``, ``first_page``, ``page_counter`` and ``filler`` (a duplex blank page of
    its own) serve packs rendered in parts, numbered on from the previous part.
    """
    return render_template(
        lang,
        "print.html.j2",
        lang=lang,
        title=title,
        author=dossier.mandate.issuer.get(lang),
        subject=subject,
        keywords=", ".join(keywords),
        version=__version__,
        date=date.isoformat(),
        css=_stylesheet(embed_fonts),
        page_counter=page_counter_css(lang, page_counter),
        blank_notice=Markup(_css_string(i18n.gettext(lang, BLANK_PAGE))),
        first_page=first_page,
        classification=classification,
        documents=documents,
        toc=documents if toc is None else toc,
        cover=cover,
        cover_date=_raised_ordinals(cover.date, lang) if cover else "",
        duplex=duplex,
        filler=filler,
        part=part,
    )


def document_keywords(dossier: Dossier, document: RenderedDocument) -> list[str]:
    """Keywords in words: the kind, the topic and the dossier, in the document's language."""
    lang = document.lang
    topic = dossier.topics.get(document.topic)
    return [
        i18n.gettext(lang, KIND_TITLES[document.kind]),
        topic.title.get(lang) if topic else dossier.mandate.title.get(lang),
        dossier.mandate.title.get(lang),
    ]


def document_html(dossier: Dossier, document: RenderedDocument, embed_fonts: bool = False) -> str:
    """A single document as print HTML; ``embed_fonts`` makes it one self-contained file."""
    return print_html(
        dossier,
        [print_document(document, "doc", dossier)],
        document.lang,
        document.title,
        document.classification,
        document.date,
        subject=dossier.mandate.title.get(document.lang),
        keywords=document_keywords(dossier, document),
        embed_fonts=embed_fonts,
    )


def _asset_fetcher() -> Any:
    from weasyprint.urls import URLFetcher

    class AssetFetcher(URLFetcher):
        """Serves only files under the assets folder; refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            from urllib.parse import unquote, urlsplit

            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"refused (not a project asset): {url}")
            path = Path(unquote(parts.path)).resolve()
            if not path.is_relative_to(ASSETS_DIR.resolve()) or not path.is_file():
                raise ValueError(f"refused (not a project asset): {url}")
            return super().fetch(path.as_uri(), headers)

    return AssetFetcher(allowed_protocols=("file",), allow_redirects=False)


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    anchors: dict[str, int]  # id -> index of the first page it is on


@lru_cache(maxsize=1)
def _extend_tagging() -> None:
    """Things WeasyPrint 70's tagging leaves out, added around its own functions
    (pyproject pins WeasyPrint 70 for this).

    Running heads, page numbers and markings (margin boxes) are drawn as artifacts,
    not untagged marked content; an element with its own ``lang`` (a Dutch source
    quote in a French note) gets /Lang; a row header gets /Scope /Row; a link's
    /Contents is its ``title`` ("Footnotes 2–4", a document's title), not an id.
    """
    import pydyf
    from weasyprint import document as weasy_document
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import stream, tags

    draw_page = getattr(weasy_document, "draw_page", None)
    marked = getattr(stream.Stream, "marked", None)
    build_box_tree = getattr(tags, "_build_box_tree", None)
    if draw_page is None or marked is None or build_box_tree is None:
        return  # another WeasyPrint: its own tagging, without these additions

    def draw_page_with_artifacts(page: Any, pdf_stream: Any) -> None:
        def mark(box: Any) -> None:
            box.diplobrief_artifact = True
            for child in getattr(box, "children", ()):
                mark(child)

        for child in page.children:
            if isinstance(child, boxes.MarginBox):
                mark(child)
        draw_page(page, pdf_stream)

    @contextmanager
    def marked_or_artifact(self: Any, box: Any, tag: str) -> Iterator[None]:
        context = self.artifact() if getattr(box, "diplobrief_artifact", False) else None
        with context or marked(self, box, tag):
            yield

    def build(box: Any, parent: Any, pdf: Any, *args: Any) -> Iterator[Any]:
        if isinstance(box, boxes.MarginBox):
            return
        for element in build_box_tree(box, parent, pdf, *args):
            source = getattr(box, "element", None)
            if source is not None and box.element_tag not in ("html", "body"):
                if lang := source.get("lang"):
                    element["Lang"] = pydyf.String(lang)
                if box.element_tag == "th" and source.get("scope") == "row":
                    element["A"]["Scope"] = "/Row"
                if getattr(box, "link_annotation", None) and (title := source.get("title")):
                    box.link_annotation["Contents"] = pydyf.String(title)
            yield element

    weasy_document.draw_page = draw_page_with_artifacts
    stream.Stream.marked = marked_or_artifact
    tags._build_box_tree = build


def _finisher(lang: str, cover_label: str | None) -> Callable[[Any, Any], None]:
    """Open the bookmarks panel; label pages (the cover by name, then the printed numbers)."""

    def finish(document: Any, pdf: Any) -> None:
        import pydyf

        pdf.catalog["PageMode"] = "/UseOutlines"
        if cover_label is not None:
            labels = pydyf.Array(
                [
                    0,
                    pydyf.Dictionary({"P": pydyf.String(cover_label)}),
                    1,
                    pydyf.Dictionary({"S": "/D", "St": 2}),
                ]
            )
            pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": labels})

    return finish


def _dc_language(lang: str) -> bytes:
    """XMP ``dc:language``, which WeasyPrint does not write."""
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:language><rdf:Bag><rdf:li>{escape(lang)}</rdf:li></rdf:Bag></dc:language>"
        "</rdf:Description></rdf:RDF>"
    ).encode()


def render_html(html: str, tagged: bool = True, font_config: Any = None) -> Any:
    """Lay print HTML out into a WeasyPrint document (pages in memory, nothing written)."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    _extend_tagging()
    try:
        document = weasyprint.HTML(
            string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=_asset_fetcher()
        )
        return document.render(font_config=font_config, **_options(tagged))
    except Exception as exc:  # WeasyPrint raises many kinds; report one clean line.
        raise RenderError(f"PDF rendering failed: {exc}") from None


def _options(tagged: bool) -> dict[str, Any]:
    return {"pdf_variant": "pdf/ua-1", "pdf_tags": True} if tagged else {}


def write_documents(documents: list[Any], cover: bool, tagged: bool = True) -> RenderedPdf:
    """Write the pages of one or more rendered documents as one PDF, with the first's
    metadata: one tag tree, one outline, links across all of them."""
    first = documents[0]
    joined = first.copy([page for document in documents for page in document.pages])
    lang = first.metadata.lang or ""
    joined.metadata.xmp_metadata = [_dc_language(lang)]
    label = i18n.gettext(lang, COVER_LABEL) if cover and lang else None
    try:
        pdf = joined.write_pdf(finisher=_finisher(lang, label), **_options(tagged))
    except Exception as exc:  # WeasyPrint raises many kinds; report one clean line.
        raise RenderError(f"PDF rendering failed: {exc}") from None
    assert isinstance(pdf, bytes)
    return RenderedPdf(pdf, len(joined.pages), page_anchors(joined))


def page_anchors(document: Any) -> dict[str, int]:
    """Each anchor's first page index."""
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
    return anchors


def html_to_pdf(html: str, tagged: bool = True) -> RenderedPdf:
    """Render print HTML to a PDF (tagged PDF/UA-1 unless told otherwise); same HTML, same bytes."""
    return write_documents([render_html(html, tagged)], 'class="cover"' in html, tagged)


def document_pdf(dossier: Dossier, document: RenderedDocument) -> bytes:
    """One document as PDF."""
    return html_to_pdf(document_html(dossier, document)).data
