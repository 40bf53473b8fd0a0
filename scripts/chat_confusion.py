"""Print how the chat does on the evaluation set: accuracy per field and language,
confusion tables (expected x got) per language for intent and output language, and
every question it gets wrong.

    .venv/bin/python scripts/chat_confusion.py [--eval tests/chat_eval.yaml]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from diplobrief.chat.engine import engine_for
from diplobrief.chat.evaluation import FIELDS, Outcome, accuracy, evaluate, load_cases
from diplobrief.dossier import LANGUAGES
from diplobrief.paths import DEFAULT_DOSSIER

ROOT = Path(__file__).resolve().parent.parent
INTENTS = ("document", "fact", "help", "unknown")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT / "tests" / "chat_eval.yaml")
    args = parser.parse_args()
    outcomes = evaluate(engine_for(DEFAULT_DOSSIER), load_cases(args.eval))

    print(f"# Chat evaluation: {args.eval.name}, {len(outcomes)} questions\n")
    print(f"| field | all | {' | '.join(LANGUAGES)} |")
    print(f"|---|---|{'---|' * len(LANGUAGES)}")
    for field in FIELDS:
        per_language = " | ".join(f"{accuracy(outcomes, field, lang):.1%}" for lang in LANGUAGES)
        print(f"| {field} | {accuracy(outcomes, field):.1%} | {per_language} |")

    for lang in LANGUAGES:
        asked = [item for item in outcomes if item.case.asked_in == lang]
        print(f"\n## Asked in {lang} ({len(asked)} questions)\n")
        print("Intent:\n")
        print("\n".join(confusion(asked, "intent", INTENTS)))
        print("\nOutput language:\n")
        print("\n".join(confusion(asked, "language", LANGUAGES)))

    wrong = [item for item in outcomes if not all(item.correct.values())]
    print(f"\n## Wrong ({len(wrong)})\n")
    for item in wrong:
        fields = ", ".join(
            f"{name}: {item.case.expected[name]!r} → {item.got(name)!r}"
            for name in FIELDS
            if not item.correct[name]
        )
        print(f"- [{item.case.asked_in}] {item.case.question} — {fields}")


if __name__ == "__main__":
    main()
