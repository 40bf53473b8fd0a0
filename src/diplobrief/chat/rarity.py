"""How common a word is in general Dutch, French and English (wordfreq's lists).

A word of a question that the dossier does not hold is either how the question is put
("shapes", "gained", "veld", "devenu": common words, which weigh little) or a thing the
dossier does not know ("Guterres", "inwoners" of a country, "budget": it must weigh
enough that no fact answers). The share of general language a word takes tells the two
apart without a hand-made list: wordfreq's Zipf scale (log10 of a word's frequency per
billion words; "the" is 7.7, a word seen once per million words is 3).

wordfreq and its lists (~1 s to import and read) are used when the index is built; the
index stores the folded words of Zipf 3 or more in buckets of a quarter point (``table``),
and a question's words are looked up there (``Rarity``), never in wordfreq itself.
"""

from __future__ import annotations

from functools import lru_cache

from diplobrief.chat.text import words
from diplobrief.dossier import LANGUAGES

# Buckets per Zipf point: a word's frequency is stored to a quarter point.
STEPS = 4
# The lists' floor: a word rarer than this (or absent) is as rare as can be.
LIST_FLOOR = 3.0
# A word at or below RARE_ZIPF names a thing: it keeps its full weight. A word at or
# above COMMON_ZIPF is general language and weighs FLOOR; in between, in proportion.
RARE_ZIPF = 3.0
COMMON_ZIPF = 4.5
# A word of this Zipf frequency or more is in nearly every text ("bon", "jaar", "plus"):
# matching it shows nothing about what a question asks.
COMMONEST_ZIPF = 5.5


def table() -> dict[str, str]:
    """Zipf bucket (as text) → the folded words of that frequency, space-separated, with
    a space at each end; a word's bucket is its highest in the three languages."""
    import wordfreq

    best: dict[str, float] = {}
    for lang in LANGUAGES:
        for entry, frequency in wordfreq.get_frequency_dict(lang, "small").items():
            found = words(entry)
            if len(found) != 1:
                continue
            zipf = wordfreq.freq_to_zipf(frequency)
            if zipf >= LIST_FLOOR and zipf > best.get(found[0], 0.0):
                best[found[0]] = zipf
    buckets: dict[int, list[str]] = {}
    for word, zipf in best.items():
        buckets.setdefault(int(zipf * STEPS), []).append(word)
    return {str(step): " " + " ".join(sorted(found)) + " " for step, found in buckets.items()}


class Rarity:
    """Look-ups in a stored ``table``, commonest bucket first (common words stop early)."""

    def __init__(self, stored: dict[str, str]) -> None:
        self.buckets = sorted(((int(step), text) for step, text in stored.items()), reverse=True)
        if not all(text.startswith(" ") and text.endswith(" ") for _, text in self.buckets):
            raise ValueError("index state: a word-frequency bucket is malformed")
        self.zipf = lru_cache(maxsize=65536)(self._zipf)

    def _zipf(self, word: str) -> float:
        """A folded word's Zipf frequency; 0 for a word rarer than the lists hold."""
        needle = f" {word} "
        for step, text in self.buckets:
            if needle in text:
                return step / STEPS
        return 0.0

    def specificity(self, word: str, floor: float) -> float:
        """1 for a rare word, ``floor`` for a common one, in proportion in between."""
        zipf = self.zipf(word)
        if zipf <= RARE_ZIPF:
            return 1.0
        if zipf >= COMMON_ZIPF:
            return floor
        return 1.0 - (1.0 - floor) * (zipf - RARE_ZIPF) / (COMMON_ZIPF - RARE_ZIPF)
