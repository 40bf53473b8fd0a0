"""Editable Word output: Markdown documents through pandoc, finished by a small OOXML step.

pandoc (shipped inside the ``pypandoc_binary`` wheel) reads each document's
Markdown into its AST; this module adjusts the AST (heading levels, styles,
the header-column table, source quotes in their own language, pack cover and
contents) and has pandoc write DOCX with ``templates/assets/reference.docx`` as
the style sheet. ``finish`` then does what pandoc cannot: the classification
marking, running title and "page N of M" fields in the header and footer,
section breaks for duplex packs, document properties, and a zip with fixed
timestamps and order, so the same inputs give the same bytes.

Dossier text is data: extensions that would read it as markup (raw HTML or
TeX, maths, citations, divs, spans, attributes) are off, links and images are
reduced to their text, and ``finish`` refuses any field it did not put there
itself, any external relationship, macro or embedded object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import subprocess
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from diplobrief import __version__, i18n
from diplobrief.dossier import Dossier
from diplobrief.errors import RenderError
from diplobrief.paths import TEMPLATES_DIR
from diplobrief.render import N_, RenderedDocument, escape_markdown, footnotes

if TYPE_CHECKING:
    from diplobrief.pdf import Cover

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REFERENCE_DOCX = TEMPLATES_DIR / "assets" / "reference.docx"
LANGUAGE_TAGS = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}
# A4 in twentieths of a point, with the margins of the print stylesheet.
PAGE = {
    "width": 11906,
    "height": 16838,
    "top": 1361,
    "right": 1134,
    "bottom": 1247,
    "left": 1247,
    "header": 624,
    "footer": 567,
    "text_width": 11906 - 1134 - 1247,
}
PAGE_COUNTER = N_("page %(page)s of %(pages)s")
CONTENTS = N_("Contents")
COVER_LABELS = (N_("Dossier"), N_("Audience"), N_("Date"), N_("Language"), N_("Classification"))

# Everything that could turn dossier text into something other than text is off.
_OFF = (
    "smart",
    "raw_html",
    "raw_tex",
    "raw_attribute",
    "tex_math_dollars",
    "tex_math_single_backslash",
    "citations",
    "fenced_divs",
    "bracketed_spans",
    "native_divs",
    "native_spans",
    "link_attributes",
    "header_attributes",
    "inline_code_attributes",
    "implicit_figures",
    "yaml_metadata_block",
    "markdown_in_html_blocks",
    "example_lists",
    "definition_lists",
    "inline_notes",
    "superscript",
    "subscript",
    "strikeout",
)
MARKDOWN_FORMAT = "markdown" + "".join(f"-{name}" for name in _OFF)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_NOTE_DEFINITION = re.compile(r"^\[\^([A-Za-z0-9-]+)\]:", re.M)
_NOTE_LABEL = re.compile(r"\[\^([A-Za-z0-9-]+)\]")
# The only field instructions a finished file may hold: the ones this module writes.
_ALLOWED_FIELD = re.compile(
    r'\s*(PAGE|NUMPAGES|TOC \\o "1-1" \\h \\z \\u|PAGEREF d\d+ \\h|STYLEREF "heading 1")\s*'
)
_UNSAFE_PART = re.compile(r"(vbaProject|activeX|embeddings|oleObject|attachedTemplate)", re.I)
_UNSAFE_XML = re.compile(rb"<(w:object|o:OLEObject|w:altChunk|w:control|v:imagedata|w:subDoc)\b")

# The schema's order of a section's properties (the ones the reference and this module use).
_SECTION_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type"]
_SECTION_ORDER += ["pgSz", "pgMar", "pgNumType", "cols", "titlePg", "docGrid"]
# Settings that the schema puts after updateFields.
_AFTER_UPDATE = {"hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids"}
_AFTER_UPDATE |= {"mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping"}

Node = dict[str, Any]


def _section_order(child: Any) -> int:
    name = str(child.tag).rsplit("}", 1)[-1]
    return _SECTION_ORDER.index(name) if name in _SECTION_ORDER else len(_SECTION_ORDER)


def pandoc_path() -> str:
    """The pandoc binary inside the pypandoc_binary wheel."""
    try:
        import pypandoc
    except ImportError:  # pragma: no cover - a dependency; reported cleanly all the same
        raise RenderError("DOCX output needs pandoc: pip install pypandoc_binary") from None
    return str(pypandoc.get_pandoc_path())


@lru_cache(maxsize=1)
def pandoc_version() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_version())


def _run_pandoc(args: list[str], data: bytes, date: dt.date | None = None) -> bytes:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PANDOC")}
    if date is not None:
        moment = dt.datetime.combine(date, dt.time(12), tzinfo=dt.UTC)
        env["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        done = subprocess.run(
            [pandoc_path(), "--sandbox", *args], input=data, capture_output=True, env=env
        )
    except OSError as exc:
        raise RenderError(f"DOCX rendering failed: cannot run pandoc: {exc.strerror}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"DOCX rendering failed: {message[-1] if message else 'pandoc error'}")
    return done.stdout


# --- The pandoc AST --------------------------------------------------------------


def _str(text: str) -> list[Node]:
    """Inlines for plain text, split at spaces the way pandoc's reader does."""
    out: list[Node] = []
    for index, word in enumerate(text.split(" ")):
        if index:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def stringify(value: Any) -> str:
    """The plain text of inlines or blocks (notes excluded), as pandoc's stringify."""
    if isinstance(value, list):
        return "".join(stringify(item) for item in value)
    if not isinstance(value, dict):
        return ""
    kind = value.get("t")
    if kind == "Str":
        return str(value["c"])
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Note":
        return ""
    if kind in ("Span", "Link", "Image", "Quoted", "Cite"):
        return stringify(value["c"][1])
    return stringify(value.get("c"))


