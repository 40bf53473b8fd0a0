"""The start-up caches (dossier snapshot, compiled templates, compiled catalogs) change
nothing but time: same bytes out, and a damaged cache is ignored, never trusted."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from diplobrief import i18n, render, snapshot
from diplobrief.dossier import Dossier, load_dossier
from diplobrief.paths import DEFAULT_DOSSIER
from diplobrief.render import render_document

DAY = dt.date(2026, 1, 5)


def _same(left: Dossier, right: Dossier) -> None:
    assert left.mandate == right.mandate
    assert left.topics == right.topics
    assert list(left.topics) == list(right.topics)
    assert left.facts == right.facts
    assert left.fact_topic == right.fact_topic


def test_snapshot_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = snapshot.load_dossier_cached(DEFAULT_DOSSIER, tmp_path)
    entries = list(tmp_path.glob("*.json"))
    assert [entry.stem for entry in entries] == [snapshot.snapshot_key(DEFAULT_DOSSIER)]

    def no_yaml(path: Path, source_text: str | None = None) -> Dossier:
        raise AssertionError("the YAML files were read again")

    monkeypatch.setattr(snapshot, "load_dossier", no_yaml)
    second = snapshot.load_dossier_cached(DEFAULT_DOSSIER, tmp_path)
    _same(first, second)
    _same(second, load_dossier(DEFAULT_DOSSIER))


def _signed(content: str) -> bytes:
    """A snapshot file for ``content``, with a checksum that matches it."""
    data = content.encode("utf-8")
    return hashlib.sha256(data).hexdigest().encode() + b"\n" + data


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: text.replace('"facts":["', '"facts":["no-such-fact","', 1),
        lambda text: text.replace('"ref":"versmessen"', '"ref":"elsewhere"', 1),
        lambda text: text.replace('"order":', '"order":"x","extra":', 1),
        lambda text: text.replace('"order":', '"extra":1,"order":', 1),
        lambda text: text.replace('"about_source":false', '"about_source":0', 1),
        lambda text: text.replace('"start":"2019-01-01"', '"start":"2019-13-01"', 1),
        lambda text: text.replace('"type":"number"', '"type":"numeral"', 1),
        lambda text: text.replace('"id":"covid-19",', "", 1),
        lambda text: text.replace('"topics":[', '"topics":[7,', 1),
        lambda text: "[]",
    ],
    ids=[
        "truncated",
        "dangling-fact",
        "unknown-source",
        "wrong-type",
        "unknown-key",
        "number-for-bool",
        "impossible-date",
        "unknown-value-type",
        "missing-key",
        "not-a-record",
        "not-a-snapshot",
    ],
)
@pytest.mark.parametrize("resign", [False, True], ids=["checksum", "checked"])
def test_a_damaged_snapshot_is_ignored(tmp_path: Path, damage: object, resign: bool) -> None:
    """Damage is a miss: by the checksum, and, with the checksum made to match (a
    forged entry), by the field types and references checked on every read."""
    snapshot.load_dossier_cached(DEFAULT_DOSSIER, tmp_path)
    (entry,) = tmp_path.glob("*.json")
    _, content = entry.read_text(encoding="utf-8").split("\n", 1)
    damaged = damage(content)  # type: ignore[operator]
    assert damaged != content
    if resign:
        entry.write_bytes(_signed(damaged))
        with pytest.raises(ValueError):
            snapshot._from_snapshot(DEFAULT_DOSSIER, entry.read_bytes())
    else:
        entry.write_text(f"{hashlib.sha256(content.encode()).hexdigest()}\n{damaged}")
    _same(snapshot.load_dossier_cached(DEFAULT_DOSSIER, tmp_path), load_dossier(DEFAULT_DOSSIER))
    # ...and the good snapshot is written back.
    _same(
        snapshot._from_snapshot(DEFAULT_DOSSIER, entry.read_bytes()), load_dossier(DEFAULT_DOSSIER)
    )


def test_a_changed_letter_is_a_miss(tmp_path: Path) -> None:
    """Damage that still parses and fits every type is caught by the checksum."""
    snapshot.load_dossier_cached(DEFAULT_DOSSIER, tmp_path)
    (entry,) = tmp_path.glob("*.json")
    raw = entry.read_bytes()
    changed = raw.replace(b"pandemie", b"pandemia", 1)
    assert changed != raw
    entry.write_bytes(changed)
    with pytest.raises(ValueError, match="checksum"):
        snapshot._from_snapshot(DEFAULT_DOSSIER, changed)
    loaded = snapshot.load_dossier_cached(DEFAULT_DOSSIER, tmp_path)
    assert loaded.facts == load_dossier(DEFAULT_DOSSIER).facts


def test_the_snapshot_reads_back_every_value_type() -> None:
    """Dates, months, numbers, optional parts: the same models, field by field."""
    loaded = load_dossier(DEFAULT_DOSSIER)
    back = snapshot._from_snapshot(DEFAULT_DOSSIER, snapshot.encode_snapshot(loaded))
    _same(back, loaded)
    kinds = {type(value).__name__ for fact in back.facts.values() for value in fact.values.values()}
    assert {"NumberValue", "DateValue", "MonthValue", "OrdinalValue", "YearValue"} <= kinds
    assert isinstance(back.mandate.term.start, dt.date)
    # ``as_of`` is a day or a month: each comes back as what it was.
    for as_of in (dt.date(2021, 2, 1), "2021-01"):
        changed = replace(loaded, mandate=replace(loaded.mandate, as_of=as_of))
        again = snapshot._from_snapshot(DEFAULT_DOSSIER, snapshot.encode_snapshot(changed))
        assert again.mandate.as_of == as_of and type(again.mandate.as_of) is type(as_of)


def test_any_change_to_a_file_gives_a_new_snapshot(dossier_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = snapshot.load_dossier_cached(dossier_copy, cache)
    topic = dossier_copy / "topics" / "covid-19.yaml"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace("order: ", "order: 1", 1), encoding="utf-8")
    after = snapshot.load_dossier_cached(dossier_copy, cache)
    assert after.topics["covid-19"].order != before.topics["covid-19"].order
    assert len(list(cache.glob("*.json"))) == 2


def test_a_broken_dossier_is_reported_not_cached(dossier_copy: Path, tmp_path: Path) -> None:
    from diplobrief.errors import DossierError

    (dossier_copy / "topics" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(DossierError, match=r"broken\.yaml: line 2: invalid YAML"):
        snapshot.load_dossier_cached(dossier_copy, tmp_path)
    assert list(tmp_path.glob("*.json")) == []


def test_unwritable_cache_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    _same(snapshot.load_dossier_cached(DEFAULT_DOSSIER, blocker), load_dossier(DEFAULT_DOSSIER))


def test_compiled_catalog_is_remembered_and_a_damaged_one_ignored(
    private_user_cache: Path,
) -> None:
    i18n.translations.cache_clear()
    fresh = i18n.translations("nl").ugettext("Briefing note")
    compiled = list((private_user_cache / "diplobrief" / "catalogs").glob("nl-*.mo"))
    assert len(compiled) == 1
    compiled[0].write_bytes(b"not a catalog")
    i18n.translations.cache_clear()
    assert i18n.translations("nl").ugettext("Briefing note") == fresh == "Briefingnota"
    assert compiled[0].read_bytes().startswith(b"\xde\x12\x04\x95")  # rewritten, valid .mo


def _generate(cache: Path, *args: str) -> bytes:
    environment = {
        **os.environ,
        "XDG_CACHE_HOME": str(cache),
        "PYTHONPATH": str(ROOT / "src"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "diplobrief", "generate", *args],
        capture_output=True,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_cold_and_warm_start_give_the_same_bytes(tmp_path: Path) -> None:
    args = ("syria-humanitarian-access", "--kind", "talking-points", "--lang", "fr")
    cold = _generate(tmp_path / "cache", *args)
    folders = sorted(p.name for p in (tmp_path / "cache" / "diplobrief").iterdir())
    assert folders[:3] == ["catalogs", "dossiers", "repeats"]
    assert folders[3].startswith("templates-fr-")
    for folder in (tmp_path / "cache" / "diplobrief").iterdir():
        assert folder.stat().st_mode & 0o777 == 0o700
    warm = _generate(tmp_path / "cache", *args)
    assert cold == warm
    golden = ROOT / "tests" / "golden" / "syria-humanitarian-access.talking-points.fr.md"
    assert warm == golden.read_bytes()


def test_compiled_templates_are_kept_per_language(tmp_path: Path) -> None:
    """French sets a no-break space before a colon, and Jinja folds it into the code."""
    cache = tmp_path / "cache"
    args = ("syria-humanitarian-access", "--kind", "talking-points")
    _generate(cache, *args, "--lang", "nl")
    french = _generate(cache, *args, "--lang", "fr")
    golden = ROOT / "tests" / "golden" / "syria-humanitarian-access.talking-points.fr.md"
    assert french == golden.read_bytes()


def test_a_cache_folder_that_cannot_be_made_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert _generate(blocker, "covid-19") == _generate(tmp_path / "cache", "covid-19")


# --- Nothing in the cache folder is trusted blindly ------------------------------------


def _template_folder(cache: Path) -> Path:
    (folder,) = (cache / "diplobrief").glob("templates-fr-*")
    return folder


def _forge(entry: Path) -> None:
    """Replace a compiled template's code with valid code that prints FORGED."""
    import io
    import marshal
    import pickle

    import jinja2

    stream = io.BytesIO(entry.read_bytes())
    assert stream.read(len(jinja2.bccache.bc_magic)) == jinja2.bccache.bc_magic
    checksum = pickle.load(stream)
    code = jinja2.Environment().compile("FORGED\n", filename=str(entry))
    entry.write_bytes(jinja2.bccache.bc_magic + pickle.dumps(checksum, 2) + marshal.dumps(code))


