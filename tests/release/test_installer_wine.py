"""The Windows installer, run for real under Wine (64-bit): a per-machine install with its
Start-menu entries, uninstaller and settings file; an upgrade; an uninstall; the refusals
(debtdesk running, a newer version installed). The user's database and IT's settings file are
never touched by either.

The installer is compiled from installer/debtdesk.nsi over a stand-in bundle (a few small
files, the bundle's layout), since only Windows builds the Windows bundle; what is tested is
the installer's own behaviour. It is compiled with -DAMD64, a 64-bit installer: the default is
a 32-bit one (what NSIS for Windows builds), and Debian's Wine is 64-bit only (no wine32),
where a 32-bit installer starts and installs nothing. The registry is read with Wine's reg.exe.

What Wine cannot show: the ACL icacls sets on the settings folder (Wine's icacls is a stub
that logs its arguments and does nothing: the arguments are checked here), the interactive
pages, and the second [database] Windows' WriteINIStr adds to a UTF-8 file with a byte-order
mark (Wine's reads the mark; that the installer writes the file afresh is checked).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import pytest

from debtdesk.services.site_config import configured_database

ROOT = Path(__file__).resolve().parents[2]
WINE = Path("/usr/lib/wine/wine64")
WINESERVER = Path("/usr/lib/wine/wineserver")
UNINSTALL_KEY = r"Software\Microsoft\Windows\CurrentVersion\Uninstall\debtdesk"
TEAM_URL = "postgresql+psycopg://debtdesk@db.council.local:5432/debtdesk"
PROGRAMS = r"C:\Program Files\debtdesk"
# The installer's exit codes (installer/README.md).
ABORTED, RUNNING, NEWER_INSTALLED = 2, 3, 4


def bundle(folder: Path, marker: str, extra: str | None = None) -> Path:
    """A stand-in one-folder bundle: both programs and the _internal folder with Python."""
    (folder / "_internal" / "resources").mkdir(parents=True)
    (folder / "debtdesk.exe").write_text(f"MZ windowed {marker}")
    (folder / "debtdesk-cli.exe").write_text(f"MZ console {marker}")
    (folder / "_internal" / "base_library.zip").write_text(f"PK {marker}")
    (folder / "_internal" / "python311.dll").write_text(f"MZ python {marker}")
    (folder / "_internal" / "resources" / "bank_rate.csv").write_text(f"rates {marker}")
    if extra:
        (folder / "_internal" / extra).write_text(marker)
    return folder


def makensis(*args: str) -> None:
    done = subprocess.run(["makensis", "-WX", "-V2", *args], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def compile_installer(version: str, dist: Path, out: Path) -> Path:
    makensis("-DAMD64", f"-DVERSION={version}", f"-DDIST={dist}", f"-DOUTDIR={out}",
             str(ROOT / "installer" / "debtdesk.nsi"))  # fmt: skip
    return out / f"debtdesk-{version}-setup.exe"


# A stand-in for a running debtdesk. Windows does not let a running program, or a DLL it has
# loaded, be opened for writing (nor does Wine, for a program). The stand-in bundle's files
# are not programs, so this one holds a file open instead: NSIS's FileOpen shares it for
# reading only, and Wine keeps that rule too, so while it runs nobody else can open the file
# for writing, or delete it.
LOCKER = r"""
Target amd64-unicode
SilentInstall silent
RequestExecutionLevel user
OutFile "${OUT}"
Section
  ClearErrors
  FileOpen $0 "${FILE}" a
  IfErrors 0 +3
    SetErrorLevel 1
    Quit
  FileOpen $1 "C:\locker-holds" w
  FileClose $1
  wait:
    Sleep 50
    IfFileExists "C:\locker-release" 0 wait
  FileClose $0
