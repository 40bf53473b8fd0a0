"""Each fact once: few sentences of a document near-duplicate another sentence of it.

A sentence (8 words or more) counts as repeated when rapidfuzz's token_set_ratio
with another sentence of the same document is 90 or more. The figures are printed
(``pytest -s``) so a reviewer can see them move.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics

import lxml.html
import markdown
from conftest import KINDS, LANGS, TOPIC_IDS
from rapidfuzz import fuzz

from diplobrief.dossier import Dossier
from diplobrief.render import render_document

MIN_WORDS = 8
THRESHOLD = 90
# "1. **Theme:** lesson": an item of the Key lessons list (briefing notes number
# their paragraphs "**1.**").
_KEY_LESSON = re.compile(r"\d+\. \*\*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«“\"(]?[A-ZÀ-Ý0-9])")


def sentences(text: str) -> list[str]:
    """The prose sentences of a rendered document: no front matter, table or footnotes,
    nor the lessons-learned "Key lessons" list, the form's summary of the Lesson each
    theme then states in full (DOCUMENT-FORMS: "summary of key lessons")."""
    body = text.split("\n---\n", 1)[1]
    lines = [
        line
        for line in body.splitlines()
        if not _KEY_LESSON.match(line)
        and (
            not line.startswith(("[^", "|", "#", "**", "---"))
            or (line.startswith("**") and not line.rstrip().endswith("**"))
        )
    ]
    html = markdown.markdown("\n".join(lines), extensions=["tables", "attr_list"])
    plain = re.sub(
        r"\[\^[a-z0-9-]+\]", "", lxml.html.fromstring(f"<div>{html}</div>").text_content()
    )
    found = []
    for block in plain.split("\n"):
        for sentence in _SENTENCE_END.split(block.strip()):
            if len(sentence.split()) >= MIN_WORDS:
                found.append(sentence)
    return found


def repeated_share(items: list[str]) -> float:
    """The share of sentences that have a near-duplicate elsewhere in the list."""
    if not items:
        return 0.0
    repeated = sum(
        any(
            fuzz.token_set_ratio(item, other) >= THRESHOLD
            for index, other in enumerate(items)
            if index != position
        )
        for position, item in enumerate(items)
    )
    return repeated / len(items)


def test_documents_state_each_fact_once(dossier: Dossier) -> None:
    shares: dict[tuple[str, str, str], float] = {}
    for topic in TOPIC_IDS:
        for kind in KINDS:
            for lang in LANGS:
                text = render_document(dossier, topic, kind, lang, dt.date(2021, 2, 1)).markdown
                shares[topic, kind, lang] = repeated_share(sentences(text))
    mean = statistics.mean(shares.values())
    worst = max(shares, key=lambda key: shares[key])
    for kind in KINDS:
        values = [share for key, share in shares.items() if key[1] == kind]
        print(f"near-duplicates {kind}: mean {statistics.mean(values):.1%}, max {max(values):.1%}")
    print(f"near-duplicates all: mean {mean:.1%}, worst {shares[worst]:.1%} {'/'.join(worst)}")
    assert mean <= 0.10
    assert shares[worst] <= 0.25, worst
