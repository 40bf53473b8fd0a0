"""The web app as several server processes sharing one state folder (as gunicorn workers
would), and pack builds that die with a server killed with SIGKILL."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


@contextmanager
def serving(state_dir: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``diplobrief serve`` (waitress) in its own process, on a free port."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "diplobrief",
            "serve",
            "--port",
            "0",
            "--no-browser",
            "--no-cache",
            "--state-dir",
            str(state_dir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    try:
        assert match, line + process.stderr.read()
        yield process, match.group(0)
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def call(url: str, data: dict[str, Any] | None = None) -> Any:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        return (
            json.loads(raw)
            if response.headers["Content-Type"].startswith("application/json")
            else raw
        )


def wait_for(url: str, job_id: str, states: tuple[str, ...], timeout: float = 120) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = call(f"{url}api/jobs/{job_id}")
        if job["state"] in states and (job["state"] != "running" or job["current"]):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never reached {states}: {job}")


def test_two_servers_share_conversations_and_pack_jobs(tmp_path: Path) -> None:
    with serving(tmp_path) as (_one, one), serving(tmp_path) as (_two, two):
        first = call(one + "api/ask", {"q": "Hoeveel landen steunden de kandidatuur?"})
        follow_up = call(two + "api/ask", {"q": "en in het Frans?", "session": first["session"]})
        assert follow_up["session"] == first["session"]
        assert follow_up["language"] == "fr" and first["language"] == "nl"
        facts = [(source["fact"], source["quote"]) for source in first["sources"]]
        assert facts and [(s["fact"], s["quote"]) for s in follow_up["sources"]] == facts

        request = {"topics": ["human-rights"], "kinds": ["talking-points"], "languages": ["nl"]}
        short = call(one + "api/packs", request)
        done = wait_for(two, short["id"], ("done", "failed"))
        assert done["state"] == "done", done["error"]
        assert call(two + done["files"]["nl"].lstrip("/")).startswith(b"%PDF")

        long = call(two + "api/packs", {"pack": "full", "languages": ["en"]})
        assert wait_for(one, long["id"], ("running",))["current"] == "en"
        assert call(f"{one}api/jobs/{long['id']}/cancel", {})["id"] == long["id"]
        assert wait_for(two, long["id"], ("cancelled",), timeout=30)["files"] == {}


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found.update(int(child) for child in text.split())
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_build_worker_dies_with_a_server_killed_with_sigkill(tmp_path: Path) -> None:
    with serving(tmp_path) as (process, url):
        job = call(url + "api/packs", {"pack": "full", "languages": ["en", "fr"]})
        wait_for(url, job["id"], ("running",))
        deadline = time.monotonic() + 30
        while not (workers := children(process.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert workers, "no build worker was started"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), "a build worker outlived its server"
        # The next server reports the orphaned build as failed, never as running forever.
        with serving(tmp_path) as (_next, again):
            seen = call(f"{again}api/jobs/{job['id']}")
            assert seen["state"] == "failed"
            assert seen["error"] == "the server stopped during this build"
