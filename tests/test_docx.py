"""Real DOCX files read back with python-docx, lxml and pandoc: content, styles, safety."""

from __future__ import annotations

import datetime as dt
import io
import re
import runpy
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx as python_docx
import pytest
from click.testing import CliRunner
from conftest import ROOT
from lxml import etree
from pypdf import PdfReader

from diplobrief import docx, i18n
from diplobrief.cli import main
from diplobrief.dossier import Dossier, load_dossier
from diplobrief.i18n import gettext
from diplobrief.pack import load_manifest, pack_docx
from diplobrief.render import RenderedDocument, footnotes, render_document

W = docx.W
NS = {"w": W, "r": docx.R}
KINDS = ["briefing-note", "talking-points", "lessons-learned"]
LANGS = ["nl", "fr", "en"]
PAGE_WORDS = {"nl": ("pagina", "van"), "fr": ("page", "sur"), "en": ("page", "of")}


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _xml(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(_parts(data)[name])


def used_character_styles(data: bytes) -> set[str]:
    parts = _parts(data)
    found = re.findall(rb'<w:rStyle w:val="([^"]+)"', parts["word/document.xml"])
    found += re.findall(rb'<w:rStyle w:val="([^"]+)"', parts["word/footnotes.xml"])
    return {name.decode() for name in found}


def _text(element: etree._Element) -> str:
    return "".join(element.itertext())


@pytest.fixture(scope="module")
def built(dossier: Dossier) -> dict[tuple[str, str], tuple[RenderedDocument, bytes]]:
    """Every kind in every language, for one topic ('all' for lessons learned)."""
    out = {}
    for kind in KINDS:
        for lang in LANGS:
            topic = "all" if kind == "lessons-learned" else "syria-humanitarian-access"
            document = render_document(dossier, topic, kind, lang)
            out[(kind, lang)] = (document, docx.document_docx(dossier, document))
    return out


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_real_footnotes_hold_the_source_quotes(
    built: dict[tuple[str, str], tuple[RenderedDocument, bytes]],
    dossier: Dossier,
    kind: str,
    lang: str,
) -> None:
    document, data = built[(kind, lang)]
    body = _xml(data, "word/document.xml")
    notes = [
        note
        for note in _xml(data, "word/footnotes.xml").findall("w:footnote", NS)
        if int(note.get(f"{{{W}}}id")) > 0
    ]
    references = body.findall(".//w:footnoteReference", NS)
    cited = re.findall(r"\[\^([a-z0-9-]+)\](?!:)", document.markdown)
    assert len(notes) == len(references) == len(cited) > 0
    texts = [" ".join(_text(note).split()) for note in notes]
    defined = frozenset(re.findall(r"^\[\^([a-z0-9-]+)\]:", document.markdown, re.M))
    for note in footnotes(dossier, document.markdown, defined):
        # The words, hyphens and apostrophes are the source's, byte for byte.
        quote = " ".join(i18n.typeset(note.quote, lang, quoted=True).split())
        assert any(quote in text for text in texts), note.id
        # The Dutch quote is marked Dutch, whatever the document's language.
        dutch = [
            _text(run)
            for run in _xml(data, "word/footnotes.xml").iter(f"{{{W}}}r")
            if run.find("w:rPr/w:lang[@w:val='nl-BE']", NS) is not None
        ]
        assert i18n.typeset(note.quote, lang, quoted=True) in "".join(dutch), note.id


@pytest.mark.parametrize("lang", LANGS)
def test_header_footer_marking_title_and_page_fields(
    built: dict[tuple[str, str], tuple[RenderedDocument, bytes]], lang: str
) -> None:
    document, data = built[("briefing-note", lang)]
    word = python_docx.Document(io.BytesIO(data))
    section = word.sections[0]
    header = section.header.paragraphs[0].text
    title = i18n.typeset(document.title, lang)  # set as the document sets it (l’accès)
    assert title.replace(" ", "\u00a0") in header.replace(" ", "\u00a0")
    assert header.endswith(document.classification)
    footer = _xml(data, "word/footer1.xml")
    words = PAGE_WORDS[lang]
    assert " ".join(_text(footer).split()).startswith(document.classification)
    assert re.search(rf"{words[0]} 1 {words[1]} 1$", " ".join(_text(footer).split()))
    fields = [f.get(f"{{{W}}}instr").strip() for f in footer.iter(f"{{{W}}}fldSimple")]
    assert fields == ["PAGE", "NUMPAGES"]
    assert section.page_width is not None and round(section.page_width.mm) == 210


@pytest.mark.parametrize("lang", LANGS)
def test_styles_language_headings_and_numbering(
    built: dict[tuple[str, str], tuple[RenderedDocument, bytes]], lang: str
) -> None:
    document, data = built[("briefing-note", lang)]
    styles = _xml(data, "word/styles.xml")
    tag = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB"}[lang]
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(f"{{{W}}}val") == tag
    settings = _xml(data, "word/settings.xml")
    assert settings.find("w:themeFontLang", NS).get(f"{{{W}}}val") == tag
    assert settings.find("w:proofState", NS) is None  # Word checks the spelling afresh
    word = python_docx.Document(io.BytesIO(data))
    used = [paragraph.style.name for paragraph in word.paragraphs]
    assert used.count("Title") == 1
    assert word.paragraphs[used.index("Title")].text == i18n.typeset(document.title, lang)
    headings = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert headings == re.findall(r"^## (.+)$", document.markdown, re.M)
    # Numbered paragraphs are Word numbering (decimal), not typed numbers.
    numbered = [p for p in word.paragraphs if p._p.pPr is not None and p._p.pPr.numPr is not None]
    assert len(numbered) >= len(re.findall(r"^\d+\. ", document.markdown, re.M))
    numbering = _xml(data, "word/numbering.xml")
    assert numbering.findall(".//w:numFmt[@w:val='decimal']", NS)
    # No direct bold or italics: formatting comes from styles (Strong, Emphasis, ...).
    for part in ("word/document.xml", "word/footnotes.xml"):
        runs = _xml(data, part).findall(".//w:p//w:r/w:rPr", NS)
        assert not [
            r for r in runs if r.find("w:b", NS) is not None or r.find("w:i", NS) is not None
        ]
    # Bold in a briefing note is only the paragraph numbers (now Word numbering) and the
    # header labels (Header Column); the italic "Information as of" line is Emphasis.
    assert "Emphasis" in used_character_styles(data)


def test_typed_paragraph_numbers_become_word_numbering(dossier: Dossier) -> None:
    """Paragraphs numbered "**N.**" in the Markdown run on as Word numbering across headings."""
    markdown = "## A\n\n**1.** First.\n\n**2.** Second.\n\n## B\n\n**3.** Third.\n\n**x.** Not.\n"
    document = RenderedDocument(
        markdown, "T", "briefing-note", "covid-19", "en", dt.date(2020, 1, 1), "UNCLASSIFIED"
    )
    data = docx.document_docx(dossier, document)
    word = python_docx.Document(io.BytesIO(data))
    numbered = [p.text for p in word.paragraphs if p._p.pPr.numPr is not None]
    assert numbered == ["First.", "Second.", "Third."]
    starts = _xml(data, "word/numbering.xml").findall(".//w:num/w:lvlOverride/w:startOverride", NS)
    assert {"1", "3"} <= {start.get(f"{{{W}}}val") for start in starts}
    assert word.paragraphs[-1].text == "x. Not."


def test_header_block_is_a_table_with_a_header_column(
    built: dict[tuple[str, str], tuple[RenderedDocument, bytes]],
) -> None:
    _, data = built[("talking-points", "fr")]
    word = python_docx.Document(io.BytesIO(data))
    table = word.tables[0]
    labels = [row.cells[0].text for row in table.rows]
    assert labels[:3] == ["À", "De", "Date"]
    assert {row.cells[0].paragraphs[0].style.name for row in table.rows} == {"Header Column"}
    look = _xml(data, "word/document.xml").find(".//w:tbl/w:tblPr/w:tblLook", NS)
    assert look.get(f"{{{W}}}firstColumn") == "1"
    assert table.rows[0].cells[1].text == (
        "Représentation permanente de la Belgique auprès des Nations Unies à New York"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_text_matches_the_markdown(
    built: dict[tuple[str, str], tuple[RenderedDocument, bytes]], kind: str
) -> None:
    """pandoc reads the DOCX back to the same words as the Markdown (front matter aside)."""
    document, data = built[(kind, "nl")]
    pandoc = docx.pandoc_path()

    def words(source: bytes, fmt: str) -> list[str]:
        text = subprocess.run(
            [pandoc, "-f", fmt, "-t", "plain", "--wrap=none"],
            input=source,
            capture_output=True,
            check=True,
        ).stdout.decode()
        text = text.replace("]^(,)[", "][")  # the comma between adjacent note marks
        return [word for word in text.split() if not re.fullmatch(r"-+", word)]

    markdown = re.sub(r"\A---\n.*?\n---\n", "", document.markdown, count=1, flags=re.S)
    assert words(data, "docx") == words(markdown.encode(), docx.MARKDOWN_FORMAT)


def test_byte_identical_rebuilds_with_fixed_zip(dossier: Dossier) -> None:
    document = render_document(dossier, "covid-19", "talking-points", "en")
    first, second = docx.document_docx(dossier, document), docx.document_docx(dossier, document)
    assert first == second
    manifest = load_manifest(dossier, "presidency-february-2020")
    assert pack_docx(dossier, manifest, "nl") == pack_docx(dossier, manifest, "nl")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
    assert {i.date_time for i in infos} == {(2021, 2, 1, 0, 0, 0)}
    core = _xml(first, "docProps/core.xml")
    assert "2021-02-01T00:00:00Z" in _text(core) and document.title in _text(core)


def test_pack_cover_contents_and_documents(dossier: Dossier) -> None:
    manifest = load_manifest(dossier, "presidency-february-2020")
    pairs = manifest.documents(dossier)
    data = pack_docx(dossier, manifest, "fr")
    word = python_docx.Document(io.BytesIO(data))
    styles = [paragraph.style.name for paragraph in word.paragraphs]
    assert styles[:2] == ["Title", "Subtitle"]
    assert word.paragraphs[0].text == manifest.title.get("fr")
    body = _xml(data, "word/document.xml")
    instructions = [_text(node).strip() for node in body.iter(f"{{{W}}}instrText")]
    assert instructions[0] == 'TOC \\o "1-1" \\h \\z \\u'
    assert [i for i in instructions if i.startswith("PAGEREF")] == [
        f"PAGEREF d{n} \\h" for n in range(1, len(pairs) + 1)
    ]
    titles = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    expected = [i18n.typeset(render_document(dossier, t, k, "fr").title, "fr") for t, k in pairs]
    assert titles == expected
    # Each heading 1 carries the bookmark the contents point at.
    bookmarks = [b.get(f"{{{W}}}name") for b in body.iter(f"{{{W}}}bookmarkStart")]
    assert {f"d{n}" for n in range(1, len(pairs) + 1)} <= set(bookmarks)
    # Cover, contents and every document start on a new page; the cover has its own header.
    breaks = body.findall(".//w:br[@w:type='page']", NS)
    assert len(breaks) == len(pairs) + 1
    assert body.find("w:body/w:sectPr/w:titlePg", NS) is not None
    toc = body.find(".//w:sdt/w:sdtContent", NS)
    assert _text(toc.find("w:p", NS)) == gettext("fr", "Contents")
    lines = [line.findtext("w:r/w:t", namespaces=NS) for line in toc.findall("w:p/w:hyperlink", NS)]
    assert lines == expected
    settings = _xml(data, "word/settings.xml")
    assert settings.find("w:updateFields", NS).get(f"{{{W}}}val") == "true"
    first_header = _text(_xml(data, "word/header2.xml")).strip()
    assert first_header == gettext("fr", "UNCLASSIFIED")


def test_duplex_pack_starts_documents_on_odd_pages(dossier: Dossier) -> None:
    manifest = load_manifest(dossier, "presidency-february-2020")
    count = len(manifest.documents(dossier))
    body = _xml(pack_docx(dossier, manifest, "en", duplex=True), "word/document.xml")
    sections = body.findall(".//w:sectPr", NS)
    kinds = [s.find("w:type", NS).get(f"{{{W}}}val") for s in sections]
    assert kinds == ["nextPage"] + ["oddPage"] * count
    for section in sections:
        refs = section.findall("w:headerReference", NS) + section.findall("w:footerReference", NS)
        assert len(refs) == 4 and section.find("w:pgSz", NS).get(f"{{{W}}}w") == "11906"
    assert [s.find("w:titlePg", NS) is not None for s in sections] == [True] + [False] * count


def test_every_kind_language_and_both_packs_build(dossier: Dossier, tmp_path: Path) -> None:
    runner = CliRunner()
    for kind in KINDS:
        for lang in LANGS:
            target = tmp_path / f"{kind}-{lang}.docx"
            result = runner.invoke(
                main, ["generate", "covid-19", "-k", kind, "--lang", lang, "-o", str(target)]
            )
            assert result.exit_code == 0, result.output
            assert python_docx.Document(str(target)).paragraphs
    cache = tmp_path / "cache"
    args = ["pack", "full", "presidency-february-2020", "--all-languages", "-f", "docx"]
    args += ["-o", str(tmp_path / "packs"), "--cache-dir", str(cache), "-j", "1"]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert len(list((tmp_path / "packs").glob("*.docx"))) == 6
    assert "from the cache" not in first.output and "pages" not in first.output
    second = runner.invoke(main, args)
    assert second.output.count("(from the cache)") == 6
    full = python_docx.Document(str(tmp_path / "packs" / "full-nl.docx"))
    headings = [p for p in full.paragraphs if p.style.name == "Heading 1"]
    assert len(headings) == len(load_manifest(dossier, "full").documents(dossier))


def test_docx_needs_an_output_file_and_pdf_stays_default_for_packs(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["generate", "covid-19", "-f", "docx"])
    assert result.exit_code == 2 and "DOCX output needs -o FILE.docx" in result.output
    result = runner.invoke(main, ["generate", "covid-19", "-o", str(tmp_path / "x.md")])
    assert result.exit_code == 0 and (tmp_path / "x.md").read_text().startswith("---")


@pytest.fixture
def hostile_docx_dossier(dossier_copy: Path) -> Path:
    """Every text field seeded with Word and Markdown constructs that must stay text."""
    import yaml

    payload = (
        '{ INCLUDETEXT "http://127.0.0.1:9/x" } <w:fldSimple w:instr="DDEAUTO c:\\\\x"/>'
        " [link](http://127.0.0.1:9/l) ![i](http://127.0.0.1:9/i.png) <http://127.0.0.1:9/a>"
        " http://127.0.0.1:9/bare $x^2$ @cite `code`{=openxml} ]]> &amp; <!-- -->"
    )
    skip = {"id", "ref", "type", "topic", "kind", "classification", "language", "facts", "replaces"}
    skip |= {"month", "as_of", "start", "end", "every_topic", "value"}

    def seed(node: object, key: str | None = None) -> object:
        if key in skip:
            return node
        if isinstance(node, dict):
            return {name: seed(value, name) for name, value in node.items()}
        if isinstance(node, list):
            return [seed(value, key) for value in node]
        if isinstance(node, str):
            return payload if key == "quote" else f"{payload} {node}"
        return node

    for path in [dossier_copy / "dossier.yaml", *sorted(dossier_copy.glob("*/*.yaml"))]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(seed(data), allow_unicode=True, width=10_000), "utf-8")
    return dossier_copy


def test_hostile_text_gives_no_fields_links_or_objects(hostile_docx_dossier: Path) -> None:
    dossier = load_dossier(hostile_docx_dossier)
    outputs = [
        docx.document_docx(dossier, render_document(dossier, "covid-19", kind, "en"))
        for kind in KINDS
    ]
    outputs.append(pack_docx(dossier, load_manifest(dossier, "presidency-february-2020"), "fr"))
    for data in outputs:
        parts = _parts(data)
        docx.check_safe(parts)
        body = parts["word/document.xml"] + parts["word/footnotes.xml"]
        for rels in (name for name in parts if name.endswith(".rels")):
            assert b"External" not in parts[rels] and b"hyperlink" not in parts[rels]
        assert b"<w:hyperlink r:id" not in body
        assert not re.search(rb"<w:(object|drawing|pict|altChunk)\b", body)
        assert not any(name.startswith(("word/media", "word/embeddings")) for name in parts)
        for name in ("word/document.xml", "word/footnotes.xml"):
            root = etree.fromstring(parts[name])
            instructions = [node.text for node in root.iter(f"{{{W}}}instrText")]
            assert all(re.match(r" (TOC|PAGEREF d\d+) ", i) for i in instructions)
            assert not list(root.iter(f"{{{W}}}fldSimple"))
            assert not list(root.iter(f"{{{W}}}fldChar")) or name == "word/document.xml"
        text = _text(etree.fromstring(parts["word/document.xml"]))
        assert '{ INCLUDETEXT "http://127.0.0.1:9/x" }' in text
        assert "[link](http://127.0.0.1:9/l)" in text and "`code`{=openxml}" in text


def test_check_safe_refuses_what_it_did_not_write() -> None:
    bad_field = {
        "word/document.xml": f'<w:fldSimple xmlns:w="{W}" w:instr=" INCLUDETEXT x "/>'.encode()
    }
    external = {"word/_rels/document.xml.rels": b'<R TargetMode="External"/>'}
    macro = {"word/vbaProject.bin": b""}
    for parts in (bad_field, external, macro):
        with pytest.raises(docx.RenderError, match="unsafe content"):
            docx.check_safe(parts)


def test_shipped_reference_document_is_up_to_date() -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "reference_docx.py"), run_name="reference")
    assert script["build"]() == docx.REFERENCE_DOCX.read_bytes(), (
        "run: python scripts/reference_docx.py"
    )


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (Debian libreoffice-writer-nogui) is not installed; scripts/setup.sh "
    "installs it",
)
def test_libreoffice_lays_out_the_docx(
    built: dict[tuple[str, str], tuple[RenderedDocument, bytes]], tmp_path: Path
) -> None:
    """An independent word processor opens the file: every page has the marking and counter."""
    document, data = built[("briefing-note", "fr")]
    source = tmp_path / "note.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pages = [page.extract_text() for page in PdfReader(tmp_path / "note.pdf").pages]
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert text.count(document.classification) >= 2
        assert f"page {number} sur {len(pages)}" in text
    assert i18n.typeset(document.title, "fr").split("\u00a0: ")[-1] in pages[0]


def test_extension_docx_in_a_real_process(tmp_path: Path) -> None:
    """`-o brief.docx` without -f writes Word, through the installed entry point."""
    import sys

    target = tmp_path / "brief.docx"
    command = [sys.executable, "-m", "diplobrief", "generate", "peacekeeping", "--lang", "fr"]
    done = subprocess.run(
        [*command, "-o", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"Wrote {target}" in done.stderr
    word = python_docx.Document(str(target))
    assert word.core_properties.language == "fr-BE"
    assert word.core_properties.title.startswith("Note de briefing")
