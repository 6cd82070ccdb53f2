"""The bank statement CSV profiles an import can be asked to use, by name, for the GUI."""

from __future__ import annotations

from debtdesk.importers.bank_statement import PROFILES


def bank_profiles() -> tuple[str, ...]:
    """The names of the built-in CSV profiles, ``generic`` first (the default)."""
    return tuple(sorted(PROFILES, key=lambda name: (name != "generic", name)))