def walk(value: Any, action: Callable[[Node], list[Node]]) -> Any:
    """Change a tree in place, bottom-up; ``action`` replaces each node by zero or more."""
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, (list, dict)):
                walk(item, action)
            if isinstance(item, dict) and "t" in item:
                out.extend(action(item))
            else:
                out.append(item)
        value[:] = out
    elif isinstance(value, dict):
        for item in value.values():
            if isinstance(item, (list, dict)):
                walk(item, action)
    return value


def _styled(style: str, blocks: list[Node]) -> Node:
    return {"t": "Div", "c": [["", [], [["custom-style", style]]], blocks]}


def _defang(node: Node) -> list[Node]:
    """Links and images become their text; raw code, maths and rules go (defence in depth)."""
    kind = node["t"]
    if kind in ("Link", "Image"):
        return list(node["c"][1])
    if kind in ("RawInline", "RawBlock"):
        return []
    if kind == "Math":
        return _str(node["c"][1])
    if kind == "HorizontalRule":
        return [_styled("Separator", [{"t": "Plain", "c": []}])]
    return [node]


def _only_strong(blocks: list[Node]) -> list[Node] | None:
    """The inlines of a cell or paragraph that is wholly bold, else None."""
    if len(blocks) != 1 or blocks[0]["t"] not in ("Plain", "Para"):
        return None
    inlines = blocks[0]["c"]
    if len(inlines) == 1 and inlines[0]["t"] == "Strong":
        return list(inlines[0]["c"])
    return None


def _header_column(table: Node) -> Node:
    """A table whose first column is all bold gets a real header column, styled not bolded."""
    _attr, _caption, colspecs, _head, bodies, _foot = table["c"]
    rows = [row for body in bodies for row in body[3]]
    firsts = [row[1][0][4] for row in rows if row[1]]
    if not rows or len(firsts) != len(rows) or any(_only_strong(cell) is None for cell in firsts):
        return table
    for row in rows:
        cell = row[1][0]
        cell[4] = [_styled("Header Column", [{"t": "Para", "c": _only_strong(cell[4])}])]
    for body in bodies:
        body[1] = 1
    if len(colspecs) == 2:
        colspecs[0][1] = {"t": "ColWidth", "c": 0.28}
        colspecs[1][1] = {"t": "ColWidth", "c": 0.72}
    return table


def _mark_language(inlines: list[Node], phrases: dict[str, str]) -> list[Node]:
    """Wrap each known phrase of ``inlines`` in a span with its language (recursively)."""
    for node in inlines:
        if node["t"] in ("Emph", "Strong", "Underline", "SmallCaps"):
            node["c"] = _mark_language(node["c"], phrases)
        elif node["t"] == "Span":
            node["c"][1] = _mark_language(node["c"][1], phrases)
    for phrase, lang in sorted(phrases.items(), key=lambda item: -len(item[0])):
        inlines = _wrap_phrase(inlines, phrase, lang)
    return inlines


