"""Briefing packs: several documents in one PDF (or DOCX) per language, built in parallel.

A pack renders as one HTML document (cover, contents, then each document on a
new page) so that page numbers run on and the contents can point at real pages.
Finished PDFs are kept in a content-addressed, verified cache (``cache.py``): any
change to a dossier file, template, catalog, stylesheet or option gives a new key.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup
from pydantic_core import to_jsonable_python

from diplobrief import __version__, cache, i18n
from diplobrief.dossier import Dossier, Id, Model, Text, Title, load_dossier, validate
from diplobrief.errors import DossierError, OutputError, RenderError, UsageProblem, WorkerError
from diplobrief.output import check_folder_writable, check_writable, is_folder, write_atomic
from diplobrief.paths import LOCALES_DIR, TEMPLATES_DIR
from diplobrief.render import (
    ALL_TOPICS,
    KINDS,
    N_,
    document_date,
    document_reader,
    find_topic,
    render_document,
    render_title,
    spell_out_in_header,
    suggest,
)
from diplobrief.resolve import match_choice
from diplobrief.yamlfile import YamlDocument, load_yaml

if TYPE_CHECKING:
    from diplobrief.pdf import Cover, RenderedPdf

Kind = Literal["briefing-note", "talking-points", "lessons-learned"]
DEFAULT_PACK_TITLE = N_("Briefing pack")


# Packs larger than this render in parts of STREAM_PART documents.
STREAM_ABOVE = 40
STREAM_PART = 10


@dataclass(frozen=True, kw_only=True)
class PackEntry(Model):
    """One document of a pack: a topic and a kind."""

    topic: Id
    kind: Kind


@dataclass(frozen=True, kw_only=True)
class PackManifest(Model):
    """What a pack holds, in order."""

    id: Id
    title: Title
    subtitle: Title
    audience: Text | None = None
    every_topic: list[Kind] = field(default_factory=list)
    entries: list[PackEntry] = field(default_factory=list)
    mandate_lessons: bool = False

    def documents(self, dossier: Dossier) -> list[tuple[str, str]]:
        """(topic, kind) pairs in pack order."""
        pairs: list[tuple[str, str]] = [
            (topic, kind) for topic in dossier.topics for kind in self.every_topic
        ]
        pairs += [
            (dossier.topic_id(entry.topic) or entry.topic, entry.kind) for entry in self.entries
        ]
        if self.mandate_lessons:
            pairs.append((ALL_TOPICS, "lessons-learned"))
        return pairs


@dataclass(frozen=True)
class PackJob:
    """One PDF to build: a pack in one language."""

    dossier: Path
    manifest: PackManifest
    lang: str
    output: Path
    date: dt.date | None
    duplex: bool
    cache_dir: Path | None
    fmt: str = "pdf"


@dataclass(frozen=True)
class PackResult:
    output: Path
    lang: str
    pages: int | None  # None for DOCX: Word lays out the pages
    cached: bool
    cache_warning: str | None = None


def pack_names(dossier: Dossier) -> list[str]:
    folder = dossier.path / "packs"
    return sorted(path.stem for path in folder.glob("*.yaml")) if is_folder(folder) else []


def pack_list(dossier: Dossier, lang: str) -> list[dict[str, str | int]]:
    """Name, title and number of documents of every bundled pack."""
    rows: list[dict[str, str | int]] = []
    for name in pack_names(dossier):
        manifest = load_manifest(dossier, name)
        rows.append(
            {
                "name": name,
                "title": manifest.title.get(lang),
                "documents": len(manifest.documents(dossier)),
            }
        )
    return rows


def load_manifest(dossier: Dossier, name_or_path: str) -> PackManifest:
    """A bundled pack by name, or a manifest file by path; checked against the dossier."""
    if name_or_path.endswith((".yaml", ".yml")) or os.sep in name_or_path:
        path = Path(name_or_path)
    else:
        names = pack_names(dossier)
        name_or_path = next((n for n in names if n.lower() == name_or_path.lower()), name_or_path)
        if name_or_path not in names:
            raise UsageProblem(
                f"Unknown pack '{name_or_path}'.",
                suggest(name_or_path, names) if names else "This dossier has no packs.",
            )
        path = dossier.path / "packs" / f"{name_or_path}.yaml"
    bundled = path.parent == dossier.path / "packs"
    doc = load_yaml(path, root=dossier.path if bundled else None)
    if not isinstance(doc.data, dict):
        raise DossierError([f"{path}: line 1: the top level must be a mapping of keys"])
    from pydantic import ValidationError

    from diplobrief.dossier import pydantic_problems

    try:
        manifest = validate(PackManifest, doc.data)
    except ValidationError as exc:
        raise DossierError(pydantic_problems(doc, exc)) from None
    problems = [
        f"{doc.where(('entries', index, 'topic'))}: unknown topic '{entry.topic}'"
        for index, entry in enumerate(manifest.entries)
        if dossier.topic_id(entry.topic) is None
        and not (entry.topic == ALL_TOPICS and entry.kind == "lessons-learned")
    ]
    if bundled and manifest.id != path.stem:
        problems.append(f"{doc.where(('id',))}: must match the file name '{path.stem}'")
    # An entry may repeat a document on purpose; a repeated kind in every_topic is a slip.
    for index, kind in enumerate(manifest.every_topic):
        if kind in manifest.every_topic[:index]:
            problems.append(f"{doc.where(('every_topic', index))}: duplicate kind '{kind}'")
    if not manifest.documents(dossier):
        problems.append(f"{doc.where(())}: the pack holds no documents")
    problems.extend(_reader_is_sender(dossier, manifest, doc))
    if problems:
        raise DossierError(problems)
    return manifest


def _reader_is_sender(dossier: Dossier, manifest: PackManifest, doc: YamlDocument) -> list[str]:
    """A pack's audience is the 'To' of its documents: it must not name the issuing
    office, which every document already names as 'From'."""
    if manifest.audience is None:
        return []
    problems = []
    for lang in ("nl", "fr", "en"):
        office = dossier.mandate.issuer.get(lang).rpartition(" – ")[2].strip()
        if office and office.casefold() in manifest.audience.get(lang).casefold():
            problems.append(
                f"{doc.where(('audience', lang))}: names the issuing office '{office}', "
                "which is already the 'From' of every document"
            )
    return problems


def check_packs(dossier: Dossier) -> list[str]:
    """Every problem in the dossier's bundled pack manifests, for ``check``."""
    problems: list[str] = []
    for name in pack_names(dossier):
        try:
            load_manifest(dossier, name)
        except DossierError as exc:
            problems.extend(exc.problems)
    return problems


