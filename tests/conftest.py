from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from diplobrief.dossier import Dossier, load_dossier
from diplobrief.paths import DEFAULT_DOSSIER

ROOT = Path(__file__).resolve().parent.parent
# Documents are dated the day they are made; tests and golden files pin that day.
PINNED_DATE = "2021-02-01"
os.environ["SOURCE_DATE_EPOCH"] = "1612137600"
GOLDEN = Path(__file__).resolve().parent / "golden"
SOURCE_TEXT = ROOT.parent / "shared" / "seeds" / "000_fbbec1b4824fae02.txt"

TOPIC_IDS = [
    "mandate-overview",
    "geopolitical-context",
    "council-dynamics",
    "children-armed-conflict",
    "syria-humanitarian-access",
    "other-tasks",
    "eu-coordination",
    "conflict-prevention",
    "peacekeeping",
    "human-rights",
    "covid-19",
    "multilateralism",
    "future-candidacy",
    "belgian-presidency",
]
KINDS = ["briefing-note", "talking-points", "lessons-learned"]
LANGS = ["nl", "fr", "en"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="Rewrite tests/golden from a fresh build."
    )
    parser.addoption(
        "--slow", action="store_true", help="Fuzz with the 'slow' profile (10,000 examples)."
    )


def pytest_configure(config: pytest.Config) -> None:
    from hypothesis import HealthCheck, settings

    common = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
    settings.register_profile("fast", max_examples=25, **common)
    settings.register_profile("slow", max_examples=10_000, **common)
    settings.load_profile("slow" if config.getoption("--slow") else "fast")


@pytest.fixture(scope="session", autouse=True)
def private_user_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Snapshots, compiled templates and catalogs go to a scratch cache, never the user's."""
    folder = tmp_path_factory.mktemp("user-cache")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def dossier() -> Dossier:
    return load_dossier(DEFAULT_DOSSIER)


@pytest.fixture(scope="session")
def source_path() -> Path:
    if not SOURCE_TEXT.exists():
        pytest.skip(f"source article not available at {SOURCE_TEXT}")
    return SOURCE_TEXT


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def dossier_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled dossier, for seeding mistakes (in a folder of the
    same name: a dossier's id must match its folder)."""
    target = tmp_path / DEFAULT_DOSSIER.name
    shutil.copytree(DEFAULT_DOSSIER, target)
    return target


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def start_diplobrief(*args: str) -> subprocess.Popen[str]:
    """``python -m diplobrief ARGS`` in the background, for interruption tests."""
    return subprocess.Popen(
        [sys.executable, "-m", "diplobrief", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@dataclass
class LocalServer:
    """An HTTP server on 127.0.0.1 that records every path asked of it."""

    port: int
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    """Proof that nothing is fetched: every request the renderer made is in ``requests``."""
    record = LocalServer(0)

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            record.requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"GIF89a")

        def log_message(self, *args: object) -> None:
            return None

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    record.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield record
    server.shutdown()
    server.server_close()
