"""The one exception hierarchy; the CLI turns it into clean messages."""

from __future__ import annotations


class DiplobriefError(Exception):
    """Base of every error diplobrief reports to a user without a traceback."""


class UsageProblem(DiplobriefError):
    """Raised when the user asked for something that does not exist (exit 2)."""

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.suggestion = suggestion

    def __reduce__(self) -> tuple[type, tuple[str, str | None]]:
        # Keep the suggestion when the error crosses from a worker process.
        return (type(self), (str(self), self.suggestion))


class DossierError(DiplobriefError):
    """Raised when a dossier cannot be loaded; carries every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def __reduce__(self) -> tuple[type, tuple[list[str]]]:
        # Keep the list of problems when the error crosses from a worker process.
        return (type(self), (self.problems,))


class TemplateError(DiplobriefError):
    """Raised when a template is broken; names the template file and line."""


class CatalogError(DiplobriefError):
    """Raised when a gettext catalog cannot be read."""


class OutputError(DiplobriefError):
    """Raised when an output file cannot be written."""


class RenderError(DiplobriefError):
    """Raised when WeasyPrint cannot render a document."""


class WorkerError(DiplobriefError):
    """Raised when a worker process dies before it has finished its PDF."""
