"""Safe YAML loading that remembers where every value came from.

PyYAML silently keeps the last of two duplicate keys and expands aliases without
limit; dossiers come from many hands, so both are refused here, and every value
keeps its line number for error messages. Files are read with a bound: only
regular files (no FIFO or device that would hang or never end), symbolic links
only when they stay inside the dossier folder, and never more than the limit
plus one byte.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from diplobrief.errors import DossierError
from diplobrief.output import printable

# libyaml's parser is about twenty times faster; the pure-Python one is the fallback.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000
MAX_DEPTH = 40
# Characters of text after alias expansion, per file: twice what the file could hold.
MAX_EXPANDED_CHARS = 2 * MAX_FILE_BYTES
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
_SCALAR_KINDS = {
    "tag:yaml.org,2002:int": "whole number",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:timestamp": "date",
    "tag:yaml.org,2002:null": "empty value",
}

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class YamlDocument:
    """Plain data loaded from one YAML file, with a line number per key path."""

    path: Path
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, key_path: KeyPath) -> int:
        """Line of the deepest known key on ``key_path`` (1 for the top)."""
        for end in range(len(key_path), -1, -1):
            line = self.lines.get(tuple(key_path[:end]))
            if line is not None:
                return line
        return 1

    def where(self, key_path: KeyPath) -> str:
        """``file: key.path (line N)`` for messages."""
        return f"{self.path}: {format_key_path(key_path)} (line {self.line_of(key_path)})"


def format_key_path(key_path: KeyPath) -> str:
    """``facts[2].text.fr`` from ``("facts", 2, "text", "fr")``."""
    out = ""
    for part in key_path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top)"


class _Builder:
    """Turns a composed node graph into Python data, with bounds and line numbers."""

    def __init__(self, path: Path, loader: Any) -> None:
        self.path = path
        self.loader = loader
        self.lines: dict[KeyPath, int] = {}
        self.count = 0
        self.chars = 0

    def fail(self, node: yaml.Node, message: str) -> DossierError:
        return DossierError([f"{self.path}: line {node.start_mark.line + 1}: {message}"])

    def build(self, node: yaml.Node, key_path: KeyPath, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, f"more than {MAX_NODES} values (alias expansion?); refused")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested deeper than {MAX_DEPTH} levels; refused")
        self.lines.setdefault(key_path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            self.loader.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.scalar(key_node, deep=True)
                if not isinstance(key, Hashable):
                    raise self.fail(key_node, "a key must be plain text")
                if key in result:
                    raise self.fail(key_node, f"duplicate key '{key}'")
                child_path = (*key_path, key if isinstance(key, str | int) else str(key))
                self.lines[child_path] = key_node.start_mark.line + 1
                result[key] = self.build(value_node, child_path, depth + 1)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(child, (*key_path, index), depth + 1)
                for index, child in enumerate(node.value)
            ]
        return self.scalar(node)

    def scalar(self, node: yaml.Node, deep: bool = False) -> Any:
        """A constructed value; an impossible one (``2019-02-30``, ``!!int "abc"``,
        a 5,000-digit number) is a clean error, and expanded text is budgeted."""
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
            if self.chars > MAX_EXPANDED_CHARS:
                raise self.fail(
                    node, f"more than {MAX_EXPANDED_CHARS} characters of text (alias expansion?)"
                )
        try:
            return self.loader.construct_object(node, deep=deep)
        except (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError):
            kind = _SCALAR_KINDS.get(node.tag, "value")
            text = node.value if isinstance(node.value, str) else ""
            shown = printable(text[:40] + ("…" if len(text) > 40 else ""), keep_newlines=False)
            raise self.fail(node, f"'{shown}' is not a valid {kind}") from None


def read_bounded(path: Path, limit: int, root: Path | None = None) -> bytes:
    """A regular file's bytes, refused beyond ``limit`` without reading more than
    ``limit`` + 1; with ``root``, the file (after symbolic links) must be inside it."""
    try:
        info = os.lstat(path)
        if root is not None and not Path(os.path.realpath(path)).is_relative_to(
            os.path.realpath(root)
        ):
            raise DossierError([f"{path}: a symbolic link out of the dossier folder; refused"])
        if stat.S_ISLNK(info.st_mode):
            info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise DossierError([f"{path}: not a regular file ({_kind(info.st_mode)}); refused"])
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise DossierError([f"{path}: file not found"]) from None
    except OSError as exc:
        raise DossierError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise DossierError([f"{path}: not a regular file; refused"])
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise DossierError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise DossierError([f"{path}: larger than the limit of {limit} bytes"])
    return raw


def read_text(path: Path, limit: int, root: Path | None = None) -> str:
    """A bounded UTF-8 text file (YAML, ``check --source``); errors name file and line."""
    raw = read_bounded(path, limit, root)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DossierError([f"{path}: line {line}: not valid UTF-8"]) from None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a socket" if stat.S_ISSOCK(mode) else "a special file"


def load_yaml(path: Path, root: Path | None = None) -> YamlDocument:
    """Load one YAML file safely; raise DossierError naming the file and line.

    With ``root`` (the dossier folder), a symbolic link leading out of it is refused.
    """
    text = read_text(path, MAX_FILE_BYTES, root)
    loader = None
    try:
        loader = SafeLoader(text)
        node = loader.get_single_node()
        if node is None:
            raise DossierError([f"{path}: line 1: the file is empty"])
        builder = _Builder(path, loader)
        data = builder.build(node, (), 0)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        message = f"character U+{exc.character:04X} is not allowed in YAML"
        raise DossierError([f"{path}: line {line}: {message}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise DossierError([f"{path}: line {line}: invalid YAML: {problem}"]) from None
    except yaml.YAMLError as exc:
        raise DossierError([f"{path}: invalid YAML: {' '.join(str(exc).split())}"]) from None
    except RecursionError:
        raise DossierError([f"{path}: nested too deeply; refused"]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDocument(path=path, data=data, lines=builder.lines)
