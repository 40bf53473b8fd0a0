"""Briefing packs: several documents in one PDF per language, built in parallel.

A pack renders as one HTML document (cover, contents, then each document on a
new page) so that page numbers run on and the contents can point at real pages.
Finished PDFs are kept in a content-addressed cache: any change to a fact,
template, catalog, stylesheet or option gives a new key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from diplobrief import __version__, i18n
from diplobrief.dossier import Dossier, Id, Model, Text, load_dossier
from diplobrief.errors import DossierError, UsageProblem
from diplobrief.output import write_atomic
from diplobrief.paths import LOCALES_DIR, TEMPLATES_DIR
from diplobrief.render import ALL_TOPICS, KINDS, N_, render_document, suggest
from diplobrief.yamlfile import load_yaml

if TYPE_CHECKING:
    from diplobrief.pdf import RenderedPdf

Kind = Literal["briefing-note", "talking-points", "lessons-learned"]
DEFAULT_PACK_TITLE = N_("Briefing pack")


class PackEntry(Model):
    topic: Id
    kind: Kind


class PackManifest(Model):
    """What a pack holds, in order."""

    id: Id
    title: Text
    subtitle: Text
    audience: Text | None = None
    every_topic: list[Kind] = Field(default_factory=list)
    entries: list[PackEntry] = Field(default_factory=list)
    mandate_lessons: bool = False

    def documents(self, dossier: Dossier) -> list[tuple[str, str]]:
        """(topic, kind) pairs in pack order."""
        pairs = [(topic, kind) for topic in dossier.topics for kind in self.every_topic]
        pairs += [(entry.topic, entry.kind) for entry in self.entries]
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


@dataclass(frozen=True)
class PackResult:
    output: Path
    lang: str
    pages: int
    cached: bool


def pack_names(dossier: Dossier) -> list[str]:
    folder = dossier.path / "packs"
    return sorted(path.stem for path in folder.glob("*.yaml")) if folder.is_dir() else []


def load_manifest(dossier: Dossier, name_or_path: str) -> PackManifest:
    """A bundled pack by name, or a manifest file by path; checked against the dossier."""
    if name_or_path.endswith((".yaml", ".yml")) or os.sep in name_or_path:
        path = Path(name_or_path)
    else:
        names = pack_names(dossier)
        if name_or_path not in names:
            raise UsageProblem(
                f"Unknown pack '{name_or_path}'.",
                suggest(name_or_path, names) if names else "This dossier has no packs.",
            )
        path = dossier.path / "packs" / f"{name_or_path}.yaml"
    doc = load_yaml(path)
    if not isinstance(doc.data, dict):
        raise DossierError([f"{path}: line 1: the top level must be a mapping of keys"])
    from pydantic import ValidationError

    from diplobrief.dossier import pydantic_problems

    try:
        manifest = PackManifest.model_validate(doc.data)
    except ValidationError as exc:
        raise DossierError(pydantic_problems(doc, exc)) from None
    problems = [
        f"{doc.where(('entries', index, 'topic'))}: unknown topic '{entry.topic}'"
        for index, entry in enumerate(manifest.entries)
        if entry.topic not in dossier.topics
        and not (entry.topic == ALL_TOPICS and entry.kind == "lessons-learned")
    ]
    if not manifest.documents(dossier):
        problems.append(f"{doc.where(())}: the pack holds no documents")
    if problems:
        raise DossierError(problems)
    return manifest


def adhoc_manifest(dossier: Dossier, topics: list[str], kinds: list[str]) -> PackManifest:
    """A pack from --topics and --kinds."""
    for topic in topics:
        if topic not in dossier.topics and topic != ALL_TOPICS:
            raise UsageProblem(f"Unknown topic '{topic}'.", suggest(topic, list(dossier.topics)))
    for kind in kinds:
        if kind not in KINDS:
            raise UsageProblem(f"Unknown kind '{kind}'.", suggest(kind, list(KINDS)))
    title = {lang: i18n.gettext(lang, DEFAULT_PACK_TITLE) for lang in i18n.LOCALES}
    entries = [
        {"topic": topic, "kind": kind}
        for topic in topics
        for kind in kinds
        if topic != ALL_TOPICS or kind == "lessons-learned"
    ]
    if not entries:
        raise UsageProblem("The pack holds no documents.", "Check --topics and --kinds.")
    return PackManifest.model_validate(
        {
            "id": "pack",
            "title": title,
            "subtitle": dossier.mandate.title.model_dump(),
            "entries": entries,
        }
    )


def _files(folder: Path) -> Iterator[Path]:
    return (path for path in sorted(folder.rglob("*")) if path.is_file())


def cache_key(job: PackJob) -> str:
    """Everything that can change the PDF, hashed."""
    digest = hashlib.sha256()
    options = {
        "diplobrief": __version__,
        "weasyprint": version("weasyprint"),
        "manifest": job.manifest.model_dump(mode="json"),
        "lang": job.lang,
        "date": job.date.isoformat() if job.date else None,
        "duplex": job.duplex,
    }
    digest.update(json.dumps(options, sort_keys=True).encode())
    for root in (job.dossier, TEMPLATES_DIR, LOCALES_DIR):
        for path in _files(root):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _dossier(path: Path) -> Dossier:
    return load_dossier(path)


def pack_pdf(
    dossier: Dossier,
    manifest: PackManifest,
    lang: str,
    date: dt.date | None = None,
    duplex: bool = False,
) -> RenderedPdf:
    """Render one pack in one language to PDF."""
    from diplobrief.pdf import Cover, html_to_pdf, print_document, print_html

    documents = [
        render_document(dossier, topic, kind, lang, date)
        for topic, kind in manifest.documents(dossier)
    ]
    prints = [print_document(document, f"d{index}") for index, document in enumerate(documents, 1)]
    first = documents[0]
    cover = Cover(
        title=manifest.title.get(lang),
        subtitle=manifest.subtitle.get(lang),
        dossier=dossier.mandate.title.get(lang),
        audience=manifest.audience.get(lang) if manifest.audience else "",
        date=i18n.format_long_date(first.date, lang),
        language=i18n.babel_locale(lang).languages[lang],
    )
    html = print_html(
        dossier,
        prints,
        lang,
        manifest.title.get(lang),
        first.classification,
        first.date,
        subject=manifest.subtitle.get(lang),
        keywords=[manifest.id, dossier.id],
        cover=cover,
        duplex=duplex,
    )
    return html_to_pdf(html)


@dataclass(frozen=True)
class BuiltPdf:
    data: bytes
    pages: int
    cached: bool


def build_pdf(job: PackJob) -> BuiltPdf:
    """Build one PDF, or take it from the cache; writes only to the cache."""
    cached_pdf = cached_meta = None
    if job.cache_dir is not None:
        key = cache_key(job)
        cached_pdf = job.cache_dir / f"{key}.pdf"
        cached_meta = job.cache_dir / f"{key}.json"
    if cached_pdf and cached_meta and cached_pdf.is_file() and cached_meta.is_file():
        pages = int(json.loads(cached_meta.read_text(encoding="utf-8"))["pages"])
        return BuiltPdf(cached_pdf.read_bytes(), pages, cached=True)
    rendered = pack_pdf(_dossier(job.dossier), job.manifest, job.lang, job.date, job.duplex)
    if cached_pdf and cached_meta:
        cached_pdf.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cached_pdf, rendered.data)
        write_atomic(cached_meta, json.dumps({"pages": rendered.pages}).encode())
    return BuiltPdf(rendered.data, rendered.pages, cached=False)


def build_one(job: PackJob) -> PackResult:
    """Build one PDF and write it atomically to its output."""
    built = build_pdf(job)
    write_atomic(job.output, built.data)
    return PackResult(job.output, job.lang, built.pages, built.cached)


def _indexed_build(item: tuple[int, PackJob]) -> tuple[int, BuiltPdf]:
    index, job = item
    return index, build_pdf(job)


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
        results[index] = PackResult(job.output, job.lang, built.pages, built.cached)
        if on_done:
            on_done(results[index])

    if workers <= 1 or len(jobs) == 1:
        for index, job in enumerate(jobs):
            finish(index, build_pdf(job))
    else:
        pool = get_context("spawn").Pool(min(workers, len(jobs)))
        try:
            for index, built in pool.imap_unordered(_indexed_build, enumerate(jobs)):
                finish(index, built)
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()
    return [results[index] for index in range(len(jobs))]


def default_cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("diplobrief") / "packs"


def clear_cache(cache_dir: Path) -> None:
    shutil.rmtree(cache_dir, ignore_errors=True)

