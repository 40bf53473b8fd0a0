"""The local web app: the chat, the topics, the documents and the packs in a browser.

A Flask app over the same core as the CLI (``chat.Session``, ``render``, ``pdf``,
``pack``), served by waitress, never by Flask's development server. Plain
server-rendered HTML; a little JavaScript (``templates/assets/web/app.js``) only
saves page loads and polls pack progress.

No state lives in the process: the conversations (one ``chat.Session`` per browser tab,
keyed by a random id, bounded in number and age) and the pack build queue (``builds``:
one build at a time, in worker processes so that it can be cancelled) are JSON records
in a state folder (``statedir``), so several worker processes of one server (gunicorn
workers, say) share them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hmac
import importlib
import importlib.util
import io
import ipaddress
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, jsonify, redirect, render_template, request, send_file
from markupsafe import Markup
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from diplobrief import __version__, i18n
from diplobrief import pack as packs
from diplobrief.builds import MAX_QUEUED, BuildQueue, Job, QueueFull
from diplobrief.chat.answer import Answer
from diplobrief.chat.engine import engine_for
from diplobrief.chat.session import Session
from diplobrief.dossier import LANGUAGES, Dossier, load_dossier
from diplobrief.errors import DiplobriefError, UsageProblem
from diplobrief.paths import TEMPLATES_DIR
from diplobrief.render import KIND_TITLES, KINDS, N_, UNTITLED_SECTION, render_document, suggest
from diplobrief.statedir import (
    default_state_dir,
    file_lock,
    private_folder,
    read_record,
    write_record,
)

logger = logging.getLogger(__name__)

WEB_TEMPLATES = TEMPLATES_DIR / "web"
WEB_ASSETS = TEMPLATES_DIR / "assets" / "web"

# Request limits: a question is at most a few thousand characters, a pack request a
# list of ids; nothing the app accepts comes near these.
MAX_REQUEST_BYTES = 64 * 1024
MAX_HEADER_BYTES = 32 * 1024
# Conversations kept: the oldest is forgotten beyond MAX_SESSIONS, and any
# left alone for SESSION_MAX_AGE seconds; a page keeps its last MAX_TURNS turns.
MAX_SESSIONS = 500
SESSION_MAX_AGE = 2 * 60 * 60
MAX_TURNS = 40
# A process looks for conversations to forget at most this often (seconds), so that a
# new conversation does not cost a scan of the folder.
PRUNE_EVERY = 10.0

LANG_COOKIE = "diplobrief_lang"
TOKEN_COOKIE = "diplobrief_token"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
FORMAT_TYPES = {
    "md": "text/markdown",
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

# The app's own pages: only its own scripts, styles and frames, nothing remote.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# A document preview: inline styles and embedded fonts only, no script, framed by the
# app alone, and sandboxed even when opened on its own.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:; "
    "frame-ancestors 'self'; sandbox"
)

STATE_NAMES = {
    "queued": N_("Queued"),
    "running": N_("Building"),
    "done": N_("Done"),
    "failed": N_("Failed"),
    "cancelled": N_("Cancelled"),
}
FORMAT_NAMES = {
    "md": N_("Markdown"),
    "html": N_("HTML"),
    "pdf": N_("PDF"),
    "docx": N_("Word"),
}


class ApiError(DiplobriefError):
    """A request the app refuses: an HTTP status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address) only reaches this machine."""
    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def docx_writer() -> Callable[[Dossier, Any], bytes] | None:
    """``diplobrief.docx.document_docx`` when this installation has the Word writer."""
    if importlib.util.find_spec("diplobrief.docx") is None:
        return None
    writer = getattr(importlib.import_module("diplobrief.docx"), "document_docx", None)
    return writer if callable(writer) else None


def document_formats() -> tuple[str, ...]:
    return ("md", "html", "pdf", "docx") if docx_writer() else ("md", "html", "pdf")


def document_file(dossier: Dossier, topic: str, kind: str, lang: str, fmt: str) -> bytes:
    """One document in one format: the same bytes ``diplobrief generate`` writes."""
    document = render_document(dossier, topic, kind, lang)
    if fmt == "md":
        return document.markdown.encode("utf-8")
    if fmt == "docx":
        writer = docx_writer()
        assert writer is not None
        return writer(dossier, document)
    if fmt == "html":
        from diplobrief.pdf import document_html

        return document_html(dossier, document, embed_fonts=True).encode("utf-8")
    from diplobrief.pdf import document_pdf

    with _PDF_LOCK:  # WeasyPrint is not documented as thread-safe: one PDF at a time
        return document_pdf(dossier, document)


_PDF_LOCK = threading.Lock()


def file_name(topic: str, kind: str, lang: str, fmt: str) -> str:
    return f"{topic}-{kind}-{lang}.{fmt}"


# --- Conversations ----


@dataclass
class Conversation:
    """One browser tab's chat: its session and the turns shown on the page (as HTML)."""

    session: Session
    turns: list[str] = field(default_factory=list)


