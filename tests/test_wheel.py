"""The built wheel carries the content and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_installs_and_generates_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("diplobrief-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [
            str(env_dir / "bin" / "diplobrief"),
            "generate",
            "covid-19",
            "--kind",
            "talking-points",
            "--lang",
            "nl",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=clean_env,
        check=True,
    )
    assert "# Spreekpunten: " in result.stdout
    where = subprocess.run(
        [str(python), "-c", "import diplobrief.paths as p; print(p.CONTENT_ROOT)"],
        cwd=work,
        capture_output=True,
        text=True,
        env=clean_env,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)) and where.endswith("_content")
    check = subprocess.run(
        [str(env_dir / "bin" / "diplobrief"), "check"],
        cwd=work,
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert check.returncode == 0, check.stderr
    pdf = subprocess.run(
        [str(env_dir / "bin" / "diplobrief"), "generate", "covid-19", "-f", "pdf", "-o", "c.pdf"],
        cwd=work,
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert pdf.returncode == 0, pdf.stderr
    assert (work / "c.pdf").read_bytes().startswith(b"%PDF-")
    word = subprocess.run(
        [str(env_dir / "bin" / "diplobrief"), "generate", "covid-19", "-o", "c.docx"],
        cwd=work,
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert word.returncode == 0, word.stderr
    assert (work / "c.docx").read_bytes().startswith(b"PK\x03\x04")
