"""PDF packs: time and peak memory of the full pack per language and a 100-document pack.

Each measurement runs in a fresh process, so its peak memory is its own.

    .venv/bin/python bench/pack_bench.py [--src SRC_DIR] [--languages nl fr en]

``--src`` points at another checkout's ``src`` folder to measure a baseline side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_dossier import make_dossier

STEP = """
import json, resource, sys, time
from pathlib import Path
from diplobrief.dossier import load_dossier
from diplobrief.pack import load_manifest, pack_pdf
dossier = load_dossier(Path(sys.argv[1]))
started = time.perf_counter()
rendered = pack_pdf(dossier, load_manifest(dossier, sys.argv[2]), sys.argv[3], duplex=True)
elapsed = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps([elapsed, cpu, usage.ru_maxrss / 1024, rendered.pages]))
"""


def measure(src: Path, dossier: Path, pack: str, lang: str) -> tuple[float, float, float, int]:
    """Wall and CPU seconds, peak resident memory (MB) and pages of one pack, in a fresh
    process (CPU time is the steadier figure on a shared machine)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    result = subprocess.run(
        [sys.executable, "-c", STEP, str(dossier), pack, lang],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    seconds, cpu, megabytes, pages = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, cpu, megabytes, pages


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, default=root / "src")
    parser.add_argument("--languages", nargs="*", default=["nl", "fr", "en"])
    parser.add_argument("--no-large", dest="large", action="store_false", help="skip 100 documents")
    args = parser.parse_args()
    dossier = root / "briefings" / "be-unsc-2019-2020"
    print("| pack | lang | wall s | CPU s | peak MB | pages |")
    print("|---|---|---:|---:|---:|---:|")
    rows = [("full (duplex)", dossier, "full", lang) for lang in args.languages]
    with tempfile.TemporaryDirectory() as folder:
        if args.large:
            path = make_dossier(100, Path(folder) / "dossier-100")
            rows.append(("100 documents (duplex)", path, "scale", "en"))
        for name, where, pack, lang in rows:
            seconds, cpu, megabytes, pages = measure(args.src, where, pack, lang)
            print(f"| {name} | {lang} | {seconds:.1f} | {cpu:.1f} | {megabytes:.0f} | {pages} |")


if __name__ == "__main__":
    main()
