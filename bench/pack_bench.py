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
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps([elapsed, peak, rendered.pages]))
"""


def measure(src: Path, dossier: Path, pack: str, lang: str) -> tuple[float, float, int]:
    """Seconds, peak resident memory (MB) and pages of one pack in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    result = subprocess.run(
        [sys.executable, "-c", STEP, str(dossier), pack, lang],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    seconds, megabytes, pages = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, megabytes, pages


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, default=root / "src")
    parser.add_argument("--languages", nargs="+", default=["nl", "fr", "en"])
    args = parser.parse_args()
    dossier = root / "briefings" / "be-unsc-2019-2020"
    print("| pack | lang | s | peak MB | pages |")
    print("|---|---|---:|---:|---:|")
    for lang in args.languages:
        seconds, megabytes, pages = measure(args.src, dossier, "full", lang)
        print(f"| full (duplex) | {lang} | {seconds:.1f} | {megabytes:.0f} | {pages} |")
    with tempfile.TemporaryDirectory() as folder:
        path = make_dossier(100, Path(folder) / "dossier-100")
        seconds, megabytes, pages = measure(args.src, path, "scale", "en")
        print(f"| 100 documents (duplex) | en | {seconds:.1f} | {megabytes:.0f} | {pages} |")


if __name__ == "__main__":
    main()