class Conversations:
    """Chat sessions by random id in ``folder``, one JSON record each, shared by every
    server process: at most ``limit`` of them, none unused for longer than ``max_age``."""

    def __init__(
        self,
        folder: Path,
        dossier_path: Path,
        limit: int = MAX_SESSIONS,
        max_age: float = SESSION_MAX_AGE,
        clock: Callable[[], float] = time.time,
        prune_every: float = PRUNE_EVERY,
    ) -> None:
        self.folder = private_folder(folder)
        self.prune_every = prune_every
        self._pruned = float("-inf")
        self.dossier_path = dossier_path
        self.limit = limit
        self.max_age = max_age
        self.clock = clock

    def __len__(self) -> int:
        return sum(1 for _ in self.folder.glob("*.json"))

    def _path(self, session_id: str | None, suffix: str = ".json") -> Path | None:
        if not session_id or not _SESSION_ID.fullmatch(session_id):
            return None
        return self.folder / f"{session_id}{suffix}"

    def _load(self, path: Path | None) -> tuple[Conversation, float] | None:
        record = read_record(path) if path is not None else None
        if record is None or not isinstance(record.get("used"), int | float):
            return None
        if record["used"] < self.clock() - self.max_age:
            return None
        try:
            session = Session.from_state(engine_for(self.dossier_path), record["session"])
            turns = [str(turn) for turn in record["turns"]]
        except (KeyError, TypeError, ValueError):
            return None
        return Conversation(session, turns), float(record["used"])

    def _save(self, session_id: str, conversation: Conversation) -> None:
        path = self._path(session_id)
        assert path is not None
        used = self.clock()
        write_record(
            path,
            {
                "used": used,
                "session": conversation.session.to_state(),
                "turns": conversation.turns[-MAX_TURNS:],
            },
            durable=False,
        )
        os.utime(path, (used, used))  # so that _forget_old need not read every record

    def find(self, session_id: str | None) -> Conversation | None:
        """The conversation with this id, if it is still kept."""
        found = self._load(self._path(session_id))
        return found[0] if found is not None else None

    @contextlib.contextmanager
    def turn(
        self, session_id: str | None, default_language: str
    ) -> Iterator[tuple[str, Conversation]]:
        """The conversation ``session_id`` (or a new one, with a new id, if it is gone),
        locked against every other process until the turn is saved."""
        path = self._path(session_id)
        if session_id is None or path is None or not path.exists():
            new_id = secrets.token_urlsafe(18)
            engine = engine_for(self.dossier_path)
            conversation = Conversation(Session(engine, default_language=default_language))
            yield new_id, conversation
            self._save(new_id, conversation)
            if self.clock() - self._pruned >= self.prune_every:
                self._pruned = self.clock()
                self._forget_old()
            return
        with file_lock(path.with_suffix(".lock")):
            found = self._load(path)
            if found is None:
                session_id = secrets.token_urlsafe(18)
                engine = engine_for(self.dossier_path)
                conversation = Conversation(Session(engine, default_language=default_language))
            else:
                conversation = found[0]
            yield session_id, conversation
            self._save(session_id, conversation)

    def _forget_old(self) -> None:
        """Drop conversations unused for ``max_age``, then the oldest beyond ``limit``."""
        cutoff = self.clock() - self.max_age
        kept = []
        with os.scandir(self.folder) as entries:
            for entry in entries:
                if not entry.name.endswith(".json"):
                    continue
                try:
                    used = entry.stat(follow_symlinks=False).st_mtime
                except OSError:
                    continue
                if used < cutoff:
                    self._forget(self.folder / entry.name)
                else:
                    kept.append((used, entry.name))
        if len(kept) > self.limit:
            kept.sort()
            for _used, name in kept[: len(kept) - self.limit]:
                self._forget(self.folder / name)

    @staticmethod
    def _forget(path: Path) -> None:
        path.unlink(missing_ok=True)
        path.with_suffix(".lock").unlink(missing_ok=True)


_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


# --- The app ----


