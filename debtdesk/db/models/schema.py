"""Which debtdesk build brought the database to each schema revision (written by migrate)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from debtdesk.db.models.base import Base
from debtdesk.db.types import Timestamp


class SchemaBuild(Base):
    """One upgrade (or creation) of the schema: the revision reached and the build's version.

    Rows are only ever added, so a build refusing a newer database can name the version
    that wrote it.
    """

    __tablename__ = "schema_builds"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    upgraded_at: Mapped[Timestamp]
