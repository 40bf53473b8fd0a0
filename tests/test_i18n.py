"""Catalogs are complete and current; Babel formats the three locales."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from diplobrief import i18n
from diplobrief.dossier import MonthValue, NumberValue, OrdinalValue, YearsValue


def test_catalogs_have_no_untranslated_or_fuzzy_entries() -> None:
    assert i18n.check_catalogs() == []


def test_untranslated_and_fuzzy_entries_are_detected(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", locales)
    nl = locales / "nl" / "LC_MESSAGES" / "messages.po"
    text = nl.read_text(encoding="utf-8")
    text = text.replace('msgstr "Achtergrond"', 'msgstr ""')
    text = text.replace('msgid "Reference"', '#, fuzzy\nmsgid "Reference"')
    nl.write_text(text, encoding="utf-8")
    problems = i18n.check_catalogs(locales)
    assert any("'Background'" in p and "not translated" in p for p in problems)
    assert any("'Reference'" in p and "fuzzy" in p for p in problems)


def test_catalogs_match_the_sources(tmp_path: Path) -> None:
    """Extracting again and updating would change nothing."""
    pot = tmp_path / "messages.pot"
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    subprocess.run(
        [
            *pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--sort-output",
            "-k",
            "N_",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    committed = (ROOT / "locales" / "messages.pot").read_text(encoding="utf-8")
    fresh = pot.read_text(encoding="utf-8")
    assert _without_date(fresh) == _without_date(committed), "run scripts/catalogs.sh"
    result = subprocess.run(
        [
            *pybabel,
            "update",
            "--check",
            "-i",
            str(ROOT / "locales" / "messages.pot"),
            "-d",
            str(ROOT / "locales"),
            "--no-fuzzy-matching",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _without_date(pot: str) -> list[str]:
    return [line for line in pot.splitlines() if not line.startswith('"POT-Creation-Date')]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("nl", "nl"), ("NL", "nl"), ("nl-BE", "nl"), ("fr_BE", "fr"), ("en-GB", "en"), (" EN ", "en")],
)
def test_language_normalization(raw: str, expected: str) -> None:
    assert i18n.normalize_language(raw) == expected


def test_unknown_language() -> None:
    with pytest.raises(i18n.UsageProblem):
        i18n.normalize_language("de")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (NumberValue(type="number", value=25000), ("25.000", "25\u202f000", "25,000")),
        (OrdinalValue(type="ordinal", value=6), ("6de", "6e", "6th")),
        (OrdinalValue(type="ordinal", value=1), ("1ste", "1er", "1st")),
        (OrdinalValue(type="ordinal", value=8), ("8ste", "8e", "8th")),
        (OrdinalValue(type="ordinal", value=13), ("13de", "13e", "13th")),
        (OrdinalValue(type="ordinal", value=22), ("22ste", "22e", "22nd")),
        (MonthValue(type="month", value="2018-06"), ("juni 2018", "juin 2018", "June 2018")),
        (YearsValue(type="years", start=2037, end=2038), ("2037-2038",) * 3),
    ],
)
def test_value_formatting(value: object, expected: tuple[str, str, str]) -> None:
    assert tuple(i18n.format_value(value, lang) for lang in ("nl", "fr", "en")) == expected  # type: ignore[arg-type]


def test_long_dates() -> None:
    day = dt.date(2019, 1, 1)
    assert [i18n.format_long_date(day, lang) for lang in ("nl", "fr", "en")] == [
        "1 januari 2019",
        "1er janvier 2019",
        "1 January 2019",
    ]
