"""Atomic writes: a reader never sees a half-written file under the final name.

The new file gets the mode the replaced file had, or else the mode a plain
``open()`` would give it under the process umask: a private 0600 briefing stays
private, and nothing is made world-readable behind the user's back.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
from pathlib import Path

from diplobrief.errors import OutputError


def _current_umask() -> int:
    """The process umask, read once at import (before any thread could race on it)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def _mode_for(path: Path) -> int:
    """The replaced file's permission bits, or 0666 less the umask for a new file."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def is_folder(path: Path) -> bool:
    """``path.is_dir()`` that answers False, not OSError, for a name too long or a loop."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _write_through(path: Path, data: bytes) -> None:
    """Write to a character device or FIFO as a shell redirection would."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise OutputError(f"{path}: a FIFO with no reader; nothing written") from None
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        os.set_blocking(fd, True)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    finally:
        os.close(fd)


def _resolve_target(path: Path, follow_symlinks: bool = True) -> tuple[Path | None, Path]:
    """Where ``write_atomic`` would write: ``(None, path)`` for a character device or
    FIFO it writes through, else ``(file to replace, its folder)``; the targets it
    refuses (a folder, a block device, a socket, a missing folder) raise OutputError."""
    try:
        info: os.stat_result | None = os.stat(path) if follow_symlinks else os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    if info is not None:
        kind = _special_kind(info.st_mode)
        if kind == "folder":
            raise OutputError(f"{path}: is a folder; name a file")
        if kind in ("character device", "FIFO"):
            return None, path
        if kind is not None:
            raise OutputError(f"{path}: is a {kind}; refusing to replace it")
    target = Path(os.path.realpath(path)) if follow_symlinks and path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    if not is_folder(folder):
        raise OutputError(f"{path}: folder '{folder}' does not exist")
    return target, folder


def check_writable(path: Path) -> None:
    """Fail now, before any time is spent rendering, where ``write_atomic(path, …)``
    would fail: a missing or read-only folder, a target it refuses to replace."""
    target, folder = _resolve_target(path)
    if target is not None:
        check_folder_writable(folder)


def check_folder_writable(folder: Path) -> None:
    """Check that a file can be created in ``folder`` (a real try, so that read-only
    mounts and root's permissions count)."""
    if not is_folder(folder):
        raise OutputError(f"{folder}: the folder does not exist")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise OutputError(f"{folder}: cannot write here: {exc.strerror}") from None


def write_atomic(path: Path, data: bytes, *, follow_symlinks: bool = True) -> None:
    """Write to a temporary file beside the target, flush it to disk, then rename.

    Special targets: a character device or FIFO (``/dev/null``, ``/dev/stdout``, a
    named pipe) is written through, never replaced; a symbolic link stays a link
    and its target is replaced atomically (``follow_symlinks=False`` replaces the
    link itself, for the cache). A hard-linked file is replaced like any other:
    the name given gets the new content, other names keep the previous version,
    so no reader of any name ever sees a half-written file. Block devices,
    sockets and folders are refused.
    """
    target, folder = _resolve_target(path, follow_symlinks)
    if target is None:
        _write_through(path, data)
        return
    mode = _mode_for(target)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"{path}: cannot write: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _special_kind(mode: int) -> str | None:
    """What a path is when it is not a regular file or a symbolic link."""
    for test, name in (
        (stat.S_ISDIR, "folder"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return None


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str, keep_newlines: bool = True) -> str:
    """Text safe to print to a terminal: control characters shown as escapes.

    A key or file name holding ``\\x1b]0;…`` cannot retitle or clear the
    terminal, and one holding a newline cannot forge an extra ``Error:`` line.
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char == "\t" or (keep_newlines and char == "\n"):
            return char
        return char.encode("unicode_escape").decode("ascii")

    return _CONTROL.sub(escape, text)