@dataclass
class WebState:
    dossier_path: Path
    hosts: frozenset[str]
    token: str | None
    cache_dir: Path | None
    conversations: Conversations
    builds: BuildQueue
    state_dir: Path

    @property
    def dossier(self) -> Dossier:
        """The dossier as it is now (re-read if its files changed), shared with the chat."""
        return engine_for(self.dossier_path).dossier


def create_app(
    dossier_path: Path | str,
    *,
    token: str | None = None,
    allowed_hosts: Iterable[str] = (),
    cache_dir: Path | None = None,
    state_dir: Path | str | None = None,
    max_sessions: int = MAX_SESSIONS,
    session_max_age: float = SESSION_MAX_AGE,
    max_queued: int = MAX_QUEUED,
) -> Flask:
    """The app for one dossier.

    ``token``: every request must carry it (required when serving beyond this machine).
    ``allowed_hosts``: Host names accepted besides localhost (a reverse proxy's name).
    ``cache_dir``: the pack cache (the CLI's by default; None in tests builds afresh).
    ``state_dir``: the conversations and pack jobs (and finished packs, until they are
    downloaded), shared by every worker process given the same folder: by default
    ``$DIPLOBRIEF_STATE_DIR``, else a folder per dossier in the user's cache.
    """
    dossier_path = Path(dossier_path)  # a string too, for "gunicorn 'diplobrief.web:create_app(…)'"
    load_dossier(dossier_path)  # a broken dossier stops the server before it starts
    engine_for(dossier_path)  # build the chat index now, not on the first question
    if state_dir is None:
        state_dir = os.environ.get("DIPLOBRIEF_STATE_DIR") or default_state_dir(dossier_path)
    state_dir = private_folder(Path(state_dir))
    app = Flask(
        __name__,
        template_folder=str(WEB_TEMPLATES),
        static_folder=str(WEB_ASSETS),
        static_url_path="/static",
    )
    app.jinja_options = {**Flask.jinja_options, "autoescape": True}
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES,
        MAX_FORM_MEMORY_SIZE=MAX_REQUEST_BYTES,
        JSON_SORT_KEYS=False,
        SEND_FILE_MAX_AGE_DEFAULT=0,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    state = WebState(
        dossier_path,
        frozenset(name.strip("[]").lower() for name in (*LOOPBACK_NAMES, *allowed_hosts)),
        token,
        cache_dir,
        Conversations(state_dir / "sessions", dossier_path, max_sessions, session_max_age),
        BuildQueue(state_dir, _planner(dossier_path, cache_dir), max_queued),
        state_dir,
    )
    app.extensions["diplobrief"] = state
    _install_i18n(app)
    _install_guards(app, state)
    _install_pages(app, state)
    _install_api(app, state)
    return app


def _state() -> WebState:
    from flask import current_app

    state = current_app.extensions["diplobrief"]
    assert isinstance(state, WebState)
    return state


# --- Languages of the interface ----


def ui_language() -> str:
    """The interface language: the user's choice (cookie), else the browser's."""
    chosen = request.cookies.get(LANG_COOKIE, "")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or i18n.DEFAULT_LANGUAGE


def _(message: str, **values: object) -> str:
    """Translate an interface message into the request's language, then fill it in."""
    text = i18n.gettext(getattr(g, "lang", i18n.DEFAULT_LANGUAGE), message)
    return text % values if values else text


# The core's messages (shared with the CLI, in English) that reach the app's users: each
# pattern's translation, with the parts it names put back.
_CORE_MESSAGES = [
    (re.compile(pattern), message)
    for pattern, message in (
        (r"Unknown topic '(?P<value>.*)'\.", N_("Unknown topic '%(value)s'.")),
        (r"Unknown kind '(?P<value>.*)'\.", N_("Unknown kind '%(value)s'.")),
        (r"Unknown language '(?P<value>.*)'\.", N_("Unknown language '%(value)s'.")),
        (r"Unknown pack '(?P<value>.*)'\.", N_("Unknown pack '%(value)s'.")),
        (r"Did you mean '(?P<value>[^']*)'\?", N_("Did you mean '%(value)s'?")),
        (
            r"Did you mean '(?P<value>[^']*)' \((?P<code>[a-z]+)\)\?",
            N_("Did you mean '%(value)s' (%(code)s)?"),
        ),
        (r"Choose one of: (?P<value>.*)\.", N_("Choose one of: %(value)s.")),
        (
            r"'(?P<value>.*)' names several topics: (?P<ids>.*)\.",
            N_("'%(value)s' names several topics: %(ids)s."),
        ),
        (r"Give one of these ids\.", N_("Give one of these ids.")),
        (
            r"Topic '(?P<value>.*)' is only available for lessons-learned\.",
            N_("Topic '%(value)s' is only available for lessons learned."),
        ),
        (
            r"Name one topic, or use --kind lessons-learned\.",
            N_("Name one topic, or choose lessons learned."),
        ),
        (r"The pack holds no documents\.", N_("The pack holds no documents.")),
        (r"Check --topics and --kinds\.", N_("Check the topics and kinds.")),
        (
            r"(?P<count>\d+) pack builds are waiting; try later\.",
            N_("%(count)s pack builds are waiting; try later."),
        ),
        (r"the server stopped during this build", N_("the server stopped during this build")),
        (
            r"the worker process stopped \(exit code (?P<code>-?\d+|None)\)",
            N_("the worker process stopped (exit code %(code)s)"),
        ),
    )
]


