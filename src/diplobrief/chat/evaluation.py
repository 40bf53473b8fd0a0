"""Score the chat against an evaluation set: per field, per language, and refusals.

Two schemas are read. The old one (``tests/chat_eval.yaml``): a list of questions with
``q``, ``asked_in`` and the expected fields, ``contains`` a single string. The new one
(``tests/chat_eval_dev.yaml``, ``tests/chat_eval_test.yaml``), written from the article
alone: entries also carry ``id`` and ``category`` (fact, document, unanswerable,
near-miss, smalltalk, followup), ``contains`` is a list of acceptable strings (any one
suffices), and a conversation is an entry with ``turns:``, questions asked in order in
one session. Shared by the tests that keep floors and by scripts/chat_confusion.py.

One scorer rule, decided before any locked scoring: a lessons-learned request on the
whole mandate answered with topic ``all`` (the CLI's whole-mandate document) counts as
right when the expected topic is ``mandate-overview`` and the expected kind is
``lessons-learned``. Nothing broader: any other kind, or any other expected topic, must
match exactly.

A second rule: a replaced id names the topic that replaced it. An expected topic is read
through the dossier's own lookup (``Dossier.topic_id``), so a set written before topics
were merged (``somalia-sanctions``, now part of ``other-tasks``) still scores.

A third rule, decided before the sixth set's locked half was scored: the article's
sentences are sometimes filed under two topics, as two facts quoting the same passage
(the High Commissioner's address under human rights and under the presidency). A fact
answer whose first fact quotes, for the most part, the same passage as a fact of the
expected topic answers that topic: it is the same sentence of the source.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from diplobrief.chat.answer import Answer
from diplobrief.chat.engine import ChatEngine
from diplobrief.chat.session import Session
from diplobrief.dossier import Dossier

FIELDS = ("intent", "language", "topic", "kind", "format", "contains")
# "all": every field right at once, the "answered right".
SCORES = (*FIELDS, "all")
INTENTS = ("document", "fact", "help", "smalltalk", "unknown")
# Categories whose questions the article cannot answer: the chat must refuse them.
REFUSAL_CATEGORIES = frozenset({"unanswerable", "near-miss"})
# The whole-mandate lessons learned (topic "all") answers a request for the overview's.
WHOLE_MANDATE = "all"
OVERVIEW_TOPIC = "mandate-overview"


@dataclass(frozen=True)
class Case:
    """One evaluation question and what the chat should make of it."""

    question: str
    asked_in: str
    expected: dict[str, Any]
    id: str = ""
    category: str = ""
    turn: int = 0


@dataclass(frozen=True)
class Conversation:
    """Questions asked in order in one session; an ordinary entry is a conversation of one."""

    id: str
    category: str
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class Outcome:
    """What the chat made of one case, field by field."""

    case: Case
    answer: Answer
    correct: dict[str, bool]

    def got(self, name: str) -> Any:
        if name == "contains":
            return self.correct["contains"]
        return getattr(self.answer, name)

    @property
    def right(self) -> bool:
        return all(self.correct[name] for name in FIELDS)

    @property
    def refused(self) -> bool:
        return self.answer.intent == "unknown"


class EvaluationSetError(ValueError):
    """An evaluation file that is not a list of well-formed entries."""


def _case(entry: Any, where: str, asked_in: str, ident: str, category: str, turn: int) -> Case:
    if not isinstance(entry, dict):
        raise EvaluationSetError(f"{where}: expected a mapping")
    missing = {"q", *FIELDS} - set(entry)
    if missing:
        raise EvaluationSetError(f"{where}: missing {', '.join(sorted(missing))}")
    expected = {name: entry[name] for name in FIELDS}
    return Case(
        str(entry["q"]),
        str(entry.get("asked_in", asked_in)),
        expected,
        ident,
        str(entry.get("category", category)),
        turn,
    )


def load_conversations(path: Path) -> list[Conversation]:
    """Every entry of an evaluation file (old or new schema), as conversations."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(entries, list):
        raise EvaluationSetError(f"{path}: expected a list of entries")
    found = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: entry {number}"
        if not isinstance(entry, dict) or "asked_in" not in entry:
            raise EvaluationSetError(f"{where}: missing asked_in")
        ident = str(entry.get("id", number))
        category = str(entry.get("category", ""))
        asked_in = str(entry["asked_in"])
        turns = entry.get("turns")
        if turns is not None:
            if not isinstance(turns, list) or not turns:
                raise EvaluationSetError(f"{where}: turns must be a non-empty list")
            cases = tuple(
                _case(turn, f"{where}, turn {position}", asked_in, ident, category, position)
                for position, turn in enumerate(turns, start=1)
            )
        else:
            cases = (_case(entry, where, asked_in, ident, category, 0),)
        found.append(Conversation(ident, category, cases))
    return found


