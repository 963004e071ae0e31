"""Accounts and organisations: users with an email, a hashed password, a role and an organisation.

An organisation belongs to whoever registers it first: its row is inserted, under a unique
case-folded key, in the transaction that creates that account, so two registrations of one new
name cannot both claim it, and its first account is the organisation's own admin (`org_admin`), who
invites further members (tipkb.teams); a site admin can add them too. Sign-ins are sessions kept here
(a hash of each session's token), ended at logout, at a password change, by "log out everywhere"
and on deactivation. Nothing here needs the web: the web app signs in the `Account` these
functions return.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Boolean, DateTime, Engine, ForeignKey, String, delete, false, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from tipkb.db import Base, aware, now
from tipkb.errors import TipkbError

ROLES = ("ngo", "expert", "admin")
MIN_PASSWORD = 10  # the one source of the minimum length: forms and messages read it from here
ONE_TIME_HOURS = 72  # an admin-issued one-time password stops working after this, or once it has signed in
SESSION_DAYS = 14  # a sign-in (and its remember-me cookie) ends after this at the latest
FIRST_ADMIN = "admin@localhost"
COMMON_PASSWORDS = Path(__file__).with_name("common-passwords.txt")


class AccountError(TipkbError, ValueError):
    """An account cannot be created or changed as asked; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def organisation_key(name: str) -> str:
    """Return the key that makes two spellings of an organisation's name the same (case and spaces folded)."""
    return " ".join((name or "").split()).casefold()


def _name_key_default(context) -> str:
    return organisation_key(context.get_current_parameters()["name"])


class OrganisationRow(Base):
    """An organisation that answers questionnaires, known by its name (unique whatever its case)."""

    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    name_key: Mapped[str] = mapped_column(String(300), unique=True, default=_name_key_default)
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
    password_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())  # False: deactivated by an admin
    org_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # invites, removes members


class SessionRow(Base):
    """A signed-in session: the hash of the token its cookies carry, and when it ends."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Account:
    """A user account as the rest of the application sees it (no password hash)."""

    id: int
    email: str
    role: str
    organisation: str | None
    must_change_password: bool = False
    is_active: bool = True
    org_admin: bool = False


def as_account(row: UserRow) -> Account:
    """Return a user row as the application sees it."""
    return Account(row.id, row.email, row.role, row.organisation, row.must_change_password,
                   is_active=row.active is not False, org_admin=bool(row.org_admin))


def normal_email(email: str) -> str:
    """Return an email as accounts store it (trimmed, lower case), without checking it."""
    return (email or "").strip().lower()


def valid_email(email: str) -> str:
    """Return the address in its normal form (lower case), or raise AccountError if it is not a real address."""
    try:  # syntax only: no network look-up of the domain
        return validate_email((email or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise AccountError("email", "invalid email") from None


@cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def check_password(password: str, email: str) -> None:
    """Raise AccountError unless the password is long enough, not a common one and not the email."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise AccountError("password", "too short")
    if password.lower() in _common_passwords():
        raise AccountError("password", "common")
    email = normal_email(email)
    if password.strip().lower() in (email, email.split("@")[0]):
        raise AccountError("password", "email")


@cache
def _dummy_hash() -> str:
    return generate_password_hash(secrets.token_hex(16))


def get(engine: Engine, user_id: int) -> Account | None:
    """Return the account with this id, or None."""
    with Session(engine) as s:
        row = s.get(UserRow, user_id)
        return as_account(row) if row else None


def authenticate(engine: Engine, email: str, password: str) -> Account | None:
    """Return the account if the password matches, else None; a one-time password signs in only once.

    An unknown email costs the same hash check as a known one, so the time taken does not tell
    whether an account exists.
    """
    with Session(engine) as s, s.begin():
        row = s.scalar(select(UserRow).where(UserRow.email == normal_email(email)))
        if row is None:
            check_password_hash(_dummy_hash(), password or "")
            return None
        if not check_password_hash(row.password_hash, password or "") or row.active is False:
            return None
        if row.must_change_password:  # used up by this sign-in, whichever request gets here first
            moment = now()
            used = s.execute(update(UserRow).where(UserRow.id == row.id, UserRow.password_expires_at > moment)
                             .values(password_expires_at=moment).execution_options(synchronize_session=False))
            if used.rowcount != 1:
                return None
        return as_account(row)


