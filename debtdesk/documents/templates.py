"""Turning a template and its context into HTML: the Jinja environment, its filters and errors.

Templates ship in ``resources/templates/``; a team may copy one into its override folder
and edit it there, without code. Everything is escaped (names such as ``O'Brien & Sons``
print as written) and a missing value is an error, never a blank on a posted letter.
This module also owns where ``resources/`` is, for the documents package (fonts too).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    ChoiceLoader,
    FileSystemLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import SandboxedEnvironment

from debtdesk.domain.money import format_pounds
from debtdesk.resources import resource_path

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class TemplateRenderError(Exception):
    """A template is missing or could not be rendered; the message names the template."""


def money(pence: int) -> str:
    """Pence as pounds for a letter: ``123450`` -> ``£1,234.50``."""
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"money expects whole pence (an int), got {type(pence).__name__}")
    return format_pounds(pence)


def longdate(value: date) -> str:
    """A date in words, whatever the locale: ``23 November 2026``."""
    _check_date(value, "longdate")
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def shortdate(value: date) -> str:
    """A date in figures: ``23/11/2026``."""
    _check_date(value, "shortdate")
    return f"{value.day:02d}/{value.month:02d}/{value.year}"


def sortcode(value: str) -> str:
    """A bank sort code as printed: ``"123456"`` -> ``12-34-56``."""
    digits = str(value).replace("-", "").replace(" ", "")
    if len(digits) != 6 or not digits.isdigit():
        raise ValueError(f"{value!r} is not a six-digit sort code")
    return f"{digits[0:2]}-{digits[2:4]}-{digits[4:6]}"


def _check_date(value: object, name: str) -> None:
    if not isinstance(value, date):
        raise TypeError(f"{name} expects a date, got {type(value).__name__}")


class Templates:
    """The document templates: a team's override folder first, then the shipped ones."""

    def __init__(self, override_dir: Path | None = None, shipped_dir: Path | None = None) -> None:
        """Look in ``override_dir`` (if given) before ``shipped_dir`` (default: the shipped)."""
        shipped = shipped_dir if shipped_dir is not None else resource_path("templates")
        self.folders: tuple[Path, ...] = (
            (override_dir, shipped) if override_dir is not None else (shipped,)
        )
        self._env = SandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(str(folder)) for folder in self.folders]),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._env.filters.update(
            money=money, longdate=longdate, shortdate=shortdate, sortcode=sortcode
        )

    def render(self, name: str, /, **context: Any) -> str:
        """The HTML of template ``name`` given ``context``.

        Raises:
            TemplateRenderError: the template is missing, invalid, uses a value it was not
                given, or a filter refused a value; the message says which file and line.
        """
        try:
            return self._env.get_template(name).render(**context)
        except Exception as exc:
            raise TemplateRenderError(self._problem(name, exc)) from exc

    def _problem(self, name: str, exc: Exception) -> str:
        """What went wrong, and in which file and line."""
        if isinstance(exc, TemplateNotFound):
            looked = ", ".join(str(folder) for folder in self.folders)
            return f"template {exc.name!r} not found (looked in {looked})"
        if isinstance(exc, TemplateSyntaxError):
            return f"template {exc.filename or exc.name or name} line {exc.lineno}: {exc.message}"
        where = _template_line(exc.__traceback__, self.folders) or repr(name)
        return f"template {where}: {exc}"


def _template_line(tb: TracebackType | None, folders: tuple[Path, ...]) -> str:
    """``/…/statement.html line 12``: the innermost template frame of a traceback, or ""."""
    roots = tuple(str(folder) for folder in folders)
    found = ""
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(roots):
            found = f"{filename} line {tb.tb_lineno}"
        tb = tb.tb_next
    return found
