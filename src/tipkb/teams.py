"""Teams: an organisation's own admins invite colleagues by one-time links, see the members, and remove them.

An invitation names the organisation, the invited email and the inviting organisation admin; its link
carries a random token, signed with the secret key, whose hash alone is stored. The link works until
it is used (the row is deleted in the transaction that creates the account), until it ends
(INVITATION_HOURS), and only while the inviter is still an admin of that organisation. Removing a
member deletes the account and so ends its sessions; an organisation always keeps one admin.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import DateTime, Engine, ForeignKey, String, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from werkzeug.security import generate_password_hash

from tipkb.accounts import Account, AccountError, OrganisationRow, UserRow, as_account, check_password, valid_email
from tipkb.db import Base, aware, now

INVITATION_HOURS = 72  # an invitation link stops working after this
SALT = "tipkb-invitation"


class InvitationRow(Base):
    """An open invitation to join an organisation: the hash of its link's token, who is invited, until when."""

    __tablename__ = "invitation"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    invited_by: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Invitation:
    """An open invitation as the application shows it."""

    id: int
    organisation: str
    email: str
    expires_at: datetime


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _org_admin(s: Session, user_id: int) -> tuple[UserRow, OrganisationRow]:
    """Return the acting user and their organisation, or raise AccountError unless they are its active admin."""
    row = s.get(UserRow, user_id)
    if row is None or not row.org_admin or row.active is False or not row.organisation:
        raise AccountError("user", "not an organisation admin")
    org = s.scalar(select(OrganisationRow).where(OrganisationRow.name == row.organisation))
    if org is None:
        raise AccountError("user", "not an organisation admin")
    return row, org


def invite(engine: Engine, secret: str, inviter_id: int, email: str, *, hours: float = INVITATION_HOURS,
           moment: datetime | None = None) -> tuple[Invitation, str]:
    """Invite an email into the inviter's organisation; return the invitation and its link's token.

    An earlier open invitation of the same email to the same organisation is replaced. Whether the email
    already has an account is not checked here, so that inviting does not tell who uses tipkb.
    """
    email = valid_email(email)
    nonce = secrets.token_urlsafe(24)
    moment = moment or now()
    with Session(engine) as s, s.begin():
        _, org = _org_admin(s, inviter_id)
        s.execute(delete(InvitationRow).where(InvitationRow.organisation_id == org.id, InvitationRow.email == email))
        row = InvitationRow(organisation_id=org.id, invited_by=inviter_id, email=email, token_hash=_hash(nonce),
                            created_at=moment, expires_at=moment + timedelta(hours=hours))
        s.add(row)
        s.flush()
        invitation = Invitation(row.id, org.name, email, row.expires_at)
    return invitation, URLSafeSerializer(secret, salt=SALT).dumps(nonce)


def _open(s: Session, secret: str, token: str, *, lock: bool = False) -> tuple[InvitationRow, str] | None:
    try:
        nonce = URLSafeSerializer(secret, salt=SALT).loads(token or "")
    except BadSignature:
        return None
    if not isinstance(nonce, str):
        return None
    query = select(InvitationRow).where(InvitationRow.token_hash == _hash(nonce))
    row = s.scalar(query.with_for_update() if lock else query)
    if row is None or aware(row.expires_at) <= now():
        return None
    inviter = s.get(UserRow, row.invited_by)
    org = s.get(OrganisationRow, row.organisation_id)
    if inviter is None or org is None or not inviter.org_admin or inviter.active is False \
            or inviter.organisation != org.name:
        return None
    return row, org.name


def invitation(engine: Engine, secret: str, token: str) -> Invitation | None:
    """Return the open invitation a link's token names, or None (forged, used, expired, inviter no longer admin)."""
    with Session(engine) as s:
        found = _open(s, secret, token)
        if found is None:
            return None
        row, organisation = found
        return Invitation(row.id, organisation, row.email, aware(row.expires_at))


