"""Print quality and accessibility of the full duplex pack in nl, fr and en, read back.

One build of ``pack full --all-languages --duplex`` serves every test: the text
(poppler), the tag tree, page labels and metadata (pypdf), and a PDF/UA smoke check.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.dates import get_month_names
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from diplobrief.cli import main
from diplobrief.dossier import Dossier
from diplobrief.i18n import gettext, typeset
from diplobrief.pack import load_manifest
from diplobrief.pdf import (
    BLANK_PAGE,
    RUNNING_HEAD_WIDTH,
    print_document,
    text_width,
)
from diplobrief.render import render_document, render_title

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed"),
]

LANGUAGES = ("nl", "fr", "en")
KIND_LABELS = ("Briefing note", "Talking points", "Lessons learned")
MARKING = {"nl": "NIET GECLASSIFICEERD", "fr": "NON CLASSIFIÉ", "en": "UNCLASSIFIED"}
# A note line at the foot of a page: "12. Bert Versmessen, …" or "12. Versmessen, …".
_NOTE_LINE = re.compile(r"^\s*(\d+)\. (?:Bert )?Versmessen\b", re.M)
# WeasyPrint's hyphenation character (a break at a word's own hyphen, VN-missie, is not
# hyphenation) and the soft hyphen.
_HYPHENS = "\u2010\u00ad"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("full")
    args = ["pack", "full", "--all-languages", "--duplex", "-o", str(folder)]
    result = CliRunner().invoke(main, [*args, "--no-cache", "--jobs", "2", "--quiet"])
    assert result.exit_code == 0, result.output
    return {lang: folder / f"full-{lang}.pdf" for lang in LANGUAGES}


def _text(pdf: Path, raw: bool = False) -> list[str]:
    mode = "-raw" if raw else "-layout"
    out = subprocess.run(
        ["pdftotext", mode, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")[:-1]


def _body(page: str) -> list[str]:
    """The page's lines between the running head line and the footer line."""
    lines = [line for line in page.splitlines() if line.strip()]
    return lines[1:-1]


def _words(text: str) -> str:
    return " ".join(text.split())


def _starts(pages: list[str]) -> list[int]:
    return [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", pages[1], flags=re.M)]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_reader_for_the_cover_and_every_document(
    packs: dict[str, Path], dossier: Dossier, lang: str
) -> None:
    """The full pack names the reader a single ``generate`` names: one 'To' per document."""
    reader = dossier.mandate.audience.get(lang) if dossier.mandate.audience else ""
    generated = CliRunner().invoke(
        main, ["generate", "covid-19", "--kind", "briefing-note", "--lang", lang, "-o", "-"]
    )
    assert f"| **{gettext(lang, 'To')}** | {reader} |" in generated.output
    text = _words(" ".join(_text(packs[lang], raw=True)))
    documents = len(load_manifest(dossier, "full").documents(dossier))
    assert text.count(f"{gettext(lang, 'To')} {reader}") == documents
    assert text.count(reader) == documents + 1
    assert f"{gettext(lang, 'Audience')} {reader}" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_print_typesetting_leaves_quotes_alone(packs: dict[str, Path], lang: str) -> None:
    """Ranges in running text take an en dash; a quote keeps the article's hyphen."""
    text = _words(" ".join(_text(packs[lang], raw=True)))
    assert "viel gedurende de periode 2007-2008." in text
    assert "gedurende de periode 2007\u20132008" not in text
    assert "2037\u20132038" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_running_heads_are_never_cut(dossier: Dossier, lang: str) -> None:
    """A subject too long for the head line has a short running title in the dossier."""
    for topic, kind in load_manifest(dossier, "full").documents(dossier):
        document = render_document(dossier, topic, kind, lang)
        _, subject = print_document(document, "d", dossier).running_head
        assert not subject.endswith("\u2026"), (topic, kind, subject)
        assert text_width(subject) <= RUNNING_HEAD_WIDTH


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sources_never_stand_alone_on_a_page(packs: dict[str, Path], lang: str) -> None:
    """The Sources section travels with the text before it: no page opens on it."""
    heading = gettext(lang, "Sources")
    for number, page in enumerate(_text(packs[lang]), 1):
        body = _body(page)
        if body:
            assert not re.fullmatch(rf"\s*(?:\d+\.\s*)?{heading}\s*", body[0]), number


