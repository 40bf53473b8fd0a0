"""Bad dossiers, broken templates and hostile file-system conditions: clean errors only."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
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


def test_output_to_a_character_device_writes_through() -> None:
    """F4: ``-o /dev/null`` writes to the device; it never replaces the node."""
    before = os.stat("/dev/null")
    write_atomic(Path("/dev/null"), b"discarded")
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_output_to_a_fifo_writes_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="a FIFO with no reader; nothing written"):
        write_atomic(fifo, b"nobody listens")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    deadline = time.monotonic() + 10
    while True:
        try:
            write_atomic(fifo, b"x" * 200_000)
            break
        except OutputError:  # the reader has not opened its end yet
            assert time.monotonic() < deadline
            time.sleep(0.01)
    reader.join(timeout=10)
    assert received == [b"x" * 200_000]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real" / "brief.md"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o600)
    link = tmp_path / "link.md"
    link.symlink_to(real)
    write_atomic(link, b"new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new" and real.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in real.parent.iterdir()) == ["brief.md"]
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "real" / "new.md")
    write_atomic(dangling, b"created")
    assert dangling.is_symlink() and (tmp_path / "real" / "new.md").read_bytes() == b"created"


def test_a_symlink_to_a_pipe_writes_through(tmp_path: Path) -> None:
    """``-o /dev/stdout`` (a link to /proc/self/fd/1) when stdout is a pipe."""
    read_end, write_end = os.pipe()
    try:
        link = tmp_path / "stdout"
        link.symlink_to(f"/proc/self/fd/{write_end}")
        if not link.exists():
            pytest.skip("no /proc/self/fd")
        write_atomic(link, b"through the pipe")
        assert os.read(read_end, 100) == b"through the pipe"
        assert link.is_symlink()
    finally:
        os.close(read_end)
        os.close(write_end)


def test_the_cache_replaces_links_instead_of_following_them(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    link = tmp_path / "entry.pdf"
    link.symlink_to(victim)
    write_atomic(link, b"entry", follow_symlinks=False)
    assert not link.is_symlink() and link.read_bytes() == b"entry"
    assert victim.read_bytes() == b"keep me"


def test_a_hard_linked_output_is_replaced_under_its_own_name(tmp_path: Path) -> None:
    """Documented choice: the name given gets the new file, other names keep the old one."""
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")
    other = tmp_path / "other.pdf"
    os.link(target, other)
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new" and other.read_bytes() == b"old"
    assert target.stat().st_nlink == 1


@pytest.mark.parametrize(
    "name", ["x" * 300 + ".md", "a/" * 3000 + "b.md", "no\nError: forged/x.md"]
)
def test_impossible_output_names_are_clean_errors(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    target = tmp_path / name
    with pytest.raises(OutputError):
        write_atomic(target, b"x")
    result = runner.invoke(main, ["generate", "covid-19", "-o", str(target)])
    assert result.exit_code == 1 and result.output.startswith("Error: ")
    assert result.output.count("\n") == 1, result.output


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "diplobrief", *args], capture_output=True, timeout=60, **kwargs
    )  # type: ignore[call-overload]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["topics"], ["generate", "covid-19"], ["ask", "how many countries supported us"]]
)
def test_a_full_standard_output_is_a_clean_error(args: list[str]) -> None:
    """F12: stdout on /dev/full."""
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "diplobrief", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr == b"Error: standard output: cannot write: No space left on device\n"


def test_a_latin1_terminal_gets_the_document_not_a_traceback() -> None:
    """F12: ``generate --lang fr`` on a Latin-1 stdout; the document stays UTF-8."""
    env = {**os.environ, "PYTHONIOENCODING": "latin-1"}
    result = _run(["generate", "covid-19", "--lang", "fr"], env=env)
    assert result.returncode == 0, result.stderr
    assert "Note de briefing\u00a0: ".encode() in result.stdout
    # Characters Latin-1 lacks (U+202F, curly quotes) become '?', not a crash.
    answer = _run(["ask", "combien de pays ont soutenu la candidature"], env=env)
    assert answer.returncode == 0 and answer.stderr == b""
    assert b"181" in answer.stdout and "a été".encode("latin-1") in answer.stdout


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a reaper."""
    try:
        status = (Path("/proc") / str(pid) / "status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _children(parent: int, marker: str) -> list[int]:
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
        if int(ppid) == parent and marker in command:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find worker processes")
def test_workers_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    """F9: ``kill -9`` of the parent leaves no worker (nor resource tracker) behind."""
    process = start_diplobrief(
        "pack", "full", "--all-languages", "-o", str(tmp_path), "--no-cache", "-j", "2", "-q"
    )
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = _children(process.pid, "spawn_main")
    helpers = workers + _children(process.pid, "resource_tracker")
    assert len(workers) == 2, "the workers did not start"
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in helpers if _alive(pid)]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".pdf")]


@pytest.mark.parametrize(
    "args",
    [
        ["pack", "--topics", "covid-19", "--kinds", "briefing-note", "--no-cache", "-q", "-o"],
        ["pack", "--topics", "covid-19", "--all-languages", "--no-cache", "-q", "-o"],
        ["topics", "--dossier"],
        ["check", "--dossier"],
    ],
)
def test_a_name_too_long_is_a_clean_error(
    runner: CliRunner, tmp_path: Path, args: list[str]
) -> None:
    result = runner.invoke(main, [*args, str(tmp_path / ("x" * 300))])
    # A --dossier that cannot be opened is a usage error, like a missing one.
    assert result.exit_code == (2 if args[-1] == "--dossier" else 1), result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