def accept(engine: Engine, secret: str, token: str, password: str) -> Account:
    """Create the invited account in the organisation and spend the invitation; raise AccountError if refused."""
    hashed = generate_password_hash(password or "")  # before any look-up: a taken email costs the same time
    with Session(engine) as s, s.begin():
        found = _open(s, secret, token, lock=True)
        if found is None:
            raise AccountError("token", "invalid")
        row, organisation = found
        check_password(password, row.email)
        if s.execute(delete(InvitationRow).where(InvitationRow.id == row.id)).rowcount != 1:
            raise AccountError("token", "invalid")  # spent by a request at the same moment
        if s.scalar(select(UserRow.id).where(UserRow.email == row.email)) is not None:
            raise AccountError("email", "taken")
        user = UserRow(email=row.email, password_hash=hashed, role="ngo", organisation=organisation,
                       created_at=now(), org_admin=False)
        s.add(user)
        try:
            s.flush()
        except IntegrityError:
            raise AccountError("email", "taken") from None
        return as_account(user)


def members(engine: Engine, organisation: str) -> list[Account]:
    """Return the accounts of an organisation, oldest first."""
    with Session(engine) as s:
        rows = s.scalars(select(UserRow).where(UserRow.organisation == organisation).order_by(UserRow.id))
        return [as_account(r) for r in rows]


def pending(engine: Engine, organisation: str) -> list[Invitation]:
    """Return the organisation's invitations not yet used nor expired, newest first."""
    with Session(engine) as s:
        rows = s.execute(select(InvitationRow, OrganisationRow.name)
                         .join(OrganisationRow, OrganisationRow.id == InvitationRow.organisation_id)
                         .where(OrganisationRow.name == organisation, InvitationRow.expires_at > now())
                         .order_by(InvitationRow.id.desc())).all()
        return [Invitation(r.id, name, r.email, aware(r.expires_at)) for r, name in rows]


def revoke(engine: Engine, actor_id: int, invitation_id: int) -> None:
    """Withdraw an open invitation of the actor's organisation; raise AccountError if there is none."""
    with Session(engine) as s, s.begin():
        _, org = _org_admin(s, actor_id)
        gone = s.execute(delete(InvitationRow).where(InvitationRow.id == invitation_id,
                                                     InvitationRow.organisation_id == org.id))
        if gone.rowcount != 1:
            raise AccountError("member", "no such invitation")


def _member(s: Session, actor_id: int, member_id: int) -> tuple[UserRow, UserRow]:
    actor, org = _org_admin(s, actor_id)
    member = s.get(UserRow, member_id)
    if member is None or member.organisation != org.name:
        raise AccountError("member", "no such member")
    return actor, member


def _admins_left(s: Session, organisation: str, without: int) -> int:
    return s.scalar(select(func.count()).select_from(UserRow).where(
        UserRow.organisation == organisation, UserRow.org_admin.is_(True), UserRow.active.is_not(False),
        UserRow.id != without)) or 0


def remove(engine: Engine, actor_id: int, member_id: int) -> Account:
    """Delete a member's account (its sessions and invitations go with it); keep one organisation admin."""
    with Session(engine) as s, s.begin():
        _, member = _member(s, actor_id, member_id)
        if member.role != "ngo":
            raise AccountError("member", "not an ngo account")
        s.scalars(select(UserRow.id).where(UserRow.organisation == member.organisation).with_for_update()).all()
        if member.org_admin and not _admins_left(s, member.organisation, member.id):
            raise AccountError("member", "last org admin")
        gone = as_account(member)
        s.delete(member)
        return gone


def set_org_admin(engine: Engine, actor_id: int, member_id: int, admin: bool) -> None:
    """Make a member an admin of the organisation or not; the organisation keeps one admin."""
    with Session(engine) as s, s.begin():
        _, member = _member(s, actor_id, member_id)
        s.scalars(select(UserRow.id).where(UserRow.organisation == member.organisation).with_for_update()).all()
        if not admin and member.org_admin and not _admins_left(s, member.organisation, member.id):
            raise AccountError("member", "last org admin")
        member.org_admin = admin


def grant(engine: Engine, member_id: int, admin: bool) -> None:
    """Make an account an admin of its organisation or not, as a site admin does; the organisation keeps one."""
    with Session(engine) as s, s.begin():
        member = s.get(UserRow, member_id)
        if member is None:
            raise AccountError("user", "no such user")
        if not member.organisation or member.role != "ngo":
            raise AccountError("member", "not an ngo account")
        s.scalars(select(UserRow.id).where(UserRow.organisation == member.organisation).with_for_update()).all()
        if not admin and member.org_admin and not _admins_left(s, member.organisation, member.id):
            raise AccountError("member", "last org admin")
        member.org_admin = admin
