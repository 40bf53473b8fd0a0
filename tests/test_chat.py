"""The chat (issue #4): understanding, answers, follow-ups, robustness, speed, CLI wiring."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, TOPIC_IDS
from hypothesis import given
from hypothesis import strategies as st

from diplobrief import i18n
from diplobrief.chat import Session, deliver, engine_for
from diplobrief.chat.answer import HELP_EXAMPLES, Answer
from diplobrief.chat.console import converse, history_path, terminal_lines
from diplobrief.chat.engine import ChatEngine
from diplobrief.chat.evaluation import (
    FIELDS,
    Case,
    EvaluationSetError,
    accuracy,
    evaluate,
    evaluate_file,
    judge,
    load_cases,
    load_conversations,
    refusal_rate,
)
from diplobrief.chat.index import gives_reason, text_terms
from diplobrief.chat.text import fold
from diplobrief.chat.understand import MAX_MESSAGE_CHARACTERS, _negates
from diplobrief.cli import main
from diplobrief.dossier import LANGUAGES, Dossier, load_dossier
from diplobrief.paths import DEFAULT_DOSSIER

EVAL_SET = ROOT / "tests" / "chat_eval.yaml"
# The old set (issue #4): written by the developers, tuned on in the past.
REQUIRED_ACCURACY = 0.94
# The new set's development half (issue #8), written from the article alone by an
# outsider. Floors a little under what the chat reaches (README, "Asking in plain
# language"); the locked half is scored once by the lead, not here.
DEV_SET = ROOT / "tests" / "chat_eval_dev.yaml"
DEV_FLOORS = {
    "intent": 0.94,
    "language": 0.96,
    "topic": 0.93,
    "kind": 0.97,
    "format": 0.97,
    "contains": 0.9,
    "all": 0.89,
}
DEV_REFUSAL_FLOOR = 0.9
# The second outsider set's dev half (written from the article alone, issue #8's second
# round) and the first round's test half, now used and tuned on too. Floors a few points
# under what the chat reaches (README); the new locked half is scored by the lead.
OUTSIDER_SETS = {
    ROOT / "tests" / "chat_eval_dev2.yaml": {
        "intent": 0.94,
        "topic": 0.92,
        "contains": 0.92,
        "all": 0.9,
    },
    ROOT / "tests" / "chat_eval_test.yaml": {
        "intent": 0.94,
        "topic": 0.88,
        "contains": 0.91,
        "all": 0.87,
    },
    # The second locked half, scored once after the second round (README); the third
    # round studied its misses by class, so it is a development set now.
    ROOT / "tests" / "chat_eval_test2.yaml": {
        "intent": 0.92,
        "topic": 0.89,
        "contains": 0.89,
        "all": 0.86,
        "refused": 0.95,
    },
    # The third outsider set's dev half (2026-12-02), scored before any tuning on it
    # (README); its locked half is scored by the lead, never here.
    ROOT / "tests" / "chat_eval_dev3.yaml": {
        "intent": 0.92,
        "topic": 0.9,
        "contains": 0.9,
        "all": 0.87,
        "refused": 0.9,
    },
    # The third locked half, scored once after the third round (README): 86.5% all,
    # 91.7% refused. Used now; a floor at its level keeps later rounds from losing it.
    ROOT / "tests" / "chat_eval_test3.yaml": {
        "intent": 0.92,
        "topic": 0.9,
        "contains": 0.9,
        "all": 0.85,
        "refused": 0.9,
    },
    # The fourth outsider set's dev half (2026-12-02), baseline before tuning 79.5% all /
    # 70.8% refused; floors about two points under what the fifth round reached on it
    # (91.3% all, 87.5% refused).
    ROOT / "tests" / "chat_eval_dev4.yaml": {
        "intent": 0.95,
        "topic": 0.9,
        "contains": 0.96,
        "all": 0.89,
        "refused": 0.85,
    },
    # The fourth locked half, scored once by the lead after the fourth and fifth rounds
    # (84.7% all, 75.0% refused; README): a floor under its score, so that it does not
    # fall; later rounds may study it, so it measures no generalisation any more.
    ROOT / "tests" / "chat_eval_test4.yaml": {
        "intent": 0.89,
        "topic": 0.87,
        "contains": 0.93,
        "all": 0.83,
        "refused": 0.74,
    },
    # The fifth outsider set's dev half (2026-12-02), baseline before tuning 79.7% all /
    # 83.3% refused (its reply language fixed first, see README); floors about two points
    # under what the seventh round reached on it (93.2% all, 91.7% refused).
    ROOT / "tests" / "chat_eval_dev5.yaml": {
        "intent": 0.93,
        "topic": 0.92,
        "contains": 0.94,
        "all": 0.91,
        "refused": 0.87,
    },
    # The fifth locked half, scored once by the lead after the seventh round (82.3% all,
    # 87.5% refused; README): a floor under its score; used since, so no measure.
    ROOT / "tests" / "chat_eval_test5.yaml": {
        "intent": 0.91,
        "topic": 0.81,
        "contains": 0.93,
        "all": 0.8,
        "refused": 0.85,
    },
    # The sixth outsider set's dev half (2026-12-02), baseline before tuning 67.9% all /
    # 83.3% refused; floors about two points under what the eighth round reached on it
    # (91.2% all, 100% refused).
    ROOT / "tests" / "chat_eval_dev6.yaml": {
        "intent": 0.95,
        "topic": 0.91,
        "contains": 0.93,
        "all": 0.89,
        "refused": 0.95,
    },
    # The sixth locked half, scored once after the eighth round (README): 80.5% all,
    # 79.2% refused. Used now; floors at its level keep later rounds from losing it.
    # The seventh locked half, scored once at the end of the session (README): 86.3% all,
    # 91.7% refused. Used now; floors at its level.
    ROOT / "tests" / "chat_eval_test7.yaml": {
        "intent": 0.9,
        "topic": 0.85,
        "contains": 0.9,
        "all": 0.84,
        "refused": 0.9,
    },
    ROOT / "tests" / "chat_eval_test6.yaml": {
        "intent": 0.87,
        "topic": 0.8,
        "contains": 0.9,
        "all": 0.78,
        "refused": 0.75,
    },
}
OUTSIDER_REFUSAL_FLOOR = 0.9

# Written after the evaluation set, to see whether the tuning on it carries over; the bar
# is lower because two of its failures led to general fixes (see the issue's report).
HOLDOUT = """
- {q: "Which countries are the permanent members of the Council?", asked_in: en, intent: fact, language: en, topic: mandate-overview, kind: null, format: null, contains: China}
- {q: "What did the King do during the Belgian presidency?", asked_in: en, intent: fact, language: en, topic: [belgian-presidency, children-armed-conflict], kind: null, format: null, contains: national statement}
- {q: "talking points on the Sahel and conflict prevention", asked_in: en, intent: document, language: en, topic: conflict-prevention, kind: talking-points, format: md, contains: Sahel}
- {q: "What is the capital of Australia?", asked_in: en, intent: unknown, language: en, topic: null, kind: null, format: null, contains: null}
- {q: "How many resolutions did the Security Council adopt over the two years?", asked_in: en, intent: fact, language: en, topic: multilateralism, kind: null, format: null, contains: hundred}
- {q: "a briefing note about the ICC in French", asked_in: en, intent: document, language: fr, topic: international-criminal-court, kind: briefing-note, format: md, contains: Cour pénale internationale}
- {q: "Why did unanimity matter to Belgium?", asked_in: en, intent: fact, language: en, topic: [council-dynamics, covid-19], kind: null, format: null, contains: unity}
- {q: "Give me the lessons learned on COVID as a pdf", asked_in: en, intent: document, language: en, topic: covid-19, kind: lessons-learned, format: pdf, contains: COVID}
- {q: "Welke landen zijn permanent lid van de Veiligheidsraad?", asked_in: nl, intent: fact, language: nl, topic: mandate-overview, kind: null, format: null, contains: China}
- {q: "Wie sprak de nationale verklaring uit op het signatuurevenement?", asked_in: nl, intent: fact, language: nl, topic: [children-armed-conflict, belgian-presidency], kind: null, format: null, contains: Koning}
- {q: "spreekpunten over vredeshandhaving", asked_in: nl, intent: document, language: nl, topic: peacekeeping, kind: talking-points, format: md, contains: MINUSMA}
- {q: "Wie is de koning van Nederland?", asked_in: nl, intent: unknown, language: nl, topic: null, kind: null, format: null, contains: null}
- {q: "Hoeveel teksten keurde de werkgroep over kinderen goed?", asked_in: nl, intent: fact, language: nl, topic: children-armed-conflict, kind: null, format: null, contains: "13"}
- {q: "Maak een nota over Iran in het Engels", asked_in: nl, intent: document, language: en, topic: iran-nuclear-2231, kind: briefing-note, format: md, contains: "2231"}
- {q: "Wanneer stopt België met de EU-stake-outs?", asked_in: nl, intent: fact, language: nl, topic: eu-coordination, kind: null, format: null, contains: juni 2021}
- {q: "geleerde lessen over de samenwerking met de andere verkozen leden", asked_in: nl, intent: document, language: nl, topic: elected-members, kind: lessons-learned, format: md, contains: juni 2019}
- {q: "Quels pays sont membres permanents du Conseil de sécurité ?", asked_in: fr, intent: fact, language: fr, topic: mandate-overview, kind: null, format: null, contains: Chine}
- {q: "Combien de points de presse communs de l'UE pendant la présidence belge ?", asked_in: fr, intent: fact, language: fr, topic: [belgian-presidency, eu-coordination], kind: null, format: null, contains: "6"}
- {q: "Des éléments de langage sur le maintien de la paix", asked_in: fr, intent: document, language: fr, topic: peacekeeping, kind: talking-points, format: md, contains: MINUSMA}
- {q: "Combien coûte un billet de train pour Paris ?", asked_in: fr, intent: unknown, language: fr, topic: null, kind: null, format: null, contains: null}
- {q: "Quand le Conseil a-t-il adopté le moins de résolutions à l'unanimité ?", asked_in: fr, intent: fact, language: fr, topic: [council-dynamics, covid-19], kind: null, format: null, contains: "2020"}
- {q: "note de briefing sur l'Iran en néerlandais", asked_in: fr, intent: document, language: nl, topic: iran-nuclear-2231, kind: briefing-note, format: md, contains: "2231"}
- {q: "Qui présidait le comité des sanctions sur la Somalie ?", asked_in: fr, intent: fact, language: fr, topic: somalia-sanctions, kind: null, format: null, contains: Belgique}
- {q: "les leçons de la coopération européenne au Conseil", asked_in: fr, intent: document, language: fr, topic: eu-coordination, kind: lessons-learned, format: md, contains: UE}
"""  # noqa: E501

NASTY_INPUTS = {
    "empty": "",
    "blank": " \t \n ",
    "100 kB": "Syria " * 17_000,
    "control characters": "How many\x00 texts\x07 were\x1b[31m adopted\x7f?\x9b",
    "emoji": "🇧🇪 talking points 🕊️ on Syria 🙏",
    "only emoji": "🙂🙃🤔",
    "mixed scripts": "Совет Безопасности 安全理事会 مجلس الأمن Syria?",
    "SQL": "'; DROP TABLE facts; -- how many countries supported Belgium?",
    "HTML": "<script>alert(1)</script><b>briefing note</b> on <i>Iran</i>",
    "Jinja": "{{ config.items() }} {% for x in range(9) %}talking points{% endfor %}",
    "format string": "%(title)s {0} {fact.id} %s %n talking points",
    "right-to-left marks": "\u202ehow many countries\u202c supported\u200f us?",
    "lone surrogate-free oddities": "\ufeff\u00a0\u202f\u2028Mali\u2029",
    "very long word": "a" * 5000,
}


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The chat's index cache in a folder of this test module, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIPLOBRIEF_CACHE_DIR", str(folder))
        yield folder


@pytest.fixture(scope="module")
def engine(dossier: Dossier) -> ChatEngine:
    return ChatEngine(dossier)


def _session(engine: ChatEngine, **options: str) -> Session:
    return Session(engine, **options)  # type: ignore[arg-type]


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


# ---------------------------------------------------------------- the evaluation set


def test_evaluation_set_is_large_and_varied(dossier: Dossier) -> None:
    cases = load_cases(EVAL_SET)
    assert len(cases) >= 90
    for lang in LANGUAGES:
        assert sum(case.asked_in == lang for case in cases) >= 30, lang
    intents = {case.expected["intent"] for case in cases}
    assert intents == {"document", "fact", "help", "unknown"}
    assert any(case.expected["language"] != case.asked_in for case in cases)
    assert any(case.expected["format"] == "pdf" for case in cases)
    # An id a topic replaced still names it (the scorer reads it through the dossier).
    named = {*TOPIC_IDS, *(old for topic in dossier.topics.values() for old in topic.replaces)}
    assert all(
        case.expected["topic"] in [*named, "all", None] or set(case.expected["topic"]) <= named
        for case in cases
    )


@pytest.fixture(scope="module")
def outcomes(engine: ChatEngine) -> list:
    return evaluate(engine, load_cases(EVAL_SET))


@pytest.mark.parametrize("field", FIELDS)
def test_evaluation_accuracy_per_field(outcomes: list, field: str) -> None:
    score = accuracy(outcomes, field)
    wrong = [item.case.question for item in outcomes if not item.correct[field]]
    assert score >= REQUIRED_ACCURACY, f"{field}: {score:.1%}; wrong: {wrong}"


def test_holdout_questions_carry_over(engine: ChatEngine, tmp_path: Path) -> None:
    path = tmp_path / "holdout.yaml"
    path.write_text(HOLDOUT, encoding="utf-8")
    results = evaluate(engine, load_cases(path))
    for field in FIELDS:
        assert accuracy(results, field) >= 0.85, field


def test_judge_accepts_any_listed_topic_and_normalises_spaces() -> None:
    case = load_cases(EVAL_SET)[0]
    expected = {**case.expected, "topic": ["a", "children-armed-conflict"], "contains": "25 000"}
    answer = Answer(
        intent="fact",
        language="en",
        text="plus de 25\u202f000 violations",
        topic="children-armed-conflict",
    )
    outcome = judge(type(case)(case.question, case.asked_in, expected), answer)
    assert outcome.correct["topic"] and outcome.correct["contains"]


# ---------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("message", "language"),
    [
        ("Hoeveel landen steunden onze kandidatuur?", "nl"),
        ("combien de pays ont soutenu la candidature belge", "fr"),
        ("combien de textes ont ete adoptes", "fr"),  # accents left out
        ("How many countries supported the candidacy?", "en"),
        ("wat was de rol van belgie in de veiligheidsraad", "nl"),
        ("Quel était le rôle de la Belgique ?", "fr"),
    ],
)
def test_language_of_full_questions(engine: ChatEngine, message: str, language: str) -> None:
    found = engine.language_model.identify(message)
    assert found is not None and found.certain and found.language == language


@pytest.mark.parametrize("message", ["Mali?", "MINUSMA", "Iran", "help"])
def test_too_short_to_tell_keeps_the_conversation_language(
    engine: ChatEngine, message: str
) -> None:
    found = engine.language_model.identify(message)
    assert found is not None and not found.certain
    session = _session(engine, default_language="fr")
    assert session.respond(message).language == "fr"


@pytest.mark.parametrize("message", ["", "🙂", "12345"])
def test_no_letters_no_language(engine: ChatEngine, message: str) -> None:
    assert engine.language_model.identify(message) is None


@pytest.mark.parametrize(
    ("message", "output"),
    [
        ("Spreekpunten over Syrië in het Frans", "fr"),
        ("Note de briefing sur l'Iran en néerlandais", "nl"),
        ("Éléments de langage sur la Somalie, in English", "en"),
        ("French briefing note on peacekeeping", "fr"),
        ("Briefingnota over vredeshandhaving, Engelstalige versie", "en"),
        ("talking points on the ICC in Flemish", "nl"),
    ],
)
def test_requested_output_language(engine: ChatEngine, message: str, output: str) -> None:
    understanding = engine.reader.read(message, "en")
    assert understanding.output_language == output
    assert understanding.output_language != understanding.language


def test_forced_language_wins(engine: ChatEngine) -> None:
    answer = _session(engine, language="nl").respond("French talking points on Iran")
    assert answer.language == "nl" and "# Spreekpunten" in answer.text


# ---------------------------------------------------------------- understanding


@pytest.mark.parametrize(
    ("message", "kind", "topic"),
    [
        ("éléments de langage sur l'Iran", "talking-points", "other-tasks"),
        ("spreekpunten over Somalië", "talking-points", "other-tasks"),
        ("give me talking poitns on Mallí", "talking-points", "peacekeeping"),
        ("geleerde lessen over het voorzitterschap", "lessons-learned", "belgian-presidency"),
        ("enseignements tirés de l'ensemble du mandat", "lessons-learned", "all"),
        ("lessons learned on the mandate", "lessons-learned", "all"),
        ("briefing note on transitional justice", "briefing-note", "belgian-presidency"),
        ("note de briefing sur la prevention des conflits", "briefing-note", "conflict-prevention"),
        ("speaking notes on COVID", "talking-points", "covid-19"),
    ],
)
def test_document_requests(engine: ChatEngine, message: str, kind: str, topic: str) -> None:
    answer = _session(engine).respond(message)
    assert (answer.intent, answer.kind, answer.topic, answer.format) == (
        "document",
        kind,
        topic,
        "md",
    )
    assert answer.text.startswith("---\n")


@pytest.mark.parametrize(
    "message",
    [
        "briefing note on peacekeeping as PDF",
        "een nota over vredeshandhaving in pdf",
        "note sur le maintien de la paix en PDF",
    ],
)
def test_pdf_requests_are_understood_without_rendering(engine: ChatEngine, message: str) -> None:
    answer = _session(engine).respond(message)
    assert (answer.intent, answer.format, answer.topic) == ("document", "pdf", "peacekeeping")
    assert answer.path is None  # nothing is written until the answer is delivered


def test_typos_and_missing_accents(engine: ChatEngine) -> None:
    assert engine.index.mend("poitns") == "points"
    assert engine.index.mend(fold("Mallí")) == "mali"
    assert engine.index.mend("weather") is None
    answer = _session(engine).respond("combien de violations graves contre des enfants en 2019")
    assert answer.intent == "fact" and i18n.format_number(25000, "fr") in answer.text


def test_a_question_about_another_countrys_term_is_unknown(engine: ChatEngine) -> None:
    answer = _session(engine).respond("How did Germany's mandate on the Security Council go?")
    assert answer.intent == "unknown"
    assert "Germany" in answer.text and answer.topic is None


def test_a_partner_country_in_a_fact_is_not_another_countrys_term(engine: ChatEngine) -> None:
    answer = _session(engine).respond("Which countries did Belgium work with on the Syria file?")
    assert answer.intent == "fact" and answer.topic == "syria-humanitarian-access"


# ---------------------------------------------------------------- answers


def _allowed_numbers(dossier: Dossier) -> set[str]:
    texts = [topic_id for topic_id in dossier.topics]
    for fact in dossier.facts.values():
        texts.append(fact.source.quote)
        for lang in LANGUAGES:
            texts.append(i18n.fill(fact.text.get(lang), fact.values, lang))
    for source in dossier.mandate.sources:
        texts.append(source.title)
    return {number for text in texts for number in re.findall(r"\d+", _digits(text))}


def _digits(text: str) -> str:
    return re.sub(r"(?<=\d)[.,\u202f\u00a0 ](?=\d{3}\b)", "", text)


def test_fact_answers_state_only_dossier_numbers(engine: ChatEngine, dossier: Dossier) -> None:
    allowed = _allowed_numbers(dossier)
    for case in load_cases(EVAL_SET):
        answer = _session(engine).respond(case.question)
        if answer.intent in ("fact", "unknown"):
            numbers = set(re.findall(r"\d+", _digits(answer.text)))
            assert numbers <= allowed, (case.question, numbers - allowed)


def test_fact_answer_is_the_statement_then_its_source(engine: ChatEngine, dossier: Dossier) -> None:
    answer = _session(engine).respond("Hoeveel landen steunden de Belgische kandidatuur?")
    assert answer.intent == "fact" and answer.language == "nl"
    fact = dossier.facts[answer.facts[0]]
    statement = i18n.fill(fact.text.nl, fact.values, "nl")
    assert answer.text.startswith(statement)
    assert answer.sources[0].fact == fact.id
    assert _flat(fact.source.quote) in _flat(answer.text)
    assert (fact.source.section or i18n.gettext("nl", "introduction (untitled)")) in answer.text
    assert answer.as_json()["sources"][0] == {
        "fact": fact.id,
        "section": fact.source.section or i18n.gettext("nl", "introduction (untitled)"),
        "quote": " ".join(fact.source.quote.split()),
    }


def test_figures_are_formatted_for_the_output_language(engine: ChatEngine) -> None:
    question = "How many grave violations against children in 2019?"
    assert i18n.format_number(25000, "nl") == "25.000"
    for lang in LANGUAGES:
        answer = _session(engine, language=lang).respond(question)
        assert i18n.format_number(25000, lang) in answer.text


def test_unknown_says_so_and_suggests_topics(engine: ChatEngine) -> None:
    answer = _session(engine).respond("Who will win the Champions League final?")
    assert answer.intent == "unknown" and answer.topic is None and answer.sources == ()
    assert "The dossier says nothing about “league”." in answer.text
    assert "You can ask, for example: “" in answer.text
    assert answer.confidence == 0.0


@pytest.mark.parametrize(
    ("message", "lang", "missing"),
    [
        # The question's year is not the fact's: 2019, not 2020.
        ("How many grave violations against children did the UN verify in 2020?", "en", None),
        # "How many" counts the texts of a fact, not "the stake-outs" of another.
        ("Combien de violations graves contre des enfants en 2020 ?", "fr", None),
        # A day is asked; the dossier gives a month at most.
        (
            "What was the exact date of the high-level debate on transitional justice?",
            "en",
            "an exact date",
        ),
        (
            "Quel était le numéro de la résolution COVID adoptée par le Conseil ?",
            "fr",
            "un numéro de résolution",
        ),
        ("Hoe heet de doorgangspost naar Syrië die open is gebleven?", "nl", "een naam"),
    ],
)
def test_a_fact_without_what_is_asked_does_not_answer(
    engine: ChatEngine, message: str, lang: str, missing: str | None
) -> None:
    answer = _session(engine).respond(message)
    assert answer.intent == "unknown" and answer.language == lang, answer.text
    if missing is not None:
        assert missing in answer.text
    assert answer.confidence == 0.0


def test_the_closest_topic_suggestion_is_a_request_the_chat_understands(
    engine: ChatEngine,
) -> None:
    for message in [
        "Who was Belgium's Prime Minister during the term?",
        "Wat is de hoofdstad van Australië?",
        "Qui présidait le comité des sanctions sur la Libye ?",
    ]:
        refusal = _session(engine).respond(message)
        assert refusal.intent == "unknown", message
        suggestion = re.search(r"[“«]\s?([^”»]+?)\s?[”»]$", refusal.text)
        assert suggestion is not None, refusal.text
        assert _session(engine).respond(suggestion.group(1)).intent in ("document", "fact")


def test_help_lists_every_topic_in_the_users_language(engine: ChatEngine, dossier: Dossier) -> None:
    for message, lang in [("help", "en"), ("Welke onderwerpen ken je?", "nl"), ("aide", "fr")]:
        answer = _session(engine).respond(message)
        assert answer.intent == "help" and answer.language == lang
        for topic in dossier.topics.values():
            assert f"{topic.id}: {topic.title.get(lang)}" in answer.text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_help_examples_work_in_every_language(engine: ChatEngine, lang: str) -> None:
    expected = [
        ("fact", None, None),
        ("document", "talking-points", "md"),
        ("document", "lessons-learned", "md"),
        ("document", "briefing-note", "pdf"),
    ]
    for example, (intent, kind, output_format) in zip(HELP_EXAMPLES, expected, strict=True):
        answer = _session(engine).respond(i18n.gettext(lang, example))
        assert (answer.intent, answer.kind, answer.format) == (intent, kind, output_format)


def test_a_document_answer_is_the_generated_document(engine: ChatEngine, runner: CliRunner) -> None:
    answer = _session(engine).respond("talking points on Iran in French")
    generated = runner.invoke(
        main, ["generate", "iran-nuclear-2231", "--kind", "talking-points", "--lang", "fr"]
    )
    assert answer.text == generated.output
    assert {source.fact for source in answer.sources} >= {"iran-facilitator"}


def test_confidence_is_between_zero_and_one(outcomes: list) -> None:
    assert all(0.0 <= item.answer.confidence <= 1.0 for item in outcomes)


# ---------------------------------------------------------------- follow-ups


def test_the_conversation_in_the_issue(engine: ChatEngine) -> None:
    session = _session(engine)
    first = session.respond("How many texts did the working group on children adopt?")
    assert first.intent == "fact" and "13" in first.text and first.language == "en"

    french = session.respond("and in French?")
    assert (french.intent, french.language, french.facts) == ("fact", "fr", first.facts)
    assert "textes" in french.text

    dutch = session.respond("en néerlandais ?")
    assert (dutch.language, dutch.facts) == ("nl", first.facts)

    points = session.respond("now the talking points")
    assert (points.intent, points.kind, points.topic) == (
        "document",
        "talking-points",
        "children-armed-conflict",
    )
    assert points.language == "nl"

    pdf = session.respond("as PDF")
    assert (pdf.intent, pdf.kind, pdf.format, pdf.topic) == (
        "document",
        "talking-points",
        "pdf",
        "children-armed-conflict",
    )

    topics = session.respond("which topics do you have?")
    assert topics.intent == "help"


def test_more_about_continues_the_topic_with_new_facts(engine: ChatEngine) -> None:
    session = _session(engine)
    first = session.respond("What does resolution 2165 allow?")
    assert first.topic == "syria-humanitarian-access"
    more = session.respond("more about the co-penholders")
    assert more.intent == "fact" and more.topic == "syria-humanitarian-access"
    assert not set(more.facts) & set(first.facts)
    again = session.respond("tell me more")
    assert not set(again.facts) & (set(first.facts) | set(more.facts))


def test_a_bare_topic_after_a_document_asks_for_the_same_document(engine: ChatEngine) -> None:
    session = _session(engine)
    session.respond("lessons learned on peacekeeping")
    follow = session.respond("and Somalia?")
    assert (follow.intent, follow.kind, follow.topic) == (
        "document",
        "lessons-learned",
        "other-tasks",
    )


def test_a_kind_without_topic_and_without_context_asks_which_topic(engine: ChatEngine) -> None:
    answer = _session(engine).respond("talking points please")
    assert (answer.intent, answer.topic, answer.kind) == ("document", None, "talking-points")
    assert "Which topic?" in answer.text and "syria-humanitarian-access" in answer.text


# ---------------------------------------------------------------- robustness


@pytest.mark.parametrize("message", list(NASTY_INPUTS.values()), ids=list(NASTY_INPUTS))
def test_nasty_input_gets_an_answer_or_a_clear_message(engine: ChatEngine, message: str) -> None:
    answer = _session(engine).respond(message)
    assert answer.intent in ("document", "fact", "help", "unknown")
    assert answer.text.strip()
    assert "{{" not in answer.text or answer.intent == "document"


def test_a_message_past_the_limit_is_refused_plainly(engine: ChatEngine) -> None:
    answer = _session(engine).respond("x " * MAX_MESSAGE_CHARACTERS)
    assert answer.intent == "unknown" and "too long" in answer.text


@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(
            st.sampled_from(
                [
                    "talking",
                    "points",
                    "spreekpunten",
                    "éléments",
                    "de",
                    "langage",
                    "in",
                    "het",
                    "Frans",
                    "en",
                    "néerlandais",
                    "PDF",
                    "Syria",
                    "Mallí",
                    "how",
                    "many",
                    "?",
                    "more",
                    "about",
                    "and",
                    "lessons",
                    "all",
                    "Germany",
                    "mandate",
                    "help",
                    "{{",
                    "}}",
                    "<b>",
                    "'",
                    ";",
                    "\x00",
                    "🙂",
                    "2231",
                    "25.000",
                    "quit",
                ]
            ),
            max_size=25,
        ).map(" ".join),
    )
)
def test_any_text_gets_an_answer(engine: ChatEngine, message: str) -> None:
    session = _session(engine)
    for turn in (message, "and in French?", message[::-1], "as PDF"):
        answer = session.respond(turn)
        assert answer.intent in ("document", "fact", "help", "smalltalk", "unknown")
        assert answer.language in LANGUAGES
        assert 0.0 <= answer.confidence <= 1.0
        json.dumps(answer.as_json())


@pytest.mark.parametrize("message", list(NASTY_INPUTS.values()), ids=list(NASTY_INPUTS))
def test_ask_never_shows_a_traceback(runner: CliRunner, message: str) -> None:
    result = runner.invoke(main, ["ask", message, "--json"])
    assert result.exit_code in (0, 2), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.output.startswith("Error: The question is ")
    else:
        assert json.loads(result.output)["intent"] in ("document", "fact", "help", "unknown")


# ---------------------------------------------------------------- speed


def test_index_is_built_once_per_process() -> None:
    assert engine_for(DEFAULT_DOSSIER) is engine_for(DEFAULT_DOSSIER)


# ---------------------------------------------------------------- CLI


def test_ask_json_has_the_issue_schema(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "Welk sanctiecomité zat België voor?", "--json"])
    assert result.exit_code == 0, result.output
    reply = json.loads(result.output)
    assert set(reply) >= {
        "intent",
        "language",
        "topic",
        "kind",
        "format",
        "answer",
        "sources",
        "confidence",
    }
    assert (reply["intent"], reply["language"], reply["topic"]) == (
        "fact",
        "nl",
        "other-tasks",
    )
    assert (reply["kind"], reply["format"]) == (None, None)
    assert reply["sources"][0]["fact"] == "somalia-committee-chair"
    assert 0 < reply["confidence"] <= 1


def test_ask_plain_prints_the_answer(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "spreekpunten", "over", "Iran", "--lang", "fr-BE"])
    assert result.exit_code == 0
    assert "# Éléments de langage" in result.output and "2231" in result.output


def test_ask_errors_are_usage_errors(runner: CliRunner) -> None:
    empty = runner.invoke(main, ["ask", "  "])
    assert empty.exit_code == 2
    assert empty.output.startswith("Error: The question is empty. Example: diplobrief ask")
    long = runner.invoke(main, ["ask", "x" * (MAX_MESSAGE_CHARACTERS + 1)])
    assert long.exit_code == 2 and "too long" in long.output
    language = runner.invoke(main, ["ask", "Mali", "--lang", "de"])
    assert language.exit_code == 2 and "Choose one of: nl, fr, en." in language.output
    missing = runner.invoke(main, ["ask"])
    assert missing.exit_code == 2


def test_ask_on_a_broken_dossier_exits_1(runner: CliRunner, dossier_copy: Path) -> None:
    (dossier_copy / "topics" / "covid-19.yaml").write_text("id: [\n", encoding="utf-8")
    result = runner.invoke(main, ["ask", "Mali?", "--dossier", str(dossier_copy)])
    assert result.exit_code == 1
    assert "covid-19.yaml: line 2: invalid YAML" in result.output


def test_default_language_from_the_environment(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "MINUSMA", "--json"], env={"DIPLOBRIEF_LANG": "fr"})
    assert json.loads(result.output)["language"] == "fr"


def test_chat_piped_conversation(runner: CliRunner) -> None:
    conversation = "\n".join(
        ["help", "Which sanctions committee did Belgium chair?", "and in Dutch?", "", "quit", "x"]
    )
    result = runner.invoke(main, ["chat"], input=conversation)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Hello!")
    assert "other-tasks: Other tasks, formal and informal" in result.output
    assert "Belgium chaired the Somalia sanctions committee." in result.output
    assert "België was voorzitter van het Sanctiecomité Somalië." in result.output
    assert result.output.rstrip().endswith("Goodbye.")


def test_chat_ends_at_end_of_input_and_greets_in_lang(runner: CliRunner) -> None:
    result = runner.invoke(main, ["chat", "--lang", "nl"], input="help\n")
    assert result.exit_code == 0
    assert "children-armed-conflict: Kinderen en gewapende conflicten" in result.output


def test_chat_writes_pdf_and_goes_on_after_an_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = pytest.importorskip("diplobrief.pdf")
    monkeypatch.setattr(pdf, "document_pdf", lambda dossier, document: b"%PDF-stub")
    conversation = "briefing note on Iran as PDF\nas PDF\n"
    result = runner.invoke(main, ["chat", "--output-dir", str(tmp_path)], input=conversation)
    assert result.exit_code == 0, result.output
    target = tmp_path / "other-tasks-briefing-note-en.pdf"
    assert f"Wrote {target}" in result.output
    assert target.read_bytes() == b"%PDF-stub"
    missing = runner.invoke(
        main, ["chat", "--output-dir", str(tmp_path / "nope")], input=conversation
    )
    assert missing.exit_code == 0
    assert "Error: " in missing.output and "does not exist" in missing.output
    assert missing.output.rstrip().endswith("Goodbye.")


def test_converse_takes_its_streams_as_parameters(engine: ChatEngine, tmp_path: Path) -> None:
    said: list[str] = []
    converse(Session(engine), iter(["aide", "exit", "help"]), said.append, tmp_path)
    assert len(said) == 3 and said[1].startswith("Posez-moi une question")


def test_terminal_history_that_cannot_be_written_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    typed = iter(["first", "second"])

    def fake_input(prompt: str) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    assert history_path() == blocker / "diplobrief" / "history"
    assert list(terminal_lines(history_path())) == ["first", "second"]


def test_terminal_history_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readline = pytest.importorskip("readline")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    typed = iter(["how many countries?"])

    def fake_input(prompt: str) -> str:
        line = next(typed, None)
        if line is None:
            raise EOFError
        readline.add_history(line)
        return line

    monkeypatch.setattr("builtins.input", fake_input)
    list(terminal_lines(history_path()))
    assert "how many countries?" in history_path().read_text(encoding="utf-8")


def _python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=120,
    )


def test_ask_and_chat_in_a_subprocess_never_import_weasyprint(tmp_path: Path) -> None:
    code = (
        "import io, sys\nfrom diplobrief.cli import main\n"
        "for question in ['How many countries supported Belgium?', 'talking points on Syria']:\n"
        "    try:\n        main(['ask', question, '--json'])\n"
        "    except SystemExit as exc:\n        assert exc.code == 0, exc.code\n"
        "sys.stdin = io.StringIO('talking points on Syria\\nand in French?\\nquit\\n')\n"
        "try:\n    main(['chat'])\n"
        "except SystemExit as exc:\n    assert exc.code == 0, exc.code\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    result = _python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    # The chat summarises a document and writes it; it never prints its Markdown.
    assert "Éléments de langage\u00a0: " in result.stdout
    assert "syria-humanitarian-access-talking-points-fr.md" in result.stdout
    chat_part = result.stdout[result.stdout.index("Hello!") :]
    assert "---" not in chat_part and "[^" not in chat_part and "# " not in chat_part
    assert (
        (tmp_path / "syria-humanitarian-access-talking-points-fr.md")
        .read_text(encoding="utf-8")
        .startswith("---\n")
    )
    first = result.stdout[: result.stdout.index("}\n{") + 1]
    assert json.loads(first)["sources"][0]["fact"] in (
        "mandate-campaign",
        "future-candidacy-campaign-2018",
    )


def test_ask_writes_a_real_pdf_when_asked(tmp_path: Path) -> None:
    pytest.importorskip("diplobrief.pdf")
    pypdf = pytest.importorskip("pypdf")
    result = subprocess.run(
        [sys.executable, "-m", "diplobrief", "ask", "spreekpunten over Somalië als pdf"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    path = tmp_path / "other-tasks-talking-points-nl.pdf"
    assert path.name in result.stdout
    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert "Somalië" in text


def test_eval_file_is_valid_yaml_list() -> None:
    entries = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))
    assert isinstance(entries, list)
    assert len({entry["q"] for entry in entries}) == len(entries), "duplicate questions"


# ---------------------------------------------------------------- the new evaluation set


@pytest.fixture(scope="module")
def dev_outcomes(engine: ChatEngine) -> list:
    return evaluate_file(engine, DEV_SET)


@pytest.mark.parametrize("field", DEV_FLOORS)
def test_dev_half_accuracy_per_field(dev_outcomes: list, field: str) -> None:
    score = accuracy(dev_outcomes, field)
    assert score >= DEV_FLOORS[field], f"{field}: {score:.1%}"


def test_dev_half_refuses_what_the_article_does_not_say(dev_outcomes: list) -> None:
    rate = refusal_rate(dev_outcomes)
    assert rate is not None and rate >= DEV_REFUSAL_FLOOR, rate
    for lang in LANGUAGES:
        per_language = refusal_rate(dev_outcomes, lang)
        assert per_language is not None and per_language >= 0.8, (lang, per_language)


@pytest.mark.parametrize(
    "question",
    [
        "Wie was de eerste minister van België?",
        "Who was the prime minister of Belgium?",
        "Qui était le Premier ministre belge ?",
    ],
)
def test_who_question_needs_an_agent_it_does_not_name(engine: ChatEngine, question: str) -> None:
    """A fact answers "who" only if it names a country, body, person or role the question
    does not already name, and states the role asked about."""
    assert Session(engine).respond(question).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("Who chaired the Somalia sanctions committee?", "somalia-committee-chair"),
        ("Wie was penhouder voor Syrië?", "syria-co-lead"),
    ],
)
def test_who_question_is_answered_by_an_agent(engine: ChatEngine, question: str, fact: str) -> None:
    answer = Session(engine).respond(question)
    assert answer.intent == "fact" and answer.facts[0] == fact


_JOINT_LEAD = {
    "België leidde het werk rond dit Syrië-dossier gezamenlijk": "België leidde het werk "
    "hierrond gezamenlijk",
    "La Belgique a mené les travaux sur ce dossier syrien conjointement": "La Belgique a "
    "dirigé ces travaux conjointement",
    "Belgium led the work on this Syria cross-border file jointly": "Belgium led this work jointly",
}


@pytest.fixture(scope="module")
def terse_engine(tmp_path_factory: pytest.TempPathFactory) -> ChatEngine:
    """The dossier with the Syria co-lead countries in a sentence that does not name the
    file itself: the countries sit only in the neighbour of the fact naming the file."""
    folder = tmp_path_factory.mktemp("terse") / DEFAULT_DOSSIER.name
    shutil.copytree(DEFAULT_DOSSIER, folder)
    topic = folder / "topics" / "syria-humanitarian-access.yaml"
    text = topic.read_text(encoding="utf-8")
    for old, new in _JOINT_LEAD.items():
        assert old in text
        text = text.replace(old, new)
    topic.write_text(text, encoding="utf-8")
    return ChatEngine(load_dossier(folder))


def test_asked_value_in_the_neighbouring_fact_answers(terse_engine: ChatEngine) -> None:
    """The best fact names the Syria file, its neighbour the countries: both are given,
    the one holding the asked value first."""
    question = "Met welke landen hebben we het Syrische humanitaire dossier samen behandeld?"
    answer = Session(terse_engine).respond(question)
    assert answer.intent == "fact" and answer.facts[0] == "syria-joint-lead"
    assert "Duitsland" in answer.text and len(answer.facts) == 2


def test_neighbour_without_the_asked_words_does_not_answer(terse_engine: ChatEngine) -> None:
    """A neighbour holding countries but none of the question's own words is no answer."""
    answer = Session(terse_engine).respond("Which countries vetoed the Syria resolution?")
    assert answer.intent == "unknown"


