"""One version in one place, the package's: the build, the installer and changelog follow it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import debtdesk

ROOT = Path(__file__).resolve().parents[2]
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.MULTILINE)


def test_the_version_is_major_minor_patch() -> None:
    # The Windows version resources and the installer's VIProductVersion take four numbers:
    # MAJOR.MINOR.PATCH.0.
    assert re.fullmatch(r"\d+\.\d+\.\d+", debtdesk.__version__)


def test_the_package_metadata_takes_it_from_the_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "debtdesk.__version__"}


def test_the_changelog_has_the_release_and_newest_first() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.index("## [Unreleased]") < text.index(f"## [{debtdesk.__version__}] - ")
    releases = RELEASE.findall(text)
    assert releases[0][0] == debtdesk.__version__
    numbers = [tuple(int(part) for part in version.split(".")) for version, _ in releases]
    assert numbers == sorted(numbers, reverse=True)
    assert [day for _, day in releases] == sorted((day for _, day in releases), reverse=True)


def test_the_build_and_the_installer_read_no_version_of_their_own() -> None:
    spec = (ROOT / "installer" / "debtdesk.spec").read_text(encoding="utf-8")
    assert '"debtdesk" / "__init__.py"' in spec and "__version__" in spec
    script = (ROOT / "installer" / "debtdesk.nsi").read_text(encoding="utf-8")
    assert not re.search(r"!define\s+VERSION\b", script)  # given by make from the package
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "print(debtdesk.__version__)" in makefile
