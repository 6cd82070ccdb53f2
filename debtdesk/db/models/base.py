"""The declarative base and helpers for string enums stored with a CHECK constraint."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum
from sqlalchemy.orm import DeclarativeBase

from debtdesk.db.types import metadata


class Base(DeclarativeBase):
    metadata = metadata


def enum_column(enum: type[StrEnum], name: str) -> Enum:
    """A portable string column limited to an enum's values (no native PostgreSQL enum)."""
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum),
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )
