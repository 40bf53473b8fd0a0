"""The local web app: the chat, the topics, the documents and the packs in a browser.

A Flask app over the same core as the CLI (``chat.Session``, ``render``, ``pdf``,
``pack``), served by waitress, never by Flask's development server. Plain
server-rendered HTML; a little JavaScript (``templates/assets/web/app.js``) only
saves page loads and polls pack progress.

State lives in this process: the conversations (one ``chat.Session`` per browser tab,
keyed by a random id, bounded in number and age) and the pack build queue
(``builds``: one build at a time, in worker processes so that it can be cancelled).
A second server process sees neither; the README says what that means.
"""

from __future__ import annotations

import atexit
import collections
import datetime as dt
import hmac
import importlib
import importlib.util
import io
import ipaddress
import logging
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, g, jsonify, redirect, render_template, request, send_file
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

logger = logging.getLogger(__name__)

WEB_TEMPLATES = TEMPLATES_DIR / "web"
WEB_ASSETS = TEMPLATES_DIR / "assets" / "web"

# Request limits: a question is at most a few thousand characters, a pack request a
# list of ids; nothing the app accepts comes near these.
MAX_REQUEST_BYTES = 64 * 1024
MAX_HEADER_BYTES = 32 * 1024
# Conversations kept in memory: the oldest is forgotten beyond MAX_SESSIONS, and any
# left alone for SESSION_MAX_AGE seconds; a page keeps its last MAX_TURNS turns.
MAX_SESSIONS = 500
SESSION_MAX_AGE = 2 * 60 * 60
MAX_TURNS = 40

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
    """One browser tab's chat: its session and the turns shown on the page."""

    session: Session
    used: float
    turns: list[tuple[str, Answer]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Conversations:
    """Chat sessions by random id, at most ``limit`` of them, none older than ``max_age``."""

    def __init__(
        self,
        dossier_path: Path,
        limit: int = MAX_SESSIONS,
        max_age: float = SESSION_MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.dossier_path = dossier_path
        self.limit = limit
        self.max_age = max_age
        self.clock = clock
        self._items: collections.OrderedDict[str, Conversation] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def find(self, session_id: str | None) -> Conversation | None:
        """The conversation with this id, if it is still kept."""
        with self._lock:
            self._expire()
            found = self._items.get(session_id or "")
            if found is not None:
                found.used = self.clock()
                self._items.move_to_end(session_id or "")
            return found

    def open(self, session_id: str | None, default_language: str) -> tuple[str, Conversation]:
        """The conversation ``session_id``, or a new one (with a new id) if it is gone."""
        found = self.find(session_id)
        if found is not None and session_id is not None:
            return session_id, found
        engine = engine_for(self.dossier_path)
        conversation = Conversation(
            Session(engine, default_language=default_language), self.clock()
        )
        new_id = secrets.token_urlsafe(18)
        with self._lock:
            self._items[new_id] = conversation
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
        return new_id, conversation

    def _expire(self) -> None:
        cutoff = self.clock() - self.max_age
        while self._items:
            oldest_id, oldest = next(iter(self._items.items()))
            if oldest.used >= cutoff:
                break
            del self._items[oldest_id]


# --- The app ----


@dataclass
class WebState:
    dossier_path: Path
    hosts: frozenset[str]
    token: str | None
    cache_dir: Path | None
    conversations: Conversations
    builds: BuildQueue

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
    work_dir: Path | None = None,
    max_sessions: int = MAX_SESSIONS,
    session_max_age: float = SESSION_MAX_AGE,
    max_queued: int = MAX_QUEUED,
) -> Flask:
    """The app for one dossier.

    ``token``: every request must carry it (required when serving beyond this machine).
    ``allowed_hosts``: Host names accepted besides localhost (a reverse proxy's name).
    ``cache_dir``: the pack cache (the CLI's by default; None in tests builds afresh).
    ``work_dir``: where finished pack PDFs wait to be downloaded (a private temporary
    folder, removed at exit, by default).
    """
    dossier_path = Path(dossier_path)  # a string too, for "gunicorn 'diplobrief.web:create_app(…)'"
    load_dossier(dossier_path)  # a broken dossier stops the server before it starts
    engine_for(dossier_path)  # build the chat index now, not on the first question
    if work_dir is None:
        work_dir = Path(tempfile.mkdtemp(prefix="diplobrief-web-"))
        atexit.register(shutil.rmtree, work_dir, True)
    work_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
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
        Conversations(dossier_path, max_sessions, session_max_age),
        BuildQueue(work_dir, max_queued),
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


def _(message: str) -> str:
    """Translate an interface message into the request's language."""
    return i18n.gettext(getattr(g, "lang", i18n.DEFAULT_LANGUAGE), message)


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
            raise ApiError(400, f"Host '{request.host}' is not served here.")
        if request.method not in _SAFE_METHODS:
            origin = request.headers.get("Origin")
            referer = request.headers.get("Referer")
            site = request.headers.get("Sec-Fetch-Site")
            if (
                site == "cross-site"
                or (origin is not None and not _same_site(origin))
                or (origin is None and referer is not None and not _same_site(referer))
            ):
                raise ApiError(403, "Cross-site request refused.")
        if state.token is not None:
            offered = request.args.get("token")
            if offered is not None and request.method == "GET":
                if not hmac.compare_digest(offered, state.token):
                    raise ApiError(401, "Wrong access token.")
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
                    "An access token is required: open the address printed "
                    "by 'diplobrief serve', or send 'Authorization: Bearer TOKEN'.",
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
        message = f"{exc} {exc.suggestion}" if exc.suggestion else str(exc)
        return error_response(400, message)

    @app.errorhandler(DiplobriefError)
    def diplobrief_error(exc: DiplobriefError) -> Response:
        return error_response(500, str(exc).splitlines()[0])

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        messages = {
            404: "Not found.",
            405: "Method not allowed.",
            413: f"The request is too large (at most {MAX_REQUEST_BYTES} bytes).",
        }
        message = messages.get(status) or exc.description or exc.name
        return error_response(status, message)

    @app.errorhandler(Exception)
    def internal_error(exc: Exception) -> Response:
        logger.exception("internal error on %s", request.path)
        return error_response(500, "Internal error; the server log has the details.")


# --- Request helpers ----


def _language_arg(value: object, default: str) -> str:
    if value is None or value == "":
        return default
    if not isinstance(value, str):
        raise ApiError(400, "'lang' must be one of: nl, fr, en.")
    try:
        return i18n.normalize_language(value)
    except UsageProblem as exc:
        raise ApiError(400, f"{exc} {exc.suggestion}") from None


def _format_arg(value: str | None) -> str:
    fmt = value or "md"
    formats = document_formats()
    if fmt not in formats:
        raise ApiError(400, f"Unknown format '{fmt}'. Choose one of: {', '.join(formats)}.")
    return fmt


def _check_document(dossier: Dossier, topic: str, kind: str) -> None:
    """Unknown topics and kinds are 404s with the CLI's suggestion."""
    from diplobrief.render import resolve_topic

    if kind not in KINDS:
        raise ApiError(404, f"Unknown kind '{kind}'. {suggest(kind, list(KINDS))}")
    try:
        resolve_topic(dossier, topic, kind)
    except UsageProblem as exc:
        raise ApiError(404, f"{exc} {exc.suggestion}") from None


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "Send a JSON object (Content-Type: application/json).")
    return data


