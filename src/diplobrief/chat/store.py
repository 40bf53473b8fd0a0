"""The chat index on disk: built once per dossier, read back by every later ``ask``.

A fresh ``diplobrief ask`` would otherwise stem and count every text of the dossier
before answering (~250 ms); read back, the index costs a few milliseconds. The file is
JSON (data, never code: no pickle), lives in the user cache folder (platformdirs) and is
named by a key over the dossier's content (every YAML file's path and bytes), the
package's version and the versions of the libraries whose output it stores. It starts
with a header holding that key and the SHA-256 of the payload; a file whose key or digest
does not match, that does not parse or whose data does not build an index is ignored and
rebuilt. A cache that cannot be written is skipped: it is a speed-up, never a reason to
fail.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from diplobrief import __version__

logger = logging.getLogger(__name__)

# Bumped whenever the stored data changes shape or meaning.
FORMAT = 18
_LIBRARIES = ("babel", "snowballstemmer", "simplemma", "wordfreq")
# A cache file larger than this is not an index of ours.
MAX_BYTES = 64 * 1024 * 1024


def cache_folder() -> Path:
    """``<user cache>/diplobrief/chat``; ``DIPLOBRIEF_CACHE_DIR`` overrides the base."""
    base = os.environ.get("DIPLOBRIEF_CACHE_DIR")
    if base:
        return Path(base) / "chat"
    from platformdirs import user_cache_path

    return user_cache_path("diplobrief") / "chat"


def dossier_digest(path: Path) -> str:
    """SHA-256 over every YAML file of a dossier folder: its relative path and its bytes."""
    digest = hashlib.sha256()
    files = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _versions() -> str:
    found = []
    for name in _LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return ";".join(found)


def cache_key(path: Path) -> str:
    """The name of a dossier's index file: its content, our version, the libraries'."""
    parts = f"{FORMAT}|{__version__}|{_versions()}|{dossier_digest(path)}"
    return hashlib.sha256(parts.encode()).hexdigest()


def _read_regular(file: Path) -> bytes | None:
    """A regular file's bytes, opened without following a symbolic link or blocking on a
    FIFO (the cache folder is not trusted); None for anything else or too large."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(file, flags)
    except OSError:
        return None
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
            return None
        with os.fdopen(handle, "rb", closefd=False) as stream:
            return stream.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(handle)


def read(file: Path, key: str) -> dict[str, Any] | None:
    """A verified payload, or None when the file is missing, foreign, altered or broken."""
    data = _read_regular(file)
    if data is None:
        return None
    header, _, body = data.partition(b"\n")
    try:
        meta = json.loads(header)
        if not isinstance(meta, dict) or meta.get("key") != key:
            return None
        if meta.get("sha256") != hashlib.sha256(body).hexdigest():
            logger.debug("chat index %s: digest mismatch, rebuilding", file)
            return None
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
    return payload if isinstance(payload, dict) else None


def write(file: Path, key: str, payload: dict[str, Any]) -> None:
    """Store a payload atomically; any failure only costs the next run a rebuild."""
    from diplobrief.errors import DiplobriefError
    from diplobrief.output import write_atomic

    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    encoded = body.encode()
    header = json.dumps({"key": key, "sha256": hashlib.sha256(encoded).hexdigest()})
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(file, header.encode() + b"\n" + encoded, follow_symlinks=False)
    except (OSError, DiplobriefError) as exc:
        logger.debug("chat index not cached: %s", exc)


def load_or_build(
    path: Path, build: Callable[[], dict[str, Any]], use: Callable[[dict[str, Any]], Any]
) -> Any:
    """``use(payload)`` with the cached payload of a dossier, or a fresh one stored for later.

    ``use`` turning a cached payload into an object is the last check: when it raises
    (a field missing, a wrong type), the payload is rebuilt and the file replaced.
    """
    try:
        key = cache_key(path)
    except OSError:
        return use(build())
    file = cache_folder() / f"{key}.json"
    cached = read(file, key)
    if cached is not None:
        try:
            return use(cached)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            logger.debug("chat index %s unusable (%s), rebuilding", file, exc)
    payload = build()
    # Round-trip through JSON, so a fresh run answers from exactly what a cached one reads.
    payload = json.loads(json.dumps(payload, ensure_ascii=False))
    result = use(payload)
    write(file, key, payload)
    return result
