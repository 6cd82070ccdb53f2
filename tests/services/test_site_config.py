"""The machine's settings file: where it is, what it says, its mistakes, and who wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from debtdesk import cli
from debtdesk.services import site_config
from debtdesk.services.database import default_database, user_database
from debtdesk.services.errors import BadInput
from tests.conftest import BACKEND

TEAM_URL = "postgresql+psycopg://debtdesk@db.council.local/debtdesk"


def test_the_file_is_named_by_the_environment_else_the_machine_wide_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEBTDESK_CONFIG", str(tmp_path / "it.ini"))
    assert site_config.settings_file() == tmp_path / "it.ini"
    monkeypatch.delenv("DEBTDESK_CONFIG")
    monkeypatch.delenv("XDG_CONFIG_DIRS", raising=False)
    assert site_config.settings_file() == Path("/etc/xdg/debtdesk/debtdesk.ini")


def test_on_linux_every_xdg_config_folder_is_searched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ubuntu's desktop session puts its own folder first; IT's file in /etc/xdg still counts."""
    monkeypatch.delenv("DEBTDESK_CONFIG")
    first, second = tmp_path / "xdg-ubuntu", tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_DIRS", f"{first}:{second}")
    assert site_config.settings_file() == first / "debtdesk" / "debtdesk.ini"  # none yet
    (second / "debtdesk").mkdir(parents=True)
    (second / "debtdesk" / "debtdesk.ini").write_text(f"[database]\nurl = {TEAM_URL}\n")
    assert site_config.settings_file() == second / "debtdesk" / "debtdesk.ini"
    assert site_config.configured_database() == TEAM_URL
    (first / "debtdesk").mkdir(parents=True)
    (first / "debtdesk" / "debtdesk.ini").write_text("[database]\nurl = first.sqlite\n")
    assert site_config.settings_file() == first / "debtdesk" / "debtdesk.ini"


def test_the_url_is_read(ini: Path) -> None:
    ini.write_text(f"[database]\nurl = {TEAM_URL}\n", encoding="utf-8")
    assert site_config.configured_database() == TEAM_URL
    assert default_database() == TEAM_URL


def test_as_nsis_writes_it(ini: Path) -> None:
    """WriteINIStr: ``key=value`` with no spaces, Windows line ends."""
    ini.write_bytes(b"[database]\r\nurl=/srv/debtdesk/team.sqlite\r\n")
    assert site_config.configured_database() == "/srv/debtdesk/team.sqlite"


@pytest.mark.parametrize(
    "text",
    [
        None,  # no file
        "",
        "[other]\nurl = x\n",
        "[database]\n",
        "[database]\nname = x\n",
        "[database]\nurl =\n",
        "[database]\nurl =   \n",
        '[database]\nurl = ""\n',
        "; only a comment\n",
    ],
)
def test_nothing_said_is_none_and_the_users_own_file(ini: Path, text: str | None) -> None:
    if text is not None:
        ini.write_text(text, encoding="utf-8")
    assert site_config.configured_database() is None
    assert default_database() == user_database()
    assert user_database().endswith("debtdesk.sqlite")


def test_the_environment_beats_the_file(ini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ini.write_text(f"[database]\nurl = {TEAM_URL}\n", encoding="utf-8")
    monkeypatch.setenv("DEBTDESK_DB", "/srv/env.sqlite")
    assert default_database() == "/srv/env.sqlite"


@pytest.mark.parametrize(
    "value", [f"  {TEAM_URL}  ", f'"{TEAM_URL}"', f"'{TEAM_URL}'", f'  " {TEAM_URL} "  ']
)
def test_spaces_and_quotes_around_the_value_go(ini: Path, value: str) -> None:
    ini.write_text(f"[database]\nurl = {value}\n", encoding="utf-8")
    assert site_config.configured_database() == TEAM_URL


def test_a_utf8_byte_order_mark_notepad_writes(ini: Path) -> None:
    ini.write_bytes(b"\xef\xbb\xbf" + f"[database]\nurl = {TEAM_URL}\n".encode())
    assert site_config.configured_database() == TEAM_URL


def test_utf16_notepads_unicode(ini: Path) -> None:
    ini.write_text("[database]\r\nurl = /srv/Zoë/team.sqlite\r\n", encoding="utf-16")
    assert site_config.configured_database() == "/srv/Zoë/team.sqlite"


def test_the_ansi_code_page_windows_ini_functions_write(ini: Path) -> None:
    ini.write_bytes("[database]\r\nurl=/srv/Zoë/£team.sqlite\r\n".encode("cp1252"))
    assert site_config.configured_database() == "/srv/Zoë/£team.sqlite"


def test_names_in_any_case_and_a_percent_as_it_is(ini: Path) -> None:
    url = "postgresql+psycopg://debtdesk:p%40ss@db.council.local/debtdesk"
    ini.write_text(f"[Database]\nURL = {url}\n", encoding="utf-8")
    assert site_config.configured_database() == url


def test_a_relative_path_is_from_the_files_folder(ini: Path) -> None:
    ini.write_text("[database]\nurl = shared/team.sqlite\n", encoding="utf-8")
    assert site_config.configured_database() == str(ini.parent / "shared" / "team.sqlite")


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (f"url = {TEAM_URL}\n", 1, "before any [section]"),
        (f"[database]\n\nurl {TEAM_URL}\n", 3, "not a [section] heading"),
        ("[database]\nurl = a\n[database]\n", 3, "a second [database]"),
        ("[database]\nurl = a\nurl = b\n", 3, "a second url in [database]"),
    ],
)
def test_a_mistake_names_the_file_and_the_line(ini: Path, text: str, line: int, words: str) -> None:
    ini.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        site_config.configured_database()
    message = str(caught.value)
    assert str(ini) in message and f"line {line}" in message and words in message
    with pytest.raises(BadInput):
        default_database()