SectionEnd
"""


@dataclass
class Windows:
    """A Wine prefix: a Windows machine in a folder."""

    prefix: Path
    stderr: str = ""  # of the last program run

    @property
    def env(self) -> dict[str, str]:
        env = {**os.environ, "WINEPREFIX": str(self.prefix), "WINEDEBUG": "-all"}
        env.pop("DISPLAY", None)
        return env

    def run(self, program: Path | str, *args: str, winedebug: str = "-all") -> int:
        """Runs a program with these arguments (Wine quotes one with a space in it whole)."""
        # Its output to a file, not a pipe: Wine's services inherit the pipe and keep it open
        # until wineserver ends, seconds after the program.
        with tempfile.TemporaryFile() as stderr:
            done = subprocess.run(
                [str(WINE), str(program), *args],
                env={**self.env, "WINEDEBUG": winedebug},
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                timeout=300,
            )
            stderr.seek(0)
            self.stderr = stderr.read().decode(errors="replace")
        return done.returncode

    def command(self, line: str) -> int:
        """Runs a command line exactly as written (from a batch file: cmd passes it as it is)."""
        batch = self.c / "command.bat"
        batch.write_bytes(f"@echo off\r\n{line}\r\nexit %ERRORLEVEL%\r\n".encode("ascii"))
        return self.run("cmd", "/c", r"C:\command.bat")

    def wait(self) -> None:
        """Until every program has ended: an NSIS uninstaller copies itself to %TEMP%, starts
        that copy and returns at once. (wineserver ends a few seconds after the last one.)"""
        subprocess.run([str(WINESERVER), "-w"], env=self.env, timeout=300)

    def shut_down(self) -> None:
        subprocess.run([str(WINESERVER), "-k"], env=self.env, timeout=60, capture_output=True)

    @contextmanager
    def running(self, path: str, work: Path) -> Iterator[None]:
        """debtdesk "running" from the installed folder: ``path`` held open, as Windows holds
        a running program and its DLLs."""
        out = work / "locker.exe"
        script = work / "locker.nsi"
        script.write_text(LOCKER)
        makensis(f"-DOUT={out}", f"-DFILE={path}", str(script))
        holds, release = self.c / "locker-holds", self.c / "locker-release"
        holds.unlink(missing_ok=True)
        release.unlink(missing_ok=True)
        locker = subprocess.Popen([str(WINE), str(out)], env=self.env)
        try:
            deadline = time.monotonic() + 30
            while not holds.exists():
                assert locker.poll() is None, f"the stand-in could not open {path}"
                assert time.monotonic() < deadline, "the stand-in did not start"
                time.sleep(0.05)
            yield
        finally:
            release.touch()
            try:
                locker.wait(timeout=30)
            finally:
                locker.kill()

    def path(self, windows_path: str) -> Path:
        """The Linux path of a C:\\ path."""
        parts = PureWindowsPath(windows_path).parts
        assert parts[0].upper() == "C:\\"
        return self.c.joinpath(*parts[1:])

    @property
    def c(self) -> Path:
        return self.prefix / "drive_c"

    @property
    def program_folder(self) -> Path:
        return self.path(PROGRAMS)

    @property
    def settings_file(self) -> Path:
        return self.c / "ProgramData" / "debtdesk" / "debtdesk.ini"

    def settings(self) -> list[str]:
        """The settings file's lines, blank ones left out (Windows' INI text is ANSI)."""
        text = self.settings_file.read_text(encoding="cp1252")
        return [line for line in text.splitlines() if line.strip()]

    @property
    def start_menu(self) -> Path:
        return self.c / "ProgramData" / "Microsoft" / "Windows" / "Start Menu" / "Programs"

    @property
    def local_app_data(self) -> Path:
        (user,) = [p for p in (self.c / "users").iterdir() if p.name != "Public"]
        return user / "AppData" / "Local"

    def uninstall_entry(self) -> dict[str, str] | None:
        """The installer's Add/Remove Programs entry, as reg.exe exports it (values quoted and
        escaped as in a .reg file), from the 64-bit registry; None when there is none."""
        exported = self.c / "uninstall-entry.reg"
        exported.unlink(missing_ok=True)
        if self.run("reg", "export", f"HKLM\\{UNINSTALL_KEY}", r"C:\uninstall-entry.reg"):
            return None
        values = {}
        for line in exported.read_text(encoding="utf-16").splitlines():
            if line.startswith('"'):
                name, _, value = line.partition("=")
                values[name.strip('"')] = value
        return values

    def installed_version(self) -> str | None:
        entry = self.uninstall_entry()
        return None if entry is None else entry["DisplayVersion"].strip('"')


def windows_path(path: Path) -> str:
    """A Linux path as Wine's programs see it (Z: is the root)."""
    return "Z:" + str(path).replace("/", "\\")


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
    machine.shut_down()
    shutil.rmtree(machine.prefix, ignore_errors=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[Path, str]:
    return {p.relative_to(folder): digest(p) for p in folder.rglob("*") if p.is_file()}


COMMENT = "; debtdesk: the database every user of this PC opens. Empty: each user chooses"


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
    settings = windows.settings()
    assert settings[0].startswith(COMMENT)
    assert settings[1:] == ["[database]", f"url={TEAM_URL}"]

    # An officer's own database and its backup, in their profile.
    data = windows.local_app_data / "debtdesk"
    data.mkdir(parents=True)
    (data / "debtdesk.sqlite").write_bytes(b"SQLite format 3\x00 an officer's caseload")
    (data / "debtdesk.sqlite.bak-0012-20261124T090000Z").write_bytes(b"SQLite format 3\x00 old")
    (data / "documents").mkdir()
    (data / "documents" / "statement.pdf").write_bytes(b"%PDF-1.7 sent")
    before = tree(data)
    settings_before = digest(windows.settings_file)
    # Something someone else put in the program folder.
    (programs / "site-notes.txt").write_text("IT's notes")

    # The upgrade replaces the bundle whole: nothing of the older build is left to load.
    assert windows.run(installers["0.2.0"], "/S") == 0
    assert (programs / "debtdesk.exe").read_text() == "MZ windowed 0.2.0"
    assert (programs / "_internal" / "base_library.zip").read_text() == "PK 0.2.0"
    assert not (programs / "_internal" / "only_in_0.1.0.py").exists()
    assert (programs / "site-notes.txt").read_text() == "IT's notes"
    assert windows.installed_version() == "0.2.0"
    assert digest(windows.settings_file) == settings_before  # no /DB=: left as IT set it
    assert tree(data) == before

    # No going back: the older installer refuses, and changes nothing.
    installed = tree(programs)
    assert windows.run(installers["0.1.0"], "/S", "/DB=C:\\elsewhere.sqlite") == NEWER_INSTALLED
    assert tree(programs) == installed
    assert windows.installed_version() == "0.2.0"
    assert digest(windows.settings_file) == settings_before

    # The uninstall removes what it installed and nothing else.
    assert windows.run(programs / "uninstall.exe", "/S") == 0
    windows.wait()  # for the copy in %TEMP% that does the work
    assert not (programs / "debtdesk.exe").exists()
    assert not (programs / "debtdesk-cli.exe").exists()
    assert not (programs / "_internal").exists()
    assert not (programs / "uninstall.exe").exists()
    assert (programs / "site-notes.txt").read_text() == "IT's notes"
    assert not (windows.start_menu / "debtdesk").exists()
    assert windows.uninstall_entry() is None
    assert digest(windows.settings_file) == settings_before
    assert tree(data) == before


def icacls_runs(stderr: str) -> list[str]:
    """The command lines of icacls, from Wine's stub (it logs them and does nothing)."""
    return re.findall(r"fixme:icacls:main stub: (.*)", stderr)


def test_the_settings_folder_is_made_and_locked_without_a_location(
    installers: dict[str, Path], windows: Windows
) -> None:
    assert windows.run(installers["0.1.0"], "/S", winedebug="-all,fixme+icacls") == 0
    assert (windows.program_folder / "debtdesk.exe").exists()
    assert windows.settings_file.parent.is_dir()  # there, and locked, before anyone plants it
    assert not windows.settings_file.exists()  # each user chooses, the default
    folder = r'"C:\\ProgramData\\debtdesk"'
    icacls = r'"C:\\windows\\system32\\icacls.exe"'
    assert icacls_runs(windows.stderr) == [
        f'{icacls} {folder} "/setowner" "*S-1-5-32-544"',
        f'{icacls} {folder} "/inheritance:r" "/grant:r" "*S-1-5-32-544:(OI)(CI)F" '
        '"*S-1-5-18:(OI)(CI)F" "*S-1-5-32-545:(OI)(CI)RX"',
    ]

    # A settings file already there (IT's, or planted by a user before the folder was locked)
    # is given the folder's owner and ACL; without /DB= its text is left as it is, byte for
    # byte (here saved by Notepad as UTF-8, with a byte-order mark).
    windows.settings_file.write_bytes(codecs.BOM_UTF8 + "[database]\r\nurl=C:\\Café\r\n".encode())
    before = digest(windows.settings_file)
    assert windows.run(installers["0.1.0"], "/S", winedebug="-all,fixme+icacls") == 0
    file = r'"C:\\ProgramData\\debtdesk\\debtdesk.ini"'
    assert icacls_runs(windows.stderr)[2:] == [
        f'{icacls} {file} "/setowner" "*S-1-5-32-544"',
        f'{icacls} {file} "/reset"',
    ]
    assert digest(windows.settings_file) == before


def test_the_database_option_is_written_whole(
    installers: dict[str, Path], windows: Windows
) -> None:
    setup = installers["0.1.0"]
    # Wine quotes an argument with a space in it whole ("/DB=C:\a b"), as Windows tools do; a
    # command line as IT types it (/DB="C:\a b") is run from a batch file.
    cases: list[tuple[str | tuple[str, ...], str]] = [
        ((f"/DB={TEAM_URL}",), TEAM_URL),
        (("/db=postgresql+psycopg://u@h/d",), "postgresql+psycopg://u@h/d"),  # any case
        ((r"/DB=C:\Care data\débtdesk.sqlite",),
         r"C:\Care data\débtdesk.sqlite"),  # a space; é is written in ANSI
        ((r"/DB=C:\Care /2026\x.sqlite",), r"C:\Care /2026\x.sqlite"),  # "/DB=C:\Care /2026.."
        (rf'"{windows_path(setup)}" /S /DB="C:\Care /2026\y.sqlite" /NCRC',
         r"C:\Care /2026\y.sqlite"),  # quoted: to the closing quote, " /" and all
        (rf'"{windows_path(setup)}" /S /DB=postgresql://h/d /NCRC', "postgresql://h/d"),
        (("/DB=",), ""),  # given empty: IT clears it, and each user chooses
    ]  # fmt: skip
    # IT's own file, saved by Notepad as UTF-8 with a byte-order mark, with comments: Windows'
    # WriteINIStr would not see its [database] under the mark and would add a second one.
    windows.settings_file.parent.mkdir(parents=True)
    windows.settings_file.write_bytes(
        codecs.BOM_UTF8 + b"; IT, 2026-11-02\r\n[database]\r\n; the old server\r\nurl=x\r\n"
    )
    for option, written in cases:
        if isinstance(option, str):
            assert windows.command(option) == 0, option
        else:
            assert windows.run(setup, "/S", *option, "/NCRC") == 0, option
        raw = windows.settings_file.read_bytes()
        assert not raw.startswith(codecs.BOM_UTF8), option
        settings = windows.settings()
        assert settings[0].startswith(COMMENT), option  # the file is written afresh
        assert settings[1:] == ["[database]", f"url={written}"], option
        # ... and the app reads back what IT gave (the accent from Windows' ANSI text too).
        # Here on Linux a Windows path is not absolute, so it comes back under the file's folder.
        read = configured_database(windows.settings_file)
        if written and "://" not in written:
            assert read is not None and read.endswith(f"/{written}"), option
        else:
            assert read == (written or None), option


def test_a_running_debtdesk_stops_the_upgrade_and_the_uninstall(
    installers: dict[str, Path], windows: Windows, tmp_path: Path
) -> None:
    assert windows.run(installers["0.1.0"], "/S") == 0
    programs = windows.program_folder
    installed = tree(programs)
    uninstall = rf'"{PROGRAMS}\uninstall.exe" /S _?={PROGRAMS}'  # in place: its exit code

    # debtdesk open: its Python DLL is in use. Nothing is changed, and the exit code says so.
    with windows.running(rf"{PROGRAMS}\_internal\python311.dll", tmp_path):
        assert windows.run(installers["0.2.0"], "/S") == RUNNING
        assert tree(programs) == installed
        assert windows.installed_version() == "0.1.0"
        assert windows.command(uninstall) == RUNNING
        assert tree(programs) == installed
        assert windows.installed_version() == "0.1.0"
        assert (windows.start_menu / "debtdesk" / "debtdesk.lnk").exists()
    # A scheduled debtdesk-cli task running.
    with windows.running(rf"{PROGRAMS}\debtdesk-cli.exe", tmp_path):
        assert windows.run(installers["0.2.0"], "/S") == RUNNING
        assert tree(programs) == installed

    # A file in use that the check does not look at: the install stops, loudly, rather than
    # skip the file and leave the older one beside the new bundle.
    with windows.running(rf"{PROGRAMS}\_internal\base_library.zip", tmp_path):
        assert windows.run(installers["0.2.0"], "/S") == ABORTED
        assert windows.installed_version() == "0.1.0"

    # Closed: the upgrade goes ahead.
    assert windows.run(installers["0.2.0"], "/S") == 0
    assert (programs / "_internal" / "python311.dll").read_text() == "MZ python 0.2.0"
    assert (programs / "_internal" / "base_library.zip").read_text() == "PK 0.2.0"
    assert not (programs / "_internal" / "only_in_0.1.0.py").exists()
    assert windows.installed_version() == "0.2.0"
