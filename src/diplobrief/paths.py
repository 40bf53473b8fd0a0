"""Locate the content folders in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries the content inside the package (see pyproject's force-include);
# a checkout (editable install or PYTHONPATH=src) has it at the repository root.
_BUNDLED = _PACKAGE / "_content"
CONTENT_ROOT = _BUNDLED if _BUNDLED.is_dir() else _PACKAGE.parent.parent

BRIEFINGS_DIR = CONTENT_ROOT / "briefings"
TEMPLATES_DIR = CONTENT_ROOT / "templates"
LOCALES_DIR = CONTENT_ROOT / "locales"
DEFAULT_DOSSIER = BRIEFINGS_DIR / "be-unsc-2019-2020"


def private_cache_folder(name: str) -> Path | None:
    """``<user cache>/diplobrief/<name>``, made private (0700); None when it cannot be
    made, for a cache is only ever an optimization."""
    from platformdirs import user_cache_path

    folder = user_cache_path("diplobrief") / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return folder