def password_matches(engine: Engine, user_id: int, password: str) -> bool:
    """Say whether this is the account's password (a used one-time password still counts, to change it)."""
    with Session(engine) as s:
        row = s.get(UserRow, user_id)
        return row is not None and check_password_hash(row.password_hash, password or "")


def create(engine: Engine, email: str, password: str, *, role: str = "ngo", organisation: str | None = None,
           new_organisation: bool = True, must_change_password: bool = False) -> Account:
    """Create an account; raise AccountError naming the field at fault.

    With `new_organisation`, the account claims a new organisation: a name already in use (in any
    case) is refused, by the database's unique key, so that of two simultaneous claims one wins.
    Without, the account joins the organisation of that name, which is made if there is none.
    """
    email = valid_email(email)
    if role not in ROLES:
        raise AccountError("role", f"unknown role {role!r}")
    check_password(password, email)
    return _insert(engine, email, password, role, organisation, new_organisation, must_change_password)


def _insert(engine: Engine, email: str, password: str, role: str, organisation: str | None, new_organisation: bool,
            must_change_password: bool) -> Account:
    organisation = " ".join((organisation or "").split()) or None
    if role == "ngo" and not organisation:
        raise AccountError("organisation", "required")
    hashed = generate_password_hash(password)  # before any look-up: a taken name or email costs the same time
    moment = now()
    founder = False  # the account that brings its organisation into tipkb is that organisation's admin
    with Session(engine) as s, s.begin():
        if organisation:
            org = s.scalar(select(OrganisationRow).where(OrganisationRow.name_key == organisation_key(organisation)))
            if org is not None and new_organisation:
                raise AccountError("organisation", "taken")
            if org is None:
                org = OrganisationRow(name=organisation, name_key=organisation_key(organisation), created_at=moment)
                s.add(org)
                try:
                    s.flush()
                except IntegrityError:  # claimed by another request at the same moment
                    raise AccountError("organisation", "taken") from None
                founder = True
            organisation = org.name
        if s.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
            raise AccountError("email", "taken")
        row = UserRow(email=email, password_hash=hashed, role=role, organisation=organisation,
                      must_change_password=must_change_password, created_at=moment, org_admin=founder,
                      password_expires_at=moment + timedelta(hours=ONE_TIME_HOURS) if must_change_password else None)
        s.add(row)
        try:
            s.flush()
        except IntegrityError:  # the same email registered at the same moment by another request
            raise AccountError("email", "taken") from None
        return as_account(row)


def set_password(engine: Engine, user_id: int, password: str) -> None:
    """Replace an account's password, clear its must-change flag and end all its sessions."""
    with Session(engine) as s, s.begin():
        row = s.get(UserRow, user_id)
        if row is None:
            raise AccountError("user", "no such user")
        check_password(password, row.email)
        row.password_hash = generate_password_hash(password)
        row.must_change_password = False
        row.password_expires_at = None
        s.execute(delete(SessionRow).where(SessionRow.user_id == user_id))


def issue_one_time_password(engine: Engine, user_id: int) -> str:
    """Give an account a new one-time password (to be changed at the next sign-in), end its sessions, return it."""
    once = secrets.token_urlsafe(12)
    with Session(engine) as s, s.begin():
        row = s.get(UserRow, user_id)
        if row is None:
            raise AccountError("user", "no such user")
        row.password_hash = generate_password_hash(once)
        row.must_change_password = True
        row.password_expires_at = now() + timedelta(hours=ONE_TIME_HOURS)
        s.execute(delete(SessionRow).where(SessionRow.user_id == user_id))
    return once