def _lessons_case(topic: object, kind: str) -> Case:
    expected = {
        "intent": "document",
        "language": "en",
        "topic": topic,
        "kind": kind,
        "format": None,
        "contains": None,
    }
    return Case("Lessons learned on the whole mandate", "en", expected)


def test_judge_counts_the_whole_mandate_lessons_learned_for_the_overview() -> None:
    answer = Answer(intent="document", language="en", text="", topic="all", kind="lessons-learned")
    assert judge(_lessons_case("mandate-overview", "lessons-learned"), answer).right
    assert judge(_lessons_case(["mandate-overview"], "lessons-learned"), answer).right
    # Nothing broader: another expected topic or another kind still has to match.
    assert not judge(_lessons_case("peacekeeping", "lessons-learned"), answer).correct["topic"]
    talking = replace(answer, kind="talking-points")
    assert not judge(_lessons_case("mandate-overview", "talking-points"), talking).correct["topic"]


def test_judge_counts_a_sentence_filed_under_two_topics_for_either(dossier: Dossier) -> None:
    """The High Commissioner's address is one sentence of the article, filed under human
    rights and under the presidency: a fact answer from either twin answers both."""
    expected = {"intent": "fact", "language": "en", "topic": "human-rights", "kind": None}
    case = Case("Who addressed the Council?", "en", {**expected, "format": None, "contains": None})
    twin = Answer(
        intent="fact",
        language="en",
        text="",
        topic="belgian-presidency",
        facts=("presidency-high-commissioner",),
    )
    assert judge(case, twin, dossier).correct["topic"]
    other = replace(twin, facts=("presidency-caac-event",))
    assert not judge(case, other, dossier).correct["topic"]


