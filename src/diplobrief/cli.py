"""The command line: parses options, calls one core function, prints the result."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from diplobrief import __version__, i18n
from diplobrief.dossier import Dossier, load_dossier
from diplobrief.errors import DiplobriefError, DossierError, OutputError, UsageProblem
from diplobrief.output import printable
from diplobrief.paths import DEFAULT_DOSSIER

# The source article is plain text of a few dozen kilobytes (17 KB for the first one).
MAX_SOURCE_BYTES = 10_000_000


class UsageFailure(click.ClickException):
    """A one-line usage error that exits 2, like Click's own usage errors."""

    exit_code = 2


class DiplobriefGroup(click.Group):
    """Turns every DiplobriefError into a clean message: the one place that does."""

    def invoke(self, ctx: click.Context) -> Any:
        # SIGTERM unwinds like Ctrl-C, so temporary files are removed on the way out.
        signal.signal(signal.SIGTERM, _interrupt)
        _tolerant_streams()
        try:
            return super().invoke(ctx)
        except UsageProblem as exc:
            message = str(exc) if not exc.suggestion else f"{exc} {exc.suggestion}"
            raise UsageFailure(printable(message, keep_newlines=False)) from None
        except DossierError as exc:
            problems = [printable(problem, keep_newlines=False) for problem in exc.problems]
            for problem in problems[:-1]:
                click.echo(f"Error: {problem}", err=True)
            raise click.ClickException(problems[-1] if problems else str(exc)) from None
        except DiplobriefError as exc:
            raise click.ClickException(printable(str(exc), keep_newlines=False)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)