_WORD_BOX = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_list_numbers_sit_on_their_first_line(packs: dict[str, Path], lang: str) -> None:
    """Each number of a numbered list shares the baseline of its item's first word."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(packs[lang]), "-"], capture_output=True, text=True, check=True
    ).stdout
    checked = 0
    for page in out.split("<page ")[1:]:
        words = [(float(a), float(b), float(c), w) for a, b, c, w in _WORD_BOX.findall(page)]
        for x, y, right, word in words:
            if re.fullmatch(r"\d{1,2}\.", word) and 60 < x < 70:
                after = [(wx, wy) for wx, wy, _, _ in words if right < wx < right + 6]
                assert any(abs(wy - y) < 0.5 for _, wy in after), (word, y, after)
                checked += 1
    assert checked > 50


@pytest.mark.parametrize("lang", LANGUAGES)
def test_contents_entries_point_at_their_first_pages(
    packs: dict[str, Path], dossier: Dossier, lang: str
) -> None:
    pages = _text(packs[lang])
    entries = load_manifest(dossier, "full").documents(dossier)
    starts = _starts(pages)
    assert len(starts) == len(entries)
    for (topic, kind), start in zip(entries, starts, strict=True):
        title = typeset(render_title(dossier, topic, kind, lang), lang)
        document = render_document(dossier, topic, kind, lang)
        kind, subject = print_document(document, "d", dossier).running_head
        head = f"{_words(kind)} {MARKING[lang]} {_words(subject)}"
        page = pages[start - 1]
        assert _words(page.splitlines()[0]) == head, start
        assert _words(title) in _words(page), (title, start)
        assert start % 2 == 1, "duplex: every document starts on a right-hand page"
        assert _words(pages[start - 2].splitlines()[0]) != head, start


@pytest.mark.parametrize("lang", LANGUAGES)
def test_notes_stay_at_the_foot_of_their_pages(packs: dict[str, Path], lang: str) -> None:
    pages = _text(packs[lang])
    opening_with_a_note = [
        number
        for number, page in enumerate(pages, 1)
        if _body(page) and _NOTE_LINE.match(_body(page)[0])
    ]
    assert len(opening_with_a_note) <= 2, opening_with_a_note
    # A note call never sits on a line of its own, away from its word.
    lone_calls = [
        (number, line.strip())
        for number, page in enumerate(pages, 1)
        for line in _body(page)
        if re.fullmatch(r"\s*\d+(?:(?:–|, )\d+)*\s*", line)
    ]
    assert lone_calls == []
    starts = [*_starts(pages), len(pages) + 1]
    for first, end in itertools.pairwise(starts):
        numbers = [int(n) for page in pages[first - 1 : end - 1] for n in _NOTE_LINE.findall(page)]
        assert numbers, f"no notes in the document on page {first}"
        assert len(numbers) == len(set(numbers)), f"a note printed twice (page {first})"
        assert numbers == sorted(numbers), f"notes out of order (page {first})"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_acronym_name_or_figure_is_hyphenated(packs: dict[str, Path], lang: str) -> None:
    splits = []
    for page in _text(packs[lang], raw=True):
        lines = page.splitlines()
        for line, following in itertools.pairwise(lines):
            if len(line) < 2 or line[-1] not in _HYPHENS or not line[-2].isalpha():
                continue
            head = re.findall(r"[\w'’]+$", line[:-1])
            tail = re.findall(r"^[\w'’]+", following.strip())
            if head and tail:
                word = head[0] + tail[0]
                if any(char.isupper() or char.isdigit() for char in word):
                    splits.append(f"{head[0]}-{tail[0]}")
    assert splits == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_marking_at_top_and_bottom_and_blank_pages_say_so(
    packs: dict[str, Path], lang: str
) -> None:
    notice = gettext(lang, BLANK_PAGE)
    pages = _text(packs[lang])
    blanks = 0
    for number, page in enumerate(pages, 1):
        lines = [line for line in page.splitlines() if line.strip()]
        assert lines[0].count(MARKING[lang]) == 1 and lines[-1].count(MARKING[lang]) == 1
        kind, subject = (part.strip() for part in lines[0].split(MARKING[lang]))
        assert text_width(kind) <= RUNNING_HEAD_WIDTH, f"page {number}: kind on one line"
        assert text_width(subject) <= RUNNING_HEAD_WIDTH, f"page {number}: subject on one line"
        if number > 1:  # the cover lists the classification among its details
            assert all(line.strip() != MARKING[lang] for line in lines[1:-1]), number
        if notice in page:
            blanks += 1
            assert len(lines) == 3, f"page {number}: a blank page holds only its notice"
            assert lines[1].strip() == notice, f"page {number}: the notice in the page body"
            assert (kind, subject) == ("", ""), f"page {number}: running head on a blank page"
    assert blanks >= 1


def _tree(reader: PdfReader) -> Iterator[DictionaryObject]:
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            if node.get("/Type") == "/StructElem":
                yield node
            kids = node.get("/K")
            if isinstance(kids, ArrayObject):
                stack.extend(reversed(kids))
            elif isinstance(kids, IndirectObject | DictionaryObject):
                stack.append(kids)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tag_tree_headers_languages_links_and_navigation(
    packs: dict[str, Path], dossier: Dossier, lang: str
) -> None:
    documents = len(load_manifest(dossier, "full").documents(dossier))
    reader = PdfReader(packs[lang])
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == lang and catalog["/MarkInfo"]["/Marked"]
    assert catalog["/PageMode"] == "/UseOutlines"
    labels = catalog["/PageLabels"]["/Nums"]
    assert labels[0] == 0 and labels[1]["/P"] == gettext(lang, "Cover")
    assert labels[2] == 1 and labels[3]["/St"] == 2
    elements = list(_tree(reader))
    kinds = [str(element["/S"]) for element in elements]
    assert kinds[kinds.index("/H1")] == "/H1" and kinds.index("/H1") < kinds.index("/H2")
    headers = [element for element in elements if element["/S"] == "/TH"]
    assert len(headers) >= documents * 5
    assert all(header["/A"]["/Scope"] == "/Row" for header in headers)
    quotes = [element for element in elements if element.get("/Lang") == "nl"]
    if lang == "nl":
        assert quotes == []  # Dutch inside Dutch needs no language of its own
    else:
        assert len(quotes) >= 100
    # Every page with content has marked content in the structure tree.
    parents = reader.trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"]
    marked = {
        int(parents[i]) for i in range(0, len(parents), 2) if len(parents[i + 1].get_object())
    }
    notice = gettext(lang, BLANK_PAGE)
    for number, page in enumerate(_text(packs[lang]), 1):
        if notice not in page:
            assert number - 1 in marked, f"page {number} has no tagged content"
    # Links are announced by readable names, never by internal ids.
    names = [
        str(annotation.get_object().get("/Contents", ""))
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]
    assert names and not any(re.search(r"\bd\d+-|fn[:-]", name) for name in names)
    footnote = gettext(lang, "Footnote %(number)s").split("%")[0]
    assert any(name.startswith(footnote) for name in names)
    # Running heads, markings and page numbers are artifacts, not content.
    # (four text runs on a document page: running head, two markings, page number).
    contents = reader.pages[2].get_contents()
    assert contents is not None
    artifact_text = re.findall(rb"/Artifact\s+BMC(?:(?!EMC).)*?\bTJ\b", contents.get_data(), re.S)
    assert len(artifact_text) >= 4


@pytest.mark.parametrize("lang", LANGUAGES)
def test_metadata_in_words_and_language(
    packs: dict[str, Path], dossier: Dossier, lang: str
) -> None:
    documents = len(load_manifest(dossier, "full").documents(dossier))
    reader = PdfReader(packs[lang])
    assert reader.metadata is not None
    keywords = str(reader.metadata.get("/Keywords"))
    assert "full" not in keywords.split(", ") and "be-unsc" not in keywords
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert f"<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li>".encode() in xmp
    # The outline: the pack, open, over its documents, each collapsed.
    top = reader.trailer["/Root"]["/Outlines"]["/First"].get_object()
    assert "/Next" not in top and int(top["/Count"]) > 0
    document = top["/First"].get_object()
    closed = 0
    while True:
        if "/First" in document:
            assert int(document["/Count"]) < 0, document["/Title"]
            closed += 1
        if "/Next" not in document:
            break
        document = document["/Next"].get_object()
    assert closed == documents


def test_pdfua_smoke_check(packs: dict[str, Path]) -> None:
    pdfua = pytest.importorskip("pdfua")
    for lang, path in packs.items():
        report = pdfua.validate(str(path))
        assert [str(finding) for finding in report.findings] == [], lang


def test_the_french_cover_raises_the_first_of_the_month(dossier: Dossier) -> None:
    """The cover is set by the template, outside the text pass: its date still reads
    ``1<sup>er</sup> décembre``, as in the documents' tables."""
    from diplobrief.pdf import Cover, print_html

    cover = Cover(
        title="Dossier",
        subtitle="",
        issuer="",
        dossier="",
        audience="",
        reference="R",
        date="1er décembre 2026",
        language="français",
    )
    html = print_html(dossier, [], "fr", "T", "C", dt.date(2026, 12, 1), "S", [], cover=cover)
    assert '<dd>1<sup class="ordinal">er</sup>\u00a0décembre 2026</dd>' in html


