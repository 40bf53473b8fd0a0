"""The web app through Flask's test client: every route, error and security rule."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from diplobrief import web
from diplobrief.builds import Job
from diplobrief.cli import main
from diplobrief.paths import DEFAULT_DOSSIER
from diplobrief.statedir import write_record

FACT_QUESTION = "Hoeveel landen steunden de kandidatuur?"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    return web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path_factory.mktemp("web-work"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def wait_for(
    client: FlaskClient, job_id: str, states: tuple[str, ...], timeout: float = 120
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").get_json()
        if job["state"] in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} never reached {states}: {job}")


# --- Pages ----


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/topics",
        "/topics?lang=fr",
        "/topics/covid-19",
        "/topics/covid-19?lang=nl",
        "/documents/covid-19/talking-points?lang=fr",
        "/documents/all/lessons-learned",
        "/packs",
    ],
)
def test_every_page_renders_with_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "http" not in policy and "*" not in policy  # no remote source at all
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert '<script src="/static/app.js" defer></script>' in html
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "nothing is loaded from elsewhere"


def test_static_assets_are_served_from_the_package(client: FlaskClient) -> None:
    with client.get("/static/app.css") as css, client.get("/static/app.js") as script:
        assert css.status_code == script.status_code == 200
        assert css.content_type.startswith("text/css")
        assert "javascript" in script.content_type
        assert b"http" not in css.data  # no external fonts or images


def test_topics_page_lists_every_topic_with_its_summary(client: FlaskClient) -> None:
    html = client.get("/topics?lang=en").get_data(as_text=True)
    topics = client.get("/api/topics?lang=en").get_json()
    for topic in topics:
        assert f'href="/topics/{topic["id"]}?lang=en"' in html
    assert "The COVID pandemic and the Council" in html


def test_topic_page_has_facts_sources_quotes_and_every_document_button(
    client: FlaskClient,
) -> None:
    html = client.get("/topics/covid-19?lang=en").get_data(as_text=True)
    assert '<details class="source">' in html and "<blockquote>" in html
    for kind in ("briefing-note", "talking-points", "lessons-learned"):
        for lang in ("nl", "fr", "en"):
            assert f'href="/documents/covid-19/{kind}?lang={lang}"' in html
            for fmt in web.document_formats():
                if fmt != "html":
                    assert f"/api/documents/covid-19/{kind}?lang={lang}&amp;format={fmt}" in html


def test_document_page_previews_in_a_sandboxed_frame(client: FlaskClient) -> None:
    html = client.get("/documents/covid-19/briefing-note?lang=nl").get_data(as_text=True)
    frame = re.search(r"<iframe[^>]*>", html)
    assert frame is not None
    assert " sandbox " in frame.group(0)
    assert 'src="/api/documents/covid-19/briefing-note?lang=nl&amp;format=html"' in frame.group(0)
    assert "Briefingnota" in html


def test_unknown_topic_page_is_a_404_with_the_cli_suggestion(client: FlaskClient) -> None:
    response = client.get("/topics/syria")
    assert response.status_code == 404
    assert "Did you mean &#39;syria-humanitarian-access&#39;?" in response.get_data(as_text=True)


# --- Interface language ----


def test_interface_language_follows_the_browser_then_the_users_choice(
    client: FlaskClient,
) -> None:
    french = client.get("/topics", headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in french.get_data(as_text=True)
    assert "Sujets" in french.get_data(as_text=True)
    dutch = client.get("/", headers={"Accept-Language": "nl-BE"})
    assert '<html lang="nl">' in dutch.get_data(as_text=True)
    response = client.post("/language", data={"lang": "nl", "next": "/packs"})
    assert response.status_code == 303 and response.headers["Location"] == "/packs"
    assert "diplobrief_lang=nl" in response.headers["Set-Cookie"]
    chosen = client.get("/packs", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="nl">' in chosen and "Briefingmappen" in chosen


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil"])
def test_language_change_never_redirects_to_another_site(client: FlaskClient, target: str) -> None:
    response = client.post("/language", data={"lang": "fr", "next": target})
    assert response.headers["Location"] == "/"


def test_every_interface_string_is_translated(client: FlaskClient) -> None:
    """No English left on the French and Dutch pages (beyond names and the dossier)."""
    english = client.get("/packs", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for lang in ("nl", "fr"):
        page = client.get("/packs", headers={"Accept-Language": lang}).get_data(as_text=True)
        for phrase in ("Briefing packs", "What to build", "Duplex printing", "Builds"):
            assert phrase in english and phrase not in page


# --- Chat ----


def test_api_ask_returns_the_ask_json_object_plus_a_session(client: FlaskClient) -> None:
    result = CliRunner().invoke(main, ["ask", FACT_QUESTION, "--json"])
    expected = json.loads(result.output)
    response = client.post("/api/ask", json={"q": FACT_QUESTION})
    assert response.status_code == 200
    body = response.get_json()
    session = body.pop("session")
    assert body == expected
    assert len(session) >= 20
    assert list(body) == list(expected)  # same keys, same order


def test_api_ask_keeps_the_conversation_for_follow_ups(client: FlaskClient) -> None:
    first = client.post("/api/ask", json={"q": "How many countries supported the candidacy?"})
    session = first.get_json()["session"]
    again = client.post("/api/ask", json={"q": "and in French?", "session": session})
    body = again.get_json()
    assert body["session"] == session
    assert body["language"] == "fr" and body["intent"] == "fact"
    assert "181" in body["answer"]
    fresh = client.post("/api/ask", json={"q": "and in French?", "session": "gone"})
    assert fresh.get_json()["session"] != "gone"


def test_api_ask_forces_a_language_and_answers_documents(client: FlaskClient) -> None:
    body = client.post(
        "/api/ask", json={"q": "talking points on peacekeeping as PDF", "lang": "nl"}
    ).get_json()
    assert body["intent"] == "document" and body["language"] == "nl"
    assert body["kind"] == "talking-points" and body["format"] == "pdf"
    assert body["path"] is None  # over HTTP the PDF is downloaded, not written on the server
    assert body["answer"].startswith("---\n")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"q": ""}, "empty"),
        ({"q": 42}, "empty"),
        ({"q": "Mali", "lang": "de"}, "Unknown language 'de'"),
        ({"q": "Mali", "session": 5}, "'session'"),
        ([1, 2], "JSON object"),
    ],
)
def test_api_ask_rejects_bad_requests(client: FlaskClient, payload: Any, message: str) -> None:
    response = client.post("/api/ask", json=payload)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_api_ask_needs_json(client: FlaskClient) -> None:
    response = client.post("/api/ask", data={"q": "Mali"})
    assert response.status_code == 400
    assert "JSON" in response.get_json()["error"]


def test_requests_over_the_size_limit_are_413(client: FlaskClient) -> None:
    body = json.dumps({"q": "x" * (web.MAX_REQUEST_BYTES + 1)})
    response = client.post("/api/ask", data=body, content_type="application/json")
    assert response.status_code == 413
    assert "too large" in response.get_json()["error"]
    form = client.post("/chat", data={"q": "x" * (web.MAX_REQUEST_BYTES + 1)})
    assert form.status_code == 413


def test_chat_page_works_without_javascript(client: FlaskClient) -> None:
    response = client.post("/chat", data={"q": FACT_QUESTION, "session": ""})
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith("/?session=")
    html = client.get(location).get_data(as_text=True)
    assert FACT_QUESTION in html and "181" in html
    assert '<details class="source">' in html and "inleiding (zonder titel)" in html
    session = re.search(r'name="session" value="([^"]+)"', html)
    assert session is not None and session.group(1) in location


def test_chat_fragment_shows_a_document_with_preview_and_downloads(client: FlaskClient) -> None:
    response = client.post(
        "/chat",
        data={"q": "note de briefing sur le maintien de la paix en PDF"},
        headers={"X-Requested-With": "diplobrief"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert response.headers["X-Session"]
    assert "<iframe" in html and "format=html" in html
    assert "/api/documents/peacekeeping/briefing-note?lang=fr&amp;format=pdf" in html
    assert "---" not in html  # no raw Markdown front matter


def test_conversations_are_bounded_in_number_and_age(tmp_path: Path) -> None:
    now = [0.0]
    store = web.Conversations(
        tmp_path, DEFAULT_DOSSIER, limit=2, max_age=60, clock=lambda: now[0], prune_every=0
    )

    def open_turn(session_id: str | None) -> str:
        with store.turn(session_id, "en") as (opened, _conversation):
            return opened

    first = open_turn(None)
    now[0] = 1
    second = open_turn(None)
    now[0] = 2
    third = open_turn(None)
    assert len(store) == 2 and store.find(first) is None
    assert store.find(second) is not None
    now[0] = 30
    assert open_turn(third) == third  # used at 30: kept until 90
    now[0] = 62
    assert store.find(second) is None and store.find(third) is not None
    again = open_turn(second)
    assert again != second
    assert store.find("../../etc/passwd") is None and store.find("") is None


def test_a_conversation_continues_through_a_second_app_sharing_the_state(
    tmp_path: Path,
) -> None:
    """Two app objects over one state folder stand for two worker processes."""
    one = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path).test_client()
    two = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path).test_client()
    first = one.post("/api/ask", json={"q": "How many countries supported Belgium's candidacy?"})
    session = first.get_json()["session"]
    follow_up = two.post("/api/ask", json={"q": "and in French?", "session": session})
    assert follow_up.get_json()["session"] == session
    assert follow_up.get_json()["language"] == "fr"
    assert follow_up.get_json()["answer"] != first.get_json()["answer"]
    facts = [(source["fact"], source["quote"]) for source in first.get_json()["sources"]]
    assert [(s["fact"], s["quote"]) for s in follow_up.get_json()["sources"]] == facts
    page = one.get(f"/?session={session}").get_data(as_text=True)
    assert page.count('class="turn"') == 2


# --- Documents ----


def test_markdown_document_is_the_generate_output(client: FlaskClient) -> None:
    expected = CliRunner().invoke(
        main, ["generate", "covid-19", "--kind", "talking-points", "--lang", "fr"]
    )
    response = client.get("/api/documents/covid-19/talking-points?lang=fr&format=md")
    assert response.status_code == 200
    assert response.content_type == "text/markdown; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=covid-19-talking-points-fr.md"
    )
    assert response.get_data(as_text=True) == expected.output


def test_pdf_document_is_a_real_pdf_with_a_filename(client: FlaskClient) -> None:
    response = client.get("/api/documents/peacekeeping/briefing-note?lang=nl&format=pdf")
    assert response.status_code == 200
    assert response.content_type == "application/pdf"
    assert "filename=peacekeeping-briefing-note-nl.pdf" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) >= 1
    assert "Briefingnota" in reader.pages[0].extract_text()


def test_html_preview_is_inline_sandboxed_and_frameable_only_by_the_app(
    client: FlaskClient,
) -> None:
    response = client.get("/api/documents/all/lessons-learned?lang=en&format=html")
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("inline;")
    policy = response.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "frame-ancestors 'self'" in policy
    assert "script-src" not in policy  # default-src 'none' forbids scripts
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "<h1" in response.get_data(as_text=True)


def test_docx_format_follows_the_installation(client: FlaskClient) -> None:
    response = client.get("/api/documents/covid-19/briefing-note?lang=en&format=docx")
    if web.docx_writer() is None:
        assert response.status_code == 400
        assert "Choose one of: md, html, pdf." in response.get_json()["error"]
    else:
        assert response.status_code == 200
        assert response.data[:2] == b"PK"
        assert "filename=covid-19-briefing-note-en.docx" in response.headers["Content-Disposition"]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/documents/syria/briefing-note", 404, "Did you mean 'syria-humanitarian-access'?"),
        ("/api/documents/covid-19/talking-point", 404, "Did you mean 'talking-points'?"),
        ("/api/documents/all/briefing-note", 404, "only available for lessons learned"),
        ("/api/documents/covid-19/briefing-note?lang=de", 400, "Unknown language 'de'"),
        ("/api/documents/covid-19/briefing-note?format=odt", 400, "Unknown format 'odt'"),
        ("/api/nothing", 404, "Not found."),
    ],
)
def test_document_errors_are_json(
    client: FlaskClient, path: str, status: int, message: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.content_type == "application/json"
    assert message in response.get_json()["error"]


def test_wrong_method_is_a_json_405(client: FlaskClient) -> None:
    response = client.get("/api/ask")
    assert response.status_code == 405
    assert response.get_json() == {"error": "Method not allowed."}


def test_an_internal_error_is_a_clean_500_never_a_traceback(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> bytes:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(web, "document_file", broken)
    response = client.get("/api/documents/covid-19/briefing-note")
    assert response.status_code == 500
    assert response.get_json() == {"error": "Internal error; the server log has the details."}
    page = client.get("/documents/covid-19/briefing-note")
    assert page.status_code == 200  # the page itself renders; only the file failed
    html_error = client.get("/topics/covid-19", headers={"Host": "evil.example"})
    assert "Traceback" not in html_error.get_data(as_text=True)


def test_api_topics_is_the_topics_json(client: FlaskClient) -> None:
    for lang in ("nl", "fr", "en"):
        expected = json.loads(CliRunner().invoke(main, ["topics", "--json", "--lang", lang]).output)
        assert client.get(f"/api/topics?lang={lang}").get_json() == expected
    assert client.get("/api/topics?lang=xx").status_code == 400


# --- Security ----


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "127.0.0.1.evil.example"])
def test_a_foreign_host_header_is_refused(client: FlaskClient, host: str) -> None:
    """DNS rebinding: a page on another name that resolves to 127.0.0.1 gets nothing."""
    for response in (
        client.get("/api/topics", headers={"Host": host}),
        client.post("/api/ask", json={"q": "Mali"}, headers={"Host": host}),
        client.get("/", headers={"Host": host}),
    ):
        assert response.status_code == 400
        assert b"181" not in response.data and b"Mali" not in response.data


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:8765", "[::1]:8765", "localhost"])
def test_loopback_host_headers_are_accepted(client: FlaskClient, host: str) -> None:
    assert client.get("/api/topics", headers={"Host": host}).status_code == 200


def test_extra_allowed_hosts_are_accepted(tmp_path: Path) -> None:
    app = web.create_app(DEFAULT_DOSSIER, allowed_hosts=["briefings.example"], state_dir=tmp_path)
    client = app.test_client()
    assert client.get("/api/topics", headers={"Host": "briefings.example"}).status_code == 200
    assert client.get("/api/topics", headers={"Host": "other.example"}).status_code == 400


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://localhost:9999"},
        {"Referer": "http://evil.example/page"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/api/ask", {"json": {"q": "Mali"}}),
        ("/api/packs", {"json": {"pack": "full"}}),
        ("/chat", {"data": {"q": "Mali"}}),
        ("/packs", {"data": {"pack": "full", "languages": "en"}}),
        ("/language", {"data": {"lang": "fr"}}),
        ("/api/jobs/x/cancel", {}),
    ],
)
def test_cross_site_state_changes_are_refused(
    client: FlaskClient, path: str, kwargs: dict[str, Any], headers: dict[str, str]
) -> None:
    response = client.post(path, headers=headers, **kwargs)
    assert response.status_code == 403
    assert "Cross-site" in response.get_data(as_text=True)


def test_same_site_state_changes_are_accepted(client: FlaskClient) -> None:
    headers = {
        "Origin": "http://localhost",
        "Referer": "http://localhost/",
        "Sec-Fetch-Site": "same-origin",
    }
    response = client.post("/api/ask", json={"q": "Mali"}, headers=headers)
    assert response.status_code == 200


def test_a_token_protects_every_route(tmp_path: Path) -> None:
    app = web.create_app(DEFAULT_DOSSIER, token="s3cret-token", state_dir=tmp_path)
    client = app.test_client()
    for path in ("/", "/api/topics", "/static/app.css"):
        refused = client.get(path)
        assert refused.status_code == 401
    assert client.post("/api/ask", json={"q": "Mali"}).status_code == 401
    assert client.get("/?token=wrong").status_code == 401
    bearer = {"Authorization": "Bearer s3cret-token"}
    assert client.get("/api/topics", headers=bearer).status_code == 200
    assert client.get("/api/topics", headers={"Authorization": "Bearer nope"}).status_code == 401
    welcome = client.get("/topics?token=s3cret-token")
    assert welcome.status_code == 303 and welcome.headers["Location"] == "/topics"
    cookie = welcome.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/topics").status_code == 200  # the cookie now carries the token


def test_dossier_text_is_escaped_in_every_page(dossier_copy: Path, tmp_path: Path) -> None:
    topic = dossier_copy / "topics" / "covid-19.yaml"
    text = topic.read_text(encoding="utf-8")
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    topic.write_text(
        text.replace("en: The COVID pandemic and the Council", f"en: '{hostile}'"),
        encoding="utf-8",
    )
    client = web.create_app(dossier_copy, state_dir=tmp_path).test_client()
    pages = [
        client.get("/topics?lang=en"),
        client.get("/topics/covid-19?lang=en"),
        client.get("/documents/covid-19/briefing-note?lang=en"),
        client.post(
            "/chat",
            data={"q": "talking points on covid-19"},
            headers={"X-Requested-With": "diplobrief"},
        ),
        client.get("/api/documents/covid-19/briefing-note?lang=en&format=html"),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[1].get_data(as_text=True)


# --- Packs ----


def test_a_pack_builds_through_the_api_and_downloads(client: FlaskClient) -> None:
    response = client.post(
        "/api/packs",
        json={"topics": ["covid-19"], "kinds": ["briefing-note"], "languages": ["fr", "en"]},
    )
    assert response.status_code == 202
    job = response.get_json()
    assert response.headers["Location"] == f"/api/jobs/{job['id']}"
    assert job["state"] in ("queued", "running") and job["languages"] == ["fr", "en"]
    assert client.get(f"/api/jobs/{job['id']}/file?lang=fr").status_code == 409
    done = wait_for(client, job["id"], ("done", "failed"))
    assert done["state"] == "done", done["error"]
    assert done["progress"] == 100 and done["done"] == ["fr", "en"]
    assert set(done["files"]) == {"fr", "en"}
    with client.get(done["files"]["fr"]) as pdf:
        assert pdf.status_code == 200 and pdf.content_type == "application/pdf"
        assert "filename=pack-fr.pdf" in pdf.headers["Content-Disposition"]
        reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == done["pages"]["fr"]
    assert client.get(f"/api/jobs/{job['id']}/file").status_code == 400  # two languages
    assert client.get(f"/api/jobs/{job['id']}/file?lang=nl").status_code == 404
    listed = client.get("/api/jobs").get_json()
    assert any(item["id"] == job["id"] for item in listed)
    page = client.get("/packs").get_data(as_text=True)
    assert f'id="job-{job["id"]}"' in page and 'value="100"' in page


def test_a_word_pack_builds_when_the_installation_writes_docx(client: FlaskClient) -> None:
    request = {"topics": ["peacekeeping"], "kinds": ["talking-points"], "format": "docx"}
    response = client.post("/api/packs", json={**request, "languages": ["nl"]})
    if web.docx_writer() is None:
        assert response.status_code == 400
        assert "'format' must be one of: pdf." in response.get_json()["error"]
        return
    done = wait_for(client, response.get_json()["id"], ("done", "failed"))
    assert done["state"] == "done", done["error"]
    assert done["format"] == "docx"
    with client.get(done["files"]["nl"]) as word:
        assert word.status_code == 200 and word.data[:2] == b"PK"
        assert word.content_type == web.FORMAT_TYPES["docx"]
        assert "filename=pack-nl.docx" in word.headers["Content-Disposition"]
    assert client.post("/api/packs", json={**request, "format": "odt"}).status_code == 400


def test_builds_run_one_at_a_time_queue_and_cancel(tmp_path: Path) -> None:
    app = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path, max_queued=2)
    client = app.test_client()
    first = client.post("/api/packs", json={"pack": "full", "languages": ["en"]}).get_json()
    running = wait_for(client, first["id"], ("running",))
    assert running["current"] == "en"
    second = client.post("/api/packs", json={"pack": "full", "languages": ["nl"]}).get_json()
    third = client.post("/api/packs", json={"pack": "full", "languages": ["fr"]}).get_json()
    full = client.post("/api/packs", json={"pack": "full", "languages": ["fr"]})
    assert full.status_code == 429 and full.headers["Retry-After"]
    assert "waiting" in full.get_json()["error"]
    queued = client.get(f"/api/jobs/{second['id']}").get_json()
    assert queued["state"] == "queued" and queued["position"] == 1
    assert client.get(f"/api/jobs/{third['id']}").get_json()["position"] == 2
    cancelled = client.post(f"/api/jobs/{second['id']}/cancel").get_json()
    assert cancelled["state"] == "cancelled"
    assert client.get(f"/api/jobs/{third['id']}").get_json()["position"] == 1
    client.post(f"/api/jobs/{first['id']}/cancel")
    stopped = wait_for(client, first["id"], ("cancelled", "done", "failed"), timeout=30)
    assert stopped["state"] == "cancelled"
    assert wait_for(client, third["id"], ("running",))["current"] == "fr"
    client.post(f"/api/jobs/{third['id']}/cancel")
    assert wait_for(client, third["id"], ("cancelled",), timeout=30)["files"] == {}


def test_a_job_started_on_one_app_is_polled_cancelled_and_downloaded_on_another(
    tmp_path: Path,
) -> None:
    """Two app objects over one state folder stand for two worker processes."""
    one = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path).test_client()
    two = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path).test_client()
    request = {"topics": ["covid-19"], "kinds": ["talking-points"], "languages": ["fr"]}
    started = one.post("/api/packs", json=request).get_json()
    long = one.post("/api/packs", json={"pack": "full", "languages": ["en"]}).get_json()
    assert two.get(f"/api/jobs/{long['id']}").get_json()["position"] in (1, 2)
    done = wait_for(two, started["id"], ("done", "failed"))
    assert done["state"] == "done", done["error"]
    with two.get(done["files"]["fr"]) as pdf:
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert wait_for(two, long["id"], ("running",))["current"] == "en"
    assert two.post(f"/api/jobs/{long['id']}/cancel").status_code == 200
    assert wait_for(one, long["id"], ("cancelled",), timeout=30)["files"] == {}
    assert {job["id"] for job in two.get("/api/jobs").get_json()} == {started["id"], long["id"]}


def test_a_build_left_running_by_a_dead_server_is_reported_failed(tmp_path: Path) -> None:
    app = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path)
    builds = app.extensions["diplobrief"].builds
    # What a server killed mid-build leaves: a running record, and no lock held.
    job = Job("orphan", {"pack": "full"}, "full", {}, 1, ["en"], "pdf", False, "running")
    write_record(builds.folder / "orphan.json", job.record())
    assert (builds.folder / "orphan.json").is_file()
    seen = app.test_client().get(f"/api/jobs/{job.id}").get_json()
    assert seen["state"] == "failed"
    assert seen["error"] == "the server stopped during this build"


def test_pack_builds_reuse_the_cache(tmp_path: Path) -> None:
    app = web.create_app(DEFAULT_DOSSIER, cache_dir=tmp_path / "cache", state_dir=tmp_path / "w")
    client = app.test_client()
    request = {"topics": ["human-rights"], "kinds": ["talking-points"], "languages": ["nl"]}
    cold = wait_for(client, client.post("/api/packs", json=request).get_json()["id"], ("done",))
    warm = wait_for(client, client.post("/api/packs", json=request).get_json()["id"], ("done",))
    assert cold["cached"] == {"nl": False} and warm["cached"] == {"nl": True}
    assert list((tmp_path / "cache").glob("*.pdf"))


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"pack": "ful"}, "Unknown pack 'ful'. Did you mean 'full'?"),
        ({"pack": "../../etc/passwd"}, "Unknown pack"),
        ({"topics": ["syra"], "languages": ["en"]}, "Did you mean 'syria-humanitarian-access'?"),
        ({"topics": ["covid-19"], "kinds": ["notes"]}, "Unknown kind 'notes'"),
        ({"pack": "full", "topics": ["covid-19"]}, "not both"),
        ({"pack": "full", "languages": ["de"]}, "Unknown language 'de'"),
        ({"pack": "full", "languages": 3}, "list of strings"),
        ({"pack": "full", "duplex": "yes"}, "'duplex'"),
        ({"pack": "full", "date": "tomorrow"}, "YYYY-MM-DD"),
        ({}, "Name a pack (available: full, presidency-february-2020)"),
    ],
)
def test_bad_pack_requests_are_400s(client: FlaskClient, payload: Any, message: str) -> None:
    response = client.post("/api/packs", json=payload)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_unknown_jobs_are_404s(client: FlaskClient) -> None:
    for response in (
        client.get("/api/jobs/nope"),
        client.get("/api/jobs/nope/file?lang=en"),
        client.post("/api/jobs/nope/cancel"),
        client.get("/packs/jobs/nope"),
    ):
        assert response.status_code == 404


def test_pack_form_without_javascript_queues_and_redirects(tmp_path: Path) -> None:
    client = web.create_app(DEFAULT_DOSSIER, state_dir=tmp_path).test_client()
    response = client.post(
        "/packs",
        data={
            "choice": "pack",
            "pack": "presidency-february-2020",
            "languages": ["nl"],
            "duplex": "on",
        },
    )
    assert response.status_code == 303
    job_id = response.headers["Location"].split("#job-")[1]
    job = client.get(f"/api/jobs/{job_id}").get_json()
    assert job["duplex"] is True and job["pack"] == "presidency-february-2020"
    assert client.post(f"/jobs/{job_id}/cancel").status_code == 303
    assert wait_for(client, job_id, ("cancelled",), timeout=30)
    empty = client.post("/packs", data={"choice": "topics", "languages": ["nl"]})
    assert empty.status_code == 400
    assert "Choose at least one topic." in empty.get_data(as_text=True)


# --- The command ----


def test_serve_refuses_other_addresses_without_allow_remote() -> None:
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    command = ["serve", "--port", "0", "--no-browser", "--no-cache", "--state-dir", str(tmp_path)]
    process = subprocess.Popen(
        [sys.executable, "-m", "diplobrief", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    try:
        assert match, line + process.stderr.read()
        yield process, match.group(0)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stderr.close()


def test_serve_runs_waitress_on_loopback(served: tuple[subprocess.Popen[str], str]) -> None:
    process, url = served
    with urllib.request.urlopen(url + "api/topics?lang=nl", timeout=10) as response:
        assert response.headers["Server"] == "diplobrief"  # waitress, with our ident
        topics = json.loads(response.read())
    assert topics[0]["id"] == "mandate-overview"
    process.terminate()
    assert process.wait(timeout=10) in (0, 130, -15)


# --- The user's language in errors and help ----


@pytest.mark.parametrize(
    ("lang", "job", "topic", "kind"),
    [
        ("nl", "Onbekende opdracht 'nope'.", "Onbekend onderwerp 'syra'.", "Onbekende soort"),
        ("fr", "Tâche inconnue 'nope'.", "Sujet inconnu 'syra'.", "Type inconnu"),
        ("en", "Unknown job 'nope'.", "Unknown topic 'syra'.", "Unknown kind"),
    ],
)
def test_errors_speak_the_users_language(
    client: FlaskClient, lang: str, job: str, topic: str, kind: str
) -> None:
    headers = {"Accept-Language": lang}
    assert client.get("/api/jobs/nope", headers=headers).get_json()["error"] == job
    unknown = client.get("/api/documents/syra/briefing-note", headers=headers)
    assert unknown.status_code == 404
    message = unknown.get_json()["error"]
    assert message.startswith(topic) and "'syria-humanitarian-access'" in message
    assert kind in client.get("/api/documents/covid-19/notes", headers=headers).get_json()["error"]
    page = client.get("/nowhere", headers={**headers, "Accept": "text/html"})
    assert page.status_code == 404
    assert {"nl": "Niet gevonden.", "fr": "Introuvable.", "en": "Not found."}[lang] in page.text
    bad = client.post("/api/packs", json={"pack": "full", "languages": ["de"]}, headers=headers)
    assert {"nl": "Onbekende taal", "fr": "Langue inconnue", "en": "Unknown language"}[lang] in (
        bad.get_json()["error"]
    )


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_the_web_help_does_not_say_quit(client: FlaskClient, lang: str) -> None:
    word = {"nl": "help", "fr": "aide", "en": "help"}[lang]
    reply = client.post("/api/ask", json={"q": word, "lang": lang}).get_json()
    assert reply["intent"] == "help" and reply["language"] == lang
    assert "mandate-overview" in reply["answer"]
    for leave in ("quit", "stop", "verlaten", "quitter"):
        assert leave not in reply["answer"].lower()
