"""The chat: questions and requests in nl, fr or en, answered from the dossier alone.

``ask`` answers one question; ``Session`` holds a conversation; ``run_chat`` is the
interactive loop. Understanding is deterministic (no model download, no network):
``language`` tells the language, ``understand`` the intent, topic, kind, format and the
kind of value asked for, ``index`` finds the facts (``store`` caches it on disk),
``answer`` builds the reply from them.

The library API, for the CLI and the web app alike::

    engine = engine_for(Path("briefings/be-unsc-2019-2020"))  # built once, cached
    session = Session(engine)                  # one conversation; language=… forces one
    answer = session.respond("Combien de pays ont soutenu la candidature belge ?")
    answer.intent       # "fact" | "document" | "help" | "smalltalk" | "unknown" (refusal)
    answer.language, answer.topic, answer.kind, answer.format  # format: md | pdf | docx | html
    answer.text         # the reply (a document's Markdown for a document request)
    answer.sources      # SourceNote per fact: section, quote, author, title
    answer.confidence   # 0 for a refusal; see understand.MIN_FACT_COVERAGE
    answer.document     # the RenderedDocument of a document request, else None
    deliver(answer, engine.dossier, folder)   # writes a PDF, DOCX or HTML answer, sets .path

A session is not thread-safe; keep one per conversation. Engines are shared.
"""

from __future__ import annotations

from diplobrief.chat.answer import Answer, deliver
from diplobrief.chat.console import run_chat
from diplobrief.chat.engine import ChatEngine, engine_for
from diplobrief.chat.session import Session, ask

__all__ = ["Answer", "ChatEngine", "Session", "ask", "deliver", "engine_for", "run_chat"]