def core_text(text: str) -> str:
    """A message of the core in the request's language, when it is one the app knows."""
    for pattern, message in _CORE_MESSAGES:
        match = pattern.fullmatch(text)
        if match is not None:
            return _(message, **match.groupdict()) if match.groupdict() else _(message)
    return text


def problem_text(exc: UsageProblem) -> str:
    """A usage problem and its suggestion, in the request's language."""
    message = core_text(str(exc))
    return f"{message} {core_text(exc.suggestion)}" if exc.suggestion else message


def _install_i18n(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_,
        ngettext=lambda singular, plural, n: _(singular if n == 1 else plural),
        newstyle=True,
    )

    @app.before_request
    def choose_language() -> None:
        g.lang = ui_language()

    @app.context_processor
    def page_context() -> dict[str, Any]:
        state = _state()
        return {
            "ui_lang": g.get("lang", i18n.DEFAULT_LANGUAGE),
            "languages": LANGUAGES,
            "language_name": lambda code: i18n.babel_locale(code).languages[code].capitalize(),
            "kind_title": lambda kind, lang=None: i18n.gettext(
                lang or g.get("lang", "en"), KIND_TITLES[kind]
            ),
            "format_name": lambda fmt: _(FORMAT_NAMES[fmt]),
            "state_name": lambda name: _(STATE_NAMES[name]),
            "number": lambda value: i18n.format_number(value, g.get("lang", "en")),
            "mandate_title": state.dossier.mandate.title.get(g.get("lang", "en")),
            "formats": document_formats(),
            "kinds": KINDS,
            "version": __version__,
        }


# --- Security: Host, origin, token, headers, errors ----

_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def _same_site(value: str) -> bool:
    return value != "null" and urlsplit(value).netloc == request.host


def _install_guards(app: Flask, state: WebState) -> None:
    @app.before_request
    def guard() -> BaseResponse | None:
        # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
        try:
            host = urlsplit(f"//{request.host}").hostname
        except ValueError:  # a malformed IPv6 literal
            host = None
        if host not in state.hosts:
            raise ApiError(400, _("Host '%(host)s' is not served here.", host=request.host))
        if request.method not in _SAFE_METHODS:
            origin = request.headers.get("Origin")
            referer = request.headers.get("Referer")
            site = request.headers.get("Sec-Fetch-Site")
            if (
                site == "cross-site"
                or (origin is not None and not _same_site(origin))
                or (origin is None and referer is not None and not _same_site(referer))
            ):
                raise ApiError(403, _("Cross-site request refused."))
        if state.token is not None:
            offered = request.args.get("token")
            if offered is not None and request.method == "GET":
                if not hmac.compare_digest(offered, state.token):
                    raise ApiError(401, _("Wrong access token."))
                response = redirect(request.path, 303)
                response.set_cookie(
                    TOKEN_COOKIE, offered, httponly=True, samesite="Strict", max_age=86400
                )
                return response
            header = request.headers.get("Authorization", "")
            given = header.removeprefix("Bearer ") if header.startswith("Bearer ") else None
            given = given or request.cookies.get(TOKEN_COOKIE)
            if given is None or not hmac.compare_digest(given, state.token):
                raise ApiError(
                    401,
                    _(
                        "An access token is required: open the address printed "
                        "by 'diplobrief serve', or send 'Authorization: Bearer TOKEN'."
                    ),
                )
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", PAGE_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    def wants_json() -> bool:
        return (
            request.path.startswith("/api/")
            or request.headers.get("X-Requested-With") == "diplobrief"
            or request.accept_mimetypes.best == "application/json"
        )

    def error_response(status: int, message: str) -> Response:
        if wants_json():
            response = jsonify({"error": message})
        else:
            g.lang = g.get("lang") or i18n.DEFAULT_LANGUAGE
            response = Response(render_template("error.html", status=status, message=message))
        response.status_code = status
        if status == 429:
            response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        return error_response(exc.status, str(exc))

    @app.errorhandler(UsageProblem)
    def usage_problem(exc: UsageProblem) -> Response:
        return error_response(400, problem_text(exc))

    @app.errorhandler(DiplobriefError)
    def diplobrief_error(exc: DiplobriefError) -> Response:
        return error_response(500, core_text(str(exc).splitlines()[0]))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        messages = {
            404: _("Not found."),
            405: _("Method not allowed."),
            413: _(
                "The request is too large (at most %(bytes)s bytes).",
                bytes=i18n.format_number(MAX_REQUEST_BYTES, g.get("lang", "en")),
            ),
        }
        message = messages.get(status) or exc.description or exc.name
        return error_response(status, message)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> Response:
        logger.exception("internal error on %s", request.path)
        return error_response(500, _("Internal error; the server log has the details."))


