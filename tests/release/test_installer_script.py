"""The Windows installer script compiles with makensis (as CI does over the Linux bundle),
here over a stand-in bundle of a few files, so a broken script fails the tests: the default,
a 32-bit installer (what NSIS for Windows builds), and with -DAMD64 a 64-bit one."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import debtdesk

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "installer" / "debtdesk.nsi"


def makensis(*defines: str) -> subprocess.CompletedProcess[str]:
    program = shutil.which("makensis")
    assert program, "makensis is missing: apt-get install nsis (./bootstrap.sh installs it)"
    return subprocess.run(
        [program, "-WX", "-V2", "-DNOCOMPRESS", *defines, str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "dist" / "debtdesk"
    (folder / "_internal" / "resources").mkdir(parents=True)
    (folder / "debtdesk.exe").write_bytes(b"MZ stand-in for the windowed program")
    (folder / "debtdesk-cli.exe").write_bytes(b"MZ stand-in for the console program")
    (folder / "_internal" / "base_library.zip").write_bytes(b"PK")
    (folder / "_internal" / "python311.dll").write_bytes(b"MZ stand-in for Python")
    return folder


def machine(program: Path) -> int:
    """The machine type in a Windows program's PE header (0x14C x86, 0x8664 x64)."""
    data = program.read_bytes()
    (pe,) = struct.unpack_from("<I", data, 0x3C)
    assert data[pe : pe + 4] == b"PE\0\0"
    (kind,) = struct.unpack_from("<H", data, pe + 4)
    return int(kind)


@pytest.mark.parametrize(("defines", "kind"), [((), 0x14C), (("-DAMD64",), 0x8664)],
                         ids=["x86", "amd64"])  # fmt: skip
def test_it_compiles_with_the_package_version(
    bundle: Path, tmp_path: Path, defines: tuple[str, ...], kind: int
) -> None:
    version = debtdesk.__version__
    done = makensis(*defines, f"-DVERSION={version}", f"-DDIST={bundle}", f"-DOUTDIR={tmp_path}")
    assert done.returncode == 0, done.stdout + done.stderr
    setup = tmp_path / f"debtdesk-{version}-setup.exe"
    assert setup.stat().st_size > 100_000  # the stub, its pages and the uninstaller
    assert machine(setup) == kind
    # The version resources say which release it is (UTF-16, as Windows stores them).
    assert f"debtdesk {version} installer".encode("utf-16-le") in setup.read_bytes()


def test_without_a_version_it_refuses(bundle: Path, tmp_path: Path) -> None:
    done = makensis(f"-DDIST={bundle}", f"-DOUTDIR={tmp_path}")
    assert done.returncode != 0
    assert "VERSION is required" in done.stdout + done.stderr
    assert not list(tmp_path.glob("*.exe"))


def test_a_bundle_missing_its_console_program_does_not_compile(
    bundle: Path, tmp_path: Path
) -> None:
    (bundle / "debtdesk-cli.exe").unlink()
    done = makensis(f"-DVERSION={debtdesk.__version__}", f"-DDIST={bundle}", f"-DOUTDIR={tmp_path}")
    assert done.returncode != 0
    assert "debtdesk-cli.exe" in done.stdout + done.stderr