def _ask(state: WebState, question: object, lang: object, session_id: object) -> tuple[str, Answer]:
    """One chat turn in a kept conversation; the API and the page share it."""
    if not isinstance(question, str) or not question.strip():
        raise ApiError(400, "The question is empty ('q').")
    if session_id is not None and not isinstance(session_id, str):
        raise ApiError(400, "'session' must be a string.")
    forced = None if lang in (None, "") else _language_arg(lang, i18n.DEFAULT_LANGUAGE)
    sid, conversation = state.conversations.open(session_id, g.lang)
    with conversation.lock:
        conversation.session.language = forced
        reply = conversation.session.respond(question)
        conversation.turns.append((question, reply))
        del conversation.turns[:-MAX_TURNS]
    return sid, reply


def _document_response(topic: str, kind: str, lang: str, fmt: str, download: bool) -> Response:
    dossier = _state().dossier
    _check_document(dossier, topic, kind)
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
        "pack": job.manifest.id,
        "title": job.manifest.title.get(lang),
        "state": job.state,
        "state_name": _(STATE_NAMES[job.state]),
        "position": state.builds.position(job),
        "progress": job.progress,
        "languages": job.languages,
        "documents": len(job.manifest.documents(state.dossier)),
        "done": list(job.done),
        "current": job.current,
        "duplex": job.duplex,
        "format": job.work[0].fmt,
        "pages": dict(job.pages),
        "cached": dict(job.cached),
        "error": job.error,
        "warnings": list(job.warnings),
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
        raise ApiError(400, f"'{key}' must be a list of strings.")
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
        raise ApiError(400, "Choose at least one language.")
    duplex = data.get("duplex", False)
    if not isinstance(duplex, bool):
        raise ApiError(400, "'duplex' must be true or false.")
    date = None
    if data.get("date"):
        try:
            date = dt.date.fromisoformat(str(data["date"]))
        except ValueError:
            raise ApiError(400, "'date' must be YYYY-MM-DD.") from None
    fmt = data.get("format", "pdf")
    pack_formats = [name for name in ("pdf", "docx") if name in document_formats()]
    if fmt not in pack_formats:
        raise ApiError(400, f"'format' must be one of: {', '.join(pack_formats)}.")
    name = data.get("pack")
    topics = _string_list(data, "topics", [])
    if name and topics:
        raise ApiError(400, "Give 'pack' or 'topics', not both.")
    if name:
        # Bundled packs by name only: a path would read any file on the server.
        names = packs.pack_names(dossier)
        if not isinstance(name, str) or name not in names:
            raise ApiError(400, f"Unknown pack '{name}'. {suggest(str(name), names)}")
        manifest = packs.load_manifest(dossier, name)
    elif topics:
        kinds = _string_list(data, "kinds", ["briefing-note", "talking-points"])
        manifest = packs.adhoc_manifest(dossier, topics, kinds)
    else:
        available = ", ".join(packs.pack_names(dossier)) or "none"
        raise ApiError(400, f"Name a pack (available: {available}) or give 'topics'.")

    def plan(folder: Path) -> tuple[packs.PackManifest, list[packs.PackJob]]:
        work = [
            packs.PackJob(
                dossier.path,
                manifest,
                lang,
                folder / f"{manifest.id}-{lang}.{fmt}",
                date,
                duplex,
                state.cache_dir,
                fmt=fmt,
            )
            for lang in languages
        ]
        return manifest, work

    try:
        return state.builds.submit(plan, duplex)
    except QueueFull as exc:
        raise ApiError(429, str(exc)) from None