# --- Request helpers ----


def _language_arg(value: object, default: str) -> str:
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise ApiError(400, _("'lang' must be one of: nl, fr, en."))
    try:
        return i18n.normalize_language(value)
    except UsageProblem as exc:
        raise ApiError(400, problem_text(exc)) from None


def _format_arg(value: str | None) -> str:
    fmt = value or "md"
    formats = document_formats()
    if fmt not in formats:
        raise ApiError(
            400,
            _(
                "Unknown format '%(value)s'. Choose one of: %(choices)s.",
                value=fmt,
                choices=", ".join(formats),
            ),
        )
    return fmt


def _check_document(dossier: Dossier, topic: str, kind: str) -> None:
    """Unknown topics and kinds are 404s with the CLI's suggestion."""
    from diplobrief.render import resolve_topic

    if kind not in KINDS:
        raise ApiError(
            404,
            _("Unknown kind '%(value)s'.", value=kind)
            + " "
            + core_text(suggest(kind, list(KINDS))),
        )
    try:
        resolve_topic(dossier, topic, kind)
    except UsageProblem as exc:
        raise ApiError(404, problem_text(exc)) from None


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, _("Send a JSON object (Content-Type: application/json)."))
    return data


def web_reply(reply: Answer) -> Answer:
    """The chat's reply as the app shows it: its help has no "type quit to leave", for a
    browser tab is closed, not quit."""
    if reply.intent != "help":
        return reply
    lang = reply.language
    leave = i18n.typography(i18n.gettext(lang, "Type “quit” to leave."), lang)
    lines = [line for line in reply.text.split("\n") if line.strip() != leave]
    return dataclasses.replace(reply, text="\n".join(lines).rstrip())


def _ask(
    state: WebState, question: object, lang: object, session_id: object
) -> tuple[str, Answer, str]:
    """One chat turn in a kept conversation; the API and the page share it."""
    if not isinstance(question, str) or not question.strip():
        raise ApiError(400, _("The question is empty ('q')."))
    if session_id is not None and not isinstance(session_id, str):
        raise ApiError(400, _("'session' must be a string."))
    forced = None if lang in (None, "") else _language_arg(lang, i18n.DEFAULT_LANGUAGE)
    with state.conversations.turn(session_id, g.lang) as (sid, conversation):
        conversation.session.language = forced
        reply = web_reply(conversation.session.respond(question))
        turn = render_template("_turn.html", question=question, view=answer_view(reply))
        conversation.turns.append(turn)
    return sid, reply, turn


def _document_response(topic: str, kind: str, lang: str, fmt: str, download: bool) -> Response:
    dossier = _state().dossier
    _check_document(dossier, topic, kind)
    topic = dossier.topic_id(topic) or topic  # a replaced id serves its successor
    data = document_file(dossier, topic, kind, lang, fmt)
    response = send_file(
        io.BytesIO(data),
        mimetype=FORMAT_TYPES[fmt],
        as_attachment=download,
        download_name=file_name(topic, kind, lang, fmt),
        max_age=0,
    )
    if fmt == "html":
        response.headers["Content-Security-Policy"] = PREVIEW_POLICY
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