def load_cases(path: Path) -> list[Case]:
    """Every question of an evaluation file, conversations' turns in order."""
    return [case for conversation in load_conversations(path) for case in conversation.cases]


def _spaces(text: str) -> str:
    """Compare text, not typography: spaces, dashes and apostrophes as typed."""
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    text = text.replace("\u2013", "-").replace("\u2019", "'")
    return " ".join(text.split()).casefold()


def _same_sentence(dossier: Dossier, answer: Answer, topics: list[str | None]) -> bool:
    """Whether the answer's first fact is, in the source, a fact of one of ``topics``."""
    if answer.intent != "fact" or not answer.facts or answer.facts[0] not in dossier.facts:
        return False
    from diplobrief.render import stated_before  # the documents' own test of one passage

    quote = dossier.facts[answer.facts[0]].source.quote
    twins = [
        fact.source.quote
        for fact_id, fact in dossier.facts.items()
        if dossier.fact_topic.get(fact_id) in topics
    ]
    return any(stated_before(quote, [twin]) and stated_before(twin, [quote]) for twin in twins)


def judge(case: Case, answer: Answer, dossier: Dossier | None = None) -> Outcome:
    """Compare an answer with the expectation; a list of topics or strings accepts any.
    With the dossier, an expected topic it replaced names its successor."""
    correct = {}
    for name in ("intent", "language", "kind", "format"):
        correct[name] = getattr(answer, name) == case.expected[name]
    wanted_topic = case.expected["topic"]
    topics = wanted_topic if isinstance(wanted_topic, list) else [wanted_topic]
    if dossier is not None:
        topics = [topic if topic is None else dossier.topic_id(topic) or topic for topic in topics]
    whole_mandate = (
        answer.topic == WHOLE_MANDATE
        and answer.kind == "lessons-learned"
        and case.expected["kind"] == "lessons-learned"
        and OVERVIEW_TOPIC in topics
    )
    correct["topic"] = (
        answer.topic in topics
        or whole_mandate
        or (dossier is not None and _same_sentence(dossier, answer, topics))
    )
    wanted = case.expected["contains"]
    accepted = [] if wanted is None else wanted if isinstance(wanted, list) else [wanted]
    text = _spaces(answer.text)
    correct["contains"] = not accepted or any(_spaces(str(item)) in text for item in accepted)
    return Outcome(case, answer, correct)


def evaluate_conversations(engine: ChatEngine, conversations: list[Conversation]) -> list[Outcome]:
    """Each conversation in a fresh session, its questions in order."""
    outcomes: list[Outcome] = []
    for conversation in conversations:
        session = Session(engine)
        outcomes.extend(
            judge(case, session.respond(case.question), engine.dossier)
            for case in conversation.cases
        )
    return outcomes


def evaluate(engine: ChatEngine, cases: list[Case]) -> list[Outcome]:
    """Ask every question in a fresh conversation, as a first message."""
    return [judge(case, Session(engine).respond(case.question), engine.dossier) for case in cases]


def evaluate_file(engine: ChatEngine, path: Path) -> list[Outcome]:
    """Score one evaluation file, conversations played in order."""
    return evaluate_conversations(engine, load_conversations(path))


def accuracy(outcomes: list[Outcome], name: str, asked_in: str | None = None) -> float:
    """The share of outcomes right on one field ("all": every field), over one language or all."""
    chosen = [item for item in outcomes if asked_in is None or item.case.asked_in == asked_in]
    if not chosen:
        return 1.0
    if name == "all":
        return sum(item.right for item in chosen) / len(chosen)
    return sum(item.correct[name] for item in chosen) / len(chosen)


def refusal_rate(outcomes: list[Outcome], asked_in: str | None = None) -> float | None:
    """The share of unanswerable and near-miss questions the chat refused (None: none asked)."""
    chosen = [
        item
        for item in outcomes
        if item.case.category in REFUSAL_CATEGORIES
        and (asked_in is None or item.case.asked_in == asked_in)
    ]
    return sum(item.refused for item in chosen) / len(chosen) if chosen else None
