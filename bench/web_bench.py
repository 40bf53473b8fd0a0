"""Web app benchmarks, each side by side with its CLI or in-process baseline; a Markdown table.

(a) start-up: `diplobrief serve` until its first answer over HTTP, vs `diplobrief ask` in a
    fresh process (both load the dossier and build the chat index);
(b) ask latency: POST /api/ask over one kept-alive HTTP connection for ~100 questions of the
    evaluation set (median, p95), vs `Session.respond` in process for the same questions;
(c) a pack built through the app (POST /api/packs, polling /api/jobs/<id>), vs the same pack
    with `diplobrief pack --jobs 1`, both without the cache.

    .venv/bin/python bench/web_bench.py [--repeat 3] [--questions 100]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
PACK = "presidency-february-2020"
DIPLOBRIEF = [sys.executable, "-m", "diplobrief"]
ENVIRONMENT = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def questions(limit: int) -> list[str]:
    """Single questions of the evaluation set (whatever else its entries hold)."""
    entries = yaml.safe_load((ROOT / "tests" / "chat_eval.yaml").read_text(encoding="utf-8"))
    found = [entry["q"] for entry in entries if isinstance(entry, dict) and "q" in entry]
    return [str(question) for question in found][:limit]


class Server:
    """`diplobrief serve` on a free port, in its own process."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [*DIPLOBRIEF, "serve", "--port", "0", "--no-browser", "--no-cache"],
            stderr=subprocess.PIPE,
            text=True,
            env=ENVIRONMENT,
        )
        assert self.process.stderr is not None
        line = self.process.stderr.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not match:
            raise SystemExit(f"serve did not start: {line}")
        self.port = int(match.group(1))
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def request(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        payload = json.dumps(body).encode() if body is not None else None
        self.connection.request(method, path, payload, headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def stop(self) -> None:
        self.connection.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def start_up(repeat: int) -> tuple[float, float]:
    serve, ask = [], []
    for _ in range(repeat):
        server = Server()
        status, _ = server.request("POST", "/api/ask", {"q": "Mali"})
        serve.append(time.perf_counter() - server.started)
        assert status == 200
        server.stop()
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "diplobrief", "ask", "Mali"],
            check=True,
            capture_output=True,
            env=ENVIRONMENT,
        )
        ask.append(time.perf_counter() - started)
    return statistics.median(serve), statistics.median(ask)


def ask_latency(server: Server, asked: list[str], repeat: int) -> tuple[list[float], list[float]]:
    from diplobrief.chat import Session
    from diplobrief.chat.engine import engine_for
    from diplobrief.paths import DEFAULT_DOSSIER

    engine = engine_for(DEFAULT_DOSSIER)
    over_http, in_process = [], []
    for _ in range(repeat):
        for question in asked:
            started = time.perf_counter()
            status, _ = server.request("POST", "/api/ask", {"q": question})
            over_http.append(time.perf_counter() - started)
            assert status == 200, question
            started = time.perf_counter()
            Session(engine).respond(question)
            in_process.append(time.perf_counter() - started)
    return over_http, in_process


def pack_through_app(server: Server) -> tuple[float, int]:
    started = time.perf_counter()
    status, body = server.request("POST", "/api/packs", {"pack": PACK, "languages": ["en"]})
    assert status == 202, body
    job_id = json.loads(body)["id"]
    while True:
        _, body = server.request("GET", f"/api/jobs/{job_id}")
        job = json.loads(body)
        if job["state"] in ("done", "failed", "cancelled"):
            break
        time.sleep(0.05)
    assert job["state"] == "done", job
    return time.perf_counter() - started, int(job["pages"]["en"])


def pack_through_cli() -> float:
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / "pack.pdf")
        started = time.perf_counter()
        subprocess.run(
            [*DIPLOBRIEF, "pack", PACK, "--lang", "en", "--no-cache", "--jobs", "1", "-o", output],
            check=True,
            capture_output=True,
            env=ENVIRONMENT,
        )
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--questions", type=int, default=100)
    args = parser.parse_args()

    serve_start, ask_start = start_up(args.repeat)
    server = Server()
    server.request("GET", "/api/topics")
    asked = questions(args.questions)
    over_http, in_process = ask_latency(server, asked, args.repeat)
    app_pack = [pack_through_app(server) for _ in range(args.repeat)]
    server.stop()
    cli_pack = [pack_through_cli() for _ in range(args.repeat)]
    app_seconds = statistics.median(seconds for seconds, _ in app_pack)
    cli_seconds = statistics.median(cli_pack)
    http_median, http_p95 = statistics.median(over_http), percentile(over_http, 0.95)
    local_median, local_p95 = statistics.median(in_process), percentile(in_process, 0.95)

    print("| measurement | web app | baseline | ratio |")
    print("|---|---:|---:|---:|")
    print(
        f"| (a) start-up to the first answer (median of {args.repeat}); baseline: "
        f"`diplobrief ask` in a fresh process | {serve_start * 1000:.0f} ms | "
        f"{ask_start * 1000:.0f} ms | ×{serve_start / ask_start:.2f} |"
    )
    count = f"{len(asked)} questions × {args.repeat}"
    print(
        f"| (b) ask over HTTP, median ({count}); baseline: `Session.respond` in process "
        f"| {http_median * 1000:.1f} ms | {local_median * 1000:.1f} ms "
        f"| ×{http_median / local_median:.2f} |"
    )
    print(
        f"| (b) ask over HTTP, p95 | {http_p95 * 1000:.1f} ms | {local_p95 * 1000:.1f} ms "
        f"| ×{http_p95 / local_p95:.2f} |"
    )
    pages = app_pack[0][1]
    print(
        f"| (c) pack `{PACK}` in English ({pages} pages), no cache, median of {args.repeat}; "
        f"baseline: `diplobrief pack --jobs 1` | {app_seconds:.2f} s | {cli_seconds:.2f} s "
        f"| ×{app_seconds / cli_seconds:.2f} |"
    )


if __name__ == "__main__":
    main()
