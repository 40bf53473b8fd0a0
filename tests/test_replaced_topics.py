"""Merged topics: the ids a topic replaced keep naming it, and a clash is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from diplobrief.chat import Session
from diplobrief.chat.answer import Answer
from diplobrief.chat.engine import ChatEngine
from diplobrief.chat.evaluation import Case, judge
from diplobrief.cli import main
from diplobrief.dossier import Dossier

REPLACED = ["iran-nuclear-2231", "somalia-sanctions", "international-criminal-court"]


def test_the_merged_topic_names_what_it_replaced(dossier: Dossier) -> None:
    assert dossier.topics["other-tasks"].replaces == REPLACED
    assert all(dossier.topic_id(old) == "other-tasks" for old in REPLACED)
    assert dossier.topic_id("no-such-topic") is None


@pytest.mark.parametrize(
    ("old", "new"),
    [("elected-members", "eu-coordination"), ("transitional-justice", "belgian-presidency")],
)
def test_the_folded_thin_topics_name_their_new_topics(
    runner: CliRunner, dossier: Dossier, old: str, new: str
) -> None:
    assert dossier.topic_id(old) == new
    result = runner.invoke(main, ["generate", old, "--kind", "talking-points", "--lang", "nl"])
    assert result.exit_code == 0, result.output
    assert f"topic: {new}" in result.output


@pytest.mark.parametrize("old", REPLACED)
def test_generate_with_a_replaced_id(runner: CliRunner, old: str) -> None:
    result = runner.invoke(main, ["generate", old, "--kind", "talking-points", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "topic: other-tasks" in result.output
    assert "# Talking points: Other tasks, formal and informal" in result.output


def test_ask_for_a_document_by_a_replaced_id(dossier: Dossier) -> None:
    answer = Session(ChatEngine(dossier)).respond("briefing note on somalia-sanctions in French")
    assert (answer.intent, answer.topic, answer.kind, answer.language) == (
        "document",
        "other-tasks",
        "briefing-note",
        "fr",
    )


def test_the_scorer_reads_a_replaced_id_as_its_successor(dossier: Dossier) -> None:
    expected = {
        "intent": "fact",
        "language": "en",
        "topic": "somalia-sanctions",
        "kind": None,
        "format": None,
        "contains": "Somalia",
    }
    case = Case("Who chaired the Somalia sanctions committee?", "en", expected)
    answer = Answer(intent="fact", language="en", text="Somalia", topic="other-tasks")
    assert judge(case, answer, dossier).right
    assert not judge(case, answer).correct["topic"]


@pytest.mark.parametrize(
    ("replaced", "message"),
    [
        ("covid-19", "'covid-19' is a topic id; a topic cannot replace it"),
        ("somalia-sanctions", "'somalia-sanctions' is already replaced (also "),
        ("sahel", "'sahel' is a title or alias of topic 'conflict-prevention'"),
        ("all", "'all' is reserved (the whole mandate)"),
    ],
)
def test_a_clashing_replaced_id_is_one_line_naming_file_and_place(
    runner: CliRunner, dossier_copy: Path, replaced: str, message: str
) -> None:
    topic = dossier_copy / "topics" / "peacekeeping.yaml"
    text = topic.read_text(encoding="utf-8")
    topic.write_text(text.replace("\naliases:", f"\nreplaces: [{replaced}]\naliases:", 1), "utf-8")
    line = 1 + text[: text.index("\naliases:")].count("\n") + 1
    result = runner.invoke(main, ["check", "--dossier", str(dossier_copy)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {topic}: replaces[0] (line {line}): {message}")
    assert len(result.output.splitlines()) == 1


def test_a_pack_entry_with_a_replaced_id(dossier: Dossier, tmp_path: Path) -> None:
    from diplobrief.pack import load_manifest

    manifest = tmp_path / "old.yaml"
    manifest.write_text(
        "id: old\ntitle: {nl: Oud, fr: Ancien, en: Old}\nsubtitle: {nl: Oud, fr: Ancien, en: Old}\n"
        "entries:\n  - {topic: somalia-sanctions, kind: briefing-note}\n",
        encoding="utf-8",
    )
    assert load_manifest(dossier, str(manifest)).documents(dossier) == [
        ("other-tasks", "briefing-note")
    ]


def test_the_web_app_serves_a_replaced_id(tmp_path: Path) -> None:
    from diplobrief import web
    from diplobrief.paths import DEFAULT_DOSSIER

    client = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path).test_client()
    page = client.get("/topics/iran-nuclear-2231?lang=en")
    assert page.status_code == 200
    assert "Other tasks, formal and informal" in page.get_data(as_text=True)
    document = client.get("/api/documents/somalia-sanctions/talking-points?lang=en&format=md")
    assert document.status_code == 200
    assert "topic: other-tasks" in document.get_data(as_text=True)
