"""A state folder shared by every process of one server: small JSON records and locks.

The web app keeps its conversations and pack jobs here rather than in memory, so that
several WSGI worker processes (gunicorn, or two ``serve`` processes behind one proxy)
see the same state. The folder must be on a local disk: the locks are ``flock`` locks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from diplobrief.output import write_atomic

try:
    import fcntl
except ImportError:  # Windows: one server process only, so a lock in this process will do
    fcntl = None  # type: ignore[assignment]

# A record is a few kilobytes at most; anything larger is not one of ours.
MAX_RECORD_BYTES = 1 << 20
_LOCAL_LOCKS: dict[str, threading.Lock] = {}


@contextlib.contextmanager
def file_lock(path: Path, wait: bool = True) -> Iterator[bool]:
    """Hold an exclusive lock on ``path`` (created 0600) against every other process;
    with ``wait=False``, yield False at once instead of waiting for a holder."""
    if fcntl is None:
        lock = _LOCAL_LOCKS.setdefault(str(path), threading.Lock())
        held = lock.acquire(blocking=wait)
        try:
            yield held
        finally:
            if held:
                lock.release()
        return
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
        else:
            yield True
    finally:
        os.close(descriptor)  # closing releases the lock


def read_record(path: Path) -> dict[str, Any] | None:
    """A JSON object written by ``write_record``; None when missing or not one of ours."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_RECORD_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_RECORD_BYTES:
        return None
    try:
        record = json.loads(data)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def write_record(path: Path, record: dict[str, Any], durable: bool = True) -> None:
    """Replace the record at once, so no reader sees half of it. ``durable=False`` skips
    the flush to disk (``write_atomic``'s fsync), for records a crash may lose: a chat
    turn is answered in milliseconds and a flush would triple that."""
    data = json.dumps(record, ensure_ascii=False, sort_keys=True).encode("utf-8")
    if durable:
        write_atomic(path, data, follow_symlinks=False)
        return
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def default_state_dir(dossier_path: Path) -> Path:
    """``<user cache>/diplobrief/web/<dossier hash>``: shared by the workers of one
    machine and user, one per dossier."""
    from platformdirs import user_cache_path

    digest = hashlib.sha256(str(dossier_path.resolve()).encode("utf-8")).hexdigest()[:16]
    return user_cache_path("diplobrief") / "web" / digest


def private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
