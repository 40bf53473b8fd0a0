"""The chat's machinery for one dossier, built once per process and shared by every turn."""

from __future__ import annotations

import contextlib
import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from diplobrief import i18n
from diplobrief.chat import lexicon, store
from diplobrief.chat.index import Gazetteer, Index, build_state
from diplobrief.chat.language import LanguageModel, dossier_corpus
from diplobrief.chat.text import phrase
from diplobrief.chat.understand import Reader
from diplobrief.dossier import LANGUAGES, Dossier, load_dossier

logger = logging.getLogger(__name__)

# Region codes that are not countries (the European Union, the United Nations, …).
_NOT_COUNTRIES = {"BE", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


class ChatEngine:
    """A dossier with its retrieval index, language model and reader.

    ``state`` is what ``build_engine_state`` derives from the dossier (read back from the
    on-disk cache by ``engine_for``); without it, it is built here.
    """

    def __init__(self, dossier: Dossier, state: dict[str, Any] | None = None) -> None:
        started = time.perf_counter()
        self.dossier = dossier
        state = state if state is not None else build_engine_state(dossier)
        countries = Gazetteer({str(name): str(code) for name, code in state["countries"].items()})
        self.index = Index(state["index"], countries)
        if set(self.index.fact_ids) != set(dossier.facts):
            raise ValueError("index state: facts differ from the dossier's")
        language = state["language"]
        self.language_model = LanguageModel(language["unseen"], language["log_probability"])
        self.reader = Reader(self.index, self.language_model, countries)
        logger.debug("chat engine ready in %.0f ms", 1000 * (time.perf_counter() - started))

    def country_name(self, code: str, lang: str) -> str:
        """A country's name in the output language (Babel's CLDR data)."""
        return str(i18n.babel_locale(lang).territories.get(code, code))


def engine_for(path: Path) -> ChatEngine:
    """The engine of the dossier at ``path``, loaded and indexed once per process.

    The cache key includes the YAML files' sizes and modification times, so a dossier
    edited while a program runs is read again rather than answered from stale facts.
    """
    return _engine(path.resolve(), _signature(path))


@lru_cache(maxsize=4)
def _engine(path: Path, signature: tuple[tuple[str, int, int], ...]) -> ChatEngine:
    dossier = load_dossier(path)
    engine: ChatEngine = store.load_or_build(
        path, lambda: build_engine_state(dossier), lambda state: ChatEngine(dossier, state)
    )
    return engine


def build_engine_state(dossier: Dossier) -> dict[str, Any]:
    """What the engine derives from a dossier, as plain data: country names, index, model."""
    common = common_words(dossier)
    names = {name: code for name, code in country_names().items() if name.split()[-1] not in common}
    names.update(lexicon.CAPITALS)
    return {
        "countries": names,
        "index": build_state(dossier, Gazetteer(names)),
        "language": LanguageModel.train(dossier_corpus(dossier)).state(),
    }


def _signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for file in sorted(path.rglob("*.yaml")) if path.is_dir() else []:
        with contextlib.suppress(OSError):
            status = file.stat()
            found.append((str(file), status.st_size, status.st_mtime_ns))
    return tuple(found)


def common_words(dossier: Dossier) -> set[str]:
    """Words the dossier writes in lower case: "réunion" is a meeting there, not La Réunion."""
    found: set[str] = set()
    for fact in dossier.facts.values():
        for lang in LANGUAGES:
            found.update(phrase(word) for word in fact.text.get(lang).split() if word.islower())
    return found


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Every country name Babel knows in nl, fr and en, folded, to its region code."""
    names: dict[str, str] = {}
    for lang in LANGUAGES:
        for code, name in i18n.babel_locale(lang).territories.items():
            if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES:
                names[phrase(name)] = code
    return names
