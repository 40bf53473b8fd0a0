"""The CLI forgives and guides: formats from extensions, names for languages and
topics, "Did you mean …?", clean usage errors, completion, packs checked early."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner
from conftest import ROOT

from diplobrief import i18n, resolve
from diplobrief.cli import main
from diplobrief.errors import OutputError, UsageProblem
from diplobrief.output import check_folder_writable
from diplobrief.paths import DEFAULT_DOSSIER

COMMANDS = ["topics", "generate", "pack", "packs", "check", "ask", "chat", "serve"]


def _examples(command: str) -> list[list[str]]:
    group_ctx = click.Context(main, info_name="diplobrief")
    sub = main.get_command(group_ctx, command)
    assert sub is not None
    with click.Context(sub, info_name=command, parent=group_ctx) as ctx:
        text = sub.get_help(ctx)
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith("diplobrief ")]
    return [shlex.split(line)[1:] for line in lines]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "diplobrief", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


# --- Examples in --help are real -------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_help_examples_parse(command: str, tmp_path: Path) -> None:
    """Every example in --help names this command, and its options parse and convert."""
    examples = _examples(command)
    assert examples, f"no example in '{command} --help'"
    placeholder = tmp_path / "article.txt"
    placeholder.write_text("text\n", encoding="utf-8")
    for example in examples:
        args = [str(placeholder) if arg.startswith("PATH/TO/") else arg for arg in example]
        assert args[0] == command
        group_ctx = main.make_context("diplobrief", list(args), resilient_parsing=False)
        sub = main.get_command(group_ctx, command)
        assert sub is not None
        sub.make_context(command, args[1:], parent=group_ctx)


def test_generate_help_examples_run(runner: CliRunner, tmp_path: Path) -> None:
    for args in _examples("generate"):
        if "-o" in args:
            args[args.index("-o") + 1] = str(tmp_path / Path(args[args.index("-o") + 1]).name)
        if any(arg.endswith(".pdf") for arg in args):
            continue  # PDF rendering is tested in test_pdf.py
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)


def test_short_version() -> None:
    result = CliRunner().invoke(main, ["-V"])
    assert result.exit_code == 0
    assert result.output.startswith("diplobrief, version ")


def test_cache_dir_has_help(runner: CliRunner) -> None:
    result = runner.invoke(main, ["pack", "--help"])
    assert "--cache-dir" in result.output
    assert "Where finished PDFs are kept" in result.output


# --- Format from the output's extension ------------------------------------------------


@pytest.mark.parametrize(
    ("requested", "output", "expected"),
    [
        (None, None, "md"),
        (None, "x.md", "md"),
        (None, "x.HTML", "html"),
        (None, "x.pdf", "pdf"),
        (None, "x.docx", "docx"),
        (None, "notes.txt", "md"),
        ("pdf", "x.pdf", "pdf"),
        ("html", "-", "html"),
        ("pdf", "-", "pdf"),
    ],
)
def test_output_format(requested: str | None, output: str | None, expected: str) -> None:
    assert resolve.output_format(requested, output) == expected


def test_format_clash_and_pdf_without_output() -> None:
    with pytest.raises(UsageProblem, match=r"-f md does not match the output file 'x.pdf'"):
        resolve.output_format("md", "x.pdf")
    with pytest.raises(UsageProblem, match=r"PDF output needs -o FILE\.pdf"):
        resolve.output_format("pdf", None)


def test_generate_pdf_from_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "covid.pdf"
    result = runner.invoke(main, ["generate", "covid-19", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF-")


def test_generate_html_from_the_extension(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "covid.htm"
    result = runner.invoke(main, ["generate", "covid-19", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


def test_format_clash_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("generate", "covid-19", "-f", "md", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: -f md does not match the output file")
    assert not (tmp_path / "x.pdf").exists()


def test_pack_format_from_the_extension_and_clashes() -> None:
    assert resolve.pack_format(None, None) == "pdf"
    assert resolve.pack_format(None, "out") == "pdf"
    assert resolve.pack_format(None, "p.DOCX") == "docx"
    assert resolve.pack_format("docx", "out") == "docx"
    with pytest.raises(UsageProblem, match=r"-f docx does not match the output file 'p\.pdf'"):
        resolve.pack_format("docx", "p.pdf")


def test_pack_format_clash_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("pack", "full", "--lang", "en", "-f", "DOCX", "-o", str(tmp_path / "p.pdf"))
    assert result.returncode == 2
    assert result.stderr.startswith("Error: -f docx does not match the output file")


def test_output_dash_writes_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["generate", "covid-19", "-o", "-"])
    assert result.exit_code == 0
    assert result.output.startswith("---\ntitle: ")
    assert not Path("-").exists()


def test_pdf_to_stdout_subprocess(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "diplobrief", "generate", "covid-19", "-f", "pdf", "-o", "-"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-")
    assert list(tmp_path.iterdir()) == []


# --- Case-insensitive choices and "Did you mean …?" ------------------------------------


def test_choices_and_topic_ids_ignore_case(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["generate", "Covid-19", "--kind", "Talking-Points", "-f", "MD", "--lang", "FR"]
    )
    assert result.exit_code == 0, result.output
    assert "kind: talking-points" in result.output
    assert "topic: covid-19" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--kind", "talkingpoints"],
            "Unknown kind 'talkingpoints'. Did you mean 'talking-points'?",
        ),
        (["-f", "pfd"], "Unknown format 'pfd'. Did you mean 'pdf'?"),
        (["--lang", "frensh"], "Unknown language 'frensh'. Did you mean 'french' (fr)?"),
        (["--lang", "de"], "Unknown language 'de'. Choose one of: nl, fr, en."),
    ],
)
def test_mistakes_get_a_suggestion(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(main, ["generate", "covid-19", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


# --- Languages by name --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("nl-BE", "nl"),
        ("french", "fr"),
        ("Nederlands", "nl"),
        ("anglais", "en"),
        ("néerlandais", "nl"),
        ("NEERLANDAIS", "nl"),
        ("Frans", "fr"),
        ("English", "en"),
        ("Engels", "en"),
        ("français", "fr"),
        ("Vlaams", "nl"),
    ],
)
def test_language_names(value: str, code: str) -> None:
    assert i18n.normalize_language(value) == code


def test_language_name_on_the_command_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", "covid-19", "--lang", "néerlandais"])
    assert result.exit_code == 0
    assert "lang: nl" in result.output


def test_bad_environment_language_is_named_as_such() -> None:
    for args in (["generate", "covid-19"], ["pack", "full"], ["topics"]):
        result = _run(*args, DIPLOBRIEF_LANG="de")
        assert result.returncode == 2, args
        assert "Error: Invalid $DIPLOBRIEF_LANG: Unknown language 'de'." in result.stderr
        assert "--lang" not in result.stderr.splitlines()[-1]


# --- Topics by title or alias ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "topic"),
    [
        ("vredeshandhaving", "peacekeeping"),
        ("maintien de la paix", "peacekeeping"),
        ("Maintien de la Paix", "peacekeeping"),
        ("kinderen", "children-armed-conflict"),
        ("Children and armed conflict", "children-armed-conflict"),
        ("COVID-19", "covid-19"),
        ("ALL", "all"),
    ],
)
def test_topic_by_title_or_alias(dossier: object, value: str, topic: str) -> None:
    from diplobrief.render import find_topic

    assert find_topic(dossier, value) == topic  # type: ignore[arg-type]


def test_generate_by_alias(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", "maintien de la paix", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "topic: peacekeeping" in result.output


def test_unknown_topic_suggests_by_alias_and_spelling(runner: CliRunner) -> None:
    result = runner.invoke(main, ["generate", "kindren"])
    assert result.exit_code == 2
    assert "Did you mean 'children-armed-conflict'?" in result.output
    result = runner.invoke(main, ["generate", "vredeshandhavng"])
    assert "Did you mean 'peacekeeping'?" in result.output


def test_ambiguous_alias_is_refused(dossier_copy: Path, runner: CliRunner) -> None:
    topic = dossier_copy / "topics" / "covid-19.yaml"
    text = topic.read_text(encoding="utf-8").replace("  en: [", "  en: [peacekeeping, ", 1)
    topic.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["generate", "PEACEKEEPING", "--dossier", str(dossier_copy)])
    assert result.exit_code == 2
    assert "'PEACEKEEPING' names several topics: " in result.output


# --- Dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-02-30", "2020-02-30 does not exist: February 2020 has 29 days."),
        ("2021-02-29", "2021-02-29 does not exist: February 2021 has 28 days."),
        ("2020-13-01", "2020-13-01 does not exist: there is no month 13."),
        ("7 Feb 2020", "'7 Feb 2020' is not a date. Write it as YYYY-MM-DD"),
    ],
)
def test_dates_that_do_not_exist(runner: CliRunner, value: str, message: str) -> None:
    result = runner.invoke(main, ["generate", "covid-19", "--date", value])
    assert result.exit_code == 2
    assert message in result.output


def test_date_metavar(runner: CliRunner) -> None:
    for command in ("generate", "pack"):
        assert "--date YYYY-MM-DD" in runner.invoke(main, [command, "--help"]).output


# --- --dossier -------------------------------------------------------------------------------


def test_dossier_that_is_a_file_or_missing_exits_2(tmp_path: Path) -> None:
    afile = tmp_path / "dossier.yaml"
    afile.write_text("id: x\n", encoding="utf-8")
    for path, message in ((afile, "is a file"), (tmp_path / "nope", "no such dossier folder")):
        result = _run("topics", "--dossier", str(path))
        assert result.returncode == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_empty_dossier_folder_points_at_the_guide(tmp_path: Path) -> None:
    result = _run("generate", "covid-19", "--dossier", str(tmp_path))
    assert result.returncode == 2
    assert "no dossier here" in result.stderr
    assert "briefings/README.md" in result.stderr


# --- Packs -------------------------------------------------------------------------------------


def test_packs_lists_titles_and_counts(runner: CliRunner) -> None:
    result = runner.invoke(main, ["packs", "--lang", "nl"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("presidency-february-2020") for line in lines)
    assert any("Het Belgische voorzitterschap van de Raad" in line for line in lines)
    rows = json.loads(runner.invoke(main, ["packs", "--json"]).output)
    by_name = {row["name"]: row for row in rows}
    assert set(by_name) == {"full", "presidency-february-2020"}
    assert by_name["presidency-february-2020"]["documents"] == 7
    assert by_name["full"]["title"]


@pytest.fixture
def no_pack_rendering(monkeypatch: pytest.MonkeyPatch) -> None:
    import diplobrief.pack

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendering started before the output place was checked")

    monkeypatch.setattr(diplobrief.pack, "build_packs", refuse)


@pytest.mark.usefixtures("no_pack_rendering")
def test_pack_to_a_missing_folder_fails_before_rendering(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "dir" / "p.pdf"
    result = runner.invoke(main, ["pack", "presidency-february-2020", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: {target}: folder '{target.parent}' does not exist\n"


def test_generate_pdf_to_a_missing_folder_fails_before_rendering(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import diplobrief.render

    def no_rendering(*args: object) -> None:
        raise AssertionError("rendered before checking the output folder")

    monkeypatch.setattr(diplobrief.render, "render_document", no_rendering)
    target = tmp_path / "missing" / "x.pdf"
    result = runner.invoke(main, ["generate", "covid-19", "-o", str(target)])
    assert result.exit_code == 1
    assert result.output == f"Error: {target}: folder '{target.parent}' does not exist\n"


@pytest.mark.usefixtures("no_pack_rendering")
def test_pack_to_a_read_only_place_fails_before_rendering(runner: CliRunner) -> None:
    # /sys refuses new files even to root, which a chmod'ed folder does not.
    try:
        check_folder_writable(Path("/sys"))
    except OutputError:
        pass
    else:
        pytest.skip("needs a /sys that refuses new files")
    result = runner.invoke(main, ["pack", "presidency-february-2020", "-o", "/sys/p.pdf"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: /sys: cannot write here: ")


@pytest.mark.usefixtures("no_pack_rendering")
def test_pack_to_a_read_only_folder(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running with privileges that ignore permissions")
        result = runner.invoke(main, ["pack", "full", "--lang", "fr", "-o", str(folder / "p.pdf")])
        assert result.exit_code == 1
        assert "cannot write here: Permission denied" in result.output
    finally:
        folder.chmod(0o700)


def test_several_outputs_into_a_pdf_name_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "single.pdf"
    result = _run("pack", "full", "--all-languages", "-o", str(target))
    assert result.returncode == 2
    assert "-o must name a folder, not the file" in result.stderr
    assert not target.exists()


def test_pack_names_ignore_case_and_topics_take_aliases(dossier: object) -> None:
    from diplobrief.pack import adhoc_manifest, load_manifest

    assert load_manifest(dossier, "Presidency-February-2020").id == "presidency-february-2020"  # type: ignore[arg-type]
    manifest = adhoc_manifest(dossier, ["vredeshandhaving"], ["Briefing-Note"])  # type: ignore[arg-type]
    assert [(e.topic, e.kind) for e in manifest.entries] == [("peacekeeping", "briefing-note")]


def test_pack_says_where_each_file_went_and_whether_cached(
    runner: CliRunner, tmp_path: Path
) -> None:
    args = ["pack", "--topics", "covid-19", "--kinds", "talking-points", "--lang", "en"]
    args += ["-o", str(tmp_path / "out.pdf"), "--cache-dir", str(tmp_path / "cache")]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert f"Wrote {tmp_path / 'out.pdf'} (" in first.output
    assert first.output.rstrip().endswith("pages, built)")
    second = runner.invoke(main, args)
    assert second.output.rstrip().endswith("pages, from the cache)")


# --- Shell completion -------------------------------------------------------------------------


def _complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(main, {}, "diplobrief", "_DIPLOBRIEF_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_completion_of_topics_packs_kinds_and_languages() -> None:
    assert "children-armed-conflict" in _complete(["generate"], "chi")
    assert _complete(["generate"], "cov") == ["covid-19"]
    assert _complete(["pack"], "pres") == ["presidency-february-2020"]
    assert _complete(["generate", "covid-19", "--kind"], "talk") == ["talking-points"]
    assert _complete(["generate", "covid-19", "--lang"], "") == ["nl", "fr", "en"]
    assert _complete(["generate", "covid-19", "-f"], "d") == ["docx"]
    assert "packs" in _complete([], "pa")


def test_completion_through_the_shell_protocol() -> None:
    """What bash's completion script asks for: COMP_WORDS/COMP_CWORD in the environment."""
    result = subprocess.run(
        [sys.executable, "-c", "from diplobrief.cli import main; main(prog_name='diplobrief')"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "_DIPLOBRIEF_COMPLETE": "bash_complete",
            "COMP_WORDS": "diplobrief generate peace",
            "COMP_CWORD": "2",
        },
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "plain,peacekeeping" in result.stdout.splitlines()


def test_completion_follows_dossier() -> None:
    topics = sorted(p.stem for p in (DEFAULT_DOSSIER / "topics").glob("*.yaml"))
    assert _complete(["generate", "--dossier", str(DEFAULT_DOSSIER)], "") == [*topics, "all"]
