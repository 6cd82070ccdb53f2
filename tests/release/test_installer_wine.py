"""The Windows installer, run for real under Wine (64-bit): a per-machine install with its
Start-menu entries, uninstaller and settings file; an upgrade; an uninstall. The user's
database and IT's settings file are never touched by either.

The installer is compiled from installer/debtdesk.nsi over a stand-in bundle (a few small
files, the bundle's layout), since only Windows builds the Windows bundle; what is tested is
the installer's own behaviour. Wine's registry is read from its text files.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from debtdesk.services.site_config import configured_database

ROOT = Path(__file__).resolve().parents[2]
WINE = Path("/usr/lib/wine/wine64")
WINESERVER = Path("/usr/lib/wine/wineserver")
UNINSTALL_KEY = r"[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\debtdesk]"
TEAM_URL = "postgresql+psycopg://debtdesk@db.council.local:5432/debtdesk"


def bundle(folder: Path, marker: str, extra: str | None = None) -> Path:
    """A stand-in one-folder bundle: both programs and the _internal folder."""
    (folder / "_internal" / "resources").mkdir(parents=True)
    (folder / "debtdesk.exe").write_text(f"MZ windowed {marker}")
    (folder / "debtdesk-cli.exe").write_text(f"MZ console {marker}")
    (folder / "_internal" / "base_library.zip").write_text(f"PK {marker}")
    (folder / "_internal" / "resources" / "bank_rate.csv").write_text(f"rates {marker}")
    if extra:
        (folder / "_internal" / extra).write_text(marker)
    return folder


def compile_installer(version: str, dist: Path, out: Path) -> Path:
    done = subprocess.run(
        ["makensis", "-WX", "-V2", f"-DVERSION={version}", f"-DDIST={dist}", f"-DOUTDIR={out}",
         str(ROOT / "installer" / "debtdesk.nsi")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return out / f"debtdesk-{version}-setup.exe"


@dataclass
class Windows:
    """A Wine prefix: a Windows machine in a folder."""

    prefix: Path

    def run(self, program: Path | str, *args: str) -> int:
        env = {**os.environ, "WINEPREFIX": str(self.prefix), "WINEDEBUG": "-all"}
        env.pop("DISPLAY", None)
        done = subprocess.run(
            [str(WINE), str(program), *args], env=env, capture_output=True, timeout=300
        )
        # An NSIS uninstaller copies itself to %TEMP% and returns at once: wait for it too.
        subprocess.run([str(WINESERVER), "-w"], env=env, timeout=300)
        return done.returncode

    @property
    def c(self) -> Path:
        return self.prefix / "drive_c"

    @property
    def program_folder(self) -> Path:
        return self.c / "Program Files" / "debtdesk"

    @property
    def settings_file(self) -> Path:
        return self.c / "ProgramData" / "debtdesk" / "debtdesk.ini"

    @property
    def start_menu(self) -> Path:
        return self.c / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs"

    @property
    def local_app_data(self) -> Path:
        (user,) = [p for p in (self.c / "users").iterdir() if p.name != "Public"]
        return user / "AppData" / "Local"

    def uninstall_entry(self) -> dict[str, str] | None:
        """The installer's Add/Remove Programs entry, from Wine's HKLM file."""
        lines = (self.prefix / "system.reg").read_text(encoding="utf-8", errors="replace")
        block = lines.split("\n\n")
        for chunk in block:
            if chunk.startswith(UNINSTALL_KEY):
                values = {}
                for line in chunk.splitlines()[1:]:
                    if line.startswith('"'):
                        name, _, value = line.partition("=")
                        values[name.strip('"')] = value
                return values
        return None


@pytest.fixture(scope="module")
def installers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    assert WINE.exists(), "wine64 is missing: apt-get install wine64 (./bootstrap.sh does)"
    base = tmp_path_factory.mktemp("installers")
    first = bundle(base / "v1" / "debtdesk", "0.1.0", extra="only_in_0.1.0.py")
    second = bundle(base / "v2" / "debtdesk", "0.2.0")
    return {
        "0.1.0": compile_installer("0.1.0", first, base),
        "0.2.0": compile_installer("0.2.0", second, base),
    }


@pytest.fixture
def windows(tmp_path: Path) -> Iterator[Windows]:
    machine = Windows(tmp_path / "prefix")
    yield machine
    shutil.rmtree(machine.prefix, ignore_errors=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_install_upgrade_and_uninstall_leave_the_users_data_alone(
    installers: dict[str, Path], windows: Windows
) -> None:
    # IT installs silently, per machine, naming the team's database.
    assert windows.run(installers["0.1.0"], "/S", f"/DB={TEAM_URL}") == 0
    programs = windows.program_folder
    assert (programs / "debtdesk.exe").read_text() == "MZ windowed 0.1.0"
    assert (programs / "debtdesk-cli.exe").read_text() == "MZ console 0.1.0"
    assert (programs / "_internal" / "only_in_0.1.0.py").exists()
    assert (programs / "uninstall.exe").exists()
    shortcuts = sorted(p.name for p in (windows.start_menu / "debtdesk").iterdir())
    assert shortcuts == ["Uninstall debtdesk.lnk", "debtdesk.lnk"]
    entry = windows.uninstall_entry()
    assert entry is not None
    assert entry["DisplayVersion"] == '"0.1.0"'
    assert entry["Publisher"] == '"Wexshire County Council"'
    assert entry["InstallLocation"] == r'"C:\\Program Files\\debtdesk"'
    assert entry["QuietUninstallString"] == r'"\"C:\\Program Files\\debtdesk\\uninstall.exe\" /S"'
    assert windows.settings_file.read_text(encoding="cp1252").splitlines() == [
        "[database]",
        f"url={TEAM_URL}",
    ]

    # An officer's own database and its backup, in their profile.
    data = windows.local_app_data / "debtdesk"
    data.mkdir(parents=True)
    (data / "debtdesk.sqlite").write_bytes(b"SQLite format 3\x00 an officer's caseload")
    (data / "debtdesk.sqlite.bak-0012-20261124T090000Z").write_bytes(b"SQLite format 3\x00 old")
    (data / "documents").mkdir()
    (data / "documents" / "statement.pdf").write_bytes(b"%PDF-1.7 sent")
    before = {p.relative_to(data): digest(p) for p in data.rglob("*") if p.is_file()}
    settings_before = digest(windows.settings_file)
    # Something someone else put in the program folder.
    (programs / "site-notes.txt").write_text("IT's notes")

    # The upgrade replaces the bundle whole: nothing of the older build is left to load.
    assert windows.run(installers["0.2.0"], "/S") == 0
    assert (programs / "debtdesk.exe").read_text() == "MZ windowed 0.2.0"
    assert (programs / "_internal" / "base_library.zip").read_text() == "PK 0.2.0"
    assert not (programs / "_internal" / "only_in_0.1.0.py").exists()
    assert (programs / "site-notes.txt").read_text() == "IT's notes"
    assert windows.uninstall_entry()["DisplayVersion"] == '"0.2.0"'  # type: ignore[index]
    assert digest(windows.settings_file) == settings_before  # no /DB=: left as IT set it
    assert {p.relative_to(data): digest(p) for p in data.rglob("*") if p.is_file()} == before

    # The uninstall removes what it installed and nothing else.
    assert windows.run(programs / "uninstall.exe", "/S") == 0
    assert not (programs / "debtdesk.exe").exists()
    assert not (programs / "debtdesk-cli.exe").exists()
    assert not (programs / "_internal").exists()
    assert not (programs / "uninstall.exe").exists()
    assert (programs / "site-notes.txt").read_text() == "IT's notes"
    assert not (windows.start_menu / "debtdesk").exists()
    assert windows.uninstall_entry() is None
    assert digest(windows.settings_file) == settings_before
    assert {p.relative_to(data): digest(p) for p in data.rglob("*") if p.is_file()} == before


def test_a_silent_install_without_a_location_writes_no_settings_file(
    installers: dict[str, Path], windows: Windows
) -> None:
    assert windows.run(installers["0.1.0"], "/S") == 0
    assert (windows.program_folder / "debtdesk.exe").exists()
    assert not windows.settings_file.exists()  # each user's own file, the default


def test_the_database_option_is_written_whole(
    installers: dict[str, Path], windows: Windows
) -> None:
    cases = [
        (f"/DB={TEAM_URL}", TEAM_URL),
        ("/db=postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),  # any case
        (r"/DB=\\fileserver\Care Contributions\débtdesk.sqlite",
         r"\\fileserver\Care Contributions\débtdesk.sqlite"),  # a space; é is written in ANSI
        ("/DB=", ""),  # given empty: IT clears it, and each user gets their own file
    ]  # fmt: skip
    for option, written in cases:
        assert windows.run(installers["0.1.0"], "/S", option, "/NCRC") == 0
        assert windows.settings_file.read_text(encoding="cp1252").splitlines() == [
            "[database]",
            f"url={written}",
        ], option
        # ... and the app reads back what IT gave (the accent from Windows' ANSI text too).
        # Here on Linux a UNC path is not absolute, so it comes back under the file's folder.
        read = configured_database(windows.settings_file)
        if written.startswith("\\\\"):
            assert read is not None and read.endswith(f"/{written}"), option
        else:
            assert read == (written or None), option