def _wrap_phrase(inlines: list[Node], phrase: str, lang: str) -> list[Node]:
    pieces = []  # the text of each inline; anything but Str and Space matches nothing
    for node in inlines:
        if node["t"] == "Str":
            pieces.append(str(node["c"]))
        elif node["t"] in ("Space", "SoftBreak"):
            pieces.append(" ")
        else:
            pieces.append("\0")
    text = "".join(pieces)
    start = text.find(phrase)
    if not phrase or start < 0:
        return inlines
    end = start + len(phrase)
    before: list[Node] = []
    inside: list[Node] = []
    after: list[Node] = []
    position = 0
    for piece, node in zip(pieces, inlines, strict=True):
        low, high = position, position + len(piece)
        position = high
        if high <= start:
            before.append(node)
        elif low >= end:
            after.append(node)
        elif node["t"] == "Str":
            head, tail = piece[: max(start - low, 0)], piece[max(end - low, 0) :]
            middle = piece[max(start - low, 0) : end - low]
            if head:
                before.append({"t": "Str", "c": head})
            inside.append({"t": "Str", "c": middle})
            if tail:
                after.append({"t": "Str", "c": tail})
        else:
            inside.append(node)
    span = {"t": "Span", "c": [["", [], [["lang", lang]]], inside]}
    return [*before, span, *_wrap_phrase(after, phrase, lang)]


@dataclass(frozen=True)
class _Shape:
    """How one document sits in the output: alone (title = Title) or as pack document ``index``."""

    index: int
    in_pack: bool
    classification: str
    phrases: dict[str, str]


def _shape_document(blocks: list[Node], shape: _Shape) -> list[Node]:
    prefix = f"d{shape.index}"
    counter = iter(range(1, 10_000))
    seen_title = False

    def action(node: Node) -> list[Node]:
        nonlocal seen_title
        node_kinds = _defang(node)
        if node_kinds != [node]:
            return node_kinds
        kind = node["t"]
        if kind == "Header":
            level, _attr, inlines = node["c"]
            if level == 1 and not seen_title:
                seen_title = True
                if not shape.in_pack:
                    return [_styled("Title", [{"t": "Para", "c": inlines}])]
                return [{"t": "Header", "c": [1, [prefix, [], []], inlines]}]
            level = level - 1 if not shape.in_pack else level
            ident = f"{prefix}-{next(counter)}"
            return [{"t": "Header", "c": [max(level, 1), [ident, [], []], inlines]}]
        if kind == "Para":
            bold = _only_strong([node])
            if bold is not None and stringify(bold) == shape.classification:
                return [_styled("Classification", [{"t": "Para", "c": bold}])]
        if kind == "Table":
            return [_header_column(node)]
        if kind == "Note":
            for block in node["c"]:
                if block["t"] in ("Para", "Plain"):
                    block["c"] = _mark_language(block["c"], shape.phrases)
        return [node]

    shaped = _numbered_paragraphs(walk(blocks, action))
    return _separate_notes(walk(shaped, _character_styles))


_TYPED_NUMBER = re.compile(r"\d{1,4}\.")


def _typed_number(block: Node) -> int | None:
    """N for a paragraph that starts with a bold "N." (a numbered paragraph), else None."""
    if block["t"] != "Para" or len(block["c"]) < 2 or block["c"][1]["t"] != "Space":
        return None
    first = block["c"][0]
    if first["t"] != "Strong" or len(first["c"]) != 1 or first["c"][0]["t"] != "Str":
        return None
    text = str(first["c"][0]["c"])
    return int(text[:-1]) if _TYPED_NUMBER.fullmatch(text) else None


def _numbered_paragraphs(blocks: list[Node]) -> list[Node]:
    """Numbered paragraphs become Word numbering that runs on across headings."""
    out: list[Node] = []
    for block in blocks:
        number = _typed_number(block)
        if number is None:
            out.append(block)
            continue
        item = [{"t": "Para", "c": block["c"][2:]}]
        previous = out[-1] if out else None
        if previous and previous["t"] == "OrderedList":
            start, items = previous["c"][0][0], previous["c"][1]
            if start + len(items) == number:
                items.append(item)
                continue
        attributes = [number, {"t": "Decimal"}, {"t": "Period"}]
        out.append({"t": "OrderedList", "c": [attributes, [item]]})
    return out


