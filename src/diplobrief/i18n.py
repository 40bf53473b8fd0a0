"""Languages, gettext catalogs and Babel formatting for nl_BE, fr_BE and en_GB."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import re
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel import __version__ as babel_version
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import Translations

from diplobrief.cache import read_regular
from diplobrief.dossier import (
    LANGUAGES,
    PLACEHOLDER,
    DateValue,
    MonthValue,
    NameValue,
    NumberValue,
    OrdinalValue,
    ResolutionValue,
    Value,
    YearsValue,
    YearValue,
)
from diplobrief.errors import CatalogError, OutputError, UsageProblem
from diplobrief.output import write_atomic
from diplobrief.paths import LOCALES_DIR, private_cache_folder

LOCALES = {"nl": "nl_BE", "fr": "fr_BE", "en": "en_GB"}
# A compiled catalog is a few kilobytes; a cached one far larger is not ours.
MAX_CATALOG_BYTES = 1 << 24
DEFAULT_LANGUAGE = "en"

# Ordinal suffixes by CLDR ordinal plural category; Babel knows the categories
# but not the suffixes.
_ORDINAL_SUFFIX = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
    "fr": {"one": "er", "other": "e"},
}


def _dutch_ordinal_suffix(number: int) -> str:
    """Dutch writes 1ste, 8ste and 20ste upwards, but 2de-7de and 9de-19de."""
    rest = number % 100
    return "ste" if rest in (1, 8) or rest >= 20 else "de"


_FRENCH_SPACING = [
    (re.compile(r"\s+([;!?])"), "\u202f\\1"),
    (re.compile(r"\s+:"), "\u00a0:"),
    (re.compile(r"«\s*"), "«\u202f"),
    (re.compile(r"\s*»"), "\u202f»"),
]


# Straight apostrophes between letters (l'ONU, d'évacuation, Council's) or closing a
# word (ministers' offices) become typographic ones; number ranges take an en dash
# (2019–2020, pages 9–14); French sets English double quotes as « » with narrow no-break spaces.
_APOSTROPHE = re.compile(r"(?<=\w)'")
_RANGE = re.compile(r"(?<![\w.,/-])(\d{1,4})-(\d{1,4})(?![\w/-])")
_FRENCH_QUOTES = re.compile(r"“\s*([^“”]*?)\s*”")
# A quoted passage, marks included: “…” or « … ».
_QUOTED = re.compile(r"(“[^“”]*”|«[^«»]*»)")


def normalize_language(value: str) -> str:
    """Accept ``NL``, ``nl-BE``, ``fr_BE``, ``French``, ``Nederlands``, ``néerlandais``…

    Anything else raises UsageProblem with the closest name or code.
    """
    code = re.split(r"[-_]", value.strip(), maxsplit=1)[0].lower()
    if code in LANGUAGES:
        return code
    from diplobrief.resolve import closest, fold

    names = language_names()
    found = names.get(fold(value))
    if found is not None:
        return found
    spellings = {name: name for name in names if len(name) > 2}
    near = closest(value, spellings, cutoff=70, whole=True)
    hint = (
        f"Did you mean '{near}' ({names[near]})?"
        if near
        else f"Choose one of: {', '.join(LANGUAGES)}."
    )
    raise UsageProblem(f"Unknown language '{value}'.", hint)


@lru_cache(maxsize=1)
def language_names() -> dict[str, str]:
    """Every name of nl, fr and en in the three languages (CLDR, via Babel), folded."""
    from diplobrief.resolve import fold

    names = {code: code for code in LANGUAGES}
    for lang in LANGUAGES:
        for key, name in Locale.parse(lang).languages.items():
            base = key.split("_")[0]
            if base in LANGUAGES:
                names.setdefault(fold(name), base)
    return names


def babel_locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def catalog_path(lang: str, locales_dir: Path = LOCALES_DIR) -> Path:
    return locales_dir / lang / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=8)
def translations(lang: str, locales_dir: Path = LOCALES_DIR) -> Translations:
    """The committed ``.po`` catalog, compiled in memory (no ``.mo`` files to keep in
    sync); the compiled form is remembered in the user cache, by the catalog's hash."""
    path = catalog_path(lang, locales_dir)
    try:
        source = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError(f"{path}: catalog not found") from None
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror}") from None
    digest = hashlib.sha256(source + babel_version.encode()).hexdigest()[:32]
    folder = private_cache_folder("catalogs")
    compiled = folder / f"{lang}-{digest}.mo" if folder else None
    if compiled is not None:
        try:
            data = read_regular(compiled, MAX_CATALOG_BYTES)
            return Translations(io.BytesIO(data), domain="messages")
        except (OSError, ValueError, LookupError, struct.error):
            pass  # not there yet, or damaged: compile again
    data = _compile_catalog(path, source, lang)
    if compiled is not None:
        with contextlib.suppress(OutputError):
            write_atomic(compiled, data, follow_symlinks=False)
    return Translations(io.BytesIO(data), domain="messages")


