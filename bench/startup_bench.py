"""Start-up of the Markdown path, side by side with the bare import of its libraries.

The floor is ``python -c "import jinja2, click, markdown, babel, yaml, pydantic"``;
each round runs the floor and every measured command once, in turn, in fresh
processes, so that load on the machine hits them alike. Prints a Markdown table
of medians (wall time, and CPU time, which other processes on a shared machine
disturb less) and each command's ratio to the floor.

    .venv/bin/python bench/startup_bench.py [--repeat 15] [--src PATH/TO/src]
        [--before PATH/TO/other/src]

"cold" runs with an empty user cache folder each time (nothing compiled or
remembered yet); "warm" shares one cache folder, filled by a first run, as a
user's does after the first command. ``--before`` adds the warm `generate` and
`check` of another checkout's ``src`` (e.g. the commit before a change) to the
same rounds, so that before and after are measured side by side.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ["-c", "import jinja2, click, markdown, babel, yaml, pydantic"]
GENERATE = ["-m", "diplobrief", "generate", "covid-19", "--lang", "fr"]
COMMANDS = {
    "floor: import jinja2, click, markdown, babel, yaml, pydantic": (FLOOR, "warm"),
    "generate covid-19 --lang fr (warm cache)": (GENERATE, "warm"),
    "generate covid-19 --lang fr (cold cache)": (GENERATE, "cold"),
    "generate all --kind lessons-learned (warm cache)": (
        ["-m", "diplobrief", "generate", "all", "--kind", "lessons-learned"],
        "warm",
    ),
    "topics (warm cache)": (["-m", "diplobrief", "topics"], "warm"),
    "check (validates everything)": (["-m", "diplobrief", "check"], "warm"),
}


def run_once(arguments: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([sys.executable, *arguments], check=True, capture_output=True, env=environment)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="diplobrief to measure")
    parser.add_argument("--before", type=Path, help="another diplobrief src, measured alongside")
    args = parser.parse_args()
    commands = {name: (arguments, cache, args.src) for name, (arguments, cache) in COMMANDS.items()}
    if args.before:
        for name in ("generate covid-19 --lang fr (warm cache)", "check (validates everything)"):
            arguments, cache = COMMANDS[name]
            commands[f"{name}, before"] = (arguments, f"{cache}-before", args.before)

    with tempfile.TemporaryDirectory() as scratch:
        # Compiled modules (.pyc) are kept, as an installed package has them; outside
        # the source tree, so the checkout stays clean.
        common = {
            **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
            "PYTHONPYCACHEPREFIX": str(Path(scratch) / "pycache"),
        }

        def environment(cache: str, src: Path, round_number: int) -> dict[str, str]:
            folder = f"cold-{round_number}" if cache == "cold" else cache
            return {
                **common,
                "PYTHONPATH": str(src.resolve()),
                "XDG_CACHE_HOME": str(Path(scratch) / folder),
            }

        for arguments, cache, src in commands.values():
            # compiles every module, fills the warm caches
            run_once(arguments, environment(cache, src, -1))
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for round_number in range(args.repeat):
            for name, (arguments, cache, src) in commands.items():
                times[name].append(run_once(arguments, environment(cache, src, round_number)))

    wall = {name: statistics.median(t[0] for t in values) for name, values in times.items()}
    cpu = {name: statistics.median(t[1] for t in values) for name, values in times.items()}
    floor = next(iter(commands))
    before = f"; before: {args.before}" if args.before else ""
    print(f"Median of {args.repeat} interleaved runs, fresh processes ({args.src}{before}).\n")
    print("| command | wall (ms) | × floor | CPU (ms) | × floor |")
    print("|---|---:|---:|---:|---:|")
    for name in commands:
        print(
            f"| `{name}` | {wall[name] * 1000:.0f} | {wall[name] / wall[floor]:.2f} "
            f"| {cpu[name] * 1000:.0f} | {cpu[name] / cpu[floor]:.2f} |"
        )


if __name__ == "__main__":
    main()
