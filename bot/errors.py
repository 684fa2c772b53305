"""Domain errors: each carries a message a user can act on (Dutch)."""

from __future__ import annotations


class DomainError(Exception):
    """Base for errors the user caused or can fix; the message is shown as is."""


class NotFound(DomainError):
    """An id, number, person or unit that does not exist."""


class NotAllowed(DomainError):
    """The acting person may not do this."""


class InvalidState(DomainError):
    """The object is not in a state that allows this action."""


class InvalidInput(DomainError):
    """Input that cannot be accepted as given."""


class SchemaNotReady(DomainError):
    """The configured database does not exist or is not at the current schema revision."""