def test_dev_half_small_talk_is_all_right(dev_outcomes: list) -> None:
    small = [item for item in dev_outcomes if item.case.category == "smalltalk"]
    assert small and all(item.right for item in small)


NEW_SCHEMA = """
- id: en-1
  category: fact
  asked_in: en
  q: How many countries supported Belgium's candidacy?
  intent: fact
  language: en
  topic: [mandate-overview, future-candidacy]
  kind: null
  format: null
  contains: ['one hundred and eighty-one', '181']
  support: null
- id: nl-conv
  category: followup
  asked_in: nl
  turns:
  - {q: Spreekpunten over Iran, intent: document, language: nl, topic: iran-nuclear-2231,
     kind: talking-points, format: md, contains: null}
  - {q: in Word graag, intent: document, language: nl, topic: iran-nuclear-2231,
     kind: talking-points, format: docx, contains: null}
  - {q: Dank je wel!, intent: smalltalk, language: nl, topic: null, kind: null,
     format: null, contains: null}
- id: fr-near
  category: near-miss
  asked_in: fr
  q: Combien de violations graves contre des enfants en 2020 ?
  intent: unknown
  language: fr
  topic: null
  kind: null
  format: null
  contains: null
"""


def test_the_new_schema_loads_conversations_and_lists(engine: ChatEngine, tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text(NEW_SCHEMA, encoding="utf-8")
    conversations = load_conversations(path)
    assert [len(item.cases) for item in conversations] == [1, 3, 1]
    assert conversations[1].cases[2].turn == 3 and conversations[1].cases[2].asked_in == "nl"
    outcomes = evaluate_file(engine, path)
    assert all(item.right for item in outcomes), [
        (item.case.question, item.correct) for item in outcomes if not item.right
    ]
    assert refusal_rate(outcomes) == 1.0 and refusal_rate(outcomes, "en") is None


def test_a_broken_evaluation_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("- {asked_in: en, turns: []}\n", encoding="utf-8")
    with pytest.raises(EvaluationSetError, match="entry 1: turns must be a non-empty list"):
        load_conversations(path)


def test_the_confusion_script_scores_any_file(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    path.write_text(NEW_SCHEMA, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "chat_confusion.py"), str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "| all | 100.0% |" in result.stdout
    assert "| refused (unanswerable, near-miss) | 100.0% |" in result.stdout


# ---------------------------------------------------------------- small talk, conversation


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        ("Hallo!", "nl"),
        ("Goedemorgen", "nl"),
        ("Dank je wel!", "nl"),
        ("Bedankt, tot later", "nl"),
        ("Bonjour", "fr"),
        ("merci beaucoup, c'est parfait", "fr"),
        ("Au revoir", "fr"),
        ("Hello there", "en"),
        ("Thanks, that's all", "en"),
        ("cheers, bye", "en"),
    ],
)
def test_small_talk_gets_a_short_reply_in_its_language(
    engine: ChatEngine, message: str, lang: str
) -> None:
    answer = _session(engine).respond(message)
    assert (answer.intent, answer.language) == ("smalltalk", lang), answer.text
    assert len(answer.text) < 240 and "no sourced" not in answer.text


