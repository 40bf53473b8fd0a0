"""A validated dossier remembered as JSON, so a command starts without parsing YAML.

The snapshot's name is a hash of every dossier file and of the code that
validates them; any change to either gives a new name. It is plain JSON (never
pickle: nothing in the cache folder is executed), and it is validated again with
the same models on every read, and its fact references checked. An unreadable,
stale or tampered snapshot is ignored and the dossier is loaded from its YAML
files, which reports every problem as usual. `check` never uses snapshots.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pydantic

from diplobrief import __version__, dossier, yamlfile
from diplobrief.cache import read_regular
from diplobrief.dossier import Dossier, Fact, Mandate, Model, Topic, load_dossier
from diplobrief.errors import OutputError
from diplobrief.output import write_atomic
from diplobrief.paths import private_cache_folder

# The bundled dossier's snapshot is about 300 KB; anything far larger is not ours.
MAX_SNAPSHOT_BYTES = 1 << 28


class Snapshot(Model):
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
    snapshot = Snapshot(mandate=loaded.mandate, topics=list(loaded.topics.values()))
    # A snapshot that cannot be written is no error: it only saves time.
    with contextlib.suppress(OutputError):
        write_atomic(entry, snapshot.model_dump_json().encode("utf-8"), follow_symlinks=False)
    return loaded


def _from_snapshot(path: Path, raw: bytes) -> Dossier:
    """Validate a snapshot again; ValueError (pydantic's too) when anything is off."""
    snapshot = Snapshot.model_validate_json(raw)
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
    if any(ref not in facts for ref in _references(raw)):
        raise ValueError("unknown fact")
    topics = {topic.id: topic for topic in snapshot.topics}
    if len(topics) != len(snapshot.topics) or set(topics) != _topic_ids(path):
        raise ValueError("topics differ from the folder")
    return Dossier(
        path=path, mandate=snapshot.mandate, topics=topics, facts=facts, fact_topic=fact_topic
    )


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
