"""Bad dossiers, broken templates and hostile file-system conditions: clean errors only."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import start_diplobrief

from diplobrief import render
from diplobrief.cli import main
from diplobrief.dossier import load_dossier
from diplobrief.errors import DossierError, OutputError
from diplobrief.output import write_atomic
from diplobrief.paths import TEMPLATES_DIR
from diplobrief.yamlfile import MAX_FILE_BYTES, load_yaml


def _problems_for(tmp_path: Path, content: bytes) -> list[str]:
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    with pytest.raises(DossierError) as info:
        load_yaml(path)
    return info.value.problems


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("\ufeffid: a\r\ntitle: b\r\n".encode())
    assert load_yaml(path).data == {"id": "a", "title": "b"}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "line 1: the file is empty"),
        (b"id: a\n\tkey: b\n", "line 2: invalid YAML"),
        (b"a: [1, 2\n", "invalid YAML"),
        (b"a: 1\na: 2\n", "line 2: duplicate key 'a'"),
        (b"a: b\n\x07c: 1\n", "line 2: character U+0007 is not allowed in YAML"),
        (b"a: b\x00\n", "line 1: character U+0000 is not allowed in YAML"),
        (b"a: \xc3\x28\n", "line 1: not valid UTF-8"),
        (b"a: " + b"[" * 100 + b"]" * 100 + b"\n", "nested deeper than"),
        (b"a: &x [*x]\n", "nested deeper than"),
    ],
)
def test_bad_yaml_files(tmp_path: Path, content: bytes, expected: str) -> None:
    problems = _problems_for(tmp_path, content)
    assert len(problems) == 1 and str(tmp_path / "x.yaml") in problems[0]
    assert expected in problems[0]


def test_oversized_file_names_the_limit(tmp_path: Path) -> None:
    problems = _problems_for(tmp_path, b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    assert f"larger than the limit of {MAX_FILE_BYTES} bytes" in problems[0]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  en: Children and armed conflict\n", "  en: 2019-01-01\n", "title.en (line 6)"),
        ("  en: Children and armed conflict\n", "  en: 07\n", "title.en (line 6)"),
        ("  en: Children and armed conflict\n", "  en: on\n", "title.en (line 6)"),
        ("id: children-armed-conflict", "id: ../../etc", "id (line 1)"),
    ],
)
def test_yaml_typing_traps_and_ids(dossier_copy: Path, old: str, new: str, expected: str) -> None:
    topic = dossier_copy / "topics" / "children-armed-conflict.yaml"
    _replace(topic, old, new)
    with pytest.raises(DossierError) as info:
        load_dossier(dossier_copy)
    assert any(str(topic) in p and expected in p for p in info.value.problems), info.value.problems


@pytest.mark.parametrize("text", ["1e3", "0o7"])
def test_text_that_looks_like_a_number_keeps_the_authors_text(
    dossier_copy: Path, text: str
) -> None:
    topic = dossier_copy / "topics" / "children-armed-conflict.yaml"
    _replace(topic, "  en: Children and armed conflict\n", f"  en: {text}\n")
    assert load_dossier(dossier_copy).topics["children-armed-conflict"].title.en == text


def test_top_level_must_be_a_mapping(dossier_copy: Path) -> None:
    topic = dossier_copy / "topics" / "children-armed-conflict.yaml"
    topic.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(DossierError) as info:
        load_dossier(dossier_copy)
    assert f"{topic}: line 1: the top level must be a mapping of keys" in info.value.problems


def test_broken_template_names_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR, templates)
    broken = templates / "talking-points.md.j2"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[4] = "{% if %}"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    unknown = templates / "briefing-note.md.j2"
    unknown.write_text(
        unknown.read_text(encoding="utf-8") + "{{ no_such_variable }}\n", encoding="utf-8"
    )
    monkeypatch.setattr(render, "TEMPLATES_DIR", templates)
    runner = CliRunner()
    result = runner.invoke(main, ["generate", "covid-19", "--kind", "talking-points"])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {broken}: line 5: template syntax error")
    result = runner.invoke(main, ["generate", "covid-19"])
    assert result.exit_code == 1
    assert (
        f"{unknown}: line " in result.output and "'no_such_variable' is undefined" in result.output
    )
    assert "Traceback" not in result.output


def test_output_is_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["generate", "covid-19", "-o", str(tmp_path)])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_read_only_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "x.md", b"data")
    assert str(info.value) == f"{tmp_path / 'x.md'}: cannot write: Permission denied"


def test_disk_full_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"previous")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_atomic(target, b"new" * 1000)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_concurrent_writers_leave_one_complete_file(tmp_path: Path) -> None:
    target = tmp_path / "same.md"
    payloads = [bytes([65 + n]) * 200_000 for n in range(8)]
    threads = [threading.Thread(target=write_atomic, args=(target, data)) for data in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in payloads
    assert [p.name for p in tmp_path.iterdir()] == ["same.md"]


def test_sigterm_during_a_build_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "full-nl.pdf"
    target.write_bytes(b"previous")
    process = start_diplobrief(
        "pack", "full", "--lang", "nl", "-o", str(target), "--no-cache", "-q"
    )
    time.sleep(3)
    process.terminate()
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.strip() == "Interrupted."
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["full-nl.pdf"]


def _workers_of(parent: int) -> list[int]:
    """Process ids of the multiprocessing workers started by ``parent``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        ppid = next(line.split()[1] for line in status.splitlines() if line.startswith("PPid:"))
        if int(ppid) == parent and "spawn_main" in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_a_killed_worker_is_a_clean_error_not_a_hang(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "full-nl.pdf"
    previous.write_bytes(b"previous")
    process = start_diplobrief(
        "pack", "full", "--all-languages", "-o", str(out), "--no-cache", "--jobs", "2", "-q"
    )
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = _workers_of(process.pid)
    assert workers, "no worker process appeared"
    time.sleep(1.5)
    os.kill(workers[0], signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=120)
    assert process.returncode == 1
    assert stdout == ""
    assert stderr.strip().splitlines()[-1] == (
        "Error: a worker process died before finishing its PDF; no partial file was written"
    )
    assert previous.read_bytes() == b"previous"
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


def test_new_outputs_honour_the_umask(tmp_path: Path) -> None:
    """F2: a new file gets 0666 less the umask, never a fixed 0644."""
    import subprocess
    import sys

    target = tmp_path / "private.md"
    code = (
        "import os, sys; os.umask(0o077); from pathlib import Path;"
        "from diplobrief.output import write_atomic;"
        "write_atomic(Path(sys.argv[1]), b'x')"
    )
    subprocess.run([sys.executable, "-c", code, str(target)], check=True)
    assert target.stat().st_mode & 0o777 == 0o600


def test_replacing_a_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "secret.pdf"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o600
    target.chmod(0o640)
    write_atomic(target, b"newer")
    assert target.stat().st_mode & 0o777 == 0o640


def test_the_cache_folder_is_private(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    result = CliRunner().invoke(
        main,
        [
            "pack",
            "--topics",
            "covid-19",
            "--kinds",
            "briefing-note",
            "--lang",
            "en",
            "-o",
            str(tmp_path / "p.pdf"),
            "--cache-dir",
            str(cache),
            "--quiet",
        ],
    )
    assert result.exit_code == 0, result.output
    assert cache.stat().st_mode & 0o777 == 0o700