def _job_json(state: WebState, job: Job) -> dict[str, Any]:
    lang = g.get("lang", i18n.DEFAULT_LANGUAGE)
    return {
        "id": job.id,
        "pack": job.pack,
        "title": job.title.get(lang) or next(iter(job.title.values()), job.pack),
        "state": job.state,
        "state_name": _(STATE_NAMES[job.state]),
        "position": state.builds.position(job),
        "progress": job.progress,
        "languages": job.languages,
        "documents": job.documents,
        "done": list(job.done),
        "current": job.current,
        "duplex": job.duplex,
        "format": job.format,
        "pages": dict(job.pages),
        "cached": dict(job.cached),
        "error": core_text(job.error) if job.error else None,
        "warnings": [core_text(warning) for warning in job.warnings],
        "seconds": round((job.finished or time.time()) - job.started, 2) if job.started else None,
        "files": {done: f"/api/jobs/{job.id}/file?lang={done}" for done in job.done}
        if job.state == "done"
        else {},
    }


def _string_list(data: dict[str, Any], key: str, default: list[str]) -> list[str]:
    value = data.get(key, default)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ApiError(400, _("'%(key)s' must be a list of strings.", key=key))
    return value


def _start_pack(state: WebState, data: dict[str, Any]) -> Job:
    """Check a pack request (as the CLI's ``pack`` does) and queue it."""
    dossier = state.dossier
    languages: list[str] = []
    for value in _string_list(data, "languages", [g.get("lang", i18n.DEFAULT_LANGUAGE)]):
        code = _language_arg(value, i18n.DEFAULT_LANGUAGE)
        if code not in languages:
            languages.append(code)
    if not languages:
        raise ApiError(400, _("Choose at least one language."))
    duplex = data.get("duplex", False)
    if not isinstance(duplex, bool):
        raise ApiError(400, _("'duplex' must be true or false."))
    date = None
    if data.get("date"):
        try:
            date = dt.date.fromisoformat(str(data["date"])).isoformat()
        except ValueError:
            raise ApiError(400, _("'date' must be YYYY-MM-DD.")) from None
    fmt = data.get("format", "pdf")
    pack_formats = [name for name in ("pdf", "docx") if name in document_formats()]
    if fmt not in pack_formats:
        raise ApiError(
            400, _("'format' must be one of: %(choices)s.", choices=", ".join(pack_formats))
        )
    name = data.get("pack")
    topics = _string_list(data, "topics", [])
    if name and topics:
        raise ApiError(400, _("Give 'pack' or 'topics', not both."))
    if name:
        # Bundled packs by name only: a path would read any file on the server.
        names = packs.pack_names(dossier)
        if not isinstance(name, str) or name not in names:
            raise ApiError(
                400,
                _("Unknown pack '%(value)s'.", value=str(name))
                + " "
                + core_text(suggest(str(name), names)),
            )
        manifest = packs.load_manifest(dossier, name)
    elif topics:
        kinds = _string_list(data, "kinds", ["briefing-note", "talking-points"])
        manifest = packs.adhoc_manifest(dossier, topics, kinds)
    else:
        available = ", ".join(packs.pack_names(dossier)) or "none"
        raise ApiError(
            400, _("Name a pack (available: %(packs)s) or give 'topics'.", packs=available)
        )
    pack_request = {
        "pack": name or None,
        "topics": topics,
        "kinds": kinds if topics else [],
        "languages": languages,
        "date": date,
        "duplex": duplex,
        "format": fmt,
    }
    try:
        return state.builds.submit(
            pack_request,
            pack=manifest.id,
            title={lang: manifest.title.get(lang) for lang in LANGUAGES},
            documents=len(manifest.documents(dossier)),
            languages=languages,
            format=fmt,
            duplex=duplex,
        )
    except QueueFull as exc:
        raise ApiError(429, core_text(str(exc))) from None


def _planner(
    dossier_path: Path, cache_dir: Path | None
) -> Callable[[dict[str, Any], Path], list[packs.PackJob]]:
    """How a build's runner (in whichever server process) lays out a checked request."""

    def plan(pack_request: dict[str, Any], folder: Path) -> list[packs.PackJob]:
        dossier = engine_for(dossier_path).dossier
        if pack_request["pack"]:
            manifest = packs.load_manifest(dossier, pack_request["pack"])
        else:
            manifest = packs.adhoc_manifest(dossier, pack_request["topics"], pack_request["kinds"])
        date = pack_request["date"]
        fmt = pack_request["format"]
        return [
            packs.PackJob(
                dossier.path,
                manifest,
                lang,
                folder / f"{manifest.id}-{lang}.{fmt}",
                dt.date.fromisoformat(date) if date else None,
                pack_request["duplex"],
                cache_dir,
                fmt=fmt,
            )
            for lang in pack_request["languages"]
        ]

    return plan


