"""The interactive chat: read lines, answer each, until "quit", "exit" or end of input.

At a terminal, lines come from ``input()`` with the ``readline`` module's line editing and
a history file under the user's state folder; piped in (tests, scripts), they are read
one per line from the stream. Nothing here imports Click: the CLI hands in the streams
and the function that prints.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from diplobrief.chat import answer as answers
from diplobrief.chat import lexicon
from diplobrief.chat.engine import engine_for
from diplobrief.chat.session import Session
from diplobrief.chat.text import clean, phrase
from diplobrief.errors import DiplobriefError

logger = logging.getLogger(__name__)

PROMPT = "> "
HISTORY_LENGTH = 1000


def history_path() -> Path:
    """``$XDG_STATE_HOME/diplobrief/history``, by default under ``~/.local/state``."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "diplobrief" / "history"


def terminal_lines(history: Path | None) -> Iterator[str]:
    """Lines typed at a terminal, with line editing and a history kept across sessions.

    A history that cannot be read or written is skipped quietly: it is a comfort, and
    never a reason to refuse to chat.
    """
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        readline = None  # type: ignore[assignment]
    if readline is not None and history is not None:
        with contextlib.suppress(OSError):
            readline.read_history_file(history)
        readline.set_history_length(HISTORY_LENGTH)
    try:
        while True:
            try:
                yield input(PROMPT)
            except EOFError:
                return
    finally:
        if readline is not None and history is not None:
            try:
                history.parent.mkdir(parents=True, exist_ok=True)
                readline.write_history_file(history)
            except OSError as exc:
                logger.debug("chat history not written: %s", exc)


def stream_lines(stream: TextIO) -> Iterator[str]:
    """Lines piped in, without their line ends."""
    for line in stream:
        yield line.rstrip("\r\n")


def converse(
    session: Session, lines: Iterable[str], write: Callable[[str], None], output_dir: Path
) -> None:
    """Greet, answer every line, and say goodbye at "quit" or at the end of the input.

    A document is written to ``output_dir`` (Markdown, PDF or Word) and shown as a short
    summary, never as raw Markdown. An error in one turn (a PDF that cannot be written)
    is reported and the conversation goes on.
    """
    dossier = session.engine.dossier
    write(answers.greeting(dossier, session.reply_language))
    for line in lines:
        if phrase(line) in lexicon.QUIT_WORDS:
            break
        if not clean(line):
            continue
        try:
            reply = answers.deliver(session.respond(line), dossier, output_dir, markdown_too=True)
        except DiplobriefError as exc:
            write(f"Error: {exc}")
            continue
        if reply.document is not None:
            write(answers.document_summary(reply))
        else:
            write(reply.text.rstrip("\n"))
        if reply.ends_conversation:
            return
    write(answers.farewell(session.reply_language))


def tolerant(stdin: TextIO | None) -> TextIO | None:
    """The input stream, decoding bytes its encoding rejects as U+FFFD instead of failing.

    A desktop's UTF-8 locale makes Python's stdin strict: one stray byte (a Latin-1
    paste) would end the conversation with a UnicodeDecodeError.
    """
    if isinstance(stdin, io.TextIOWrapper) and stdin.errors == "strict":
        with contextlib.suppress(ValueError, OSError):
            stdin.reconfigure(errors="replace")
    return stdin


def run_chat(
    dossier_path: Path,
    stdin: TextIO | None,
    write: Callable[[str], None],
    language: str | None = None,
    default_language: str | None = None,
    output_dir: Path = Path("."),
) -> None:
    """``diplobrief chat``: a conversation on one dossier, from a terminal or a pipe.

    A closed standard input (``diplobrief chat <&-``) is an empty conversation.
    """
    engine = engine_for(dossier_path)
    session = Session(engine, language=language, default_language=default_language or "en")
    stdin = tolerant(stdin)
    lines: Iterable[str]
    if stdin is None or stdin.closed:
        lines = ()
    elif stdin.isatty():
        lines = terminal_lines(history_path())
    else:
        lines = stream_lines(stdin)
    converse(session, lines, write, output_dir)