@pytest.mark.parametrize(
    ("message", "lang"),
    [("What can you do?", "en"), ("Wat kan je allemaal?", "nl"), ("Que pouvez-vous faire ?", "fr")],
)
def test_what_can_you_do_is_help(engine: ChatEngine, message: str, lang: str) -> None:
    answer = _session(engine).respond(message)
    assert (answer.intent, answer.language) == ("help", lang)


def test_a_question_with_a_greeting_is_still_answered(engine: ChatEngine) -> None:
    answer = _session(engine).respond("Hello! How many countries supported Belgium's candidacy?")
    assert answer.intent == "fact" and "181" in answer.text


def test_the_conversation_keeps_its_language(engine: ChatEngine) -> None:
    session = _session(engine)
    assert session.respond("Combien de pays ont soutenu la candidature belge ?").language == "fr"
    assert session.respond("MINUSMA").language == "fr"
    assert session.respond("Who chaired the Somalia sanctions committee?").language == "en"
    assert session.respond("Iran?").language == "en"


def test_now_the_talking_points_refers_to_the_last_document(engine: ChatEngine) -> None:
    session = _session(engine)
    session.respond("briefing note on peacekeeping")
    session.respond("Which sanctions committee did Belgium chair?")
    answer = session.respond("now the talking points")
    assert (answer.intent, answer.kind, answer.topic) == (
        "document",
        "talking-points",
        "peacekeeping",
    )


def test_same_topic_means_the_last_answers_topic(engine: ChatEngine) -> None:
    session = _session(engine)
    session.respond("Des éléments de langage sur la Syrie")
    answer = session.respond("et une note de briefing sur le même sujet ?")
    assert (answer.kind, answer.topic) == ("briefing-note", "syria-humanitarian-access")


@pytest.mark.parametrize(
    "message",
    [
        "briefing note on Iran in Word",
        "note de briefing sur l'Iran en Word",
        "briefingnota over Iran als Word-bestand",
        "talking points on Iran, docx",
        "talking points on Iran, Word format please",
    ],
)
def test_word_requests_are_docx(engine: ChatEngine, message: str) -> None:
    answer = _session(engine).respond(message)
    assert (answer.intent, answer.format, answer.topic) == ("document", "docx", "other-tasks")


def test_a_dutch_word_is_not_a_format(engine: ChatEngine) -> None:
    understanding = engine.reader.read("Hoe word ik penhouder van een resolutie?", "nl")
    assert understanding.format is None


