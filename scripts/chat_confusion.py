"""Print how the chat does on an evaluation set: accuracy per field and language, the
refusal rate on unanswerable and near-miss questions, accuracy per category, confusion
tables (expected x got) per language for intent and output language, and every question
it gets wrong.

    .venv/bin/python scripts/chat_confusion.py [EVAL.yaml ...] [--dossier PATH]

Without a path it scores tests/chat_eval.yaml (old set) and tests/chat_eval_dev.yaml.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from diplobrief.chat.engine import engine_for
from diplobrief.chat.evaluation import (
    FIELDS,
    INTENTS,
    SCORES,
    Outcome,
    accuracy,
    evaluate_file,
    refusal_rate,
)
from diplobrief.dossier import LANGUAGES
from diplobrief.paths import DEFAULT_DOSSIER

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = (ROOT / "tests" / "chat_eval.yaml", ROOT / "tests" / "chat_eval_dev.yaml")


def confusion(outcomes: list[Outcome], field: str, labels: tuple[str, ...]) -> list[str]:
    """A Markdown table: one row per expected label, one column per label got."""
    counts = Counter((str(item.case.expected[field]), str(item.got(field))) for item in outcomes)
    got_labels = sorted({got for _, got in counts} - set(labels))
    columns = [*labels, *got_labels]
    lines = [
        f"| expected \\ got | {' | '.join(columns)} |",
        f"|---|{'---|' * len(columns)}",
    ]
    for expected in labels:
        cells = [str(counts.get((expected, got), 0) or ".") for got in columns]
        lines.append(f"| **{expected}** | {' | '.join(cells)} |")
    return lines


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def report(path: Path, outcomes: list[Outcome], details: bool) -> None:
    print(f"# Chat evaluation: {path.name}, {len(outcomes)} questions\n")
    counts = " | ".join(
        str(sum(item.case.asked_in == lang for item in outcomes)) for lang in LANGUAGES
    )
    print(f"| field | all | {' | '.join(LANGUAGES)} |")
    print(f"|---|---|{'---|' * len(LANGUAGES)}")
    print(f"| questions | {len(outcomes)} | {counts} |")
    for field in SCORES:
        per_language = " | ".join(f"{accuracy(outcomes, field, lang):.1%}" for lang in LANGUAGES)
        print(f"| {field} | {accuracy(outcomes, field):.1%} | {per_language} |")
    refusals = " | ".join(_rate(refusal_rate(outcomes, lang)) for lang in LANGUAGES)
    print(f"| refused (unanswerable, near-miss) | {_rate(refusal_rate(outcomes))} | {refusals} |")

    categories = sorted({item.case.category for item in outcomes} - {""})
    if categories:
        print("\n| category | questions | all fields right |")
        print("|---|---|---|")
        for category in categories:
            chosen = [item for item in outcomes if item.case.category == category]
            print(f"| {category} | {len(chosen)} | {accuracy(chosen, 'all'):.1%} |")
    if not details:
        return
    for lang in LANGUAGES:
        asked = [item for item in outcomes if item.case.asked_in == lang]
        print(f"\n## Asked in {lang} ({len(asked)} questions)\n")
        print("Intent:\n")
        print("\n".join(confusion(asked, "intent", INTENTS)))
        print("\nOutput language:\n")
        print("\n".join(confusion(asked, "language", LANGUAGES)))

    wrong = [item for item in outcomes if not item.right]
    print(f"\n## Wrong ({len(wrong)})\n")
    for item in wrong:
        fields = ", ".join(
            f"{name}: {item.case.expected[name]!r} → {item.got(name)!r}"
            for name in FIELDS
            if not item.correct[name]
        )
        label = f"{item.case.id}#{item.case.turn}" if item.case.turn else item.case.id
        print(f"- [{item.case.asked_in} {label}] {item.case.question} — {fields}")
        print(f"    got: {' '.join(item.answer.text.split())[:160]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", type=Path, help="evaluation files to score")
    parser.add_argument("--eval", type=Path, action="append", help="same as a path")
    parser.add_argument("--dossier", type=Path, default=DEFAULT_DOSSIER)
    parser.add_argument("--summary", action="store_true", help="tables only, no wrong list")
    args = parser.parse_args()
    paths = [*args.paths, *(args.eval or [])] or list(DEFAULT_SETS)
    engine = engine_for(args.dossier)
    for number, path in enumerate(paths):
        if number:
            print()
        report(path, evaluate_file(engine, path), not args.summary)


if __name__ == "__main__":
    main()