def adhoc_manifest(dossier: Dossier, topics: list[str], kinds: list[str]) -> PackManifest:
    """A pack from --topics and --kinds."""
    topics = [find_topic(dossier, topic) for topic in topics]
    kinds = [match_choice(kind, KINDS, "kind") for kind in kinds]
    title = {lang: i18n.gettext(lang, DEFAULT_PACK_TITLE) for lang in i18n.LOCALES}
    entries = [
        {"topic": topic, "kind": kind}
        for topic in topics
        for kind in kinds
        if topic != ALL_TOPICS or kind == "lessons-learned"
    ]
    if not entries:
        raise UsageProblem("The pack holds no documents.", "Check --topics and --kinds.")
    return validate(
        PackManifest,
        {
            "id": "pack",
            "title": title,
            "subtitle": dossier.mandate.title,
            "entries": entries,
        },
    )


def plan_jobs(
    dossier: Dossier,
    manifests: list[PackManifest],
    languages: list[str],
    output: Path | None,
    date: dt.date | None,
    duplex: bool,
    cache_dir: Path | None,
    fmt: str = "pdf",
) -> list[PackJob]:
    """One job per pack and language. One output: ``output`` is the file (or its folder);
    several: ``output`` is a folder (made if missing) of ``<pack>-<lang>.<fmt>`` files.
    Every output place is checked here, before any time is spent rendering."""
    pairs = [(manifest, lang) for manifest in manifests for lang in languages]
    if len(pairs) == 1:
        name = f"{manifests[0].id}-{languages[0]}.{fmt}"
        targets = [output if output and not is_folder(output) else (output or Path(".")) / name]
        check_writable(targets[0])
    else:
        folder = output or Path(".")
        if (os.path.lexists(folder) and not is_folder(folder)) or (
            not os.path.lexists(folder) and folder.suffix.lower() in (".pdf", ".docx")
        ):
            raise UsageProblem(
                f"With several outputs ({len(pairs)} files), -o must name a folder, "
                f"not the file '{folder}'.",
                "Give a folder (e.g. -o out/), or build one pack in one language.",
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"{folder}: cannot create the folder: {exc.strerror}") from None
        check_folder_writable(folder)
        targets = [folder / f"{manifest.id}-{lang}.{fmt}" for manifest, lang in pairs]
    # Resolved once, here: every document of every pack carries the same day, and the
    # cache key (which hashes it) stays the same for a rebuild of the same day.
    made = document_date(date)
    return [
        PackJob(dossier.path, manifest, lang, target, made, duplex, cache_dir, fmt)
        for (manifest, lang), target in zip(pairs, targets, strict=True)
    ]


