"""PDF benchmarks, measured side by side in one run; prints a Markdown table.

(a) one PDF through diplobrief vs the same print HTML through bare WeasyPrint,
(b) the `full` pack in three languages with one worker vs the default,
(c) a cold pack build vs a cached rebuild.

    .venv/bin/python bench/pdf_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from diplobrief.dossier import load_dossier
from diplobrief.pack import PackJob, build_packs, load_manifest
from diplobrief.paths import DEFAULT_DOSSIER
from diplobrief.pdf import ASSETS_DIR, document_html, document_pdf
from diplobrief.render import render_document


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
    html = document_html(dossier, document)
    pages = len(weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/").render().pages)
    ours = median_seconds(
        lambda: document_pdf(
            dossier, render_document(dossier, document.topic, document.kind, "en")
        ),
        args.repeat,
    )
    bare = median_seconds(
        lambda: weasyprint.HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/").write_pdf(),
        args.repeat,
    )
    rows.append((f"(a) one briefing note, diplobrief ({pages} pages)", ours, f"{pages / ours:.1f}"))
    rows.append((f"(a) same HTML, bare WeasyPrint ({pages} pages)", bare, f"{pages / bare:.1f}"))

    manifest = load_manifest(dossier, "full")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)

        def jobs(cache: Path | None) -> list[PackJob]:
            return [
                PackJob(dossier.path, manifest, lang, out / f"full-{lang}.pdf", None, False, cache)
                for lang in ("nl", "fr", "en")
            ]

        total_pages = 0

        def build(workers: int, cache: Path | None = None) -> None:
            nonlocal total_pages
            total_pages = sum(result.pages for result in build_packs(jobs(cache), workers))

        default_workers = os.cpu_count() or 1
        serial = median_seconds(lambda: build(1), args.repeat)
        parallel = median_seconds(lambda: build(default_workers), args.repeat)
        rows.append(
            (
                f"(b) full pack ×3 languages, --jobs 1 ({total_pages} pages)",
                serial,
                f"{total_pages / serial:.1f}",
            )
        )
        rows.append(
            (
                f"(b) full pack ×3 languages, --jobs {default_workers}",
                parallel,
                f"{total_pages / parallel:.1f}",
            )
        )

        cold_times, warm_times = [], []
        for run in range(args.repeat):
            cache = out / f"cache-{run}"
            cold_times.append(median_seconds(lambda cache=cache: build(default_workers, cache), 1))
            warm_times.append(median_seconds(lambda cache=cache: build(default_workers, cache), 1))
        cold, warm = statistics.median(cold_times), statistics.median(warm_times)
        rows.append(("(c) full pack ×3, cold cache", cold, f"{total_pages / cold:.1f}"))
        rows.append(("(c) full pack ×3, cached rebuild", warm, f"{total_pages / warm:.1f}"))

    print(f"Median of {args.repeat} runs, {os.cpu_count()} CPUs.\n")
    print("| measurement | median (s) | pages/s |")
    print("|---|---:|---:|")
    for label, seconds, rate in rows:
        print(f"| {label} | {seconds:.2f} | {rate} |")
    print()
    print(f"- (a) diplobrief overhead over bare WeasyPrint: ×{ours / bare:.2f}")
    print(f"- (b) parallel speed-up: ×{serial / parallel:.2f}")
    print(f"- (c) cached rebuild is ×{cold / warm:.1f} faster than a cold build")


if __name__ == "__main__":
    main()
