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
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from diplobrief import __version__, i18n, resolve
from diplobrief.dossier import Dossier, load_dossier
from diplobrief.errors import DiplobriefError, DossierError, OutputError, UsageProblem
from diplobrief.output import check_writable, printable
from diplobrief.paths import DEFAULT_DOSSIER
from diplobrief.render import KINDS

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

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


# --- Parameter types: forgiving input, "Did you mean …?", shell completion -------------

LANGUAGE_ENV = "DIPLOBRIEF_LANG"


class ChoiceParam(click.ParamType):
    """A case-insensitive choice whose mistakes get "Did you mean …?"."""

    def __init__(self, choices: tuple[str, ...], what: str) -> None:
        self.choices = choices
        self.what = what
        self.name = what

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return f"[{'|'.join(self.choices)}]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return resolve.match_choice(str(value), self.choices, self.what)
        except UsageProblem as exc:
            self.fail(f"{exc} {exc.suggestion}", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in self.choices if c.startswith(incomplete.lower())]


class LanguageParam(click.ParamType):
    """nl, fr, en, nl-BE, French, néerlandais…; a bad $DIPLOBRIEF_LANG is named as such."""

    name = "language"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "LANG"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return i18n.normalize_language(str(value))
        except UsageProblem as exc:
            message = f"{exc} {exc.suggestion}"
            from_env = ParameterSource.ENVIRONMENT
            if ctx and param and param.name and ctx.get_parameter_source(param.name) is from_env:
                raise click.UsageError(f"Invalid ${LANGUAGE_ENV}: {message}", ctx) from None
            self.fail(message, param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        names = {"nl": "Nederlands", "fr": "français", "en": "English"}
        return [CompletionItem(c, help=n) for c, n in names.items() if c.startswith(incomplete)]


class DateParam(click.ParamType):
    """A YYYY-MM-DD date; one that does not exist (2020-02-30) says so."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "YYYY-MM-DD"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return resolve.parse_date(str(value))
        except UsageProblem as exc:
            self.fail(f"{exc} {exc.suggestion or ''}".strip(), param, ctx)


def _dossier_of(ctx: click.Context) -> Path:
    value = ctx.params.get("dossier")
    return value if isinstance(value, Path) else DEFAULT_DOSSIER


def _complete_topic(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    """Topic ids from the file names: completion never loads the dossier."""
    folder = _dossier_of(ctx) / "topics"
    ids = [*sorted(path.stem for path in folder.glob("*.yaml")), "all"]
    return [topic for topic in ids if topic.startswith(incomplete.lower())]


def _complete_pack(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[str]:
    folder = _dossier_of(ctx) / "packs"
    return [p.stem for p in sorted(folder.glob("*.yaml")) if p.stem.startswith(incomplete)]


def _dossier_folder(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    try:
        return resolve.dossier_folder(value)
    except UsageProblem as exc:
        raise UsageFailure(printable(f"{exc} {exc.suggestion}", keep_newlines=False)) from None


dossier_option = click.option(
    "--dossier",
    type=click.Path(path_type=Path),
    default=DEFAULT_DOSSIER,
    callback=_dossier_folder,
    is_eager=True,
    show_default="the bundled be-unsc-2019-2020",
    help="Dossier folder to read.",
)
lang_option = click.option(
    "--lang",
    "lang",
    type=LanguageParam(),
    envvar=LANGUAGE_ENV,
    default=i18n.DEFAULT_LANGUAGE,
    help="Output language: nl, fr or en; also nl-BE, fr_BE, French, Nederlands, anglais… "
    "Default: $DIPLOBRIEF_LANG or en.",
)
kind_choice = ChoiceParam(KINDS, "kind")
date_option = click.option(
    "--date",
    type=DateParam(),
    help="Document date. Default: SOURCE_DATE_EPOCH if set, else today.",
)


def _load(path: Path) -> Dossier:
    """The dossier, from its validated JSON snapshot when its files have not changed."""
    from diplobrief.snapshot import load_dossier_cached

    return load_dossier_cached(path)


@click.group(cls=DiplobriefGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="diplobrief")
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
@click.argument("topic", shell_complete=_complete_topic)
@click.option(
    "--kind",
    "-k",
    type=kind_choice,
    default="briefing-note",
    show_default=True,
    help="Document kind.",
)
@lang_option
@click.option(
    "--format",
    "-f",
    "fmt",
    type=ChoiceParam(resolve.FORMATS, "format"),
    help="Markdown, print HTML (self-contained), PDF or Word DOCX. "
    "Default: from the -o file's extension, else md.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
    help="Write to FILE (its extension sets the format); '-' for standard output.",
)
@click.option(
    "--for",
    "reader",
    metavar="TEXT",
    help="The reader or meeting, for the 'To' line. Default: the dossier's audience.",
)
@date_option
@dossier_option
def generate(
    topic: str,
    kind: str,
    lang: str,
    fmt: str | None,
    output: Path | None,
    date: dt.date | None,
    reader: str | None,
    dossier: Path,
) -> None:
    """Generate one document for TOPIC: an id, or a title or alias in nl, fr or en
    ('all' for lessons learned on the whole mandate).

    \b
    Examples:
      diplobrief generate syria-humanitarian-access --kind briefing-note --lang nl
      diplobrief generate "maintien de la paix" --kind talking-points --lang fr
      diplobrief generate all --kind lessons-learned --lang en -o lessons.md
      diplobrief generate covid-19 --lang french -o covid.pdf
      diplobrief generate covid-19 --for "Permanent Representative, New York"
      diplobrief generate covid-19 --kind briefing-note --lang nl -o covid.docx
    """
    from diplobrief.output import write_atomic
    from diplobrief.render import find_topic, render_document

    fmt = resolve.output_format(fmt, output)
    to_stdout = output is None or str(output) == resolve.STDOUT
    if output is not None and not to_stdout:
        check_writable(output)
    loaded = _load(dossier)
    document = render_document(loaded, find_topic(loaded, topic), kind, lang, date, reader)
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
    if output is None or to_stdout:
        # The document is UTF-8 whatever the terminal's encoding, as it is in a file.
        _echo(data, nl=False)
    else:
        write_atomic(output, data)
        click.echo(printable(f"Wrote {output}", keep_newlines=False), err=True)


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@main.command()
@click.argument("packs", nargs=-1, metavar="[NAME|MANIFEST.yaml]...", shell_complete=_complete_pack)
@click.option(
    "--lang", "langs", type=LanguageParam(), multiple=True, help="Language (repeat for several)."
)
@click.option("--all-languages", is_flag=True, help="Build nl, fr and en.")
@click.option(
    "--topics",
    "topic_list",
    help="Ad hoc pack: comma-separated topic ids (or titles/aliases).",
)
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
    type=ChoiceParam(resolve.PACK_FORMATS, "format"),
    help="PDF or Word DOCX. Default: from the -o file's extension, else pdf.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [one per CPU].")
@click.option("--duplex", is_flag=True, help="Start every document on a right-hand page.")
@date_option
@click.option(
    "--cache-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where finished PDFs are kept, by content hash. Default: the user cache folder.",
)
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
    date: dt.date | None,
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
    for code in langs or (() if all_languages else (_environment_language(),)):
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
        date,
        duplex,
        None if no_cache else (cache_dir or packs_module.default_cache_dir()),
        resolve.pack_format(fmt, output),
    )
    workers = jobs or os.cpu_count() or 1
    if not quiet and sys.stderr.isatty():
        with click.progressbar(length=len(pack_jobs), label="Building", file=sys.stderr) as bar:
            results = packs_module.build_packs(pack_jobs, workers, lambda _: bar.update(1))
    else:
        results = packs_module.build_packs(pack_jobs, workers)
    for result in results:
        pages = "" if result.pages is None else f"{result.pages} pages, "
        origin = "from the cache" if result.cached else "built"
        message = f"Wrote {result.output} ({pages}{origin})"
        click.echo(printable(message, keep_newlines=False), err=True)
    warning = next((result.cache_warning for result in results if result.cache_warning), None)
    if warning:
        click.echo(printable(f"Warning: cache not used: {warning}", keep_newlines=False), err=True)


def _environment_language() -> str:
    """$DIPLOBRIEF_LANG or en; a bad value is reported under its own name."""
    value = os.environ.get(LANGUAGE_ENV) or i18n.DEFAULT_LANGUAGE
    try:
        return i18n.normalize_language(value)
    except UsageProblem as exc:
        raise click.UsageError(f"Invalid ${LANGUAGE_ENV}: {exc} {exc.suggestion}") from None


@main.command("packs")
@lang_option
@click.option(
    "--json", "as_json", is_flag=True, help="Print a JSON list of {name, title, documents}."
)
@dossier_option
def packs_command(lang: str, as_json: bool, dossier: Path) -> None:
    """List the dossier's briefing packs: name, title and number of documents.

    \b
    Example:
      diplobrief packs --lang fr
    """
    from diplobrief.pack import pack_list

    rows = pack_list(_load(dossier), lang)
    if as_json:
        _echo(json.dumps(rows, ensure_ascii=False, indent=2), escape=False)
        return
    if not rows:
        click.echo("This dossier has no packs.", err=True)
        return
    width = max(len(str(row["name"])) for row in rows)
    for row in rows:
        _echo(f"{row['name']:<{width}}  {row['documents']:>3} documents  {row['title']}")


@main.command()
@dossier_option
@click.option(
    "--source",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The source article (plain text): every quote is verified against it.",
)
def check(dossier: Path, source: Path | None) -> None:
    """Validate a dossier and the translation catalogs; list every problem.

    --source is the article the dossier is drawn from, as plain text (for the
    bundled dossier: Bert Versmessen, "België in de Veiligheidsraad 2019-2020").

    \b
    Examples:
      diplobrief check
      diplobrief check --source PATH/TO/article.txt
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


# The chat answers in the language it is spoken to: --lang forces a language, while
# $DIPLOBRIEF_LANG only sets the greeting's and the fallback for messages too short to tell.
chat_lang_option = click.option(
    "--lang",
    "lang",
    type=LanguageParam(),
    help="Answer in this language (nl, fr, en) whatever the question's. Default: the question's.",
)
chat_fallback_option = click.option(
    "--fallback-lang",
    "fallback_lang",
    type=LanguageParam(),
    envvar=LANGUAGE_ENV,
    hidden=True,
)
output_dir_option = click.option(
    "--output-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default="the current folder",
    help="Folder for document files (<topic>-<kind>-<lang>.md|pdf|docx).",
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
    from diplobrief.chat.answer import document_summary

    # At a terminal a document is written and summarised; piped, Markdown goes to stdout.
    at_terminal = not as_json and sys.stdout.isatty()
    reply = answer_question(
        " ".join(question), dossier, lang, fallback_lang, output_dir, markdown_too=at_terminal
    )
    if as_json:
        _echo(json.dumps(reply.as_json(), ensure_ascii=False, indent=2), escape=False)
    elif at_terminal and reply.document is not None:
        _echo(document_summary(reply))
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
@click.option(
    "--state-dir",
    type=click.Path(path_type=Path, file_okay=False),
    envvar="DIPLOBRIEF_STATE_DIR",
    help="Conversations and pack jobs, shared by servers given the same folder (local disk). "
    "Default: a folder per dossier in the user cache.",
)
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
    state_dir: Path | None,
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
        state_dir=state_dir,
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
