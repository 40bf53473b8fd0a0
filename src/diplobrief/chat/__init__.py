"""The chat: questions and requests in nl, fr or en, answered from the dossier alone.

``ask`` answers one question; ``Session`` holds a conversation; ``run_chat`` is the
interactive loop. Understanding is deterministic (no model download, no network):
``language`` tells the language, ``understand`` the intent, topic, kind and format,
``index`` finds the facts, ``answer`` builds the reply from them.
"""

from __future__ import annotations

from diplobrief.chat.answer import Answer, deliver
from diplobrief.chat.console import run_chat
from diplobrief.chat.engine import ChatEngine, engine_for
from diplobrief.chat.session import Session, ask

__all__ = ["Answer", "ChatEngine", "Session", "ask", "deliver", "engine_for", "run_chat"]
