"""Real WeasyPrint PDFs read back with pypdf and poppler: content, layout, safety."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import LocalServer, start_diplobrief
from pypdf import PdfReader

from diplobrief.cli import main
from diplobrief.dossier import Dossier, load_dossier
from diplobrief.i18n import gettext, typeset
from diplobrief.pack import PackJob, build_packs, cache_key, load_manifest
from diplobrief.pdf import document_html, document_pdf, print_document
from diplobrief.render import render_document

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _pages_text(pdf: Path) -> list[str]:
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        return text.split("\f")[:-1]
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _outline_titles(reader: PdfReader) -> list[object]:
    def walk(items: list[object]) -> list[object]:
        return [walk(item) if isinstance(item, list) else item.title for item in items]

    return walk(reader.outline)


@pytest.fixture(scope="module")
def single_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("pdf") / "note.pdf"
    result = CliRunner().invoke(
        main,
        ["generate", "children-armed-conflict", "--lang", "nl", "-f", "pdf", "-o", str(target)],
    )
    assert result.exit_code == 0, result.output
    return target


def test_single_pdf_content_and_metadata(single_pdf: Path) -> None:
    reader = PdfReader(single_pdf)
    assert len(reader.pages) >= 1  # a one-subject note: one or two pages
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Briefingnota: kinderen en gewapende conflicten"
    assert meta.author is not None and meta.author.startswith("FOD Buitenlandse Zaken")
    assert meta.subject == "België in de VN-Veiligheidsraad 2019-2020"
    assert str(meta.get("/CreationDate", "")).startswith("D:20210201")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    pages = _pages_text(single_pdf)
    for number, text in enumerate(pages, 1):
        assert text.count("NIET GECLASSIFICEERD") >= 2, number
        assert f"pagina {number} van {len(pages)}" in text
    joined = "\n".join(pages)
    assert "Kernpunten" in joined and "25.000" in joined and "Bronnen" in joined
    titles = _outline_titles(reader)
    assert titles[0] == "Briefingnota: kinderen en gewapende conflicten"
    assert "Kernpunten" in titles[1] and "Te volgen lijn" in titles[1]


def test_fonts_are_embedded(single_pdf: Path) -> None:
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils not installed")
    fonts = subprocess.run(["pdffonts", str(single_pdf)], capture_output=True, text=True).stdout
    rows = [line for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("DB-S" in row and " yes yes " in row for row in rows)


def test_pdf_is_byte_identical_on_rebuild(dossier: Dossier) -> None:
    document = render_document(dossier, "covid-19", "talking-points", "fr")
    assert document_pdf(dossier, document) == document_pdf(dossier, document)


def test_html_is_self_contained(dossier: Dossier) -> None:
    document = render_document(dossier, "peacekeeping", "briefing-note", "en")
    html = document_html(dossier, document, embed_fonts=True)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert "<link" not in html and "<script" not in html and "http" not in html.split("<body")[1]
    assert "@page" in html
    assert re.findall(r'url\("([^"]{0,20})', html) == ["data:font/ttf;base64"] * 6


def test_hostile_fact_text_is_literal_and_fetches_nothing(
    dossier_copy: Path, http_server: LocalServer, tmp_path: Path
) -> None:
    hostile = (
        f'<img src="http://127.0.0.1:{http_server.port}/x"> '
        '<link rel=attachment href="file:///etc/passwd"> '
        f"[click](javascript:alert(1)) ![i](http://127.0.0.1:{http_server.port}/y) "
        "{{ config }} {% include 'x' %} | a | b |"
    )
    topic = dossier_copy / "topics" / "covid-19.yaml"
    data = yaml.safe_load(topic.read_text(encoding="utf-8"))
    data["facts"][0]["text"]["nl"] = hostile + " " + data["facts"][0]["text"]["nl"]
    topic.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    loaded = load_dossier(dossier_copy)
    # The talking points' background block writes the fact out in full.
    document = render_document(loaded, "covid-19", "talking-points", "nl")
    assert "&lt;img" in document.markdown and "\\{\\{ config \\}\\}" in document.markdown
    html = document_html(loaded, document)
    assert "<img" not in html and "<link rel" not in html and 'href="javascript' not in html
    pdf_path = tmp_path / "hostile.pdf"
    pdf_path.write_bytes(document_pdf(loaded, document))
    assert http_server.requests == []
    reader = PdfReader(pdf_path)
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    # Justified, hyphenated lines spread and split words in a -layout extraction:
    # compare words, with the printed hyphenation (U+2010 at a line end) undone.
    joined = " ".join(" ".join(page.split()) for page in _pages_text(pdf_path))
    joined = joined.replace("\u2010 ", "")
    assert "<img src=" in joined and "{{ config }}" in joined
    assert "root:x:0:0" not in joined


@pytest.fixture(scope="module")
def presidency_pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    result = CliRunner().invoke(
        main,
        [
            "pack",
            "presidency-february-2020",
            "--lang",
            "fr",
            "-o",
            str(folder / "p.pdf"),
            "--no-cache",
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    return folder / "p.pdf"


def test_pack_toc_matches_document_pages(presidency_pack: Path, dossier: Dossier) -> None:
    pages = _pages_text(presidency_pack)
    manifest = load_manifest(dossier, "presidency-february-2020")
    entries = manifest.documents(dossier)
    toc = pages[1]
    assert gettext("fr", "Contents") in toc
    starts = [int(number) for number in re.findall(r"\.\s*(\d+)\s*$", toc, flags=re.M)]
    assert len(starts) == len(entries)
    for (topic, kind), start in zip(entries, starts, strict=True):
        head = print_document(
            render_document(dossier, topic, kind, "fr"), "d", dossier
        ).running_head
        title = " ".join(f"{head[0]} NON CLASSIFIÉ {head[1]}".split())
        running_header = pages[start - 1].splitlines()[0]
        assert " ".join(running_header.split()) == title, (title, start)
        previous_header = " ".join(pages[start - 2].splitlines()[0].split())
        assert previous_header != title, (title, start)
    # Every page numbered, the title page too (DOCUMENT-FORMS: "pages are numbered").
    for number, text in enumerate(pages, 1):
        assert "NON CLASSIFIÉ" in text
        assert f"page {number} sur {len(pages)}" in text


def test_pack_bookmarks_are_a_tree(presidency_pack: Path) -> None:
    reader = PdfReader(presidency_pack)
    outline = _outline_titles(reader)
    assert outline[0] == "La présidence belge du Conseil, février 2020"
    documents = outline[1]
    assert isinstance(documents, list)
    assert documents[0].startswith("Note de briefing")
    assert isinstance(documents[1], list) and documents[1][0] == "Résumé"


def test_pack_several_languages_and_cache(tmp_path: Path) -> None:
    runner = CliRunner()
    args = [
        "pack",
        "presidency-february-2020",
        "--all-languages",
        "-o",
        str(tmp_path / "out"),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--jobs",
        "2",
        "--quiet",
    ]
    first = runner.invoke(main, args)
    assert "from the cache" not in first.output
    assert first.exit_code == 0, first.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == [f"presidency-february-2020-{lang}.pdf" for lang in ("en", "fr", "nl")]
    before = {name: (tmp_path / "out" / name).read_bytes() for name in files}
    for cached in (tmp_path / "cache").glob("*.pdf"):
        # Mark each entry and re-sign its meta, as a genuine entry would be.
        marked = cached.read_bytes() + b"%cache\n"
        cached.write_bytes(marked)
        meta_path = cached.with_suffix(".json")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta.update(size=len(marked), sha256=hashlib.sha256(marked).hexdigest())
        meta_path.write_text(json.dumps(meta), encoding="utf-8")
    second = runner.invoke(main, args)
    assert second.output.count("pages, from the cache)") == 3
    # The outputs are the cached files (marked above), not fresh renderings.
    assert all((tmp_path / "out" / name).read_bytes().endswith(b"%cache\n") for name in files)
    assert before == {
        name: (tmp_path / "out" / name).read_bytes().removesuffix(b"%cache\n") for name in files
    }


def test_cache_key_changes_with_content_and_options(dossier_copy: Path, dossier: Dossier) -> None:
    manifest = load_manifest(dossier, "presidency-february-2020")
    job = PackJob(dossier_copy, manifest, "nl", Path("x.pdf"), None, False, Path("c"))
    key = cache_key(job)
    assert cache_key(job) == key
    assert (
        cache_key(PackJob(dossier_copy, manifest, "fr", Path("x.pdf"), None, False, Path("c")))
        != key
    )
    assert (
        cache_key(PackJob(dossier_copy, manifest, "nl", Path("x.pdf"), None, True, Path("c")))
        != key
    )
    topic = dossier_copy / "topics" / "covid-19.yaml"
    topic.write_text(topic.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache_key(job) != key


def test_adhoc_pack_and_usage_errors(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    result = runner.invoke(
        main,
        [
            "pack",
            "--topics",
            "covid-19,peacekeeping",
            "--kinds",
            "briefing-note",
            "--lang",
            "fr",
            "-o",
            str(target),
            "--no-cache",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    outline = _outline_titles(PdfReader(target))
    assert outline[0] == "Dossier de briefing"
    assert [entry for entry in outline[1] if isinstance(entry, str)] == [
        "Note de briefing\u00a0: la pandémie de COVID et le Conseil",
        "Note de briefing\u00a0: le maintien de la paix",
    ]
    unknown = runner.invoke(main, ["pack", "ful", "--lang", "en"])
    assert unknown.exit_code == 2
    assert unknown.output == "Error: Unknown pack 'ful'. Did you mean 'full'?\n"
    bad_topic = runner.invoke(main, ["pack", "--topics", "covd", "--lang", "en"])
    assert bad_topic.exit_code == 2 and "Did you mean 'covid-19'?" in bad_topic.output


def test_interrupted_pack_leaves_previous_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "full-en.pdf"
    target.write_bytes(b"previous")
    process = start_diplobrief(
        "pack", "full", "--lang", "en", "-o", str(target), "--no-cache", "--jobs", "1", "-q"
    )
    time.sleep(3)
    assert process.poll() is None, "the build finished too fast to interrupt"
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip().splitlines()[-1] == "Interrupted."
    assert target.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full-en.pdf"]
    process = start_diplobrief(
        "pack", "full", "--lang", "en", "-o", str(target), "--no-cache", "--jobs", "1", "-q"
    )
    time.sleep(3)
    process.kill()
    process.communicate()
    assert target.read_bytes() == b"previous"


def test_build_one_writes_through_the_cache(tmp_path: Path, dossier: Dossier) -> None:
    manifest = load_manifest(dossier, "presidency-february-2020")
    job = PackJob(dossier.path, manifest, "en", tmp_path / "a.pdf", None, False, tmp_path / "c")
    [first] = build_packs([job], workers=1)
    assert not first.cached and first.pages > 5
    [second] = build_packs([job], workers=1)
    assert second.cached and second.pages == first.pages


def test_large_packs_render_in_parts(
    dossier: Dossier, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Parts of 4 documents joined inside WeasyPrint: contents, pages, bookmarks, tags."""
    from diplobrief import pack as pack_module

    monkeypatch.setattr(pack_module, "STREAM_PART", 4)
    manifest = load_manifest(dossier, "presidency-february-2020")
    rendered = pack_module.pack_pdf(dossier, manifest, "en", stream_above=3, duplex=True)
    again = pack_module.pack_pdf(dossier, manifest, "en", stream_above=3, duplex=True)
    assert rendered.data == again.data
    path = tmp_path / "streamed.pdf"
    path.write_bytes(rendered.data)
    reader = PdfReader(path)
    assert len(reader.pages) == rendered.pages
    assert reader.metadata is not None and reader.metadata.title == manifest.title.en
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en" and "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    pages = _pages_text(path)
    blanks = [text for text in pages if "This page is intentionally left blank" in text]
    assert all(len(text.split()) < 15 for text in blanks)
    starts = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", pages[1], flags=re.M)]
    entries = manifest.documents(dossier)
    assert len(starts) == len(entries)
    for (topic, kind), start in zip(entries, starts, strict=True):
        document = render_document(dossier, topic, kind, "en")
        kind_head, subject_head = print_document(document, "d", dossier).running_head
        header = " ".join(pages[start - 1].splitlines()[0].split())
        assert header.startswith(kind_head) and header.endswith(subject_head), header
        assert start % 2 == 1, "duplex: every document starts on a right-hand page"
        assert f"page {start}" in pages[start - 1]
    outline = _outline_titles(reader)
    assert outline[0] == typeset(manifest.title.en, "en")
    documents = [entry for entry in outline[1] if isinstance(entry, str)]
    assert len(documents) == len(entries)
    assert isinstance(outline[1][1], list) and outline[1][1][0] == "Summary"