def _separate_notes(value: Any) -> Any:
    """A superscript comma between adjacent note marks, as in the PDF: 1,2 not 12."""
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, (list, dict)):
                _separate_notes(item)
    elif isinstance(value, list):
        out: list[Any] = []
        for item in value:
            if isinstance(item, dict) and item.get("t") == "Note" and out:
                previous = out[-1]
                if isinstance(previous, dict) and previous.get("t") == "Note":
                    attr = ["", [], [["custom-style", "Footnote Reference"]]]
                    out.append({"t": "Span", "c": [attr, [{"t": "Str", "c": ","}]]})
            if isinstance(item, (list, dict)):
                _separate_notes(item)
            out.append(item)
        value[:] = out
    return value


_CHARACTER_STYLES = {"Strong": "Strong", "Emph": "Emphasis"}


def _character_styles(node: Node) -> list[Node]:
    """Bold and italics as Word's Strong and Emphasis styles, not direct formatting."""
    style = _CHARACTER_STYLES.get(node["t"])
    if style is None:
        return [node]
    return [{"t": "Span", "c": [["", [], [["custom-style", style]]], node["c"]]}]


def _parse(markdowns: list[str]) -> list[list[Node]]:
    """Several Markdown documents read in one pandoc run; notes stay with their document."""
    joined = "\n\n".join(markdowns)
    marker = "DOCUMENTBREAK" + hashlib.sha256(joined.encode()).hexdigest()[:20]
    parts = []
    for index, text in enumerate(markdowns, 1):
        body = _FRONT_MATTER.sub("", text, count=1)
        parts.append(_NOTE_LABEL.sub(f"[^d{index}-\\1]", body))
    source = f"\n\n{marker}\n\n".join(parts)
    ast = json.loads(_run_pandoc(["-f", MARKDOWN_FORMAT, "-t", "json"], source.encode()))
    documents: list[list[Node]] = [[]]
    for block in ast["blocks"]:
        if block["t"] == "Para" and stringify(block["c"]) == marker:
            documents.append([])
        else:
            documents[-1].append(block)
    if len(documents) != len(markdowns):
        raise RenderError("DOCX rendering failed: the documents could not be told apart")
    return documents


def _phrases(dossier: Dossier, document: RenderedDocument) -> dict[str, str]:
    """Quoted source text (quote, section, source title) and the language it is in."""
    phrases: dict[str, str] = {}
    # The notes the renderer defined (dossier text cannot forge "[^": |md escapes it).
    defined = frozenset(_NOTE_DEFINITION.findall(document.markdown)) & dossier.facts.keys()
    for note in footnotes(dossier, document.markdown, defined):
        fact = dossier.facts[note.id]
        lang = LANGUAGE_TAGS[dossier.source(fact.source.ref).language]
        for phrase in (note.quote, note.section, note.title):
            # The footnotes carry print typography (en dashes, apostrophes): match that.
            for form in (phrase, i18n.typeset(phrase, document.lang)):
                phrases[" ".join(form.split())] = lang
    return phrases


