"""Errors the core raises. Every one carries a plain-language message for the person at the desk.

``KnownStorageError`` covers things the environment did (locked, read-only, full, corrupt);
anything else escaping storage is a bug and goes to the crash handler.
"""

from __future__ import annotations


class PetitionDeskError(Exception):
    """Base class: ``str(e)`` is a translated, plain-words message fit to show to the user."""

    def user_text(self) -> str:
        return str(self)


class ValidationError(PetitionDeskError):
    """Input refused; nothing was saved. ``field`` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class TransitionError(PetitionDeskError):
    """A workflow step that is not allowed from the record's current state."""


class PermissionDenied(PetitionDeskError):
    """The signed-in user's role may not do this."""


class NotFound(PetitionDeskError):
    """The record asked for does not exist (or was deleted)."""


class ConcurrentChange(PetitionDeskError):
    """The record changed since it was read (version mismatch); reload and try again."""


class KnownStorageError(PetitionDeskError):
    """The disk or database refused: locked, read-only, full, corrupt, cannot open."""


class NewerDatabaseError(KnownStorageError):
    """The register was written by a newer version of the app."""


class BundleError(PetitionDeskError):
    """A sync bundle was refused (damaged, forged, replayed, wrong station…); nothing written."""