def test_docx_without_the_module_fails_cleanly(
    engine: ChatEngine, dossier: Dossier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diplobrief.chat.answer import deliver
    from diplobrief.errors import OutputError

    monkeypatch.setitem(sys.modules, "diplobrief.docx", None)
    answer = _session(engine).respond("briefing note on Iran in Word")
    with pytest.raises(OutputError, match="Word \\(DOCX\\) output is not available"):
        deliver(answer, dossier, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_docx_goes_through_the_docx_module(
    engine: ChatEngine, dossier: Dossier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from diplobrief.chat.answer import deliver

    module = types.ModuleType("diplobrief.docx")
    module.document_docx = lambda dossier, document: b"PK-stub " + document.title.encode()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "diplobrief.docx", module)
    answer = deliver(_session(engine).respond("briefing note on Iran in Word"), dossier, tmp_path)
    assert answer.path == tmp_path / "other-tasks-briefing-note-en.docx"
    assert answer.path.read_bytes().startswith(b"PK-stub Briefing note")


def test_chat_summarises_a_document_and_writes_it(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        main, ["chat", "--output-dir", str(tmp_path)], input="talking points on peacekeeping\n"
    )
    assert result.exit_code == 0, result.output
    target = tmp_path / "peacekeeping-talking-points-en.md"
    assert target.read_text(encoding="utf-8").startswith("---\n")
    assert "Talking points: Peacekeeping" in result.output
    assert "Sections: " in result.output and "Key lines:" in result.output
    assert f"Wrote {target}" in result.output
    assert "---" not in result.output and "[^" not in result.output
    assert len(result.output.splitlines()) < 15


def test_a_goodbye_ends_the_chat(runner: CliRunner) -> None:
    result = runner.invoke(main, ["chat"], input="Merci, au revoir\nhelp\n")
    assert result.exit_code == 0
    assert result.output.rstrip().endswith("Au revoir.") and "Topics" not in result.output


def test_ask_piped_still_prints_markdown(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ask", "talking points on peacekeeping"])
    assert result.exit_code == 0 and result.output.startswith("---\n")


# ---------------------------------------------------------------- the mandate record, shape


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("When was Belgium's previous term on the Council?", "2007"),
        ("Wanneer was het vorige mandaat van België?", "2007"),
        ("Combien de fois la Belgique a-t-elle siégé au Conseil ?", "6"),
        ("When will Belgium be a candidate again?", "2037"),
        ("Which countries are the five permanent members?", "Russia"),
        ("Hoeveel niet-permanente leden telt de Raad?", "tien"),
    ],
)
def test_the_mandate_record_answers(engine: ChatEngine, message: str, expected: str) -> None:
    answer = _session(engine).respond(message)
    assert answer.intent == "fact" and expected in answer.text, answer.text
    assert answer.sources and answer.sources[0].quote in answer.text


@pytest.mark.parametrize(
    ("message", "lang", "function"),
    [
        ("Who is the author of the source?", "en", "Director for the United Nations"),
        ("Wie is de auteur van de bron?", "nl", "Directeur Verenigde Naties"),
        ("Qui est l'auteur de la source ?", "fr", "directeur Nations Unies"),
    ],
)
def test_the_source_and_its_author_answer(
    engine: ChatEngine, message: str, lang: str, function: str
) -> None:
    answer = _session(engine).respond(message)
    assert (answer.intent, answer.language) == ("fact", lang)
    assert "Bert Versmessen" in answer.text and function in answer.text


def test_an_answer_has_the_best_fact_first_and_no_duplicate(
    engine: ChatEngine, dossier: Dossier
) -> None:
    for case in load_cases(DEV_SET):
        answer = _session(engine).respond(case.question)
        if answer.intent != "fact" or not answer.facts:
            continue
        statements = [
            _flat(
                i18n.fill(
                    dossier.facts[fact].text.get(answer.language),
                    dossier.facts[fact].values,
                    answer.language,
                )
            )
            for fact in answer.facts
        ]
        assert len(set(statements)) == len(statements), case.question
        assert _flat(answer.text).startswith(statements[0])
        for later in statements[1:]:
            assert later in _flat(answer.text)
        assert _flat(answer.text).count("Related: ") <= max(0, len(statements) - 1)


def test_glossary_forms_find_each_other(engine: ChatEngine) -> None:
    for message in [
        "De quel pays la Belgique était-elle porte-plume ?",
        "Waarvoor was België penhouder?",
        "Combien de points de presse de l'UE pendant la présidence ?",
    ]:
        assert _session(engine).respond(message).intent == "fact", message


def test_lemmas_join_inflections(engine: ChatEngine) -> None:
    assert engine.index.lemmas["nl"]["steunden"] == "steunen"
    assert engine.index.lemmas["en"]["reduced"] == "reduce"
    answer = _session(engine).respond("Hoeveel landen steunden België?")
    assert answer.intent == "fact" and "181" in answer.text


# ---------------------------------------------------------------- the index cache


def test_the_index_is_cached_as_verified_json(dossier: Dossier, private_cache: Path) -> None:
    from diplobrief.chat import engine as engine_module
    from diplobrief.chat import store

    engine_module._engine.cache_clear()
    first = engine_for(DEFAULT_DOSSIER)
    files = list((private_cache / "chat").glob("*.json"))
    assert [file.stem for file in files] == [store.cache_key(DEFAULT_DOSSIER)]
    header, _, body = files[0].read_bytes().partition(b"\n")
    assert json.loads(header)["key"] == files[0].stem and json.loads(body)["index"]
    question = "Hoeveel landen steunden de kandidatuur?"
    expected = Session(first).respond(question).text
    # Tampered, truncated or foreign: rebuilt, and the answers stay the same.
    for damage in (body.replace(b'"181"', b'"182"'), body[:100], b"\x80\x81", b"[]"):
        files[0].write_bytes(header + b"\n" + damage)
        engine_module._engine.cache_clear()
        assert Session(engine_for(DEFAULT_DOSSIER)).respond(question).text == expected
        assert files[0].read_bytes() == header + b"\n" + body
    engine_module._engine.cache_clear()


def test_the_cache_key_follows_the_dossier_content(tmp_path: Path) -> None:
    import shutil

    from diplobrief.chat import store

    copy = tmp_path / "dossier"
    shutil.copytree(DEFAULT_DOSSIER, copy)
    before = store.cache_key(copy)
    assert before == store.cache_key(DEFAULT_DOSSIER)
    topic = next((copy / "topics").glob("*.yaml"))
    topic.write_text(topic.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert store.cache_key(copy) != before


def test_an_unwritable_cache_is_skipped(
    dossier: Dossier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diplobrief.chat import engine as engine_module

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DIPLOBRIEF_CACHE_DIR", str(blocker))
    engine_module._engine.cache_clear()
    assert Session(engine_for(DEFAULT_DOSSIER)).respond("MINUSMA").intent == "fact"
    engine_module._engine.cache_clear()


@pytest.mark.parametrize(
    "message",
    [
        "Op welke dag was het debat over overgangsjustitie?",
        "Bonjour, quelle est la date exacte du débat ?",
    ],
)
def test_a_question_beside_a_greeting_is_not_small_talk(engine: ChatEngine, message: str) -> None:
    assert _session(engine).respond(message).intent == "unknown"


def test_a_follow_up_in_another_language_is_answered_in_it(engine: ChatEngine) -> None:
    session = _session(engine)
    assert session.respond("Combien de pays ont soutenu la candidature belge ?").language == "fr"
    assert session.respond("help").language == "fr"
    answer = session.respond("And which sanctions committee did Belgium chair?")
    assert (answer.intent, answer.language) == ("fact", "en")
    assert session.respond("as PDF").language == "en"


def test_a_cache_entry_that_is_not_a_regular_file_is_ignored(
    dossier: Dossier, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from diplobrief.chat import engine as engine_module
    from diplobrief.chat import store

    monkeypatch.setenv("DIPLOBRIEF_CACHE_DIR", str(tmp_path))
    folder = tmp_path / "chat"
    folder.mkdir()
    entry = folder / f"{store.cache_key(DEFAULT_DOSSIER)}.json"
    os.mkfifo(tmp_path / "fifo")
    entry.symlink_to(tmp_path / "fifo")
    assert store.read(entry, entry.stem) is None  # neither blocks nor follows the link
    engine_module._engine.cache_clear()
    assert Session(engine_for(DEFAULT_DOSSIER)).respond("MINUSMA").intent == "fact"
    engine_module._engine.cache_clear()


def test_a_cached_ask_imports_no_index_builder(tmp_path: Path) -> None:
    """wordfreq and simplemma build the index; a later ``ask`` reads what it derived
    from them (frequency buckets, lemma tables) and imports neither."""
    code = (
        "import sys\nfrom diplobrief.cli import main\n"
        "try:\n    main(['ask', 'How many countries supported the candidacy?'])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in "
        "('wordfreq', 'simplemma')), file=sys.stderr)\n"
    )
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DIPLOBRIEF_CACHE_DIR": str(tmp_path),
    }
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=environment
        )
        for _ in range(2)
    ]
    assert "wordfreq" in runs[0].stderr  # the first run builds the index
    assert runs[1].stderr.strip() == "[]", runs[1].stderr


def test_chat_writes_a_real_word_file(runner: CliRunner, tmp_path: Path) -> None:
    import zipfile

    pytest.importorskip("diplobrief.docx")
    pytest.importorskip("pypandoc")
    result = runner.invoke(
        main, ["chat", "--output-dir", str(tmp_path)], input="spreekpunten over Iran als docx\n"
    )
    assert result.exit_code == 0, result.output
    target = tmp_path / "other-tasks-talking-points-nl.docx"
    assert f"{target} geschreven" in result.output
    with zipfile.ZipFile(target) as archive:
        assert "Iran" in archive.read("word/document.xml").decode("utf-8")


def test_the_index_is_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    code = (
        "import hashlib, json\nfrom diplobrief.chat.engine import build_engine_state\n"
        "from diplobrief.dossier import load_dossier\n"
        "from diplobrief.paths import DEFAULT_DOSSIER\n"
        "state = build_engine_state(load_dossier(DEFAULT_DOSSIER))\n"
        "print(hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src"), "PYTHONHASHSEED": seed},
            timeout=300,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


# ------------------------------------------- the other outsider halves and their mechanisms


@pytest.fixture(scope="module")
def outsider_outcomes(engine: ChatEngine) -> dict[Path, list]:
    return {path: evaluate_file(engine, path) for path in OUTSIDER_SETS}


@pytest.mark.parametrize("path", OUTSIDER_SETS, ids=lambda path: path.name)
def test_outsider_halves_keep_their_floors(outsider_outcomes: dict, path: Path) -> None:
    outcomes = outsider_outcomes[path]
    floors = dict(OUTSIDER_SETS[path])
    refusal_floor = floors.pop("refused", OUTSIDER_REFUSAL_FLOOR)
    for field, floor in floors.items():
        score = accuracy(outcomes, field)
        assert score >= floor, f"{path.name} {field}: {score:.1%}"
    rate = refusal_rate(outcomes)
    assert rate is not None and rate >= refusal_floor, rate


def _answers_or_refuses(engine: ChatEngine, question: str, expected: str | None) -> None:
    """A fact holding ``expected``, or a refusal where ``expected`` is None."""
    answer = _reply(engine, question)
    if expected is None:
        assert answer.intent == "unknown", answer.text
    else:
        assert answer.intent == "fact" and expected in answer.text, answer.text


