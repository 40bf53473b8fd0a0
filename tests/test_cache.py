"""F3: the output cache is verified, never trusted, and never stops a build."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from diplobrief import cache
from diplobrief.cli import main

KEY = "ab" * 32
DATA = b"%PDF-1.7 example output\n%%EOF\n"


@pytest.fixture
def store(tmp_path: Path) -> cache.Cache:
    result = cache.Cache(tmp_path / "cache")
    assert result.put(KEY, "pdf", DATA, 3) is None
    return result


def test_a_stored_entry_comes_back_verified(store: cache.Cache) -> None:
    assert store.get(KEY, "pdf") == cache.Entry(DATA, 3)
    meta = json.loads((store.folder / f"{KEY}.json").read_text(encoding="utf-8"))
    assert meta == {
        "format": "pdf",
        "size": len(DATA),
        "sha256": hashlib.sha256(DATA).hexdigest(),
        "pages": 3,
    }
    assert store.folder.stat().st_mode & 0o777 == 0o700
    # The same key in another format (a Word file) is another entry.
    assert store.get(KEY, "docx") is None


@pytest.mark.parametrize(
    "tamper",
    ["truncate", "empty", "extend", "delete-output", "delete-meta", "link-output", "link-meta"],
)
def test_a_tampered_entry_is_a_miss(store: cache.Cache, tamper: str, tmp_path: Path) -> None:
    output = store.folder / f"{KEY}.pdf"
    meta = store.folder / f"{KEY}.json"
    secret = tmp_path / "passwd"
    secret.write_bytes(DATA)  # even a link to identical bytes is refused
    if tamper == "truncate":
        output.write_bytes(DATA[:10])
    elif tamper == "empty":
        output.write_bytes(b"")
    elif tamper == "extend":
        output.write_bytes(DATA + b"x")
    elif tamper == "delete-output":
        output.unlink()
    elif tamper == "delete-meta":
        meta.unlink()
    elif tamper == "link-output":
        output.unlink()
        output.symlink_to(secret)
    else:
        copy = tmp_path / "meta.json"
        copy.write_bytes(meta.read_bytes())
        meta.unlink()
        meta.symlink_to(copy)
    assert store.get(KEY, "pdf") is None


@given(st.binary(max_size=200))
def test_random_meta_files_are_misses(
    tmp_path_factory: pytest.TempPathFactory, meta: bytes
) -> None:
    folder = tmp_path_factory.mktemp("cache")
    (folder / f"{KEY}.pdf").write_bytes(DATA)
    (folder / f"{KEY}.json").write_bytes(meta)
    assert cache.Cache(folder).get(KEY, "pdf") is None


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"format": "pdf", "size": "31", "sha256": "x", "pages": 1},
        {"format": "pdf", "size": len(DATA), "sha256": None, "pages": 1},
        {"format": "pdf", "size": len(DATA), "sha256": "0" * 64, "pages": True},
        {"format": "pdf", "size": 10**30, "sha256": "0" * 64, "pages": 1},
        [1, 2],
    ],
)
def test_meta_files_of_the_wrong_shape_are_misses(tmp_path: Path, meta: object) -> None:
    (tmp_path / f"{KEY}.pdf").write_bytes(DATA)
    (tmp_path / f"{KEY}.json").write_text(json.dumps(meta), encoding="utf-8")
    assert cache.Cache(tmp_path).get(KEY, "pdf") is None


def test_a_fifo_in_the_cache_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / f"{KEY}.json")
    assert cache.Cache(tmp_path).get(KEY, "pdf") is None


def test_an_unwritable_cache_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    message = cache.Cache(blocker / "cache").put(KEY, "pdf", DATA, 1)
    assert message is not None and str(blocker) in message
    assert cache.Cache(blocker / "cache").get(KEY, "pdf") is None


def test_dossier_files_are_only_the_yaml(dossier_copy: Path) -> None:
    (dossier_copy / "huge.bin").write_bytes(b"x" * 1000)
    (dossier_copy / "topics" / "notes.txt").write_text("x", encoding="utf-8")
    names = [name for name, _ in cache.dossier_files(dossier_copy)]
    assert names[0] == "dossier.yaml"
    assert all(name.endswith(".yaml") for name in names)
    assert "packs/full.yaml" in names and "topics/covid-19.yaml" in names


def _pack(tmp_path: Path, cache_dir: Path, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(
        main,
        [
            "pack",
            "--topics",
            "covid-19",
            "--kinds",
            "briefing-note",
            "--lang",
            "en",
            "-o",
            str(tmp_path / "p.pdf"),
            "--cache-dir",
            str(cache_dir),
            "-q",
        ],
        env=env,
    )


@pytest.mark.parametrize("where", ["under-a-file", "read-only"])
def test_an_unwritable_cache_warns_once_and_builds(tmp_path: Path, where: str) -> None:
    if where == "under-a-file":
        (tmp_path / "file").write_text("x", encoding="utf-8")
        cache_dir = tmp_path / "file" / "cache"
    else:
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        cache_dir = tmp_path / "ro"
        cache_dir.mkdir(mode=0o500)
    result = _pack(tmp_path, cache_dir)
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    output = result.output  # type: ignore[attr-defined]
    assert output.count("Warning: cache not used: ") == 1 and "Traceback" not in output
    assert len(PdfReader(tmp_path / "p.pdf").pages) >= 1


def test_a_truncated_cached_pdf_is_rebuilt(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = _pack(tmp_path, cache_dir)
    assert first.exit_code == 0, first.output  # type: ignore[attr-defined]
    built = (tmp_path / "p.pdf").read_bytes()
    (entry,) = cache_dir.glob("*.pdf")
    entry.write_bytes(built[: len(built) // 2])
    second = _pack(tmp_path, cache_dir)
    assert "from the cache" not in second.output  # type: ignore[attr-defined]
    assert (tmp_path / "p.pdf").read_bytes() == built
    third = _pack(tmp_path, cache_dir)
    assert "pages, from the cache)" in third.output  # type: ignore[attr-defined]
    assert (tmp_path / "p.pdf").read_bytes() == built


def test_a_refused_cache_warns_once_for_several_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only cache (simulated: root may write anywhere), three outputs, one warning."""
    import errno

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("diplobrief.cache.write_atomic", refuse)
    result = CliRunner().invoke(
        main,
        [
            "pack",
            "--topics",
            "covid-19",
            "--kinds",
            "briefing-note",
            "--all-languages",
            "-j",
            "1",
            "-o",
            str(tmp_path / "out"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Warning: cache not used: ") == 1
    assert f"{tmp_path / 'cache'}: Permission denied" in result.output
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 3