def test_a_compiled_template_others_could_write_is_not_loaded(tmp_path: Path) -> None:
    """Compiled templates are code: one that others could have written is compiled anew."""
    cache = tmp_path / "cache"
    args = ("syria-humanitarian-access", "--kind", "talking-points", "--lang", "fr")
    golden = ROOT / "tests" / "golden" / "syria-humanitarian-access.talking-points.fr.md"
    _generate(cache, *args)
    entries = list(_template_folder(cache).iterdir())
    for entry in entries:
        _forge(entry)
        entry.chmod(0o666)
    assert _generate(cache, *args) == golden.read_bytes()
    for entry in _template_folder(cache).iterdir():
        assert entry.stat().st_mode & 0o022 == 0  # compiled again, and private again
    # The control: the same forgery, private to the user, is what the cache trusts.
    for entry in _template_folder(cache).iterdir():
        _forge(entry)
        entry.chmod(0o600)
    assert b"FORGED" in _generate(cache, *args)


def test_cache_writes_never_follow_a_planted_link(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ("covid-19", "--lang", "fr")
    _generate(cache, *args)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    planted = []
    for folder in ("catalogs", "dossiers", "repeats"):
        for entry in (cache / "diplobrief" / folder).iterdir():
            entry.unlink()
            entry.symlink_to(victim)
            planted.append(entry)
    for entry in _template_folder(cache).iterdir():
        entry.unlink()
        entry.symlink_to(victim)
        planted.append(entry)
    first = _generate(cache, *args)
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert all(not entry.is_symlink() for entry in planted)
    assert _generate(cache, *args) == first


def test_a_fifo_in_the_cache_does_not_hang(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _generate(cache, "covid-19")
    for folder in ("catalogs", "dossiers", "repeats"):
        for entry in (cache / "diplobrief" / folder).iterdir():
            entry.unlink()
            os.mkfifo(entry)
    assert _generate(cache, "covid-19").startswith(b"---\n")


def test_a_warm_markdown_start_imports_only_what_it_uses(tmp_path: Path) -> None:
    """From a warm cache, `generate` (Markdown) validates nothing again, so pydantic's
    model machinery stays unloaded, and no PDF, DOCX, web or chat library is imported."""
    cache = tmp_path / "cache"
    _generate(cache, "covid-19", "--lang", "fr")
    unused = ["pydantic.main", "weasyprint", "pypandoc", "docx", "flask", "simplemma", "markdown"]
    unused += ["rapidfuzz"]
    code = (
        "import sys\nfrom diplobrief.cli import main\n"
        "try:\n    main(['generate', 'covid-19', '--lang', 'fr'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(set({unused!r}) & set(sys.modules)), file=sys.stderr)\n"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "[]"
    assert result.stdout.encode() == _generate(cache, "covid-19", "--lang", "fr")


# --- Repeats (what a document leaves out as said already) are remembered ------------


@pytest.mark.parametrize(
    "args",
    [
        ("covid-19", "--lang", "fr"),
        ("syria-humanitarian-access", "--kind", "talking-points", "--lang", "nl"),
        ("all", "--kind", "lessons-learned", "--lang", "en"),
    ],
    ids=["briefing-note", "talking-points", "lessons-learned"],
)
def test_a_warm_start_needs_no_fuzzy_matcher(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Which paragraphs repeat others is remembered, so a warm start of an unchanged
    dossier does not import rapidfuzz, and writes the same bytes as the cold one."""
    cache = tmp_path / "cache"
    cold = _generate(cache, *args)
    code = (
        "import sys\nfrom diplobrief.cli import main\n"
        f"try:\n    main(['generate', *{args!r}])\nexcept SystemExit:\n    pass\n"
        "print('rapidfuzz' in sys.modules, file=sys.stderr)\n"
    )
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache), "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "False"
    assert result.stdout.encode() == cold


@pytest.fixture
def repeats_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "diplobrief" / "repeats"


def _talking_points(dossier: Dossier) -> str:
    return render_document(dossier, "covid-19", "talking-points", "fr", DAY).markdown


def _no_matching(text: str, said: list[str], covered_share: float = 0.0) -> bool:
    raise AssertionError("the repeats were worked out again")


def test_remembered_repeats_are_used(
    repeats_cache: Path, dossier: Dossier, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _talking_points(dossier)
    assert len(list(repeats_cache.glob("*.json"))) == 1
    monkeypatch.setattr(render, "_says_again", _no_matching)
    assert _talking_points(dossier) == cold
    # The snapshot's dossier is the same content: the same entry.
    assert _talking_points(snapshot.load_dossier_cached(DEFAULT_DOSSIER)) == cold


@pytest.mark.parametrize(
    ("damage", "resign"),
    [
        (lambda text: text.replace('"note": [', '"note": [["if_raised", 1], ', 1), False),
        (lambda text: text[: len(text) // 2], True),
        (lambda text: text.replace('"said": [', '"said": ["no-such-fact", ', 1), True),
        (lambda text: text.replace('"note": [', '"note": [["summary", 0], ', 1), True),
        (lambda text: text.replace('"note": [', '"note": [["role", true], ', 1), True),
        (lambda text: text.replace('"note": [', '"note": [["role", -1], ', 1), True),
        (lambda text: text.replace('"said": [', '"said": [7, ', 1), True),
        (lambda text: text.replace("{", '{"extra": 1, ', 1), True),
        (lambda text: "[]", True),
    ],
    ids=[
        "checksum",
        "truncated",
        "unknown-fact",
        "unknown-part",
        "bool-index",
        "negative-index",
        "not-an-id",
        "unknown-key",
        "not-a-record",
    ],
)
def test_damaged_repeats_are_a_miss(
    repeats_cache: Path, dossier: Dossier, damage: Any, resign: bool
) -> None:
    """A damaged or forged entry is worked out again, never trusted, and rewritten."""
    cold = _talking_points(dossier)
    (entry,) = repeats_cache.glob("*.json")
    good = entry.read_bytes()
    digest, content = entry.read_text(encoding="utf-8").split("\n", 1)
    damaged = damage(content)
    assert damaged != content
    entry.write_bytes(_signed(damaged) if resign else f"{digest}\n{damaged}".encode())
    assert _talking_points(dossier) == cold
    assert entry.read_bytes() == good


def test_other_content_is_another_entry(
    repeats_cache: Path, dossier_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Entries are keyed by the dossier's content: after an edit the repeats are worked
    out again, and the document is what a fresh cache gives."""
    before = _talking_points(load_dossier(dossier_copy))
    topic = dossier_copy / "topics" / "covid-19.yaml"
    said = "Il a fallu au Conseil trois mois entiers pour parvenir à une résolution sur la COVID."
    text = topic.read_text(encoding="utf-8")
    assert said in text
    topic.write_text(text.replace(said, "Le Conseil a ensuite adopté ses méthodes."), "utf-8")
    edited = _talking_points(load_dossier(dossier_copy))
    assert edited != before
    assert len(list(repeats_cache.glob("*.json"))) == 2
    monkeypatch.setenv("XDG_CACHE_HOME", str(repeats_cache.parent.parent / "fresh"))
    assert _talking_points(load_dossier(dossier_copy)) == edited


def test_repeats_without_a_cache_are_worked_out(repeats_cache: Path, dossier: Dossier) -> None:
    cold = _talking_points(dossier)
    for entry in repeats_cache.iterdir():
        entry.unlink()
    repeats_cache.rmdir()
    repeats_cache.write_text("", encoding="utf-8")  # the folder cannot be made
    assert _talking_points(dossier) == cold