def _reply(engine: ChatEngine, *messages: str) -> Answer:
    session = _session(engine)
    answer = None
    for message in messages:
        answer = session.respond(message)
    assert answer is not None
    return answer


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "backed" is "supported", "bid" a candidacy: one meaning, one query word.
        ("how many UN member states backed belgium's bid in 2018", "181"),
        ("Welk land beschouwen de VS als hun grootste strategische concurrent?", "China"),
        # "sat" on the Council is being a member of it; "vorige keer" the previous term.
        ("Wanneer zat België vorige keer in de Veiligheidsraad?", "2007"),
        # A Dutch compound unknown to the dossier, found by its known last part.
        ("in welk jaar werd ons land door terreuraanslagen getroffen?", "2016"),
        # What "how many" counts, by its glossary term: blue helmets are peacekeepers.
        ("How many Belgian blue helmets served in MINUSMA?", "hundred"),
        # A clause set aside is not asked: "2019" must not be in the answer.
        ("what was belgiums previous stint on the council - not the 2019 one", "2007"),
        # Countries given as alternatives: the answer names one of them.
        ("Which sanctions committee did Belgium chair, Somalia or Libya?", "Somalia"),
        # "competitor" is a "rival", "biggest" the "main" one.
        ("Who do the Americans see as their biggest competitor?", "China"),
    ],
)
def test_paraphrases_find_the_fact(engine: ChatEngine, question: str, expected: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in answer.text, answer.text


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        # Words of any subject ("klopt", "exactement", "really") that the dossier lacks
        # weigh little: they neither refuse the question nor need to be in the answer.
        ("Is het klopt dat het in 2020 moeilijker werd om resoluties unaniem aan te nemen?", "nl"),
        ("Combien de pays ont soutenu la candidature belge, exactement ?", "fr"),
        ("So how many countries really supported the candidacy?", "en"),
    ],
)
def test_generic_words_do_not_refuse(engine: ChatEngine, question: str, lang: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and answer.language == lang, answer.text


def test_generic_words_alone_answer_nothing(engine: ChatEngine) -> None:
    """Without a word of substance, generic words retrieve no fact."""
    assert _reply(engine, "actually, exactly, really?").intent != "fact"


@pytest.mark.parametrize(
    "question",
    [
        # Another body than the one the dossier knows of ("committee" with two others).
        "Did Kuwait or Germany chair any sanctions committee during those years?",
        # A person's name, when the dossier gives only the role.
        "Comment s'appelait la Haute-Commissaire aux droits de l'homme qui s'est adressée "
        "au Conseil ?",
        "What was the name of the US president whose administration questioned multilateralism?",
        "Hoe heet onze permanente vertegenwoordiger bij de VN in New York?",
        # A glossary term counts only whole: "permanente vertegenwoordiger" is not the
        # "permanent" of "permanent members".
        "Wie was de Belgische permanente vertegenwoordiger in New York tijdens het mandaat?",
        # The number of a document the dossier does not number.
        "welk nummer had de covid-resolutie van de raad",
        # Four-letter words are not mended into dossier words ("film" is not "file").
        "Conseille-moi un bon film pour ce soir",
        "Geef me een recept voor Vlaamse stoofvlees",
        # "How many" counts what the question names, not "Belgian".
        "How many Belgian peacekeepers were deployed in the DRC?",
    ],
)
def test_near_misses_are_refused(engine: ChatEngine, question: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "unknown", answer.text


@pytest.mark.parametrize(
    ("message", "intent", "lang"),
    [
        ("Qu'est-ce que tu sais faire exactement ?", "help", "fr"),
        ("bonjour, qu'est-ce que vous pouvez faire pour moi ?", "help", "fr"),
        ("wat kun je allemaal voor mij doen?", "help", "nl"),
        ("what can you actually do for me?", "help", "en"),
        ("Thanks, that's really helpful", "smalltalk", "en"),
        ("thanks, that's all I needed", "smalltalk", "en"),
        ("Top, bedankt voor de hulp", "smalltalk", "nl"),
        ("merci, c'est très utile", "smalltalk", "fr"),
        ("Salut, alles goed?", "smalltalk", "nl"),
        ("Bonjour, comment ça va ?", "smalltalk", "fr"),
        ("Hi, how are you?", "smalltalk", "en"),
    ],
)
def test_capability_questions_and_closing_thanks(
    engine: ChatEngine, message: str, intent: str, lang: str
) -> None:
    answer = _reply(engine, message)
    assert (answer.intent, answer.language) == (intent, lang), answer.text


def test_thanks_with_a_question_is_a_question(engine: ChatEngine) -> None:
    answer = _reply(engine, "Thanks! Who chaired the Somalia sanctions committee?")
    assert answer.intent == "fact" and "Somalia" in answer.text


@pytest.mark.parametrize(
    ("message", "requested"),
    [
        ("Note sur la Syrie en anglais", "en"),
        ("in het Frans graag", "fr"),
        ("la version anglaise", "en"),
        ("Briefing on Syria in French", "fr"),
        # A language name describing a noun asks for nothing.
        ("According to the French summary, what is essential?", None),
        ("Wat deed het Franse voorzitterschap?", None),
        ("The French position on Syria?", None),
    ],
)
def test_language_names_that_ask_for_a_language(
    engine: ChatEngine, message: str, requested: str | None
) -> None:
    assert engine.reader.read(message, "en").requested_language == requested


def test_a_french_summary_question_is_answered_in_english(engine: ChatEngine) -> None:
    question = "According to the French summary, a rules-based order is essential for what?"
    answer = _reply(engine, question)
    assert answer.language == "en" and "prosperity" in answer.text


def test_the_kind_name_does_not_set_the_language(engine: ChatEngine) -> None:
    """English kind names in a Dutch request ("talking points") leave it Dutch."""
    answer = _reply(engine, "Talking points over vredeshandhaving en geïntegreerde missieplanning")
    assert (answer.intent, answer.language, answer.kind) == ("document", "nl", "talking-points")


def test_word_after_document_is_docx(engine: ChatEngine) -> None:
    answer = _reply(engine, "Document Word : éléments de langage sur la nouvelle candidature")
    assert (answer.kind, answer.format) == ("talking-points", "docx")


def test_a_follow_up_asking_only_a_kind_of_value(engine: ChatEngine) -> None:
    answer = _reply(
        engine,
        "Met wie heeft België het Syrië-dossier over humanitaire toegang geleid?",
        "en welke resolutie was dat ook alweer?",
    )
    assert answer.intent == "fact" and "2165" in answer.text


def test_a_language_follow_up_with_a_generic_word(engine: ChatEngine) -> None:
    answer = _reply(
        engine, "Éléments de langage sur les enfants et les conflits armés", "en anglais finalement"
    )
    assert (answer.intent, answer.language, answer.kind) == ("document", "en", "talking-points")


def test_the_author_and_then_his_function(engine: ChatEngine, dossier: Dossier) -> None:
    session = _session(engine)
    first = session.respond("Who wrote the article and what's his position at the ministry?")
    assert "Versmessen" in first.text
    function = dossier.mandate.sources[0].author_function.fr
    follow_up = session.respond("Qui a écrit cet article ?")
    assert follow_up.language == "fr"
    again = session.respond("et quelle fonction occupe-t-il ?")
    assert again.language == "fr" and function in again.text
    state = session.to_state()
    assert Session.from_state(engine, state).source_last


@pytest.mark.parametrize(
    "question",
    [
        # The noun of "what is the X of …" must be in the answer, known to the dossier
        # ("population" is, in another sense) or not ("budget", "hoofdstad").
        "What is the population of Somalia?",
        "Quel est le budget de la mission MINUSMA ?",
        "Wat is de hoofdstad van Mali?",
        # A month the question names must be the fact's.
        "Which country chaired the Council in March 2020?",
        # A verb in a question orders no document.
        "When was the Somalia sanctions committee created?",
        # Only a guess at a typo ("gedicht" is no "gewicht") and the frame match.
        "Schrijf een gedicht over de VN",
        # "Qui" asks for a person; the role noun alone ("représentant") names no one.
        "Qui était le représentant permanent de la France ?",
    ],
)
def test_what_the_question_asks_must_be_in_the_answer(engine: ChatEngine, question: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "unknown", answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # An aspect noun ("role", "rol", "rôle") is answered by any fact on the subject.
        ("Wat was de rol van België in het dossier van Iran?", "2231"),
        # "D'après" is "according to", not "after".
        (
            "D'après le résumé, quel article de la Charte confie au Conseil la "
            "responsabilité première du maintien de la paix ?",
            "24",
        ),
        # Unity is asked about, division is answered.
        ("Did the Council manage to stay united during the pandemic?", "COVID"),
    ],
)
def test_aspects_and_phrases_still_answer(engine: ChatEngine, question: str, expected: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in answer.text, answer.text


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        # Too close to call on letters; the function words of one language settle it.
        ("Le Standard a gagné hier soir ?", "fr"),
        ("Comment dit-on « memorandum of understanding » en espagnol ?", "fr"),
    ],
)
def test_function_words_settle_a_short_message(engine: ChatEngine, message: str, lang: str) -> None:
    session = _session(engine, default_language="nl" if lang != "nl" else "en")
    assert session.respond(message).language == lang


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "EU" is a word of substance, not the French participle "eu".
        (
            "Combien de points de presse communs de l'UE y a-t-il eu pendant la présidence belge ?",
            "6",
        ),
        ("How did the EU members of the Council cooperate?", "intense"),
    ],
)
def test_the_eu_is_a_subject(engine: ChatEngine, question: str, expected: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in answer.text, answer.text


# ------------------------------------- issue #8's third round: classes, not questions


def test_rarity_tells_common_words_from_rare_ones(engine: ChatEngine) -> None:
    """wordfreq's lists, stored with the index: "inside" is general language, "veto"
    rarer, a word of no list the rarest; a common word weighs less, never nothing."""
    rarity = engine.index.rarity
    assert rarity.zipf("inside") > rarity.zipf("veto") > rarity.zipf("qzxwv") == 0.0
    assert rarity.specificity("qzxwv", 0.7) == 1.0
    assert 0.7 <= rarity.specificity("inside", 0.7) < 1.0


def test_real_words_are_not_typos(engine: ChatEngine) -> None:
    """Only a word of no language is mended: "Paris" is not "pris", nor is "briefed" a
    document kind; "poitns" is still "points"."""
    assert engine.index.typo("paris") is None
    assert engine.index.typo("poitns") == "points"
    answer = _reply(engine, "Who briefed the Council on human rights during February 2020?")
    assert answer.intent != "document", answer.text


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # A help word inside a question is its subject ("cross-border aid").
        ("Met wie trok België de grensoverschrijdende hulp aan Syrië?", "fact"),
        # … and opening a message, a request for help.
        ("Help: which documents can you write, and in which languages?", "help"),
        ("Welke talen en formaten ken je, assistent?", "help"),
    ],
)
def test_help_words_inside_questions(engine: ChatEngine, question: str, intent: str) -> None:
    assert _reply(engine, question).intent == intent


def test_when_inside_a_clause_asks_no_time(engine: ChatEngine) -> None:
    """ "… when X happened?" inside a clause is no "when?": the answer needs no date."""
    answer = _reply(engine, "What happened to agreed language when it was called into question?")
    assert answer.intent == "fact" and "status quo" in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        # A number beside another noun is no count of what is asked.
        "How many border crossings were still open before the reduction?",
        "Combien de points de passage étaient ouverts avant la réduction ?",
        # A cost is money, and the dossier states none.
        "How much did Belgium's campaign for the seat cost?",
        "Wat was het budget van de Belgische campagne?",
        # A vote: the dossier states nobody's.
        "How did Belgium vote on the 2019 women, peace and security resolution?",
        "Hoe stemde België over de verlenging van de hulp aan Syrië?",
        # Which member: a country, and the veto fact names none.
        "Which permanent member used its veto most often on the Syria renewals?",
        # "The population of Belgium": the fact itself must state a population, and
        # of Belgium (Syria's civilian population is not it; "populism" shares a stem).
        "What is the population of Belgium?",
        "Wat is de bevolking van België?",
        # "The ten members": a fact naming two countries lists no ten.
        "Noem de tien verkozen leden van de Raad in 2019.",
        # Only the setting (a city, a time) is shared with a fact.
        "Quel temps fait-il à New York demain ?",
        "Wat speelt er vanavond in de bioscoop in Brussel?",
        # … or only an aspect ("position") of a subject the dossier lacks.
        "Quelle est la position de la Belgique sur le changement climatique ?",
    ],
)
def test_answer_types_need_their_value(engine: ChatEngine, question: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "unknown", answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # What "how many" counts is the noun beside the number, or the value's name.
        ("How many countries backed the candidacy in 2018?", "181"),
        ("Sur combien de textes possibles le groupe de travail a-t-il statué ?", "14"),
        # "How many countries voted": a count of countries, not a vote.
        ("How many countries voted for Belgium in June 2018?", "181"),
        # … while the five permanent members are listed.
        ("Which are the five permanent members of the Council?", "China"),
        # A number typed in digits finds one written in words.
        ("What are the 4 components of transitional justice?", "truth"),
        # "How long" asks for a span of time.
        ("Hoe lang had de Raad nodig voor een resolutie over COVID?", "drie maanden"),
        # A Dutch separable verb, joined again: "zat … voor" is chaired.
        ("Welke werkgroep zat België voor?", "Kinderen en Gewapende Conflicten"),
        # The dates of the term are asked for, not a word the fact must hold.
        ("Quelles étaient les dates du mandat belge ?", "31 décembre 2020"),
        # The mandate record gives what it records: the campaign ended in the election.
        ("When was Belgium elected to the Security Council?", "June 2018"),
        ("Wanneer werd België verkozen in de Veiligheidsraad?", "juni 2018"),
        ("Quand la Belgique a-t-elle été élue au Conseil de sécurité ?", "juin 2018"),
        # "For which years" asks for a time.
        ("Voor welke jaren is België opnieuw kandidaat?", "2037"),
    ],
)
def test_typed_answers(engine: ChatEngine, question: str, expected: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in _flat(answer.text), answer.text


def test_answers_about_the_author_have_no_topic(engine: ChatEngine) -> None:
    """The source's author is not a topic of the mandate."""
    assert _reply(engine, "Who is the author of the source?").topic is None
    answer = _reply(engine, "In which countries was the author posted?")
    assert answer.intent == "fact" and "Canada" in answer.text and answer.topic is None


def test_thanks_with_common_words_is_small_talk(engine: ChatEngine) -> None:
    assert _reply(engine, "Merci beaucoup, ça m'aide vraiment.").intent == "smalltalk"


@pytest.mark.parametrize(
    ("message", "lang"),
    [
        # "Who are you?" asks about the chat, in any of its usual forms and languages.
        ("Who am I talking to?", "en"),
        ("Met wie spreek ik eigenlijk?", "nl"),
        ("Vous êtes qui, au juste ?", "fr"),
    ],
)
def test_who_are_you_is_small_talk(engine: ChatEngine, message: str, lang: str) -> None:
    answer = _reply(engine, message)
    assert answer.intent == "smalltalk" and answer.language == lang, answer.text
    # The reply introduces the chat: what it answers from.
    assert "2019-2020" in answer.text and "dossier" in answer.text, answer.text


@pytest.mark.parametrize(
    "message", ["What file types can you make?", "Quels formats de fichier peux-tu produire ?"]
)
def test_file_formats_asked_of_the_chat_are_help(engine: ChatEngine, message: str) -> None:
    assert _reply(engine, message).intent == "help"


@pytest.mark.parametrize(
    ("messages", "topic", "kind"),
    [
        # An opening "perfect," or "oké," reacts to the last answer and names no topic.
        # Somalia's and Iran's topics were merged into "other-tasks" (its `replaces:`).
        (
            ("Could you write talking points on Somalia?", "Perfect, and now the briefing note"),
            "other-tasks",
            "briefing-note",
        ),
        (
            ("Nota over Iran graag", "Oké, nu de spreekpunten"),
            "other-tasks",
            "talking-points",
        ),
    ],
)
def test_an_opening_interjection_names_no_topic(
    engine: ChatEngine, messages: tuple[str, ...], topic: str, kind: str
) -> None:
    answer = _reply(engine, *messages)
    assert (answer.intent, answer.topic, answer.kind) == ("document", topic, kind)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "Which <noun>": a fact that names it (a name, a country) answers.
        ("Quelle commission des sanctions la Belgique a-t-elle présidée ?", "Somalie"),
        ("Welke werkgroep van de Raad werd door België voorgezeten?", "Kinderen"),
        # One that mentions the noun without naming it does not, nor does its neighbour.
        ("Welke grensovergang bleef open?", None),
        ("Which crossing was kept open?", None),
    ],
)
def test_which_questions_need_the_thing_named(
    engine: ChatEngine, question: str, expected: str | None
) -> None:
    _answers_or_refuses(engine, question, expected)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # A question set in the future wants a time after the term: the next candidacy.
        ("When is Belgium's next candidacy?", "2037"),
        ("Quand la Belgique sera-t-elle de nouveau candidate ?", "2037"),
        # Not a fact holding only the term's own years.
        ("When will Belgium hold the Council presidency again?", None),
        ("Wanneer zal de Raad de volgende resolutie over Syrië aannemen?", None),
        ("Quand aura lieu la prochaine réunion du Conseil ?", None),
    ],
)
def test_future_questions_want_a_later_time(
    engine: ChatEngine, question: str, expected: str | None
) -> None:
    _answers_or_refuses(engine, question, expected)