def _cancel(state: WebState, job_id: str) -> Job:
    job = state.builds.cancel(job_id) if state.builds.get(job_id) else None
    if job is None:
        raise ApiError(404, _("Unknown job '%(job)s'.", job=job_id))
    return job


def _find_job(state: WebState, job_id: str) -> Job:
    job = state.builds.get(job_id)
    if job is None:
        raise ApiError(404, _("Unknown job '%(job)s'.", job=job_id))
    return job


# --- Pages ----


def _safe_next(value: str | None) -> str:
    """Only a path on this site: never another site after a language change."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _fact_rows(dossier: Dossier, topic_id: str, lang: str) -> list[dict[str, str]]:
    rows = []
    for fact in dossier.topics[topic_id].facts:
        source = dossier.source(fact.source.ref)
        rows.append(
            {
                "id": fact.id,
                "text": i18n.fill(fact.text.get(lang), fact.values, lang),
                "section": fact.source.section or i18n.gettext(lang, UNTITLED_SECTION),
                "quote": " ".join(fact.source.quote.split()),
                "author": source.author,
                "title": source.title,
            }
        )
    return rows


def answer_view(reply: Answer) -> dict[str, Any]:
    """What the page shows of an answer: statements with their sources, or a document."""
    blocks = reply.text.split("\n\n")
    paired = reply.intent == "fact" and len(blocks) == len(reply.sources) and reply.sources
    return {
        "answer": reply,
        "statements": [
            (block.split("\n")[0], source)
            for block, source in zip(blocks, reply.sources, strict=True)
        ]
        if paired
        else [],
        "document": reply.document is not None and reply.topic is not None and reply.kind,
    }


def _install_pages(app: Flask, state: WebState) -> None:
    @app.get("/")
    def chat_page() -> str:
        session_id = request.args.get("session")
        conversation = state.conversations.find(session_id)
        turns = conversation.turns if conversation else []
        return render_template(
            "chat.html",
            session=session_id if conversation else "",
            turns=[Markup(turn) for turn in turns],  # rendered (and escaped) by _turn.html
        )

    @app.post("/chat")
    def chat_turn() -> BaseResponse:
        sid, _reply, turn = _ask(
            state, request.form.get("q"), request.form.get("lang"), request.form.get("session")
        )
        if request.headers.get("X-Requested-With") == "diplobrief":
            response = Response(turn)
            response.headers["X-Session"] = sid
            return response
        return redirect(f"/?session={sid}#last", 303)

    @app.post("/language")
    def choose_language() -> BaseResponse:
        lang = _language_arg(request.form.get("lang"), i18n.DEFAULT_LANGUAGE)
        response = redirect(_safe_next(request.form.get("next")), 303)
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="Lax", httponly=True)
        return response

    @app.get("/topics")
    def topics_page() -> str:
        from diplobrief.render import topic_list

        lang = _language_arg(request.args.get("lang"), g.lang)
        return render_template(
            "topics.html", topics=topic_list(state.dossier, lang), content_lang=lang
        )

    @app.get("/topics/<topic_id>")
    def topic_page(topic_id: str) -> str:
        dossier = state.dossier
        _check_document(dossier, topic_id, "briefing-note")
        topic_id = dossier.topic_id(topic_id) or topic_id
        lang = _language_arg(request.args.get("lang"), g.lang)
        topic = dossier.topics[topic_id]
        return render_template(
            "topic.html",
            topic=topic,
            title=topic.title.get(lang),
            facts=_fact_rows(dossier, topic_id, lang),
            content_lang=lang,
        )

    @app.get("/documents/<topic>/<kind>")
    def document_page(topic: str, kind: str) -> str:
        dossier = state.dossier
        _check_document(dossier, topic, kind)
        topic = dossier.topic_id(topic) or topic
        lang = _language_arg(request.args.get("lang"), g.lang)
        from diplobrief.render import render_title

        return render_template(
            "document.html",
            topic=topic,
            kind=kind,
            content_lang=lang,
            title=render_title(dossier, topic, kind, lang),
        )

    @app.get("/packs")
    def packs_page() -> str:
        dossier = state.dossier
        available = []
        for name in packs.pack_names(dossier):
            manifest = packs.load_manifest(dossier, name)
            available.append((name, manifest.title.get(g.lang), len(manifest.documents(dossier))))
        jobs = state.builds.jobs()
        return render_template(
            "packs.html",
            available=available,
            topics=[(topic.id, topic.title.get(g.lang)) for topic in dossier.topics.values()],
            jobs=[_job_json(state, job) for job in jobs],
        )

    @app.post("/packs")
    def packs_form() -> BaseResponse:
        form = request.form
        data: dict[str, Any] = {
            "languages": form.getlist("languages"),
            "duplex": form.get("duplex") == "on",
        }
        if form.get("choice") == "topics":
            data["topics"] = form.getlist("topics")
            data["kinds"] = form.getlist("kinds")
            if not data["topics"]:
                raise ApiError(400, _("Choose at least one topic."))
        else:
            data["pack"] = form.get("pack")
        data["format"] = form.get("format", "pdf")
        job = _start_pack(state, data)
        if request.headers.get("X-Requested-With") == "diplobrief":
            fragment = render_template("_job.html", job=_job_json(state, job))
            return Response(fragment, status=201)
        return redirect(f"/packs#job-{job.id}", 303)

    @app.get("/packs/jobs/<job_id>")
    def job_fragment(job_id: str) -> str:
        return render_template("_job.html", job=_job_json(state, _find_job(state, job_id)))

    @app.post("/jobs/<job_id>/cancel")
    def cancel_form(job_id: str) -> BaseResponse:
        _cancel(state, job_id)
        return redirect("/packs", 303)


# --- The HTTP API ----


def _install_api(app: Flask, state: WebState) -> None:
    @app.post("/api/ask")
    def api_ask() -> Response:
        data = _json_body()
        sid, reply, _turn = _ask(state, data.get("q"), data.get("lang"), data.get("session"))
        return jsonify({**reply.as_json(), "session": sid})

    @app.get("/api/topics")
    def api_topics() -> Response:
        from diplobrief.render import topic_list

        lang = _language_arg(request.args.get("lang"), i18n.DEFAULT_LANGUAGE)
        return jsonify(topic_list(state.dossier, lang))

    @app.get("/api/documents/<topic>/<kind>")
    def api_document(topic: str, kind: str) -> Response:
        lang = _language_arg(request.args.get("lang"), i18n.DEFAULT_LANGUAGE)
        fmt = _format_arg(request.args.get("format"))
        download = request.args.get("download", "1" if fmt != "html" else "0") != "0"
        return _document_response(topic, kind, lang, fmt, download)

    @app.post("/api/packs")
    def api_packs() -> tuple[Response, int, dict[str, str]]:
        job = _start_pack(state, _json_body())
        return jsonify(_job_json(state, job)), 202, {"Location": f"/api/jobs/{job.id}"}

    @app.get("/api/jobs")
    def api_jobs() -> Response:
        jobs = state.builds.jobs()
        return jsonify([_job_json(state, job) for job in jobs])

    @app.get("/api/jobs/<job_id>")
    def api_job(job_id: str) -> Response:
        return jsonify(_job_json(state, _find_job(state, job_id)))

    @app.post("/api/jobs/<job_id>/cancel")
    def api_cancel(job_id: str) -> Response:
        return jsonify(_job_json(state, _cancel(state, job_id)))

    @app.get("/api/jobs/<job_id>/file")
    def api_job_file(job_id: str) -> Response:
        job = _find_job(state, job_id)
        if job.state != "done":
            raise ApiError(
                409,
                _("The build is not finished (state: %(state)s).", state=_(STATE_NAMES[job.state])),
            )
        lang = request.args.get("lang")
        if lang is None and len(job.done) == 1:
            lang = job.done[0]
        if lang not in job.done:
            raise ApiError(
                404 if lang else 400,
                _(
                    "Name a language this build made: ?lang= one of %(languages)s.",
                    languages=", ".join(job.done),
                ),
            )
        path = state.builds.file(job, lang)
        assert path is not None
        return send_file(
            path,
            mimetype=FORMAT_TYPES[path.suffix[1:]],
            as_attachment=True,
            download_name=path.name,
            max_age=0,
        )


# --- Serving ----


def make_server(app: Flask, host: str, port: int, threads: int = 4) -> Any:
    """A waitress server bound to ``host:port`` (port 0 picks a free one), not yet running."""
    from waitress.server import create_server

    return create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="diplobrief",
        max_request_body_size=MAX_REQUEST_BYTES,
        max_request_header_size=MAX_HEADER_BYTES,
        clear_untrusted_proxy_headers=True,
    )


def server_url(server: Any) -> str:
    host = str(server.effective_host)
    return f"http://{'[' + host + ']' if ':' in host else host}:{server.effective_port}/"
