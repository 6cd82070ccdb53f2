"""The machine's settings file, where IT says which database every user of the PC opens.

The Windows installer writes ``%ProgramData%\\debtdesk\\debtdesk.ini``::

    [database]
    url = postgresql+psycopg://debtdesk@db.council.local/debtdesk

The value is a SQLAlchemy URL or a SQLite file path; empty: each user chooses (the database
they last opened, else their own file).
``$DEBTDESK_CONFIG`` names another file (for IT, and for the tests).
"""

from __future__ import annotations

import codecs
import configparser
import locale
import os
import sys
from pathlib import Path

import platformdirs

from debtdesk.db.engine import hide_password
from debtdesk.services.errors import BadInput

__all__ = ["CONFIG_ENV", "SettingsFileError", "configured_database", "settings_file"]

CONFIG_ENV = "DEBTDESK_CONFIG"
SECTION = "database"
KEY = "url"

# Windows' INI functions (NSIS's WriteINIStr calls WritePrivateProfileStringW) write the
# file in the ANSI code page, not UTF-8, even from a Unicode program, unless the file
# already begins with a UTF-16 byte-order mark; then they write UTF-16. So text that is
# not UTF-8 is read in the ANSI code page: this PC's on Windows, elsewhere Windows-1252
# (a UK Windows PC's), for a file copied from one.
_ANSI = locale.getencoding() if sys.platform == "win32" else "cp1252"
_ENCODING_NAMES = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "cp1252": "Windows-1252"}


class SettingsFileError(BadInput):
    """The machine's settings file cannot be read, or is not a valid settings file."""


def settings_file() -> Path:
    """``$DEBTDESK_CONFIG``, else ``debtdesk.ini`` in the machine-wide config folder.

    That folder is ``C:\\ProgramData\\debtdesk`` on Windows: platformdirs' ``site_config_dir``
    is its ``site_data_dir`` there, the known folder FOLDERID_ProgramData (CSIDL_COMMON_APPDATA)
    plus the app's name (no author folder: ``appauthor=False``). NSIS's ``$APPDATA`` after
    ``SetShellVarContext all`` is that same all-users application-data folder, so the
    installer's ``$APPDATA\\debtdesk\\debtdesk.ini`` is this file. On Linux it is
    ``/etc/xdg/debtdesk``, or with ``$XDG_CONFIG_DIRS`` set (Ubuntu's desktop sessions set
    ``/etc/xdg/xdg-ubuntu:/etc/xdg``) the first of its folders that has the file, so the
    same file is read in a desktop session, over SSH and from cron.
    """
    configured = os.environ.get(CONFIG_ENV)
    if configured:
        return Path(configured).expanduser()
    dirs = platformdirs.PlatformDirs("debtdesk", appauthor=False, multipath=True)
    candidates = [
        Path(folder) / "debtdesk.ini" for folder in dirs.site_config_dir.split(os.pathsep)
    ]
    return next((path for path in candidates if path.is_file()), candidates[0])


def configured_database(path: Path | None = None) -> str | None:
    """The ``[database] url`` of the settings file (default :func:`settings_file`), or None.

    None when the file, the section or the key is missing or the value is empty. Spaces and
    quotes around the value are removed; a relative SQLite path is from the file's folder.

    Raises:
        SettingsFileError: the file cannot be read or is not a valid settings file; the message
            names the file and, for a mistake in it, the line.
    """
    path = path or settings_file()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingsFileError(
            f"cannot read the settings file {path}: {exc.strerror or exc}"
        ) from exc
    # As Windows reads INI files: only "=" between name and value (a URL has ":" in it),
    # and a % in a URL is a %.
    parser = configparser.ConfigParser(delimiters=("=",), interpolation=None)
    text = _decode(path, data)
    try:
        parser.read_string(text, source=str(path))
    except configparser.Error as exc:
        raise SettingsFileError(
            f"the settings file {path} is not valid: {_mistake(exc, text)}"
        ) from exc
    # Windows reads section and key names in any case; so does this.
    section = next((s for s in parser.sections() if s.lower() == SECTION), None)
    if section is None:
        return None
    raw = parser.get(section, KEY, fallback="")
    if "\n" in raw:  # Windows reads no continuation lines; a value is on one line
        raise SettingsFileError(
            f"the settings file {path} is not valid: the [{section}] {KEY} runs onto the "
            "next line (an indented line continues the one above); put it on one line"
        )
    value = _unquote(raw)
    if not value:
        return None
    if "://" in value:
        return value
    location = Path(value).expanduser()
    return str(location if location.is_absolute() else path.parent / location)


def _decode(path: Path, data: bytes) -> str:
    """The file's text: UTF-16 or UTF-8 by their byte-order mark, else UTF-8, else ANSI."""
    encodings: tuple[str, ...]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Notepad's "Unicode"
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8-sig", _ANSI)  # utf-8-sig: also drops a UTF-8 BOM (Notepad's)
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
    names = [_ENCODING_NAMES.get(encoding, encoding) for encoding in encodings]
    what = f"neither {names[0]} nor {names[1]}" if len(names) == 2 else f"not {names[0]}"
    raise SettingsFileError(
        f"the settings file {path} is not valid: line {line} is {what} text; save the file as UTF-8"
    )


def _mistake(exc: configparser.Error, text: str) -> str:
    """What is wrong and on which line, from configparser's error (which carries the line)."""
    if isinstance(exc, configparser.MissingSectionHeaderError):
        return (
            f"line {exc.lineno} ({_line(text, exc.lineno)}) comes before any [section] "
            f"heading; the file begins with [{SECTION}]"
        )
    if isinstance(exc, configparser.ParsingError):
        lines = "; ".join(f"line {n} ({_line(text, n)})" for n, _ in exc.errors)
        return f"{lines}: not a [section] heading, a name = value line or a ; comment"
    if isinstance(exc, configparser.DuplicateSectionError):
        return f"line {exc.lineno}: a second [{exc.section}] section; keep one"
    if isinstance(exc, configparser.DuplicateOptionError):
        return f"line {exc.lineno}: a second {exc.option} in [{exc.section}]; keep one"
    return hide_password(str(exc))


def _line(text: str, lineno: int) -> str:
    """Line ``lineno`` (from 1, as configparser counts) quoted, a URL's password hidden."""
    return hide_password(repr(text.split("\n")[lineno - 1].strip()))


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    return value
