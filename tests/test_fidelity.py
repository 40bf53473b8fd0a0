"""Fidelity to the article in every rendered document: tense, quotes, wording."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import KINDS, LANGS, TOPIC_IDS

from diplobrief.dossier import Dossier, normalize_space
from diplobrief.render import escape_markdown, render_document

# Adverbs that anchor a sentence to the day it is read. The article was written right
# after the term; a document made years later must date such facts ("by the end of the
# term"), never state them as today's truth. Belgium's standing positions ("we remain
# of the view", "Belgium is convinced") are stated in the present, as the article states
# them; the not-for-use block carries the caveat that they are as of early 2021.
TIME_OF_READING = {
    "en": ["now", "nowadays", "currently", "today"],
    "nl": ["intussen", "nu", "tegenwoordig", "vandaag"],
    "fr": ["désormais", "actuellement", "aujourd'hui"],
}


def _body(text: str) -> str:
    """The document without its footnote definitions (which quote the article verbatim)."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("[^"))


def _documents() -> list[tuple[str, str]]:
    cases = [(topic, kind) for topic in TOPIC_IDS for kind in KINDS]
    return [*cases, ("all", "lessons-learned")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("topic", "kind"), _documents())
def test_nothing_time_bound_reads_as_true_today(
    dossier: Dossier, topic: str, kind: str, lang: str
) -> None:
    body = _body(render_document(dossier, topic, kind, lang).markdown).casefold()
    for word in TIME_OF_READING[lang]:
        assert not re.search(rf"(?<![\w']){re.escape(word)}(?![\w'])", body), word


_NOTE_DEFINITION = re.compile(
    r"^\[\^([a-z0-9-]+)\]: .*?(?:“|«\u202f)([^“”«»]*)(?:”|\u202f»)$", re.M
)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("topic", "kind"), _documents())
def test_footnote_quotes_are_the_articles_own_bytes(
    dossier: Dossier, source_path: Path, topic: str, kind: str, lang: str
) -> None:
    """Typesetting never reaches into a quote: the article's hyphens, apostrophes and
    dashes stay as they are (``2007-2008``, not ``2007–2008``)."""
    text = render_document(dossier, topic, kind, lang).markdown
    notes = _NOTE_DEFINITION.findall(text)
    assert notes and len(notes) == text.count("\n[^")
    article = normalize_space(source_path.read_text(encoding="utf-8"))
    for fact_id, quote in notes:
        assert quote == escape_markdown(dossier.facts[fact_id].source.quote), fact_id
        assert normalize_space(dossier.facts[fact_id].source.quote) in article, fact_id


def test_the_source_title_has_one_form(dossier: Dossier) -> None:
    text = render_document(dossier, "mandate-overview", "briefing-note", "en").markdown
    titles = set(re.findall(r"\*(België in de Veiligheidsraad [^*]+)\*", text))
    assert len(titles) == 1, titles


# Situations of the term told in the present tense: in a document made years later they
# would read as today's facts (a candidacy still running, "this period" for the years
# since 2008). Positions (convictions, "part of our diplomatic DNA") are not situations:
# they stay present; nor are the article's illustrations in the generic present ("when
# the Council looks for solutions in Mali, that affects our peacekeepers", REVIEW r10
# B1, r11 B1).
PRESENT_OF_THE_TERM = {
    "en": [
        "is a candidate",
        "are a candidate",
        "is standing again",
        "feel the difference",
        "in this period",
        # Views of 2020/21 a note dated years later must anchor in the term. How the
        # Council works (room for accents, a sovereignty camp) is the article's generic
        # present, dated by the positions caveat every note and lessons document carries
        # (REVIEW r13 B7, r15 B5).
        "remains part of",
        "remains above all",
        "remains first and foremost",
    ],
    "nl": [
        "is kandidaat",
        "zijn kandidaat",
        "stelt zich opnieuw kandidaat",
        "merken vele",
        "in deze periode",
        "blijft multilateralisme",
        "blijft in de eerste plaats",
        "blijft een zetel",
    ],
    "fr": [
        "est candidate",
        "sommes candidats",
        "se porte à nouveau candidate",
        "le ressentent",
        "au cours de cette période",
        "reste inscrit",
        "reste avant tout",
    ],
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("topic", "kind"), _documents())
def test_the_terms_situations_are_told_in_the_past(
    dossier: Dossier, topic: str, kind: str, lang: str
) -> None:
    body = _body(render_document(dossier, topic, kind, lang).markdown).casefold()
    for phrase in PRESENT_OF_THE_TERM[lang]:
        assert phrase not in body, phrase


# Wording the review barred: an English calque that signals scepticism ("so-called"), a
# quote cut before the words that give it meaning, a French « dit » calque.
BARRED_WORDING = {
    "en": ["so-called", "lesson that was learned", "and one we chose ourselves"],
    "nl": ["de les die werd geleerd.", "en een die wij zelf kozen"],
    "fr": ["événement dit", "leçon qui a été tirée.", "et un rôle que nous avons choisi"],
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("topic", "kind"), _documents())
def test_barred_wording_is_absent(dossier: Dossier, topic: str, kind: str, lang: str) -> None:
    body = _body(render_document(dossier, topic, kind, lang).markdown).casefold()
    for phrase in BARRED_WORDING[lang]:
        assert phrase not in body, phrase


@pytest.mark.parametrize(("topic", "kind"), _documents())
def test_dutch_says_persmomenten_and_glosses_stake_outs_once(
    dossier: Dossier, topic: str, kind: str
) -> None:
    """GLOSSARY: stake-out is "persmoment" in Dutch; the English word appears once per
    document, as the gloss at first use: "EU-persmomenten (zogeheten stake-outs)", or in
    a spoken line, which has no parentheses, "persmomenten …, de zogeheten stake-outs"."""
    body = re.sub(r"\[\^[^\]]*\]", "", _body(render_document(dossier, topic, kind, "nl").markdown))
    mentions = re.findall(r"[\w-]*stake-outs?\b\)?", body, flags=re.I)
    assert mentions in ([], ["stake-outs)"], ["stake-outs"]), mentions
    if mentions:
        first_persmoment = body.index("persmomenten")
        gloss = re.search(r"\(zogeheten stake-outs\)|, de zogeheten stake-outs\b", body)
        assert gloss and gloss.start() - first_persmoment < 40
