"""F8: dossier text can neither open a list nor add, drop or break a footnote."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from diplobrief.dossier import Dossier
from diplobrief.pdf import markdown_body
from diplobrief.render import escape_markdown, render_document

TOPIC = "children-armed-conflict"


def _structure(html: str) -> tuple[int, int, int, int]:
    return (
        html.count("<ul"),
        html.count("<ol"),
        html.count("<li"),
        len(re.findall(r'class="footnote-ref"', html)),
    )


def _with(dossier: Dossier, **changes: Any) -> Dossier:
    """The dossier with one topic's English title, summary or one source's author changed."""
    topic = dossier.topics[TOPIC]
    update: dict[str, Any] = {}
    if "title" in changes:
        update["title"] = replace(topic.title, en=changes["title"])
    if "summary" in changes:
        text = replace(topic.summary.text, en=changes["summary"])
        update["summary"] = replace(topic.summary, text=text)
    topics = {**dossier.topics, TOPIC: replace(topic, **update)}
    mandate = dossier.mandate
    if "author" in changes:
        source = replace(mandate.sources[0], author=changes["author"])
        mandate = replace(mandate, sources=[source])
    return Dossier(dossier.path, mandate, topics, dossier.facts, dossier.fact_topic)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- 1. first", "\\- 1. first"),
        ("1. x", "1\\. x"),
        ("12) y", "12\\) y"),
        ("-", "\\-"),
        ("+ z", "\\+ z"),
        ("* z", "\\* z"),
        ("a - b 1. c", "a - b 1. c"),
        ("1.5 million", "1.5 million"),
    ],
)
def test_leading_list_markers_are_escaped(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected
    html = markdown_body(f"- {escape_markdown(text)}")
    assert html.count("<li") == 1 and "<ol" not in html


@pytest.mark.parametrize("kind", ["briefing-note", "talking-points", "lessons-learned"])
def test_list_markers_in_text_change_no_structure(dossier: Dossier, kind: str) -> None:
    before = _structure(markdown_body(render_document(dossier, TOPIC, kind, "en").markdown))
    hostile = _with(dossier, title="1. x", summary="- 1. nested?", author="1. Author")
    html = markdown_body(render_document(hostile, TOPIC, kind, "en").markdown)
    assert _structure(html) == before
    assert "1. Author" in html


@pytest.mark.parametrize("title", ["[^nope]", "[^mandate-campaign]", "[^caac-texts-adopted] x"])
def test_a_citation_in_a_title_adds_and_breaks_nothing(dossier: Dossier, title: str) -> None:
    for kind in ("briefing-note", "talking-points", "lessons-learned"):
        original = render_document(dossier, TOPIC, kind, "en").markdown
        markdown = render_document(_with(dossier, title=title), TOPIC, kind, "en").markdown
        notes = re.findall(r"^\[\^([a-z0-9-]+)\]:", markdown, flags=re.MULTILINE)
        assert notes == re.findall(r"^\[\^([a-z0-9-]+)\]:", original, flags=re.MULTILINE)
        assert "mandate-campaign" not in notes
        front = yaml.safe_load(markdown.split("---\n")[1])
        assert front["title"].endswith(title)


@given(st.text(alphabet="-+*1.) [^]#>a\u00a0", min_size=1, max_size=12))
def test_any_markdown_like_title_or_summary_keeps_the_structure(
    dossier: Dossier, text: str
) -> None:
    if not text.strip():
        return
    before = _structure(
        markdown_body(render_document(dossier, TOPIC, "briefing-note", "en").markdown)
    )
    changed = _with(dossier, title=text, summary=text, author=text)
    html = markdown_body(render_document(changed, TOPIC, "briefing-note", "en").markdown)
    assert _structure(html) == before
