"""Chat benchmarks; prints a Markdown table.

(a) start-up: `diplobrief ask` in a fresh process vs `python -c "import diplobrief"`,
(b) one question after start-up: every question of the evaluation set, median and p95,
(c) building the index (once per process), for reference.

    .venv/bin/python bench/chat_bench.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from diplobrief.chat import Session
from diplobrief.chat.engine import ChatEngine
from diplobrief.chat.evaluation import load_cases
from diplobrief.dossier import load_dossier
from diplobrief.paths import DEFAULT_DOSSIER

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "How many countries supported Belgium's candidacy?"


def process_seconds(arguments: list[str], repeat: int) -> float:
    """Median wall time of a fresh Python process running ``arguments``."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, *arguments], check=True, capture_output=True, env=environment
        )
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    bare = process_seconds(["-c", "import diplobrief"], args.repeat)
    ask = process_seconds(["-m", "diplobrief", "ask", QUESTION], args.repeat)

    dossier = load_dossier(DEFAULT_DOSSIER)
    started = time.perf_counter()
    engine = ChatEngine(dossier)
    build = time.perf_counter() - started

    questions = [case.question for case in load_cases(ROOT / "tests" / "chat_eval.yaml")]
    latencies = []
    for _ in range(args.repeat):
        for question in questions:
            started = time.perf_counter()
            Session(engine).respond(question)
            latencies.append(time.perf_counter() - started)

    print("| measure | time |")
    print("|---|---|")
    print(f'| `python -c "import diplobrief"` (median of {args.repeat}) | {bare * 1000:.0f} ms |')
    print(
        f'| `diplobrief ask "…"`, fresh process (median of {args.repeat}) | {ask * 1000:.0f} ms |'
    )
    print(f"| `ask` start-up cost over the bare import | {(ask - bare) * 1000:.0f} ms |")
    print(f"| building the chat index (once per process) | {build * 1000:.0f} ms |")
    print(
        f"| one question after start-up, median ({len(questions)} questions × {args.repeat}) "
        f"| {statistics.median(latencies) * 1000:.1f} ms |"
    )
    print(f"| one question after start-up, p95 | {percentile(latencies, 0.95) * 1000:.1f} ms |")
    print(f"| one question after start-up, max | {max(latencies) * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
