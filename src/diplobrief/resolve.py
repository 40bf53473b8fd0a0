"""Forgiving input: what the user typed, matched to what the program knows.

Case-insensitive choices with a suggestion, the output format from a file's
extension, dates that say why they do not exist, and dossier folders checked
before anything is loaded. The CLI and the web app call these; none knows Click.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from diplobrief.errors import UsageProblem
from diplobrief.paths import BRIEFINGS_DIR

FORMATS = ("md", "html", "pdf", "docx")
# Formats that are bytes, not text; they need -o (a file, or "-" for stdout).
BINARY_FORMATS = ("pdf", "docx")
PACK_FORMATS = BINARY_FORMATS
_EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"} | {
    f".{name}": name for name in BINARY_FORMATS
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
STDOUT = "-"


def fold(text: str) -> str:
    """Compare forgivingly: case, accents, hyphens and runs of spaces do not count."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[-_/]+", " ", plain).split())


def closest(
    value: str, names: Mapping[str, str], cutoff: float = 60, whole: bool = False
) -> str | None:
    """The canonical value whose name (any spelling) is closest to ``value``.

    ``whole`` compares whole words only, so a short code cannot match a part of a name.
    """
    from rapidfuzz import fuzz, process, utils

    scorer = fuzz.ratio if whole else fuzz.WRatio
    best = process.extractOne(
        fold(value), list(names), scorer=scorer, processor=utils.default_process
    )
    return names[best[0]] if best and best[1] >= cutoff else None


def did_you_mean(value: str, names: Mapping[str, str], choices: Iterable[str]) -> str:
    """``Did you mean 'x'?`` for the closest choice, or the list of choices."""
    match = closest(value, names)
    if match is not None:
        return f"Did you mean '{match}'?"
    return f"Choose one of: {', '.join(choices)}."


def match_choice(value: str, choices: Iterable[str], what: str) -> str:
    """``PDF`` for ``pdf``, ``Briefing-Note`` for ``briefing-note``; else a suggestion."""
    options = list(choices)
    by_fold = {fold(option): option for option in options}
    found = by_fold.get(fold(value))
    if found is not None:
        return found
    raise UsageProblem(f"Unknown {what} '{value}'.", did_you_mean(value, by_fold, options))


def format_of(output: str | Path | None) -> str | None:
    """The format an output file's extension names (``x.pdf`` → ``pdf``), if any."""
    if output is None or str(output) == STDOUT:
        return None
    return _EXTENSIONS.get(Path(output).suffix.lower())


def _pick(
    requested: str | None, output: str | Path | None, default: str, allowed: tuple[str, ...]
) -> str:
    implied = format_of(output)
    implied = implied if implied in allowed else None
    if requested is not None and implied is not None and requested != implied:
        raise UsageProblem(
            f"-f {requested} does not match the output file '{output}' (a .{implied} name).",
            f"Drop -f, or name the output '{Path(str(output)).stem}.{requested}'.",
        )
    return requested or implied or default


def output_format(requested: str | None, output: str | Path | None) -> str:
    """``-f`` if given, else the output's extension, else Markdown; a clash is refused."""
    fmt = _pick(requested, output, "md", FORMATS)
    if fmt in BINARY_FORMATS and output is None:
        raise UsageProblem(
            f"{fmt.upper()} output needs -o FILE.{fmt}.", f"Or -o {STDOUT} for standard output."
        )
    return fmt


def pack_format(requested: str | None, output: str | Path | None) -> str:
    """A pack's format: ``-f``, else the output's extension (.pdf, .docx), else PDF."""
    return _pick(requested, output, "pdf", PACK_FORMATS)


def parse_date(value: str) -> dt.date:
    """An ISO date; a well-formed date that does not exist says why."""
    match = _ISO_DATE.match(value.strip())
    if match is None:
        raise UsageProblem(f"'{value}' is not a date.", "Write it as YYYY-MM-DD, e.g. 2020-02-07.")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise UsageProblem(f"{value} does not exist: there is no month {month}.")
    if year < 1:
        raise UsageProblem(f"{value} does not exist: there is no year {year}.")
    length = calendar.monthrange(year, month)[1]
    if not 1 <= day <= length:
        name = dt.date(year, month, 1).strftime("%B")
        raise UsageProblem(f"{value} does not exist: {name} {year} has {length} days.")
    return dt.date(year, month, day)


def dossier_folder(path: Path) -> Path:
    """A folder that looks like a dossier; a missing, wrong or empty one is a usage error."""
    guide = BRIEFINGS_DIR / "README.md"
    try:
        exists, is_dir = path.exists(), path.is_dir()
        empty = is_dir and not (path / "dossier.yaml").exists() and not (path / "topics").exists()
    except OSError as exc:
        raise UsageProblem(f"{path}: cannot open: {exc.strerror}.", "Check --dossier.") from None
    if not exists:
        raise UsageProblem(f"{path}: no such dossier folder.", "Check --dossier.")
    if not is_dir:
        raise UsageProblem(f"{path}: is a file, not a dossier folder.", "Check --dossier.")
    if empty:
        raise UsageProblem(
            f"{path}: no dossier here (no dossier.yaml, no topics/).",
            f"How to write one: {guide if guide.is_file() else 'briefings/README.md'}.",
        )
    return path
