"""How values read in the GUI: pounds, UK dates, yes/no and labels for stored codes."""

from __future__ import annotations

from datetime import date

from debtdesk.domain.money import format_pounds


def money(pence: int | None) -> str:
    """``£1,234.50``, ``-£12.00``; empty for no amount."""
    return "" if pence is None else format_pounds(pence)


def uk_date(value: date | None) -> str:
    """``03/12/2025``; empty for no date."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def label(code: str) -> str:
    """A stored code as a person reads it: ``team_leader`` -> ``Team leader``."""
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


FUNDING_LABELS = {
    "council": "Council",
    "fnc": "Council + NHS FNC",
    "chc": "NHS CHC",
}


def funding(code: str) -> str:
    return FUNDING_LABELS.get(code, label(code))


def sentence(text: str) -> str:
    """A service's message as a sentence: a capital first letter and a full stop."""
    text = text.strip()
    if not text:
        return ""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def plural(count: int, one: str, many: str | None = None) -> str:
    """``1 letter``, ``2 letters``, ``1,234 rows``: a count and its noun."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
