"""Odd values, special files and hostile keys: `check` names file, key and line, exit 1.

Every value `check` accepts must then render: nothing passes `check` and crashes
`generate` (F5, F6, F7, F11, F12 of issue 14).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from diplobrief.cli import main
from diplobrief.dossier import MAX_TEXT_CHARS, MAX_TITLE_CHARS, load_dossier
from diplobrief.errors import DossierError
from diplobrief.render import render_document
from diplobrief.yamlfile import MAX_EXPANDED_CHARS, MAX_FILE_BYTES, load_yaml

TOPIC = "topics/children-armed-conflict.yaml"
TITLE_EN = "  en: Children and armed conflict\n"
VIOLATIONS = "violations: {type: number, value: 25000}"


def _check(dossier: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--dossier", str(dossier), *extra])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def _replace(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; return the line it starts on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "dossier.yaml",
            "as_of: 2021-01",
            "as_of: 0000-00-00",
            "'0000-00-00' is not a valid date",
        ),
        (
            "dossier.yaml",
            "as_of: 2021-01",
            "as_of: 2019-02-30",
            "'2019-02-30' is not a valid date",
        ),
        (
            "dossier.yaml",
            "as_of: 2021-01",
            "as_of: 2019-13-01",
            "'2019-13-01' is not a valid date",
        ),
        (
            "dossier.yaml",
            "as_of: 2021-01",
            "as_of: 2020-12-31T25:61:00Z",
            "'2020-12-31T25:61:00Z' is not a valid date",
        ),
        (
            "dossier.yaml",
            "id: be-unsc",
            "2019-02-30: x\nid: be-unsc",
            "'2019-02-30' is not a valid date",
        ),
        (TOPIC, "order: 4", "order: " + "9" * 5000, "is not a valid whole number"),
        (TOPIC, "order: 4", 'order: !!int "abc"', "'abc' is not a valid whole number"),
        (TOPIC, "order: 4", 'order: !!int ""', "'' is not a valid whole number"),
        (TOPIC, "order: 4", 'order: !!bool "maybe"', "'maybe' is not a valid true or false"),
        (TOPIC, "order: 4", 'order: !!timestamp "abc"', "'abc' is not a valid date"),
        (TOPIC, "value: 25000", 'value: !!float "abc"', "'abc' is not a valid number"),
        (TOPIC, "value: 25000", "value: 1.0e+308", "values.violations.value (line 34): must be"),
        (
            TOPIC,
            "value: 25000",
            "value: " + "9" * 4000,
            "values.violations.value (line 34): must be",
        ),
        (TOPIC, "value: 25000", "value: .nan", "must be a finite number"),
        (TOPIC, "value: 25000", "value: -.inf", "must be a finite number"),
        (TOPIC, "year: {type: year, value: 2019}", "year: {type: year, value: 0}", "greater than"),
        (
            "dossier.yaml",
            "  end: 2020-12-31",
            "  end: 2018-12-31",
            "term.end (line 20): the term ends before it starts",
        ),
        (
            "dossier.yaml",
            "  end_year: 2008",
            "  end_year: 2006",
            "previous_term.end_year (line 25)",
        ),
        ("dossier.yaml", "month: 2018-06", "month: 0000-06", "the year must be 1 or later"),
        ("dossier.yaml", "id: be-unsc-2019-2020", "id: other", "must match the folder name"),
        # Strict types in nested records: a quoted date, number or "yes" is not one.
        ("dossier.yaml", "  start: 2019-01-01", '  start: "2019-01-01"', "valid date"),
        ("dossier.yaml", "  ordinal: 6", '  ordinal: "6"', "term.ordinal (line 21)"),
        ("dossier.yaml", "  supporting_countries: 181", "  supporting_countries: 181.0", "integer"),
        (
            "topics/belgian-presidency.yaml",
            "    about_source: true",
            "    about_source: yes please",
            "valid boolean",
        ),
        (TOPIC, TITLE_EN, '  en: "   "\n', "title.en (line 6): must not be empty or blank"),
        (TOPIC, TITLE_EN, '  en: "\\t\\n"\n', "title.en (line 6): must not be empty or blank"),
        (
            TOPIC,
            TITLE_EN,
            '  en: "C\\e]0;x\\a\\e[2J"\n',
            "title.en (line 6): control character U+001B",
        ),
        (TOPIC, TITLE_EN, '  en: "C\\x85x"\n', "title.en (line 6): control character U+0085"),
        (TOPIC, TITLE_EN, '  en: "C\\u2028x"\n', "title.en (line 6): control character U+2028"),
        (TOPIC, TITLE_EN, f"  en: {'x' * (MAX_TITLE_CHARS + 1)}\n", f"at most {MAX_TITLE_CHARS}"),
        (
            TOPIC,
            "      en: Belgium chaired the Security Council Working Group on Children",
            "      en: " + "x " * MAX_TEXT_CHARS,
            f"at most {MAX_TEXT_CHARS} characters",
        ),
    ],
)
def test_odd_values_are_one_clean_line(
    dossier_copy: Path, name: str, old: str, new: str, expected: str
) -> None:
    path = dossier_copy / name
    line = _replace(path, old, new)
    code, output = _check(dossier_copy)
    assert code == 1, output
    lines = output.splitlines()
    assert all(item.startswith("Error: ") for item in lines), output
    assert "\x1b" not in output and "\x85" not in output
    match = [item for item in lines if expected in item]
    assert match, output
    assert match[0].startswith(f"Error: {path}: ")
    assert f"line {line}" in match[0] or f"(line {line + 1})" in match[0], match[0]


def test_whitespace_and_control_characters_in_every_language(dossier_copy: Path) -> None:
    path = dossier_copy / "dossier.yaml"
    _replace(path, "  nl: België\n", '  nl: " "\n')
    _replace(path, "author: Bert Versmessen", 'author: "Bert\\x1b[31m"')
    _, output = _check(dossier_copy)
    assert f"{path}: country.nl (line 11): must not be empty or blank" in output
    line = path.read_text(encoding="utf-8").splitlines().index('    author: "Bert\\x1b[31m"') + 1
    assert f"{path}: sources[0].author (line {line}): control character U+001B" in output


def test_the_id_all_is_reserved(dossier_copy: Path) -> None:
    source = dossier_copy / TOPIC
    target = dossier_copy / "topics" / "all.yaml"
    target.write_text(
        source.read_text(encoding="utf-8")
        .replace("id: children-armed-conflict", "id: all", 1)
        .replace("- id: caac-", "- id: all-caac-"),
        encoding="utf-8",
    )
    code, output = _check(dossier_copy)
    assert code == 1
    assert f"Error: {target}: id (line 1): 'all' is reserved (the whole mandate)" in output


def test_pack_manifests_are_checked(dossier_copy: Path) -> None:
    pack = dossier_copy / "packs" / "presidency-february-2020.yaml"
    _replace(pack, "id: presidency-february-2020", "id: presidency")
    _replace(
        pack, "{topic: human-rights, kind: briefing-note}", "{topic: nope, kind: briefing-note}"
    )
    full = dossier_copy / "packs" / "full.yaml"
    text = full.read_text(encoding="utf-8")
    full.write_text(text + "\nextra: 1\n", encoding="utf-8")
    every = len(pack.read_text(encoding="utf-8").splitlines()) + 1
    with pack.open("a", encoding="utf-8") as stream:
        stream.write("every_topic: [briefing-note, briefing-note]\n")
    code, output = _check(dossier_copy)
    assert code == 1
    assert f"{pack}: id (line 1): must match the file name 'presidency-february-2020'" in output
    assert f"{pack}: entries[4].topic (line 19): unknown topic 'nope'" in output
    assert f"{full}: extra (line " in output and "unknown key" in output
    assert f"{pack}: every_topic[1] (line {every}): duplicate kind 'briefing-note'" in output


def test_a_pack_may_not_address_its_own_sender(dossier_copy: Path) -> None:
    """A pack's audience is the 'To' of its documents; the issuing office is their 'From'."""
    pack = dossier_copy / "packs" / "presidency-february-2020.yaml"
    line = _replace(
        pack, "en: Delegation and ministers' offices", "en: Directorate for the United Nations"
    )
    code, output = _check(dossier_copy)
    assert code == 1
    assert (
        f"{pack}: audience.en (line {line}): names the issuing office "
        "'Directorate for the United Nations', which is already the 'From' of every document"
    ) in output