def _page_break() -> Node:
    return {"t": "RawBlock", "c": ["openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>']}


def _section_break() -> Node:
    """A section break; ``finish`` fills in page set-up, headers and footers."""
    return {
        "t": "RawBlock",
        "c": [
            "openxml",
            '<w:p><w:pPr><w:sectPr><w:type w:val="oddPage"/></w:sectPr></w:pPr></w:p>',
        ],
    }


def _toc(lang: str, titles: list[str]) -> Node:
    """A Word contents field, filled with one line per document (Word updates the pages)."""
    lines = []
    for index, title in enumerate(titles, 1):
        begin = (
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r>'
            '<w:instrText xml:space="preserve"> TOC \\o "1-1" \\h \\z \\u </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            if index == 1
            else ""
        )
        lines.append(
            f'<w:p><w:pPr><w:pStyle w:val="TOC1"/></w:pPr>{begin}'
            f'<w:hyperlink w:anchor="d{index}" w:history="1"><w:r>'
            f'<w:t xml:space="preserve">{escape(title)}</w:t></w:r><w:r><w:tab/></w:r>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
            f" PAGEREF d{index} \\h </w:instrText></w:r>"
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t></w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>'
        )
    lines.append('<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    heading = (
        '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r>'
        f'<w:t xml:space="preserve">{escape(i18n.gettext(lang, CONTENTS))}</w:t></w:r></w:p>'
    )
    xml = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        f"<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>{heading}{''.join(lines)}"
        "</w:sdtContent></w:sdt>"
    )
    return {"t": "RawBlock", "c": ["openxml", xml]}


# --- Finishing the package -------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What ``finish`` writes around the body."""

    lang: str
    title: str
    running_title: str
    classification: str
    author: str
    subject: str
    keywords: str
    date: dt.date
    pack: bool = False
    duplex: bool = False


def deterministic_zip(parts: dict[str, bytes], when: tuple[int, int, int, int, int, int]) -> bytes:
    """A zip with [Content_Types].xml first, then the parts by name, all stamped ``when``."""
    names = sorted(parts, key=lambda name: (name != "[Content_Types].xml", name))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, parts[name], compresslevel=6)
    return buffer.getvalue()


def _run(text: str, strong: bool = False) -> str:
    props = '<w:rPr><w:rStyle w:val="Strong"/></w:rPr>' if strong else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _field(instruction: str, shown: str) -> str:
    instr = escape(instruction, {'"': "&quot;"})
    return f'<w:fldSimple w:instr=" {instr} ">{_run(shown)}</w:fldSimple>'


def page_counter_xml(lang: str) -> str:
    """ "page N of M" in the document's language, with PAGE and NUMPAGES fields."""
    template = i18n.gettext(lang, PAGE_COUNTER)
    out = []
    for part in re.split(r"(%\((?:page|pages)\)s)", template):
        if part == "%(page)s":
            out.append(_field("PAGE", "1"))
        elif part == "%(pages)s":
            out.append(_field("NUMPAGES", "1"))
        elif part:
            out.append(_run(part))
    return "".join(out)


def _hf(tag: str, style: str, content: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{tag} xmlns:w="{W}" '
        f'xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{content}</w:p></w:{tag}>'
    ).encode()


def _headers_and_footers(layout: Layout) -> dict[tuple[str, str], bytes]:
    """(header|footer, default|first) -> part: marking everywhere, title and pages inside."""
    marking = _run(layout.classification, strong=True)
    title = (
        _field('STYLEREF "heading 1"', layout.running_title)
        if layout.pack
        else _run(layout.running_title)
    )
    tab = "<w:r><w:tab/></w:r>"
    return {
        ("header", "default"): _hf("hdr", "Header", f"{title}{tab}{marking}"),
        ("header", "first"): _hf("hdr", "Header", f"{tab}{marking}"),
        ("footer", "default"): _hf(
            "ftr", "Footer", f"{tab}{marking}{tab}{page_counter_xml(layout.lang)}"
        ),
        ("footer", "first"): _hf("ftr", "Footer", f"{tab}{marking}"),
    }


