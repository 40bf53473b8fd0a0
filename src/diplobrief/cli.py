"""The command line: parses options, calls one core function, prints the result."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from diplobrief import __version__, i18n
from diplobrief.dossier import Dossier, load_dossier
from diplobrief.errors import DiplobriefError, DossierError, UsageProblem
from diplobrief.paths import DEFAULT_DOSSIER


class UsageFailure(click.ClickException):
    """A one-line usage error that exits 2, like Click's own usage errors."""

    exit_code = 2


class DiplobriefGroup(click.Group):
    """Turns every DiplobriefError into a clean message: the one place that does."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UsageProblem as exc:
            message = str(exc) if not exc.suggestion else f"{exc} {exc.suggestion}"
            raise UsageFailure(message) from None
        except DossierError as exc:
            for problem in exc.problems[:-1]:
                click.echo(f"Error: {problem}", err=True)
            raise click.ClickException(exc.problems[-1] if exc.problems else str(exc)) from None
        except DiplobriefError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    try:
        return i18n.normalize_language(value or i18n.DEFAULT_LANGUAGE)
    except UsageProblem as exc:
        raise click.BadParameter(f"{exc} {exc.suggestion}") from None


dossier_option = click.option(
    "--dossier",
    type=click.Path(path_type=Path, file_okay=False),
    default=DEFAULT_DOSSIER,
    show_default="the bundled be-unsc-2019-2020",
    help="Dossier folder to read.",
)
lang_option = click.option(
    "--lang",
    "lang",
    envvar="DIPLOBRIEF_LANG",
    callback=_language,
    help="Output language: nl, fr or en (also NL, nl-BE, fr_BE…). Default: $DIPLOBRIEF_LANG or en.",
)


def _load(path: Path) -> Dossier:
    return load_dossier(path)


@click.group(cls=DiplobriefGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diplobrief")
def main() -> None:
    """Sourced briefing notes, talking points and lessons learned in nl, fr and en.

    \b
    Example:
      diplobrief generate children-armed-conflict --kind talking-points --lang fr
    """


@main.command()
@lang_option
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of {id, title, summary}.")
@dossier_option
def topics(lang: str, as_json: bool, dossier: Path) -> None:
    """List the dossier's topics.

    \b
    Example:
      diplobrief topics --lang nl
    """
    from diplobrief.render import topic_list

    rows = topic_list(_load(dossier), lang)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        click.echo(f"{row['id']:<{width}}  {row['title']}")


@main.command()
@click.argument("topic")
@click.option(
    "--kind",
    "-k",
    type=click.Choice(["briefing-note", "talking-points", "lessons-learned"]),
    default="briefing-note",
    show_default=True,
    help="Document kind.",
)
@lang_option
@click.option("--format", "-f", "fmt", type=click.Choice(["md"]), default="md", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE."
)
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Document date (YYYY-MM-DD). Default: the dossier's as_of date.",
)
@dossier_option
def generate(
    topic: str,
    kind: str,
    lang: str,
    fmt: str,
    output: Path | None,
    date: dt.datetime | None,
    dossier: Path,
) -> None:
    """Generate one document for TOPIC ('all' for lessons learned on the whole mandate).

    \b
    Examples:
      diplobrief generate syria-humanitarian-access --kind briefing-note --lang nl
      diplobrief generate all --kind lessons-learned --lang en -o lessons.md
    """
    from diplobrief.output import write_atomic
    from diplobrief.render import render_document

    document = render_document(_load(dossier), topic, kind, lang, date.date() if date else None)
    if output is None:
        click.echo(document.markdown, nl=False)
    else:
        write_atomic(output, document.markdown.encode("utf-8"))
        click.echo(f"Wrote {output}", err=True)


@main.command()
@dossier_option
@click.option(
    "--source",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The source article (plain text): every quote is verified against it.",
)
def check(dossier: Path, source: Path | None) -> None:
    """Validate a dossier and the translation catalogs; list every problem.

    \b
    Example:
      diplobrief check --source ../shared/seeds/000_fbbec1b4824fae02.txt
    """
    source_text = source.read_text(encoding="utf-8") if source else None
    problems: list[str] = []
    loaded: Dossier | None = None
    try:
        loaded = load_dossier(dossier, source_text)
    except DossierError as exc:
        problems.extend(exc.problems)
    problems.extend(i18n.check_catalogs())
    if problems:
        raise DossierError(problems)
    assert loaded is not None
    quotes = "verified against the source" if source else "not verified (no --source)"
    click.echo(
        f"OK: {loaded.path}: {len(loaded.topics)} topics, {len(loaded.facts)} facts; "
        f"quotes {quotes}; catalogs complete."
    )
