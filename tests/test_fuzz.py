"""Mutated copies of the real dossier: a clean error or a correct document, never a crash.

Fast profile by default; ``pytest tests/test_fuzz.py --slow`` runs 10,000 examples
per target.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from diplobrief.cli import main
from diplobrief.dossier import load_dossier
from diplobrief.errors import DiplobriefError
from diplobrief.paths import DEFAULT_DOSSIER
from diplobrief.render import render_document

TOPIC = "children-armed-conflict"
# One writable copy for the whole run: each example rewrites one file and restores it.
WORKSPACE = Path(tempfile.mkdtemp(prefix="diplobrief-fuzz-")) / DEFAULT_DOSSIER.name
shutil.copytree(DEFAULT_DOSSIER, WORKSPACE)
atexit.register(shutil.rmtree, WORKSPACE.parent, True)
ORIGINAL_TOPIC = yaml.safe_load((DEFAULT_DOSSIER / "topics" / f"{TOPIC}.yaml").read_text())
ORIGINAL_MANDATE = yaml.safe_load((DEFAULT_DOSSIER / "dossier.yaml").read_text())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.dates(),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _mutate(data: Any, path: tuple[Any, ...], action: str, value: Any) -> Any:
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "rename" and isinstance(parent, dict):
        parent[f"{last}_x"] = parent.pop(last)
    else:
        parent[last] = value
    return data


mutations = st.tuples(
    st.sampled_from(["topic", "mandate"]),
    st.integers(min_value=0),
    st.sampled_from(["delete", "rename", "replace"]),
    scalars,
)


@contextmanager
def _rewritten(name: str, content: bytes) -> Iterator[Path]:
    """The workspace dossier with one file replaced, restored afterwards."""
    file = WORKSPACE / name
    original = (DEFAULT_DOSSIER / name).read_bytes()
    file.write_bytes(content)
    try:
        yield WORKSPACE
    finally:
        file.write_bytes(original)


def _mutated(target: str, index: int, action: str, value: Any) -> tuple[str, bytes]:
    original = ORIGINAL_TOPIC if target == "topic" else ORIGINAL_MANDATE
    data = yaml.safe_load(yaml.safe_dump(original))
    paths = _paths(data)
    mutated = _mutate(data, paths[index % len(paths)], action, value)
    name = f"topics/{TOPIC}.yaml" if target == "topic" else "dossier.yaml"
    return name, yaml.safe_dump(mutated, allow_unicode=True).encode()


@given(mutations)
def test_mutated_dossier_gives_a_clean_error_or_a_document(mutation: tuple[Any, ...]) -> None:
    with _rewritten(*_mutated(*mutation)) as path:
        try:
            dossier = load_dossier(path)
        except DiplobriefError as exc:
            assert str(exc)
            return
        for kind in ("briefing-note", "talking-points", "lessons-learned"):
            try:
                text = render_document(dossier, TOPIC, kind, "fr").markdown
            except DiplobriefError:
                continue
            assert text.startswith("---\n")


@given(st.binary(max_size=400), st.sampled_from(["dossier.yaml", f"topics/{TOPIC}.yaml"]))
def test_random_bytes_and_truncation_through_the_cli(data: bytes, name: str) -> None:
    original = (DEFAULT_DOSSIER / name).read_bytes()
    with _rewritten(name, original[: len(data) * 7 % len(original)] + data) as path:
        runner = CliRunner()
        for args in (["check"], ["generate", TOPIC, "--lang", "nl"], ["topics"]):
            result = runner.invoke(main, [*args, "--dossier", str(path)])
            assert result.exit_code in (0, 1), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
            if result.exit_code == 1:
                assert result.output.startswith("Error: ")


@given(st.text(max_size=200))
def test_any_fact_text_is_rendered_literally(text: str) -> None:
    data = yaml.safe_load(yaml.safe_dump(ORIGINAL_TOPIC))
    data["facts"][0]["text"]["en"] = text.replace("{", "(").replace("}", ")") or "x"
    content = yaml.safe_dump(data, allow_unicode=True).encode()
    with _rewritten(f"topics/{TOPIC}.yaml", content) as path:
        try:
            dossier = load_dossier(path)
        except DiplobriefError:
            return
        markdown = render_document(dossier, TOPIC, "briefing-note", "en").markdown
        body = markdown.split("\n---\n", 1)[1]
        assert "\n# " not in body.replace("\n# Briefing note", "")
