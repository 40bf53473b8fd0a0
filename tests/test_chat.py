"""The chat (issue #4): understanding, answers, follow-ups, robustness, speed, CLI wiring."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import ROOT, TOPIC_IDS
from hypothesis import given
from hypothesis import strategies as st

from diplobrief import i18n
from diplobrief.chat import Session, engine_for
from diplobrief.chat.answer import HELP_EXAMPLES, Answer
from diplobrief.chat.console import converse, history_path, terminal_lines
from diplobrief.chat.engine import ChatEngine
from diplobrief.chat.evaluation import FIELDS, accuracy, evaluate, judge, load_cases
from diplobrief.chat.text import fold
from diplobrief.chat.understand import MAX_MESSAGE_CHARACTERS
from diplobrief.cli import main
from diplobrief.dossier import LANGUAGES, Dossier
from diplobrief.paths import DEFAULT_DOSSIER

EVAL_SET = ROOT / "tests" / "chat_eval.yaml"
REQUIRED_ACCURACY = 0.95

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


@pytest.fixture(scope="module")
def engine(dossier: Dossier) -> ChatEngine:
    return ChatEngine(dossier)


def _session(engine: ChatEngine, **options: str) -> Session:
    return Session(engine, **options)  # type: ignore[arg-type]


def _flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


# ---------------------------------------------------------------- the evaluation set


def test_evaluation_set_is_large_and_varied() -> None:
    cases = load_cases(EVAL_SET)
    assert len(cases) >= 90
    for lang in LANGUAGES:
        assert sum(case.asked_in == lang for case in cases) >= 30, lang
    intents = {case.expected["intent"] for case in cases}
    assert intents == {"document", "fact", "help", "unknown"}
    assert any(case.expected["language"] != case.asked_in for case in cases)
    assert any(case.expected["format"] == "pdf" for case in cases)
    assert all(
        case.expected["topic"] in [*TOPIC_IDS, "all", None]
        or set(case.expected["topic"]) <= set(TOPIC_IDS)
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
        ("éléments de langage sur l'Iran", "talking-points", "iran-nuclear-2231"),
        ("spreekpunten over Somalië", "talking-points", "somalia-sanctions"),
        ("give me talking poitns on Mallí", "talking-points", "peacekeeping"),
        ("geleerde lessen over het voorzitterschap", "lessons-learned", "belgian-presidency"),
        ("enseignements tirés de l'ensemble du mandat", "lessons-learned", "all"),
        ("lessons learned on the mandate", "lessons-learned", "all"),
        ("briefing note on transitional justice", "briefing-note", "transitional-justice"),
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
    assert "no sourced information" in answer.text
    assert answer.confidence == 0.0


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
        "somalia-sanctions",
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
        assert answer.intent in ("document", "fact", "help", "unknown")
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
        "somalia-sanctions",
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
    assert "somalia-sanctions: Somalia sanctions committee" in result.output
    assert "Belgium chaired the Somalia sanctions committee." in result.output
    assert "België was voorzitter van het sanctiecomité Somalië." in result.output
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
    target = tmp_path / "iran-nuclear-2231-briefing-note-en.pdf"
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
    assert "# Éléments de langage" in result.stdout
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
    path = tmp_path / "somalia-sanctions-talking-points-nl.pdf"
    assert path.name in result.stdout
    text = "".join(page.extract_text() for page in pypdf.PdfReader(path).pages)
    assert "Somalië" in text


def test_eval_file_is_valid_yaml_list() -> None:
    entries = yaml.safe_load(EVAL_SET.read_text(encoding="utf-8"))
    assert isinstance(entries, list)
    assert len({entry["q"] for entry in entries}) == len(entries), "duplicate questions"