def cache_key(job: PackJob) -> str:
    """Everything that can change the PDF, hashed: options, the dossier's YAML files,
    templates and catalogs (raises OSError when one cannot be read)."""
    options = {
        "diplobrief": __version__,
        "weasyprint": version("weasyprint"),
        "manifest": to_jsonable_python(job.manifest),
        "lang": job.lang,
        "date": job.date.isoformat() if job.date else None,
        "duplex": job.duplex,
    }
    if job.fmt != "pdf":
        from diplobrief.docx import pandoc_version

        options.update(format=job.fmt, pandoc=pandoc_version())
    files = [
        *(("dossier/" + name, path) for name, path in cache.dossier_files(job.dossier)),
        *(("templates/" + name, path) for name, path in cache.tree_files(TEMPLATES_DIR)),
        *(("locales/" + name, path) for name, path in cache.tree_files(LOCALES_DIR)),
    ]
    return cache.key(options, files)


@lru_cache(maxsize=4)
def _dossier(path: Path) -> Dossier:
    return load_dossier(path)


def _keywords(dossier: Dossier, manifest: PackManifest, lang: str) -> list[str]:
    """Keywords in words: the pack's title and the dossier's."""
    return [manifest.title.get(lang), dossier.mandate.title.get(lang)]


def _no_lone_word(text: str) -> str:
    """Tie the last two words together so that a line never holds one word alone."""
    head, space, last = text.rpartition(" ")
    return f"{head}\u00a0{last}" if space and len(last) < 12 else text


def _audience(manifest: PackManifest, lang: str) -> str | None:
    """A pack's audience is the 'To' of each of its documents."""
    return manifest.audience.get(lang) if manifest.audience else None


def pack_reference(dossier: Dossier, manifest: PackManifest, lang: str) -> str:
    """The pack's reference in its documents' scheme (``render.reference``, upper case):
    ``BE-UNSC-2019-2020/PRESIDENCY-FEBRUARY-2020/PACK/EN``."""
    return f"{dossier.id}/{manifest.id}/PACK/{lang}".upper()


def _cover(dossier: Dossier, manifest: PackManifest, lang: str, date: dt.date) -> Cover:
    from diplobrief.pdf import Cover

    return Cover(
        title=i18n.typeset(manifest.title.get(lang), lang),
        subtitle=_no_lone_word(i18n.typeset(manifest.subtitle.get(lang), lang)),
        issuer=i18n.typeset(
            spell_out_in_header(dossier, dossier.mandate.issuer.get(lang), lang), lang
        ),
        dossier=i18n.typeset(dossier.mandate.title.get(lang), lang),
        audience=i18n.typeset(document_reader(dossier, lang, _audience(manifest, lang)), lang),
        reference=pack_reference(dossier, manifest, lang),
        date=i18n.format_long_date(date, lang),
        language=i18n.babel_locale(lang).languages[lang],
    )