def finish(docx: bytes, layout: Layout) -> bytes:
    """pandoc's DOCX with headers, footers, sections and properties set; fixed zip."""
    from lxml import etree

    ns = {"w": W, "r": R}
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}

    root = etree.fromstring(parts["word/document.xml"])
    body = root.find("w:body", ns)
    final = body.find("w:sectPr", ns) if body is not None else None
    if final is None:
        raise RenderError("DOCX rendering failed: the reference document has no page set-up")
    w = f"{{{W}}}"

    for table in root.iter(f"{w}tbl"):
        rows = table.findall("w:tr", ns)
        firsts = [row.find("w:tc/w:p/w:pPr/w:pStyle", ns) for row in rows]
        if rows and all(s is not None and s.get(f"{w}val") == "HeaderColumn" for s in firsts):
            look = table.find("w:tblPr/w:tblLook", ns)
            if look is not None:
                look.set(f"{w}firstColumn", "1")
                look.set(f"{w}val", "0080")

    breaks = [p.find("w:pPr/w:sectPr", ns) for p in body.findall("w:p", ns)]
    sections = [section for section in breaks if section is not None]
    for position, section in enumerate(sections):
        for child in final:
            section.append(etree.fromstring(etree.tostring(child)))
        if position == 0:
            # Cover and contents are a section of their own, whose first page is the cover.
            section.find("w:type", ns).set(f"{w}val", "nextPage")
            etree.SubElement(section, f"{w}titlePg")
    if layout.duplex:
        etree.SubElement(final, f"{w}type").set(f"{w}val", "oddPage")
    elif layout.pack:
        etree.SubElement(final, f"{w}titlePg")
    for section in [*sections, final]:
        section[:] = sorted(section, key=_section_order)
    parts["word/document.xml"] = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=True
    )

    rels_name = "word/_rels/document.xml.rels"
    rels = etree.fromstring(parts[rels_name])
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    contents = _headers_and_footers(layout)
    for kind in ("header", "footer"):
        for ref in final.findall(f"w:{kind}Reference", ns):
            target = targets.get(ref.get(f"{{{R}}}id"))
            if target is None:
                raise RenderError(f"DOCX rendering failed: the reference {kind} is missing")
            parts[f"word/{target}"] = contents[(kind, ref.get(f"{w}type", "default"))]

    settings = etree.fromstring(parts["word/settings.xml"])
    for lang_node in settings.iter(f"{w}themeFontLang"):
        lang_node.set(f"{w}val", LANGUAGE_TAGS[layout.lang])
    # No "already proofread" flag: Word checks the spelling in the document's language.
    for proof in settings.findall("w:proofState", ns):
        settings.remove(proof)
    comma = layout.lang in ("nl", "fr")
    for node, value in (("decimalSymbol", ","), ("listSeparator", ";")):
        for found in settings.iter(f"{w}{node}"):
            if comma:
                found.set(f"{w}val", value)
    if layout.pack:
        # Word asks to update fields on opening: the contents get their page numbers.
        update = etree.Element(f"{w}updateFields")
        update.set(f"{w}val", "true")
        later = next((c for c in settings if str(c.tag).rsplit("}", 1)[-1] in _AFTER_UPDATE), None)
        if later is not None:
            later.addprevious(update)
        else:
            settings.append(update)
    parts["word/settings.xml"] = etree.tostring(
        settings, xml_declaration=True, encoding="UTF-8", standalone=True
    )
    parts["docProps/core.xml"] = _core(parts["docProps/core.xml"], layout)
    parts["docProps/app.xml"] = re.sub(
        rb"<Application>.*?</Application>",
        f"<Application>diplobrief {__version__}</Application>".encode(),
        parts["docProps/app.xml"],
    )
    check_safe(parts)
    when = layout.date.timetuple()[:3]
    return deterministic_zip(parts, (max(when[0], 1980), when[1], when[2], 0, 0, 0))


def _core(data: bytes, layout: Layout) -> bytes:
    from lxml import etree

    dc = "http://purl.org/dc/elements/1.1/"
    dcterms = "http://purl.org/dc/terms/"
    cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    root = etree.fromstring(data)
    values = {
        f"{{{dc}}}title": layout.title,
        f"{{{dc}}}creator": layout.author,
        f"{{{dc}}}subject": layout.subject,
        f"{{{dc}}}language": LANGUAGE_TAGS[layout.lang],
        f"{{{cp}}}keywords": layout.keywords,
        f"{{{dcterms}}}created": f"{layout.date.isoformat()}T00:00:00Z",
        f"{{{dcterms}}}modified": f"{layout.date.isoformat()}T00:00:00Z",
    }
    for tag, value in values.items():
        node = root.find(tag)
        if node is None:
            node = etree.SubElement(root, tag)
            if tag.startswith(f"{{{dcterms}}}"):
                xsi = "http://www.w3.org/2001/XMLSchema-instance"
                node.set(f"{{{xsi}}}type", "dcterms:W3CDTF")
        node.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def check_safe(parts: dict[str, bytes]) -> None:
    """Refuse macros, embedded objects, external relationships and foreign fields."""
    from lxml import etree

    problems = []
    for name, data in parts.items():
        if _UNSAFE_PART.search(name):
            problems.append(f"part {name}")
        if name.endswith(".rels") and b'TargetMode="External"' in data:
            problems.append(f"external relationship in {name}")
        if name.startswith("word/") and name.endswith(".xml"):
            if _UNSAFE_XML.search(data):
                problems.append(f"embedded object in {name}")
            root = etree.fromstring(data)
            instructions = [
                node.get(f"{{{W}}}instr", "") for node in root.iter(f"{{{W}}}fldSimple")
            ]
            instructions += [node.text or "" for node in root.iter(f"{{{W}}}instrText")]
            problems += [
                f"field {text.strip()!r} in {name}"
                for text in instructions
                if not _ALLOWED_FIELD.fullmatch(text)
            ]
    if problems:
        raise RenderError(f"DOCX rendering refused unsafe content: {'; '.join(problems)}")