def test_a_mistakes_message_hides_a_password(ini: Path) -> None:
    ini.write_text("[database]\nurl postgresql+psycopg://debtdesk:s3cret@db/debtdesk\n")
    with pytest.raises(BadInput) as caught:
        site_config.configured_database()
    assert "s3cret" not in str(caught.value) and "debtdesk:***@db" in str(caught.value)


@pytest.mark.parametrize("text", [f"url = {TEAM_URL}\n  more\n", f"url =\n  {TEAM_URL}\n"])
def test_a_value_over_two_lines_is_refused(ini: Path, text: str) -> None:
    ini.write_text(f"[database]\n{text}", encoding="utf-8")
    with pytest.raises(BadInput, match="one line"):
        site_config.configured_database()


def test_bytes_that_are_not_text(ini: Path) -> None:
    ini.write_bytes(b"[database]\nurl = /srv/\x81.sqlite\n")  # 0x81: undefined in cp1252
    with pytest.raises(BadInput, match=r"line 2 is neither UTF-8 nor Windows-1252 text"):
        site_config.configured_database()


def test_a_folder_cannot_be_read(ini: Path) -> None:
    ini.mkdir()
    with pytest.raises(BadInput, match=r"cannot read the settings file .*debtdesk\.ini"):
        site_config.configured_database()


# --- through the command line: `debtdesk` with no --db ------------------------------------


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_opens_the_database_the_file_names(
    ini: Path, tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    team = tmp_path / "shared" / "team.sqlite"
    ini.write_text(f"[database]\nurl = {team if BACKEND == 'sqlite' else db_url}\n")
    code, out, err = run(capsys, "demo", "--accounts", "3", "--as-of", "2026-11-20", "--json")
    assert code == 0, err
    assert json.loads(out)["accounts"] == 3
    assert team.is_file() == (BACKEND == "sqlite")
    code, out, err = run(capsys, "check", "--json")
    assert code == 0, err
    assert json.loads(out)["accounts"] == 3


def test_the_cli_explains_a_broken_file(ini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ini.write_text(f"[database]\nurl {TEAM_URL}\n", encoding="utf-8")
    code, out, err = run(capsys, "check", "--json")
    assert (code, out) == (2, "")
    assert err.startswith(f"debtdesk: the settings file {ini} is not valid: line 2 (")
    assert "Traceback" not in err


def test_the_cli_explains_an_unknown_kind_of_url(
    ini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ini.write_text("[database]\nurl = postgres://debtdesk@db.council.local/debtdesk\n")
    code, out, err = run(capsys, "check", "--json")
    assert (code, out) == (2, "")
    assert "cannot open postgres://debtdesk@db.council.local/debtdesk" in err
    assert "postgresql+psycopg://" in err


def test_a_sqlite_file_on_a_network_share_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite's write-ahead log is shared memory on one computer: a team's database on a
    file server would be corrupted by two PCs, so a UNC path is refused before anything
    is made (here on Linux it would otherwise become a file under the working folder)."""
    monkeypatch.chdir(tmp_path)
    share = "\\\\fileserver\\CareContributions\\debtdesk.sqlite"
    code, out, err = run(capsys, "--db", share, "check", "--json")
    assert (code, out) == (2, "")
    assert err == (
        f"debtdesk: {share} is on a network share: a SQLite database must be on this "
        "computer's own disk (its write-ahead log cannot be shared over a network, and a "
        "shared file can be corrupted); a team shares a PostgreSQL database instead\n"
    )
    assert list(tmp_path.iterdir()) == []  # nothing made


def test_a_server_that_cannot_be_reached_is_named_without_its_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Port 1 on this machine refuses at once; the message must not show the password."""
    url = "postgresql+psycopg://officer:s3cret-Pa55@127.0.0.1:1/debtdesk"
    code, out, err = run(capsys, "--db", url, "check", "--json")
    assert (code, out) == (2, "")
    assert err.startswith(
        "debtdesk: cannot open postgresql+psycopg://officer:***@127.0.0.1:1/debtdesk "
        "as a debtdesk database: "
    )
    assert "s3cret" not in err