def pack_pdf(
    dossier: Dossier,
    manifest: PackManifest,
    lang: str,
    date: dt.date | None = None,
    duplex: bool = False,
    stream_above: int = STREAM_ABOVE,
) -> RenderedPdf:
    """Render one pack in one language to PDF.

    Up to ``stream_above`` documents render in one pass: one tagged PDF/UA file
    whose contents point at real pages. Larger packs render in parts, so that
    memory holds one part's pages at a time (see ``_streamed_pack_pdf``).
    """
    from diplobrief.pdf import html_to_pdf, print_document, print_html

    pairs = manifest.documents(dossier)
    if len(pairs) > stream_above:
        return _streamed_pack_pdf(dossier, manifest, lang, date, duplex)
    documents = [
        render_document(dossier, topic, kind, lang, date, _audience(manifest, lang))
        for topic, kind in pairs
    ]
    prints = [
        print_document(document, f"d{index}", dossier)
        for index, document in enumerate(documents, 1)
    ]
    first = documents[0]
    html = print_html(
        dossier,
        prints,
        lang,
        manifest.title.get(lang),
        first.classification,
        first.date,
        subject=manifest.subtitle.get(lang),
        keywords=_keywords(dossier, manifest, lang),
        cover=_cover(dossier, manifest, lang, first.date),
        duplex=duplex,
    )
    return html_to_pdf(html)


def _streamed_pack_pdf(
    dossier: Dossier,
    manifest: PackManifest,
    lang: str,
    date: dt.date | None,
    duplex: bool,
) -> RenderedPdf:
    """A large pack, laid out part by part and written once by WeasyPrint.

    Each part of STREAM_PART documents is laid out on its own, numbered on from
    the part before, which keeps each layout small (layout time grows faster than
    the page count); the cover and contents are laid out last, once every start
    page is known (a first layout with wide placeholder numbers fixes their
    length). The parts' pages are then joined inside WeasyPrint and written as one
    tagged PDF/UA file: one structure tree, outline and set of links. What it
    costs: every part's pages stay in memory until the file is written, and the
    footers read "page N", since the total is not known while a part is laid out.
    """
    from weasyprint.text.fonts import FontConfiguration

    from diplobrief.pdf import (
        PAGE_NUMBER,
        PrintDocument,
        print_document,
        print_html,
        render_html,
        write_documents,
    )

    pairs = manifest.documents(dossier)
    sample = render_document(
        dossier, pairs[0][0], pairs[0][1], lang, date, _audience(manifest, lang)
    )
    title, classification, when = manifest.title.get(lang), sample.classification, sample.date
    cover = _cover(dossier, manifest, lang, when)
    fonts = FontConfiguration()

    def layout(documents: list[PrintDocument], **options: Any) -> Any:
        html = print_html(
            dossier,
            documents,
            lang,
            title,
            classification,
            when,
            subject=manifest.subtitle.get(lang),
            keywords=_keywords(dossier, manifest, lang),
            duplex=duplex,
            page_counter=PAGE_NUMBER,
            part=True,
            **options,
        )
        return render_html(html, font_config=fonts)

    def front(pages: list[int]) -> Any:
        toc = [
            PrintDocument(
                f"d{index}",
                i18n.typeset(render_title(dossier, topic, kind, lang), lang),
                Markup(""),
                page,
            )
            for index, ((topic, kind), page) in enumerate(zip(pairs, pages, strict=True), 1)
        ]
        return layout([], cover=cover, toc=toc)

    front_pages = len(front([10 ** len(str(len(pairs) * 99)) - 1] * len(pairs)).pages)
    parts: list[Any] = []
    starts: list[int] = []
    next_page = front_pages + 1
    for first in range(0, len(pairs), STREAM_PART):
        if duplex and next_page % 2 == 0:
            parts.append(layout([], filler=True, first_page=next_page))
            next_page += 1
        prints = [
            print_document(
                render_document(dossier, topic, kind, lang, date, _audience(manifest, lang)),
                f"d{first + n}",
                dossier,
            )
            for n, (topic, kind) in enumerate(pairs[first : first + STREAM_PART], 1)
        ]
        part = layout(prints, first_page=next_page)
        anchors = {anchor for page in part.pages for anchor in page.anchors}
        for index, page in enumerate(part.pages):
            for document in prints:
                if document.anchor in page.anchors and document.anchor in anchors:
                    starts.append(next_page + index)
                    anchors.discard(document.anchor)
        parts.append(part)
        next_page += len(part.pages)
    final_front = front(starts)
    if len(final_front.pages) != front_pages:
        raise RenderError("the contents changed length between renderings")
    return write_documents([final_front, *parts], cover=True)