@pytest.mark.parametrize(
    "question",
    ["Which dates did Belgium's most recent term run?", "When exactly did the last term end?"],
)
def test_known_generic_words_weigh_little(engine: ChatEngine, question: str) -> None:
    # "last", "recent", "exactly" say how the question is put, even where a fact has them.
    answer = _reply(engine, question)
    assert answer.intent == "fact" and "2020" in answer.text, answer.text


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        # "During our term" sets the time; the topic is what else the request names.
        ("Talking points on how split the Council was throughout the term", "council-dynamics"),
        (
            "Notes d'information sur les divisions du Conseil pendant notre mandat",
            "council-dynamics",
        ),
    ],
)
def test_during_the_term_is_a_setting(engine: ChatEngine, message: str, topic: str) -> None:
    answer = _reply(engine, message)
    assert answer.intent == "document" and answer.topic == topic, answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "The subject / het thema / le sujet of X" is an aspect: the fact about X answers
        # without saying "subject".
        ("Wat was het thema van het signatuurevenement?", "kinderen"),
        ("What was the topic of the signature event?", "children"),
    ],
)
def test_subject_of_is_an_aspect(engine: ChatEngine, question: str, expected: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in answer.text.lower(), answer.text


@pytest.mark.parametrize(
    "question",
    [
        # "The author says / décrit": the author reports; the subject is what is asked.
        "What does the author say about the veto?",
        "Comment l'auteur décrit-il le droit de veto ?",
    ],
)
def test_the_author_reports(engine: ChatEngine, question: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and answer.facts, answer.text
    assert not set(engine.index.source_facts) & set(answer.facts), answer.facts


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Dat lukte omdat de leden samenwerkten.", "nl", True),
        ("Il a réussi parce qu'il a insisté.", "fr", True),
        ("They met in order to agree on a text.", "en", True),
        ("The Council met in New York.", "en", False),
        ("Le Conseil se réunit à New York.", "fr", False),
    ],
)
def test_reason_connectives(text: str, lang: str, expected: bool) -> None:
    assert gives_reason(text, lang) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # "Why" is answered by the fact that gives a reason ("omdat", "parce que", "in
        # order to"), not by the one restating what is asked about.
        ("Om welke reden is multilateralisme voor België zo belangrijk?", "omdat"),
        ("Pour quelle raison le multilatéralisme est-il essentiel pour la Belgique ?", "parce"),
        ("Why must the Council be unanimous?", "in order to"),
    ],
)
def test_why_questions_get_the_reason(engine: ChatEngine, question: str, expected: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        # A topic's name alone asks about it; a fact of another topic holding a synonym
        # of the name ("did not lead to" for "presidency") does not answer it.
        ("The Belgian presidency?", "belgian-presidency"),
        ("La présidence belge ?", "belgian-presidency"),
    ],
)
def test_a_bare_topic_name_gets_that_topic(engine: ChatEngine, message: str, topic: str) -> None:
    answer = _reply(engine, message)
    assert answer.intent == "fact" and answer.topic == topic, answer.text


def test_lead_to_is_not_leading() -> None:
    """ "Led to" is a cause: indexed apart from "led", so "lead" and "chair" miss it."""
    caused = text_terms("The talks led to a text.", "en")
    assert "en:led" not in caused and any(term.endswith("~") for term in caused)
    assert "en:led" in text_terms("Belgium led the talks.", "en")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did the command and control discussion lead to?", "evacuation"),
        ("Did the pandemic lead to unity in the Council?", "divisions"),
    ],
)
def test_lead_to_asks_about_a_cause(engine: ChatEngine, question: str, expected: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Welke tekst van de werkgroep werd niet aangenomen?", True),
        ("Quel texte du groupe de travail n'a pas été adopté ?", True),
        ("Why didn't the working group agree on the last text?", True),
        # A prefix, "not only", "or not" and "if not" negate nothing asked.
        ("Hoe lang zetelt een niet-permanent lid?", False),
        ("Met welke landen, niet alleen Duitsland?", False),
        ("C'était un mandat officiel ou pas ?", False),
        ("If not, which term was it?", False),
    ],
)
def test_negated_questions(question: str, expected: bool) -> None:
    assert _negates(question) is expected


def test_what_was_not_done_needs_a_negative_fact(engine: ChatEngine) -> None:
    """The fact that texts were adopted does not say which one was not."""
    answer = _reply(engine, "Which working group text on children was not adopted?")
    assert answer.intent == "unknown", answer.text


@pytest.mark.parametrize(
    "question",
    [
        "When did Belgium previously sit on the Council, before 2019?",
        "Quand était le mandat précédent de la Belgique, avant 2019 ?",
    ],
)
def test_a_year_measured_from_need_not_be_stated(engine: ChatEngine, question: str) -> None:
    """ "Before 2019" asks for an earlier time; the answer need not say 2019."""
    answer = _reply(engine, question)
    assert answer.intent == "fact" and "2007" in answer.text, answer.text


def test_a_shared_sentence_goes_to_the_topic_the_question_names(engine: ChatEngine) -> None:
    """One sentence filed under two topics: the topic whose title and aliases hold more
    of the question ("human rights", not the presidency) gives it."""
    question = "Which human rights official spoke to the Council while Belgium presided?"
    answer = _reply(engine, question)
    assert answer.intent == "fact" and answer.topic == "human-rights", answer.text


@pytest.mark.parametrize(
    ("opening", "thanks", "language"),
    [
        ("Welke resoluties heeft België mee opgesteld over Syrië?", "thanks, top hoor", "nl"),
        ("Welke resoluties heeft België mee opgesteld over Syrië?", "merci zeg", "nl"),
        ("Quel comité des sanctions la Belgique a-t-elle présidé ?", "merci bien", "fr"),
        # A thanks the conversation's language does not use is a change of language.
        ("Welke resoluties heeft België mee opgesteld over Syrië?", "merci beaucoup", "fr"),
    ],
)
def test_a_loanword_thanks_keeps_the_conversation_language(
    engine: ChatEngine, opening: str, thanks: str, language: str
) -> None:
    answer = _reply(engine, opening, thanks)
    assert (answer.intent, answer.language) == ("smalltalk", language), answer.text


def test_an_english_kind_name_leaves_words_of_one_language_to_tell(engine: ChatEngine) -> None:
    """ "Iraans" and "nucleair" are spelt so only in Dutch; their letters alone look French."""
    answer = _reply(engine, "Talking points Iraans nucleair programma")
    assert (answer.intent, answer.language) == ("document", "nl"), answer.text


@pytest.mark.parametrize(
    "request_text",
    [
        "Write a short story about peacekeeping in Mali",
        "maak een liedje over de Belgische campagne",
        "rédige une fable sur le Conseil de sécurité",
        "Kun je een sprookje schrijven over de sanctiecomités?",
        "a limerick about the veto, please",
    ],
)
def test_creative_writing_is_not_a_document(engine: ChatEngine, request_text: str) -> None:
    answer = _reply(engine, request_text)
    assert answer.intent == "unknown" and answer.kind is None, answer.text


def test_a_story_asked_about_is_an_account(engine: ChatEngine) -> None:
    """ "What is the story on …?" asks what happened, in a question with no writing verb."""
    answer = _reply(engine, "What is the story on the Syria cross-border file?")
    assert answer.intent == "fact", answer.text


def test_brief_as_a_verb_in_a_question_asks_no_document(engine: ChatEngine) -> None:
    answer = _reply(engine, "Which official did Belgium invite to brief the Council on children?")
    assert answer.intent != "document" and answer.kind is None, answer.text


def test_a_brief_still_asked_for_in_a_question(engine: ChatEngine) -> None:
    answer = _reply(engine, "Can you give me a brief on peacekeeping?")
    assert (answer.intent, answer.kind) == ("document", "briefing-note"), answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Tell me the number of the resolution on the pandemic, please?",
        "Quel était le numéro de la résolution du Conseil sur la COVID ?",
    ],
)
def test_the_number_of_a_resolution_is_not_a_count(engine: ChatEngine, question: str) -> None:
    """Its symbol is asked: a fact holding "three months" does not answer."""
    understanding = engine.reader.read(question, "en")
    assert "resolution" in understanding.answer_types, understanding.answer_types
    assert "count" not in understanding.answer_types, understanding.answer_types
    assert _reply(engine, question).intent == "unknown"


@pytest.mark.parametrize(
    "question",
    [
        "À quelle date exacte le Roi a-t-il parlé lors de la cérémonie de signature ?",
        "Op welke precieze datum vond het signature event met de Koning plaats?",
    ],
)
def test_an_exact_date_is_not_answered_by_a_month(engine: ChatEngine, question: str) -> None:
    understanding = engine.reader.read(question, "en")
    assert "date" in understanding.answer_types and "time" not in understanding.answer_types
    assert _reply(engine, question).intent == "unknown"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Belgium held the pen for which UN office?", "West Africa"),
        ("what role did our perm rep play on res 2231?", "facilitator"),
        ("c'etait le combientieme mandat de la Belgique au CSNU ?", "6e"),
        ("What changed in Washington in 2016 according to the article?", "multilateral"),
        ("Which resolution allowed aid into Syria without Damascus' consent?", "2165"),
        ("wanneer werd eigenlijk beslist om terug kandidaat te zijn?", "meteen na"),
    ],
)
def test_jargon_metonymy_ranks_and_relative_dates_answer(
    engine: ChatEngine, question: str, expected: str
) -> None:
    """'Held the pen', 'perm rep', a capital for its country, a rank, 'right after'."""
    answer = _reply(engine, question)
    assert answer.intent == "fact" and expected in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Hoe laat is het nu in New York?",
        "Give me an overview of Belgium-China relations on 5G.",
        "What did the G7 say about the Syria file?",
    ],
)
def test_the_time_of_day_and_unknown_code_names_are_refused(
    engine: ChatEngine, question: str
) -> None:
    assert _reply(engine, question).intent == "unknown"


def test_the_presidency_of_a_committee_is_not_another_countrys_term(engine: ChatEngine) -> None:
    request = "Lessons learned over het voorzitterschap van het sanctiecomité Somalië"
    answer = _reply(engine, request)
    assert (answer.intent, answer.kind, answer.topic) == (
        "document",
        "lessons-learned",
        "other-tasks",
    ), answer.text


def test_one_dutch_word_beside_an_english_kind_name_sets_the_language(engine: ChatEngine) -> None:
    answer = _reply(engine, "lessons learned conflictpreventie")
    assert (answer.intent, answer.language) == ("document", "nl"), answer.text


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (
            "How many grave violations against children did the UN verify in 2019?",
            "In how many countries?",
            "19 countries",
        ),
        (
            "Avec qui la Belgique a-t-elle organisé la réunion des membres élus à Bruxelles ?",
            "C'était quand ?",
            "décembre 2019",
        ),
    ],
)
def test_an_elliptical_follow_up_asks_about_the_fact_just_given(
    engine: ChatEngine, first: str, second: str, expected: str
) -> None:
    answer = _reply(engine, first, second)
    assert answer.intent == "fact" and expected in answer.text, answer.text


def test_talking_points_after_the_whole_mandate_lessons_are_the_overviews(
    engine: ChatEngine,
) -> None:
    answer = _reply(engine, "Lessons learned on the whole term, please", "Now the talking points")
    assert (answer.intent, answer.kind, answer.topic) == (
        "document",
        "talking-points",
        "mandate-overview",
    ), answer.text


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        (
            "Hoeveel EU stake-outs waren er tijdens het Belgische voorzitterschap?",
            "eu-coordination",
        ),
        (
            "Who addressed the Council on human rights during the Belgian presidency?",
            "human-rights",
        ),
    ],
)
def test_a_sentence_filed_under_two_topics_answers_for_the_subject_not_the_setting(
    engine: ChatEngine, question: str, topic: str
) -> None:
    """'During the presidency' says when; the stake-outs or human rights say what."""
    answer = _reply(engine, question)
    assert (answer.intent, answer.topic) == ("fact", topic), answer.text


