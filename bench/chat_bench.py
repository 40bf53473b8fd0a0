"""Chat benchmarks; prints a Markdown table.

(a) start-up: `diplobrief ask` in a fresh process, index cache warm and cold, against
    the bare import of its libraries: a fresh process importing every module an `ask`
    run imports (listed from such a run) and doing nothing else. The ratio warm/bare is
    the issue's target (at most 2.0).
(b) one question after start-up: every question of the evaluation sets, median and p95
    (target: p95 at most 20 ms),
(c) building the chat index (once per dossier; then read from the cache).

    .venv/bin/python bench/chat_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from diplobrief.chat import Session
from diplobrief.chat.engine import ChatEngine
from diplobrief.chat.evaluation import load_cases
from diplobrief.dossier import load_dossier
from diplobrief.paths import DEFAULT_DOSSIER

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How many countries supported Belgium's candidacy?"
ASK = (
    "import sys\nfrom diplobrief.cli import main\n"
    "try:\n    main(['ask', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
)
LIST_MODULES = ASK + "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
EVAL_SETS = (
    "chat_eval.yaml",
    "chat_eval_dev.yaml",
    "chat_eval_test.yaml",
    "chat_eval_dev2.yaml",
    "chat_eval_test2.yaml",
    "chat_eval_dev3.yaml",
)


def run(arguments: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *arguments], check=True, capture_output=True, text=True, env=environment
    )


def process_seconds(arguments: list[str], repeat: int, environment: dict[str, str]) -> float:
    """Median wall time of a fresh Python process running ``arguments``."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run(arguments, environment)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    cache = Path(tempfile.mkdtemp(prefix="diplobrief-bench-"))
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DIPLOBRIEF_CACHE_DIR": str(cache),
    }
    try:
        # The modules of a cached run: building the index (a first run's work) imports
        # more (simplemma, wordfreq), and those must not pad the floor.
        run(["-c", ASK, QUESTION], environment)
        modules = run(["-c", LIST_MODULES, QUESTION], environment).stderr.split()
        names = [name for name in modules if not name.startswith("__")]
        imports = (
            f"import importlib\nfor name in {names!r}:\n"
            "    try:\n        importlib.import_module(name)\n"
            "    except Exception:\n        pass\n"
        )
        # Side by side: each repetition times the bare import and the cached ask in turn,
        # so both see the same load on a shared machine; the ratio is the median of pairs.
        pairs = [
            (
                process_seconds(["-c", imports], 1, environment),
                process_seconds(["-c", ASK, QUESTION], 1, environment),
            )
            for _ in range(args.repeat)
        ]
        bare = statistics.median(first for first, _ in pairs)
        warm = statistics.median(second for _, second in pairs)
        ratio = statistics.median(second / first for first, second in pairs)
        colds = []
        for _ in range(max(1, args.repeat // 2)):
            shutil.rmtree(cache / "chat", ignore_errors=True)
            colds.append(process_seconds(["-c", ASK, QUESTION], 1, environment))
        cold = statistics.median(colds)
        plain = process_seconds(["-c", "import diplobrief"], args.repeat, environment)
    finally:
        shutil.rmtree(cache, ignore_errors=True)

    dossier = load_dossier(DEFAULT_DOSSIER)
    started = time.perf_counter()
    engine = ChatEngine(dossier)
    build = time.perf_counter() - started

    questions = [case.question for name in EVAL_SETS for case in load_cases(ROOT / "tests" / name)]
    latencies = []
    for _ in range(args.repeat):
        for question in questions:
            started = time.perf_counter()
            Session(engine).respond(question)
            latencies.append(time.perf_counter() - started)

    print("| measure | time |")
    print("|---|---|")
    print(f'| `python -c "import diplobrief"` (median of {args.repeat}) | {plain * 1000:.0f} ms |')
    print(
        f"| bare import of the {len(modules)} modules `ask` loads (median) | {bare * 1000:.0f} ms |"
    )
    print(f'| `diplobrief ask "…"`, fresh process, index cached (median) | {warm * 1000:.0f} ms |')
    print(f'| `diplobrief ask "…"`, fresh process, no cache (median) | {cold * 1000:.0f} ms |')
    print(f"| **ask start-up ratio, cached / bare import** (median of pairs) | **{ratio:.2f}x** |")
    print(f"| ask start-up ratio, no cache / bare import | {cold / bare:.2f}x |")
    print(f"| building the chat index (once per dossier, then cached) | {build * 1000:.0f} ms |")
    print(
        f"| one question after start-up, median ({len(questions)} questions × {args.repeat}) "
        f"| {statistics.median(latencies) * 1000:.1f} ms |"
    )
    print(f"| one question after start-up, p95 | {percentile(latencies, 0.95) * 1000:.1f} ms |")
    print(f"| one question after start-up, max | {max(latencies) * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