def _tolerant_streams() -> None:
    """Print on any terminal: characters its encoding lacks become '?', never a crash."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="replace")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _echo(text: str | bytes, nl: bool = True, escape: bool = True) -> None:
    """Print to standard output: control characters in dossier text cannot reach the
    terminal raw, and a full disk or a closed pipe is a clean error, not a traceback."""
    try:
        click.echo(printable(text) if isinstance(text, str) and escape else text, nl=nl)
    except OSError as exc:
        # Point standard output at /dev/null: Python's flush at exit must not fail again.
        with contextlib.suppress(OSError, ValueError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, sys.stdout.fileno())
            os.close(null)
        if exc.errno == errno.EPIPE:
            sys.exit(1)
        raise OutputError(f"standard output: cannot write: {exc.strerror or exc}") from None


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
        _echo(json.dumps(rows, ensure_ascii=False, indent=2), escape=False)
        return
    width = max(len(row["id"]) for row in rows)
    for row in rows:
        _echo(f"{row['id']:<{width}}  {row['title']}")


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
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["md", "html", "pdf", "docx"]),
    help="Markdown, print HTML (self-contained), PDF or Word DOCX (both need -o). "
    "Default: docx for -o FILE.docx, else md.",
)
@click.option(
    "--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="Write to FILE."
)
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Document date (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH if set, else today.",
)
@click.option(
    "--for",
    "reader",
    metavar="TEXT",
    help="The reader or meeting, for the 'To' line. Default: the dossier's audience.",
)
@dossier_option
def generate(
    topic: str,
    kind: str,
    lang: str,
    fmt: str | None,
    output: Path | None,
    date: dt.datetime | None,
    reader: str | None,
    dossier: Path,
) -> None:
    """Generate one document for TOPIC ('all' for lessons learned on the whole mandate).

    \b
    Examples:
      diplobrief generate syria-humanitarian-access --kind briefing-note --lang nl
      diplobrief generate all --kind lessons-learned --lang en -o lessons.md
      diplobrief generate covid-19 --kind talking-points --lang fr -f pdf -o covid.pdf
      diplobrief generate covid-19 --for "Permanent Representative, New York"
      diplobrief generate covid-19 --kind briefing-note --lang nl -o covid.docx
    """
    from diplobrief.output import write_atomic
    from diplobrief.render import render_document

    fmt = fmt or _format_from_extension(output, "md")
    if fmt in ("pdf", "docx") and output is None:
        raise click.UsageError(f"{fmt.upper()} output needs -o FILE.{fmt}.")
    loaded = _load(dossier)
    document = render_document(loaded, topic, kind, lang, date.date() if date else None, reader)
    if fmt == "md":
        data = document.markdown.encode("utf-8")
    elif fmt == "html":
        from diplobrief.pdf import document_html

        data = document_html(loaded, document, embed_fonts=True).encode("utf-8")
    elif fmt == "docx":
        from diplobrief.docx import document_docx

        data = document_docx(loaded, document)
    else:
        from diplobrief.pdf import document_pdf

        data = document_pdf(loaded, document)
    if output is None:
        # The document is UTF-8 whatever the terminal's encoding, as it is in a file.
        _echo(data, nl=False)
    else:
        write_atomic(output, data)
        click.echo(printable(f"Wrote {output}", keep_newlines=False), err=True)


def _format_from_extension(output: Path | None, default: str) -> str:
    """-o brief.docx without -f means DOCX."""
    return "docx" if output is not None and output.suffix.lower() == ".docx" else default


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@main.command()
@click.argument("packs", nargs=-1, metavar="[NAME|MANIFEST.yaml]...")
@click.option("--lang", "langs", multiple=True, help="Language (repeat for several).")
@click.option("--all-languages", is_flag=True, help="Build nl, fr and en.")
@click.option("--topics", "topic_list", help="Ad hoc pack: comma-separated topic ids.")
@click.option(
    "--kinds",
    default="briefing-note,talking-points",
    show_default=True,
    help="Ad hoc pack: comma-separated document kinds.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    help="The file (one output) or a folder for <pack>-<lang>.<format> files (several).",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["pdf", "docx"]),
    help="PDF or Word DOCX. Default: docx for -o FILE.docx, else pdf.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [one per CPU].")
@click.option("--duplex", is_flag=True, help="Start every document on a right-hand page.")
@click.option(
    "--date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Document date (YYYY-MM-DD). Default: SOURCE_DATE_EPOCH if set, else today.",
)
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--no-cache", is_flag=True, help="Build everything afresh.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@dossier_option
def pack(
    packs: tuple[str, ...],
    langs: tuple[str, ...],
    all_languages: bool,
    topic_list: str | None,
    kinds: str,
    output: Path | None,
    fmt: str | None,
    jobs: int | None,
    duplex: bool,
    date: dt.datetime | None,
    cache_dir: Path | None,
    no_cache: bool,
    quiet: bool,
    dossier: Path,
) -> None:
    """Build briefing packs: one PDF (or DOCX) per pack and language.

    \b
    Examples:
      diplobrief pack full --all-languages -o out/
      diplobrief pack presidency-february-2020 --lang nl -o presidency.pdf
      diplobrief pack presidency-february-2020 --lang fr -o presidency.docx
      diplobrief pack --topics covid-19,peacekeeping --kinds briefing-note --lang fr -o x.pdf
    """
    from diplobrief import pack as packs_module

    loaded = _load(dossier)
    languages = list(i18n.LOCALES) if all_languages else []
    for value in langs or (() if all_languages else (os.environ.get("DIPLOBRIEF_LANG", "en"),)):
        code = i18n.normalize_language(value)
        if code not in languages:
            languages.append(code)
    if topic_list and packs:
        raise click.UsageError("Give pack names or --topics, not both.")
    if topic_list:
        manifests = [packs_module.adhoc_manifest(loaded, _split(topic_list), _split(kinds))]
    elif packs:
        manifests = [packs_module.load_manifest(loaded, name) for name in packs]
    else:
        names = ", ".join(packs_module.pack_names(loaded)) or "none"
        raise click.UsageError(f"Name a pack (available: {names}) or use --topics.")
    pack_jobs = packs_module.plan_jobs(
        loaded,
        manifests,
        languages,
        output,
        date.date() if date else None,
        duplex,
        None if no_cache else (cache_dir or packs_module.default_cache_dir()),
        fmt or _format_from_extension(output, "pdf"),
    )
    workers = jobs or os.cpu_count() or 1
    if not quiet and sys.stderr.isatty():
        with click.progressbar(length=len(pack_jobs), label="Building", file=sys.stderr) as bar:
            results = packs_module.build_packs(pack_jobs, workers, lambda _: bar.update(1))
    else:
        results = packs_module.build_packs(pack_jobs, workers)
    for result in results:
        pages = "" if result.pages is None else f" ({result.pages} pages)"
        note = " (cached)" if result.cached else ""
        message = f"Wrote {result.output}{pages}{note}"
        click.echo(printable(message, keep_newlines=False), err=True)
    warning = next((result.cache_warning for result in results if result.cache_warning), None)
    if warning:
        click.echo(printable(f"Warning: cache not used: {warning}", keep_newlines=False), err=True)


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
    from diplobrief.pack import check_packs
    from diplobrief.yamlfile import read_text

    source_text = read_text(source, MAX_SOURCE_BYTES) if source else None
    problems: list[str] = []
    loaded: Dossier | None = None
    try:
        loaded = load_dossier(dossier, source_text)
        problems.extend(check_packs(loaded))
    except DossierError as exc:
        problems.extend(exc.problems)
    problems.extend(i18n.check_catalogs())
    if problems:
        raise DossierError(problems)
    assert loaded is not None
    quotes = "verified against the source" if source else "not verified (no --source)"
    _echo(
        f"OK: {loaded.path}: {len(loaded.topics)} topics, {len(loaded.facts)} facts; "
        f"quotes {quotes}; catalogs complete."
    )


def _optional_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None else _language(ctx, param, value)


# The chat answers in the language it is spoken to: --lang forces a language, while
# $DIPLOBRIEF_LANG only sets the greeting's and the fallback for messages too short to tell.
chat_lang_option = click.option(
    "--lang",
    "lang",
    callback=_optional_language,
    help="Answer in this language (nl, fr, en) whatever the question's. Default: the question's.",
)
chat_fallback_option = click.option(
    "--fallback-lang",
    "fallback_lang",
    envvar="DIPLOBRIEF_LANG",
    callback=_optional_language,
    hidden=True,
)
output_dir_option = click.option(
    "--output-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default="the current folder",
    help="Folder for PDF files (<topic>-<kind>-<lang>.pdf).",
)


@main.command()
@click.argument("question", nargs=-1, required=True)
@chat_lang_option
@chat_fallback_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@output_dir_option
@dossier_option
def ask(
    question: tuple[str, ...],
    lang: str | None,
    fallback_lang: str | None,
    as_json: bool,
    output_dir: Path,
    dossier: Path,
) -> None:
    """Answer one QUESTION from the dossier, or write the document it asks for.

    \b
    Examples:
      diplobrief ask "How many countries supported Belgium's candidacy?"
      diplobrief ask "spreekpunten over Syrië in het Frans" --json
      diplobrief ask "note de briefing sur le maintien de la paix en PDF"
    """
    from diplobrief.chat import ask as answer_question

    reply = answer_question(" ".join(question), dossier, lang, fallback_lang, output_dir)
    if as_json:
        _echo(json.dumps(reply.as_json(), ensure_ascii=False, indent=2), escape=False)
    else:
        _echo(reply.notice or reply.text.rstrip("\n"))


@main.command()
@chat_lang_option
@chat_fallback_option
@output_dir_option
@dossier_option
def chat(lang: str | None, fallback_lang: str | None, output_dir: Path, dossier: Path) -> None:
    """Talk with the dossier: questions, documents and follow-ups ("and in French?").

    Type "help" for examples, "quit" or Ctrl-D to leave.

    \b
    Example:
      diplobrief chat --lang nl
    """
    from diplobrief.chat import run_chat

    run_chat(dossier, sys.stdin, _echo, lang, fallback_lang, output_dir)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Allow an address other than this machine's loopback; an access token is then required.",
)
@click.option(
    "--token",
    envvar="DIPLOBRIEF_TOKEN",
    help="Access token every request must carry. Default with --allow-remote: a random one.",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    help="Another Host name to accept (the name a reverse proxy forwards); repeatable.",
)
@click.option(
    "--threads", type=click.IntRange(min=1), default=4, show_default=True, help="Server threads."
)
@click.option("--no-browser", is_flag=True, help="Do not open the app in a browser.")
@click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False))
@click.option("--no-cache", is_flag=True, help="Build packs afresh.")
@dossier_option
def serve(
    host: str,
    port: int,
    allow_remote: bool,
    token: str | None,
    allowed_hosts: tuple[str, ...],
    threads: int,
    no_browser: bool,
    cache_dir: Path | None,
    no_cache: bool,
    dossier: Path,
) -> None:
    """Serve the web app (chat, topics, documents, packs) on this machine.

    \b
    Examples:
      diplobrief serve
      diplobrief serve --port 9000 --no-browser
    """
    import secrets
    import webbrowser

    from diplobrief import pack as packs_module
    from diplobrief import web

    remote = not web.is_loopback(host)
    if remote and not allow_remote:
        raise UsageFailure(
            f"'{host}' is reachable from other machines. "
            "Add --allow-remote to serve there (an access token is then required)."
        )
    if remote and not token:
        token = secrets.token_urlsafe(24)
    app = web.create_app(
        dossier,
        token=token,
        allowed_hosts=[*allowed_hosts, *([host] if remote else [])],
        cache_dir=None if no_cache else (cache_dir or packs_module.default_cache_dir()),
    )
    try:
        server = web.make_server(app, host, port, threads)
    except OSError as exc:
        raise UsageFailure(
            f"Cannot listen on {host}:{port}: {exc.strerror}. Choose another --port (0 picks a "
            "free one)."
        ) from None
    url = web.server_url(server) + (f"?token={token}" if token else "")
    if remote:
        click.echo(
            f"Warning: serving on {host}, reachable from other machines; share the token "
            "only with the people who may use the dossier.",
            err=True,
        )
        if host in ("0.0.0.0", "::") and not allowed_hosts:
            click.echo(
                "Warning: only requests to localhost are accepted until you name the host "
                "users type with --allow-host NAME.",
                err=True,
            )
    click.echo(f"Serving on {url}  (Ctrl-C to stop)", err=True)
    if not no_browser:
        webbrowser.open(url)
    try:
        server.run()
    finally:
        server.close()
