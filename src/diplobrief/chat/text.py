"""Text normalisation shared by language identification, understanding and retrieval.

Users type without accents, with typos, in any case, with control characters pasted in;
everything the chat compares goes through ``fold`` and ``words`` first, so both sides of
every comparison are normalised the same way.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter plus accent.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
# A digit group separator between digits, as nl (25.000), en (25,000) and fr (25 000) write.
_DIGIT_GROUP = re.compile(r"(?<=\d)[.,\u00a0\u202f ](?=\d{3}(?!\d))")
# Words: runs of letters or digits in any script; apostrophes and hyphens split them, so
# "l'ONU" gives "l", "onu" and "stake-outs" gives "stake", "outs".
_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def clean(text: str) -> str:
    """NFC text without control or invisible formatting characters, spaces collapsed."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def fold(text: str) -> str:
    """Lower case without accents: 'Mallí' and 'malli', 'Syrië' and 'syrie' compare equal."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of a text, with digit groups joined ('25.000' gives '25000')."""
    return _WORD.findall(_DIGIT_GROUP.sub("", fold(text)))


def phrase(text: str) -> str:
    """A folded text as single-spaced words, for whole-word phrase matching."""
    return " ".join(words(text))


def raw_words(text: str) -> list[str]:
    """The lower-case words of a text with their accents, as dictionaries spell them."""
    return _WORD.findall(unicodedata.normalize("NFC", text).casefold())


# "6th", "6de", "6e", "1er", "1re", "2nd": a rank, not a code name.
_ORDINAL = re.compile(r"\d+(st|nd|rd|th|de|ste|e|er|re|ere|eme|ème|ième|ieme)", re.IGNORECASE)


def code_name(word: str) -> bool:
    """Letters and digits together name a thing ("5G", "G7", "P5"), unless a rank."""
    return (
        any(char.isdigit() for char in word)
        and any(char.isalpha() for char in word)
        and not _ORDINAL.fullmatch(word)
    )
