"""Real Click invocations: exact messages, exit codes, files written atomically."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import TOPIC_IDS

from diplobrief.cli import main


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("diplobrief, version ")


@pytest.mark.parametrize("command", ["topics", "generate", "pack", "packs", "check", "ask", "chat"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and "diplobrief " in result.output


def test_topics_plain_and_json(runner: CliRunner) -> None:
    plain = runner.invoke(main, ["topics", "--lang", "nl"])
    assert plain.exit_code == 0
    assert "children-armed-conflict  " in plain.output
    assert "Kinderen en gewapende conflicten" in plain.output
    result = runner.invoke(main, ["topics", "--json", "--lang", "fr"])
    rows = json.loads(result.output)
    assert [row["id"] for row in rows] == TOPIC_IDS
    assert all(row["title"] for row in rows)


def test_generate_to_stdout(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["generate", "children-armed-conflict", "--kind", "talking-points", "--lang", "nl-BE"]
    )
    assert result.exit_code == 0, result.output
    assert "# Spreekpunten: kinderen en gewapende conflicten" in result.output
    assert "25.000" in result.output


def test_language_from_environment(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", "covid-19"], env={"DIPLOBRIEF_LANG": "FR"})
    assert result.exit_code == 0
    assert "lang: fr" in result.output


def test_generate_to_file_atomically(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "note.md"
    target.write_text("previous", encoding="utf-8")
    result = runner.invoke(
        main,
        ["generate", "peacekeeping", "--lang", "en", "-o", str(target), "--date", "2021-01-15"],
    )
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "15 January 2021" in text
    assert [p.name for p in tmp_path.iterdir()] == ["note.md"]


def test_unknown_topic_is_a_usage_error_with_suggestion(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", "syra"])
    assert result.exit_code == 2
    assert result.output == (
        "Error: Unknown topic 'syra'. Did you mean 'syria-humanitarian-access'?\n"
    )


def test_unknown_language_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", "covid-19", "--lang", "de"])
    assert result.exit_code == 2
    assert "Unknown language 'de'. Choose one of: nl, fr, en." in result.output
    assert "Traceback" not in result.output


def test_unknown_kind_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", "covid-19", "--kind", "memo"])
    assert result.exit_code == 2
    assert "Unknown kind 'memo'. Choose one of: briefing-note," in result.output


def test_missing_output_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["generate", "covid-19", "-o", str(tmp_path / "no" / "x.md")])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {tmp_path / 'no' / 'x.md'}: folder ")


def test_check_clean(runner: CliRunner, source_path: Path) -> None:
    result = runner.invoke(main, ["check", "--source", str(source_path)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")
    assert "quotes verified against the source" in result.output


def test_check_reports_every_problem(runner: CliRunner, dossier_copy: Path) -> None:
    topic = dossier_copy / "topics" / "covid-19.yaml"
    text = topic.read_text(encoding="utf-8").replace("order:", "colour: red\norder:", 1)
    topic.write_text(text, encoding="utf-8")
    (dossier_copy / "topics" / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    result = runner.invoke(main, ["check", "--dossier", str(dossier_copy)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert all(line.startswith("Error: ") for line in lines)
    assert any(f"{topic}: colour (line" in line and "unknown key" in line for line in lines)
    assert any("broken.yaml: line 2: invalid YAML" in line for line in lines)
    assert "Traceback" not in result.output


def test_generate_on_a_broken_dossier_exits_1(runner: CliRunner, dossier_copy: Path) -> None:
    (dossier_copy / "dossier.yaml").write_bytes(b"id: \xff\xfe\n")
    result = runner.invoke(main, ["generate", "covid-19", "--dossier", str(dossier_copy)])
    assert result.exit_code == 1
    assert result.output == f"Error: {dossier_copy / 'dossier.yaml'}: line 1: not valid UTF-8\n"


def test_missing_dossier_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["topics", "--dossier", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope'}: no such dossier folder." in result.output


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env={**os.environ, **env}
    )


def test_python_dash_m_and_markdown_path_never_imports_weasyprint() -> None:
    code = (
        "import sys; from diplobrief.cli import main\n"
        "try:\n main(['generate', 'iran-nuclear-2231', '--lang', 'fr'])\n"
        "except SystemExit: pass\n"
        "assert 'weasyprint' not in sys.modules, 'weasyprint imported'\n"
    )
    result = _run("-c", code)
    assert result.returncode == 0, result.stderr
    assert "2231" in result.stdout
    module = _run("-m", "diplobrief", "generate", "nope")
    assert module.returncode == 2
    assert module.stderr.startswith("Error: Unknown topic 'nope'.")
    assert "Traceback" not in module.stderr


def test_generate_for_sets_the_to_line(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["generate", "covid-19", "--lang", "nl", "--for", "Kabinet van de minister"]
    )
    assert result.exit_code == 0, result.output
    assert "| **Aan** | Kabinet van de minister |" in result.output
