"""Errors a service raises for a person to read: bad input, and what was not found."""

from __future__ import annotations


class BadInput(ValueError):
    """The request cannot be carried out as asked; nothing was written. The CLI exits 2."""


class NotFound(BadInput):
    """An account, invoice or other record named in the request does not exist."""


class NotAllowed(BadInput):
    """The user's role does not allow what was asked (or the login is not a user)."""