def test_what_happened_during_a_topic_is_its_summary(engine: ChatEngine, dossier: Dossier) -> None:
    answer = _reply(engine, "What happened during the Belgian presidency?")
    summary = dossier.topics["belgian-presidency"].summary.facts
    assert answer.topic == "belgian-presidency" and answer.facts[0] in summary, answer.text


@pytest.mark.parametrize(
    "question", ["Quel temps fera-t-il demain à Bruxelles ?", "What is on the agenda tomorrow?"]
)
def test_tomorrow_is_after_what_a_dated_source_can_say(engine: ChatEngine, question: str) -> None:
    assert _reply(engine, question).intent == "unknown"


@pytest.mark.parametrize(
    ("message", "kind", "topic", "output_format"),
    [
        ("Een BN over de sancties tegen Iran graag", "briefing-note", "other-tasks", "md"),
        ("LL conflict prevention, as PDF", "lessons-learned", "conflict-prevention", "pdf"),
        ("Prépare des TP sur la COVID en Word", "talking-points", "covid-19", "docx"),
    ],
)
def test_capitalised_kind_abbreviations_ask_for_documents(
    engine: ChatEngine, message: str, kind: str, topic: str, output_format: str
) -> None:
    answer = _reply(engine, message)
    assert (answer.intent, answer.kind, answer.topic, answer.format) == (
        "document",
        kind,
        topic,
        output_format,
    ), answer.text


def test_a_lower_case_abbreviation_is_no_kind(engine: ChatEngine) -> None:
    """Only "TP" in capitals abbreviates talking points: a lower-case "tp" may be anything."""
    assert engine.reader.read("tp over Somalië", "nl").kind is None


def test_of_two_kind_names_the_first_is_asked_the_second_the_occasion(
    engine: ChatEngine,
) -> None:
    answer = _reply(engine, "TPs on the Syria renewals ahead of a briefing")
    assert (answer.kind, answer.topic) == ("talking-points", "syria-humanitarian-access")


@pytest.mark.parametrize(
    "message",
    ["briefing note on peacekeeping in HTML", "une note sur le maintien de la paix, format html"],
)
def test_html_is_a_document_format(engine: ChatEngine, message: str, tmp_path: Path) -> None:
    answer = _reply(engine, message)
    assert (answer.intent, answer.format, answer.topic) == ("document", "html", "peacekeeping")
    written = deliver(answer, engine.dossier, tmp_path)
    assert written.path is not None and written.path.suffix == ".html"
    assert written.path.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_a_file_format_with_a_topic_asks_for_a_document(engine: ChatEngine) -> None:
    """ "On COVID, as a Word file" names no kind: a file is a document, a note by default."""
    answer = _reply(engine, "The COVID pandemic in the Council as a Word file")
    assert (answer.intent, answer.kind, answer.format) == ("document", "briefing-note", "docx")


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("Talking points on the COVID pandemic for the Ambassador's lunch", "covid-19"),
        (
            "Spreekpunten over conflictpreventie voor een lezing aan de universiteit",
            "conflict-prevention",
        ),
        ("Une note sur le maintien de la paix, pour la réunion de direction", "peacekeeping"),
    ],
)
def test_whom_a_document_is_for_is_not_its_subject(
    engine: ChatEngine, message: str, topic: str
) -> None:
    answer = _reply(engine, message)
    assert (answer.intent, answer.topic) == ("document", topic), answer.text


def test_a_document_for_a_topic_keeps_the_topic_after_for(engine: ChatEngine) -> None:
    """With nothing else to name the subject, the words after "for" still do."""
    answer = _reply(engine, "Talking points for the COVID debate")
    assert (answer.intent, answer.topic) == ("document", "covid-19"), answer.text


def test_etc_is_no_subject(engine: ChatEngine) -> None:
    assert engine.reader.read("spreekpunten over multilateralisme enz.", "nl").content == (
        "multilateralisme",
    )


def test_backdrop_is_the_context(engine: ChatEngine) -> None:
    answer = _reply(engine, "A briefing note on the geopolitical backdrop")
    assert answer.topic == "geopolitical-context", answer.text


def test_function_words_tell_a_request_full_of_english_loans(engine: ChatEngine) -> None:
    """An English kind name and "peacekeeping" are loans; "voor", "als" and "graag" say Dutch."""
    answer = _reply(engine, "Lessons learned voor peacekeeping als PDF graag")
    assert (answer.intent, answer.language, answer.kind) == ("document", "nl", "lessons-learned")


@pytest.mark.parametrize(
    "message",
    [
        "Kan ik je ook om spreekpunten vragen, of alleen vragen stellen?",
        "Can I ask you for briefing notes as well, or only questions?",
        "tu peux m'aider à quoi, au juste ?",
    ],
)
def test_asking_what_one_may_ask_of_the_chat_is_help(engine: ChatEngine, message: str) -> None:
    assert _reply(engine, message).intent == "help"


def test_can_you_write_a_kind_asks_for_it(engine: ChatEngine) -> None:
    """Naming a kind without asking what may be asked is a request: which topic?"""
    answer = _reply(engine, "Can you write talking points?")
    assert (answer.intent, answer.kind, answer.topic) == ("document", "talking-points", None)


def test_of_two_topics_named_as_fully_the_first_named_wins(engine: ChatEngine) -> None:
    first = _reply(engine, "Spreekpunten over conflictpreventie en overgangsjustitie")
    second = _reply(engine, "Spreekpunten over overgangsjustitie en conflictpreventie")
    assert (first.topic, second.topic) == ("conflict-prevention", "belgian-presidency")


@pytest.mark.parametrize(
    "question",
    [
        "Wanneer spraken de verkozen leden voor de 1ste keer met één stem?",
        "C'était quand, la 1re fois que les membres élus ont parlé d'une seule voix ?",
        "When did the elected members first speak with one voice, the 1st time ever?",
    ],
)
def test_an_abbreviated_ordinal_is_the_ordinal_word(engine: ChatEngine, question: str) -> None:
    answer = _reply(engine, question)
    assert answer.intent == "fact" and answer.facts[0] == "e10-one-voice", answer.text


def test_c2_is_command_and_control(engine: ChatEngine) -> None:
    answer = _reply(engine, "Who started the C2 discussion in peacekeeping?")
    assert answer.intent == "fact" and answer.topic == "peacekeeping", answer.text
    assert "command and control" in answer.text.lower()


def test_emphasis_finds_what_work_focused_on(engine: ChatEngine) -> None:
    answer = _reply(engine, "Waar lag de nadruk van ons werk als penhouder voor West-Afrika?")
    assert answer.intent == "fact" and answer.facts[0] == "cp-unowas-penholder", answer.text


def test_a_preposition_may_open_a_which_question(engine: ChatEngine) -> None:
    understanding = engine.reader.read(
        "Dans quelle opération la Belgique avait-elle des Casques bleus ?", "fr"
    )
    assert "identity" in understanding.answer_types


def test_how_a_question_is_put_weighs_little(engine: ChatEngine) -> None:
    """ "Several factors pls" says how to answer; the subject is the rise of populism."""
    answer = _reply(engine, "What caused the rise of populism? several factors pls")
    assert answer.intent == "fact" and "populism" in answer.text, answer.text


@pytest.mark.parametrize(
    "question",
    [
        "Hoeveel blauwhelmen zijn er in Mali gesneuveld?",
        "Combien de Casques bleus belges ont été blessés au Mali ?",
    ],
)
def test_losses_are_asked_and_a_deployment_does_not_answer(
    engine: ChatEngine, question: str
) -> None:
    assert _reply(engine, question).intent == "unknown"


def test_a_deployment_still_answers_how_many_served(engine: ChatEngine) -> None:
    answer = _reply(engine, "How many Belgian blue helmets were deployed in Mali?")
    assert answer.intent == "fact" and answer.topic == "peacekeeping", answer.text


def test_the_subject_of_a_thing_needs_that_thing_in_the_fact(engine: ChatEngine) -> None:
    refused = _reply(engine, "Wat was het onderwerp van de gezamenlijke verklaring van de E10?")
    answered = _reply(engine, "What was the theme of the high-level debate?")
    assert refused.intent == "unknown", refused.text
    assert answered.intent == "fact" and "transitional justice" in answered.text


def test_a_months_count_is_no_total(engine: ChatEngine) -> None:
    """Six stake-outs in February 2020 do not say how many there were over the term."""
    total = _reply(engine, "How many EU stake-outs were there altogether during our term?")
    month = _reply(engine, "How many EU stake-outs were there during the Belgian presidency?")
    assert "eu-stake-outs-presidency" not in total.facts, total.text
    assert month.intent == "fact" and month.facts[0] == "eu-stake-outs-presidency", month.text


def test_a_french_auxiliary_participle_is_no_eu(engine: ChatEngine) -> None:
    """ "Il y a eu deux renouvellements" holds no "EU", nor does "a été" a summer."""
    lemmas = engine.index.lemmas
    assert "fr:eu" not in text_terms("il y a eu deux processus", "fr", lemmas)
    assert "fr:eu" in text_terms("les membres de l'UE et l'eu", "fr", lemmas)
    assert not any(
        term.startswith("fr:et") for term in text_terms("elle a été adoptée", "fr", lemmas)
    )


def test_a_lemma_that_is_a_function_word_is_not_taken(engine: ChatEngine) -> None:
    """French reads "eu" as a form of "avoir": the EU asked about is not every "avoir"."""
    (word,) = engine.index.analyse(("eu",))
    assert "fr:avoir" not in word.terms


def test_what_was_said_needs_a_fact_that_reports_words(engine: ChatEngine) -> None:
    """That the King gave the national statement does not say what he said in it."""
    refused = _reply(engine, "Wat zei de Koning precies tijdens het signatuurevenement?")
    answered = _reply(engine, "What did Belgium say about taking part in the EU stake-outs?")
    assert refused.intent == "unknown" and "gezegd" in refused.text, refused.text
    assert answered.intent == "fact" and "June 2021" in answered.text, answered.text


def test_what_the_article_says_is_not_asked_as_speech(engine: ChatEngine) -> None:
    understanding = engine.reader.read("What does the article say about Mali?", "en")
    assert "speech" not in understanding.answer_types


def test_what_a_comparison_measures_against_is_no_time_asked(engine: ChatEngine) -> None:
    """ "Compared with earlier years" asks how it compares, not for a fact set before."""
    understanding = engine.reader.read(
        "Hoe intens was de EU-samenwerking in de Raad, vergeleken met vroeger?", "nl"
    )
    assert understanding.intent == "fact"
    assert understanding.facts[0] == "eu-cooperation-intense"


def test_stressed_voor_is_before(engine: ChatEngine) -> None:
    """ "Vóór" (before) folds to "voor" (for); the accent asks for an earlier time."""
    answer = _reply(engine, "Welk mandaat had België vóór 2019-2020?")
    assert answer.intent == "fact" and "2007" in answer.text, answer.text


def test_together_is_unity(engine: ChatEngine) -> None:
    """Whether the pandemic brought the members together is what its divisions answer."""
    answer = _reply(engine, "Did the COVID crisis pull the Council members together?")
    assert answer.intent == "fact" and answer.topic in {"covid-19", "council-dynamics"}, answer.text


def test_a_persons_name_is_written_alike_in_two_languages(engine: ChatEngine) -> None:
    """Titles and bodies are translated ("His Majesty", "Internationaal Strafhof"); a
    surname after a role ("Minister Wilmès") or behind a particle ("De Croo") is not."""
    people = engine.index.fact_people
    assert people["icc-focal-point"] == ()
    assert people["presidency-photo-king"] == ()
    assert people["mandate-photo-wilmes"] == ("wilmes",)
    assert people["presidency-photo-decroo"] == ("de croo",)


@pytest.mark.parametrize(
    "question",
    [
        "Which ambassadors spoke at the signature event on children in armed conflict?",
        "Wie is de Hoge Commissaris voor de mensenrechten? Haar naam graag.",
    ],
)
def test_people_asked_for_need_a_fact_naming_them(engine: ChatEngine, question: str) -> None:
    assert _reply(engine, question).intent == "unknown"


def test_a_role_named_beside_a_caption_still_finds_the_person(engine: ChatEngine) -> None:
    answer = _reply(engine, "Quel ministre apparaît sur la photo de février 2020 ?")
    assert answer.intent == "fact" and "De Croo" in answer.text, answer.text


def test_on_behalf_of_asks_no_name(engine: ChatEngine) -> None:
    understanding = engine.reader.read("Qui a parlé au nom de l'UE au Conseil ?", "fr")
    assert "name" not in understanding.answer_types