def pack_docx(
    dossier: Dossier,
    manifest: PackManifest,
    lang: str,
    date: dt.date | None = None,
    duplex: bool = False,
) -> bytes:
    """Render one pack in one language to DOCX: cover, contents, documents."""
    from diplobrief import docx

    documents = [
        render_document(dossier, topic, kind, lang, date, _audience(manifest, lang))
        for topic, kind in manifest.documents(dossier)
    ]
    cover = _cover(dossier, manifest, lang, documents[0].date)
    return docx.pack_docx(dossier, documents, cover, [manifest.id, dossier.id], duplex)


@dataclass(frozen=True)
class _RenderedDocx:
    data: bytes
    pages: None = None


def _render(job: PackJob) -> RenderedPdf | _RenderedDocx:
    dossier = _dossier(job.dossier)
    if job.fmt == "docx":
        return _RenderedDocx(pack_docx(dossier, job.manifest, job.lang, job.date, job.duplex))
    return pack_pdf(dossier, job.manifest, job.lang, job.date, job.duplex)


@dataclass(frozen=True)
class BuiltPdf:
    data: bytes
    pages: int | None
    cached: bool
    cache_warning: str | None = None


def build_pdf(job: PackJob) -> BuiltPdf:
    """Build one pack file (PDF or DOCX), or take it from the cache; writes only to the cache.

    A cache that cannot be read is a miss; one that cannot be written is
    reported in ``cache_warning`` and the file is built all the same. DOCX
    entries store 0 pages: Word lays out the pages, so their count is unknown.
    """
    store = cache.Cache(job.cache_dir) if job.cache_dir is not None else None
    key: str | None = None
    warning: str | None = None
    if store is not None:
        try:
            key = cache_key(job)
        except OSError as exc:
            warning = f"{exc.filename or job.dossier}: cannot be read for the cache key"
        entry = store.get(key, job.fmt) if key else None
        if entry is not None:
            pages = entry.pages if job.fmt == "pdf" else None
            return BuiltPdf(entry.data, pages, cached=True)
    rendered = _render(job)
    if store is not None and key is not None:
        warning = store.put(key, job.fmt, rendered.data, rendered.pages or 0)
    return BuiltPdf(rendered.data, rendered.pages, cached=False, cache_warning=warning)


def build_packs(
    jobs: list[PackJob],
    workers: int,
    on_done: Callable[[PackResult], None] | None = None,
) -> list[PackResult]:
    """Build every job, in parallel worker processes when there are several.

    Workers only render; this process writes every output, so an interruption
    (which terminates the workers) can never replace an output halfway.
    """
    results: dict[int, PackResult] = {}

    def finish(index: int, built: BuiltPdf) -> None:
        job = jobs[index]
        write_atomic(job.output, built.data)
        results[index] = PackResult(
            job.output, job.lang, built.pages, built.cached, built.cache_warning
        )
        if on_done:
            on_done(results[index])

    if workers <= 1 or len(jobs) == 1:
        for index, job in enumerate(jobs):
            finish(index, build_pdf(job))
        return [results[index] for index in range(len(jobs))]
    pool = ProcessPoolExecutor(
        min(workers, len(jobs)),
        mp_context=get_context("spawn"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )
    futures = {pool.submit(build_pdf, job): index for index, job in enumerate(jobs)}
    try:
        for future in as_completed(futures):
            finish(futures[future], future.result())
    except BrokenProcessPool:
        _stop(pool)
        raise WorkerError(
            "a worker process died before finishing its PDF; no partial file was written"
        ) from None
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()
    return [results[index] for index in range(len(jobs))]


def exit_with_parent(parent: int) -> None:
    """Worker start-up: end with the parent ``parent`` (a pid), even when it is killed
    with SIGKILL, so that no build outlives the command or server that started it.

    On Linux the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG);
    elsewhere a watchdog thread checks the parent's pid every half second.
    """
    if not _kill_on_parent_death() or os.getppid() != parent:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _kill_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


_PR_SET_PDEATHSIG = 1


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, not after their current PDF."""
    # The executor has no public way to end running workers before Python 3.14.
    processes = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join()


def default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("diplobrief") / "packs"
