"""Score the chat against an evaluation set (tests/chat_eval.yaml): per field, per language.

Shared by the test that fails below the accuracy bar and by scripts/chat_confusion.py,
which prints where the chat goes wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from diplobrief.chat.answer import Answer
from diplobrief.chat.engine import ChatEngine
from diplobrief.chat.session import Session

FIELDS = ("intent", "language", "topic", "kind", "format", "contains")


@dataclass(frozen=True)
class Case:
    """One evaluation question and what the chat should make of it."""

    question: str
    asked_in: str
    expected: dict[str, Any]


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


def load_cases(path: Path) -> list[Case]:
    """The evaluation set, checked for the keys every entry needs."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    cases = []
    for number, entry in enumerate(entries, start=1):
        missing = {"q", "asked_in", *FIELDS} - set(entry)
        if missing:
            raise ValueError(f"{path}: entry {number}: missing {', '.join(sorted(missing))}")
        expected = {name: entry[name] for name in FIELDS}
        cases.append(Case(str(entry["q"]), str(entry["asked_in"]), expected))
    return cases


def _spaces(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def judge(case: Case, answer: Answer) -> Outcome:
    """Compare an answer with the expectation; a list of topics accepts any of them."""
    correct = {}
    for name in ("intent", "language", "kind", "format"):
        correct[name] = getattr(answer, name) == case.expected[name]
    wanted_topic = case.expected["topic"]
    if isinstance(wanted_topic, list):
        correct["topic"] = answer.topic in wanted_topic
    else:
        correct["topic"] = answer.topic == wanted_topic
    figure = case.expected["contains"]
    correct["contains"] = figure is None or _spaces(str(figure)) in _spaces(answer.text)
    return Outcome(case, answer, correct)


def evaluate(engine: ChatEngine, cases: list[Case]) -> list[Outcome]:
    """Ask every question in a fresh conversation, as a first message."""
    return [judge(case, Session(engine).respond(case.question)) for case in cases]


def accuracy(outcomes: list[Outcome], name: str, asked_in: str | None = None) -> float:
    """The share of outcomes right on one field, over one language or all."""
    chosen = [item for item in outcomes if asked_in is None or item.case.asked_in == asked_in]
    return sum(item.correct[name] for item in chosen) / len(chosen) if chosen else 1.0
