"""A validated dossier remembered as JSON, so a command starts without parsing YAML.

The snapshot's name is a hash of every dossier file and of the code that
validates them; any change to either gives a new name. It is plain JSON (never
pickle: nothing in the cache folder is executed), written only after pydantic
validated the dossier, and it carries the SHA-256 of its own content, so a
damaged or truncated snapshot is a miss. Reading it builds the same frozen
models again without pydantic (whose validators cost more to build than the
whole read): every value is checked against the model's field types, unknown
or missing keys refuse the snapshot, and the fact and source references are
checked again. Anything amiss and the dossier is loaded from its YAML files,
which reports every problem as usual. `check` never uses snapshots.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import re
import sys
import types
import typing
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pydantic
import pydantic_core

from diplobrief import __version__, dossier, yamlfile
from diplobrief.cache import read_regular, sign, signed_content
from diplobrief.dossier import Dossier, Fact, Mandate, Model, Topic, load_dossier
from diplobrief.errors import OutputError
from diplobrief.output import write_atomic
from diplobrief.paths import private_cache_folder

# The bundled dossier's snapshot is about 250 KB; anything far larger is not ours.
MAX_SNAPSHOT_BYTES = 1 << 28


@dataclasses.dataclass(frozen=True, kw_only=True)
class Snapshot(Model):
    """What a snapshot holds: the validated mandate record and topics."""

    mandate: Mandate
    topics: list[Topic]


def dossier_files(path: Path) -> list[Path]:
    """The files a dossier is loaded from, in a fixed order."""
    topics = path / "topics"
    return [path / "dossier.yaml", *sorted(topics.glob("*.yaml") if topics.is_dir() else [])]


def snapshot_key(path: Path) -> str:
    """A hash of the dossier's files and of everything that validates them."""
    digest = hashlib.sha256(f"{__version__}\0{pydantic.VERSION}\0".encode())
    for module in (dossier, yamlfile):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    for file in dossier_files(path):
        digest.update(file.name.encode() + b"\0")
        digest.update(hashlib.sha256(file.read_bytes()).digest())
    return digest.hexdigest()


def load_dossier_cached(path: Path, folder: Path | None = None) -> Dossier:
    """The dossier at ``path``, from its snapshot when one matches, else from YAML."""
    try:
        key = snapshot_key(path)
    except OSError:
        return load_dossier(path)
    if folder is None:
        folder = private_cache_folder("dossiers")
    else:
        with contextlib.suppress(OSError):
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder is None:
        return load_dossier(path)
    entry = folder / f"{key}.json"
    try:
        return _from_snapshot(path, read_regular(entry, MAX_SNAPSHOT_BYTES))
    except (OSError, ValueError):
        pass
    loaded = load_dossier(path)
    # A snapshot that cannot be written is no error: it only saves time.
    with contextlib.suppress(OutputError):
        write_atomic(entry, encode_snapshot(loaded), follow_symlinks=False)
    return loaded


def encode_snapshot(loaded: Dossier) -> bytes:
    """The snapshot of a validated dossier: its SHA-256, a line break, then its JSON."""
    snapshot = Snapshot(mandate=loaded.mandate, topics=list(loaded.topics.values()))
    return sign(pydantic_core.to_json(snapshot))


def _from_snapshot(path: Path, raw: bytes) -> Dossier:
    """Read a snapshot back; ValueError when anything is off."""
    content = signed_content(raw)
    if content is None:
        raise ValueError("the snapshot does not match its checksum")
    snapshot = _reader(Snapshot)(pydantic_core.from_json(content))
    facts: dict[str, Fact] = {}
    fact_topic: dict[str, str] = {}
    for topic in snapshot.topics:
        for fact in topic.facts:
            if fact.id in facts:
                raise ValueError(f"duplicate fact {fact.id}")
            facts[fact.id] = fact
            fact_topic[fact.id] = topic.id
    sources = {source.id for source in snapshot.mandate.sources}
    if any(fact.source.ref not in sources for fact in facts.values()):
        raise ValueError("unknown source")
    if any(ref not in facts for ref in _references(content)):
        raise ValueError("unknown fact")
    topics = {topic.id: topic for topic in snapshot.topics}
    if len(topics) != len(snapshot.topics) or set(topics) != _topic_ids(path):
        raise ValueError("topics differ from the folder")
    return Dossier(
        path=path, mandate=snapshot.mandate, topics=topics, facts=facts, fact_topic=fact_topic
    )


