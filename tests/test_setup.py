"""scripts/setup.sh decides what to install the same way every time."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

SETUP = ROOT / "scripts" / "setup.sh"
LIBRARIES = ("libpango-1.0.so.0", "libpangoft2-1.0.so.0", "libharfbuzz-subset.so.0")
RUNS = 100


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    """An ``ldconfig`` whose long listing names every library near the top.

    The listing is far larger than a pipe's buffer, so a reader that stops at the
    first match (``grep -q``) leaves the writer to die of SIGPIPE.
    """
    listing = tmp_path / "listing.txt"
    lines = [f"\t{name} (libc6,x86-64) => /usr/lib/{name}" for name in LIBRARIES]
    lines += [f"\tlibfiller{index}.so.1 (libc6,x86-64) => /usr/lib/x" for index in range(3_000)]
    listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
    folder = tmp_path / "bin"
    folder.mkdir()
    for name, body in (("ldconfig", f'exec cat "{listing}"'), ("pdftotext", "exit 0")):
        tool = folder / name
        tool.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        tool.chmod(0o755)
    return folder


def _env(fake_bin: Path) -> dict[str, str]:
    # PYTHON=true passes the Python checks at once, so each run costs milliseconds.
    path = f"{fake_bin}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, "PATH": path, "PYTHON": "true"}


def test_the_fake_listing_reproduces_the_old_race(fake_bin: Path) -> None:
    """The old check (``ldconfig -p | grep -q`` under pipefail) fails on this listing."""
    old = f"set -o pipefail; ldconfig -p | grep -q '{LIBRARIES[0]}'"
    failures = sum(
        subprocess.run(["bash", "-c", old], env=_env(fake_bin)).returncode != 0 for _ in range(5)
    )
    assert failures > 0


def test_installed_libraries_are_found_every_time(fake_bin: Path) -> None:
    outputs = set()
    for _ in range(RUNS):
        result = subprocess.run(
            ["bash", str(SETUP), "--check"], env=_env(fake_bin), capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    # Always the same answer, and never one of the libraries the listing has.
    (output,) = outputs
    assert output.startswith("setup: missing system packages: ")
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"):
        assert package not in output.split()


def test_a_missing_library_is_listed(tmp_path: Path) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    tool = folder / "ldconfig"
    tool.write_text("#!/bin/sh\necho '\tlibpango-1.0.so.0 => /usr/lib/x'\n", encoding="utf-8")
    tool.chmod(0o755)
    result = subprocess.run(
        ["bash", str(SETUP), "--check"], env=_env(folder), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "libpangoft2-1.0-0 libharfbuzz-subset0" in result.stdout
    assert "libpango-1.0-0 " not in result.stdout