def _compile_catalog(path: Path, source: bytes, lang: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalog = read_po(io.BytesIO(source), locale=LOCALES[lang], abort_invalid=True)
    except (PoFileError, ValueError) as exc:
        raise CatalogError(f"{path}: {exc}") from None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def gettext(lang: str, message: str) -> str:
    return translations(lang).ugettext(message)


def check_catalogs(locales_dir: Path = LOCALES_DIR) -> list[str]:
    """Every untranslated, fuzzy or unreadable entry in the nl/fr/en catalogs."""
    from babel.messages.pofile import PoFileError, read_po

    problems = []
    for lang in LANGUAGES:
        path = catalog_path(lang, locales_dir)
        try:
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=LOCALES[lang], abort_invalid=True)
        except FileNotFoundError:
            problems.append(f"{path}: catalog not found")
            continue
        except (PoFileError, ValueError) as exc:
            problems.append(f"{path}: {exc}")
            continue
        for message in catalog:
            if not message.id:
                continue
            where = f"{path}: msgid {message.id!r} (line {message.lineno})"
            if message.fuzzy:
                problems.append(f"{where}: fuzzy translation")
            elif not message.string or (
                isinstance(message.string, tuple) and not all(message.string)
            ):
                problems.append(f"{where}: not translated")
    return problems


def format_number(number: float, lang: str) -> str:
    return format_decimal(number, locale=LOCALES[lang])


def format_long_date(date: dt.date, lang: str) -> str:
    """``1 January 2019``; French writes the first of the month ``1er``."""
    text = format_date(date, format="long", locale=LOCALES[lang])
    if lang == "fr" and date.day == 1:
        text = "1er" + text[1:]
    return text


def format_month(date: dt.date, lang: str) -> str:
    return format_date(date, format="MMMM y", locale=LOCALES[lang])


def format_list(items: list[str], lang: str) -> str:
    """``4, 9 and 12`` in the language's own form."""
    from babel.lists import format_list as babel_format_list

    return babel_format_list(items, locale=babel_locale(lang))


def format_ordinal(number: int, lang: str) -> str:
    if lang == "nl":
        return f"{number}{_dutch_ordinal_suffix(number)}"
    category = babel_locale(lang).ordinal_form(number)
    suffixes = _ORDINAL_SUFFIX[lang]
    return f"{number}{suffixes.get(category, suffixes['other'])}"