def _other_admins(s: Session, user_id: int) -> int:
    return len(s.scalars(select(UserRow.id).where(UserRow.role == "admin", UserRow.active.is_not(False),
                                                  UserRow.id != user_id).with_for_update()).all())


def set_role(engine: Engine, user_id: int, role: str) -> None:
    """Change an account's role; the last active admin cannot stop being one."""
    if role not in ROLES:
        raise AccountError("role", f"unknown role {role!r}")
    with Session(engine) as s, s.begin():
        row = s.get(UserRow, user_id)
        if row is None:
            raise AccountError("user", "no such user")
        if row.role == "admin" and role != "admin" and row.active and not _other_admins(s, user_id):
            raise AccountError("role", "last admin")
        row.role = role


def set_active(engine: Engine, user_id: int, active: bool) -> None:
    """Deactivate an account (it can no longer sign in, and its sessions end) or reactivate it; keep one admin."""
    with Session(engine) as s, s.begin():
        row = s.get(UserRow, user_id)
        if row is None:
            raise AccountError("user", "no such user")
        if not active and row.role == "admin" and row.active and not _other_admins(s, user_id):
            raise AccountError("active", "last admin")
        row.active = active
        if not active:
            s.execute(delete(SessionRow).where(SessionRow.user_id == user_id))


def list_all(engine: Engine) -> list[Account]:
    """Return every account, oldest first."""
    with Session(engine) as s:
        return [as_account(r) for r in s.scalars(select(UserRow).order_by(UserRow.id))]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(engine: Engine, user_id: int) -> str:
    """Open a session for the account and return its token (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    moment = now()
    with Session(engine) as s, s.begin():
        s.execute(delete(SessionRow).where(SessionRow.user_id == user_id, SessionRow.expires_at < moment))
        s.add(SessionRow(user_id=user_id, token_hash=_token_hash(token), created_at=moment,
                         expires_at=moment + timedelta(days=SESSION_DAYS)))
    return token


def session_account(engine: Engine, user_id: int, token: str) -> Account | None:
    """Return the account whose open session this token is, or None (ended, expired, another user's, deactivated)."""
    with Session(engine) as s:
        found = s.execute(select(SessionRow, UserRow).join(UserRow, UserRow.id == SessionRow.user_id)
                          .where(SessionRow.token_hash == _token_hash(token or ""))).first()
        if found is None:
            return None
        session, row = found
        if session.user_id != user_id or aware(session.expires_at) <= now() or row.active is False:
            return None
        return as_account(row)


def end_session(engine: Engine, token: str) -> None:
    """End the session this token opened (logout)."""
    with Session(engine) as s, s.begin():
        s.execute(delete(SessionRow).where(SessionRow.token_hash == _token_hash(token or "")))


def end_sessions(engine: Engine, user_id: int) -> None:
    """End every session of the account, on every device ("log out everywhere")."""
    with Session(engine) as s, s.begin():
        s.execute(delete(SessionRow).where(SessionRow.user_id == user_id))


def ensure_admin(engine: Engine, email: str | None = None, password: str | None = None) -> tuple[str, str | None]:
    """Make sure an admin exists; return (email, one-time password or None); raise AccountError on a bad input.

    With an email and password, that account is created as admin (or promoted) and its password set.
    Without, a first admin `admin@localhost` gets a random password that must be changed at first login
    (within ONE_TIME_HOURS); if an admin already exists nothing changes.
    """
    if email and password:
        email = valid_email(email)
        check_password(password, email)
        with Session(engine) as s:
            row = s.scalar(select(UserRow).where(UserRow.email == email))
        if row is None:
            create(engine, email, password, role="admin")
        else:
            set_role(engine, row.id, "admin")
            set_password(engine, row.id, password)
        return email, None
    with Session(engine) as s:
        existing = s.scalar(select(UserRow.email).where(UserRow.role == "admin").order_by(UserRow.id))
    if existing:
        return existing, None
    once = secrets.token_urlsafe(12)
    _insert(engine, FIRST_ADMIN, once, "admin", None, False, True)  # a local name that valid_email refuses
    return FIRST_ADMIN, once
