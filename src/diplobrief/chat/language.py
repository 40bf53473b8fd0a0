"""Which language a message is written in: a small naive Bayes model, trained at start-up.

The model learns words and character n-grams (1 to 4 letters, word edges marked) from the
dossier's own texts in each language, the chat's request vocabulary and a short phrasebook
of how people ask questions (the dossier is all statements, no questions). It needs no
download and knows the domain's words: "Veiligheidsraad", "Conseil de sécurité".
Accents are folded away before it looks, so a French question typed without accents reads
the same as one typed with them.

When a message is too short or too mixed to tell (a bare "Mali?"), ``identify`` says so
instead of guessing, and the caller keeps the conversation's language.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from diplobrief.chat import lexicon
from diplobrief.chat.text import words
from diplobrief.dossier import LANGUAGES, PLACEHOLDER, Dossier, Text

# How people ask, per language: the dossier itself has no questions or requests in it.
PHRASEBOOK = {
    "en": """how many what is the when did who was which were why does where is how long
    can you tell me could you give me please I would like I need show me what about and
    the is it true that did Belgium have what happened with thank you hello hi help what
    can you do which topics do you have in English in French in Dutch as a PDF now the
    next one and what about the other one more about tell me more""",
    "nl": """hoeveel wat is de wanneer heeft wie was welke waren waarom waar is hoelang kun
    je me zeggen kan je me geven alstublieft graag ik wil ik heb nodig toon me en wat met
    is het waar dat had België wat gebeurde er met dank je hallo dag help wat kan je doen
    welke onderwerpen heb je in het Engels in het Frans in het Nederlands als pdf nu de
    volgende en hoe zit het met meer over vertel me meer""",
    "fr": """combien qu'est-ce que quand est-ce que qui était quel quelle quels quelles
    pourquoi où est combien de temps pouvez-vous me dire peux-tu me donner s'il vous plaît
    je voudrais j'ai besoin de montre-moi et qu'en est-il de est-il vrai que la Belgique
    a-t-elle que s'est-il passé merci bonjour salut aide que peux-tu faire quels sujets
    as-tu en anglais en français en néerlandais en PDF maintenant le suivant et pour
    plus sur dis-m'en plus""",
}
# A message is assigned a language only when the model is this sure of it.
MIN_MARGIN = 0.3
# Words seen in one language's texts only that tell a message's language without letters.
MIN_OWN_WORDS = 2
_ALPHA = 0.5
_MAX_NGRAM = 4


def features(text: str) -> Counter[str]:
    """Word and character n-gram features of a text, accents folded."""
    found: Counter[str] = Counter()
    for word, count in Counter(words(text)).items():
        if word.isdigit():
            continue
        found[f"w:{word}"] += count
        padded = f" {word} "
        for size in range(1, _MAX_NGRAM + 1):
            for start in range(len(padded) - size + 1):
                found[padded[start : start + size]] += count
    return found


@dataclass(frozen=True)
class Identification:
    """The language a message is most likely in, and by how much.

    ``margin`` is the log-likelihood lead over the runner-up per feature: an average, so a
    long message is not "certain" merely for being long, nor a short one doubtful for
    being short. "help" (English and Dutch alike) has a margin near 0.27, a plain
    question in any of the three languages 0.4 or more.
    """

    language: str
    margin: float

    @property
    def certain(self) -> bool:
        return self.margin >= MIN_MARGIN


class LanguageModel:
    """Multinomial naive Bayes over words and character n-grams, one class per language."""

    def __init__(
        self, unseen: Mapping[str, float], log_probability: Mapping[str, Mapping[str, float]]
    ) -> None:
        self.unseen = {lang: float(unseen[lang]) for lang in LANGUAGES}
        self.log_probability = {lang: dict(log_probability[lang]) for lang in LANGUAGES}

    @classmethod
    def train(cls, corpus: Mapping[str, Iterable[str]]) -> LanguageModel:
        """Count the features of each language's texts, with additive smoothing."""
        counts = {lang: features(" ".join(corpus.get(lang, ()))) for lang in LANGUAGES}
        vocabulary = set().union(*counts.values())
        unseen: dict[str, float] = {}
        log_probability: dict[str, dict[str, float]] = {}
        for lang, found in counts.items():
            denominator = sum(found.values()) + _ALPHA * (len(vocabulary) + 1)
            unseen[lang] = math.log(_ALPHA / denominator)
            log_probability[lang] = {
                feature: math.log((count + _ALPHA) / denominator)
                for feature, count in found.items()
            }
        return cls(unseen, log_probability)

    def state(self) -> dict[str, Any]:
        """The model as plain data, for the on-disk cache."""
        return {"unseen": self.unseen, "log_probability": self.log_probability}

    def identify(self, text: str) -> Identification | None:
        """The message's language, or None when it has no letters to judge by."""
        found = features(text)
        if not found:
            return None
        scores = {
            lang: sum(
                count * self.log_probability[lang].get(feature, self.unseen[lang])
                for feature, count in found.items()
            )
            for lang in LANGUAGES
        }
        ranked = sorted(scores, key=lambda lang: -scores[lang])
        margin = (scores[ranked[0]] - scores[ranked[1]]) / sum(found.values())
        return Identification(ranked[0], margin)

    def vocabulary_vote(self, spoken: Iterable[str], minimum: int = MIN_OWN_WORDS) -> str | None:
        """The language that alone has seen more of these words than any other language
        alone has ("iraans", "nucleair": Dutch), if one has at least ``minimum``."""
        counts = Counter(
            seen[0]
            for seen in (
                [lang for lang in LANGUAGES if f"w:{word}" in self.log_probability[lang]]
                for word in spoken
                if not word.isdigit()
            )
            if len(seen) == 1
        )
        ranked = counts.most_common(2)
        if not ranked or ranked[0][1] < minimum:
            return None
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
        return ranked[0][0]


def dossier_corpus(dossier: Dossier) -> dict[str, list[str]]:
    """Every text of the dossier, the chat's vocabulary and the phrasebook, by language."""
    corpus: dict[str, list[str]] = {lang: [PHRASEBOOK[lang]] for lang in LANGUAGES}
    for lang in LANGUAGES:
        corpus[lang].append(" ".join(lexicon.STOP_WORDS[lang]))
        corpus[lang].append(" ".join(lexicon.QUESTION_WORDS[lang]))
    for text in _texts(dossier):
        for lang in LANGUAGES:
            corpus[lang].append(PLACEHOLDER.sub(" ", text.get(lang)))
    for topic in dossier.topics.values():
        for lang in LANGUAGES:
            corpus[lang].extend(str(alias) for alias in getattr(topic.aliases, lang))
    return corpus


def _texts(dossier: Dossier) -> Iterable[Text]:
    mandate = dossier.mandate
    yield from (mandate.title, mandate.country, mandate.body)
    for topic in dossier.topics.values():
        yield topic.title
        yield topic.summary.text
        yield from (fact.text for fact in topic.facts)
        for group in (
            topic.background,
            topic.role,
            topic.challenges,
            topic.key_messages,
            topic.lines_to_take,
        ):
            yield from (statement.text for statement in group)
        for item in topic.if_raised:
            yield item.trigger
            yield item.response
        for lesson in topic.lessons:
            yield lesson.theme
            yield from (part.text for part in lesson.parts().values())