def test_unknown_kinds_in_a_pack_are_named(dossier_copy: Path) -> None:
    pack = dossier_copy / "packs" / "presidency-february-2020.yaml"
    line = _replace(
        pack, "{topic: human-rights, kind: briefing-note}", "{topic: human-rights, kind: memo}"
    )
    code, output = _check(dossier_copy)
    assert code == 1 and f"{pack}: entries[4].kind (line {line})" in output


def test_keys_and_file_names_are_printed_escaped(dossier_copy: Path) -> None:
    topic = dossier_copy / TOPIC
    topic.write_text(
        topic.read_text(encoding="utf-8") + '"x\\e]0;owned\\a\\e[2J": 1\n', encoding="utf-8"
    )
    forged = dossier_copy / "topics" / "a\nError: forged.yaml"
    forged.write_text("id: [\n", encoding="utf-8")
    code, output = _check(dossier_copy)
    assert code == 1
    assert "\x1b" not in output and "\x07" not in output
    assert "x\\x1b]0;owned\\x07\\x1b[2J (line" in output
    assert "Error: forged" not in output.replace("\\nError: forged", "")
    assert all(line.startswith("Error: ") for line in output.splitlines())


def test_special_files_in_the_dossier_are_refused_at_once(dossier_copy: Path) -> None:
    fifo = dossier_copy / "topics" / "fifo.yaml"
    os.mkfifo(fifo)
    zero = dossier_copy / "topics" / "zero.yaml"
    zero.symlink_to("/dev/zero")
    other = dossier_copy.parent / "other"
    other.mkdir()
    (other / "x.yaml").write_text("id: x\n", encoding="utf-8")
    outside = dossier_copy / "topics" / "x.yaml"
    outside.symlink_to(other / "x.yaml")
    started = time.monotonic()
    code, output = _check(dossier_copy)
    assert time.monotonic() - started < 10
    assert code == 1
    assert f"Error: {fifo}: not a regular file (a FIFO); refused" in output
    assert f"Error: {zero}: a symbolic link out of the dossier folder; refused" in output
    assert f"Error: {outside}: a symbolic link out of the dossier folder; refused" in output
    assert "id (line" not in output  # the linked file's keys are never read


