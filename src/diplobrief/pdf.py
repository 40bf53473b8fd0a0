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
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import markdown
from markupsafe import Markup

from diplobrief import __version__, i18n
from diplobrief.dossier import Dossier
from diplobrief.errors import RenderError
from diplobrief.paths import TEMPLATES_DIR
from diplobrief.render import N_, RenderedDocument, render_template

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse

ASSETS_DIR = TEMPLATES_DIR / "assets"
PAGE_COUNTER = N_("page %(page)s of %(pages)s")
PAGE_NUMBER = N_("page %(page)s")
MARKDOWN_EXTENSIONS = ["footnotes", "tables", "toc", "attr_list", "sane_lists"]
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
# Inside a tag (text nodes cannot hold a raw "<"): an id, or a link to an id.
_ID_IN_TAG = re.compile(r'(<[^<>]*\s(?:id="|href="#))')


@dataclass(frozen=True)
class PrintDocument:
    """One document's HTML body, ready to be placed in the print template."""

    anchor: str
    title: str
    html: Markup
    page: int | None = None


@dataclass(frozen=True)
class Cover:
    title: str
    subtitle: str
    dossier: str
    audience: str
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


def print_document(document: RenderedDocument, anchor: str) -> PrintDocument:
    html = _scoped(markdown_body(document.markdown), anchor)
    return PrintDocument(anchor=anchor, title=document.title, html=Markup(html))


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
) -> str:
    """The complete, self-contained print HTML (CSS inlined).

    ``first_page`` and ``page_counter`` serve packs rendered in parts, whose pages
    are numbered on from the previous part.
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
        first_page=first_page,
        classification=classification,
        documents=documents,
        toc=documents if toc is None else toc,
        cover=cover,
        duplex=duplex,
    )


def document_html(dossier: Dossier, document: RenderedDocument, embed_fonts: bool = False) -> str:
    """A single document as print HTML; ``embed_fonts`` makes it one self-contained file."""
    return print_html(
        dossier,
        [print_document(document, "doc")],
        document.lang,
        document.title,
        document.classification,
        document.date,
        subject=dossier.mandate.title.get(document.lang),
        keywords=[document.kind, document.topic, dossier.id],
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


def html_to_pdf(html: str, tagged: bool = True) -> RenderedPdf:
    """Render print HTML to a PDF (tagged PDF/UA-1 unless told otherwise); same HTML, same bytes."""
    import logging

    import weasyprint

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    try:
        document = weasyprint.HTML(
            string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=_asset_fetcher()
        )
        options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True} if tagged else {}
        rendered = document.render(**options)
        pdf = rendered.write_pdf(**options)
    except Exception as exc:  # WeasyPrint raises many kinds; report one clean line.
        raise RenderError(f"PDF rendering failed: {exc}") from None
    assert isinstance(pdf, bytes)
    anchors: dict[str, int] = {}
    for index, page in enumerate(rendered.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, index)
    return RenderedPdf(pdf, len(rendered.pages), anchors)


def document_pdf(dossier: Dossier, document: RenderedDocument) -> bytes:
    """One document as PDF."""
    return html_to_pdf(document_html(dossier, document)).data
