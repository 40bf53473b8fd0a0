"""Markup in any text field of a dossier, topic or pack stays text in every output.

Every string of every YAML file is seeded with HTML that would, if it reached the
print HTML as markup, close the <title>, run a script, fetch a URL, reset the
running classification marking or swallow the rest of a pack.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import LocalServer
from pypdf import PdfReader

from diplobrief.dossier import load_dossier
from diplobrief.pack import load_manifest, pack_pdf
from diplobrief.pdf import document_html, html_to_pdf, print_document, print_html
from diplobrief.render import render_document

# Keys whose values are ids, types, dates or numbers, not text.
_NOT_TEXT = {
    "id",
    "ref",
    "type",
    "topic",
    "kind",
    "classification",
    "language",
    "facts",
    "month",
    "as_of",
    "start",
    "end",
    "every_topic",
    "replaces",
    "value",
}


@pytest.fixture
def port(http_server: LocalServer) -> int:
    return http_server.port


def _payload(port: int) -> str:
    return (
        "X</title><script>alert(1)</script>"
        f'<img src="http://127.0.0.1:{port}/i"><base href="http://127.0.0.1:{port}/">'
        f'<iframe src="http://127.0.0.1:{port}/f"></iframe>'
        '<style>@page{@top-right{content:"PWNED"}}body{string-set:classification "PWNED"}</style>'
        "<title>"
    )


def _seed(node: Any, payload: str, key: str | None = None) -> Any:
    """Prefix every text value with the payload (quotes: replace, they are word-limited)."""
    if key in _NOT_TEXT:
        return node
    if isinstance(node, dict):
        return {name: _seed(value, payload, name) for name, value in node.items()}
    if isinstance(node, list):
        return [_seed(value, payload, key) for value in node]
    if isinstance(node, str):
        return payload if key == "quote" else f"{payload} {node}"
    return node


@pytest.fixture
def hostile_dossier(dossier_copy: Path, port: int) -> Path:
    payload = _payload(port)
    for path in [dossier_copy / "dossier.yaml", *sorted(dossier_copy.glob("*/*.yaml"))]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        seeded = _seed(data, payload)
        if path.name == "dossier.yaml":
            seeded["classification"] = "secret"
        path.write_text(yaml.safe_dump(seeded, allow_unicode=True, width=10_000), "utf-8")
    return dossier_copy


def _assert_inert(html: str) -> None:
    for tag in ("<script", "<img", "<iframe", "<base"):
        assert tag not in html, tag
    assert html.count("<title>") == 1 and html.count("<style>") == 1
    assert "&lt;script&gt;" in html
    head = html.split("<body", 1)[0]
    assert "Content-Security-Policy" in head and "default-src 'none'" in head


def _pages(data: bytes) -> list[str]:
    import io

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("kind", ["briefing-note", "talking-points", "lessons-learned"])
def test_every_text_field_is_escaped_in_document_html(hostile_dossier: Path, kind: str) -> None:
    dossier = load_dossier(hostile_dossier)
    document = render_document(dossier, "covid-19", kind, "en")
    # The front matter holds the title as a YAML string; the body must hold no markup.
    body = document.markdown.split("\n---\n", 1)[1]
    assert "<script" not in body and "<img" not in body
    assert yaml.safe_load(document.markdown.split("---\n")[1])["title"].count("<script>") == 1
    _assert_inert(document_html(dossier, document))
    _assert_inert(document_html(dossier, document, embed_fonts=True))


def test_pack_cover_and_titles_are_escaped_and_the_marking_holds(
    hostile_dossier: Path,
) -> None:
    dossier = load_dossier(hostile_dossier)
    manifest = load_manifest(dossier, "presidency-february-2020")
    documents = [
        render_document(dossier, topic, kind, "fr") for topic, kind in manifest.documents(dossier)
    ]
    html = print_html(
        dossier,
        [print_document(doc, f"d{n}") for n, doc in enumerate(documents, 1)],
        "fr",
        manifest.title.get("fr"),
        documents[0].classification,
        documents[0].date,
        subject=manifest.subtitle.get("fr"),
        keywords=[manifest.id],
    )
    _assert_inert(html)
    assert len(re.findall(r'<section class="document"', html)) == len(documents)


def test_hostile_pdf_fetches_nothing_and_keeps_every_marking(
    hostile_dossier: Path, http_server: LocalServer
) -> None:
    dossier = load_dossier(hostile_dossier)
    manifest = load_manifest(dossier, "presidency-february-2020")
    rendered = pack_pdf(dossier, manifest, "en")
    single = html_to_pdf(
        document_html(dossier, render_document(dossier, "covid-19", "briefing-note", "en"))
    )
    assert http_server.requests == []
    # Nine documents cannot fit in a handful of pages: nothing was swallowed.
    assert rendered.pages > 2 * len(manifest.documents(dossier))
    for data in (rendered.data, single.data):
        for text in _pages(data):
            assert "SECRET" in text
            # PWNED appears only as literal text inside the body, never as the marking.
            assert "UNCLASSIFIED" not in text