def _documents(pages: list[str], notice: str) -> Iterator[tuple[int, list[str]]]:
    """Each document's first page number and its pages, less duplex blank pages."""
    starts = [*_starts(pages), len(pages) + 1]
    for first, end in itertools.pairwise(starts):
        yield first, [page for page in pages[first - 1 : end - 1] if notice not in page]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_document_that_runs_on_takes_two_paragraphs_to_its_last_page(
    packs: dict[str, Path], lang: str
) -> None:
    """No briefing note or talking points whose last page holds only a line to take, a
    background line or the sources (REVIEW C11): the last two paragraphs and the
    sources go over together."""
    item = re.compile(r"^\s*(?:\d+\.|•|◦)\s")  # ◦: one source line each (REVIEW r7 C12)
    lessons = _words(typeset(gettext(lang, "Lessons learned"), lang))
    runs_on = 0
    for first, document in _documents(_text(packs[lang]), gettext(lang, BLANK_PAGE)):
        if len(document) < 2 or _words(_body(document[0])[0]).startswith(lessons):
            continue  # one page, or the lessons learned (a page a theme, by design)
        runs_on += 1
        last = [line for line in _body(document[-1]) if not _NOTE_LINE.match(line)]
        sources = typeset(gettext(lang, "Sources"), lang)
        text = last[: next((i for i, line in enumerate(last) if line.strip() == sources), None)]
        assert sum(bool(item.match(line)) for line in text) >= 2, (first, text)
    assert runs_on < 30  # most of the 37 documents fit on one page or two


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_title_keeps_its_document_kind_on_one_line(packs: dict[str, Path], lang: str) -> None:
    """« Note de briefing : l'accès humanitaire… », never "Note" alone (REVIEW C10)."""
    pages = _text(packs[lang])
    kinds = [_words(typeset(gettext(lang, label), lang)) for label in KIND_LABELS]
    checked = 0
    for first, document in _documents(pages, gettext(lang, BLANK_PAGE)):
        title = _words(_body(document[0])[0])
        assert any(re.match(rf"{re.escape(kind)}\W", title) for kind in kinds), (first, title)
        checked += 1
    assert checked == len(_starts(pages))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dates_hold_together_and_calls_keep_to_their_punctuation(
    packs: dict[str, Path], lang: str
) -> None:
    """No line ends on a day whose month opens the next line ("(1 | January 2019"), and
    a note call after punctuation sits against it ("2020).¹", not "2020). ¹") (REVIEW
    C1); a call after a bare figure keeps its gap ("Key message 1 ²")."""
    months = "|".join(
        get_month_names("wide", locale={"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}[lang]).values()
    )
    broken = []
    detached = []
    for page in _text(packs[lang]):
        lines = [line.rstrip() for line in page.splitlines()]
        for line, following in itertools.pairwise(lines):
            if re.search(r"\b\d{1,2}(?:er)?$", line) and re.match(
                rf"\s*(?:{months})\b", following, re.IGNORECASE
            ):
                broken.append(f"{line[-20:]} | {following[:20]}")
        detached += re.findall(r"\d{4}\)\. \d+\b", page)
    assert broken == []
    assert detached == []
    purpose, row = gettext(lang, "Purpose"), gettext(lang, "Classification")
    cells = [
        cell
        for page in _text(packs[lang])
        for cell in re.findall(rf"^ *{purpose} (.*?)\n *{row} ", page, re.M | re.S)
    ]
    assert cells and all(re.search(r"[.)]\d+$", cell.rstrip()) for cell in cells), cells


# A hyphenated line this short was broken by force: the rest would not fit after it.
_SHORTEST_HYPHENATED_LINE = 40


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_word_is_split_on_a_short_line(packs: dict[str, Path], lang: str) -> None:
    """REVIEW r7 C10: « a véri-/fié plus de 25 000 », a short line ending in a split
    word, the rest of the sentence (a figure held by its no-break space) on the next."""
    short = [
        line
        for page in _text(packs[lang], raw=True)
        for line in page.splitlines()
        if line[-1:] in _HYPHENS and len(line.strip()) < _SHORTEST_HYPHENATED_LINE
    ]
    assert short == []