def test_a_link_inside_the_dossier_is_followed(dossier_copy: Path) -> None:
    topic = dossier_copy / "topics" / "covid-19.yaml"
    keep = dossier_copy / "archive" / "covid-19.yaml"
    keep.parent.mkdir()
    topic.rename(keep)
    topic.symlink_to(Path("..") / "archive" / "covid-19.yaml")
    assert "covid-19" in load_dossier(dossier_copy).topics


def test_a_huge_file_is_refused_without_being_read(dossier_copy: Path) -> None:
    big = dossier_copy / "topics" / "big.yaml"
    with big.open("wb") as stream:
        stream.truncate(2 * 1024**3)  # sparse: 2 GB that cost nothing to make
    started = time.monotonic()
    code, output = _check(dossier_copy)
    assert time.monotonic() - started < 10
    assert code == 1
    assert f"Error: {big}: larger than the limit of {MAX_FILE_BYTES} bytes" in output


def test_alias_expansion_of_text_is_budgeted(tmp_path: Path) -> None:
    """A 100 KB string referenced 30 times would be 3 MB of text: refused."""
    path = tmp_path / "x.yaml"
    path.write_text(f"a: &x {'y' * 100_000}\nb: [{', '.join(['*x'] * 30)}]\n", encoding="utf-8")
    with pytest.raises(DossierError) as info:
        load_yaml(path)
    (problem,) = info.value.problems
    assert problem.startswith(f"{path}: line ")
    assert problem.endswith(f"more than {MAX_EXPANDED_CHARS} characters of text (alias expansion?)")


def test_check_source_is_bounded_and_decoded(tmp_path: Path, dossier_copy: Path) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("ok\nBelgi\xeb\n".encode("latin-1"))
    code, output = _check(dossier_copy, "--source", str(latin))
    assert code == 1 and output == f"Error: {latin}: line 2: not valid UTF-8\n"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, output = _check(dossier_copy, "--source", str(fifo))
    assert code == 1 and output == f"Error: {fifo}: not a regular file (a FIFO); refused\n"


# A family of numbers and dates: accepted ones render, refused ones are clean errors.
numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**3000), max_value=10**3000),
    st.integers(min_value=-10, max_value=10**6),
)
dates = st.tuples(
    st.integers(min_value=0, max_value=9999),
    st.integers(min_value=0, max_value=13),
    st.integers(min_value=0, max_value=32),
)


def _rewrite(dossier: Path, name: str, old: str, new: str) -> str:
    path = dossier / name
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    return original


@given(numbers)
def test_any_number_is_refused_cleanly_or_rendered(fuzz_dossier: Path, number: float) -> None:
    text = yaml.safe_dump(number).removesuffix("\n...\n").strip()
    original = _rewrite(
        fuzz_dossier, TOPIC, VIOLATIONS, f"violations: {{type: number, value: {text}}}"
    )
    try:
        dossier = load_dossier(fuzz_dossier)
    except DossierError as exc:
        assert all(f"{fuzz_dossier / TOPIC}: " in problem for problem in exc.problems)
    else:
        for lang in ("nl", "fr", "en"):
            render_document(dossier, "children-armed-conflict", "briefing-note", lang)
    finally:
        (fuzz_dossier / TOPIC).write_text(original, encoding="utf-8")


@given(dates)
def test_any_date_is_refused_cleanly_or_rendered(
    fuzz_dossier: Path, date: tuple[int, int, int]
) -> None:
    year, month, day = date
    original = _rewrite(
        fuzz_dossier, "dossier.yaml", "as_of: 2021-01", f"as_of: {year:04}-{month:02}-{day:02}"
    )
    try:
        dossier = load_dossier(fuzz_dossier)
    except DossierError as exc:
        assert all(f"{fuzz_dossier / 'dossier.yaml'}: " in p for p in exc.problems)
    else:
        render_document(dossier, "covid-19", "talking-points", "fr")
    finally:
        (fuzz_dossier / "dossier.yaml").write_text(original, encoding="utf-8")


@pytest.fixture(scope="module")
def fuzz_dossier(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from diplobrief.paths import DEFAULT_DOSSIER

    target = tmp_path_factory.mktemp("fuzz") / DEFAULT_DOSSIER.name
    shutil.copytree(DEFAULT_DOSSIER, target)
    return target
