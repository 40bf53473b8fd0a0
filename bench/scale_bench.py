"""Scale: synthetic dossiers of 10, 100 and 1,000 topics; time and peak memory per step.

Each measurement runs in a fresh process, so its peak memory is its own. Prints a
Markdown table and the growth ratios from one size to the next.

    .venv/bin/python bench/scale_bench.py [--sizes 10 100 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_dossier import make_dossier

EVAL = Path(__file__).resolve().parent.parent / "tests" / "chat_eval.yaml"

STEPS = {
    "check": """
from diplobrief.dossier import load_dossier
from diplobrief.i18n import check_catalogs
started = time.perf_counter()
load_dossier(path); check_catalogs()
elapsed = time.perf_counter() - started
""",
    "chat index": """
from diplobrief.chat import ChatEngine
from diplobrief.dossier import load_dossier
dossier = load_dossier(path)
started = time.perf_counter()
ChatEngine(dossier)
elapsed = time.perf_counter() - started
""",
    "eval questions": """
from diplobrief.chat import ChatEngine, Session
from diplobrief.chat.evaluation import load_cases
from diplobrief.dossier import load_dossier
engine = ChatEngine(load_dossier(path))
cases = load_cases(Path(EVAL))
started = time.perf_counter()
for case in cases:
    Session(engine).respond(case.question)
elapsed = time.perf_counter() - started
""",
    "100-document pack": """
from diplobrief.dossier import load_dossier
from diplobrief.pack import load_manifest, pack_pdf
dossier = load_dossier(path)
started = time.perf_counter()
pack_pdf(dossier, load_manifest(dossier, "scale"), "en")
elapsed = time.perf_counter() - started
""",
}


def measure(step: str, path: Path) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one step in a fresh process."""
    code = (
        "import json, resource, time\nfrom pathlib import Path\n"
        f"path = Path({str(path)!r}); EVAL = {str(EVAL)!r}\n"
        + STEPS[step]
        + "print(json.dumps([elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    seconds, megabytes = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, megabytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    results: dict[str, dict[int, tuple[float, float]]] = {step: {} for step in STEPS}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = make_dossier(size, Path(folder) / f"dossier-{size}")
            for step in STEPS:
                results[step][size] = measure(step, path)
    header = " | ".join(f"{size} topics: s / MB" for size in args.sizes)
    print(f"| step | {header} |")
    print("|---|" + "---:|" * len(args.sizes))
    for step, by_size in results.items():
        cells = " | ".join(
            f"{by_size[size][0]:.2f} / {by_size[size][1]:.0f}" for size in args.sizes
        )
        print(f"| {step} | {cells} |")
    print()
    for step, by_size in results.items():
        ratios = [
            f"{later}/{earlier} topics: time ×{by_size[later][0] / by_size[earlier][0]:.1f}, "
            f"memory ×{by_size[later][1] / by_size[earlier][1]:.1f}"
            for earlier, later in zip(args.sizes, args.sizes[1:], strict=False)
        ]
        print(f"- {step}: " + "; ".join(ratios))


if __name__ == "__main__":
    main()