# --- JSON back into the models, checked against their field types ----------------------

Reader = Callable[[Any], Any]


@cache
def _reader(kind: Any) -> Reader:
    """A function that turns JSON data into a value of type ``kind`` or raises ValueError.

    Knows the types the dossier models use: str, int, float, bool, dates, Literal,
    lists, str-keyed dicts, unions (tried in order) and the model dataclasses.
    """
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _record_reader(kind)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Annotated:  # constraints: pydantic checked them before writing
        return _reader(args[0])
    if origin is typing.Literal:
        return _literal_reader(args)
    if origin is list:
        item = _reader(args[0])
        return lambda data: [item(value) for value in _typed(data, list)]
    if origin is dict:
        value_reader = _reader(args[1])
        return lambda data: {
            _typed(key, str): value_reader(value) for key, value in _typed(data, dict).items()
        }
    if origin in (typing.Union, types.UnionType):
        members = tuple(_reader(member) for member in args if member is not type(None))
        if len(members) == 1 and len(args) == 2:  # optional: the common case, made quick
            (member,) = members
            return lambda data: None if data is None else member(data)
        return _union_reader(tuple(_reader(member) for member in args))
    if kind is dt.date:
        return lambda data: dt.date.fromisoformat(_typed(data, str))
    if kind in (str, int, float, bool, type(None)):
        return lambda data: data if type(data) is kind else _typed(data, kind)
    raise TypeError(f"no snapshot reader for {kind!r}")


def _typed(data: Any, kind: type) -> Any:
    # Exactly this type: JSON true is no int, 1 is no float.
    if type(data) is not kind:
        raise ValueError(f"expected {kind.__name__}, got {type(data).__name__}")
    return data


def _literal_reader(allowed: tuple[Any, ...]) -> Reader:
    def read(data: Any) -> Any:
        if not any(data == option and type(data) is type(option) for option in allowed):
            raise ValueError(f"unexpected value {data!r}")
        return data

    return read


def _union_reader(members: tuple[Reader, ...]) -> Reader:
    def read(data: Any) -> Any:
        for member in members:
            try:
                return member(data)
            except ValueError:
                continue
        raise ValueError(f"no type of the union fits {data!r}")

    return read


def _record_reader(model: type) -> Reader:
    fields = {item.name: _field_type(model, item) for item in dataclasses.fields(model)}
    required = {
        item.name
        for item in dataclasses.fields(model)
        if item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING
    }
    readers: dict[str, Reader] = {}

    def read(data: Any) -> Any:
        values = _typed(data, dict)
        if not required <= values.keys() <= fields.keys():
            raise ValueError(f"{model.__name__}: keys {sorted(values)} do not fit")
        if not readers:  # resolved on first use: the models refer to each other
            readers.update((name, _reader(kind)) for name, kind in fields.items())
        return model(**{name: readers[name](value) for name, value in values.items()})

    return read


def _field_type(model: type, item: dataclasses.Field[Any]) -> Any:
    """A field's type: its annotation (a string in the models' own source code),
    evaluated in the module that declares it, as typing.get_type_hints does for every
    annotation of every base class, several times slower."""
    if not isinstance(item.type, str):
        return item.type
    owner = next(
        base for base in model.__mro__ if item.name in vars(base).get("__annotations__", {})
    )
    return _evaluate(item.type, owner.__module__)


@cache
def _evaluate(annotation: str, module: str) -> Any:
    return eval(annotation, vars(sys.modules[module]))


def _topic_ids(path: Path) -> set[str]:
    return {file.stem for file in dossier_files(path)[1:]}


def _references(raw: bytes) -> Iterator[str]:
    """Every fact id referenced anywhere: each list of ids under a key ending in 'facts'.

    Ids are plain ``[a-z0-9-]`` strings (the models checked that), so a pattern over
    the JSON finds the lists; lists of fact objects (``[{…}]``) do not match it.
    """
    for match in _ID_LIST.finditer(raw):
        yield from (item.decode() for item in _ID.findall(match.group(1)))


_ID_LIST = re.compile(rb'"[a-z_]*facts":\[((?:"[a-z0-9-]*",?)*)\]')
_ID = re.compile(rb'"([a-z0-9-]*)"')
