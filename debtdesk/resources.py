"""Where the project's ``resources/`` folder is: beside the package, or inside a frozen bundle."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_ROOT = Path(__file__).resolve().parents[1]


def resources_folder() -> Path:
    """The ``resources/`` folder: in PyInstaller's unpack folder when frozen, else the checkout's.

    Raises:
        FileNotFoundError: the folder is missing (a broken install).
    """
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = [Path(bundle) / "resources"] if bundle else []
    candidates.append(_PACKAGE_ROOT / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    searched = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"debtdesk's resources folder is missing (looked in {searched})")


def resource_path(*parts: str) -> Path:
    """A file or folder inside ``resources/``, e.g. ``resource_path("fonts")``."""
    return resources_folder().joinpath(*parts)