def test_duplex_starts_every_document_on_a_right_hand_page(tmp_path: Path) -> None:
    target = tmp_path / "duplex.pdf"
    result = CliRunner().invoke(
        main,
        [
            "pack",
            "--topics",
            "covid-19,iran-nuclear-2231",
            "--kinds",
            "briefing-note",
            "--lang",
            "nl",
            "--duplex",
            "-o",
            str(target),
            "--no-cache",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    pages = _pages_text(target)
    starts = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", pages[1], flags=re.M)]
    assert len(starts) == 2 and all(start % 2 == 1 for start in starts)
    assert starts[0] == 3


def test_duplex_filler_page_is_marked_blank(dossier: Dossier) -> None:
    """The blank page a part gets before it when it would start on a left-hand page."""
    from diplobrief.pdf import html_to_pdf, print_html

    html = print_html(
        dossier,
        [],
        "fr",
        "Dossier",
        "NON CLASSIFIÉ",
        dt.date(2021, 2, 1),
        subject="",
        keywords=[],
        filler=True,
        part=True,
        first_page=12,
        page_counter="page %(page)s",
    )
    rendered = html_to_pdf(html)
    assert rendered.pages == 1
    text = PdfReader(io.BytesIO(rendered.data)).pages[0].extract_text()
    assert "Page laissée blanche intentionnellement" in text and "page 12" in text
    assert text.count("NON CLASSIFIÉ") == 2


def test_french_centuries_are_raised_like_ordinals(tmp_path: Path) -> None:
    """REVIEW r7 C10: « XXᵉ siècle » in print, its "e" set small and raised like "1er"
    (read back from the PDF: the run after "XX" is smaller and off the baseline)."""
    target = tmp_path / "multilateralism.pdf"
    args = ["generate", "multilateralism", "--lang", "fr", "-f", "pdf", "-o", str(target)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    runs: list[tuple[str, float, float]] = []
    for page in PdfReader(target).pages:
        page.extract_text(
            visitor_text=lambda text, cm, tm, font, size: runs.append(
                (text, size * (tm[0] or 1), tm[5])
            )
        )
    shown = [run for run in runs if run[0]]
    centuries = [
        (before, after) for before, after in itertools.pairwise(shown) if before[0].endswith("XX")
    ]
    assert centuries
    for (_, size, height), (text, raised_size, raised_height) in centuries:
        assert text.startswith("e") and raised_size < size and raised_height != height
