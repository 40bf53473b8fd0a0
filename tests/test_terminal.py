"""F7 and F10: nothing reaches a terminal raw, and the chat survives its input stream."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from diplobrief import cli
from diplobrief.chat.console import run_chat
from diplobrief.chat.engine import ChatEngine
from diplobrief.dossier import Dossier
from diplobrief.output import printable
from diplobrief.paths import DEFAULT_DOSSIER

ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m"


@given(st.text())
def test_printable_leaves_no_control_character(text: str) -> None:
    for keep in (True, False):
        shown = printable(text, keep_newlines=keep)
        allowed = {"\t", "\n"} if keep else {"\t"}
        assert all(unicodedata.category(char) != "Cc" or char in allowed for char in shown), repr(
            shown
        )
        assert "\u2028" not in shown and "\u2029" not in shown
    assert printable("plain text, déjà vu\n") == "plain text, déjà vu\n"


def _hostile(dossier: Dossier) -> Dossier:
    topic = dossier.topics["covid-19"]
    hostile = replace(topic, title=replace(topic.title, en=f"Covid{ESCAPES}"))
    return Dossier(
        dossier.path,
        dossier.mandate,
        {**dossier.topics, "covid-19": hostile},
        dossier.facts,
        dossier.fact_topic,
    )


def _inert(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
    assert "Covid\\x1b]0;owned\\x07\\x1b[2J\\x9b31m" in output


def test_topics_escape_titles_that_bypassed_validation(
    dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Belt and braces: even a title with escapes (refused by `check`) prints inert."""
    changed = _hostile(dossier)
    monkeypatch.setattr(cli, "_load", lambda path: changed)
    result = CliRunner().invoke(cli.main, ["topics"])
    assert result.exit_code == 0
    _inert(result.output)


def test_chat_help_escapes_titles_that_bypassed_validation(
    dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = ChatEngine(_hostile(dossier))
    monkeypatch.setattr("diplobrief.chat.console.engine_for", lambda path: engine)
    result = CliRunner().invoke(cli.main, ["chat", "--lang", "en"], input="help\nquit\n")
    assert result.exit_code == 0, result.output
    _inert(result.output)


def _chat(data: bytes | None, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "diplobrief", "chat", "--lang", "en"],
        input=data,
        capture_output=True,
        timeout=60,
        env=env,
        **kwargs,
    )


def test_chat_survives_bytes_that_are_not_utf8() -> None:
    result = _chat(b"help\n\xff\xfe caf\xe9\nhow many countries supported the candidacy?\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    out = result.stdout.decode("utf-8")
    assert "181" in out and out.rstrip().endswith("Goodbye.")


def test_chat_with_a_closed_stdin_is_an_empty_conversation() -> None:
    result = _chat(None, preexec_fn=lambda: os.close(0))
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    assert result.stdout.decode("utf-8").rstrip().endswith("Goodbye.")


def test_run_chat_accepts_no_stream(tmp_path: Path) -> None:
    said: list[str] = []
    run_chat(DEFAULT_DOSSIER, None, said.append, "en", output_dir=tmp_path)
    assert len(said) == 2 and said[-1] == "Goodbye."
