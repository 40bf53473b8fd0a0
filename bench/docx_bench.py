"""DOCX benchmarks, measured side by side in one run; prints a Markdown table.

(a) one document through diplobrief vs the same Markdown through bare pandoc,
    and vs the PDF of the same document,
(b) the `full` pack in three languages as DOCX vs as PDF (one worker each),
(c) every document of the dossier (3 kinds x 3 languages x all topics) as DOCX,
with file sizes.

    .venv/bin/python bench/docx_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from diplobrief import docx
from diplobrief.dossier import load_dossier
from diplobrief.pack import PackJob, build_packs, load_manifest
from diplobrief.paths import DEFAULT_DOSSIER
from diplobrief.pdf import document_pdf
from diplobrief.render import ALL_TOPICS, KINDS, render_document


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    dossier = load_dossier(DEFAULT_DOSSIER)
    rows: list[tuple[str, float, str]] = []

    document = render_document(dossier, "syria-humanitarian-access", "briefing-note", "en")
    data = docx.document_docx(dossier, document)
    ours = median_seconds(lambda: docx.document_docx(dossier, document), args.repeat)
    bare = median_seconds(
        lambda: subprocess.run(
            [docx.pandoc_path(), "-f", "markdown", "-t", "docx", "-o", "-"],
            input=document.markdown.encode(),
            capture_output=True,
            check=True,
        ),
        args.repeat,
    )
    pdf = median_seconds(lambda: document_pdf(dossier, document), args.repeat)
    size = f"{len(data) / 1024:.1f} KB"
    rows.append(("(a) one briefing note as DOCX, diplobrief", ours, size))
    rows.append(("(a) same Markdown, bare pandoc (no styles, no finishing)", bare, ""))
    rows.append(("(a) same document as PDF, diplobrief", pdf, ""))

    manifest = load_manifest(dossier, "full")
    with tempfile.TemporaryDirectory() as folder:

        def full(fmt: str) -> list[int]:
            jobs = [
                PackJob(
                    dossier.path,
                    manifest,
                    lang,
                    Path(folder) / f"full-{lang}.{fmt}",
                    None,
                    False,
                    None,
                    fmt,
                )
                for lang in ("nl", "fr", "en")
            ]
            build_packs(jobs, 1)
            return [job.output.stat().st_size for job in jobs]

        sizes: list[int] = []
        docx_pack = median_seconds(lambda: sizes.extend(full("docx")), args.repeat)
        pdf_pack = median_seconds(lambda: full("pdf"), 1)
    kb = ", ".join(f"{size / 1024:.0f}" for size in sizes[:3])
    rows.append(("(b) full pack x3 languages as DOCX, --jobs 1", docx_pack, f"{kb} KB"))
    rows.append(("(b) full pack x3 languages as PDF, --jobs 1", pdf_pack, ""))

    all_sizes: list[int] = []

    def everything() -> None:
        for kind in KINDS:
            topics = [ALL_TOPICS] if kind == "lessons-learned" else []
            for topic in [*dossier.topics, *topics]:
                for lang in ("nl", "fr", "en"):
                    rendered = render_document(dossier, topic, kind, lang)
                    all_sizes.append(len(docx.document_docx(dossier, rendered)))

    every = median_seconds(everything, 1)
    count = len(all_sizes)
    rows.append(
        (
            f"(c) all {count} documents as DOCX, one by one",
            every,
            f"{min(all_sizes) / 1024:.0f}-{max(all_sizes) / 1024:.0f} KB",
        )
    )

    print("| measurement | median (s) | size |")
    print("|---|---:|---|")
    for label, seconds, note in rows:
        print(f"| {label} | {seconds:.2f} | {note} |")
    print()
    print(f"- (a) diplobrief overhead over bare pandoc: x{ours / bare:.2f}")
    print(f"- (a) DOCX vs PDF for one document: x{ours / pdf:.2f}")
    print(f"- (b) DOCX pack vs PDF pack: x{docx_pack / pdf_pack:.2f}")
    print(f"- (c) per document: {every / count:.2f} s")


if __name__ == "__main__":
    main()
