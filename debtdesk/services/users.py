"""Users and what they may do: the operating-system login mapped to a user record.

Whoever runs debtdesk is the login (``Database.actor``). An administrator manages the
user records: who exists, their role, whether they are active. On a database with no
administrator yet (a new one, or one made before users were managed), the login that
opens it becomes its first administrator, with every permission. Services call
:func:`require` inside their transaction before doing what a role must allow; the GUI
asks :func:`current_user` what to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from debtdesk.db.models import User
from debtdesk.domain.caseload import UserRole
from debtdesk.domain.roles import PERMISSION_NAMES, PERMISSIONS, Permission
from debtdesk.services import audit
from debtdesk.services.errors import BadInput, NotAllowed, NotFound

if TYPE_CHECKING:  # database opens through ensure_administrator
    from debtdesk.services.database import Database


@dataclass(frozen=True)
class UserView:
    id: int
    username: str
    display_name: str
    role: UserRole
    active: bool
    permissions: frozenset[Permission]

    def may(self, permission: Permission) -> bool:
        """The user holds the permission (an inactive user holds none)."""
        return self.active and permission in self.permissions


def _view(user: User) -> UserView:
    return UserView(
        user.id, user.username, user.display_name, user.role, user.active, PERMISSIONS[user.role]
    )


def _by_login(session: Session, login: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == login.lower()))


def ensure_administrator(db: Database) -> bool:
    """Make the login the first administrator if the database has none; whether it did."""
    with db.sessions.begin() as session:
        has_one = session.scalar(
            select(func.count()).select_from(User).where(User.role == UserRole.ADMINISTRATOR)
        )
        if has_one:
            return False
        user = _by_login(session, db.actor)
        before = None
        if user is None:
            user = User(username=db.actor, display_name=db.actor, role=UserRole.ADMINISTRATOR)
            session.add(user)
        else:
            before = {"role": user.role.value, "active": user.active}
            user.role, user.active = UserRole.ADMINISTRATOR, True
        session.flush()
        audit.record(
            session,
            db.actor,
            "user.first_administrator",
            "user",
            user.username,
            before,
            {"role": UserRole.ADMINISTRATOR.value, "active": True},
        )
        return True


def require(session: Session, login: str, permission: Permission) -> User:
    """The login's user record, if it may do this; else :class:`NotAllowed`, naming what."""
    user = _by_login(session, login)
    if user is None:
        raise NotAllowed(
            f"{login} is not a debtdesk user, so cannot {PERMISSION_NAMES[permission].lower()}; "
            "an administrator can add you (Users)"
        )
    if not user.active:
        raise NotAllowed(f"{login}'s user record is not active; an administrator can restore it")
    if permission not in PERMISSIONS[user.role]:
        raise NotAllowed(
            f"{user.display_name} ({user.role.value.replace('_', ' ')}) may not "
            f"{PERMISSION_NAMES[permission].lower()}"
        )
    return user


def current_user(db: Database) -> UserView | None:
    """The login's user record, or None when it has none."""
    with db.sessions() as session:
        user = _by_login(session, db.actor)
        return _view(user) if user is not None else None


class Users:
    """The user records, managed by an administrator."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def list(self) -> list[UserView]:
        with self._db.sessions() as session:
            return [_view(u) for u in session.scalars(select(User).order_by(User.display_name))]

    def add(self, username: str, display_name: str, role: UserRole) -> UserView:
        """Add a user.

        Raises:
            NotAllowed: the login may not manage users.
            BadInput: the username is empty or taken.
        """
        username, display_name = username.strip(), display_name.strip()
        if not username or not display_name:
            raise BadInput("give the login name and the name people see")
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.MANAGE_USERS)
            existing = _by_login(session, username)
            if existing is not None:
                raise BadInput(f"there is already a user {existing.username}")
            user = User(username=username, display_name=display_name, role=role)
            session.add(user)
            session.flush()
            audit.record(
                session,
                self._db.actor,
                "user.add",
                "user",
                username,
                None,
                {"display_name": display_name, "role": role.value},
            )
            return _view(user)

    def change(
        self, username: str, *, role: UserRole | None = None, active: bool | None = None
    ) -> UserView:
        """Change a user's role or whether they are active.

        Raises:
            NotAllowed: the login may not manage users.
            NotFound: no such user.
            BadInput: it would leave no active administrator.
        """
        with self._db.sessions.begin() as session:
            require(session, self._db.actor, Permission.MANAGE_USERS)
            user = _by_login(session, username)
            if user is None:
                raise NotFound(f"no user {username}")
            before = {"role": user.role.value, "active": user.active}
            if role is not None:
                user.role = role
            if active is not None:
                user.active = active
            session.flush()
            admins = session.scalar(
                select(func.count())
                .select_from(User)
                .where(User.role == UserRole.ADMINISTRATOR, User.active.is_(True))
            )
            if not admins:
                raise BadInput("debtdesk needs at least one active administrator")
            audit.record(
                session,
                self._db.actor,
                "user.change",
                "user",
                username,
                before,
                {"role": user.role.value, "active": user.active},
            )
            return _view(user)
