"""Accounts and organisations: users with an email, a hashed password, a role and an organisation.

An NGO user belongs to an organisation by name; the organisation's row is made when it first
stores an assessment (tipkb.assess.storage). Nothing here needs the web: the web app signs in the
`Account` these functions return.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Engine, String, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from tipkb.db import Base, now
from tipkb.errors import TipkbError

ROLES = ("ngo", "expert", "admin")
MIN_PASSWORD = 8


class AccountError(TipkbError, ValueError):
    """An account cannot be created or changed as asked; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


class OrganisationRow(Base):
    """An organisation that answers questionnaires, known by its name."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserRow(Base):
    """A user account; `organisation` names the organisation whose assessments the user may see."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="ngo")
    organisation: Mapped[str | None] = mapped_column(String(300), nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # False: deactivated by an admin


@dataclass(frozen=True)
class Account:
    """A user account as the rest of the application sees it (no password hash)."""

    id: int
    email: str
    role: str
    organisation: str | None
    must_change_password: bool = False
    is_active: bool = True


def _account(row: UserRow) -> Account:
    return Account(row.id, row.email, row.role, row.organisation, row.must_change_password,
                   is_active=row.active is not False)


def _normal_email(email: str) -> str:
    return (email or "").strip().lower()


def get(engine: Engine, user_id: int) -> Account | None:
    """Return the account with this id, or None."""
    with Session(engine) as s:
        row = s.get(UserRow, user_id)
        return _account(row) if row else None


def authenticate(engine: Engine, email: str, password: str) -> Account | None:
    """Return the account if the password matches, else None."""
    with Session(engine) as s:
        row = s.scalar(select(UserRow).where(UserRow.email == _normal_email(email)))
        if row is None or not check_password_hash(row.password_hash, password or "") or row.active is False:
            return None
        return _account(row)


def organisation_taken(engine: Engine, name: str) -> bool:
    """Say whether an account or a stored assessment already uses this organisation name (case-insensitive)."""
    key = name.strip().lower()
    with Session(engine) as s:
        return bool(s.scalar(select(func.count()).select_from(UserRow).where(func.lower(UserRow.organisation) == key))
                    or s.scalar(select(func.count()).select_from(OrganisationRow)
                                .where(func.lower(OrganisationRow.name) == key)))


def create(engine: Engine, email: str, password: str, *, role: str = "ngo", organisation: str | None = None,
           new_organisation: bool = True, must_change_password: bool = False) -> Account:
    """Create an account; raise AccountError naming the field at fault.

    With `new_organisation`, an organisation name already in use is refused: whoever registers it
    first owns its assessments, and others join it through an admin.
    """
    email = _normal_email(email)
    organisation = (organisation or "").strip() or None
    if "@" not in email or len(email) > 320:
        raise AccountError("email", "invalid email")
    if role not in ROLES:
        raise AccountError("role", f"unknown role {role!r}")
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("password", "too short")
    if role == "ngo" and not organisation:
        raise AccountError("organisation", "required")
    if organisation and new_organisation and organisation_taken(engine, organisation):
        raise AccountError("organisation", "taken")
    with Session(engine) as s, s.begin():
        if s.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
            raise AccountError("email", "taken")
        row = UserRow(email=email, password_hash=generate_password_hash(password), role=role,
                      organisation=organisation, must_change_password=must_change_password,
                      created_at=now())
        s.add(row)
        try:
            s.flush()
        except IntegrityError:  # the same email registered at the same moment by another request
            raise AccountError("email", "taken") from None
        return _account(row)


def set_password(engine: Engine, user_id: int, password: str) -> None:
    """Replace an account's password and clear its must-change flag."""
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("password", "too short")
    with Session(engine) as s, s.begin():
        row = s.get(UserRow, user_id)
        row.password_hash = generate_password_hash(password)
        row.must_change_password = False


def set_role(engine: Engine, user_id: int, role: str) -> None:
    """Change an account's role."""
    if role not in ROLES:
        raise AccountError("role", f"unknown role {role!r}")
    with Session(engine) as s, s.begin():
        row = s.get(UserRow, user_id)
        if row is None:
            raise AccountError("user", "no such user")
        row.role = role


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    """Deactivate an account (it can no longer sign in, and its open sessions end) or reactivate it."""
    with Session(engine) as s, s.begin():
        row = s.get(UserRow, user_id)
        if row is None:
            raise AccountError("user", "no such user")
        row.active = active


def list_all(engine: Engine) -> list[Account]:
    """Return every account, oldest first."""
    with Session(engine) as s:
        return [_account(r) for r in s.scalars(select(UserRow).order_by(UserRow.id))]


def ensure_admin(engine: Engine, email: str | None = None, password: str | None = None) -> tuple[str, str | None]:
    """Make sure an admin exists; return (email, one-time password or None).

    With an email and password, that account is created as admin (or promoted) and its password set.
    Without, a first admin `admin@localhost` gets a random password that must be changed at first login;
    if an admin already exists nothing changes.
    """
    if email and password:
        with Session(engine) as s:
            row = s.scalar(select(UserRow).where(UserRow.email == _normal_email(email)))
        if row is None:
            create(engine, email, password, role="admin")
        else:
            set_role(engine, row.id, "admin")
            set_password(engine, row.id, password)
        return _normal_email(email), None
    with Session(engine) as s:
        existing = s.scalar(select(UserRow.email).where(UserRow.role == "admin").order_by(UserRow.id))
    if existing:
        return existing, None
    once = secrets.token_urlsafe(12)
    create(engine, "admin@localhost", once, role="admin", must_change_password=True)
    return "admin@localhost", once
