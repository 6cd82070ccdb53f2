"""What every file import shares: reading the file, refusing it whole, refusing it twice."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from debtdesk.db.models import Batch
from debtdesk.services.errors import BadInput


class FileRefused(BadInput):
    """A file refused whole; ``problems`` lists every reason, each naming where."""

    def __init__(self, name: str, problems: Sequence[object]) -> None:
        self.name = name
        self.problems = tuple(str(p) for p in problems)
        count = len(self.problems)
        listing = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(
            f"{name}: refused, nothing was imported "
            f"({count} problem{'s' if count != 1 else ''}):\n{listing}"
        )


def read_file(path: Path) -> tuple[bytes, str]:
    """A file's bytes and SHA-256.

    Raises:
        BadInput: it cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from exc
    return data, hashlib.sha256(data).hexdigest()


def refuse_repeat(session: Session, name: str, sha256: str) -> None:
    """Refuse a file whose exact bytes were imported before.

    Raises:
        BadInput: a batch already has this SHA-256.
    """
    earlier = session.scalars(select(Batch).where(Batch.file_sha256 == sha256)).first()
    if earlier is not None:
        when = f" on {earlier.started_at:%d/%m/%Y}" if earlier.started_at else ""
        raise BadInput(
            f"{name}: this file (SHA-256 {sha256[:12]}…) was already imported{when} as "
            f"batch {earlier.id} ({earlier.file_name}); nothing was imported"
        )