def _write(blocks: list[Node], layout: Layout) -> bytes:
    ast = {
        "pandoc-api-version": _api_version(),
        "meta": {"lang": {"t": "MetaString", "c": LANGUAGE_TAGS[layout.lang]}},
        "blocks": blocks,
    }
    args = ["-f", "json", "-t", "docx", "--reference-doc", str(REFERENCE_DOCX), "-o", "-"]
    docx = _run_pandoc(args, json.dumps(ast).encode(), layout.date)
    return finish(docx, layout)


@lru_cache(maxsize=1)
def _api_version() -> list[int]:
    return list(
        json.loads(_run_pandoc(["-f", "markdown", "-t", "json"], b""))["pandoc-api-version"]
    )


# --- Public API ---------------------------------------------------------------


def document_docx(dossier: Dossier, document: RenderedDocument) -> bytes:
    """One rendered document as DOCX bytes."""
    shape = _Shape(1, False, document.classification, _phrases(dossier, document))
    blocks = _shape_document(_parse([document.markdown])[0], shape)
    layout = Layout(
        lang=document.lang,
        title=i18n.typeset(document.title, document.lang),
        running_title=i18n.typeset(document.title, document.lang),
        classification=document.classification,
        author=dossier.mandate.issuer.get(document.lang),
        subject=dossier.mandate.title.get(document.lang),
        keywords=", ".join([document.kind, document.topic, dossier.id]),
        date=document.date,
    )
    return _write(blocks, layout)


def _cover_markdown(cover: Cover, lang: str, classification: str) -> str:
    values = (cover.dossier, cover.audience, cover.date, cover.language, classification)
    rows = [
        f"| **{escape_markdown(i18n.gettext(lang, label))}** | {escape_markdown(value)} |"
        for label, value in zip(COVER_LABELS, values, strict=True)
        if value
    ]
    return "\n".join(
        [
            escape_markdown(cover.title),
            "",
            escape_markdown(cover.subtitle),
            "",
            "| | |",
            "|---|---|",
            *rows,
            "",
            f"**{escape_markdown(classification)}**",
            "",
        ]
    )


def pack_docx(
    dossier: Dossier,
    documents: Iterable[RenderedDocument],
    cover: Cover,
    keywords: list[str],
    duplex: bool = False,
) -> bytes:
    """A pack as one DOCX: cover, contents field, each document on a new (odd) page."""
    documents = list(documents)
    if not documents:
        raise RenderError("DOCX rendering failed: the pack holds no documents")
    first = documents[0]
    lang, classification = first.lang, first.classification
    parsed = _parse(
        [_cover_markdown(cover, lang, classification)] + [d.markdown for d in documents]
    )
    front = walk(parsed[0], _defang)
    front[0] = _styled("Title", [front[0]])
    front[1] = _styled("Subtitle", [front[1]])
    front = _shape_document(front, _Shape(0, True, classification, {}))
    # Duplex: each document is a section that starts on an odd page.
    separator = _section_break if duplex else _page_break
    blocks = [*front, _page_break(), _toc(lang, [i18n.typeset(d.title, lang) for d in documents])]
    for index, (document, parsed_blocks) in enumerate(zip(documents, parsed[1:], strict=True), 1):
        shape = _Shape(index, True, classification, _phrases(dossier, document))
        blocks.append(separator())
        blocks += _shape_document(parsed_blocks, shape)
    layout = Layout(
        lang=lang,
        title=cover.title,
        running_title=cover.title,
        classification=classification,
        author=dossier.mandate.issuer.get(lang),
        subject=cover.subtitle,
        keywords=", ".join(keywords),
        date=first.date,
        pack=True,
        duplex=duplex,
    )
    return _write(blocks, layout)
