"""A content-addressed cache of finished outputs (PDF, DOCX…), verified on every read.

The cache folder is writable by anyone who can write the user's cache, so nothing
in it is trusted: an entry is used only when its meta file parses, names the
same format, and the output's size and SHA-256 match it. Entries are opened
without following symbolic links and only when they are regular files. Every
problem reading an entry is a miss, and a cache that cannot be written is
reported to the caller (the core never prints) while the build goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from diplobrief.errors import OutputError
from diplobrief.output import write_atomic

# Meta files are a few dozen bytes; anything longer is not ours.
MAX_META_BYTES = 4096
# No output of ours comes near this; a larger entry is not read.
MAX_ENTRY_BYTES = 1 << 30
_CHUNK = 1 << 20
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def sign(content: bytes) -> bytes:
    """``content`` behind a line holding its SHA-256, for entries that carry their own check."""
    return hashlib.sha256(content).hexdigest().encode() + b"\n" + content


def signed_content(raw: bytes) -> bytes | None:
    """The content of a :func:`sign`-ed entry, or None when it does not match its check."""
    digest, _, content = raw.partition(b"\n")
    return content if digest == hashlib.sha256(content).hexdigest().encode() else None


@dataclass(frozen=True)
class Entry:
    """A cached output: its bytes and page count."""

    data: bytes
    pages: int


def key(options: dict[str, Any], files: Iterable[tuple[str, Path]]) -> str:
    """SHA-256 over ``options`` (JSON) and each named file's content, read in chunks.

    Raises OSError when a file cannot be read: the caller then builds without
    the cache.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps(options, sort_keys=True, ensure_ascii=True).encode())
    for name, path in files:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        with path.open("rb") as stream:
            digest.update(hashlib.file_digest(stream, "sha256").digest())
    return digest.hexdigest()


def tree_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every regular file under ``root`` (the project's own templates and catalogs)."""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield str(path.relative_to(root)), path


def dossier_files(root: Path) -> Iterator[tuple[str, Path]]:
    """The YAML files a dossier is made of; nothing else in its folder is read."""
    for pattern in ("dossier.yaml", "topics/*.yaml", "packs/*.yaml"):
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                yield str(path.relative_to(root)), path


def read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a regular file that is not a symbolic link."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


class Cache:
    """One cache folder; entries are ``<key>.<suffix>`` with a ``<key>.json`` meta file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, entry_key: str, suffix: str) -> tuple[Path, Path]:
        return self.folder / f"{entry_key}.{suffix}", self.folder / f"{entry_key}.json"

    def get(self, entry_key: str, suffix: str) -> Entry | None:
        """The verified entry, or None for a miss (absent, unreadable, corrupt, tampered)."""
        output, meta_path = self._paths(entry_key, suffix)
        try:
            meta = json.loads(read_regular(meta_path, MAX_META_BYTES).decode("utf-8"))
            size, digest, pages = meta["size"], meta["sha256"], meta["pages"]
            if meta["format"] != suffix or not all(
                isinstance(value, int) and not isinstance(value, bool) for value in (size, pages)
            ):
                return None
            if not 0 < size <= MAX_ENTRY_BYTES or pages < 0:
                return None
            data = read_regular(output, size)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if len(data) != size or hashlib.sha256(data).hexdigest() != digest:
            return None
        return Entry(data, pages)

    def put(self, entry_key: str, suffix: str, data: bytes, pages: int) -> str | None:
        """Store an entry; return None, or why the cache could not be written."""
        output, meta_path = self._paths(entry_key, suffix)
        meta = {
            "format": suffix,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "pages": pages,
        }
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            if not self.folder.is_dir():
                return f"{self.folder}: not a folder"
            # The output first, the meta last: a half-stored entry is a miss.
            write_atomic(output, data, follow_symlinks=False)
            write_atomic(meta_path, json.dumps(meta).encode(), follow_symlinks=False)
        except FileExistsError:
            return f"{self.folder}: not a folder"
        except OSError as exc:
            return f"{self.folder}: {exc.strerror or exc}"
        except OutputError as exc:
            with contextlib.suppress(OSError):
                meta_path.unlink()
            return str(exc)
        return None