# Documents spell out small numbers in running text (two to nine: "one" would need
# the noun's gender in French, and figures from ten up stay figures).
_CARDINAL_WORDS = {
    "nl": ["twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"],
    "fr": ["deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
    "en": ["two", "three", "four", "five", "six", "seven", "eight", "nine"],
}
_ORDINAL_WORDS = {
    "nl": ["tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende"],
    "fr": [
        "deuxième",
        "troisième",
        "quatrième",
        "cinquième",
        "sixième",
        "septième",
        "huitième",
        "neuvième",
    ],
    "en": ["second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"],
}


def _small(number: float) -> int | None:
    """The index into the word lists for a whole number from two to nine."""
    return int(number) - 2 if number == int(number) and 2 <= number <= 9 else None


def spell_number(number: float, lang: str) -> str:
    index = _small(number)
    return _CARDINAL_WORDS[lang][index] if index is not None else format_number(number, lang)


def spell_ordinal(number: int, lang: str) -> str:
    index = _small(number)
    return _ORDINAL_WORDS[lang][index] if index is not None else format_ordinal(number, lang)


def format_value(value: Value, lang: str, words: bool = False) -> str:
    """Format one structured fact value the way the language writes it; with ``words``
    (documents' running text), numbers from two to nine are spelled out."""
    match value:
        case NumberValue():
            return spell_number(value.value, lang) if words else format_number(value.value, lang)
        case YearValue() | ResolutionValue():
            return str(value.value)
        case OrdinalValue():
            return spell_ordinal(value.value, lang) if words else format_ordinal(value.value, lang)
        case DateValue():
            return format_long_date(value.value, lang)
        case MonthValue():
            return format_month(value.first_day, lang)
        case YearsValue():
            return f"{value.start}-{value.end}"
        case NameValue():
            return str(getattr(value, lang))
    raise TypeError(value)  # unreachable: the union above is exhaustive


def fill(text: str, values: dict[str, Value], lang: str, words: bool = False) -> str:
    """Replace ``{name}`` placeholders with formatted values and set the language's spacing."""
    filled = PLACEHOLDER.sub(lambda match: format_value(values[match.group(1)], lang, words), text)
    return typography(filled, lang)


def colon(lang: str) -> str:
    """The label colon: French sets a no-break space before it."""
    return "\u00a0:" if lang == "fr" else ":"


@dataclass(frozen=True)
class Names:
    """What a dossier's own texts, in one language, write with a capital in mid-sentence
    (names, titles, acronyms: "België", "Sa Majesté", "De Croo"), as single words and as
    two-word openings, and the words and openings they also write in lower case."""

    capitalised: frozenset[str] = frozenset()
    pairs: frozenset[str] = frozenset()
    lower: frozenset[str] = frozenset()
    lower_pairs: frozenset[str] = frozenset()


NO_NAMES = Names()
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = frozenset('.!?:;«“"(')


def names_in(texts: Iterable[str]) -> Names:
    """The names of ``texts``: a word with a capital that does not open a sentence (nor
    follow a colon, a quotation mark or a parenthesis, which may open one too)."""
    capitalised: set[str] = set()
    pairs: set[str] = set()
    lower: set[str] = set()
    lower_pairs: set[str] = set()
    for text in texts:
        words = list(_WORD.finditer(text))
        for index, match in enumerate(words):
            word = match.group()
            pair = f"{word} {words[index + 1].group()}" if index + 1 < len(words) else ""
            if not word[0].isupper():
                lower.add(word)
                lower_pairs.add(pair)
                continue
            before = text[: match.start()].rstrip()
            if not before or before[-1] in _SENTENCE_BREAK:
                continue
            capitalised.add(word)
            pairs.add(pair)
    return Names(*(frozenset(found) for found in (capitalised, pairs, lower, lower_pairs)))


def after_label(text: str, lang: str, names: Names = NO_NAMES) -> str:
    """The text after a label's colon: in French and Dutch it starts lower case
    (« Message clé 1 : la résolution… », "Kernboodschap 1: de resolutie…"), unless it
    opens with a name: an acronym, or a word or two-word opening that the dossier
    (``names``) capitalises in mid-sentence and never writes in lower case (België,
    Kuwait; Sa Majesté, De Croo, Internationaal Strafhof)."""
    if lang not in ("fr", "nl"):
        return text
    words = _WORD.findall(text)
    if not words or not words[0][0].isupper() or not text.startswith(words[0]):
        return text
    first = words[0]
    lowered = first[0].lower() + first[1:]
    pair = " ".join(words[:2]) if len(words) > 1 else ""
    acronym = any(char.isupper() for char in first[1:])
    named = first in names.capitalised and lowered not in names.lower
    named_pair = (
        bool(pair)
        and pair in names.pairs
        and f"{lowered}{pair[len(first) :]}" not in names.lower_pairs
    )
    if acronym or named or named_pair:
        return text
    return text[0].lower() + text[1:]


def typography(text: str, lang: str) -> str:
    """French puts (narrow) no-break spaces before high punctuation and inside « »."""
    if lang != "fr":
        return text
    for pattern, replacement in _FRENCH_SPACING:
        text = pattern.sub(replacement, text)
    return text


def typeset_markdown(markdown: str, lang: str) -> str:
    """``typeset`` on a Markdown document, line by line (French spacing never joins
    lines), leaving the YAML front matter as written."""
    head, text = "", markdown
    if markdown.startswith("---\n"):
        end = markdown.index("\n---\n", 4) + len("\n---\n")
        head, text = markdown[:end], markdown[end:]
    return head + "\n".join(typeset(line, lang) for line in text.split("\n"))


def outside_quotes(text: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the text outside quotation marks only: a quoted passage is
    the source's own words, byte for byte (its hyphens stay hyphens)."""
    parts = _QUOTED.split(text)
    return "".join(part if index % 2 else change(part) for index, part in enumerate(parts))


def typeset(text: str, lang: str, quoted: bool = False) -> str:
    """Typography for running text: one apostrophe style, en dashes in number ranges,
    French « » quotes and spacing. Applied to every line of a Markdown document after
    its front matter and to every text node of the print HTML, so the two read alike
    and authors never set it by hand. Idempotent. Text inside quotation marks, or all
    of it when ``quoted`` (a source quote on its own), keeps its apostrophes and
    hyphens as the source has them."""
    if not quoted:
        text = outside_quotes(
            text, lambda part: _RANGE.sub("\\1\u2013\\2", _APOSTROPHE.sub("\u2019", part))
        )
    if lang == "fr":
        text = _FRENCH_QUOTES.sub("«\u202f\\1\u202f»", text)
    return typography(text, lang)