def _find_job(state: WebState, job_id: str) -> Job:
    job = state.builds.jobs.get(job_id)
    if job is None:
        raise ApiError(404, f"Unknown job '{job_id}'.")
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
            turns=[(question, answer_view(reply)) for question, reply in turns],
        )

    @app.post("/chat")
    def chat_turn() -> BaseResponse:
        sid, reply = _ask(
            state, request.form.get("q"), request.form.get("lang"), request.form.get("session")
        )
        if request.headers.get("X-Requested-With") == "diplobrief":
            response = Response(
                render_template(
                    "_turn.html", question=request.form.get("q"), view=answer_view(reply)
                )
            )
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
        jobs = sorted(state.builds.jobs.values(), key=lambda job: job.created, reverse=True)
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
        state.builds.cancel(_find_job(state, job_id))
        return redirect("/packs", 303)


# --- The HTTP API ----


def _install_api(app: Flask, state: WebState) -> None:
    @app.post("/api/ask")
    def api_ask() -> Response:
        data = _json_body()
        sid, reply = _ask(state, data.get("q"), data.get("lang"), data.get("session"))
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
        jobs = sorted(state.builds.jobs.values(), key=lambda job: job.created, reverse=True)
        return jsonify([_job_json(state, job) for job in jobs])

    @app.get("/api/jobs/<job_id>")
    def api_job(job_id: str) -> Response:
        return jsonify(_job_json(state, _find_job(state, job_id)))

    @app.post("/api/jobs/<job_id>/cancel")
    def api_cancel(job_id: str) -> Response:
        job = _find_job(state, job_id)
        state.builds.cancel(job)
        return jsonify(_job_json(state, job))

    @app.get("/api/jobs/<job_id>/file")
    def api_job_file(job_id: str) -> Response:
        job = _find_job(state, job_id)
        if job.state != "done":
            raise ApiError(409, f"The build is not finished (state: {job.state}).")
        lang = request.args.get("lang")
        if lang is None and len(job.done) == 1:
            lang = job.done[0]
        if lang not in job.done:
            raise ApiError(
                404 if lang else 400,
                f"Name a language this build made: ?lang= one of {', '.join(job.done)}.",
            )
        path = job.file(lang)
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
